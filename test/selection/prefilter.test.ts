import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ConfigSchema } from "../../src/config/schema.js";
import { isAuthorLabel, type LabelledDay, loadLabelledDays, toCandidate } from "../../src/eval/labelled-days.js";
import { precisionAtK, recallAt } from "../../src/eval/metrics.js";
import { fitHistoryModel, SELECTED_WEIGHT, UNSELECTED_WEIGHT } from "../../src/selection/history.js";
import { createLexicalRawScorer, createTopicSimilarityScorer } from "../../src/selection/lexical.js";
import { type PrefilterDecision, percentiles, prefilter } from "../../src/selection/prefilter.js";

const ROOT = join(import.meta.dirname, "..", "..");
const topics = ConfigSchema.parse(parse(readFileSync(join(ROOT, "defaults", "arxiv-digest.yaml"), "utf8"))).topics;
const [first, second, day] = loadLabelledDays(join(ROOT, "test", "fixtures", "labelled-days")) as [
  LabelledDay,
  LabelledDay,
  LabelledDay,
];
const candidates = day.papers.map(toCandidate);
const picks = Object.keys(day.labels);
const topicsScorer = createLexicalRawScorer(topics, candidates);
const similarityScorer = createTopicSimilarityScorer(topics, candidates);
const isAuthorMatch = (c: { id: string }) => {
  const label = day.labels[c.id];
  return label !== undefined && isAuthorLabel(label);
};
const history = fitHistoryModel(
  [first, second].flatMap((past) =>
    past.papers.map((paper) => ({ ...paper, weight: past.labels[paper.id] ? SELECTED_WEIGHT : UNSELECTED_WEIGHT })),
  ),
);

const kept = (decisions: PrefilterDecision[]) => decisions.filter((d) => d.kept).map((d) => d.id);
const byId = (decisions: PrefilterDecision[], id: string) => decisions.find((d) => d.id === id)!;

describe("prefilter", () => {
  it("cold: keeps the top 40% by topic score plus followed authors, and explains every paper", () => {
    const decisions = prefilter(candidates, { topicsScorer, isAuthorMatch, keepShare: 0.4 });
    expect(decisions.map((d) => d.id)).toEqual(candidates.map((c) => c.id));
    expect([...decisions.map((d) => d.rank)].sort((a, b) => a - b)).toEqual(candidates.map((_, i) => i + 1));
    // ceil(0.4 × 40) = 16 by rank, plus the followed-author paper ranked 23rd.
    expect(kept(decisions)).toHaveLength(17);
    expect(recallAt(kept(decisions), picks)).toEqual({ hits: 8, total: 9, value: 8 / 9 });
    const ranking = [...decisions].sort((a, b) => a.rank - b.rank).map((d) => d.id);
    expect(precisionAtK(ranking, picks)).toEqual({ hits: 4, total: 9, value: 4 / 9 });
    expect(byId(decisions, "2603.05225")).toMatchObject({ rank: 23, kept: true, reason: "followed author" });
    expect(byId(decisions, "2603.04450")).toMatchObject({ rank: 8, kept: true, history: 0 });
    expect(byId(decisions, "2603.04450").reason).toBe("rank 8 of 40, within the day's top 40%");
    expect(byId(decisions, "2603.04448")).toMatchObject({ rank: 38, kept: false });
    expect(byId(decisions, "2603.04448").reason).toBe("rank 38 of 40: below the day's top 40%");
    expect(byId(decisions, "2603.04448").lexical).toBeCloseTo(0.2655, 4);
  });

  it("warm: history reorders the day; the floor keeps a strong topic match history ranks low", () => {
    const decisions = prefilter(candidates, { topicsScorer, history, isAuthorMatch, keepShare: 0.4 });
    // 16 by rank, the followed author ranked 38th and one paper on the floor.
    expect(kept(decisions)).toHaveLength(18);
    expect(recallAt(kept(decisions), picks)).toEqual({ hits: 7, total: 9, value: 7 / 9 });
    const strong = byId(decisions, "2603.04450");
    expect(strong).toMatchObject({ rank: 25, kept: true });
    expect(strong.reason).toBe("rank 25 of 40, below the day's top 40%, but topic score 2.03 reaches the floor 1.9");
    expect(byId(decisions, "2603.05225")).toMatchObject({ rank: 38, kept: true, reason: "followed author" });
    expect(byId(decisions, "2603.04514")).toMatchObject({ rank: 11, kept: true });
    // Without the floor the strong match is dropped.
    const noFloor = prefilter(candidates, {
      topicsScorer,
      history,
      isAuthorMatch,
      keepShare: 0.4,
      floor: Number.POSITIVE_INFINITY,
    });
    expect(byId(noFloor, "2603.04450").kept).toBe(false);
    expect(kept(noFloor)).toHaveLength(17);
  });

  it("topic similarity re-ranks the day: more picks near the top, the BM25 score still sets the floor", () => {
    const cold = prefilter(candidates, { topicsScorer, similarityScorer, isAuthorMatch, keepShare: 0.4 });
    // 16 by rank, the followed-author paper ranked 27th and one paper (rank 19) on the floor.
    expect(kept(cold)).toHaveLength(18);
    // On this one small day one pick fewer is kept than by BM25 (8/9), but the ranking is sharper:
    // 6 of the first 9 are picks (BM25: 4).
    expect(recallAt(kept(cold), picks)).toEqual({ hits: 7, total: 9, value: 7 / 9 });
    const ranking = [...cold].sort((a, b) => a.rank - b.rank).map((d) => d.id);
    expect(precisionAtK(ranking, picks)).toEqual({ hits: 6, total: 9, value: 6 / 9 });
    // A pick on data selection for training, 12th by BM25, rises on the topic words it shares; the
    // pick that is lost (a world-model tokenizer) falls from 16th to 18th.
    expect(byId(cold, "2603.04981")).toMatchObject({ rank: 6, kept: true });
    expect(byId(cold, "2603.05438")).toMatchObject({ rank: 18, kept: false });
    expect(byId(cold, "2603.04411").similarity).toBeCloseTo(0.3939, 4);
    expect(byId(cold, "2603.04450").reason).toBe(
      "rank 19 of 40, below the day's top 40%, but topic score 2.03 reaches the floor 1.9",
    );
    // Weight 0 leaves the BM25 ranking as it was.
    const bm25 = prefilter(candidates, { topicsScorer, isAuthorMatch, keepShare: 0.4 });
    const weightZero = prefilter(candidates, {
      topicsScorer,
      similarityScorer,
      similarityWeight: 0,
      isAuthorMatch,
      keepShare: 0.4,
    });
    expect(weightZero.map((d) => d.rank)).toEqual(bm25.map((d) => d.rank));

    const warm = prefilter(candidates, { topicsScorer, similarityScorer, history, isAuthorMatch, keepShare: 0.4 });
    expect(kept(warm)).toHaveLength(18);
    expect(recallAt(kept(warm), picks)).toEqual({ hits: 7, total: 9, value: 7 / 9 });
  });

  it("the keep share sets how many papers go on, and a followed author is never dropped", () => {
    const share = (keepShare: number) =>
      kept(prefilter(candidates, { topicsScorer, keepShare, floor: Number.POSITIVE_INFINITY })).length;
    expect([share(0), share(0.3), share(0.5), share(1)]).toEqual([0, 12, 20, 40]);
    const none = prefilter(candidates, {
      topicsScorer,
      keepShare: 0,
      floor: Number.POSITIVE_INFINITY,
      isAuthorMatch: () => "Yann LeCun",
    });
    expect(none.every((d) => d.kept && d.reason === "followed author: Yann LeCun")).toBe(true);
  });

  it("percentiles share a value on ties and run 0…1", () => {
    expect(percentiles([3, 1, 1, 5])).toEqual([2 / 3, 1 / 6, 1 / 6, 1]);
    expect(percentiles([7])).toEqual([1]);
  });
});
