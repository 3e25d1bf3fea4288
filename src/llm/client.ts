/**
 * One way to ask an OpenAI-compatible chat endpoint something: cached, rate-limited, bounded
 * in concurrency, retried when the failure is temporary, stopped for good when it is not.
 *
 * Before the first paid call the key is checked for free: one `GET {baseUrl}/models`. A key the
 * endpoint refuses (401) stops the run before any chat request. Whatever else the endpoint answers
 * (the list, no such list, a 403 for a restricted key), the calls then go at full concurrency: a
 * request the endpoint refuses is not billed, so holding every call behind a first paid one would
 * cost a round of waiting and save nothing. The first refusal that cannot be cured (a bad key, an
 * unknown model) stops the calls not yet sent; a refused key (401, or 403 on a call) is then
 * `keyRefused`, which ends the command before the day is archived or delivered. Only an endpoint that did not answer the check (no
 * answer within a short time, or a 5xx) gets one call at a time until one is answered, so a server
 * that is down meets one caller and its retries, not llm.concurrency of them. The check holds the
 * calls for 1.5 s at most: a slower list lets the first call go alone, and the rest when it comes.
 * The list is handed to the caller's `models.check` once, before the first paid call (a call the
 * response cache answers asks nothing): where the list is authoritative (models.ts) that call waits
 * for the whole list, so a model it lacks stops the command before anything is billed
 * (pipeline/llm-key.ts, `modelCheck`). The answer is asked once per command: clients built for
 * each day of a backfill share it through `models.memo`.
 */

import OpenAI, { APIError } from "openai";
import PQueue from "p-queue";
import type { Config } from "../config/schema.js";
import { AnswerTooLargeError } from "../io/capped-body.js";
import { nextRetry, type RetryPolicy } from "../io/retry.js";
import { createSpendLedger, type Hold, promptTokensOf, type SpendLedger, worstCaseUsd } from "./budget.js";
import { cacheKey, type ResponseCache } from "./cache.js";
import {
  BudgetReachedError,
  classifyError,
  type ErrorVerdict,
  fatalError,
  LlmCallError,
  LlmFatalError,
  LlmKeyRefusedError,
} from "./errors.js";
import { type Clock, createRateLimiter } from "./limiter.js";
import { authoritativeModelList, type ModelList, readModelList } from "./models.js";
import { costOf, priceFor, type TokenCounts } from "./prices.js";
import type { UsageMeter } from "./usage.js";

export interface ChatMessage {
  role: "system" | "user";
  content: string;
}

export interface ChatRequest {
  /** Usage is accounted under this name ("triage", "scoring"). */
  stage: string;
  model: string;
  messages: ChatMessage[];
  /** JSON schema of the answer, sent as structured output when the endpoint accepts it. */
  schema: { name: string; schema: Record<string, unknown> };
  /** Rough size of the call (prompt + expected answer) for the tokens-per-minute limit. */
  estimatedTokens: number;
  /**
   * What the call takes by the per-paper store's estimate (`resendEstimate` in answers.ts: its
   * prompt as sized, a usual answer's length per item, nothing cached): what an answer that came
   * without token counts, paid or replayed from the response cache, is counted at where a day's
   * cost paid in full is wanted (`UsageMeter.estimatedCalls`, `eval`).
   */
  usualTokens: TokenCounts;
  /**
   * Cap on the answer (reasoning excluded), so a runaway answer is cut and re-asked rather than
   * paid for; with the reasoning allowance (or llm.options.maxTokens instead) it is also what
   * the budget reserves for the answer.
   */
  maxCompletionTokens: number;
  /**
   * Whether an answer is worth keeping. Only usable answers are cached, and a cached answer that
   * is not usable is ignored, so a garbage or truncated reply is paid for once and asked again
   * on the next run instead of being replayed forever.
   */
  usable?: (content: string, finishReason: string | null) => boolean;
}

export interface ChatReply extends TokenCounts {
  content: string;
  /** "length" when the answer was cut off by the output token limit. */
  finishReason: string | null;
  /** True when the answer came from the response cache. */
  replayed: boolean;
  /**
   * True when the endpoint answered without token counts (no `usage`, as some proxies and local
   * servers do): the counts above are zeros standing for "not known", never a free answer.
   */
  usageMissing?: true;
}

export interface ChatClient {
  complete(request: ChatRequest): Promise<ChatReply>;
  /**
   * Whether `complete` would answer `request` from the response cache (a usable answer under any
   * response format still possible), without recording anything. Absent: never.
   */
  cached?(request: ChatRequest): Promise<boolean>;
  /** The response format in use now (it only ever steps down, never back up). */
  readonly format: ResponseFormatKind;
  /**
   * Set once the endpoint refused the key (401 on the key check or a call) or its permission
   * (403 on a call): every later call fails without a request. Absent: never.
   */
  readonly keyRefused?: LlmKeyRefusedError | null;
  /**
   * The error `models.check` returned, which stopped every call before the first paid one (a model
   * the endpoint's authoritative list lacks); null otherwise. Absent: never.
   */
  readonly modelRefused?: Error | null;
}

/** What the free key check (`GET /models`) got: the list, a refusal of the key, another answer, or none. */
export type KeyCheckAnswer =
  | { kind: "listed"; list: ModelList | null }
  | { kind: "refused"; error: APIError }
  | { kind: "answered" }
  | { kind: "silent" };

/** The key check's answer by endpoint, for one command: every client it builds asks once between them. */
export type KeyCheckMemo = Map<string, Promise<KeyCheckAnswer>>;

/** What the caller does with the endpoint's model list (pipeline/llm-key.ts `modelCheck`). */
export interface ModelCheck {
  memo: KeyCheckMemo;
  /**
   * Told the list once, before the first paid call: an error to stop every call with (it becomes
   * `modelRefused`), or null to go on (having warned, if it would). Called only with a list.
   */
  check(list: ModelList): Error | null;
}

/** Strictest first: a JSON schema, then any JSON object, then prompt instructions alone. */
export const RESPONSE_FORMATS = ["json_schema", "json_object", "none"] as const;
export type ResponseFormatKind = (typeof RESPONSE_FORMATS)[number];

export interface ChatClientOptions {
  llm: Config["llm"];
  /** Resolved endpoint; undefined means the SDK's default (api.openai.com). */
  baseUrl: string | undefined;
  apiKey: string;
  cache: ResponseCache;
  meter: UsageMeter;
  clock: Clock;
  fetchImpl?: typeof fetch;
  /** Retries of one call on temporary failures (429, 5xx, timeouts, dropped connections). */
  retries?: number;
  /** Longest wait honoured from a Retry-After header before trying again anyway. */
  maxRetryWaitMs?: number;
  /** The caller's check of llm.model against the endpoint's list, and the command's memo of it. Absent: none. */
  models?: ModelCheck;
  /**
   * The ledger the calls are held against, in place of one made from llm.budgetUsd: `eval` gives
   * each replayed day one whose budget is the least of llm.budgetUsd and what the evaluation's
   * limit has left. Absent: llm.budgetUsd's own, or none without a budget.
   */
  ledger?: SpendLedger;
}

const DEFAULT_ENDPOINT = "https://api.openai.com/v1";
/** After this many calls in a row exhaust their retries the endpoint is taken to be down for this run. */
const FAILED_CALLS_BEFORE_STOP = 3;

function initialFormats(mode: Config["llm"]["structuredOutput"]): readonly ResponseFormatKind[] {
  if (mode === "on") return ["json_schema"];
  if (mode === "off") return ["none"];
  return RESPONSE_FORMATS;
}

/**
 * Request options for `model`: the general ones overlaid with the model's own, in the names
 * the endpoint expects. OpenAI's reasoning models refuse `max_tokens`, while many compatible
 * servers only know it, so the limit is named by endpoint.
 */
/**
 * OpenAI's reasoning families (o1, o3, o4-mini, gpt-5 and later, but not the gpt-5 chat
 * variants): they bill hidden reasoning as completion tokens, so they get an effort setting.
 */
export function isReasoningModel(model: string): boolean {
  const name = model.toLowerCase().replace(/^.*\//, "");
  return /^(o\d|gpt-5)/.test(name) && !/chat/.test(name);
}

/** Reasoning tokens an answer may use on top of the answer itself, by effort. */
const REASONING_ALLOWANCE = { none: 0, minimal: 512, low: 2048, medium: 8192, high: 16384 } as const;

/**
 * Model options for one request. Reasoning models get a low effort unless the config says
 * otherwise (a sorting task gains little from long deliberation, and its bill would double). The
 * answer's token cap comes from the batch size (plus the reasoning allowance), so a runaway
 * answer is cut and re-asked instead of paid for in full; llm.options.maxTokens overrides it.
 */
export function requestOptions(
  llm: Config["llm"],
  model: string,
  officialOpenAi: boolean,
  answerCap?: number,
): Record<string, unknown> {
  const merged = { ...llm.options, ...llm.modelOptions[model] };
  const options: Record<string, unknown> = {};
  if (merged.temperature !== undefined) options.temperature = merged.temperature;
  const reasoning = isReasoningModel(model);
  const effort = merged.reasoningEffort ?? (reasoning ? "low" : undefined);
  if (effort !== undefined) options.reasoning_effort = effort;
  const cap =
    merged.maxTokens ??
    (answerCap === undefined ? undefined : answerCap + (reasoning ? REASONING_ALLOWANCE[effort ?? "low"] : 0));
  if (cap !== undefined) options[officialOpenAi || reasoning ? "max_completion_tokens" : "max_tokens"] = cap;
  return options;
}

/**
 * The model options that shape what an answer says (temperature, reasoning effort), in the
 * names they are sent under; the answer's token cap is left out, since it only decides whether
 * an answer is cut off. Part of a paper's verdict key (answers.ts).
 */
export function answerShapingOptions(llm: Config["llm"], model: string): Record<string, unknown> {
  const { max_tokens: _, max_completion_tokens: __, ...shaping } = requestOptions(llm, model, false);
  return shaping;
}

function responseFormat(kind: ResponseFormatKind, schema: ChatRequest["schema"]): Record<string, unknown> | undefined {
  if (kind === "json_schema") return { type: "json_schema", json_schema: { ...schema, strict: true } };
  if (kind === "json_object") return { type: "json_object" };
  return undefined;
}

/** Everything one client keeps between calls: fixed parts first, then the state calls share. */
interface Session {
  llm: Config["llm"];
  cache: ResponseCache;
  meter: UsageMeter;
  clock: Clock;
  sdk: OpenAI;
  queue: PQueue;
  /** `llm.budgetUsd` (or the caller's ledger) as holds and costs; null without either. */
  ledger: SpendLedger | null;
  limiter: ReturnType<typeof createRateLimiter>;
  endpoint: string;
  officialOpenAi: boolean;
  retryPolicy: RetryPolicy;
  /** The response formats still possible, the one in use first. */
  formats: readonly ResponseFormatKind[];
  /** Once set, every later call fails with it. */
  fatal: LlmFatalError | null;
  /** The free key check (GET /models), started by the first call that needs the network. */
  keyCheck: Promise<void> | null;
  /** The key check's answers, shared by every client of the command when the caller gives a memo. */
  keyCheckMemo: KeyCheckMemo;
  /** The caller's model check, and whether its verdict must come before the first paid call. */
  models: ModelCheck | null;
  modelListDecides: boolean;
  /** The model check (awaits the key check whole), started by the first paid call. */
  modelCheck: Promise<void> | null;
  /** The error the model check stopped the calls with. */
  modelRefused: Error | null;
  /** True once the endpoint answered the key check (not with a 5xx) or a call: no first-call gate. */
  answering: boolean;
  /** Settles when `answering` becomes true. */
  answered: Promise<void>;
  markAnswering: () => void;
  /** Settles when the calls stop waiting for the key check (KEY_CHECK_WAIT_MS after it began). */
  keyCheckWait: Promise<void> | null;
  /** Settles when the call now passing the gate is done. */
  gate: Promise<void>;
  /**
   * Tokens added to the answer cap of a model seen thinking its cap away (see `thoughtOut`): the
   * allowance the model table did not know it needed.
   */
  thinkingRoom: Map<string, number>;
  failedInARow: number;
}

function answeredSignal(): { answered: Promise<void>; markAnswering: () => void } {
  let resolve = () => {};
  const answered = new Promise<void>((r) => {
    resolve = r;
  });
  return { answered, markAnswering: resolve };
}

/** What a failed attempt leads to: try again now (a lower format), after a wait, or stop with an error. */
type NextStep = { kind: "again" } | { kind: "wait"; ms: number } | { kind: "stop"; error: Error };

function openSession(options: ChatClientOptions): Session {
  const { llm } = options;
  const endpoint = options.baseUrl ?? DEFAULT_ENDPOINT;
  const url = URL.canParse(endpoint) ? new URL(endpoint) : null;
  const validEndpoint = url !== null && (url.protocol === "http:" || url.protocol === "https:");
  return {
    llm,
    cache: options.cache,
    meter: options.meter,
    clock: options.clock,
    sdk: buildSdk(options, endpoint),
    queue: new PQueue({ concurrency: llm.concurrency }),
    ledger: options.ledger ?? (llm.budgetUsd === undefined ? null : createSpendLedger(llm.budgetUsd)),
    limiter: createRateLimiter(llm, options.clock),
    endpoint,
    officialOpenAi: url?.hostname === "api.openai.com",
    retryPolicy: retryPolicyOf(options),
    formats: initialFormats(llm.structuredOutput),
    fatal: validEndpoint
      ? null
      : new LlmFatalError(
          `the LLM endpoint "${endpoint}" is not an http(s) URL; set llm.baseUrl or OPENAI_BASE_URL to one such as https://api.openai.com/v1`,
        ),
    keyCheck: null,
    keyCheckMemo: options.models?.memo ?? new Map(),
    models: options.models ?? null,
    modelListDecides: options.models !== undefined && authoritativeModelList(options.baseUrl),
    modelCheck: null,
    modelRefused: null,
    answering: false,
    ...answeredSignal(),
    keyCheckWait: null,
    gate: Promise.resolve(),
    thinkingRoom: new Map(),
    failedInARow: 0,
  };
}

function retryPolicyOf(options: ChatClientOptions): RetryPolicy {
  // A long Retry-After is shortened, not refused: the call is tried again after the cap.
  return {
    retries: options.retries ?? 4,
    baseDelayMs: 1000,
    maxDelayMs: 30_000,
    maxWaitMs: options.maxRetryWaitMs ?? 120_000,
    capRetryAfter: true,
  };
}

function buildSdk(options: ChatClientOptions, endpoint: string): OpenAI {
  return new OpenAI({
    apiKey: options.apiKey,
    baseURL: endpoint,
    // Retries are ours: the SDK's sleep cannot be faked in tests and it honours any Retry-After, even an hour.
    maxRetries: 0,
    timeout: Math.max(1, Math.round(options.llm.timeoutSeconds * 1000)),
    ...(options.fetchImpl ? { fetch: options.fetchImpl } : {}),
  });
}

function bodyFor(s: Session, request: ChatRequest, kind: ResponseFormatKind) {
  const cap = request.maxCompletionTokens;
  const learned = s.thinkingRoom.get(request.model) ?? 0;
  return {
    model: request.model,
    messages: request.messages,
    ...requestOptions(s.llm, request.model, s.officialOpenAi, cap === undefined ? undefined : cap + learned),
    response_format: responseFormat(kind, request.schema),
  };
}

/**
 * The longest the key check holds the calls: OpenAI and most servers list their models in well
 * under a second. A slower list is still awaited (up to KEY_CHECK_TIMEOUT_MS) while the first call
 * goes alone, and lets the others go when it comes.
 */
const KEY_CHECK_WAIT_MS = 1500;
const KEY_CHECK_TIMEOUT_MS = 5000;

/** The endpoint answered (the key check, or a call): calls no longer pass the gate one at a time. */
function endpointAnswered(s: Session): void {
  s.answering = true;
  s.markAnswering();
}

/** A timer that does not keep the process alive: the wait is a courtesy, not work to finish. */
function keyCheckWait(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, KEY_CHECK_WAIT_MS).unref());
}

/**
 * `GET {baseUrl}/models` with the key: free, and on OpenAI and most compatible servers it
 * answers 401 to a bad key, which is fatal with the message a refused chat call would give.
 * Any other answer but a 5xx shows the endpoint is up: a 403 among them, since a key restricted
 * to chat may not read the model list and would be refused here for no fault of its own.
 */
async function checkKey(s: Session, model: string): Promise<void> {
  const answer = await askModels(s);
  if (answer.kind === "silent") return;
  endpointAnswered(s);
  if (answer.kind !== "refused") return;
  const verdict = classifyError(answer.error, {
    endpoint: s.endpoint,
    model,
    keyEnv: s.llm.apiKeyEnv,
    now: s.clock.now(),
  });
  if (verdict.kind === "fatal") s.fatal ??= fatalError(verdict);
}

/** The one `GET /models` of the command for this endpoint (the memo's answer, or asked now and kept there). */
function askModels(s: Session): Promise<KeyCheckAnswer> {
  let asked = s.keyCheckMemo.get(s.endpoint);
  if (asked === undefined) {
    asked = listModels(s);
    s.keyCheckMemo.set(s.endpoint, asked);
  }
  return asked;
}

async function listModels(s: Session): Promise<KeyCheckAnswer> {
  try {
    const timeout = Math.max(1, Math.min(KEY_CHECK_TIMEOUT_MS, s.llm.timeoutSeconds * 1000));
    // The raw answer, read at most MAX_MODEL_LIST_BYTES by the one reader of a model list (models.ts), as `doctor` reads it.
    const res = await s.sdk.get<unknown>("/models", { timeout }).asResponse();
    return { kind: "listed", list: await readModelList(res, `${s.endpoint}/models`) };
  } catch (err) {
    // An answer too large to be a model list: the endpoint answered, with nothing to judge.
    if (err instanceof AnswerTooLargeError) return { kind: "answered" };
    if (!(err instanceof APIError) || err.status === undefined || err.status >= 500) return { kind: "silent" };
    return err.status === 401 ? { kind: "refused", error: err } : { kind: "answered" };
  }
}

/**
 * The caller's verdict on the list, once per client: an error it returns stops every call not yet
 * sent (`modelRefused`). Without a list (none, a refusal, no answer in time) there is nothing to judge.
 */
async function checkModel(s: Session): Promise<void> {
  s.keyCheck ??= checkKey(s, s.llm.model);
  await s.keyCheck;
  const answer = await askModels(s);
  if (s.models === null || answer.kind !== "listed" || answer.list === null) return;
  const error = s.models.check(answer.list);
  if (error === null) return;
  s.modelRefused = error;
  s.fatal ??= new LlmFatalError(error.message);
}

/**
 * Every call waits for the one key check of the run (memoised; at most KEY_CHECK_WAIT_MS), then
 * goes at full concurrency; until the endpoint has answered something, calls pass one at a time,
 * and all go as soon as it answers (a call, or a slow key check).
 */
async function afterKeyCheck<T>(s: Session, model: string, call: () => Promise<T>): Promise<T> {
  if (s.models !== null && !s.fatal) {
    s.modelCheck ??= checkModel(s);
    // Where the list is authoritative a model it lacks stops the command, so the first paid call
    // waits for the whole list (up to KEY_CHECK_TIMEOUT_MS): going after the 1.5 s gate could bill
    // a mistyped name. Elsewhere the list only earns a warning, said whenever it comes, so the calls
    // keep the 1.5 s gate below and a slow list costs no more waiting than it did.
    if (s.modelListDecides) await s.modelCheck;
  }
  if (!s.fatal && !s.answering) {
    s.keyCheck ??= checkKey(s, model);
    s.keyCheckWait ??= keyCheckWait();
    await Promise.race([s.keyCheck, s.keyCheckWait]);
  }
  if (s.answering || s.fatal) return call();
  const previous = s.gate;
  let release = () => {};
  s.gate = new Promise((resolve) => {
    release = resolve;
  });
  await Promise.race([previous, s.answered]);
  try {
    return await call();
  } finally {
    release();
  }
}

/**
 * The most `body` can cost, at `request.model`'s price; null when there is no budget to hold it
 * against, or the model has no price (the budget cannot see such calls: the run's notes say so).
 */
function worstCase(s: Session, request: ChatRequest, body: ReturnType<typeof bodyFor>): number | null {
  if (!s.ledger) return null;
  const price = priceFor(request.model, s.llm.prices);
  if (!price) return null;
  const held = tokensHeld(request, body);
  return worstCaseUsd(held.promptTokens, held.completionTokens, price);
}

/**
 * The tokens the budget holds for `body`: its prompt as the endpoint counts it (messages, framing,
 * the schema sent as structured output) and its answer cap as sent (the request's, with the
 * reasoning allowance, or llm.options.maxTokens).
 */
function tokensHeld(
  request: ChatRequest,
  body: ReturnType<typeof bodyFor>,
): { promptTokens: number; completionTokens: number } {
  const sent: Record<string, unknown> = body;
  const cap = Number(sent.max_completion_tokens ?? sent.max_tokens ?? request.maxCompletionTokens);
  return { promptTokens: promptTokensOf(request.messages, body.response_format), completionTokens: cap };
}

/**
 * What the budget guard would hold `request` to if a new client sent it now (its first response
 * format, no thinking room learnt yet): the most it can be billed. `eval` prices the requests the
 * response cache cannot answer by it before it sends any.
 */
export function heldTokens(
  llm: Config["llm"],
  baseUrl: string | undefined,
  request: ChatRequest,
): { promptTokens: number; completionTokens: number } {
  const endpoint = baseUrl ?? DEFAULT_ENDPOINT;
  const official = URL.canParse(endpoint) && new URL(endpoint).hostname === "api.openai.com";
  return tokensHeld(request, {
    model: request.model,
    messages: request.messages,
    ...requestOptions(llm, request.model, official, request.maxCompletionTokens),
    response_format: responseFormat(initialFormats(llm.structuredOutput)[0]!, request.schema),
  });
}

function budgetStop(s: Session, request: ChatRequest): BudgetReachedError {
  s.meter.recordBudgetStop(request.stage);
  return new BudgetReachedError(`LLM budget of $${s.ledger!.budgetUsd} reached`);
}

/**
 * Before the call waits for the key check: a call whose worst case can
 * no longer fit, whatever the calls in flight end up costing, is refused without a request.
 */
function refuseEarly(s: Session, request: ChatRequest): void {
  const usd = worstCase(s, request, bodyFor(s, request, s.formats[0]!));
  if (usd !== null && !s.ledger!.couldFit(usd)) throw budgetStop(s, request);
}

/** Holds the worst case of one attempt; waits while the calls in flight may free enough, else refuses. */
async function reserve(s: Session, request: ChatRequest, body: ReturnType<typeof bodyFor>): Promise<Hold | null> {
  const usd = worstCase(s, request, body);
  if (usd === null) return null;
  const hold = await s.ledger!.reserve(usd);
  if (!hold) throw budgetStop(s, request);
  return hold;
}

/** One request: the completion, or the failure classified. */
async function attempt(
  s: Session,
  request: ChatRequest,
  body: ReturnType<typeof bodyFor>,
  deadline: CallDeadline,
): Promise<{ ok: true; completion: OpenAI.ChatCompletion } | { ok: false; verdict: ErrorVerdict; answered: boolean }> {
  try {
    await s.limiter.acquire(request.estimatedTokens);
    // No attempt outlasts the call's deadline: the last one gets what time is left.
    const timeout = Math.max(1, Math.min(s.llm.timeoutSeconds * 1000, deadline.remainingMs()));
    // The body is assembled from typed parts; the SDK's overloads cannot see through the spread.
    const completion = await s.sdk.chat.completions.create(body as OpenAI.ChatCompletionCreateParamsNonStreaming, {
      timeout,
    });
    const shapeProblem = notACompletion(completion);
    if (shapeProblem !== null) {
      // Some gateways pass an upstream failure on as HTTP 200 with an error body: a failure to retry like a 5xx.
      const message = `the LLM endpoint ${s.endpoint} (model ${request.model}) answered HTTP 200 without a completion: ${shapeProblem}`;
      return { ok: false, verdict: { kind: "retry", message, retryAfterMs: null }, answered: true };
    }
    return { ok: true, completion };
  } catch (err) {
    const verdict = classifyError(err, {
      endpoint: s.endpoint,
      model: request.model,
      keyEnv: s.llm.apiKeyEnv,
      now: s.clock.now(),
    });
    // An error status means the endpoint refused the request; without one (a timeout, a dropped
    // connection) it may have run, and been billed, all the same.
    return { ok: false, verdict, answered: err instanceof APIError && err.status !== undefined };
  }
}

/**
 * A call's time over all its attempts and the waits between them, by the session's clock:
 * `llm.callDeadlineSeconds`, by default three times `llm.timeoutSeconds`, counted from the first
 * request sent (time queued behind other calls does not count). Without it a hung endpoint
 * holds a call for every retry's full timeout.
 */
interface CallDeadline {
  remainingMs(): number;
  readonly seconds: number;
}

function callDeadline(s: Session): CallDeadline {
  const seconds = s.llm.callDeadlineSeconds ?? Math.round(3000 * s.llm.timeoutSeconds) / 1000;
  let end: number | null = null;
  return {
    seconds,
    remainingMs() {
      end ??= s.clock.now() + seconds * 1000;
      return end - s.clock.now();
    },
  };
}

/**
 * After failed try number `tries` (0-based) made with format `kind`: step down the format
 * ladder, wait and retry (`nextRetry`), or stop, counting calls that ran out of retries or of
 * time and taking the endpoint to be down after several in a row.
 */
function afterFailure(
  s: Session,
  verdict: ErrorVerdict,
  kind: ResponseFormatKind,
  tries: number,
  deadline: CallDeadline,
): NextStep {
  if (verdict.kind === "reject-format" && s.formats.length > 1) {
    if (s.formats[0] === kind) s.formats = s.formats.slice(1);
    return { kind: "again" };
  }
  if (verdict.kind === "fatal" || verdict.kind === "reject-format") {
    s.fatal ??= verdict.kind === "fatal" ? fatalError(verdict) : new LlmFatalError(verdict.message);
    return { kind: "stop", error: s.fatal };
  }
  const step = nextRetry(s.retryPolicy, tries + 1, verdict.retryAfterMs);
  const outOfTime = step.kind === "wait" && step.ms >= deadline.remainingMs();
  if (step.kind === "wait" && !outOfTime) return step;
  s.failedInARow += 1;
  const n = tries + 1;
  const message = outOfTime
    ? `${verdict.message} (gave up after ${n} ${n === 1 ? "try" : "tries"} in the call's ${deadline.seconds} s, llm.callDeadlineSeconds)`
    : `${verdict.message} (gave up after ${s.retryPolicy.retries + 1} tries)`;
  if (s.failedInARow < FAILED_CALLS_BEFORE_STOP) return { kind: "stop", error: new LlmCallError(message) };
  s.fatal ??= new LlmFatalError(
    `${message}; ${s.failedInARow} calls in a row failed like this, so no more calls are made in this run. Try again later; answers so far are cached.`,
  );
  return { kind: "stop", error: s.fatal };
}

/**
 * Why an HTTP 200 body is not a chat completion (no `choices` list, or a choice without a
 * message), quoting its error message when it has one; null when it is one. An empty `choices`
 * list is a completion with an empty answer, handled as such by the caller.
 */
function notACompletion(completion: unknown): string | null {
  const body = completion as { choices?: unknown; error?: { message?: unknown } } | null;
  const choices = body?.choices;
  if (Array.isArray(choices) && choices.every((c) => typeof (c as { message?: unknown })?.message === "object")) {
    return null;
  }
  const said = body?.error?.message;
  return typeof said === "string" && said !== ""
    ? `its body says "${said.slice(0, 200)}"`
    : "its body has no choices with a message";
}

function replyOf(completion: OpenAI.ChatCompletion): ChatReply {
  const choice = completion.choices[0];
  return {
    // A refusal may come beside an empty content: "" is not an answer, the refusal is.
    content: choice?.message.content || choice?.message.refusal || "",
    finishReason: choice?.finish_reason ?? null,
    promptTokens: completion.usage?.prompt_tokens ?? 0,
    cachedPromptTokens: completion.usage?.prompt_tokens_details?.cached_tokens ?? 0,
    completionTokens: completion.usage?.completion_tokens ?? 0,
    replayed: false,
    ...(completion.usage ? {} : { usageMissing: true as const }),
  };
}

/**
 * The completion tokens one request to `model` may be billed beyond its answer: the reasoning
 * allowance of a reasoning model (0 for any other), or llm.options.maxTokens where set. What the
 * verdicts a stage reuses in a day are allowed per batch on top of their answers (answers.ts).
 */
export function completionRoom(llm: Config["llm"], model: string): number {
  const sent = requestOptions(llm, model, true, 0);
  return Number(sent.max_completion_tokens ?? 0);
}

/** The most a learned thinking allowance grows to: as much as a "high" reasoning effort gets. */
const MAX_THINKING_ROOM = 16_384;

/**
 * The most completion tokens one request to `model` can be billed when its stage asks for an
 * answer cap of `answerCap`: the cap as sent with the most thinking room a run learns and the
 * reasoning allowance, or llm.options.maxTokens where set. What a stored verdict's share of an
 * answer is held to (answers.ts).
 */
export function mostCompletionTokens(llm: Config["llm"], model: string, answerCap: number): number {
  const sent = requestOptions(llm, model, true, answerCap + MAX_THINKING_ROOM);
  return Number(sent.max_completion_tokens);
}

/**
 * True when an answer cut off by its token cap spent the cap thinking rather than answering:
 * most of its completion tokens were reasoning tokens, or its text is an unclosed
 * `<think>` / `<thinking>` / `<reasoning>` block (a reasoning model served without a reasoning
 * parser). A long answer that is all answer (a runaway) is not: its cap stays as it is.
 */
function thoughtOut(completion: OpenAI.ChatCompletion, content: string): boolean {
  const used = completion.usage?.completion_tokens ?? 0;
  const reasoning = completion.usage?.completion_tokens_details?.reasoning_tokens ?? 0;
  if (used > 0 && reasoning >= used / 2) return true;
  const open = /^\s*<(think|thinking|reasoning)>/i.exec(content);
  return open !== null && !new RegExp(`</${open[1]}>`, "i").test(content);
}

/**
 * A model that thought its answer cap away gets more room for the rest of the run: twice what it
 * had, at least 2,048 tokens, at most MAX_THINKING_ROOM, so the papers asked again can be answered.
 */
function makeThinkingRoom(s: Session, model: string): void {
  const now = s.thinkingRoom.get(model) ?? 0;
  s.thinkingRoom.set(model, Math.min(MAX_THINKING_ROOM, Math.max(2048, now * 2)));
}

/** A fresh answer opens the gate, resets the failure count, and is cached and metered. */
async function keep(
  s: Session,
  request: ChatRequest,
  body: ReturnType<typeof bodyFor>,
  completion: OpenAI.ChatCompletion,
): Promise<ChatReply> {
  endpointAnswered(s);
  s.failedInARow = 0;
  const reply = replyOf(completion);
  if (reply.finishReason === "length" && thoughtOut(completion, reply.content)) makeThinkingRoom(s, request.model);
  // Kept with whether the counts came, so a replay of an answer without them is not taken for free.
  const { replayed: _, ...stored } = reply;
  if (request.usable?.(reply.content, reply.finishReason) !== false) {
    await s.cache.put(cacheKey(body), { model: request.model, ...stored });
  }
  record(s, request, reply);
  return reply;
}

/**
 * What an attempt cost, in place of its hold: the answer's usage at the model's price; nothing
 * for a request the endpoint refused with an error status; the whole hold when the cost is not
 * known (no answer, or an answer without usage), so the cap holds even then.
 */
function settle(
  s: Session,
  request: ChatRequest,
  hold: Hold | null,
  result: Awaited<ReturnType<typeof attempt>>,
): void {
  if (!hold) return;
  if (result.ok && result.completion.usage) {
    hold.settle(costOf(replyOf(result.completion), priceFor(request.model, s.llm.prices)!).total);
  } else if (!result.ok && result.answered) {
    hold.settle(0);
  } else {
    s.meter.recordUnconfirmed(hold.usd);
    hold.settle(hold.usd);
  }
}

/** Every attempt, retries included, holds its worst case against the budget until it ends. */
async function send(s: Session, request: ChatRequest): Promise<ChatReply> {
  const deadline = callDeadline(s);
  for (let tries = 0; ; ) {
    if (s.fatal) throw s.fatal;
    const kind = s.formats[0]!;
    const body = bodyFor(s, request, kind);
    const hold = await reserve(s, request, body);
    if (s.fatal) {
      hold?.settle(0);
      throw s.fatal;
    }
    const result = await attempt(s, request, body, deadline);
    settle(s, request, hold, result);
    if (result.ok) return keep(s, request, body, result.completion);
    const next = afterFailure(s, result.verdict, kind, tries, deadline);
    if (next.kind === "stop") throw next.error;
    if (next.kind === "wait") {
      tries += 1;
      await s.clock.sleep(next.ms);
    }
  }
}

/** An earlier run may have stepped down the format ladder: look for its answer under every format still possible. */
async function cachedReply(s: Session, request: ChatRequest): Promise<ChatReply | null> {
  for (const kind of s.formats) {
    const hit = await s.cache.get(cacheKey(bodyFor(s, request, kind)));
    if (hit && request.usable?.(hit.content, hit.finishReason) !== false) return { ...hit, replayed: true };
  }
  return null;
}

async function replay(s: Session, request: ChatRequest): Promise<ChatReply | null> {
  const reply = await cachedReply(s, request);
  if (reply) record(s, request, reply);
  return reply;
}

/** An answer metered, paid or replayed; one without token counts with the request's estimate beside it. */
function record(s: Session, request: ChatRequest, reply: ChatReply): void {
  s.meter.record({
    stage: request.stage,
    model: request.model,
    ...reply,
    ...(reply.usageMissing ? { estimate: request.usualTokens } : {}),
  });
}

export function createChatClient(options: ChatClientOptions): ChatClient {
  const s = openSession(options);
  return {
    get format() {
      return s.formats[0]!;
    },
    get keyRefused() {
      return s.fatal instanceof LlmKeyRefusedError ? s.fatal : null;
    },
    cached: async (request) => (await cachedReply(s, request)) !== null,
    get modelRefused() {
      return s.modelRefused;
    },
    async complete(request) {
      const cached = await replay(s, request);
      if (cached) return cached;
      if (s.fatal) throw s.fatal;
      const reply = await s.queue.add(async () => {
        refuseEarly(s, request);
        return afterKeyCheck(s, request.model, () => send(s, request));
      });
      if (!reply) throw new LlmCallError("the call was cancelled");
      return reply;
    },
  };
}
