/**
 * One paper entry of a gpt_paper_assistant `output.json` (`{ARXIVID, COMMENT, RELEVANCE, NOVELTY,
 * SCORE, title, authors, abstract, arxiv_id, …}`) → a PaperRecord. Repairs what the old tool got
 * wrong (TeX accents, authors cut at the commas inside their affiliations) and keeps every field
 * it cannot map, so nothing the user paid for is lost.
 */
import { parseCreators } from "../arxiv/creators.js";
import { parseArxivId } from "../arxiv/ids.js";
import { decodeTex } from "../format/math-spans.js";
import type { Author } from "../model/candidate.js";
import { AUTHOR_MATCH_COMMENT, isAuthorMatchComment, type Outcome, type PaperRecord } from "../model/day-record.js";

/** Fields the old tools used for a paper's topic, most specific first. */
const TOPIC_FIELDS = ["PRIMARY_TOPIC_LABEL", "TOPIC", "topic", "PRIMARY_TOPIC_ID", "PRIMARY_CATEGORY", "TOPIC_ID"];
const MAPPED_FIELDS = new Set([
  "ARXIVID",
  "arxiv_id",
  "title",
  "authors",
  "abstract",
  "COMMENT",
  "RELEVANCE",
  "NOVELTY",
  "SCORE",
]);

/** A value, or the reason there is none (naming the file and what to do). */
export type Result<T> = { ok: true; value: T } | { ok: false; problem: string };

export interface ImportedPaper {
  paper: PaperRecord;
  /** Sentences for the DayRecord's notes: repairs made, values kept verbatim that had no field. */
  notes: string[];
  /** Names of the fields kept in notes because the PaperRecord has no place for them. */
  unmappedFields: string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Numbers the old tool wrote as numbers or, from some models, as numeric strings. */
function numeric(value: unknown): number | null {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && /^\s*-?\d+(?:\.\d+)?\s*$/.test(value)) return Number(value);
  return null;
}

/**
 * The old tool split `dc:creator` at every comma, cutting affiliations such as
 * `(State Key Laboratory …, Xi'an Jiaotong University)` into pieces. Joining the pieces restores
 * the original string, which parseCreators then reads with the affiliations whole.
 */
function readAuthors(value: unknown): Author[] | null {
  if (typeof value === "string") return parseCreators(value);
  if (Array.isArray(value) && value.every((a) => typeof a === "string")) return parseCreators(value.join(", "));
  return null;
}

function readTopic(raw: Record<string, unknown>): { field: string; topic: string } | null {
  const named = TOPIC_FIELDS.find((f) => typeof raw[f] === "string" && (raw[f] as string).trim() !== "");
  const field = named ?? Object.keys(raw).find((k) => /topic/i.test(k) && typeof raw[k] === "string" && raw[k] !== "");
  return field === undefined ? null : { field, topic: (raw[field] as string).trim() };
}

/** A score on the 0–10 scale the DayRecord allows, or null with a note naming the bad value. */
function readScale(raw: Record<string, unknown>, field: string, id: string, notes: string[]): number | null {
  if (!(field in raw) || raw[field] === null) return null;
  const n = numeric(raw[field]);
  if (n !== null && n >= 0 && n <= 10) return n;
  notes.push(`paper ${id}: ${field} ${JSON.stringify(raw[field])} is not a score from 0 to 10; kept here only`);
  return null;
}

/**
 * Maps one entry. `key` is the entry's key in the file; `where` names the file in messages.
 * Not ok, with the reason, when the entry cannot be imported at all.
 */
export function importPaper(key: string, raw: unknown, where: string, outcome: Outcome): Result<ImportedPaper> {
  if (!isRecord(raw)) return { ok: false, problem: `${where}: entry "${key}" is not an object; skipped` };
  const notes: string[] = [];
  const parsed =
    parseArxivId(key) ?? parseArxivId(String(raw.arxiv_id ?? "")) ?? parseArxivId(String(raw.ARXIVID ?? ""));
  const id = parsed?.id ?? key.trim();
  if (id === "") return { ok: false, problem: `${where}: an entry has an empty key and no arXiv id; skipped` };
  if (!parsed)
    notes.push(`paper ${id}: "${key}" is not an arXiv identifier; it is kept as the id but gets no arXiv links`);
  for (const field of ["arxiv_id", "ARXIVID"]) {
    const other = typeof raw[field] === "string" ? parseArxivId(raw[field] as string) : null;
    if (other && other.id !== id) notes.push(`paper ${id}: ${field} says ${JSON.stringify(raw[field])}`);
  }

  const authors = readAuthors(raw.authors);
  if (authors === null)
    notes.push(`paper ${id}: authors ${JSON.stringify(raw.authors ?? null)} is not a list of names`);
  const comment = typeof raw.COMMENT === "string" ? raw.COMMENT : null;
  const authorMatch = isAuthorMatchComment(comment);
  const topic = readTopic(raw);

  const unmappedFields = Object.keys(raw).filter((k) => !MAPPED_FIELDS.has(k) && k !== topic?.field);
  for (const field of unmappedFields) notes.push(`paper ${id}: ${field} = ${JSON.stringify(raw[field])}`);
  for (const field of ["title", "abstract"]) {
    if (typeof raw[field] !== "string") notes.push(`paper ${id}: ${field} is missing or not text`);
  }
  if (raw.COMMENT != null && comment === null) notes.push(`paper ${id}: COMMENT = ${JSON.stringify(raw.COMMENT)}`);
  const score = numeric(raw.SCORE);
  if (raw.SCORE != null && score === null) notes.push(`paper ${id}: SCORE = ${JSON.stringify(raw.SCORE)}`);

  const paper: PaperRecord = {
    id,
    version: parsed?.version ?? null,
    title: typeof raw.title === "string" ? decodeTex(raw.title) : "",
    authors: authors ?? [],
    abstract: typeof raw.abstract === "string" ? raw.abstract : "",
    categories: [],
    announceType: null,
    outcome,
    scoredBy: authorMatch ? "author" : "import",
    reason: null,
    authorMatch: authorMatch ? AUTHOR_MATCH_COMMENT : null,
    relevance: readScale(raw, "RELEVANCE", id, notes),
    novelty: readScale(raw, "NOVELTY", id, notes),
    comment,
    topic: topic?.topic ?? null,
    score,
  };
  return { ok: true, value: { paper, notes, unmappedFields } };
}
