/** The four announce types arXiv's feeds carry (docs/arxiv/rss_specifications.md). */
export const ANNOUNCE_TYPES = ["new", "cross", "replace", "replace-cross"] as const;
export type AnnounceType = (typeof ANNOUNCE_TYPES)[number];

export interface Author {
  /** Display name, TeX accents decoded to Unicode. */
  name: string;
  /** Parenthesised affiliations split off the name, each kept whole (never cut at commas). */
  affiliations: string[];
}

/** One entry of a feed or API answer, before any judgement. */
export interface Candidate {
  /** Unversioned identifier: `2602.04119`, `hep-th/9901001`. */
  id: string;
  /** Version number from the guid / id (`v1` → 1); null when the source gives none. */
  version: number | null;
  title: string;
  abstract: string;
  authors: Author[];
  /** Primary category first. */
  categories: string[];
  announceType: AnnounceType;
  /**
   * The announce type as the feed wrote it, present only when it is none of ANNOUNCE_TYPES;
   * `announceType` then holds the type inferred from the version (feed.ts) or categories.
   */
  announceTypeRaw?: string;
  /** Length of the abstract as received, present only when it was cut to the kept maximum. */
  abstractTruncatedFrom?: number;
  doi?: string;
  journalRef?: string;
  comment?: string;
  /** ISO timestamp of first submission when the source gives it (export API only). */
  published?: string;
  /** ISO timestamp of this version (export API only). */
  updated?: string;
}

/** Channel-level facts of a parsed feed. */
export interface FeedChannel {
  format: "rss" | "atom";
  title: string;
  /** The channel pubDate as an ISO timestamp, or null when absent. */
  pubDate: string | null;
  /** The announcement date the digest is labelled with (the pubDate's calendar date, YYYY-MM-DD). */
  announceDate: string | null;
  lastBuildDate: string | null;
}

export interface ParsedFeed {
  channel: FeedChannel;
  entries: Candidate[];
  /**
   * Entries skipped (`kept: false`) or kept with a caveat, each named by its position in the
   * feed (1-based), its line and its id as written (null when it has none).
   */
  problems?: { position: number; line: number | null; id: string | null; kept: boolean; message: string }[];
}
