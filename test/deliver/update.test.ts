/**
 * A digest that changed is delivered again: when a re-run changes the selection of a day already
 * delivered, each target gets the new digest marked as an update (a reply in the thread in Slack's
 * bot mode, "Updated: " in the email subject, `update: true` for webhooks); the same selection
 * sends nothing; and retries of earlier days never reach a target that never had them.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { Config } from "../../src/config/schema.js";
import type { EmailConfig } from "../../src/deliver/email.js";
import { deliverDay } from "../../src/deliver/index.js";
import type { DayRecord, Delivery } from "../../src/model/day-record.js";
import { makeDay, makePaper } from "../helpers/day-factory.js";
import { fakeClock } from "../helpers/fake-clock.js";
import { sendJson, startServer, type TestServer } from "../helpers/server.js";
import { type SmtpReceiver, startSmtpReceiver } from "./smtp-receiver.js";

let server: TestServer | undefined;
let smtp: SmtpReceiver | undefined;
afterEach(async () => {
  await server?.close();
  await smtp?.close();
  server = smtp = undefined;
});

/** The day as a 401 left it (nothing scored), then as the fixed re-run selects it. */
const partial = makeDay({
  status: { code: "partial", message: "2 of 2 scanned papers could not be scored." },
  papers: [
    makePaper({ id: "2602.00001", outcome: "unscored", relevance: null, novelty: null, score: null }),
    makePaper({ id: "2602.00002", outcome: "unscored", relevance: null, novelty: null, score: null }),
  ],
});
const fixed = (deliveries: Delivery[]): DayRecord =>
  makeDay({
    papers: [makePaper({ id: "2602.00001" }), makePaper({ id: "2602.00002", outcome: "rejected" })],
    deliveries,
  });

/** Delivers, and returns the day with the new outcomes appended, as the pipeline stores it. */
async function deliver(day: DayRecord, cfg: Config["deliver"], env: Record<string, string> = {}, extra = {}) {
  const fresh = await deliverDay(day, cfg, { env, clock: fakeClock(), ...extra });
  return { fresh, day: { ...day, deliveries: [...day.deliveries, ...fresh] } };
}

describe("a re-run that changes the selection", () => {
  it("webhook: posts the new digest marked as an update, once", async () => {
    server = await startServer((_req, res) => sendJson(res, 200, {}));
    const cfg: Config["deliver"] = { webhooks: [{ url: `${server.url}/hook`, headers: {}, headersEnv: {} }] };
    const first = await deliver(partial, cfg);
    expect(first.fresh).toMatchObject([{ outcome: "sent", selection: expect.any(String) }]);
    expect(first.fresh[0]?.update).toBeUndefined();
    expect(JSON.parse(server.requests[0]!.body)).toMatchObject({ update: false, papers: [] });

    const same = await deliver({ ...partial, deliveries: first.day.deliveries }, cfg);
    expect(same.fresh).toEqual([]);

    const changed = await deliver(fixed(first.day.deliveries), cfg);
    expect(changed.fresh).toMatchObject([{ outcome: "sent", update: true }]);
    expect(changed.fresh[0]?.selection).not.toBe(first.fresh[0]?.selection);
    const body = JSON.parse(server.requests[1]!.body);
    expect(body).toMatchObject({ update: true, date: "2026-02-05" });
    expect(body.papers.map((p: { id: string }) => p.id)).toEqual(["2602.00001"]);

    // Run again with that selection: nothing more is sent.
    expect((await deliver(changed.day, cfg)).fresh).toEqual([]);
    expect(server.requests).toHaveLength(2);
  });

  it("Slack bot mode: one reply in the thread saying what changed, and the parent's summary edited", async () => {
    let n = 0;
    server = await startServer((_req, res) => {
      n++;
      sendJson(res, 200, { ok: true, channel: "C0123", ts: `1762300000.00010${n}` });
    });
    const cfg: Config["deliver"] = {
      slack: {
        webhookUrlEnv: "SLACK_WEBHOOK_URL",
        botTokenEnv: "SLACK_BOT_TOKEN",
        channel: "#papers",
        apiUrl: server.url,
        top: 10,
      },
      webhooks: [],
    };
    const env = { SLACK_BOT_TOKEN: "xoxb-test-token" };
    const before = makeDay({ papers: [makePaper({ id: "2602.00001" }), makePaper({ id: "2602.00002" })] });
    const first = await deliver(before, cfg, env);
    const firstRequests = server.requests.length;
    expect(first.fresh).toMatchObject([
      { outcome: "sent", ts: "1762300000.000101", papers: ["2602.00001", "2602.00002"] },
    ]);

    const after = makeDay({
      papers: [
        makePaper({ id: "2602.00001" }),
        makePaper({ id: "2602.00002", outcome: "rejected", title: "Gone paper" }),
        makePaper({ id: "2602.00003", title: "New <b> paper" }),
      ],
      deliveries: first.day.deliveries,
    });
    const changed = await deliver(after, cfg, env);
    expect(changed.fresh).toMatchObject([{ outcome: "sent", update: true, ts: "1762300000.000101" }]);
    expect(changed.fresh[0]?.error).toBeUndefined();
    const sent = server.requests.slice(firstRequests);
    // One reply, broadcast to the channel, then the parent edited in place: no second copy of the list.
    expect(sent.map((r) => r.url)).toEqual(["/chat.postMessage", "/chat.update"]);
    const [reply, edit] = sent.map((r) => JSON.parse(r.body));
    expect(reply).toMatchObject({ thread_ts: "1762300000.000101", reply_broadcast: true, channel: "#papers" });
    expect(reply.text).toBe("arXiv digest · 2026-02-05 · Updated: 2 papers (was 2: 1 added, 1 removed)");
    const replyText = JSON.stringify(reply.blocks);
    expect(replyText).toContain("*Added (1)*");
    expect(replyText).toContain("New &lt;b&gt; paper");
    expect(replyText).toContain("*Removed (1)*");
    expect(replyText).toContain("Gone paper");
    expect(replyText).toContain("The other papers are as listed above.");
    // chat.update names the channel by the ID Slack answered with, and shows the new summary.
    expect(edit).toMatchObject({ channel: "C0123", ts: "1762300000.000101" });
    expect(edit.text).toMatch(/^updated: 2 papers · arXiv digest · 2026-02-05: /);
    expect(edit.text.match(/updated/gi)).toHaveLength(1);

    expect((await deliver(changed.day, cfg, env)).fresh).toEqual([]);
  });

  it("Slack bot mode: an update adding more papers than the reply names lists the new selection after it", async () => {
    let n = 0;
    server = await startServer((_req, res) => {
      n++;
      sendJson(res, 200, { ok: true, channel: "C0123", ts: `1762300000.00010${n}` });
    });
    const cfg: Config["deliver"] = {
      slack: { webhookUrlEnv: "W", botTokenEnv: "SLACK_BOT_TOKEN", channel: "C0123", apiUrl: server.url, top: 10 },
      webhooks: [],
    };
    const env = { SLACK_BOT_TOKEN: "xoxb-test-token" };
    const first = await deliver(partial, cfg, env);
    const many = makeDay({
      papers: Array.from({ length: 14 }, (_, i) => makePaper({ id: `2602.${String(i + 10).padStart(5, "0")}` })),
      deliveries: first.day.deliveries,
    });
    const before = server.requests.length;
    const changed = await deliver(many, cfg, env);
    expect(changed.fresh).toMatchObject([{ outcome: "sent", update: true }]);
    const sent = server.requests.slice(before);
    expect(sent.map((r) => r.url)).toEqual(["/chat.postMessage", "/chat.postMessage", "/chat.update"]);
    const [reply, list] = sent.map((r) => JSON.parse(r.body));
    expect(JSON.stringify(reply.blocks)).toContain("…and 4 more, in the new list below.");
    expect(list.thread_ts).toBe("1762300000.000101");
    expect(list.reply_broadcast).toBeUndefined();
    expect(list.text).toBe("arXiv digest · 2026-02-05 · papers 1–14 of 14");
  });

  it("Slack webhook mode: a new message marked as an update", async () => {
    server = await startServer((_req, res) => {
      res.end("ok");
    });
    const cfg: Config["deliver"] = {
      slack: { webhookUrlEnv: "SLACK_WEBHOOK_URL", botTokenEnv: "SLACK_BOT_TOKEN", apiUrl: "", top: 10 },
      webhooks: [],
    };
    const env = { SLACK_WEBHOOK_URL: `${server.url}/slack` };
    const first = await deliver(partial, cfg, env);
    const before = server.requests.length;
    const changed = await deliver(fixed(first.day.deliveries), cfg, env);
    expect(changed.fresh).toMatchObject([{ outcome: "sent", update: true }]);
    const summary = JSON.parse(server.requests[before]!.body);
    expect(summary.thread_ts).toBeUndefined();
    // Said once: "updated: 1 paper · arXiv digest · 2026-02-05: …", the header keeps "(updated)".
    expect(summary.text).toMatch(/^updated: 1 paper · arXiv digest · 2026-02-05: /);
    expect(summary.text.match(/updated/gi)).toHaveLength(1);
    expect(JSON.stringify(summary.blocks)).toContain("arXiv digest · 2026-02-05 (updated)");
  });

  it("email: a new message with the subject prefixed 'Updated: '", async () => {
    smtp = await startSmtpReceiver();
    const email: EmailConfig = {
      host: "127.0.0.1",
      port: smtp.port,
      tls: "none",
      passwordEnv: "SMTP_PASSWORD",
      from: "d@example.org",
      to: ["a@example.org"],
      top: 5,
    };
    const cfg: Config["deliver"] = { email, webhooks: [] };
    const first = await deliver(partial, cfg);
    const changed = await deliver(fixed(first.day.deliveries), cfg);
    expect(changed.fresh).toMatchObject([{ channel: "email", outcome: "sent", update: true }]);
    expect(smtp.mails).toHaveLength(2);
    expect(smtp.mails[0]!.raw).not.toMatch(/^Subject: Updated: /m);
    expect(smtp.mails[1]!.raw).toMatch(/^Subject: Updated: arXiv digest 2026-02-05/m);
    expect(smtp.mails[1]!.raw).toContain("replaces the one sent earlier");
  });

  it("sends no update for a day delivered before selections were recorded", async () => {
    server = await startServer((_req, res) => sendJson(res, 200, {}));
    const url = `${server.url}/hook`;
    const old: Delivery = {
      channel: "webhook",
      target: url,
      outcome: "sent",
      at: "2026-02-05T06:01:00.000Z",
      attempts: 1,
    };
    expect((await deliver(fixed([old]), { webhooks: [{ url, headers: {}, headersEnv: {} }] })).fresh).toEqual([]);
    expect(server.requests).toHaveLength(0);
  });
});

describe("retrying earlier days (failedOnly)", () => {
  it("retries a failed target, and never sends the day to a target added since", async () => {
    let up = false;
    server = await startServer((_req, res) => sendJson(res, up ? 200 : 500, {}));
    const a = { url: `${server.url}/a`, headers: {}, headersEnv: {} };
    const b = { url: `${server.url}/b`, headers: {}, headersEnv: {} };
    const failed = await deliver(makeDay(), { webhooks: [a] });
    expect(failed.fresh).toMatchObject([{ target: `${server.url}/a`, outcome: "failed" }]);

    up = true;
    const before = server.requests.length;
    const retried = await deliver(failed.day, { webhooks: [a, b] }, {}, { failedOnly: true });
    expect(retried.fresh.map((d) => `${d.target}:${d.outcome}`)).toEqual([`${server.url}/a:sent`]);
    expect(server.requests.slice(before).map((r) => r.url)).toEqual(["/a"]);
    // Nothing left to retry, and the new target still does not get the old day.
    expect((await deliver(retried.day, { webhooks: [a, b] }, {}, { failedOnly: true })).fresh).toEqual([]);
  });
});
