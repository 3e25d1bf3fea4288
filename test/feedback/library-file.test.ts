import { mkdtempSync, truncateSync, writeFileSync } from "node:fs";
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
});
