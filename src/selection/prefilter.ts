/**
 * The free stage before paid judging: decide which of the day's candidates the LLM reads.
 *
 * Papers are ranked by a mix of free signals, the topic scores (BM25 of the reader's topic terms,
 * and the broader TF-IDF similarity to the topics' words, see createTopicSimilarityScorer) and the
 * history model (similarity to what the reader took before), and the top share of the day is kept. Combining ranks rather than raw scores, because the two are on unrelated scales
 * and BM25's varies with the day's vocabulary; a percentile means the same thing every day.
 * Keeping a share rather than a score threshold makes the paid cost predictable: a day of 300
 * papers costs about twice a day of 150, never ten times.
 *
 * Two things override the rank: papers by followed authors are always kept (the reader asked for
 * every one of them), and a paper whose topic score reaches the floor is kept however the day's
 * other papers rank (a rich day must not push out a paper the offline scorer would select itself).
 *
 * Nothing is lost: every candidate comes back with both scores, its rank and the reason it was
 * kept or dropped, for the archive.
 */
import { PREFILTER_DEFAULTS } from "../config/schema.js";
import type { Candidate } from "../model/candidate.js";
import type { HistoryModel } from "./history.js";

export interface PrefilterOptions {
  /** Raw topic score (see createLexicalRawScorer): higher is more on-topic. Also the floor's score. */
  topicsScorer: (c: Candidate) => number;
  /**
   * Topic similarity (see createTopicSimilarityScorer); when given, the topic rank mixes it with
   * the topic score's rank by similarityWeight.
   */
  similarityScorer?: (c: Candidate) => number;
  /** Weight of the similarity rank within the topic rank, 0–1, when a similarityScorer is given. */
  similarityWeight?: number;
  /** The reader's history; an empty model (size 0) leaves the ranking to the topic score. */
  history?: HistoryModel;
  /** Share of the day kept by rank, 0–1. */
  keepShare?: number;
  /** Topic score at which a paper is kept whatever its rank; Infinity disables. */
  floor?: number;
  /** Weight of the history rank in the combined rank, 0–1, when history has examples. */
  historyWeight?: number;
  /** The followed author's name when one wrote the paper, else null (or a plain boolean). */
  isAuthorMatch?: (c: Candidate) => string | boolean | null;
}

export interface PrefilterDecision {
  id: string;
  /** Raw topic score. */
  lexical: number;
  /** Topic similarity; 0 without a similarityScorer. */
  similarity: number;
  /** History score; 0 when there is no history. */
  history: number;
  /** Combined percentile in the day, 0–1, 1 = best. */
  combined: number;
  /** The topic rank's percentile in the day (topic score and similarity mixed), 0–1, 1 = best. */
  topicPercentile: number;
  /** The history rank's percentile in the day, 0–1; 0.5 for every paper without history (all tie). */
  historyPercentile: number;
  /** Weight of the history rank in `combined` (0 without history). */
  historyWeight: number;
  /** 1-based position by combined score (ties broken by topic score, then id). */
  rank: number;
  kept: boolean;
  reason: string;
}

/**
 * 0.7: the share of the day the LLM reads (the openings of its abstracts, one round of calls; or
 * its titles, when the title triage is on). On the 30 labelled days (bench/selection.ts), ranked
 * by topic similarity and history, the top 70% holds 97.8% of the reference picks with history
 * and 95.7% without (0.65: 95.7% / 94.1%; BM25 alone at 0.65: 86.6%); the top 40% held only
 * 90.7% / 83.9%: the reference's LLM read the topics broadly (LLM reasoning, interpretability),
 * which topic words cannot see but a model reading the paper can.
 */
export const DEFAULT_KEEP_SHARE = PREFILTER_DEFAULTS.keepShare;
/**
 * The topic rank is the similarity's alone when a similarityScorer is given (bench: similarity
 * weight 0.5 / 0.7 / 1.0 keep 80 / 83 / 84% of picks cold); the BM25 score still sets the floor
 * and breaks ties.
 */
export const DEFAULT_SIMILARITY_WEIGHT = 1;
/** Lexical relevance 7 (src/selection/lexical.ts breakpoints): the offline scorer's own pick. */
export const DEFAULT_FLOOR = PREFILTER_DEFAULTS.floor;
/**
 * Once there is history it leads: it has seen what the reader took, topic words only what they
 * wrote down (bench, after topic similarity: 0.5 / 0.7 / 0.8 keep 89 / 91 / 91% of picks in the
 * top 40%, 0.8 with a worse worst day). Not 1, so a
 * topic the reader just added still reaches the judge before history has heard of it.
 */
export const DEFAULT_HISTORY_WEIGHT = PREFILTER_DEFAULTS.historyWeight;

export function prefilter(candidates: readonly Candidate[], options: PrefilterOptions): PrefilterDecision[] {
  const keepShare = clamp01(options.keepShare ?? DEFAULT_KEEP_SHARE);
  const floor = options.floor ?? DEFAULT_FLOOR;
  const history = options.history && options.history.size > 0 ? options.history : null;
  const historyWeight = history ? clamp01(options.historyWeight ?? DEFAULT_HISTORY_WEIGHT) : 0;
  const similarityScorer = options.similarityScorer;
  const similarityWeight = similarityScorer ? clamp01(options.similarityWeight ?? DEFAULT_SIMILARITY_WEIGHT) : 0;

  const lexical = candidates.map((c) => options.topicsScorer(c));
  const similarity = candidates.map((c) => (similarityScorer ? similarityScorer(c) : 0));
  const historyScores = candidates.map((c) => (history ? history.score(c) : 0));
  const lexicalPct = percentiles(lexical);
  const similarityPct = percentiles(similarity);
  const historyPct = percentiles(historyScores);
  const topicPct = candidates.map(
    (_, i) => (1 - similarityWeight) * lexicalPct[i]! + similarityWeight * similarityPct[i]!,
  );
  const combined = candidates.map((_, i) => (1 - historyWeight) * topicPct[i]! + historyWeight * historyPct[i]!);

  const order = candidates
    .map((_, i) => i)
    .sort(
      (a, b) =>
        combined[b]! - combined[a]! || lexical[b]! - lexical[a]! || compareIds(candidates[a]!.id, candidates[b]!.id),
    );
  const rank = new Array<number>(candidates.length);
  order.forEach((index, position) => {
    rank[index] = position + 1;
  });
  const quota = Math.ceil(keepShare * candidates.length);
  const share = `${Math.round(keepShare * 100)}%`;
  const total = candidates.length;

  return candidates.map((c, i) => {
    const author = options.isAuthorMatch?.(c) ?? null;
    const position = `rank ${rank[i]} of ${total}`;
    let kept: boolean;
    let reason: string;
    if (author) {
      kept = true;
      reason = typeof author === "string" ? `followed author: ${author}` : "followed author";
    } else if (rank[i]! <= quota) {
      kept = true;
      reason = `${position}, within the day's top ${share}`;
    } else if (lexical[i]! >= floor) {
      kept = true;
      reason = `${position}, below the day's top ${share}, but topic score ${lexical[i]!.toFixed(2)} reaches the floor ${floor}`;
    } else {
      kept = false;
      reason = `${position}: below the day's top ${share}`;
    }
    return {
      id: c.id,
      lexical: lexical[i]!,
      similarity: similarity[i]!,
      history: historyScores[i]!,
      combined: combined[i]!,
      topicPercentile: topicPct[i]!,
      historyPercentile: historyPct[i]!,
      historyWeight,
      rank: rank[i]!,
      kept,
      reason,
    };
  });
}

/**
 * Mid-rank percentiles in 0–1 (1 = highest). Ties share a value, so the many papers with no topic
 * term at all sit together in the middle-low range rather than in an arbitrary order.
 */
export function percentiles(values: readonly number[]): number[] {
  const n = values.length;
  if (n <= 1) return values.map(() => 1);
  const order = values.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value);
  const result = new Array<number>(n);
  for (let start = 0; start < n; ) {
    let end = start;
    while (end + 1 < n && order[end + 1]!.value === order[start]!.value) end++;
    const midRank = (start + end) / 2;
    for (let i = start; i <= end; i++) result[order[i]!.index] = midRank / (n - 1);
    start = end + 1;
  }
  return result;
}

function clamp01(value: number): number {
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
}

/** Code-unit order, so results do not depend on the machine's locale. */
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
