/**
 * The one home of "what is at this path, and may we write there": whether a path the user named
 * is a folder, a file or nothing; making a folder where a file stands, or under one, as a sentence
 * instead of EEXIST / ENOTDIR; and which paths a workspace owns, so an output folder (the site's,
 * the demo's) never is, holds or lies inside the workspace's own files.
 */
import { statSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, normalize, relative, sep } from "node:path";
import { UserError } from "../model/errors.js";

/** A path the user named cannot be used as given (missing, a file where a folder goes, inside the workspace). */
export class PathError extends UserError {
  override name = "PathError";
}

/**
 * What a workspace holds of its own, by name relative to the workspace folder. An output folder is
 * never one of these, inside one, or a folder that holds them.
 */
export const WORKSPACE_ENTRIES = {
  config: "arxiv-digest.yaml",
  authors: "authors.txt",
  prompts: "prompts",
  archive: "archive",
  feedback: "feedback.jsonl",
  cache: ".cache",
  env: ".env",
  github: ".github",
} as const;

/**
 * The build state of a site folder: a hidden sibling (`site` → `.site-state`), outside what is
 * served or uploaded, on the same file system so it is swapped in by rename like the site.
 */
export function stateDirOf(outDir: string): string {
  return join(dirname(outDir), `.${basename(outDir)}-state`);
}

/** What is at `path`, following symlinks: nothing, a folder, or something else (a file, a socket…). */
export function pathKind(path: string): "missing" | "folder" | "file" {
  try {
    return statSync(path).isDirectory() ? "folder" : "file";
  } catch {
    return "missing";
  }
}

/** An existing folder, or a PathError: `what` names it (`--labels /x`), `fix` says what to give instead. */
export function requireFolder(path: string, what: string, fix: string): void {
  const kind = pathKind(path);
  if (kind === "missing") throw new PathError(`${what} does not exist; ${fix}.`);
  if (kind === "file") throw new PathError(`${what} is a file, not a folder; ${fix}.`);
}

/** An existing file, or a PathError: `what` names it, `fix` says what to give instead. */
export function requireFile(path: string, what: string, fix: string): void {
  const kind = pathKind(path);
  if (kind === "missing") throw new PathError(`${what} does not exist; ${fix}.`);
  if (kind === "folder") throw new PathError(`${what} is a folder, not a file; ${fix}.`);
}

/** A folder that need not exist yet (an output folder): a file in its place is a PathError. */
export function refuseFile(path: string, what: string, fix: string): void {
  if (pathKind(path) === "file") throw new PathError(`${what} is a file, not a folder; ${fix}.`);
}

/**
 * Makes the folder `path` (and its parents). A file at `path`, or in place of one of its parents,
 * is a PathError naming it, not a raw EEXIST / ENOTDIR.
 */
export async function makeFolder(path: string, what: string, fix: string): Promise<void> {
  refuseFile(path, what, fix);
  await mkdir(path, { recursive: true }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === "EEXIST" || err.code === "ENOTDIR")
      throw new PathError(`${what} cannot be made: part of that path is a file, not a folder; ${fix}.`);
    throw err;
  });
}

/**
 * Why `outDir` may not be an output folder of the workspace in `workspaceDir`, as the end of a
 * sentence ("is the workspace itself"), or null when it may. Lexical: both paths absolute, or both
 * relative to the same folder. `outside` says whether a folder outside the workspace is allowed
 * (the command line's `--out /var/www`) or not (the config's `site.outDir`).
 */
export function workspaceClash(outDir: string, workspaceDir: string, outside: "allowed" | "refused"): string | null {
  const rel = relative(workspaceDir, outDir);
  if (rel === "") return "is the workspace itself";
  const parts = rel.split(sep);
  // Only ".." steps: a folder the workspace is in, which a full build would replace whole.
  if (parts.every((p) => p === "..")) return "holds the workspace";
  if (parts[0] === ".." || isAbsolute(rel)) return outside === "allowed" ? null : "is outside the workspace";
  const first = parts[0]!.toLowerCase();
  const own = Object.values(WORKSPACE_ENTRIES).find((name) => name.toLowerCase() === first);
  if (!own) return null;
  return parts.length === 1 ? `is the workspace's own ${own}` : `is inside the workspace's own ${own}`;
}

/**
 * The config's `site.outDir`: a relative path that stays inside the workspace and clashes with
 * none of its own files. The reason as the end of a sentence, or null when it is fine.
 */
export function configOutDirProblem(outDir: string): string | null {
  if (outDir.trim() === "") return "is empty";
  if (isAbsolute(outDir)) return "must be a path relative to the workspace (the command line's --out builds elsewhere)";
  // Lexical: the workspace is wherever the config is. Once normalized, a path leaves it only by
  // leading ".." steps; past those it is a path under a stand-in root.
  const path = normalize(outDir);
  const parts = path.split(sep).filter((p) => p !== "");
  if (parts[0] === "..") return parts.every((p) => p === "..") ? "holds the workspace" : "is outside the workspace";
  const root = `${sep}workspace`;
  return workspaceClash(`${root}${sep}${path}`, root, "refused");
}
