/**
 * `arxiv-digest render`: one archived day as its Markdown page or its JSON record. A day without a
 * record is told why (a weekend, a holiday, a day to come, by the context's clock) and what makes it.
 */
import type { ArchiveStore } from "../archive/store.js";
import { ArchiveError } from "../archive/store.js";
import { parseCalendarDate, previousFeedDay, todayInEastern } from "../arxiv/calendar.js";
import { backfillSuggestion, commandLine, dailyRunSuggestion } from "../format/command.js";
import { renderDayMarkdown } from "../markdown/day-page.js";
import { dayHasDigest, missedDay, noAnnouncement } from "../model/status.js";
import type { Workspace } from "../workspace/load.js";
import { openStore, type PipelineContext, workspaceHolidays } from "./context.js";
import { readArchivedDay } from "./missing.js";

/** The text `render` prints for `dateArg` (a date, `today`, `latest` or `yesterday`) in `format`. */
export async function renderDay(
  ctx: Pick<PipelineContext, "workspace" | "clock" | "actions">,
  dateArg: string,
  format: "md" | "json",
): Promise<string> {
  const ws = ctx.workspace;
  const store = openStore(ws);
  const holidays = workspaceHolidays(ws);
  const date =
    dateArg.trim().toLowerCase() === "today" ? todayInEastern(ctx.clock) : await dayOf(dateArg, store, ws, ctx.actions);
  const day = await readArchivedDay(store, date, holidays, ctx.clock, ws.named, ctx.actions);
  // The JSON is the record as archived; the page says a weekend or a holiday as the calendar says it now.
  return format === "json" ? `${JSON.stringify(day, null, 2)}\n` : renderDayMarkdown(day, holidays);
}

/**
 * `latest` (the latest archived day with a digest, by the site's rule, `dayHasDigest`: a weekend's
 * or a holiday's record holds nothing to read, a day a run missed, `missedDay`, has no digest and
 * no page on the site, nor has an imported day the imported tool never judged, with no paper
 * picked), `yesterday` (the feed day before it, by arXiv's calendar) or a date. A record that
 * cannot be read counts as the latest, so reading it names its file.
 */
async function dayOf(arg: string, store: ArchiveStore, ws: Workspace, actions = false): Promise<string> {
  const word = arg.toLowerCase();
  if (word !== "latest" && word !== "yesterday") return parseCalendarDate(arg, "date");
  const days = await store.listDays();
  if (days.length === 0)
    throw new ArchiveError(
      `the archive in ${ws.archiveDir} has no day yet; run ${commandLine("run", ws.named)} first.`,
    );
  const missed: string[] = [];
  let unjudged = false;
  let latest: string | null = null;
  for (const day of days.toReversed()) {
    const record = await store.readDay(day).catch(() => null);
    if (record === null || dayHasDigest(record)) {
      latest = day;
      break;
    }
    if (missedDay(record)) missed.push(day);
    else if (noAnnouncement(record.status.code) === null) unjudged = true;
  }
  if (latest === null) throw new ArchiveError(noDigestSentence(ws, missed.toReversed(), unjudged, actions));
  return word === "latest" ? latest : previousFeedDay(latest, workspaceHolidays(ws));
}

/**
 * An archive with records but no digest: only days a run missed (stale or failed, no paper),
 * weekends or holidays, or imported days never judged (`unjudged`). Missed days are rebuilt by the
 * backfill of their span (the Backfill workflow on GitHub Actions); without one, the next
 * announcement day's run makes the first digest.
 */
function noDigestSentence(ws: Workspace, missed: readonly string[], unjudged: boolean, actions: boolean): string {
  const first = missed[0];
  const last = missed.at(-1);
  const only = unjudged ? "weekends, holidays or imported days the imported tool never judged" : "weekends or holidays";
  if (first === undefined || last === undefined)
    return `the archive in ${ws.archiveDir} has no digest yet, only ${only}; ${dailyRunSuggestion(ws.named, actions)} makes the first on the next announcement day.`;
  const days =
    missed.length === 1
      ? `the run of ${first} missed its announcement`
      : `the runs of ${missed.length} announcement days (${first} to ${last}) missed theirs`;
  return `the archive in ${ws.archiveDir} has no digest yet: ${days} (stale or failed, no paper kept); rebuild ${missed.length === 1 ? "it" : "them"} with ${backfillSuggestion(first, last, ws.named, actions)}.`;
}
