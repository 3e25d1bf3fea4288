/**
 * `arxiv-digest backfill`: finds announcement days missing from the archive (the calendar against
 * the archive) and rebuilds each from the export API over the submission window its batch covered
 * (listing.ts: the window widened by a slack for moderation delays, every id already archived, or
 * claimed by an earlier day of the same backfill, dropped; days are processed oldest first).
 * A listing that adds nothing (an empty answer, which the API gives now and then when it fails) is
 * a failed fetch: nothing is recorded for that day and the later days are not tried (each would
 * claim its papers through the slack), so the next backfill finds the day missing and asks again.
 * `backfill --imported` (complete-imported.ts) completes imported days with the same listing instead.
 */

import { Temporal } from "temporal-polyfill";
import { lockWorkspace } from "../archive/store.js";
import { announcementInfo, easternDate, todayInEastern } from "../arxiv/calendar.js";
import { backfillSuggestion, commandLine } from "../format/command.js";
import { UserError } from "../model/errors.js";
import { reconstructedListingNote } from "../model/notes.js";
import {
  checkFollowedAuthors,
  createArxivClient,
  openStore,
  type PipelineContext,
  workspaceHolidays,
  workspaceRedactor,
} from "./context.js";
import { DEFAULT_SLACK_HOURS, fetchListing, listingAddsNothing } from "./listing.js";
import { checkLlmKey } from "./llm-key.js";
import {
  archiveBackfillRange,
  findMissingDays,
  readUnlessDamaged,
  type UnreadableDay,
  unreadableWarning,
} from "./missing.js";
import { newDayRecord, type RunResult } from "./record.js";
import { thenRecover } from "./recover.js";
import { judgeSaveAndDeliver, type RunOptions } from "./run.js";
import { checkRunSecrets } from "./sent-secrets.js";

export interface BackfillOptions extends Pick<RunOptions, "onProgress"> {
  from?: string;
  to?: string;
  /** Hours the submission window is widened backwards for moderation delays. */
  slackHours?: number;
  deliver: boolean;
  /** Look back at most this many days when --from is not given. */
  maxLookbackDays?: number;
}

export interface BackfillResult {
  missing: string[];
  days: RunResult[];
}

function minusDays(date: string, days: number): string {
  return Temporal.PlainDate.from(date).subtract({ days }).toString();
}

export async function backfill(ctx: PipelineContext, opts: BackfillOptions): Promise<BackfillResult> {
  // Every day rebuilt learns from the feedback given before the backfill started (history.ts).
  const learnBefore = ctx.clock.now();
  const ws = ctx.workspace;
  // Provider "openai" without its key is the user's to fix: said before the archive is even read.
  checkLlmKey(ws, (message) => ctx.log.warn(message));
  checkRunSecrets(ws, { deliver: opts.deliver });
  const holidays = workspaceHolidays(ws);
  const store = openStore(ws);
  const today = todayInEastern(ctx.clock);
  const { archived, from, to } = await archiveBackfillRange(store, today, holidays, {
    ...opts,
    ...(opts.maxLookbackDays === undefined ? {} : { lookbackDays: opts.maxLookbackDays }),
  });
  if (from > to) {
    // `--from today` alone: the default end is the announcement before today.
    throw new UserError(
      opts.to === undefined
        ? `--from ${from} is after ${to}, where a backfill without --to ends (the announcement before today); give --to ${from} to check up to ${from}.`
        : `--from ${from} is after --to ${to}.`,
    );
  }

  // Ids already published near the range, which a backfilled day must not repeat: from 14 days
  // before it on. The records of the range are read once, by findMissingDays, the rest below.
  const seen = new Set<string>();
  const read = new Set<string>();
  const { missing, unreadable } = await findMissingDays(store, holidays, from, to, (day) => {
    read.add(day.date);
    for (const p of day.papers) seen.add(p.id);
  });
  // A day --from names, or a range it starts, asked for this day: left as it is, it is a day the
  // command did not do (exit 1). Without --from it is one warning, and the backfill goes on.
  const asked = opts.from === undefined ? [] : unreadable;
  const skipped: UnreadableDay[] = opts.from === undefined ? [...unreadable] : [];
  const unread = unreadable.length
    ? ` but for ${unreadable.map((u) => u.date).join(", ")}, whose record could not be read`
    : "";
  ctx.log.info(
    missing.length
      ? `Missing announcement days: ${missing.join(", ")}.`
      : `No announcement day is missing between ${from} and ${to}${unread}.`,
  );
  const days: RunResult[] = asked.map((u) => ({
    record: newDayRecord({
      date: u.date,
      producer: "arxiv-digest backfill",
      now: ctx.clock.now(),
      status: { code: "failed", message: u.problem },
    }),
    outcome: "incomplete",
    // Printed as the day's line, not logged: redacted here (the parser's message quotes the file).
    summary: workspaceRedactor(ws)(
      `${u.date}: left as it is: ${u.problem.replace(/\.$/, "")}. Rebuilding the day over it would lose what it holds, so backfill does not: repair the file, or delete it and rebuild the day with ${backfillSuggestion(u.date, u.date, ws.named, ctx.actions)}.`,
    ),
    files: [],
  }));
  const warn = () => {
    if (skipped.length === 0) return;
    const range = { from, to, holidays, missing };
    ctx.log.warn(unreadableWarning(skipped, { workspace: ws.named, actions: ctx.actions, range }));
  };
  if (missing.length === 0) {
    warn();
    return { missing, days };
  }

  checkFollowedAuthors(ws);
  const lock = await lockWorkspace(ws.dir, "arxiv-digest backfill");
  try {
    // Recovery comes after the days are done, never before a check that may refuse the command.
    await thenRecover(ctx, store, async () => {
      const client = await createArxivClient(ctx);
      const slackHours = opts.slackHours ?? DEFAULT_SLACK_HOURS;
      const asRead = new Set(unreadable.map((u) => u.date));
      for (const d of archived.filter((x) => x >= minusDays(from, 14) && !read.has(x) && !asRead.has(x))) {
        const day = await readUnlessDamaged(store, d, (u) => skipped.push(u));
        for (const p of day?.papers ?? []) seen.add(p.id);
      }
      skipped.sort((x, y) => x.date.localeCompare(y.date));
      warn();
      const a = ws.config.arxiv;
      for (const [i, date] of missing.entries()) {
        const info = announcementInfo(date, holidays);
        if (!info.window) continue;
        const listing = await fetchListing(client, a, date, info.window, {
          slackHours,
          elsewhere: (id) => seen.has(id),
          now: ctx.clock.now(),
        });
        const { candidates } = listing;
        const remedial = { from: easternDate(info.window.from), to: easternDate(info.window.to), generatedOn: today };
        /** What every record of this day says of where it came from. */
        const rebuilt = () => ({
          date,
          producer: "arxiv-digest backfill",
          now: ctx.clock.now(),
          remedial,
          sources: [listing.source],
        });
        const nothing = listingAddsNothing(listing);
        if (nothing) {
          const later = missing.slice(i + 1);
          const message = `${nothing}; nothing was recorded for the day${later.length ? ` and the later days (${later.join(", ")}) were not tried` : ""}. Run ${commandLine("backfill", ctx.workspace.named)} again later.`;
          // Returned for the report (the command prints it once, with the other days), never saved:
          // the day stays missing.
          const record = newDayRecord({ ...rebuilt(), status: { code: "failed", message } });
          days.push({ record, outcome: "incomplete", summary: `${date}: ${message}`, files: [] });
          break;
        }
        for (const c of candidates) seen.add(c.id);
        const record = newDayRecord({
          ...rebuilt(),
          status: {
            code: "normal",
            message: `Rebuilt from the arXiv export API: papers submitted ${info.window.from} to ${info.window.to}, widened by ${slackHours} h for moderation delays; ${listing.leftOut} already archived were left out.`,
          },
          notes: [reconstructedListingNote(slackHours)],
        });
        const result = await judgeSaveAndDeliver(ctx, store, record, candidates, listing.counts, {
          ...opts,
          learnBefore,
        });
        days.push(result);
      }
    });
  } finally {
    await lock.release();
  }
  return { missing, days };
}
