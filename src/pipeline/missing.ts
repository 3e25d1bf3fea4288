/**
 * Which announcement days the archive lacks a usable digest for: the one rule `backfill` rebuilds
 * by, and that `run` on a day without an announcement points to (the calendar against the archive);
 * and what a command that needs a day's record (`render`, `deliver`) says when it has none.
 */
import { Temporal } from "temporal-polyfill";
import { ArchiveError, type ArchiveStore } from "../archive/store.js";
import {
  announcementTime,
  feedDaysBetween,
  nextFeedDay,
  noAnnouncementReason,
  previousFeedDay,
  todayInEastern,
} from "../arxiv/calendar.js";
import { backfillSuggestion, dailyRunSuggestion } from "../format/command.js";
import type { Clock } from "../io/clock.js";
import type { DayRecord } from "../model/day-record.js";
import { missedDay } from "../model/status.js";

/** How far back a backfill without --from looks, in days. */
export const DEFAULT_LOOKBACK_DAYS = 30;

function minusDays(date: string, days: number): string {
  return Temporal.PlainDate.from(date).subtract({ days }).toString();
}

/** An archived day whose record could not be read (not JSON, not a DayRecord): its date, and why, naming the file. */
export interface UnreadableDay {
  date: string;
  problem: string;
}

/** What `findMissingDays` found in a range. */
export interface MissingDays {
  /** Feed days without a usable digest, oldest first. */
  missing: string[];
  /**
   * Feed days whose record could not be read, oldest first: neither missing nor found, and never
   * rebuilt (a rebuild would replace what the file holds), so a caller names them instead.
   */
  unreadable: UnreadableDay[];
}

/**
 * The record of `date`, or null when it cannot be read (not JSON, not a DayRecord), said to
 * `onUnreadable`: the one rule of a damaged record on the way, skipped, named, and left as it is.
 * Any other failure (a file the process may not open) is thrown.
 */
export async function readUnlessDamaged(
  store: Pick<ArchiveStore, "readDay">,
  date: string,
  onUnreadable: (day: UnreadableDay) => void,
): Promise<DayRecord | null> {
  try {
    return await store.readDay(date);
  } catch (err) {
    if (!(err instanceof ArchiveError)) throw err;
    onUnreadable({ date, problem: err.message });
    return null;
  }
}

/**
 * Feed days in [from, to] that lack a usable digest: not archived, or archived as a missed day
 * (`missedDigest`: failed or stale, no paper recorded), which backfill rebuilds like a day not
 * recorded. Each archived record of the range is read once, and handed to `onRecord` (backfill
 * takes the ids it holds from there); one that cannot be read is skipped and returned apart
 * (`unreadable`), so a damaged file holds up neither a backfill nor a weekend's count.
 */
export async function findMissingDays(
  store: Pick<ArchiveStore, "has" | "readDay">,
  holidays: Set<string>,
  from: string,
  to: string,
  onRecord?: (day: DayRecord) => void,
): Promise<MissingDays> {
  const missing: string[] = [];
  const unreadable: UnreadableDay[] = [];
  for (const date of feedDaysBetween(from, to, holidays)) {
    if (!(await store.has(date))) {
      missing.push(date);
      continue;
    }
    const day = await readUnlessDamaged(store, date, (u) => unreadable.push(u));
    if (day === null) continue;
    onRecord?.(day);
    if (missedDay(day)) missing.push(date);
  }
  return { missing, unreadable };
}

/**
 * The one warning for archived records a backfill or a weekend's count skipped because they could
 * not be read: each file and why, that its day was left as it is, and how to put it right: repair
 * the file, or delete it and rebuild the day (the backfill of those days); and when `range` is the
 * range checked, holds them all and goes on past them, check only the days after them (the
 * backfill from the feed day after the last one), offered only when that backfill leaves out no
 * day of the range found `missing` (one before or between them would never be rebuilt by it).
 * Command lines carry `workspace`; on GitHub Actions (`actions`) the Backfill workflow is named instead.
 */
export function unreadableWarning(
  days: readonly UnreadableDay[],
  opts: {
    workspace?: string | undefined;
    actions?: boolean | undefined;
    range?: { from: string; to: string; holidays: Set<string>; missing: readonly string[] };
  } = {},
): string {
  const first = days[0]!.date;
  const last = days.at(-1)!.date;
  const one = days.length === 1;
  const line = (from: string, to: string) => backfillSuggestion(from, to, opts.workspace, opts.actions);
  const range = opts.range;
  const next = range === undefined || first < range.from ? null : nextFeedDay(last, range.holidays);
  const skip =
    range !== undefined && next !== null && next <= range.to && !range.missing.some((d) => d < next)
      ? `; or check only the days after ${one ? "it" : "them"} with ${line(next, range.to)}`
      : "";
  const problems = days.map((d) => d.problem.replace(/\.$/, "")).join("; ");
  return one
    ? `Skipped a damaged archive file, leaving its day as it is: ${problems}. Repair the file, or delete it and rebuild ${first} with ${line(first, last)}${skip}.`
    : `Skipped ${days.length} damaged archive files, leaving their days as they are: ${problems}. Repair the files, or delete them and rebuild those days with ${line(first, last)}${skip}.`;
}

/**
 * The range a backfill checks when not told: up to the feed day before `today`, from the earliest
 * day archived within the look-back (`lookbackDays` before `to`), so that every announcement day
 * after it without a usable digest is found: one recorded as missed, and one with no record at all
 * (the runner was down, nothing was written) however many days were archived after it. `since` is
 * that archived day, null when none is archived in the look-back: then a backfill checks the whole
 * look-back, while a `run` on a weekend or a holiday counts no missed day, so a workspace that never
 * had the days before its first one is told of none.
 */
export function defaultBackfillRange(
  archived: readonly string[],
  today: string,
  holidays: Set<string>,
  opts: { from?: string; to?: string; lookbackDays?: number } = {},
): { from: string; to: string; since: string | null } {
  const to = opts.to ?? previousFeedDay(today, holidays);
  const lookback = minusDays(to, opts.lookbackDays ?? DEFAULT_LOOKBACK_DAYS);
  let since: string | null = null;
  for (const d of archived) if (d >= lookback && d <= to && (since === null || d < since)) since = d;
  return { from: opts.from ?? since ?? lookback, to, since };
}

/**
 * `defaultBackfillRange` of the archive itself, with its days: the one range `backfill` checks when
 * not told and a weekend's `run` counts missed days in. Only the archive's listing is read here;
 * `findMissingDays` reads each record of the range once (and names the file of one it cannot read).
 */
export async function archiveBackfillRange(
  store: Pick<ArchiveStore, "listDays">,
  today: string,
  holidays: Set<string>,
  opts: { from?: string; to?: string; lookbackDays?: number } = {},
): Promise<{ archived: string[]; from: string; to: string; since: string | null }> {
  const archived = await store.listDays();
  return { archived, ...defaultBackfillRange(archived, today, holidays, opts) };
}

/**
 * Why the archive holds no record of `date`, and what to do, in one sentence: for a weekend or a
 * holiday, the calendar's reason (`noAnnouncementReason`: arXiv announced nothing that day, and
 * when it announces next); for a date after today (US Eastern), when arXiv announces it and that
 * `run` makes it from midnight; for today, the `run` that makes it; for an earlier announcement day,
 * the `backfill` that does. The suggested command carries `workspace`, the folder the user named
 * (`Workspace.named`); on GitHub Actions (`actions`) the workflows are named instead, the Backfill
 * workflow with that date and the daily one, as `run`'s own hints name them.
 */
export function noRecordSentence(
  date: string,
  file: string,
  holidays: ReadonlySet<string>,
  today: string,
  workspace?: string,
  actions = false,
): string {
  const none = noAnnouncementReason(date, holidays);
  if (none !== null) return `no digest for ${none.day}: ${none.reason}.`;
  const run = dailyRunSuggestion(workspace, actions);
  if (date > today) {
    // arXiv may have announced it already (from 20:00 ET the evening before); `run` takes a day from its own midnight.
    return `no digest for ${date} yet: arXiv announces it ${announcementTime(date)}, the evening before, and ${run} makes it from midnight US Eastern time (it is ${today} there now).`;
  }
  const make =
    date === today
      ? `${run} makes today's`
      : `${backfillSuggestion(date, date, workspace, actions)} rebuilds it from the arXiv export API`;
  return `no digest for ${date} in the archive (${file}): ${make}.`;
}

/**
 * The day's record, or an `ArchiveError` saying why there is none and what to do (`noRecordSentence`,
 * its command line carrying `workspace`, or naming the workflows on GitHub Actions: `actions`).
 */
export async function readArchivedDay(
  store: ArchiveStore,
  date: string,
  holidays: ReadonlySet<string>,
  clock: Pick<Clock, "now">,
  workspace?: string,
  actions = false,
): Promise<DayRecord> {
  if (!(await store.has(date))) {
    throw new ArchiveError(
      noRecordSentence(date, store.path(date), holidays, todayInEastern(clock), workspace, actions),
    );
  }
  return store.readDay(date);
}
