/**
 * `arxiv-digest import`: reads a gpt_paper_assistant-family history and writes each day into
 * the archive, under the workspace lock, keeping days the archive already has unless forced.
 */
import { lockWorkspace } from "../archive/store.js";
import { type ImportReport, importHistory } from "../import/history.js";
import type { Workspace } from "../workspace/load.js";
import { openStore, workspaceHolidays } from "./context.js";
import { saveDay } from "./record.js";

export interface ImportResult {
  written: number;
  /** Dates the archive already had and that were left as they were. */
  kept: string[];
  report: ImportReport;
}

export async function importIntoArchive(ws: Workspace, dir: string, opts: { force: boolean }): Promise<ImportResult> {
  const store = openStore(ws);
  const holidays = workspaceHolidays(ws);
  const { days, report } = await importHistory(dir, { holidays });
  const lock = await lockWorkspace(ws.dir, "arxiv-digest import");
  let written = 0;
  const kept: string[] = [];
  try {
    for (const day of days) {
      if (!opts.force && (await store.has(day.date))) {
        kept.push(day.date);
        continue;
      }
      await saveDay(store, day, holidays);
      written++;
    }
  } finally {
    await lock.release();
  }
  return { written, kept, report };
}
