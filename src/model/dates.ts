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
