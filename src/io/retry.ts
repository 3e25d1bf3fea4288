/**
 * One retry policy for every remote service (arXiv, the LLM, Semantic Scholar, delivery
 * channels): the policy is data, the wait before each retry is computed in one place, and a
 * server's Retry-After is read by one parser. Each client keeps its own loop because what counts
 * as retryable differs, but none of them invents its own back-off.
 */

export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number;
  /** First back-off step; doubles per retry. */
  baseDelayMs: number;
  /** The longest computed back-off step. */
  maxDelayMs: number;
  /**
   * A server asking for a longer wait than this is not waited out inside one run. When
   * `capRetryAfter` is true the wait is shortened to this instead (and the call tried anyway).
   */
  maxWaitMs: number;
  capRetryAfter?: boolean;
  /** Wait at least the back-off even when the server asks for less (arXiv's 429s come in bursts). */
  backoffIsFloor?: boolean;
}

export type RetryStep = { kind: "wait"; ms: number } | { kind: "give-up"; reason: "attempts" | "too-long"; ms: number };

/** Seconds or an HTTP-date, as milliseconds from now; null when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

/**
 * What to do after failed attempt number `attempt` (1-based): wait and retry, or give up because
 * the attempts ran out or the server asked for more patience than the policy has.
 */
export function nextRetry(policy: RetryPolicy, attempt: number, retryAfterMs: number | null): RetryStep {
  const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  if (retryAfterMs !== null && retryAfterMs > policy.maxWaitMs && !policy.capRetryAfter) {
    return { kind: "give-up", reason: "too-long", ms: retryAfterMs };
  }
  if (attempt > policy.retries) return { kind: "give-up", reason: "attempts", ms: 0 };
  const asked =
    retryAfterMs === null ? backoff : policy.backoffIsFloor ? Math.max(backoff, retryAfterMs) : retryAfterMs;
  return { kind: "wait", ms: Math.min(asked, policy.capRetryAfter ? policy.maxWaitMs : Number.POSITIVE_INFINITY) };
}
