import { afterEach, describe, expect, it } from "vitest";
import { type EmailConfig, sendDigestEmail } from "../../src/deliver/email.js";
import { composeDigestEmail } from "../../src/deliver/email-content.js";
import { deliverDay } from "../../src/deliver/index.js";
import type { RetryPolicy } from "../../src/deliver/retry.js";
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

const digest = composeDigestEmail(eightyPaperDay(), { top: 10, siteUrl: SITE });

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
      { env: { SMTP_PASSWORD: "app-password-1" }, siteUrl: SITE, clock: fakeClock() },
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
      "arXiv digest 2025-11-05: 80 papers selected from 391 scanned of 705 listed",
    );

    const parts = mimeParts(mail!.raw);
    expect(parts.map((p) => p.contentType)).toEqual(["text/plain", "text/html"]);
    const [text = "", html = ""] = parts.map((p) => p.body);

    expect(text).toContain("1. <script>alert('x')</script> Attention & Memory");
    expect(text).toContain("The top 10:");
    expect(text).toContain("★ Followed author: Yoshua Bengio");
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
    expect(html).toContain(`<a href="${SITE.replace(/&/g, "&amp;")}">All 80 papers`);
    expect(html.match(/<li /g)).toHaveLength(10);
    expect(html).toMatch(/<em>Relevance \d+ · Novelty \d+ · Score \d+<\/em>/);
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

  it("says to use an app password when the login is refused with 535", async () => {
    smtp = await startSmtpReceiver({ allowInsecureAuth: true, onAuth: (_a, _s, cb) => cb(new Error("Invalid login")) });
    const policy = retry();
    const promise = sendDigestEmail(digest, emailConfig(smtp.port, { user: "me@qq.com" }), {
      password: "account-password",
      retry: policy,
    });
    await expect(promise).rejects.toThrow(
      /rejected the login for me@qq\.com \(535 Invalid login\).*app password or authorisation code.*SMTP_PASSWORD/,
    );
    expect(policy.clock.sleeps).toEqual([]);
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
    expect(email.subject).toBe("arXiv digest 2026-02-16: holiday");
    expect(email.text).toContain("arXiv is closed for Presidents' Day.");
    expect(email.html).toContain("<strong>No announcement:\narXiv is closed for Presidents&#39; Day.</strong>");
    expect(email.html).not.toContain("<ol>");
  });

  it("says which missed window a remedial day covers", () => {
    const day = makeDay({
      kind: "remedial",
      remedial: { from: "2026-03-09", to: "2026-03-12", generatedOn: "2026-03-13" },
    });
    const email = composeDigestEmail(day, { top: 10 });
    const note = "Remedial digest: papers missed from 2026-03-09 to 2026-03-12, generated on 2026-03-13.";
    expect(email.text).toContain(note);
    expect(email.html).toContain(`<p>${note}</p>`);
  });

  it("shows a title's TeX as plain Unicode text, escaped in the HTML part", () => {
    const day = makeDay({
      papers: [makePaper({ title: "$D^3$-RSMDE: 40$\\times$ Faster \\textbf{<Sampling>} \\& $x<y$" })],
    });
    const email = composeDigestEmail(day, { top: 10 });
    expect(email.text).toContain("1. D³-RSMDE: 40× Faster <Sampling> & x<y\n");
    expect(email.html).toContain("<strong>D³-RSMDE: 40× Faster &lt;Sampling&gt; &amp; x&lt;y</strong>");
  });

  it("drops a site link that is not http(s)", () => {
    const email = composeDigestEmail(makeDay(), { top: 10, siteUrl: "javascript:alert(1)" });
    expect(email.html).not.toContain("javascript:");
    expect(email.text).not.toContain("javascript:");
  });
});
