/**
 * Decides, for one day's candidates, which papers the reader sees: followed authors first,
 * then the free lexical prefilter, the optional LLM title triage and the LLM abstract scoring
 * (or the offline scorer when there is no key), then cut-offs and ranking. Every candidate
 * comes back exactly once with an outcome; nothing that was paid for is thrown away.
 */
import type { Config } from "../config/schema.js";
import { formatUsd, plural, storedVerdictsText } from "../format/text.js";
import type { ResponseFormatKind } from "../llm/client.js";
import type { UsageMeter } from "../llm/usage.js";
import type { Candidate } from "../model/candidate.js";
import {
  AUTHOR_MATCH_COMMENT,
  type CallUsage,
  emptyUsage,
  type PaperRecord,
  paperRecordOf,
  type SelectionSettings,
  type Usage,
} from "../model/day-record.js";
import { offlineScoringNote } from "../model/notes.js";
import type { HistoryModel } from "./history.js";
import type { Judge } from "./judge.js";
import {
  createLexicalRawScorer,
  createLexicalScorer,
  createTopicSimilarityScorer,
  type LexicalJudgement,
} from "./lexical.js";
import { type PrefilterDecision, percentiles, prefilter } from "./prefilter.js";
import { type PromptTexts, type ReaderTaste, recordedPrompt, scoringPrefix, triagePrefix } from "./prompt.js";
import { missedCutoff, rankingScore, rankPapers } from "./rank.js";
import { scoreAbstracts } from "./scoring.js";
import { type TriageVerdict, triageTitles } from "./triage.js";

export interface SelectionProgress {
  /** Papers with a final outcome so far. */
  scored: number;
  total: number;
  /** Requests this run made (answers from the response cache are `reused`). */
  calls: number;
  /** Answers replayed from the response cache: the day's, paid for by an earlier run. */
  reused: number;
  /** Tokens of this run's own calls (not of answers replayed or verdicts reused). */
  promptTokens: number;
  completionTokens: number;
  /** What this run spent so far, as its summary line says it; null once a call went to an unpriced model. */
  costUsd: number | null;
}

export interface SelectionContext {
  config: Config;
  prompts: PromptTexts;
  matchAuthor: (c: Candidate) => string | null;
  /** Built by the pipeline: the LLM client (with its cache, meter and clock) or the offline scorer. */
  judge: Judge;
  /** What the reader took before (past picks, likes, saves; dislikes against); empty when new. */
  history?: HistoryModel;
  /** Liked and disliked titles for the scoring prompt's stable prefix. */
  taste?: ReaderTaste;
  onProgress?: (p: SelectionProgress) => void;
}

export interface SelectionResult {
  papers: PaperRecord[];
  usage: { stages: Record<string, Usage>; total: Usage; calls: CallUsage[] };
  prompt: { system: string; user: string } | null;
  /** What the reader should know about the day's picks: the offline scorer, the budget, papers left unscored. */
  notes: string[];
  /**
   * What only the operator needs (answers replayed from the cache, a structured-output fallback, an
   * unpriced model, a failed triage batch, answers not cached): said on the terminal and kept in the
   * record, never at the top of the digest.
   */
  operatorNotes: string[];
  /**
   * The one operator note that is good news (answers replayed from the response cache, so not paid
   * again): said as information, not as a warning; null when there is none.
   */
  reusedNote: string | null;
  /** Papers the LLM was asked about (title triage or scoring); null when no LLM was used. */
  sentToLlm: number | null;
  /** Papers sent on to abstract scoring (after the triage and its ration); null when no LLM was used. */
  abstractsScored: number | null;
  /** The settings the day was judged with, for its record. */
  settings: SelectionSettings;
}

/**
 * The selection settings in force for a day judged by `judge`: the config's values, with the
 * prefilter and the title triage marked off when the judge could not run them (offline, no key).
 */
export function selectionSettings(config: Config, judge: Judge["kind"]): SelectionSettings {
  const { selection, llm } = config;
  const { keepShare, scoreShare, floor, historyWeight, historyDays } = selection.prefilter;
  const paid = judge === "llm";
  const triage = paid && llm.triage.enabled;
  const triageModel = llm.triage.model;
  return {
    weights: { ...selection.weights },
    minRelevance: selection.minRelevance,
    minNovelty: selection.minNovelty,
    minScore: selection.minScore,
    maxPapers: selection.maxPapers,
    prefilter: {
      enabled: paid && selection.prefilter.enabled,
      keepShare,
      // The ration of abstracts applies only after the title triage.
      ...(triage ? { scoreShare } : {}),
      floor,
      historyWeight,
      historyDays,
    },
    prefilterMinRelevance: selection.prefilterMinRelevance,
    triage:
      triage && triageModel && triageModel !== llm.model ? { enabled: true, model: triageModel } : { enabled: triage },
    model: judge === "offline" ? null : llm.model,
  };
}

/** The score the reference history gives author matches, so they also sort first in old tools. */
const AUTHOR_MATCH_SCORE = 20;

interface Judgement {
  relevance: number;
  novelty: number | null;
  comment: string;
  topic: string | null;
  scoredBy: "llm" | "lexical";
  /** Why the paper was judged this way, e.g. a budget fallback. */
  reason: string | null;
}

function judgedRecord(c: Candidate, j: Judgement, selection: Config["selection"]): PaperRecord {
  const score = rankingScore(j.relevance, j.novelty, selection.weights);
  const missed = missedCutoff({ relevance: j.relevance, novelty: j.novelty, score }, selection);
  const reason = [j.reason, missed].filter((r): r is string => r !== null).join("; ");
  return {
    ...paperRecordOf(c),
    outcome: missed ? "rejected" : "selected",
    scoredBy: j.scoredBy,
    reason: reason === "" ? null : reason,
    relevance: j.relevance,
    novelty: j.novelty,
    comment: j.comment,
    topic: j.topic,
    score,
  };
}

function lexicalJudgement(l: LexicalJudgement, reason: string | null): Judgement {
  return { relevance: l.relevance, novelty: null, comment: l.comment, topic: l.topic, scoredBy: "lexical", reason };
}

/** How `llm.budgetUsd` stopped calls, and what became of their papers. */
function budgetNote(llm: Config["llm"], meter: UsageMeter, stops: number, overBudget: number): string {
  const byStage = [...meter.budgetStops].map(([stage, n]) => `${n} ${stage}`).join(", ");
  const unconfirmed =
    meter.unconfirmedUsd > 0
      ? ` (the budget also counted ${formatUsd(meter.unconfirmedUsd)} for attempts that got no answer and may have been billed)`
      : "";
  const papers = overBudget > 0 ? ` ${plural(overBudget, "paper")} scored offline instead.` : "";
  return (
    `The LLM budget of $${llm.budgetUsd} (llm.budgetUsd) stopped ${plural(stops, "call")} (${byStage}): ` +
    `a call is sent only when its worst-case cost fits in what is left. This run spent ${formatUsd(meter.spentUsd)}${unconfirmed}.${papers}`
  );
}

/**
 * How the LLM run went: for the reader, what changed the picks (the budget scoring papers
 * offline); for the operator, how the calls went.
 */
function llmRunNotes(run: {
  llm: Config["llm"];
  meter: UsageMeter;
  /** Papers scored by a stored verdict from an earlier answer, without a call (llm/answers.ts). */
  reusedVerdicts: number;
  /** Titles given a stored triage verdict from an earlier answer, without a call (llm/answers.ts). */
  reusedTitles: number;
  overBudget: number;
  startFormat: ResponseFormatKind;
  format: ResponseFormatKind;
}): { reader: string[]; operator: string[]; reused: string | null } {
  const { llm, meter } = run;
  const reader: string[] = [];
  const operator: string[] = [];
  let reused: string | null = null;
  const { total } = meter.summary(llm.model);
  const stops = [...meter.budgetStops.values()].reduce((sum, n) => sum + n, 0);
  if (stops > 0) reader.push(budgetNote(llm, meter, stops, run.overBudget));
  if (run.format !== run.startFormat) {
    const now = run.format === "none" ? "plain text holding JSON" : "a JSON object";
    operator.push(
      `The endpoint rejected ${run.startFormat} structured output, so answers were requested as ${now} and parsed leniently.`,
    );
  }
  const { paid, replayed } = meter.counts;
  const stored = storedVerdictsText(run.reusedVerdicts, run.reusedTitles);
  if (replayed > 0 || stored !== null) {
    const whence = [
      ...(replayed > 0 ? [`${plural(replayed, "LLM answer")} came from the response cache`] : []),
      ...(stored !== null ? [`${stored}, not sent again`] : []),
    ];
    reused = `${whence.join(" and ")} (no charge in this run); new calls made: ${paid}.`;
    operator.push(reused);
  }
  const withoutUsage = meter.callsWithoutUsage;
  if (withoutUsage > 0) {
    operator.push(
      `${plural(withoutUsage, "answer")} came without token counts (the endpoint sent no usage), so the tokens and cost shown leave ${withoutUsage === 1 ? "it" : "them"} out: the real cost is higher.`,
    );
  }
  if (total.calls > 0 && total.cost === null) {
    const budget =
      llm.budgetUsd === undefined
        ? ""
        : ` llm.budgetUsd cannot limit calls to a model without a price, so it did not apply to them.`;
    operator.push(
      `No price is known for model ${total.model}, so the cost is shown as unpriced; add it under llm.prices (USD per million tokens).${budget}`,
    );
  }
  return { reader, operator, reused };
}

/** Papers settled by one stage, and the candidates it leaves for the next. */
interface StageResult {
  settled: PaperRecord[];
  rest: Candidate[];
}

/** Followed authors settle their papers before anything is paid for. */
function authorStage(candidates: readonly Candidate[], matchAuthor: SelectionContext["matchAuthor"]): StageResult {
  const settled: PaperRecord[] = [];
  const rest: Candidate[] = [];
  for (const c of candidates) {
    const followed = matchAuthor(c);
    if (followed === null) {
      rest.push(c);
      continue;
    }
    settled.push({
      ...paperRecordOf(c),
      outcome: "selected",
      scoredBy: "author",
      reason: null,
      authorMatch: followed,
      comment: AUTHOR_MATCH_COMMENT,
      score: AUTHOR_MATCH_SCORE,
    });
  }
  return { settled, rest };
}

/**
 * The offline scorer: topic words alone for a new reader; with history, the paper's place in the
 * day by topics and history together (the prefilter's combined rank on the 1–10 scale, to a tenth,
 * so the score keeps the day's order: a whole step holds a tenth of the day; papers that tie on the
 * tenth keep the day's order too, as the digest breaks ties by the unrounded rank, rank.ts,
 * bench/feedback.ts), so a reader with no key still gets a digest that learns from what they took.
 *
 * That rank is relative: about a third of any day ranks 7 or more. So it may reach
 * selection.minRelevance only with evidence of its own (`historyMayLift`); any other paper keeps
 * its place in the day's order, squeezed below the cut-off.
 *
 * The comment's "Ranked N of M" is written once the day is in digest order (`withShownRanks`), so
 * the rank a reader sees is the card's place, not the free ranking's (which held papers and rounding
 * reorder): `ranked` gets the comment's parts around it.
 */
function offlineStage(
  candidates: readonly Candidate[],
  lexical: (c: Candidate) => LexicalJudgement,
  ranks: ReadonlyMap<string, PrefilterDecision> | null,
  selection: Config["selection"],
  ranked: Map<string, RankedComment>,
  history?: HistoryModel,
): PaperRecord[] {
  const cutoff = selection.minRelevance;
  return candidates.map((c) => {
    const l = lexical(c);
    const rank = ranks?.get(c.id);
    if (!rank) return judgedRecord(c, lexicalJudgement(l, null), selection);
    const place = 1 + 9 * rank.combined;
    // Below the cut-off, 1–10 maps onto 1 to a tenth under it, keeping the order.
    const below = (r: number) => 1 + ((r - 1) * (cutoff - 1.1)) / 9;
    const lifted = cutoff <= 1 || historyMayLift(l, rank, cutoff);
    const relevance = Math.round(10 * Math.max(1, Math.min(10, lifted ? place : below(place)))) / 10;
    const held = lifted || place < cutoff ? "" : " Held below the cut-off: history alone does not pick it.";
    const lead = l.comment.replace(/[^.!?]$/, "$&.");
    const nearest = () => history?.nearestLiked?.(c) ?? null;
    ranked.set(c.id, { lead, held, byHistory: historyCarried(rank) ? nearest : null });
    return judgedRecord(c, { ...lexicalJudgement(l, null), relevance, comment: `${lead}${held}` }, selection);
  });
}

/** An offline comment's parts on each side of its "Ranked N of M" sentence. */
interface RankedComment {
  lead: string;
  held: string;
  /**
   * When history carried the paper's place (`historyCarried`): the title of the liked or saved
   * paper it most resembles, asked only of a pick (`HistoryModel.nearestLiked`); else null.
   */
  byHistory: (() => string | null) | null;
}

/**
 * Whether the history rank carried a paper's place in the day more than the topic rank did: the
 * history model ranks it higher among the day's papers than its topic words do, so a comment
 * that named only its topic words would say the lesser reason.
 */
function historyCarried(rank: PrefilterDecision): boolean {
  return rank.historyWeight > 0 && rank.historyPercentile > rank.topicPercentile;
}

/** How a paper ranked, after "Ranked N of M today": by both, or more by history (naming the liked paper it is like, when known). */
function rankedBy(p: PaperRecord, parts: RankedComment): string {
  if (parts.byHistory === null) return " by topics and your history.";
  const liked = p.outcome === "selected" ? parts.byHistory() : null;
  return liked === null
    ? ", more by your history than by topics."
    : `, more by your history than by topics (like papers you liked or saved: “${liked}”).`;
}

/**
 * The rank a reader is shown, written into the offline comments of a day in its final order (picks
 * first in digest order, then the rest in the same order, rank.ts): a paper's place in that list,
 * of all the day's papers. So a pick's rank is its card's number on the day page, and a paper the
 * cap left out ranks after every pick.
 */
function withShownRanks(papers: readonly PaperRecord[], ranked: ReadonlyMap<string, RankedComment>): PaperRecord[] {
  return papers.map((p, i) => {
    const parts = ranked.get(p.id);
    if (!parts) return p;
    return {
      ...p,
      comment: `${parts.lead} Ranked ${i + 1} of ${papers.length} today${rankedBy(p, parts)}${parts.held}`,
    };
  });
}

/**
 * Whether history may carry a paper's offline relevance over the cut-off: when its topic words
 * alone would (as for a new reader), or when it has some topic word (a topic matched its title or
 * abstract) and the history model puts it on the side of what the reader took (a score above 0:
 * liked, saved and picked papers weigh as much as all the others together). A paper matching no
 * topic word is never picked on history alone: history knows the reader's vocabulary, not their
 * topics, and a day holds many papers that share the first without the second.
 */
function historyMayLift(l: LexicalJudgement, rank: PrefilterDecision, cutoff: number): boolean {
  if (l.relevance >= cutoff) return true;
  return l.topic !== null && rank.lexical > 0 && rank.history > 0;
}

/** The legacy floor: papers whose offline relevance is below selection.prefilterMinRelevance are not sent. */
function relevanceFloorStage(
  candidates: readonly Candidate[],
  lexical: (c: Candidate) => LexicalJudgement,
  minRelevance: number,
): StageResult {
  if (minRelevance <= 0) return { settled: [], rest: [...candidates] };
  const settled: PaperRecord[] = [];
  const rest: Candidate[] = [];
  for (const c of candidates) {
    const l = lexical(c);
    if (l.relevance >= minRelevance) {
      rest.push(c);
      continue;
    }
    settled.push({
      ...paperRecordOf(c),
      outcome: "prefiltered-out",
      scoredBy: "lexical",
      reason: `offline relevance ${l.relevance}, below the ${minRelevance} a paper needs to be sent to the LLM`,
      relevance: l.relevance,
      comment: l.comment,
      topic: l.topic,
    });
  }
  return { settled, rest };
}

/**
 * The free prefilter that learns: the day ranked by topic score and history, the top share sent
 * to the LLM, the rest settled here with their free scores and the reason.
 */
function shareStage(
  candidates: readonly Candidate[],
  decisions: ReadonlyMap<string, PrefilterDecision>,
  lexical: (c: Candidate) => LexicalJudgement,
): StageResult {
  const settled: PaperRecord[] = [];
  const rest: Candidate[] = [];
  for (const c of candidates) {
    const d = decisions.get(c.id);
    if (!d || d.kept) {
      rest.push(c);
      continue;
    }
    const l = lexical(c);
    settled.push({
      ...paperRecordOf(c),
      outcome: "prefiltered-out",
      scoredBy: "lexical",
      reason: `not sent to the LLM: ${d.reason}`,
      relevance: l.relevance,
      comment: l.comment,
      topic: l.topic,
    });
  }
  return { settled, rest };
}

/** Order of the verdicts when abstracts are rationed: on topic first, undecided with maybe. */
const VERDICT_ORDER: Record<TriageVerdict, number> = { "on-topic": 0, maybe: 1, undecided: 1, outside: 2 };

/** How many abstracts a day of `ranked` papers (after followed authors) may have scored. */
export function rationSize(prefilter: Config["selection"]["prefilter"], ranked: number): number {
  return Math.ceil(prefilter.scoreShare * ranked);
}

/**
 * The ids whose abstracts are scored: of the candidates not judged outside, the first `size`
 * by verdict (on topic before maybe), then topic score reaching the floor, then the free rank.
 * Strict, so the bill follows the share, not the day's vocabulary. `eval` uses it offline with
 * every verdict undecided, the free rank alone.
 */
export function rationed(
  candidates: readonly Candidate[],
  verdictOf: (c: Candidate) => TriageVerdict,
  decisions: ReadonlyMap<string, PrefilterDecision> | null,
  floor: number,
  size: number,
): Set<string> {
  const rankOf = (c: Candidate) => decisions?.get(c.id)?.rank ?? Number.POSITIVE_INFINITY;
  const floorFirst = (c: Candidate) => ((decisions?.get(c.id)?.lexical ?? Number.NEGATIVE_INFINITY) >= floor ? 0 : 1);
  const order = candidates
    .filter((c) => verdictOf(c) !== "outside")
    .sort(
      (a, b) =>
        VERDICT_ORDER[verdictOf(a)] - VERDICT_ORDER[verdictOf(b)] ||
        floorFirst(a) - floorFirst(b) ||
        rankOf(a) - rankOf(b),
    );
  return new Set(order.slice(0, size).map((c) => c.id));
}

/**
 * The share of the day, by history score, whose papers the title triage cannot settle as outside
 * every topic alone: the triage reads titles against the topics, never the reader's taste, so a
 * title like the papers they liked ("… Diffusion Language …" after four liked diffusion-LM papers)
 * may be judged outside a topic list that does not name it. Such a paper is rated maybe instead,
 * and competes for the ration by its free rank (where history leads); the ration's size, and so
 * the tokens paid, do not change.
 */
export const HISTORY_KEEPS_SHARE = 0.1;

/**
 * The ids of the papers in the top HISTORY_KEEPS_SHARE of the day by history score (and above 0,
 * on the side of what the reader took); empty without history.
 */
export function nearHistory(decisions: ReadonlyMap<string, PrefilterDecision> | null): Set<string> {
  const ranked = [...(decisions?.values() ?? [])];
  if (ranked.every((d) => d.history === 0)) return new Set();
  const share = percentiles(ranked.map((d) => d.history));
  return new Set(ranked.filter((d, i) => d.history > 0 && share[i]! >= 1 - HISTORY_KEEPS_SHARE).map((d) => d.id));
}

/**
 * The LLM's title triage, then the ration of abstracts (`rationed` above): titles judged outside
 * every topic are settled here (but those near the reader's history, `nearHistory`, which count as
 * maybe), and so are those the ration leaves out. Without the triage (the default) there is no
 * ration: every paper the prefilter sent has its abstract's opening scored.
 */
async function triageStage(
  candidates: readonly Candidate[],
  judge: Extract<Judge, { kind: "llm" }>,
  ctx: SelectionContext,
  decisions: ReadonlyMap<string, PrefilterDecision> | null,
  size: number,
): Promise<StageResult & { notes: string[] }> {
  const { llm, topics, selection } = ctx.config;
  if (!llm.triage.enabled || candidates.length === 0) return { settled: [], rest: [...candidates], notes: [] };
  const triage = await triageTitles(candidates, {
    client: judge.client,
    model: llm.triage.model ?? llm.model,
    prefix: triagePrefix(ctx.prompts, topics),
    batchTokens: llm.triage.batchTokens,
    ...(judge.answers ? { answers: judge.answers } : {}),
  });
  const near = nearHistory(decisions);
  const said = (c: Candidate): TriageVerdict => triage.verdicts.get(c.id) ?? "undecided";
  const verdictOf = (c: Candidate): TriageVerdict => (said(c) === "outside" && near.has(c.id) ? "maybe" : said(c));
  const scored = rationed(candidates, verdictOf, decisions, selection.prefilter.floor, size);
  const share = `${Math.round(selection.prefilter.scoreShare * 100)}%`;
  const settled = candidates
    .filter((c) => !scored.has(c.id))
    .map((c): PaperRecord => {
      const verdict = verdictOf(c);
      const rationed = `the abstracts read today were rationed to ${size} (${share} of the day) and went to titles rated or ranked higher`;
      // A title the triage could not screen (a failed call, a spent budget) was never judged by
      // the LLM: it kept its place in the free rank, and the record says so.
      if (verdict === "undecided") {
        const reason = `the title triage could not screen it, so it kept its free rank; ${rationed}`;
        return { ...paperRecordOf(c), outcome: "triaged-out", scoredBy: "lexical", reason };
      }
      const rated =
        said(c) === "outside"
          ? "the title triage judged it outside every topic, kept as maybe for its likeness to your history"
          : `the title triage rated it ${verdict === "on-topic" ? "on topic" : verdict}`;
      const reason =
        verdict === "outside" ? "the title triage judged it outside every topic" : `${rated}, but ${rationed}`;
      return { ...paperRecordOf(c), outcome: "triaged-out", scoredBy: "llm", reason };
    });
  return {
    settled,
    rest: candidates.filter((c) => scored.has(c.id)),
    notes: triage.problems.length > 0 ? [`Title triage: ${triage.problems.join("; ")}.`] : [],
  };
}

async function scoringStage(
  candidates: readonly Candidate[],
  judge: Extract<Judge, { kind: "llm" }>,
  ctx: SelectionContext,
  lexical: (c: Candidate) => LexicalJudgement,
  onSettled: (count: number) => void,
): Promise<{ settled: PaperRecord[]; overBudget: number }> {
  const { llm, selection, topics } = ctx.config;
  const byId = new Map(candidates.map((c) => [c.id, c]));
  const outcomes = await scoreAbstracts(candidates, {
    client: judge.client,
    model: llm.model,
    prefix: scoringPrefix(ctx.prompts, topics, selection.minRelevance, ctx.taste),
    topics,
    batchTokens: llm.batchTokens,
    papersPerCall: llm.papersPerCall,
    abstractTokens: llm.abstractTokens,
    maxAttempts: llm.maxAttempts,
    onSettled,
    ...(judge.answers ? { answers: judge.answers } : {}),
  });
  const settled: PaperRecord[] = [];
  let overBudget = 0;
  for (const [id, outcome] of outcomes) {
    const c = byId.get(id)!;
    if (outcome.kind === "scored") {
      const { relevance, novelty, comment, topic } = outcome.item;
      const judgement = { relevance, novelty, comment, topic, scoredBy: "llm" as const, reason: outcome.note ?? null };
      settled.push(judgedRecord(c, judgement, selection));
    } else if (outcome.kind === "over-budget") {
      overBudget += 1;
      settled.push(judgedRecord(c, lexicalJudgement(lexical(c), `${outcome.reason}; scored offline`), selection));
    } else {
      settled.push({ ...paperRecordOf(c), outcome: "unscored", scoredBy: null, reason: outcome.reason });
    }
  }
  return { settled, overBudget };
}

/** A long message cut at a word boundary, for a paper's own reason. */
function gist(reason: string, max = 100): string {
  if (reason.length <= max) return reason;
  const cut = reason.slice(0, max);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(" "), max / 2))}…`;
}

/**
 * One note per failure cause: the full message once in the day's notes, and a short pointer in
 * each paper's reason, rather than the same long error copied onto hundreds of papers.
 */
function shareFailureReasons(papers: PaperRecord[], notes: string[]): PaperRecord[] {
  const byReason = new Map<string, number>();
  for (const p of papers) {
    if (p.outcome === "unscored") byReason.set(p.reason ?? "", (byReason.get(p.reason ?? "") ?? 0) + 1);
  }
  for (const [reason, count] of byReason) notes.push(`${plural(count, "paper")} could not be scored: ${reason}`);
  return papers.map((p) => {
    if (p.outcome !== "unscored" || (byReason.get(p.reason ?? "") ?? 0) < 2) return p;
    return { ...p, reason: `${gist(p.reason ?? "")} (the day's notes give the full message)` };
  });
}

/**
 * The free ranking of the day (topics and history), with the prefilter's decision per paper:
 * what selection sends to the LLM, and what `eval` reports as the funnel's first stage.
 */
export function rankTheDay(
  candidates: readonly Candidate[],
  corpus: readonly Candidate[],
  config: Config,
  history: HistoryModel | undefined,
): Map<string, PrefilterDecision> {
  const p = config.selection.prefilter;
  // The LLM reads the top keepShare: their abstracts' openings, or their titles when the triage is on.
  const decisions = prefilter(candidates, {
    topicsScorer: createLexicalRawScorer(config.topics, [...corpus]),
    similarityScorer: createTopicSimilarityScorer(config.topics, [...corpus]),
    ...(history && history.size > 0 ? { history } : {}),
    keepShare: p.keepShare,
    floor: p.floor,
    historyWeight: p.historyWeight,
  });
  return new Map(decisions.map((d) => [d.id, d]));
}

/**
 * The driver: each stage settles some papers and passes the rest on. Every candidate comes back
 * exactly once, ranked, with an outcome and a reason.
 */
export async function selectPapers(candidates: Candidate[], ctx: SelectionContext): Promise<SelectionResult> {
  const { config, judge } = ctx;
  const { llm, selection } = config;
  const notes: string[] = [];
  const operatorNotes: string[] = [];
  let reusedNote: string | null = null;
  const records = new Map<string, PaperRecord>();
  const firstOfEach = new Map<string, Candidate>();
  for (const c of candidates) if (!firstOfEach.has(c.id)) firstOfEach.set(c.id, c);
  const unique = [...firstOfEach.values()];
  /** Papers settled by the scoring stage but not yet turned into records. */
  let scoringSettled = 0;

  const progress = () => {
    if (!ctx.onProgress) return;
    const meter = judge.kind === "llm" ? judge.meter : null;
    // This run's calls alone, tokens and cost alike: reused answers cost this run nothing.
    const paid = meter?.paidSoFar ?? null;
    ctx.onProgress({
      scored: records.size + scoringSettled,
      total: unique.length,
      calls: meter?.counts.paid ?? 0,
      reused: meter?.counts.replayed ?? 0,
      promptTokens: paid?.promptTokens ?? 0,
      completionTokens: paid?.completionTokens ?? 0,
      costUsd: paid === null ? 0 : paid.costUsd,
    });
  };
  const settle = (papers: readonly PaperRecord[]) => {
    for (const p of papers) records.set(p.id, p);
    progress();
  };
  let lexicalScorer: ((c: Candidate) => LexicalJudgement) | null = null;
  const lexical = (c: Candidate) => {
    lexicalScorer ??= createLexicalScorer(config.topics, unique);
    return lexicalScorer(c);
  };
  /** Offline comments waiting for the rank the day's order gives them (`withShownRanks`). */
  const ranked = new Map<string, RankedComment>();
  // The free ranking of the day by topics and history: the offline scorer's order, and the
  // prefilter's decision on what the LLM reads. Computed once, kept on every paper's record (before
  // ranking: the digest breaks ties by it).
  let decisions: Map<string, PrefilterDecision> | null = null;
  const withFreeScores = (p: PaperRecord): PaperRecord => {
    const d = decisions?.get(p.id);
    return d ? { ...p, prefilter: { topics: d.lexical, history: d.history, percentile: d.combined } } : p;
  };
  const finish = (prompt: SelectionResult["prompt"]): SelectionResult => {
    const papers = shareFailureReasons(
      withShownRanks(
        rankPapers(
          unique.map((c) => withFreeScores(records.get(c.id)!)),
          selection.maxPapers,
        ),
        ranked,
      ),
      notes,
    );
    const usage =
      judge.kind === "llm" ? judge.meter.summary(llm.model) : { stages: {}, total: emptyUsage(null), calls: [] };
    const settings = selectionSettings(config, judge.kind);
    return {
      papers,
      usage,
      prompt,
      notes,
      operatorNotes,
      reusedNote,
      sentToLlm: null,
      abstractsScored: null,
      settings,
    };
  };

  const authors = authorStage(unique, ctx.matchAuthor);
  settle(authors.settled);
  let rest = authors.rest;

  const history = ctx.history && ctx.history.size > 0 ? ctx.history : undefined;
  const usePrefilter = judge.kind === "llm" && selection.prefilter.enabled;
  decisions = usePrefilter || history ? rankTheDay(rest, unique, config, history) : null;

  if (judge.kind === "offline") {
    settle(offlineStage(rest, lexical, history ? decisions : null, selection, ranked, history));
    notes.push(offlineScoringNote(judge.why, judge.keyEnv));
    return finish(null);
  }
  const prompt = recordedPrompt(scoringPrefix(ctx.prompts, config.topics, selection.minRelevance, ctx.taste));

  const floored = relevanceFloorStage(rest, lexical, selection.prefilterMinRelevance);
  settle(floored.settled);
  rest = floored.rest;
  if (usePrefilter && decisions) {
    const shared = shareStage(rest, decisions, lexical);
    settle(shared.settled);
    rest = shared.rest;
  }
  const sentToLlm = rest.length;

  const startFormat = judge.client.format;
  const ration = rationSize(selection.prefilter, decisions?.size ?? rest.length);
  const triaged = await triageStage(rest, judge, ctx, decisions, ration);
  settle(triaged.settled);
  operatorNotes.push(...triaged.notes);
  rest = triaged.rest;
  const abstractsScored = rest.length;

  const scored = await scoringStage(rest, judge, ctx, lexical, (count) => {
    scoringSettled += count;
    progress();
  });
  scoringSettled = 0;
  settle(scored.settled);

  const run = llmRunNotes({
    llm,
    meter: judge.meter,
    reusedVerdicts: judge.answers?.reused() ?? 0,
    reusedTitles: judge.answers?.reusedTitles() ?? 0,
    overBudget: scored.overBudget,
    startFormat,
    format: judge.client.format,
  });
  notes.push(...run.reader);
  operatorNotes.push(...run.operator);
  reusedNote = run.reused;
  const unsaved = judge.cacheProblems();
  if (unsaved.length > 0) {
    operatorNotes.push(
      `${plural(unsaved.length, "LLM answer")} could not be cached, so a re-run pays for them again (${unsaved[0]}).`,
    );
  }
  return { ...finish(prompt), sentToLlm, abstractsScored };
}
