/**
 * The one HTTP client that talks to arXiv. arXiv's terms (docs/arxiv/api-tou.md) count RSS, the export API
 * and OAI-PMH together: one connection at a time and at most one request every three seconds,
 * so a single PoliteClient must serve every arXiv request of a run.
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import { z } from "zod";
import pkg from "../../package.json" with { type: "json" };
import { type Clock, systemClock } from "../io/clock.js";
import { readJsonOrNull, writeJsonAtomic } from "../io/json-file.js";
import { nextRetry, parseRetryAfter, type RetryPolicy } from "../io/retry.js";

/** A request that could not be completed; `status` is null when no HTTP answer arrived. */
export class HttpError extends Error {
  override readonly name = "HttpError";
  constructor(
    message: string,
    readonly url: string,
    readonly status: number | null,
    readonly attempts: number,
  ) {
    super(message);
  }
}

export interface PoliteClientOptions {
  userAgent: string;
  /** Minimum spacing between the starts of any two requests (arXiv asks for 3 s). */
  minIntervalMs?: number;
  /** Per-attempt limit covering headers and body. */
  timeoutMs?: number;
  /** Retries after the first attempt, for 429, 5xx, timeouts and connection errors. */
  retries?: number;
  /** Where validators (ETag, Last-Modified) and bodies are kept for conditional GET; null disables it. */
  cacheDir?: string | null;
  clock?: Clock;
  fetchImpl?: typeof fetch;
}

export interface GetOptions {
  /** Send the stored validators; a 304 answer then returns the stored body. */
  conditional?: boolean;
  accept?: string;
}

export interface GetResult {
  status: 200 | 304;
  body: string;
  url: string;
  fetchedAt: string;
  fromCache: boolean;
}

const DEFAULT_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1";
/**
 * Generous first step because arXiv's 429s come in bursts; a Retry-After beyond ten minutes is
 * not waited out inside one run: the error says to try later.
 */
const ARXIV_RETRY: Omit<RetryPolicy, "retries"> = {
  baseDelayMs: 5_000,
  maxDelayMs: 120_000,
  maxWaitMs: 600_000,
  backoffIsFloor: true,
};

/** The User-Agent arXiv asks clients to send: the tool, its version, and whom to contact. */
export function arxivUserAgent(contact: string): string {
  // Header values must be printable ASCII; parentheses would end the comment early.
  const clean = contact
    .replace(/[^\x20-\x7E]/g, "")
    .replace(/[()]/g, "")
    .trim()
    .slice(0, 200);
  const base = `arxiv-digest/${pkg.version}`;
  if (clean === "") return base;
  const mailto = /^[^\s@]+@[^\s@]+$/.test(clean) ? `mailto:${clean}` : clean;
  return `${base} (${mailto})`;
}

const CacheEntrySchema = z.object({
  url: z.string(),
  etag: z.string().nullable(),
  lastModified: z.string().nullable(),
  fetchedAt: z.string(),
  body: z.string(),
});
type CacheEntry = z.infer<typeof CacheEntrySchema>;

/** Stored validators and bodies under `${cacheDir}/http/`, one JSON file per URL. */
class ValidatorCache {
  constructor(private readonly dir: string) {}

  private file(url: string): string {
    return join(this.dir, `${createHash("sha256").update(url).digest("hex").slice(0, 32)}.json`);
  }

  /** A missing, unreadable or foreign entry is treated as absent: the cache only saves bandwidth. */
  async read(url: string): Promise<CacheEntry | null> {
    const entry = await readJsonOrNull(CacheEntrySchema, this.file(url));
    return entry?.url === url ? entry : null;
  }

  async write(entry: CacheEntry): Promise<void> {
    await writeJsonAtomic(this.file(entry.url), entry);
  }
}

function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

function describeFailure(err: unknown, timeoutMs: number): string {
  if (err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError")) {
    return `no complete answer within ${timeoutMs} ms`;
  }
  const cause = err instanceof Error ? (err.cause as { code?: string; message?: string } | undefined) : undefined;
  const detail = cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
  return `connection error (${detail})`;
}

/** A short, single-line excerpt of an error body so the message shows what the server said. */
function excerpt(body: string): string {
  // The body is untrusted and ends up in a terminal: no markup, no control characters.
  const flat = body
    .replace(/<[^>]*>/g, " ")
    .replace(/[\x00-\x1f\x7f]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

export class PoliteClient {
  private readonly userAgent: string;
  private readonly minIntervalMs: number;
  private readonly timeoutMs: number;
  private readonly retry: RetryPolicy;
  private readonly cache: ValidatorCache | null;
  private readonly clock: Clock;
  private readonly fetchImpl: typeof fetch;
  private lastStart = Number.NEGATIVE_INFINITY;
  private tail: Promise<unknown> = Promise.resolve();
  private readonly cacheProblems: string[] = [];

  constructor(opts: PoliteClientOptions) {
    this.userAgent = opts.userAgent;
    this.minIntervalMs = opts.minIntervalMs ?? 3000;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.retry = { ...ARXIV_RETRY, retries: opts.retries ?? 4 };
    this.cache = opts.cacheDir ? new ValidatorCache(join(opts.cacheDir, "http")) : null;
    this.clock = opts.clock ?? systemClock;
    this.fetchImpl = opts.fetchImpl ?? fetch;
  }

  /** HTTP cache writes that failed so far, each naming the URL; the fetches themselves succeeded. */
  problems(): string[] {
    return [...this.cacheProblems];
  }

  /** GET one URL; requests run one at a time in call order. Throws HttpError. */
  get(url: string, opts: GetOptions = {}): Promise<GetResult> {
    const run = this.tail.then(() => this.fetchWithRetries(url, opts));
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async waitForSlot(): Promise<void> {
    const wait = this.lastStart + this.minIntervalMs - this.clock.now();
    if (wait > 0) await this.clock.sleep(wait);
    this.lastStart = this.clock.now();
  }

  private async fetchWithRetries(url: string, opts: GetOptions): Promise<GetResult> {
    if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
      throw new HttpError(
        `Cannot fetch "${url}": it is not an http(s) URL. Check the URLs in the config.`,
        url,
        null,
        0,
      );
    }
    const cached = opts.conditional && this.cache ? await this.cache.read(url) : null;
    const headers: Record<string, string> = { "user-agent": this.userAgent, accept: opts.accept ?? DEFAULT_ACCEPT };
    if (cached?.etag) headers["if-none-match"] = cached.etag;
    if (cached?.lastModified) headers["if-modified-since"] = cached.lastModified;

    for (let attempt = 1; ; attempt++) {
      await this.waitForSlot();
      const answer = await this.attempt(url, headers);
      let failure: string;
      let status: number | null = null;
      let retryAfterMs: number | null = null;
      if ("failure" in answer) {
        failure = answer.failure;
      } else {
        const { res, body } = answer;
        status = res.status;
        const fetchedAt = new Date(this.clock.now()).toISOString();
        if (res.status === 304 && cached) {
          return { status: 304, body: cached.body, url, fetchedAt, fromCache: true };
        }
        if (res.ok) {
          await this.remember(url, res.headers, body, fetchedAt);
          return { status: 200, body, url, fetchedAt, fromCache: false };
        }
        const said = excerpt(body);
        failure = `HTTP ${res.status}${said ? ` (server said: ${said})` : ""}`;
        if (!isRetryableStatus(res.status)) {
          throw new HttpError(
            `GET ${url} failed with ${failure}. This is not retried: check the URL, the category names and the query in the config.`,
            url,
            status,
            attempt,
          );
        }
        retryAfterMs = parseRetryAfter(res.headers.get("retry-after"), this.clock.now());
      }
      const step = nextRetry(this.retry, attempt, retryAfterMs);
      if (step.kind === "give-up" && step.reason === "too-long") {
        throw new HttpError(
          `GET ${url} failed with ${failure}; the server asked to wait ${seconds(step.ms)} before retrying. Run again later.`,
          url,
          status,
          attempt,
        );
      }
      if (step.kind === "give-up") {
        throw new HttpError(
          `GET ${url} failed after ${attempt} attempts; the last one got ${failure}. arXiv may be down or rate-limiting this machine: check https://status.arxiv.org and run again later.`,
          url,
          status,
          attempt,
        );
      }
      await this.clock.sleep(step.ms);
    }
  }

  /** One request, headers and body within the timeout; network-level failures become a sentence. */
  private async attempt(
    url: string,
    headers: Record<string, string>,
  ): Promise<{ res: Response; body: string } | { failure: string }> {
    try {
      const res = await this.fetchImpl(url, { headers, signal: AbortSignal.timeout(this.timeoutMs) });
      return { res, body: await res.text() };
    } catch (err) {
      return { failure: describeFailure(err, this.timeoutMs) };
    }
  }

  /** Stores the validators for the next conditional GET. A cache is an optimisation: a failed write is recorded, never fatal. */
  private async remember(url: string, headers: Headers, body: string, fetchedAt: string): Promise<void> {
    const etag = headers.get("etag");
    const lastModified = headers.get("last-modified");
    if (!this.cache || (etag === null && lastModified === null)) return;
    try {
      await this.cache.write({ url, etag, lastModified, fetchedAt, body });
    } catch (err) {
      this.cacheProblems.push(
        `Fetched ${url} but could not store it in the HTTP cache (${err instanceof Error ? err.message : String(err)}); the next run fetches it in full. Make sure the cache directory is writable, or disable the cache.`,
      );
    }
  }
}
