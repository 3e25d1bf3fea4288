/**
 * Turns judgements into the digest: who passes the cut-offs, how many are shown, and in what
 * order. The order is total (ties end on the id), so the same judgements always give the same
 * page.
 */

import type { Config } from "../config/schema.js";
import type { PaperRecord } from "../model/day-record.js";

type Selection = Config["selection"];

/** The ranking score: weighted relevance plus weighted novelty (novelty counts 0 when unjudged). */
export function rankingScore(relevance: number, novelty: number | null, weights: Selection["weights"]): number {
  const score = weights.relevance * relevance + weights.novelty * (novelty ?? 0);
  return Math.round(score * 100) / 100;
}

/**
 * Why a scored paper misses the cut-offs, or null when it passes. Offline scores carry no
 * novelty, so the novelty cut-off cannot apply to them.
 */
export function missedCutoff(
  judgement: { relevance: number; novelty: number | null; score: number },
  selection: Selection,
): string | null {
  if (judgement.relevance < selection.minRelevance) {
    return `relevance ${judgement.relevance} is below selection.minRelevance ${selection.minRelevance}`;
  }
  if (judgement.novelty !== null && judgement.novelty < selection.minNovelty) {
    return `novelty ${judgement.novelty} is below selection.minNovelty ${selection.minNovelty}`;
  }
  if (judgement.score < selection.minScore) {
    return `score ${judgement.score} is below selection.minScore ${selection.minScore}`;
  }
  return null;
}

const descending = (a: number | null, b: number | null) =>
  (b ?? Number.NEGATIVE_INFINITY) - (a ?? Number.NEGATIVE_INFINITY);

/** Digest order: author matches, then score, relevance and novelty (highest first), then id. */
export function compareForDigest(a: PaperRecord, b: PaperRecord): number {
  const authorFirst = Number(b.authorMatch !== null) - Number(a.authorMatch !== null);
  return (
    authorFirst ||
    descending(a.score, b.score) ||
    descending(a.relevance, b.relevance) ||
    descending(a.novelty, b.novelty) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/**
 * Every paper, selected ones first in digest order, then the rest in the same order. Selected
 * papers beyond `maxPapers` (author matches never count against it) become rejected, with why.
 */
export function rankPapers(papers: readonly PaperRecord[], maxPapers: number): PaperRecord[] {
  const ordered = [...papers].sort(compareForDigest);
  let shown = 0;
  const capped = ordered.map((paper) => {
    if (paper.outcome !== "selected" || paper.authorMatch !== null || maxPapers === 0) return paper;
    shown += 1;
    if (shown <= maxPapers) return paper;
    return {
      ...paper,
      outcome: "rejected" as const,
      reason: `passed the cut-offs but ranked below the top ${maxPapers} (selection.maxPapers)`,
    };
  });
  return [...capped.filter((p) => p.outcome === "selected"), ...capped.filter((p) => p.outcome !== "selected")];
}
