/**
 * Dates with no arXiv batch, as FEED dates: the digest date (the feed's pubDate) that stays empty.
 *
 * Sources: arXiv's "Availability of submissions" page (https://info.arxiv.org/help/availability.html),
 * section "2026 Holidays" (test/fixtures/arxiv-docs/availability-2026.md), and the same page's
 * "2025 Holidays" section as published in arXiv's docs repository (github.com/arXiv/arxiv-docs,
 * source/help/availability.md at 782dfdf; copied to test/fixtures/arxiv-docs/availability-2025.md).
 *
 * arXiv lists the day on whose evening no 20:00 ET announcement is made. The feed that stays
 * empty is the next weekday's: the day after a Monday–Thursday holiday, and the MONDAY after a
 * Friday one. There is never a Friday evening announcement, so a Friday holiday means the
 * Sunday announcement is skipped too and Tuesday's batch carries both windows: for 2025, arXiv
 * itself listed "Sun 6 July" after Independence Day (Friday 2025-07-04), and the feed of Monday
 * 2025-07-07 was empty while Tuesday 2025-07-08 carried both; 2026-06-22 and 2026-07-06 follow
 * the same rule.
 *
 * arXiv had not scheduled December 2025 when it published the 2025 list ("December Holidays are
 * not yet scheduled"); the reference history has a digest for every December 2025 weekday, so no
 * December 2025 date is listed.
 *
 * arXiv has published no 2027 list yet. The 2027 entries are PROJECTED: the US holidays arXiv
 * observed in both 2025 and 2026 (New Year's Day, Martin Luther King Jr. Day, Juneteenth,
 * Independence Day, Labor Day, Thanksgiving, Christmas), on their 2027 federal observed dates (a
 * Saturday holiday is observed the Friday before, a Sunday one the Monday after). The ad-hoc days
 * between Christmas and New Year (2026-12-29, 2026-12-31) are not projected. A run on a projected
 * holiday says so (holidayTableWarning), and the table ends with the feed after 2027-12-31.
 */
import { Temporal } from "temporal-polyfill";
import { calendarDay } from "../model/dates.js";

/** arXiv's own holiday lists, as arXiv writes them (the evening with no announcement). */
export const ARXIV_HOLIDAYS: readonly { date: string; note: string; projected?: true }[] = [
  { date: "2025-01-01", note: "Wednesday, New Year's Day" },
  { date: "2025-01-20", note: "Monday, Martin Luther King Jr. Day" },
  { date: "2025-06-19", note: "Thursday, Juneteenth" },
  { date: "2025-07-06", note: "Sunday, after Independence Day (Friday 2025-07-04)" },
  { date: "2025-09-01", note: "Monday, Labor Day" },
  { date: "2025-11-27", note: "Thursday, Thanksgiving" },
  { date: "2026-01-01", note: "Thursday, New Year's Day" },
  { date: "2026-01-19", note: "Monday, Martin Luther King Jr. Day" },
  { date: "2026-06-19", note: "Friday, Juneteenth" },
  { date: "2026-07-03", note: "Friday, Independence Day observed" },
  { date: "2026-09-07", note: "Monday, Labor Day" },
  { date: "2026-11-26", note: "Thursday, Thanksgiving" },
  { date: "2026-12-25", note: "Friday, Christmas" },
  { date: "2026-12-29", note: "Tuesday" },
  { date: "2026-12-31", note: "Thursday" },
  { date: "2027-01-18", note: "Monday, Martin Luther King Jr. Day", projected: true },
  { date: "2027-06-18", note: "Friday, Juneteenth observed", projected: true },
  { date: "2027-07-05", note: "Monday, Independence Day observed", projected: true },
  { date: "2027-09-06", note: "Monday, Labor Day", projected: true },
  { date: "2027-11-25", note: "Thursday, Thanksgiving", projected: true },
  { date: "2027-12-24", note: "Friday, Christmas observed", projected: true },
  { date: "2027-12-31", note: "Friday, New Year's Day 2028 observed", projected: true },
];

/** The span arXiv's lists cover (arXiv dates): outside it a holiday is simply not known. */
const ARXIV_LISTS_FROM = "2025-01-01";
const ARXIV_LISTS_TO = "2027-12-31";

/** The feed date a missing announcement empties: the next weekday after arXiv's listed date. */
export function feedDateAfter(arxivDate: string): string {
  let d = Temporal.PlainDate.from(arxivDate, { overflow: "reject" }).add({ days: 1 });
  while (d.dayOfWeek >= 6) d = d.add({ days: 1 });
  return d.toString();
}

export const SHIPPED_HOLIDAYS: readonly string[] = ARXIV_HOLIDAYS.map((h) => feedDateAfter(h.date));

/** The shipped table alone, as `holidayTable([], [])` gives it: what a caller that names no table gets. */
export const SHIPPED_HOLIDAY_TABLE: ReadonlySet<string> = new Set(SHIPPED_HOLIDAYS);

/**
 * Feed dates the shipped table speaks for, both inclusive. The first is the feed after arXiv's
 * first listed day (the feed of 2025-01-01 depends on 2024-12-31, which no list here covers).
 */
export const SHIPPED_HOLIDAYS_RANGE = {
  from: feedDateAfter(ARXIV_LISTS_FROM),
  to: feedDateAfter(ARXIV_LISTS_TO),
} as const;

function checkDate(date: string, key: string): string {
  const day = calendarDay(date);
  if (day === null) throw new Error(`${key} lists "${date}", which is not a calendar date; write it as YYYY-MM-DD.`);
  return day.toString();
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

/** Projected holidays by the feed date they empty. */
const PROJECTED = new Map(ARXIV_HOLIDAYS.filter((h) => h.projected).map((h) => [feedDateAfter(h.date), h]));

/**
 * A sentence to print when a feed date (or a range, `from`..`to`) lies outside the span the
 * shipped table covers, so that a holiday arXiv has not published (or that this table predates)
 * is not silently taken for an ordinary day, or when it is a projected holiday, so the reader
 * knows the gap rests on a projection; null when the whole range is covered by published lists
 * and holds no projected holiday.
 */
export function holidayTableWarning(from: string, to: string = from): string | null {
  const start = checkDate(from, "The date range");
  const end = checkDate(to, "The date range");
  const { from: first, to: last } = SHIPPED_HOLIDAYS_RANGE;
  const outside = [start < first ? start : null, end > last ? end : null].filter((d) => d !== null);
  if (outside.length === 0) {
    const projected = [...PROJECTED].filter(([feed]) => feed >= start && feed <= end);
    if (projected.length === 0) return null;
    const list = projected
      .map(([feed, h]) => `${feed} (after ${h.note.replace(/^\w+, /, "")} on ${h.date})`)
      .join(", ");
    return `No batch is expected on ${list}: arXiv has not published its ${projected[0]![1].date.slice(0, 4)} holidays yet, so this follows the US holidays it observed in 2025 and 2026. If arXiv announces on such a day after all, list it under arxiv.notHolidays.`;
  }
  const which = outside.length === 2 ? `${outside[0]} and ${outside[1]} lie` : `${outside[0]} lies`;
  return `${which} outside the arXiv holiday table shipped with this version (feed dates ${first} to ${last}), so arXiv holidays there are unknown and a missing batch may be reported as "empty". Add arXiv's published holidays (https://info.arxiv.org/help/availability.html) under arxiv.holidays as feed dates, or update arxiv-digest.`;
}
