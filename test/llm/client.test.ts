import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { tokensOf } from "../../src/llm/batch.js";
import { promptTokensOf } from "../../src/llm/budget.js";
import { createResponseCache } from "../../src/llm/cache.js";
import {
  type ChatMessage,
  type ChatRequest,
  createChatClient,
  isReasoningModel,
  type ModelCheck,
  requestOptions,
} from "../../src/llm/client.js";
import { BudgetReachedError, LlmCallError, LlmFatalError } from "../../src/llm/errors.js";
import { UsageMeter } from "../../src/llm/usage.js";
import { testConfig } from "../helpers/config.js";
import { fakeClock } from "../helpers/fake-clock.js";
import {
  type ChatBody,
  type OpenAiServer,
  type OpenAiServerOptions,
  startOpenAiServer,
} from "../helpers/openai-server.js";

let server: OpenAiServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

const request = (ids: string[], stage = "scoring"): ChatRequest => ({
  stage,
  model: "gpt-5",
  messages: [
    { role: "system", content: "You screen papers." },
    { role: "user", content: `## Papers\n\n${ids.map((id) => `${id} | t | a`).join("\n")}` },
  ],
  schema: { name: "paper_scores", schema: { type: "object" } },
  estimatedTokens: 100,
  usualTokens: { promptTokens: 60, cachedPromptTokens: 0, completionTokens: 40 },
  maxCompletionTokens: 300,
});

async function setup(
  serverOptions: OpenAiServerOptions,
  llm: NonNullable<Parameters<typeof testConfig>[0]>["llm"] = {},
  cacheDir: string | null = null,
) {
  server = await startOpenAiServer(serverOptions);
  const clock = fakeClock();
  const meter = new UsageMeter();
  const config = testConfig({ llm: { baseUrl: `${server.url}/v1`, ...llm } });
  const client = createChatClient({
    llm: config.llm,
    baseUrl: config.llm.baseUrl,
    apiKey: "sk-test",
    cache: createResponseCache(cacheDir),
    meter,
    clock,
    retries: 2,
  });
  return { client, clock, meter, server };
}

describe("chat client", () => {
  it("sends the key, model, options and JSON-schema response format, and records usage", async () => {
    const { client, meter, server } = await setup(
      { usage: { prompt: 1000, completion: 100, cached: 400 } },
      { options: { temperature: 0.2 }, modelOptions: { "gpt-5": { reasoningEffort: "low", maxTokens: 4000 } } },
    );
    const reply = await client.complete(request(["2602.04119"]));
    expect(JSON.parse(reply.content).papers[0].id).toBe("2602.04119");
    expect(reply).toMatchObject({
      promptTokens: 1000,
      cachedPromptTokens: 400,
      completionTokens: 100,
      replayed: false,
    });
    expect(server.requests[0]!.headers.authorization).toBe("Bearer sk-test");
    const body = server.chats()[0]!;
    expect(body).toMatchObject({
      model: "gpt-5",
      temperature: 0.2,
      reasoning_effort: "low",
      max_completion_tokens: 4000,
    });
    expect(body.response_format).toMatchObject({
      type: "json_schema",
      json_schema: { name: "paper_scores", strict: true },
    });
    expect(meter.summary("gpt-5").stages.scoring).toMatchObject({
      calls: 1,
      promptTokens: 1000,
      cachedPromptTokens: 400,
    });
  });

  it("names the token limit max_completion_tokens for api.openai.com and reasoning models, max_tokens elsewhere", () => {
    const llm = testConfig({ llm: { options: { maxTokens: 500 }, modelOptions: { o3: { temperature: 1 } } } }).llm;
    expect(requestOptions(llm, "gpt-5", true)).toEqual({ max_completion_tokens: 500, reasoning_effort: "low" });
    expect(requestOptions(llm, "o3", false)).toEqual({
      max_completion_tokens: 500,
      temperature: 1,
      reasoning_effort: "low",
    });
    expect(requestOptions(llm, "deepseek-chat", false)).toEqual({ max_tokens: 500 });
  });

  it("gives reasoning models a low effort by default, accepts none, and caps the answer by the batch", () => {
    const llm = testConfig().llm;
    expect(isReasoningModel("gpt-5-mini")).toBe(true);
    expect(isReasoningModel("openai/o4-mini")).toBe(true);
    expect(isReasoningModel("gpt-5-chat-latest")).toBe(false);
    expect(isReasoningModel("gpt-4.1-mini")).toBe(false);
    expect(requestOptions(llm, "gpt-5-mini", true, 1000)).toEqual({
      reasoning_effort: "low",
      max_completion_tokens: 1000 + 2048,
    });
    const none = testConfig({ llm: { options: { reasoningEffort: "none" } } }).llm;
    expect(requestOptions(none, "gpt-5.1", true, 1000)).toEqual({
      reasoning_effort: "none",
      max_completion_tokens: 1000,
    });
    expect(requestOptions(llm, "gpt-4.1-mini", true, 1000)).toEqual({ max_completion_tokens: 1000 });
    expect(requestOptions(llm, "deepseek-chat", false, 1000)).toEqual({ max_tokens: 1000 });
  });

  it("checks the key with one free GET /models, then keeps llm.concurrency calls open from the first", async () => {
    const { client, server } = await setup({ mode: "slow", latencyMs: 150 }, { concurrency: 3 });
    const ids = Array.from({ length: 9 }, (_, i) => `2602.0000${i}`);
    await Promise.all(ids.map((id) => client.complete(request([id]))));
    expect(server.requests[0]).toMatchObject({ method: "GET", url: "/v1/models" });
    expect(server.requests[0]!.headers.authorization).toBe("Bearer sk-test");
    expect(server.modelListings()).toBe(1);
    expect(server.chats()).toHaveLength(9);
    expect(server.peakConcurrency()).toBe(3);
    // No first-call gate: the first three requests were open together.
    expect(server.openAtArrival().slice(0, 3)).toEqual([1, 2, 3]);
  });

  it.each([
    ["has no model list (404)", { models: "missing" }],
    ["refuses a restricted key the list (403)", { models: "forbidden" }],
    ["does not list the model", { models: ["gpt-4o"] }],
  ] as const)("keeps llm.concurrency calls open from the first when the endpoint %s", async (_what, models) => {
    const { client, server } = await setup({ mode: "slow", latencyMs: 150, ...models }, { concurrency: 3 });
    const ids = Array.from({ length: 9 }, (_, i) => `2602.0000${i}`);
    await Promise.all(ids.map((id) => client.complete(request([id]))));
    expect(server.modelListings()).toBe(1);
    expect(server.chats()).toHaveLength(9);
    expect(server.peakConcurrency()).toBe(3);
    // No first-call gate: a refused request is not billed, so nothing is held back to prove the key.
    expect(server.openAtArrival().slice(0, 3)).toEqual([1, 2, 3]);
  });

  it("sends one call at a time while the endpoint has answered nothing, then llm.concurrency", async () => {
    // The model list answers 503: the endpoint may be down, so the first call goes alone to find out.
    const { client, server } = await setup({ mode: "slow", latencyMs: 150, models: "down" }, { concurrency: 3 });
    const ids = Array.from({ length: 9 }, (_, i) => `2602.0000${i}`);
    await Promise.all(ids.map((id) => client.complete(request([id]))));
    expect(server.chats()).toHaveLength(9);
    // The second request found the first one already answered; then three at a time.
    expect(server.openAtArrival().slice(0, 2)).toEqual([1, 1]);
    expect(server.peakConcurrency()).toBe(3);
  });

  it("holds the calls 1.5 s at most for a slow model list, then lets the rest go when it answers", async () => {
    // The list answers after 2.5 s; a chat call takes 3 s.
    const { client, server } = await setup(
      { mode: "slow", latencyMs: 3000, modelsDelayMs: 2500 },
      { concurrency: 3, timeoutSeconds: 30 },
    );
    const ids = ["2602.00001", "2602.00002", "2602.00003"];
    await Promise.all(ids.map((id) => client.complete(request([id]))));
    expect(server.chats()).toHaveLength(3);
    // The first call went alone before the list came; the others, when it came, joined it.
    expect(server.listingsOpenAtArrival()).toEqual([1, 0, 0]);
    expect(server.openAtArrival()).toEqual([1, 2, 3]);
  }, 30_000);

  it("goes ahead without the key check when the model list does not answer", async () => {
    const { client, server } = await setup({ latencyMs: 0 }, { timeoutSeconds: 0.3 });
    const handle = server.requests; // the recorded requests stay with the server
    server.setHandler((req, res) => {
      if (req.url.endsWith("/models")) return; // hangs: the check times out
      res.writeHead(500).end();
    });
    const error = await client.complete(request(["2602.00001"])).catch((e: unknown) => e);
    expect(handle[0]).toMatchObject({ method: "GET", url: "/v1/models" });
    // The call was still made (and failed on its own terms), not refused by the check.
    expect(error).toBeInstanceOf(LlmCallError);
    expect(handle.filter((r) => r.url.endsWith("/chat/completions")).length).toBeGreaterThan(0);
  });

  it("retries a 429 after the Retry-After the server asked for", async () => {
    const { client, clock, server } = await setup({ mode: (n) => (n < 2 ? "rate-limit" : "correct"), retryAfter: "7" });
    await client.complete(request(["2602.04119"]));
    expect(server.chats()).toHaveLength(3);
    expect(clock.sleeps).toEqual([7000, 7000]);
  });

  it("retries an HTTP 200 that carries an error instead of a completion, as a gateway sends an upstream failure", async () => {
    const { client, server: first } = await setup({ mode: (n) => (n === 0 ? "error-body" : "correct") });
    const reply = await client.complete(request(["2602.04119"]));
    expect(JSON.parse(reply.content).papers[0].id).toBe("2602.04119");
    expect(first.chats()).toHaveLength(2);
    await first.close();
    const { client: failing } = await setup({ mode: "error-body" });
    const error = await failing.complete(request(["2602.04119"])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmCallError);
    expect((error as Error).message).toContain(
      'answered HTTP 200 without a completion: its body says "Provider returned error"',
    );
  });

  it("gives a model that thought its answer cap away more room for the calls after", async () => {
    const { client, server } = await setup({ mode: (n) => (n === 0 ? "thought-out" : "correct") });
    const cut = await client.complete(request(["2602.04119"]));
    expect(cut).toMatchObject({ content: "", finishReason: "length" });
    await client.complete(request(["2602.04119", "2602.04120"]));
    const caps = server.chats().map((b) => Number(b.max_completion_tokens ?? b.max_tokens));
    // gpt-5 is a known reasoning model (2,048 tokens of allowance at "low"); it needed more: +2,048.
    expect(caps).toEqual([300 + 2048, 300 + 2048 + 2048]);
  });

  it("keeps the cap of a model whose cut answer was all answer (a runaway, not thinking)", async () => {
    const { client, server } = await setup({ mode: (n) => (n === 0 ? "truncated" : "correct") });
    await client.complete(request(["2602.04119"]));
    await client.complete(request(["2602.04119"]));
    const caps = server.chats().map((b) => Number(b.max_completion_tokens ?? b.max_tokens));
    expect(caps[1]).toBe(caps[0]);
  });

  it("counts an answer without token counts as such, not as free", async () => {
    const { client, meter } = await setup({ usage: "omit" });
    const reply = await client.complete(request(["2602.04119"]));
    // The reply says so too, so a stage keeps no zero share with its verdicts.
    expect(reply.usageMissing).toBe(true);
    expect(meter.callsWithoutUsage).toBe(1);
    expect(meter.summary("gpt-5").calls).toEqual([expect.objectContaining({ usageMissing: true, promptTokens: 0 })]);
  });

  it("keeps in the response cache that an answer came without token counts: its replay says so too, and is estimated", async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), "llm-client-cache-"));
    const { client, meter } = await setup({ usage: "omit" }, {}, cacheDir);
    await client.complete(request(["2602.04119"]));
    const replayed = await client.complete(request(["2602.04119"]));
    expect(replayed).toMatchObject({ replayed: true, usageMissing: true, promptTokens: 0 });
    expect(server!.chats()).toHaveLength(1);
    // Only the paid one is missing from what the run spent; both are counted at the request's estimate.
    expect(meter.callsWithoutUsage).toBe(1);
    expect(meter.summary("gpt-5").calls).toEqual([
      expect.objectContaining({ replayed: false, usageMissing: true }),
      expect.objectContaining({ replayed: true, usageMissing: true }),
    ]);
    const estimate = { stage: "scoring", model: "gpt-5", ...request([]).usualTokens };
    expect(meter.estimatedCalls()).toEqual([estimate, estimate]);
  });

  it("retries 5xx with growing back-off, then gives up with a message naming the endpoint", async () => {
    const { client, clock, server } = await setup({ mode: "server-error" });
    const error = await client.complete(request(["2602.04119"])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmCallError);
    expect((error as Error).message).toContain(`the LLM endpoint ${server.url}/v1 (model gpt-5) answered HTTP 500`);
    expect((error as Error).message).toContain("gave up after 3 tries");
    expect(server.chats()).toHaveLength(3);
    expect(clock.sleeps).toEqual([1000, 2000]);
  });

  it("stops calling an endpoint after three calls in a row failed all their tries", async () => {
    const { client, server } = await setup({ mode: "server-error" }, { concurrency: 1 });
    const results = await Promise.allSettled([1, 2, 3, 4].map((n) => client.complete(request([`2602.0000${n}`]))));
    const errors = results.map((r) => (r as PromiseRejectedResult).reason as Error);
    expect(errors.map((e) => e.constructor)).toEqual([LlmCallError, LlmCallError, LlmFatalError, LlmFatalError]);
    expect(errors[3]!.message).toMatch(/3 calls in a row failed like this, so no more calls are made in this run/);
    expect(server.chats()).toHaveLength(9);
  });

  it("gives up on a hung request after the timeout and tries again", async () => {
    const { client, server } = await setup(
      { mode: (n) => (n === 0 ? "hang" : "correct") },
      // The 1 s back-off must fit in the call's deadline (3 × 0.3 s by default).
      { timeoutSeconds: 0.3, callDeadlineSeconds: 5 },
    );
    const reply = await client.complete(request(["2602.04119"]));
    expect(JSON.parse(reply.content).papers).toHaveLength(1);
    expect(server.chats()).toHaveLength(2);
  });

  it.each([
    // A bad key is found by the free model list: no chat request at all.
    ["unauthorized", {}, 0, "HTTP 401", "OPENAI_API_KEY"],
    // Where the endpoint has no model list, the calls already open find it (none is billed).
    ["unauthorized", { models: "missing" }, 3, "HTTP 401", "OPENAI_API_KEY"],
    // An exhausted quota shows only on a chat call; those already open fail with it (none is billed).
    ["insufficient-quota", {}, 3, "quota is exhausted", "Add credit"],
    ["insufficient-quota", { models: "missing" }, 3, "quota is exhausted", "Add credit"],
  ] as const)(
    "fails fast on %s %j with %i chat requests, even with calls in parallel",
    async (mode, models, chats, what, advice) => {
      const { client, server } = await setup({ mode, ...models }, { concurrency: 4 });
      const results = await Promise.allSettled(
        ["2602.00001", "2602.00002", "2602.00003"].map((id) => client.complete(request([id]))),
      );
      expect(server.modelListings()).toBe(1);
      expect(server.chats()).toHaveLength(chats);
      for (const r of results) {
        expect(r.status).toBe("rejected");
        const reason = (r as PromiseRejectedResult).reason as Error;
        expect(reason).toBeInstanceOf(LlmFatalError);
        expect(reason.message).toContain(what);
        expect(reason.message).toContain(advice);
      }
    },
  );

  it("sends no call after the first refusal that cannot be cured, where no model list found it first", async () => {
    const { client, server } = await setup({ mode: "unauthorized", models: "missing" }, { concurrency: 2 });
    const ids = Array.from({ length: 6 }, (_, i) => `2602.0000${i}`);
    const results = await Promise.allSettled(ids.map((id) => client.complete(request([id]))));
    // The two calls open together met the refusal; the four queued behind them were never sent.
    expect(server.chats()).toHaveLength(2);
    for (const r of results) {
      expect(r.status).toBe("rejected");
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(LlmFatalError);
    }
  });

  it("steps down to a JSON object when the endpoint rejects JSON schema, once for the whole run", async () => {
    const { client, server } = await setup({ mode: "reject-response-format" });
    await client.complete(request(["2602.00001"]));
    await client.complete(request(["2602.00002"]));
    expect(server.chats().map((b) => b.response_format?.type)).toEqual(["json_schema", "json_object", "json_object"]);
    expect(client.format).toBe("json_object");
  });

  it("treats a rejected response format as fatal when structured output is forced on", async () => {
    const { client, server } = await setup({ mode: "reject-response-format" }, { structuredOutput: "on" });
    await expect(client.complete(request(["2602.00001"]))).rejects.toThrow(/rejected the response format/);
    expect(server.chats()).toHaveLength(1);
  });

  it("sends no response format when structured output is off", async () => {
    const { client, server } = await setup({}, { structuredOutput: "off" });
    await client.complete(request(["2602.00001"]));
    expect(server.chats()[0]!.response_format).toBeUndefined();
  });

  it("replays a cached answer without a request, also after a format step-down in an earlier run", async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), "client-cache-"));
    const first = await setup({ mode: "reject-response-format" }, {}, cacheDir);
    await first.client.complete(request(["2602.00001"]));
    await first.server.close();
    const second = await setup({ mode: "reject-response-format" }, {}, cacheDir);
    const reply = await second.client.complete(request(["2602.00001"]));
    expect(reply.replayed).toBe(true);
    expect(second.server.chats()).toHaveLength(0);
    expect(second.meter.counts).toEqual({ paid: 0, replayed: 1 });
  });

  describe("llm.budgetUsd", () => {
    /** Usage as the endpoint would bill the worst case: every prompt token, and the whole answer cap. */
    const worstUsage = (body: ChatBody) => ({
      prompt: promptTokensOf(body.messages as ChatMessage[], body.response_format),
      completion: Number(body.max_completion_tokens ?? body.max_tokens),
      cached: 0,
    });
    /** Usage as o200k counts the prompt and the reply actually given. */
    const realUsage = (body: ChatBody, reply: string) => ({
      prompt: promptTokensOf(body.messages as ChatMessage[], body.response_format),
      completion: tokensOf(reply),
      cached: 0,
    });
    const FIVE = ["2602.00001", "2602.00002", "2602.00003", "2602.00004", "2602.00005"];
    /** The worst case of one of the five calls (all the same size), as the client reserves it for gpt-5. */
    async function worstOfOne(): Promise<number> {
      const probe = await setup({ usage: worstUsage }, { concurrency: 1 });
      await probe.client.complete(request([FIVE[0]!]));
      const cost = probe.meter.spentUsd;
      await probe.server.close();
      return cost;
    }

    it("lets out only the calls whose worst case fits: 2 of 5, and never spends more than the budget", async () => {
      const worst = await worstOfOne();
      const budgetUsd = 2.5 * worst;
      const { client, meter, server } = await setup(
        { usage: worstUsage, latencyMs: 100 },
        { budgetUsd, concurrency: 8 },
      );
      const results = await Promise.allSettled(FIVE.map((id) => client.complete(request([id]))));
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(2);
      for (const r of results.filter((r) => r.status === "rejected")) {
        expect((r as PromiseRejectedResult).reason).toBeInstanceOf(BudgetReachedError);
        expect((r as PromiseRejectedResult).reason.message).toBe(`LLM budget of $${budgetUsd} reached`);
      }
      expect(server.chats()).toHaveLength(2);
      expect(server.peakConcurrency()).toBe(2);
      expect(meter.spentUsd).toBeLessThanOrEqual(budgetUsd);
      expect(meter.budgetStops).toEqual(new Map([["scoring", 3]]));
    });

    it("gives a call's hold back when it ends, so later calls fit what the cheap ones left", async () => {
      const worst = await worstOfOne();
      const budgetUsd = 2.5 * worst;
      const { client, meter, server } = await setup(
        { usage: realUsage, latencyMs: 100 },
        { budgetUsd, concurrency: 8 },
      );
      await Promise.all(FIVE.map((id) => client.complete(request([id]))));
      // Never more than two worst cases out at once; each answer cost far less, so all five went.
      expect(server.chats()).toHaveLength(5);
      expect(Math.max(...server.openAtArrival())).toBeLessThanOrEqual(2);
      expect(meter.spentUsd).toBeLessThanOrEqual(budgetUsd);
      expect(meter.budgetStops.size).toBe(0);
    });

    it("changes nothing when the budget is ample: every call at llm.concurrency", async () => {
      const { client, server } = await setup({ usage: realUsage, latencyMs: 100 }, { budgetUsd: 100, concurrency: 8 });
      await Promise.all(FIVE.map((id) => client.complete(request([id]))));
      expect(server.chats()).toHaveLength(5);
      expect(server.openAtArrival()).toEqual([1, 2, 3, 4, 5]);
    });

    it("sends nothing at a budget of 0, not even the key check, but replays cached answers", async () => {
      const cacheDir = await mkdtemp(join(tmpdir(), "client-budget-"));
      const first = await setup({}, {}, cacheDir);
      await first.client.complete(request([FIVE[0]!]));
      await first.server.close();
      const { client, meter, server } = await setup({}, { budgetUsd: 0, concurrency: 8 }, cacheDir);
      const results = await Promise.allSettled(FIVE.map((id) => client.complete(request([id]))));
      expect(results[0]).toMatchObject({ status: "fulfilled", value: { replayed: true } });
      for (const r of results.slice(1)) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(BudgetReachedError);
      expect(server.requests).toHaveLength(0);
      expect(meter.budgetStops).toEqual(new Map([["scoring", 4]]));
    });

    it("holds a retry's worst case too; an attempt refused with an error status costs nothing", async () => {
      const worst = await worstOfOne();
      const { client, server } = await setup(
        { usage: worstUsage, mode: (n) => (n === 0 ? "server-error" : "correct") },
        { budgetUsd: 1.5 * worst },
      );
      await client.complete(request([FIVE[0]!]));
      expect(server.chats()).toHaveLength(2);
    });

    it("counts an attempt that got no answer at its worst case: it may have been billed", async () => {
      const worst = await worstOfOne();
      const { client, meter, server } = await setup(
        { usage: worstUsage, mode: (n) => (n === 0 ? "hang" : "correct") },
        { budgetUsd: 1.5 * worst, timeoutSeconds: 0.3, callDeadlineSeconds: 5 },
      );
      const error = await client.complete(request([FIVE[0]!])).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BudgetReachedError);
      expect(server.chats()).toHaveLength(1);
      expect(meter.unconfirmedUsd).toBeCloseTo(worst, 10);
    });

    it("cannot limit a model without a price: its calls go, as before", async () => {
      const { client, server } = await setup({}, { budgetUsd: 0, model: "local-model" });
      await client.complete({ ...request([FIVE[0]!]), model: "local-model" });
      expect(server.chats()).toHaveLength(1);
    });
  });

  it("refuses an endpoint that is not a URL without sending anything", async () => {
    const client = createChatClient({
      llm: testConfig().llm,
      baseUrl: "localhost:8000/v1",
      apiKey: "sk-test",
      cache: createResponseCache(null),
      meter: new UsageMeter(),
      clock: fakeClock(),
    });
    await expect(client.complete(request(["2602.00001"]))).rejects.toThrow(
      'the LLM endpoint "localhost:8000/v1" is not an http(s) URL; set llm.baseUrl or OPENAI_BASE_URL',
    );
  });

  it("caps a huge Retry-After instead of stalling the run", async () => {
    // A Retry-After of an hour must not stall a run: our own wait is capped and faked here.
    const { client, clock } = await setup({ mode: (n) => (n === 0 ? "rate-limit" : "correct"), retryAfter: "3600" });
    await client.complete(request(["2602.00001"]));
    expect(clock.sleeps).toEqual([120_000]);
  });

  it("bounds a call's time over all its attempts: a hung endpoint is given up at llm.callDeadlineSeconds", async () => {
    server = await startOpenAiServer({ mode: "hang" });
    const clock = fakeClock();
    const config = testConfig({ llm: { baseUrl: `${server.url}/v1`, timeoutSeconds: 0.2, callDeadlineSeconds: 2.5 } });
    const client = createChatClient({
      llm: config.llm,
      baseUrl: config.llm.baseUrl,
      apiKey: "sk-test",
      cache: createResponseCache(null),
      meter: new UsageMeter(),
      clock,
      retries: 10,
    });
    const error = await client.complete(request(["2602.04119"])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmCallError);
    expect((error as Error).message).toMatch(/gave up after 2 tries .*llm\.callDeadlineSeconds/);
    // Tried at 0 s and, after a 1 s back-off, at 1 s; the next back-off (2 s) would pass the 2.5 s deadline.
    expect(server.chats()).toHaveLength(2);
    expect(clock.sleeps).toEqual([1000]);
  });

  it("sets the per-call deadline to three times llm.timeoutSeconds by default", async () => {
    const { client, clock, server } = await setup({ mode: "hang" }, { timeoutSeconds: 0.2 });
    const error = await client.complete(request(["2602.04119"])).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/gave up after 1 try .*0\.6 s/);
    expect(server.chats()).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });
});

describe("the model check before the first paid call", () => {
  const toServer =
    (url: string): typeof fetch =>
    (input, init) =>
      fetch(String(input instanceof Request ? input.url : input).replace("https://api.openai.com", url), init);

  function client(options: {
    baseUrl: string;
    models: ModelCheck;
    fetchImpl?: typeof fetch;
    cacheDir?: string | null;
  }) {
    const config = testConfig({ llm: { baseUrl: options.baseUrl } });
    return createChatClient({
      llm: config.llm,
      baseUrl: options.baseUrl,
      apiKey: "sk-test",
      cache: createResponseCache(options.cacheDir ?? null),
      meter: new UsageMeter(),
      clock: fakeClock(),
      retries: 0,
      ...(options.fetchImpl ? { fetchImpl: options.fetchImpl } : {}),
      models: options.models,
    });
  }

  it("asks the list once per command however many clients it builds, and tells each client's check", async () => {
    server = await startOpenAiServer({ models: ["gpt-4o"] });
    const seen: string[][] = [];
    const models: ModelCheck = {
      memo: new Map(),
      check: (list) => {
        seen.push(list.ids);
        return null;
      },
    };
    for (const day of ["2602.00001", "2602.00002"])
      await client({ baseUrl: `${server.url}/v1`, models }).complete(request([day]));
    expect(server.modelListings()).toBe(1);
    expect(seen).toEqual([["gpt-4o"], ["gpt-4o"]]);
    expect(server.chats()).toHaveLength(2);
  });

  it("refuses a model list larger than any endpoint sends, unread, and goes on without it", async () => {
    server = await startOpenAiServer({});
    // A list of 9 MB, a line of it at a time, that would name the model: the check must not see it.
    let sent = 0;
    const huge = (): Response => {
      const line = `${JSON.stringify({ id: "gpt-4o", description: "x".repeat(1000) })},`;
      const body = new ReadableStream<Uint8Array>({
        start: (c) => c.enqueue(new TextEncoder().encode('{"data":[')),
        pull: (c) => {
          sent += line.length;
          if (sent > 9 * 1024 * 1024) c.enqueue(new TextEncoder().encode('{"id":"gpt-5"}]}'));
          else c.enqueue(new TextEncoder().encode(line));
          if (sent > 9 * 1024 * 1024) c.close();
        },
      });
      return new Response(body, { status: 200, headers: { "content-type": "application/json" } });
    };
    const fetchImpl: typeof fetch = async (input, init) =>
      String(input instanceof Request ? input.url : input).endsWith("/models") ? huge() : fetch(input, init);
    let checks = 0;
    const c = client({
      baseUrl: `${server.url}/v1`,
      fetchImpl,
      models: {
        memo: new Map(),
        check: () => {
          checks++;
          return new Error("the list was read");
        },
      },
    });
    await c.complete(request(["2602.00001"]));
    expect(checks).toBe(0);
    expect(server.chats()).toHaveLength(1);
    // Reading stopped soon after the cap, not at the end of the answer.
    expect(sent).toBeLessThan(9 * 1024 * 1024);
  });

  it("asks nothing when the response cache answers every call", async () => {
    server = await startOpenAiServer({});
    const cacheDir = await mkdtemp(join(tmpdir(), "ad-models-"));
    let checks = 0;
    const check = () => {
      checks++;
      return null;
    };
    await client({ baseUrl: `${server.url}/v1`, models: { memo: new Map(), check }, cacheDir }).complete(
      request(["2602.00001"]),
    );
    expect(server.modelListings()).toBe(1);
    await client({ baseUrl: `${server.url}/v1`, models: { memo: new Map(), check }, cacheDir }).complete(
      request(["2602.00001"]),
    );
    expect(server.modelListings()).toBe(1);
    expect(checks).toBe(1);
  });

  it("on an authoritative list, waits for it whole and stops every call the check refuses, before any is sent", async () => {
    // The list takes 2.5 s, longer than the 1.5 s the calls wait elsewhere.
    server = await startOpenAiServer({ models: ["gpt-4o"], modelsDelayMs: 2500 });
    const refusal = new Error("not listed");
    const c = client({
      baseUrl: "https://api.openai.com/v1",
      fetchImpl: toServer(server.url),
      models: { memo: new Map(), check: () => refusal },
    });
    const calls = ["2602.00001", "2602.00002", "2602.00003"].map((id) => c.complete(request([id])));
    for (const call of calls) await expect(call).rejects.toThrow("not listed");
    expect(c.modelRefused).toBe(refusal);
    expect(server.chats()).toHaveLength(0);
  });
});
