/**
 * The reference history in test/fixtures/reference as Candidates: real arXiv metadata, with the
 * reference LLM's RELEVANCE (null for author matches) for comparisons. Shared by the author and
 * lexical tests and bench/lexical.ts.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Candidate } from "../../src/model/candidate.js";

export interface ReferencePaper {
  /** The announcement date of the output.json it came from. */
  date: string;
  candidate: Candidate;
  relevance: number | null;
  /** The reference LLM's comment, e.g. "Model Architecture (MoE) — …" or "Author match". */
  comment: string;
}

interface ReferenceEntry {
  title: string;
  abstract: string;
  authors: string[];
  COMMENT?: string;
  RELEVANCE?: number;
}

export const REFERENCE_DIR = join(import.meta.dirname, "..", "fixtures", "reference");

export function loadReferencePapers(): ReferencePaper[] {
  const papers: ReferencePaper[] = [];
  for (const folder of ["anchor-days", "anchor-months-2025-11-to-2026-01"]) {
    const dir = join(REFERENCE_DIR, folder);
    for (const file of readdirSync(dir)
      .filter((name) => name.endsWith("-output.json"))
      .sort()) {
      const entries = JSON.parse(readFileSync(join(dir, file), "utf8")) as Record<string, ReferenceEntry>;
      for (const [id, entry] of Object.entries(entries)) {
        papers.push({
          date: file.slice(0, 10),
          candidate: {
            id,
            version: null,
            title: entry.title,
            abstract: entry.abstract,
            authors: entry.authors.map((name) => ({ name, affiliations: [] })),
            categories: [],
            announceType: "new",
          },
          relevance: entry.RELEVANCE ?? null,
          comment: entry.COMMENT ?? "",
        });
      }
    }
  }
  return papers;
}

/** One Candidate per arXiv id (a paper can appear on two days). */
export function distinctCandidates(papers: ReferencePaper[]): Candidate[] {
  const byId = new Map<string, Candidate>();
  for (const paper of papers) if (!byId.has(paper.candidate.id)) byId.set(paper.candidate.id, paper.candidate);
  return [...byId.values()];
}
