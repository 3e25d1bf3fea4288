/**
 * Global setup: one temporary folder for the whole test run, removed at its end. Tests make their
 * folders with `os.tmpdir()` (workspaces, caches, sites, installs); pointing TMPDIR here before
 * the test processes start puts all of them under it, so a run leaves nothing behind in the
 * system's temp folder, even from a test that failed before its own clean-up.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), "arxiv-digest-tests-"));
  const before = process.env.TMPDIR;
  process.env.TMPDIR = root;
  return () => {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
    rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  };
}
