/**
 * Semantic Scholar author lookups: the names a followed author publishes under, from the
 * Academic Graph batch endpoint. Polite (one request at a time, spaced), retried on 429/5xx,
 * cached on disk so a daily run normally makes no request at all.
 */
import { join } from "node:path";
import * as z from "zod";
import { type Clock, systemClock } from "../io/clock.js";
import { readJsonOrNull, writeJsonAtomic } from "../io/json-file.js";
import { nextRetry, parseRetryAfter, type RetryPolicy } from "../io/retry.js";
import type { FollowedAuthor } from "./followed.js";

export interface S2Author {
  name: string;
  aliases: string[];
}

export interface SemanticScholarOptions {
  /** Defaults to https://api.semanticscholar.org (the caller applies SEMANTIC_SCHOLAR_API_URL). */
  baseUrl?: string;
  /** Sent as `x-api-key`; without one the shared, stricter public rate limit applies. */
  apiKey?: string | null;
  /** Workspace cache directory; answers are kept in `${cacheDir}/s2/authors.json`. */
  cacheDir?: string | null;
  fetchImpl?: typeof fetch;
  clock?: Clock;
  /** Minimum spacing between requests (Semantic Scholar asks for at most 1 request/second). */
  minIntervalMs?: number;
  /** Attempts per request before giving up on 429/5xx/network errors. */
  maxAttempts?: number;
  timeoutMs?: number;
}

export interface SemanticScholarClient {
  /** Known ids map to their name and aliases; unknown ids are simply absent. */
  resolveAuthors(ids: string[]): Promise<Map<string, S2Author>>;
  /** Cache writes that failed so far, each naming the file; the lookups themselves succeeded. */
  problems(): string[];
}

/** The batch endpoint accepts at most this many ids per request. */
export const S2_BATCH_LIMIT = 1000;

const AuthorAnswerSchema = z.array(
  z
    .object({
      authorId: z.string(),
      name: z.string().nullable().optional(),
      aliases: z.array(z.string()).nullable().optional(),
    })
    .nullable(),
);

const CacheSchema = z.record(z.string(), z.object({ name: z.string(), aliases: z.array(z.string()) }));

export function createSemanticScholarClient(opts: SemanticScholarOptions = {}): SemanticScholarClient {
  const baseUrl = (opts.baseUrl ?? "https://api.semanticscholar.org").replace(/\/+$/, "");
  const fetchImpl = opts.fetchImpl ?? fetch;
  const clock = opts.clock ?? systemClock;
  const minIntervalMs = opts.minIntervalMs ?? 1000;
  const retry: RetryPolicy = {
    retries: (opts.maxAttempts ?? 4) - 1,
    baseDelayMs: 2000,
    maxDelayMs: 60_000,
    maxWaitMs: 120_000,
    capRetryAfter: true,
  };
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const cacheFile = opts.cacheDir ? join(opts.cacheDir, "s2", "authors.json") : null;
  let lastRequestAt: number | null = null;
  const cacheProblems: string[] = [];

  /** A cache is an optimisation: a failed write is recorded, never fatal. */
  async function saveCache(file: string, cache: z.infer<typeof CacheSchema>): Promise<void> {
    try {
      await writeJsonAtomic(file, cache, 2);
    } catch (error) {
      cacheProblems.push(
        `could not save Semantic Scholar answers to ${file} (${describe(error)}); the next run asks again. Make sure the cache directory is writable.`,
      );
    }
  }

  async function post(url: string, ids: string[]): Promise<Response> {
    if (lastRequestAt !== null) {
      const wait = lastRequestAt + minIntervalMs - clock.now();
      if (wait > 0) await clock.sleep(wait);
    }
    lastRequestAt = clock.now();
    const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
    if (opts.apiKey) headers["x-api-key"] = opts.apiKey;
    return fetchImpl(url, {
      method: "POST",
      headers,
      body: JSON.stringify({ ids }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  }

  async function fetchBatch(ids: string[]): Promise<Map<string, S2Author>> {
    const url = `${baseUrl}/graph/v1/author/batch?fields=name,aliases`;
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await post(url, ids);
      } catch (error) {
        const step = nextRetry(retry, attempt, null);
        if (step.kind === "give-up") {
          throw new Error(`Semantic Scholar request to ${url} failed after ${attempt} attempts: ${describe(error)}.`);
        }
        await clock.sleep(step.ms);
        continue;
      }
      if (response.ok) return parseAnswer(await response.text(), ids, url);
      const body = (await response.text()).slice(0, 200);
      const retryable = response.status === 429 || response.status >= 500;
      const step = nextRetry(retry, attempt, parseRetryAfter(response.headers.get("retry-after"), clock.now()));
      if (!retryable || step.kind === "give-up") {
        throw new Error(
          `Semantic Scholar answered HTTP ${response.status} to ${url} (attempt ${attempt}): ${body || "(empty body)"}. ` +
            adviceFor(response.status),
        );
      }
      await clock.sleep(step.ms);
    }
  }

  return {
    problems: () => [...cacheProblems],
    async resolveAuthors(ids) {
      const wanted = [...new Set(ids)];
      // A damaged cache only costs a refetch; it must not stop the run.
      const cache = (cacheFile ? await readJsonOrNull(CacheSchema, cacheFile) : null) ?? {};
      const found = new Map<string, S2Author>();
      const missing: string[] = [];
      for (const id of wanted) {
        const cached = cache[id];
        if (cached) found.set(id, cached);
        else missing.push(id);
      }
      for (let start = 0; start < missing.length; start += S2_BATCH_LIMIT) {
        const answers = await fetchBatch(missing.slice(start, start + S2_BATCH_LIMIT));
        for (const [id, author] of answers) {
          found.set(id, author);
          cache[id] = author;
        }
      }
      if (cacheFile && missing.length > 0) await saveCache(cacheFile, cache);
      return found;
    },
  };
}

function parseAnswer(text: string, ids: string[], url: string): Map<string, S2Author> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`Semantic Scholar sent something other than JSON from ${url}: ${text.slice(0, 120)}`);
  }
  const parsed = AuthorAnswerSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(`Semantic Scholar's answer from ${url} has an unexpected shape:\n${z.prettifyError(parsed.error)}`);
  }
  const found = new Map<string, S2Author>();
  // The batch answer is positional: entry i answers ids[i], null when the id is unknown.
  parsed.data.forEach((entry, index) => {
    const id = ids[index];
    if (!entry || id === undefined || !entry.name) return;
    found.set(id, { name: entry.name, aliases: entry.aliases ?? [] });
  });
  return found;
}

function adviceFor(status: number): string {
  if (status === 401 || status === 403) return "Check the Semantic Scholar API key (S2_API_KEY).";
  if (status === 429) return "Rate limited; try again later or set S2_API_KEY for a higher limit.";
  if (status === 400) return "Check the ids in authors.txt (digits only).";
  return "Try again later; matching falls back to the names in authors.txt.";
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Adds each followed author's Semantic Scholar name and aliases. Unknown ids, failed lookups and
 * answers that could not be cached become problems to report; the followed list is still usable
 * with the names as written.
 */
export async function resolveFollowedAuthors(
  followed: FollowedAuthor[],
  client: SemanticScholarClient,
): Promise<{ followed: FollowedAuthor[]; problems: string[] }> {
  const ids = followed.flatMap((author) => (author.s2Id ? [author.s2Id] : []));
  if (ids.length === 0) return { followed, problems: [] };
  let resolved: Map<string, S2Author>;
  try {
    resolved = await client.resolveAuthors(ids);
  } catch (error) {
    return {
      followed,
      problems: [`${describe(error)} Followed authors are matched by the names in authors.txt only.`],
    };
  }
  const problems: string[] = [];
  const merged = followed.map((author) => {
    if (!author.s2Id) return author;
    const found = resolved.get(author.s2Id);
    if (!found) {
      problems.push(
        `Semantic Scholar has no author with id ${author.s2Id} (given for "${author.name}" in authors.txt); ` +
          `check https://www.semanticscholar.org/author/${author.s2Id}. Matching "${author.name}" by name only.`,
      );
      return author;
    }
    const aliases = [...new Set([...author.aliases, found.name, ...found.aliases])].filter(
      (alias) => alias !== author.name,
    );
    return { ...author, aliases };
  });
  problems.push(...client.problems());
  return { followed: merged, problems };
}
