/**
 * One announcement day, end to end: fetch the batch, judge the feed (normal, weekend, holiday,
 * stale, empty), select, write the DayRecord with every scanned paper, render the Markdown page,
 * deliver. Re-running a day is idempotent: the response cache answers every call already paid for.
 */

import {
  type DayRecord,
  type Delivery,
  emptyUsage,
  SCHEMA_VERSION,
  type Source,
  type StatusCode,
} from "../archive/schema.js";
import { type ArchiveStore, lockWorkspace } from "../archive/store.js";
import { classifyFeed } from "../arxiv/calendar.js";
import { collectCandidates, type FetchedFeed, fetchAnnouncement } from "../arxiv/fetch-feeds.js";
import type { Candidate, ParsedFeed } from "../arxiv/types.js";
import { deliverDay, pendingDeliveries } from "../deliver/index.js";
import { renderDayMarkdown } from "../render/markdown.js";
import { type SelectionResult, selectPapers } from "../selection/select.js";
import { dayPath } from "../site/urls.js";
import {
  createArxivClient,
  loadAuthorMatcher,
  openStore,
  type PipelineContext,
  todayInEastern,
  workspaceHolidays,
} from "./context.js";

export type ProgressEvent = Parameters<NonNullable<Parameters<typeof selectPapers>[1]["onProgress"]>>[0];

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

export interface RunResult {
  record: DayRecord;
  /** 0 complete (an honest empty day included), 1 incomplete, 3 feed not yet updated. */
  exitCode: number;
  summary: string;
  files: string[];
}

/** Exit codes of the CLI, in one place (README documents them). */
export const EXIT = { ok: 0, incomplete: 1, usage: 2, stale: 3 } as const;

const OK_STATUSES: ReadonlySet<StatusCode> = new Set(["normal", "no-announcement", "holiday", "empty", "filtered-out"]);

export function baseRecord(date: string, producer: string, ctx: PipelineContext): DayRecord {
  return {
    schema: SCHEMA_VERSION,
    date,
    kind: "daily",
    remedial: null,
    status: { code: "normal", message: "" },
    generatedAt: new Date(ctx.clock.now()).toISOString(),
    producer,
    sources: [],
    counts: { entries: 0, unique: 0, scanned: 0, selected: 0, unscored: 0 },
    usage: { stages: {}, total: emptyUsage(null), calls: [], costSource: "computed" },
    prompt: null,
    papers: [],
    deliveries: [],
    notes: [],
  };
}

/** The CLI's view of a finished day: exit code and a one-line summary. */
export function resultOf(record: DayRecord, files: string[], failedDeliveries = 0): RunResult {
  const u = record.usage.total;
  const spend =
    u.calls === 0 ? "no LLM calls" : `${u.calls} LLM calls, ${u.cost ? `$${u.cost.total.toFixed(4)}` : "unpriced"}`;
  const tail =
    (record.status.code === "normal" ? "" : ` ${record.status.message}`) +
    (failedDeliveries > 0
      ? ` ${failedDeliveries} delivery(ies) failed; \`arxiv-digest deliver ${record.date}\` retries them.`
      : "");
  return {
    record,
    exitCode: OK_STATUSES.has(record.status.code) && failedDeliveries === 0 ? EXIT.ok : EXIT.incomplete,
    summary: `${record.date}: ${record.counts.selected} selected of ${record.counts.scanned ?? "?"} scanned (${spend}).${tail}`,
    files,
  };
}

/** Writes the record and its Markdown page; returns the files written. */
export async function saveDay(store: ArchiveStore, record: DayRecord): Promise<string[]> {
  const json = await store.writeDay(record);
  const md = await store.writeSibling(record.date, "md", renderDayMarkdown(record));
  return [json, md];
}

/** Fills a record from a selection outcome: papers, counts, usage, prompt, status. */
export function applySelection(
  record: DayRecord,
  selection: SelectionResult,
  counts: { entries: number | null; unique: number | null; scanned: number },
): DayRecord {
  const selected = selection.papers.filter((p) => p.outcome === "selected").length;
  const unscored = selection.papers.filter((p) => p.outcome === "unscored").length;
  const out: DayRecord = {
    ...record,
    papers: selection.papers,
    prompt: selection.prompt,
    usage: { ...selection.usage, costSource: "computed" },
    counts: { ...counts, selected, unscored },
    notes: [...record.notes, ...selection.notes],
  };
  if (unscored > 0) {
    out.status = {
      code: "partial",
      message: `${unscored} of ${counts.scanned} scanned papers could not be scored; they are listed with the reason. Run again to retry them (paid answers are cached).`,
    };
  } else if (selected === 0 && counts.scanned > 0 && out.status.code === "normal") {
    out.status = {
      code: "normal",
      message: `${counts.scanned} papers scanned; none reached the selection cut-offs today.`,
    };
  }
  return out;
}

function sourcesOf(fetched: FetchedFeed[]): Source[] {
  return fetched.map((f) => f.source);
}

async function fetchFresh(
  ctx: PipelineContext,
  opts: RunOptions,
  expectedDate: string,
  store: ArchiveStore,
): Promise<{ fetched: FetchedFeed[]; status: { code: StatusCode; date: string; message: string } | null }> {
  const client = createArxivClient(ctx);
  const holidays = workspaceHolidays(ctx.workspace);
  const deadline = ctx.clock.now() + (opts.waitFreshMinutes ?? 0) * 60_000;
  for (;;) {
    const fetched = await fetchAnnouncement(client, ctx.workspace.config.arxiv);
    const feeds = fetched.map((f) => f.feed).filter((f): f is ParsedFeed => f !== null);
    if (feeds.length === 0) return { fetched, status: null };
    const last = await store.latestBefore(expectedDate);
    const status = classifyFeed({
      date: expectedDate,
      channel: feeds[0]!.channel,
      ids: feeds.flatMap((f) => f.entries.map((e) => e.id)),
      lastArchived: last ? { date: last.date, ids: last.papers.map((p) => p.id) } : null,
      holidays,
    });
    if (status.code !== "stale" || ctx.clock.now() >= deadline) return { fetched, status };
    const waitMs = Math.min((opts.pollMinutes ?? 5) * 60_000, deadline - ctx.clock.now());
    ctx.log.info(`${status.message} Checking again in ${Math.round(waitMs / 60_000)} min.`);
    await ctx.clock.sleep(waitMs);
  }
}

export async function runDay(ctx: PipelineContext, opts: RunOptions): Promise<RunResult> {
  const ws = ctx.workspace;
  const store = openStore(ws);
  const producer = opts.producer ?? "arxiv-digest run";
  const lock = await lockWorkspace(ws.dir, producer);
  try {
    const expectedDate = opts.date ?? todayInEastern(ctx.clock);
    ctx.log.info(
      `Fetching the arXiv announcement for ${ws.config.arxiv.categories.join(", ")} (expected date ${expectedDate}).`,
    );
    const { fetched, status } = await fetchFresh(ctx, opts, expectedDate, store);
    const sources = sourcesOf(fetched);

    if (!status) {
      const errors = sources.map((s) => `${s.url}: ${s.error ?? "failed"}`).join("; ");
      return finishWithoutPapers(ctx, store, expectedDate, producer, sources, {
        code: "failed",
        message: `No feed could be read (${errors}). Nothing was published; run again later.`,
      });
    }
    if (status.code !== "normal") {
      return finishWithoutPapers(ctx, store, status.date, producer, sources, status);
    }

    const date = status.date;
    const feeds = fetched.map((f) => f.feed).filter((f): f is ParsedFeed => f !== null);
    const a = ws.config.arxiv;
    const { candidates, counts } = collectCandidates(feeds, {
      announceTypes: a.announceTypes,
      primaryOnly: a.primaryOnly,
      categories: a.categories,
    });
    const record = baseRecord(date, producer, ctx);
    record.sources = sources;
    const failed = sources.filter((s) => s.outcome === "failed");
    if (candidates.length === 0) {
      return finishWithoutPapers(
        ctx,
        store,
        date,
        producer,
        sources,
        {
          code: "filtered-out",
          message: `${counts.entries} entries were announced, but none passed the announce-type filter (${a.announceTypes.join(", ")})${a.primaryOnly ? " and the primary-category filter" : ""}.`,
        },
        counts,
      );
    }
    ctx.log.info(`${counts.entries} entries, ${counts.unique} distinct papers, ${counts.scanned} to scan.`);

    record.status = { code: "normal", message: `The announcement of ${date} was read from ${sources.length} feed(s).` };
    if (failed.length > 0) {
      record.status = {
        code: "partial",
        message: `${failed.length} of ${sources.length} feeds failed (${failed.map((s) => s.categories.join("+")).join(", ")}); papers from them are missing.`,
      };
    }
    const saved = await selectAndSave(ctx, store, record, candidates, counts, opts);
    return resultOf(saved.record, saved.files, saved.failedDeliveries);
  } finally {
    await lock.release();
  }
}

/**
 * The judging half shared by `run` and `backfill`: match followed authors, select, write the
 * record (keeping earlier delivery outcomes of the same day), then deliver when asked.
 */
export async function selectAndSave(
  ctx: PipelineContext,
  store: ArchiveStore,
  record: DayRecord,
  candidates: Candidate[],
  counts: { entries: number | null; unique: number | null; scanned: number },
  opts: Pick<RunOptions, "deliver" | "onProgress">,
): Promise<{ record: DayRecord; files: string[]; failedDeliveries: number }> {
  const ws = ctx.workspace;
  const authors = await loadAuthorMatcher(ctx);
  record.notes.push(...authors.notes);
  const selection = await selectPapers(candidates, {
    config: ws.config,
    prompts: ws.prompts,
    matchAuthor: authors.match,
    apiKey: ws.env[ws.config.llm.apiKeyEnv]?.trim() || null,
    cacheDir: ws.cacheDir,
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    ...(ctx.fetchImpl ? { fetchImpl: ctx.fetchImpl } : {}),
  });
  for (const n of selection.notes) ctx.log.warn(n);
  let out = applySelection(record, selection, counts);
  if (await store.has(out.date)) out.deliveries = (await store.readDay(out.date)).deliveries;
  const files = await saveDay(store, out);
  let failedDeliveries = 0;
  if (opts.deliver) {
    const before = out.deliveries.length;
    out = await deliverPending(ctx, store, out);
    failedDeliveries = out.deliveries.slice(before).filter((d) => d.outcome === "failed").length;
    await retryEarlierDeliveries(ctx, store, out.date);
  }
  return { record: out, files, failedDeliveries };
}

async function finishWithoutPapers(
  ctx: PipelineContext,
  store: ArchiveStore,
  date: string,
  producer: string,
  sources: Source[],
  status: { code: StatusCode; message: string },
  counts?: { entries: number; unique: number; scanned: number },
): Promise<RunResult> {
  const exitCode = status.code === "stale" ? EXIT.stale : OK_STATUSES.has(status.code) ? EXIT.ok : EXIT.incomplete;
  // A day already published with papers is never replaced by an empty or failed record.
  if (await store.has(date)) {
    const existing = await store.readDay(date);
    if (existing.papers.length > 0) {
      return { record: existing, exitCode, summary: `${date}: kept the archived digest. ${status.message}`, files: [] };
    }
  }
  const record = baseRecord(date, producer, ctx);
  record.sources = sources;
  record.status = { code: status.code, message: status.message };
  if (counts) record.counts = { ...counts, selected: 0, unscored: 0 };
  const files = await saveDay(store, record);
  ctx.log.info(status.message);
  return { record, exitCode, summary: `${date}: ${status.message}`, files };
}

/**
 * Sends the day to every configured channel that has not received it yet (every channel with
 * `again`), records each outcome after the earlier ones, and writes the record once.
 */
export async function deliverPending(
  ctx: PipelineContext,
  store: ArchiveStore,
  record: DayRecord,
  opts: { again?: boolean } = {},
): Promise<DayRecord> {
  const cfg = ctx.workspace.config;
  // Delivery skips targets the record shows as sent: hide those outcomes to send again.
  const target = opts.again ? { ...record, deliveries: record.deliveries.filter((d) => d.outcome !== "sent") } : record;
  const channels = pendingDeliveries(target, cfg.deliver, ctx.workspace.env);
  if (channels.length === 0) return record;
  const results: Delivery[] = await deliverDay(target, cfg.deliver, {
    env: ctx.workspace.env,
    siteUrl: dayUrl(cfg.site.baseUrl, record.date),
    channels,
    clock: ctx.clock,
    ...(ctx.fetchImpl ? { fetchImpl: ctx.fetchImpl } : {}),
  });
  const updated = { ...record, deliveries: [...record.deliveries, ...results] };
  await store.writeDay(updated);
  for (const d of results) {
    if (d.outcome === "sent") ctx.log.info(`Delivered ${record.date} by ${d.channel} to ${d.target}.`);
    else
      ctx.log.warn(`Delivery of ${record.date} by ${d.channel} to ${d.target} failed: ${d.error ?? "unknown error"}`);
  }
  return updated;
}

/** The next run retries deliveries that failed on the previous few days. */
async function retryEarlierDeliveries(ctx: PipelineContext, store: ArchiveStore, date: string): Promise<void> {
  const days = (await store.listDays()).filter((d) => d < date).slice(-5);
  for (const d of days) {
    const rec = await store.readDay(d);
    if (rec.deliveries.some((x) => x.outcome === "failed")) await deliverPending(ctx, store, rec);
  }
}

/** The public URL of a day's page on the site. */
export function dayUrl(baseUrl: string, date: string): string {
  return new URL(dayPath(date), baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`).toString();
}
