/**
 * What a killed run (kill -9, a power cut) can leave behind, put right by the next `run` or
 * `backfill` under the workspace lock: temp files of atomic writes that never got renamed, and a
 * day whose JSON was written but whose Markdown page was not (saveDay writes them one after the
 * other). The command does it once its own work is over (`thenRecover`), past every check that
 * may refuse it (exit 2): a refused command writes nothing; one that failed otherwise (arXiv
 * unreachable, the LLM's fatal answer) still puts things right.
 */

import { readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { ArchiveError, type ArchiveStore } from "../archive/store.js";
import { pidAlive } from "../io/process.js";
import { UserError } from "../model/errors.js";
import { type PipelineContext, workspaceHolidays } from "./context.js";

/** When this process began, as file times count: a temp file older than this is no write of ours. */
const PROCESS_START_MS = Date.now() - process.uptime() * 1000;

/**
 * A temp file is stale when it is older than this process and the process that named it
 * (`<file>.<pid>.<hex>.tmp`, see io/json-file) is not running: a write in flight in another
 * process (the site server, say) is left alone.
 */
function isStaleTemp(name: string, mtimeMs: number): boolean {
  if (mtimeMs >= PROCESS_START_MS) return false;
  const pid = /\.(\d+)\.[0-9a-f]+\.tmp$/.exec(name)?.[1];
  return !pid || Number(pid) === process.pid || !pidAlive(Number(pid));
}

/** Removes stale `*.tmp` files anywhere under `dir`; returns their paths. */
export async function sweepStaleTemps(dir: string): Promise<string[]> {
  const swept: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) swept.push(...(await sweepStaleTemps(path)));
    else if (e.isFile() && e.name.endsWith(".tmp")) {
      const s = await stat(path).catch(() => null);
      if (s && isStaleTemp(e.name, s.mtimeMs)) {
        await rm(path, { force: true });
        swept.push(path);
      }
    }
  }
  return swept;
}

/** The lock's own temp files (`.arxiv-digest.lock.<pid>.<hex>.tmp`, archive/store) in the workspace folder. */
async function sweepLockTemps(dir: string): Promise<string[]> {
  const swept: string[] = [];
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!name.startsWith(".arxiv-digest.lock.") || !name.endsWith(".tmp")) continue;
    const s = await stat(join(dir, name)).catch(() => null);
    if (s?.isFile() && isStaleTemp(name, s.mtimeMs)) {
      await rm(join(dir, name), { force: true });
      swept.push(join(dir, name));
    }
  }
  return swept;
}

/**
 * Re-renders the Markdown page of every day a killed run left its page behind its record: the
 * days `writeDayAndPage` left a note for (archive/store). The page is written only when it differs
 * from what the record renders, so a run killed before its record or after its page changes
 * nothing; returns the dates whose page was written. File times play no part: delivery rewrites
 * a record without touching what its page shows, and a checkout gives files any times. A damaged
 * day keeps its note and is left for the run's own check to report; any other failure (a folder
 * named like a note, a note that cannot be removed) is warned about by `warn`, naming the entry,
 * and the pass goes on to the next note.
 */
export async function rerenderStalePages(
  store: ArchiveStore,
  holidays: ReadonlySet<string>,
  warn: (message: string) => void,
): Promise<string[]> {
  const pending = await store.pagesPending();
  if (pending.length === 0) return [];
  // Loaded only when a killed run left a page behind: the day page's renderer brings the TeX one.
  const { renderDayMarkdown } = await import("../markdown/day-page.js");
  const out: string[] = [];
  for (const date of pending) {
    try {
      if (await store.settlePage(date, (day) => renderDayMarkdown(day, holidays))) out.push(date);
    } catch (err) {
      if (err instanceof ArchiveError) continue;
      // One entry that is no note (a folder, a file we may not remove) costs its own day, not the pass.
      const note = store.pendingNote(date);
      warn(
        `Could not settle ${note} (${(err as Error).message}); if it is not a note an interrupted run left, remove it.`,
      );
    }
  }
  return out;
}

/** Both of the above, for a run that holds the workspace lock. */
export async function recoverFromKilledRun(ctx: PipelineContext, store: ArchiveStore): Promise<void> {
  const swept = [
    ...(await sweepStaleTemps(store.dir)),
    ...(await sweepStaleTemps(ctx.workspace.cacheDir)),
    ...(await sweepLockTemps(ctx.workspace.dir)),
  ];
  if (swept.length > 0) ctx.log.info(`Removed ${swept.length} temp file(s) left by an interrupted run.`);
  const pages = await rerenderStalePages(store, workspaceHolidays(ctx.workspace), (m) => ctx.log.warn(m));
  if (pages.length > 0) ctx.log.info(`Re-rendered the Markdown page of ${pages.join(", ")}.`);
}

/**
 * The one order of `run` and `backfill`: the command's work, then `recoverFromKilledRun`, whether
 * the work finished or failed, unless it was refused (a `UserError`: nothing may be written; what
 * a killed run left waits for the next command, which loses nothing). Recovery is housekeeping: if
 * it fails, a warning says so and the command's own result or error stands.
 */
export async function thenRecover<T>(ctx: PipelineContext, store: ArchiveStore, work: () => Promise<T>): Promise<T> {
  const recover = () =>
    recoverFromKilledRun(ctx, store).catch((problem: unknown) =>
      ctx.log.warn(`Could not put right what an interrupted run left: ${(problem as Error).message}`),
    );
  let result: T;
  try {
    result = await work();
  } catch (err) {
    if (!(err instanceof UserError)) await recover();
    throw err;
  }
  await recover();
  return result;
}
