/**
 * The Pagefind bundles of the site, keyed by period: one per year, except the latest year, which
 * has one per month, so adding a day re-indexes one month (Pagefind cannot update a bundle, and
 * indexing a year takes tens of seconds). Each bundle is keyed by a hash of the documents it
 * indexes: a build whose previous site holds a bundle with the same key and hash reuses its files
 * (hard links) instead of indexing again.
 *
 * Every day's search document is kept under `.site-state/search/<YYYY>/<MM>/<DD>/index.html`;
 * Pagefind indexes a bundle from those files itself (addDirectory), so neither the documents nor
 * the day records need to be in memory, and the page URLs follow from the file paths.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as pagefind from "pagefind";
import type { DayRecord } from "../archive/schema.js";
import { summariseDay } from "./day-summary.js";
import { SEARCH_DOCS, StaleStateError, searchDocFile, sha256 } from "./manifest.js";
import { SearchIndexError, searchDocument } from "./search-index.js";
import { linkTree, replaceFile } from "./site-dir.js";

export const SEARCH_BUNDLES = "pagefind";
/** Bump when the way documents are indexed changes, so every bundle is indexed again. */
const SEARCH_FORMAT = 1;
/** Pagefind's version, from the package.json above its entry point (its exports do not list the file). */
const PAGEFIND_VERSION: string = (() => {
  let dir = dirname(fileURLToPath(import.meta.resolve("pagefind")));
  for (;;) {
    const text = existsSync(join(dir, "package.json")) ? readFileSync(join(dir, "package.json"), "utf8") : "{}";
    const pkg = JSON.parse(text) as { name?: string; version?: string };
    if (pkg.name === "pagefind" || dirname(dir) === dir) return pkg.version ?? "unknown";
    dir = dirname(dir);
  }
})();

/** The bundle a day belongs to: its year, or its month when it lies in the latest year. */
export function bundleKeyOf(date: string, latestYear: string | undefined): string {
  const year = date.slice(0, 4);
  return year === latestYear ? date.slice(0, 7) : year;
}

/** The content key of a bundle: its documents (by hash), the indexer and its settings. */
export function bundleHash(key: string, days: readonly { date: string; doc: string }[]): string {
  return sha256(JSON.stringify([SEARCH_FORMAT, PAGEFIND_VERSION, key, days.map((d) => [d.date, d.doc])]));
}

/** Writes the day's search document into the site's state and returns its hash. */
export async function writeSearchDoc(siteDir: string, day: DayRecord, made?: Set<string>): Promise<string> {
  const doc = searchDocument(summariseDay(day));
  await replaceFile(join(siteDir, searchDocFile(day.date)), doc, made);
  return sha256(doc);
}

export interface BundleJob {
  key: string;
  hash: string;
  /** Days the bundle indexes (a check that every document is there). */
  days: number;
}

/**
 * Indexes bundles one after the other in Pagefind's own process while the build goes on, and
 * reuses those whose key and hash match the previous site's.
 */
export function bundleWriter(siteDir: string, previous: { dir: string; bundles: Record<string, string> } | null) {
  const indexed: string[] = [];
  const reused: string[] = [];
  let queue: Promise<void> = Promise.resolve();
  const run = async (job: BundleJob) => {
    const target = join(siteDir, SEARCH_BUNDLES, job.key);
    if (previous && previous.bundles[job.key] === job.hash) {
      const files = await linkTree(join(previous.dir, SEARCH_BUNDLES, job.key), target).catch(() => 0);
      if (files > 0) {
        reused.push(job.key);
        return;
      }
    }
    await indexBundle(siteDir, job, target);
    indexed.push(job.key);
  };
  return {
    indexed,
    reused,
    /** Queues a bundle; failures surface from `done`. */
    add(job: BundleJob): void {
      queue = queue.then(() => run(job));
    },
    done: () => queue,
  };
}

async function indexBundle(siteDir: string, job: BundleJob, target: string): Promise<void> {
  const { index, errors } = await pagefind.createIndex({ forceLanguage: "en" });
  if (!index) throw new SearchIndexError(`Pagefind could not start: ${errors.join("; ") || "no reason given"}`);
  try {
    const glob = `${job.key.replace("-", "/")}/**/index.html`;
    const added = await index.addDirectory({ path: join(siteDir, SEARCH_DOCS), glob });
    if (added.errors.length > 0) {
      throw new SearchIndexError(`Pagefind failed to index ${job.key}: ${added.errors.join("; ")}`);
    }
    if (added.page_count !== job.days) {
      throw new StaleStateError(`the search documents of ${job.key} are incomplete`);
    }
    const written = await index.writeFiles({ outputPath: target });
    if (written.errors.length > 0) {
      throw new SearchIndexError(`Pagefind failed to write ${target}: ${written.errors.join("; ")}`);
    }
  } finally {
    await index.deleteIndex();
  }
}
