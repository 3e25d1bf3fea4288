/**
 * Turns judgements into the digest: who passes the cut-offs, how many are shown, and in what
 * order. The order is total (ties end on the id), so the same judgements always give the same
 * page, and it is the one order of the day: the cap cuts it, and the rank a reader is shown is a
 * paper's place in it (select.ts).
 *
 * Reasons are stored in the record as text and shown to readers (a near miss's card, the Markdown
 * digest), so they are written in a reader's words; the configuration keys behind the numbers are
 * named once, on a day's about page. Records written before this wording keep theirs.
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
    return `relevance ${judgement.relevance}, below the cut-off of ${selection.minRelevance}`;
  }
  if (judgement.novelty !== null && judgement.novelty < selection.minNovelty) {
    return `novelty ${judgement.novelty}, below the cut-off of ${selection.minNovelty}`;
  }
  if (judgement.score < selection.minScore) {
    return `score ${judgement.score}, below the cut-off of ${selection.minScore}`;
  }
  return null;
}

const descending = (a: number | null, b: number | null) =>
  (b ?? Number.NEGATIVE_INFINITY) - (a ?? Number.NEGATIVE_INFINITY);

/**
 * Digest order: author matches, then score, relevance and novelty (highest first), then the free
 * ranking's unrounded place in the day (its percentile, then its topic score, as the prefilter
 * breaks its own ties), then id. The shown scores are rounded (the offline relevance to a tenth), so
 * many papers tie on them; the free ranking breaks those ties as the day ranked them, where the id
 * alone would put them in arXiv order.
 */
export function compareForDigest(a: PaperRecord, b: PaperRecord): number {
  const authorFirst = Number(b.authorMatch !== null) - Number(a.authorMatch !== null);
  return (
    authorFirst ||
    descending(a.score, b.score) ||
    descending(a.relevance, b.relevance) ||
    descending(a.novelty, b.novelty) ||
    descending(a.prefilter?.percentile ?? null, b.prefilter?.percentile ?? null) ||
    descending(a.prefilter?.topics ?? null, b.prefilter?.topics ?? null) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/** Why a paper that passed the cut-offs is not shown: the day's cap, in a reader's words. */
export function cappedReason(maxPapers: number): string {
  const shown = maxPapers === 1 ? "the one paper" : `the ${maxPapers} papers`;
  return `passed the cut-offs, but ranked below ${shown} a day shows`;
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
      reason: cappedReason(maxPapers),
    };
  });
  return [...capped.filter((p) => p.outcome === "selected"), ...capped.filter((p) => p.outcome !== "selected")];
}
