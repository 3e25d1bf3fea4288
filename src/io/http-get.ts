/**
 * A plain HTTP(S) GET on Node's own http and https modules, for the arXiv client (arxiv/http.ts).
 * The global `fetch` does the same, but its first request in a process costs about 40 ms of
 * start-up and as much again in background compilation (Node 20 loads and compiles its HTTP
 * stack, undici, on first use): more than a whole empty daily run spends on everything else
 * it reads (bench/startup.ts).
 *
 * It does what `fetch` did for that client: follows redirects (at most 20, as fetch does),
 * asks for and decodes gzip, deflate and Brotli, and stops on the caller's AbortSignal, headers
 * and body alike. Connection failures reject with Node's error (its `code` says what failed).
 */
import type { IncomingMessage } from "node:http";
import { pipeline, type Readable } from "node:stream";

/** One answer: status, headers, and the body as it arrives, decoded. */
export interface HttpAnswer {
  status: number;
  /** A response header by name (any case); repeated headers joined by ", ". */
  header(name: string): string | null;
  /** The body's bytes, already decompressed; iterate it once. */
  body: AsyncIterable<Uint8Array>;
  /** Stops the download and frees the connection. */
  cancel(): Promise<void>;
}

export interface HttpGetOptions {
  headers: Record<string, string>;
  /** Aborts the request and the reading of its body. */
  signal?: AbortSignal;
}

/** `fetch`'s limit on redirects followed for one request. */
const MAX_REDIRECTS = 20;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export async function httpGet(url: string, opts: HttpGetOptions): Promise<HttpAnswer> {
  let current = new URL(url);
  for (let redirects = 0; ; redirects++) {
    const res = await request(current, opts);
    const location = res.headers.location;
    if (!REDIRECTS.has(res.statusCode ?? 0) || location === undefined) return answerOf(res, opts.signal);
    res.resume();
    if (redirects === MAX_REDIRECTS) throw new Error(`more than ${MAX_REDIRECTS} redirects`);
    const next = new URL(location, current);
    if (next.protocol !== "http:" && next.protocol !== "https:") {
      throw new Error(`redirected to ${next.protocol} URL ${next.href}, which is not http(s)`);
    }
    current = next;
  }
}

async function request(url: URL, opts: HttpGetOptions): Promise<IncomingMessage> {
  const { get } = url.protocol === "https:" ? await import("node:https") : await import("node:http");
  return new Promise((resolve, reject) => {
    const req = get(url, {
      headers: { "accept-encoding": "gzip, deflate, br", ...opts.headers },
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    req.once("response", resolve);
    // Kept for the request's whole life: a connection cut mid-body errors here too (the body
    // stream, which the caller reads, errors as well).
    req.on("error", reject);
  });
}

async function answerOf(res: IncomingMessage, signal: AbortSignal | undefined): Promise<HttpAnswer> {
  const body = await decoded(res);
  // Node aborts the request on the signal, but a body already streaming is not told why: it is
  // destroyed here with the signal's reason, so a timeout mid-body reads as one.
  const abort = () => body.destroy(signal?.reason as Error);
  signal?.addEventListener("abort", abort, { once: true });
  body.once("close", () => signal?.removeEventListener("abort", abort));
  return {
    status: res.statusCode ?? 0,
    header(name) {
      const value = res.headers[name.toLowerCase()];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(", ") : value;
    },
    body,
    async cancel() {
      body.destroy();
      res.destroy();
    },
  };
}

/** The body stream, through the decompressor its Content-Encoding names (none for an unknown one). */
async function decoded(res: IncomingMessage): Promise<Readable> {
  const encoding = (res.headers["content-encoding"] ?? "").trim().toLowerCase();
  if (encoding !== "gzip" && encoding !== "x-gzip" && encoding !== "deflate" && encoding !== "br") return res;
  const zlib = await import("node:zlib");
  // Lenient like fetch about a body cut short after its last complete block.
  const lenient = { finishFlush: zlib.constants.Z_SYNC_FLUSH };
  const decoder =
    encoding === "br"
      ? zlib.createBrotliDecompress()
      : encoding === "deflate"
        ? zlib.createInflate(lenient)
        : zlib.createGunzip(lenient);
  // An error on either side ends the other, and the decoder (what is read) carries it.
  return pipeline(res, decoder, () => {});
}
