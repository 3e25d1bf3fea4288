/**
 * Slack bot mode when an answer is lost after Slack accepted the post: every message carries
 * metadata naming its delivery and part, and the retry (in the same delivery or the next one) finds
 * the message in the channel instead of posting it twice. A lookup that gets no answer or is
 * rate-limited is asked again after a wait, and never ends in a second copy; a channel the bot may
 * not read does not stop the delivery: it posts, and says once that a duplicate cannot be ruled out.
 */
import { afterEach, describe, expect, it } from "vitest";
import { deliverDay } from "../../src/deliver/index.js";
import type { DayRecord } from "../../src/model/day-record.js";
import { deliverySummary } from "../../src/pipeline/deliver.js";
import { makeDay, makePaper } from "../helpers/day-factory.js";
import { type FakeClock, fakeClock } from "../helpers/fake-clock.js";
import { type SlackApi, startSlackApi } from "../helpers/slack-api.js";
import { eightyPaperDay, slackConfig } from "./fixtures.js";

let api: SlackApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const env = { SLACK_BOT_TOKEN: "xoxb-test-token" };

/** Delivers as the pipeline does, returning the fresh outcomes and the day with them appended. */
async function deliver(day: DayRecord, clock: FakeClock, channel = "C0123", extra = {}) {
  const fresh = await deliverDay(day, slackConfig(api!.url, channel), { env, clock, ...extra });
  return { fresh, day: { ...day, deliveries: [...day.deliveries, ...fresh] } };
}

const part = (body: Record<string, unknown>) =>
  (body.metadata as { event_payload: { part: number } } | undefined)?.event_payload.part;

/** How many times the channel holds each part of the delivery, in part order. */
function copiesOfParts(a: SlackApi): number[] {
  const counts: number[] = [];
  for (const m of a.messages) {
    // Someone else's messages carry no metadata, or were posted by another app (B9).
    if (m.metadata === undefined || m.bot_id !== "B0") continue;
    const p = m.metadata.event_payload.part as number;
    counts[p] = (counts[p] ?? 0) + 1;
  }
  return counts;
}

describe("a Slack bot post whose answer was lost", () => {
  it("names its delivery and part in every message's metadata", async () => {
    const clock = fakeClock();
    api = await startSlackApi({ now: clock.now });
    const [delivery] = (await deliver(makeDay(), clock)).fresh;
    expect(delivery).toMatchObject({ outcome: "sent", attempts: 1 });
    expect(api.messages.map((m) => m.metadata)).toEqual(
      [0, 1].map((p) => ({
        event_type: "arxiv_digest_message",
        event_payload: { day: "2026-02-05", delivery: expect.stringMatching(/^2026-02-05-[0-9a-f]{16}$/), part: p },
      })),
    );
    // Nothing was lost, so nothing was looked up.
    expect(api.calls("conversations.history")).toHaveLength(0);
    expect(api.calls("conversations.replies")).toHaveLength(0);
  });

  it("the summary: the retry finds it in the channel and threads the list under it", async () => {
    const clock = fakeClock();
    api = await startSlackApi({ now: clock.now });
    api.dropAnswers(1);
    const [delivery] = (await deliver(makeDay(), clock)).fresh;
    const [summary, reply] = api.messages;
    expect(delivery).toMatchObject({ outcome: "sent", attempts: 2, ts: summary!.ts });
    expect(delivery?.error).toBeUndefined();
    expect(copiesOfParts(api)).toEqual([1, 1]);
    expect(reply?.thread_ts).toBe(summary!.ts);
    const [lookup] = api.calls("conversations.history");
    const q = new URL(lookup!.url, "http://x").searchParams;
    expect(q.get("channel")).toBe("C0123");
    expect(q.get("include_all_metadata")).toBe("true");
    expect(Number(q.get("limit"))).toBeLessThanOrEqual(200);
    // Bounded by when the delivery began (less a margin for the two clocks), not the whole channel.
    expect(Number(q.get("oldest")) * 1000).toBeGreaterThan(Date.parse("2026-02-05T09:50:00Z"));
  });

  it("a thread message: the retry reads the thread, and every part is in the channel once", async () => {
    const clock = fakeClock();
    api = await startSlackApi({ now: clock.now });
    api.dropAnswers(2, (body) => part(body) === 2 || part(body) === 3);
    const [delivery] = (await deliver(eightyPaperDay(), clock)).fresh;
    expect(delivery).toMatchObject({ outcome: "sent", attempts: 3 });
    expect(copiesOfParts(api)).toEqual([1, 1, 1, 1]);
    expect(api.calls("conversations.replies")).toHaveLength(2);
    expect(api.calls("conversations.history")).toHaveLength(0);
    // The summary's answer named our bot: nobody had to ask who it is.
    expect(api.calls("auth.test")).toHaveLength(0);
  });

  it("a post that never reached Slack is posted once the lookup finds nothing", async () => {
    const clock = fakeClock();
    api = await startSlackApi({ now: clock.now });
    api.dropPosts(1);
    const [delivery] = (await deliver(makeDay(), clock)).fresh;
    expect(delivery).toMatchObject({ outcome: "sent", attempts: 2, ts: api.messages[0]!.ts });
    expect(api.calls("conversations.history")).toHaveLength(1);
    expect(copiesOfParts(api)).toEqual([1, 1]);
  });

  it("the next delivery finds a message the failed one may have posted, and posts only the rest", async () => {
    const clock = fakeClock();
    api = await startSlackApi({ now: clock.now });
    const slack = api;
    // Part 2 is kept but unanswered, and Slack then stays unreachable for the rest of the delivery.
    slack.dropAnswers(
      1,
      (body) => part(body) === 2,
      () => {
        slack.down = true;
      },
    );
    const failed = await deliver(eightyPaperDay(), clock);
    const [record] = failed.fresh;
    expect(record).toMatchObject({
      outcome: "failed",
      posted: { messages: 2, of: 4 },
      unanswered: { part: 2, since: "2026-02-05T10:00:00.000Z", channel: "C0123" },
    });
    expect(record?.unanswered?.delivery).toMatch(/^2025-11-05-/);
    expect(copiesOfParts(api)).toEqual([1, 1, 1]);

    slack.down = false;
    const resumed = await deliver(failed.day, clock, "C0123", { failedOnly: true });
    expect(resumed.fresh).toMatchObject([{ outcome: "sent", ts: api.messages[0]!.ts }]);
    expect(resumed.fresh[0]?.error).toBeUndefined();
    // Found, not posted again: each part once, the last one posted by the retry into the thread.
    expect(copiesOfParts(api)).toEqual([1, 1, 1, 1]);
    expect(api.messages.at(-1)?.thread_ts).toBe(api.messages[0]!.ts);
    const lookups = api.calls("conversations.replies");
    expect(new URL(lookups.at(-1)!.url, "http://x").searchParams.get("ts")).toBe(api.messages[0]!.ts);
  });

  it("a deliver --again after a lost summary looks for it under that attempt's id, and posts it once", async () => {
    const clock = fakeClock();
    api = await startSlackApi({ now: clock.now });
    const slack = api;
    // The summary is kept but unanswered, and Slack then stays unreachable: nothing is known posted.
    slack.dropAnswers(
      1,
      (body) => part(body) === 0,
      () => {
        slack.down = true;
      },
    );
    const failed = await deliver(eightyPaperDay(), clock);
    expect(failed.fresh[0]).toMatchObject({ outcome: "failed", unanswered: { part: 0 } });
    expect(failed.fresh[0]?.posted).toBeUndefined();

    slack.down = false;
    const again = await deliver(failed.day, clock, "C0123", { resend: true });
    expect(again.fresh).toMatchObject([{ outcome: "sent" }]);
    // Found, not posted again: one summary, the list threaded under it.
    expect(copiesOfParts(api)).toEqual([1, 1, 1, 1]);
    expect(api.calls("conversations.history").length).toBeGreaterThan(0);
  });

  it("an update's reply is looked for in the thread too", async () => {
    const clock = fakeClock();
    api = await startSlackApi({ now: clock.now });
    const first = await deliver(makeDay(), clock);
    expect(first.fresh).toMatchObject([{ outcome: "sent" }]);
    const changed = makeDay({
      papers: [makePaper({ id: "2602.00009", title: "Another paper" })],
      deliveries: first.day.deliveries,
    });
    const before = api.messages.length;
    api.dropAnswers(1);
    const update = await deliver(changed, clock);
    expect(update.fresh).toMatchObject([{ outcome: "sent", update: true }]);
    expect(update.fresh[0]?.error).toBeUndefined();
    const replies = api.messages.slice(before).filter((m) => m.metadata?.event_payload.part === 0);
    expect(replies).toHaveLength(1);
    expect(api.calls("conversations.replies")).toHaveLength(1);
  });
});

describe("a lookup on a flaky network or in a busy channel", () => {
  it("a read that gets no answer is asked again, and the message is found, not posted twice", async () => {
    const clock = fakeClock();
    api = await startSlackApi({ now: clock.now });
    api.dropAnswers(1);
    api.failReads(1, "reset");
    const [delivery] = (await deliver(makeDay(), clock)).fresh;
    expect(delivery).toMatchObject({ outcome: "sent", ts: api.messages[0]!.ts });
    expect(delivery?.error).toBeUndefined();
    expect(copiesOfParts(api)).toEqual([1, 1]);
    expect(api.calls("conversations.history")).toHaveLength(2);
  });

  it("a rate-limited read waits as Slack asks, then looks again", async () => {
    const clock = fakeClock();
    api = await startSlackApi({ now: clock.now });
    api.dropAnswers(1);
    api.failReads(2, "ratelimited");
    const [delivery] = (await deliver(makeDay(), clock)).fresh;
    expect(delivery).toMatchObject({ outcome: "sent" });
    expect(delivery?.error).toBeUndefined();
    expect(copiesOfParts(api)).toEqual([1, 1]);
    expect(clock.sleeps.filter((ms) => ms === 3_000)).toHaveLength(2);
  });

  it("reads that fail past the tries post nothing again: the next delivery looks, and finds it", async () => {
    const clock = fakeClock();
    api = await startSlackApi({ now: clock.now });
    api.dropAnswers(1);
    api.failReads(10, "reset");
    const failed = await deliver(makeDay(), clock);
    const [record] = failed.fresh;
    expect(record).toMatchObject({ outcome: "failed", unanswered: { part: 0 } });
    expect(record?.error).toContain("was not posted again");
    expect(copiesOfParts(api)).toEqual([1]);

    api.failReads(0, "reset");
    const retried = await deliver(failed.day, clock, "C0123", { failedOnly: true });
    expect(retried.fresh).toMatchObject([{ outcome: "sent", ts: api.messages[0]!.ts }]);
    expect(copiesOfParts(api)).toEqual([1, 1]);
  });

  it("a busy channel is read page after page until the message is found", async () => {
    const clock = fakeClock();
    api = await startSlackApi({ now: clock.now, pageSize: 15 });
    const slack = api;
    // The summary's answer is lost, and 40 messages from others follow it before the lookup.
    slack.dropAnswers(1, undefined, () => slack.chatter(40));
    const [delivery] = (await deliver(makeDay(), clock)).fresh;
    expect(delivery).toMatchObject({ outcome: "sent" });
    expect(delivery?.error).toBeUndefined();
    expect(copiesOfParts(api)).toEqual([1, 1]);
    const cursors = api
      .calls("conversations.history")
      .map((c) => new URL(c.url, "http://x").searchParams.get("cursor"));
    expect(cursors).toEqual([null, "15", "30"]);
  });

  it("a channel busier than a lookup reads: posts, and says why duplicates cannot be ruled out", async () => {
    const clock = fakeClock();
    api = await startSlackApi({ now: clock.now, pageSize: 15 });
    const slack = api;
    slack.dropAnswers(1, undefined, () => slack.chatter(100));
    const [delivery] = (await deliver(makeDay(), clock)).fresh;
    expect(delivery).toMatchObject({ outcome: "sent" });
    expect(api.calls("conversations.history")).toHaveLength(5);
    expect(delivery?.error).toContain(
      "more than the 75 messages since the delivery began that a lookup reads (5 pages)",
    );
    expect(delivery?.error).not.toContain("channels:history");
  });
});

describe("a channel the bot cannot read", () => {
  it("without channels:history: posts anyway, and says once that duplicates cannot be ruled out", async () => {
    const clock = fakeClock();
    api = await startSlackApi({ now: clock.now, scopes: ["chat:write"] });
    // Two answers lost in a row: the first lookup fails, and is not tried again.
    api.dropAnswers(2);
    const [delivery] = (await deliver(makeDay(), clock)).fresh;
    expect(delivery).toMatchObject({ outcome: "sent", attempts: 3 });
    expect(api.calls("conversations.history")).toHaveLength(1);
    expect(copiesOfParts(api)).toEqual([3, 1]);
    const warning = delivery?.error ?? "";
    expect(warning.split("without looking for it in the channel").length - 1).toBe(1);
    expect(warning).toContain("missing_scope");
    expect(warning).toContain("duplicates cannot be ruled out");
    expect(warning).toContain("channels:history");
    expect(warning).not.toContain("xoxb-test-token");
    // `deliver DATE`'s one line names the target with a warning; the log has the sentence.
    expect(deliverySummary("2026-02-05", [delivery!], slackConfig(api.url, "C0123"))).toBe(
      "2026-02-05: sent to 1 of 1 target; with a warning: slack (C0123).",
    );
  });

  it("configured by name: the lookup says reading a channel takes its ID", async () => {
    const clock = fakeClock();
    api = await startSlackApi({ now: clock.now });
    api.dropAnswers(1);
    const [delivery] = (await deliver(makeDay(), clock, "#papers")).fresh;
    expect(delivery).toMatchObject({ outcome: "sent" });
    expect(delivery?.error).toContain('set deliver.slack.channel to it (C…) instead of "#papers"');
  });

  it("a bot that posts without being a member: the warning says to invite it, not to add a scope", async () => {
    const clock = fakeClock();
    api = await startSlackApi({
      now: clock.now,
      member: false,
      scopes: ["chat:write", "chat:write.public", "channels:history"],
    });
    api.dropAnswers(1);
    const [delivery] = (await deliver(makeDay(), clock)).fresh;
    expect(delivery).toMatchObject({ outcome: "sent" });
    const warning = delivery?.error ?? "";
    expect(warning).toContain("not_in_channel");
    expect(warning).toContain("/invite @<your app>");
    expect(warning).not.toContain("channels:history");
    expect(warning).not.toContain("scope");
  });
});

describe("a lookup trusts only our own bot, and an answer it cannot use never means a second copy", () => {
  it("a message another app posted with our metadata is not taken for ours: ours is posted, the list under it", async () => {
    const clock = fakeClock();
    api = await startSlackApi({ now: clock.now });
    const slack = api;
    // The summary never arrives; another app, which read an earlier message's metadata, posts a copy.
    slack.dropAnswers(1, undefined, () => {
      const ours = slack.messages.pop()!;
      slack.forge(ours.metadata!);
    });
    const [delivery] = (await deliver(makeDay(), clock)).fresh;
    const summary = api.messages.find((m) => m.bot_id === "B0" && m.thread_ts === undefined);
    expect(delivery).toMatchObject({ outcome: "sent", ts: summary!.ts });
    expect(copiesOfParts(api)).toEqual([1, 1]);
    expect(api.messages.filter((m) => m.thread_ts !== undefined).map((m) => m.thread_ts)).toEqual([summary!.ts]);
    // Who our bot is was asked once, as no answer of this delivery had said.
    expect(api.calls("auth.test")).toHaveLength(1);
  });

  it("a forged copy newer than ours does not hide ours: the list goes under ours", async () => {
    const clock = fakeClock();
    api = await startSlackApi({ now: clock.now });
    const slack = api;
    slack.dropAnswers(1, undefined, () => slack.forge(slack.messages.at(-1)!.metadata!));
    const [delivery] = (await deliver(makeDay(), clock)).fresh;
    const [summary, forged, reply] = api.messages;
    expect(forged?.bot_id).toBe("B9");
    expect(delivery).toMatchObject({ outcome: "sent", ts: summary!.ts });
    expect(reply?.thread_ts).toBe(summary!.ts);
    expect(copiesOfParts(api)).toEqual([1, 1]);
  });

  it("a forged reply in the thread is not taken for ours either", async () => {
    const clock = fakeClock();
    api = await startSlackApi({ now: clock.now });
    const slack = api;
    slack.dropAnswers(
      1,
      (body) => part(body) === 2,
      () => {
        const ours = slack.messages.pop()!;
        slack.forge(ours.metadata!, ours.thread_ts);
      },
    );
    const [delivery] = (await deliver(eightyPaperDay(), clock)).fresh;
    expect(delivery).toMatchObject({ outcome: "sent" });
    expect(copiesOfParts(api)).toEqual([1, 1, 1, 1]);
  });

  it("a message of ours older than the lookup reads is not taken for the lost one", async () => {
    const clock = fakeClock();
    api = await startSlackApi({ now: clock.now, ignoreOldest: true });
    const slack = api;
    // The summary never arrives, and the read also answers with a copy from long before the delivery.
    slack.dropAnswers(1, undefined, () => {
      const ours = slack.messages.pop()!;
      slack.messages.unshift({ ...ours, ts: "1000000000.000001" });
    });
    const [delivery] = (await deliver(makeDay(), clock)).fresh;
    const summary = api.messages.at(1);
    expect(delivery).toMatchObject({ outcome: "sent", ts: summary!.ts });
    expect(api.messages.at(-1)?.thread_ts).toBe(summary!.ts);
  });

  it("a read answered ok without its messages is asked again, not taken for an empty channel", async () => {
    const clock = fakeClock();
    api = await startSlackApi({ now: clock.now });
    api.dropAnswers(1);
    api.badReads(1, "missing");
    const [delivery] = (await deliver(makeDay(), clock)).fresh;
    expect(delivery).toMatchObject({ outcome: "sent", ts: api.messages[0]!.ts });
    expect(delivery?.error).toBeUndefined();
    expect(copiesOfParts(api)).toEqual([1, 1]);
    expect(api.calls("conversations.history")).toHaveLength(2);
  });

  it("reads without their messages past the tries post nothing again: the delivery fails, unanswered", async () => {
    const clock = fakeClock();
    api = await startSlackApi({ now: clock.now });
    api.dropAnswers(1);
    api.badReads(10, "missing");
    const [record] = (await deliver(makeDay(), clock)).fresh;
    expect(record).toMatchObject({ outcome: "failed", unanswered: { part: 0 } });
    expect(record?.error).toContain("answered ok without its messages");
    expect(record?.error).toContain("was not posted again");
    expect(copiesOfParts(api)).toEqual([1]);
  });

  it("a cursor Slack gives twice stops the lookup, and the message is not posted unchecked", async () => {
    const clock = fakeClock();
    api = await startSlackApi({ now: clock.now, pageSize: 15 });
    const slack = api;
    slack.dropAnswers(1, undefined, () => slack.chatter(40));
    slack.badReads(100, "repeat-cursor");
    const [record] = (await deliver(makeDay(), clock)).fresh;
    expect(record).toMatchObject({ outcome: "failed", unanswered: { part: 0 } });
    expect(record?.error).toContain("gave the same page cursor twice");
    expect(record?.error).toContain("was not posted again");
    expect(record?.error).not.toContain("holds more than");
    expect(copiesOfParts(api)).toEqual([1]);
    expect(api.calls("conversations.history")).toHaveLength(2);
  });

  it("an answer over 5 MB is an error naming the endpoint, and the message is looked for, not posted again", async () => {
    const clock = fakeClock();
    api = await startSlackApi({ now: clock.now });
    let oversized = 1;
    const fetchImpl: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (String(input).endsWith("/chat.postMessage") && oversized-- > 0)
        return new Response(`{"ok":true,"pad":"${"x".repeat(6 * 1024 * 1024)}"}`, { status: 200 });
      return res;
    };
    const [delivery] = (await deliver(makeDay(), clock, "C0123", { fetchImpl })).fresh;
    expect(delivery).toMatchObject({ outcome: "failed", unanswered: { part: 0 } });
    expect(delivery?.error).toContain("Slack chat.postMessage answered with a body larger than 5 MB");
    // The summary went out; the next delivery looks for it before posting it.
    expect(copiesOfParts(api)).toEqual([1]);
  });
});
