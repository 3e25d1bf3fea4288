/** Number and date wording shared by the pages and feeds. */

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

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
}
