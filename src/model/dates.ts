/**
 * The one test of a date written by a person or another tool: YYYY-MM-DD naming a day that exists
 * (2026-02-30 does not). The arXiv calendar, the holiday table and the config all ask it here.
 */
import { Temporal } from "temporal-polyfill";

export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The date as a Temporal day, or null when the text is not a real calendar date written YYYY-MM-DD. */
export function calendarDay(text: string): Temporal.PlainDate | null {
  if (!ISO_DATE.test(text)) return null;
  try {
    return Temporal.PlainDate.from(text, { overflow: "reject" });
  } catch {
    return null;
  }
}

/** The months' English names, January first. */
export const MONTH_NAMES = [
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

/**
 * The calendar date text most likely means when only a leading zero of its month or day is missing
 * (`2026-11-7` → `2026-11-07`); null when it has another shape or the padded date does not exist.
 */
export function meantDate(text: string): string | null {
  const parts = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  if (parts === null) return null;
  const padded = `${parts[1]}-${parts[2]!.padStart(2, "0")}-${parts[3]!.padStart(2, "0")}`;
  return calendarDay(padded) === null ? null : padded;
}

/**
 * What to do about text that is not a calendar date, as a clause to follow "is not a calendar
 * date; ": the month's length for a day past its end (`November 2026 has 30 days, so …`), the
 * months for a month out of range, the format, with the date meant when only leading zeros are
 * missing (`2026-11-7`: did you mean 2026-11-07?). Null when the text is a calendar date. Given
 * `today` (YYYY-MM-DD), for a caller that refuses a later date, it suggests no day after it: no
 * date meant that is later, and a month's days only up to it.
 */
export function calendarDateFix(text: string, today?: string): string | null {
  if (calendarDay(text) !== null) return null;
  const taken = (date: string) => today === undefined || date <= today;
  if (!ISO_DATE.test(text)) {
    const meant = meantDate(text);
    return meant !== null && taken(meant) ? `write it as YYYY-MM-DD: did you mean ${meant}?` : "write it as YYYY-MM-DD";
  }
  const [year, month, day] = text.split("-").map(Number) as [number, number, number];
  if (month < 1 || month > 12) return `the month is ${text.slice(5, 7)}, but months go from 01 to 12 (YYYY-MM-DD)`;
  const days = Temporal.PlainYearMonth.from({ year, month }).daysInMonth;
  const ym = text.slice(0, 7);
  const name = `${MONTH_NAMES[month - 1]} ${year}`;
  const [first, end] = [`${ym}-01`, `${ym}-${days}`];
  const within = !taken(first) ? null : taken(end) ? `from ${first} to ${end}` : `from ${first} to ${today} (today)`;
  if (day < 1)
    return within === null
      ? `days go from 01 (YYYY-MM-DD), and ${name} is after today (${today})`
      : `days go from 01 (YYYY-MM-DD), so give one ${within}`;
  return within === null
    ? `${name} has ${days} days, all of them after today (${today})`
    : `${name} has ${days} days, so give a day ${within}`;
}
