/**
 * Parses the export API's Atom answers (docs/arxiv/api-user-manual.md §3.3–3.4): paging counters from
 * OpenSearch, one Candidate per entry, and the single-entry error feed the API sends instead of
 * an HTTP error.
 */
import * as z from "zod";
import { decodeTex } from "../format/math-spans.js";
import type { Author, Candidate } from "../model/candidate.js";
import { capAbstract } from "./feed.js";
import { canonicalArxivId } from "./ids.js";
import {
  describeIssue,
  FeedParseError,
  isIsoTimestamp,
  normalizeSpace,
  readXmlDocument,
  rootElement,
  xmlText,
} from "./xml.js";

export interface ApiPage {
  /** Results matching the query over all pages. */
  totalResults: number;
  /** 0-based index of this page's first result. */
  startIndex: number;
  itemsPerPage: number;
  entries: Candidate[];
}

/** The API answered with its error feed: `message` is the API's own explanation. */
export class ArxivApiError extends Error {
  override readonly name = "ArxivApiError";
  constructor(
    readonly source: string,
    readonly apiMessage: string,
  ) {
    super(`${source}: the arXiv API refused the query: ${apiMessage}; fix the query (ids, dates, paging) and retry`);
  }
}

const count = xmlText.pipe(z.string().trim().regex(/^\d+$/, "expected a whole number").transform(Number));
const term = z.object({ "@_term": z.string() });
const timestamp = xmlText.pipe(z.string().trim()).refine(isIsoTimestamp, "expected an ISO 8601 timestamp").optional();

const EntrySchema = z.object({
  id: xmlText,
  title: xmlText.optional(),
  summary: xmlText.optional(),
  published: timestamp,
  updated: timestamp,
  author: z.array(z.object({ name: xmlText, "arxiv:affiliation": z.array(xmlText).optional() })).optional(),
  category: z.array(term).optional(),
  "arxiv:primary_category": term.optional(),
  "arxiv:doi": xmlText.optional(),
  "arxiv:journal_ref": xmlText.optional(),
  "arxiv:comment": xmlText.optional(),
});

const FeedSchema = z.object({
  "opensearch:totalResults": count,
  "opensearch:startIndex": count,
  "opensearch:itemsPerPage": count,
  entry: z.array(z.unknown()).optional(),
});

function optionalText(text: string | undefined, decode: (s: string) => string = (s) => s): string | undefined {
  const clean = decode(normalizeSpace(text ?? ""));
  return clean === "" ? undefined : clean;
}

function toCandidate(entry: z.output<typeof EntrySchema>, label: string, source: string): Candidate {
  const parsedId = canonicalArxivId(entry.id);
  if (!parsedId) throw new FeedParseError(source, `${label}: <id> "${entry.id.trim()}" is not an arXiv abstract URL`);
  const authors: Author[] = (entry.author ?? []).map((a) => ({
    name: decodeTex(normalizeSpace(a.name)),
    affiliations: (a["arxiv:affiliation"] ?? []).map((s) => decodeTex(normalizeSpace(s))).filter((s) => s !== ""),
  }));
  const primary = entry["arxiv:primary_category"]?.["@_term"];
  const categories = [...new Set([primary, ...(entry.category ?? []).map((c) => c["@_term"])])].filter(
    (c): c is string => c !== undefined && c.trim() !== "",
  );
  // The API hard-wraps abstracts at ~80 columns; the wrapping is layout, not content.
  const abstract = capAbstract((entry.summary ?? "").trim().replace(/[ \t]*\r?\n[ \t]*/g, " "));
  const candidate: Candidate = {
    id: parsedId.id,
    version: parsedId.version,
    title: decodeTex(normalizeSpace(entry.title ?? "")),
    abstract: abstract.abstract,
    authors,
    categories,
    // Whether a replacement is also a cross-listing depends on the categories asked for; the
    // caller that knows them decides.
    announceType: (parsedId.version ?? 1) === 1 ? "new" : "replace",
  };
  const doi = optionalText(entry["arxiv:doi"]);
  const journalRef = optionalText(entry["arxiv:journal_ref"], decodeTex);
  const comment = optionalText(entry["arxiv:comment"], decodeTex);
  if (abstract.truncatedFrom !== undefined) candidate.abstractTruncatedFrom = abstract.truncatedFrom;
  if (doi) candidate.doi = doi;
  if (journalRef) candidate.journalRef = journalRef;
  if (comment) candidate.comment = comment;
  if (entry.published) candidate.published = entry.published;
  if (entry.updated) candidate.updated = entry.updated;
  return candidate;
}

/** An error feed: one entry titled "Error" whose id points into the API's error list. */
function apiErrorMessage(entries: unknown[]): string | null {
  if (entries.length !== 1) return null;
  const parsed = z.object({ id: xmlText, title: xmlText, summary: xmlText.optional() }).safeParse(entries[0]);
  if (!parsed.success) return null;
  const { id, title, summary } = parsed.data;
  if (normalizeSpace(title) !== "Error" || !id.includes("/api/errors")) return null;
  return normalizeSpace(summary ?? "") || normalizeSpace(id);
}

/**
 * Parses one page of an export-API answer. Throws FeedParseError for unreadable XML or entries,
 * ArxivApiError when the API answered with its error feed.
 */
export function parseApiFeed(xml: string, source: string): ApiPage {
  const doc = readXmlDocument(xml, source);
  const root = rootElement(doc);
  if (root !== "feed") {
    throw new FeedParseError(source, `the root element is <${root ?? "none"}>, not the API's Atom <feed>`);
  }
  const entries = z.object({ entry: z.array(z.unknown()).optional() }).safeParse(doc.feed);
  const errorMessage = entries.success ? apiErrorMessage(entries.data.entry ?? []) : null;
  if (errorMessage !== null) throw new ArxivApiError(source, errorMessage);
  const feed = FeedSchema.safeParse(doc.feed);
  if (!feed.success) throw new FeedParseError(source, `the API answer is malformed at ${describeIssue(feed.error)}`);
  return {
    totalResults: feed.data["opensearch:totalResults"],
    startIndex: feed.data["opensearch:startIndex"],
    itemsPerPage: feed.data["opensearch:itemsPerPage"],
    entries: (feed.data.entry ?? []).map((item, index) => {
      const label = `entry ${index + 1}`;
      const entry = EntrySchema.safeParse(item);
      if (!entry.success) throw new FeedParseError(source, `${label} is malformed at ${describeIssue(entry.error)}`);
      return toCandidate(entry.data, label, source);
    }),
  };
}
