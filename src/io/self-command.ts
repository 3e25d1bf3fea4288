/**
 * How a message names this program for the reader to call it again from the current folder: the
 * one home of that prefix for the lines the demo leaves behind (its closing lines, its config's
 * comment, its marker and the sentence `run`, `backfill` and `doctor` say in its folder).
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
