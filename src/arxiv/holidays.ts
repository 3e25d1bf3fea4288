/**
 * Dates with no arXiv batch, as FEED dates: the digest date (the feed's pubDate) that stays empty.
 *
 * Source: arXiv's "Availability of submissions" page, section "2026 Holidays"
 * (https://info.arxiv.org/help/availability.html).
 * arXiv lists the day on whose evening no 20:00 ET announcement is made; the feed dated the
 * following day is the one without a batch, so each entry below is arXiv's date plus one day.
 * The reference history agrees: the tool we re-create published digests for 2026-01-01 (batch
 * of Wed 2025-12-31) and 2026-01-19 (batch of Sun 2026-01-18), and none for 2026-01-02 or 2026-01-20.
 *
 * arXiv's Friday holidays (2026-06-19, 2026-07-03, 2026-12-25) are left out: there is never a
 * Friday evening announcement, so they would map to a Saturday feed, which is empty anyway.
 */
import { Temporal } from "temporal-polyfill";

export const SHIPPED_HOLIDAYS: readonly string[] = [
  "2026-01-02", // arXiv: Thursday 2026-01-01 (New Year's Day)
  "2026-01-20", // arXiv: Monday 2026-01-19 (Martin Luther King Jr. Day)
  "2026-09-08", // arXiv: Monday 2026-09-07 (Labor Day)
  "2026-11-27", // arXiv: Thursday 2026-11-26 (Thanksgiving)
  "2026-12-30", // arXiv: Tuesday 2026-12-29
  "2027-01-01", // arXiv: Thursday 2026-12-31
];

function checkDate(date: string, key: string): string {
  try {
    return Temporal.PlainDate.from(date, { overflow: "reject" }).toString();
  } catch {
    throw new Error(`${key} lists "${date}", which is not a calendar date; write it as YYYY-MM-DD.`);
  }
}

/**
 * The feed dates without a batch: the shipped table plus the config's `arxiv.holidays`, minus
 * `arxiv.notHolidays`. Both config lists use feed dates too (the digest date that stays empty).
 */
export function holidayTable(extra: string[], removed: string[]): Set<string> {
  const table = new Set([...SHIPPED_HOLIDAYS, ...extra.map((d) => checkDate(d, "arxiv.holidays"))]);
  for (const d of removed) table.delete(checkDate(d, "arxiv.notHolidays"));
  return table;
}
