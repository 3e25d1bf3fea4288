import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { deliverDay, type WebhookPayload } from "../../src/deliver/index.js";
import { webhookPayload } from "../../src/deliver/webhook.js";
import { plainTex } from "../../src/format/tex.js";
import { offlineScoringNote } from "../../src/model/notes.js";
import { makeDay, makePaper } from "../helpers/day-factory.js";
import { fakeClock } from "../helpers/fake-clock.js";
import { sendJson, startServer, type TestServer } from "../helpers/server.js";
import { eightyPaperDay } from "./fixtures.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("generic webhook", () => {
  it("posts the digest as JSON with the configured headers", async () => {
    server = await startServer((_req, res) => sendJson(res, 204, {}));
    const day = eightyPaperDay();
    const hook = { url: `${server.url}/digest?key=abc`, headers: { "x-digest-token": "t0k3n" }, headersEnv: {} };
    const [delivery] = await deliverDay(
      day,
      { webhooks: [hook] },
      {
        env: {},
        site: { url: "https://me.github.io/p/", page: "https://me.github.io/p/2025-11-05/" },
        clock: fakeClock(),
      },
    );

    expect(delivery).toMatchObject({
      channel: "webhook",
      target: `${server.url}/digest`,
      outcome: "sent",
      attempts: 1,
    });
    const [req] = server.requests;
    expect(req?.url).toBe("/digest?key=abc");
    expect(req?.headers["x-digest-token"]).toBe("t0k3n");
    expect(req?.headers["content-type"]).toBe("application/json; charset=utf-8");
    const payload = JSON.parse(req!.body) as WebhookPayload;
    expect(payload).toMatchObject({
      kind: "arxiv-digest.day",
      version: 1,
      update: false,
      again: false,
      remedial: null,
      notes: [],
    });
    expect(payload.date).toBe("2025-11-05");
    expect(payload.status.code).toBe("normal");
    expect(payload.counts).toEqual(day.counts);
    expect(payload.url).toBe("https://me.github.io/p/2025-11-05/");
    expect(payload.papers).toHaveLength(80);
    const first = day.papers[0]!;
    expect(payload.papers[0]).toEqual({
      id: first.id,
      title: "<script>alert('x')</script> Attention & Memory",
      plainTitle: "<script>alert('x')</script> Attention & Memory",
      authors: first.authors.map((a) => a.name),
      url: `https://arxiv.org/abs/${first.id}`,
      relevance: first.relevance,
      novelty: first.novelty,
      score: first.score,
      comment: first.comment,
      plainComment: first.comment,
      topic: null,
      authorMatch: null,
    });
    expect(payload.papers[3]?.authorMatch).toBe("Yoshua Bengio");
  });

  it("carries a remedial day's window and the reader's notes, never the operator's", () => {
    const day = makeDay({
      kind: "remedial",
      remedial: { from: "2026-03-18", to: "2026-03-20", generatedOn: "2026-03-28" },
      status: { code: "partial", message: "The key was refused after 3 calls: 300 papers left unscored." },
      notes: [
        offlineScoringNote("no-key", "OPENAI_API_KEY"),
        "The LLM budget of $0.05 (llm.budgetUsd) stopped 12 calls (12 scoring): 140 papers scored offline instead.",
      ],
      operatorNotes: ["2 LLM answers came from the response cache (no charge in this run); new calls made: 0."],
    });
    const payload = webhookPayload(day, undefined, { update: true });
    expect(payload).toMatchObject({
      kind: "arxiv-digest.day",
      version: 1,
      update: true,
      status: { code: "partial", message: "The key was refused after 3 calls: 300 papers left unscored." },
      remedial: { from: "2026-03-18", to: "2026-03-20", generatedOn: "2026-03-28" },
      notes: [
        "Scored offline by the free ranking: no language model was used.",
        "The LLM budget of $0.05 (llm.budgetUsd) stopped 12 calls (12 scoring): 140 papers scored offline instead.",
      ],
    });
    expect(JSON.stringify(payload)).not.toContain("response cache");
  });

  it("has the fields docs/config.md shows, in its order, its example included", () => {
    const docs = readFileSync(new URL("../../docs/config.md", import.meta.url), "utf8");
    const example = JSON.parse(/```json\n([\s\S]*?)\n```/.exec(docs.slice(docs.indexOf("The webhook body")))![1]!);
    const table = [...docs.matchAll(/^\| `(\w+)` \| /gm)].map((m) => m[1]);
    // The body as sent: the payload, then the delivery's idempotency key.
    const payload = {
      ...webhookPayload(makeDay(), { url: "https://me.github.io/p/", page: "https://me.github.io/p/2026/03/25/" }),
      deliveryId: "2026-03-25-0123456789abcdef",
    };
    expect(Object.keys(example)).toEqual(Object.keys(payload));
    expect(Object.keys(example.papers[0])).toEqual(Object.keys(payload.papers[0]!));
    // Each field is explained in the table after the example.
    for (const key of Object.keys(payload)) expect(table).toContain(key);
    expect(example.papers[0].plainTitle).toBe(plainTex(example.papers[0].title));
    expect(example.papers[0].plainComment).toBe(plainTex(example.papers[0].comment));
  });

  it("marks a `deliver --again` resend with again: true where the receiver had the day, never a first send", async () => {
    server = await startServer((_req, res) => sendJson(res, 204, {}));
    const a = { url: `${server.url}/a`, headers: {}, headersEnv: {} };
    const b = { url: `${server.url}/b`, headers: {}, headersEnv: {} };
    const day = makeDay();
    const first = await deliverDay(day, { webhooks: [a] }, { env: {}, clock: fakeClock() });
    expect(first).toMatchObject([{ outcome: "sent" }]);
    const again = await deliverDay(
      { ...day, deliveries: first },
      { webhooks: [a, b] },
      { env: {}, clock: fakeClock(), resend: true },
    );
    expect(again.map((d) => `${d.target}:${d.outcome}`)).toEqual([`${server.url}/a:sent`, `${server.url}/b:sent`]);
    const bodies = server.requests.map((r) => ({ path: r.url, ...(JSON.parse(r.body) as WebhookPayload) }));
    expect(bodies.map((p) => [p.path, p.again, p.update])).toEqual([
      ["/a", false, false],
      ["/a", true, false],
      ["/b", false, false],
    ]);
    // The same digest repeated, as a delivery of its own: a receiver that dropped the first by its key takes this one.
    expect(bodies[1]!.deliveryId).not.toBe(bodies[0]!.deliveryId);
    expect(bodies[1]!.version).toBe(1);
  });

  it("gives every `deliver --again` a key of its own, also after failed attempts, and its retry the same key", async () => {
    server = await startServer((_req, res) => sendJson(res, 503, {}));
    const cfg = { webhooks: [{ url: `${server.url}/hook`, headers: {}, headersEnv: {} }] };
    const keysSince = (from: number) =>
      new Set(server!.requests.slice(from).map((r) => r.headers["idempotency-key"] as string));
    let day = makeDay();
    const run = async (ctx: { resend?: true; failedOnly?: true }) => {
      const from = server!.requests.length;
      const fresh = await deliverDay(day, cfg, { env: {}, clock: fakeClock(), ...ctx });
      day = { ...day, deliveries: [...day.deliveries, ...fresh] };
      return { outcome: fresh[0]?.outcome, keys: [...keysSince(from)] };
    };
    // Every POST fails (the receiver may still have taken it): then the user asks for the day again.
    const first = await run({});
    expect(first).toMatchObject({ outcome: "failed", keys: [expect.any(String)] });
    const again = await run({ resend: true });
    expect(again).toMatchObject({ outcome: "failed", keys: [expect.any(String)] });
    expect(again.keys[0]).not.toBe(first.keys[0]);
    // The next run's retry of the `--again` carries on under its key.
    server.setHandler((_req, res) => sendJson(res, 204, {}));
    const retried = await run({ failedOnly: true });
    expect(retried).toEqual({ outcome: "sent", keys: again.keys });
    // And one more `--again` is one more delivery.
    const third = await run({ resend: true });
    expect(third.outcome).toBe("sent");
    expect([first.keys[0], again.keys[0]]).not.toContain(third.keys[0]);
  });

  it("reads a secret URL and secret headers from the environment, and names them only by their variables", async () => {
    server = await startServer((_req, res) => sendJson(res, 204, {}));
    const secretUrl = `${server.url}/api/webhooks/123/s3cr3t-path-token`;
    const hook = {
      urlEnv: "DIGEST_HOOK_URL",
      headers: { "x-plain": "shown" },
      headersEnv: { authorization: "DIGEST_HOOK_AUTH" },
    };
    const [delivery] = await deliverDay(
      makeDay(),
      { webhooks: [hook] },
      { env: { DIGEST_HOOK_URL: secretUrl, DIGEST_HOOK_AUTH: "Bearer b34rer" }, clock: fakeClock() },
    );
    expect(delivery).toMatchObject({ channel: "webhook", target: "the URL in DIGEST_HOOK_URL", outcome: "sent" });
    expect(JSON.stringify(delivery)).not.toMatch(/s3cr3t|b34rer/);
    const [req] = server.requests;
    expect(req?.url).toBe("/api/webhooks/123/s3cr3t-path-token");
    expect(req?.headers.authorization).toBe("Bearer b34rer");
    expect(req?.headers["x-plain"]).toBe("shown");

    // A variable that is not set: a failed delivery saying which one, nothing posted.
    const [missing] = await deliverDay(
      makeDay(),
      { webhooks: [hook] },
      { env: { DIGEST_HOOK_URL: secretUrl }, clock: fakeClock() },
    );
    expect(missing).toMatchObject({
      outcome: "failed",
      error: "DIGEST_HOOK_AUTH is not set; put the value of the authorization header in it.",
    });
    expect(server.requests).toHaveLength(1);
  });

  it("carries the title and the comment as written (TeX) and as plain text", () => {
    const title = "$D^3$-RSMDE: 40$\\times$ Faster with \\textbf{Bold} \\emph{ideas}";
    const comment = String.raw`Schr\"odinger's $\alpha$, \emph{na\"ive}`;
    const payload = webhookPayload(makeDay({ papers: [makePaper({ title, comment })] }));
    expect(payload.papers[0]).toMatchObject({
      title,
      plainTitle: "D³-RSMDE: 40× Faster with Bold ideas",
      comment,
      plainComment: "Schrödinger's α, naïve",
    });
    const blank = webhookPayload(makeDay({ papers: [makePaper({ comment: " " })] }));
    expect(blank.papers[0]).toMatchObject({ comment: " ", plainComment: null });
  });

  it("lists only selected papers and encodes old-scheme ids in their URL", async () => {
    server = await startServer((_req, res) => sendJson(res, 200, { ok: true }));
    const day = makeDay({
      papers: [makePaper({ id: "hep-th/9901001" }), makePaper({ id: "2602.00001", outcome: "rejected" })],
    });
    await deliverDay(
      day,
      { webhooks: [{ url: server.url, headers: {}, headersEnv: {} }] },
      { env: {}, clock: fakeClock() },
    );
    const payload = JSON.parse(server.requests[0]!.body) as WebhookPayload;
    expect(payload.papers.map((p) => p.url)).toEqual(["https://arxiv.org/abs/hep-th/9901001"]);
    expect(payload.url).toBeNull();
  });

  it("retries 503 with back-off and 429 after Retry-After", async () => {
    let n = 0;
    server = await startServer((_req, res) => {
      n++;
      if (n === 1) sendJson(res, 503, { error: "busy" });
      else if (n === 2) sendJson(res, 429, { error: "slow down" }, { "retry-after": "11" });
      else sendJson(res, 200, {});
    });
    const clock = fakeClock();
    const [delivery] = await deliverDay(
      makeDay(),
      { webhooks: [{ url: server.url, headers: {}, headersEnv: {} }] },
      { env: {}, clock },
    );
    expect(clock.sleeps).toEqual([2000, 11_000]);
    expect(delivery).toMatchObject({ outcome: "sent", attempts: 3 });
  });

  it("does not retry a 400 and records the answer", async () => {
    server = await startServer((_req, res) => sendJson(res, 400, { error: "bad field date" }));
    const clock = fakeClock();
    const [delivery] = await deliverDay(
      makeDay(),
      { webhooks: [{ url: `${server.url}/in`, headers: {}, headersEnv: {} }] },
      { env: {}, clock },
    );
    expect(delivery).toMatchObject({ outcome: "failed", attempts: 1 });
    expect(delivery?.error).toBe(`the webhook ${server.url}/in answered HTTP 400 {"error":"bad field date"}`);
    expect(clock.sleeps).toEqual([]);
  });

  it("gives up after four attempts when the server keeps failing", async () => {
    server = await startServer((_req, res) => sendJson(res, 502, {}));
    const [delivery] = await deliverDay(
      makeDay(),
      { webhooks: [{ url: server.url, headers: {}, headersEnv: {} }] },
      { env: {}, clock: fakeClock() },
    );
    expect(delivery?.outcome).toBe("failed");
    expect(delivery?.attempts).toBe(4);
    expect(delivery?.error).toContain("failed with HTTP 502 {} (gave up after 4 attempts)");
    expect(server.requests).toHaveLength(4);
  });
});
