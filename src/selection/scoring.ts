/**
 * The abstract-scoring stage: asks the LLM for relevance, novelty, a comment and a topic for
 * each paper, in token-budgeted batches. Papers the answer left out are asked again in halved
 * batches up to `maxAttempts`; only then is a paper given up, with the reason. No paper is
 * ever dropped silently.
 */

import type { Topic } from "../config/schema.js";
import { type PaperAnswers, resendEstimate, type StageRequest, shareOf, type VerdictKey } from "../llm/answers.js";
import { chunk } from "../llm/batch.js";
import type { ChatClient, ChatRequest } from "../llm/client.js";
import { BudgetReachedError, LlmCallError, LlmFatalError } from "../llm/errors.js";
import { parseScoreReply, type ScoreItem } from "../llm/parse.js";
import type { TokenCounts } from "../llm/prices.js";
import type { Candidate } from "../model/candidate.js";
import { answerSchema, type PromptPrefix, paperBlocks, renderPaper } from "./prompt.js";

export type ScoreOutcome =
  /** `note` says what was unusual, e.g. an answer that named the paper twice. */
  | { kind: "scored"; item: ScoreItem; note?: string }
  /** Every attempt failed, or the run had to stop; the paper stays in the record as unscored. */
  | { kind: "unscored"; reason: string }
  /** The budget ran out before this paper was asked about. */
  | { kind: "over-budget"; reason: string };

export interface ScoringOptions {
  client: ChatClient;
  model: string;
  prefix: PromptPrefix;
  topics: readonly Topic[];
  batchTokens: number;
  /** At most this many papers per call: accuracy falls and position effects grow with large batches. */
  papersPerCall?: number;
  /** Token budget of each abstract's opening. */
  abstractTokens?: number;
  maxAttempts: number;
  /** Called as papers get their final outcome. */
  onSettled?: (count: number) => void;
  /**
   * Verdicts of single papers from earlier answers (llm/answers.ts): the papers of a batch the
   * response cache does not hold are looked up here first, and only the others are sent.
   */
  answers?: PaperAnswers;
}

/**
 * Completion tokens an answered paper takes on average: about 30 for id and two scores, about 70
 * with a topic and a comment, which only the relevant few get. Used for rate limiting and, with
 * headroom, for the answer's token cap.
 */
const ANSWER_TOKENS_PER_PAPER = 45;
/** The cap on one answer: room for every paper to carry a comment, plus the JSON around them. */
export function answerTokenCap(papers: number): number {
  return 200 + 80 * papers;
}
const MAX_REASON_LENGTH = 400;

export function scoringSchema(topics: readonly Topic[]): { name: string; schema: Record<string, unknown> } {
  return answerSchema("paper_scores", {
    id: { type: "string" },
    relevance: { type: "integer" },
    novelty: { type: "integer" },
    topic: { type: ["string", "null"], enum: [...topics.map((t) => t.id), "none", null] },
    comment: { type: ["string", "null"] },
  });
}

/** What a reply said was wrong with one paper's item (`item for <id>: …`), without the prefix. */
function ownProblems(id: string, problems: readonly string[]): string[] {
  const prefix = `item for ${id}: `;
  return problems.filter((p) => p.startsWith(prefix)).map((p) => p.slice(prefix.length));
}

/**
 * The reason a paper was given up: what the answers said was wrong with its own item (in any
 * attempt), then the problems of the last reply as a whole; "never included" only when neither
 * exists.
 */
function reasonFor(attempts: number, own: readonly string[], problems: readonly string[]): string {
  const general = problems.filter((p) => !/^item /.test(p));
  const found = [...own, ...general];
  const why = found.length > 0 ? found : ["the answers never included it"];
  const text = `no valid answer after ${attempts} attempt${attempts === 1 ? "" : "s"}: ${why.join("; ")}`;
  return text.length > MAX_REASON_LENGTH ? `${text.slice(0, MAX_REASON_LENGTH - 1)}…` : text;
}

/** The note of a paper scored only after asking again: what was wrong with the earlier answers. */
function noteFor(conflicted: boolean, own: readonly string[] | undefined): string | undefined {
  const notes = [
    ...(conflicted ? ["an earlier answer named this paper twice with different scores; it was asked about alone"] : []),
    ...(own ? [`an earlier answer about it was not usable (${own.join("; ")}); it was asked again`] : []),
  ];
  const text = notes.join("; ");
  if (text === "") return undefined;
  return text.length > MAX_REASON_LENGTH ? `${text.slice(0, MAX_REASON_LENGTH - 1)}…` : text;
}

export async function scoreAbstracts(
  candidates: readonly Candidate[],
  options: ScoringOptions,
): Promise<Map<string, ScoreOutcome>> {
  const { client, model, maxAttempts, answers } = options;
  const outcomes = new Map<string, ScoreOutcome>();
  const texts = new Map(candidates.map((c) => [c.id, renderPaper(c, options.abstractTokens)]));
  const render = (c: Candidate) => texts.get(c.id)!;
  const papers = paperBlocks(candidates, options.prefix, render);
  const topicIds = new Set(options.topics.map((t) => t.id));
  const schema = scoringSchema(options.topics);
  const keyOf = (id: string): VerdictKey => ({ model, prefix: options.prefix, id, text: texts.get(id)! });
  const withKnownTopic = (item: ScoreItem): ScoreItem => ({
    ...item,
    topic: item.topic && topicIds.has(item.topic) ? item.topic : null,
  });

  const requestFor = (ids: readonly string[]): ChatRequest => ({
    stage: "scoring",
    model,
    messages: papers.messages(ids),
    schema,
    estimatedTokens: papers.estimateTokens(ids, ANSWER_TOKENS_PER_PAPER),
    // As a reused verdict without a share is counted (countReused below): an answer without token counts is.
    usualTokens: resendEstimate({ batches: [ids.map((id) => ({ id }))], sizer: papers }, ANSWER_TOKENS_PER_PAPER)
      .tokens,
    maxCompletionTokens: answerTokenCap(ids.length),
    // Worth caching when it scored at least one paper, was not cut off and named no paper twice.
    usable: (content, finish) => {
      if (finish === "length") return false;
      const parsed = parseScoreReply(content, ids);
      if (ids.length === 1) return parsed.items.length + parsed.firstOfConflicts.length > 0;
      return parsed.items.length > 0 && parsed.conflicts.length === 0;
    },
  });

  const settle = (ids: readonly string[], outcome: (id: string) => ScoreOutcome) => {
    for (const id of ids) outcomes.set(id, outcome(id));
    options.onSettled?.(ids.length);
  };

  /** Papers an answer named twice with different verdicts: asked again alone, and the record says so. */
  const conflicted = new Set<string>();
  /** What was wrong with each paper's item in the answers that left it unscored, in order, once each. */
  const unusable = new Map<string, string[]>();

  async function ask(batch: readonly Candidate[], attempt: number): Promise<void> {
    const ids = batch.map((c) => c.id);
    let problems: string[];
    let answered: ScoreItem[] = [];
    let conflicts: string[] = [];
    let firstOfConflicts: ScoreItem[] = [];
    /** Whether this answer's verdicts may be kept paper by paper: newly paid, whole, no paper named twice. */
    let storable = false;
    /** Each paper's share of the answer's tokens, kept with its verdict; none when the answer came without them. */
    let share: TokenCounts | undefined;
    try {
      const reply = await client.complete(requestFor(ids));
      ({ items: answered, problems, conflicts, firstOfConflicts } = parseScoreReply(reply.content, ids));
      for (const id of conflicts) conflicted.add(id);
      // Asked alone, no neighbour can have forged the second answer: keep the first, and say so.
      if (batch.length === 1) answered = [...answered, ...firstOfConflicts];
      if (reply.finishReason === "length") {
        problems.push("the reply was cut off by the output token limit; the missing papers are asked again");
      }
      storable = !reply.replayed && reply.finishReason !== "length" && (batch.length === 1 || conflicts.length === 0);
      share = reply.usageMissing ? undefined : shareOf(reply, ids.length);
    } catch (err) {
      if (err instanceof LlmFatalError) return settle(ids, () => ({ kind: "unscored", reason: err.message }));
      if (err instanceof BudgetReachedError) return settle(ids, () => ({ kind: "over-budget", reason: err.message }));
      if (!(err instanceof LlmCallError)) throw err;
      problems = [err.message];
    }
    const scored = new Map(
      answered.filter((item) => ids.includes(item.id)).map((item) => [item.id, withKnownTopic(item)]),
    );
    const noteOf = (id: string) => noteFor(conflicted.has(id), unusable.get(id));
    // A usable paid answer is kept paper by paper too, so a day batched otherwise next time does not
    // pay for it again; never a verdict that came with a note (named twice, asked again after a
    // broken item): a reuse could not carry the note, and the record must say it.
    if (answers && storable) {
      await Promise.all(
        [...scored].filter(([id]) => !noteOf(id)).map(([id, item]) => answers.put(keyOf(id), item, share)),
      );
    }
    settle([...scored.keys()], (id) => {
      const note = noteOf(id);
      return { kind: "scored", item: scored.get(id)!, ...(note ? { note } : {}) };
    });
    const missing = batch.filter((c) => !outcomes.has(c.id));
    if (missing.length === 0) return;
    for (const c of missing) {
      // A conflict has its own note; what else was wrong is kept for the paper's note or reason.
      if (conflicts.includes(c.id)) continue;
      const own = unusable.get(c.id) ?? [];
      for (const p of ownProblems(c.id, problems)) if (!own.includes(p)) own.push(p);
      if (own.length > 0) unusable.set(c.id, own);
    }
    const alone = missing.filter((c) => conflicts.includes(c.id));
    const rest = missing.filter((c) => !conflicts.includes(c.id));
    if (attempt >= maxAttempts) {
      return settle(
        missing.map((c) => c.id),
        (id) => {
          const own = [...new Set([...(unusable.get(id) ?? []), ...ownProblems(id, problems)])];
          return { kind: "unscored", reason: reasonFor(attempt, own, problems) };
        },
      );
    }
    const smaller = Math.max(1, Math.ceil(batch.length / 2));
    await Promise.all([
      ...alone.map((c) => ask([c], attempt + 1)),
      ...chunk(rest, smaller).map((part) => ask(part, attempt + 1)),
    ]);
  }

  const batches = papers.batches(options.batchTokens, options.papersPerCall);
  if (!answers) {
    await Promise.all(batches.map((batch) => ask(batch, 1)));
    return outcomes;
  }
  // A batch the response cache holds is replayed as it is (a re-run or a killed run's resume,
  // exactly as first asked); the papers of every other batch are looked up one by one, and only
  // those without a stored verdict are batched anew and sent.
  const replayable = await Promise.all(
    batches.map(async (b) => (await client.cached?.(requestFor(b.map((c) => c.id)))) ?? false),
  );
  const lookUp = batches.filter((_, i) => !replayable[i]).flat();
  // The most a stored share can be: one request of this stage, as large as its settings allow.
  const largest = (id: string): StageRequest => ({
    promptTokens: papers.largestCallTokens(id, options.batchTokens),
    answerCap: answerTokenCap(options.papersPerCall ?? options.batchTokens),
    calls: 1,
  });
  const stored = await Promise.all(lookUp.map((c) => answers.get(keyOf(c.id), largest(c.id))));
  const reused = new Map(
    lookUp.flatMap((c, i) => (stored[i] ? [[c.id, withKnownTopic(stored[i].verdict)] as const] : [])),
  );
  if (reused.size > 0) settle([...reused.keys()], (id) => ({ kind: "scored", item: reused.get(id)! }));
  // What the reused verdicts took when paid: their shares, or, for those without a usable share
  // (stored by an earlier version, from an answer without token counts, with a share no request
  // could take) and for shares that add up to more than the day's papers could take, what sending
  // them would take: their prompt as the day would batch it, and the reply's usual length per paper.
  answers.countReused(
    "scoring",
    model,
    lookUp,
    stored,
    (items) => {
      const again = paperBlocks(items, options.prefix, render);
      return { batches: again.batches(options.batchTokens, options.papersPerCall), sizer: again };
    },
    ANSWER_TOKENS_PER_PAPER,
  );
  const unanswered = lookUp.filter((c) => !reused.has(c.id));
  const anew = paperBlocks(unanswered, options.prefix, render).batches(options.batchTokens, options.papersPerCall);
  await Promise.all([...batches.filter((_, i) => replayable[i]), ...anew].map((batch) => ask(batch, 1)));
  return outcomes;
}
