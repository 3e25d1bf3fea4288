/**
 * Global setup: one temporary folder for the whole test run, removed at its end. Tests make their
 * folders with `os.tmpdir()` (workspaces, caches, sites, installs); pointing TMPDIR here before
 * the test processes start puts all of them under it, so a run leaves nothing behind in the
 * system's temp folder, even from a test that failed before its own clean-up.
 *
 * Each project of the run calls this; the first makes the folder and the others keep it, so paths
 * stay short (Chromium's profile socket must fit a Unix socket path, about 100 bytes).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const MARK = "ARXIV_DIGEST_TEST_TMP";

export function setup(): () => void {
  if (process.env[MARK] !== undefined && process.env[MARK] === process.env.TMPDIR) return () => {};
  const root = mkdtempSync(join(tmpdir(), "ad-tests-"));
  const before = process.env.TMPDIR;
  process.env.TMPDIR = root;
  process.env[MARK] = root;
  return () => {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
    delete process.env[MARK];
    rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  };
}
