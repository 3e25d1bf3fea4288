import { execFileSync } from "node:child_process";
import { createWriteStream, mkdtempSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LibraryTooLargeError, readLibraryFile } from "../../src/feedback/library-file.js";
import { UserError } from "../../src/model/errors.js";

describe("the bounded read of an imported file", () => {
  const dir = mkdtempSync(join(tmpdir(), "ad-library-file-"));

  it("reads a file up to the bound, and refuses a larger one naming it and its size", async () => {
    const path = join(dir, "lib.bib");
    writeFileSync(path, "@misc{a, title={T}}\n");
    expect(await readLibraryFile(path, "lib.bib", 20)).toBe("@misc{a, title={T}}\n");
    truncateSync(path, 2_500_000);
    const refused = readLibraryFile(path, "lib.bib", 1_000_000);
    await expect(refused).rejects.toBeInstanceOf(LibraryTooLargeError);
    await expect(refused).rejects.toBeInstanceOf(UserError);
    await expect(refused).rejects.toThrow(/^lib\.bib is 2\.5 MB, more than the 1 MB feedback import reads; /);
  });

  it("gives the size in bytes when it would read as the bound itself", async () => {
    const path = join(dir, "edge.bib");
    writeFileSync(path, "");
    truncateSync(path, 1_000_001);
    await expect(readLibraryFile(path, "edge.bib", 1_000_000)).rejects.toThrow(
      "edge.bib is 1,000,001 bytes, more than the 1 MB feedback import reads",
    );
  });

  it("reads a device or a pipe no further than one byte past the bound, and refuses it naming it and the bound", async () => {
    await expect(readLibraryFile("/dev/zero", "zeros", 1_000_000)).rejects.toThrow(
      /^zeros holds more than the 1 MB feedback import reads \(it was still growing, or is a pipe or a device\); export your library in parts/,
    );
    const fifo = join(dir, "lib.fifo");
    execFileSync("mkfifo", [fifo]);
    const write = (text: string) => {
      const out = createWriteStream(fifo);
      out.on("error", () => {}); // the reader may close first
      out.end(text);
    };
    write("@misc{a, title={T}}\n");
    expect(await readLibraryFile(fifo, "lib.fifo", 1_000)).toBe("@misc{a, title={T}}\n");
    write("x".repeat(5_000));
    await expect(readLibraryFile(fifo, "lib.fifo", 1_000)).rejects.toBeInstanceOf(LibraryTooLargeError);
  });

  it("gives the whole text of a file that fits, read in more than one chunk, characters cut at a chunk's edge included", async () => {
    const path = join(dir, "long.bib");
    const text = `@misc{a, title={${"Schrödinger ".repeat(200_000)}}}\n`;
    writeFileSync(path, text);
    expect(await readLibraryFile(path, "long.bib")).toBe(text);
  });
});
