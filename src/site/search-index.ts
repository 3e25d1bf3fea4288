/**
 * The Pagefind search index, one bundle per year (`pagefind/<year>/`) that the search page
 * merges at query time. Pagefind cannot update a bundle in place, so sharding by year keeps an
 * incremental build to re-indexing the touched years only.
 *
 * Every scanned paper of a day is one record (not one record per day page), so a search answers
 * with papers, and a paper the filter left out can still be found. The build manifest keeps only
 * selected papers; the rest come from a compact per-day file staged next to the bundles when the
 * day is read (`stageSearchDay`), so re-indexing a year needs no day reads.
 *
 * Ranking: the arXiv id and title weigh most, authors next, abstract and comment least; the search
 * script puts an exact id match first and favours selected papers (meta `selected`).
 * Text is indexed as plain text with TeX turned into Unicode, so snippets never show "$\alpha$".
 */
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import * as pagefind from "pagefind";
import type { DayRecord } from "../model/day-record.js";
import { type DaySummary, nearMisses } from "./day-summary.js";
import { plainTex } from "./format.js";
import { escapeHtml } from "./math.js";
import { dayPath, paperAnchor } from "./urls.js";

const SEARCH_BUNDLES = "pagefind";
/** Staged per-day paper lists; inside the bundles folder so a reader's site has one search folder. */
const STAGE_DIR = join(SEARCH_BUNDLES, "staged");
/** Authors kept in a result's meta line; the full list is searched. */
const META_AUTHORS = 4;

export class SearchIndexError extends Error {
  override name = "SearchIndexError";
}

function check(step: string, errors: string[]): void {
  if (errors.length > 0) throw new SearchIndexError(`Pagefind failed to ${step}: ${errors.join("; ")}`);
}

/** What the index needs of one scanned paper. */
export interface SearchPaper {
  id: string;
  title: string;
  authors: string[];
  abstract: string;
  comment: string | null;
  topic: string | null;
  score: number | null;
  selected: boolean;
  /** Whether the day page shows it (selected or a near miss), so a result can link to its card. */
  listed: boolean;
}

/** Every paper of the record, selected ones first (the record's own order). */
export function searchPapers(day: DayRecord): SearchPaper[] {
  const near = new Set(nearMisses(day).map((p) => p.id));
  return day.papers.map((p) => ({
    id: p.id,
    title: p.title,
    authors: p.authors.map((a) => a.name),
    abstract: p.abstract,
    comment: p.comment,
    topic: p.topic,
    score: p.score,
    selected: p.outcome === "selected",
    listed: p.outcome === "selected" || p.outcome === "unscored" || near.has(p.id),
  }));
}

/** Keeps the day's scanned papers for the next index write; called by the build for each day it reads. */
export async function stageSearchDay(outDir: string, day: DayRecord): Promise<void> {
  const dir = join(outDir, STAGE_DIR);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, `${day.date}.json`), JSON.stringify(searchPapers(day)));
}

/** The staged papers of a day, or its selected papers from the summary when nothing was staged. */
async function papersOf(outDir: string, day: DaySummary): Promise<SearchPaper[]> {
  const text = await readFile(join(outDir, STAGE_DIR, `${day.date}.json`), "utf8").catch(() => null);
  if (text !== null) return JSON.parse(text) as SearchPaper[];
  return day.papers.map((p) => ({ ...p, selected: true, listed: true }));
}

/** One Pagefind record: a small HTML document whose parts carry the ranking weights. */
export function searchDocument(date: string, paper: SearchPaper): string {
  const title = escapeHtml(plainTex(paper.title));
  const shortAuthors =
    paper.authors.length > META_AUTHORS
      ? `${paper.authors.slice(0, META_AUTHORS - 1).join(", ")} et al.`
      : paper.authors.join(", ");
  const meta: [string, string][] = [
    ["date", date],
    ["id", paper.id],
    ["score", paper.score === null ? "" : String(paper.score)],
    ["selected", paper.selected ? "yes" : "no"],
    ["listed", paper.listed ? "yes" : "no"],
    ["authors", shortAuthors],
    ["topic", paper.topic ?? ""],
  ];
  // The abstract comes first so Pagefind's default excerpt is the abstract, not the title again.
  return (
    `<!doctype html><html lang="en"><head><title>${title}</title></head><body><main data-pagefind-body>` +
    `<p>${escapeHtml(plainTex(paper.abstract))}</p>` +
    (paper.comment ? `<p data-pagefind-weight="2">${escapeHtml(paper.comment)}</p>` : "") +
    `<h1 data-pagefind-weight="10" data-pagefind-meta="title">${title}</h1>` +
    `<p data-pagefind-weight="5">${escapeHtml(paper.authors.join(", "))}</p>` +
    `<p data-pagefind-weight="10">arXiv:${escapeHtml(paper.id)} ${escapeHtml(paper.id)}</p>` +
    `<div data-pagefind-ignore>${meta
      .map(([k, v]) => `<span data-pagefind-meta="${k}">${escapeHtml(v)}</span>`)
      .join("")}</div>` +
    "</main></body></html>"
  );
}

/**
 * Rewrites the bundles of `years` from `days` (all days of the archive, any order) and removes
 * bundles of years that no longer have days. Record URLs are site-relative; the search script
 * hands Pagefind the basePath, so bundles do not depend on where the site is served.
 */
export async function writeSearchIndex(
  outDir: string,
  days: readonly DaySummary[],
  years: Iterable<string>,
): Promise<void> {
  const byYear = new Map<string, DaySummary[]>();
  for (const day of days) {
    const year = day.date.slice(0, 4);
    const list = byYear.get(year);
    if (list) list.push(day);
    else byYear.set(year, [day]);
  }
  const present = new Set(days.map((d) => d.date));
  const staged: string[] = await readdir(join(outDir, STAGE_DIR)).catch(() => []);
  for (const year of years) {
    const bundle = join(outDir, SEARCH_BUNDLES, year);
    await rm(bundle, { recursive: true, force: true });
    for (const file of staged) {
      if (file.startsWith(year) && !present.has(file.slice(0, 10))) {
        await rm(join(outDir, STAGE_DIR, file), { force: true });
      }
    }
    const yearDays = byYear.get(year);
    if (yearDays) await writeBundle(outDir, bundle, yearDays);
  }
}

async function writeBundle(outDir: string, bundle: string, days: DaySummary[]): Promise<void> {
  const { index, errors } = await pagefind.createIndex({ forceLanguage: "en" });
  if (!index) throw new SearchIndexError(`Pagefind could not start: ${errors.join("; ") || "no reason given"}`);
  try {
    for (const day of days) {
      const seen = new Set<string>();
      for (const paper of await papersOf(outDir, day)) {
        // A record lists a paper once; a duplicate id would make two records with one address.
        if (seen.has(paper.id)) continue;
        seen.add(paper.id);
        const url = `/${dayPath(day.date)}#${paperAnchor(paper.id)}`;
        const added = await index.addHTMLFile({ url, content: searchDocument(day.date, paper) });
        check(`index ${paper.id} of ${day.date}`, added.errors);
      }
    }
    check(`write ${bundle}`, (await index.writeFiles({ outputPath: bundle })).errors);
  } finally {
    await index.deleteIndex();
  }
}

/** Stops Pagefind's helper process so the caller's process can exit. */
export async function closeSearchIndexer(): Promise<void> {
  await pagefind.close();
}
