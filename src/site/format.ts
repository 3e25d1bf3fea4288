/** Number and date wording shared by the pages and feeds. */
import { formatUsd } from "../format/text.js";
import { MONTH_NAMES } from "../model/dates.js";

/** TeX as plain text for search snippets and page descriptions; its home is format/tex.ts. */
export { plainTex } from "../format/tex.js";

export function formatCount(n: number | null): string {
  return n === null ? "not recorded" : n.toLocaleString("en-US");
}

/**
 * A score as every page and search result shows it: one decimal at most, a trailing zero dropped
 * ("8", "8.5", 9.91 → "9.9", 7.96 → "8"), so an LLM's whole numbers and the offline ranking's
 * fractions read alike. The order of the papers still follows the unrounded score.
 */
export function formatScore(n: number | null): string {
  return n === null ? "–" : String(roundScore(n));
}

/** A score rounded as formatScore shows it, for the search index (whose results print it as is). */
export function roundScore(n: number): number {
  return Math.round(n * 10) / 10;
}

/** "2026-02" → "February 2026" */
export function monthName(month: string): string {
  return `${MONTH_NAMES[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;
}

const WEEKDAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/** "2026-11-28" → "Saturday" */
export function weekdayName(date: string): string {
  return WEEKDAY_NAMES[new Date(`${date}T00:00:00Z`).getUTCDay()]!;
}

/** A cost in USD for the pages; null means some model had no known price. */
export function formatCost(usd: number | null): string {
  return usd === null ? "unpriced" : formatUsd(usd);
}
