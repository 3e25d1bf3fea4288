import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigSchema } from "../../src/config/schema.js";
import { formatUsd } from "../../src/format/text.js";
import { promptTokensOf } from "../../src/llm/budget.js";
import type { ChatMessage } from "../../src/llm/client.js";
import type { Candidate } from "../../src/model/candidate.js";
import type { PaperRecord } from "../../src/model/day-record.js";
import { createJudge } from "../../src/pipeline/judge.js";
import { MissingKeyError } from "../../src/pipeline/llm-key.js";
import { PAPERS_PLACEHOLDER } from "../../src/selection/prompt.js";
import { compareForDigest } from "../../src/selection/rank.js";
import {
  type SelectionContext,
  type SelectionProgress,
  selectionSettings,
  selectPapers,
} from "../../src/selection/select.js";
import { defaultPrompts, testConfig } from "../helpers/config.js";
import { makeDay } from "../helpers/day-factory.js";
import { fakeClock } from "../helpers/fake-clock.js";
import {
  type ChatBody,
  CONTENT_MODES,
  hashVerdict,
  idsIn,
  type OpenAiServer,
  type OpenAiServerOptions,
  startOpenAiServer,
  titleIndex,
} from "../helpers/openai-server.js";
import { dayCandidates } from "../helpers/reference.js";

const DAY = dayCandidates("2026-02-05");
/** 2602.04119 is the reference day's author match (Yoshua Bengio). */
const AUTHOR_ID = "2602.04119";
const matchAuthor = (c: Candidate) => (c.id === AUTHOR_ID ? "Yoshua Bengio" : null);

let servers: OpenAiServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function serve(options: OpenAiServerOptions = {}): Promise<OpenAiServer> {
  const server = await startOpenAiServer(options);
  servers.push(server);
  return server;
}

type LlmOverrides = NonNullable<Parameters<typeof testConfig>[0]>["llm"];
type SelectionOverrides = NonNullable<Parameters<typeof testConfig>[0]>["selection"];

function context(
  server: OpenAiServer | null,
  options: {
    llm?: LlmOverrides;
    selection?: SelectionOverrides;
    cacheDir?: string | null;
    apiKey?: string | null;
    fetchImpl?: typeof fetch;
  } = {},
): SelectionContext & { clock: ReturnType<typeof fakeClock> } {
  const config = testConfig({
    llm: { ...(server ? { baseUrl: `${server.url}/v1` } : {}), ...options.llm },
    selection: options.selection ?? {},
  });
  const clock = fakeClock();
  const apiKey = options.apiKey === undefined ? "sk-test" : options.apiKey;
  const judge = createJudge({
    llm: config.llm,
    env: apiKey === null ? {} : { [config.llm.apiKeyEnv]: apiKey },
    cacheDir: options.cacheDir ?? null,
    clock,
    fetchImpl: options.fetchImpl,
  });
  return { config, prompts: defaultPrompts(), matchAuthor, judge, clock };
}

/** Every paper has a judgement: none was left unscored. */
const complete = (result: { papers: PaperRecord[] }) => result.papers.every((p) => p.outcome !== "unscored");

const tempDir = () => mkdtemp(join(tmpdir(), "select-"));
const scoredIds = (server: OpenAiServer) => server.chats().flatMap(idsIn);
const byId = (papers: PaperRecord[]) => new Map(papers.map((p) => [p.id, p]));

function expectEveryPaperOnce(papers: PaperRecord[], candidates: Candidate[] = DAY): void {
  expect(papers.map((p) => p.id).sort()).toEqual(candidates.map((c) => c.id).sort());
}

describe("selectPapers with an LLM", () => {
  it("scores every paper, selects by the cut-offs and ranks deterministically", async () => {
    const server = await serve();
    const result = await selectPapers(DAY, context(server));
    expect(result.usage.total.calls).toBeGreaterThan(0);
    expect(complete(result)).toBe(true);
    expectEveryPaperOnce(result.papers);
    for (const paper of result.papers.filter((p) => p.id !== AUTHOR_ID)) {
      const verdict = hashVerdict(paper.id);
      expect(paper).toMatchObject({
        scoredBy: "llm",
        relevance: verdict.relevance,
        novelty: verdict.novelty,
        score: verdict.relevance + verdict.novelty,
        topic: "architecture",
        outcome: verdict.relevance >= 7 ? "selected" : "rejected",
      });
      if (paper.outcome === "rejected") expect(paper.reason).toMatch(/^relevance \d+, below the cut-off of 7$/);
    }
    const selected = result.papers.filter((p) => p.outcome === "selected");
    expect(result.papers.slice(0, selected.length)).toEqual(selected);
    expect(selected).toEqual([...selected].sort(compareForDigest));
    const again = await selectPapers([...DAY].reverse(), context(server));
    expect(again.papers.map((p) => p.id)).toEqual(result.papers.map((p) => p.id));
  });

  it("returns papers, usage and prompt that a DayRecord accepts", async () => {
    const server = await serve({ usage: { prompt: 500, completion: 50, cached: 100 } });
    const result = await selectPapers(DAY, context(server, { llm: { triage: { enabled: true } } }));
    const day = makeDay({
      papers: result.papers,
      usage: { ...result.usage, costSource: "computed" },
      prompt: result.prompt,
      notes: result.notes,
    });
    expect(day.papers).toHaveLength(DAY.length);
    expect(Object.keys(day.usage.stages).sort()).toEqual(["scoring", "triage"]);
  });

  it("selects followed authors first without asking the LLM about them", async () => {
    const server = await serve();
    const result = await selectPapers(DAY, context(server));
    expect(result.papers[0]).toMatchObject({
      id: AUTHOR_ID,
      outcome: "selected",
      scoredBy: "author",
      authorMatch: "Yoshua Bengio",
      comment: "Author match",
      score: 20,
    });
    expect(scoredIds(server)).not.toContain(AUTHOR_ID);
    expect(scoredIds(server).sort()).toEqual(
      DAY.map((c) => c.id)
        .filter((id) => id !== AUTHOR_ID)
        .sort(),
    );
  });

  it("records the scoring prompt exactly as sent, papers replaced by a placeholder", async () => {
    const server = await serve();
    const result = await selectPapers(DAY, context(server));
    const [system, user] = server.chats()[0]!.messages;
    expect(result.prompt!.system).toBe(system!.content);
    expect(result.prompt!.user.endsWith(PAPERS_PLACEHOLDER)).toBe(true);
    const prefix = result.prompt!.user.slice(0, -PAPERS_PLACEHOLDER.length);
    for (const chat of server.chats()) expect(chat.messages[1]!.content.startsWith(prefix)).toBe(true);
    // One paper per line: its id, its title, the opening of its abstract.
    const lines = user!.content.slice(prefix.length).split("\n");
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(line).toMatch(/^\d{4}\.\d{4,5} \| [^|]+ \| \S/);
  });

  it("accounts prompt, cached and completion tokens and their exact cost", async () => {
    const server = await serve({ usage: { prompt: 1000, completion: 200, cached: 600 } });
    const result = await selectPapers(DAY, context(server));
    const calls = server.chats().length;
    const scoring = result.usage.stages.scoring!;
    expect(scoring).toMatchObject({
      model: "gpt-5",
      calls,
      promptTokens: 1000 * calls,
      cachedPromptTokens: 600 * calls,
      completionTokens: 200 * calls,
    });
    // gpt-5: $1.25 input, $0.125 cached input, $10 output per million tokens.
    expect(scoring.cost!.prompt).toBeCloseTo((calls * (400 * 1.25 + 600 * 0.125)) / 1e6, 12);
    expect(scoring.cost!.completion).toBeCloseTo((calls * 200 * 10) / 1e6, 12);
    expect(result.usage.total.cost!.total).toBeCloseTo(scoring.cost!.total, 12);
  });

  it("makes zero requests when the same day runs again", async () => {
    const cacheDir = await tempDir();
    const first = await selectPapers(DAY, context(await serve(), { cacheDir }));
    const server = await serve();
    const seen: SelectionProgress[] = [];
    const second = await selectPapers(DAY, { ...context(server, { cacheDir }), onProgress: (p) => seen.push(p) });
    expect(server.chats()).toHaveLength(0);
    expect(second.papers).toEqual(first.papers);
    // The progress counts as the run's summary does: no new call, nothing spent, the answers reused.
    // Its tokens and cost are this run's calls alone: none.
    expect(seen.at(-1)).toMatchObject({
      calls: 0,
      reused: first.usage.calls.length,
      promptTokens: 0,
      completionTokens: 0,
      costUsd: 0,
    });
    // Same tokens and cost (what the day cost), every call now replayed from the cache.
    expect({ ...second.usage, calls: [] }).toEqual({ ...first.usage, calls: [] });
    expect(first.usage.calls.every((c) => !c.replayed)).toBe(true);
    const asPaid = (calls: typeof first.usage.calls) =>
      calls.map((c) => JSON.stringify({ ...c, replayed: false })).sort();
    expect(asPaid(second.usage.calls)).toEqual(asPaid(first.usage.calls));
    expect(second.usage.calls.every((c) => c.replayed)).toBe(true);
    // The operator's to know, not the reader's: kept apart from the notes a digest opens with.
    expect(second.operatorNotes.join(" ")).toMatch(
      /LLM answers came from the response cache \(no charge in this run\); new calls made: 0\./,
    );
    expect(second.notes.join(" ")).not.toMatch(/response cache/);
  });

  it("repeats no completed call after a run that stopped half-way", async () => {
    const clean = await serve();
    await selectPapers(DAY, context(clean, { llm: { papersPerCall: 8 } }));
    const needed = clean.chats().length;
    expect(needed).toBeGreaterThan(3);

    const cacheDir = await tempDir();
    const failing = await serve({ mode: (n) => (n < 2 ? "correct" : "unauthorized") });
    const broken = await selectPapers(DAY, context(failing, { cacheDir, llm: { concurrency: 1, papersPerCall: 8 } }));
    expect(complete(broken)).toBe(false);
    expect(failing.chats()).toHaveLength(3);

    const resumed = await serve();
    const result = await selectPapers(DAY, context(resumed, { cacheDir, llm: { concurrency: 1, papersPerCall: 8 } }));
    expect(complete(result)).toBe(true);
    expect(resumed.chats()).toHaveLength(needed - 2);
  });

  it.each([
    ["unauthorized", /HTTP 401.*Check the API key in the environment variable OPENAI_API_KEY/],
    ["insufficient-quota", /quota is exhausted.*Add credit/],
    ["server-error", /answered HTTP 500.*gave up after/],
  ] as const)("leaves papers unscored with the reason when the endpoint fails (%s)", async (mode, reason) => {
    const server = await serve({ mode });
    const result = await selectPapers(DAY, context(server));
    expect(complete(result)).toBe(false);
    expectEveryPaperOnce(result.papers);
    const unscored = result.papers.filter((p) => p.outcome === "unscored");
    expect(unscored).toHaveLength(DAY.length - 1);
    // One cause, said once in full in the notes; each paper keeps a short pointer to it.
    const causes = result.notes.filter((n) => /papers could not be scored: /.test(n));
    expect(causes).toHaveLength(1);
    expect(causes[0]).toMatch(reason);
    expect(causes[0]).toMatch(new RegExp(`^${DAY.length - 1} papers could not be scored`));
    for (const p of unscored) {
      expect(p.reason).toMatch(/the day's notes give the full message\)$/);
      expect(p.reason!.length).toBeLessThan(160);
      expect(p.scoredBy).toBeNull();
    }
    expect(result.papers[0]!.outcome).toBe("selected");
    // A bad key is refused by the free model list before any chat request; an exhausted quota
    // shows on the first chat calls, at most llm.concurrency of them (2 here), none billed.
    if (mode === "unauthorized") expect(server.chats()).toHaveLength(0);
    if (mode === "insufficient-quota") expect(server.chats().length).toBeLessThanOrEqual(2);
  });

  it("honours Retry-After and recovers from rate limits without losing a paper", async () => {
    const server = await serve({ mode: (n) => (n % 3 === 0 ? "rate-limit" : "correct"), retryAfter: "2" });
    const ctx = context(server, { llm: { concurrency: 1 } });
    const result = await selectPapers(DAY, ctx);
    expect(complete(result)).toBe(true);
    const clock = ctx.clock;
    expect(clock.sleeps.length).toBeGreaterThan(0);
    expect(new Set(clock.sleeps)).toEqual(new Set([2000]));
  });

  it("survives a gateway's HTTP 200 error body: the batch is retried and no paper is lost", async () => {
    const server = await serve({ mode: (n) => (n === 1 ? "error-body" : "correct") });
    const result = await selectPapers(DAY, context(server, { llm: { concurrency: 1 } }));
    expect(complete(result)).toBe(true);
    expectEveryPaperOnce(result.papers);
  });

  it("says when answers came without token counts, rather than calling them free", async () => {
    const server = await serve({ usage: "omit" });
    const result = await selectPapers(DAY, context(server));
    expect(complete(result)).toBe(true);
    expect(result.operatorNotes.join("\n")).toMatch(/came without token counts \(the endpoint sent no usage\)/);
    expect(result.usage.calls.every((c) => c.usageMissing === true)).toBe(true);
  });

  /** Usage billed at the worst case the budget reserves: every prompt token, the whole answer cap. */
  const worstUsage = (body: ChatBody) => ({
    prompt: promptTokensOf(body.messages as ChatMessage[], body.response_format),
    completion: Number(body.max_completion_tokens ?? body.max_tokens),
    cached: 0,
  });

  it("scores offline the papers of calls the budget does not let out, and never spends past it", async () => {
    const server = await serve({ usage: worstUsage, latencyMs: 50 });
    // Calls of six papers cost about $0.028 at worst with gpt-5: $0.06 lets two of the seven out.
    const ctx = context(server, { llm: { budgetUsd: 0.06, concurrency: 8, papersPerCall: 6 } });
    const result = await selectPapers(DAY, ctx);
    const judge = ctx.judge as Extract<typeof ctx.judge, { kind: "llm" }>;
    expect(server.chats()).toHaveLength(2);
    expect(server.peakConcurrency()).toBe(2);
    expect(judge.meter.spentUsd).toBeLessThanOrEqual(0.06);
    expect(complete(result)).toBe(true);
    expectEveryPaperOnce(result.papers);
    const sent = new Set(scoredIds(server));
    const lexical = result.papers.filter((p) => p.scoredBy === "lexical");
    expect(lexical.length).toBe(DAY.length - 1 - sent.size);
    for (const p of lexical) {
      expect(sent.has(p.id)).toBe(false);
      expect(p.reason).toMatch(/^LLM budget of \$0.06 reached; scored offline/);
      expect(p.novelty).toBeNull();
    }
    const stopped = [...judge.meter.budgetStops.values()][0]!;
    expect(result.notes).toContain(
      `The LLM budget of $0.06 (llm.budgetUsd) stopped ${stopped} calls (${stopped} scoring): a call is sent only when its worst-case cost fits in what is left. This run spent ${formatUsd(judge.meter.spentUsd)}. ${lexical.length} papers scored offline instead.`,
    );
  });

  it("sends nothing at a budget of 0 and says so; every paper keeps an outcome", async () => {
    const server = await serve();
    const result = await selectPapers(DAY, context(server, { llm: { budgetUsd: 0, triage: { enabled: true } } }));
    expect(server.requests).toHaveLength(0);
    expectEveryPaperOnce(result.papers);
    expect(complete(result)).toBe(true);
    // The unscreened titles rank as maybe: the ration's share is scored offline, the rest set aside
    // in their free rank. The LLM judged none of them, and no record says it did.
    expect(result.papers.filter((p) => p.scoredBy === "llm")).toEqual([]);
    const offline = result.papers.filter((p) => p.scoredBy === "lexical" && p.outcome !== "triaged-out");
    expect(offline.length).toBeGreaterThan(0);
    for (const p of offline) expect(p.reason).toMatch(/^LLM budget of \$0 reached; scored offline/);
    const unscreened = result.papers.filter((p) => p.outcome === "triaged-out");
    expect(unscreened.length).toBeGreaterThan(0);
    for (const p of unscreened) {
      expect(p.scoredBy).toBe("lexical");
      expect(p.reason).toMatch(
        /^the title triage could not screen it, so it kept its free rank; the abstracts read today were rationed to \d+/,
      );
    }
    expect(result.notes.join("\n")).toMatch(
      /The LLM budget of \$0 \(llm.budgetUsd\) stopped \d+ calls \(1 triage, \d+ scoring\): .* This run spent \$0\.00\. \d+ papers scored offline instead./,
    );
    expect(result.operatorNotes.join("\n")).toMatch(/titles went unscreened: LLM budget of \$0 reached/);
  });

  it("says when the budget cannot see a model's calls because it has no price", async () => {
    const server = await serve();
    const result = await selectPapers(DAY, context(server, { llm: { budgetUsd: 0, model: "local-model" } }));
    expect(server.chats().length).toBeGreaterThan(0);
    expect(result.operatorNotes).toContain(
      "No price is known for model local-model, so the cost is shown as unpriced; add it under llm.prices (USD per million tokens). llm.budgetUsd cannot limit calls to a model without a price, so it did not apply to them.",
    );
  });

  it("changes nothing when the budget is ample: the same papers, calls and concurrency", async () => {
    const runWith = async (llm: LlmOverrides) => {
      const server = await serve({ latencyMs: 50 });
      const result = await selectPapers(DAY, context(server, { llm: { concurrency: 8, ...llm } }));
      return { result, chats: server.chats().length, arrivals: server.openAtArrival() };
    };
    const without = await runWith({});
    const ample = await runWith({ budgetUsd: 100 });
    expect(ample.result.papers).toEqual(without.result.papers);
    expect(ample.result.notes).toEqual(without.result.notes);
    expect(ample.result.operatorNotes).toEqual(without.result.operatorNotes);
    expect(ample.chats).toBe(without.chats);
    expect(Math.max(...ample.arrivals)).toBe(Math.max(...without.arrivals));
  });

  it("drops papers below the free prefilter before any paid call", async () => {
    const server = await serve();
    const result = await selectPapers(DAY, context(server, { selection: { prefilterMinRelevance: 4 } }));
    const prefiltered = result.papers.filter((p) => p.outcome === "prefiltered-out");
    expect(prefiltered.length).toBeGreaterThan(0);
    expect(prefiltered.length).toBeLessThan(DAY.length - 1);
    for (const p of prefiltered) {
      expect(p.reason).toMatch(/^offline relevance [1-3], below the 4 a paper needs to be sent to the LLM$/);
      expect(scoredIds(server)).not.toContain(p.id);
    }
    expectEveryPaperOnce(result.papers);
  });

  it("triages titles first and scores only the papers kept", async () => {
    const idOf = titleIndex(DAY);
    const server = await serve({ idOfTitle: (title) => idOf.get(title) });
    const result = await selectPapers(
      DAY,
      context(server, {
        llm: { triage: { enabled: true, model: "gpt-5-nano" } },
        selection: { prefilter: { enabled: false, scoreShare: 1 } },
      }),
    );
    const triaged = result.papers.filter((p) => p.outcome === "triaged-out");
    const expected = DAY.filter((c) => c.id !== AUTHOR_ID && !hashVerdict(c.id).keep).map((c) => c.id);
    expect(triaged.map((p) => p.id).sort()).toEqual(expected.sort());
    expect(triaged[0]!.reason).toBe("the title triage judged it outside every topic");
    const triageCalls = server.chats().filter((c) => c.model === "gpt-5-nano");
    const scoringCalls = server.chats().filter((c) => c.model === "gpt-5");
    expect(triageCalls[0]!.messages[1]!.content).not.toContain("Abstract:");
    expect(scoringCalls.flatMap(idsIn)).not.toContain(expected[0]);
    expect(result.usage.stages.triage).toMatchObject({ model: "gpt-5-nano", calls: triageCalls.length });
    expect(result.usage.total.model).toBe("gpt-5-nano + gpt-5");
    // The day's record keeps the settings in force: the triage's own model, the prefilter off.
    expect(result.settings).toMatchObject({
      prefilter: { enabled: false, scoreShare: 1 },
      triage: { enabled: true, model: "gpt-5-nano" },
      model: "gpt-5",
    });
  });

  it("caps the digest at maxPapers, never counting author matches", async () => {
    const server = await serve();
    const result = await selectPapers(DAY, context(server, { selection: { maxPapers: 3, minRelevance: 1 } }));
    const selected = result.papers.filter((p) => p.outcome === "selected");
    expect(selected.map((p) => p.id)[0]).toBe(AUTHOR_ID);
    expect(selected).toHaveLength(4);
    const capped = result.papers.filter(
      (p) => p.reason === "passed the cut-offs, but ranked below the 3 papers a day shows",
    );
    expect(capped).toHaveLength(DAY.length - 4);
  });

  it("reports progress up to every paper", async () => {
    const server = await serve({ usage: { prompt: 10, completion: 5, cached: 0 } });
    const seen: SelectionProgress[] = [];
    await selectPapers(DAY, { ...context(server), onProgress: (p) => seen.push(p) });
    expect(seen.at(-1)).toMatchObject({ scored: DAY.length, total: DAY.length, calls: server.chats().length });
    expect(seen.map((p) => p.scored)).toEqual([...seen.map((p) => p.scored)].sort((a, b) => a - b));
  });

  it("sends every request through the fetch it is given", async () => {
    const server = await serve();
    const seen: string[] = [];
    const fetchImpl: typeof fetch = (input, init) => {
      seen.push(String(input));
      return fetch(input, init);
    };
    await selectPapers(DAY.slice(0, 5), context(server, { fetchImpl }));
    // The key check first, then the chat calls.
    expect(seen).toEqual([`${server.url}/v1/models`, ...server.chats().map(() => `${server.url}/v1/chat/completions`)]);
  });

  it("keeps each paper once when the feed repeats one", async () => {
    const server = await serve();
    const result = await selectPapers([...DAY, DAY[3]!], context(server));
    expectEveryPaperOnce(result.papers);
  });
});

describe("selectPapers with malformed LLM answers", () => {
  const papers = DAY.slice(0, 12);
  /** Every malformed kind the parser must fully recover from; the others are tested one by one below. */
  const unrecoverable: readonly string[] = [
    "out-of-range",
    "truncated",
    "empty",
    "no-papers",
    "garbage",
    "think-unclosed",
    "unit-scale",
  ];
  const recoverable = CONTENT_MODES.filter((m) => !unrecoverable.includes(m));

  it.each(recoverable)("scores every paper from %s answers", async (mode) => {
    const server = await serve({ mode });
    const result = await selectPapers(papers, context(server, { llm: { batchTokens: 1500, papersPerCall: 4 } }));
    expect(complete(result)).toBe(true);
    for (const p of result.papers.filter((p) => p.scoredBy === "llm")) {
      expect(p.relevance).toBe(hashVerdict(p.id).relevance);
    }
  });

  it.each([
    ["out-of-range", "relevance 14 is outside 1-10; novelty 0 is outside 1-10"],
    ["unit-scale", "are on a 0-1 scale, as is the whole answer, not 1-10"],
    ["think-unclosed", "the reply was only the model's thinking, never closed, with no answer after it"],
  ] as const)("never guesses from %s answers: asks again, then gives up with the reason", async (mode, reason) => {
    const server = await serve({ mode });
    const result = await selectPapers(papers, context(server, { llm: { batchTokens: 100_000 } }));
    // Asked three times, in halved batches: 11 papers, then 6 + 5, then 3 + 3 + 3 + 2.
    expect(server.chats().map((c) => idsIn(c).length)).toEqual([11, 6, 5, 3, 3, 3, 2]);
    const others = result.papers.filter((p) => p.id !== AUTHOR_ID);
    expect(others.every((p) => p.outcome === "unscored" && p.relevance === null)).toBe(true);
    expect(result.notes.join(" ")).toContain(reason);
  });

  it("re-asks missing papers in halved batches", async () => {
    const server = await serve({ mode: "missing-ids" });
    await selectPapers(papers, context(server, { llm: { batchTokens: 100_000 } }));
    const sizes = server.chats().map((c) => idsIn(c).length);
    // The server answers every other paper: 11 asked, 5 re-asked (batch size ≤ 6), 2 re-asked (≤ 3).
    expect(sizes).toEqual([11, 5, 2]);
  });

  it.each([
    ["empty", "no valid answer after 3 attempts: the reply was empty"],
    ["no-papers", "no valid answer after 3 attempts: the reply's JSON listed no papers"],
  ] as const)("gives up after maxAttempts on %s answers, with the reason", async (mode, reason) => {
    const server = await serve({ mode });
    const result = await selectPapers(papers, context(server));
    expect(complete(result)).toBe(false);
    for (const p of result.papers.filter((p) => p.id !== AUTHOR_ID)) {
      expect(p).toMatchObject({ outcome: "unscored" });
      expect(p.reason).toMatch(/the day's notes give the full message\)$/);
    }
    expect(result.notes).toContain(`${papers.length - 1} papers could not be scored: ${reason}`);
  });

  it("salvages truncated answers and gives up only on what stays unreadable", async () => {
    const server = await serve({ mode: "truncated" });
    const result = await selectPapers(papers, context(server, { llm: { batchTokens: 100_000 } }));
    const outcomes = byId(result.papers);
    expect(result.papers.filter((p) => p.scoredBy === "llm").length).toBeGreaterThan(0);
    const unscored = result.papers.filter((p) => p.outcome === "unscored");
    expect(unscored.length).toBeGreaterThan(0);
    expect(unscored[0]!.reason).toMatch(/^no valid answer after 3 attempts: .*cut off by the output token limit/);
    expect(outcomes.size).toBe(papers.length);
  });

  it("falls back to plain JSON when the endpoint rejects the schema, and says so", async () => {
    const server = await serve({ mode: "reject-response-format" });
    const result = await selectPapers(papers, context(server));
    expect(complete(result)).toBe(true);
    expect(result.operatorNotes.join(" ")).toMatch(
      /rejected json_schema structured output, so answers were requested as a JSON object/,
    );
  });
});

describe("selectionSettings", () => {
  it("keeps the ration of abstracts (scoreShare) only when the title triage ran", () => {
    const on = testConfig({ llm: { triage: { enabled: true } }, selection: { prefilter: { enabled: true } } });
    expect(selectionSettings(on, "llm").prefilter).toMatchObject({ keepShare: 0.7, scoreShare: 0.27 });
    expect(selectionSettings(on, "llm").triage).toEqual({ enabled: true });
    // Off by default: what the prefilter sends has its abstract's opening scored, one line each, no ration.
    const defaults = ConfigSchema.parse({ topics: on.topics }).llm;
    expect(defaults).toMatchObject({ triage: { enabled: false }, abstractTokens: 40, papersPerCall: 50 });
    const off = testConfig({ selection: { prefilter: { enabled: true } } });
    expect(selectionSettings(off, "llm").prefilter).not.toHaveProperty("scoreShare");
    // Offline, the triage never runs, whatever the config says.
    expect(selectionSettings(on, "offline").prefilter).not.toHaveProperty("scoreShare");
  });
});

describe("selectPapers without an LLM", () => {
  it("scores offline when no API key is configured, and says so", async () => {
    const ctx = context(null, { apiKey: null, llm: { provider: "auto" } });
    expect(ctx.judge.kind).toBe("offline");
    const result = await selectPapers(DAY, ctx);
    expect(result.prompt).toBeNull();
    expect(complete(result)).toBe(true);
    expectEveryPaperOnce(result.papers);
    for (const p of result.papers.filter((p) => p.id !== AUTHOR_ID)) {
      expect(p.scoredBy).toBe("lexical");
      expect(p.comment).toMatch(/^Offline match/);
      expect(["selected", "rejected"]).toContain(p.outcome);
    }
    expect(result.papers.some((p) => p.outcome === "selected" && p.scoredBy === "lexical")).toBe(true);
    expect(result.notes[0]).toMatch(/No API key was configured \(environment variable OPENAI_API_KEY is empty\)/);
    expect(result.usage.total).toMatchObject({ calls: 0, cost: { total: 0 } });
  });

  it("scores offline when the provider is offline, even with a key", async () => {
    const ctx = context(null, { llm: { provider: "offline" } });
    expect(ctx.judge.kind).toBe("offline");
    const result = await selectPapers(DAY, ctx);
    expect(result.notes[0]).toMatch(/llm.provider is "offline"/);
    // Neither the prefilter nor the triage runs offline, and no model scores: the settings say so.
    expect(result.settings).toMatchObject({ prefilter: { enabled: false }, triage: { enabled: false }, model: null });
  });

  it("makes no judge when provider openai has no key: an environment mistake, not a way to judge", () => {
    expect(() => context(null, { apiKey: null })).toThrow(
      /^llm\.provider is "openai" but OPENAI_API_KEY \(llm\.apiKeyEnv\) is not set; put the key in the workspace's \.env or the environment/,
    );
    expect(() => context(null, { apiKey: " " })).toThrow(MissingKeyError);
  });
});
