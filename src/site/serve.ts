/**
 * A small static file server for previewing the built site (search fetches its index: HTTP, not file://).
 * Serves only files inside `dir`, under the site's basePath, with the 404 page for anything else
 * (but `/`, which is sent on to the basePath).
 *
 * Given a workspace's feedback file, it also takes the site's like/dislike/save clicks:
 * `POST <basePath>_feedback` with `{id, signal, title?}` appends signals (source "site") to it.
 * Only the pages it serves can do that: the server must listen on a loopback address, the request
 * must come from loopback, name a loopback Host (no DNS rebinding), carry an Origin equal to that
 * host's origin, and the per-run random token that serve writes into the pages' placeholder meta
 * (SERVE_TOKEN_META). Another origin can neither read a page (no CORS) nor guess the token.
 *
 * The same pages also get the workspace's current feedback on the papers they list, and the Saved
 * page every paper the workspace knows (served-marks.ts), so marks made outside this browser show.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile, realpath, stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { type AddressInfo, isIP } from "node:net";
import { extname, join, relative, resolve, sep } from "node:path";
import { parseArxivId } from "../arxiv/ids.js";
import type { KnownPapersSource } from "../feedback/known.js";
import {
  appendSignals,
  currentState,
  FeedbackError,
  makeSignal,
  type PaperFeedback,
  type ReadSignals,
  readSignals,
  SIGNAL_KINDS,
  type SignalKind,
} from "../feedback/store.js";
import { identifySignals } from "../feedback/titled.js";
import { FEEDBACK_ENDPOINT, FEEDBACK_TOKEN_HEADER, SERVE_TOKEN_PLACEHOLDER, serveTokenMeta } from "./feedback-meta.js";
import { marksBlock, type PaperLookup, pageMarks, savedPageMarks } from "./served-marks.js";
import { siteUrls } from "./urls.js";

export interface ServeOptions {
  port: number;
  host?: string;
  basePath?: string;
  /**
   * The workspace's feedback.jsonl: when given (and the server listens on loopback), the site's
   * buttons append to it through `POST <basePath>_feedback`. Omitted: no feedback endpoint.
   */
  feedbackFile?: string;
  /** Finds the workspace's saved papers in the archive, for the Saved page's titles, days and links. */
  papers?: PaperLookup;
  /**
   * The papers the workspace knows (archive, resolved): a library entry kept by title alone shows
   * on the paper of that title once one is known (feedback/titled.ts), as every reader counts it.
   */
  knownPapers?: KnownPapersSource;
  /** The clock for the signals' time; tests pass a fixed one. */
  now?: () => Date;
}

export interface ServedSite {
  /** Address of the site root, basePath included, e.g. http://127.0.0.1:8080/papers/ */
  url: string;
  /** Whether clicks on the site are written to the feedback file. */
  feedback: boolean;
  close(): Promise<void>;
}

/** The largest feedback request body accepted, in bytes (an id, up to four signals and a title). */
export const FEEDBACK_BODY_LIMIT = 4096;
const TITLE_LIMIT = 500;

const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Whether an address the server listens on or a peer comes from is loopback. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const bare = address.replace(/^\[|\]$/g, "").replace(/^::ffff:/i, "");
  if (bare === "localhost") return true;
  if (isIP(bare) === 4) return bare.startsWith("127.");
  return bare === "::1";
}

/** The Host header when it names a loopback host on our port ("127.0.0.1:8080"), else null. */
function loopbackHost(req: IncomingMessage, port: number): string | null {
  const host = req.headers.host?.toLowerCase();
  if (!host) return null;
  const m = /^(localhost|127\.0\.0\.1|\[::1\]):(\d+)$/.exec(host);
  return m && LOOPBACK_NAMES.has(m[1]!) && Number(m[2]) === port ? host : null;
}

function sameToken(given: string | string[] | undefined, token: string): boolean {
  if (typeof given !== "string") return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The request body as text, refusing more than `limit` bytes without reading them all. */
function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit)
    return Promise.reject(new Refusal(413, `The body is over ${limit} bytes.`));
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        fail(new Refusal(413, `The body is over ${limit} bytes.`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => ok(Buffer.concat(chunks).toString("utf8")));
    req.on("error", fail);
  });
}

/** `{id, signal, title?}` → validated kinds; `signal` is one kind or a list of up to four, applied in order. */
function parseFeedbackBody(text: string): { id: string; kinds: SignalKind[]; title?: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Refusal(400, "The body is not JSON.");
  }
  const o = json as { id?: unknown; signal?: unknown; title?: unknown } | null;
  if (typeof o !== "object" || o === null || Array.isArray(o)) throw new Refusal(400, "Expected a JSON object.");
  if (typeof o.id !== "string" || !parseArxivId(o.id)) throw new Refusal(400, "id is not an arXiv identifier.");
  const kinds = Array.isArray(o.signal) ? o.signal : [o.signal];
  if (kinds.length < 1 || kinds.length > 4 || !kinds.every((k) => (SIGNAL_KINDS as readonly unknown[]).includes(k)))
    throw new Refusal(400, `signal must be one of ${SIGNAL_KINDS.join(", ")}, or a list of up to four.`);
  if (o.title !== undefined && typeof o.title !== "string") throw new Refusal(400, "title must be a string.");
  return {
    id: o.id,
    kinds: kinds as SignalKind[],
    ...(o.title?.trim() ? { title: o.title.slice(0, TITLE_LIMIT) } : {}),
  };
}

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".xml": "application/xml; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".wasm": "application/wasm",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".ttf": "font/ttf",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
};

function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? "application/octet-stream";
}

/** Whether `file` is `root` or lies inside it (both absolute and normalised). */
function isInside(root: string, file: string): boolean {
  return file === root || file.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** The file a URL path names inside `root`, or null when it would leave `root` or is malformed. */
function resolveInside(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes("\0") || decoded.includes("\\")) return null;
  const file = resolve(root, `.${decoded.startsWith("/") ? "" : "/"}${decoded}`);
  return isInside(root, file) ? file : null;
}

/** The real path of `file` when it exists and, symlinks resolved, still lies inside `realRoot`. */
async function realInside(realRoot: string, file: string): Promise<string | null> {
  const real = await realpath(file).catch(() => null);
  return real !== null && isInside(realRoot, real) ? real : null;
}

export async function serveSite(dir: string, opts: ServeOptions): Promise<ServedSite> {
  const root = resolve(dir);
  // Resolved per request too: a build swaps the site folder in by rename.
  const realRoot = async () => (await realpath(root).catch(() => root)) as string;
  const basePath = siteUrls({ basePath: opts.basePath ?? "/", baseUrl: "http://localhost/" }).basePath;
  const host = opts.host ?? "127.0.0.1";
  // Feedback writing needs a file and a server nobody else can reach.
  const feedbackFile = opts.feedbackFile && isLoopback(host) ? opts.feedbackFile : null;
  const token = randomBytes(32).toString("base64url");
  const now = opts.now ?? (() => new Date());
  const endpoint = `${basePath}${FEEDBACK_ENDPOINT}`;
  let port = 0;
  const notFound = async (res: ServerResponse, head: boolean) => {
    const file = await realInside(await realRoot(), join(root, "404.html"));
    const page = (file && (await readFile(file).catch(() => null))) || Buffer.from("Not found\n");
    res.writeHead(404, { "content-type": "text/html; charset=utf-8", "x-content-type-options": "nosniff" });
    res.end(head ? undefined : page);
  };
  const refuse = (res: ServerResponse, status: number, message: string) => {
    res.writeHead(status, { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff" });
    res.end(`${message}\n`);
  };
  const takeFeedback = async (req: IncomingMessage, res: ServerResponse) => {
    if (!feedbackFile) return refuse(res, 403, "This server does not record feedback (no workspace).");
    if (!isLoopback(req.socket.remoteAddress)) return refuse(res, 403, "Feedback is taken from this machine only.");
    const reqHost = loopbackHost(req, port);
    if (!reqHost) return refuse(res, 403, "The Host is not this server on localhost.");
    if (req.headers.origin !== `http://${reqHost}`) return refuse(res, 403, "Cross-origin or origin-less request.");
    const site = req.headers["sec-fetch-site"];
    if (site !== undefined && site !== "same-origin") return refuse(res, 403, "Cross-site request.");
    if (!sameToken(req.headers[FEEDBACK_TOKEN_HEADER], token)) return refuse(res, 403, "Missing or wrong token.");
    if (!/^application\/json\s*(;|$)/i.test(req.headers["content-type"] ?? ""))
      return refuse(res, 400, "Expected Content-Type: application/json.");
    try {
      const body = parseFeedbackBody(await readBody(req, FEEDBACK_BODY_LIMIT));
      const at = now();
      const signals = body.kinds.map((kind) => makeSignal(body.id, kind, "site", at, body.title));
      await appendSignals(feedbackFile, signals);
    } catch (error) {
      if (error instanceof Refusal) return refuse(res, error.status, error.message);
      if (error instanceof FeedbackError) return refuse(res, 400, error.message);
      throw error;
    }
    res.writeHead(204, { "cache-control": "no-store" });
    res.end();
  };
  // The feedback file is read again only when it changed (size or time); its title-only lines are
  // matched again when it or the known papers changed.
  let read: { stamp: string; value: ReadSignals } | null = null;
  let known: { stamp: string; state: Map<string, PaperFeedback> } | null = null;
  const feedbackState = async (path: string): Promise<Map<string, PaperFeedback>> => {
    const info = await stat(path).catch(() => null);
    const fileStamp = info ? `${info.size}:${info.mtimeMs}` : "none";
    if (read?.stamp !== fileStamp) {
      // A file that cannot be read leaves the pages with the browser's own marks.
      const value = await readSignals(path).catch((): ReadSignals => ({ signals: [], titled: [], problems: [] }));
      read = { stamp: fileStamp, value };
    }
    const lines = read.value;
    // The archive is looked at only for a file holding lines by title; one that cannot be read
    // leaves those lines waiting.
    const papers = lines.titled.length > 0 && opts.knownPapers ? await opts.knownPapers().catch(() => null) : null;
    const stamp = `${fileStamp}|${papers?.stamp ?? ""}`;
    if (known?.stamp !== stamp) {
      const signals = papers ? identifySignals(lines, papers.papers).signals : lines.signals;
      known = { stamp, state: currentState(signals) };
    }
    return known.state;
  };
  /**
   * A page with the token meta filled in and, after it, the workspace's feedback on the papers it
   * lists (all of it on the Saved page), when feedback is on and the Host is ours; else null.
   */
  const withToken = async (req: IncomingMessage, file: string): Promise<Buffer | null> => {
    if (!feedbackFile || extname(file).toLowerCase() !== ".html" || !loopbackHost(req, port)) return null;
    const text = await readFile(file, "utf8");
    const head = text.indexOf("</head>");
    const match = SERVE_TOKEN_PLACEHOLDER.exec(head === -1 ? "" : text.slice(0, head));
    if (!match) return null;
    const state = await feedbackState(feedbackFile);
    const marks = text.includes("data-saved-list")
      ? await savedPageMarks(state, basePath, opts.papers)
      : pageMarks(text, state);
    const block = Object.keys(marks).length > 0 ? marksBlock(marks) : "";
    return Buffer.from(
      text.slice(0, match.index) + serveTokenMeta(token) + block + text.slice(match.index + match[0].length),
    );
  };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const head = req.method === "HEAD";
    if (req.method === "POST" && (req.url ?? "").split("?")[0] === endpoint) return takeFeedback(req, res);
    if (req.method !== "GET" && !head) {
      res.writeHead(405, { allow: "GET, HEAD" });
      res.end();
      return;
    }
    // The request target is a path; "//host/x" must stay a path, never become an authority.
    const rawTarget = req.url ?? "/";
    if (!rawTarget.startsWith("/")) return notFound(res, head);
    const { pathname } = new URL(`http://site.invalid${rawTarget}`);
    // The server's root is where a reader starts: a site under a base path is found there.
    if (pathname === "/" && basePath !== "/") {
      res.writeHead(302, { location: basePath, "cache-control": "no-cache" });
      res.end();
      return;
    }
    if (!pathname.startsWith(basePath) && `${pathname}/` !== basePath) return notFound(res, head);
    const file = resolveInside(root, pathname.slice(basePath.length - 1));
    if (!file) return notFound(res, head);
    const inRoot = await realRoot();
    // Symlinks are followed only while they stay inside the site folder.
    let target = await realInside(inRoot, file);
    if (target === null) return notFound(res, head);
    let info = await stat(target).catch(() => null);
    if (info?.isDirectory()) {
      if (!pathname.endsWith("/")) {
        // Built from the folder's place under root, not from the request: one leading slash, no host.
        const rel = relative(root, file).split(sep).join("/");
        res.writeHead(301, { location: `${basePath}${rel ? `${rel}/` : ""}` });
        res.end();
        return;
      }
      target = await realInside(inRoot, join(target, "index.html"));
      info = target === null ? null : await stat(target).catch(() => null);
    }
    if (target === null || !info?.isFile()) return notFound(res, head);
    const page = await withToken(req, target);
    if (page) {
      // Holds this run's token: never stored, so a later run's pages are never mixed with it.
      res.writeHead(200, {
        "content-type": contentTypeOf(target),
        "content-length": page.length,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      });
      res.end(head ? undefined : page);
      return;
    }
    res.writeHead(200, {
      "content-type": contentTypeOf(target),
      "content-length": info.size,
      "cache-control": "no-cache",
      "x-content-type-options": "nosniff",
    });
    if (head) res.end();
    else createReadStream(target).pipe(res);
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
      res.end(`Could not serve ${req.url}: ${error instanceof Error ? error.message : String(error)}\n`);
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(opts.port, host, () => ok());
  });
  port = (server.address() as AddressInfo).port;
  // The first page need not wait for the archive to be read for the file's lines by title.
  if (feedbackFile) void feedbackState(feedbackFile).catch(() => undefined);
  const shownHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}${basePath}`,
    feedback: feedbackFile !== null,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
