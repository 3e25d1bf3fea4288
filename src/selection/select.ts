/**
 * Decides, for one day's candidates, which papers the reader sees: followed authors first,
 * then the free lexical prefilter, the optional LLM title triage and the LLM abstract scoring
 * (or the offline scorer when there is no key), then cut-offs and ranking. Every candidate
 * comes back exactly once with an outcome; nothing that was paid for is thrown away.
 */
import { type CallUsage, emptyUsage, type PaperRecord, type Usage } from "../archive/schema.js";
import { type Clock, systemClock } from "../arxiv/http.js";
import type { Candidate } from "../arxiv/types.js";
import type { Config } from "../config/schema.js";
import { createResponseCache } from "../llm/cache.js";
import { createChatClient, type ResponseFormatKind } from "../llm/client.js";
import { UsageMeter } from "../llm/usage.js";
import { createLexicalScorer, type LexicalJudgement } from "./lexical.js";
import { type PromptTexts, recordedPrompt, scoringPrefix, triagePrefix } from "./prompt.js";
import { missedCutoff, rankingScore, rankPapers } from "./rank.js";
import { scoreAbstracts } from "./scoring.js";
import { triageTitles } from "./triage.js";

export interface SelectionProgress {
  /** Papers with a final outcome so far. */
  scored: number;
  total: number;
  calls: number;
  promptTokens: number;
  completionTokens: number;
  /** Null while the model is unpriced. */
  costUsd: number | null;
}

export interface SelectionContext {
  config: Config;
  prompts: PromptTexts;
  matchAuthor: (c: Candidate) => string | null;
  /** Already resolved from the environment by the caller; null when none is set. */
  apiKey: string | null;
  /** Workspace cache directory (LLM answers go under `llm/`); null disables the cache. */
  cacheDir: string | null;
  onProgress?: (p: SelectionProgress) => void;
  fetchImpl?: typeof fetch;
  /** Time for retry back-off and rate limits; real time when omitted. */
  clock?: Clock;
}

export interface SelectionResult {
  papers: PaperRecord[];
  usage: { stages: Record<string, Usage>; total: Usage; calls: CallUsage[] };
  prompt: { system: string; user: string } | null;
  notes: string[];
  mode: "llm" | "offline";
  /** False when any paper is unscored. */
  complete: boolean;
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

function baseRecord(c: Candidate): Omit<PaperRecord, "outcome" | "scoredBy" | "reason"> {
  return {
    id: c.id,
    version: c.version,
    title: c.title,
    authors: c.authors,
    abstract: c.abstract,
    categories: c.categories,
    announceType: c.announceType,
    ...(c.doi ? { doi: c.doi } : {}),
    ...(c.journalRef ? { journalRef: c.journalRef } : {}),
    authorMatch: null,
    relevance: null,
    novelty: null,
    comment: null,
    topic: null,
    score: null,
  };
}

function judgedRecord(c: Candidate, j: Judgement, selection: Config["selection"]): PaperRecord {
  const score = rankingScore(j.relevance, j.novelty, selection.weights);
  const missed = missedCutoff({ relevance: j.relevance, novelty: j.novelty, score }, selection);
  const reason = [j.reason, missed].filter((r): r is string => r !== null).join("; ");
  return {
    ...baseRecord(c),
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

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** What a reader or maintainer should know about how the LLM run went. */
function llmRunNotes(run: {
  llm: Config["llm"];
  meter: UsageMeter;
  overBudget: number;
  startFormat: ResponseFormatKind;
  format: ResponseFormatKind;
}): string[] {
  const { llm, meter } = run;
  const notes: string[] = [];
  const { total } = meter.summary(llm.model);
  if (run.overBudget > 0) {
    notes.push(
      `The LLM budget of $${llm.budgetUsd} was reached after $${meter.spentUsd.toFixed(4)}; ${plural(run.overBudget, "paper")} scored offline instead.`,
    );
  }
  if (run.format !== run.startFormat) {
    const now = run.format === "none" ? "plain text holding JSON" : "a JSON object";
    notes.push(
      `The endpoint rejected ${run.startFormat} structured output, so answers were requested as ${now} and parsed leniently.`,
    );
  }
  const { paid, replayed } = meter.counts;
  if (replayed > 0) {
    notes.push(
      `${plural(replayed, "LLM answer")} came from the response cache (no charge in this run); new calls made: ${paid}.`,
    );
  }
  if (total.calls > 0 && total.cost === null) {
    notes.push(
      `No price is known for model ${total.model}, so the cost is shown as unpriced; add it under llm.prices (USD per million tokens).`,
    );
  }
  return notes;
}

export async function selectPapers(candidates: Candidate[], ctx: SelectionContext): Promise<SelectionResult> {
  const { config } = ctx;
  const { llm, selection } = config;
  const notes: string[] = [];
  const records = new Map<string, PaperRecord>();
  const firstOfEach = new Map<string, Candidate>();
  for (const c of candidates) if (!firstOfEach.has(c.id)) firstOfEach.set(c.id, c);
  const unique = [...firstOfEach.values()];
  /** Papers settled by the scoring stage but not yet turned into records. */
  let scoredSoFar = 0;
  const meter = new UsageMeter(llm.prices);

  const progress = () => {
    if (!ctx.onProgress) return;
    const { total } = meter.summary(llm.model);
    ctx.onProgress({
      scored: records.size + scoredSoFar,
      total: unique.length,
      calls: total.calls,
      promptTokens: total.promptTokens,
      completionTokens: total.completionTokens,
      costUsd: total.cost?.total ?? null,
    });
  };
  const settle = (record: PaperRecord) => {
    records.set(record.id, record);
  };

  let toJudge: Candidate[] = [];
  for (const c of unique) {
    const followed = ctx.matchAuthor(c);
    if (followed === null) {
      toJudge.push(c);
      continue;
    }
    settle({
      ...baseRecord(c),
      outcome: "selected",
      scoredBy: "author",
      reason: null,
      authorMatch: followed,
      comment: "Author match",
      score: AUTHOR_MATCH_SCORE,
    });
  }
  progress();

  let lexicalScorer: ((c: Candidate) => LexicalJudgement) | null = null;
  const lexical = (c: Candidate) => {
    lexicalScorer ??= createLexicalScorer(config.topics, unique);
    return lexicalScorer(c);
  };

  const finish = (mode: "llm" | "offline", prompt: SelectionResult["prompt"]): SelectionResult => {
    const papers = rankPapers(
      unique.map((c) => records.get(c.id)!),
      selection.maxPapers,
    );
    const unscored = papers.filter((p) => p.outcome === "unscored");
    if (unscored.length > 0) {
      notes.push(`${plural(unscored.length, "paper")} could not be scored (first reason: ${unscored[0]!.reason}).`);
    }
    const usage = mode === "offline" ? { stages: {}, total: emptyUsage(null), calls: [] } : meter.summary(llm.model);
    return { papers, usage, prompt, notes, mode, complete: unscored.length === 0 };
  };

  const offline = llm.provider === "offline" || (llm.provider === "auto" && !ctx.apiKey);
  if (offline) {
    for (const c of toJudge) settle(judgedRecord(c, lexicalJudgement(lexical(c), null), selection));
    notes.push(
      llm.provider === "offline"
        ? 'llm.provider is "offline": papers were scored by the offline lexical scorer (novelty is not judged offline).'
        : `No API key was configured (environment variable ${llm.apiKeyEnv} is empty), so the offline lexical scorer picked the papers (novelty is not judged offline). Set ${llm.apiKeyEnv} to have the LLM read the abstracts.`,
    );
    progress();
    return finish("offline", null);
  }

  const scoring = scoringPrefix(ctx.prompts, config.topics);
  if (!ctx.apiKey) {
    const reason = `llm.provider is "openai" but the environment variable ${llm.apiKeyEnv} is empty; set it, or set llm.provider to "auto" to fall back to the offline scorer`;
    for (const c of toJudge) settle({ ...baseRecord(c), outcome: "unscored", scoredBy: null, reason });
    progress();
    return finish("llm", recordedPrompt(scoring));
  }

  if (selection.prefilterMinRelevance > 0) {
    const kept: Candidate[] = [];
    for (const c of toJudge) {
      const l = lexical(c);
      if (l.relevance >= selection.prefilterMinRelevance) {
        kept.push(c);
        continue;
      }
      settle({
        ...baseRecord(c),
        outcome: "prefiltered-out",
        scoredBy: "lexical",
        reason: `offline relevance ${l.relevance} is below selection.prefilterMinRelevance ${selection.prefilterMinRelevance}`,
        relevance: l.relevance,
        comment: l.comment,
        topic: l.topic,
      });
    }
    toJudge = kept;
    progress();
  }

  const cache = createResponseCache(ctx.cacheDir);
  const client = createChatClient({
    llm,
    baseUrl: llm.baseUrl ?? process.env.OPENAI_BASE_URL,
    apiKey: ctx.apiKey,
    cache,
    meter,
    clock: ctx.clock ?? systemClock,
    ...(ctx.fetchImpl ? { fetchImpl: ctx.fetchImpl } : {}),
  });
  const startFormat = client.format;

  if (llm.triage.enabled && toJudge.length > 0) {
    const triage = await triageTitles(toJudge, {
      client,
      model: llm.triage.model ?? llm.model,
      prefix: triagePrefix(ctx.prompts, config.topics),
      batchTokens: llm.triage.batchTokens,
    });
    for (const c of toJudge.filter((c) => triage.dropped.has(c.id))) {
      settle({
        ...baseRecord(c),
        outcome: "triaged-out",
        scoredBy: "llm",
        reason: "the title triage judged it clearly outside every topic",
      });
    }
    if (triage.problems.length > 0) notes.push(`Title triage: ${triage.problems.join("; ")}.`);
    toJudge = toJudge.filter((c) => !triage.dropped.has(c.id));
    progress();
  }

  const byId = new Map(toJudge.map((c) => [c.id, c]));
  const outcomes = await scoreAbstracts(toJudge, {
    client,
    model: llm.model,
    prefix: scoring,
    topics: config.topics,
    batchTokens: llm.batchTokens,
    maxAttempts: llm.maxAttempts,
    onSettled: (count) => {
      scoredSoFar += count;
      progress();
    },
  });
  scoredSoFar = 0;
  let overBudget = 0;
  for (const [id, outcome] of outcomes) {
    const c = byId.get(id)!;
    if (outcome.kind === "scored") {
      const { relevance, novelty, comment, topic } = outcome.item;
      settle(judgedRecord(c, { relevance, novelty, comment, topic, scoredBy: "llm", reason: null }, selection));
    } else if (outcome.kind === "over-budget") {
      overBudget += 1;
      settle(judgedRecord(c, lexicalJudgement(lexical(c), `${outcome.reason}; scored offline`), selection));
    } else {
      settle({ ...baseRecord(c), outcome: "unscored", scoredBy: null, reason: outcome.reason });
    }
  }

  notes.push(...llmRunNotes({ llm, meter, overBudget, startFormat, format: client.format }));
  const unsaved = cache.problems();
  if (unsaved.length > 0) {
    notes.push(
      `${plural(unsaved.length, "LLM answer")} could not be cached, so a re-run pays for them again (${unsaved[0]}).`,
    );
  }
  progress();
  return finish("llm", recordedPrompt(scoring));
}
