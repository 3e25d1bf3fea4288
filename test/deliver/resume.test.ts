/**
 * A delivery that fails part-way resumes where it stopped: Slack's webhook mode posts the messages
 * not yet posted (never the summary again), bot mode continues the same thread; the record says
 * what went out. A generic webhook's idempotency key stays the same across retries of one delivery.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { Config } from "../../src/config/schema.js";
import { deliverDay } from "../../src/deliver/index.js";
import type { DayRecord } from "../../src/model/day-record.js";
import { makeDay, makePaper } from "../helpers/day-factory.js";
import { fakeClock } from "../helpers/fake-clock.js";
import { sendJson, startServer, type TestServer } from "../helpers/server.js";
import { eightyPaperDay, slackConfig } from "./fixtures.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Delivers, and returns the day with the new outcomes appended, as the pipeline stores it. */
async function deliver(day: DayRecord, cfg: Config["deliver"], env: Record<string, string>, extra = {}) {
  const fresh = await deliverDay(day, cfg, { env, clock: fakeClock(), ...extra });
  return { fresh, day: { ...day, deliveries: [...day.deliveries, ...fresh] } };
}

const texts = (server: TestServer, from = 0) =>
  server.requests.slice(from).map((r) => (JSON.parse(r.body) as { text: string }).text);

describe("a Slack digest that failed part-way", () => {
  it("webhook mode: the retry posts the messages not yet posted, never the summary again", async () => {
    // The summary goes out, then the first list message fails on every attempt.
    let down = true;
    server = await startServer((_req, res) => {
      if (down && server!.requests.length > 1) {
        res.writeHead(500);
        res.end("boom");
        return;
      }
      res.end("ok");
    });
    const env = { SLACK_WEBHOOK_URL: `${server.url}/slack/hook` };
    const day = eightyPaperDay();
    const failed = await deliver(day, slackConfig(server.url), env);
    const [record] = failed.fresh;
    expect(record).toMatchObject({ outcome: "failed", posted: { messages: 1 }, selection: expect.any(String) });
    const of = record!.posted!.of;
    expect(of).toBeGreaterThanOrEqual(3);
    expect(record?.error).toMatch(
      /^the summary was posted \(1 of \d+ messages\), and the next delivery posts the rest; papers 1–\d+ of 80 failed: the Slack webhook failed with HTTP 500 boom \(gave up after 4 attempts\)/,
    );
    expect(texts(server).filter((t) => t.startsWith("arXiv digest · 2025-11-05:"))).toHaveLength(1);

    down = false;
    const before = server.requests.length;
    const resumed = await deliver(failed.day, slackConfig(server.url), env, { failedOnly: true });
    expect(resumed.fresh).toMatchObject([{ outcome: "sent", attempts: 1, selection: record!.selection }]);
    expect(resumed.fresh[0]?.update).toBeUndefined();
    const sent = texts(server, before);
    // Exactly the list messages, from papers 1 on: no second summary.
    expect(sent).toHaveLength(of - 1);
    expect(sent[0]).toMatch(/^arXiv digest · 2025-11-05 · papers 1–\d+ of 80$/);
    expect(sent.at(-1)).toMatch(/^arXiv digest · 2025-11-05 · papers \d+–80 of 80$/);
    // Done: nothing more to send.
    expect((await deliver(resumed.day, slackConfig(server.url), env)).fresh).toEqual([]);
  });

  it("bot mode: the retry continues the same thread, and the record kept the summary's ts", async () => {
    let n = 0;
    let failFrom = 3;
    server = await startServer((_req, res) => {
      n++;
      if (n >= failFrom) return sendJson(res, 500, { ok: false, error: "internal_error" });
      sendJson(res, 200, { ok: true, channel: "C1", ts: `1700000000.00000${n}` });
    });
    const env = { SLACK_BOT_TOKEN: "xoxb-1" };
    const failed = await deliver(eightyPaperDay(), slackConfig(server.url, "C1"), env);
    const [record] = failed.fresh;
    expect(record).toMatchObject({ outcome: "failed", ts: "1700000000.000001", posted: { messages: 2 } });
    expect(record?.error).toMatch(/^the summary and papers 1–\d+ of 80 were posted \(2 of \d+ messages\)/);

    failFrom = Number.POSITIVE_INFINITY;
    const before = server.requests.length;
    const resumed = await deliver(failed.day, slackConfig(server.url, "C1"), env);
    expect(resumed.fresh).toMatchObject([{ outcome: "sent", ts: "1700000000.000001" }]);
    const bodies = server.requests.slice(before).map((r) => JSON.parse(r.body));
    expect(bodies.length).toBe(record!.posted!.of - 2);
    // Every message a reply in the first thread; none a new top-level summary.
    expect(bodies.every((b) => b.thread_ts === "1700000000.000001")).toBe(true);
    expect(bodies[0].text).toMatch(/^arXiv digest · 2025-11-05 · papers \d+–\d+ of 80$/);
    expect(bodies.at(-1).text).toMatch(/papers \d+–80 of 80$/);
  });

  it("a selection changed since the part-way failure is an update, in the same thread", async () => {
    let n = 0;
    let fail = true;
    server = await startServer((_req, res) => {
      n++;
      if (fail && n >= 2) return sendJson(res, 200, { ok: false, error: "msg_too_long" });
      sendJson(res, 200, { ok: true, channel: "C1", ts: `1700000000.00000${n}` });
    });
    const env = { SLACK_BOT_TOKEN: "xoxb-1" };
    const first = await deliver(makeDay(), slackConfig(server.url, "C1"), env);
    expect(first.fresh).toMatchObject([{ outcome: "failed", posted: { messages: 1, of: 2 } }]);
    fail = false;
    const changed = makeDay({
      papers: [makePaper({ id: "2602.00009", title: "Another paper" })],
      deliveries: first.day.deliveries,
    });
    const before = server.requests.length;
    const update = await deliver(changed, slackConfig(server.url, "C1"), env);
    expect(update.fresh).toMatchObject([{ outcome: "sent", update: true, ts: "1700000000.000001" }]);
    const sent = server.requests.slice(before);
    // The thread never got its list, so the list follows the reply.
    expect(sent.map((r) => r.url)).toEqual(["/chat.postMessage", "/chat.postMessage", "/chat.update"]);
    expect(sent.slice(0, 2).every((r) => JSON.parse(r.body).thread_ts === "1700000000.000001")).toBe(true);
  });
});

describe("a generic webhook's idempotency key", () => {
  it("is the same on a retry after a timeout and on the next run's retry, and new for an update", async () => {
    server = await startServer((_req, res) => sendJson(res, 500, {}));
    const cfg: Config["deliver"] = { webhooks: [{ url: `${server.url}/hook`, headers: {}, headersEnv: {} }] };
    // The first POST reaches the receiver, but its answer is lost (a timeout, as the client sees it).
    let calls = 0;
    const fetchImpl: typeof fetch = async (input, init) => {
      calls++;
      const res = await fetch(input, init);
      if (calls === 1)
        throw Object.assign(new Error("The operation was aborted due to timeout"), { name: "TimeoutError" });
      return res;
    };
    const failed = await deliver(makeDay(), cfg, {}, { fetchImpl });
    expect(failed.fresh).toMatchObject([{ outcome: "failed", attempts: 4 }]);
    server.setHandler((_req, res) => sendJson(res, 200, { ok: true }));
    const retried = await deliver(failed.day, cfg, {}, { failedOnly: true });
    expect(retried.fresh).toMatchObject([{ outcome: "sent" }]);

    const keys = server.requests.map((r) => r.headers["idempotency-key"]);
    expect(keys).toHaveLength(5);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^2026-02-05-[0-9a-f]{16}$/);
    const bodies = server.requests.map((r) => JSON.parse(r.body));
    expect(bodies.every((b) => b.deliveryId === keys[0])).toBe(true);
    expect(server.requests[0]?.headers["user-agent"]).toMatch(/^arxiv-digest\/\d+\.\d+\.\d+/);

    // A changed selection is another delivery, with another key.
    const changed = makeDay({ papers: [makePaper({ id: "2602.00042" })], deliveries: retried.day.deliveries });
    await deliver(changed, cfg, {});
    const updateKey = server.requests.at(-1)?.headers["idempotency-key"];
    expect(updateKey).toMatch(/^2026-02-05-/);
    expect(updateKey).not.toBe(keys[0]);
  });
});
