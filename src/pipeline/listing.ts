/**
 * An announcement day's listing, rebuilt from the export API over the submission window its batch
 * covered: the one home of that reconstruction, which `backfill` judges as a remedial day and
 * `backfill --imported` adds to an imported day's picks.
 *
 * Submission date is not announcement date: moderation holds papers back for days. So the window is
 * widened backwards by a slack period, and every id the caller already places on another day is
 * dropped (days are processed oldest first, each claiming its papers). A paper held back longer
 * than the slack is missed; one announced on a day outside the archive and inside the slack may be
 * listed twice. Both are rare and stated in the record's notes (`reconstructedListingNote`).
 */
import { queryArxivApi } from "../arxiv/api.js";
import type { AnnouncementInfo } from "../arxiv/calendar.js";
import { collectCandidates, type FeedCounts } from "../arxiv/fetch-feeds.js";
import type { PoliteClient } from "../arxiv/http.js";
import type { Config } from "../config/schema.js";
import { plural } from "../format/text.js";
import type { Candidate, ParsedFeed } from "../model/candidate.js";
import type { Source } from "../model/day-record.js";

/** Hours a submission window is widened backwards by default (`--slack-hours`). */
export const DEFAULT_SLACK_HOURS = 48;

export interface Listing {
  /** The submission window asked for, before the slack. */
  window: NonNullable<AnnouncementInfo["window"]>;
  /** The papers of the day after the dedupe and the config's filters, as announced. */
  candidates: Candidate[];
  /** Counted as on feed days: entries and distinct papers over everything fetched, scanned after the dedupe and the filters. */
  counts: FeedCounts;
  /** Entries the API returned that the caller placed on another day. */
  leftOut: number;
  /** The API as the record's source. */
  source: Source;
}

/** Whether `category` is followed: `cs` in the config covers `cs.LG`, as on the feed path (arxiv/fetch-feeds.ts). */
function followed(category: string | undefined, categories: readonly string[]): boolean {
  if (category === undefined) return false;
  const c = category.toLowerCase();
  return categories.some((w) => c === w.toLowerCase() || c.startsWith(`${w.toLowerCase()}.`));
}

/**
 * How an API entry was announced in the window being rebuilt. The query selects by
 * `submittedDate`, which is the v1 submission, while the entry carries the latest version: a paper
 * whose v1 falls in the window was announced then as new (or as a cross-list, when its primary
 * category is not followed), whatever version it has reached since. Labelling it by its current
 * version would call every paper revised since a `replace` and drop it by the default filter.
 */
function asAnnounced(entry: Candidate, categories: readonly string[]): Candidate {
  return { ...entry, announceType: followed(entry.categories[0], categories) ? "new" : "cross" };
}

/**
 * The listing of the batch announced on `date` (whose submission window is `window`), every
 * entry for which `elsewhere` is true left out. Throws what the API client throws.
 */
export async function fetchListing(
  client: PoliteClient,
  arxiv: Config["arxiv"],
  date: string,
  window: NonNullable<AnnouncementInfo["window"]>,
  opts: { slackHours: number; elsewhere: (id: string) => boolean; now: number },
): Promise<Listing> {
  const queryFrom = new Date(Date.parse(window.from) - opts.slackHours * 3_600_000).toISOString();
  const answer = await queryArxivApi(client, {
    apiUrl: arxiv.apiUrl,
    categories: arxiv.categories,
    from: queryFrom,
    to: window.to,
  });
  const fresh = answer.entries.filter((e) => !opts.elsewhere(e.id)).map((e) => asAnnounced(e, arxiv.categories));
  const feed: ParsedFeed = {
    channel: { format: "atom", title: "arXiv API", pubDate: null, announceDate: date, lastBuildDate: null },
    entries: fresh,
  };
  const { candidates, counts } = collectCandidates([feed], {
    announceTypes: arxiv.announceTypes,
    primaryOnly: arxiv.primaryOnly,
    categories: arxiv.categories,
  });
  return {
    window,
    candidates,
    counts: { ...counts, entries: answer.entries.length, unique: new Set(answer.entries.map((e) => e.id)).size },
    leftOut: answer.entries.length - fresh.length,
    source: {
      url: answer.url,
      categories: arxiv.categories,
      kind: "api",
      entries: answer.entries.length,
      fetchedAt: new Date(opts.now).toISOString(),
      outcome: "ok",
    },
  };
}

/**
 * Why a rebuilt listing is not the day's, or null when it may be: it adds no paper to what the day
 * already holds (`own`: an imported day's picks; none for a missed day). arXiv announces papers in
 * any followed category every announcement day, while the export API now and then answers a query
 * with no entry at all, so a listing that adds nothing is a failed answer, never a day without
 * papers: the caller records nothing and a later run asks again. The sentence follows the date in
 * the command's report ("2026-02-19: …").
 */
export function listingAddsNothing(listing: Listing, own: ReadonlySet<string> = new Set()): string | null {
  if (listing.candidates.some((c) => !own.has(c.id))) return null;
  if (listing.counts.entries === 0)
    return "the arXiv export API returned nothing for the day's submission window, which it does now and then when it fails";
  if (own.size > 0) return "the listing holds no paper besides the picks";
  return `the arXiv export API returned ${plural(listing.counts.entries, "entry", "entries")}, none of them both new to the archive and within arxiv.announceTypes and arxiv.primaryOnly`;
}
