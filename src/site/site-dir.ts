/**
 * The output folder is replaced, never edited in place: a build writes a fresh sibling folder
 * and swaps it in by rename once it is complete. A crash at any point leaves the previous site
 * where it was (or, between the two renames, beside it, where the next build puts it back).
 */

import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFile, link, mkdir, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
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
 * outDir never replaces someone's files. `what` names the folder in the message.
 */
export async function checkOutDir(outDir: string, ours: readonly string[], what = "site.outDir"): Promise<void> {
  const entries: string[] = await readdir(outDir).catch(() => []);
  if (entries.length > 0 && !entries.some((e) => ours.includes(e))) {
    throw new SiteConfigError(
      `${what} ${outDir} already holds files that the site build did not write; point site.outDir at a new or empty directory.`,
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

/** Removes a folder tree: `rm -rf` where there is one (a site has thousands of files), else fs.rm. */
export async function removeTree(dir: string): Promise<void> {
  await new Promise<void>((ok) => execFile("rm", ["-rf", "--", dir], () => ok()));
  await rm(dir, { recursive: true, force: true });
}

/**
 * Mirrors `from` into `to` with hard links, by GNU `cp -al` where there is one (one process,
 * far fewer round trips than a link call per file from here), else file by file.
 */
export async function linkSite(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  const done = await new Promise<boolean>((ok) => {
    execFile("cp", ["-al", "--", `${from}/.`, to], (error) => ok(error === null));
  });
  if (!done) await linkTree(from, to);
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
 * Writes a file of a staging folder by rename, so a hard link it replaces (shared with the live
 * site) is never written through.
 */
export async function replaceFile(file: string, content: string | Uint8Array, made?: Set<string>): Promise<void> {
  const dir = dirname(file);
  if (!made?.has(dir)) {
    await mkdir(dir, { recursive: true });
    made?.add(dir);
  }
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, content);
  await rename(temp, file);
}
