/**
 * An imported day holds only the papers the old tool picked, so selection cannot be replayed on
 * it and the reader's history learns nothing of what that tool passed over. Completing it adds the
 * rest of the announcement's listing (rebuilt from the export API by the pipeline) beside the picks:
 * - the picks stay exactly as imported (outcome, scores, comment, scorer), in their order, first;
 *   a pick the listing lacks stays too, and is named in the notes;
 * - every other paper of the listing is added as `rejected` with NOT_PICKED_REASON, no scores and
 *   no scorer: the old tool left it out, and the site, which shows scored rejected papers as near
 *   misses, shows none of these;
 * - the counts stay the imported page's (countsSource "reference"), the status, producer and
 *   deliveries as they were; the API joins the sources, which is how a completed day is known.
 */
import { plural } from "../format/text.js";
import type { Candidate } from "../model/candidate.js";
import { type DayRecord, type PaperRecord, paperRecordOf, type Source } from "../model/day-record.js";
import { reconstructedListingNote } from "../model/notes.js";

/** The reason every paper added from the listing carries. */
export const NOT_PICKED_REASON = "not picked by the imported tool";

/** A day written by `import` (a gpt_paper_assistant-family history). */
export function isImportedDay(day: Pick<DayRecord, "producer">): boolean {
  return day.producer === "import";
}

/** An imported day that has been completed with its listing: the export API is among its sources. */
export function hasFullListing(day: Pick<DayRecord, "producer" | "sources">): boolean {
  return isImportedDay(day) && day.sources.some((s) => s.kind === "api");
}

/**
 * Why an imported day cannot be completed, or null when it can. The sentence follows the date in
 * the command's report ("2025-11-03: …").
 */
export function completionBlocker(day: DayRecord): string | null {
  if (!isImportedDay(day)) return "not an imported day";
  if (hasFullListing(day)) return "already complete (its full listing was added before); skipped";
  if (day.status.code !== "normal")
    return `skipped: the imported tool never judged this day (status ${day.status.code}), so the papers it did not pick are not its choice`;
  if (day.kind === "remedial")
    return "skipped: a remedial day of the imported tool covers the submissions of several days, not one announcement's listing";
  if (day.batchOf !== undefined)
    return `skipped: it holds the batch of ${day.batchOf} under another label, and that day has its own record`;
  if (day.sameBatchAs !== undefined && day.sameBatchAs.length > 0)
    return `skipped: it holds the same arXiv batch as ${day.sameBatchAs.join(", ")}, so which announcement's listing it needs is unknown`;
  return null;
}

/** What the listing added to a day, for the command's report. */
export interface Completion {
  record: DayRecord;
  /** Papers of the listing added as not picked. */
  added: number;
  /** The day's picks (and other imported papers) found in the listing. */
  found: number;
  /** Imported papers the listing lacks: kept as they were. */
  missing: string[];
}

export interface ListingFacts {
  candidates: readonly Candidate[];
  source: Source;
  /** The submission window asked for, before the slack (ISO instants). */
  window: { from: string; to: string };
  slackHours: number;
}

function notPicked(c: Candidate): PaperRecord {
  return { ...paperRecordOf(c), outcome: "rejected", scoredBy: null, reason: NOT_PICKED_REASON };
}

/** The imported day with the rest of its listing added (see the module comment); `day` is not changed. */
export function completeImportedDay(day: DayRecord, listing: ListingFacts): Completion {
  const own = new Set(day.papers.map((p) => p.id));
  const listed = new Set(listing.candidates.map((c) => c.id));
  const added = listing.candidates.filter((c) => !own.has(c.id)).map(notPicked);
  const missing = day.papers.filter((p) => !listed.has(p.id)).map((p) => p.id);
  const found = day.papers.length - missing.length;
  const categories = listing.source.categories.join(", ");
  const notes = [
    `The papers the imported tool did not pick were added from the arXiv export API (${categories}: submitted ${listing.window.from} to ${listing.window.to}, widened by ${listing.slackHours} h), so this day can be replayed: ${plural(added.length, "paper")}, each with the reason "${NOT_PICKED_REASON}" and no score. The counts above are still the imported page's.`,
    reconstructedListingNote(listing.slackHours),
    missing.length === 0
      ? `All ${plural(day.papers.length, "imported paper")} ${day.papers.length === 1 ? "is" : "are"} in the reconstructed listing.`
      : `${missing.length} of ${plural(day.papers.length, "imported paper")} ${missing.length === 1 ? "is" : "are"} not in the reconstructed listing and ${missing.length === 1 ? "was" : "were"} kept as imported: ${missing.join(", ")}.`,
  ];
  return {
    record: {
      ...day,
      sources: [...day.sources, listing.source],
      papers: [...day.papers, ...added],
      notes: [...day.notes, ...notes],
    },
    added: added.length,
    found,
    missing,
  };
}
