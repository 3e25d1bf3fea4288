/**
 * The retry loop shared by every delivery channel. Time enters as a parameter so tests can run
 * a rate-limited delivery without waiting.
 */
import type { Clock } from "../io/clock.js";
import { nextRetry } from "../io/retry.js";

/** A failure worth another try (rate limit, 5xx, dropped connection, 4xx SMTP reply). */
export class TransientError extends Error {
  constructor(
    message: string,
    /** The wait the server asked for (Retry-After), when it said. */
    readonly retryAfterMs?: number,
    /**
     * No answer came back (a timeout, a dropped connection): the request may have reached the
     * server and been acted on, so a retry may repeat it.
     */
    readonly unanswered = false,
  ) {
    super(message);
    this.name = "TransientError";
  }
}

export interface RetryPolicy {
  clock: Clock;
  maxAttempts: number;
  /** First back-off; doubles per retry. */
  baseDelayMs: number;
  /** A server asking for a longer wait than this is not waited for: the delivery fails instead. */
  maxWaitMs: number;
  /** Called before each retry, so a caller can count the attempts of a multi-request delivery. */
  onRetry?: () => void;
}

/**
 * Runs `attempt` until it succeeds, throws a non-transient error (rethrown as is), or the
 * attempts run out (the last transient error is rethrown with how many tries were made).
 */
export async function withRetries<T>(attempt: () => Promise<T>, policy: RetryPolicy): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      if (!(err instanceof TransientError)) throw err;
      const step = nextRetry(
        {
          retries: policy.maxAttempts - 1,
          baseDelayMs: policy.baseDelayMs,
          maxDelayMs: policy.maxWaitMs,
          maxWaitMs: policy.maxWaitMs,
        },
        n,
        err.retryAfterMs ?? null,
      );
      if (step.kind === "give-up" && step.reason === "attempts") {
        throw new Error(`${err.message} (gave up after ${n} attempts)`);
      }
      if (step.kind === "give-up") {
        throw new Error(`${err.message}; the server asked to wait ${Math.ceil(step.ms / 1000)} s, longer than we wait`);
      }
      policy.onRetry?.();
      await policy.clock.sleep(step.ms);
    }
  }
}
