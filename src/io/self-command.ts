/**
 * How a message names this program for the reader to call it again from the current folder: the
 * one home of that prefix for every command line a message suggests (`commandLine` in
 * format/command.ts takes it from here) and for the lines the demo leaves behind (its closing
 * lines, its config's comment, its marker and the sentence `run`, `backfill` and `doctor` say in
 * its folder).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** The two ways this program is called: through npx from a project that has it, or installed. */
export type SelfCommand = "npx arxiv-digest" | "arxiv-digest";

/**
 * `npx arxiv-digest` where npx finds it without the registry (a clone of the project, or a project
 * that depends on it: after `npm ci` there is no `arxiv-digest` on the PATH), else the installed
 * command. A bare `npx arxiv-digest` elsewhere would fetch whatever the registry has under that name.
 */
export function selfCommand(cwd = process.cwd()): SelfCommand {
  if (existsSync(join(cwd, "node_modules", ".bin", "arxiv-digest"))) return "npx arxiv-digest";
  try {
    const pkg = JSON.parse(readFileSync(join(cwd, "package.json"), "utf8")) as { name?: unknown };
    if (pkg.name === "arxiv-digest") return "npx arxiv-digest";
  } catch {
    // No package.json here, or not one we can read: not a clone.
  }
  return "arxiv-digest";
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
 * starts as the reader calls the program from `cwd`, the folder they typed theirs in.
 */
export function callSelfFrom(cwd = process.cwd()): SelfCommand {
  current = selfCommand(cwd);
  return current;
}
