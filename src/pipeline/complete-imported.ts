/**
 * `arxiv-digest backfill --imported`: completes imported days, which hold only the old tool's
 * picks, with the rest of their announcement's listing, rebuilt from the export API (listing.ts)
 * and added beside the picks as papers the imported tool did not pick (import/listing.ts). Then
 * `eval` can replay those days, labelled by the imported picks, and the reader's history learns
 * from what the old tool passed over, as it does from our own days' unpicked papers.
 *
 * No LLM is called and nothing is delivered: the picks, the counts and the deliveries stay as they
 * were. Days are completed oldest first, each claiming its papers, and a paper any other archived
 * day near the range already holds (a pick of the next day announced after a moderation delay, say)
 * is left to that day (never one of the day's own picks). A day already complete is skipped and said
 * so, so a second run adds nothing; a listing that adds nothing, or holds none of the day's picks, is
 * not written.
 * A failed API call leaves that day's record as it was and stops the command (the later days are
 * not tried: arXiv is likely unreachable, and asking again at once would not be polite).
 */
import { Temporal } from "temporal-polyfill";
import { lockWorkspace } from "../archive/store.js";
import { announcementInfo } from "../arxiv/calendar.js";
import { commandLine } from "../format/command.js";
import { plural } from "../format/text.js";
import { completeImportedDay, completionBlocker, isImportedDay } from "../import/listing.js";
import type { DayRecord } from "../model/day-record.js";
import { UserError } from "../model/errors.js";
import { createArxivClient, openStore, type PipelineContext, workspaceHolidays, workspaceRedactor } from "./context.js";
import { DEFAULT_SLACK_HOURS, fetchListing, listingAddsNothing } from "./listing.js";
import { saveDay } from "./record.js";

export interface CompleteImportedOptions {
  /** First archived day to look at (default: the first). */
  from?: string;
  /** Last archived day to look at (default: the last). */
  to?: string;
  /** Hours the submission window is widened backwards for moderation delays. */
  slackHours?: number;
  /**
   * Told each day's outcome as soon as it is known (the CLI prints its line then, so a long range
   * shows its progress); the result lists them all again, in date order.
   */
  onDay?: (day: CompletedDay) => void;
}

export interface CompletedDay {
  date: string;
  outcome: "completed" | "skipped" | "failed";
  /** One line for the command's report, starting with the date. */
  summary: string;
}

export interface CompleteImportedResult {
  /** Every imported day of the range, in date order, with what happened to it. */
  days: CompletedDay[];
}

/** Archived days read around the range for the dedupe: a moderation delay rarely exceeds this. */
const NEIGHBOUR_DAYS = 14;

function shifted(date: string, days: number): string {
  return Temporal.PlainDate.from(date).add({ days }).toString();
}

export async function completeImportedDays(
  ctx: PipelineContext,
  opts: CompleteImportedOptions,
): Promise<CompleteImportedResult> {
  const ws = ctx.workspace;
  const store = openStore(ws);
  const holidays = workspaceHolidays(ws);
  const redact = workspaceRedactor(ws);
  const slackHours = opts.slackHours ?? DEFAULT_SLACK_HOURS;
  if (opts.from && opts.to && opts.from > opts.to) throw new UserError(`--from ${opts.from} is after --to ${opts.to}.`);
  const archived = await store.listDays();
  const from = opts.from ?? archived[0];
  const to = opts.to ?? archived.at(-1);
  const days: CompletedDay[] = [];
  const report = (day: CompletedDay) => {
    days.push(day);
    opts.onDay?.(day);
  };
  if (from === undefined || to === undefined) {
    ctx.log.info(`The archive holds no day: import a history first (${commandLine("import DIR")}).`);
    return { days };
  }

  const lock = await lockWorkspace(ws.dir, "arxiv-digest backfill --imported");
  try {
    // Which day holds each paper, over the range and its neighbours: a day's listing leaves out
    // the papers another day holds.
    const holders = new Map<string, Set<string>>();
    const hold = (id: string, date: string) => {
      const set = holders.get(id) ?? new Set<string>();
      set.add(date);
      holders.set(id, set);
    };
    const targets: DayRecord[] = [];
    for (const date of archived.filter(
      (d) => d >= shifted(from, -NEIGHBOUR_DAYS) && d <= shifted(to, NEIGHBOUR_DAYS),
    )) {
      const day = await store.readDay(date);
      for (const p of day.papers) hold(p.id, date);
      if (date < from || date > to || !isImportedDay(day)) continue;
      const blocker =
        completionBlocker(day) ??
        (announcementInfo(date, holidays).window === null
          ? "skipped: by arXiv's calendar nothing was announced on this date"
          : null);
      if (blocker) report({ date, outcome: "skipped", summary: `${date}: ${blocker}.` });
      else targets.push(day);
    }
    if (targets.length === 0) {
      ctx.log.info(`No imported day between ${from} and ${to} is waiting for its listing.`);
      return { days };
    }
    ctx.log.info(
      `Fetching the listings of ${plural(targets.length, "imported day")} from the arXiv export API, a request every ${ws.config.arxiv.minIntervalSeconds} s or more.`,
    );
    const client = await createArxivClient(ctx);
    for (const [i, day] of targets.entries()) {
      const { date } = day;
      const window = announcementInfo(date, holidays).window!;
      const own = new Set(day.papers.map((p) => p.id));
      let listing: Awaited<ReturnType<typeof fetchListing>>;
      try {
        listing = await fetchListing(client, ws.config.arxiv, date, window, {
          slackHours,
          // A paper of the day itself is never left to another: the old tool now and then picked
          // one paper on two neighbouring days, and each keeps it.
          elsewhere: (id) => !own.has(id) && [...(holders.get(id) ?? [])].some((d) => d !== date),
          now: ctx.clock.now(),
        });
      } catch (err) {
        if (err instanceof UserError) throw err;
        const rest = targets.slice(i + 1).map((d) => d.date);
        report({
          date,
          outcome: "failed",
          summary: `${date}: the arXiv export API call failed (${redact((err as Error).message)}); the day's record was left as it was. Run the command again later.`,
        });
        for (const later of rest) {
          report({ date: later, outcome: "skipped", summary: `${later}: not tried after ${date} failed.` });
        }
        break;
      }
      const done = completeImportedDay(day, {
        candidates: listing.candidates,
        source: listing.source,
        window,
        slackHours,
      });
      // A listing that adds nothing (listing.ts), or holds none of the day's picks, is not this
      // day's listing (a blank answer, an index still catching up, categories the old tool did not
      // follow): the record stays as it was, so a later run tries the day again.
      const refused =
        listingAddsNothing(listing, own) ??
        (day.papers.length > 0 && done.found === 0
          ? `none of its ${plural(day.papers.length, "pick")} is in the listing (${plural(done.added, "other paper")}), so it is not this day's: check that arxiv.categories covers the categories the old tool read`
          : null);
      if (refused) {
        report({ date, outcome: "skipped", summary: `${date}: ${refused}; the record was left as it was.` });
        continue;
      }
      await saveDay(store, done.record, holidays);
      for (const c of listing.candidates) hold(c.id, date);
      const summary = `${date}: added ${plural(done.added, "paper")} the imported tool did not pick; ${done.found} of ${plural(day.papers.length, "pick")} found in the reconstructed listing${done.missing.length ? ` (kept as imported: ${done.missing.join(", ")})` : ""}.`;
      report({ date, outcome: "completed", summary });
    }
  } finally {
    await lock.release();
  }
  days.sort((a, b) => a.date.localeCompare(b.date));
  return { days };
}
