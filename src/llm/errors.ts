/**
 * Sorts what can go wrong with an LLM call into what to do about it: try again later
 * (rate limit, server error, timeout, dropped connection), drop the response format the
 * endpoint rejected, or stop the run with a sentence the user can act on.
 */

import { APIConnectionError, APIConnectionTimeoutError, APIError } from "openai";
import { parseRetryAfter } from "../io/retry.js";

/** The run cannot go on (bad key, unknown model, no quota): no further call is made. */
export class LlmFatalError extends Error {
  override name = "LlmFatalError";
}

/**
 * The endpoint refused the key (HTTP 401) or its permission (403) on a chat call, or the key
 * (401) on the free key check: no call can succeed until the key is changed, so the command
 * stops without archiving or delivering the day (pipeline/llm-key.ts, `KeyRefusedError`).
 */
export class LlmKeyRefusedError extends LlmFatalError {
  override name = "LlmKeyRefusedError";
  constructor(
    message: string,
    /** The status the endpoint refused with, and who refused ("the LLM endpoint … (model …)"). */
    readonly refused: { status: 401 | 403; where: string },
  ) {
    super(message);
  }
}

/** One call failed after its retries; the papers it carried can be asked about again. */
export class LlmCallError extends Error {
  override name = "LlmCallError";
}

/** `llm.budgetUsd` is spent: no new paid call is started. */
export class BudgetReachedError extends Error {
  override name = "BudgetReachedError";
}

export type ErrorVerdict =
  | { kind: "retry"; message: string; retryAfterMs: number | null }
  | { kind: "reject-format"; message: string }
  | { kind: "fatal"; message: string; refusedKey?: { status: 401 | 403; where: string } };

export interface CallContext {
  endpoint: string;
  model: string;
  keyEnv: string;
  /** Epoch milliseconds now, to turn an HTTP-date Retry-After into a delay. */
  now: number;
}

/** Milliseconds the server asked us to wait (`retry-after-ms`, `retry-after` seconds or date). */
export function retryAfterMs(headers: Headers | undefined, now: number): number | null {
  const ms = Number.parseFloat(headers?.get("retry-after-ms") ?? "");
  if (Number.isFinite(ms) && ms >= 0) return ms;
  return parseRetryAfter(headers?.get("retry-after") ?? null, now);
}

const FORMAT_WORDS = /response_format|json_schema|json_object|structured output|schema/i;

function serverMessage(err: APIError): string {
  const body = err.error as { message?: unknown } | undefined;
  const text = typeof body?.message === "string" ? body.message : err.message;
  return text.replace(/\s+/g, " ").trim().slice(0, 300);
}

export function classifyError(err: unknown, ctx: CallContext): ErrorVerdict {
  const where = `the LLM endpoint ${ctx.endpoint} (model ${ctx.model})`;
  if (err instanceof APIConnectionTimeoutError) {
    return { kind: "retry", message: `${where} did not answer in time (llm.timeoutSeconds)`, retryAfterMs: null };
  }
  if (err instanceof APIConnectionError) {
    return { kind: "retry", message: `could not reach ${where}: ${err.message}`, retryAfterMs: null };
  }
  if (!(err instanceof APIError) || err.status === undefined) {
    return { kind: "fatal", message: `unexpected failure calling ${where}: ${String(err)}` };
  }
  const detail = `HTTP ${err.status}: ${serverMessage(err)}`;
  if (err.status === 429 && (err.code === "insufficient_quota" || /quota/i.test(serverMessage(err)))) {
    return {
      kind: "fatal",
      message: `${where} reports the account's quota is exhausted (${detail}). Add credit or raise the spending limit with the provider, then run again; cached answers are kept.`,
    };
  }
  if (err.status === 429 || err.status === 408 || err.status === 409 || err.status >= 500) {
    return { kind: "retry", message: `${where} answered ${detail}`, retryAfterMs: retryAfterMs(err.headers, ctx.now) };
  }
  if (err.status === 400 && (err.param === "response_format" || FORMAT_WORDS.test(serverMessage(err)))) {
    return { kind: "reject-format", message: `${where} rejected the response format (${detail})` };
  }
  const advice: Record<number, string> = {
    400: "Check llm.model and the request options in llm.options / llm.modelOptions (some models reject temperature, reasoning_effort or max_tokens).",
    401: `Check the API key in the environment variable ${ctx.keyEnv} (llm.apiKeyEnv) and that it belongs to this endpoint (llm.baseUrl / OPENAI_BASE_URL).`,
    403: `The key in ${ctx.keyEnv} is not allowed to use this model or endpoint; check the project's model access or pick another llm.model.`,
    404: "Check llm.model (the endpoint does not know it) and llm.baseUrl (it should end in /v1 for most providers).",
  };
  return {
    kind: "fatal",
    message: `${where} refused the request (${detail}). ${advice[err.status] ?? "Check llm.baseUrl, llm.model and the API key."}`,
    ...(err.status === 401 || err.status === 403 ? { refusedKey: { status: err.status, where } } : {}),
  };
}

/** The error that stops the calls for a fatal verdict: a refused key is told apart from the rest. */
export function fatalError(verdict: Extract<ErrorVerdict, { kind: "fatal" }>): LlmFatalError {
  return verdict.refusedKey === undefined
    ? new LlmFatalError(verdict.message)
    : new LlmKeyRefusedError(verdict.message, verdict.refusedKey);
}
