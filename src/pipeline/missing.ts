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
  noAnnouncementReason,
  previousFeedDay,
  todayInEastern,
} from "../arxiv/calendar.js";
import { commandLine } from "../format/command.js";
import type { Clock } from "../io/clock.js";
import type { DayRecord } from "../model/day-record.js";
import { missedDay } from "../model/status.js";

/** How far back a backfill without --from looks, in days. */
export const DEFAULT_LOOKBACK_DAYS = 30;

function minusDays(date: string, days: number): string {
  return Temporal.PlainDate.from(date).subtract({ days }).toString();
}

/**
 * Feed days in [from, to] that lack a usable digest: not archived, or archived as a missed day
 * (`missedDigest`: failed or stale, no paper recorded), which backfill rebuilds like a day not recorded.
 * `checked` holds what an earlier pass read of archived days (date → whether it is a missed day,
 * `archiveBackfillRange`), so those records are not read again.
 */
export async function findMissingDays(
  store: ArchiveStore,
  holidays: Set<string>,
  from: string,
  to: string,
  checked: ReadonlyMap<string, boolean> = new Map(),
): Promise<string[]> {
  const out: string[] = [];
  for (const date of feedDaysBetween(from, to, holidays)) {
    const missed = checked.get(date);
    if (missed !== undefined) {
      if (missed) out.push(date);
    } else if (!(await store.has(date))) out.push(date);
    else if (missedDay(await store.readDay(date))) out.push(date);
  }
  return out;
}

/**
 * The range a backfill checks when not told: up to the feed day before `today`, from the earliest
 * day in the look-back recorded as missed (`missed`: archived days a run missed, `missedDay`) or
 * else the last day archived before that, or that day itself when it is the only one archived (at
 * most `lookbackDays` back; with no day archived so far back, that far back). `since` is the
 * archived day the range starts at, null when none: a `run` on a weekend or a holiday counts missed
 * days only from an archived one, so a workspace that never had the days before it is told of none.
 */
export function defaultBackfillRange(
  archived: readonly string[],
  today: string,
  holidays: Set<string>,
  opts: { from?: string; to?: string; lookbackDays?: number; missed?: readonly string[] } = {},
): { from: string; to: string; since: string | null } {
  const to = opts.to ?? previousFeedDay(today, holidays);
  const lookback = minusDays(to, opts.lookbackDays ?? DEFAULT_LOOKBACK_DAYS);
  const recent = archived.filter((d) => d <= to && d >= lookback);
  // The day before `to` when there is one, so a failed or stale one is checked again with it; an
  // earlier day recorded as missed pulls the start back to it, however many days were archived since.
  const last = recent.filter((d) => d < to).at(-1) ?? recent.at(-1) ?? null;
  const firstMissed = (opts.missed ?? []).filter((d) => d <= to && d >= lookback).sort()[0];
  const since = firstMissed !== undefined && (last === null || firstMissed < last) ? firstMissed : last;
  return { from: opts.from ?? since ?? lookback, to, since };
}

/**
 * `defaultBackfillRange` of the archive itself: its days, and which of those in the look-back are
 * recorded as missed. The one range `backfill` checks when not told and a weekend's `run` counts
 * missed days in. A record that cannot be read is not counted as missed here (`findMissingDays`
 * names its file when the range reaches it).
 */
export async function archiveBackfillRange(
  store: Pick<ArchiveStore, "listDays" | "readDay">,
  today: string,
  holidays: Set<string>,
  opts: { from?: string; to?: string; lookbackDays?: number } = {},
): Promise<{
  archived: string[];
  from: string;
  to: string;
  since: string | null;
  /** The records read to find the missed days: date → whether it is one (for `findMissingDays`). */
  checked: Map<string, boolean>;
}> {
  const archived = await store.listDays();
  const to = opts.to ?? previousFeedDay(today, holidays);
  const lookback = minusDays(to, opts.lookbackDays ?? DEFAULT_LOOKBACK_DAYS);
  const checked = new Map<string, boolean>();
  if (opts.from === undefined) {
    for (const date of archived.filter((d) => d >= lookback && d < to)) {
      const day = await store.readDay(date).catch(() => null);
      if (day !== null) checked.set(date, missedDay(day));
    }
  }
  const missed = [...checked].filter(([, isMissed]) => isMissed).map(([date]) => date);
  return { archived, ...defaultBackfillRange(archived, today, holidays, { ...opts, missed }), checked };
}

/**
 * Why the archive holds no record of `date`, and what to do, in one sentence: for a weekend or a
 * holiday, the calendar's reason (`noAnnouncementReason`: arXiv announced nothing that day, and
 * when it announces next); for a date after today (US
 * Eastern), when arXiv announces it and that `run` makes it from midnight; for today, the `run`
 * that makes it; for an earlier announcement day, the `backfill` that does. The suggested command
 * carries `workspace`, the folder the user named (`Workspace.named`).
 */
export function noRecordSentence(
  date: string,
  file: string,
  holidays: ReadonlySet<string>,
  today: string,
  workspace?: string,
): string {
  const none = noAnnouncementReason(date, holidays);
  if (none !== null) return `no digest for ${none.day}: ${none.reason}.`;
  if (date > today) {
    // arXiv may have announced it already (from 20:00 ET the evening before); `run` takes a day from its own midnight.
    return `no digest for ${date} yet: arXiv announces it ${announcementTime(date)}, the evening before, and ${commandLine("run", workspace)} makes it from midnight US Eastern time (it is ${today} there now).`;
  }
  const make =
    date === today
      ? `${commandLine("run", workspace)} makes today's`
      : `${commandLine(`backfill --from ${date} --to ${date}`, workspace)} rebuilds it from the arXiv export API`;
  return `no digest for ${date} in the archive (${file}): ${make}.`;
}

/**
 * The day's record, or an `ArchiveError` saying why there is none and what to do (`noRecordSentence`,
 * its command line carrying `workspace`).
 */
export async function readArchivedDay(
  store: ArchiveStore,
  date: string,
  holidays: ReadonlySet<string>,
  clock: Pick<Clock, "now">,
  workspace?: string,
): Promise<DayRecord> {
  if (!(await store.has(date))) {
    throw new ArchiveError(noRecordSentence(date, store.path(date), holidays, todayInEastern(clock), workspace));
  }
  return store.readDay(date);
}
