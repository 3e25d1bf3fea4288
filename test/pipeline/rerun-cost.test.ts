/**
 * A re-run keeps what the day's answers cost: `runDay` against a local arXiv feed and the local
 * OpenAI-compatible server, then again after the prefilter's set changed, so the title triage and
 * the scoring find their earlier verdicts title by title and paper by paper (the response cache
 * holds other batches). The record's stages say what the day's answers cost, reused or paid now;
 * its per-call list says what the re-run spent; the Markdown page, the site's month total and
 * `eval`'s cost per day paid in full all agree with the record.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { formatUsd } from "../../src/format/text.js";
import { renderDayMarkdown } from "../../src/markdown/day-page.js";
import type { DayRecord, Usage } from "../../src/model/day-record.js";
import { silentLogger } from "../../src/pipeline/context.js";
import { evaluate } from "../../src/pipeline/eval.js";
import { resultOf, spendSentence } from "../../src/pipeline/record.js";
import { runDay } from "../../src/pipeline/run.js";
import { summariseDay } from "../../src/site/day-summary.js";
import { loadWorkspace } from "../../src/workspace/load.js";
import { fakeClock } from "../helpers/fake-clock.js";
import { localServicesEnv } from "../helpers/feed-day.js";
import {
  ONE_FEED_ARXIV_YAML,
  ONE_FEED_MORNING,
  oneFeedDay,
  serveOneFeed,
  serversClosedAfterEach,
} from "../helpers/one-feed-day.js";
import { idsIn, type OpenAiServer, startOpenAiServer, titleIndex, titlesIn } from "../helpers/openai-server.js";
import type { TestServer } from "../helpers/server.js";
import { tempWorkspace } from "../helpers/workspace.js";

const MORNING = ONE_FEED_MORNING;
const { papers: PAPERS, feed: FEED } = oneFeedDay(12);

const servers = serversClosedAfterEach();

async function servePair(): Promise<{ arxiv: TestServer; llm: OpenAiServer }> {
  const arxiv = await serveOneFeed(FEED);
  const idOf = titleIndex(PAPERS);
  const llm = await startOpenAiServer({ idOfTitle: (title) => idOf.get(title) });
  servers.push(arxiv, llm);
  return { arxiv, llm };
}

/** The workspace's config with the free prefilter sending `keepShare` of the day's titles to the triage. */
const config = (keepShare: number) => `${ONE_FEED_ARXIV_YAML}llm:
  provider: openai
  model: gpt-5-mini
  maxAttempts: 2
  triage:
    enabled: true
    model: gpt-5-nano
selection:
  minRelevance: 1
  prefilter:
    keepShare: ${keepShare}
    scoreShare: 1
    floor: 100
topics:
  - id: architecture
    title: Model architecture
    description: Mixture-of-experts, transformers and conditional computation.
    include: [mixture of experts, transformer, attention]
`;

/** A workspace whose runs of the day go to the two servers, with the prefilter's share set per run. */
function workspace(arxiv: TestServer, llm: OpenAiServer) {
  const { dir, cleanup } = tempWorkspace(config(1));
  onTestFinished(cleanup);
  const env = localServicesEnv(arxiv, llm);
  const ctx = () => ({ workspace: loadWorkspace(dir, env), clock: fakeClock(MORNING), log: silentLogger });
  return {
    dir,
    ctx,
    run: async (keepShare: number) => {
      writeFileSync(join(dir, "arxiv-digest.yaml"), config(keepShare));
      return runDay(ctx(), { deliver: false });
    },
  };
}

const sentTitles = (record: DayRecord) => record.papers.filter((p) => p.outcome !== "prefiltered-out").length;
/** Papers whose abstract the LLM scored: those the title triage kept. */
const scoredPapers = (record: DayRecord) =>
  record.papers.filter((p) => p.outcome !== "prefiltered-out" && p.outcome !== "triaged-out").length;
const stage = (record: DayRecord, name: string): Usage => record.usage.stages[name]!;
const costOfStage = (record: DayRecord, name: string) => stage(record, name).cost!.total;
/** The cost line of the Markdown page's table. */
const pageCost = (record: DayRecord) => /\| \*\*Cost\*\* \|.*\| (\$[\d.]+) \|$/m.exec(renderDayMarkdown(record))?.[1];

describe("a re-run that reuses the day's verdicts keeps what they cost", () => {
  it("after the prefilter's set shrank: nothing paid, every stage at what its reused verdicts cost", async () => {
    const { arxiv, llm } = await servePair();
    const ws = workspace(arxiv, llm);
    const first = (await ws.run(1)).record;
    const triageTitles = llm.chats().flatMap(titlesIn).length;
    const firstScores = llm.chats().flatMap(idsIn).length;
    expect(triageTitles).toBe(PAPERS.length);
    expect(firstScores).toBe(scoredPapers(first));
    expect(firstScores).toBeGreaterThan(0);
    expect(Object.keys(first.usage.stages).sort()).toEqual(["scoring", "triage"]);
    expect(first.usage.total.reused).toBeUndefined();
    const calls = llm.chats().length;

    const again = await ws.run(0.5);
    const second = again.record;
    expect(llm.chats()).toHaveLength(calls);
    const titles = sentTitles(second);
    expect(titles).toBeLessThan(PAPERS.length);
    const scores = scoredPapers(second);

    // What this run spent stays apart: no call, nothing paid.
    expect(second.usage.calls).toEqual([]);
    const reusedText = `${titles} titles' triage verdicts`;
    expect(spendSentence(second.usage)).toBe(
      `0 new calls, $0 spent (${scores} papers' scores and ${reusedText} reused)`,
    );
    expect(again.summary).toContain("(0 new calls, $0 spent (");

    // Each stage is there, with what its reused verdicts took when the first run paid for them:
    // a title's share is its triage answer's tokens over that answer's titles, a paper's likewise.
    expect(stage(second, "triage")).toMatchObject({ calls: 0, reused: { verdicts: titles, estimated: 0 } });
    expect(stage(second, "scoring")).toMatchObject({ calls: 0, reused: { verdicts: scores, estimated: 0 } });
    expect(costOfStage(second, "triage")).toBeCloseTo((costOfStage(first, "triage") * titles) / triageTitles, 12);
    expect(costOfStage(second, "scoring")).toBeCloseTo((costOfStage(first, "scoring") * scores) / firstScores, 12);
    expect(second.usage.total.cost!.total).toBeCloseTo(
      costOfStage(second, "triage") + costOfStage(second, "scoring"),
      12,
    );
    expect(second.usage.total.reused).toMatchObject({ verdicts: titles + scores, estimated: 0 });

    // The page, the site's month total and eval's cost paid in full say the same.
    const total = second.usage.total.cost!.total;
    expect(total).toBeGreaterThan(0);
    const markdown = renderDayMarkdown(second);
    expect(pageCost(second)).toBe(formatUsd(total));
    expect(markdown).toContain(
      `The cost is what the day's answers cost when paid for, whichever run paid: ${scores} papers kept their scores and ${titles} titles their triage verdicts from an earlier answer, at no charge in the latest run.`,
    );
    expect(summariseDay(second).cost).toBe(total);
    const report = await evaluate(ws.ctx(), {});
    expect(report.days).toHaveLength(1);
    expect(report.days[0]!.costUsd).toBeCloseTo(total, 12);
    expect(llm.chats()).toHaveLength(calls);
  });

  it("after the prefilter's set grew: the reused verdicts at what the first run paid, the new titles as paid now", async () => {
    const { arxiv, llm } = await servePair();
    const ws = workspace(arxiv, llm);
    const first = (await ws.run(0.5)).record;
    const firstTitles = sentTitles(first);
    const firstScores = scoredPapers(first);
    expect(firstTitles).toBeLessThan(PAPERS.length);
    const calls = llm.chats().length;

    const again = await ws.run(1);
    const second = again.record;
    // Only the titles and papers no earlier answer judged were sent.
    const newChats = llm.chats().slice(calls);
    expect(newChats.flatMap(titlesIn)).toHaveLength(PAPERS.length - firstTitles);
    expect(newChats.flatMap(idsIn).length).toBe(scoredPapers(second) - firstScores);

    // The run's own calls are the new ones alone, each paid.
    expect(second.usage.calls).toHaveLength(newChats.length);
    expect(second.usage.calls.every((c) => !c.replayed)).toBe(true);
    // Every verdict of the first run is reused at what it cost then; the stage adds what was paid now.
    const triage = stage(second, "triage");
    expect(triage.reused).toMatchObject({ verdicts: firstTitles, estimated: 0 });
    expect(triage.reused!.cost!).toBeCloseTo(costOfStage(first, "triage"), 12);
    expect(triage.calls).toBe(second.usage.calls.filter((c) => c.stage === "triage").length);
    expect(triage.cost!.total).toBeGreaterThan(costOfStage(first, "triage"));
    const scoring = stage(second, "scoring");
    expect(scoring.reused).toMatchObject({ verdicts: firstScores, estimated: 0 });
    expect(scoring.reused!.cost!).toBeCloseTo(costOfStage(first, "scoring"), 12);

    // The day's cost paid in full is the first run's plus what this one paid.
    const spent = resultOf(second, []).summary;
    expect(spent).toMatch(/\(\d+ new calls?, \$[\d.]+ spent \(/);
    const total = second.usage.total.cost!.total;
    expect(summariseDay(second).cost).toBe(total);
    expect(pageCost(second)).toBe(formatUsd(total));
    const report = await evaluate(ws.ctx(), {});
    expect(report.days[0]!.costUsd).toBeCloseTo(total, 12);
  });
});
