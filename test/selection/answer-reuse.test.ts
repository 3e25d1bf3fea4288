/**
 * Per-paper answer reuse (src/llm/answers.ts) through the real selection and a real local
 * OpenAI-compatible server that counts requests: a day batched otherwise, or with one paper
 * more, sends only the papers no earlier answer scored; a changed prompt or model sends every
 * paper again; a damaged store is a miss, never a crash.
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Candidate } from "../../src/model/candidate.js";
import type { PaperRecord } from "../../src/model/day-record.js";
import { createJudge } from "../../src/pipeline/judge.js";
import { type SelectionContext, selectPapers } from "../../src/selection/select.js";
import { defaultPrompts, testConfig } from "../helpers/config.js";
import { fakeClock } from "../helpers/fake-clock.js";
import { idsIn, type OpenAiServer, startOpenAiServer } from "../helpers/openai-server.js";
import { dayCandidates } from "../helpers/reference.js";

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

function context(server: OpenAiServer, cacheDir: string, llm: LlmOverrides = {}, criteria?: string): SelectionContext {
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
    prompts: criteria === undefined ? prompts : { ...prompts, criteria },
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
  it("re-batched with another papersPerCall, the day sends nothing and keeps every verdict", async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), "reuse-"));
    const first = await serve();
    const judged = await selectPapers(DAY, context(first, cacheDir, { papersPerCall: 8 }));
    expect(sent(first)).toHaveLength(DAY.length);
    expect(answerFiles(cacheDir)).toHaveLength(DAY.length);

    const again = await serve();
    const rerun = await selectPapers(DAY, context(again, cacheDir, { papersPerCall: 5 }));
    expect(again.chats()).toHaveLength(0);
    expect(verdicts(rerun.papers)).toEqual(verdicts(judged.papers));
    // Reused verdicts cost nothing and are said in the one sentence about what was reused.
    expect(rerun.usage.total).toMatchObject({ calls: 0, promptTokens: 0, completionTokens: 0 });
    expect(rerun.reusedNote).toBe(
      `${DAY.length} papers kept their scores from an earlier answer, not sent again (no charge in this run); new calls made: 0.`,
    );
    expect(rerun.operatorNotes).toContain(rerun.reusedNote);
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
});
