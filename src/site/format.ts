/** Number and date wording shared by the pages and feeds. */
import { formatUsd } from "../format/text.js";

/** TeX as plain text for search snippets and page descriptions; its home is format/tex.ts. */
export { plainTex } from "../format/tex.js";

export function formatCount(n: number | null): string {
  return n === null ? "not recorded" : n.toLocaleString("en-US");
}

export function formatScore(n: number | null): string {
  return n === null ? "–" : String(n);
}

const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** "2026-02" → "February 2026" */
export function monthName(month: string): string {
  return `${MONTH_NAMES[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;
}

/** A cost in USD for the pages; null means some model had no known price. */
export function formatCost(usd: number | null): string {
  return usd === null ? "unpriced" : formatUsd(usd);
}
