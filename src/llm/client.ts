/**
 * One way to ask an OpenAI-compatible chat endpoint something: cached, rate-limited, bounded
 * in concurrency, retried when the failure is temporary, stopped for good when it is not.
 *
 * The first network call goes alone. It proves the key, the model and the response format
 * before anything runs in parallel, so a bad key costs exactly one request and the
 * structured-output fallback is settled once for the whole run.
 */

import OpenAI from "openai";
import PQueue from "p-queue";
import type { Config } from "../config/schema.js";
import { nextRetry, type RetryPolicy } from "../io/retry.js";
import { cacheKey, type ResponseCache } from "./cache.js";
import { BudgetReachedError, classifyError, LlmCallError, LlmFatalError } from "./errors.js";
import { type Clock, createRateLimiter } from "./limiter.js";
import type { TokenCounts } from "./prices.js";
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
  /** Cap on the answer (reasoning excluded), so a runaway answer is cut and re-asked rather than paid for. */
  maxCompletionTokens?: number;
}

export interface ChatReply extends TokenCounts {
  content: string;
  /** "length" when the answer was cut off by the output token limit. */
  finishReason: string | null;
  /** True when the answer came from the response cache. */
  replayed: boolean;
}

export interface ChatClient {
  complete(request: ChatRequest): Promise<ChatReply>;
  /** The response format in use now (it only ever steps down, never back up). */
  readonly format: ResponseFormatKind;
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
export function requestOptions(llm: Config["llm"], model: string, officialOpenAi: boolean): Record<string, unknown> {
  const merged = { ...llm.options, ...llm.modelOptions[model] };
  const options: Record<string, unknown> = {};
  if (merged.temperature !== undefined) options.temperature = merged.temperature;
  if (merged.reasoningEffort !== undefined) options.reasoning_effort = merged.reasoningEffort;
  if (merged.maxTokens !== undefined) {
    options[officialOpenAi ? "max_completion_tokens" : "max_tokens"] = merged.maxTokens;
  }
  return options;
}

function responseFormat(kind: ResponseFormatKind, schema: ChatRequest["schema"]): Record<string, unknown> | undefined {
  if (kind === "json_schema") return { type: "json_schema", json_schema: { ...schema, strict: true } };
  if (kind === "json_object") return { type: "json_object" };
  return undefined;
}

export function createChatClient(options: ChatClientOptions): ChatClient {
  const { llm, cache, meter, clock } = options;
  const endpoint = options.baseUrl ?? DEFAULT_ENDPOINT;
  const url = URL.canParse(endpoint) ? new URL(endpoint) : null;
  const validEndpoint = url !== null && (url.protocol === "http:" || url.protocol === "https:");
  const officialOpenAi = url?.hostname === "api.openai.com";
  const retries = options.retries ?? 4;
  // A long Retry-After is shortened, not refused: the call is tried again after the cap.
  const retryPolicy: RetryPolicy = {
    retries,
    baseDelayMs: 1000,
    maxDelayMs: 30_000,
    maxWaitMs: options.maxRetryWaitMs ?? 120_000,
    capRetryAfter: true,
  };
  const sdk = new OpenAI({
    apiKey: options.apiKey,
    baseURL: endpoint,
    // Retries are ours: the SDK's sleep cannot be faked in tests and it honours any Retry-After, even an hour.
    maxRetries: 0,
    timeout: Math.max(1, Math.round(llm.timeoutSeconds * 1000)),
    ...(options.fetchImpl ? { fetch: options.fetchImpl } : {}),
  });
  const queue = new PQueue({ concurrency: llm.concurrency });
  const limiter = createRateLimiter(llm, clock);
  let formats = initialFormats(llm.structuredOutput);
  let fatal: LlmFatalError | null = validEndpoint
    ? null
    : new LlmFatalError(
        `the LLM endpoint "${endpoint}" is not an http(s) URL; set llm.baseUrl or OPENAI_BASE_URL to one such as https://api.openai.com/v1`,
      );
  let proven = false;
  let failedInARow = 0;
  let gate: Promise<void> = Promise.resolve();

  const bodyFor = (request: ChatRequest, kind: ResponseFormatKind) => ({
    model: request.model,
    messages: request.messages,
    ...requestOptions(llm, request.model, officialOpenAi),
    response_format: responseFormat(kind, request.schema),
  });

  /** Until one call has succeeded, calls pass one at a time. */
  async function throughGate<T>(call: () => Promise<T>): Promise<T> {
    if (proven) return call();
    const previous = gate;
    let release = () => {};
    gate = new Promise((resolve) => {
      release = resolve;
    });
    await previous;
    if (proven) {
      release();
      return call();
    }
    try {
      return await call();
    } finally {
      release();
    }
  }

  async function send(request: ChatRequest): Promise<ChatReply> {
    // Checked when the call leaves the queue, so calls queued before the budget ran out stay unpaid.
    if (llm.budgetUsd !== undefined && meter.spentUsd >= llm.budgetUsd) {
      throw new BudgetReachedError(`LLM budget of $${llm.budgetUsd} reached`);
    }
    for (let attempt = 0; ; ) {
      if (fatal) throw fatal;
      const kind = formats[0]!;
      const body = bodyFor(request, kind);
      let completion: OpenAI.ChatCompletion;
      try {
        await limiter.acquire(request.estimatedTokens);
        // The body is assembled from typed parts; the SDK's overloads cannot see through the spread.
        completion = await sdk.chat.completions.create(body as OpenAI.ChatCompletionCreateParamsNonStreaming);
      } catch (err) {
        const verdict = classifyError(err, {
          endpoint,
          model: request.model,
          keyEnv: llm.apiKeyEnv,
          now: clock.now(),
        });
        if (verdict.kind === "reject-format" && formats.length > 1) {
          if (formats[0] === kind) formats = formats.slice(1);
          continue;
        }
        const step = verdict.kind === "retry" ? nextRetry(retryPolicy, attempt + 1, verdict.retryAfterMs) : null;
        if (step?.kind === "wait") {
          attempt += 1;
          await clock.sleep(step.ms);
          continue;
        }
        if (verdict.kind === "retry") {
          failedInARow += 1;
          const message = `${verdict.message} (gave up after ${retries + 1} tries)`;
          if (failedInARow < FAILED_CALLS_BEFORE_STOP) throw new LlmCallError(message);
          fatal ??= new LlmFatalError(
            `${message}; ${failedInARow} calls in a row failed like this, so no more calls are made in this run. Try again later; answers so far are cached.`,
          );
          throw fatal;
        }
        fatal ??= new LlmFatalError(verdict.message);
        throw fatal;
      }
      proven = true;
      failedInARow = 0;
      const choice = completion.choices[0];
      const reply: ChatReply = {
        content: choice?.message.content ?? choice?.message.refusal ?? "",
        finishReason: choice?.finish_reason ?? null,
        promptTokens: completion.usage?.prompt_tokens ?? 0,
        cachedPromptTokens: completion.usage?.prompt_tokens_details?.cached_tokens ?? 0,
        completionTokens: completion.usage?.completion_tokens ?? 0,
        replayed: false,
      };
      const { replayed: _, ...stored } = reply;
      await cache.put(cacheKey(body), { model: request.model, ...stored });
      meter.record({ stage: request.stage, model: request.model, ...reply });
      return reply;
    }
  }

  /** An earlier run may have stepped down the format ladder: look for its answer under every format still possible. */
  async function replay(request: ChatRequest): Promise<ChatReply | null> {
    for (const kind of formats) {
      const hit = await cache.get(cacheKey(bodyFor(request, kind)));
      if (hit) {
        const reply: ChatReply = { ...hit, replayed: true };
        meter.record({ stage: request.stage, model: request.model, ...reply });
        return reply;
      }
    }
    return null;
  }

  return {
    get format() {
      return formats[0]!;
    },
    async complete(request) {
      const cached = await replay(request);
      if (cached) return cached;
      if (fatal) throw fatal;
      const reply = await queue.add(() => throughGate(() => send(request)));
      if (!reply) throw new LlmCallError("the call was cancelled");
      return reply;
    },
  };
}
