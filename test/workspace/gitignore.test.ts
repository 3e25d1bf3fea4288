/** The .gitignore `init` writes keeps what a killed run leaves (temp files, the lock) out of commits. */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { initWorkspace } from "../../src/workspace/init.js";

it("init's .gitignore ignores temp files and the workspace lock", async () => {
  const dir = await mkdtemp(join(tmpdir(), "arxiv-digest-gitignore-"));
  try {
    await initWorkspace(dir);
    const lines = (await readFile(join(dir, ".gitignore"), "utf8")).split("\n");
    expect(lines).toEqual(expect.arrayContaining(["*.tmp", ".arxiv-digest.lock*"]));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
