/**
 * What a model's tokens cost, so every run can report its price in USD. The table is bundled
 * (prices change; users correct or extend it with `llm.prices` in the config) and an unknown
 * model is "unpriced" (null), never free.
 */
import type { Price } from "../config/schema.js";
import { nearestChoice } from "../config/suggest.js";

/**
 * USD per million tokens, from the providers' pricing pages as of 2026-11. `cachedInput` is
 * what a prompt-cache hit costs (OpenAI bills it at a discount; DeepSeek calls it "cache hit").
 */
const BUNDLED_PRICES: Readonly<Record<string, Price>> = {
  "gpt-5.4": { input: 2.5, cachedInput: 0.25, output: 15 },
  "gpt-5.4-mini": { input: 0.75, cachedInput: 0.075, output: 4.5 },
  "gpt-5.4-nano": { input: 0.2, cachedInput: 0.02, output: 1.25 },
  "gpt-5.2": { input: 1.75, cachedInput: 0.175, output: 14 },
  "gpt-5.1": { input: 1.25, cachedInput: 0.125, output: 10 },
  "gpt-5": { input: 1.25, cachedInput: 0.125, output: 10 },
  "gpt-5-mini": { input: 0.25, cachedInput: 0.025, output: 2 },
  "gpt-5-nano": { input: 0.05, cachedInput: 0.005, output: 0.4 },
  "gpt-4.1": { input: 2, cachedInput: 0.5, output: 8 },
  "gpt-4.1-mini": { input: 0.4, cachedInput: 0.1, output: 1.6 },
  "gpt-4.1-nano": { input: 0.1, cachedInput: 0.025, output: 0.4 },
  "gpt-4o": { input: 2.5, cachedInput: 1.25, output: 10 },
  "gpt-4o-mini": { input: 0.15, cachedInput: 0.075, output: 0.6 },
  o3: { input: 2, cachedInput: 0.5, output: 8 },
  "o3-mini": { input: 1.1, cachedInput: 0.55, output: 4.4 },
  "o4-mini": { input: 1.1, cachedInput: 0.275, output: 4.4 },
  "deepseek-chat": { input: 0.28, cachedInput: 0.028, output: 0.42 },
  "deepseek-reasoner": { input: 0.28, cachedInput: 0.028, output: 0.42 },
};

/**
 * Dated snapshots (`gpt-4o-2024-08-06`) are billed like their family name; GitHub Models and
 * routers name models `openai/gpt-4.1`, billed like the bare name.
 */
function candidateNames(model: string): string[] {
  const bare = model.includes("/") ? model.slice(model.lastIndexOf("/") + 1) : model;
  const undated = bare.replace(/-\d{4}-\d{2}-\d{2}$/, "");
  return [...new Set([model, bare, undated])];
}

/**
 * The priced model a name without a price most likely meant (`gpt5-nano` → `gpt-5-nano`), or null:
 * a typo is the likelier reason a well-known model has no price.
 */
export function nearestPricedModel(model: string, overrides: Readonly<Record<string, Price>> = {}): string | null {
  const near = nearestChoice(model, [...Object.keys(overrides), ...Object.keys(BUNDLED_PRICES)]);
  return near === model ? null : near;
}

/** The price of `model`: a user override first, then the bundled table; null when unknown. */
export function priceFor(model: string, overrides: Readonly<Record<string, Price>> = {}): Price | null {
  for (const name of candidateNames(model)) {
    const price = overrides[name] ?? BUNDLED_PRICES[name];
    if (price) return price;
  }
  return null;
}

export interface TokenCounts {
  promptTokens: number;
  /** The part of promptTokens served from the provider's prompt cache. */
  cachedPromptTokens: number;
  completionTokens: number;
}

export interface Cost {
  prompt: number;
  completion: number;
  total: number;
}

/** USD for the given tokens; cached prompt tokens are billed at the cached rate. */
export function costOf(tokens: TokenCounts, price: Price): Cost {
  const cached = Math.min(tokens.cachedPromptTokens, tokens.promptTokens);
  const prompt = ((tokens.promptTokens - cached) * price.input + cached * price.cachedInput) / 1e6;
  const completion = (tokens.completionTokens * price.output) / 1e6;
  return { prompt, completion, total: prompt + completion };
}
