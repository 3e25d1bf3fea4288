/**
 * Files that must never be seen half-written (archive days, caches, manifests), and JSON files
 * read through a schema. One home for both, so every write is atomic the same way: a unique
 * temp file beside the target, fsync, rename.
 */
import { isAscii, isUtf8 } from "node:buffer";
import { randomBytes } from "node:crypto";
import { closeSync, fstatSync, fsyncSync, openSync, readSync, writeSync } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
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

/** Where readBytes reads files: reused, since a site build reads the whole archive one file after another. */
let readBuffer = Buffer.alloc(1 << 20);

/**
 * A file's bytes, synchronously (a read through the thread pool costs several calls, each more
 * than the read itself), in a buffer that the next call reuses.
 */
function readBytes(path: string): Buffer {
  const fd = openSync(path, "r");
  try {
    let length = 0;
    for (let size = fstatSync(fd).size; ; size = length * 2) {
      if (size + 1 > readBuffer.length) {
        const bigger = Buffer.alloc(size + 1);
        readBuffer.copy(bigger, 0, 0, length);
        readBuffer = bigger;
      }
      // One byte more than the size said, to see the end of a file that grew meanwhile.
      while (length < readBuffer.length) {
        const read = readSync(fd, readBuffer, length, readBuffer.length - length, null);
        if (read === 0) return readBuffer.subarray(0, length);
        length += read;
      }
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads and validates a JSON file. A missing file and a damaged one are told apart, so a cache
 * can treat both as a miss while the archive names the damaged file.
 */
export async function readJsonFile<S extends z.ZodType>(schema: S, path: string): Promise<JsonRead<z.infer<S>>> {
  let bytes: Buffer;
  try {
    bytes = readBytes(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return { kind: "missing" };
    return { kind: "unparsable", problem: (err as Error).message };
  }
  let json: unknown;
  try {
    json = parseJson(bytes);
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

/**
 * JSON.parse of UTF-8 bytes, as of their decoded text. Most JSON a build reads is ASCII but for a
 * few names and symbols, and decoding it whole makes a string of two bytes a character, which
 * costs about twice as much to make (and to keep) as one of one byte. So the few non-ASCII
 * characters are written as JSON escapes instead, which JSON.parse turns back into the same
 * characters, and the rest is taken byte for byte. Only for text this cannot change: valid UTF-8
 * whose non-ASCII characters follow no escaping backslash; a text JSON.parse refuses is parsed
 * again as decoded, so its error is the usual one.
 */
export function parseJson(bytes: Buffer): unknown {
  const text = asciiJson(bytes);
  if (text !== null) {
    try {
      return JSON.parse(text);
    } catch {
      // The error of the decoded text follows.
    }
  }
  return JSON.parse(bytes.toString("utf8"));
}

/** Blocks of bytes checked at once for anything not ASCII. */
const ASCII_BLOCK = 1024;
/** Where asciiJson puts the escaped text together: reused, so each call makes one new string only. */
let escaped = Buffer.alloc(1 << 20);

function asciiJson(bytes: Buffer): string | null {
  if (isAscii(bytes)) return bytes.toString("latin1");
  if (!isUtf8(bytes)) return null;
  let length = 0;
  const room = (n: number) => {
    if (length + n <= escaped.length) return;
    const bigger = Buffer.alloc(Math.max(escaped.length * 2, length + n));
    escaped.copy(bigger, 0, 0, length);
    escaped = bigger;
  };
  let at = 0;
  for (let block = 0; block < bytes.length; block += ASCII_BLOCK) {
    const end = Math.min(block + ASCII_BLOCK, bytes.length);
    if (isAscii(bytes.subarray(block, end))) continue;
    for (let i = Math.max(block, at); i < end; i++) {
      if (bytes[i]! < 0x80) continue;
      // A run of non-ASCII bytes: whole characters, since the text is valid UTF-8.
      let run = i + 1;
      while (run < bytes.length && bytes[run]! >= 0x80) run++;
      let backslashes = 0;
      while (bytes[i - backslashes - 1] === 0x5c) backslashes++;
      if (backslashes % 2 === 1) return null;
      const chars = bytes.toString("utf8", i, run);
      room(i - at + chars.length * 6);
      length += bytes.copy(escaped, length, at, i);
      for (let c = 0; c < chars.length; c++) {
        length += escaped.write(`\\u${chars.charCodeAt(c).toString(16).padStart(4, "0")}`, length, "latin1");
      }
      at = run;
      i = run - 1;
    }
  }
  room(bytes.length - at);
  length += bytes.copy(escaped, length, at, bytes.length);
  return escaped.toString("latin1", 0, length);
}

/** The value, or null when the file is missing or damaged: for caches, which only save work. */
export async function readJsonOrNull<S extends z.ZodType>(schema: S, path: string): Promise<z.infer<S> | null> {
  const read = await readJsonFile(schema, path);
  return read.kind === "ok" ? read.value : null;
}
