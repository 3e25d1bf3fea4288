/**
 * The arXiv export API (docs/arxiv/api-user-manual.md): searches by category and submission window, paged
 * in slices of at most 2000 up to 30000 results, and lookups by id. Every request goes through
 * the shared PoliteClient, so the 3-second spacing covers feeds and API together.
 */
import { Temporal } from "temporal-polyfill";
import type { Candidate } from "../model/candidate.js";
import { parseApiFeed } from "./api-feed.js";
import type { PoliteClient } from "./http.js";
import { canonicalArxivId } from "./ids.js";

export const MAX_PAGE_SIZE = 2000;
export const MAX_RESULTS = 30_000;
/** Ids per id_list request; keeps URLs far below common length limits. */
const ID_BATCH = 100;
/** The API now and then answers a page with no entries mid-result; asking again usually fixes it. */
const EMPTY_PAGE_RETRIES = 2;
const ACCEPT = "application/atom+xml, application/xml;q=0.9";

export interface ApiQuery {
  apiUrl: string;
  categories: string[];
  /** Start of the submission window, an ISO instant (minute precision is used). */
  from: string;
  /** End of the submission window, an ISO instant. */
  to: string;
  pageSize?: number;
  maxResults?: number;
}

export interface ApiAnswer {
  /** Distinct papers in API order (ascending submission date). */
  entries: Candidate[];
  /** What the API reports matching; more than `entries.length` when `maxResults` cut it short. */
  totalResults: number;
  /** Requests made; a page that came back empty and was asked again counts twice. */
  pages: number;
  /** The first page's URL, for the DayRecord's sources. */
  url: string;
}

/** Form-encodes a value but keeps the characters arXiv's own examples write literally. */
function queryValue(value: string): string {
  return encodeURIComponent(value)
    .replace(/%20/g, "+")
    .replace(/%(3A|2C|2F|5B|5D)/g, (escaped) => decodeURIComponent(escaped));
}

function apiRequestUrl(apiUrl: string, params: [string, string | number][]): string {
  let base: URL;
  try {
    base = new URL(apiUrl);
  } catch {
    throw new Error(`arxiv.apiUrl "${apiUrl}" is not a URL; the default is https://export.arxiv.org/api/query.`);
  }
  base.search = "";
  base.hash = "";
  return `${base.toString()}?${params.map(([k, v]) => `${k}=${queryValue(String(v))}`).join("&")}`;
}

/** `YYYYMMDDHHMM` in GMT, the submittedDate syntax. */
function gmtMinute(iso: string, what: string): string {
  let instant: Temporal.Instant;
  try {
    instant = Temporal.Instant.from(iso);
  } catch {
    throw new Error(`The API query's ${what} "${iso}" is not an ISO instant such as 2026-02-04T19:00:00Z.`);
  }
  const t = instant.toZonedDateTimeISO("UTC");
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  return `${pad(t.year, 4)}${pad(t.month)}${pad(t.day)}${pad(t.hour)}${pad(t.minute)}`;
}

function checkedCount(value: number | undefined, fallback: number, max: number, what: string): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new Error(`The API query's ${what} is ${n}; it must be a whole number from 1 to ${max} (arXiv's limit).`);
  }
  return n;
}

/** `(cat:A OR cat:B) AND submittedDate:[from TO to]`, the search the manual documents. */
export function submissionQuery(categories: readonly string[], from: string, to: string): string {
  if (categories.length === 0) throw new Error("The API query names no category; list at least one.");
  for (const c of categories) {
    if (!/^[a-z-]+(\.[A-Za-z-]+)?$/.test(c))
      throw new Error(`"${c}" is not an arXiv category such as cs.LG or hep-th.`);
  }
  const start = gmtMinute(from, "start");
  const end = gmtMinute(to, "end");
  if (start > end)
    throw new Error(`The API query's window ${from} → ${to} runs backwards; give the earlier instant first.`);
  const cats = categories.map((c) => `cat:${c}`).join(" OR ");
  return `${categories.length > 1 ? `(${cats})` : cats} AND submittedDate:[${start} TO ${end}]`;
}

/**
 * Every paper submitted in the window to any of the categories, oldest first, paging with
 * `start`. Pages advance by the entries actually received, and a paper met twice (the result
 * shifts when papers arrive between pages) is kept once.
 */
export async function queryArxivApi(client: PoliteClient, q: ApiQuery): Promise<ApiAnswer> {
  const pageSize = checkedCount(q.pageSize, MAX_PAGE_SIZE, MAX_PAGE_SIZE, "pageSize");
  const maxResults = checkedCount(q.maxResults, MAX_RESULTS, MAX_RESULTS, "maxResults");
  const searchQuery = submissionQuery(q.categories, q.from, q.to);
  const byId = new Map<string, Candidate>();
  let firstUrl = "";
  // Unknown until the first page answers; the loop always asks at least once.
  let totalResults = Number.POSITIVE_INFINITY;
  let start = 0;
  let pages = 0;
  let emptyRetries = 0;
  while (start < Math.min(totalResults, maxResults)) {
    const url = apiRequestUrl(q.apiUrl, [
      ["search_query", searchQuery],
      ["start", start],
      ["max_results", Math.min(pageSize, maxResults - start)],
      ["sortBy", "submittedDate"],
      ["sortOrder", "ascending"],
    ]);
    firstUrl ||= url;
    const res = await client.get(url, { accept: ACCEPT });
    pages++;
    const page = parseApiFeed(res.body, `arXiv API page ${pages} (${url})`);
    totalResults = page.totalResults;
    if (page.entries.length === 0 && start < Math.min(totalResults, maxResults)) {
      if (emptyRetries++ < EMPTY_PAGE_RETRIES) continue;
      throw new Error(
        `The arXiv API reported ${totalResults} results but returned none from position ${start} (${url}), ${EMPTY_PAGE_RETRIES + 1} times. Its index may be catching up with an announcement; run again later.`,
      );
    }
    emptyRetries = 0;
    for (const entry of page.entries) if (!byId.has(entry.id)) byId.set(entry.id, entry);
    start += page.entries.length;
  }
  return { entries: [...byId.values()], totalResults, pages, url: firstUrl };
}

/**
 * The current metadata of the given papers, in the order asked, each id once. Ids the API does
 * not know are left out; a malformed id is refused before any request.
 */
export async function fetchByIds(client: PoliteClient, apiUrl: string, ids: string[]): Promise<Candidate[]> {
  // Requested form (versioned when a version was given) → unversioned key of the answer.
  const wanted = new Map<string, string>();
  for (const text of ids) {
    const parsed = canonicalArxivId(text);
    if (!parsed) throw new Error(`"${text}" is not an arXiv identifier (expected e.g. 2401.00010 or hep-th/9901001).`);
    wanted.set(parsed.version === null ? parsed.id : `${parsed.id}v${parsed.version}`, parsed.id);
  }
  const requested = [...wanted.keys()];
  const found = new Map<string, Candidate>();
  for (let i = 0; i < requested.length; i += ID_BATCH) {
    const batch = requested.slice(i, i + ID_BATCH);
    const url = apiRequestUrl(apiUrl, [
      ["id_list", batch.join(",")],
      ["max_results", batch.length],
    ]);
    const res = await client.get(url, { accept: ACCEPT });
    for (const entry of parseApiFeed(res.body, `arXiv API lookup (${url})`).entries) found.set(entry.id, entry);
  }
  const ordered = new Set<Candidate>();
  for (const id of wanted.values()) {
    const entry = found.get(id);
    if (entry) ordered.add(entry);
  }
  return [...ordered];
}
