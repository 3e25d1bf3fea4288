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
 */

import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { copyFile, link, mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
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
