/**
 * `evaluate` over the archive against the local OpenAI-compatible server: a warm replay sends the
 * scoring prompt the daily run would have sent that morning (the reader's taste from the feedback
 * given before the day, none from later), and the report says what the evaluation itself paid
 * apart from what a day costs when paid in full.
 */
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, onTestFinished } from "vitest";
import { ArchiveStore } from "../../src/archive/store.js";
import { DEFAULT_MAX_USD, estimateLine, SpendLimitError } from "../../src/eval/spend-limit.js";
import { promptTokensOf, worstCaseUsd } from "../../src/llm/budget.js";
import { priceFor } from "../../src/llm/prices.js";
import type { PaperRecord } from "../../src/model/day-record.js";
import { silentLogger } from "../../src/pipeline/context.js";
import { evaluate } from "../../src/pipeline/eval.js";
import { loadWorkspace } from "../../src/workspace/load.js";
import { makeDay, makePaper } from "../helpers/day-factory.js";
import { fakeClock } from "../helpers/fake-clock.js";
import {
  type ChatBody,
  idsIn,
  type OpenAiServer,
  type OpenAiServerOptions,
  startOpenAiServer,
  titlesIn,
} from "../helpers/openai-server.js";
import { editStoredVerdicts } from "../helpers/stored-verdicts.js";
import { EVERY_PAPER_JUDGED_YAML, tempWorkspace } from "../helpers/workspace.js";

const CONFIG = `llm:
  provider: openai
  model: gpt-5-mini
  maxAttempts: 2
  triage:
    enabled: false
${EVERY_PAPER_JUDGED_YAML}`;

const LIKED = "Expert routing that balances load across sparse layers";
const DISLIKED = "A survey of benchmark leaderboards for transformers";
const LIKED_LATER = "Attention heads that count tokens in long contexts";

const servers: OpenAiServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const paper = (id: string, title: string, outcome: PaperRecord["outcome"]) =>
  makePaper({ id, title, outcome, authorMatch: null, scoredBy: "llm" });

/** Two archived days; feedback on the first given that evening, and a like on the second given two days later. */
async function archiveWithFeedback(
  usage?: OpenAiServerOptions["usage"],
): Promise<{ dir: string; env: Record<string, string>; llm: OpenAiServer }> {
  const llm = await startOpenAiServer({ mode: "correct", ...(usage ? { usage } : {}) });
  servers.push(llm);
  const { dir, cleanup } = tempWorkspace(CONFIG);
  onTestFinished(cleanup);
  const store = new ArchiveStore(join(dir, "archive"));
  await store.writeDay(
    makeDay({
      date: "2026-03-02",
      papers: [
        paper("2603.00001", "Mixture of experts routing for sparse language models", "selected"),
        paper("2603.00002", LIKED, "rejected"),
        paper("2603.00003", DISLIKED, "selected"),
      ],
    }),
  );
  await store.writeDay(
    makeDay({
      date: "2026-03-03",
      papers: [
        paper("2603.10001", "Conditional computation in transformer layers", "selected"),
        paper("2603.10002", LIKED_LATER, "rejected"),
        paper("2603.10003", "Crop yield forecasting from satellite images", "rejected"),
      ],
    }),
  );
  const line = (id: string, signal: string, at: string, title: string) =>
    JSON.stringify({ v: 1, id, signal, at, source: "cli", title });
  writeFileSync(
    join(dir, "feedback.jsonl"),
    [
      line("2603.00002", "like", "2026-03-02T20:00:00Z", LIKED),
      line("2603.00003", "dislike", "2026-03-02T20:05:00Z", DISLIKED),
      line("2603.10002", "like", "2026-03-05T09:00:00Z", LIKED_LATER),
    ]
      .map((l) => `${l}\n`)
      .join(""),
  );
  return { dir, env: { OPENAI_BASE_URL: `${llm.url}/v1`, OPENAI_API_KEY: "sk-test" }, llm };
}

/** Every file under `dir` (none when it does not exist). */
function readdirRecursive(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => e.name);
  } catch {
    return [];
  }
}

const context = (dir: string, env: Record<string, string>) => ({
  workspace: loadWorkspace(dir, env),
  clock: fakeClock(Date.parse("2026-03-10T12:00:00Z")),
  log: silentLogger,
});

const userText = (body: ChatBody) => body.messages.filter((m) => m.role === "user").at(-1)?.content ?? "";
/** The taste block of a scoring request, up to the next heading; null when the prompt has none. */
function tasteOf(body: ChatBody): string | null {
  const text = userText(body);
  const at = text.indexOf("## The reader's recent taste");
  if (at < 0) return null;
  const next = text.indexOf("\n## ", at + 1);
  return next < 0 ? text.slice(at) : text.slice(at, next);
}
const forDay = (chats: ChatBody[], prefix: string) => chats.filter((c) => idsIn(c).some((id) => id.startsWith(prefix)));

describe("evaluate over the archive with the LLM", () => {
  it("replays a warm day with the reader's taste as of that day's start in the scoring prompt", async () => {
    const { dir, env, llm } = await archiveWithFeedback();
    const report = await evaluate(context(dir, env), { warm: true });
    expect(report.days.map((d) => d.date)).toEqual(["2026-03-02", "2026-03-03"]);

    const chats = llm.chats();
    const first = forDay(chats, "2603.0");
    const second = forDay(chats, "2603.1");
    expect(first.length).toBeGreaterThan(0);
    expect(second.length).toBeGreaterThan(0);
    // The first day starts before any feedback: no taste, as the run that morning had none.
    for (const c of first) expect(tasteOf(c)).toBeNull();
    // The second day's run would have known the like and the dislike given the evening before,
    // and not the like given two days later.
    for (const c of second) {
      const taste = tasteOf(c);
      expect(taste).not.toBeNull();
      expect(taste).toContain(LIKED);
      expect(taste).toContain(DISLIKED);
      expect(taste).not.toContain(LIKED_LATER);
    }

    // A cold replay sends no taste at all.
    const before = llm.chats().length;
    await evaluate(context(dir, env), {});
    const cold = llm.chats().slice(before);
    expect(cold.length).toBeGreaterThan(0);
    for (const c of cold) expect(tasteOf(c)).toBeNull();
  });

  it("says what each warm day learnt from: the earlier picks and the feedback given before it, never later", async () => {
    const { dir, env } = await archiveWithFeedback();
    const warm = await evaluate(context(dir, env), { warm: true });
    expect(warm.days.map((d) => d.learnedFrom)).toEqual([
      // The first day: no earlier day, and all three signals given after it began.
      {
        days: 0,
        picks: 0,
        likedOrSaved: 0,
        fromLibrary: 0,
        disliked: 0,
        givenAfter: 3,
        cutoff: "2026-03-02T05:00:00.000Z",
      },
      // The second: the first day's two picks, the like and the dislike of that evening; the later like waits.
      {
        days: 1,
        picks: 2,
        likedOrSaved: 1,
        fromLibrary: 0,
        disliked: 1,
        givenAfter: 1,
        cutoff: "2026-03-03T05:00:00.000Z",
      },
    ]);
    expect(warm.notes.join(" ")).not.toContain("no replayed day learnt from your feedback");
    // A cold replay learns from nothing, and says nothing of it.
    const cold = await evaluate(context(dir, env), {});
    expect(cold.days.map((d) => d.learnedFrom)).toEqual([null, null]);
    expect(cold.notes.join(" ")).not.toContain("learnt");
  });

  it("dates the day's start and the feedback in US Eastern time: a like given at 23:30 ET counts for the next day, and is named by its Eastern date", async () => {
    const { dir, env } = await archiveWithFeedback();
    // 23:30 US Eastern on 2026-03-02 is 04:30 UTC on the 3rd: before the daily run made the 3rd.
    const line = (id: string, at: string) => `${JSON.stringify({ v: 1, id, signal: "like", at, source: "cli" })}\n`;
    writeFileSync(join(dir, "feedback.jsonl"), line("2603.00002", "2026-03-03T04:30:00Z"));
    const counted = await evaluate(context(dir, env), { warm: true });
    expect(counted.days.map((d) => [d.learnedFrom?.likedOrSaved, d.learnedFrom?.cutoff])).toEqual([
      [0, "2026-03-02T05:00:00.000Z"],
      [1, "2026-03-03T05:00:00.000Z"],
    ]);
    // Given at 23:30 ET on the 3rd, after both days began: the note names the 3rd, not the 4th (UTC).
    writeFileSync(join(dir, "feedback.jsonl"), line("2603.00002", "2026-03-04T04:30:00Z"));
    const later = await evaluate(context(dir, env), { warm: true });
    const note = later.notes.find((n) => n.startsWith("no replayed day learnt from your feedback"));
    expect(note).toBe(
      "no replayed day learnt from your feedback, because the 1 feedback signal in feedback.jsonl (1 like) was given on or after 2026-03-03 (US Eastern time), after the last replayed day (2026-03-03) began: a replay knows only what the daily run knew that morning, a library imported since included. The days the next runs make will learn from it, and once they are archived `arxiv-digest eval --warm` shows it, replaying them with the 1 signal now waiting to be used.",
    );
  });

  it("says why no warm day learnt from the feedback given before them when none of it can be read", async () => {
    const { dir, env } = await archiveWithFeedback();
    // A like of a paper no archived day lists and nothing has fetched, given before both days, and a
    // like given after them.
    const line = (id: string, at: string) => `${JSON.stringify({ v: 1, id, signal: "like", at, source: "cli" })}\n`;
    writeFileSync(
      join(dir, "feedback.jsonl"),
      line("2401.00010", "2026-03-01T09:00:00Z") + line("2603.10002", "2026-03-05T09:00:00Z"),
    );
    const report = await evaluate(context(dir, env), { warm: true });
    expect(report.days.map((d) => d.learnedFrom?.likedOrSaved)).toEqual([0, 0]);
    expect(report.notes).toContain(
      'no replayed day learnt from your feedback: of the 2 feedback signals in feedback.jsonl (2 likes), 1 was given after the last replayed day (2026-03-03) began (a replay knows only what the daily run knew that morning, so feedback given after a day, a library imported since included, never counts for it), and the 1 given before leaves no paper liked, saved or disliked that could be read. Feedback on 1 paper (2401.00010) was not used: no archived day lists it, and its title and abstract have not been fetched yet; `arxiv-digest feedback resolve` fetches them from arXiv. The archived digests themselves learnt from the feedback given before each run began: each day\'s "Learned from" line (in its Markdown digest and on its about page) says what it used.',
    );
  });

  it("says what the evaluation paid: every call on the first run, nothing on a second one served from the cache", async () => {
    const { dir, env, llm } = await archiveWithFeedback();
    const first = await evaluate(context(dir, env), {});
    const calls = llm.chats().length;
    expect(calls).toBeGreaterThan(0);
    expect(first.spend).toMatchObject({ newCalls: calls, reusedAnswers: 0, withoutUsage: 0 });
    expect(first.spend.spentUsd).toBeGreaterThan(0);
    // What the days cost when paid in full is what this first run paid.
    const perDay = first.overall.costPerDayUsd!;
    expect(perDay * first.days.length).toBeCloseTo(first.spend.spentUsd!, 10);

    const second = await evaluate(context(dir, env), {});
    expect(llm.chats().length).toBe(calls);
    expect(second.spend).toEqual({
      newCalls: 0,
      reusedAnswers: calls,
      spentUsd: 0,
      withoutUsage: 0,
      reusedScores: 0,
      reusedTitles: 0,
    });
    // A day's cost paid in full does not change because the answers were reused.
    expect(second.overall.costPerDayUsd).toBe(perDay);
  });

  it("knows before its first paid call about what the requests the cache cannot answer cost, each first try at the budget guard's bound", async () => {
    const { dir, env, llm } = await archiveWithFeedback();
    const report = await evaluate(context(dir, env), { warm: true });
    const chats = llm.chats();
    expect(chats.length).toBeGreaterThan(0);
    // Every request it sent was foreseen, each at what the budget guard holds it to: its prompt
    // counted exactly and its answer at its cap.
    const price = priceFor("gpt-5-mini")!;
    const bound = chats.reduce((sum, c) => {
      const cap = Number(c.max_completion_tokens ?? c.max_tokens);
      return sum + worstCaseUsd(promptTokensOf(c.messages, c.response_format), cap, price);
    }, 0);
    expect(report.estimate).toMatchObject({ requests: chats.length, misses: chats.length, unpriced: [] });
    expect(report.estimate!.usd!).toBeCloseTo(bound, 12);
    expect(report.spend.spentUsd!).toBeGreaterThan(0);
    expect(report.spend.spentUsd!).toBeLessThanOrEqual(report.estimate!.usd!);
    expect(report.estimate!.limit).toEqual({ usd: DEFAULT_MAX_USD, source: "default" });

    // Run again, everything is in the cache: nothing to pay, and a limit of 0 lets it through.
    const again = await evaluate(context(dir, env), { warm: true, maxUsd: 0 });
    expect(llm.chats().length).toBe(chats.length);
    expect(again.estimate).toMatchObject({ requests: chats.length, misses: 0, usd: 0 });
    expect(estimateLine(again.estimate!)).toBe(
      `All ${chats.length} LLM requests of this evaluation are answered from the response cache: it pays nothing.`,
    );
  });

  it("over its limit stops before any paid call, names the estimate and the option, and writes nothing", async () => {
    const { dir, env, llm } = await archiveWithFeedback();
    const cache = loadWorkspace(dir, env).cacheDir;
    const error = await evaluate(context(dir, env), { maxUsd: 0.001 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SpendLimitError);
    expect((error as Error).message).toMatch(
      /^eval would pay about \$0\.0\d+ for \d+ LLM requests the response cache cannot answer, more than its limit of \$0\.001 \(--max-usd\): pass `--max-usd 0\.0\d` or more to pay it; nothing was sent\.$/,
    );
    expect(llm.chats()).toEqual([]);
    expect(llm.modelListings()).toBe(0);
    expect(readdirRecursive(cache)).toEqual([]);
    // A large llm.budgetUsd (the daily run's cap) does not raise the evaluation's limit.
    writeFileSync(
      join(dir, "arxiv-digest.yaml"),
      CONFIG.replace("  maxAttempts: 2\n", "  maxAttempts: 2\n  budgetUsd: 100\n"),
    );
    const still = await evaluate(context(dir, env), { maxUsd: 0.001 }).catch((e: unknown) => e);
    expect((still as Error).message).toContain("more than its limit of $0.001 (--max-usd): pass `--max-usd 0.0");
    expect((still as Error).message).not.toContain("budgetUsd");
    expect(llm.chats()).toEqual([]);
  });

  it("lets llm.budgetUsd cap each replayed day as it caps a run, never the evaluation's limit", async () => {
    const { dir, env, llm } = await archiveWithFeedback();
    // A daily cap below any one request's worst case: the evaluation goes on (its limit is the
    // default), and each day holds its requests back as a run so capped would.
    writeFileSync(
      join(dir, "arxiv-digest.yaml"),
      CONFIG.replace("  maxAttempts: 2\n", "  maxAttempts: 2\n  budgetUsd: 0.00001\n"),
    );
    const report = await evaluate(context(dir, env), {});
    expect(report.estimate!.limit).toEqual({ usd: DEFAULT_MAX_USD, source: "default" });
    expect(report.estimate!.usd!).toBeLessThan(DEFAULT_MAX_USD);
    expect(llm.chats()).toEqual([]);
    const note = report.notes.find((n) => n.includes("llm.budgetUsd"));
    expect(note).toMatch(
      /^\d+ requests were not sent because they would have taken their days past llm\.budgetUsd \(\$0\.00001\), which caps each replayed day as it caps the daily run:/,
    );
    expect(report.notes.some((n) => n.includes("--max-usd"))).toBe(false);
  });

  it("holds every attempt against one limit over all the days: an answer without token counts and a timed-out try count whole", async () => {
    // The same archive, its requests answered: what the estimate foresees for the two days.
    const foreseen = await archiveWithFeedback();
    const limitUsd = (await evaluate(context(foreseen.dir, foreseen.env), {})).estimate!.usd!;
    const perDay = foreseen.llm.chats().length;
    expect(perDay).toBeGreaterThan(1);

    // Now the first request hangs until its timeout (it may have been billed) and is tried again,
    // and no answer says what it cost. The limit is just what the estimate foresaw.
    const llm = await startOpenAiServer({ mode: (n) => (n === 0 ? "hang" : "correct"), usage: "omit" });
    servers.push(llm);
    const { dir, cleanup } = tempWorkspace(
      CONFIG.replace("  maxAttempts: 2\n", "  maxAttempts: 2\n  timeoutSeconds: 0.3\n  callDeadlineSeconds: 5\n"),
    );
    onTestFinished(cleanup);
    cpSync(join(foreseen.dir, "archive"), join(dir, "archive"), { recursive: true });
    cpSync(join(foreseen.dir, "feedback.jsonl"), join(dir, "feedback.jsonl"));
    const env = { OPENAI_BASE_URL: `${llm.url}/v1`, OPENAI_API_KEY: "sk-test" };
    const report = await evaluate(context(dir, env), { maxUsd: limitUsd });
    expect(report.estimate!.usd!).toBeCloseTo(limitUsd, 12);
    // The retry was not foreseen: something had to be held back, and what every request sent may
    // have cost, at its worst case, stays within the limit.
    const price = priceFor("gpt-5-mini")!;
    const sentWorstCase = llm.chats().reduce((sum, c) => {
      const cap = Number(c.max_completion_tokens ?? c.max_tokens);
      return sum + worstCaseUsd(promptTokensOf(c.messages, c.response_format), cap, price);
    }, 0);
    expect(llm.chats().length).toBeGreaterThan(1);
    expect(sentWorstCase).toBeLessThanOrEqual(limitUsd * (1 + 1e-9));
    expect(report.notes.some((n) => /not sent because .* past its limit of \$[\d.]+ \(--max-usd\)/.test(n))).toBe(true);
  });

  it("counts a model without a price at a local endpoint as free, with one warning; elsewhere it is refused", async () => {
    const { dir, env, llm } = await archiveWithFeedback();
    writeFileSync(join(dir, "arxiv-digest.yaml"), CONFIG.replace("model: gpt-5-mini", "model: llama3.1:8b"));
    const warnings: string[] = [];
    const ctx = {
      ...context(dir, env),
      log: { ...silentLogger, warn: (message: string) => warnings.push(message) },
    };
    const report = await evaluate(ctx, { maxUsd: 0 });
    expect(llm.chats().length).toBeGreaterThan(0);
    expect(report.estimate).toMatchObject({ usd: 0, unpriced: [], freeLocal: ["llama3.1:8b"] });
    expect(warnings.filter((w) => w.includes("counts its requests as free"))).toEqual([
      "llama3.1:8b has no price under llm.prices and runs at a local endpoint, so eval counts its requests as free; give its price under llm.prices if it is paid for.",
    ]);

    // The same model at an endpoint off this machine cannot be held to a limit: refused, nothing sent.
    const remote = { ...env, OPENAI_BASE_URL: "https://llm.example.com/v1" };
    const sent = llm.chats().length;
    rmSync(loadWorkspace(dir, env).cacheDir, { recursive: true, force: true });
    const error = await evaluate(context(dir, remote), { maxUsd: 100 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SpendLimitError);
    expect((error as Error).message).toContain("to llama3.1:8b, which has no known price");
    expect(llm.chats().length).toBe(sent);
  });

  it("replays a day through the papers' earlier verdicts, prices them at what they cost when paid, and asks again for another batch size", async () => {
    const { dir, env, llm } = await archiveWithFeedback();
    const first = await evaluate(context(dir, env), {});
    const calls = llm.chats().length;
    const scored = llm.chats().flatMap(idsIn).length;
    expect(first.days.every((d) => d.reusedScores === 0 && d.reusedCostUsd === 0)).toBe(true);

    // Without the whole requests, every paper's verdict is looked up on its own.
    rmSync(join(loadWorkspace(dir, env).cacheDir, "llm"), { recursive: true });
    const second = await evaluate(context(dir, env), {});
    expect(llm.chats().length).toBe(calls);
    expect(second.spend).toEqual({
      newCalls: 0,
      reusedAnswers: 0,
      spentUsd: 0,
      withoutUsage: 0,
      reusedScores: scored,
      reusedTitles: 0,
    });
    expect(second.days.map((d) => d.recallSelected)).toEqual(first.days.map((d) => d.recallSelected));
    // Paid in full, a day costs what the first evaluation paid for it, although this one paid nothing.
    expect(second.overall.costPerDayUsd).toBeCloseTo(first.overall.costPerDayUsd!, 12);
    second.days.forEach((d, i) => {
      expect(d.costUsd).toBeCloseTo(first.days[i]!.costUsd!, 12);
      expect(d.reusedCostUsd).toBeCloseTo(d.costUsd!, 12);
      expect(d.promptTokens).toBeCloseTo(first.days[i]!.promptTokens, -1);
      expect(d.estimatedVerdicts).toBe(0);
    });
    expect(second.notes.join(" ")).toContain(
      `${scored} papers kept their scores from an earlier answer and were not sent again: this evaluation did not pay for them, but the tokens and cost per day paid in full count them at their share of the tokens of the answer that gave them.`,
    );

    // One paper per call: a batch's size changes how a model rates what is in it, so an A/B of
    // llm.papersPerCall asks every paper again rather than measuring the earlier batches twice.
    writeFileSync(
      join(dir, "arxiv-digest.yaml"),
      CONFIG.replace("  maxAttempts: 2\n", "  maxAttempts: 2\n  papersPerCall: 1\n"),
    );
    const third = await evaluate(context(dir, env), {});
    expect(llm.chats().length).toBe(calls + scored);
    expect(third.spend).toMatchObject({ newCalls: scored, reusedScores: 0 });
  });
  it("prices reused verdicts at an estimate when their stored shares add up to far more than sending them would take", async () => {
    const { dir, env, llm } = await archiveWithFeedback();
    const first = await evaluate(context(dir, env), {});
    const calls = llm.chats().length;
    const cacheDir = loadWorkspace(dir, env).cacheDir;
    rmSync(join(cacheDir, "llm"), { recursive: true });
    // Each share alone is one a request of the stage could take; all of them together are not
    // what the day's few papers cost.
    const papersDir = join(cacheDir, "llm-papers");
    const usage = { promptTokens: 12_000, cachedPromptTokens: 0, completionTokens: 20_000 };
    editStoredVerdicts(papersDir, (entry) => ({ ...entry, usage }));
    const planted = await evaluate(context(dir, env), {});
    expect(llm.chats().length).toBe(calls);
    const scored = planted.days.reduce((sum, d) => sum + d.reusedScores, 0);
    expect(scored).toBeGreaterThan(0);
    expect(planted.days.reduce((sum, d) => sum + d.estimatedVerdicts, 0)).toBe(scored);

    // Priced as verdicts stored without a share are: at the estimate from the prompt's size.
    editStoredVerdicts(papersDir, ({ usage: _, ...rest }) => rest);
    const estimated = await evaluate(context(dir, env), {});
    planted.days.forEach((d, i) => {
      expect(d.costUsd).toBe(estimated.days[i]!.costUsd);
      expect(d.promptTokens).toBe(estimated.days[i]!.promptTokens);
      expect(d.completionTokens).toBe(estimated.days[i]!.completionTokens);
    });
    // Near what the day cost when paid, nowhere near what the planted shares say.
    expect(planted.overall.costPerDayUsd!).toBeLessThan(2 * first.overall.costPerDayUsd!);
    expect(planted.notes.join(" ")).toContain(
      `(${scored} without a usable share at an estimate from the prompt's size)`,
    );
  });

  it("prices a verdict stored without its tokens at an estimate from its prompt's size, and says so", async () => {
    const { dir, env, llm } = await archiveWithFeedback();
    await evaluate(context(dir, env), {});
    const calls = llm.chats().length;
    const cacheDir = loadWorkspace(dir, env).cacheDir;
    rmSync(join(cacheDir, "llm"), { recursive: true });
    // Verdicts as an earlier version stored them: without their share of the answer's tokens.
    const papersDir = join(cacheDir, "llm-papers");
    editStoredVerdicts(papersDir, ({ usage: _, ...rest }) => rest);
    const second = await evaluate(context(dir, env), {});
    expect(llm.chats().length).toBe(calls);
    const scored = second.days.reduce((sum, d) => sum + d.reusedScores, 0);
    expect(scored).toBeGreaterThan(0);
    expect(second.days.reduce((sum, d) => sum + d.estimatedVerdicts, 0)).toBe(scored);
    for (const d of second.days) {
      if (d.reusedScores > 0) expect(d.costUsd).toBeGreaterThan(0);
      expect(d.promptTokens).toBeGreaterThan(0);
    }
    expect(second.spend.spentUsd).toBe(0);
    expect(second.notes.join(" ")).toContain(
      `(${scored} without a usable share at an estimate from the prompt's size)`,
    );
  });

  it("keeps no share from an answer without token counts: a reused verdict of it is estimated, not free", async () => {
    const { dir, env, llm } = await archiveWithFeedback("omit");
    writeFileSync(join(dir, "arxiv-digest.yaml"), CONFIG.replace("    enabled: false\n", "    enabled: true\n"));
    const first = await evaluate(context(dir, env), {});
    const calls = llm.chats().length;
    expect(first.spend.withoutUsage).toBe(calls);
    const cacheDir = loadWorkspace(dir, env).cacheDir;
    for (const f of readdirSync(join(cacheDir, "llm-papers"))) {
      expect(JSON.parse(readFileSync(join(cacheDir, "llm-papers", f), "utf8"))).not.toHaveProperty("usage");
    }

    rmSync(join(cacheDir, "llm"), { recursive: true });
    const second = await evaluate(context(dir, env), {});
    expect(llm.chats().length).toBe(calls);
    const reused = second.days.reduce((sum, d) => sum + d.reusedScores + d.reusedTitles, 0);
    expect(second.days.every((d) => d.reusedTitles > 0 && d.reusedScores > 0)).toBe(true);
    expect(second.days.reduce((sum, d) => sum + d.estimatedVerdicts, 0)).toBe(reused);
    for (const d of second.days) {
      expect(d.estimatedVerdicts).toBeGreaterThan(0);
      expect(d.costUsd).toBeGreaterThan(0);
    }
    expect(second.overall.costPerDayUsd).toBeGreaterThan(0);
  });

  it("prices an answer replayed from the response cache without token counts at an estimate from its prompt's size, and says so", async () => {
    const { dir, env, llm } = await archiveWithFeedback("omit");
    writeFileSync(join(dir, "arxiv-digest.yaml"), CONFIG.replace("    enabled: false\n", "    enabled: true\n"));
    const first = await evaluate(context(dir, env), {});
    const calls = llm.chats().length;
    expect(first.spend.withoutUsage).toBe(calls);

    // Every answer replayed from the whole-request cache: none of them is free.
    const replayed = await evaluate(context(dir, env), {});
    expect(llm.chats().length).toBe(calls);
    expect(replayed.spend).toMatchObject({ newCalls: 0, reusedAnswers: calls, spentUsd: 0, withoutUsage: 0 });
    expect(replayed.days.reduce((sum, d) => sum + d.estimatedAnswers, 0)).toBe(calls);
    for (const d of replayed.days) {
      expect(d.estimatedAnswers).toBeGreaterThan(0);
      expect(d.promptTokens).toBeGreaterThan(0);
      expect(d.completionTokens).toBeGreaterThan(0);
      expect(d.costUsd).toBeGreaterThan(0);
    }
    expect(replayed.notes.join(" ")).toContain(
      `${calls} answers came without token counts from the endpoint (all replayed from the response cache): the tokens and cost per day paid in full count them at an estimate from the prompt's size.`,
    );
    // The estimate is the per-paper store's: the same as the day priced through the papers' and
    // titles' verdicts stored without a share, and as when the answers were paid.
    rmSync(join(loadWorkspace(dir, env).cacheDir, "llm"), { recursive: true });
    const reused = await evaluate(context(dir, env), {});
    expect(llm.chats().length).toBe(calls);
    expect(reused.days.every((d) => d.estimatedAnswers === 0 && d.estimatedVerdicts > 0)).toBe(true);
    for (const [i, d] of replayed.days.entries()) {
      expect(d.promptTokens).toBe(reused.days[i]!.promptTokens);
      expect(d.completionTokens).toBe(reused.days[i]!.completionTokens);
      expect(d.costUsd).toBeCloseTo(reused.days[i]!.costUsd!, 12);
      expect(d.costUsd).toBeCloseTo(first.days[i]!.costUsd!, 12);
    }
  });

  it("replays the title triage through the titles' earlier verdicts when the response cache no longer holds its request", async () => {
    const { dir, env, llm } = await archiveWithFeedback();
    writeFileSync(join(dir, "arxiv-digest.yaml"), CONFIG.replace("    enabled: false\n", "    enabled: true\n"));
    const first = await evaluate(context(dir, env), {});
    const calls = llm.chats().length;
    const titles = llm.chats().flatMap(titlesIn).length;
    const scored = llm.chats().flatMap(idsIn).length;
    expect(titles).toBe(6);

    // Without the whole requests, every title and paper is looked up on its own.
    rmSync(join(loadWorkspace(dir, env).cacheDir, "llm"), { recursive: true });
    const second = await evaluate(context(dir, env), {});
    expect(llm.chats().length).toBe(calls);
    expect(second.spend).toEqual({
      newCalls: 0,
      reusedAnswers: 0,
      spentUsd: 0,
      withoutUsage: 0,
      reusedScores: scored,
      reusedTitles: titles,
    });
    expect(second.days.map((d) => d.reusedTitles)).toEqual([3, 3]);
    expect(second.overall.costPerDayUsd).toBeCloseTo(first.overall.costPerDayUsd!, 12);
    expect(second.notes.join(" ")).toContain(
      `${scored} papers kept their scores and ${titles} titles their triage verdicts from an earlier answer and were not sent again`,
    );
  });
});
