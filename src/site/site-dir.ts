/**
 * The output folder is never left half-built. A full build writes a fresh sibling folder and swaps
 * it in by rename once it is complete: a crash at any point leaves the previous site where it was
 * (or, between the two renames, beside it, where the next build puts it back).
 *
 * An incremental build stages only the files whose content changed (StagedDir) and publishes them
 * by moving them in (publishChanges): a journal beside the site folder, written by rename, lists
 * what moves and what goes; once it exists the change is committed, and a build that finds it
 * (a crash during the moves) completes it before anything else. So a failed build changes
 * nothing, and a publish costs a few renames, not a copy of the site.
 *
 * The reader's own files in the site folder (a CNAME, a .nojekyll, a verification page) are not
 * the build's: the manifest records every file a build wrote (WrittenFiles), and a full build
 * carries everything else of the previous site into its staging folder before the swap
 * (carryOver); an incremental build only touches the files it writes or removes.
 */

import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import {
  chmod,
  copyFile,
  link,
  lstat,
  mkdir,
  readdir,
  readFile,
  readlink,
  rename,
  rm,
  stat,
  symlink,
  utimes,
  writeFile,
} from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { pidAlive } from "../io/process.js";
import { SiteConfigError } from "./urls.js";

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

function siblings(outDir: string) {
  const parent = dirname(outDir);
  const name = basename(outDir);
  return {
    parent,
    /** Prefix of the folders builds write into: `.<name>.building-<pid>-<random>`. */
    stagingPrefix: `.${name}.building-`,
    /** Where the previous site waits between the two renames of a swap. */
    previous: join(parent, `.${name}.previous`),
    /** The journal of an incremental publish (publishChanges). */
    journal: join(parent, `.${name}.publish.json`),
  };
}

function alive(pid: number): boolean {
  return pid === process.pid || pidAlive(pid);
}

/**
 * Repairs what a crashed build left: puts a previous site whose swap was cut short back in place,
 * and removes the staging folders of builds that are no longer running.
 */
export async function recoverOutDir(outDir: string): Promise<void> {
  const { parent, stagingPrefix, previous } = siblings(outDir);
  if (await exists(previous)) {
    if (await exists(outDir)) await rm(previous, { recursive: true, force: true });
    else await rename(previous, outDir);
  }
  for (const entry of await readdir(parent).catch(() => [] as string[])) {
    if (!entry.startsWith(stagingPrefix)) continue;
    const pid = Number(entry.slice(stagingPrefix.length).split("-")[0]);
    if (!Number.isInteger(pid) || !alive(pid)) await rm(join(parent, entry), { recursive: true, force: true });
  }
}

/**
 * Refuses a folder that holds files the site build did not write (none of `ours`), so a mistyped
 * outDir never replaces someone's files. `what` names the folder in the message, `setting` what
 * the user changes to move it (`site.outDir` or `--out`).
 */
export async function checkOutDir(
  outDir: string,
  ours: readonly string[],
  what: string,
  setting: string = what,
): Promise<void> {
  const entries: string[] = await readdir(outDir).catch(() => []);
  if (entries.length > 0 && !entries.some((e) => ours.includes(e))) {
    throw new SiteConfigError(
      `${what} ${outDir} already holds files that the site build did not write; point ${setting} at a new or empty folder.`,
    );
  }
}

/** A new, empty folder beside outDir (same file system, so the swap is a rename). */
export async function makeStaging(outDir: string): Promise<string> {
  const { parent, stagingPrefix } = siblings(outDir);
  await mkdir(parent, { recursive: true });
  const dir = join(parent, `${stagingPrefix}${process.pid}-${randomBytes(4).toString("hex")}`);
  await mkdir(dir);
  return dir;
}

/** Puts the finished staging folder in outDir's place and removes the previous site. */
export async function swapIn(outDir: string, staging: string): Promise<void> {
  const { previous } = siblings(outDir);
  await rm(previous, { recursive: true, force: true });
  const hadSite = await exists(outDir);
  if (hadSite) await rename(outDir, previous);
  await rename(staging, outDir);
  if (hadSite) await removeTree(previous);
}

/**
 * Removes a folder tree: `rm -rf` where there is one (a whole site has thousands of files), else
 * fs.rm; `small` (a staging folder an incremental build emptied) skips starting a process.
 */
export async function removeTree(dir: string, small = false): Promise<void> {
  if (!small && (await exists(dir))) await new Promise<void>((ok) => execFile("rm", ["-rf", "--", dir], () => ok()));
  await rm(dir, { recursive: true, force: true });
}

/**
 * Mirrors `from` into `to` with hard links (a copy where links are impossible). Files in `to`
 * share their data with `from`, so a build must replace them (write elsewhere, rename), never
 * write into them: see `replaceFile`.
 */
export async function linkTree(from: string, to: string): Promise<number> {
  await mkdir(to, { recursive: true });
  const entries = await readdir(from, { withFileTypes: true });
  let files = 0;
  await Promise.all(
    entries.map(async (entry) => {
      const source = join(from, entry.name);
      const target = join(to, entry.name);
      if (entry.isDirectory()) files += await linkTree(source, target);
      else if (entry.isFile()) {
        await link(source, target).catch(() => copyFile(source, target));
        files++;
      }
    }),
  );
  return files;
}

/**
 * The files a build writes into its staging folder (paths relative to the site). A full build
 * (`live` null) writes every file. An incremental build writes only the files whose bytes differ
 * from the live folder's and records what it removes, for publishChanges.
 */
export class StagedDir {
  readonly staging: string;
  readonly live: string | null;
  readonly removed = new Set<string>();
  readonly #staged = new Set<string>();
  readonly #made = new Set<string>();

  constructor(staging: string, live: string | null) {
    this.staging = staging;
    this.live = live;
  }

  /**
   * Writes a file unless the live folder holds the same bytes; true when it was staged. The calls
   * are synchronous: a build writes thousands of small files one after the other, and a call
   * through the thread pool costs several times the write itself.
   */
  async write(rel: string, content: string | Uint8Array): Promise<boolean> {
    this.removed.delete(rel);
    const file = join(this.staging, rel);
    if (this.live !== null) {
      const bytes = typeof content === "string" ? Buffer.from(content) : content;
      if (readOrNull(join(this.live, rel))?.equals(bytes)) {
        if (this.#staged.delete(rel)) rmSync(file, { force: true });
        return false;
      }
    }
    this.#staged.add(rel);
    const dir = dirname(file);
    if (!this.#made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      this.#made.add(dir);
    }
    writeFileSync(file, content);
    return true;
  }

  /** Where a file of the site stands now: staged by this build, or else the live one. */
  locate(rel: string): string {
    return this.live === null || this.#staged.has(rel) ? join(this.staging, rel) : join(this.live, rel);
  }

  /** Takes a file or folder out of the site. */
  async remove(rel: string): Promise<void> {
    if (this.#staged.delete(rel) || this.live === null)
      await rm(join(this.staging, rel), { recursive: true, force: true });
    if (this.live !== null) this.removed.add(rel);
  }

  /** Whether anything is to be published. */
  get changed(): boolean {
    return this.#staged.size > 0 || this.removed.size > 0;
  }
}

function readOrNull(file: string): Buffer | null {
  try {
    return readFileSync(file);
  } catch {
    return null;
  }
}

interface Journal {
  /** In order: each staged folder's files move into its live folder, then its removals go. */
  parts: { dir: string; staging: string; removed: string[] }[];
  /** Paths (of any part) moved after everything else: the manifest that describes the rest. */
  last: string[];
}

/**
 * Publishes incremental builds: commits the journal (beside `outDir`), then moves each staged file
 * into its live folder (a new folder moves whole), removes what was removed, and moves `last`.
 */
export async function publishChanges(outDir: string, parts: StagedDir[], last: string[]): Promise<void> {
  const journal: Journal = {
    parts: parts.map((p) => ({ dir: p.live!, staging: p.staging, removed: [...p.removed] })),
    last,
  };
  const file = siblings(outDir).journal;
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify(journal));
  await rename(temp, file);
  await applyJournal(file, journal);
}

/**
 * Completes a publish a crash cut short (a journal left beside `outDir`). A journal that cannot be
 * read (it is written by rename, so only a damaged disk makes one) is dropped, and the build goes
 * on from the manifest and state as they are (a state that does not match means a full build).
 */
export async function recoverPublish(outDir: string): Promise<void> {
  const file = siblings(outDir).journal;
  const text = await readFile(file, "utf8").catch(() => null);
  if (text === null) return;
  let journal: Journal;
  try {
    journal = JSON.parse(text) as Journal;
  } catch {
    await rm(file, { force: true });
    return;
  }
  await applyJournal(file, journal);
}

async function applyJournal(file: string, journal: Journal): Promise<void> {
  for (const part of journal.parts) {
    await moveInto(part.staging, part.dir, "", new Set(journal.last));
    for (const rel of part.removed) await rm(join(part.dir, rel), { recursive: true, force: true });
  }
  for (const rel of journal.last) {
    for (const part of journal.parts) {
      await rename(join(part.staging, rel), join(part.dir, rel)).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== "ENOENT") throw error;
      });
    }
  }
  for (const part of journal.parts) await removeTree(part.staging, true);
  await rm(file, { force: true });
}

/** Moves every file under `from` to the same place under `to`; a folder `to` lacks moves whole. */
async function moveInto(from: string, to: string, rel: string, skip: Set<string>): Promise<void> {
  const entries = await readdir(from, { withFileTypes: true }).catch(() => []);
  if (entries.length > 0) await mkdir(to, { recursive: true });
  for (const entry of entries) {
    const path = rel === "" ? entry.name : `${rel}/${entry.name}`;
    if (skip.has(path)) continue;
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isDirectory() && (await exists(target))) await moveInto(source, target, path, skip);
    else await rename(source, target);
  }
}

const lstatOrNull = (path: string) => lstat(path).catch(() => null);
const joinRel = (rel: string, name: string) => (rel === "" ? name : `${rel}/${name}`);
const parentOf = (rel: string) => {
  const at = rel.lastIndexOf("/");
  return at === -1 ? "" : rel.slice(0, at);
};

/**
 * What a build wrote into the site, as the manifest keeps it: folder ("" for the root) → the names
 * in it, each a file, or a folder written whole (a search bundle). Anything else in the site folder
 * is the reader's.
 */
export type WrittenRecord = Record<string, string[]>;

export class WrittenFiles {
  readonly #paths = new Set<string>();
  /** Every folder some written path lies in. */
  readonly #folders = new Set<string>();

  constructor(paths: Iterable<string> = []) {
    for (const path of paths) this.add(path);
  }

  static fromRecord(record: WrittenRecord): WrittenFiles {
    const out = new WrittenFiles();
    for (const [folder, names] of Object.entries(record)) for (const name of names) out.add(joinRel(folder, name));
    return out;
  }

  add(rel: string): void {
    this.#paths.add(rel);
    for (let folder = parentOf(rel); folder !== "" && !this.#folders.has(folder); folder = parentOf(folder))
      this.#folders.add(folder);
  }

  delete(rel: string): void {
    this.#paths.delete(rel);
  }

  /** Whether the build wrote this very path. */
  has(rel: string): boolean {
    return this.#paths.has(rel);
  }

  /** Whether a folder holds something the build wrote. */
  holds(rel: string): boolean {
    return this.#folders.has(rel);
  }

  /** As the manifest keeps it: folders and names sorted, so equal sets give equal bytes. */
  toRecord(): WrittenRecord {
    const byFolder = new Map<string, string[]>();
    for (const path of this.#paths) {
      const folder = parentOf(path);
      const names = byFolder.get(folder);
      const name = folder === "" ? path : path.slice(folder.length + 1);
      if (names) names.push(name);
      else byFolder.set(folder, [name]);
    }
    const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    return Object.fromEntries([...byFolder].sort(([a], [b]) => order(a, b)).map(([f, n]) => [f, n.sort(order)]));
  }
}

/** Which paths of the previous site are the build's, so a full build does not carry them over. */
export interface Ownership {
  /** The previous build wrote this path, or this build's output stands for it. */
  ours(rel: string): boolean;
  /** A folder that is not the build's may still hold paths that are: look inside it. */
  holdsOurs(rel: string): boolean;
}

export interface CarriedOver {
  /** Paths of the reader's carried into the new site (a folder stands for all it holds). */
  kept: string[];
  /** Paths of the reader's where the new build writes a file of its own, which wins. */
  replaced: string[];
}

/**
 * Carries into a full build's finished staging folder everything of the live site that is not the
 * build's: same relative path, same bytes and mode (a hard link, else a copy), a symbolic link as a
 * link (never followed); sockets, pipes and devices are no site's files and are left behind.
 * Where the build wrote something at the same path, the build's wins and the path is reported;
 * folders on both sides are merged.
 */
export async function carryOver(live: string, staging: string, owner: Ownership): Promise<CarriedOver> {
  const kept: string[] = [];
  const replaced: string[] = [];
  const visit = async (rel: string): Promise<void> => {
    for (const entry of await readdir(join(live, rel), { withFileTypes: true }).catch(() => [])) {
      const path = joinRel(rel, entry.name);
      if (owner.ours(path)) continue;
      const there = await lstatOrNull(join(staging, path));
      const folder = entry.isDirectory();
      if (there) {
        if (folder && there.isDirectory()) await visit(path);
        else replaced.push(path);
      } else if (folder && owner.holdsOurs(path)) {
        const before = kept.length;
        await visit(path);
        // A folder made for what was carried into it gets the mode it had.
        if (kept.length > before) await chmod(join(staging, path), (await lstat(join(live, path))).mode & 0o7777);
      } else if (await copyEntry(join(live, path), join(staging, path))) kept.push(path);
    }
  };
  await visit("");
  return { kept, replaced };
}

async function copyEntry(from: string, to: string): Promise<boolean> {
  const info = await lstat(from);
  await mkdir(dirname(to), { recursive: true });
  if (info.isSymbolicLink()) await symlink(await readlink(from), to);
  else if (info.isFile()) {
    await link(from, to).catch(async () => {
      await copyFile(from, to);
      await chmod(to, info.mode & 0o7777);
      await utimes(to, info.atime, info.mtime);
    });
  } else if (info.isDirectory()) {
    await mkdir(to);
    for (const name of await readdir(from)) await copyEntry(join(from, name), join(to, name));
    await chmod(to, info.mode & 0o7777);
  } else return false;
  return true;
}

/**
 * What a finished full build wrote: every file of its staging folder but the carried-over ones,
 * a folder `whole` says of listed as one path.
 */
export async function writtenIn(
  staging: string,
  kept: Iterable<string>,
  whole: (rel: string) => boolean,
): Promise<WrittenFiles> {
  const skip = new Set(kept);
  const out = new WrittenFiles();
  const visit = async (rel: string): Promise<void> => {
    for (const entry of await readdir(join(staging, rel), { withFileTypes: true })) {
      const path = joinRel(rel, entry.name);
      if (skip.has(path)) continue;
      if (entry.isDirectory() && !whole(path)) await visit(path);
      else out.add(path);
    }
  };
  await visit("");
  return out;
}

/**
 * The record after an incremental publish: the previous one, with what this build staged (a file
 * the live site holds outside the record is the reader's, replaced: reported) and without what it
 * removes.
 */
export async function updateWritten(
  staged: StagedDir,
  written: WrittenFiles,
  whole: (rel: string) => boolean,
): Promise<{ replaced: string[] }> {
  const live = staged.live!;
  const replaced: string[] = [];
  const visit = async (rel: string): Promise<void> => {
    for (const entry of await readdir(join(staged.staging, rel), { withFileTypes: true }).catch(() => [])) {
      const path = joinRel(rel, entry.name);
      if (entry.isDirectory() && !whole(path)) {
        await visit(path);
        continue;
      }
      if (!written.has(path) && (await lstatOrNull(join(live, path)))) replaced.push(path);
      written.add(path);
    }
  };
  await visit("");
  for (const rel of staged.removed) written.delete(rel);
  return { replaced };
}
