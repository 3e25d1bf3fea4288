/**
 * The search bundles of the site (the index format is search-index.ts), keyed by period: one per
 * year, except the latest year, which has one per month, so adding a day indexes one month again
 * and the search page loads a few bundles, not one per month of the archive. A bundle lives in
 * `search-data/<key>-<hash>/`, named by the hash of the documents it indexes, so a changed bundle
 * is a new folder: publishing adds it and removes the old one, and a browser never mixes files of
 * two versions. A build whose previous site holds a bundle with the same key and hash reuses it.
 *
 * The search document of every day of the latest year (every scanned paper, as `searchPapers`
 * makes them) is kept in the state folder under `search/<YYYY>/<MM>/<DD>.json`, so the daily build
 * indexes a month again from those files without the day records (keepsSearchDoc).
 *
 * A full build indexes in a process of its own (search-worker.ts) while it reads and renders the
 * days, as it did when Pagefind indexed, and holds back the bundles the previous site has, in case
 * their hash matches; an incremental build, which indexes one month, does it itself.
 */

import { type ChildProcess, fork } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { DayRecord } from "../model/day-record.js";
import { StaleStateError, searchDocFile, sha256 } from "./manifest.js";
import { BundleIndex, INDEX_FORMAT, type SearchPaper, searchPapers } from "./search-index.js";
import { linkTree, type StagedDir } from "./site-dir.js";

/** Days of documents the build may send ahead of the indexing. */
const MAX_QUEUED = 8;

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
  /** A day's search document, to be saved as the state file `saveAs` too unless that is null. */
  | { kind: "day"; key: string; date: string; text: string; saveAs: string | null }
  /** A day's search document from the state file at `path`, which must hash to `hash`. */
  | { kind: "file"; key: string; date: string; path: string; hash: string }
  /** Writes the bundle to `target`, or drops it (null). */
  | { kind: "finish"; key: string; target: string | null };

export type IndexReply =
  /** A day request was carried out. */
  | { kind: "done" }
  /** A bundle is written (or failed); with what the indexing side has used so far. */
  | { kind: "finished"; key: string; error: null; usage: IndexerUsage }
  | { kind: "finished"; key: string; error: string; stale: boolean; usage: IndexerUsage };

/** A process's peak resident memory (MB) and CPU time (ms, user + system). */
export interface IndexerUsage {
  maxRssMb: number;
  cpuMs: number;
}

/**
 * Carries out index requests one at a time, in the order given; `reply` hears about each day taken
 * up and each finished bundle. Runs in the indexing process (search-worker.ts) or in the build's.
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
        reply({ kind: "finished", key: request.key, error: null, usage: usage() });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const stale = error instanceof StaleStateError;
        reply({ kind: "finished", key: request.key, error: message, stale, usage: usage() });
      }
      return;
    }
    try {
      if (bundle.failure) return;
      let text: string | null;
      if (request.kind === "day") {
        text = request.text;
        if (request.saveAs !== null) {
          mkdirSync(dirname(request.saveAs), { recursive: true });
          writeFileSync(request.saveAs, text);
        }
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
      reply({ kind: "done" });
    }
  };
  return (request) => {
    queue = queue.then(() => handle(request));
  };
}

function usage(): IndexerUsage {
  const { maxRSS, userCPUTime, systemCPUTime } = process.resourceUsage();
  return { maxRssMb: Math.round(maxRSS / 1024), cpuMs: Math.round((userCPUTime + systemCPUTime) / 1000) };
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}

/**
 * A day's search document: as text, which the state keeps if `save` (see keepsSearchDoc), or as a
 * state file, with its hash.
 */
export type DayDoc = { text: string; hash: string; save: boolean } | { path: string; hash: string };

/**
 * Whether the state keeps the day's search document: only for the latest year, whose month
 * bundles the daily build indexes again. A bundle of an earlier year that must be indexed again
 * (a past day changed) reads its days from the archive; the state stays small.
 */
export const keepsSearchDoc = (date: string, latestYear: string | undefined) => date.slice(0, 4) === latestYear;

/**
 * Indexes the bundles of a build into `site` (its staging folder) and reuses the previous site's
 * unchanged ones (hard links). With `separate`, the indexing runs in a process of its own, which
 * also saves the documents given as text into the state; a bundle the previous site holds is only
 * indexed if its hash turns out to differ.
 */
export class SearchIndexer {
  readonly indexed: string[] = [];
  readonly reused: string[] = [];
  /** What the indexing process used (null when the build indexed in its own process). */
  usage: IndexerUsage | null = null;
  readonly #site: StagedDir;
  readonly #state: StagedDir;
  readonly #previous: { dir: string; bundles: Record<string, string> } | null;
  readonly #pending = new Map<string, { resolve: () => void; reject: (error: Error) => void }>();
  readonly #finished: Promise<void>[] = [];
  readonly #post: (request: IndexRequest) => void;
  readonly #child: ChildProcess | null = null;
  /** Why the indexing process stopped, when it did. */
  #broken: Error | null = null;
  /** Days sent and not yet taken up, and who waits for them to be (so the indexing keeps up). */
  #queued = 0;
  #drained: (() => void) | null = null;
  /** Bundles held back until their hash is known: their days, saved in the state meanwhile. */
  readonly #held = new Map<string, { date: string; path: string; hash: string; save: boolean }[]>();

  constructor(
    site: StagedDir,
    state: StagedDir,
    previous: { dir: string; bundles: Record<string, string> } | null,
    separate: boolean,
  ) {
    this.#site = site;
    this.#state = state;
    this.#previous = previous;
    const onReply = (message: IndexReply) => {
      if (message.kind === "done") {
        this.#queued--;
        if (this.#queued < MAX_QUEUED) this.#drained?.();
        return;
      }
      if (separate) this.usage = message.usage;
      const waiting = this.#pending.get(message.key)!;
      this.#pending.delete(message.key);
      if (message.error === null) waiting.resolve();
      else waiting.reject(message.stale ? new StaleStateError(message.error) : new Error(message.error));
    };
    if (separate) {
      const child = startIndexer();
      child.on("message", onReply);
      child.on("error", (error) => this.#failAll(error));
      child.on("exit", (code, signal) => {
        this.#failAll(new Error(`the search indexing process stopped (${signal ?? `exit code ${code}`})`));
      });
      this.#child = child;
      this.#post = (request) => child.send(request);
    } else {
      this.#post = indexingHandler(onReply);
    }
  }

  /** Starts a bundle; its days follow, in date order. */
  open(key: string): void {
    if (this.#child && this.#previous?.bundles[key] !== undefined) this.#held.set(key, []);
    else this.#start(key);
  }

  /** Adds a day (waits while the indexing is MAX_QUEUED days behind). */
  async addDay(key: string, date: string, doc: DayDoc): Promise<void> {
    const held = this.#held.get(key);
    if (held) {
      if ("path" in doc) held.push({ date, ...doc, save: true });
      else {
        await this.#state.write(searchDocFile(date), doc.text);
        held.push({ date, path: this.#state.locate(searchDocFile(date)), hash: doc.hash, save: doc.save });
      }
      return;
    }
    if ("text" in doc) {
      const saveAs = doc.save ? join(this.#state.staging, searchDocFile(date)) : null;
      await this.#send({ kind: "day", key, date, text: doc.text, saveAs });
    } else await this.#send({ kind: "file", key, date, path: doc.path, hash: doc.hash });
  }

  /** Sends a request that is answered by "done"; waits while MAX_QUEUED are outstanding. */
  async #send(request: IndexRequest): Promise<void> {
    this.#queued++;
    this.#post(request);
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
    const held = this.#held.get(key);
    this.#held.delete(key);
    // The documents a held bundle saved only to be indexed from go once it is done with them.
    const unsave = async () => {
      for (const day of held ?? []) if (!day.save) await this.#state.remove(searchDocFile(day.date));
    };
    if (held && reused) return unsave();
    if (held) {
      this.#start(key);
      for (const { date, path, hash: doc } of held) await this.addDay(key, date, { path, hash: doc });
    }
    const done = new Promise<void>((resolve, reject) => {
      if (this.#broken) reject(this.#broken);
      else this.#pending.set(key, { resolve, reject });
    }).then(unsave);
    this.#finished.push(done);
    // Settled here so a failure waits for `done`, which reports it.
    done.catch(() => {});
    this.#post({ kind: "finish", key, target: reused ? null : join(this.#site.staging, folder) });
  }

  /** Waits for every bundle (the first failure is thrown), then lets the indexing process end. */
  async done(): Promise<void> {
    try {
      await Promise.all(this.#finished);
    } finally {
      await this.dispose(true);
    }
  }

  /** Ends the indexing process, if any: closes its channel when its work is done, else stops it. */
  async dispose(done = false): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.removeAllListeners("exit");
    const exited = new Promise((resolve) => child.once("exit", resolve));
    if (done && child.connected) child.disconnect();
    else child.kill();
    await exited;
  }

  #start(key: string): void {
    this.#post({ kind: "open", key, dir: join(this.#site.staging, SEARCH_DATA, `.${key}.indexing`) });
  }

  #failAll(error: Error): void {
    this.#broken ??= error;
    this.#drained?.();
    for (const waiting of this.#pending.values()) waiting.reject(error);
    this.#pending.clear();
  }
}

/**
 * The indexing process of a full build: search-worker.js beside this file, compiled; from the
 * TypeScript sources (tests, benches, which run on tsx) search-worker.ts, loaded through tsx. A
 * small young generation keeps its memory down: what it allocates lives for one day's documents.
 */
function startIndexer(): ChildProcess {
  const compiled = !import.meta.url.endsWith(".ts");
  const entry = new URL(compiled ? "./search-worker.js" : "./search-worker.ts", import.meta.url);
  const execArgv = ["--max-semi-space-size=4"];
  if (!compiled) execArgv.push("--import", import.meta.resolve("tsx"));
  return fork(entry, [], { execArgv, serialization: "advanced", stdio: ["ignore", "inherit", "inherit", "ipc"] });
}
