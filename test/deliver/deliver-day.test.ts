import { afterEach, describe, expect, it } from "vitest";
import type { Config } from "../../src/config/schema.js";
import type { EmailConfig } from "../../src/deliver/email.js";
import { deliverDay, pendingDeliveries } from "../../src/deliver/index.js";
import { makeDay } from "../helpers/day-factory.js";
import { fakeClock } from "../helpers/fake-clock.js";
import { sendJson, startServer, type TestServer } from "../helpers/server.js";

import { mimeHeader, mimeParts, type SmtpReceiver, startSmtpReceiver } from "./smtp-receiver.js";

let server: TestServer | undefined;
let smtp: SmtpReceiver | undefined;
afterEach(async () => {
  await server?.close();
  await smtp?.close();
  server = smtp = undefined;
});

const SLACK = {
  webhookUrlEnv: "SLACK_WEBHOOK_URL",
  botTokenEnv: "SLACK_BOT_TOKEN",
  apiUrl: "https://slack.com/api",
  top: 10,
};
const EMAIL: EmailConfig = {
  host: "127.0.0.1",
  port: 1,
  tls: "none",
  passwordEnv: "SMTP_PASSWORD",
  from: "d@example.org",
  to: ["a@example.org"],
  top: 5,
};

describe("deliverDay", () => {
  it("records a configured channel whose secret is missing as failed, naming the variable", async () => {
    const cfg: Config["deliver"] = { slack: SLACK, email: { ...EMAIL, user: "me" }, webhooks: [] };
    // GitHub Actions passes an unset secret as an empty string.
    const deliveries = await deliverDay(makeDay(), cfg, { env: { SLACK_WEBHOOK_URL: "" }, clock: fakeClock() });
    expect(deliveries).toEqual([
      {
        channel: "slack",
        target: "not set up",
        outcome: "failed",
        at: "2026-02-05T10:00:00.000Z",
        attempts: 0,
        error:
          "neither SLACK_WEBHOOK_URL (incoming webhook) nor SLACK_BOT_TOKEN (bot token, with deliver.slack.channel) is set; set one of them in the environment or the repository secrets.",
      },
      {
        channel: "email",
        target: "a@example.org",
        outcome: "failed",
        at: "2026-02-05T10:00:00.000Z",
        attempts: 0,
        error: "SMTP_PASSWORD is not set; put the SMTP password for me in it.",
      },
    ]);
  });

  it("names the missing channel setting in bot mode, and a bad email address", async () => {
    const cfg: Config["deliver"] = {
      slack: SLACK,
      email: { ...EMAIL, to: ["a@example.org", "evil@example.org\r\nBcc: x@y.z"] },
      webhooks: [],
    };
    const [slack, email] = await deliverDay(makeDay(), cfg, { env: { SLACK_BOT_TOKEN: "xoxb-1" }, clock: fakeClock() });
    expect(slack?.error).toBe(
      "deliver.slack.channel is not set: bot mode (SLACK_BOT_TOKEN) needs the channel to post to.",
    );
    expect(email?.error).toMatch(/^deliver\.email\.to\[1\] \(".*"\) is not an email address/);
  });

  it("a URL in the bot token's variable: ignored with a warning where webhook mode is meant, refused where bot mode is", async () => {
    server = await startServer((_req, res) => sendJson(res, 200, {}));
    const env = {
      SLACK_BOT_TOKEN: "https://hooks.slack.com/services/T0/B0/s3cr3tpart",
      SLACK_WEBHOOK_URL: `${server.url}/hook`,
    };
    const ignored =
      "SLACK_BOT_TOKEN (deliver.slack.botTokenEnv) holds a URL, not a bot token (xoxb-…), and is ignored: the digest goes to the incoming webhook in SLACK_WEBHOOK_URL; leave SLACK_BOT_TOKEN unset.";
    // No channel: webhook mode, which works; the misplaced URL is said once, with the outcome.
    const [webhook] = await deliverDay(makeDay(), { slack: SLACK, webhooks: [] }, { env, clock: fakeClock() });
    expect(webhook).toMatchObject({ target: "incoming webhook", outcome: "sent", error: ignored });
    const posted = server.requests.length;
    expect(posted).toBeGreaterThan(0);
    expect(server.requests.every((r) => r.url === "/hook")).toBe(true);
    // A channel: bot mode is meant, and the URL cannot be its token.
    const [bot] = await deliverDay(makeDay(), { slack: { ...SLACK, channel: "C0123" }, webhooks: [] }, { env });
    expect(bot).toMatchObject({ target: "C0123", outcome: "failed", attempts: 0 });
    expect(bot?.error).toMatch(/^SLACK_BOT_TOKEN \(deliver\.slack\.botTokenEnv\) holds a URL, not a bot token/);
    expect(server.requests).toHaveLength(posted);
    expect(JSON.stringify([webhook, bot])).not.toContain("s3cr3tpart");
  });

  it("attempts nothing that is not configured", async () => {
    expect(await deliverDay(makeDay(), { webhooks: [] }, { env: {} })).toEqual([]);
  });

  it("never throws: an unreachable endpoint becomes a failed delivery", async () => {
    server = await startServer(() => {});
    const url = server.url;
    await server.close();
    server = undefined;
    const [delivery] = await deliverDay(
      makeDay(),
      { webhooks: [{ url, headers: {}, headersEnv: {} }] },
      { env: {}, clock: fakeClock() },
    );
    expect(delivery).toMatchObject({ outcome: "failed", attempts: 4 });
    expect(delivery?.error).toMatch(
      /^could not reach the webhook http:\/\/127\.0\.0\.1:\d+\/: connect ECONNREFUSED 127\.0\.0\.1:\d+ \(gave up after 4 attempts\)$/,
    );
  });
});

describe("pendingDeliveries", () => {
  it("retries only what failed, on the next run, until everything is sent", async () => {
    let slackUp = false;
    server = await startServer((req, res) => {
      if (req.url === "/slack" && !slackUp) sendJson(res, 500, {});
      else sendJson(res, 200, {});
    });
    smtp = await startSmtpReceiver();
    const cfg: Config["deliver"] = {
      slack: SLACK,
      email: { ...EMAIL, port: smtp.port },
      webhooks: [
        { url: `${server.url}/a`, headers: {}, headersEnv: {} },
        { url: `${server.url}/b`, headers: {}, headersEnv: {} },
      ],
    };
    const env = { SLACK_WEBHOOK_URL: `${server.url}/slack` };
    let day = makeDay();
    expect(pendingDeliveries(day, cfg, env)).toEqual(["slack", "email", "webhook"]);

    const first = await deliverDay(day, cfg, { env, clock: fakeClock() });
    expect(first.map((d) => `${d.channel}:${d.outcome}`)).toEqual([
      "slack:failed",
      "email:sent",
      "webhook:sent",
      "webhook:sent",
    ]);
    day = { ...day, deliveries: first };
    expect(pendingDeliveries(day, cfg, env)).toEqual(["slack"]);

    slackUp = true;
    const before = server.requests.length;
    const second = await deliverDay(day, cfg, { env, clock: fakeClock() });
    expect(second.map((d) => `${d.channel}:${d.target}:${d.outcome}`)).toEqual(["slack:incoming webhook:sent"]);
    expect(server.requests.slice(before).every((r) => r.url === "/slack")).toBe(true);
    expect(smtp.mails).toHaveLength(1);
    day = { ...day, deliveries: [...day.deliveries, ...second] };
    expect(pendingDeliveries(day, cfg, env)).toEqual([]);
  });

  it("treats a webhook added to the config as pending and sends only to it", async () => {
    server = await startServer((_req, res) => sendJson(res, 200, {}));
    const a = { url: `${server.url}/a`, headers: {}, headersEnv: {} };
    const b = { url: `${server.url}/b`, headers: {}, headersEnv: {} };
    const day = makeDay({
      deliveries: [
        { channel: "webhook", target: `${server.url}/a`, outcome: "sent", at: "2026-02-05T06:01:00.000Z", attempts: 1 },
      ],
    });
    expect(pendingDeliveries(day, { webhooks: [a] }, {})).toEqual([]);
    expect(pendingDeliveries(day, { webhooks: [a, b] }, {})).toEqual(["webhook"]);
    const again = await deliverDay(day, { webhooks: [a, b] }, { env: {}, clock: fakeClock() });
    expect(again.map((d) => d.target)).toEqual([`${server.url}/b`]);
    expect(server.requests.map((r) => r.url)).toEqual(["/b"]);
  });
});

describe("deliver --again", () => {
  it("says the digest is sent again where the target had it, and nothing of the kind on a first send", async () => {
    server = await startServer((_req, res) => sendJson(res, 200, {}));
    smtp = await startSmtpReceiver();
    const email = { ...EMAIL, port: smtp.port };
    const env = { SLACK_WEBHOOK_URL: `${server.url}/slack` };
    const day = makeDay();
    // Slack had the day already; the email address is new to the config.
    const first = await deliverDay(day, { slack: SLACK, webhooks: [] }, { env, clock: fakeClock() });
    expect(first).toMatchObject([{ outcome: "sent" }]);
    const heading = (n: number) =>
      (JSON.parse(server!.requests[n]!.body) as { blocks: { text: { text: string } }[] }).blocks[0]!.text.text;
    expect(heading(0)).toBe("arXiv digest · 2026-02-05");

    const before = server.requests.length;
    const again = await deliverDay(
      { ...day, deliveries: first },
      { slack: SLACK, email, webhooks: [] },
      { env, clock: fakeClock(), resend: true },
    );
    expect(again.map((d) => `${d.channel}:${d.outcome}`)).toEqual(["slack:sent", "email:sent"]);
    expect(heading(before)).toBe("arXiv digest · 2026-02-05 (sent again)");
    expect((JSON.parse(server.requests[before]!.body) as { text: string }).text).toMatch(
      /^arXiv digest · 2026-02-05 \(sent again\): /,
    );
    // The email is the address's first: no mark.
    const [mail] = smtp.mails;
    expect(mimeHeader(mail!.raw, "subject")).toMatch(/^arXiv digest 2026-02-05: /);

    const third = await deliverDay(
      { ...day, deliveries: [...first, ...again] },
      { email, webhooks: [] },
      { env, clock: fakeClock(), resend: true },
    );
    expect(third).toMatchObject([{ channel: "email", outcome: "sent" }]);
    const resent = smtp.mails[1]!;
    expect(mimeHeader(resent.raw, "subject")).toMatch(/^arXiv digest 2026-02-05 \(sent again\): /);
    const html = mimeParts(resent.raw).find((p) => p.contentType === "text/html")?.body ?? "";
    expect(html).toContain("arXiv digest · 2026-02-05 (sent again)</h1>");
  });
});
