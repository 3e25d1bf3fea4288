/**
 * Metadata of papers the reader gave feedback on but the archive never saw (an imported library,
 * a paper liked from a link). The scorer and the prompt need their titles and abstracts, so they
 * are fetched once from arXiv and kept in `feedback-papers.json` in the workspace: a paper's
 * metadata barely changes, and asking arXiv again on every run would spend its rate limit on
 * nothing.
 */

import { join } from "node:path";
import * as z from "zod";
import type { PoliteClient } from "../arxiv/http.js";
import { readJsonFile, writeJsonAtomic } from "../io/json-file.js";
import { UserError } from "../model/errors.js";
import { isUnversionedId } from "./store.js";

export const PAPERS_CACHE_FILE = "feedback-papers.json";

export const ResolvedPaperSchema = z.object({
  id: z.string().refine(isUnversionedId, "expected an unversioned arXiv id"),
  title: z.string(),
  authors: z.array(z.string()),
  abstract: z.string(),
  categories: z.array(z.string()),
  doi: z.string().optional(),
  /** When this entry was fetched (ISO), so a stale cache can be told apart. */
  fetchedAt: z.string(),
});
export type ResolvedPaper = z.infer<typeof ResolvedPaperSchema>;

const CacheSchema = z.object({
  v: z.literal(1),
  papers: z.record(z.string(), ResolvedPaperSchema),
});

/** Looks papers up by unversioned id; ids the source does not know are simply absent from the answer. */
export type MetadataFetcher = (ids: string[]) => Promise<Omit<ResolvedPaper, "fetchedAt">[]>;

export class PapersCacheError extends UserError {
  override name = "PapersCacheError";
}

export function papersCachePath(workspaceDir: string): string {
  return join(workspaceDir, PAPERS_CACHE_FILE);
}

/** Reads the cache; a missing file is empty, a corrupt one an error naming the file and field. */
export async function readPapersCache(path: string): Promise<Map<string, ResolvedPaper>> {
  const read = await readJsonFile(CacheSchema, path);
  if (read.kind === "missing") return new Map();
  if (read.kind === "ok") return new Map(Object.entries(read.value.papers));
  throw new PapersCacheError(
    `${path} is not a usable feedback papers cache (${read.problem}); delete it and it will be rebuilt.`,
  );
}

export interface ResolveResult {
  /** Every requested id that is now known, from the cache or just fetched. */
  papers: Map<string, ResolvedPaper>;
  /** Ids fetched by this call. */
  fetched: string[];
  /** Ids the fetcher did not know; asked again next time, since a new paper may not be indexed yet. */
  missing: string[];
}

/**
 * Metadata for `ids`, skipping those in `skip` (the archive has them) and those already cached;
 * the rest are fetched in one call and added to the cache file before returning.
 */
export async function resolvePapers(opts: {
  ids: Iterable<string>;
  cachePath: string;
  fetcher: MetadataFetcher;
  skip?: ReadonlySet<string>;
  now?: () => Date;
}): Promise<ResolveResult> {
  const cache = await readPapersCache(opts.cachePath);
  const wanted = [...new Set(opts.ids)].filter((id) => !opts.skip?.has(id));
  for (const id of wanted) {
    if (!isUnversionedId(id)) throw new PapersCacheError(`"${id}" is not an unversioned arXiv id.`);
  }
  const toFetch = wanted.filter((id) => !cache.has(id));
  const fetched: string[] = [];
  if (toFetch.length > 0) {
    const fetchedAt = (opts.now?.() ?? new Date()).toISOString();
    const asked = new Set(toFetch);
    for (const paper of await opts.fetcher(toFetch)) {
      // A fetcher answering with papers nobody asked for (or twice) must not grow the cache.
      if (!asked.has(paper.id) || cache.has(paper.id)) continue;
      cache.set(paper.id, ResolvedPaperSchema.parse({ ...paper, fetchedAt }));
      fetched.push(paper.id);
    }
    if (fetched.length > 0) {
      const papers = Object.fromEntries([...cache].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
      await writeJsonAtomic(opts.cachePath, { v: 1, papers }, 2);
    }
  }
  const papers = new Map<string, ResolvedPaper>();
  const missing: string[] = [];
  for (const id of wanted) {
    const p = cache.get(id);
    if (p) papers.set(id, p);
    else missing.push(id);
  }
  return { papers, fetched, missing };
}

/**
 * The production fetcher: arXiv's export API by id_list through the shared polite client, so the
 * lookups obey the same spacing as the feeds. Loaded lazily to keep this module free of the
 * API parser for callers that only read the cache.
 */
export function arxivMetadataFetcher(client: PoliteClient, apiUrl: string): MetadataFetcher {
  return async (ids) => {
    const { fetchByIds } = await import("../arxiv/api.js");
    const entries = await fetchByIds(client, apiUrl, ids);
    return entries.map((c) => ({
      id: c.id,
      title: c.title,
      authors: c.authors.map((a) => a.name),
      abstract: c.abstract,
      categories: c.categories,
      ...(c.doi ? { doi: c.doi } : {}),
    }));
  };
}
