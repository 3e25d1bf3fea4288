/**
 * Real papers from the reference history (test/fixtures/reference), as PaperRecords. The topic is
 * the part of the recorded comment before its first ":" or "—", the way that tool wrote them.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { PaperRecord } from "../../src/model/day-record.js";
import { makePaper } from "../helpers/day-factory.js";

const REFERENCE = join(import.meta.dirname, "../fixtures/reference");

interface ReferenceEntry {
  title: string;
  abstract: string;
  authors: string[];
  COMMENT?: string;
  SCORE?: number;
  RELEVANCE?: number;
  NOVELTY?: number;
}

function topicOf(comment: string): string | null {
  const head = comment.split(/[:—]/)[0]!.trim().toLowerCase();
  const slug = head.replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
  return slug.length > 0 && slug.length <= 40 ? slug : null;
}

function toPaper(id: string, e: ReferenceEntry): PaperRecord {
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

/** Each reference day's selected papers, keyed by date, in the recorded order. */
export function referenceDays(): Map<string, PaperRecord[]> {
  const days = new Map<string, PaperRecord[]>();
  for (const folder of readdirSync(REFERENCE, { withFileTypes: true })) {
    if (!folder.isDirectory()) continue;
    for (const name of readdirSync(join(REFERENCE, folder.name)).sort()) {
      const date = /^(\d{4}-\d{2}-\d{2})-output\.json$/.exec(name)?.[1];
      if (!date) continue;
      const json = JSON.parse(readFileSync(join(REFERENCE, folder.name, name), "utf8")) as Record<
        string,
        ReferenceEntry
      >;
      days.set(
        date,
        Object.entries(json).map(([id, e]) => toPaper(id, e)),
      );
    }
  }
  return new Map([...days].sort(([a], [b]) => a.localeCompare(b)));
}
