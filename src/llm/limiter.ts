/**
 * Keeps calls under the provider's requests-per-minute and tokens-per-minute limits with a
 * sliding one-minute window. Time enters as `now`/`sleep`, so tests can drive it without
 * waiting.
 */
import type { Clock } from "../io/clock.js";

export type { Clock };
export interface RateLimits {
  requestsPerMinute: number;
  tokensPerMinute: number;
}

export interface RateLimiter {
  /** Resolves when a call of about `tokens` tokens may start. */
  acquire(tokens: number): Promise<void>;
}

const WINDOW_MS = 60_000;

export function createRateLimiter(limits: RateLimits, clock: Clock): RateLimiter {
  const sent: { at: number; tokens: number }[] = [];
  return {
    async acquire(tokens) {
      for (;;) {
        const now = clock.now();
        while (sent.length > 0 && sent[0]!.at <= now - WINDOW_MS) sent.shift();
        const used = sent.reduce((sum, s) => sum + s.tokens, 0);
        // A single call larger than the whole token allowance still goes, alone in its window.
        const fits = sent.length === 0 || used + tokens <= limits.tokensPerMinute;
        if (sent.length < limits.requestsPerMinute && fits) {
          sent.push({ at: now, tokens });
          return;
        }
        await clock.sleep(sent[0]!.at + WINDOW_MS - now);
      }
    },
  };
}
