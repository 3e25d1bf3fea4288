/**
 * The search bundles of the site (the index format is search-index.ts), keyed by period: one per
 * year, except the latest year, which has one per month, so adding a day indexes one month again
 * and the search page loads a few bundles, not one per month of the archive. A bundle lives in
 * `search-data/<key>-<hash>/`, named by the hash of the documents it indexes, so a changed bundle
 * is a new folder: publishing adds it and removes the old one, and a browser never mixes files of
 * two versions. A build whose previous site holds a bundle with the same key and hash reuses it.
 *
 * A bundle is indexed from its days' search documents (searchDocOf: every scanned paper, as
 * `searchPapers` makes them), made from the day records as they are read; an incremental build
 * reads the other days of a changed period again from the archive (a month's days take about a
 * tenth of a second), so the build state keeps no copy of them.
 *
 * A full build indexes in a process of its own (search-worker.ts) while it reads and renders the
 * days, as it did when Pagefind indexed; a bundle the previous site holds under the same hash is
 * not written again but linked; an incremental build, which indexes one period, does it itself.
 */

import { type ChildProcess, fork } from "node:child_process";
import { closeSync, mkdirSync, openSync, readSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { sha256 } from "../io/hash.js";
import { parseJson } from "../io/json-file.js";
import type { DayRecord } from "../model/day-record.js";
import { BundleIndex, INDEX_FORMAT, type SearchPaper, searchPapers } from "./search-index.js";
import { linkTree, type StagedDir } from "./site-dir.js";

/** Requests (days, files to write) the build may send ahead of the indexing. */
const MAX_QUEUED = 64;
/**
 * How few requests the indexing process may have outstanding for the build to hand it a file to
 * write: the writes are the work either process can do, so they go to whichever has less of it
 * (see SearchIndexer.write).
 */
const IDLE_QUEUE = 2;

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
 * results with one address), as the state keeps it (UTF-8), and its hash. It is JSON, a row a
 * paper with the fields of SearchPaper in order (SearchDocRow), which JSON makes and reads faster
 * than objects.
 */
export function searchDocOf(day: DayRecord): { bytes: Buffer; hash: string } {
  const seen = new Set<string>();
  const rows: SearchDocRow[] = [];
  for (const p of searchPapers(day)) {
    if (seen.has(p.id)) continue;
    seen.add(p.id);
    rows.push([p.id, p.title, p.authors, p.abstract, p.comment, p.topic, p.score, p.selected, p.listed]);
  }
  const bytes = Buffer.from(JSON.stringify(rows));
  return { bytes, hash: sha256(bytes) };
}

/** A paper in a search document: SearchPaper's fields, in order. */
type SearchDocRow = [string, string, string[], string, string | null, string | null, number | null, boolean, boolean];

/** The papers of a search document (searchDocOf). */
export function searchDocPapers(bytes: Buffer): SearchPaper[] {
  return (parseJson(bytes) as SearchDocRow[]).map(
    ([id, title, authors, abstract, comment, topic, score, selected, listed]) => ({
      id,
      title,
      authors,
      abstract,
      comment,
      topic,
      score,
      selected,
      listed,
    }),
  );
}

/** What the indexing side is asked to do, in order. */
export type IndexRequest =
  /** Starts a bundle in `dir` (a temporary folder). */
  | { kind: "open"; key: string; dir: string }
  /** A day's search document. */
  | { kind: "day"; key: string; date: string; bytes: Buffer }
  /** Writes the bundle to `target`, or drops it (null). */
  | { kind: "finish"; key: string; target: string | null }
  /** Writes a file of the site at `path` (its folder made as needed). */
  | { kind: "write"; path: string; bytes: Buffer };

/**
 * An index request as the indexing process receives it: its bytes (a day's document, a file) come
 * in a hand-over file (HandOver), not over the channel.
 */
export type WireRequest = Exclude<IndexRequest, { bytes: Buffer }> | Wired<Extract<IndexRequest, { bytes: Buffer }>>;
type Wired<R> = R extends { bytes: Buffer } ? Omit<R, "bytes"> & { handed: Handed } : never;
/** Where bytes were handed over: the file and how many there are. */
type Handed = { slot: number; length: number };

export type IndexReply =
  /** A day or write request was carried out (a write can fail: `error`). */
  | { kind: "done"; error?: string }
  /** A bundle is written (or failed); with what the indexing side has used so far. */
  | { kind: "finished"; key: string; error: string | null; usage: IndexerUsage };

/** A process's peak resident memory (MB) and CPU time (ms, user + system). */
export interface IndexerUsage {
  maxRssMb: number;
  cpuMs: number;
}

/**
 * Carries out index requests one at a time, in the order given; `reply` hears about each day taken
 * up, each file written and each finished bundle. Runs in the indexing process (search-worker.ts)
 * or in the build's.
 */
export function indexingHandler(reply: (message: IndexReply) => void): (request: IndexRequest) => void {
  const open = new Map<string, { index: BundleIndex; dir: string; failure: Error | null }>();
  const made = new Set<string>();
  /** Writes a file, making its folder first unless this side made it already. */
  const write = (path: string, bytes: Buffer) => {
    const dir = dirname(path);
    if (!made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    writeFileSync(path, bytes);
  };
  let queue: Promise<void> = Promise.resolve();
  const handle = async (request: IndexRequest) => {
    if (request.kind === "write") {
      try {
        write(request.path, request.bytes);
        reply({ kind: "done" });
      } catch (error) {
        reply({ kind: "done", error: error instanceof Error ? error.message : String(error) });
      }
      return;
    }
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
        reply({ kind: "finished", key: request.key, error: message, usage: usage() });
      }
      return;
    }
    try {
      if (bundle.failure) return;
      bundle.index.addDay(request.date, searchDocPapers(request.bytes));
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

/**
 * How a full build hands the day documents (and files to write) to its indexing process. The IPC
 * channel is a socket that holds about 200 KB, less than one day's document: a document sent
 * through it arrives only as the two processes, each busy, get round to passing the rest along,
 * and each ends up waiting on the other. So the build writes the bytes into one of MAX_QUEUED
 * files (a folder beside the staging folder, removed with it), in turn, and sends only which file
 * and how many bytes; the indexing process reads them from there (the page cache) as the request
 * arrives. A file is written again MAX_QUEUED requests later, when the indexing has carried out
 * the one it held (SearchIndexer never has more outstanding).
 */
export class HandOver {
  readonly dir: string;
  readonly #fds: number[] = [];
  #next = 0;

  /** The build's side: makes the folder and its files. */
  static create(dir: string): HandOver {
    mkdirSync(dir);
    const handOver = new HandOver(dir);
    for (let slot = 0; slot < MAX_QUEUED; slot++) handOver.#fds.push(openSync(join(dir, String(slot)), "w+"));
    return handOver;
  }

  /** The indexing process's side: reads the files of `dir`. */
  constructor(dir: string) {
    this.dir = dir;
  }

  /** Writes bytes into the next file. */
  put(bytes: Uint8Array): Handed {
    const slot = this.#next;
    this.#next = (slot + 1) % MAX_QUEUED;
    writeSync(this.#fds[slot]!, bytes, 0, bytes.length, 0);
    return { slot, length: bytes.length };
  }

  /** Reads the bytes a file holds. */
  take({ slot, length }: Handed): Buffer {
    this.#fds[slot] ??= openSync(join(this.dir, String(slot)), "r");
    const bytes = Buffer.allocUnsafe(length);
    let read = 0;
    while (read < length) read += readSync(this.#fds[slot]!, bytes, read, length - read, read);
    return bytes;
  }

  /** Closes the files; the build's side also removes them. */
  close(remove: boolean): void {
    for (const fd of this.#fds) if (fd !== undefined) closeSync(fd);
    this.#fds.length = 0;
    if (remove) rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A request as sent to the indexing process, its bytes handed over. */
function wire(request: IndexRequest, handOver: HandOver): WireRequest {
  if (!("bytes" in request)) return request;
  const { bytes, ...rest } = request;
  return { ...rest, handed: handOver.put(bytes) };
}

/** The request the indexing process passes on to indexingHandler, its bytes taken from the hand-over file. */
export function unwire(request: WireRequest, handOver: HandOver): IndexRequest {
  if (!("handed" in request)) return request;
  const { handed, ...rest } = request;
  return { ...rest, bytes: handOver.take(handed) } as IndexRequest;
}

/**
 * Indexes the bundles of a build into `site` (its staging folder) and reuses the previous site's
 * unchanged ones (hard links). With `separate`, the indexing runs in a process of its own, which
 * also writes files of the site when it has little to do. A bundle is indexed as its days come,
 * before its hash is known; one the previous site holds under the hash it ends with is dropped
 * instead of written, and the previous folder linked.
 */
export class SearchIndexer {
  readonly indexed: string[] = [];
  readonly reused: string[] = [];
  /** What the indexing process used (null when the build indexed in its own process). */
  usage: IndexerUsage | null = null;
  readonly #site: StagedDir;
  readonly #previous: { dir: string; bundles: Record<string, string> } | null;
  readonly #pending = new Map<string, { resolve: () => void; reject: (error: Error) => void }>();
  readonly #finished: Promise<void>[] = [];
  readonly #post: (request: IndexRequest) => void;
  readonly #child: ChildProcess | null = null;
  readonly #handOver: HandOver | null = null;
  /** Why the indexing process stopped, when it did; the first file it failed to write. */
  #broken: Error | null = null;
  #writeFailed: Error | null = null;
  /** The files of the site the indexing process was given to write. */
  readonly #handedFiles = new Set<string>();
  /** Requests sent and not yet carried out, and who waits for a reply. */
  #queued = 0;
  #waiting: (() => void)[] = [];

  constructor(site: StagedDir, previous: { dir: string; bundles: Record<string, string> } | null, separate: boolean) {
    this.#site = site;
    this.#previous = previous;
    const onReply = (message: IndexReply) => {
      if (message.kind === "done") {
        this.#queued--;
        if (message.error !== undefined) this.#writeFailed ??= new Error(message.error);
        this.#wake();
        return;
      }
      if (separate) this.usage = message.usage;
      const waiting = this.#pending.get(message.key)!;
      this.#pending.delete(message.key);
      if (message.error === null) waiting.resolve();
      else waiting.reject(new Error(message.error));
    };
    if (separate) {
      const handOver = HandOver.create(`${site.staging}-handover`);
      this.#handOver = handOver;
      const child = startIndexer(handOver.dir);
      child.on("message", onReply);
      child.on("error", (error) => this.#failAll(error));
      child.on("exit", (code, signal) => {
        this.#failAll(new Error(`the search indexing process stopped (${signal ?? `exit code ${code}`})`));
      });
      this.#child = child;
      this.#post = (request) => child.send(wire(request, handOver));
    } else {
      this.#post = indexingHandler(onReply);
    }
  }

  /** Starts a bundle; its days follow, in date order. */
  open(key: string): void {
    this.#post({ kind: "open", key, dir: join(this.#site.staging, SEARCH_DATA, `.${key}.indexing`) });
  }

  /** Adds a day's search document (searchDocOf); waits while the indexing is MAX_QUEUED requests behind. */
  async addDay(key: string, date: string, bytes: Buffer): Promise<void> {
    // The replies that came in meanwhile, so the queue's length is known (write).
    if (this.#child) await new Promise<void>((resolve) => setImmediate(resolve));
    await this.#send({ kind: "day", key, date, bytes });
  }

  /**
   * Writes a file of the site (`rel`, in its staging folder): by the indexing process when it has
   * next to nothing to do, else here. A full build's pages go this way, so the two processes stay
   * busy alike; the file is written by the time `done` returns. A file handed over once is always
   * handed over, so its writes keep their order.
   */
  async write(rel: string, text: string): Promise<boolean> {
    const handed = this.#handedFiles.has(rel);
    const idle = this.#queued <= IDLE_QUEUE && this.#child?.connected === true && !this.#broken;
    if (!handed && !idle) return this.#site.write(rel, text);
    this.#handedFiles.add(rel);
    await this.#send({ kind: "write", path: join(this.#site.staging, rel), bytes: Buffer.from(text) });
    return true;
  }

  /** Sends a request that is answered by "done"; waits while MAX_QUEUED are outstanding. */
  async #send(request: IndexRequest): Promise<void> {
    this.#queued++;
    this.#post(request);
    await this.#until(() => this.#queued < MAX_QUEUED);
  }

  /** Waits, taking in replies, until `ready` holds or the indexing process stopped. */
  async #until(ready: () => boolean): Promise<void> {
    while (!ready() && !this.#broken) await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  /** Lets whoever waits look again. */
  #wake(): void {
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const resolve of waiting) resolve();
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

  /** Waits for every request and bundle (the first failure is thrown), then lets the indexing process end. */
  async done(): Promise<void> {
    try {
      await this.#until(() => this.#queued === 0);
      await Promise.all(this.#finished);
      if (this.#broken) throw this.#broken;
      if (this.#writeFailed) throw this.#writeFailed;
    } finally {
      await this.dispose(true);
    }
  }

  /** Ends the indexing process, if any: closes its channel when its work is done, else stops it. */
  async dispose(done = false): Promise<void> {
    const child = this.#child;
    if (child && child.exitCode === null && child.signalCode === null) {
      child.removeAllListeners("exit");
      const exited = new Promise((resolve) => child.once("exit", resolve));
      if (done && child.connected) child.disconnect();
      else child.kill();
      await exited;
    }
    this.#handOver?.close(true);
  }

  #failAll(error: Error): void {
    this.#broken ??= error;
    this.#wake();
    for (const waiting of this.#pending.values()) waiting.reject(error);
    this.#pending.clear();
  }
}

/**
 * The indexing process of a full build: search-worker.js beside this file, compiled; from the
 * TypeScript sources (tests, benches, which run on tsx) search-worker.ts, loaded through tsx. Its
 * young generation holds a few days' documents, so most of what it allocates dies young.
 */
function startIndexer(handOver: string): ChildProcess {
  const compiled = !import.meta.url.endsWith(".ts");
  const entry = new URL(compiled ? "./search-worker.js" : "./search-worker.ts", import.meta.url);
  const execArgv = ["--max-semi-space-size=16"];
  if (!compiled) execArgv.push("--import", import.meta.resolve("tsx"));
  return fork(entry, [handOver], {
    execArgv,
    serialization: "advanced",
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
}
