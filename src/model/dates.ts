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
 * What to do about text that is not a calendar date, as a clause to follow "is not a calendar
 * date; ": the month's length for a day past its end (`November 2026 has 30 days, so …`), the
 * months for a month out of range, the format, with the date meant when only leading zeros are
 * missing (`2026-11-7`: did you mean 2026-11-07?). Null when the text is a calendar date.
 */
export function calendarDateFix(text: string): string | null {
  if (calendarDay(text) !== null) return null;
  if (!ISO_DATE.test(text)) {
    // A month or a day written without its leading zero (2026-11-7): the date it most likely means.
    const parts = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
    const padded = parts ? `${parts[1]}-${parts[2]!.padStart(2, "0")}-${parts[3]!.padStart(2, "0")}` : null;
    return padded !== null && calendarDay(padded) !== null
      ? `write it as YYYY-MM-DD: did you mean ${padded}?`
      : "write it as YYYY-MM-DD";
  }
  const [year, month, day] = text.split("-").map(Number) as [number, number, number];
  if (month < 1 || month > 12) return `the month is ${text.slice(5, 7)}, but months go from 01 to 12 (YYYY-MM-DD)`;
  const days = Temporal.PlainYearMonth.from({ year, month }).daysInMonth;
  const ym = text.slice(0, 7);
  return day < 1
    ? `days go from 01 (YYYY-MM-DD), so give one from ${ym}-01 to ${ym}-${days}`
    : `${MONTH_NAMES[month - 1]} ${year} has ${days} days, so give a day from ${ym}-01 to ${ym}-${days}`;
}
