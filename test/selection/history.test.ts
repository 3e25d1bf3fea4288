import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type LabelledDay, loadLabelledDays } from "../../src/eval/labelled-days.js";
import { precisionAtK } from "../../src/eval/metrics.js";
import {
  DISLIKED_WEIGHT,
  EXPLICIT_SHARE_MAX,
  explicitShare,
  fitHistoryModel,
  type HistoryExample,
  SELECTED_WEIGHT,
  UNSELECTED_WEIGHT,
} from "../../src/selection/history.js";

const [first, second, third] = loadLabelledDays(join(import.meta.dirname, "..", "fixtures", "labelled-days")) as [
  LabelledDay,
  LabelledDay,
  LabelledDay,
];

/** The archive of earlier days: picks as selections, the rest as not selected. */
function archiveOf(days: LabelledDay[]): HistoryExample[] {
  return days.flatMap((day) =>
    day.papers.map((paper) => ({ ...paper, weight: day.labels[paper.id] ? SELECTED_WEIGHT : UNSELECTED_WEIGHT })),
  );
}

describe("fitHistoryModel", () => {
  it("an empty history scores every paper 0", () => {
    const model = fitHistoryModel([]);
    expect(model.size).toBe(0);
    expect(third.papers.map((paper) => model.score(paper)).every((score) => score === 0)).toBe(true);
    // Negatives alone say nothing about what the reader wants.
    expect(fitHistoryModel([{ title: "A", abstract: "b", weight: DISLIKED_WEIGHT }]).size).toBe(0);
  });

  it("ranks a later day's picks above its other papers", () => {
    const model = fitHistoryModel(archiveOf([first, second]));
    expect(model.size).toBe(80);
    const ranking = [...third.papers].sort((a, b) => model.score(b) - model.score(a)).map((paper) => paper.id);
    // 4 of the 9 picks in the top 9 of 40 papers, where chance gives about 2.
    expect(precisionAtK(ranking, Object.keys(third.labels))).toEqual({ hits: 4, total: 9, value: 4 / 9 });
    expect(ranking.slice(0, 3)).toEqual(["2603.04411", "2603.04759", "2603.05488"]);
    expect(model.score(third.papers.find((paper) => paper.id === "2603.04411")!)).toBeCloseTo(1.2619, 4);
  });

  it("is deterministic and does not depend on example order", () => {
    const examples = archiveOf([first, second]);
    const a = fitHistoryModel(examples);
    const b = fitHistoryModel([...examples].reverse());
    for (const paper of third.papers) expect(b.score(paper)).toBeCloseTo(a.score(paper), 9);
  });

  it("a dislike lowers papers like it, and positives alone learn against the background", () => {
    const liked = { title: "Routing in mixture of experts layers", abstract: "Expert routing and gating.", weight: 1 };
    const disliked = {
      title: "Agents for medical imaging",
      abstract: "An agent pipeline for medical images.",
      weight: DISLIKED_WEIGHT,
    };
    const probe = { title: "An agent for medical imaging reports", abstract: "Medical images, agent tools." };
    const withDislike = fitHistoryModel([liked, disliked]);
    expect(withDislike.score(probe)).toBeLessThan(0);
    const moe = { title: "Sparse mixture of experts with learned routing", abstract: "Gating experts." };
    expect(withDislike.score(moe)).toBeGreaterThan(0);
    const positivesOnly = fitHistoryModel([liked], { background: first.papers });
    expect(positivesOnly.size).toBe(41);
    expect(positivesOnly.score(moe)).toBeGreaterThan(positivesOnly.score(probe));
  });

  it("keeps the reader's own signals a share that grows with their count, never above the cap", () => {
    expect(explicitShare(0)).toBe(0);
    const shares = [1, 4, 8, 9, 20, 1000].map(explicitShare);
    expect(shares.map((share) => Math.round(share * 100) / 100)).toEqual([0.15, 0.38, 0.5, 0.52, 0.63, 0.75]);
    expect(Math.max(...shares)).toBeLessThan(EXPLICIT_SHARE_MAX);
  });

  it("gives likes the same pull beside 30 picks as beside 540: the reader's group is weighted as a group", () => {
    const picks = archiveOf([first, second]);
    const liked = third.papers.slice(0, 3).map((paper) => ({ ...paper, weight: 1, explicit: true }));
    // The same picks and passed-over papers 18 times over: a long history of the same taste.
    const long = Array.from({ length: 18 }, () => picks).flat();
    const short = fitHistoryModel([...picks, ...liked]);
    const longer = fitHistoryModel([...long, ...liked]);
    // Unmarked, the same likes are 3 examples among 1,443 and fade as the history grows (their own
    // score about 0.7 where the reader's group keeps it near 4, as beside the short history).
    const plain = liked.map(({ explicit: _, ...paper }) => paper);
    const faded = fitHistoryModel([...long, ...plain]);
    for (const paper of liked) {
      expect(longer.score(paper)).toBeGreaterThan(0.9 * short.score(paper));
      expect(faded.score(paper)).toBeLessThan(longer.score(paper) / 3);
    }
  });
});
