/**
 * What an evaluation may pay without asking. Before its first paid call `eval` replays every day
 * against the response cache alone (pipeline/eval.ts, `estimateSpend`), counts the requests the
 * cache cannot answer and prices each at what the budget guard would hold it to: its prompt tokens
 * counted exactly, its answer at its whole cap (llm/client.ts `heldTokens`). That is an estimate,
 * not a bound: it counts each request's first try, not the retries, the smaller batches asked again
 * after a half-usable answer, a response format stepped down, or the abstracts a paid title triage
 * picks where the estimate could only rank them for free. This module says it in one line, and
 * refuses it when it passes the limit: `--max-usd`, by default `DEFAULT_MAX_USD`. The limit is
 * what guarantees: the replay holds every attempt's worst case against it, over all its days
 * (pipeline/eval.ts), so what an evaluation is billed stays within it whatever the estimate missed.
 * `llm.budgetUsd` is the daily run's cap: it caps each replayed day as it caps a run, never the
 * evaluation's total.
 */
import type { Price } from "../config/schema.js";
import { formatUsd, plural } from "../format/text.js";
import { nearestPricedModel } from "../llm/prices.js";
import { UserError } from "../model/errors.js";

/**
 * The limit when `--max-usd` is not given. At the default model (gpt-4.1-mini) a day of 170 scanned
 * papers takes three requests and a few tenths of a cent, but the estimate counts every answer at
 * its whole cap (4,200 tokens for 50 papers), some five times what answers take: about 2.5 cents a
 * day, 6 cents for a day of 500. $0.05 lets a day or two the cache does not hold go through, while
 * a longer replay is named, with the `--max-usd` that passes, and asked for first.
 */
export const DEFAULT_MAX_USD = 0.05;

export interface SpendLimit {
  usd: number;
  /** Where it came from: `--max-usd`, or its default. */
  source: "option" | "default";
}

/** The limit: `--max-usd`, or the default (`llm.budgetUsd`, the daily run's cap, has no say in it). */
export function spendLimit(maxUsd: number | undefined): SpendLimit {
  return maxUsd === undefined ? { usd: DEFAULT_MAX_USD, source: "default" } : { usd: maxUsd, source: "option" };
}

/**
 * `--max-usd` as written: plain decimal dollars, 0 or more (`0.25`, `2`, `.5`, a leading `$`
 * allowed), or null for anything else (`0x10`, `1e3`, `-1`, `Infinity`, which `Number()` reads
 * as amounts nobody meant).
 */
export function parseMaxUsd(text: string): number | null {
  const plain = text.trim().replace(/^\$/, "");
  return /^(?:\d+(?:\.\d*)?|\.\d+)$/.test(plain) ? Number(plain) : null;
}

/** What the evaluation's LLM requests would cost, known before any is sent. */
export interface SpendEstimate {
  /** LLM requests the replay makes, answered from the response cache or not. */
  requests: number;
  /** Of those, the ones the response cache cannot answer: paid for. */
  misses: number;
  /** Prompt tokens of the misses, counted as the endpoint counts them. */
  promptTokens: number;
  /** Completion tokens of the misses at their answer caps: the most each first try can be billed. */
  completionTokens: number;
  /**
   * What the misses' first tries cost at most at the configured prices (an estimate of the
   * evaluation's bill, not a bound: retries are not foreseen); null when a model they go to has
   * no price at an endpoint that is not on this machine.
   */
  usd: number | null;
  /** The models without a price the misses go to at an endpoint off this machine (empty when `usd` is known). */
  unpriced: string[];
  /** The models without a price the misses go to at a local endpoint (Ollama, llama.cpp): counted as free. */
  freeLocal: string[];
  limit: SpendLimit;
}

const tokens = (n: number) => n.toLocaleString("en-US");

/** The limit as a message names it: "$0.05 (--max-usd's default)". */
export function limitText(limit: SpendLimit): string {
  const by = limit.source === "option" ? "--max-usd" : "--max-usd's default";
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
      : `about ${formatUsd(e.usd)}`;
  return `${e.misses} of ${plural(e.requests, "LLM request")} ${e.misses === 1 ? "misses" : "miss"} the response cache and will be paid for: ${cost} (${tokens(e.promptTokens)} prompt tokens, each answer counted at its cap, ${tokens(e.completionTokens)} tokens; retries are not foreseen, the limit still holds them); the limit is ${limitText(e.limit)}.`;
}

/** The warning for unpriced models at a local endpoint, counted as free; null when there is none. */
export function freeLocalWarning(e: SpendEstimate): string | null {
  if (e.freeLocal.length === 0) return null;
  const one = e.freeLocal.length === 1;
  return `${e.freeLocal.join(", ")} ${one ? "has" : "have"} no price under llm.prices and ${one ? "runs" : "run"} at a local endpoint, so eval counts ${one ? "its" : "their"} requests as free; give ${one ? "its" : "their"} price${one ? "" : "s"} under llm.prices if ${one ? "it is" : "they are"} paid for.`;
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
      `eval would send ${what} to ${names}, which ${e.unpriced.length === 1 ? "has" : "have"} no known price${typo}, so what they cost cannot be held to a limit: give ${e.unpriced.length === 1 ? "its price" : "their prices"} under llm.prices in the config (0 for a free model) and run eval again; nothing was sent.`,
    );
  }
  if (e.usd <= e.limit.usd) return null;
  // Whole cents above the estimate, so the suggested limit passes it.
  const enough = (Math.ceil(e.usd * 100) / 100).toFixed(2);
  return new SpendLimitError(
    `eval would pay about ${formatUsd(e.usd)} for ${what}, more than its limit of ${limitText(e.limit)}: pass \`--max-usd ${enough}\` or more to pay it; nothing was sent.`,
  );
}
