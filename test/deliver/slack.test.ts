import { afterEach, describe, expect, it } from "vitest";
import { deliverDay } from "../../src/deliver/index.js";
import { SLACK_LIMITS, type SlackMessage, slackDigest } from "../../src/deliver/slack-blocks.js";
import type { DayRecord, Delivery } from "../../src/model/day-record.js";
import { makeDay, makePaper } from "../helpers/day-factory.js";
import { fakeClock } from "../helpers/fake-clock.js";
import { type Handler, type RecordedRequest, sendJson, startServer, type TestServer } from "../helpers/server.js";
import { eightyPaperDay, slackConfig } from "./fixtures.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const okReceiver: Handler = (_req, res) => {
  res.end("ok");
};

function bodies(requests: RecordedRequest[]): (SlackMessage & Record<string, unknown>)[] {
  return requests.map((r) => JSON.parse(r.body) as SlackMessage & Record<string, unknown>);
}

function allText(message: SlackMessage): string[] {
  return message.blocks.flatMap((b) => (b.type === "context" ? b.elements.map((e) => e.text) : [b.text.text]));
}

/** Every limit Slack enforces, and no unescaped control character from paper text. */
function expectWithinLimits(messages: SlackMessage[]): void {
  for (const m of messages) {
    expect(m.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocksPerMessage);
    for (const b of m.blocks) {
      if (b.type === "header") expect(b.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
      if (b.type === "section") expect(b.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    }
    for (const text of allText(m)) {
      // The only `<`, `>` left are our links to arXiv or the site, and quote marks opening a line.
      const stripped = text.replace(/<https?:\/\/[^<>|\s]+\|[^<>]*>/g, "").replace(/^> /gm, "");
      expect(stripped).not.toMatch(/[<>]/);
      expect(stripped).not.toMatch(/&(?!amp;|lt;|gt;)/);
    }
  }
}

function paperNumbers(messages: SlackMessage[]): number[] {
  return messages.flatMap((m) =>
    m.blocks.flatMap((b) => (b.type === "section" ? [Number(/^\*(\d+)\. /.exec(b.text.text)?.[1])] : [])),
  );
}

describe("Slack incoming webhook", () => {
  it("names a paper's topic by the title the delivery is given", async () => {
    server = await startServer(okReceiver);
    await deliverDay(makeDay(), slackConfig(server.url), {
      env: { SLACK_WEBHOOK_URL: `${server.url}/services/T000/B000/secret` },
      topics: new Map([["architecture", "Model architecture"]]),
      clock: fakeClock(),
    });
    const text = bodies(server.requests).flatMap(allText).join("\n");
    expect(text).toContain("Score 17 · Model architecture");
    expect(text).not.toMatch(/· architecture\b/);
  });

  it("posts the summary then the whole list of 80 papers, escaped and within Slack's limits", async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("ok");
    });
    const day = eightyPaperDay();
    const [delivery] = await deliverDay(day, slackConfig(server.url), {
      env: { SLACK_WEBHOOK_URL: `${server.url}/services/T000/B000/secret` },
      site: { url: "https://me.github.io/papers/", page: "https://me.github.io/papers/2025/11/2025-11-05/" },
      clock: fakeClock(),
    });

    expect(delivery).toMatchObject({ channel: "slack", target: "incoming webhook", outcome: "sent", attempts: 1 });
    expect(server.requests.every((r) => r.url === "/services/T000/B000/secret" && r.method === "POST")).toBe(true);
    const [summary, ...list] = bodies(server.requests);
    expect(list.length).toBeGreaterThanOrEqual(2);
    expectWithinLimits([summary!, ...list]);
    expect(list.every((m) => m.thread_ts === undefined && m.unfurl_links === false)).toBe(true);
    expect(paperNumbers(list)).toEqual(Array.from({ length: 80 }, (_, i) => i + 1));
    // Each follow-up's notification names the digest and its range of papers.
    expect(list[0]!.text).toMatch(/^arXiv digest · 2025-11-05 · papers 1–\d+ of 80$/);
    expect(list.at(-1)!.text).toMatch(/^arXiv digest · 2025-11-05 · papers \d+–80 of 80$/);

    const header = summary!.blocks[0]!;
    expect(header).toEqual({ type: "header", text: { type: "plain_text", text: "arXiv digest · 2025-11-05" } });
    const summaryText = allText(summary!).join("\n");
    expect(summaryText).toContain("80 papers picked from 391 scanned of 705 listed.");
    expect(summaryText).toContain("<https://me.github.io/papers/2025/11/2025-11-05/|Read the day's page>");
    expect(summaryText).toContain(`in the next ${list.length} messages`);
    expect(summaryText.match(/^\d+\. /gm)).toHaveLength(10);
  });

  it("escapes hostile titles and comments so they cannot ping, link or inject markup", async () => {
    server = await startServer(okReceiver);
    await deliverDay(eightyPaperDay(), slackConfig(server.url), {
      env: { SLACK_WEBHOOK_URL: `${server.url}/hook` },
      clock: fakeClock(),
    });
    const [summary, first] = bodies(server.requests);
    const firstText = allText(first!).join("\n");
    expect(firstText).toContain("*1. <https://arxiv.org/abs/");
    expect(firstText).toContain("|&lt;script&gt;alert('x')&lt;/script&gt; Attention &amp; Memory>*");
    expect(firstText).toContain("&lt;!channel&gt; Urgent: scaling laws for &lt;b&gt;everyone&lt;/b&gt;");
    expect(firstText).toContain("> Beats &lt;baseline&gt; &amp; co. &lt;@U123&gt;");
    expect(firstText).not.toContain("<!channel>");
    expect(firstText).not.toContain("<@U123>");
    // The long title is cut with an ellipsis, the 300 authors end in "et al.".
    expect(firstText).toMatch(/\|A very (very )+ver?y?…>\*/);
    expect(firstText).toContain("Author Number9 et al.");
    expect(firstText).toContain("★ Followed author: Yoshua Bengio");
    // The paper's "Author match" comment would say it a second time.
    expect(firstText).not.toContain("Author match");
    expect(allText(summary!).join("\n")).toMatch(/^4\. <https:\/\/arxiv\.org\/abs\/[^|]+\|[^>]+> ★ — /m);
  });

  it("shows a title's TeX as plain Unicode text, still escaped", () => {
    const title = "$D^3$-RSMDE: 40$\\times$ Faster \\textbf{<!channel>} \\& $x<y$";
    const { summary, list } = slackDigest(makeDay({ papers: [makePaper({ title })] }), { top: 10, threaded: false });
    const shown = "D³-RSMDE: 40× Faster &lt;!channel&gt; &amp; x&lt;y";
    expect(allText(summary).join("\n")).toContain(`|${shown}>`);
    expect(allText(list[0]!).join("\n")).toContain(`|${shown}>*`);
    expectWithinLimits([summary, ...list]);
  });

  it("shows an emoji code in a title as typed, in the summary and the list", async () => {
    server = await startServer(okReceiver);
    const title = "LLMs :rocket: to the moon? Q:A:B prompting: a study";
    await deliverDay(makeDay({ papers: [makePaper({ title })] }), slackConfig(server.url), {
      env: { SLACK_WEBHOOK_URL: `${server.url}/hook` },
      clock: fakeClock(),
    });
    const sent = bodies(server.requests).flatMap(allText).join("\n");
    const shown = "LLMs ∶rocket: to the moon? Q∶A:B prompting: a study";
    expect(sent.split(shown).length - 1).toBe(2);
    expect(sent).not.toMatch(/:rocket:|:A:/);
  });

  it("waits as long as a 429's Retry-After says, on the injected clock", async () => {
    let calls = 0;
    server = await startServer((_req, res) => {
      calls++;
      if (calls === 1) {
        res.writeHead(429, { "retry-after": "7" });
        res.end("rate_limited");
        return;
      }
      res.end("ok");
    });
    const clock = fakeClock();
    const [delivery] = await deliverDay(makeDay(), slackConfig(server.url), {
      env: { SLACK_WEBHOOK_URL: `${server.url}/h` },
      clock,
    });
    expect(clock.sleeps).toEqual([7000]);
    expect(delivery).toMatchObject({ outcome: "sent", attempts: 2 });
    // Summary (refused, then resent) and the one-paper list.
    expect(server.requests).toHaveLength(3);
    expect(server.requests[1]?.body).toBe(server.requests[0]?.body);
  });

  it("says the webhook was revoked when Slack answers no_service, without leaking the URL", async () => {
    server = await startServer((_req, res) => {
      res.writeHead(404);
      res.end("no_service");
    });
    const [delivery] = await deliverDay(makeDay(), slackConfig(server.url), {
      env: { SLACK_WEBHOOK_URL: `${server.url}/services/T/B/s3cr3t` },
      clock: fakeClock(),
    });
    expect(delivery?.outcome).toBe("failed");
    expect(delivery?.error).toContain("404 no_service");
    expect(delivery?.error).toContain("create a new incoming webhook");
    expect(delivery?.error).not.toContain("s3cr3t");
  });

  it("states a day's status when it is not a normal announcement", async () => {
    server = await startServer(okReceiver);
    const day = makeDay({
      date: "2026-02-14",
      papers: [],
      status: { code: "no-announcement", message: "arXiv makes no announcement on Saturdays." },
      kind: "remedial",
      remedial: { from: "2026-02-14", to: "2026-02-14", generatedOn: "2026-02-20" },
    });
    await deliverDay(day, slackConfig(server.url), {
      env: { SLACK_WEBHOOK_URL: `${server.url}/h` },
      clock: fakeClock(),
    });
    expect(server.requests).toHaveLength(1);
    const text = allText(bodies(server.requests)[0]!).join("\n");
    expect(text).toContain("*Weekend:* arXiv makes no announcement on Saturdays.");
    expect(text).toContain("0 papers picked");
    expect(text).toContain("Remedial digest: papers missed from 2026-02-14, generated on 2026-02-20.");
  });
});

describe("what a day's Slack messages say, through the receiver", () => {
  const noted = makeDay({
    date: "2026-03-25",
    papers: [makePaper({ title: "Q*-Learning with *bold* claims, _under_scores_, ~tilde~ and `code`" })],
    notes: [
      'llm.provider is "offline": papers were scored by the offline lexical scorer (novelty is not judged offline).',
    ],
    operatorNotes: ["2 LLM answers came from the response cache (no charge in this run); new calls made: 0."],
  });
  const failed = makeDay({
    date: "2026-03-27",
    papers: [],
    status: { code: "failed", message: "The arXiv feed could not be read: HTTP 503 after 5 attempts." },
    counts: { entries: null, unique: null, scanned: null, selected: 0, unscored: 0 },
  });
  const remedial = makeDay({
    date: "2026-03-20",
    kind: "remedial",
    remedial: { from: "2026-03-18", to: "2026-03-20", generatedOn: "2026-03-28" },
  });

  async function post(day: DayRecord, bot: boolean): Promise<(SlackMessage & Record<string, unknown>)[]> {
    server = await startServer((req, res) => {
      if (req.url === "/chat.postMessage") sendJson(res, 200, { ok: true, ts: "1.1" });
      else res.end("ok");
    });
    const [delivery] = await deliverDay(day, slackConfig(server.url, bot ? "C1" : undefined), {
      env: bot ? { SLACK_BOT_TOKEN: "xoxb-1" } : { SLACK_WEBHOOK_URL: `${server.url}/hook` },
      clock: fakeClock(),
    });
    expect(delivery?.outcome).toBe("sent");
    const sent = bodies(server.requests);
    await server.close();
    server = undefined;
    return sent;
  }

  it.each([
    ["webhook", false],
    ["bot", true],
  ])("in %s mode: the reader's notes, a failed day and a remedial day", async (_mode, bot) => {
    const [summary, paper] = await post(noted, bot);
    const summaryText = allText(summary!).join("\n");
    expect(summaryText).toContain("Note: Scored offline by the free ranking: no language model was used.");
    expect(summaryText).not.toContain("response cache");
    expect(summaryText).not.toContain("Q*");
    expect(allText(paper!)[0]).toContain("|Q∗-Learning with ∗bold∗ claims, ˍunderˍscoresˍ, ∼tilde∼ and ˋcodeˋ>*");
    expect(summary!.text).toBe("arXiv digest · 2026-03-25: 1 paper picked from 1 scanned.");

    const failedPosts = await post(failed, bot);
    expect(failedPosts).toHaveLength(1);
    expect(failedPosts[0]!.text).toBe("arXiv digest · 2026-03-27 · Run failed: 0 papers picked.");
    const failedText = allText(failedPosts[0]!).join("\n");
    expect(failedText).toContain("*Run failed:* The arXiv feed could not be read: HTTP 503 after 5 attempts.");
    expect(failedText).not.toMatch(/All 0 papers|\*failed\*/);

    const [remedialSummary] = await post(remedial, bot);
    expect(remedialSummary!.text).toBe("arXiv digest · 2026-03-20 · Remedial digest: 1 paper picked from 1 scanned.");
    expect(allText(remedialSummary!).join("\n")).toContain(
      "Remedial digest: papers missed from 2026-03-18 to 2026-03-20, generated on 2026-03-28.",
    );
  });
});

describe("Slack bot token (chat.postMessage)", () => {
  function botServer(
    reply: (req: RecordedRequest, n: number) => { status?: number; body: unknown; headers?: Record<string, string> },
  ) {
    let n = 0;
    return startServer((req, res) => {
      n++;
      const r = reply(req, n);
      sendJson(res, r.status ?? 200, r.body, r.headers);
    });
  }

  it("posts a summary, then the full list in its thread", async () => {
    server = await botServer((_req, n) => ({ body: { ok: true, channel: "C0123", ts: `1762300000.00010${n}` } }));
    const [delivery] = await deliverDay(eightyPaperDay(), slackConfig(server.url, "C0123"), {
      env: { SLACK_BOT_TOKEN: "xoxb-test-token", SLACK_WEBHOOK_URL: "https://hooks.slack.invalid/unused" },
      clock: fakeClock(),
    });
    expect(delivery).toMatchObject({ channel: "slack", target: "C0123", outcome: "sent", attempts: 1 });
    expect(server.requests.every((r) => r.url === "/chat.postMessage")).toBe(true);
    expect(server.requests.every((r) => r.headers.authorization === "Bearer xoxb-test-token")).toBe(true);
    const [summary, ...thread] = bodies(server.requests);
    expect(summary?.channel).toBe("C0123");
    expect(summary?.thread_ts).toBeUndefined();
    expect(allText(summary!).join("\n")).toContain("All 80 papers in the thread.");
    expect(thread.length).toBeGreaterThanOrEqual(2);
    expect(thread.every((m) => m.thread_ts === "1762300000.000101" && m.channel === "C0123")).toBe(true);
    expect(paperNumbers(thread)).toEqual(Array.from({ length: 80 }, (_, i) => i + 1));
    expectWithinLimits([summary!, ...thread]);
  });

  it("retries `ratelimited` answers (HTTP 429 or ok:false) after Retry-After", async () => {
    server = await botServer((_req, n) => {
      if (n === 1) return { status: 429, body: { ok: false, error: "ratelimited" }, headers: { "retry-after": "3" } };
      if (n === 2) return { body: { ok: false, error: "ratelimited" }, headers: { "retry-after": "5" } };
      return { body: { ok: true, ts: "1.2" } };
    });
    const clock = fakeClock();
    const [delivery] = await deliverDay(makeDay(), slackConfig(server.url, "#papers"), {
      env: { SLACK_BOT_TOKEN: "xoxb-1" },
      clock,
    });
    expect(clock.sleeps).toEqual([3000, 5000]);
    expect(delivery).toMatchObject({ outcome: "sent", attempts: 3 });
  });

  it.each([
    ["invalid_auth", "Bot User OAuth Token (xoxb-…)", "SLACK_BOT_TOKEN"],
    ["channel_not_found", "channel ID (C…", "#papers"],
    ["not_in_channel", "/invite @<your bot>", "#papers"],
  ])("explains %s and what to do", async (error, advice, names) => {
    server = await botServer(() => ({ body: { ok: false, error } }));
    const [delivery] = await deliverDay(makeDay(), slackConfig(server.url, "#papers"), {
      env: { SLACK_BOT_TOKEN: "xoxb-bad" },
      clock: fakeClock(),
    });
    expect(delivery).toMatchObject({ outcome: "failed", attempts: 1 });
    expect(delivery?.error).toContain(`(${error})`);
    expect(delivery?.error).toContain(advice);
    expect(delivery?.error).toContain(names);
    expect(server.requests).toHaveLength(1);
  });

  it("says which thread message failed after the summary went out", async () => {
    server = await botServer((_req, n) =>
      n <= 2 ? { body: { ok: true, ts: "9.1" } } : { body: { ok: false, error: "msg_too_long" } },
    );
    const [delivery]: Delivery[] = await deliverDay(eightyPaperDay(), slackConfig(server.url, "C1"), {
      env: { SLACK_BOT_TOKEN: "xoxb-1" },
      clock: fakeClock(),
    });
    expect(delivery).toMatchObject({ outcome: "failed", ts: "9.1", posted: { messages: 2, of: 4 } });
    expect(delivery?.error).toMatch(
      /^the summary and papers 1–\d+ of 80 were posted \(2 of 4 messages\), and the next delivery posts the rest; papers \d+–\d+ of 80 failed: Slack refused the message \(msg_too_long\)/,
    );
  });
});
