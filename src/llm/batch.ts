/**
 * Splits work into calls by a token budget rather than a paper count, so a call's size (and
 * with it the chance of a truncated or sloppy answer) does not grow with the day's volume.
 */
import { countTokens, decode, encode } from "gpt-tokenizer/encoding/o200k_base";

/** Tokens of `text` as OpenAI's current models (o200k) count them; other tokenizers come close. */
export function tokensOf(text: string): number {
  return countTokens(text);
}

/** `text` cut to at most `max` tokens (o200k), at a word boundary when one is near, with "…" when cut. */
export function clipTokens(text: string, max: number): string {
  const tokens = encode(text);
  if (tokens.length <= max) return text;
  const head = decode(tokens.slice(0, Math.max(0, max - 1)));
  const space = head.lastIndexOf(" ");
  return `${space > head.length * 0.8 ? head.slice(0, space) : head}…`;
}

/** Consecutive groups whose summed cost stays within `budget`; an item over budget goes alone. */
export function batchByTokens<T>(
  items: readonly T[],
  cost: (item: T) => number,
  budget: number,
  maxItems = Number.POSITIVE_INFINITY,
): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let used = 0;
  for (const item of items) {
    const c = cost(item);
    if (current.length > 0 && (used + c > budget || current.length >= maxItems)) {
      batches.push(current);
      current = [];
      used = 0;
    }
    current.push(item);
    used += c;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** Groups of at most `size`, in order. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
