/**
 * How a message names this program for the reader to call it again from the current folder: the
 * one home of that prefix for every command line a message suggests (`commandLine` in
 * format/command.ts takes it from here) and for the lines the demo leaves behind (its closing
 * lines, its config's comment, its marker and the sentence `run`, `backfill` and `doctor` say in
 * its folder).
 */
import { readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/** The two ways this program is called: through npx from a project that has it, or installed. */
export type SelfCommand = "npx arxiv-digest" | "arxiv-digest";

/** The program's name, as a bin of the package and of a project that depends on it. */
const BIN_NAME = "arxiv-digest";

function isFile(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isFile() === true;
}

function isFolder(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() === true;
}

/** `dir` and each folder above it, up to the root. */
function* upFrom(dir: string): Generator<string> {
  for (let p = resolve(dir); ; p = dirname(p)) {
    yield p;
    if (dirname(p) === p) return;
  }
}

/**
 * The folder npm takes as the project of `dir` (its local prefix): the nearest one, `dir` itself
 * or a folder above it, that holds a package.json or a node_modules folder; `dir` when none does.
 */
export function npmProjectOf(dir: string): string {
  for (const p of upFrom(dir)) if (isFile(join(p, "package.json")) || isFolder(join(p, "node_modules"))) return p;
  return resolve(dir);
}

/** Whether the package.json in `dir` gives a bin named arxiv-digest (a clone of this project). */
function ownsBin(dir: string): boolean {
  let pkg: { name?: unknown; bin?: unknown };
  try {
    pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as typeof pkg;
  } catch {
    return false; // No package.json here, or not one npm can read either.
  }
  if (typeof pkg.bin === "string")
    return typeof pkg.name === "string" && pkg.name.replace(/^@[^/]*\//, "") === BIN_NAME;
  return typeof pkg.bin === "object" && pkg.bin !== null && Object.hasOwn(pkg.bin, BIN_NAME);
}

/**
 * Whether `npx arxiv-digest`, typed in `dir`, finds this program without asking the registry, by
 * npm's own rule (npm exec): the project of `dir` (`npmProjectOf`) is a clone whose package.json
 * gives the bin, or a node_modules/.bin/arxiv-digest is in that project's folder or one above it
 * (a project that depends on the package, from any of its subfolders). Elsewhere a bare
 * `npx arxiv-digest` would fetch whatever the registry has under that name.
 */
export function npxFinds(dir: string): boolean {
  const project = npmProjectOf(dir);
  if (ownsBin(project)) return true;
  for (const p of upFrom(project)) if (isFile(join(p, "node_modules", ".bin", BIN_NAME))) return true;
  return false;
}

/**
 * `npx arxiv-digest` where npx finds it from `cwd` without the registry (`npxFinds`: a clone of
 * the project or a project that depends on it, or a subfolder of either; after `npm ci` there is no
 * `arxiv-digest` on the PATH), or when this process was itself started by npx or `npm exec`
 * (`env.npm_command` is `exec`), which then works from here again; else the installed command.
 */
export function selfCommand(cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): SelfCommand {
  return env.npm_command === "exec" || npxFinds(cwd) ? "npx arxiv-digest" : "arxiv-digest";
}

/**
 * The prefix this process's messages give a suggested command: `arxiv-digest` until the CLI names
 * where it was started (`callSelfFrom`), so library use and in-process tests keep the plain name.
 */
let current: SelfCommand = "arxiv-digest";

/** How this process's messages call the program (`selfCommand` of where the CLI was started). */
export function shownSelfCommand(): SelfCommand {
  return current;
}

/**
 * Set once by the CLI before it parses a command: every command line a message suggests then
 * starts as the reader calls the program from `cwd`, the folder they typed theirs in, given how
 * the process was started (`env`).
 */
export function callSelfFrom(cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): SelfCommand {
  current = selfCommand(cwd, env);
  return current;
}
