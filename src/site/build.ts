/**
 * Builds the static site from the archive: a page per day, month and year, the archive index,
 * the root (latest day), search, feeds and sitemap. With `changedDates` only what those days
 * touch is rewritten, using the manifest left by the previous build.
 */
import { cp, mkdir, mkdtemp, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { h, type VNode } from "preact";
import type { Config } from "../config/schema.js";
import type { DayRecord } from "../model/day-record.js";
import { type ArchiveOutline, neighboursIn, outlineArchive } from "./archive-outline.js";
import { type DaySummary, nearMisses, summariseDay } from "./day-summary.js";
import { atomFeed, FEED_DAYS, jsonFeed, sitemap, topicFeeds } from "./feeds.js";
import { MANIFEST_FILE, type Manifest, readManifest, SITE_FORMAT, writeManifest } from "./manifest.js";
import { ArchivePage } from "./pages/archive-page.js";
import { DayPage } from "./pages/day-page.js";
import type { PageContext } from "./pages/layout.js";
import { MonthPage } from "./pages/month-page.js";
import { NotFoundPage } from "./pages/not-found-page.js";
import { SAVED_PATH, SavedPage } from "./pages/saved-page.js";
import { SearchPage } from "./pages/search-page.js";
import { YearPage } from "./pages/year-page.js";
import { renderDocument } from "./render-document.js";
import { closeSearchIndexer, stageSearchDay, writeSearchIndex } from "./search-index.js";
import {
  ARCHIVE_PATH,
  dayPath,
  monthPath,
  pageFile,
  SEARCH_PATH,
  SiteConfigError,
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
}

export interface BuildSiteResult {
  /** HTML pages written (feeds, sitemap, assets and the search bundle not counted). */
  pagesWritten: number;
  daysRendered: number;
  ms: number;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ASSETS_DIR = fileURLToPath(new URL("./assets/", import.meta.url));
const KATEX_DIST = dirname(createRequire(import.meta.url).resolve("katex"));

export async function buildSite(opts: BuildSiteOptions): Promise<BuildSiteResult> {
  const started = performance.now();
  const { source, outDir, site } = opts;
  const urls = siteUrls(site);
  const ctx: PageContext = { urls, siteTitle: site.title };
  const settings = { title: site.title, basePath: urls.basePath, baseUrl: urls.baseUrl };

  const dates = await source.listDays();
  const invalid = dates.find((d) => !ISO_DATE.test(d));
  if (invalid !== undefined) {
    throw new SiteConfigError(
      `The archive lists a day named ${JSON.stringify(invalid)}, which is not a YYYY-MM-DD date; rename or remove that record.`,
    );
  }
  const outline = outlineArchive(dates);
  const previous = opts.changedDates ? await readManifest(outDir) : null;
  const incremental =
    previous !== null && JSON.stringify(previous.settings) === JSON.stringify(settings) ? previous : null;
  const plan = planBuild(outline, incremental, opts.changedDates ?? []);

  // A full build is made in a staging directory beside outDir and swapped in at the end, so a
  // build that fails or is killed leaves the published site as it was. An incremental build
  // writes in place; it first spoils the manifest, so if it does not finish, the next build is
  // a full one rather than trusting a half-updated site.
  let dir = outDir;
  if (incremental) await spoilManifest(outDir);
  else {
    await checkOutDirIsOurs(outDir);
    dir = await stagingDir(outDir);
  }
  try {
    return await buildInto(dir, opts, { ctx, settings, outline, incremental, plan, started });
  } finally {
    if (dir !== outDir) await rm(dir, { recursive: true, force: true });
  }
}

interface BuildState {
  ctx: PageContext;
  settings: Manifest["settings"];
  outline: ArchiveOutline;
  incremental: Manifest | null;
  plan: BuildPlan;
  started: number;
}

/** Writes the site into `outDir` (the staging directory of a full build), then publishes it. */
async function buildInto(
  outDir: string,
  opts: BuildSiteOptions,
  { ctx, settings, outline, incremental, plan, started }: BuildState,
): Promise<BuildSiteResult> {
  const { source } = opts;
  const urls = ctx.urls;
  const site = opts.site;
  const writer = pageWriter(outDir);
  if (!incremental) await copyAssets(outDir);
  const summaries = new Map<string, DaySummary>(incremental?.days.map((d) => [d.date, d]));
  for (const gone of plan.removedDays) summaries.delete(gone);

  // Read first: which days hold a digest decides every page's Previous/Next links.
  const records = new Map<string, DayRecord>();
  for (const date of plan.days) {
    const day = await source.readDay(date);
    if (day.date !== date) {
      throw new SiteConfigError(
        `The archive record listed as ${date} says it is for ${day.date}; fix its "date" field.`,
      );
    }
    summaries.set(date, summariseDay(day));
    // Search indexes every scanned paper, which the manifest does not keep: staged per day here.
    await stageSearchDay(outDir, day);
    records.set(date, pageRecord(day));
  }
  const digestDates = outline.dates.filter((d) => hasDigest(summaries.get(d)!));
  const latest = digestDates.at(-1) ?? outline.dates.at(-1);
  for (const [date, day] of records) {
    const page = h(DayPage, { ctx, day, neighbours: neighboursIn(digestDates, date) });
    await writer.page(dayPath(date), page);
    if (date === latest) await writer.page("", page);
  }
  records.clear();

  const monthKeys = [...outline.months.keys()];
  const yearKeys = [...outline.years.keys()];
  const daysOf = (month: string) => (outline.months.get(month) ?? []).map((d) => summaries.get(d)!);
  const monthsOf = (year: string) => (outline.years.get(year) ?? []).map((month) => ({ month, days: daysOf(month) }));
  const before = incremental ? outlineArchive(incremental.days.map((d) => d.date)) : outline;
  for (const month of withNeighbours(plan.months, monthKeys, [...before.months.keys()])) {
    if (!outline.months.has(month)) continue;
    const props = { ctx, month, days: daysOf(month), neighbours: neighboursIn(monthKeys, month) };
    await writer.page(monthPath(month), h(MonthPage, props));
  }
  for (const year of withNeighbours(plan.years, yearKeys, [...before.years.keys()])) {
    if (!outline.years.has(year)) continue;
    const props = { ctx, year, months: monthsOf(year), neighbours: neighboursIn(yearKeys, year) };
    await writer.page(yearPath(year), h(YearPage, props));
  }
  await removePages(outDir, plan, outline);

  const archive = h(ArchivePage, { ctx, years: yearKeys.map((year) => ({ year, months: monthsOf(year) })) });
  await writer.page(ARCHIVE_PATH, archive);
  if (latest === undefined) await writer.page("", archive);
  await writer.page(SEARCH_PATH, h(SearchPage, { ctx, years: [...yearKeys].reverse() }));
  await writer.html("404.html", h(NotFoundPage, { ctx }));
  await writer.page(SAVED_PATH, h(SavedPage, { ctx }));

  const ordered = outline.dates.map((d) => summaries.get(d)!);
  const feedInput = { urls, siteTitle: site.title, days: ordered.slice(-FEED_DAYS).reverse() };
  await writer.file("feed.xml", atomFeed(feedInput));
  await writer.file("feed.json", jsonFeed(feedInput));
  for (const feed of topicFeeds(feedInput)) await writer.file(feed.file, feed.xml);
  await writer.file(
    "sitemap.xml",
    sitemap(urls, [
      "",
      ARCHIVE_PATH,
      SEARCH_PATH,
      ...yearKeys.map(yearPath),
      ...monthKeys.map(monthPath),
      ...outline.dates.map(dayPath),
    ]),
  );
  try {
    await writeSearchIndex(outDir, ordered, incremental ? plan.years : yearKeys);
  } finally {
    await closeSearchIndexer();
  }
  const manifest: Manifest = { format: SITE_FORMAT, settings, days: ordered };
  await writeManifest(outDir, manifest);
  if (!incremental) await swapIn(outDir, opts.outDir);
  return { pagesWritten: writer.pages, daysRendered: plan.days.length, ms: Math.round(performance.now() - started) };
}

/** Statuses that mean arXiv published nothing we could show: such days get a page but no place in Previous/Next. */
const NO_DIGEST: ReadonlySet<string> = new Set(["no-announcement", "holiday", "stale", "failed"]);

export function hasDigest(day: Pick<DaySummary, "statusCode" | "papers">): boolean {
  return day.papers.length > 0 || !NO_DIGEST.has(day.statusCode);
}

/**
 * What a day page shows: the record without its rejected papers, so a full build keeps little in
 * memory, except the few best-scored ones the page lists as near misses.
 */
function pageRecord(day: DayRecord): DayRecord {
  const shown = day.papers.filter((p) => p.outcome === "selected" || p.outcome === "unscored");
  return { ...day, papers: [...shown, ...nearMisses(day)] };
}

interface BuildPlan {
  /** Days whose pages are (re)written, ascending. */
  days: string[];
  /** Days the previous build had that the archive no longer has. */
  removedDays: string[];
  /** Months and years whose content changed. */
  months: Set<string>;
  years: Set<string>;
}

/** What to rebuild: every day for a full build, else the changed days and their neighbours. */
function planBuild(outline: ArchiveOutline, previous: Manifest | null, changedDates: readonly string[]): BuildPlan {
  if (!previous) {
    return {
      days: outline.dates,
      removedDays: [],
      months: new Set(outline.months.keys()),
      years: new Set(outline.years.keys()),
    };
  }
  const present = new Set(outline.dates);
  const known = new Set(previous.days.map((d) => d.date));
  const removedDays = [...known].filter((d) => !present.has(d));
  const changed = new Set([
    ...changedDates.filter((d) => present.has(d)),
    ...outline.dates.filter((d) => !known.has(d)),
  ]);
  // Rebuild every day from each change out to the nearest unchanged day that held a digest in the
  // previous build: the days in between (weekends, holidays) link across the change too.
  const wasDigest = new Map(previous.days.map((d) => [d.date, hasDigest(d)]));
  const stopsWalk = (d: string) => wasDigest.get(d) === true && !changed.has(d);
  const days = new Set(changed);
  for (const date of [...changed, ...removedDays]) {
    const at = outline.dates.findIndex((d) => d >= date);
    const start = at === -1 ? outline.dates.length : at;
    for (let i = start - 1; i >= 0; i--) {
      days.add(outline.dates[i]!);
      if (stopsWalk(outline.dates[i]!)) break;
    }
    for (let i = outline.dates[start] === date ? start + 1 : start; i < outline.dates.length; i++) {
      days.add(outline.dates[i]!);
      if (stopsWalk(outline.dates[i]!)) break;
    }
  }
  const touched = [...changed, ...removedDays];
  return {
    days: [...days].sort(),
    removedDays,
    months: new Set(touched.map((d) => d.slice(0, 7))),
    years: new Set(touched.map((d) => d.slice(0, 4))),
  };
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

async function removePages(outDir: string, plan: BuildPlan, outline: ArchiveOutline) {
  const gone = [
    ...plan.removedDays.map(dayPath),
    ...[...plan.months].filter((m) => !outline.months.has(m)).map(monthPath),
    ...[...plan.years].filter((y) => !outline.years.has(y)).map(yearPath),
  ];
  for (const path of gone) await rm(join(outDir, pageFile(path)), { force: true });
}

/**
 * A full build replaces outDir. Only a directory that is missing, empty or holds a site we built
 * (it has our manifest) is replaced, so a mistyped outDir never deletes someone's files.
 */
async function checkOutDirIsOurs(outDir: string): Promise<void> {
  const entries: string[] = await readdir(outDir).catch(() => []);
  if (entries.length > 0 && !entries.includes(MANIFEST_FILE)) {
    throw new SiteConfigError(
      `site.outDir ${outDir} already holds files that the site build did not write; point site.outDir at a new or empty directory.`,
    );
  }
}

/** Names of the directories a full build keeps beside outDir: `.site.build-*` while building, `.site.old-*` while swapping. */
function besideOutDir(outDir: string, kind: "build" | "old"): string {
  const abs = resolve(outDir);
  return join(dirname(abs), `.${basename(abs)}.${kind}-`);
}

/**
 * A fresh staging directory on outDir's file system (so the swap is a rename), after removing the
 * ones earlier builds left when they were killed. If a build was killed between the two renames
 * of its swap, outDir is missing and its previous content is put back first.
 */
async function stagingDir(outDir: string): Promise<string> {
  const parent = dirname(resolve(outDir));
  await mkdir(parent, { recursive: true });
  const build = basename(besideOutDir(outDir, "build"));
  const old = basename(besideOutDir(outDir, "old"));
  const leftovers = (await readdir(parent)).filter((n) => n.startsWith(build) || n.startsWith(old));
  const published = await stat(outDir).then(
    () => true,
    () => false,
  );
  for (const name of leftovers) {
    if (!published && name.startsWith(old)) {
      const put = await rename(join(parent, name, "site"), resolve(outDir)).then(
        () => true,
        () => false,
      );
      if (put) continue;
    }
    await rm(join(parent, name), { recursive: true, force: true });
  }
  return mkdtemp(besideOutDir(outDir, "build"));
}

/**
 * Publishes a finished build: the old site moves aside, the new one takes its name, the old one
 * is removed. Readers see the old site or the new one, never a mix; a kill between the two
 * renames is repaired by the next build (see stagingDir).
 */
async function swapIn(staging: string, outDir: string): Promise<void> {
  const old = await mkdtemp(besideOutDir(outDir, "old"));
  await rename(outDir, join(old, "site")).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== "ENOENT") throw err; // no site yet
  });
  await rename(staging, outDir);
  await rm(old, { recursive: true, force: true });
}

/** An incremental build about to write in place: a manifest that no longer parses makes the next build full. */
async function spoilManifest(outDir: string): Promise<void> {
  await writeFile(join(outDir, MANIFEST_FILE), '{"building":true}');
}

function pageWriter(outDir: string) {
  const made = new Set<string>();
  const writer = {
    pages: 0,
    async file(relFile: string, content: string) {
      const file = join(outDir, relFile);
      const dir = dirname(file);
      if (!made.has(dir)) {
        await mkdir(dir, { recursive: true });
        made.add(dir);
      }
      await writeFile(file, content);
    },
    async html<P>(relFile: string, page: VNode<P>) {
      await writer.file(relFile, renderDocument(page));
      writer.pages++;
    },
    page: <P>(relPath: string, page: VNode<P>) => writer.html(pageFile(relPath), page),
  };
  return writer;
}

async function copyAssets(outDir: string): Promise<void> {
  await cp(ASSETS_DIR, join(outDir, "assets"), { recursive: true });
  await cp(join(KATEX_DIST, "katex.min.css"), join(outDir, "assets/katex/katex.min.css"));
  await cp(join(KATEX_DIST, "fonts"), join(outDir, "assets/katex/fonts"), { recursive: true });
}
