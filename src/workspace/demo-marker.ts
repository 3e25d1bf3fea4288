/**
 * The file `arxiv-digest demo` leaves in its folder, `.arxiv-digest-demo`: it records a digest of
 * each workspace file the demo wrote, by which a later demo rewrites only those, unchanged, and
 * `run` and `backfill` fetch nothing into a folder whose config is still the demo's. `init` over
 * the folder removes it, which makes the folder the user's workspace.
 */

import { closeSync, constants, fstatSync, lstatSync, openSync, readFileSync, readSync, type Stats } from "node:fs";
import { unlink } from "node:fs/promises";
import { join } from "node:path";
import { ConfigError } from "../config/parse.js";
import { commandLine } from "../format/command.js";
import { sha256 } from "../io/hash.js";
import { type SelfCommand, selfCommand } from "../io/self-command.js";
import { CONFIG_FILE, type Workspace } from "./load.js";

export const DEMO_MARKER = ".arxiv-digest-demo";

/** A marker is a few lines: anything larger under that name is not one, and is never read whole. */
const MARKER_MAX_BYTES = 4096;

/** How every marker the demo wrote begins, the first versions' (no digests) included. */
const MARKER_OPENING = "Written by `arxiv-digest demo`";

/**
 * What the folder holds under the marker's name: nothing; the demo's marker with the digests it
 * records by file (none in a marker of the first versions); or something else, and what it is.
 */
export type DemoMarker =
  | { kind: "missing" }
  | { kind: "marker"; digests: ReadonlyMap<string, ReadonlySet<string>> }
  | { kind: "foreign"; what: string };

/** What a non-regular entry is, as the end of "the .arxiv-digest-demo there …". */
function entryKind(stats: Stats): string {
  if (stats.isSymbolicLink()) return "is a symbolic link";
  if (stats.isDirectory()) return "is a folder";
  return "is not a regular file (a pipe, a socket or a device)";
}

/**
 * Reads the marker in `dir` without trusting the name: only a regular file (not a link, a pipe or
 * a device, which could block or never end) of at most 4 KB is read, opened without following a
 * link and without waiting, and at most that many bytes are taken.
 */
export function readDemoMarker(dir: string): DemoMarker {
  const path = join(dir, DEMO_MARKER);
  let stats: Stats | undefined;
  try {
    stats = lstatSync(path, { throwIfNoEntry: false });
  } catch (err) {
    return { kind: "foreign", what: `cannot be read (${(err as NodeJS.ErrnoException).code ?? "error"})` };
  }
  if (stats === undefined) return { kind: "missing" };
  if (!stats.isFile()) return { kind: "foreign", what: entryKind(stats) };
  const tooLarge = { kind: "foreign", what: `is larger than ${MARKER_MAX_BYTES / 1024} KB` } as const;
  if (stats.size > MARKER_MAX_BYTES) return tooLarge;
  let text: string;
  try {
    const fd = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
    try {
      const opened = fstatSync(fd);
      if (!opened.isFile()) return { kind: "foreign", what: entryKind(opened) };
      const buffer = Buffer.alloc(MARKER_MAX_BYTES + 1);
      const read = readSync(fd, buffer, 0, buffer.length, 0);
      if (read > MARKER_MAX_BYTES) return tooLarge;
      text = buffer.subarray(0, read).toString("utf8");
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // Replaced by a link between the two looks.
    if (code === "ELOOP") return { kind: "foreign", what: "is a symbolic link" };
    return { kind: "foreign", what: `cannot be read (${code ?? "error"})` };
  }
  if (!text.startsWith(MARKER_OPENING)) return { kind: "foreign", what: "is not the demo's marker" };
  const digests = new Map<string, Set<string>>();
  for (const m of text.matchAll(/^sha256 ([0-9a-f]{64}) {2}(.+)$/gm)) {
    const name = m[2]!;
    digests.set(name, (digests.get(name) ?? new Set()).add(m[1]!));
  }
  return { kind: "marker", digests };
}

/**
 * The marker's text: what it is for, and the digests of each workspace file the demo wrote (more
 * than one for a file while a demo rewrites it: the file it replaces, and what it writes).
 */
export function demoMarkerText(
  files: ReadonlyMap<string, readonly string[]>,
  program: SelfCommand = selfCommand(),
): string {
  return [
    `${MARKER_OPENING}: running the demo again with this folder rewrites what it wrote here.`,
    `While the ${CONFIG_FILE} here is the demo's, \`run\` and \`backfill\` fetch nothing into the folder; \`${program} init\` on the folder makes it your workspace (it removes this file).`,
    "The files the demo wrote, as it wrote them (one changed since is yours: the demo does not overwrite it):",
    ...[...files].flatMap(([name, digests]) => digests.map((digest) => `sha256 ${digest}  ${name}`)),
    "",
  ].join("\n");
}

/**
 * Whether the folder is the demo's: its marker records a digest of the folder's config and the
 * config still matches it. A marker of the first versions (no digests), or beside a config the
 * user wrote or edited, does not make the folder the demo's.
 */
export function isDemoFolder(dir: string): boolean {
  const marker = readDemoMarker(dir);
  if (marker.kind !== "marker") return false;
  const recorded = marker.digests.get(CONFIG_FILE);
  if (recorded === undefined) return false;
  let config: Buffer;
  try {
    config = readFileSync(join(dir, CONFIG_FILE));
  } catch {
    return false;
  }
  return recorded.has(sha256(config));
}

/**
 * The sentence for the demo's folder, where `refused` (`\`run\` fetches nothing into it`) does not
 * happen; null when the folder is not the demo's. It says how to make the folder one's own (`init`
 * on it, which removes the marker, or deleting the marker) and how to make a new workspace.
 */
export function demoFolderSentence(
  ws: Pick<Workspace, "dir" | "named">,
  refused: string,
  program: SelfCommand = selfCommand(),
): string | null {
  if (!isDemoFolder(ws.dir)) return null;
  return `${ws.dir} is the demo's folder (${DEMO_MARKER} marks its ${CONFIG_FILE} as the demo's), so ${refused}: run ${commandLine("init", ws.named, program)} to make it your workspace (it keeps the config and authors.txt and removes ${DEMO_MARKER}), or delete ${DEMO_MARKER}; for a new workspace elsewhere, ${commandLine("init my-digest", undefined, program)}.`;
}

/**
 * The comment the demo writes above its config: whose the file is, what works in the folder, and
 * how to make it one's own, each command as \`program\` calls it (\`selfCommand\` where the demo
 * ran). \`init\` over the folder removes it (\`withoutDemoConfigHeader\`), as it no longer applies.
 */
export function demoConfigHeader(program: SelfCommand): string {
  return `# Written by \`${program} demo\`: the settings it judged its bundled days with, which are the
# defaults \`${program} init\` writes but for the demo's categories and the free offline scorer
# (llm.provider: offline). eval, render, site, serve, doctor and feedback work in this folder;
# run and backfill fetch nothing into it (doctor says so) while ${DEMO_MARKER} says this file
# is the demo's, and the demo, run again with this folder, rewrites this file unless you changed it.
#
# To make this folder your own workspace, run \`${program} init .\` in it: it keeps this file
# and authors.txt, adds the prompts, .gitignore, .env.example and the GitHub Actions workflows,
# and removes ${DEMO_MARKER}. Then set the arXiv categories you read and describe your topics
# below, put your e-mail in arxiv.contact, set llm.provider to auto (the LLM then reads the
# abstracts when OPENAI_API_KEY is set), list the people you follow in authors.txt (it holds the
# demo's five, whose papers come first), and delete archive/ unless the demo's days should stay
# in your digest. For a new workspace elsewhere: \`${program} init my-digest\`.

`;
}

/**
 * \`config\` without the demo's header comment when it begins with that comment exactly as a demo
 * wrote it (either way of calling the program; an earlier version's is the installed command's),
 * else null: a comment the reader changed is theirs, and stays.
 */
export function withoutDemoConfigHeader(config: string): string | null {
  for (const program of ["npx arxiv-digest", "arxiv-digest"] as const) {
    const header = demoConfigHeader(program);
    if (config.startsWith(header)) return config.slice(header.length);
  }
  return null;
}

/** `run` or `backfill` in the demo's folder: it holds the bundled days, not the user's (exit 2). */
export class DemoFolderError extends ConfigError {
  override name = "DemoFolderError";
}

/**
 * Stops a command that would fetch arXiv into the workspace (`run`, `backfill`) when the folder is
 * the demo's, whatever key is set: the demo's config and days are for trying the other commands.
 */
export function refuseDemoFolder(ws: Pick<Workspace, "dir" | "named">, command: string): void {
  const sentence = demoFolderSentence(ws, `\`${command}\` fetches nothing into it`);
  if (sentence !== null) throw new DemoFolderError(sentence);
}

/**
 * `init` over the demo's folder: removes the demo's marker (any version's), so the folder is the
 * user's workspace; anything else under that name is left alone. Whether it removed one.
 */
export async function removeDemoMarker(dir: string): Promise<boolean> {
  if (readDemoMarker(dir).kind !== "marker") return false;
  try {
    await unlink(join(dir, DEMO_MARKER));
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw err;
  }
}
