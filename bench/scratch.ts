/**
 * Scratch folders for the benches: made under the system's temporary folder and removed when the
 * bench is done with them, and also when it stops early (an error, Ctrl-C, a `| head` that closes
 * its output), so an interrupted run leaves no archive of hundreds of megabytes behind.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const live = new Set<string>();

/** A new empty folder named `prefix…`, removed at exit if `removeScratch` has not removed it yet. */
export function scratchDir(prefix: string): string {
  watchExit();
  const dir = mkdtempSync(join(tmpdir(), prefix));
  live.add(dir);
  return dir;
}

/** Removes a scratch folder now. */
export function removeScratch(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  live.delete(dir);
}

let watching = false;
function watchExit() {
  if (watching) return;
  watching = true;
  process.on("exit", () => {
    for (const dir of live) rmSync(dir, { recursive: true, force: true });
  });
  for (const [signal, code] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
    ["SIGHUP", 129],
  ] as const) {
    // Kept while the folders go: a second signal (a terminal and a wrapper both pass Ctrl-C on)
    // would otherwise stop the removal halfway.
    process.on(signal, () => process.exit(code));
  }
  // A reader that went away (`| head`): stop, which removes the folders on the way out.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(0);
    throw error;
  });
}
