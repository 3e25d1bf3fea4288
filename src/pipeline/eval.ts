/**
 * `arxiv-digest eval`: replays selection over labelled days and says how well it picks, and at
 * what cost. Labels come from a folder of labelled days (the format of bench/data/labelled-days:
 * every paper of a day plus the papers a reader or a reference tool picked), or from the
 * workspace's own archive, where a day's labels are the reader's likes and saves of its papers
 * (a library entry saved by title counting for the archived paper of that title, feedback/titled.ts)
 * (or, when the reader gave none, the day's own picks less the ones the reader disliked, which
 * checks that a changed prompt or budget still picks the same papers: agreement with the earlier
 * digest, not with the reader). A disliked paper is never a label: the papers the reader disliked
 * that the replay still selects are counted on their own (`dislikedSelected`), so learning from
 * dislikes is measured too. Each day says where its labels came from, and when both kinds are
 * present the days the reader labelled are also pooled on their own (`feedbackOnly`), so
 * self-agreement cannot pass for taste.
 *
 * `--warm` replays each day as the daily run would have made it that morning: the history model
 * and the reader's taste in the scoring prompt, both from the feedback given before the day. Each
 * day says what it learnt from (`learnedFrom`), and a note says when no day learnt from the
 * feedback the workspace holds (most often all given after the days replayed) and why.
 *
 * With a key the LLM is replayed through the response cache, so re-running an evaluation costs
 * nothing and an A/B of two settings costs one run each; what the evaluation itself paid is said
 * apart from what a day costs when paid in full. The daily runs' own answers seldom match (their
 * prompts held the reader's taste as it was then), so before its first paid call the evaluation
 * replays every day against the cache alone, says about what the requests it cannot answer will
 * cost (each answer at its cap; retries are not foreseen), and stops when that passes its limit
 * (`estimateSpend`, eval/spend-limit.ts). The limit itself is what guarantees: every attempt of
 * the replay, retries included, is held against it at its worst case, over all the days (each
 * day's budget guard is given what the days before it left, their attempts of unknown cost counted
 * whole), so what the evaluation is billed stays within it. `llm.budgetUsd` caps each day as it
 * caps a run. Without a key the offline scorer is used and the funnel's free stage is still
 * measured exactly.
 */
import type { ArchiveStore } from "../archive/store.js";
import { easternDate, easternDayStart } from "../arxiv/calendar.js";
import type { Config } from "../config/schema.js";
import { type LabelledDay, loadLabelledDays, toCandidate } from "../eval/labelled-days.js";
import { pooled, precisionAtK, type Ratio, recallAt, shareSent } from "../eval/metrics.js";
import {
  estimateLine,
  freeLocalWarning,
  limitText,
  type SpendEstimate,
  type SpendLimit,
  spendLimit,
  spendRefusal,
} from "../eval/spend-limit.js";
import { papersCachePath, readPapersCache } from "../feedback/resolve.js";
import { currentState, feedbackPath, type ReadSignals, readSignals } from "../feedback/store.js";
import { identifySignals, type NamedPaper } from "../feedback/titled.js";
import { commandLine } from "../format/command.js";
import { plural, storedVerdictsText, unusedFeedbackSentence } from "../format/text.js";
import { completionBlocker, hasFullListing, isImportedDay } from "../import/listing.js";
import { shownSelfCommand } from "../io/self-command.js";
import { createSpendLedger, worstCaseUsd } from "../llm/budget.js";
import { type ChatClient, type ChatRequest, heldTokens } from "../llm/client.js";
import { BudgetReachedError, LlmFatalError } from "../llm/errors.js";
import { isLocalEndpoint } from "../llm/models.js";
import { costOf, priceFor } from "../llm/prices.js";
import type { Candidate } from "../model/candidate.js";
import type { CallUsage, DayRecord } from "../model/day-record.js";
import { fitHistoryModel, type HistoryModel, SELECTED_WEIGHT, UNSELECTED_WEIGHT } from "../selection/history.js";
import type { Judge } from "../selection/judge.js";
import type { ReaderTaste } from "../selection/prompt.js";
import { rankTheDay, rationed, rationSize, selectPapers } from "../selection/select.js";
import { openStore, type PipelineContext, workspaceRedactor } from "./context.js";
import { type ReaderHistory, readerHistory } from "./history.js";
import { commandJudge, createJudge } from "./judge.js";
import { checkLlmKey, KeyRefusedError } from "./llm-key.js";
import { type Spend, spendOf } from "./record.js";

/** One day to replay: its candidates, the labelled ids, and who wrote the papers the reader follows. */
export interface EvalDay {
  date: string;
  candidates: Candidate[];
  labels: Set<string>;
  /** The day's papers the reader disliked: never labels, and a replay that selects one is counted. */
  dislikes: Set<string>;
  /** Labelled author matches (a labelled-days folder records them; the archive knows its own). */
  authorMatches: Map<string, string>;
  /** Where the labels came from, for the report. */
  labelSource: "folder" | "feedback" | "picks" | "imported";
  /**
   * The day's listing was reconstructed from the export API by submission date (an imported day
   * completed by `backfill --imported`), so it is approximate.
   */
  reconstructed: boolean;
}

/** The funnel's ratios, for one day or pooled over days. */
export interface FunnelRatios {
  sent: Ratio;
  /** Labels that reached a judge (sent to the LLM or, offline, kept by the prefilter) or an author match. */
  recallPrefilter: Ratio;
  /**
   * Labels whose abstract the LLM scored (all it was sent, or with the title triage those within
   * the ration) or an author match; offline, the same by the free rank alone.
   */
  recallScored: Ratio;
  /** Labels the digest finally selected. */
  recallSelected: Ratio;
  precisionAtK: Ratio;
  /** Disliked papers the replay still selected (lower is better; total 0 when none was disliked). */
  dislikedSelected: Ratio;
}

/**
 * What a warm replay of a day learnt from (null on a cold replay, which learns from nothing). Over
 * the archive these are the counts `readerHistory` gives for the day's start, as the daily run
 * would have had them that morning: feedback given later never counts for the day.
 */
export interface DayLearning {
  /** Earlier days read (a labels folder: the earlier labelled days). */
  days: number;
  /** Earlier picks learnt from as weak positives (a labels folder: the earlier days' labels). */
  picks: number;
  /** Papers you liked or saved before the day began, library entries included. */
  likedOrSaved: number;
  /** Of `likedOrSaved`, the papers a library import saved (`feedback import`). */
  fromLibrary: number;
  /** Papers you disliked before the day began. */
  disliked: number;
  /** Lines of feedback.jsonl given at or after the day's start: not learnt from, so no label leaks into the day. */
  givenAfter: number;
  /** The day's start, as an ISO instant: only feedback given before it counts (null for a labels folder). */
  cutoff: string | null;
}

export interface EvalDayResult extends FunnelRatios {
  date: string;
  /** What the day's replay learnt from (`--warm`); null when it learnt from nothing (a cold replay). */
  learnedFrom: DayLearning | null;
  labelSource: EvalDay["labelSource"];
  /** See EvalDay. */
  reconstructed: boolean;
  scanned: number;
  labels: number;
  /** LLM answers the day's digest took, reused from the response cache or not (not the verdicts below). */
  calls: number;
  /** Tokens of every request the day needs: its calls, and what the reused verdicts below took when paid. */
  promptTokens: number;
  completionTokens: number;
  /**
   * What the day costs when paid in full, in USD at the configured models: every request the day
   * needs, answers replayed from the response cache and verdicts reused paper by paper counted at
   * what they cost when paid (`reusedCostUsd`), answers without token counts at an estimate
   * (`estimatedAnswers`); null when unpriced or offline. What this evaluation paid is `EvalReport.spend`.
   */
  costUsd: number | null;
  /**
   * The day's answers that came without token counts (the endpoint sent none), paid in this
   * evaluation or replayed from the response cache: counted in the tokens and cost above at the
   * estimate a reused verdict without a share gets, their prompt's size and a usual reply's length.
   */
  estimatedAnswers: number;
  /** Of `estimatedAnswers`, those replayed from the response cache. */
  estimatedReplays: number;
  /**
   * Papers scored by a verdict kept from an earlier answer (llm/answers.ts) and not sent again:
   * counted in the tokens and cost above at their share of the answer that gave them.
   */
  reusedScores: number;
  /** Titles given a triage verdict kept from an earlier answer and not sent again, counted likewise. */
  reusedTitles: number;
  /** The part of `costUsd` for the reused verdicts (0 when none; null when unpriced or offline). */
  reusedCostUsd: number | null;
  /**
   * Reused verdicts without a usable share of their answer's tokens (stored by an earlier version,
   * from an answer that came without token counts, or with a share no request of the stage could
   * take), counted at an estimate: their prompt as the day would batch it and a usual reply's length.
   */
  estimatedVerdicts: number;
}

/** Figures pooled over a set of days. */
export interface EvalFigures extends FunnelRatios {
  promptTokensPerScanned: number | null;
  completionTokensPerScanned: number | null;
  /**
   * What a day costs when paid in full, on average: every request it needs, reused answers and
   * verdicts at what they cost when paid (not what this evaluation paid: see `spend`).
   */
  costPerDayUsd: number | null;
}

export interface EvalReport {
  model: string | null;
  judge: "llm" | "offline";
  days: EvalDayResult[];
  /** Every day pooled, whatever its labels came from. */
  overall: EvalFigures;
  /** How many days each label source labelled. */
  labelSources: Record<EvalDay["labelSource"], number>;
  /**
   * The days labelled by the reader's likes and saves, pooled on their own: set when other days
   * are labelled by the digest's own picks, whose figures measure agreement with that digest.
   */
  feedbackOnly: EvalFigures | null;
  /** What this evaluation paid: new calls, answers reused from the response cache, USD. */
  spend: Spend;
  /** What it was to pay, known before its first paid call (null offline). */
  estimate: SpendEstimate | null;
  notes: string[];
}

export interface EvalOptions {
  /** A folder of labelled days; without it, the workspace archive. */
  labelsDir?: string;
  /** Only the last N days. */
  lastDays?: number;
  /** Days before each one learn history (folder: earlier days' labels; archive: the real history). */
  warm?: boolean;
  /**
   * The most the evaluation may pay (`--max-usd`): an estimate above it stops it before any paid
   * call; `DEFAULT_MAX_USD` when absent, never above `llm.budgetUsd`. 0: the response cache only.
   */
  maxUsd?: number;
}

function fromFolder(day: LabelledDay): EvalDay {
  const authorMatches = new Map<string, string>();
  const labels = new Set<string>();
  for (const [id, label] of Object.entries(day.labels)) {
    labels.add(id);
    if ("authorMatch" in label) authorMatches.set(id, "a followed author");
  }
  return {
    date: day.date,
    candidates: day.papers.map(toCandidate),
    labels,
    dislikes: new Set(),
    authorMatches,
    labelSource: "folder",
    reconstructed: false,
  };
}

/**
 * The archive's days with their full list of scanned papers. An imported day holds only the old
 * tool's picks until `backfill --imported` adds the rest of its listing; until then it cannot be
 * replayed, and the notes say the command that completes it.
 */
async function fromArchive(store: ArchiveStore, dir: string, notes: string[]): Promise<EvalDay[]> {
  const read = await readSignals(feedbackPath(dir));
  /** The days that can be replayed, labelled once the feedback is known (below). */
  const replayable: { date: string; record: DayRecord; imported: boolean }[] = [];
  /** Every archived paper, for the library entries kept by title alone to name theirs. */
  const archived: NamedPaper[] = [];
  let picksOnly = 0;
  let importedPicksOnly = 0;
  let unreadable = 0;
  for (const date of await store.listDays()) {
    const record = await store.readDay(date).catch(() => null);
    if (!record) {
      unreadable += 1;
      continue;
    }
    if (read.titled.length > 0) archived.push(...record.papers);
    if (record.papers.every((p) => p.outcome === "selected")) {
      // A day the imported tool never judged, or one that is only a gap, has nothing to replay.
      if (isImportedDay(record) && completionBlocker(record) === null) importedPicksOnly += 1;
      else if (record.papers.length > 0) picksOnly += 1;
      continue;
    }
    replayable.push({ date, record, imported: hasFullListing(record) });
  }
  // A title-only line counts for the archived or resolved paper of that title, as for every reader.
  const resolved =
    read.titled.length > 0 ? await readPapersCache(papersCachePath(dir)).catch(() => new Map()) : new Map();
  const { signals } = identifySignals(read, [...archived, ...resolved.values()]);
  const state = [...currentState(signals)];
  const disliked = new Set(state.filter(([, f]) => f.disliked).map(([id]) => id));
  const wanted = new Set(state.filter(([id, f]) => (f.liked || f.saved) && !disliked.has(id)).map(([id]) => id));
  const days: EvalDay[] = [];
  for (const { date, record, imported } of replayable) {
    const candidates: Candidate[] = record.papers.map((p) => ({
      id: p.id,
      version: p.version,
      title: p.title,
      authors: p.authors,
      abstract: p.abstract,
      categories: p.categories,
      announceType: p.announceType ?? "new",
    }));
    const authorMatches = new Map(
      record.papers.flatMap((p) => (p.authorMatch ? [[p.id, p.authorMatch] as const] : [])),
    );
    const liked = record.papers.filter((p) => wanted.has(p.id)).map((p) => p.id);
    const dislikes = new Set(record.papers.filter((p) => disliked.has(p.id)).map((p) => p.id));
    // A paper the reader disliked is never a label, whatever the earlier digest made of it.
    const picks = record.papers.filter((p) => p.outcome === "selected" && !dislikes.has(p.id)).map((p) => p.id);
    const labels = new Set(liked.length > 0 ? liked : picks);
    // A day with dislikes alone is still replayed: whether the replay still selects them is its figure.
    if (labels.size === 0 && dislikes.size === 0) continue;
    days.push({
      date,
      candidates,
      labels,
      dislikes,
      authorMatches,
      labelSource: liked.length > 0 ? "feedback" : imported ? "imported" : "picks",
      reconstructed: imported,
    });
  }
  if (importedPicksOnly > 0) {
    notes.push(
      `${plural(importedPicksOnly, "imported day")} ${importedPicksOnly === 1 ? "holds" : "hold"} only the imported tool's picks and cannot be replayed yet: ${commandLine("backfill --imported")} fetches ${importedPicksOnly === 1 ? "its" : "their"} full listing from the arXiv export API (a few requests a day, 3 s or more apart; no LLM call).`,
    );
  }
  if (picksOnly + unreadable > 0) {
    const what = [
      ...(picksOnly > 0
        ? [
            `${plural(picksOnly, "archived day")} ${picksOnly === 1 ? "holds" : "hold"} only ${picksOnly === 1 ? "its" : "their"} picks`,
          ]
        : []),
      ...(unreadable > 0 ? [`${plural(unreadable, "archived day")} cannot be read`] : []),
    ];
    notes.push(`${what.join(" and ")}: not replayed.`);
  }
  return days;
}

/** History for a folder day: the earlier days' picks as weak positives, their other papers as weak negatives. */
function folderHistory(earlier: readonly EvalDay[]): HistoryModel {
  return fitHistoryModel(
    earlier.flatMap((d) =>
      d.candidates.map((c) => ({
        title: c.title,
        abstract: c.abstract,
        weight: d.labels.has(c.id) ? SELECTED_WEIGHT : UNSELECTED_WEIGHT,
      })),
    ),
  );
}

/** What a day is replayed with: its history and the reader's taste (`--warm`), and what they learnt from. */
interface DayInputs {
  day: EvalDay;
  history: HistoryModel | undefined;
  taste: ReaderTaste | undefined;
  learnedFrom: DayLearning | null;
}

/** The day's selection, judged by `judge`, as `run` would make it with these inputs. */
function selectDay(ctx: PipelineContext, config: Config, judge: Judge, { day, history, taste }: DayInputs) {
  const matchAuthor = (c: Candidate) => day.authorMatches.get(c.id) ?? null;
  return selectPapers(day.candidates, {
    config,
    prompts: ctx.workspace.prompts,
    matchAuthor,
    judge,
    ...(history ? { history } : {}),
    ...(taste ? { taste } : {}),
  });
}

/**
 * What the evaluation would pay, known before it pays anything: every day replayed in order with
 * the same inputs against the response cache and the papers' stored verdicts alone, each request
 * the cache cannot answer counted instead of sent, at what the budget guard would hold it to (its
 * prompt tokens exactly, its answer at its cap: `heldTokens`). A title batch the cache cannot
 * answer leaves its titles undecided here, so the abstracts counted after it are those the free
 * rank would ration, near in number and size to those the paid triage leads to, not the same. Each
 * request is counted once: its retries, the smaller batches asked again after a half-usable
 * answer and a response format stepped down are not foreseen, so this is an estimate, not a bound
 * (the limit holds what it misses). A model without a price at a local endpoint (Ollama, llama.cpp
 * on this machine, `isLocalEndpoint`) is counted as free. Null offline.
 */
async function estimateSpend(
  ctx: PipelineContext,
  config: Config,
  inputs: readonly DayInputs[],
  limit: SpendLimit,
): Promise<SpendEstimate | null> {
  const ws = ctx.workspace;
  const misses: ChatRequest[] = [];
  let requests = 0;
  for (const input of inputs) {
    const real = createJudge({ llm: config.llm, env: ws.env, cacheDir: ws.cacheDir, clock: ctx.clock });
    if (real.kind !== "llm") return null;
    const { client } = real;
    // Answers from the cache as they are (no request, no key check); a miss is counted, and fails
    // as an endpoint that stopped answering would: its papers unjudged, nothing written.
    const probe: ChatClient = {
      get format() {
        return client.format;
      },
      cached: (request) => client.cached?.(request) ?? Promise.resolve(false),
      async complete(request) {
        requests += 1;
        if (await client.cached?.(request)) return client.complete(request);
        misses.push(request);
        throw new LlmFatalError("not in the response cache (counted for the estimate, not sent)");
      },
    };
    await selectDay(ctx, config, { ...real, client: probe }, input);
  }
  const baseUrl = config.llm.baseUrl ?? ws.env.OPENAI_BASE_URL;
  const local = isLocalEndpoint(baseUrl);
  let promptTokens = 0;
  let completionTokens = 0;
  let usd: number | null = 0;
  const unpriced = new Set<string>();
  const freeLocal = new Set<string>();
  for (const request of misses) {
    const held = heldTokens(config.llm, baseUrl, request);
    promptTokens += held.promptTokens;
    completionTokens += held.completionTokens;
    const price = priceFor(request.model, config.llm.prices);
    if (price === null) (local ? freeLocal : unpriced).add(request.model);
    else if (usd !== null) usd += worstCaseUsd(held.promptTokens, held.completionTokens, price);
  }
  if (unpriced.size > 0) usd = null;
  return {
    requests,
    misses: misses.length,
    promptTokens,
    completionTokens,
    usd,
    unpriced: [...unpriced],
    freeLocal: [...freeLocal],
    limit,
  };
}

/**
 * `client` as the evaluation may use it: a request to a model without a price at an endpoint off
 * this machine, which no budget guard can hold, is not sent unless the response cache answers it
 * (the estimate refused such models before the replay began; this holds the ones it could not
 * foresee). `stopped` is told of each one held back.
 */
function pricedOnly(client: ChatClient, config: Config, baseUrl: string | undefined, stopped: () => void): ChatClient {
  if (isLocalEndpoint(baseUrl)) return client;
  return {
    get format() {
      return client.format;
    },
    get keyRefused() {
      return client.keyRefused ?? null;
    },
    get modelRefused() {
      return client.modelRefused ?? null;
    },
    cached: (request) => client.cached?.(request) ?? Promise.resolve(false),
    async complete(request) {
      if (priceFor(request.model, config.llm.prices) === null && !(await client.cached?.(request))) {
        stopped();
        throw new BudgetReachedError(`${request.model} has no price, so eval's limit cannot hold it`);
      }
      return client.complete(request);
    },
  };
}

async function replayDay(
  ctx: PipelineContext,
  config: Config,
  judge: Judge,
  inputs: DayInputs,
): Promise<EvalDayResult & { callUsage: CallUsage[] }> {
  const ws = ctx.workspace;
  const { day, history, learnedFrom } = inputs;
  const result = await selectDay(ctx, config, judge, inputs);
  // A key the endpoint refused left the day's papers unjudged: figures from a half replay would
  // pass for the settings' own, so eval stops (exit 2), as run does; the answers received stay cached.
  const unlisted = judge.kind === "llm" ? judge.client.modelRefused : null;
  if (unlisted) throw unlisted;
  const refused = judge.kind === "llm" ? judge.client.keyRefused : null;
  if (refused) {
    const error = new KeyRefusedError(config.llm.apiKeyEnv, refused.refused, day.date, "eval");
    error.message = workspaceRedactor(ws)(error.message);
    throw error;
  }
  const byId = new Map(result.papers.map((p) => [p.id, p]));
  // The free stage: what the LLM read, or offline what the prefilter would have sent.
  let reached: string[];
  let scored: string[];
  let sent: number;
  if (judge.kind === "llm") {
    reached = result.papers.filter((p) => p.outcome !== "prefiltered-out").map((p) => p.id);
    scored = result.papers
      .filter((p) => p.outcome !== "prefiltered-out" && p.outcome !== "triaged-out")
      .map((p) => p.id);
    sent = result.sentToLlm ?? 0;
  } else {
    const rest = day.candidates.filter((c) => !day.authorMatches.has(c.id));
    const decisions = rankTheDay(rest, day.candidates, config, history);
    const kept = [...decisions.values()].filter((d) => d.kept).map((d) => d.id);
    const sentRest = rest.filter((c) => decisions.get(c.id)?.kept);
    const p = config.selection.prefilter;
    // Without the title triage a paid run scores every paper the prefilter sent: there is no ration.
    const offlineRation = config.llm.triage.enabled
      ? rationed(sentRest, () => "undecided", decisions, p.floor, rationSize(p, decisions.size))
      : sentRest.map((c) => c.id);
    reached = [...kept, ...day.authorMatches.keys()];
    scored = [...offlineRation, ...day.authorMatches.keys()];
    sent = kept.length;
  }
  // What the day's answers cost paid in full, as its record keeps it (`UsageMeter.summary`): its
  // calls, answers replayed from the response cache, and verdicts reused paper by paper at what they
  // took when paid (an estimate where their shares are missing or add up to more than the day could
  // take: `estimated`), each at its own stage's model.
  const usage = result.usage.total;
  const price = judge.kind === "llm" ? priceFor(config.llm.model, config.llm.prices) : null;
  const reused = usage.reused;
  // Answers without token counts count 0 in `usage`: each at its request's estimate instead, at its own model.
  const unknown = judge.kind === "llm" ? judge.meter.estimatedCalls() : [];
  const unknownPrices = unknown.map((c) => priceFor(c.model, config.llm.prices));
  const unknownCostUsd = unknownPrices.every((p) => p !== null)
    ? unknown.reduce((sum, c, i) => sum + costOf(c, unknownPrices[i]!).total, 0)
    : null;
  const dayCost = price && usage.cost !== null && unknownCostUsd !== null ? usage.cost.total + unknownCostUsd : null;
  const estimatedReplays = result.usage.calls.filter((c) => c.replayed && c.usageMissing).length;
  const selected = result.papers.filter((p) => p.outcome === "selected").map((p) => p.id);
  return {
    date: day.date,
    learnedFrom,
    labelSource: day.labelSource,
    reconstructed: day.reconstructed,
    scanned: byId.size,
    labels: day.labels.size,
    sent: shareSent(sent, byId.size),
    recallPrefilter: recallAt(reached, day.labels),
    recallScored: recallAt(scored, day.labels),
    recallSelected: recallAt(selected, day.labels),
    precisionAtK: precisionAtK(
      result.papers.map((p) => p.id),
      day.labels,
    ),
    dislikedSelected: recallAt(selected, day.dislikes),
    calls: usage.calls,
    promptTokens: usage.promptTokens + Math.round(unknown.reduce((sum, r) => sum + r.promptTokens, 0)),
    completionTokens: usage.completionTokens + Math.round(unknown.reduce((sum, r) => sum + r.completionTokens, 0)),
    costUsd: dayCost,
    estimatedAnswers: unknown.length,
    estimatedReplays,
    reusedScores: judge.kind === "llm" ? (judge.answers?.reused() ?? 0) : 0,
    reusedTitles: judge.kind === "llm" ? (judge.answers?.reusedTitles() ?? 0) : 0,
    reusedCostUsd: judge.kind === "llm" ? (reused ? reused.cost : 0) : null,
    estimatedVerdicts: reused?.estimated ?? 0,
    callUsage: result.usage.calls,
  };
}

export async function evaluate(ctx: PipelineContext, opts: EvalOptions): Promise<EvalReport> {
  const ws = ctx.workspace;
  // Replaying with provider "openai" and no key would judge nothing: an environment mistake, said
  // before any day is read; "auto" with the key under another name is warned of, as run does.
  checkLlmKey(ws, (message) => ctx.log.warn(message));
  const config = ws.config;
  const notes: string[] = [];
  const store = openStore(ws);
  let days = opts.labelsDir
    ? loadLabelledDays(opts.labelsDir).map(fromFolder)
    : await fromArchive(store, ws.dir, notes);
  days.sort((a, b) => a.date.localeCompare(b.date));
  const all = days;
  if (opts.lastDays !== undefined) days = days.slice(-opts.lastDays);

  /** The history of the last day replayed warm over the archive, for the note on feedback none learnt from. */
  let lastReader: ReaderHistory | null = null;
  const inputs: DayInputs[] = [];
  for (const day of days) {
    let history: HistoryModel | undefined;
    let taste: ReaderTaste | undefined;
    let learnedFrom: DayLearning | null = null;
    if (opts.warm && opts.labelsDir) {
      // A folder's labels are picks, not the reader's likes: they teach the history model, and no taste.
      const earlier = all.filter((d) => d.date < day.date);
      history = folderHistory(earlier);
      learnedFrom = {
        days: earlier.length,
        picks: earlier.reduce((sum, d) => sum + d.labels.size, 0),
        likedOrSaved: 0,
        fromLibrary: 0,
        disliked: 0,
        givenAfter: 0,
        cutoff: null,
      };
    } else if (opts.warm) {
      // As the run would have made the day: the history model and the taste block of the scoring
      // prompt, from the day's start (midnight US Eastern, when the daily run may begin making it),
      // so a replayed day never learns from feedback given after it.
      const reader = await readerHistory(ws, store, day.date, easternDayStart(day.date), day.candidates);
      history = reader.model;
      taste = reader.taste;
      lastReader = reader;
      learnedFrom = {
        days: reader.counts.days,
        picks: reader.counts.picked,
        likedOrSaved: reader.counts.liked,
        fromLibrary: reader.counts.fromLibrary,
        disliked: reader.counts.disliked,
        givenAfter: reader.laterSignals,
        cutoff: reader.cutoff,
      };
    }
    inputs.push({ day, history, taste, learnedFrom });
  }

  // Before the first paid call: what the replay will pay, said, and refused over the limit.
  const limit = spendLimit(opts.maxUsd);
  const estimate = await estimateSpend(ctx, config, inputs, limit);
  if (estimate !== null) {
    const refusal = spendRefusal(estimate, config.llm.prices);
    if (refusal) throw refusal;
    const free = freeLocalWarning(estimate);
    if (free !== null) ctx.log.warn(free);
    ctx.log.info(estimateLine(estimate));
  }

  const results: EvalDayResult[] = [];
  const calls: CallUsage[] = [];
  /**
   * What the days replayed so far may have been billed, as their budget guards counted it: real
   * costs, and the worst case of every attempt whose cost is not known (no answer, or an answer
   * without token counts), so a day never gets back what an earlier day may have paid.
   */
  let committedUsd = 0;
  /** Requests not sent, one count each: over the evaluation's limit, over a day's llm.budgetUsd, to an unpriced model. */
  const heldBack = { limit: 0, budget: 0, unpriced: 0 };
  const baseUrl = config.llm.baseUrl ?? ws.env.OPENAI_BASE_URL;
  for (const [i, input] of inputs.entries()) {
    // The limit is a hard cap over the whole evaluation: each day's budget guard may hold what the
    // days before it left of it, and no more than llm.budgetUsd, as the daily run would have been capped.
    const left = Math.max(0, limit.usd - committedUsd);
    const daily = config.llm.budgetUsd;
    const byBudget = daily !== undefined && daily < left;
    const ledger = createSpendLedger(byBudget ? daily : left);
    // As run: a model the endpoint's authoritative list lacks stops the replay before its first paid
    // call, another list only warns; one `GET /models` and each warning for the whole command (ctx).
    const made = commandJudge(ctx, `eval stopped at ${input.day.date} and reported no figures`, {
      llm: config.llm,
      ledger,
    });
    const judge: Judge =
      made.kind === "llm"
        ? { ...made, client: pricedOnly(made.client, config, baseUrl, () => (heldBack.unpriced += 1)) }
        : made;
    const { callUsage, ...result } = await replayDay(ctx, config, judge, input);
    if (judge.kind === "llm") {
      const stops = [...judge.meter.budgetStops.values()].reduce((sum, n) => sum + n, 0);
      heldBack[byBudget ? "budget" : "limit"] += stops;
    }
    // Every call of the day has ended; what is still held (none, unless a call outlived its day) counts whole.
    committedUsd += ledger.settledUsd + ledger.heldUsd;
    calls.push(...callUsage);
    ctx.log.info(`Replayed ${input.day.date} (${i + 1} of ${inputs.length}).`);
    results.push(result);
  }
  const unsent = (n: number) => `${plural(n, "request")} ${n === 1 ? "was" : "were"} not sent`;
  const they = (n: number) => (n === 1 ? "it" : "they");
  const fallback =
    "their papers got the offline score or, in the title triage, stayed undecided, so the figures are not the settings' own";
  if (heldBack.limit > 0) {
    notes.push(
      `${unsent(heldBack.limit)} because ${they(heldBack.limit)} would have taken this evaluation past its limit of ${limitText(limit)}, each attempt counted at its worst case: ${fallback}; a higher \`--max-usd\` lets them through.`,
    );
  }
  if (heldBack.budget > 0) {
    notes.push(
      `${unsent(heldBack.budget)} because ${they(heldBack.budget)} would have taken ${heldBack.budget === 1 ? "its day" : "their days"} past llm.budgetUsd ($${config.llm.budgetUsd}), which caps each replayed day as it caps the daily run: their papers got the offline score or, in the title triage, stayed undecided, as in a run capped alike.`,
    );
  }
  if (heldBack.unpriced > 0) {
    notes.push(
      `${unsent(heldBack.unpriced)} because ${heldBack.unpriced === 1 ? "its model has" : "their models have"} no price under llm.prices and the endpoint is not on this machine, so this evaluation's limit could not hold ${heldBack.unpriced === 1 ? "it" : "them"}: ${fallback}.`,
    );
  }
  const judgeKind = createJudge({ llm: config.llm, env: ws.env, cacheDir: null, clock: ctx.clock }).kind;
  const labelSources = { folder: 0, feedback: 0, picks: 0, imported: 0 };
  for (const r of results) labelSources[r.labelSource] += 1;
  const mixed = labelSources.feedback > 0 && labelSources.picks + labelSources.imported > 0;
  if (labelSources.picks > 0) {
    notes.push(
      `${labelSources.picks} of ${plural(results.length, "day")} had no paper you liked or saved and ${labelSources.picks === 1 ? "is" : "are"} labelled by the earlier digest's own picks (less any you disliked): ${labelSources.picks === 1 ? "its figures measure" : "their figures measure"} agreement with that digest, not with you.`,
    );
  }
  if (labelSources.imported > 0) {
    const n = labelSources.imported;
    notes.push(
      `${n} of ${plural(results.length, "day")} ${n === 1 ? "is an imported day" : "are imported days"} labelled by the imported tool's picks: ${n === 1 ? "its figures measure" : "their figures measure"} whether arxiv-digest picks what that tool picked, not what you want.`,
    );
  }
  const reconstructed = results.filter((r) => r.reconstructed).length;
  if (reconstructed > 0) {
    notes.push(
      `${plural(reconstructed, "day")} (marked "listing reconstructed") ${reconstructed === 1 ? "was" : "were"} replayed over a listing rebuilt from the arXiv export API by submission date: approximate, since a paper held in moderation can be missing or counted on a neighbouring day.`,
    );
  }
  if (lastReader !== null) {
    const note = unlearntFeedbackNote(results, lastReader, await readSignals(feedbackPath(ws.dir)), ws.named);
    const later = results.filter((r) => (r.learnedFrom?.givenAfter ?? 0) > 0).length;
    if (note !== null) notes.push(note);
    else if (later > 0)
      notes.push(
        `feedback given after a replayed day began does not count for it (${plural(later, "replayed day")} had some given after ${later === 1 ? "it" : "them"}), as the daily run that morning could not have had it. ${ARCHIVED_LEARNT}`,
      );
  }
  const reusedScores = results.reduce((sum, r) => sum + r.reusedScores, 0);
  const reusedTitles = results.reduce((sum, r) => sum + r.reusedTitles, 0);
  const stored = storedVerdictsText(reusedScores, reusedTitles);
  if (stored !== null) {
    const one = reusedScores + reusedTitles === 1;
    const estimated = results.reduce((sum, r) => sum + r.estimatedVerdicts, 0);
    const how =
      estimated === 0
        ? `at ${one ? "its" : "their"} share of the tokens of the answer that gave ${one ? "it" : "them"}`
        : `at ${one ? "its" : "their"} share of the tokens of the answer that gave ${one ? "it" : "them"} (${estimated} without a usable share at an estimate from the prompt's size)`;
    notes.push(
      `${stored} and ${one ? "was" : "were"} not sent again: this evaluation did not pay for ${one ? "it" : "them"}, but the tokens and cost per day paid in full count ${one ? "it" : "them"} ${how}.`,
    );
  }
  const estimatedAnswers = results.reduce((sum, r) => sum + r.estimatedAnswers, 0);
  if (estimatedAnswers > 0) {
    const one = estimatedAnswers === 1;
    const replays = results.reduce((sum, r) => sum + r.estimatedReplays, 0);
    const which =
      replays === 0
        ? ""
        : replays === estimatedAnswers
          ? ` (${one ? "replayed" : "all replayed"} from the response cache)`
          : ` (${replays} replayed from the response cache)`;
    notes.push(
      `${plural(estimatedAnswers, "answer")} came without token counts from the endpoint${which}: the tokens and cost per day paid in full count ${one ? "it" : "them"} at an estimate from the prompt's size.`,
    );
  }
  return {
    model: judgeKind === "llm" ? config.llm.model : null,
    judge: judgeKind,
    days: results,
    overall: figures(results, judgeKind),
    labelSources,
    feedbackOnly: mixed
      ? figures(
          results.filter((r) => r.labelSource === "feedback"),
          judgeKind,
        )
      : null,
    spend: { ...spendOf(calls, config.llm.prices), reusedScores, reusedTitles },
    estimate,
    notes,
  };
}

/**
 * What the archived digests learnt, beside a warm replay's rule: they are the same system, each
 * having used the feedback given before its run began, which the day's own record says.
 */
const ARCHIVED_LEARNT =
  'The archived digests themselves learnt from the feedback given before each run began: each day\'s "Learned from" line (in its Markdown digest and on its about page) says what it used.';

/**
 * The note for a warm replay over the archive in which no day learnt from any like, save, dislike
 * or library entry although feedback.jsonl holds some, or null: why (most often the feedback was
 * all given after the days replayed, which a replay never learns from, as the daily run that
 * morning could not have), and what shows its effect instead. `last` is the last day's history.
 */
function unlearntFeedbackNote(
  results: readonly EvalDayResult[],
  last: ReaderHistory,
  read: ReadSignals,
  workspace: string | undefined,
): string | null {
  const lines = [...read.signals, ...read.titled];
  const lastDay = results.at(-1);
  if (lines.length === 0 || lastDay === undefined) return null;
  if (results.some((r) => r.learnedFrom !== null && r.learnedFrom.likedOrSaved + r.learnedFrom.disliked > 0))
    return null;
  const library = lines.filter((l) => l.source.startsWith("import:"));
  const rest = lines.filter((l) => !l.source.startsWith("import:"));
  const kinds = (["like", "save", "dislike", "clear"] as const)
    .map((kind) => [kind, rest.filter((l) => l.signal === kind).length] as const)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => plural(n, kind));
  const what = `${plural(lines.length, "feedback signal")} in feedback.jsonl (${[...(library.length > 0 ? [plural(library.length, "library entry", "library entries")] : []), ...kinds].join(", ")})`;
  const one = lines.length === 1;
  const after = last.laterSignals;
  const rule =
    "a replay knows only what the daily run knew that morning, so feedback given after a day, a library imported since included, never counts for it";
  if (after >= lines.length) {
    // Dated as every message dates a day: in US Eastern time, arXiv's and the daily run's.
    const earliest = easternDate(new Date(Math.min(...lines.map((l) => Date.parse(l.at)))).toISOString());
    return `no replayed day learnt from your feedback, because the ${what} ${one ? "was" : "were all"} given on or after ${earliest} (US Eastern time), after the last replayed day (${lastDay.date}) began: a replay knows only what the daily run knew that morning, a library imported since included. The days the next runs make will learn from ${one ? "it" : "them"}, and once they are archived ${commandLine("eval --warm", workspace)} shows it, replaying them with the ${plural(after, "signal")} now waiting to be used.`;
  }
  const unused = unusedFeedbackSentence(last.unused, shownSelfCommand());
  return `no replayed day learnt from your feedback: of the ${what}, ${after > 0 ? `${after} ${after === 1 ? "was" : "were"} given after the last replayed day (${lastDay.date}) began (${rule}), and ` : ""}the ${lines.length - after} given before ${lines.length - after === 1 ? "leaves" : "leave"} no paper liked, saved or disliked that could be read.${unused === null ? "" : ` ${unused}`}${after > 0 ? ` ${ARCHIVED_LEARNT}` : ""}`;
}

/** The figures of `results` pooled: shares and recalls over all their papers, tokens and cost per day paid in full. */
function figures(results: readonly EvalDayResult[], judgeKind: EvalReport["judge"]): EvalFigures {
  const scanned = results.reduce((s, r) => s + r.scanned, 0);
  const prompt = results.reduce((s, r) => s + r.promptTokens, 0);
  const completion = results.reduce((s, r) => s + r.completionTokens, 0);
  const costs = results.map((r) => r.costUsd);
  return {
    sent: pooled(results.map((r) => r.sent)),
    recallPrefilter: pooled(results.map((r) => r.recallPrefilter)),
    recallScored: pooled(results.map((r) => r.recallScored)),
    recallSelected: pooled(results.map((r) => r.recallSelected)),
    precisionAtK: pooled(results.map((r) => r.precisionAtK)),
    dislikedSelected: pooled(results.map((r) => r.dislikedSelected)),
    promptTokensPerScanned: scanned > 0 && judgeKind === "llm" ? prompt / scanned : null,
    completionTokensPerScanned: scanned > 0 && judgeKind === "llm" ? completion / scanned : null,
    costPerDayUsd:
      results.length > 0 && costs.every((c) => c !== null)
        ? costs.reduce((s: number, c) => s + c!, 0) / results.length
        : null,
  };
}

/** What a day's labels are, for the text report. */
export const LABEL_SOURCE_TEXT: Record<EvalDay["labelSource"], string> = {
  folder: "the labels folder",
  feedback: "your likes and saves",
  picks: "the earlier digest's picks",
  imported: "the imported tool's picks",
};

/**
 * What a warm replay learnt from, for a day's line of the text report: "6 picks of 3 earlier days,
 * 2 papers liked or saved (1 from your library), 1 disliked".
 */
export function learnedFromText(l: DayLearning, labelsFolder: boolean): string {
  const days = plural(l.days, "earlier day");
  if (labelsFolder)
    return l.days === 0 ? "nothing (no earlier day)" : `the labels of ${days} (${plural(l.picks, "paper")})`;
  const feedback =
    l.likedOrSaved + l.disliked === 0
      ? "no feedback yet"
      : `${plural(l.likedOrSaved, "paper")} liked or saved${l.fromLibrary > 0 ? ` (${l.fromLibrary.toLocaleString("en-US")} from your library)` : ""}, ${l.disliked.toLocaleString("en-US")} disliked`;
  if (l.picks + l.likedOrSaved + l.disliked === 0)
    return `nothing: ${l.days === 0 ? "no earlier day" : `no pick in ${days}`}, ${feedback}`;
  return `${plural(l.picks, "pick")} of ${days}, ${feedback}`;
}

export function pct(r: Ratio): string {
  return r.value === null ? "–" : `${(100 * r.value).toFixed(1)}% (${r.hits}/${r.total})`;
}
