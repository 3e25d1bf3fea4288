/**
 * What each day status means, in one place: which ones are a complete run, which ones leave the
 * reader without a digest, how a reader sees them named, and how a backfilled day is explained.
 */
import { type DayRecord, type StatusCode, selectedPapers } from "./day-record.js";

/** Statuses of a run that did all it could: an honest empty day included. */
const COMPLETE: ReadonlySet<StatusCode> = new Set([
  "normal",
  "no-announcement",
  "holiday",
  "empty",
  "filtered-out",
  // An imported day the reference tool scanned but never scored: complete as an import, nothing to redo.
  "not-judged",
]);

export function isCompleteStatus(code: StatusCode): boolean {
  return COMPLETE.has(code);
}

/** Statuses of a run that missed its announcement: the feed was not updated yet, or could not be read. */
const MISSED: ReadonlySet<string> = new Set(["stale", "failed"] satisfies MissedStatus[]);

/** The status of a record that missed its announcement (`missedDigest`). */
export type MissedStatus = "stale" | "failed";

/**
 * Whether a record leaves its announcement day without a usable digest, as if no run had made one:
 * a stale or failed run that recorded no paper. The one rule of a missed day: `backfill` rebuilds
 * it (pipeline/missing.ts), the site shows it as an announcement day with no record (a "no digest"
 * cell in its month's calendar, and no page, count, list entry, link, feed item or search entry),
 * and no message links its page. A day that kept papers (a partial one) is a digest.
 */
export function missedDigest(day: { statusCode: string; papers: readonly unknown[] }): boolean {
  return day.papers.length === 0 && MISSED.has(day.statusCode);
}

/** `missedDigest` asked of a day's record: how the site, `backfill` and delivery each ask it. */
export function missedDay(day: Pick<DayRecord, "status" | "papers">): boolean {
  return missedStatus(day) !== null;
}

/** The status a missed day's record was written with (`missedDay`), or null for any other record. */
export function missedStatus(day: Pick<DayRecord, "status" | "papers">): MissedStatus | null {
  const code = day.status.code;
  return (code === "stale" || code === "failed") && missedDigest({ statusCode: code, papers: day.papers })
    ? code
    : null;
}

/**
 * Why an announcement day shows no digest, as the site's calendar says it in a "no digest" cell's
 * name and tooltip: no record at all (`null`), or a record of a run that missed the announcement,
 * said by its status, so a day a run recorded as failed is never called one nothing was archived for.
 */
export function noDigestReason(missed: MissedStatus | null): string {
  if (missed === "stale")
    return "recorded as stale: the feed still served an earlier announcement, and no paper was kept";
  if (missed === "failed") return "recorded as failed: the run could not read this announcement, and no paper was kept";
  return "nothing archived for this announcement day";
}

/**
 * Statuses that mean there is nothing we could show (no digest): arXiv published nothing, the run
 * missed the announcement (`missedDigest`), or (not-judged) the imported tool never scored what it
 * scanned.
 */
const NO_DIGEST: ReadonlySet<string> = new Set(["no-announcement", "holiday", ...MISSED, "not-judged"]);

/**
 * Whether a day has a digest to read: a paper picked, or a status that is not in `NO_DIGEST` (an
 * honest empty day is a digest of nothing). `papers` are the day's picked papers (`selectedPapers`):
 * the site asks it of those, and `render latest` by `dayHasDigest`.
 */
export function hasDigest(day: { statusCode: string; papers: readonly unknown[] }): boolean {
  return day.papers.length > 0 || !NO_DIGEST.has(day.statusCode);
}

/** `hasDigest` asked of a day's record, of its picked papers: the site's latest day and `render latest`'s. */
export function dayHasDigest(day: DayRecord): boolean {
  return hasDigest({ statusCode: day.status.code, papers: selectedPapers(day) });
}

/** Why arXiv announced nothing for a day: it falls on a weekend, or on a holiday. */
export type NoAnnouncement = "weekend" | "holiday";

/**
 * Whether a day is not an announcement day at all, and why: a weekend (`no-announcement`, which
 * the calendar gives weekend dates only) or a holiday; null for an announcement day, whatever its
 * run made of it (a stale or failed day still missed a real announcement). Such days are not
 * counted as announcement days, listed, linked or sent.
 */
export function noAnnouncement(code: string): NoAnnouncement | null {
  return code === "no-announcement" ? "weekend" : code === "holiday" ? "holiday" : null;
}

/**
 * Days the channels receive though they have no paper: a run that failed (or gave up on a stale
 * feed after waiting for it, `waitedForFresh`: `run --wait-fresh`) and an honest empty day (the
 * announcement read, nothing in it or nothing left after the filters), as a short summary, so
 * silence never leaves the reader guessing. A stale feed a run did not wait for is not sent: that
 * run says "run again later" (exit 3), and the run that reads the day sends it once. A day arXiv
 * announced nothing (weekend, holiday) is not sent.
 */
export function deliveredWithoutPapers(code: StatusCode, run: { waitedForFresh: boolean }): boolean {
  if (code === "stale") return run.waitedForFresh;
  return noAnnouncement(code) === null;
}

/** The label a reader sees before the status message of a day that is not a normal digest. */
export const STATUS_LABEL: Record<Exclude<StatusCode, "normal">, string> = {
  "no-announcement": "Weekend",
  holiday: "arXiv holiday",
  stale: "Stale feed",
  empty: "Empty announcement",
  "filtered-out": "Nothing left after the filters",
  partial: "Partial digest",
  failed: "Run failed",
  "not-judged": "Not judged",
};

/** The day's status sentence, or null on a normal day (nothing to explain). */
export function statusNote(day: Pick<DayRecord, "status">): string | null {
  return day.status.code === "normal" ? null : day.status.message;
}

/**
 * For a backfilled day, which missed window it covers and when it was made; else null. The
 * Markdown page keeps the reference pages' own banner (its readers' format); every other surface
 * says it this way.
 */
export function remedialNote(day: Pick<DayRecord, "remedial">): string | null {
  if (day.remedial === null) return null;
  const { from, to, generatedOn } = day.remedial;
  const window = from === to ? from : `${from} to ${to}`;
  return `Remedial digest: papers missed from ${window}, generated on ${generatedOn}.`;
}
