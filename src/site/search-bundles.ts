/**
 * The Pagefind bundles of the site, keyed by period: one per year, except the latest year, which
 * has one per month, so adding a day re-indexes one month (Pagefind cannot update a bundle, and
 * indexing a year takes tens of seconds). Each bundle is keyed by a hash of the documents it
 * indexes: a build whose previous site holds a bundle with the same key and hash reuses its files
 * (hard links) instead of indexing again.
 *
 * Every day's search document (every scanned paper, as `searchPapers` makes them) is kept in the
 * state folder under `search/<YYYY>/<MM>/<DD>.json`; a bundle is indexed from those files one day
 * at a time, one Pagefind record per paper (`searchDocument`), so neither the documents nor the day
 * records need to be in memory. Record URLs are site-relative (the day page and the paper's anchor);
 * the search script hands Pagefind the basePath, so bundles do not depend on where the site is served.
 */
import { existsSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as pagefind from "pagefind";
import type { DayRecord } from "../model/day-record.js";
import { StaleStateError, searchDocFile, sha256 } from "./manifest.js";
import { check, SearchIndexError, type SearchPaper, searchDocument, searchPapers } from "./search-index.js";
import { linkTree, replaceFile } from "./site-dir.js";
import { dayPath, paperAnchor } from "./urls.js";

export const SEARCH_BUNDLES = "pagefind";
/** Bump when the way documents are indexed changes, so every bundle is indexed again. */
const SEARCH_FORMAT = 3;
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

/**
 * Writes the day's search document (every scanned paper, each id once: a paper listed twice would
 * make two records with one address) into the state folder and returns its hash.
 */
export async function writeSearchDoc(stateDir: string, day: DayRecord, made?: Set<string>): Promise<string> {
  const seen = new Set<string>();
  const papers = searchPapers(day).filter((p) => !seen.has(p.id) && seen.add(p.id) !== undefined);
  const doc = JSON.stringify(papers);
  await replaceFile(join(stateDir, searchDocFile(day.date)), doc, made);
  return sha256(doc);
}

export interface BundleJob {
  key: string;
  hash: string;
  /** The days the bundle indexes, ascending, with the hash of each day's document. */
  days: readonly { date: string; doc: string }[];
}

/**
 * Indexes bundles one after the other in Pagefind's own process while the build goes on, and
 * reuses those whose key and hash match the previous site's.
 */
export function bundleWriter(
  siteDir: string,
  stateDir: string,
  previous: { dir: string; bundles: Record<string, string> } | null,
) {
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
    await indexBundle(stateDir, job, target);
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

async function indexBundle(stateDir: string, job: BundleJob, target: string): Promise<void> {
  const { index, errors } = await pagefind.createIndex({ forceLanguage: "en" });
  if (!index) throw new SearchIndexError(`Pagefind could not start: ${errors.join("; ") || "no reason given"}`);
  try {
    for (const { date, doc } of job.days) {
      const text = await readFile(join(stateDir, searchDocFile(date)), "utf8").catch(() => null);
      if (text === null || sha256(text) !== doc) {
        throw new StaleStateError(`the search document of ${date} is missing or changed`);
      }
      const papers = JSON.parse(text) as SearchPaper[];
      // One day's records are sent together (Pagefind answers them in any order), days one by one.
      const added = await Promise.all(
        papers.map((paper) =>
          index.addHTMLFile({
            url: `/${dayPath(date)}#${paperAnchor(paper.id)}`,
            content: searchDocument(date, paper),
          }),
        ),
      );
      check(
        `index ${date} (${job.key})`,
        added.flatMap((a) => a.errors),
      );
    }
    check(`write ${target}`, (await index.writeFiles({ outputPath: target })).errors);
  } finally {
    await index.deleteIndex();
  }
}
