/**
 * `arxiv-digest render`: one archived day as its Markdown page or its JSON record. A day without a
 * record is told why (a weekend, a holiday, a day to come, by the context's clock) and what makes it.
 */
import type { ArchiveStore } from "../archive/store.js";
import { ArchiveError } from "../archive/store.js";
import { parseCalendarDate, previousFeedDay } from "../arxiv/calendar.js";
import { commandLine } from "../format/command.js";
import { renderDayMarkdown } from "../markdown/day-page.js";
import { noAnnouncement } from "../model/status.js";
import type { Workspace } from "../workspace/load.js";
import { openStore, type PipelineContext, workspaceHolidays } from "./context.js";
import { readArchivedDay } from "./missing.js";

/** The text `render` prints for `dateArg` (a date, `latest` or `yesterday`) in `format`. */
export async function renderDay(
  ctx: Pick<PipelineContext, "workspace" | "clock">,
  dateArg: string,
  format: "md" | "json",
): Promise<string> {
  const ws = ctx.workspace;
  const store = openStore(ws);
  const holidays = workspaceHolidays(ws);
  const date = await dayOf(dateArg, store, ws);
  const day = await readArchivedDay(store, date, holidays, ctx.clock, ws.named);
  // The JSON is the record as archived; the page says a weekend or a holiday as the calendar says it now.
  return format === "json" ? `${JSON.stringify(day, null, 2)}\n` : renderDayMarkdown(day, holidays);
}

/**
 * `latest` (the latest archived announcement day: a weekend's or a holiday's record holds nothing
 * to read), `yesterday` (the feed day before it, by arXiv's calendar) or a date.
 */
async function dayOf(arg: string, store: ArchiveStore, ws: Workspace): Promise<string> {
  const word = arg.toLowerCase();
  if (word !== "latest" && word !== "yesterday") return parseCalendarDate(arg, "date");
  const days = await store.listDays();
  if (days.length === 0)
    throw new ArchiveError(
      `the archive in ${ws.archiveDir} has no day yet; run ${commandLine("run", ws.named)} first.`,
    );
  let latest = days.at(-1)!;
  for (const day of days.toReversed()) {
    const record = await store.readDay(day).catch(() => null);
    if (record === null || noAnnouncement(record.status.code) === null) {
      latest = day;
      break;
    }
  }
  return word === "latest" ? latest : previousFeedDay(latest, workspaceHolidays(ws));
}
