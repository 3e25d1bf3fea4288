/**
 * Per-paper answer reuse (src/llm/answers.ts) through the real selection and a real local
 * OpenAI-compatible server that counts requests: a day batched otherwise, or with one paper
 * more, sends only the papers no earlier answer scored (and the title triage only the titles no
 * earlier answer judged); a changed prompt or model sends every paper again; a damaged store is a
 * miss, never a crash.
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Candidate } from "../../src/model/candidate.js";
import type { PaperRecord } from "../../src/model/day-record.js";
import { createJudge } from "../../src/pipeline/judge.js";
import { titleLine } from "../../src/selection/prompt.js";
import { type SelectionContext, selectPapers } from "../../src/selection/select.js";
import { defaultPrompts, testConfig } from "../helpers/config.js";
import { fakeClock } from "../helpers/fake-clock.js";
import { type ChatBody, idsIn, type OpenAiServer, startOpenAiServer, titlesIn } from "../helpers/openai-server.js";
import { dayCandidates } from "../helpers/reference.js";
import { editStoredVerdicts } from "../helpers/stored-verdicts.js";

const DAY = dayCandidates("2026-02-05");

let servers: OpenAiServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function serve(): Promise<OpenAiServer> {
  const server = await startOpenAiServer();
  servers.push(server);
  return server;
}

type LlmOverrides = NonNullable<Parameters<typeof testConfig>[0]>["llm"];

function context(
  server: OpenAiServer,
  cacheDir: string,
  llm: LlmOverrides = {},
  criteria?: string,
  triage?: string,
): SelectionContext {
  const config = testConfig({ llm: { baseUrl: `${server.url}/v1`, ...llm } });
  const judge = createJudge({
    llm: config.llm,
    env: { [config.llm.apiKeyEnv]: "sk-test" },
    cacheDir,
    clock: fakeClock(),
  });
  const prompts = defaultPrompts();
  return {
    config,
    prompts: {
      ...prompts,
      ...(criteria === undefined ? {} : { criteria }),
      ...(triage === undefined ? {} : { triage }),
    },
    matchAuthor: () => null,
    judge,
  };
}

const sent = (server: OpenAiServer) => server.chats().flatMap(idsIn);
const byLlm = (papers: readonly PaperRecord[]) => papers.filter((p) => p.scoredBy === "llm");
/** What a paper's verdict says, without what depends on the rest of the day (rank, reason). */
const verdicts = (papers: readonly PaperRecord[]) =>
  Object.fromEntries(byLlm(papers).map((p) => [p.id, [p.relevance, p.novelty, p.topic, p.comment]]));
const answerFiles = (cacheDir: string) => readdirSync(join(cacheDir, "llm-papers"));
/** The response cache's own entries gone: what is left to reuse is the per-paper store. */
const dropResponseCache = (cacheDir: string) => {
  for (const f of readdirSync(join(cacheDir, "llm"))) if (f.endsWith(".json")) rmSync(join(cacheDir, "llm", f));
};

describe("a paper's verdict is paid for once", () => {
  it("looked up paper by paper, the day sends nothing and keeps every verdict; another batch size asks again", async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), "reuse-"));
    const first = await serve();
    const judged = await selectPapers(DAY, context(first, cacheDir, { papersPerCall: 8 }));
    expect(sent(first)).toHaveLength(DAY.length);
    expect(answerFiles(cacheDir)).toHaveLength(DAY.length);

    dropResponseCache(cacheDir);
    const again = await serve();
    const rerun = await selectPapers(DAY, context(again, cacheDir, { papersPerCall: 8 }));
    expect(again.chats()).toHaveLength(0);
    expect(verdicts(rerun.papers)).toEqual(verdicts(judged.papers));
    // Reused verdicts cost this run nothing (no call) and are said in the one sentence about what
    // was reused, but the day's usage counts them at what they took when paid.
    expect(rerun.usage.calls).toEqual([]);
    expect(rerun.usage.total).toMatchObject({ calls: 0, reused: { verdicts: DAY.length, estimated: 0 } });
    expect(rerun.usage.total.promptTokens).toBeCloseTo(judged.usage.total.promptTokens, -1);
    expect(rerun.usage.total.cost!.total).toBeCloseTo(judged.usage.total.cost!.total, 12);
    expect(rerun.reusedNote).toBe(
      `${DAY.length} papers kept their scores from an earlier answer, not sent again (no charge in this run); new calls made: 0.`,
    );
    expect(rerun.operatorNotes).toContain(rerun.reusedNote);

    // A batch's size changes how a model rates what is in it: another papersPerCall is asked anew.
    const resized = await serve();
    await selectPapers(DAY, context(resized, cacheDir, { papersPerCall: 5 }));
    expect(sent(resized).sort()).toEqual(DAY.map((c) => c.id).sort());
  });

  it("keeps no verdict from a cut-off answer: its papers are asked again next time", async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), "reuse-"));
    const cut = await startOpenAiServer({ mode: (n) => (n === 0 ? "truncated" : "correct") });
    servers.push(cut);
    await selectPapers(DAY, context(cut, cacheDir, { papersPerCall: 8 }));
    const [firstAsked, ...later] = cut.chats() as [ChatBody, ...ChatBody[]];
    const askedAgain = new Set(later.flatMap(idsIn));
    // The papers the cut-off answer did score: in the day's record, never in the store.
    const fromCut = idsIn(firstAsked).filter((id) => !askedAgain.has(id));
    expect(fromCut.length).toBeGreaterThan(0);
    expect(answerFiles(cacheDir)).toHaveLength(DAY.length - fromCut.length);

    dropResponseCache(cacheDir);
    const again = await serve();
    await selectPapers(DAY, context(again, cacheDir, { papersPerCall: 8 }));
    expect(sent(again).sort()).toEqual([...fromCut].sort());
  });

  it("a day with one paper more sends that paper alone", async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), "reuse-"));
    const [newcomer, ...rest] = DAY as [Candidate, ...Candidate[]];
    await selectPapers(rest, context(await serve(), cacheDir));

    const again = await serve();
    const rerun = await selectPapers(DAY, context(again, cacheDir));
    expect(sent(again)).toEqual([newcomer.id]);
    expect(byLlm(rerun.papers)).toHaveLength(DAY.length);
    expect(rerun.usage.total.calls).toBe(1);
    expect(rerun.reusedNote).toMatch(
      new RegExp(
        `^${rest.length} papers kept their scores from an earlier answer, not sent again \\(no charge in this run\\); new calls made: 1\\.$`,
      ),
    );
  });

  it("a day the response cache holds as batched is replayed as before, not looked up paper by paper", async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), "reuse-"));
    const paid = await selectPapers(DAY, context(await serve(), cacheDir));
    const again = await serve();
    const rerun = await selectPapers(DAY, context(again, cacheDir));
    expect(again.chats()).toHaveLength(0);
    // The day's usage is what it cost, every call replayed, as a re-run always said.
    expect(rerun.usage.total.calls).toBe(paid.usage.total.calls);
    expect(rerun.reusedNote).toMatch(
      /^\d+ LLM answers came from the response cache \(no charge in this run\); new calls made: 0\.$/,
    );
  });

  it.each([
    ["interests prompt", { criteria: "Judge each paper for a reader of theory papers only." }],
    ["model", { llm: { model: "gpt-5-mini" } }],
    ["temperature", { llm: { options: { temperature: 0.3 } } }],
  ] as const)("a changed %s sends every paper again", async (_, change) => {
    const cacheDir = await mkdtemp(join(tmpdir(), "reuse-"));
    await selectPapers(DAY, context(await serve(), cacheDir, { papersPerCall: 8 }));

    const again = await serve();
    const llm: LlmOverrides = { papersPerCall: 5, ...("llm" in change ? change.llm : {}) };
    const rerun = await selectPapers(
      DAY,
      context(again, cacheDir, llm, "criteria" in change ? change.criteria : undefined),
    );
    expect(sent(again).sort()).toEqual(DAY.map((c) => c.id).sort());
    expect(rerun.reusedNote).toBeNull();
  });

  it("a damaged or misplaced verdict is a miss: the paper is sent again, the run completes", async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), "reuse-"));
    await selectPapers(DAY, context(await serve(), cacheDir));
    dropResponseCache(cacheDir);
    const dir = join(cacheDir, "llm-papers");
    const [broken, wrongShape, misplaced, donor] = answerFiles(cacheDir).sort() as [string, string, string, string];
    writeFileSync(join(dir, broken), '{"model": "gpt-5", "id": ');
    writeFileSync(join(dir, wrongShape), JSON.stringify({ model: "gpt-5", id: "x", relevance: 42 }));
    // Another paper's verdict under this paper's key is not this paper's.
    writeFileSync(join(dir, misplaced), readFileSync(join(dir, donor), "utf8"));

    const again = await serve();
    const rerun = await selectPapers(DAY, context(again, cacheDir));
    expect(sent(again)).toHaveLength(3);
    expect(byLlm(rerun.papers)).toHaveLength(DAY.length);
    expect(rerun.papers.every((p) => p.outcome !== "unscored")).toBe(true);
  });

  it("a planted verdict is held to a live answer's test: comment trimmed and cut, scores 1-10, a share one request could take", async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), "reuse-"));
    await selectPapers(DAY, context(await serve(), cacheDir));
    dropResponseCache(cacheDir);
    const dir = join(cacheDir, "llm-papers");
    const [long, outOfRange, costly] = answerFiles(cacheDir).sort() as [string, string, string];
    const entry = (file: string) => JSON.parse(readFileSync(join(dir, file), "utf8")) as Record<string, unknown>;
    const planted = entry(long);
    writeFileSync(join(dir, long), JSON.stringify({ ...planted, comment: `  ${"x".repeat(5000)}\n`, topic: " llm " }));
    const wrong = entry(outOfRange);
    writeFileSync(join(dir, outOfRange), JSON.stringify({ ...wrong, relevance: 0.5 }));
    // A share of tokens no request could have taken would set what eval says a day costs: the share
    // is dropped, the verdict kept.
    const inflated = entry(costly);
    expect(inflated.usage).toBeDefined();
    writeFileSync(
      join(dir, costly),
      JSON.stringify({ ...inflated, usage: { promptTokens: 1e12, cachedPromptTokens: 0, completionTokens: 0 } }),
    );

    const again = await serve();
    const ctx = context(again, cacheDir);
    const rerun = await selectPapers(DAY, ctx);
    // The long comment is reused as a live answer's would be kept: trimmed, then cut at 600.
    const kept = rerun.papers.find((p) => p.id === planted.id)!;
    expect(kept.comment).toBe("x".repeat(600));
    // A score off the 1-10 scale is no verdict: that paper is asked again; the inflated one is not.
    expect(sent(again)).toEqual([wrong.id]);
    expect(rerun.papers.find((p) => p.id === inflated.id)?.scoredBy).toBe("llm");
    // Its cost is the stage's estimate from the prompt's size, not a trillion tokens.
    const scoring = reusedBy(ctx, "scoring");
    expect(scoring.estimated).toBe(1);
    expect(scoring.promptTokens).toBeGreaterThan(0);
    expect(scoring.promptTokens).toBeLessThan(100_000);
  });
});

/** The title triage's requests among a server's chats, and the titles they sent. */
const isTriage = (body: ChatBody) => titlesIn(body).length > 0;
const triageChats = (server: OpenAiServer) => server.chats().filter(isTriage);
const titlesSent = (server: OpenAiServer) => triageChats(server).flatMap(titlesIn);
/** The triage's verdict per paper, as the records say it (triaged-out papers name it in their reason). */
const triageOutcomes = (papers: readonly PaperRecord[]) =>
  Object.fromEntries(papers.map((p) => [p.id, [p.outcome, p.reason]]));
const storedTitles = (cacheDir: string) =>
  answerFiles(cacheDir).filter((f) => readFileSync(join(cacheDir, "llm-papers", f), "utf8").includes('"triage"'));
const triageOn = (batchTokens: number, llm: LlmOverrides = {}): LlmOverrides => ({
  triage: { enabled: true, batchTokens },
  ...llm,
});

describe("a title's triage verdict is paid for once", () => {
  it("re-batched titles send no triage request and keep every verdict", async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), "reuse-"));
    const first = await serve();
    const judged = await selectPapers(DAY, context(first, cacheDir, triageOn(3000)));
    expect(triageChats(first)).toHaveLength(1);
    expect(storedTitles(cacheDir)).toHaveLength(DAY.length);

    dropResponseCache(cacheDir);
    const again = await serve();
    const rerun = await selectPapers(DAY, context(again, cacheDir, triageOn(3000)));
    expect(triageChats(again)).toHaveLength(0);
    // The same verdicts, so the same abstracts, whose verdicts are looked up too.
    expect(again.chats()).toHaveLength(0);
    expect(triageOutcomes(rerun.papers)).toEqual(triageOutcomes(judged.papers));
    expect(rerun.reusedNote).toMatch(
      new RegExp(
        `^\\d+ papers kept their scores and ${DAY.length} titles their triage verdicts from an earlier answer, not sent again \\(no charge in this run\\); new calls made: 0\\.$`,
      ),
    );

    // Another llm.triage.batchTokens asks every title anew.
    const resized = await serve();
    await selectPapers(DAY, context(resized, cacheDir, triageOn(200)));
    expect(titlesSent(resized).sort()).toEqual(DAY.map(titleLine).sort());
  });

  it("a day with one title more sends a triage request with that title only", async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), "reuse-"));
    const [newcomer, ...rest] = DAY as [Candidate, ...Candidate[]];
    await selectPapers(rest, context(await serve(), cacheDir, triageOn(3000)));

    const again = await serve();
    const rerun = await selectPapers(DAY, context(again, cacheDir, triageOn(3000)));
    expect(triageChats(again)).toHaveLength(1);
    expect(titlesSent(again)).toEqual([titleLine(newcomer)]);
    // The abstracts the new verdicts send are looked up too: one sentence counts both.
    expect(rerun.reusedNote).toMatch(
      new RegExp(
        `^\\d+ papers kept their scores and ${rest.length} titles their triage verdicts from an earlier answer`,
      ),
    );
  });

  it.each([
    ["triage prompt", { triage: "Sort these titles for a reader of theory papers only." }],
    ["triage model", { llm: { model: "gpt-5-mini" } }],
  ] as const)("a changed %s sends every title again", async (_, change) => {
    const cacheDir = await mkdtemp(join(tmpdir(), "reuse-"));
    await selectPapers(DAY, context(await serve(), cacheDir, triageOn(3000)));

    const again = await serve();
    const triage = { enabled: true, batchTokens: 200, ...("llm" in change ? change.llm : {}) };
    const rerun = await selectPapers(
      DAY,
      context(again, cacheDir, { triage }, undefined, "triage" in change ? change.triage : undefined),
    );
    expect(titlesSent(again).sort()).toEqual(DAY.map(titleLine).sort());
    expect(rerun.reusedNote ?? "").not.toContain("triage verdict");
  });

  it("a batch the triage could not decide is never stored: the next run sends its titles again", async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), "reuse-"));
    const garbled = await startOpenAiServer({ mode: (_, body) => (isTriage(body) ? "garbage" : "correct") });
    servers.push(garbled);
    const judged = await selectPapers(DAY, context(garbled, cacheDir, triageOn(3000)));
    expect(judged.operatorNotes.join(" ")).toContain("had no usable verdict");
    expect(storedTitles(cacheDir)).toHaveLength(0);

    const again = await serve();
    await selectPapers(DAY, context(again, cacheDir, triageOn(3000)));
    expect(titlesSent(again).sort()).toEqual(DAY.map(titleLine).sort());
  });

  it("an answer naming a line that does not exist stores no verdict: the next run asks its titles again", async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), "reuse-"));
    const stray = await startOpenAiServer({ mode: (_, body) => (isTriage(body) ? "unknown-ids" : "correct") });
    servers.push(stray);
    const judged = await selectPapers(DAY, context(stray, cacheDir, triageOn(3000)));
    expect(judged.operatorNotes.join(" ")).toContain("Title triage:");
    expect(storedTitles(cacheDir)).toHaveLength(0);
  });

  it("a damaged or misplaced triage verdict is a miss: the title is sent again", async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), "reuse-"));
    await selectPapers(DAY, context(await serve(), cacheDir, triageOn(3000)));
    const dir = join(cacheDir, "llm-papers");
    const [broken, misplaced, donor] = storedTitles(cacheDir).sort() as [string, string, string];
    writeFileSync(join(dir, broken), '{"model": "gpt-5", "stage": "triage", ');
    writeFileSync(join(dir, misplaced), readFileSync(join(dir, donor), "utf8"));
    // A verdict word the triage never gives is no verdict either.
    const [, , , odd] = storedTitles(cacheDir).sort() as [string, string, string, string];
    const oddEntry = JSON.parse(readFileSync(join(dir, odd), "utf8")) as Record<string, unknown>;
    writeFileSync(join(dir, odd), JSON.stringify({ ...oddEntry, verdict: "on-topic " }));

    dropResponseCache(cacheDir);
    const again = await serve();
    const rerun = await selectPapers(DAY, context(again, cacheDir, triageOn(3000)));
    expect(triageChats(again)).toHaveLength(1);
    expect(titlesSent(again)).toHaveLength(3);
    expect(rerun.reusedNote).toMatch(
      new RegExp(`papers kept their scores and ${DAY.length - 3} titles their triage verdicts`),
    );
  });

  it("a triage verdict whose share no request could take is reused, its cost estimated", async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), "reuse-"));
    await selectPapers(DAY, context(await serve(), cacheDir, triageOn(3000)));
    const dir = join(cacheDir, "llm-papers");
    const [costly] = storedTitles(cacheDir).sort() as [string];
    const entry = JSON.parse(readFileSync(join(dir, costly), "utf8")) as Record<string, unknown>;
    expect(entry.usage).toBeDefined();
    const usage = { promptTokens: 10, cachedPromptTokens: 0, completionTokens: 1e9 };
    writeFileSync(join(dir, costly), JSON.stringify({ ...entry, usage }));

    dropResponseCache(cacheDir);
    const again = await serve();
    const ctx = context(again, cacheDir, triageOn(3000));
    await selectPapers(DAY, ctx);
    expect(triageChats(again)).toHaveLength(0);
    const triage = reusedBy(ctx, "triage");
    expect(triage.estimated).toBe(1);
    expect(triage.completionTokens).toBeLessThan(10_000);
  });

  it("titles whose shares each fit a request but together far exceed the day's titles are priced at the estimate", async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), "reuse-"));
    await selectPapers(DAY, context(await serve(), cacheDir, triageOn(3000)));
    dropResponseCache(cacheDir);
    const honest = context(await serve(), cacheDir, triageOn(3000));
    await selectPapers(DAY, honest);
    const paid = reusedBy(honest, "triage");
    // Read back as stored: the shares of the answer that gave them, none estimated.
    expect(paid.estimated).toBe(0);

    const usage = { promptTokens: 2000, cachedPromptTokens: 0, completionTokens: 10 };
    editStoredVerdicts(join(cacheDir, "llm-papers"), (entry) => ({ ...entry, usage }), storedTitles(cacheDir));
    dropResponseCache(cacheDir);
    const again = await serve();
    const ctx = context(again, cacheDir, triageOn(3000));
    await selectPapers(DAY, ctx);
    expect(triageChats(again)).toHaveLength(0);
    const triage = reusedBy(ctx, "triage");
    expect(triage.estimated).toBe(DAY.length);
    expect(triage.promptTokens).toBeLessThan(2 * paid.promptTokens);
  });
});

/** What the verdicts one stage reused took when paid, as the run's LLM judge added them up. */
function reusedBy(ctx: SelectionContext, stage: "scoring" | "triage") {
  if (ctx.judge.kind !== "llm") throw new Error("an LLM judge was expected");
  return ctx.judge.answers!.reusedUsage().find((u) => u.stage === stage)!;
}
