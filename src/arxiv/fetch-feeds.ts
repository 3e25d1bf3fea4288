/**
 * Reads the day's announcement from rss.arxiv.org and turns the feeds into the candidates to
 * judge. The three feed counts (COUNT_LEGEND in model/day-record.ts) are defined here and nowhere
 * else.
 */

import type { Config } from "../config/schema.js";
import type { AnnounceType, Candidate, ParsedFeed } from "../model/candidate.js";
import type { Source } from "../model/day-record.js";
import { parseArxivFeed } from "./feed.js";
import type { PoliteClient } from "./http.js";

/** What fetching one announcement needs to know: where, which categories, and in which format. */
export type AnnouncementRequest = Pick<Config["arxiv"], "rssUrl" | "format" | "categories" | "combinedFeed">;

/** One requested feed: what was asked and what came back (null when it failed; `source.error` says why). */
export interface FetchedFeed {
  source: Source;
  feed: ParsedFeed | null;
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

/** rss.arxiv.org serves at most this many items per feed (docs/arxiv/rss.md); a combined feed that reaches it is cut off. */
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
    return { source, feed };
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    return { source: { ...base, entries: 0, fetchedAt, outcome: "failed", error }, feed: null };
  }
}

/**
 * Fetches the announcement for `cfg.categories`: one combined feed, or one feed per category.
 * A combined feed that reaches FEED_ITEM_LIMIT is truncated by arXiv, so it is replaced by one
 * feed per category. A failed feed is recorded in its Source rather than thrown, so the caller can
 * publish a partial day and say which categories are missing.
 */
export async function fetchAnnouncement(client: PoliteClient, cfg: AnnouncementRequest): Promise<FetchedFeed[]> {
  const perCategory = async (): Promise<FetchedFeed[]> => {
    const fetched: FetchedFeed[] = [];
    for (const category of cfg.categories) fetched.push(await fetchFeed(client, cfg, [category]));
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

/**
 * Merges feeds into the papers to scan. Filters apply per entry, then a paper is kept once: the
 * first entry that passes (feed order), with that entry's categories. Counts:
 * entries = entries over all feeds; unique = distinct unversioned ids among them;
 * scanned = distinct ids left after the announce-type and primary-category filters.
 */
export function collectCandidates(
  feeds: readonly ParsedFeed[],
  filter: CandidateFilter,
): { candidates: Candidate[]; counts: FeedCounts } {
  const types = new Set<AnnounceType>(filter.announceTypes);
  const seen = new Set<string>();
  const kept = new Map<string, Candidate>();
  let entries = 0;
  for (const feed of feeds) {
    for (const entry of feed.entries) {
      entries++;
      seen.add(entry.id);
      if (kept.has(entry.id) || !types.has(entry.announceType)) continue;
      if (filter.primaryOnly && !inCategories(entry.categories[0], filter.categories)) continue;
      kept.set(entry.id, entry);
    }
  }
  return { candidates: [...kept.values()], counts: { entries, unique: seen.size, scanned: kept.size } };
}
