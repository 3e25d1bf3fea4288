/**
 * Per-paper store of verdicts: `<cacheDir>/llm-papers/<sha256 of the key>.json` (beside the
 * response cache's `llm/`). The response cache (cache.ts) is keyed by the whole request, so a day
 * batched differently (a prefilter that lets other papers through after new feedback, a
 * different keepShare, a run after a budget stop, one paper more) misses every entry although each
 * paper's answer depends only on what the model was asked before the papers and on the paper
 * itself. This store keeps each verdict under exactly that, for two stages:
 * - "scoring": the model, the options that shape answers (temperature, reasoning effort, and the
 *   batch size settings llm.papersPerCall and llm.batchTokens, since a batch's size changes how a
 *   model rates what is in it: an A/B of them in `eval` must ask again; not the answer's token
 *   cap, which only decides whether an answer is cut off), the hash of the stable prompt prefix
 *   (system message and every word before the papers: criteria, topics, the reader's taste, the
 *   comment threshold) and the paper's own text as sent (id, title, abstract opening);
 * - "triage": the title triage's model, its answer-shaping options (llm.triage.batchTokens among
 *   them), the hash of the triage prefix (its instructions and the topics) and the title line as
 *   sent, without its number
 *   (the answer names line numbers, but once parsed each title has its own verdict: on topic,
 *   maybe or outside; a title the triage could not decide is never stored).
 * Each stage looks verdicts up here only for batches the response cache does not hold, and sends
 * the rest.
 *
 * A verdict is kept with its share of the tokens the answer that gave it took (the call's tokens
 * divided by its papers or titles), so what a day costs paid in full can still count a reused
 * verdict at what it cost when paid (`eval`). An answer that came without token counts leaves its
 * verdicts without a share. A share is read apart from its verdict: one that is damaged, or more
 * than one request of the stage can take (`StageRequest`, a planted or edited file), is dropped and
 * the verdict kept. A share is only the store's word, so the shares a stage reuses in a day are
 * also held together to SHARE_ROOM times what sending those verdicts again would take
 * (`sharesFit`): past that they are all priced as verdicts without a share are, from the size of
 * the prompt the stage would send (`countReused`), and counted as estimated.
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import * as z from "zod";
import type { Config } from "../config/schema.js";
import { readJsonOrNull, writeJsonAtomic } from "../io/json-file.js";
import { cacheKey } from "./cache.js";
import { answerShapingOptions, completionRoom, mostCompletionTokens } from "./client.js";
import { checkScoreItem, type ScoreItem } from "./parse.js";
import type { TokenCounts } from "./prices.js";

/** Bumped when what a stored verdict means changes, so older entries are simply missed. */
const FORMAT = 1;

/**
 * A verdict's share of the tokens of the paid answer it came from, read apart from the verdict
 * (`plausibleShare`): a damaged share loses the verdict nothing but the share.
 */
const TOKENS = z.number().nonnegative().finite();
const TokenShareSchema = z.object({
  promptTokens: TOKENS,
  cachedPromptTokens: TOKENS,
  completionTokens: TOKENS,
});

/**
 * Room over the prompt's size as counted here (o200k): another model's tokenizer, the messages'
 * framing and the answer's schema. Generous on purpose: a true share must never be dropped.
 */
const PROMPT_ROOM = 2;

/**
 * How far the shares a stage reuses in a day may add up over the estimate of sending those
 * verdicts again (`sharesFit`). A true share is close to it: the same prefix and texts, batched
 * as the day batches them (an earlier day's batches differ a little, another model's tokenizer
 * counts a little differently); shares planted in the store that each fit one request add up to
 * many times it.
 */
const SHARE_ROOM = 2;

/**
 * A stored verdict's shape; what makes it a valid item (scores 1–10, the comment trimmed and cut,
 * the topic) is the parser's own test, `checkScoreItem`, so a file planted or edited in the cache
 * gets no further than a live answer would.
 */
const StoredVerdictSchema = z.object({
  model: z.string(),
  id: z.string().min(1),
  relevance: z.number(),
  novelty: z.number(),
  comment: z.string(),
  topic: z.string().nullable(),
  usage: z.unknown().optional(),
});

/** The title triage's verdicts on a title, the only words a stored one may hold. */
const TITLE_VERDICTS = ["on-topic", "maybe", "outside"] as const;

/** The title triage's verdict on one title, as stored (a title left undecided is never stored). */
export type TitleVerdict = (typeof TITLE_VERDICTS)[number];

const StoredTitleSchema = z.object({
  model: z.string(),
  stage: z.literal("triage"),
  title: z.string(),
  verdict: z.enum(TITLE_VERDICTS),
  usage: z.unknown().optional(),
});

/** What identifies one paper's verdict: who was asked, with which prefix, about which text. */
export interface VerdictKey {
  model: string;
  /** The stable prefix of the scoring prompt, as sent before the papers. */
  prefix: { system: string; userPrefix: string };
  /** The paper's id, as sent. */
  id: string;
  /** The paper's block as sent (id, title, abstract opening), (its one line). */
  text: string;
}

/** What identifies one title's triage verdict: who was asked, with which prefix, about which line. */
export interface TitleKey {
  model: string;
  /** The stable prefix of the triage prompt, as sent before the titles. */
  prefix: { system: string; userPrefix: string };
  /** The title line as sent, without its number. */
  line: string;
}

/**
 * The largest request of a stage a verdict can have come from, as the stage sizes its requests:
 * what a stored share is held to (with the model's reasoning allowance and thinking room, and
 * generous room for another tokenizer).
 */
export interface StageRequest {
  /**
   * Prompt tokens of that request as counted here: the prompt prefix and the batch's token
   * budget, or the prefix and the item alone where the item is over the budget (it goes alone).
   */
  promptTokens: number;
  /** The answer cap the stage asks for on that request, before the reasoning allowance. */
  answerCap: number;
  /** Calls one verdict's share may add up: the triage asks a batch without a verdict once more. */
  calls: number;
}

/** A stored verdict found, with its share of the tokens it took when paid (null: none, or none usable). */
export interface Reused<T> {
  verdict: T;
  usage: TokenCounts | null;
}

/** What the verdicts reused by one stage and model took when paid, added up. */
export interface ReusedUsage extends TokenCounts {
  stage: "scoring" | "triage";
  model: string;
  /** Verdicts reused. */
  verdicts: number;
  /** Of them, those without a usable share (or whose shares did not fit), counted at the stage's estimate from the prompt's size. */
  estimated: number;
}

/** How a stage would send items again: each batch's prompt tokens plus an answer's per item (PaperBlocks). */
export interface PromptSizer {
  estimateTokens(ids: readonly string[], answerTokensEach: number): number;
}

/** Items as a stage would send them again: its batches, and the size of each batch's prompt. */
export interface Resend {
  batches: readonly (readonly { id: string }[])[];
  sizer: PromptSizer;
}

/** What a stage's lookup gave for one item: a stored verdict with its share of the tokens it took (null: none usable), or null. */
type Looked = { usage: TokenCounts | null } | null;

/** What sending items again would take by the estimate, in how many batches. */
export interface ResendEstimate {
  tokens: TokenCounts;
  batches: number;
}

export interface PaperAnswers {
  /**
   * The verdict stored for this paper; null when there is none or it is damaged. Counts hits; its
   * share (when stored with one `request` could take) is added up by the stage (`countReused`).
   */
  get(key: VerdictKey, request: StageRequest): Promise<Reused<ScoreItem> | null>;
  /** Never throws: a failed write is kept in `problems`. `usage` is the paper's share of the answer's tokens. */
  put(key: VerdictKey, item: ScoreItem, usage?: TokenCounts): Promise<void>;
  /** Verdicts taken from the store so far (papers not sent again in this run). */
  reused(): number;
  /** The triage verdict stored for this title; null when there is none or it is damaged. Counts hits, as `get`. */
  getTitle(key: TitleKey, request: StageRequest): Promise<Reused<TitleVerdict> | null>;
  /** Never throws: a failed write is kept in `problems`. `usage` is the title's share of the answer's tokens. */
  putTitle(key: TitleKey, verdict: TitleVerdict, usage?: TokenCounts): Promise<void>;
  /** Triage verdicts taken from the store so far (titles not sent again in this run). */
  reusedTitles(): number;
  /**
   * Adds what the verdicts a stage reused in a day took to `reusedUsage`: those with a usable
   * share at their shares when these add up to what sending them again could take (`sharesFit`),
   * and otherwise, like those without one, at the estimate of sending them again (`resend`: the
   * stage's batches, each at its prompt's size, and `answerTokensEach`, an answer's usual tokens
   * per item), counted as estimated. `stored[i]` is what the lookup gave for `looked[i]` (null: not
   * stored, so not reused). Called once per stage and day, after the lookups.
   */
  countReused<T>(
    stage: ReusedUsage["stage"],
    model: string,
    looked: readonly T[],
    stored: readonly Looked[],
    resend: (items: readonly T[]) => Resend,
    answerTokensEach: number,
  ): void;
  /** What the verdicts reused so far took when paid, per stage and model. */
  reusedUsage(): ReusedUsage[];
  problems(): string[];
}

/** `tokens` split evenly over `items` verdicts: each one's share of the answer that gave them. */
export function shareOf(tokens: TokenCounts, items: number): TokenCounts {
  const n = Math.max(1, items);
  return {
    promptTokens: tokens.promptTokens / n,
    cachedPromptTokens: tokens.cachedPromptTokens / n,
    completionTokens: tokens.completionTokens / n,
  };
}

/**
 * `usage` as a share of one answer's tokens, or null when it is damaged or more than `request`
 * could take from `model` (a planted or edited file must not set what a day costs).
 */
export function plausibleShare(
  llm: Config["llm"],
  model: string,
  request: StageRequest,
  usage: unknown,
): TokenCounts | null {
  const parsed = TokenShareSchema.safeParse(usage);
  if (!parsed.success) return null;
  const share = parsed.data;
  const prompt = request.calls * PROMPT_ROOM * request.promptTokens;
  const completion = request.calls * mostCompletionTokens(llm, model, request.answerCap);
  const fits =
    share.promptTokens <= prompt && share.cachedPromptTokens <= prompt && share.completionTokens <= completion;
  return fits ? share : null;
}

/** What sending `resend` would take: each batch's prompt as sized, and `answerTokensEach` an item. */
export function resendEstimate(resend: Resend, answerTokensEach: number): ResendEstimate {
  let promptTokens = 0;
  let completionTokens = 0;
  for (const batch of resend.batches) {
    const ids = batch.map((item) => item.id);
    promptTokens += resend.sizer.estimateTokens(ids, 0);
    completionTokens += answerTokensEach * ids.length;
  }
  return { tokens: { promptTokens, cachedPromptTokens: 0, completionTokens }, batches: resend.batches.length };
}

/**
 * Whether `total`, the shares of the verdicts a stage reused in a day added up, is what sending
 * them again could take: at most SHARE_ROOM times the estimate's prompt tokens (cached ones
 * included), and SHARE_ROOM times its answers' tokens with what each batch may bill beyond its
 * answer (a reasoning model's allowance, which the estimate's usual answer leaves out:
 * `completionRoom`).
 */
export function sharesFit(llm: Config["llm"], model: string, total: TokenCounts, estimate: ResendEstimate): boolean {
  const prompt = SHARE_ROOM * estimate.tokens.promptTokens;
  const completion = SHARE_ROOM * (estimate.tokens.completionTokens + estimate.batches * completionRoom(llm, model));
  return total.promptTokens <= prompt && total.cachedPromptTokens <= prompt && total.completionTokens <= completion;
}

function prefixHash(prefix: { system: string; userPrefix: string }): string {
  return createHash("sha256").update(prefix.system).update("\u0000").update(prefix.userPrefix).digest("hex");
}

/** The one key of a paper's verdict (see the module comment for what goes into it). */
export function verdictKey(llm: Config["llm"], key: VerdictKey): string {
  return cacheKey({
    format: FORMAT,
    stage: "scoring",
    model: key.model,
    options: answerShapingOptions(llm, key.model),
    batch: { papersPerCall: llm.papersPerCall, batchTokens: llm.batchTokens },
    prefix: prefixHash(key.prefix),
    paper: key.text,
  });
}

/** The one key of a title's triage verdict (see the module comment for what goes into it). */
export function titleKey(llm: Config["llm"], key: TitleKey): string {
  return cacheKey({
    format: FORMAT,
    stage: "triage",
    model: key.model,
    options: answerShapingOptions(llm, key.model),
    batch: { batchTokens: llm.triage.batchTokens },
    prefix: prefixHash(key.prefix),
    title: key.line,
  });
}

/** A store under `cacheDir`, or one that never hits when `cacheDir` is null. */
export function createPaperAnswers(cacheDir: string | null, llm: Config["llm"]): PaperAnswers {
  if (cacheDir === null) {
    return {
      get: async () => null,
      put: async () => {},
      reused: () => 0,
      getTitle: async () => null,
      putTitle: async () => {},
      reusedTitles: () => 0,
      countReused: () => {},
      reusedUsage: () => [],
      problems: () => [],
    };
  }
  const dir = join(cacheDir, "llm-papers");
  const fileOf = (key: VerdictKey) => join(dir, `${verdictKey(llm, key)}.json`);
  const titleFileOf = (key: TitleKey) => join(dir, `${titleKey(llm, key)}.json`);
  const problems: string[] = [];
  let hits = 0;
  let titleHits = 0;
  const tallies = new Map<string, ReusedUsage>();
  const count = (
    stage: ReusedUsage["stage"],
    model: string,
    tokens: TokenCounts,
    verdicts: number,
    estimated: number,
  ) => {
    const key = `${stage}\u0000${model}`;
    const t = tallies.get(key) ?? {
      stage,
      model,
      promptTokens: 0,
      cachedPromptTokens: 0,
      completionTokens: 0,
      verdicts: 0,
      estimated: 0,
    };
    t.promptTokens += tokens.promptTokens;
    t.cachedPromptTokens += tokens.cachedPromptTokens;
    t.completionTokens += tokens.completionTokens;
    t.verdicts += verdicts;
    t.estimated += estimated;
    tallies.set(key, t);
  };
  const write = async (file: string, value: unknown, what: string) => {
    try {
      await writeJsonAtomic(file, value);
    } catch (err) {
      problems.push(`could not save ${what} to ${file}: ${(err as Error).message}`);
    }
  };
  return {
    reused: () => hits,
    reusedTitles: () => titleHits,
    countReused<T>(
      stage: ReusedUsage["stage"],
      model: string,
      looked: readonly T[],
      stored: readonly Looked[],
      resend: (items: readonly T[]) => Resend,
      answerTokensEach: number,
    ) {
      const found = looked.flatMap((item, i) => {
        const hit = stored[i];
        return hit ? [{ item, usage: hit.usage }] : [];
      });
      const estimated = (items: readonly T[]) => {
        if (items.length === 0) return;
        count(stage, model, resendEstimate(resend(items), answerTokensEach).tokens, items.length, items.length);
      };
      const shared = found.flatMap((f) => (f.usage ? [{ item: f.item, usage: f.usage }] : []));
      estimated(found.filter((f) => f.usage === null).map((f) => f.item));
      if (shared.length === 0) return;
      const total = { promptTokens: 0, cachedPromptTokens: 0, completionTokens: 0 };
      for (const { usage } of shared) {
        total.promptTokens += usage.promptTokens;
        total.cachedPromptTokens += usage.cachedPromptTokens;
        total.completionTokens += usage.completionTokens;
      }
      const items = shared.map((f) => f.item);
      const estimate = resendEstimate(resend(items), answerTokensEach);
      if (sharesFit(llm, model, total, estimate)) count(stage, model, total, items.length, 0);
      else count(stage, model, estimate.tokens, items.length, items.length);
    },
    reusedUsage: () => [...tallies.values()].map((t) => ({ ...t })),
    problems: () => problems,
    async get(key, request) {
      // A damaged entry (disk full, manual edit, another paper's verdict) is a miss: the paper is sent.
      const stored = await readJsonOrNull(StoredVerdictSchema, fileOf(key));
      if (stored === null || stored.id !== key.id || stored.model !== key.model) return null;
      const checked = checkScoreItem(stored);
      if (!checked.ok) return null;
      hits += 1;
      // The stage adds up what its reused verdicts took, or estimates it (countReused).
      return { verdict: checked.item, usage: plausibleShare(llm, key.model, request, stored.usage) };
    },
    async put(key, item, usage) {
      const entry = { model: key.model, ...item, id: key.id, ...(usage ? { usage } : {}) };
      await write(fileOf(key), entry, "a paper's verdict");
    },
    async getTitle(key, request) {
      // As for papers: a damaged entry, or one naming another title, is a miss and the title is sent.
      const stored = await readJsonOrNull(StoredTitleSchema, titleFileOf(key));
      if (stored === null || stored.title !== key.line || stored.model !== key.model) return null;
      titleHits += 1;
      return { verdict: stored.verdict, usage: plausibleShare(llm, key.model, request, stored.usage) };
    },
    async putTitle(key, verdict, usage) {
      const entry = { model: key.model, stage: "triage", title: key.line, verdict, ...(usage ? { usage } : {}) };
      await write(titleFileOf(key), entry, "a title's triage verdict");
    },
  };
}
