/**
 * What a build leaves for the next one:
 *
 * - `.site-manifest.json`, inside the site folder (so it is swapped in with the pages it
 *   describes): the settings (the holiday table among them), one light line per day (kind, whether it holds a digest, how many
 *   papers, whether arXiv announced nothing or the run missed the announcement) for Previous/Next links, one line per month (totals, cost, leading topics) for the year
 *   and archive pages, the hash of every year shard, the search bundles with the hash of their
 *   content, and every file the build wrote (the rest of the folder is the reader's). No
 *   abstracts: a few hundred kilobytes at ten years, read whole by every incremental build.
 * - the state folder, a sibling of the site folder (`.site-state/` beside `site/`), never published:
 *   - `years/<YYYY>.json`: the year's days as the month pages show them (titles, scores, topics,
 *     cost; a missed day is not one of them), read only for the years a build touches;
 *   - `feed.json`: the full summaries of the latest days, which the feeds carry.
 *   No copy of the days' search documents: a search bundle is indexed again from the day records
 *   (search-bundles.ts), which costs the daily build about a tenth of a second for a month and
 *   spares every full build a file per day of the latest year.
 *
 * An incremental build trusts all this only when the format and settings match and every file it
 * needs is present and hashes as recorded; otherwise it builds everything.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import * as z from "zod";
import { sha256 } from "../io/hash.js";
import type { OverviewDay } from "./archive-outline.js";
import { type DaySummary, DaySummarySchema } from "./day-summary.js";
import type { StagedDir } from "./site-dir.js";

export const MANIFEST_FILE = ".site-manifest.json";
/** Bump when page markup, layout or the state files change, so old sites are rebuilt in full. */
export const SITE_FORMAT = 24;

export { stateDirOf } from "../io/paths.js";

/** What the build writes into a state folder (a folder holding anything else is not ours). */
export const STATE_ENTRIES = ["years", "feed.json", "search"]; // "search": documents kept until format 6

const DATE = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const MONTH = z.string().regex(/^\d{4}-\d{2}$/);
const HASH = z.string().regex(/^[0-9a-f]{64}$/);
const NO_ANNOUNCEMENT = z.enum(["weekend", "holiday"]);

const DayEntrySchema = z.object({
  date: DATE,
  kind: z.enum(["daily", "remedial"]),
  /** Whether the day takes part in Previous/Next (see hasDigest). */
  digest: z.boolean(),
  /** Selected papers. */
  papers: z.number().int().nonnegative(),
  /** Set when arXiv announced nothing for the day (a weekend, a holiday): not listed, counted or in the sitemap. */
  noAnnouncement: NO_ANNOUNCEMENT.optional(),
  /**
   * Set when the run missed the announcement (`missedDigest`: stale or failed, no paper): the site
   * shows the day as one with no record, so it has no page, shard line, feed item or search entry;
   * the line stays, with the record's status, so the archive's span, the month calendar's words
   * for the day (`noDigestReason`) and the next build's plan know the record.
   */
  missed: z.enum(["stale", "failed"]).optional(),
});
export type DayEntry = z.infer<typeof DayEntrySchema>;

const MonthEntrySchema = z.object({
  month: MONTH,
  days: z.number().int().nonnegative(),
  papers: z.number().int().nonnegative(),
  scanned: z.number().nonnegative(),
  cost: z.number().nonnegative(),
  unpriced: z.number().int().nonnegative(),
  topics: z.array(z.tuple([z.string(), z.number().int().positive()])),
});

const SettingsSchema = z.object({
  title: z.string(),
  basePath: z.string(),
  baseUrl: z.string(),
  feedbackRepo: z.string().nullable(),
  /** The holiday table the pages were built with: month calendars and weekend pages depend on it. */
  holidays: z.array(DATE),
  /** The topics' titles by id, sorted (month, year and archive pages name topics by them; absent before they were kept). */
  topics: z.array(z.tuple([z.string(), z.string()])).optional(),
});
export type SiteSettings = z.infer<typeof SettingsSchema>;

const ManifestSchema = z.object({
  format: z.literal(SITE_FORMAT),
  settings: SettingsSchema,
  /** Every day the site holds, ascending. */
  days: z.array(DayEntrySchema),
  /** Every month the site holds, ascending, as the year and archive pages list it. */
  months: z.array(MonthEntrySchema),
  /** Year → hash of its shard file. */
  shards: z.record(z.string(), HASH),
  /** Search bundle key → hash of the documents it indexes. */
  bundles: z.record(z.string(), HASH),
  /** Hash of the feed file. */
  feed: HASH,
  /**
   * Every file the build wrote into the site, by folder (site-dir.ts, WrittenFiles): anything else
   * there is the reader's, which a full build carries over. Missing in a site built before it was kept.
   */
  written: z.record(z.string(), z.array(z.string())).optional(),
});
export type Manifest = z.infer<typeof ManifestSchema>;

const OverviewPaperSchema = z.object({
  id: z.string(),
  title: z.string(),
  topic: z.string().nullable(),
  score: z.number().nullable(),
  authorMatch: z.string().nullable(),
});
const ShardDaySchema = z.object({
  date: DATE,
  kind: z.enum(["daily", "remedial"]),
  scanned: z.number().nullable(),
  cost: z.number().nullable(),
  papers: z.array(OverviewPaperSchema),
  noAnnouncement: NO_ANNOUNCEMENT.optional(),
  /** Hash of the day's search document. */
  doc: HASH,
});
export type ShardDay = OverviewDay & { doc: string };
const ShardSchema = z.array(ShardDaySchema);
const FeedSchema = z.array(DaySummarySchema);

/** Paths inside the state folder. */
export const shardFile = (year: string) => join("years", `${year}.json`);
export const FEED_FILE = "feed.json";
/** The state of a site is missing, changed or unreadable: the build starts over in full. */
export class StaleStateError extends Error {
  override name = "StaleStateError";
}

async function readJson(file: string): Promise<{ text: string; json: unknown } | null> {
  const text = await readFile(file, "utf8").catch(() => null);
  if (text === null) return null;
  try {
    return { text, json: JSON.parse(text) };
  } catch {
    return null;
  }
}

/** The manifest, or null when there is none or it is unreadable (then the build is full). */
export async function readManifest(outDir: string): Promise<Manifest | null> {
  const read = await readJson(join(outDir, MANIFEST_FILE));
  if (!read) return null;
  const parsed = ManifestSchema.safeParse(read.json);
  return parsed.success ? parsed.data : null;
}

/** A year's shard, checked against the hash the manifest recorded. */
export async function readShard(stateDir: string, manifest: Manifest, year: string): Promise<ShardDay[]> {
  const expected = manifest.shards[year];
  if (expected === undefined) return [];
  const read = await readJson(join(stateDir, shardFile(year)));
  if (!read || sha256(read.text) !== expected) throw new StaleStateError(`the state of ${year} is missing or changed`);
  const parsed = ShardSchema.safeParse(read.json);
  if (!parsed.success) throw new StaleStateError(`the state of ${year} is unreadable`);
  return parsed.data;
}

export async function readFeedState(stateDir: string, manifest: Manifest): Promise<DaySummary[]> {
  const read = await readJson(join(stateDir, FEED_FILE));
  if (!read || sha256(read.text) !== manifest.feed) throw new StaleStateError("the feed state is missing or changed");
  const parsed = FeedSchema.safeParse(read.json);
  if (!parsed.success) throw new StaleStateError("the feed state is unreadable");
  return parsed.data;
}

/** Writes a state file and returns the hash the manifest records for it. */
export async function writeStateFile(state: StagedDir, file: string, value: unknown): Promise<string> {
  const text = JSON.stringify(value);
  await state.write(file, text);
  return sha256(text);
}

/** Written last: a site folder is only swapped in with its manifest complete (and published last). */
export async function writeManifest(site: StagedDir, manifest: Manifest): Promise<void> {
  await site.write(MANIFEST_FILE, JSON.stringify(manifest));
}
