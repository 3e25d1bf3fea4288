/**
 * `arxiv-digest backfill`: finds announcement days missing from the archive (the calendar against
 * the archive) and rebuilds each from the export API over the submission window its batch covered.
 *
 * Submission date is not announcement date: moderation holds papers back for days. So each window
 * is widened backwards by a slack period, and every id already archived, or claimed by an earlier
 * day of the same backfill (days are processed oldest first), is dropped. A paper held back longer
 * than the slack is missed; one announced on a day outside the archive and inside the slack may be
 * shown twice. Both are rare and stated in the record's notes.
 */
import { Temporal } from "temporal-polyfill";
import { lockWorkspace } from "../archive/store.js";
import { queryArxivApi } from "../arxiv/api.js";
import { announcementInfo, easternDate, feedDaysBetween, previousFeedDay, todayInEastern } from "../arxiv/calendar.js";
import { collectCandidates } from "../arxiv/fetch-feeds.js";
import type { Candidate, ParsedFeed } from "../model/candidate.js";
import { UserError } from "../model/errors.js";
import {
  checkFollowedAuthors,
  createArxivClient,
  openStore,
  type PipelineContext,
  workspaceHolidays,
} from "./context.js";
import { newDayRecord, type RunResult } from "./record.js";
import { recoverFromKilledRun } from "./recover.js";
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

const REPAIRABLE = new Set(["failed", "stale"]);

function minusDays(date: string, days: number): string {
  return Temporal.PlainDate.from(date).subtract({ days }).toString();
}

/** Which feed days in [from, to] lack a usable digest. */
export async function findMissingDays(ctx: PipelineContext, from: string, to: string): Promise<string[]> {
  const store = openStore(ctx.workspace);
  const out: string[] = [];
  for (const date of feedDaysBetween(from, to, workspaceHolidays(ctx.workspace))) {
    if (!(await store.has(date))) out.push(date);
    else if (REPAIRABLE.has((await store.readDay(date)).status.code)) out.push(date);
  }
  return out;
}

/** Whether `category` is followed: `cs` in the config covers `cs.LG`, as on the feed path (arxiv/fetch-feeds.ts). */
function followed(category: string | undefined, categories: readonly string[]): boolean {
  if (category === undefined) return false;
  const c = category.toLowerCase();
  return categories.some((w) => c === w.toLowerCase() || c.startsWith(`${w.toLowerCase()}.`));
}

/**
 * How an API entry was announced in the window being rebuilt. The query selects by
 * `submittedDate`, which is the v1 submission, while the entry carries the latest version: a paper
 * whose v1 falls in the window was announced then as new (or as a cross-list, when its primary
 * category is not followed), whatever version it has reached since. Labelling it by its current
 * version would call every paper revised since a `replace` and drop it by the default filter.
 */
function asAnnounced(entry: Candidate, categories: readonly string[]): Candidate {
  return { ...entry, announceType: followed(entry.categories[0], categories) ? "new" : "cross" };
}

export async function backfill(ctx: PipelineContext, opts: BackfillOptions): Promise<BackfillResult> {
  // Every day rebuilt learns from the feedback given before the backfill started (history.ts).
  const learnBefore = ctx.clock.now();
  const ws = ctx.workspace;
  const holidays = workspaceHolidays(ws);
  const store = openStore(ws);
  const today = todayInEastern(ctx.clock);
  const to = opts.to ?? previousFeedDay(today, holidays);
  const archived = await store.listDays();
  const lookback = minusDays(to, opts.maxLookbackDays ?? 30);
  const from = opts.from ?? archived.filter((d) => d < to && d >= lookback).at(-1) ?? lookback;
  if (from > to) throw new UserError(`--from ${from} is after --to ${to}.`);

  const missing = await findMissingDays(ctx, from, to);
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
    await recoverFromKilledRun(ctx, store);
    const client = createArxivClient(ctx);
    const slackMs = (opts.slackHours ?? 48) * 3_600_000;
    // Ids already published near the range: a backfilled day must not repeat them.
    const seen = new Set<string>();
    for (const d of archived.filter((x) => x >= minusDays(from, 14))) {
      for (const p of (await store.readDay(d)).papers) seen.add(p.id);
    }
    const a = ws.config.arxiv;
    for (const date of missing) {
      const info = announcementInfo(date, holidays);
      if (!info.window) continue;
      const queryFrom = new Date(Date.parse(info.window.from) - slackMs).toISOString();
      const answer = await queryArxivApi(client, {
        apiUrl: a.apiUrl,
        categories: a.categories,
        from: queryFrom,
        to: info.window.to,
      });
      const fresh = answer.entries.filter((e) => !seen.has(e.id)).map((e) => asAnnounced(e, a.categories));
      const feed: ParsedFeed = {
        channel: { format: "atom", title: "arXiv API", pubDate: null, announceDate: date, lastBuildDate: null },
        entries: fresh,
      };
      const { candidates, counts } = collectCandidates([feed], {
        announceTypes: a.announceTypes,
        primaryOnly: a.primaryOnly,
        categories: a.categories,
      });
      for (const c of candidates) seen.add(c.id);
      const record = newDayRecord({
        date,
        producer: "arxiv-digest backfill",
        now: ctx.clock.now(),
        remedial: { from: easternDate(info.window.from), to: easternDate(info.window.to), generatedOn: today },
        sources: [
          {
            url: answer.url,
            categories: a.categories,
            kind: "api",
            entries: answer.entries.length,
            fetchedAt: new Date(ctx.clock.now()).toISOString(),
            outcome: "ok",
          },
        ],
        status: {
          code: candidates.length ? "normal" : "empty",
          message: `Rebuilt from the arXiv export API: papers submitted ${info.window.from} to ${info.window.to}, widened by ${opts.slackHours ?? 48} h for moderation delays; ${answer.entries.length - fresh.length} already archived were left out.`,
        },
        notes: [
          "Backfilled days are reconstructed from submission dates; a paper held in moderation longer than the slack window can be missing.",
        ],
      });
      // Counted as on feed days: entries and distinct papers over everything fetched, scanned after
      // the dedupe against archived days and the filters.
      const fetchedCounts = {
        ...counts,
        entries: answer.entries.length,
        unique: new Set(answer.entries.map((e) => e.id)).size,
      };
      const result = await judgeSaveAndDeliver(ctx, store, record, candidates, fetchedCounts, {
        ...opts,
        learnBefore,
      });
      ctx.log.info(result.summary);
      days.push(result);
    }
  } finally {
    await lock.release();
  }
  return { missing, days };
}
