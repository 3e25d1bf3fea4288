/**
 * A DayRecord's life in the pipeline: made once with every field it needs, filled from a
 * selection, saved with its Markdown page, and summed up for the command line.
 */
import type { ArchiveStore } from "../archive/store.js";
import type { Price } from "../config/schema.js";
import { deliveryRetrySuggestion } from "../format/command.js";
import { formatUsd, plural } from "../format/text.js";
import { costOf, priceFor } from "../llm/prices.js";
import { dayPageRenderer } from "../markdown/page-head.js";
import {
  type CallUsage,
  type DayRecord,
  emptyUsage,
  type Learning,
  SCHEMA_VERSION,
  type Source,
  type StatusCode,
} from "../model/day-record.js";
import { isCompleteStatus } from "../model/status.js";
import type { SelectionResult } from "../selection/select.js";

export type DayCounts = { entries: number | null; unique: number | null; scanned: number };

export interface NewDayRecord {
  date: string;
  producer: string;
  /** Epoch milliseconds the record is made at (the pipeline's clock). */
  now: number;
  status: { code: StatusCode; message: string };
  sources?: Source[];
  counts?: { entries: number; unique: number; scanned: number };
  remedial?: DayRecord["remedial"];
  notes?: string[];
  operatorNotes?: string[];
}

/** A day with no papers yet: every field set, nothing mutated afterwards but through the helpers below. */
export function newDayRecord(init: NewDayRecord): DayRecord {
  return {
    schema: SCHEMA_VERSION,
    date: init.date,
    kind: init.remedial ? "remedial" : "daily",
    remedial: init.remedial ?? null,
    status: init.status,
    generatedAt: new Date(init.now).toISOString(),
    producer: init.producer,
    sources: init.sources ?? [],
    counts: init.counts
      ? { ...init.counts, selected: 0, unscored: 0 }
      : { entries: 0, unique: 0, scanned: 0, selected: 0, unscored: 0 },
    usage: { stages: {}, total: emptyUsage(null), calls: [], costSource: "computed" },
    prompt: null,
    papers: [],
    deliveries: [],
    notes: init.notes ?? [],
    ...operatorNotesOf(init.operatorNotes ?? []),
  };
}

/**
 * Fills a record from a selection outcome: papers, counts, usage, prompt, the settings used (with
 * what the day learnt from the reader's history, when given), status.
 */
export function applySelection(
  record: DayRecord,
  selection: SelectionResult,
  counts: DayCounts,
  learning?: Learning,
): DayRecord {
  const selected = selection.papers.filter((p) => p.outcome === "selected").length;
  const unscored = selection.papers.filter((p) => p.outcome === "unscored").length;
  const out: DayRecord = {
    ...record,
    papers: selection.papers,
    prompt: selection.prompt,
    usage: { ...selection.usage, costSource: "computed" },
    counts: {
      ...counts,
      selected,
      unscored,
      ...(selection.sentToLlm === null ? {} : { sentToLlm: selection.sentToLlm }),
      ...(selection.abstractsScored === null ? {} : { abstractsScored: selection.abstractsScored }),
    },
    notes: [...record.notes, ...selection.notes],
    ...operatorNotesOf([...(record.operatorNotes ?? []), ...selection.operatorNotes]),
    selectionSettings: learning ? { ...selection.settings, learning } : selection.settings,
  };
  if (unscored > 0) {
    out.status = {
      code: "partial",
      message: `${unscored} of ${plural(counts.scanned, "scanned paper")} could not be scored; they are listed with the reason. Run again to retry them (paid answers are cached).`,
    };
  } else if (selected === 0 && counts.scanned > 0 && out.status.code === "normal") {
    out.status = {
      code: "normal",
      message: `${plural(counts.scanned, "paper")} scanned; none reached the selection cut-offs today.`,
    };
  }
  return out;
}

/** The record's operator notes: the field only when there is one, as older records have none. */
export function operatorNotesOf(notes: readonly string[]): { operatorNotes?: string[] } {
  return notes.length > 0 ? { operatorNotes: [...notes] } : {};
}

/**
 * Writes the record and its Markdown page (a killed run's page is put right by the next: recover.ts);
 * returns the files written. `holidays`: the workspace's table, which a weekend's or a holiday's page
 * names the next announcement by.
 */
export async function saveDay(
  store: ArchiveStore,
  record: DayRecord,
  holidays: ReadonlySet<string>,
): Promise<string[]> {
  // A weekend's page is its head alone: the renderer of papers (and TeX) is loaded for a day that may have them.
  const render = await dayPageRenderer(record);
  return store.writeDayAndPage(record, (day) => render(day, holidays));
}

/** How a day ended, for the command line: complete, incomplete, or the feed was not fresh yet. */
export type DayOutcome = "complete" | "incomplete" | "stale";

export interface RunResult {
  record: DayRecord;
  outcome: DayOutcome;
  summary: string;
  files: string[];
}

export function outcomeOf(status: StatusCode, failedDeliveries = 0): DayOutcome {
  if (status === "stale") return "stale";
  return isCompleteStatus(status) && failedDeliveries === 0 ? "complete" : "incomplete";
}

/** What a run paid for its LLM calls: new (paid) calls, answers reused from the response cache, and USD. */
export interface Spend {
  newCalls: number;
  reusedAnswers: number;
  /** USD this run paid; null when a model called is unpriced. A lower bound when `withoutUsage` > 0. */
  spentUsd: number | null;
  /** New calls answered without token counts: what they cost is unknown. */
  withoutUsage: number;
  /** Papers scored by a verdict kept from an earlier answer (llm/answers.ts), without a call; 0 when not counted. */
  reusedScores?: number;
  /** Titles given a triage verdict kept from an earlier answer (llm/answers.ts), without a call; 0 when not counted. */
  reusedTitles?: number;
}

/** The spend of a run's calls, each priced at its own model (the config's prices first). */
export function spendOf(calls: readonly CallUsage[], prices: Readonly<Record<string, Price>> = {}): Spend {
  const paid = calls.filter((c) => !c.replayed);
  let spent: number | null = 0;
  for (const call of paid) {
    const price = priceFor(call.model, prices);
    spent = price === null || spent === null ? null : spent + costOf(call, price).total;
  }
  return {
    newCalls: paid.length,
    reusedAnswers: calls.length - paid.length,
    spentUsd: spent,
    withoutUsage: paid.filter((c) => c.usageMissing).length,
  };
}

/**
 * "3 new calls, $0.0077 spent (16 answers reused)": what a run paid, as `run` and `eval` say it;
 * papers scored and titles triaged by earlier answers' verdicts join the parenthesis ("16 answers,
 * 40 papers' scores and 120 titles' triage verdicts reused").
 */
export function spendText(s: Spend): string {
  const scores = s.reusedScores ?? 0;
  const titles = s.reusedTitles ?? 0;
  if (s.newCalls + s.reusedAnswers + scores + titles === 0) return "no LLM calls";
  // An answer without token counts cost something unknown: what is shown is a lower bound.
  const known = s.spentUsd === null ? "unpriced" : s.spentUsd === 0 ? "$0" : formatUsd(s.spentUsd);
  const money =
    s.withoutUsage > 0
      ? `${s.spentUsd === null ? "unpriced" : `at least ${known}`} spent (${plural(s.withoutUsage, "answer")} without token counts)`
      : s.spentUsd === null
        ? "unpriced"
        : `${known} spent`;
  const reused = [
    ...(s.reusedAnswers > 0 ? [plural(s.reusedAnswers, "answer")] : []),
    ...(scores > 0 ? [scores === 1 ? "1 paper's score" : `${scores} papers' scores`] : []),
    ...(titles > 0 ? [titles === 1 ? "1 title's triage verdict" : `${titles} titles' triage verdicts`] : []),
  ];
  const listed = reused.length > 1 ? `${reused.slice(0, -1).join(", ")} and ${reused.at(-1)}` : reused.join("");
  return `${plural(s.newCalls, "new call")}, ${money}${reused.length > 0 ? ` (${listed} reused)` : ""}`;
}

/**
 * What this run paid, from the day's per-call usage: a re-run served from the response cache says
 * "0 new calls, $0 spent (16 answers reused)", not the cost the day had when first paid for, and
 * one that took verdicts from earlier answers names them too ("(2 answers and 118 titles' triage
 * verdicts reused)"). Days without per-call usage (imported) show their recorded total.
 */
export function spendSentence(usage: DayRecord["usage"], prices: Readonly<Record<string, Price>> = {}): string {
  const u = usage.total;
  const reusedScores = usage.stages.scoring?.reused?.verdicts ?? 0;
  const reusedTitles = usage.stages.triage?.reused?.verdicts ?? 0;
  const reused = reusedScores + reusedTitles > 0 ? { reusedScores, reusedTitles } : {};
  if (u.calls === 0 && reusedScores + reusedTitles === 0) return "no LLM calls";
  if (usage.calls.length === 0 && u.calls > 0)
    return `${plural(u.calls, "LLM call")}, ${u.cost ? formatUsd(u.cost.total) : "unpriced"}`;
  return spendText({ ...spendOf(usage.calls, prices), ...reused });
}

/**
 * A digest that needs nothing more: read normally and every paper judged. A re-run of such a day
 * that ends short of it (papers unscored by the LLM or a budget, a feed that failed) never
 * replaces it (`worseThanArchived`).
 */
export function isFinishedDigest(day: Pick<DayRecord, "status" | "counts">): boolean {
  return day.status.code === "normal" && day.counts.unscored === 0;
}

/**
 * Papers of a day the free scorer judged in a judge's place (after a budget stop, or for want of
 * a key, or because the config asks for it), plus those left unscored: what the LLM did not judge
 * of the papers a judge had to settle, and the titles the triage could not screen (they stayed
 * in the free rank: `scoredBy` "lexical"). The prefilter's papers and the titles the triage
 * judged are settled by design, not in the judge's place, and followed authors need no judge.
 */
export function papersWithoutLlm(day: Pick<DayRecord, "papers">): number {
  return day.papers.filter(
    (p) =>
      p.outcome === "unscored" ||
      (p.scoredBy === "lexical" &&
        (p.outcome === "selected" || p.outcome === "rejected" || p.outcome === "triaged-out")),
  ).length;
}

/** Who judged a run's papers, as the guard needs it (a selection `Judge` is one). */
export type AttemptJudge = { kind: "llm" } | { kind: "offline"; why: "configured" | "no-key"; keyEnv: string };

/**
 * The one rule for "would this attempt make the archived day worse?": yes when the archived day
 * is a finished digest and the attempt is not, or when the attempt left more of the day's papers
 * to the free scorer than the archived day did (a budget that stopped the LLM, a run without its
 * key). An offline scorer the config asks for (`llm.provider: "offline"`) is a choice, not an
 * accident: it replaces the day. Returns why, as the clause after "because", or null.
 */
export function worseThanArchived(
  archived: DayRecord,
  attempt: DayRecord,
  judge: AttemptJudge,
  budgetUsd?: number,
): string | null {
  if (!isFinishedDigest(archived)) return null;
  if (!isFinishedDigest(attempt)) {
    const { unscored, scanned } = attempt.counts;
    const why =
      unscored > 0
        ? `${unscored} of ${plural(scanned ?? unscored, "paper")} could not be scored`
        : attempt.status.message.split(/\.(?:\s|$)/)[0]!.replace(/;.*$/, "");
    return `this run did not finish the day (${why}); run again once that is fixed`;
  }
  if (judge.kind === "offline" && judge.why === "configured") return null;
  const offline = papersWithoutLlm(attempt);
  const before = papersWithoutLlm(archived);
  if (offline <= before) return null;
  const archivedHas =
    before === 0
      ? "the archived day has the LLM's judgement of all of them"
      : `the archived day has ${before} scored offline`;
  if (judge.kind === "offline") {
    return `this run had no API key (${judge.keyEnv} is empty) and scored ${plural(offline, "paper")} offline (${archivedHas}); set ${judge.keyEnv} and run again, or set llm.provider to "offline" to replace the day with the offline scorer's picks`;
  }
  const byLlm = attempt.papers.filter(
    (p) => p.scoredBy === "llm" && (p.outcome === "selected" || p.outcome === "rejected"),
  ).length;
  const budget = budgetUsd === undefined ? "" : ` (llm.budgetUsd, $${budgetUsd})`;
  return `this run's budget${budget} stopped the LLM after ${byLlm} of ${plural(byLlm + offline, "abstract")}, so ${plural(offline, "paper")} ${offline === 1 ? "was" : "were"} scored offline (${archivedHas}); raise llm.budgetUsd and run again`;
}

/**
 * A re-run that would have made a finished day worse (`worseThanArchived` says why): the archived
 * record stands, nothing is written or delivered, and the summary says so in one sentence; exit 1,
 * since the run did not finish. The paid answers it got are in the response cache, so the next
 * run does not pay twice.
 */
export function keptFinishedDay(archived: DayRecord, why: string): RunResult {
  return {
    record: archived,
    outcome: "incomplete",
    summary: `${archived.date}: kept the complete digest already archived (${archived.counts.selected} picked of ${archived.counts.scanned ?? "?"} scanned) and wrote and delivered nothing, because ${why} (answers already paid for are cached).`,
    files: [],
  };
}

/** " 2 deliveries failed; …" with a leading space, or "" when none did. */
export function failedDeliveriesSentence(date: string, failed: number, workspace?: string, actions = false): string {
  return failed > 0
    ? ` ${plural(failed, "delivery", "deliveries")} failed; ${deliveryRetrySuggestion(date, failed, workspace, actions)}.`
    : "";
}

/** The CLI's view of a finished day: its outcome and a one-line summary (its command lines carrying `workspace`, `Workspace.named`). */
export function resultOf(
  record: DayRecord,
  files: string[],
  failedDeliveries = 0,
  prices: Readonly<Record<string, Price>> = {},
  workspace?: string,
  actions = false,
): RunResult {
  const spend = spendSentence(record.usage, prices);
  const tail =
    (record.status.code === "normal" ? "" : ` ${record.status.message}`) +
    failedDeliveriesSentence(record.date, failedDeliveries, workspace, actions);
  return {
    record,
    outcome: outcomeOf(record.status.code, failedDeliveries),
    summary: `${record.date}: ${record.counts.selected} picked of ${record.counts.scanned ?? "?"} scanned (${spend}).${tail}`,
    files,
  };
}
