/**
 * Reads the day's announcement from rss.arxiv.org and turns the feeds into the candidates to
 * judge. The three feed counts (COUNT_LEGEND in model/day-record.ts) are defined here and nowhere
 * else.
 */

import type { Config } from "../config/schema.js";
import type { AnnounceType, Candidate, ParsedFeed } from "../model/candidate.js";
import type { Source } from "../model/day-record.js";
import { announcementInfo, type ClassifyInput, classifyFeeds, type FeedsVerdict } from "./calendar.js";
import { parseArxivFeed } from "./feed.js";
import { holidayTable } from "./holidays.js";
import type { PoliteClient } from "./http.js";

/** What fetching one announcement needs to know: where, which categories, and in which format. */
export type AnnouncementRequest = Pick<
  Config["arxiv"],
  "rssUrl" | "format" | "categories" | "combinedFeed" | "apiUrl" | "holidays" | "notHolidays"
>;

/** One requested feed: what was asked and what came back (null when it failed; `source.error` says why). */
export interface FetchedFeed {
  source: Source;
  feed: ParsedFeed | null;
  /** When the server answered, by its own clock (its `Date` header); absent when unknown. */
  serverDate?: string | null;
}

export interface CandidateFilter {
  announceTypes: readonly AnnounceType[];
  /** Keep only papers whose primary (first) category is one of `categories`. */
  primaryOnly: boolean;
  categories: readonly string[];
}

/** The feed-side counts of a DayRecord, as defined in COUNT_LEGEND. */
export interface FeedCounts {
  entries: number;
  unique: number;
  scanned: number;
}

/**
 * rss.arxiv.org serves at most this many items per feed (docs/arxiv/rss.md); a feed that reaches
 * it is cut off, and arXiv drops `new` entries first, so the papers most wanted are the ones missing.
 */
export const FEED_ITEM_LIMIT = 2000;

/** The feed URL for some categories: `${rssUrl}/cs.LG+cs.AI`, or its `/atom/` twin. */
export function feedUrl(cfg: Pick<AnnouncementRequest, "rssUrl" | "format">, categories: readonly string[]): string {
  if (categories.length === 0) throw new Error("No categories to fetch: list at least one under arxiv.categories.");
  let base = cfg.rssUrl.replace(/\/+$/, "");
  if (cfg.format === "atom") {
    if (!/\/rss$/.test(base)) {
      throw new Error(
        `arxiv.format is "atom" but arxiv.rssUrl (${cfg.rssUrl}) does not end in /rss, so the Atom URL cannot be derived; use format "rss" or an rssUrl ending in /rss.`,
      );
    }
    base = base.replace(/\/rss$/, "/atom");
  }
  return `${base}/${categories.map(encodeURIComponent).join("+")}`;
}

async function fetchFeed(client: PoliteClient, cfg: AnnouncementRequest, categories: string[]): Promise<FetchedFeed> {
  const url = feedUrl(cfg, categories);
  const base = { url, categories, kind: cfg.format } as const;
  let fetchedAt: string | null = null;
  try {
    const res = await client.get(url, {
      conditional: true,
      accept: `application/${cfg.format}+xml, application/xml;q=0.9, text/xml;q=0.8`,
    });
    fetchedAt = res.fetchedAt;
    const feed = parseArxivFeed(res.body, `${categories.join("+")} feed (${url})`);
    const source: Source = {
      ...base,
      entries: feed.entries.length,
      fetchedAt,
      outcome: res.status === 304 ? "not-modified" : "ok",
      pubDate: feed.channel.pubDate,
      lastBuildDate: feed.channel.lastBuildDate,
    };
    return { source, feed, serverDate: res.serverDate };
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    return { source: { ...base, entries: 0, fetchedAt, outcome: "failed", error }, feed: null };
  }
}

/**
 * The new submissions a single-category feed at FEED_ITEM_LIMIT lost, from the export API: the
 * category's submissions in the batch's window (calendar.ts), minus the papers the feed has.
 * The API knows first-submission times, not announcement days, so a paper held in moderation
 * can be missed or caught a day early; this is the best a cut-off feed allows. Null when the
 * feed's date carries no batch (nothing to complete).
 */
async function completeFromApi(
  client: PoliteClient,
  cfg: AnnouncementRequest,
  cut: FetchedFeed,
): Promise<FetchedFeed | null> {
  const feed = cut.feed!;
  const category = cut.source.categories[0]!;
  const base = { url: cfg.apiUrl, categories: [category], kind: "api" as const };
  try {
    const date = feed.channel.announceDate;
    if (date === null) throw new Error("the cut-off feed has no pubDate, so its submission window is unknown");
    const info = announcementInfo(date, holidayTable(cfg.holidays, cfg.notHolidays));
    if (info.window === null) return null;
    // The export API's client is loaded only for a feed cut off at the limit.
    const { queryArxivApi } = await import("./api.js");
    const answer = await queryArxivApi(client, { apiUrl: cfg.apiUrl, categories: [category], ...info.window });
    const have = new Set(feed.entries.map((e) => e.id));
    const entries: Candidate[] = answer.entries
      .filter((e) => !have.has(e.id))
      .map((e) => ({ ...e, announceType: inCategories(e.categories[0], [category]) ? "new" : "cross" }));
    const source: Source = { ...base, url: answer.url, entries: entries.length, fetchedAt: null, outcome: "ok" };
    return { source, feed: { channel: feed.channel, entries } };
  } catch (err) {
    const error = `The ${category} feed reached arXiv's ${FEED_ITEM_LIMIT}-item limit, and the export API could not supply the new submissions it dropped: ${err instanceof Error ? err.message : String(err)}`;
    return { source: { ...base, entries: 0, fetchedAt: null, outcome: "failed", error }, feed: null };
  }
}

/**
 * Fetches the announcement for `cfg.categories`: one combined feed, or one feed per category.
 * A combined feed that reaches FEED_ITEM_LIMIT is truncated by arXiv, so it is replaced by one
 * feed per category; a single-category feed at the limit is completed from the export API (an
 * extra `api` source after it). A failed feed is recorded in its Source rather than thrown, so
 * the caller can publish a partial day and say which categories are missing.
 */
export async function fetchAnnouncement(client: PoliteClient, cfg: AnnouncementRequest): Promise<FetchedFeed[]> {
  const perCategory = async (): Promise<FetchedFeed[]> => {
    const fetched: FetchedFeed[] = [];
    for (const category of cfg.categories) {
      const one = await fetchFeed(client, cfg, [category]);
      fetched.push(one);
      if (one.feed !== null && one.source.entries >= FEED_ITEM_LIMIT) {
        const completion = await completeFromApi(client, cfg, one);
        if (completion) fetched.push(completion);
      }
    }
    return fetched;
  };
  if (!cfg.combinedFeed || cfg.categories.length === 1) return perCategory();
  const combined = await fetchFeed(client, cfg, cfg.categories);
  if (combined.source.entries >= FEED_ITEM_LIMIT) return perCategory();
  return [combined];
}

function inCategories(category: string | undefined, wanted: readonly string[]): boolean {
  if (category === undefined) return false;
  const c = category.toLowerCase();
  // `cs` in the config covers cs.LG, cs.AI, …: whole-archive feeds exist too (docs/arxiv/rss.md).
  return wanted.some((w) => {
    const lw = w.toLowerCase();
    return c === lw || c.startsWith(`${lw}.`);
  });
}

/** Whether a single-category feed lists the paper under its primary category (new, replace). */
function isPrimaryEntry(entry: Candidate): boolean {
  return entry.announceType === "new" || entry.announceType === "replace";
}

/**
 * An entry whose announce type the feed wrote in an unknown word (feed.ts keeps it as new or
 * replace by version): decided as the export-API backfill does, by whether its primary category
 * is followed.
 */
function settledType(entry: Candidate, categories: readonly string[]): Candidate {
  if (entry.announceTypeRaw === undefined) return entry;
  const replaced = (entry.version ?? 1) > 1;
  const primary = inCategories(entry.categories[0], categories);
  const announceType = primary ? (replaced ? "replace" : "new") : replaced ? "replace-cross" : "cross";
  return { ...entry, announceType };
}

/**
 * Merges feeds into the papers to scan. A paper is kept once, from the entry of the feed where
 * it is primary when there is one (in one feed per category, A is `new` in its own category's
 * feed and `cross` in the others; the combined feed would call it `new`), else from its first
 * entry; the filters then apply to that entry. Counts:
 * entries = entries over all feeds; unique = distinct unversioned ids among them;
 * scanned = distinct ids left after the announce-type and primary-category filters.
 */
export function collectCandidates(
  feeds: readonly ParsedFeed[],
  filter: CandidateFilter,
): { candidates: Candidate[]; counts: FeedCounts } {
  const types = new Set<AnnounceType>(filter.announceTypes);
  const chosen = new Map<string, Candidate>();
  let entries = 0;
  for (const feed of feeds) {
    for (const raw of feed.entries) {
      entries++;
      const entry = settledType(raw, filter.categories);
      const first = chosen.get(entry.id);
      if (first === undefined || (!isPrimaryEntry(first) && isPrimaryEntry(entry))) chosen.set(entry.id, entry);
    }
  }
  const candidates = [...chosen.values()].filter(
    (entry) =>
      types.has(entry.announceType) && (!filter.primaryOnly || inCategories(entry.categories[0], filter.categories)),
  );
  return { candidates, counts: { entries, unique: chosen.size, scanned: candidates.length } };
}

export interface FreshnessInput {
  /** The date being produced; null means "whatever the newest feed carries". */
  date: string | null;
  lastArchived: ClassifyInput["lastArchived"];
  holidays: Set<string>;
  /** The workspace folder the user named (`ClassifyInput.workspace`). */
  workspace?: string;
}

/**
 * Judges every fetched feed on its own (calendar.ts classifyFeeds) and leaves out the papers of
 * a feed that still carries an older batch: its Source becomes `failed` with the reason, so the
 * day is published as partial and names the category, instead of mixing yesterday's papers
 * into today. An `api` completion follows its feed's verdict. `verdict` is null when no feed was
 * read at all; `stale` names the feeds left out because they still carry an earlier batch (the
 * ones a caller allowed to wait may fetch again).
 */
export function leaveOutStaleFeeds(
  fetched: readonly FetchedFeed[],
  input: FreshnessInput,
): { fetched: FetchedFeed[]; verdict: FeedsVerdict["verdict"] | null; stale: string[] } {
  const read = fetched.flatMap((f, i) => (f.feed !== null && f.source.kind !== "api" ? [i] : []));
  if (read.length === 0) return { fetched: [...fetched], verdict: null, stale: [] };
  const judged = classifyFeeds({
    ...input,
    feeds: read.map((i) => ({
      label: `${fetched[i]!.source.categories.join("+")} feed`,
      channel: fetched[i]!.feed!.channel,
      ids: fetched[i]!.feed!.entries.map((e) => e.id),
    })),
  });
  const leftOut = new Map(judged.leftOut.map((k) => [read[k]!, judged.feeds[k]!.message]));
  const out: FetchedFeed[] = [];
  let reason: string | undefined;
  for (const [i, f] of fetched.entries()) {
    if (f.source.kind !== "api") reason = leftOut.get(i);
    if (f.feed === null || reason === undefined) {
      out.push(f);
      continue;
    }
    const error = `Left out: ${reason}`;
    out.push({ source: { ...f.source, outcome: "failed", error }, feed: null });
  }
  const stale = judged.leftOut
    .filter((k) => judged.feeds[k]!.code === "stale")
    .map((k) => `${fetched[read[k]!]!.source.categories.join("+")} feed`);
  return { fetched: out, verdict: judged.verdict, stale };
}
