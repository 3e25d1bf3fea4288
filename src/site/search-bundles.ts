/**
 * The search bundles of the site (the index format is search-index.ts), keyed by period: one per
 * year, except the latest year, which has one per month, so adding a day indexes one month again
 * and the search page loads a few bundles, not one per month of the archive. A bundle lives in
 * `search-data/<key>-<hash>/`, named by the hash of the documents it indexes, so a changed bundle
 * is a new folder: publishing adds it and removes the old one, and a browser never mixes files of
 * two versions. A build whose previous site holds a bundle with the same key and hash reuses it.
 *
 * Every day's search document (every scanned paper, as `searchPapers` makes them) is kept in the
 * state folder under `search/<YYYY>/<MM>/<DD>.json`, so a bundle is indexed again from those files
 * without the day records. A full build indexes in a worker thread while the main thread reads and
 * renders the days; an incremental build, which indexes one month, does it in its own thread.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { Worker } from "node:worker_threads";
import type { DayRecord } from "../model/day-record.js";
import { StaleStateError, sha256 } from "./manifest.js";
import { BundleIndex, INDEX_FORMAT, type SearchPaper, searchPapers } from "./search-index.js";
import { linkTree, type StagedDir } from "./site-dir.js";

/** Days of documents the build may send ahead of the indexing. */
const MAX_QUEUED = 4;

/** The site folder holding the bundles. */
export const SEARCH_DATA = "search-data";

/** The bundle a day belongs to: its year, or its month when it lies in the latest year. */
export function bundleKeyOf(date: string, latestYear: string | undefined): string {
  const year = date.slice(0, 4);
  return year === latestYear ? date.slice(0, 7) : year;
}

/** The content key of a bundle: its documents (by hash) and the index format. */
export function bundleHash(key: string, days: readonly { date: string; doc: string }[]): string {
  return sha256(JSON.stringify([INDEX_FORMAT, key, days.map((d) => [d.date, d.doc])]));
}

/** A bundle's folder under SEARCH_DATA. */
export const bundleFolder = (key: string, hash: string) => `${key}-${hash.slice(0, 12)}`;

/** The folders of the bundles, newest period first, as the search page lists them. */
export function bundleFolders(bundles: Record<string, string>): string[] {
  return Object.keys(bundles)
    .sort()
    .reverse()
    .map((key) => bundleFolder(key, bundles[key]!));
}

/**
 * The day's search document (every scanned paper, each id once: a paper listed twice would be two
 * results with one address), as the state keeps it, and its hash.
 */
export function searchDocOf(day: DayRecord): { text: string; hash: string } {
  const seen = new Set<string>();
  const papers = searchPapers(day).filter((p) => !seen.has(p.id) && seen.add(p.id) !== undefined);
  const text = JSON.stringify(papers);
  return { text, hash: sha256(text) };
}

/** What the indexing side is asked to do, in order. */
export type IndexRequest =
  /** Starts a bundle in `dir` (a temporary folder). */
  | { kind: "open"; key: string; dir: string }
  /** A day's search document, to be saved as the state file `saveAs` too. */
  | { kind: "day"; key: string; date: string; text: string; saveAs: string }
  /** A day's search document from the state file at `path`, which must hash to `hash`. */
  | { kind: "file"; key: string; date: string; path: string; hash: string }
  /** Writes the bundle to `target`, or drops it (null). */
  | { kind: "finish"; key: string; target: string | null };

export type IndexReply =
  /** A day request was carried out. */
  | { kind: "day" }
  | { kind: "finished"; key: string; error: null }
  | { kind: "finished"; key: string; error: string; stale: boolean };

/**
 * Carries out index requests one at a time, in the order given; `reply` hears about each finished
 * bundle. Runs in the worker thread (search-worker.ts) or in the build's own thread.
 */
export function indexingHandler(reply: (message: IndexReply) => void): (request: IndexRequest) => void {
  const open = new Map<string, { index: BundleIndex; dir: string; failure: Error | null }>();
  let queue: Promise<void> = Promise.resolve();
  const handle = async (request: IndexRequest) => {
    if (request.kind === "open") {
      open.set(request.key, { index: new BundleIndex(request.dir), dir: request.dir, failure: null });
      return;
    }
    const bundle = open.get(request.key)!;
    if (request.kind === "finish") {
      open.delete(request.key);
      try {
        if (bundle.failure) throw bundle.failure;
        if (request.target !== null) bundle.index.finish(request.target);
        else await rm(bundle.dir, { recursive: true, force: true });
        reply({ kind: "finished", key: request.key, error: null });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        reply({ kind: "finished", key: request.key, error: message, stale: error instanceof StaleStateError });
      }
      return;
    }
    try {
      if (bundle.failure) return;
      let text: string | null;
      if (request.kind === "day") {
        text = request.text;
        mkdirSync(dirname(request.saveAs), { recursive: true });
        writeFileSync(request.saveAs, text);
      } else {
        text = readText(request.path);
        if (text === null || sha256(text) !== request.hash) {
          throw new StaleStateError(`the search document of ${request.date} is missing or changed`);
        }
      }
      bundle.index.addDay(request.date, JSON.parse(text) as SearchPaper[]);
    } catch (error) {
      bundle.failure = error instanceof Error ? error : new Error(String(error));
    } finally {
      reply({ kind: "day" });
    }
  };
  return (request) => {
    queue = queue.then(() => handle(request));
  };
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}

/**
 * Indexes the bundles of a build into `site` (its staging folder) and reuses the previous site's
 * unchanged ones (hard links). With `worker`, the indexing runs in a worker thread.
 */
export class SearchIndexer {
  readonly indexed: string[] = [];
  readonly reused: string[] = [];
  readonly #site: StagedDir;
  readonly #previous: { dir: string; bundles: Record<string, string> } | null;
  readonly #pending = new Map<string, { resolve: () => void; reject: (error: Error) => void }>();
  readonly #finished: Promise<void>[] = [];
  readonly #post: (request: IndexRequest) => void;
  readonly #worker: Worker | null = null;
  /** Why the worker thread stopped, when it did. */
  #broken: Error | null = null;
  /** Days sent and not yet taken up, and who waits for them to be (so the indexing keeps up). */
  #queued = 0;
  #drained: (() => void) | null = null;

  constructor(site: StagedDir, previous: { dir: string; bundles: Record<string, string> } | null, worker: boolean) {
    this.#site = site;
    this.#previous = previous;
    const onReply = (message: IndexReply) => {
      if (message.kind === "day") {
        this.#queued--;
        if (this.#queued < MAX_QUEUED) this.#drained?.();
        return;
      }
      const waiting = this.#pending.get(message.key)!;
      this.#pending.delete(message.key);
      if (message.error === null) waiting.resolve();
      else waiting.reject(message.stale ? new StaleStateError(message.error) : new Error(message.error));
    };
    if (worker) {
      const thread = startWorker();
      thread.on("message", onReply);
      thread.on("error", (error) => this.#failAll(error));
      thread.on("exit", (code) => this.#failAll(new Error(`the search indexing thread stopped (exit code ${code})`)));
      this.#worker = thread;
      this.#post = (request) => thread.postMessage(request);
    } else {
      this.#post = indexingHandler(onReply);
    }
  }

  /** Starts a bundle; its days follow, in date order. */
  open(key: string): void {
    this.#post({ kind: "open", key, dir: join(this.#site.staging, SEARCH_DATA, `.${key}.indexing`) });
  }

  /**
   * Adds a day: its search document as text, which the indexing side also saves in the state (a
   * full build: the work is off this thread), or as the state file at `path` with hash `hash`.
   * Waits while the indexing is MAX_QUEUED days behind.
   */
  async addDay(key: string, date: string, doc: { text: string; saveAs: string } | { path: string; hash: string }) {
    this.#queued++;
    this.#post("text" in doc ? { kind: "day", key, date, ...doc } : { kind: "file", key, date, ...doc });
    if (this.#queued >= MAX_QUEUED && !this.#broken) {
      await new Promise<void>((resolve) => {
        this.#drained = resolve;
      });
      this.#drained = null;
    }
  }

  /** Ends a bundle: written under its hash, or dropped when the previous site holds it already. */
  async close(key: string, hash: string): Promise<void> {
    const folder = join(SEARCH_DATA, bundleFolder(key, hash));
    let reused = false;
    if (this.#previous?.bundles[key] === hash) {
      const from = join(this.#previous.dir, folder);
      reused = (await linkTree(from, join(this.#site.staging, folder)).catch(() => 0)) > 0;
    }
    (reused ? this.reused : this.indexed).push(key);
    const done = new Promise<void>((resolve, reject) => {
      if (this.#broken) reject(this.#broken);
      else this.#pending.set(key, { resolve, reject });
    });
    this.#finished.push(done);
    // Settled here so a failure waits for `done`, which reports it.
    done.catch(() => {});
    this.#post({ kind: "finish", key, target: reused ? null : join(this.#site.staging, folder) });
  }

  /** Waits for every bundle; the first failure is thrown. */
  async done(): Promise<void> {
    try {
      await Promise.all(this.#finished);
    } finally {
      await this.dispose();
    }
  }

  /** Stops the worker thread, if any. */
  async dispose(): Promise<void> {
    const worker = this.#worker;
    if (!worker) return;
    worker.removeAllListeners("exit");
    await worker.terminate();
  }

  #failAll(error: Error): void {
    this.#broken ??= error;
    this.#drained?.();
    for (const waiting of this.#pending.values()) waiting.reject(error);
    this.#pending.clear();
  }
}

/**
 * The worker thread of a full build. Compiled, it is search-worker.js beside this file; from the
 * TypeScript sources (tests, benches, which run on tsx) the worker loads them through tsx.
 */
function startWorker(): Worker {
  // What it allocates lives briefly (a day's documents): a small young generation keeps its memory down.
  const options = { resourceLimits: { maxYoungGenerationSizeMb: 8 } };
  if (!import.meta.url.endsWith(".ts")) return new Worker(new URL("./search-worker.js", import.meta.url), options);
  const source = new URL("./search-worker.ts", import.meta.url).href;
  const loader = import.meta.resolve("tsx/esm/api");
  const code = `import { tsImport } from ${JSON.stringify(loader)}; await tsImport(${JSON.stringify(source)}, ${JSON.stringify(source)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(code)}`), options);
}
