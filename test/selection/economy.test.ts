/**
 * The selection economy against a local OpenAI-compatible server: the free share prefilter
 * decides what the LLM reads and every paper keeps its free scores; only usable answers are
 * cached; an answer that names a paper twice differently is not trusted until the paper is
 * asked about alone; the offline scorer learns from history.
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Candidate } from "../../src/model/candidate.js";
import { createJudge } from "../../src/pipeline/judge.js";
import { fitHistoryModel, type HistoryModel } from "../../src/selection/history.js";
import type { PrefilterDecision } from "../../src/selection/prefilter.js";
import { nearHistory, type SelectionContext, selectPapers } from "../../src/selection/select.js";
import { defaultPrompts, testConfig } from "../helpers/config.js";
import { fakeClock } from "../helpers/fake-clock.js";
import {
  idsIn,
  type OpenAiServer,
  type OpenAiServerOptions,
  startOpenAiServer,
  titleIndex,
  titlesIn,
} from "../helpers/openai-server.js";
import { dayCandidates } from "../helpers/reference.js";
import { expectShownRanksAgree, isCapped, shownRank } from "../helpers/shown-ranks.js";

const DAY = dayCandidates("2026-02-05");

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

function context(
  server: OpenAiServer | null,
  opts: { prefilter?: boolean; triage?: boolean; cacheDir?: string; history?: HistoryModel; offline?: boolean } = {},
): SelectionContext {
  const config = testConfig({
    llm: {
      ...(server ? { baseUrl: `${server.url}/v1` } : {}),
      ...(opts.offline ? { provider: "offline" } : {}),
      triage: { enabled: opts.triage ?? false },
    },
    selection: { prefilter: { enabled: opts.prefilter ?? false } },
  });
  const judge = createJudge({
    llm: config.llm,
    env: { OPENAI_API_KEY: "sk-test" },
    cacheDir: opts.cacheDir ?? null,
    clock: fakeClock(),
  });
  return {
    config,
    prompts: defaultPrompts(),
    matchAuthor: () => null,
    judge,
    ...(opts.history ? { history: opts.history } : {}),
  };
}

describe("the free share prefilter", () => {
  it("sends the top share of the day, keeps every paper with its free scores, and counts what was sent", async () => {
    const server = await serve();
    const result = await selectPapers(DAY, context(server, { prefilter: true }));
    const asked = new Set(server.chats().flatMap(idsIn));
    expect(result.sentToLlm).toBe(asked.size);
    // Without the title triage (the default) what is read is what is scored: the top keepShare
    // (70%) by rank, plus any paper whose topic score reaches the floor.
    expect(asked.size).toBeGreaterThanOrEqual(Math.ceil(0.7 * DAY.length));
    expect(asked.size).toBeLessThan(DAY.length);
    expect(result.papers).toHaveLength(DAY.length);
    for (const p of result.papers) {
      expect(p.prefilter).toEqual({
        topics: expect.any(Number),
        history: 0,
        percentile: expect.any(Number),
      });
      if (asked.has(p.id)) {
        expect(p.scoredBy).toBe("llm");
      } else {
        expect(p.outcome).toBe("prefiltered-out");
        expect(p.reason).toMatch(/^not sent to the LLM: rank \d+ of \d+: below the day's top 70%$/);
        expect(p.relevance).not.toBeNull();
      }
    }
    // What was sent by rank ranks above what was not (a paper reaching the floor is sent whatever its rank).
    const floor = testConfig().selection.prefilter.floor;
    const worstSent = Math.min(
      ...result.papers
        .filter((p) => asked.has(p.id) && p.prefilter!.topics < floor)
        .map((p) => p.prefilter!.percentile),
    );
    const bestDropped = Math.max(
      ...result.papers.filter((p) => p.outcome === "prefiltered-out").map((p) => p.prefilter!.percentile),
    );
    expect(worstSent).toBeGreaterThanOrEqual(bestDropped);
  });

  it("with the title triage: the top 70% of titles are read, and the ration of abstracts goes on topic first", async () => {
    const idOf = titleIndex(DAY);
    // The "model" calls every tenth paper on topic, every third maybe, the rest outside.
    const verdictOf = (id: string) => {
      const i = DAY.findIndex((c) => c.id === id);
      return i % 10 === 0 ? "on-topic" : i % 3 === 0 ? "maybe" : "outside";
    };
    const server = await serve({
      idOfTitle: (title) => idOf.get(title),
      judge: (id) => ({ relevance: 8, novelty: 6, keep: true, triage: verdictOf(id) }),
    });
    const result = await selectPapers(DAY, context(server, { prefilter: true, triage: true }));
    const triageCalls = server.chats().filter((c) => /^## Titles$/m.test(c.messages[1]!.content));
    const titlesRead = triageCalls.flatMap(titlesIn).map((t) => idOf.get(t)!);
    const scored = new Set(server.chats().flatMap(idsIn));
    expect(result.sentToLlm).toBe(titlesRead.length);
    expect(result.abstractsScored).toBe(scored.size);
    expect(titlesRead.length).toBeGreaterThanOrEqual(Math.ceil(0.7 * DAY.length));
    expect(result.papers).toHaveLength(DAY.length);
    const byId = new Map(result.papers.map((p) => [p.id, p]));
    // The ration is strict: the bill follows the share.
    expect(scored.size).toBeLessThanOrEqual(Math.ceil(0.27 * DAY.length));
    for (const id of titlesRead) {
      const p = byId.get(id)!;
      if (verdictOf(id) === "outside") {
        expect(p).toMatchObject({ outcome: "triaged-out", reason: "the title triage judged it outside every topic" });
      } else if (!scored.has(id)) {
        expect(p.outcome).toBe("triaged-out");
        expect(p.reason).toMatch(
          /^the title triage rated it (on topic|maybe), but the abstracts read today were rationed to \d+/,
        );
      } else {
        expect(p.scoredBy).toBe("llm");
      }
    }
    // On-topic titles go first: a maybe is scored only when every on-topic title was.
    const onTopic = titlesRead.filter((id) => verdictOf(id) === "on-topic");
    if ([...scored].some((id) => verdictOf(id) === "maybe")) expect(onTopic.every((id) => scored.has(id))).toBe(true);
    expect(result.usage.stages.triage?.calls).toBe(triageCalls.length);
  });

  it("does not let the title triage alone set aside a title near the reader's history; the ration stays", async () => {
    const idOf = titleIndex(DAY);
    // The "model" calls every tenth title on topic and every other one outside: taste unseen.
    const verdictOf = (id: string) => (DAY.findIndex((c) => c.id === id) % 10 === 0 ? "on-topic" : "outside");
    const liked = DAY.slice(-6);
    const history = fitHistoryModel([
      ...liked.map((c) => ({ title: c.title, abstract: c.abstract, weight: 1, explicit: true })),
      ...DAY.slice(0, 12).map((c) => ({ title: c.title, abstract: c.abstract, weight: -0.1 })),
    ]);
    const run = async (withHistory: boolean) => {
      const server = await serve({
        idOfTitle: (title) => idOf.get(title),
        judge: (id) => ({ relevance: 8, novelty: 6, keep: true, triage: verdictOf(id) }),
      });
      const result = await selectPapers(
        DAY,
        context(server, { prefilter: true, triage: true, ...(withHistory ? { history } : {}) }),
      );
      return { result, scored: new Set(server.chats().flatMap(idsIn)) };
    };
    const cold = await run(false);
    const warm = await run(true);
    const near = nearHistory(
      new Map(warm.result.papers.map((p) => [p.id, { id: p.id, history: p.prefilter!.history } as PrefilterDecision])),
    );
    expect(near.size).toBeGreaterThan(0);
    const rescued = [...near].filter((id) => verdictOf(id) === "outside");
    expect(rescued.length).toBeGreaterThan(0);
    for (const id of rescued) {
      const p = warm.result.papers.find((paper) => paper.id === id)!;
      expect(p.reason ?? "").not.toBe("the title triage judged it outside every topic");
      if (!warm.scored.has(id)) expect(p.reason).toMatch(/kept as maybe for its likeness to your history, but/);
    }
    // Taste reaches the abstracts read, and the ration (the bill) is the same with or without it.
    expect(rescued.some((id) => warm.scored.has(id))).toBe(true);
    expect(rescued.some((id) => cold.scored.has(id))).toBe(false);
    expect(warm.result.abstractsScored).toBeLessThanOrEqual(Math.ceil(0.27 * DAY.length));
    expect(warm.result.abstractsScored).toBeGreaterThanOrEqual(cold.result.abstractsScored!);
  });

  it("lets history move papers like the reader's past picks into what is sent", async () => {
    const liked = DAY.slice(-6);
    const history = fitHistoryModel([
      ...liked.map((c) => ({ title: c.title, abstract: c.abstract, weight: 1 })),
      ...DAY.slice(0, 12).map((c) => ({ title: c.title, abstract: c.abstract, weight: -0.1 })),
    ]);
    const cold = await selectPapers(DAY, context(await serve(), { prefilter: true }));
    const warm = await selectPapers(DAY, context(await serve(), { prefilter: true, history }));
    const sentIds = (r: typeof cold) =>
      new Set(r.papers.filter((p) => p.outcome !== "prefiltered-out").map((p) => p.id));
    const likedSent = (r: typeof cold) => liked.filter((c) => sentIds(r).has(c.id)).length;
    expect(likedSent(warm)).toBeGreaterThan(likedSent(cold));
    expect(warm.papers.some((p) => (p.prefilter?.history ?? 0) !== 0)).toBe(true);
  });
});

describe("answers worth keeping", () => {
  it("caches no garbage: a re-run asks again what a garbage answer left unscored", async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), "economy-"));
    const papers = DAY.slice(0, 10);
    const garbage = await serve({ mode: "empty" });
    const first = await selectPapers(papers, context(garbage, { cacheDir }));
    expect(first.papers.every((p) => p.outcome === "unscored")).toBe(true);

    const healthy = await serve();
    const second = await selectPapers(papers, context(healthy, { cacheDir }));
    expect(second.papers.every((p) => p.scoredBy === "llm")).toBe(true);
    expect(new Set(healthy.chats().flatMap(idsIn))).toEqual(new Set(papers.map((c) => c.id)));

    // The healthy answers were cached: a third run pays for nothing.
    const third = await serve();
    await selectPapers(papers, context(third, { cacheDir }));
    expect(third.chats()).toHaveLength(0);
  });

  it("trusts neither of two different answers for one paper until it is asked about alone", async () => {
    const papers = DAY.slice(0, 6);
    const server = await serve({ mode: (n) => (n === 0 ? "duplicates" : "correct") });
    const result = await selectPapers(papers, context(server));
    expect(result.papers.every((p) => p.scoredBy === "llm")).toBe(true);
    const sizes = server.chats().map((c) => idsIn(c).length);
    expect(sizes[0]).toBe(papers.length);
    // Every paper was named twice in the first answer, so each was asked about alone.
    expect(sizes.slice(1)).toEqual(Array(papers.length).fill(1));
    for (const p of result.papers) {
      expect(p.reason).toMatch(
        /^an earlier answer named this paper twice with different scores; it was asked about alone(; |$)/,
      );
    }
  });
});

describe("the offline scorer with history", () => {
  it("ranks papers like the reader's past picks higher than topic words alone do", async () => {
    const target: Candidate[] = DAY.slice(-8);
    const history = fitHistoryModel([
      ...target.map((c) => ({ title: c.title, abstract: c.abstract, weight: 1 })),
      ...DAY.slice(0, 15).map((c) => ({ title: c.title, abstract: c.abstract, weight: -0.1 })),
    ]);
    const position = (papers: { id: string }[]) =>
      target.map((c) => papers.findIndex((p) => p.id === c.id)).reduce((a, b) => a + b, 0);
    const plain = await selectPapers(DAY, context(null, { offline: true }));
    const learnt = await selectPapers(DAY, context(null, { offline: true, history }));
    expect(position(learnt.papers)).toBeLessThan(position(plain.papers));
    // The reader's past picks carried it more than its topic words: the comment says so (no title: none was liked or saved).
    expect(learnt.papers.find((p) => p.id === target[0]!.id)!.comment).toMatch(
      /Ranked \d+ of \d+ today, more by your history than by topics\./,
    );
  });

  it("shows each paper's place in the digest as its rank, followed authors first and the capped after every pick", async () => {
    const history = fitHistoryModel([
      ...DAY.slice(-8).map((c) => ({ title: c.title, abstract: c.abstract, weight: 1 })),
      ...DAY.slice(0, 15).map((c) => ({ title: c.title, abstract: c.abstract, weight: -0.1 })),
    ]);
    const base = context(null, { offline: true, history });
    const followed = DAY[3]!.id;
    const result = await selectPapers(DAY, {
      ...base,
      config: { ...base.config, selection: { ...base.config.selection, minRelevance: 1, maxPapers: 5 } },
      matchAuthor: (c) => (c.id === followed ? "Ada Lovelace" : null),
    });
    const picks = result.papers.filter((p) => p.outcome === "selected");
    expect(picks.map((p) => p.id)[0]).toBe(followed);
    expect(picks).toHaveLength(6);
    // The followed author's card is the first; the first paper ranked by history is the second card.
    expect(shownRank(picks[1]!.comment)).toBe(2);
    expect(picks[1]!.comment).toContain(`Ranked 2 of ${DAY.length} today by topics and your history.`);
    expect(expectShownRanksAgree(result.papers)).toBe(DAY.length - 1);
    expect(result.papers.filter(isCapped)).toHaveLength(DAY.length - 6);
  });

  it("never picks a paper on history alone, and scores each paper as the stated formula says", async () => {
    const config = context(null, { offline: true }).config;
    const plain = await selectPapers(DAY, context(null, { offline: true }));
    // The reader took exactly the papers that match no topic word: history rates them highest.
    const offTopic = plain.papers.filter((p) => p.topic === null);
    expect(offTopic.length).toBeGreaterThan(10);
    const history = fitHistoryModel([
      ...offTopic.map((p) => ({ title: p.title, abstract: p.abstract, weight: 1 })),
      ...plain.papers
        .filter((p) => p.topic !== null)
        .map((p) => ({ title: p.title, abstract: p.abstract, weight: -0.1 })),
    ]);
    const learnt = await selectPapers(DAY, context(null, { offline: true, history }));
    const { minRelevance, weights } = config.selection;
    const held = learnt.papers.filter((p) => p.topic === null);
    // Ranked high by history, yet none reaches the cut-off; the card says why.
    expect(held.every((p) => p.relevance! < minRelevance && p.outcome !== "selected")).toBe(true);
    expect(held.some((p) => p.comment!.endsWith("Held below the cut-off: history alone does not pick it."))).toBe(true);
    // Papers with topic words are still picked, and the score is weight × relevance (no novelty offline).
    expect(learnt.papers.filter((p) => p.outcome === "selected").length).toBeGreaterThan(0);
    for (const p of learnt.papers) {
      expect(p.score).toBe(Math.round(100 * weights.relevance * p.relevance!) / 100);
      expect(Math.round(p.relevance! * 10)).toBe(p.relevance! * 10);
    }
  });
});
