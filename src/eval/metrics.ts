/**
 * Figures for selection economy, as pure functions so benches and tests compute them the same
 * way: how much of a day reaches the paid stage, whether the papers the reader wants are among
 * it, how well a free score orders the day, and what the paid stage costs.
 */
import type { Price } from "../config/schema.js";
import { costOf, type TokenCounts } from "../llm/prices.js";

/** A count out of a total; `value` is null when the total is 0 (no evidence either way). */
export interface Ratio {
  hits: number;
  total: number;
  value: number | null;
}

function ratio(hits: number, total: number): Ratio {
  return { hits, total, value: total === 0 ? null : hits / total };
}

/** Share of the day's papers sent on to the next stage. */
export function shareSent(sent: number, scanned: number): Ratio {
  if (sent < 0 || scanned < 0 || sent > scanned) throw new RangeError(`sent ${sent} of ${scanned} papers`);
  return ratio(sent, scanned);
}

/** Share of the labelled papers (the picks) that are among the ids passed at this stage. */
export function recallAt(passed: Iterable<string>, labelled: Iterable<string>): Ratio {
  const kept = new Set(passed);
  const wanted = new Set(labelled);
  let hits = 0;
  for (const id of wanted) if (kept.has(id)) hits++;
  return ratio(hits, wanted.size);
}

/**
 * Share of the first k ids of a ranking (best first) that are labelled. k defaults to the number
 * of labels, where a perfect ranking scores 1 (R-precision); a k beyond the ranking counts the
 * missing places as misses.
 */
export function precisionAtK(ranking: readonly string[], labelled: Iterable<string>, k?: number): Ratio {
  const wanted = new Set(labelled);
  const places = k ?? wanted.size;
  if (!Number.isInteger(places) || places < 0) throw new RangeError(`k must be a whole number ≥ 0, got ${places}`);
  let hits = 0;
  for (const id of ranking.slice(0, places)) if (wanted.has(id)) hits++;
  return ratio(hits, places);
}

/**
 * Adds ratios over days: pooled (micro) figures weigh every paper alike, so a day with two picks
 * does not count as much as a day with twenty.
 */
export function pooled(ratios: readonly Ratio[]): Ratio {
  return ratio(
    ratios.reduce((sum, r) => sum + r.hits, 0),
    ratios.reduce((sum, r) => sum + r.total, 0),
  );
}

/**
 * Prompt tokens per paper scanned that day (every candidate, not only those sent): what the
 * issue's "≤ 69 tokens per scanned paper" is measured on. Null on an empty day.
 */
export function tokensPerScannedPaper(promptTokens: number, scanned: number): number | null {
  return scanned === 0 ? null : promptTokens / scanned;
}

/** USD for a day's LLM usage at `price` (USD per million tokens, cached prompt tokens at their rate). */
export function costPerDay(tokens: TokenCounts, price: Price): number {
  return costOf(tokens, price).total;
}
