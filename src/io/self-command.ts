/**
 * How a message names this program for the reader to call it again from the current folder: the
 * one home of that prefix for every command line a message suggests (`commandLine` in
 * format/command.ts takes it from here) and for the lines the demo leaves behind (its closing
 * lines, its config's comment, its marker and the sentence `run`, `backfill` and `doctor` say in
 * its folder).
 */
import { readFileSync, realpathSync, statSync } from "node:fs";
import { dirname, join, posix, resolve } from "node:path";
import { fileURLToPath } from "node:url";

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

/** The file `path` is once every symlink on the way is followed; undefined when there is none. */
function realFile(path: string): string | undefined {
  try {
    const real = realpathSync(path);
    return isFile(real) ? real : undefined;
  } catch {
    return undefined; // Missing, or a symlink to nothing.
  }
}

/** `dir` and each folder above it, up to the root. */
function* upFrom(dir: string): Generator<string> {
  for (let p = resolve(dir); ; p = dirname(p)) {
    yield p;
    if (dirname(p) === p) return;
  }
}

/**
 * The package this code belongs to, as it is on disk (symlinks followed): two folders above this
 * module, which is src/io/self-command.ts in a clone and dist/io/self-command.js in a build, and
 * so the package whose bin started the process, however it was reached (npx, an installed link,
 * `node /abs/bin/arxiv-digest.js`).
 */
export function runningProgramRoot(): string {
  const root = fileURLToPath(new URL("../..", import.meta.url));
  try {
    return realpathSync(root);
  } catch {
    return resolve(root);
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

/**
 * The file the package.json in `dir` gives as its bin named arxiv-digest, as npm reads it (a
 * string bin is named after the package, its scope dropped; a target cannot leave the package);
 * undefined when it gives none (no package.json, one npm cannot read, another project's).
 */
function declaredBin(dir: string): string | undefined {
  let pkg: { name?: unknown; bin?: unknown };
  try {
    pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as typeof pkg;
  } catch {
    return undefined;
  }
  let target: unknown;
  if (typeof pkg.bin === "string") {
    if (typeof pkg.name === "string" && pkg.name.replace(/^@[^/]*\//, "") === BIN_NAME) target = pkg.bin;
  } else if (typeof pkg.bin === "object" && pkg.bin !== null && Object.hasOwn(pkg.bin, BIN_NAME)) {
    target = (pkg.bin as Record<string, unknown>)[BIN_NAME];
  }
  if (typeof target !== "string") return undefined;
  return join(dir, posix.join("/", target.replaceAll("\\", "/")).slice(1));
}

/**
 * What `npx arxiv-digest`, typed in `dir`, runs without asking the registry, by npm's own rule
 * (npm exec): the bin the package.json of the project of `dir` (`npmProjectOf`) gives, when it
 * gives one (a clone), else the first node_modules/.bin/arxiv-digest in that project's folder or
 * one above it (a project that depends on the package, from any of its subfolders). Undefined
 * where npx would look further: a global install, else whatever the registry has under that name.
 */
export function npxLocalBin(dir: string): string | undefined {
  const project = npmProjectOf(dir);
  const own = declaredBin(project);
  if (own !== undefined) return own;
  for (const p of upFrom(project)) {
    const bin = join(p, "node_modules", ".bin", BIN_NAME);
    if (isFile(bin)) return bin;
  }
  return undefined;
}

/**
 * Whether `npx arxiv-digest` typed in `dir` runs this very program without the registry: what
 * npx finds there (`npxLocalBin`) is, symlinks followed, the bin of the package at `self` (the
 * running program's, `runningProgramRoot`). A package.json that only names the project, or a
 * node_modules/.bin/arxiv-digest that leads to another script, is not this program.
 */
export function npxFinds(dir: string, self = runningProgramRoot()): boolean {
  const found = npxLocalBin(dir);
  if (found === undefined) return false;
  const ours = declaredBin(self);
  const real = realFile(found);
  return ours !== undefined && real !== undefined && real === realFile(ours);
}

/**
 * `npx arxiv-digest` where npx runs this program from `cwd` without the registry (`npxFinds`: a
 * clone of the project or a project that depends on it, or a subfolder of either; after `npm ci`
 * there is no `arxiv-digest` on the PATH); else, where npx finds nothing of its own in `cwd`, when
 * this process was itself started by npx or `npm exec` (`env.npm_command` is `exec`), whose
 * search from here ends where it did; else the installed command, also where npx would find
 * another program than this one (`self`, the running program's package).
 */
export function selfCommand(
  cwd = process.cwd(),
  env: NodeJS.ProcessEnv = process.env,
  self = runningProgramRoot(),
): SelfCommand {
  if (npxLocalBin(cwd) !== undefined) return npxFinds(cwd, self) ? "npx arxiv-digest" : "arxiv-digest";
  return env.npm_command === "exec" ? "npx arxiv-digest" : "arxiv-digest";
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
