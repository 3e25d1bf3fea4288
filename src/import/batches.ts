/**
 * What the reference tool got wrong about which arXiv batch a day holds, repaired across the
 * imported days (each day alone cannot tell):
 * - a day filed under a Saturday or Sunday is the previous feed day's batch under the run's date
 *   (arXiv announces nothing on weekends; the feed keeps serving Friday's batch). It moves to that
 *   feed day when the history lacks it, else it stays where it was, marked `batchOf`;
 * - one batch filed under two adjacent labels (the feed had not flipped between two runs) shows as
 *   the same two counts on both days and heavily shared picks; both days are marked `sameBatchAs`.
 */
import { Temporal } from "temporal-polyfill";
import { previousFeedDay } from "../arxiv/calendar.js";
import { plural } from "../format/text.js";
import type { DayRecord } from "../model/day-record.js";

/** Share of the smaller pick list two days must share to be one batch (2026-03-26/27: 27 of 33). */
export const SAME_BATCH_OVERLAP = 0.5;

const WEEKDAY = ["", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

function named(date: string): string {
  return `${WEEKDAY[Temporal.PlainDate.from(date).dayOfWeek]} ${date}`;
}

function isWeekend(date: string): boolean {
  return Temporal.PlainDate.from(date).dayOfWeek >= 6;
}

/**
 * Weekend labels → the feed day whose batch they hold. Returns the days in date order; a day
 * moved to its feed day keeps the weekend label in its notes only.
 */
function relabelWeekends(days: DayRecord[], holidays: Set<string>): DayRecord[] {
  const taken = new Set(days.map((d) => d.date));
  for (const day of days) {
    if (!isWeekend(day.date)) continue;
    const label = day.date;
    const feedDay = previousFeedDay(label, holidays);
    if (!taken.has(feedDay)) {
      taken.delete(label);
      taken.add(feedDay);
      day.date = feedDay;
      day.notes.push(
        `The reference filed this day under ${named(label)}, the day it ran. arXiv announces nothing on weekends, so the feed still carried the batch of ${named(feedDay)}; the history has no other day for that batch, so it is filed under ${feedDay}.`,
      );
    } else {
      day.batchOf = feedDay;
      day.notes.push(
        `The reference filed this day under ${named(label)}, the day it ran. arXiv announces nothing on weekends: this day holds the batch of ${named(feedDay)} under a wrong label, and is not a weekend digest. ${feedDay} has its own day in the history.`,
      );
    }
  }
  return days.sort((a, b) => a.date.localeCompare(b.date));
}

/** The feed day a record's batch belongs to. */
function batchDay(day: DayRecord): string {
  return day.batchOf ?? day.date;
}

/** True when `later` follows `earlier` with no feed day between them (or holds the same feed day's batch). */
function adjacent(earlier: DayRecord, later: DayRecord, holidays: Set<string>): boolean {
  const a = batchDay(earlier);
  const b = batchDay(later);
  return a === b || previousFeedDay(b, holidays) <= a;
}

function pickIds(day: DayRecord): Set<string> {
  return new Set(day.papers.filter((p) => p.outcome === "selected").map((p) => p.id));
}

/** How two adjacent days look like one batch: the counts match and the picks (if both have some) mostly agree. */
function sameBatch(a: DayRecord, b: DayRecord): { shared: number; picks: [number, number] } | null {
  const { entries, scanned } = a.counts;
  if (entries === null || scanned === null || entries === 0) return null;
  if (entries !== b.counts.entries || scanned !== b.counts.scanned) return null;
  const pa = pickIds(a);
  const pb = pickIds(b);
  const shared = [...pa].filter((id) => pb.has(id)).length;
  const smaller = Math.min(pa.size, pb.size);
  if (smaller > 0 && shared / smaller < SAME_BATCH_OVERLAP) return null;
  return { shared, picks: [pa.size, pb.size] };
}

function describeMatch(a: DayRecord, b: DayRecord, m: { shared: number; picks: [number, number] }): string {
  const picks =
    m.picks[0] === 0 && m.picks[1] === 0
      ? "neither picked any paper"
      : `${m.shared} of their picks ${m.shared === 1 ? "is" : "are"} shared (${m.picks[0]} on ${a.date}, ${m.picks[1]} on ${b.date})`;
  return `The reference archived one arXiv batch under two labels, ${a.date} and ${b.date}: both list ${plural(a.counts.entries ?? 0, "paper")} with ${a.counts.scanned} scanned, and ${picks}. Its feed had not moved on between the two runs; read them as one announcement.`;
}

function markSame(day: DayRecord, other: string, note: string): void {
  day.sameBatchAs = [...new Set([...(day.sameBatchAs ?? []), other])].sort();
  day.notes.push(note);
}

/** Marks every pair of adjacent days that hold the same batch. */
function markSameBatches(days: DayRecord[], holidays: Set<string>): void {
  for (let i = 1; i < days.length; i++) {
    const earlier = days[i - 1]!;
    const later = days[i]!;
    if (!adjacent(earlier, later, holidays)) continue;
    const match = sameBatch(earlier, later);
    if (!match) continue;
    const note = describeMatch(earlier, later, match);
    markSame(earlier, later.date, note);
    markSame(later, earlier.date, note);
  }
}

/** Repairs batch labels across the imported days (see the file comment); returns them in date order. */
export function reconcileBatches(days: DayRecord[], holidays: Set<string>): DayRecord[] {
  const ordered = relabelWeekends(
    [...days].sort((a, b) => a.date.localeCompare(b.date)),
    holidays,
  );
  markSameBatches(ordered, holidays);
  return ordered;
}
