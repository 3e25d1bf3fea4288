/** One JSON POST (or GET) with a timeout; classifies the answer so channels only map their own errors. */
import { AnswerTooLargeError, readBodyCapped } from "../io/capped-body.js";
import { parseRetryAfter } from "../io/retry.js";
import { USER_AGENT } from "../io/user-agent.js";
import { TransientError } from "./retry.js";

export { AnswerTooLargeError };

export interface HttpAnswer {
  status: number;
  body: string;
  retryAfterMs: number | undefined;
  /** The answer's headers (Slack names a token's scopes in one). */
  headers: Headers;
}

export interface PostJsonOptions {
  fetchImpl: typeof fetch;
  /** What to call the endpoint in error messages; never the URL itself, which may hold a secret. */
  label: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
  nowMs: number;
}

const DEFAULT_HEADERS: Record<string, string> = {
  "content-type": "application/json; charset=utf-8",
  "user-agent": USER_AGENT,
};

/** The caller's headers, keyed in lower case so one of theirs replaces ours rather than joining it. */
function lowerCaseKeys(headers: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

/**
 * Posts `body` as JSON, naming us in the User-Agent (a header the caller gives wins). Network
 * failures, timeouts, 429 and 5xx become TransientError; any other status is returned for the
 * caller to judge.
 */
export async function postJson(url: string, body: unknown, opts: PostJsonOptions): Promise<HttpAnswer> {
  return request(url, { method: "POST", body: JSON.stringify(body) }, opts);
}

/** A GET classified as `postJson` classifies a POST (a Web API method that reads, say). */
export async function getJson(url: string, opts: PostJsonOptions): Promise<HttpAnswer> {
  return request(url, { method: "GET" }, opts, { "user-agent": USER_AGENT });
}

async function request(
  url: string,
  init: { method: "GET" | "POST"; body?: string },
  opts: PostJsonOptions,
  defaults: Record<string, string> = DEFAULT_HEADERS,
): Promise<HttpAnswer> {
  let res: Response;
  try {
    res = await opts.fetchImpl(url, {
      ...init,
      headers: { ...defaults, ...lowerCaseKeys(opts.headers) },
      signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
    });
  } catch (err) {
    // No answer: the request may or may not have been acted on (TransientError.unanswered).
    throw new TransientError(`could not reach ${opts.label}: ${networkCause(err)}`, undefined, true);
  }
  const answer: HttpAnswer = {
    status: res.status,
    body: await readBodyCapped(res, MAX_ANSWER_BYTES, opts.label),
    retryAfterMs: parseRetryAfter(res.headers.get("retry-after"), opts.nowMs) ?? undefined,
    headers: res.headers,
  };
  if (res.status === 429) {
    throw new TransientError(`${opts.label} is rate-limiting us (HTTP 429)`, answer.retryAfterMs);
  }
  if (res.status >= 500) {
    throw new TransientError(`${opts.label} failed with HTTP ${res.status} ${snippet(answer.body)}`.trim());
  }
  return answer;
}

/** The most an answer's body may hold (bytes): every answer we read is a short JSON object. */
export const MAX_ANSWER_BYTES = 5 * 1024 * 1024;

/** The first line of a response body, short enough for an error sentence. */
export function snippet(body: string): string {
  const line = body.trim().split("\n")[0] ?? "";
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

function networkCause(err: unknown): string {
  if (err instanceof Error && err.name === "TimeoutError") return "no answer before the timeout";
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  const code = (cause as { code?: unknown } | null)?.code;
  const message = cause instanceof Error ? cause.message : String(cause);
  return typeof code === "string" && !message.includes(code) ? `${code} ${message}` : message;
}
