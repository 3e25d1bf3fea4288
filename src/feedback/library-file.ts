/**
 * The one read of the file `feedback import` is given, bounded: a library is parsed entry by entry
 * in time linear in its size, but a file of tens of megabytes would still keep the command busy
 * for a long while, so a larger one is refused before a byte of it is read (of a BibTeX file, only
 * the fields the import uses are converted, bounded apart in library.ts). Kept apart from library.ts, which loads the parsers, so that importing our
 * own feedback lines loads none of them.
 */
import { open } from "node:fs/promises";
import { UserError } from "../model/errors.js";

/** The largest file `feedback import` reads: 16 MB, some ten thousand references with their abstracts. */
export const LIBRARY_MAX_BYTES = 16_000_000;

export class LibraryTooLargeError extends UserError {
  override name = "LibraryTooLargeError";
}

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1).replace(/\.0$/, "")} MB`;

/** The text of the file at `path`, which the messages call `shownName`; refused when larger than `maxBytes`. */
export async function readLibraryFile(path: string, shownName: string, maxBytes = LIBRARY_MAX_BYTES): Promise<string> {
  const file = await open(path, "r");
  try {
    const { size } = await file.stat();
    if (size > maxBytes) {
      // "16 MB, more than the 16 MB" says nothing: just past the bound, the size is given in bytes.
      const shown = megabytes(size) === megabytes(maxBytes) ? `${size.toLocaleString("en")} bytes` : megabytes(size);
      throw new LibraryTooLargeError(
        `${shownName} is ${shown}, more than the ${megabytes(maxBytes)} feedback import reads; export your library in parts (a collection or a year at a time) and import each.`,
      );
    }
    return await file.readFile("utf8");
  } finally {
    await file.close();
  }
}
