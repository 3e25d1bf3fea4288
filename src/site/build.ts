/**
 * Builds the static site from the archive: a page per day, month and year, the archive index,
 * the root (latest day), search, feeds and sitemap.
 *
 * A full build writes a fresh folder beside outDir and swaps it in by rename when it is complete;
 * an incremental one stages only the files that changed and moves them in under a journal
 * (site-dir.ts). Either way a failed or killed build leaves the previous site served. The build's
 * state lives in its own sibling folder (`.site-state/` beside `site/`, see manifest.ts), updated
 * the same way, so it is never published with the site. A full build streams the archive day by
 * day (read, render; the search index is built meanwhile in a process of its own), keeping only
 * light per-day lines and per-month totals, so memory does not grow with the archive. With
 * `changedDates` only what those days touch is rewritten, from the state the previous build left
 * (manifest.ts); state that is missing or stale means a full build. A day record that cannot be
 * read is named in the result and left out; the rest is built.
 */
import { lstatSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { h, type VNode } from "preact";
import { shownStatusMessage } from "../arxiv/calendar.js";
import { SHIPPED_HOLIDAY_TABLE } from "../arxiv/holidays.js";
import type { Config } from "../config/schema.js";
import type { TopicTitles } from "../format/text.js";
import { refuseFile } from "../io/paths.js";
import type { DayRecord } from "../model/day-record.js";
import { hasDigest, type MissedStatus, missedStatus, noAnnouncement } from "../model/status.js";
import {
  archiveSpan,
  type MonthEntry,
  monthEntry,
  neighboursIn,
  type OverviewDay,
  outlineArchive,
  overviewDay,
  spanInMonth,
} from "./archive-outline.js";
import { type DaySummary, nearMisses, summariseDay } from "./day-summary.js";
import { atomFeed, FEED_DAYS, jsonFeed, sitemap, topicFeeds } from "./feeds.js";
import {
  type DayEntry,
  FEED_FILE,
  MANIFEST_FILE,
  type Manifest,
  readFeedState,
  readManifest,
  readShard,
  type ShardDay,
  SITE_FORMAT,
  type SiteSettings,
  STATE_ENTRIES,
  StaleStateError,
  shardFile,
  stateDirOf,
  writeManifest,
  writeStateFile,
} from "./manifest.js";
import { ArchivePage } from "./pages/archive-page.js";
import { DayAboutPage, DayPage, NearMissesPage } from "./pages/day-page.js";
import { FeedsPage } from "./pages/feeds-page.js";
import type { PageContext } from "./pages/layout.js";
import { MonthPage } from "./pages/month-page.js";
import { NotFoundPage } from "./pages/not-found-page.js";
import { SAVED_PATH, SavedPage } from "./pages/saved-page.js";
import { SearchPage } from "./pages/search-page.js";
import { type SelectionFacts, selectionFacts } from "./pages/selection-criteria.js";
import { YearPage } from "./pages/year-page.js";
import { renderDocument } from "./render-document.js";
import {
  bundleFolder,
  bundleFolders,
  bundleHash,
  bundleKeyOf,
  type IndexerUsage,
  SEARCH_DATA,
  SearchIndexer,
  searchDocOf,
} from "./search-bundles.js";
import { ASSETS_FOLDER, copyAssets } from "./site-assets.js";
import {
  carryOver,
  checkOutDir,
  makeStaging,
  type Ownership,
  publishChanges,
  recoverOutDir,
  recoverPublish,
  removeTree,
  StagedDir,
  swapIn,
  updateWritten,
  WrittenFiles,
  writtenIn,
} from "./site-dir.js";
import {
  ARCHIVE_PATH,
  dayAboutPath,
  dayPath,
  FEEDS_PATH,
  monthPath,
  nearMissesPath,
  pageFile,
  SEARCH_PATH,
  SiteConfigError,
  type SiteUrls,
  siteUrls,
  yearPath,
} from "./urls.js";

export interface DaySource {
  listDays(): Promise<string[]>;
  readDay(date: string): Promise<DayRecord>;
}

export interface BuildSiteOptions {
  source: DaySource;
  outDir: string;
  site: Config["site"];
  /** Days added or changed since the last build; omit for a full build. */
  changedDates?: string[];
  /** feedback.github: the repository whose prefilled issues the site's feedback buttons open. */
  feedbackRepo?: string | null;
  /** How the user named outDir, for messages: `--out` or (the default) `site.outDir`. */
  outDirName?: string;
  /**
   * The workspace's holiday table (pipeline/context.ts `workspaceHolidays`), as data: the month
   * calendars name its holidays, and a weekend's or a holiday's page names the next announcement by
   * it. The shipped table when not given.
   */
  holidays?: ReadonlySet<string>;
  /**
   * The config's topic titles by id (`topicTitles` in format/text.ts): the month, year and archive
   * pages name a topic by its title, and by the record's id when the config no longer has it.
   */
  topicTitles?: TopicTitles;
}

/** A day whose record could not be read: left out of the site. */
export interface FailedDay {
  date: string;
  error: string;
}

export interface BuildSiteResult {
  /**
   * HTML pages written (an incremental build skips those whose bytes did not change; feeds,
   * sitemap, assets and search are not counted).
   */
  pagesWritten: number;
  daysRendered: number;
  ms: number;
  /** Whether everything was rebuilt (no changedDates, or the previous build's state was unusable). */
  full: boolean;
  /** Days left out because their record could not be read; the caller should exit non-zero. */
  failedDays: FailedDay[];
  /**
   * Search bundles indexed by this build, and those reused unchanged from the previous site; what
   * the process a full build indexes in used (its memory and CPU are not this process's).
   */
  searchBundles: { indexed: string[]; reused: string[]; indexer: IndexerUsage | null };
  /**
   * Paths in the site folder that no build wrote (added by hand) where this build wrote a file of
   * its own, which took their place; the caller names them.
   */
  replaced: string[];
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
/**
 * Where the topic feeds live (feeds.ts): rewritten whole, so a topic that left the window goes;
 * the Feeds page is the folder's index.html, which stays.
 */
const TOPIC_FEEDS_DIR = FEEDS_PATH.slice(0, -1);

interface Build {
  source: DaySource;
  outDir: string;
  /** The live site's state folder. */
  stateDir: string;
  /** What this build writes: the site and its state (all of it, or in an incremental build what changed). */
  site: StagedDir;
  state: StagedDir;
  urls: SiteUrls;
  ctx: PageContext;
  holidays: ReadonlySet<string>;
  settings: SiteSettings;
  dates: string[];
  writer: ReturnType<typeof pageWriter>;
  failed: FailedDay[];
  /** What the previous build wrote into the site (null: a site from before it was recorded). */
  written: WrittenFiles | null;
  /** The reader's files this build replaced with its own. */
  replaced: string[];
}

/** A search bundle's folder is written whole: the record lists the folder, not its files. */
const writtenWhole = (rel: string) => rel.startsWith(`${SEARCH_DATA}/`) && !rel.includes("/", SEARCH_DATA.length + 1);

/**
 * A site built before the manifest recorded what the build wrote: every path the new build writes
 * too (a file), everything under the build's own folders (the year folders that hold the year, month
 * and day pages, the search bundles, the assets, and Pagefind's folder of older versions) and the
 * topic feeds are taken for the build's, so a removed day or topic does not outlive its build;
 * anything else (a CNAME, .nojekyll, a verification page, a folder of one's own) is carried over.
 */
const LEGACY_OWN = new RegExp(
  `^(?:\\d{4}|${SEARCH_DATA}|${ASSETS_FOLDER}|pagefind)(?:/|$)|^${TOPIC_FEEDS_DIR}/[^/]+\\.xml$`,
);

/**
 * The assets folder is the build's alone, recorded or not: its chunks are named by their hash, so
 * an earlier version's (or a build whose record missed them) are never taken for the reader's files.
 */
const inAssets = (rel: string) => rel === ASSETS_FOLDER || rel.startsWith(`${ASSETS_FOLDER}/`);

function ownership(build: Build): Ownership {
  const { written } = build;
  if (written)
    return {
      ours: (rel) => rel === MANIFEST_FILE || inAssets(rel) || written.has(rel),
      holdsOurs: (rel) => written.holds(rel),
    };
  const staged = (rel: string) => lstatSync(join(build.site.staging, rel), { throwIfNoEntry: false });
  return {
    ours: (rel) => rel === MANIFEST_FILE || LEGACY_OWN.test(rel) || staged(rel)?.isDirectory() === false,
    holdsOurs: () => false,
  };
}

/** Whether the build may remove this path of the live site: the previous build wrote it. */
function isOurs(build: Build, rel: string): boolean {
  return build.written ? build.written.has(rel) || inAssets(rel) : LEGACY_OWN.test(rel);
}

export async function buildSite(opts: BuildSiteOptions): Promise<BuildSiteResult> {
  const started = performance.now();
  const { source, site } = opts;
  const outDir = resolve(opts.outDir);
  const urls = siteUrls(site);
  const feedbackRepo = opts.feedbackRepo ?? null;
  const holidays = opts.holidays ?? SHIPPED_HOLIDAY_TABLE;
  const topicTitles: TopicTitles = opts.topicTitles ?? new Map();
  // Every page names the feedback repository, so changing it rebuilds them all; the holiday table
  // reaches month calendars and weekend pages anywhere in the archive, so changing it does too.
  const settings = {
    title: site.title,
    basePath: urls.basePath,
    baseUrl: urls.baseUrl,
    feedbackRepo,
    holidays: [...holidays].sort(),
    // A topic's title is shown on every month, year and archive page that names it.
    topics: [...topicTitles].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  };

  const dates = [...new Set(await source.listDays())].sort();
  const invalid = dates.find((d) => !ISO_DATE.test(d));
  if (invalid !== undefined) {
    throw new SiteConfigError(
      `The archive lists a day named ${JSON.stringify(invalid)}, which is not a YYYY-MM-DD date; rename or remove that record.`,
    );
  }
  const outDirName = opts.outDirName ?? "site.outDir";
  refuseFile(outDir, `${outDirName} ${outDir}`, "choose a folder for the site, a new or empty one");
  const stateDir = stateDirOf(outDir);
  await recoverPublish(outDir);
  await recoverOutDir(outDir);
  await recoverOutDir(stateDir);
  // A site folder is ours when it holds our manifest, or when our state lies beside it (a manifest lost).
  await checkOutDir(stateDir, STATE_ENTRIES, "The site build's state folder", outDirName);
  if ((await readdir(stateDir).catch(() => [])).length === 0) await checkOutDir(outDir, [MANIFEST_FILE], outDirName);
  const previous = await readManifest(outDir);
  const sameSettings = previous !== null && JSON.stringify(previous.settings) === JSON.stringify(settings);

  const attempt = async (incremental: boolean) => {
    const staging = await makeStaging(outDir);
    const stagingState = await makeStaging(stateDir);
    const staged = new StagedDir(staging, incremental ? outDir : null);
    const state = new StagedDir(stagingState, incremental ? stateDir : null);
    const build: Build = {
      source,
      outDir,
      stateDir,
      site: staged,
      state,
      urls,
      ctx: { urls, siteTitle: site.title, feedbackRepo, topicTitles },
      holidays,
      settings,
      dates,
      writer: pageWriter(staged),
      failed: [],
      written: previous?.written ? WrittenFiles.fromRecord(previous.written) : null,
      replaced: [],
    };
    try {
      const result =
        incremental && previous
          ? await incrementalBuild(build, previous, opts.changedDates ?? [])
          : await fullBuild(build, previous);
      if (!incremental) {
        // State first: a crash between the two swaps leaves a manifest whose hashes do not match
        // the state, which the next build detects (a full build), never a site without its state.
        await swapIn(stateDir, stagingState);
        await swapIn(outDir, staging);
      } else if (staged.changed || state.changed) {
        await publishChanges(outDir, [state, staged], [MANIFEST_FILE]);
      }
      return {
        pagesWritten: build.writer.pages,
        daysRendered: result.daysRendered,
        ms: Math.round(performance.now() - started),
        full: !incremental,
        failedDays: build.failed,
        searchBundles: result.searchBundles,
        replaced: build.replaced,
      };
    } finally {
      await removeTree(staging, incremental);
      await removeTree(stagingState, incremental);
    }
  };
  if (opts.changedDates && sameSettings) {
    try {
      return await attempt(true);
    } catch (error) {
      if (!(error instanceof StaleStateError)) throw error;
    }
  }
  return await attempt(false);
}

function dayEntry(day: DayRecord, overview: OverviewDay): DayEntry {
  return {
    date: day.date,
    kind: day.kind,
    digest: hasDigest({ statusCode: day.status.code, papers: overview.papers }),
    papers: overview.papers.length,
    ...(overview.noAnnouncement ? { noAnnouncement: overview.noAnnouncement } : {}),
  };
}

/** A missed day's line: its date and status, for the archive's span, its month's calendar and the next build's plan. */
function missedEntry(day: DayRecord, missed: MissedStatus): DayEntry {
  return { date: day.date, kind: day.kind, digest: false, papers: 0, missed };
}

/** The missed days of the manifest's lines, by date, with their status: what a month calendar says of them. */
function missedDays(entries: Iterable<DayEntry>): Map<string, MissedStatus> {
  const missed = new Map<string, MissedStatus>();
  for (const e of entries) if (e.missed) missed.set(e.date, e.missed);
  return missed;
}

/** Whether a day is listed, linked, fed and indexed as an announcement day: not a weekend, a holiday or a missed day. */
const listed = (entry: DayEntry) => !entry.noAnnouncement && !entry.missed;

/** The home page: the latest day with a digest, else the latest day with a page; null when none has one. */
function rootOf(entries: readonly DayEntry[]): string | null {
  const shown = entries.filter((e) => !e.missed);
  return (shown.findLast((e) => e.digest) ?? shown.at(-1))?.date ?? null;
}

/**
 * What a day page shows: the record without its rejected papers, so pending pages keep little in
 * memory, except the few best-scored ones the page lists as near misses; a weekend's or a holiday's
 * sentence as the calendar says it now (`shownStatusMessage`), whatever wording the record keeps.
 */
function pageRecord(build: Build, day: DayRecord): PageRecord {
  const shown = day.papers.filter((p) => p.outcome === "selected" || p.outcome === "unscored");
  const status = { ...day.status, message: shownStatusMessage(day, build.holidays) };
  return { ...day, status, papers: [...shown, ...nearMisses(day)], selection: selectionFacts(day) };
}

/** A day as its pages need it, with what the about page says of the papers dropped. */
type PageRecord = DayRecord & { selection: SelectionFacts };

/**
 * The pages beside a day's (day-page.tsx): its near misses (none when it has none), its costs,
 * counts and prompt (none for a weekend or a holiday, where nothing was picked). A full build (no
 * live site) writes each day's pages once into an empty folder, so there is no page to take out:
 * only an incremental build removes one.
 */
async function writeNearMisses(build: Build, day: PageRecord) {
  const path = nearMissesPath(day.date);
  if (nearMisses(day).length > 0) await build.writer.page(path, h(NearMissesPage, { ctx: build.ctx, day }));
  else if (build.site.live !== null) await build.site.remove(pageFile(path));
  const about = dayAboutPath(day.date);
  if (noAnnouncement(day.status.code) === null) {
    await build.writer.page(about, h(DayAboutPage, { ctx: build.ctx, day, selection: day.selection }));
  } else if (build.site.live !== null) await build.site.remove(pageFile(about));
}

/** Reads a day; a record that cannot be read is noted and skipped, one filed under the wrong date stops the build. */
async function readDay(build: Build, date: string): Promise<DayRecord | null> {
  let day: DayRecord;
  try {
    day = await build.source.readDay(date);
  } catch (error) {
    build.failed.push({ date, error: error instanceof Error ? error.message : String(error) });
    return null;
  }
  if (day.date !== date) {
    throw new SiteConfigError(`The archive record listed as ${date} says it is for ${day.date}; fix its "date" field.`);
  }
  return day;
}

/** Months (ascending) grouped by year, for the year and archive pages. */
const yearsOf = (months: Iterable<MonthEntry>) => {
  const years = new Map<string, MonthEntry[]>();
  for (const entry of months) {
    const year = entry.month.slice(0, 4);
    const list = years.get(year);
    if (list) list.push(entry);
    else years.set(year, [entry]);
  }
  return years;
};

/** Everything built from scratch, one day at a time in date order. */
async function fullBuild(build: Build, previous: Manifest | null) {
  const { site, dates } = build;
  // Search is indexed in a process of its own while this one reads and renders; it is stopped
  // however the build ends.
  const reuse = previous && { dir: build.outDir, bundles: previous.bundles };
  const bundles = new SearchIndexer(site, reuse, true);
  // The indexing process writes pages too when it has little else to do.
  build.writer = pageWriter(bundles);
  // The assets are bundled (by esbuild, a process of its own) while the days are read.
  const assets = copyAssets(site);
  assets.catch(() => {});
  try {
    const outline = outlineArchive(dates);
    const monthKeys = [...outline.months.keys()];
    const yearKeys = [...outline.years.keys()];
    const latestYear = dates.at(-1)?.slice(0, 4);
    const { manifest, ...result } = await streamDays(build, bundles, { monthKeys, yearKeys, latestYear });
    // Every write of the build has finished (the pages, the search bundles, the assets): only now
    // is what it wrote known, so the reader's files are carried over and the manifest written last.
    await assets;
    const { kept, replaced } = await carryOver(build.outDir, site.staging, ownership(build));
    build.replaced.push(...replaced);
    const written = await writtenIn(site.staging, kept, writtenWhole);
    written.add(MANIFEST_FILE);
    await writeManifest(site, { ...manifest, written: written.toRecord() });
    return result;
  } finally {
    // Settled before the staging folder is swapped in or removed.
    await assets.catch(() => {});
    await bundles.dispose();
  }
}

/**
 * The full build's pass over the archive, day by day, and every page and file after it; returns
 * the manifest but for its record of what was written, which the caller completes once the assets
 * are in too.
 */
async function streamDays(
  build: Build,
  bundles: SearchIndexer,
  { monthKeys, yearKeys, latestYear }: { monthKeys: string[]; yearKeys: string[]; latestYear: string | undefined },
) {
  const { state, writer, ctx, dates } = build;

  const entries: DayEntry[] = [];
  const months: MonthEntry[] = [];
  const feed: DaySummary[] = [];
  const shards: Record<string, string> = {};
  const bundleHashes: Record<string, string> = {};
  let monthDays: OverviewDay[] = [];
  let yearShard: ShardDay[] = [];
  let bundleDays: { date: string; doc: string }[] = [];
  let bundleKey: string | undefined;
  /** The month and year being read: a missed day leaves no line in them, yet its month and year have pages. */
  let monthKey: string | undefined;
  let yearKey: string | undefined;
  /** Day pages waiting for the next day with a digest, their "Next" link. */
  let pending: { day: PageRecord; prev: string | null }[] = [];
  let lastDigest: string | null = null;
  let rendered = 0;
  /**
   * The first day read, and the latest so far: a month closes when a later month's day is read,
   * and its calendar sees the span only up to its own end (spanInMonth), so the latest day so far
   * stands for the archive's last.
   */
  let firstRead: string | null = null;
  let lastRead: string | null = null;
  /** The missed days read so far, with their status: a month's calendar names them as recorded. */
  const missedSoFar = new Map<string, MissedStatus>();

  const renderPending = async (next: string | null, root: string | null) => {
    for (const { day, prev } of pending) {
      const page = h(DayPage, { ctx, day, neighbours: { prev, next } });
      await writer.page(dayPath(day.date), page);
      await writeNearMisses(build, day);
      if (day.date === root) await writer.page("", page);
      rendered++;
    }
    pending = [];
  };
  const flushMonth = async () => {
    const month = monthKey;
    if (month === undefined) return;
    const span = firstRead === null || lastRead === null ? null : { first: firstRead, last: lastRead };
    const calendar = { holidays: build.holidays, span, missed: missedSoFar };
    const props = { ctx, month, days: monthDays, neighbours: neighboursIn(monthKeys, month), calendar };
    await writer.page(monthPath(month), h(MonthPage, props));
    months.push(monthEntry(month, monthDays));
    monthDays = [];
  };
  const flushYear = async () => {
    const year = yearKey;
    if (year === undefined) return;
    const yearMonths = months.filter((m) => m.month.startsWith(year));
    const props = { ctx, year, months: yearMonths, neighbours: neighboursIn(yearKeys, year) };
    await writer.page(yearPath(year), h(YearPage, props));
    // A year of missed days only has no shard, as an incremental build leaves it.
    if (yearShard.length > 0) shards[year] = await writeStateFile(state, shardFile(year), yearShard);
    yearShard = [];
  };
  const flushBundle = async () => {
    if (bundleKey === undefined || bundleDays.length === 0) return;
    const hash = bundleHash(bundleKey, bundleDays);
    bundleHashes[bundleKey] = hash;
    await bundles.close(bundleKey, hash);
    bundleDays = [];
  };

  for (const date of dates) {
    const day = await readDay(build, date);
    if (!day) continue;
    firstRead ??= date;
    lastRead = date;
    if (monthKey !== undefined && !date.startsWith(monthKey)) await flushMonth();
    if (yearKey !== undefined && !date.startsWith(yearKey)) await flushYear();
    monthKey = date.slice(0, 7);
    yearKey = date.slice(0, 4);
    const missed = missedStatus(day);
    if (missed !== null) {
      missedSoFar.set(date, missed);
      entries.push(missedEntry(day, missed));
      continue;
    }
    const key = bundleKeyOf(date, latestYear);
    if (key !== bundleKey) {
      await flushBundle();
      bundleKey = key;
      bundles.open(key);
    }
    const { bytes, hash: doc } = searchDocOf(day);
    await bundles.addDay(key, date, bytes);
    const overview = overviewDay(day);
    const entry = dayEntry(day, overview);
    entries.push(entry);
    monthDays.push(overview);
    yearShard.push({ ...overview, doc });
    bundleDays.push({ date, doc });
    // The feeds carry the latest announcement days: a weekend takes no place among them.
    if (listed(entry)) feed.push(summariseDay(day));
    if (feed.length > FEED_DAYS) feed.shift();
    if (entry.digest) await renderPending(date, null);
    pending.push({ day: pageRecord(build, day), prev: lastDigest });
    if (entry.digest) lastDigest = date;
  }
  if (dates.length > 0 && entries.length === 0) {
    throw new Error(
      `No day of the archive could be read (${build.failed[0]?.error ?? "no reason given"}); the previous site is kept.`,
    );
  }
  const root = rootOf(entries);
  await renderPending(null, root);
  await flushMonth();
  await flushYear();
  await flushBundle();

  await writeSiteWide(build, {
    years: yearsOf(months),
    feed,
    allDates: entries.map((e) => e.date),
    days: entries,
    archiveIsRoot: root === null,
    bundles: bundleHashes,
  });
  const feedHash = await writeStateFile(state, FEED_FILE, feed);
  await bundles.done();
  const manifest: Omit<Manifest, "written"> = {
    format: SITE_FORMAT,
    settings: build.settings,
    days: entries,
    months,
    shards: sorted(shards),
    bundles: sorted(bundleHashes),
    feed: feedHash,
  };
  return {
    manifest,
    daysRendered: rendered,
    searchBundles: { indexed: bundles.indexed, reused: bundles.reused, indexer: bundles.usage },
  };
}

const sorted = (record: Record<string, string>) =>
  Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/**
 * The pages and files every build rewrites: the archive index (and, for an empty archive, the
 * root), search, Saved, Feeds and 404 pages, the feeds (all papers and per topic) and the sitemap.
 */
async function writeSiteWide(
  build: Build,
  input: {
    years: Map<string, MonthEntry[]>;
    feed: DaySummary[];
    allDates: string[];
    /** Every day's light line, ascending, for the archive index. */
    days: DayEntry[];
    archiveIsRoot: boolean;
    /** Search bundle key → hash. */
    bundles: Record<string, string>;
  },
) {
  const { writer, urls, ctx, site } = build;
  const { allDates } = input;
  const feedInput = { urls, siteTitle: ctx.siteTitle, days: [...input.feed].reverse() };
  const perTopic = topicFeeds(feedInput);
  const archive = h(ArchivePage, {
    ctx,
    years: [...input.years].map(([year, months]) => ({ year, months })),
    days: input.days,
    topicFeeds: perTopic,
  });
  await writer.page(ARCHIVE_PATH, archive);
  if (input.archiveIsRoot) await writer.page("", archive);
  await writer.page(SEARCH_PATH, h(SearchPage, { ctx, bundles: bundleFolders(input.bundles) }));
  await writer.html("404.html", h(NotFoundPage, { ctx }));
  await writer.page(SAVED_PATH, h(SavedPage, { ctx }));
  const papers = input.feed.reduce((n, d) => n + d.papers.length, 0);
  await writer.page(FEEDS_PATH, h(FeedsPage, { ctx, papers, topicFeeds: perTopic }));

  await writer.file("feed.xml", atomFeed(feedInput));
  await writer.file("feed.json", jsonFeed(feedInput));
  for (const feed of perTopic) await writer.file(feed.file, feed.xml);
  // A topic that left the window loses its feed.
  const kept = new Set([...perTopic.map((f) => f.file), pageFile(FEEDS_PATH)]);
  for (const file of site.live ? await readdir(join(site.live, TOPIC_FEEDS_DIR)).catch(() => []) : []) {
    const rel = `${TOPIC_FEEDS_DIR}/${file}`;
    if (!kept.has(rel) && isOurs(build, rel)) await site.remove(rel);
  }
  const outline = outlineArchive(allDates);
  await writer.file(
    "sitemap.xml",
    sitemap(urls, [
      "",
      ARCHIVE_PATH,
      SEARCH_PATH,
      FEEDS_PATH,
      ...[...outline.years.keys()].map(yearPath),
      ...[...outline.months.keys()].map(monthPath),
      // A weekend's or a holiday's page says what it is at its address, but is no page to index; a missed day has none.
      ...input.days.filter(listed).map((d) => dayPath(d.date)),
    ]),
  );
}

/** What changed since the previous build, and which days' pages must be rewritten. */
interface BuildPlan {
  /** Days to read and whose pages are rewritten, ascending. */
  days: string[];
  /** Days added or changed. */
  changed: Set<string>;
  /** Days the previous build had that the archive no longer has. */
  removedDays: string[];
}

/** The changed days and, out to the nearest unchanged day with a digest, their neighbours. */
function planBuild(
  dates: readonly string[],
  previous: Map<string, DayEntry>,
  changedDates: readonly string[],
): BuildPlan {
  const present = new Set(dates);
  const removedDays = [...previous.keys()].filter((d) => !present.has(d));
  const changed = new Set([...changedDates.filter((d) => present.has(d)), ...dates.filter((d) => !previous.has(d))]);
  // Rebuild every day from each change out to the nearest unchanged day that held a digest in the
  // previous build: the days in between (weekends, holidays) link across the change too.
  const stopsWalk = (d: string) => previous.get(d)?.digest === true && !changed.has(d);
  const days = new Set(changed);
  for (const date of [...changed, ...removedDays]) {
    const at = dates.findIndex((d) => d >= date);
    const start = at === -1 ? dates.length : at;
    for (let i = start - 1; i >= 0; i--) {
      days.add(dates[i]!);
      if (stopsWalk(dates[i]!)) break;
    }
    for (let i = dates[start] === date ? start + 1 : start; i < dates.length; i++) {
      days.add(dates[i]!);
      if (stopsWalk(dates[i]!)) break;
    }
  }
  return { days: [...days].sort(), changed, removedDays };
}

/**
 * A month or year that appeared or vanished changes its neighbours' "next"/"previous" links,
 * so those neighbours are rebuilt too.
 */
function withNeighbours(keys: Set<string>, current: string[], before: string[]): Set<string> {
  const now = new Set(current);
  const then = new Set(before);
  const out = new Set(keys);
  for (const key of keys) {
    if (now.has(key) === then.has(key)) continue;
    const { prev, next } = neighboursIn(current, key);
    if (prev) out.add(prev);
    if (next) out.add(next);
  }
  return out;
}

/** The previous site, linked into the staging folder, with what the changed days touch rewritten. */
async function incrementalBuild(build: Build, previous: Manifest, changedDates: string[]) {
  const { site, state, stateDir, writer, ctx, dates } = build;
  const known = new Map(previous.days.map((d) => [d.date, d]));
  const plan = planBuild(dates, known, changedDates);
  const feedBefore = await readFeedState(stateDir, previous);
  // The assets of this version; an earlier version's (old chunk names) go, as a full build drops them.
  const assets = new Set(await copyAssets(site));
  for (const file of await readdir(join(site.live!, ASSETS_FOLDER)).catch(() => [])) {
    const rel = `${ASSETS_FOLDER}/${file}`;
    if (!assets.has(rel)) await site.remove(rel);
  }

  // Read the planned days; a day that cannot be read leaves the site like a removed one.
  const read = new Map<string, { day: PageRecord; overview: OverviewDay; doc: string; bytes: Buffer }>();
  const gone = new Set(plan.removedDays);
  /** Days read as missed: in the span and the manifest, but with no page, shard line or search entry. */
  const missed = new Set<string>();
  const entries = new Map(known);
  for (const date of plan.removedDays) entries.delete(date);
  for (const date of plan.days) {
    const day = await readDay(build, date);
    if (!day) {
      // Its neighbours were planned only if it was itself a change: otherwise start over in full.
      if (!plan.changed.has(date)) throw new StaleStateError(`${date} could not be read`);
      gone.add(date);
      entries.delete(date);
      continue;
    }
    const missedAs = missedStatus(day);
    if (missedAs !== null) {
      missed.add(date);
      entries.set(date, missedEntry(day, missedAs));
      continue;
    }
    const overview = overviewDay(day);
    const { bytes, hash: doc } = searchDocOf(day);
    read.set(date, { day: pageRecord(build, day), overview, doc, bytes });
    entries.set(date, dayEntry(day, overview));
  }
  const allDates = [...entries.keys()].sort();
  const orderedEntries = allDates.map((d) => entries.get(d)!);
  const digestDates = orderedEntries.filter((e) => e.digest).map((e) => e.date);
  const root = rootOf(orderedEntries);
  for (const [date, { day }] of read) {
    const page = h(DayPage, { ctx, day, neighbours: neighboursIn(digestDates, date) });
    await writer.page(dayPath(date), page);
    await writeNearMisses(build, day);
    if (date === root) await writer.page("", page);
  }

  // Month and year pages, from the touched years' shards.
  const outline = outlineArchive(allDates);
  const before = outlineArchive(known.keys());
  const touched = [...plan.changed, ...gone];
  const months = withNeighbours(
    new Set(touched.map((d) => d.slice(0, 7))),
    [...outline.months.keys()],
    [...before.months.keys()],
  );
  // A first or last day that moved changes which days of a month are missed runs ("no digest"): its
  // month is one a change touched, or one beside a month that appeared or vanished, but the rule is
  // kept here in its own words so no later change of the above loses it.
  const span = archiveSpan(allDates);
  const spanBefore = archiveSpan([...known.keys()].sort());
  for (const month of outline.months.keys()) {
    if (spanInMonth(span, month) !== spanInMonth(spanBefore, month)) months.add(month);
  }
  const calendar = { holidays: build.holidays, span, missed: missedDays(orderedEntries) };
  const years = withNeighbours(
    new Set(touched.map((d) => d.slice(0, 4))),
    [...outline.years.keys()],
    [...before.years.keys()],
  );
  const shardCache = new Map<string, ShardDay[]>();
  const shardOf = async (year: string) => {
    let shard = shardCache.get(year);
    if (!shard) {
      const days = new Map((await readShard(stateDir, previous, year)).map((d) => [d.date, d]));
      for (const date of [...gone, ...missed]) days.delete(date);
      for (const [date, r] of read) if (date.startsWith(year)) days.set(date, { ...r.overview, doc: r.doc });
      shard = [...days.values()].sort((a, b) => (a.date < b.date ? -1 : 1));
      shardCache.set(year, shard);
    }
    return shard;
  };
  const monthKeys = [...outline.months.keys()];
  const yearKeys = [...outline.years.keys()];
  const monthTotals = new Map(previous.months.map((m) => [m.month, m]));
  for (const month of months) {
    if (!outline.months.has(month)) {
      monthTotals.delete(month);
      await site.remove(pageFile(monthPath(month)));
      continue;
    }
    const days: OverviewDay[] = (await shardOf(month.slice(0, 4))).filter((d) => d.date.startsWith(month));
    const props = { ctx, month, days, neighbours: neighboursIn(monthKeys, month), calendar };
    await writer.page(monthPath(month), h(MonthPage, props));
    monthTotals.set(month, monthEntry(month, days));
  }
  const monthList = monthKeys.map((month) => {
    const entry = monthTotals.get(month);
    if (!entry) throw new StaleStateError(`the manifest has no totals for ${month}`);
    return entry;
  });
  const yearMonths = yearsOf(monthList);
  for (const year of years) {
    if (!outline.years.has(year)) {
      await site.remove(pageFile(yearPath(year)));
      continue;
    }
    const props = { ctx, year, months: yearMonths.get(year) ?? [], neighbours: neighboursIn(yearKeys, year) };
    await writer.page(yearPath(year), h(YearPage, props));
  }
  // A day removed, or missed (a page an earlier build made of it, when it still had papers).
  for (const date of [...gone, ...missed]) {
    await site.remove(pageFile(dayPath(date)));
    await site.remove(pageFile(nearMissesPath(date)));
    await site.remove(pageFile(dayAboutPath(date)));
  }
  if (root === null) await site.remove(pageFile(""));

  // Search bundles whose days changed, or whose period is new (the latest year moved on).
  const latestYear = allDates.at(-1)?.slice(0, 4);
  const keys = new Map<string, string[]>();
  for (const date of orderedEntries.filter((e) => !e.missed).map((e) => e.date)) {
    const key = bundleKeyOf(date, latestYear);
    keys.set(key, [...(keys.get(key) ?? []), date]);
  }
  const dirty = new Set(touched.map((d) => bundleKeyOf(d, latestYear)));
  const bundles = new SearchIndexer(site, null, false);
  const bundleHashes: Record<string, string> = {};
  for (const [key, keyDates] of keys) {
    const stored = previous.bundles[key];
    if (stored !== undefined && !dirty.has(key)) {
      bundleHashes[key] = stored;
      continue;
    }
    const shard = new Map((await shardOf(key.slice(0, 4))).map((d) => [d.date, d.doc]));
    const days = keyDates.map((date) => ({ date, doc: shard.get(date)! }));
    const hash = bundleHash(key, days);
    bundleHashes[key] = hash;
    if (hash === stored) continue;
    if (stored !== undefined) await site.remove(join(SEARCH_DATA, bundleFolder(key, stored)));
    bundles.open(key);
    for (const { date, doc: hash } of days) {
      // A day read by this build, or one read again for its document.
      await bundles.addDay(key, date, read.get(date)?.bytes ?? (await searchDocAgain(build, date, hash)));
    }
    await bundles.close(key, hash);
  }
  for (const [key, stored] of Object.entries(previous.bundles)) {
    if (!keys.has(key)) await site.remove(join(SEARCH_DATA, bundleFolder(key, stored)));
  }

  // Shards of the touched years, the overviews, feeds and manifest.
  const shards: Record<string, string> = { ...previous.shards };
  for (const [year, shard] of shardCache) {
    if (shard.length === 0) {
      delete shards[year];
      await state.remove(shardFile(year));
    } else shards[year] = await writeStateFile(state, shardFile(year), shard);
  }
  const feedDays = orderedEntries
    .filter(listed)
    .slice(-FEED_DAYS)
    .map((e) => e.date);
  const cached = new Map(feedBefore.map((d) => [d.date, d]));
  const feed: DaySummary[] = [];
  for (const date of feedDays) {
    const fresh = read.get(date);
    const summary = fresh ? summariseDay(fresh.day) : (cached.get(date) ?? (await readSummary(build, date)));
    feed.push(summary);
  }
  await writeSiteWide(build, {
    years: yearMonths,
    feed,
    allDates,
    days: orderedEntries,
    archiveIsRoot: root === null,
    bundles: bundleHashes,
  });
  const feedHash = await writeStateFile(state, FEED_FILE, feed);
  await bundles.done();
  // The record goes on from the previous one; a site from before it was kept waits for a full build.
  const { written } = build;
  if (written) build.replaced.push(...(await updateWritten(site, written, writtenWhole)).replaced);
  await writeManifest(site, {
    format: SITE_FORMAT,
    settings: build.settings,
    days: orderedEntries,
    months: monthList,
    shards: sorted(shards),
    bundles: sorted(bundleHashes),
    feed: feedHash,
    ...(written ? { written: written.toRecord() } : {}),
  });
  return {
    daysRendered: read.size,
    searchBundles: { indexed: bundles.indexed, reused: bundles.reused, indexer: bundles.usage },
  };
}

/** The search document of a day this build did not read, from the archive again; it must be unchanged. */
async function searchDocAgain(build: Build, date: string, hash: string): Promise<Buffer> {
  const day = await readDay(build, date);
  const doc = day && searchDocOf(day);
  if (!doc || doc.hash !== hash) throw new StaleStateError(`the search document of ${date} is missing or changed`);
  return doc.bytes;
}

/** A feed day the previous state did not hold (a day left the window): read it again. */
async function readSummary(build: Build, date: string): Promise<DaySummary> {
  const day = await readDay(build, date);
  if (!day) throw new StaleStateError(`${date} could not be read for the feeds`);
  return summariseDay(day);
}

/** Writes pages and files into the site: its StagedDir, or what writes for it (SearchIndexer.write). */
function pageWriter(site: { write(rel: string, content: string): Promise<boolean> }) {
  const writer = {
    pages: 0,
    file: (relFile: string, content: string) => site.write(relFile, content),
    async html<P>(relFile: string, page: VNode<P>) {
      if (await writer.file(relFile, renderDocument(page))) writer.pages++;
    },
    page: <P>(relPath: string, page: VNode<P>) => writer.html(pageFile(relPath), page),
  };
  return writer;
}
