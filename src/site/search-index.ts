/**
 * What the Pagefind search index holds: every scanned paper of a day is one record (not one record
 * per day page), so a search answers with papers, and a paper the filter left out can still be
 * found. The bundles themselves, and the per-day documents they are indexed from, are in
 * search-bundles.ts.
 *
 * Ranking: the arXiv id and title weigh most, authors next, abstract and comment least; the search
 * script puts an exact id match first and favours selected papers (meta `selected`).
 * Text is indexed as plain text with TeX turned into Unicode, so snippets never show "$\alpha$".
 */
import * as pagefind from "pagefind";
import type { DayRecord } from "../model/day-record.js";
import { nearMisses, paperBasics } from "./day-summary.js";
import { plainTex } from "./format.js";
import { escapeHtml } from "./math.js";

/** Authors kept in a result's meta line; the full list is searched. */
const META_AUTHORS = 4;

export class SearchIndexError extends Error {
  override name = "SearchIndexError";
}

export function check(step: string, errors: string[]): void {
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
    ...paperBasics(p),
    selected: p.outcome === "selected",
    listed: p.outcome === "selected" || p.outcome === "unscored" || near.has(p.id),
  }));
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
  // Papers the day page does not show are found by id, title and authors: their abstracts are
  // nine tenths of the index's text and of its build time, and a reader searches them by name.
  const abstract = paper.listed ? `<p>${escapeHtml(plainTex(paper.abstract))}</p>` : "";
  return (
    `<!doctype html><html lang="en"><head><title>${title}</title></head><body><main data-pagefind-body>` +
    abstract +
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

/** Stops Pagefind's helper process so the caller's process can exit. */
export async function closeSearchIndexer(): Promise<void> {
  await pagefind.close();
}
