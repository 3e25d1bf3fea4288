/**
 * What an evaluation may pay without asking. Before its first paid call `eval` replays every day
 * against the response cache alone (pipeline/eval.ts, `estimateSpend`), counts the requests the
 * cache cannot answer and prices each at what the budget guard would hold it to: its prompt tokens
 * counted exactly, its answer at its whole cap (llm/client.ts `heldTokens`). This module says that
 * estimate in one line, and refuses it when it passes the limit: `--max-usd`, by default
 * `DEFAULT_MAX_USD`, never above `llm.budgetUsd` when the config sets one.
 */
import type { Price } from "../config/schema.js";
import { formatUsd, plural } from "../format/text.js";
import { nearestPricedModel } from "../llm/prices.js";
import { UserError } from "../model/errors.js";

/**
 * The limit when `--max-usd` is not given. At the default model (gpt-4.1-mini) a day's two or three
 * requests take a few tenths of a cent, and the estimate counts every answer at its whole cap, some
 * five times what answers take: about a cent a day. $0.05 lets the replay of a week of days the
 * cache does not hold go through, while a replay of the whole archive is named and asked for first.
 */
export const DEFAULT_MAX_USD = 0.05;

export interface SpendLimit {
  usd: number;
  /** Where it came from: `--max-usd`, the default, or `llm.budgetUsd` (lower than either). */
  source: "option" | "default" | "budget";
}

/** The limit: `--max-usd` or the default, held to `llm.budgetUsd` when that is lower. */
export function spendLimit(maxUsd: number | undefined, budgetUsd: number | undefined): SpendLimit {
  const asked = maxUsd ?? DEFAULT_MAX_USD;
  if (budgetUsd !== undefined && budgetUsd < asked) return { usd: budgetUsd, source: "budget" };
  return { usd: asked, source: maxUsd === undefined ? "default" : "option" };
}

/** What the evaluation's LLM requests would cost, known before any is sent. */
export interface SpendEstimate {
  /** LLM requests the replay makes, answered from the response cache or not. */
  requests: number;
  /** Of those, the ones the response cache cannot answer: paid for. */
  misses: number;
  /** Prompt tokens of the misses, counted as the endpoint counts them. */
  promptTokens: number;
  /** Completion tokens of the misses at their answer caps: the most they can be billed. */
  completionTokens: number;
  /** The most the misses cost at the configured prices; null when a model they go to is unpriced. */
  usd: number | null;
  /** The models without a price the misses go to (empty when `usd` is known). */
  unpriced: string[];
  limit: SpendLimit;
}

const tokens = (n: number) => n.toLocaleString("en-US");

function limitText(limit: SpendLimit): string {
  const by =
    limit.source === "budget" ? "llm.budgetUsd" : limit.source === "option" ? "--max-usd" : "--max-usd's default";
  // As it was written: `--max-usd 0.001` is $0.001, not $0.0010.
  return `$${limit.usd} (${by})`;
}

/** The one line said before the replay: what will be paid, and against what limit. */
export function estimateLine(e: SpendEstimate): string {
  if (e.requests === 0) return "This evaluation makes no LLM request: it pays nothing.";
  if (e.misses === 0)
    return `All ${plural(e.requests, "LLM request")} of this evaluation are answered from the response cache: it pays nothing.`;
  const cost =
    e.usd === null
      ? `an unknown cost (${e.unpriced.join(", ")} ${e.unpriced.length === 1 ? "has" : "have"} no price)`
      : `at most ${formatUsd(e.usd)}`;
  return `${e.misses} of ${plural(e.requests, "LLM request")} ${e.misses === 1 ? "misses" : "miss"} the response cache and will be paid for: ${cost} (${tokens(e.promptTokens)} prompt tokens, answers counted at their caps, ${tokens(e.completionTokens)} tokens); the limit is ${limitText(e.limit)}.`;
}

/** An evaluation that would pay more than it may: exit 2 before any paid call, nothing written. */
export class SpendLimitError extends UserError {
  override name = "SpendLimitError";
}

/**
 * The refusal of an estimate over the limit (or that cannot be priced), or null when it may go on;
 * `prices`: the config's own (`llm.prices`), for the nearest priced name of an unpriced model.
 */
export function spendRefusal(e: SpendEstimate, prices: Readonly<Record<string, Price>> = {}): SpendLimitError | null {
  if (e.misses === 0) return null;
  const what = `${plural(e.misses, "LLM request")} the response cache cannot answer`;
  if (e.usd === null) {
    const names = e.unpriced.join(", ");
    const typos = e.unpriced.flatMap((model) => {
      const near = nearestPricedModel(model, prices);
      return near === null ? [] : [`${model} for ${near}`];
    });
    const typo = typos.length === 0 ? "" : ` (if it is a typo, did you mean ${typos.join(", ")}?)`;
    return new SpendLimitError(
      `eval would send ${what} to ${names}, which ${e.unpriced.length === 1 ? "has" : "have"} no known price${typo}, so what they cost cannot be bounded: give ${e.unpriced.length === 1 ? "its price" : "their prices"} under llm.prices in the config (0 for a free local model) and run eval again; nothing was sent.`,
    );
  }
  if (e.usd <= e.limit.usd) return null;
  // Whole cents above the estimate, so the suggested limit passes it.
  const enough = (Math.ceil(e.usd * 100) / 100).toFixed(2);
  const raise =
    e.limit.source === "budget"
      ? `raise llm.budgetUsd in the config to at least ${enough} and pass \`--max-usd ${enough}\``
      : `pass \`--max-usd ${enough}\``;
  return new SpendLimitError(
    `eval would pay up to ${formatUsd(e.usd)} for ${what}, more than its limit of ${limitText(e.limit)}: ${raise} to pay it; nothing was sent.`,
  );
}
