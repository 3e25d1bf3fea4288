/**
 * The one reader of the reference history in test/fixtures/reference: every `output.json` that
 * gpt_paper_assistant wrote (real arXiv metadata, with that tool's LLM comments and scores). Tests
 * and benches read it only through here, in three views:
 *
 * - raw: `referenceEntries(date)`, one day's JSON as recorded, keyed by arXiv id (and
 *   `referenceMarkdown(date)`, an anchor day's page);
 * - papers: `loadReferencePapers(date?)`, each paper with its day, metadata and recorded scores,
 *   and its Candidate view (`.candidate`; `distinctCandidates`, `dayCandidates`);
 * - records: `referenceRecords(date)` and `referenceDays()`, the selected papers as PaperRecords.
 *
 * Days are listed the anchor days first, then the three months, by date within each folder: a
 * paper recorded on two days is found first where scripts/build-fixtures.ts found it.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Candidate } from "../../src/model/candidate.js";
import type { PaperRecord } from "../../src/model/day-record.js";
import { makePaper } from "./day-factory.js";

export const REFERENCE_DIR = join(import.meta.dirname, "..", "fixtures", "reference");
/** Five days, each with its `-output.json` and `-output.md`. */
export const ANCHOR_DAYS_DIR = join(REFERENCE_DIR, "anchor-days");
/** Every `-output.json` of three months (58 days). */
export const ANCHOR_MONTHS_DIR = join(REFERENCE_DIR, "anchor-months-2025-11-to-2026-01");

/** One paper as an `output.json` records it (keyed there by its arXiv id). */
export interface ReferenceEntry {
  arxiv_id: string;
  title: string;
  abstract: string;
  /** dc:creator as that tool split it: on every comma, affiliations included. */
  authors: string[];
  /** "Author match", or the LLM's comment, e.g. "Model Architecture (MoE) — …". */
  COMMENT?: string;
  RELEVANCE?: number;
  NOVELTY?: number;
  SCORE?: number;
  [field: string]: unknown;
}

export interface ReferenceDayFile {
  date: string;
  path: string;
}

/** The `-output.json` files of one reference folder, or of both, in the order described above. */
export function referenceDayFiles(dirs: string[] = [ANCHOR_DAYS_DIR, ANCHOR_MONTHS_DIR]): ReferenceDayFile[] {
  return dirs.flatMap((dir) =>
    readdirSync(dir)
      .filter((name) => name.endsWith("-output.json"))
      .sort()
      .map((name) => ({ date: name.slice(0, 10), path: join(dir, name) })),
  );
}

function readEntries(path: string): Record<string, ReferenceEntry> {
  return JSON.parse(readFileSync(path, "utf8")) as Record<string, ReferenceEntry>;
}

/** One day's `output.json` as recorded (a fresh copy on every call). */
export function referenceEntries(date: string): Record<string, ReferenceEntry> {
  const file = referenceDayFiles().find((f) => f.date === date);
  if (!file) throw new Error(`no reference day ${date} in ${REFERENCE_DIR}`);
  return readEntries(file.path);
}

/** An anchor day's `-output.md`, the page that tool wrote. */
export function referenceMarkdown(date: string): string {
  return readFileSync(join(ANCHOR_DAYS_DIR, `${date}-output.md`), "utf8");
}

/** A paper of the reference history. */
export interface ReferencePaper {
  /** The announcement date of the output.json it came from. */
  date: string;
  id: string;
  title: string;
  abstract: string;
  /** As recorded: split on every comma. */
  authors: string[];
  /** The reference LLM's comment ("" when none), e.g. "Model Architecture (MoE) — …" or "Author match". */
  comment: string;
  /** The reference LLM's RELEVANCE; null for author matches. */
  relevance: number | null;
  /** The paper as a Candidate: no categories or version (the reference records none), announced "new". */
  candidate: Candidate;
}

function toReferencePaper(date: string, id: string, entry: ReferenceEntry): ReferencePaper {
  return {
    date,
    id,
    title: entry.title,
    abstract: entry.abstract,
    authors: entry.authors,
    comment: entry.COMMENT ?? "",
    relevance: entry.RELEVANCE ?? null,
    candidate: {
      id,
      version: null,
      title: entry.title,
      abstract: entry.abstract,
      authors: entry.authors.map((name) => ({ name, affiliations: [] })),
      categories: [],
      announceType: "new",
    },
  };
}

/** Every paper of the reference history, or of one day, in file order. */
export function loadReferencePapers(date?: string): ReferencePaper[] {
  const files = referenceDayFiles().filter((f) => date === undefined || f.date === date);
  if (files.length === 0) throw new Error(`no reference day ${date} in ${REFERENCE_DIR}`);
  return files.flatMap((file) =>
    Object.entries(readEntries(file.path)).map(([id, entry]) => toReferencePaper(file.date, id, entry)),
  );
}

/** The reference history's papers once each, new-scheme ids only (`2602.04119`), in file order; the first `n` when given. */
export function distinctNewSchemePapers(n = Number.POSITIVE_INFINITY): ReferencePaper[] {
  const seen = new Set<string>();
  const papers: ReferencePaper[] = [];
  for (const p of loadReferencePapers()) {
    if (papers.length >= n) break;
    if (seen.has(p.id) || !/^\d{4}\.\d{5}$/.test(p.id)) continue;
    seen.add(p.id);
    papers.push(p);
  }
  return papers;
}

/** One Candidate per arXiv id (a paper can appear on two days). */
export function distinctCandidates(papers: ReferencePaper[]): Candidate[] {
  const byId = new Map<string, Candidate>();
  for (const paper of papers) if (!byId.has(paper.candidate.id)) byId.set(paper.candidate.id, paper.candidate);
  return [...byId.values()];
}

/** The papers of one reference day as Candidates, in file order. */
export function dayCandidates(day = "2026-02-05"): Candidate[] {
  return distinctCandidates(loadReferencePapers(day));
}

/** The topic of a recorded comment: the part before its first ":" or "—", the way that tool wrote them. */
function topicOf(comment: string): string | null {
  const head = comment.split(/[:—]/)[0]!.trim().toLowerCase();
  const slug = head.replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
  return slug.length > 0 && slug.length <= 40 ? slug : null;
}

function toRecord(id: string, e: ReferenceEntry): PaperRecord {
  const authorMatch = e.COMMENT === "Author match" ? (e.authors[0] ?? null) : null;
  return makePaper({
    id,
    title: e.title,
    abstract: e.abstract,
    authors: e.authors.map((name) => ({ name, affiliations: [] })),
    relevance: e.RELEVANCE ?? null,
    novelty: e.NOVELTY ?? null,
    score: e.SCORE ?? null,
    comment: e.COMMENT ?? null,
    topic: authorMatch ? null : topicOf(e.COMMENT ?? ""),
    authorMatch,
    scoredBy: "import",
  });
}

/** One reference day's selected papers as PaperRecords, in the recorded order. */
export function referenceRecords(date: string): PaperRecord[] {
  return Object.entries(referenceEntries(date)).map(([id, e]) => toRecord(id, e));
}

/** Each reference day's selected papers, keyed by date (in date order), in the recorded order. */
export function referenceDays(): Map<string, PaperRecord[]> {
  const days = new Map<string, PaperRecord[]>();
  for (const file of referenceDayFiles()) {
    days.set(
      file.date,
      Object.entries(readEntries(file.path)).map(([id, e]) => toRecord(id, e)),
    );
  }
  return new Map([...days].sort(([a], [b]) => a.localeCompare(b)));
}
