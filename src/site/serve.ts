/**
 * A small static file server for previewing the built site (Pagefind needs HTTP, not file://).
 * Serves only files inside `dir`, under the site's basePath, with the 404 page for anything else.
 */
import { createReadStream } from "node:fs";
import { readFile, realpath, stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, relative, resolve, sep } from "node:path";
import { siteUrls } from "./urls.js";

export interface ServeOptions {
  port: number;
  host?: string;
  basePath?: string;
}

export interface ServedSite {
  /** Address of the site root, basePath included, e.g. http://127.0.0.1:8080/papers/ */
  url: string;
  close(): Promise<void>;
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
  const notFound = async (res: ServerResponse, head: boolean) => {
    const file = await realInside(await realRoot(), join(root, "404.html"));
    const page = (file && (await readFile(file).catch(() => null))) || Buffer.from("Not found\n");
    res.writeHead(404, { "content-type": "text/html; charset=utf-8", "x-content-type-options": "nosniff" });
    res.end(head ? undefined : page);
  };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const head = req.method === "HEAD";
    if (req.method !== "GET" && !head) {
      res.writeHead(405, { allow: "GET, HEAD" });
      res.end();
      return;
    }
    // The request target is a path; "//host/x" must stay a path, never become an authority.
    const rawTarget = req.url ?? "/";
    if (!rawTarget.startsWith("/")) return notFound(res, head);
    const { pathname } = new URL(`http://site.invalid${rawTarget}`);
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
  const { port } = server.address() as AddressInfo;
  const shownHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}${basePath}`,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
