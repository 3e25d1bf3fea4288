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
import { commandLine } from "../format/command.js";
import { UserError } from "../model/errors.js";
import { reconstructedListingNote } from "../model/notes.js";
import {
  checkFollowedAuthors,
  createArxivClient,
  openStore,
  type PipelineContext,
  workspaceHolidays,
} from "./context.js";
import { DEFAULT_SLACK_HOURS, fetchListing, listingAddsNothing } from "./listing.js";
import { checkLlmKey } from "./llm-key.js";
import { archiveBackfillRange, findMissingDays } from "./missing.js";
import { newDayRecord, type RunResult } from "./record.js";
import { thenRecover } from "./recover.js";
import { judgeSaveAndDeliver, type RunOptions } from "./run.js";

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
  const holidays = workspaceHolidays(ws);
  const store = openStore(ws);
  const today = todayInEastern(ctx.clock);
  const { archived, from, to } = await archiveBackfillRange(store, today, holidays, {
    ...opts,
    ...(opts.maxLookbackDays === undefined ? {} : { lookbackDays: opts.maxLookbackDays }),
  });
  if (from > to) throw new UserError(`--from ${from} is after --to ${to}.`);

  const missing = await findMissingDays(store, holidays, from, to);
  ctx.log.info(
    missing.length
      ? `Missing announcement days: ${missing.join(", ")}.`
      : `No announcement day is missing between ${from} and ${to}.`,
  );
  const days: RunResult[] = [];
  if (missing.length === 0) return { missing, days };

  checkFollowedAuthors(ws);
  const lock = await lockWorkspace(ws.dir, "arxiv-digest backfill");
  try {
    // Recovery comes after the days are done, never before a check that may refuse the command.
    await thenRecover(ctx, store, async () => {
      const client = createArxivClient(ctx);
      const slackHours = opts.slackHours ?? DEFAULT_SLACK_HOURS;
      // Ids already published near the range: a backfilled day must not repeat them.
      const seen = new Set<string>();
      for (const d of archived.filter((x) => x >= minusDays(from, 14))) {
        for (const p of (await store.readDay(d)).papers) seen.add(p.id);
      }
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
