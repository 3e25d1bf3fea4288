/**
 * The one read of the file `feedback import` is given, bounded: a library is parsed entry by entry
 * in time linear in its size, but a file of tens of megabytes would still keep the command busy
 * for a long while, so a larger one is refused (of a BibTeX file, only the fields the import uses
 * are converted, bounded apart in library.ts). The bound holds for any kind of file: a regular
 * file larger than it is refused before a byte is read, and every file (one that grows while it
 * is read, a pipe such as `<(zcat lib.bib.gz)`, a device) is read in chunks, at most one byte past
 * the bound, and refused when it fills. Kept apart from library.ts, which loads the parsers, so
 * that importing our own feedback lines loads none of them.
 */
import { open } from "node:fs/promises";
import { UserError } from "../model/errors.js";

/** The largest file `feedback import` reads: 16 MB, some ten thousand references with their abstracts. */
export const LIBRARY_MAX_BYTES = 16_000_000;

export class LibraryTooLargeError extends UserError {
  override name = "LibraryTooLargeError";
}

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1).replace(/\.0$/, "")} MB`;

/** The most read at once: a pipe gives at most 64 KB a read, a file as much as asked. */
const CHUNK_BYTES = 1 << 20;

/**
 * The text of the file at `path`, which the messages call `shownName` (a device or a pipe
 * `typedName`: `/dev/stdin` says more than "stdin"); refused when larger than `maxBytes`.
 */
export async function readLibraryFile(
  path: string,
  shownName: string,
  maxBytes = LIBRARY_MAX_BYTES,
  typedName = shownName,
): Promise<string> {
  const advice = "export your library in parts (a collection or a year at a time) and import each.";
  const file = await open(path, "r");
  try {
    const stat = await file.stat();
    if (stat.isFile() && stat.size > maxBytes) {
      // "16 MB, more than the 16 MB" says nothing: just past the bound, the size is given in bytes.
      const size = stat.size;
      const shown = megabytes(size) === megabytes(maxBytes) ? `${size.toLocaleString("en")} bytes` : megabytes(size);
      throw new LibraryTooLargeError(
        `${shownName} is ${shown}, more than the ${megabytes(maxBytes)} feedback import reads; ${advice}`,
      );
    }
    const chunks: Buffer[] = [];
    let total = 0;
    // One byte past the bound tells a file that fills it from one that is longer.
    while (total <= maxBytes) {
      const room = Math.min(CHUNK_BYTES, maxBytes + 1 - total);
      const chunk = Buffer.allocUnsafe(room);
      const { bytesRead } = await file.read(chunk, 0, room, null);
      if (bytesRead === 0) break;
      chunks.push(bytesRead === room ? chunk : chunk.subarray(0, bytesRead));
      total += bytesRead;
    }
    if (total > maxBytes)
      throw new LibraryTooLargeError(
        `${stat.isFile() ? shownName : typedName} holds more than the ${megabytes(maxBytes)} feedback import reads (it was still growing, or is a pipe or a device); ${advice}`,
      );
    return Buffer.concat(chunks, total).toString("utf8");
  } finally {
    await file.close();
  }
}
