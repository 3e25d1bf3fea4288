/**
 * The archive the browser tests and the screenshot script build: every reference day, each with a
 * cost and scanned count, and one day that carries the papers the filter left out.
 *
 * The reference history only recorded selected papers. To have a real day with rejected papers,
 * 2025-11-26 (43 selected papers) takes the 21 papers of 2025-11-27 as rejected ones, scored a
 * little lower than they were, and 2025-11-27 leaves the archive so no paper appears twice.
 */
import type { DayRecord } from "../../src/model/day-record.js";
import { makeDay } from "../helpers/day-factory.js";
import { referenceDays } from "../helpers/reference.js";

/** The real 43-paper day of the tests. */
export const BIG_DAY = "2025-11-26";
const DONOR_DAY = "2025-11-27";
/** Scanned papers per day, as the reference pages report (about 390). */
const SCANNED = 391;

export function referenceSite(): DayRecord[] {
  const reference = referenceDays();
  const donor = reference.get(DONOR_DAY) ?? [];
  const rejected = donor.map((p) => ({
    ...p,
    outcome: "rejected" as const,
    score: p.score === null ? null : Math.max(0, p.score - 6),
    authorMatch: null,
  }));
  const days: DayRecord[] = [];
  for (const [date, papers] of reference) {
    if (date === DONOR_DAY) continue;
    const all = date === BIG_DAY ? [...papers, ...rejected] : papers;
    const day = makeDay({ date, papers: all });
    // A cost that follows the day's size, so month charts and totals have something to show.
    const total = Number((0.08 + papers.length * 0.011).toFixed(4));
    day.counts = { ...day.counts, entries: 705, unique: 560, scanned: SCANNED, selected: papers.length };
    day.usage.total = { ...day.usage.total, cost: { prompt: total * 0.7, completion: total * 0.3, total } };
    days.push(day);
  }
  return days;
}
