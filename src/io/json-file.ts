/**
 * Files that must never be seen half-written (archive days, caches, manifests), and JSON files
 * read through a schema. One home for both, so every write is atomic the same way: a unique
 * temp file beside the target, fsync, rename.
 */
import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, openSync, writeSync } from "node:fs";
import { mkdir, readFile, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";
import type * as z from "zod";

/** Writes `text` to `path` so that readers see either the old file or the whole new one. */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    const fd = openSync(tmp, "w");
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

export async function writeJsonAtomic(path: string, value: unknown, indent?: number): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(value, null, indent)}\n`);
}

export type JsonRead<T> =
  | { kind: "ok"; value: T }
  | { kind: "missing" }
  /** Unreadable or not JSON at all. */
  | { kind: "unparsable"; problem: string }
  /** JSON of the wrong shape; `problem` names the first invalid field. */
  | { kind: "invalid"; problem: string };

/**
 * Reads and validates a JSON file. A missing file and a damaged one are told apart, so a cache
 * can treat both as a miss while the archive names the damaged file.
 */
export async function readJsonFile<S extends z.ZodType>(schema: S, path: string): Promise<JsonRead<z.infer<S>>> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return { kind: "missing" };
    return { kind: "unparsable", problem: (err as Error).message };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { kind: "unparsable", problem: (err as Error).message };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { kind: "invalid", problem: `${issue?.path.join(".") || "(root)"}: ${issue?.message ?? "invalid"}` };
  }
  return { kind: "ok", value: parsed.data };
}

/** The value, or null when the file is missing or damaged: for caches, which only save work. */
export async function readJsonOrNull<S extends z.ZodType>(schema: S, path: string): Promise<z.infer<S> | null> {
  const read = await readJsonFile(schema, path);
  return read.kind === "ok" ? read.value : null;
}
