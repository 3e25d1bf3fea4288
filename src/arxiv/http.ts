/**
 * The one HTTP client that talks to arXiv. arXiv's terms (docs/arxiv/api-tou.md) count RSS, the export API
 * and OAI-PMH together: one connection at a time and at most one request every three seconds,
 * so a single PoliteClient must serve every arXiv request of a run.
 */

import { createHash } from "node:crypto";
import { join } from "node:path";
import * as z from "zod";
import { type Clock, systemClock } from "../io/clock.js";
import { type HttpAnswer, type HttpGetOptions, httpGet } from "../io/http-get.js";
import { readJsonOrNull, writeJsonAtomic } from "../io/json-file.js";
import { nextRetry, parseRetryAfter, type RetryPolicy } from "../io/retry.js";
import { USER_AGENT } from "../io/user-agent.js";

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
  /**
   * Sends the requests instead of Node's http and https modules (io/http-get.ts), e.g. to watch
   * them in a test. The global `fetch` is not the default: its first use costs a start-up.
   */
  fetchImpl?: typeof fetch;
  /** Largest response body accepted, in bytes; a longer one is cut off with an error (not retried). */
  maxBodyBytes?: number;
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
  /** The server's own clock: its `Date` header as an ISO instant, null when absent or unreadable. */
  serverDate: string | null;
}

/** An HTTP `Date` header (RFC 9110's IMF-fixdate) as an ISO instant; null when absent or unreadable. */
function httpDate(header: string | null): string | null {
  if (header === null) return null;
  const ms = Date.parse(header);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
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
/**
 * The largest feed arXiv serves (2,000 items with abstracts) is a few MB; far beyond that the
 * server is sending something else, and reading on would only exhaust memory.
 */
export const MAX_BODY_BYTES = 50 * 1024 * 1024;

/** The body passed maxBodyBytes; deterministic, so never retried. */
class BodyTooLarge extends Error {}

function megabytes(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
}

/** Reads the body as bytes, stopping (and cancelling the download) once it exceeds `max`. */
async function readCapped(answer: HttpAnswer, max: number): Promise<Uint8Array> {
  const declared = Number(answer.header("content-length") ?? Number.NaN);
  if (Number.isFinite(declared) && declared > max) {
    await answer.cancel();
    throw new BodyTooLarge(`its Content-Length is ${declared} bytes (${megabytes(declared)})`);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  // Leaving the loop early (the throw) stops the download.
  for await (const chunk of answer.body) {
    total += chunk.byteLength;
    if (total > max) throw new BodyTooLarge(`more than ${max} bytes had arrived when it was cut off`);
    chunks.push(chunk);
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

/** A `fetch` function as the transport: its Response seen as an HttpAnswer. */
function viaFetch(fetchImpl: typeof fetch): (url: string, opts: HttpGetOptions) => Promise<HttpAnswer> {
  return async (url, opts) => {
    const res = await fetchImpl(url, { headers: opts.headers, ...(opts.signal ? { signal: opts.signal } : {}) });
    const stream = res.body;
    async function* body(): AsyncGenerator<Uint8Array> {
      if (stream === null) return;
      const reader = stream.getReader();
      let done = false;
      try {
        for (;;) {
          const next = await reader.read();
          if (next.done) break;
          yield next.value;
        }
        done = true;
      } finally {
        if (!done) await reader.cancel();
      }
    }
    return {
      status: res.status,
      header: (name) => res.headers.get(name),
      body: body(),
      cancel: async () => {
        await stream?.cancel();
      },
    };
  };
}

/**
 * The encoding to decode a body with, by XML's rules (RFC 7303): a byte-order mark first, then
 * the charset of the Content-Type, then the XML declaration's `encoding`, else UTF-8.
 */
export function bodyEncoding(bytes: Uint8Array, contentType: string | null): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return "utf-8";
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return "utf-16le";
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return "utf-16be";
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? "");
  if (charset) return charset[1]!.toLowerCase();
  // The declaration is ASCII in every encoding a declaration can name without a BOM.
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 256));
  const declared = /^<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z][A-Za-z0-9._-]*)["']/.exec(head);
  return declared ? declared[1]!.toLowerCase() : "utf-8";
}

/** Bytes to text in their declared encoding; names the URL and label when the label is unknown. */
export function decodeBody(bytes: Uint8Array, contentType: string | null, url: string): string {
  const label = bodyEncoding(bytes, contentType);
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label);
  } catch {
    throw new Error(
      `The answer from ${url} declares the encoding "${label}", which is not one this tool can decode; an arXiv feed is UTF-8.`,
    );
  }
  return decoder.decode(bytes);
}

/** The User-Agent arXiv asks clients to send: the tool, its version, and whom to contact. */
export function arxivUserAgent(contact: string): string {
  // Header values must be printable ASCII; parentheses would end the comment early.
  const clean = contact
    .replace(/[^\x20-\x7E]/g, "")
    .replace(/[()]/g, "")
    .trim()
    .slice(0, 200);
  const base = USER_AGENT;
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

function timedOut(timeoutMs: number): string {
  return `no complete answer within ${timeoutMs} ms`;
}

function describeFailure(err: unknown, timeoutMs: number): string {
  if (err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError")) return timedOut(timeoutMs);
  // Node's own errors carry the code; fetch wraps them as the cause of "fetch failed".
  const own = err as { code?: unknown; cause?: { code?: string; message?: string } } | null;
  const detail =
    (typeof own?.code === "string" ? own.code : undefined) ??
    own?.cause?.code ??
    own?.cause?.message ??
    (err instanceof Error ? err.message : String(err));
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
  private readonly send: (url: string, opts: HttpGetOptions) => Promise<HttpAnswer>;
  private readonly maxBodyBytes: number;
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
    this.send = opts.fetchImpl ? viaFetch(opts.fetchImpl) : httpGet;
    this.maxBodyBytes = opts.maxBodyBytes ?? MAX_BODY_BYTES;
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
        `Cannot fetch "${url}": it is not an http(s) URL. Check arxiv.rssUrl and arxiv.apiUrl in the config, or ARXIV_RSS_URL and ARXIV_API_URL in the environment or .env.`,
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
      // Neither a body past the size limit nor an unknown encoding changes on a retry.
      if ("fatal" in answer) throw new HttpError(answer.fatal, url, answer.status, attempt);
      if ("failure" in answer) {
        failure = answer.failure;
      } else {
        const { res, body } = answer;
        status = res.status;
        const ok = res.status >= 200 && res.status < 300;
        const fetchedAt = new Date(this.clock.now()).toISOString();
        const serverDate = httpDate(res.header("date"));
        if (res.status === 304 && cached) {
          return { status: 304, body: cached.body, url, fetchedAt, fromCache: true, serverDate };
        }
        if (ok) {
          await this.remember(url, res, body, fetchedAt);
          return { status: 200, body, url, fetchedAt, fromCache: false, serverDate };
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
        retryAfterMs = parseRetryAfter(res.header("retry-after"), this.clock.now());
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
  ): Promise<{ res: HttpAnswer; body: string } | { failure: string } | { fatal: string; status: number | null }> {
    let res: HttpAnswer | null = null;
    let bytes: Uint8Array;
    const signal = AbortSignal.timeout(this.timeoutMs);
    try {
      res = await this.send(url, { headers, signal });
      bytes = await readCapped(res, this.maxBodyBytes);
    } catch (err) {
      if (err instanceof BodyTooLarge) {
        return {
          fatal: `GET ${url} was abandoned: the response is larger than the ${megabytes(this.maxBodyBytes)} accepted (${err.message}). An arXiv feed is a few MB, so this is not one; check the URL.`,
          status: res?.status ?? null,
        };
      }
      // Whatever error the cut connection raised, a fired signal means the time ran out.
      return { failure: signal.aborted ? timedOut(this.timeoutMs) : describeFailure(err, this.timeoutMs) };
    }
    // Text is made here, from bytes, so a feed declared ISO-8859-1 or UTF-16 reads as written.
    try {
      return { res, body: decodeBody(bytes, res.header("content-type"), url) };
    } catch (err) {
      return { fatal: err instanceof Error ? err.message : String(err), status: res.status };
    }
  }

  /** Stores the validators for the next conditional GET. A cache is an optimisation: a failed write is recorded, never fatal. */
  private async remember(url: string, res: HttpAnswer, body: string, fetchedAt: string): Promise<void> {
    const etag = res.header("etag");
    const lastModified = res.header("last-modified");
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
