/**
 * `llm.budgetUsd` as a hard cap: before a request is sent, its worst-case cost is held against
 * the budget (every prompt token at the input price, the whole answer cap at the output price);
 * when the request ends, the hold is replaced by what it really cost. A request whose worst case
 * does not fit in what is left is not sent: it waits while calls in flight may still give some of
 * their holds back, and is refused once they cannot. The real spend therefore never passes the
 * budget, however many calls run at once, and an ample budget holds nothing up.
 */
import type { Price } from "../config/schema.js";
import { tokensOf } from "./batch.js";

/**
 * What the endpoint adds around the messages: a few tokens per message for its role and
 * delimiters and a few to start the answer (OpenAI's published way of counting chat prompts).
 */
const TOKENS_PER_MESSAGE = 4;
const TOKENS_PER_PROMPT = 3;

/**
 * Prompt tokens of a request as the budget counts them: the messages by the o200k tokenizer
 * (what OpenAI's current models bill; the same count the batches are sized by), their framing,
 * and the JSON schema when one is sent as structured output, since the endpoint adds it to the
 * prompt.
 */
export function promptTokensOf(messages: readonly { content: string }[], schema: unknown): number {
  const framing = TOKENS_PER_PROMPT + TOKENS_PER_MESSAGE * messages.length;
  const schemaTokens = schema === undefined ? 0 : tokensOf(JSON.stringify(schema));
  return messages.reduce((sum, m) => sum + tokensOf(m.content), framing + schemaTokens);
}

/** The most a request can cost: no prompt-cache discount, and an answer that uses its whole cap. */
export function worstCaseUsd(promptTokens: number, answerCap: number, price: Price): number {
  return (promptTokens * price.input + answerCap * price.output) / 1e6;
}

/** Money held for one request in flight. */
export interface Hold {
  readonly usd: number;
  /** The request ended: what it cost takes the place of the hold (called once; later calls do nothing). */
  settle(costUsd: number): void;
}

export interface SpendLedger {
  readonly budgetUsd: number;
  /**
   * Holds `usd` for a request about to be sent. Resolves at once when it fits beside the holds of
   * the requests in flight; waits while it could still fit once some of them end; resolves to
   * null when it cannot fit even if every request in flight cost nothing.
   */
  reserve(usd: number): Promise<Hold | null>;
  /** Whether `usd` could ever fit: false means the request is refused whatever happens in flight. */
  couldFit(usd: number): boolean;
  /** Settled so far: real costs, plus the holds of requests that ended without knowing their cost. */
  readonly settledUsd: number;
  /** Held now for the requests still in flight: the most they can add to `settledUsd`. */
  readonly heldUsd: number;
}

/** Sums of many small costs in floating point: a request that fits exactly must not be refused by a rounding error. */
const EPSILON_USD = 1e-12;

export function createSpendLedger(budgetUsd: number): SpendLedger {
  let settled = 0;
  let held = 0;
  const waiting: { usd: number; resolve: (hold: Hold | null) => void }[] = [];

  const couldFit = (usd: number) => settled + usd <= budgetUsd + EPSILON_USD;
  const fitsNow = (usd: number) => settled + held + usd <= budgetUsd + EPSILON_USD;

  const hold = (usd: number): Hold => {
    held += usd;
    let open = true;
    return {
      usd,
      settle(costUsd) {
        if (!open) return;
        open = false;
        held -= usd;
        settled += costUsd;
        wake();
      },
    };
  };

  /** After a hold ends: grant the waiting requests that fit now, refuse those that never will. */
  const wake = () => {
    for (const w of [...waiting]) {
      const grant = fitsNow(w.usd) ? hold(w.usd) : couldFit(w.usd) ? undefined : null;
      if (grant === undefined) continue;
      waiting.splice(waiting.indexOf(w), 1);
      w.resolve(grant);
    }
  };

  return {
    budgetUsd,
    couldFit,
    get settledUsd() {
      return settled;
    },
    get heldUsd() {
      return held;
    },
    reserve(usd) {
      if (!couldFit(usd)) return Promise.resolve(null);
      if (fitsNow(usd)) return Promise.resolve(hold(usd));
      return new Promise((resolve) => waiting.push({ usd, resolve }));
    },
  };
}
