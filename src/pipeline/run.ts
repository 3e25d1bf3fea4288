/**
 * One announcement day, end to end: fetch the batch, judge the feed (normal, weekend, holiday,
 * stale, empty), select, write the DayRecord with every scanned paper, render the Markdown page,
 * deliver. Re-running a day is idempotent: the response cache answers every call already paid for.
 */

import type { ArchiveStore } from "../archive/store.js";
import { lockWorkspace } from "../archive/store.js";
import {
  archiveClockDisagreement,
  calendarVerdict,
  clockDisagreement,
  type FeedVerdict,
  feedPastDate,
  todayInEastern,
} from "../arxiv/calendar.js";
import type { FetchedFeed } from "../arxiv/fetch-feeds.js";
import { holidayTableWarning } from "../arxiv/holidays.js";
import { backfillSuggestion } from "../format/command.js";
import { laterSignalsSentence, plural, unusedFeedbackSentence } from "../format/text.js";
import { redactDeep } from "../io/redact.js";
import { shownSelfCommand } from "../io/self-command.js";
import type { Candidate, ParsedFeed } from "../model/candidate.js";
import { carryUnknownFields, type DayRecord, type Source, type StatusCode } from "../model/day-record.js";
import { UserError } from "../model/errors.js";
import { offlineScoringNote } from "../model/notes.js";
import { deliveredWithoutPapers, missedDay, noAnnouncement } from "../model/status.js";
import type { SelectionProgress } from "../selection/select.js";
import {
  checkFollowedAuthors,
  createArxivClient,
  loadAuthorMatcher,
  openStore,
  type PipelineContext,
  workspaceHolidays,
  workspaceRedactor,
} from "./context.js";
import { deliverPending, retryEarlierDeliveries } from "./deliver.js";
import { checkLlmKey, KeyRefusedError } from "./llm-key.js";
import { archiveBackfillRange, findMissingDays, type UnreadableDay, unreadableWarning } from "./missing.js";
import {
  applySelection,
  type DayCounts,
  failedDeliveriesSentence,
  keptFinishedDay,
  newDayRecord,
  operatorNotesOf,
  outcomeOf,
  type RunResult,
  resultOf,
  saveDay,
  worseThanArchived,
} from "./record.js";
import { thenRecover } from "./recover.js";
import { checkRunSecrets } from "./sent-secrets.js";

export type { RunResult } from "./record.js";
export type ProgressEvent = SelectionProgress;

/**
 * The feed reading code (the fetch, the feed parser and its XML package), loaded once the calendar
 * leaves a batch possible: a weekend is recorded without it.
 */
type FeedFetching = typeof import("../arxiv/fetch-feeds.js");

export interface RunOptions {
  /** The announcement date expected; defaults to today in US Eastern time. */
  date?: string;
  deliver: boolean;
  /** Keep polling a stale feed for up to this many minutes before giving up. */
  waitFreshMinutes?: number;
  /** Minutes between polls of a stale feed. */
  pollMinutes?: number;
  onProgress?: (p: ProgressEvent) => void;
  producer?: string;
}

/** The machine's clock and arXiv's feeds (or, on a weekend, the archive) disagree on the date: exit 2, nothing written. */
export class ClockError extends UserError {
  override name = "ClockError";
}

/**
 * Fetches the announcement and judges it, polling again while `--wait-fresh` allows and the
 * feeds are not there yet: a feed still serving the previous batch (stale), a feed of an
 * announcement day with no entries (arXiv fills it while it flips), or, with one feed per
 * category, a category feed still serving the previous batch while others serve the day. At the
 * deadline the last answer stands, and `waitedMinutes` says how long it was waited for.
 */
async function fetchFresh(
  ctx: PipelineContext,
  opts: RunOptions,
  expectedDate: string,
  store: ArchiveStore,
  damaged: Set<string>,
  holiday: boolean,
  { fetchAnnouncement, leaveOutStaleFeeds }: FeedFetching,
): Promise<{ fetched: FetchedFeed[]; status: FeedVerdict | null; waitedMinutes: number }> {
  // On a holiday of the table the fetch only confirms it: one try, no back-off to sit through.
  const client = await createArxivClient(ctx, holiday ? 0 : undefined);
  const holidays = workspaceHolidays(ctx.workspace);
  const started = ctx.clock.now();
  const deadline = started + (opts.waitFreshMinutes ?? 0) * 60_000;
  // The last reason to wait that was said in full.
  let said: string | null = null;
  for (;;) {
    const last = await store.latestBefore(expectedDate, (err) => damaged.add(err.message));
    const answers = await fetchAnnouncement(client, ctx.workspace.config.arxiv);
    // The date comes from the clock unless --date names it: a clock set wrong would date the day
    // wrong. Checked on every poll, so a feed dated after the clock's today always stops the run.
    if (opts.date === undefined) checkClock(ctx, answers, holidays);
    // Every feed is judged on its own: a stale one is left out (and named) rather than mixed in.
    const {
      fetched,
      verdict: status,
      stale,
    } = leaveOutStaleFeeds(answers, {
      date: expectedDate,
      lastArchived: last ? { date: last.date, ids: last.papers.map((p) => p.id), missed: missedDay(last) } : null,
      holidays,
      ...(ctx.workspace.named === undefined ? {} : { workspace: ctx.workspace.named }),
    });
    const waitedMinutes = Math.round((ctx.clock.now() - started) / 60_000);
    if (status === null) return { fetched, status: null, waitedMinutes };
    // A past --date the feed does not carry will never be served: nothing to wait for.
    if (status.code === "stale" && pastDate(ctx, opts) !== null) return { fetched, status, waitedMinutes };
    const notYet =
      status.code === "stale"
        ? status.message
        : status.code === "empty"
          ? `The feed for ${status.date} has no entries yet; arXiv may still be filling it.`
          : status.code === "normal" && stale.length > 0
            ? `${stale.join(", ")} still ${stale.length === 1 ? "serves" : "serve"} an earlier batch.`
            : null;
    if (notYet === null || ctx.clock.now() >= deadline) return { fetched, status, waitedMinutes };
    const waitMs = Math.min((opts.pollMinutes ?? 5) * 60_000, deadline - ctx.clock.now());
    const next = Math.round(waitMs / 60_000);
    // The whole sentence when it is new; a poll that finds the same says so in a short line.
    ctx.log.info(
      notYet === said
        ? `Still the same after ${waitedMinutes} min of waiting; next look in ${next} min.`
        : `${notYet} Checking again in ${next} min.`,
    );
    said = notYet;
    await ctx.clock.sleep(waitMs);
  }
}

/** Stops the run (ClockError) when the feeds' own dates, or arXiv's server, say the clock is wrong. */
function checkClock(ctx: PipelineContext, fetched: readonly FetchedFeed[], holidays: Set<string>): void {
  const evidence = fetched.flatMap((f) =>
    f.feed === null || f.source.kind === "api"
      ? []
      : [
          {
            label: `${f.source.categories.join("+")} feed`,
            pubDate: f.feed.channel.pubDate,
            lastBuildDate: f.feed.channel.lastBuildDate,
            announceDate: f.feed.channel.announceDate,
            serverDate: f.serverDate ?? null,
          },
        ],
  );
  const problem = clockDisagreement(ctx.clock.now(), evidence, holidays);
  if (problem !== null) throw new ClockError(problem);
}

export async function runDay(ctx: PipelineContext, opts: RunOptions): Promise<RunResult> {
  // The day learns from every feedback signal given before the run started (history.ts).
  const learnBefore = ctx.clock.now();
  const ws = ctx.workspace;
  // A mistake in authors.txt, or provider "openai" without its key, is the user's to fix: say so before anything is fetched.
  checkFollowedAuthors(ws);
  checkLlmKey(ws, (message) => ctx.log.warn(message));
  // So is a credential left as a placeholder that the run would send (a delivery's, Semantic Scholar's).
  checkRunSecrets(ws, { deliver: opts.deliver });
  const store = openStore(ws);
  const producer = opts.producer ?? "arxiv-digest run";
  const lock = await lockWorkspace(ws.dir, producer);
  try {
    const damaged = new Set<string>();
    // Recovery comes after the run's own work, never before a check that may refuse it (a past --date, the clock).
    const result = await thenRecover(ctx, store, () =>
      fetchAndJudge(ctx, { ...opts, learnBefore }, store, producer, damaged),
    );
    return withDamagedFiles(ctx, result, damaged);
  } finally {
    await lock.release();
  }
}

/**
 * `run --date` for a day the feed no longer serves: the feed read carries a later announcement, or
 * by arXiv's calendar it should (`feedPastDate`: `liveDate`), whatever it still carries; the export
 * API serves the day (`backfill`). Exit 2, nothing written or delivered.
 */
export class PastDateError extends UserError {
  override name = "PastDateError";
  constructor(p: {
    date: string;
    /** The feed date the feed read carries, when known. */
    servedDate: string | null;
    /** The later feed date the feed should serve now by the calendar, when the feed read does not carry a later one. */
    liveDate?: string | null;
    workspace?: string | undefined;
    actions?: boolean | undefined;
  }) {
    const { date, servedDate, liveDate } = p;
    const served = servedDate === null ? null : `the announcement of ${servedDate}`;
    const where =
      liveDate != null && (servedDate === null || servedDate < date)
        ? `arXiv's feed has moved past that day (by arXiv's calendar it serves the announcement of ${liveDate} now${served ? `, though the feed read still carries ${served}` : ""})`
        : `the feed already serves ${served ?? "a later announcement"}`;
    super(
      `--date ${date}: ${where} and only ever its latest one, so nothing was written; rebuild ${date} from the export API with ${backfillSuggestion(date, date, p.workspace, p.actions)}.`,
    );
  }
}

/**
 * The later feed date the RSS feed should serve now when `--date` names an earlier announcement
 * day (`feedPastDate`, arXiv's calendar at the clock's time): the feed will never serve that day
 * again. Null without `--date`, for the day the feed should serve, or for a weekend or a holiday.
 */
function pastDate(ctx: PipelineContext, opts: RunOptions): string | null {
  if (opts.date === undefined) return null;
  const holidays = workspaceHolidays(ctx.workspace);
  if (calendarVerdict(opts.date, holidays) !== null) return null;
  return feedPastDate(opts.date, todayInEastern(ctx.clock), holidays);
}

function pastDateError(
  ctx: PipelineContext,
  date: string,
  servedDate: string | null,
  liveDate: string | null = null,
): PastDateError {
  return new PastDateError({ date, servedDate, liveDate, workspace: ctx.workspace.named, actions: ctx.actions });
}

/** Entries a feed could not use, each named by feed, position and id: kept in the day's notes. */
function feedProblems(fetched: readonly FetchedFeed[]): string[] {
  return fetched.flatMap((f) =>
    (f.feed?.problems ?? []).map(
      (p) =>
        `${f.source.categories.join("+")} feed, entry ${p.position}${p.id ? ` (${p.id})` : ""}: ${p.message}${p.kept ? "" : "; left out"}.`,
    ),
  );
}

/**
 * A damaged earlier day (not JSON, not a DayRecord) does not stop the run: the feed is judged
 * against the latest readable day. But the run says so: each file is warned about, the summary
 * names them, and a complete day exits 1 (incomplete) until the file is repaired or removed. A
 * file a holiday's sentence already named, with how to repair it, is not in `damaged` any more:
 * each file is named once per run, and the holiday ends as a weekend over the same archive.
 */
function withDamagedFiles(ctx: PipelineContext, result: RunResult, damaged: Set<string>): RunResult {
  if (damaged.size === 0) return result;
  for (const problem of damaged) ctx.log.warn(`Skipped a damaged archive file: ${problem}`);
  return {
    ...result,
    outcome: result.outcome === "complete" ? "incomplete" : result.outcome,
    summary: `${result.summary} Skipped ${damaged.size} damaged archive file(s); repair or remove them (exit 1 until then): ${[...damaged].join(" ")}`,
  };
}

async function fetchAndJudge(
  ctx: PipelineContext,
  opts: RunOptions & LearnBefore,
  store: ArchiveStore,
  producer: string,
  damaged: Set<string>,
): Promise<RunResult> {
  const ws = ctx.workspace;
  const expectedDate = opts.date ?? todayInEastern(ctx.clock);
  // What the calendar knows needs no network: a weekend date never carries a batch. A holiday is
  // still fetched once, because a batch in the feed proves the holiday table wrong.
  const noBatch = calendarVerdict(expectedDate, workspaceHolidays(ws));
  if (noBatch?.code === "no-announcement") {
    // Nothing is fetched, so the feeds cannot check the clock; a day archived after its today can.
    if (opts.date === undefined) {
      const problem = archiveClockDisagreement(ctx.clock.now(), await latestReadDayAfter(store, expectedDate));
      if (problem !== null) throw new ClockError(problem);
    }
    return finishWithoutPapers(
      { ctx, store, producer, sources: [], deliver: opts.deliver, waitedForFresh: false, damaged },
      expectedDate,
      noBatch,
    );
  }
  ctx.log.info(
    `Fetching the arXiv announcement for ${ws.config.arxiv.categories.join(", ")} (expected date ${expectedDate}).`,
  );
  const feedFetching: FeedFetching = await import("../arxiv/fetch-feeds.js");
  const { fetched, status, waitedMinutes } = await fetchFresh(
    ctx,
    opts,
    expectedDate,
    store,
    damaged,
    noBatch !== null,
    feedFetching,
  );
  // After --wait-fresh the record says how long the day was waited for.
  const waited = (what: string) =>
    waitedMinutes > 0 ? ` ${what} for ${plural(waitedMinutes, "minute")} of polling (--wait-fresh).` : "";
  const sources = fetched.map((f) => f.source);
  // A stale day reaches the channels only when the run waited for it (--wait-fresh) and gave up.
  const waitedForFresh = (opts.waitFreshMinutes ?? 0) > 0;
  const empty = { ctx, store, producer, sources, deliver: opts.deliver, waitedForFresh, damaged };

  if (!status) {
    const errors = sources.map((s) => `${s.url}: ${s.error ?? "failed"}`).join("; ");
    // A holiday has no batch to miss: a feed that cannot be reached only leaves the table unconfirmed.
    if (noBatch) {
      return finishWithoutPapers(empty, expectedDate, {
        ...noBatch,
        message: `${noBatch.message} The feed could not be read to confirm it (${errors}).`,
      });
    }
    // A past --date: reachable or not, the feed will not serve it again.
    const live = pastDate(ctx, opts);
    if (live !== null) throw pastDateError(ctx, expectedDate, null, live);
    return finishWithoutPapers(empty, expectedDate, {
      code: "failed",
      message: `No feed could be read (${errors}). Nothing was published; run again later.`,
    });
  }
  if (status.code === "failed" && opts.date === undefined) {
    // The clock check let the feed's later date pass, so the clock's today has moved on since the
    // run began: it waited (--wait-fresh) past midnight, when the feed flipped to the next batch.
    status.message += ` The run began on ${expectedDate} and waited (--wait-fresh) past midnight US Eastern time, when the feed moved on.`;
  }
  if (status.code === "failed" && opts.date !== undefined) {
    // A date the user asked for that the feed has moved past: nothing to record, backfill serves it.
    if (noBatch) return finishWithoutPapers(empty, expectedDate, noBatch);
    throw pastDateError(ctx, expectedDate, status.servedDate ?? null);
  }
  if (status.code === "stale") {
    // A feed behind a past --date is not "not updated yet": it will never serve that day again.
    const live = pastDate(ctx, opts);
    if (live !== null) throw pastDateError(ctx, expectedDate, status.servedDate ?? null, live);
  }
  if (status.code !== "normal") {
    return finishWithoutPapers(empty, status.date, {
      ...status,
      message:
        status.code === "failed"
          ? status.message
          : `${status.message}${waited(status.code === "empty" ? "It stayed empty" : "It stayed so")}`,
    });
  }

  const date = status.date;
  const feeds = fetched.map((f) => f.feed).filter((f): f is ParsedFeed => f !== null);
  const a = ws.config.arxiv;
  const { candidates, counts } = feedFetching.collectCandidates(feeds, {
    announceTypes: a.announceTypes,
    primaryOnly: a.primaryOnly,
    categories: a.categories,
  });
  if (candidates.length === 0) {
    return finishWithoutPapers(
      empty,
      date,
      {
        code: "filtered-out",
        message: `${counts.entries} entries were announced, but none passed the announce-type filter (${a.announceTypes.join(", ")})${a.primaryOnly ? " and the primary-category filter" : ""}.`,
      },
      counts,
    );
  }
  ctx.log.info(`${counts.entries} entries, ${counts.unique} distinct papers, ${counts.scanned} to scan.`);

  const failed = sources.filter((s) => s.outcome === "failed");
  // Skipped entries change what the digest could hold: the reader's. An outdated holiday table is the operator's.
  const notes = feedProblems(fetched);
  const holidays = holidayTableWarning(date);
  const operatorNotes = holidays === null ? [] : [holidays];
  for (const n of [...notes, ...operatorNotes]) ctx.log.warn(n);
  const record = newDayRecord({
    notes,
    operatorNotes,
    date,
    producer,
    now: ctx.clock.now(),
    sources,
    status:
      failed.length > 0
        ? {
            code: "partial",
            message: `${failed.length} of ${sources.length} feeds failed (${failed.map((s) => s.categories.join("+")).join(", ")}); papers from them are missing.${waited("They stayed so")}`,
          }
        : { code: "normal", message: `The announcement of ${date} was read from ${sources.length} feed(s).` },
  });
  return await judgeSaveAndDeliver(ctx, store, record, candidates, counts, opts);
}

/**
 * The latest archived day after `date` whose record was read from arXiv (it names a source), or
 * null. A record without sources proves nothing of the date: a weekend is recorded from the
 * machine's clock alone, so a clock that was once ahead leaves one behind. Normally no day is
 * later than today, so nothing is read.
 */
async function latestReadDayAfter(store: ArchiveStore, date: string): Promise<string | null> {
  const later = (await store.listDays()).filter((d) => d > date).reverse();
  for (const day of later) {
    const record = await store.readDay(day).catch(() => null);
    if (record !== null && record.sources.length > 0) return day;
  }
  return null;
}

/** The loggers already told that the config chose the offline scorer. */
const toldOfflineChoice = new WeakSet<PipelineContext["log"]>();

/** Epoch milliseconds the run started: the feedback given before it is what the day learns from. */
export interface LearnBefore {
  learnBefore: number;
}

/**
 * The judging half shared by `run` and `backfill`: match followed authors, select, write the
 * record (keeping earlier delivery outcomes of the same day), then deliver when asked.
 */
export async function judgeSaveAndDeliver(
  ctx: PipelineContext,
  store: ArchiveStore,
  record: DayRecord,
  candidates: Candidate[],
  counts: DayCounts,
  opts: Pick<RunOptions, "deliver" | "onProgress"> & LearnBefore,
): Promise<RunResult> {
  const ws = ctx.workspace;
  // Loaded here, with the day's papers in hand: an empty day (a weekend, a holiday, a stale feed)
  // never loads the reader's history, the selection stages, the tokenizer or the LLM SDK.
  const [{ selectPapers }, { commandJudge }, { readerHistory, learningSummary }] = await Promise.all([
    import("../selection/select.js"),
    import("./judge.js"),
    import("./history.js"),
  ]);
  const authors = await loadAuthorMatcher(ctx);
  const history = await readerHistory(ws, store, record.date, opts.learnBefore, candidates);
  const c = history.counts;
  if (c.picked + c.liked + c.disliked > 0) {
    ctx.log.info(
      `Learning from ${plural(c.days, "earlier day")}: ${c.picked} picked${c.importedPicks > 0 ? ` (${c.importedPicks} by the imported tool)` : ""}, ${c.liked} liked or saved, ${c.disliked} disliked${c.retiredTopicPicks > 0 ? ` (${c.retiredTopicPicks} picked for topics no longer configured, left out)` : ""}.`,
    );
  }
  const unused = unusedFeedbackSentence(
    {
      waitingForDay: history.unused.waitingForDay,
      unresolved: history.unused.unresolved,
    },
    shownSelfCommand(),
  );
  if (unused) ctx.log.info(unused);
  const later = laterSignalsSentence(history.laterSignals, history.cutoff);
  if (later) ctx.log.info(later);
  // A model the endpoint's authoritative list lacks (a typo an endpoint would bill at no known
  // price) stops every call before the first paid one; another list only warns (llm-key.ts).
  const judge = commandJudge(ctx, `${record.date} was neither archived nor delivered`);
  const selection = await selectPapers(candidates, {
    config: ws.config,
    prompts: ws.prompts,
    matchAuthor: authors.match,
    history: history.model,
    taste: history.taste,
    judge,
    onProgress: opts.onProgress,
  });
  // So did a model the authoritative list lacks, or a key the endpoint refused: the day is neither
  // archived nor delivered (exit 2), so the re-run that works is its first record and first message.
  const unlisted = judge.kind === "llm" ? judge.client.modelRefused : null;
  if (unlisted) throw unlisted;
  const refused = judge.kind === "llm" ? judge.client.keyRefused : null;
  if (refused) {
    const error = new KeyRefusedError(ws.config.llm.apiKeyEnv, refused.refused, record.date);
    error.message = workspaceRedactor(ws)(error.message);
    throw error;
  }
  // Every note the record keeps is said on the terminal too: a Semantic Scholar outage, a damaged
  // feedback line, a failed batch. Those about the run, not the picks, are the operator's: the
  // record keeps them apart, so the digest does not open with them.
  const operatorNotes = [...authors.notes, ...history.notes];
  // The offline scorer the config chose (llm.provider: offline) is a choice, not a problem: said as
  // information (silent with -q), as is the reuse of earlier answers; every other note is a warning.
  const chosen =
    judge.kind === "offline" && judge.why === "configured" ? offlineScoringNote("configured", judge.keyEnv) : null;
  for (const n of [...operatorNotes, ...selection.notes, ...selection.operatorNotes]) {
    if (n === chosen) {
      // Once per logger: a command over several days (backfill, the demo) says its choice once.
      if (!toldOfflineChoice.has(ctx.log)) ctx.log.info(n);
      toldOfflineChoice.add(ctx.log);
    } else if (n === selection.reusedNote) ctx.log.info(n);
    else ctx.log.warn(n);
  }
  // Redacted before anything leaves the process: the archive, the Markdown page and every delivery.
  let out = redactDeep(
    applySelection(
      { ...record, ...operatorNotesOf([...(record.operatorNotes ?? []), ...operatorNotes]) },
      selection,
      counts,
      learningSummary(history),
    ),
    workspaceRedactor(ws),
  );
  if (await store.has(out.date)) {
    const previous = await store.readDay(out.date);
    // A re-run never makes a day worse by accident: a complete digest stays, unannounced, when
    // this run is not complete or left more papers to the free scorer (a budget stop, no key).
    const worse = worseThanArchived(previous, out, judge, ws.config.llm.budgetUsd);
    if (worse !== null) return keptFinishedDay(previous, worse);
    out = carryUnknownFields(previous, { ...out, deliveries: previous.deliveries });
  }
  const files = await saveDay(store, out, workspaceHolidays(ws));
  let failedDeliveries = 0;
  if (opts.deliver) {
    const before = out.deliveries.length;
    out = await deliverPending(ctx, store, out);
    failedDeliveries = out.deliveries.slice(before).filter((d) => d.outcome === "failed").length;
    await retryEarlierDeliveries(ctx, store, out.date);
  }
  return resultOf(out, files, failedDeliveries, ws.config.llm.prices, ws.named, ctx.actions);
}

/**
 * A day without papers to judge (weekend, holiday, stale, failed or filtered-out feeds): its record
 * is written, unless the day is already published with papers. When delivering, a failed run and
 * an honest empty day go to the channels as a summary (a weekend or a holiday does not, nor a stale
 * feed the run did not wait for: `deliveredWithoutPapers`), then the failures of the last few days
 * are retried as on any run.
 */
async function finishWithoutPapers(
  run: {
    ctx: PipelineContext;
    store: ArchiveStore;
    producer: string;
    sources: Source[];
    deliver: boolean;
    /** The run polled a stale feed (--wait-fresh) before giving up on it. */
    waitedForFresh: boolean;
    /** The damaged files the run has met so far (`withDamagedFiles`), by their problem. */
    damaged: Set<string>;
  },
  date: string,
  status: { code: StatusCode; message: string },
  counts?: { entries: number; unique: number; scanned: number },
): Promise<RunResult> {
  let result = await recordWithoutPapers(run, date, status, counts);
  if (!run.deliver) return result;
  if (result.files.length > 0 && deliveredWithoutPapers(result.record.status.code, run)) {
    const before = result.record.deliveries.length;
    const record = await deliverPending(run.ctx, run.store, result.record);
    const failed = record.deliveries.slice(before).filter((d) => d.outcome === "failed").length;
    result = {
      ...result,
      record,
      outcome: outcomeOf(record.status.code, failed),
      summary: `${result.summary}${failedDeliveriesSentence(date, failed, run.ctx.workspace.named, run.ctx.actions)}`,
    };
  }
  await retryEarlierDeliveries(run.ctx, run.store, date);
  return result;
}

async function recordWithoutPapers(
  run: { ctx: PipelineContext; store: ArchiveStore; producer: string; sources: Source[]; damaged: Set<string> },
  date: string,
  status: { code: StatusCode; message: string },
  counts?: { entries: number; unique: number; scanned: number },
): Promise<RunResult> {
  const { ctx, store } = run;
  const outcome = outcomeOf(status.code);
  // A day already published with papers is never replaced by an empty or failed record; one
  // without papers is, keeping what was delivered of it (a re-run that fails again sends nothing).
  const existing = (await store.has(date)) ? await store.readDay(date) : null;
  if (existing !== null && existing.papers.length > 0) {
    return { record: existing, outcome, summary: `${date}: kept the archived digest. ${status.message}`, files: [] };
  }
  const record = newDayRecord({
    date,
    producer: run.producer,
    now: ctx.clock.now(),
    sources: run.sources,
    status: { code: status.code, message: status.message },
    ...(counts ? { counts } : {}),
  });
  const saved =
    existing === null ? record : carryUnknownFields(existing, { ...record, deliveries: existing.deliveries });
  const files = await saveDay(store, saved, workspaceHolidays(ctx.workspace));
  // A weekend or a holiday is said once, as the summary, which names the next announcement (the
  // calendar's message) and what to run when earlier days were missed.
  if (noAnnouncement(status.code) !== null) {
    const missed = await missedSentence(
      store,
      workspaceHolidays(ctx.workspace),
      date,
      ctx.workspace.named,
      ctx.actions ?? false,
      (warning, unreadable) => {
        ctx.log.warn(warning);
        // Named here with how to repair it: a holiday's fetch that met the same file says no more of it.
        for (const u of unreadable) run.damaged.delete(u.problem);
      },
    );
    const summary = missed === null ? status.message : `${status.message.replace(/\.$/, "")}; ${missed}`;
    return { record: saved, outcome, summary, files };
  }
  // Said once, as the summary (a progress line before it would say the same).
  return { record: saved, outcome, summary: `${date}: ${status.message}`, files };
}

/**
 * The end of a weekend's or holiday's sentence when announcement days before `date` lack a digest
 * (the range `backfill` checks when not told: `archiveBackfillRange`): the days, and the backfill
 * that rebuilds them; null when none is missing or the archive holds no day to count from. A record
 * on the way that cannot be read is skipped and said in one warning (`unreadableWarning`): which
 * file, and how to repair it; the days around it are still counted.
 */
async function missedSentence(
  store: ArchiveStore,
  holidays: Set<string>,
  date: string,
  workspace: string | undefined,
  actions: boolean,
  warn: (message: string, unreadable: readonly UnreadableDay[]) => void,
): Promise<string | null> {
  const range = await archiveBackfillRange(store, date, holidays);
  if (range.since === null) return null;
  const { missing: missed, unreadable } = await findMissingDays(store, holidays, range.from, range.to);
  if (unreadable.length > 0)
    warn(
      unreadableWarning(unreadable, { workspace, actions, range: { ...range, holidays, missing: missed } }),
      unreadable,
    );
  if (missed.length === 0) return null;
  const first = missed[0]!;
  const last = missed.at(-1)!;
  const days =
    missed.length === 1
      ? `${first} has`
      : missed.length === 2
        ? `${first} and ${last} have`
        : `${missed.length} announcement days (${first} to ${last}) have`;
  return `${days} no digest: rebuild ${missed.length === 1 ? "it" : "them"} with ${backfillSuggestion(first, last, workspace, actions)}.`;
}
