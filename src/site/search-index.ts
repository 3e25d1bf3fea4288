/**
 * The Pagefind search index, one bundle per year (`pagefind/<year>/`) that the search page
 * merges at query time. Pagefind cannot update a bundle in place, so sharding by year keeps an
 * incremental build to re-indexing the touched years only. Each day is indexed as a compact
 * document built from the day summaries (no day reads, no KaTeX markup): one section per paper
 * under a heading whose id is the paper's anchor, so Pagefind's sub-results link to the card.
 */
import { rm } from "node:fs/promises";
import { join } from "node:path";
import * as pagefind from "pagefind";
import type { DaySummary } from "./day-summary.js";
import { escapeHtml } from "./math.js";
import { dayPath, paperAnchor } from "./urls.js";

const SEARCH_BUNDLES = "pagefind";

export class SearchIndexError extends Error {
  override name = "SearchIndexError";
}

function check(step: string, errors: string[]): void {
  if (errors.length > 0) throw new SearchIndexError(`Pagefind failed to ${step}: ${errors.join("; ")}`);
}

/** The text Pagefind indexes for one day: titles, authors, abstracts and comments. */
export function searchDocument(day: DaySummary): string {
  const sections = day.papers.map(
    (p) =>
      `<section><h2 id="${escapeHtml(paperAnchor(p.id))}">${escapeHtml(p.title)}</h2>` +
      `<p>${escapeHtml(p.authors.join(", "))}</p><p>${escapeHtml(p.abstract)}</p>` +
      `<p>${escapeHtml(p.comment ?? "")}</p></section>`,
  );
  return (
    `<!doctype html><html lang="en"><head><title>${day.date}</title></head>` +
    `<body><main data-pagefind-body data-pagefind-meta="date:${day.date}">${sections.join("")}</main></body></html>`
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
  for (const year of years) {
    const bundle = join(outDir, SEARCH_BUNDLES, year);
    await rm(bundle, { recursive: true, force: true });
    const yearDays = byYear.get(year);
    if (yearDays) await writeBundle(bundle, yearDays);
  }
}

async function writeBundle(bundle: string, days: DaySummary[]): Promise<void> {
  const { index, errors } = await pagefind.createIndex({ forceLanguage: "en" });
  if (!index) throw new SearchIndexError(`Pagefind could not start: ${errors.join("; ") || "no reason given"}`);
  try {
    for (const day of days) {
      const added = await index.addHTMLFile({ url: `/${dayPath(day.date)}`, content: searchDocument(day) });
      check(`index the papers of ${day.date}`, added.errors);
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
