import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { COMMENT_MAX_CHARS } from "../../src/deliver/digest.js";
import { type EmailConfig, sendDigestEmail } from "../../src/deliver/email.js";
import { composeDigestEmail } from "../../src/deliver/email-content.js";
import { deliverDay } from "../../src/deliver/index.js";
import type { RetryPolicy } from "../../src/deliver/retry.js";
import { SmtpSettingsError } from "../../src/deliver/smtp-errors.js";
import { cutText } from "../../src/format/shown.js";
import type { DayRecord } from "../../src/model/day-record.js";
import { offlineScoringNote } from "../../src/model/notes.js";
import { missedDay } from "../../src/model/status.js";
import { makeDay, makePaper } from "../helpers/day-factory.js";
import { fakeClock } from "../helpers/fake-clock.js";
import { eightyPaperDay } from "./fixtures.js";
import { mimeHeader, mimeParts, type SmtpReceiver, startSmtpReceiver, TEST_CERT } from "./smtp-receiver.js";

let smtp: SmtpReceiver | undefined;
afterEach(async () => {
  await smtp?.close();
  smtp = undefined;
});

const SITE = "https://me.github.io/papers/2025/11/2025-11-05/?from=mail&x=1";
/** The site the digest belongs to, and the day's page there. */
const DAY_SITE = { url: "https://me.github.io/papers/", page: SITE };

function emailConfig(port: number, overrides: Partial<EmailConfig> = {}): EmailConfig {
  return {
    host: "127.0.0.1",
    port,
    tls: "none",
    passwordEnv: "SMTP_PASSWORD",
    from: "Digest <digest@example.org>",
    to: ["ada@example.org", "Grace Hopper <grace@example.net>"],
    top: 10,
    ...overrides,
  };
}

function retry(maxAttempts = 3): RetryPolicy & { clock: ReturnType<typeof fakeClock> } {
  return { clock: fakeClock(), maxAttempts, baseDelayMs: 5000, maxWaitMs: 60_000 };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

const digest = composeDigestEmail(eightyPaperDay(), { top: 10, site: DAY_SITE });

describe("digest email over a real SMTP server", () => {
  it("sends HTML and text parts with the top papers, escaped, to every recipient, logging in", async () => {
    smtp = await startSmtpReceiver({
      authMethods: ["PLAIN", "LOGIN"],
      allowInsecureAuth: true,
      onAuth(auth, _session, cb) {
        if (auth.username === "digest" && auth.password === "app-password-1") cb(null, { user: auth.username });
        else cb(new Error("Invalid login"));
      },
    });
    const [delivery] = await deliverDay(
      eightyPaperDay(),
      { email: emailConfig(smtp.port, { user: "digest" }), webhooks: [] },
      { env: { SMTP_PASSWORD: "app-password-1" }, site: DAY_SITE, clock: fakeClock() },
    );
    expect(delivery).toMatchObject({
      channel: "email",
      target: "ada@example.org, Grace Hopper <grace@example.net>",
      outcome: "sent",
      attempts: 1,
    });

    const [mail] = smtp.mails;
    expect(mail?.to).toEqual(["ada@example.org", "grace@example.net"]);
    expect(mail?.from).toBe("digest@example.org");
    expect(mail?.user).toBe("digest");
    expect(mimeHeader(mail!.raw, "subject")).toBe(
      "arXiv digest 2025-11-05: 80 papers picked from 391 scanned of 705 listed",
    );

    const parts = mimeParts(mail!.raw);
    expect(parts.map((p) => p.contentType)).toEqual(["text/plain", "text/html"]);
    const [text = "", html = ""] = parts.map((p) => p.body);

    expect(text).toContain("1. <script>alert('x')</script> Attention & Memory");
    expect(text).toContain("The top 10:");
    expect(text).toContain("★ Followed author: Yoshua Bengio");
    // Said once: not again as the paper's "Author match" comment, in either part.
    expect(text).not.toContain("Author match");
    expect(html).toContain("★ Followed author: Yoshua Bengio");
    expect(html).not.toContain("Author match");
    expect(text).toMatch(/^10\. /m);
    // The lines under a title start under its text: three spaces under "9. ", four under "10. ".
    expect(text).toMatch(/^9\. .*\r?\n {3}\S/m);
    expect(text).toMatch(/^10\. .*\r?\n {4}\S/m);
    expect(text).not.toMatch(/^11\. /m);
    expect(text).toContain(`All 80 papers and the day's details: ${SITE}`);

    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Attention &amp; Memory");
    expect(html).toContain("&lt;!channel&gt; Urgent");
    expect(html).toContain("Beats &lt;baseline&gt; &amp; co.");
    expect(html).toMatch(new RegExp(`<a [^>]*href="${escapeRegExp(SITE.replace(/&/g, "&amp;"))}"[^>]*>All 80 papers`));
    expect(html.match(/<a [^>]*href="https:\/\/arxiv\.org\/abs\//g)).toHaveLength(10);
    expect(html).toMatch(/<em>Relevance \d+ · Novelty \d+ · Score \d+<\/em>/);
  });

  it("marks the message as automatic and names its list, with no unsubscribe header it could not honour", async () => {
    smtp = await startSmtpReceiver();
    await sendDigestEmail(digest, emailConfig(smtp.port), { retry: retry() });
    const raw = smtp.mails[0]!.raw;
    expect(mimeHeader(raw, "auto-submitted")).toBe("auto-generated");
    expect(mimeHeader(raw, "x-auto-response-suppress")).toBe("OOF, AutoReply");
    // The host of the site the digest belongs to names the list (RFC 2919).
    expect(mimeHeader(raw, "list-id")).toBe('"arXiv digest" <arxiv-digest.me.github.io>');
    expect(mimeHeader(raw, "list-unsubscribe")).toBeUndefined();
  });

  it("lays the HTML part out for a phone, dark mode and Gmail: viewport, colour schemes, a wrapper table", async () => {
    smtp = await startSmtpReceiver();
    await sendDigestEmail(digest, emailConfig(smtp.port), { retry: retry() });
    const html = mimeParts(smtp.mails[0]!.raw).find((p) => p.contentType === "text/html")!.body;
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain('<meta name="color-scheme" content="light dark">');
    expect(html).toContain('<meta name="supported-color-schemes" content="light dark">');
    expect(html).toMatch(
      /@media \(prefers-color-scheme: dark\)\{[\s\S]*\.ad-card\{background-color:#[0-9a-f]{6}!important/,
    );
    // Gmail drops what <body> carries: the page colour, width and font sit on the wrapper tables.
    expect(html).toMatch(
      /<table role="presentation" class="ad-page" width="100%"[^>]*style="width:100%;background-color:#/,
    );
    expect(html).toMatch(
      /<table role="presentation" class="ad-card" width="100%"[^>]*style="width:100%;max-width:640px;/,
    );
    expect(html).toMatch(/<td class="ad-text" style="[^"]*font-family:-apple-system,[^"]*font-size:16px/);
    expect(html).not.toMatch(/<script|<img|<link /i);
  });

  it("cuts a long comment at the length Slack shows, in both parts", async () => {
    const long = `${"A comment that goes on. ".repeat(108)}END`;
    expect(long.length).toBeGreaterThan(2_500);
    const day = makeDay({ papers: [makePaper({ comment: long })] });
    smtp = await startSmtpReceiver();
    await sendDigestEmail(composeDigestEmail(day, { top: 10 }), emailConfig(smtp.port), { retry: retry() });
    const [text = "", html = ""] = mimeParts(smtp.mails[0]!.raw).map((p) => p.body);
    const shown = (body: string) => /(A comment that goes on\.[^<\r\n]*)/.exec(body)?.[1] ?? "";
    for (const body of [text, html]) {
      expect(shown(body).length).toBeLessThanOrEqual(COMMENT_MAX_CHARS);
      expect(shown(body).length).toBeGreaterThan(COMMENT_MAX_CHARS - 30);
      // Cut between words: what is left ends with a whole one.
      expect(shown(body)).toMatch(/ (A|comment|that|goes|on\.)…$/);
      expect(body).not.toContain("END");
    }
  });

  it("names each status in the subject as the Markdown labels it, with the count where there are papers", async () => {
    const noCounts = { entries: null, unique: null, scanned: null, selected: 0, unscored: 0 };
    const days: [DayRecord, string][] = [
      [
        makeDay({
          date: "2026-03-27",
          papers: [],
          counts: noCounts,
          status: { code: "failed", message: "The arXiv feed could not be read: HTTP 503 after 5 attempts." },
        }),
        "arXiv digest 2026-03-27: Run failed",
      ],
      [
        makeDay({ date: "2026-04-03", papers: [], counts: noCounts, status: { code: "holiday", message: "Closed." } }),
        "arXiv digest 2026-04-03: arXiv holiday",
      ],
      [
        makeDay({
          date: "2026-03-30",
          papers: [makePaper({ id: "2603.00001" }), makePaper({ id: "2603.00002" })],
          status: { code: "partial", message: "The key was refused after 3 calls: 300 papers left unscored." },
        }),
        "arXiv digest 2026-03-30: Partial digest, 2 papers picked",
      ],
      [
        makeDay({
          date: "2026-03-31",
          papers: [],
          counts: { entries: 700, unique: 690, scanned: 650, selected: 0, unscored: 0 },
          status: { code: "filtered-out", message: "No paper passed the filters." },
        }),
        "arXiv digest 2026-03-31: Nothing left after the filters",
      ],
      [
        makeDay({
          date: "2026-02-10",
          kind: "remedial",
          remedial: { from: "2026-02-09", to: "2026-02-09", generatedOn: "2026-02-11" },
        }),
        "arXiv remedial digest 2026-02-10: 1 paper picked from 1 scanned",
      ],
    ];
    smtp = await startSmtpReceiver();
    for (const [day] of days) {
      // As delivery gives it: a day the run missed has no page on the site, but is still the site's.
      const email = composeDigestEmail(day, { top: 10, site: { ...DAY_SITE, page: missedDay(day) ? null : SITE } });
      await sendDigestEmail(email, emailConfig(smtp.port), { retry: retry() });
    }
    expect(smtp.mails.map((m) => mimeHeader(m.raw, "subject"))).toEqual(days.map(([, subject]) => subject));
    // Every day is the same list's, the failed one included, so a reader's filter catches them all.
    expect(new Set(smtp.mails.map((m) => mimeHeader(m.raw, "list-id")))).toEqual(
      new Set(['"arXiv digest" <arxiv-digest.me.github.io>']),
    );

    const [failedText = "", failedHtml = ""] = mimeParts(smtp.mails[0]!.raw).map((p) => p.body);
    expect(failedText).toContain("Run failed: The arXiv feed could not be read: HTTP 503 after 5 attempts.");
    expect(failedHtml).toContain("<strong>Run failed:</strong> The arXiv feed could not be read");
    for (const body of [failedText, failedHtml]) expect(body).not.toMatch(/\b0 papers|All 0/);
    // A failed day has no page on the site: neither part links one.
    for (const body of [failedText, failedHtml]) expect(body).not.toMatch(/The day(&#39;|')s page|me\.github\.io/);
    const [filteredText = "", filteredHtml = ""] = mimeParts(smtp.mails[3]!.raw).map((p) => p.body);
    expect(filteredText).toContain("None of the 650 papers scanned was picked.");
    // An honest empty day has its page, and links it.
    expect(filteredText).toContain(`The day's page: ${SITE}`);
    expect(filteredHtml).toContain("The day&#39;s page");
  });

  it("shows the day's reader notes in both parts, never the operator's", async () => {
    const day = makeDay({
      notes: [offlineScoringNote("configured", "OPENAI_API_KEY"), "Two papers were withdrawn after the announcement."],
      operatorNotes: ["Replayed 12 answers from the response cache."],
    });
    smtp = await startSmtpReceiver();
    await sendDigestEmail(composeDigestEmail(day, { top: 10 }), emailConfig(smtp.port), { retry: retry() });
    const [text = "", html = ""] = mimeParts(smtp.mails[0]!.raw).map((p) => p.body);
    expect(text).toContain("Note: Scored offline by the free ranking: no language model was used.");
    expect(text).toContain("Note: Two papers were withdrawn after the announcement.");
    expect(html).toContain("<strong>Note:</strong> Scored offline by the free ranking: no language model was used.");
    expect(html).toContain("<strong>Note:</strong> Two papers were withdrawn after the announcement.");
    for (const body of [text, html]) {
      expect(body).not.toContain("llm.provider");
      expect(body).not.toContain("response cache");
    }
  });

  it("upgrades with STARTTLS when tls is starttls", async () => {
    smtp = await startSmtpReceiver();
    await sendDigestEmail(digest, emailConfig(smtp.port, { tls: "starttls" }), { retry: retry(), ca: TEST_CERT });
    expect(smtp.mails[0]?.secure).toBe(true);
  });

  it("speaks TLS from the first byte when tls is implicit", async () => {
    smtp = await startSmtpReceiver({ secure: true });
    await sendDigestEmail(digest, emailConfig(smtp.port, { tls: "implicit" }), { retry: retry(), ca: TEST_CERT });
    expect(smtp.mails[0]?.secure).toBe(true);
  });

  it("refuses to send a password in clear text in auto mode when the server offers no STARTTLS", async () => {
    smtp = await startSmtpReceiver({ disabledCommands: ["STARTTLS"], onAuth: (_a, _s, cb) => cb(null, { user: "u" }) });
    const promise = sendDigestEmail(digest, emailConfig(smtp.port, { tls: "auto", user: "u" }), {
      password: "p",
      retry: retry(),
      ca: TEST_CERT,
    });
    await expect(promise).rejects.toThrow(/does not offer STARTTLS/);
    expect(smtp.mails).toHaveLength(0);
  });

  it("explains implicit TLS against a STARTTLS port", async () => {
    smtp = await startSmtpReceiver();
    const promise = sendDigestEmail(digest, emailConfig(smtp.port, { tls: "implicit" }), {
      retry: retry(),
      ca: TEST_CERT,
    });
    await expect(promise).rejects.toThrow(`port ${smtp.port} expects tls: starttls`);
  });

  it("explains STARTTLS against an implicit-TLS port", async () => {
    smtp = await startSmtpReceiver({ secure: true });
    const promise = sendDigestEmail(digest, emailConfig(smtp.port, { tls: "starttls" }), {
      retry: retry(),
      ca: TEST_CERT,
      greetingTimeoutMs: 300,
    });
    await expect(promise).rejects.toThrow(`port ${smtp.port} expects tls: implicit`);
  });

  describe("a certificate the client does not accept, told apart by what is wrong with it", () => {
    /** A pair issued for mail.example.org only (test/fixtures/tls/README.md). */
    const other = {
      cert: readFileSync(new URL("../fixtures/tls/other-cert.pem", import.meta.url), "utf8"),
      key: readFileSync(new URL("../fixtures/tls/other-key.pem", import.meta.url), "utf8"),
    };
    const failure = async (promise: Promise<unknown>) =>
      promise.then(
        () => null,
        (e: unknown) => e as Error,
      );

    it("a self-signed one is not trusted, and NODE_EXTRA_CA_CERTS trusts it, whatever the TLS mode", async () => {
      for (const [secure, tls] of [
        [true, "implicit"],
        [false, "starttls"],
      ] as const) {
        smtp = await startSmtpReceiver({ secure });
        const policy = retry();
        const err = await failure(sendDigestEmail(digest, emailConfig(smtp.port, { tls }), { retry: policy }));
        await smtp.close();
        smtp = undefined;
        expect(err).toBeInstanceOf(SmtpSettingsError);
        expect(err?.message).toMatch(
          /^the TLS certificate of 127\.0\.0\.1:\d+ is not trusted \(self-signed certificate/,
        );
        expect(err?.message).toContain(
          "set NODE_EXTRA_CA_CERTS to the path of that authority's certificate (a PEM file)",
        );
        expect(err?.message).not.toContain("deliver.email.host");
        expect(policy.clock.sleeps).toEqual([]);
      }
    });

    it("one issued for another name says to set deliver.email.host to a name it lists", async () => {
      smtp = await startSmtpReceiver({ secure: true, ...other });
      const err = await failure(
        sendDigestEmail(digest, emailConfig(smtp.port, { tls: "implicit" }), { retry: retry(), ca: other.cert }),
      );
      expect(err).toBeInstanceOf(SmtpSettingsError);
      expect(err?.message).toMatch(/^the TLS certificate of 127\.0\.0\.1:\d+ is not issued for 127\.0\.0\.1 \(/);
      expect(err?.message).toContain("set deliver.email.host to a name the certificate lists");
      expect(err?.message).not.toContain("NODE_EXTRA_CA_CERTS");
    });
  });

  it("says to use an app password when the login is refused with 535", async () => {
    smtp = await startSmtpReceiver({ allowInsecureAuth: true, onAuth: (_a, _s, cb) => cb(new Error("Invalid login")) });
    const policy = retry();
    const promise = sendDigestEmail(digest, emailConfig(smtp.port, { user: "me@qq.com" }), {
      password: "account-password",
      retry: policy,
    });
    await expect(promise).rejects.toThrow(
      /rejected the login \(535 Invalid login\): check deliver\.email\.user \(me@qq\.com\) and the password in SMTP_PASSWORD.*app password or authorisation code/,
    );
    expect(policy.clock.sleeps).toEqual([]);
  });

  it("says to turn STARTTLS on when the server will not take the login in clear text, without retrying", async () => {
    smtp = await startSmtpReceiver({ onAuth: (_a, _s, cb) => cb(null, { user: "u" }) });
    const policy = retry();
    const promise = sendDigestEmail(digest, emailConfig(smtp.port, { user: "me@example.org" }), {
      password: "p",
      retry: policy,
    });
    await expect(promise).rejects.toThrow(/requires STARTTLS before the login.*set deliver\.email\.tls to starttls/);
    expect(policy.clock.sleeps).toEqual([]);
    expect(smtp.mails).toHaveLength(0);
  });

  it("retries a deferred (4xx) message with back-off, then delivers", async () => {
    let tries = 0;
    smtp = await startSmtpReceiver({
      onRcptTo(_address, _session, cb) {
        tries++;
        if (tries === 1) cb(Object.assign(new Error("Greylisted, try again later"), { responseCode: 451 }));
        else cb();
      },
    });
    const policy = retry();
    await sendDigestEmail(digest, emailConfig(smtp.port, { to: ["ada@example.org"] }), { retry: policy });
    expect(policy.clock.sleeps).toEqual([5000]);
    expect(smtp.mails).toHaveLength(1);
  });

  it("retries a refused connection and reports it after the last attempt", async () => {
    smtp = await startSmtpReceiver();
    const port = smtp.port;
    await smtp.close();
    smtp = undefined;
    const policy = retry(3);
    const promise = sendDigestEmail(digest, emailConfig(port), { retry: policy });
    await expect(promise).rejects.toThrow(
      `127.0.0.1:${port} refused the connection: check deliver.email.host and deliver.email.port. (gave up after 3 attempts)`,
    );
    expect(policy.clock.sleeps).toEqual([5000, 10_000]);
  });
});

describe("email content", () => {
  it("states the status of a day without papers and keeps the subject on one line", () => {
    const day = makeDay({
      date: "2026-02-16",
      papers: [],
      status: { code: "holiday", message: "No announcement:\narXiv is closed for Presidents' Day." },
    });
    const email = composeDigestEmail(day, { top: 10 });
    expect(email.subject).toBe("arXiv digest 2026-02-16: arXiv holiday");
    expect(email.text).toContain("arXiv holiday: No announcement:\narXiv is closed for Presidents' Day.");
    expect(email.html).toContain(
      "<strong>arXiv holiday:</strong> No announcement: arXiv is closed for Presidents&#39; Day.",
    );
    expect(email.html).not.toContain("arxiv.org/abs/");
    expect(email.text).not.toMatch(/papers picked/);
  });

  it("says which missed window a remedial day covers", () => {
    const day = makeDay({
      kind: "remedial",
      remedial: { from: "2026-03-09", to: "2026-03-12", generatedOn: "2026-03-13" },
    });
    const email = composeDigestEmail(day, { top: 10 });
    const note = "Remedial digest: papers missed from 2026-03-09 to 2026-03-12, generated on 2026-03-13.";
    expect(email.text).toContain(note);
    expect(email.html).toMatch(new RegExp(`<td class="ad-note"[^>]*>${escapeRegExp(note)}</td>`));
  });

  it("shows a title's TeX as plain Unicode text, escaped in the HTML part", () => {
    const day = makeDay({
      papers: [makePaper({ title: "$D^3$-RSMDE: 40$\\times$ Faster \\textbf{<Sampling>} \\& $x<y$" })],
    });
    const email = composeDigestEmail(day, { top: 10 });
    expect(email.text).toContain("1. D³-RSMDE: 40× Faster <Sampling> & x<y\n");
    expect(email.html).toContain(">D³-RSMDE: 40× Faster &lt;Sampling&gt; &amp; x&lt;y</a>");
  });

  it("cuts text between words, never inside a surrogate pair, and leaves short text alone", () => {
    expect(cutText("short", 10)).toBe("short");
    expect(cutText("one two three four five six", 20)).toBe("one two three four…");
    const emoji = "🤖".repeat(30);
    const cut = cutText(emoji, 10);
    expect(Array.from(cut)).toHaveLength(10);
    expect(cut).toBe(`${"🤖".repeat(9)}…`);
  });

  it("names a paper's topic by the config's title, and by the record's id for a topic no longer configured", () => {
    const day = makeDay({
      papers: [makePaper({ id: "2601.00001" }), makePaper({ id: "2601.00002", topic: "retired-topic" })],
    });
    const email = composeDigestEmail(day, { top: 10, topics: new Map([["architecture", "Model architecture"]]) });
    expect(email.text).toContain("Relevance 9 · Novelty 8 · Score 17 · Model architecture\n");
    expect(email.text).toContain("Relevance 9 · Novelty 8 · Score 17 · retired-topic\n");
    expect(email.html).toContain("<em>Relevance 9 · Novelty 8 · Score 17 · Model architecture</em>");
    expect(email.text).not.toMatch(/· architecture\n/);
  });

  it("drops a site link that is not http(s)", () => {
    const email = composeDigestEmail(makeDay(), {
      top: 10,
      site: { url: "javascript:alert(1)", page: "javascript:alert(1)" },
    });
    expect(email.html).not.toContain("javascript:");
    expect(email.text).not.toContain("javascript:");
    expect(email.listId).toBe("arxiv-digest.localhost");
  });
});
