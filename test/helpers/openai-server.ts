/**
 * A real OpenAI-compatible `/chat/completions` server on 127.0.0.1 for tests and benchmarks.
 * It reads the paper ids (the ID that starts each paper's line) from each scoring request, and the numbered titles of
 * each title-triage request, and answers about exactly those papers, well or badly as the test asks: slow, rate-limited, failing, hanging, refusing the key
 * (401) or its permission (403), or the response format, out of quota, or with one of many kinds of malformed content.
 * "unauthorized" echoes the key the request carried, whole and masked, as providers do in 401s.
 */
import type { ServerResponse } from "node:http";
import { type RecordedRequest, sendJson, startServer, type TestServer } from "./server.js";

/** Malformed content, answered with HTTP 200. */
export const CONTENT_MODES = [
  "missing-ids",
  "no-papers",
  "fenced",
  "prose",
  "jsonl",
  "pretty",
  "bare-array",
  "object-keyed",
  "field-variants",
  "string-scores",
  "out-of-range",
  "versioned-ids",
  "pdf-ids",
  "numeric-ids",
  "unknown-ids",
  "duplicates",
  "truncated",
  "empty",
  "garbage",
  "think",
  "think-unclosed",
  "unit-scale",
] as const;

export const REPLY_MODES = [
  "correct",
  "slow",
  "rate-limit",
  "server-error",
  "hang",
  "unauthorized",
  "forbidden",
  "reject-response-format",
  "insufficient-quota",
  "error-body",
  "thought-out",
  ...CONTENT_MODES,
] as const;
export type ReplyMode = (typeof REPLY_MODES)[number];

export interface Verdict {
  relevance: number;
  novelty: number;
  /** Title triage answer: true lists the title as on topic, false leaves it out. */
  keep: boolean;
  /** A finer triage answer, when given: overrides `keep`. */
  triage?: TriageAnswer;
}

export type TriageAnswer = "on-topic" | "maybe" | "outside";

export interface Tokens {
  prompt: number;
  completion: number;
  cached: number;
}

export interface ChatBody {
  model: string;
  messages: { role: string; content: string }[];
  response_format?: { type: string; json_schema?: { name: string } };
  [option: string]: unknown;
}

export interface OpenAiServerOptions {
  /** The mode of the n-th chat request (0-based), or one mode for all. */
  mode?: ReplyMode | ((n: number, body: ChatBody) => ReplyMode);
  /** What the "model" thinks of a paper; a stable hash of the id by default. */
  judge?: (id: string) => Verdict;
  /**
   * The id of a paper from its title: the title triage sends numbered titles without ids. Without
   * it (or when it knows no id) a triage title is judged by the hash of the title itself.
   */
  idOfTitle?: (title: string) => string | undefined;
  /** Delay of every answer, and of the "slow" mode (default 0 and 200 ms). */
  latencyMs?: number;
  /** Usage per call, fixed or computed; by default about a token per four characters, nothing cached. */
  /** Token counts of each answer; "omit" leaves `usage` out, as some proxies and local servers do. */
  usage?: Tokens | ((body: ChatBody, reply: string) => Tokens) | "omit";
  /** Retry-After header value of the "rate-limit" mode (default "0"). */
  retryAfter?: string;
  /**
   * What `GET /v1/models` answers: these models listed (default: the models the tests use),
   * 404 as on servers without the route ("missing"), or 403 as to an OpenAI key restricted to
   * chat ("forbidden"), or 503 as a server that is down ("down"). A listed route answers 401
   * whenever the mode is "unauthorized".
   */
  models?: readonly string[] | "missing" | "forbidden" | "down";
  /**
   * The listed route answers with the list even when the mode is "unauthorized": a revoked key
   * the list still takes, or a key allowed to list models but not to chat.
   */
  listDespiteRefusal?: boolean;
  /** How long `GET /v1/models` takes to answer (default at once). */
  modelsDelayMs?: number;
}

/** The models `GET /v1/models` lists by default. */
export const LISTED_MODELS = ["gpt-5", "gpt-5-mini", "gpt-5-nano", "gpt-4.1-mini", "gpt-4o"] as const;

export interface OpenAiServer extends TestServer {
  /** Parsed bodies of the chat requests, in arrival order. */
  chats(): ChatBody[];
  /** How many `GET /v1/models` requests arrived. */
  modelListings(): number;
  /** The most chat requests that were open at the same time. */
  peakConcurrency(): number;
  /** For each chat request, how many were open (itself included) when it arrived. */
  openAtArrival(): number[];
  /** For each chat request, how many `GET /v1/models` requests were still unanswered when it arrived. */
  listingsOpenAtArrival(): number[];
  setMode(mode: OpenAiServerOptions["mode"]): void;
}

/** Deterministic pseudo-judgement so tests can predict the outcome of every paper. */
export function hashVerdict(id: string): Verdict {
  let h = 2166136261;
  for (const ch of id) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return { relevance: 1 + (h % 10), novelty: 1 + ((h >>> 8) % 10), keep: h % 3 !== 0 };
}

export function idsIn(body: ChatBody): string[] {
  const user = body.messages.filter((m) => m.role === "user").at(-1)?.content ?? "";
  return [...user.matchAll(/^(\S+) \| /gm)].map((m) => m[1]!);
}

function firstTopic(body: ChatBody): string {
  const user = body.messages.filter((m) => m.role === "user").at(-1)?.content ?? "";
  return user.match(/^### ([a-z0-9-]+):/m)?.[1] ?? "none";
}

const isTriage = (body: ChatBody) => /^## Titles$/m.test(body.messages.at(-1)?.content ?? "");

/** Ids by title as the triage's lines show them (flattened to one line), for `idOfTitle`. */
export function titleIndex(papers: readonly { id: string; title: string }[]): Map<string, string> {
  return new Map(papers.map((p) => [p.title.replace(/\s+/g, " ").trim(), p.id]));
}

/** The numbered title lines of a triage request (`12. A title`), in order. */
export function titlesIn(body: ChatBody): string[] {
  const user = body.messages.filter((m) => m.role === "user").at(-1)?.content ?? "";
  const after = user.slice(user.search(/^## Titles$/m));
  return [...after.matchAll(/^\d+\. (.*)$/gm)].map((m) => m[1]!);
}

/** The triage answer: line numbers by verdict, shaped by the content mode where it applies. */
function triageReply(
  body: ChatBody,
  mode: ReplyMode,
  judge: (id: string) => Verdict,
  idOfTitle: (title: string) => string | undefined,
): string {
  const lists: { on_topic: number[]; maybe: number[] } = { on_topic: [], maybe: [] };
  titlesIn(body).forEach((title, i) => {
    const verdict = judge(idOfTitle(title) ?? title);
    const answer = verdict.triage ?? (verdict.keep ? "on-topic" : "outside");
    if (answer === "on-topic") lists.on_topic.push(i + 1);
    else if (answer === "maybe") lists.maybe.push(i + 1);
  });
  const text = JSON.stringify(lists);
  switch (mode) {
    case "fenced":
      return `\`\`\`json\n${text}\n\`\`\``;
    case "prose":
      return `Here is my triage.\n${text}\nDone.`;
    case "truncated":
      return text.slice(0, Math.floor(text.length * 0.7));
    case "empty":
      return "";
    case "garbage":
    case "no-papers":
      return content(mode, []);
    case "unknown-ids":
      return JSON.stringify({ ...lists, maybe: [...lists.maybe, 9999] });
    case "think":
    case "think-unclosed":
      return thinking(mode, JSON.stringify({ on_topic: [], maybe: [] }), text);
    default:
      return text;
  }
}

type Item = Record<string, unknown>;

/**
 * A reasoning model served without a reasoning parser: its thinking, holding a draft of the answer
 * (and a fenced example of the format), in the content before the answer ("think"), or the
 * thinking alone, never closed ("think-unclosed").
 */
function thinking(mode: "think" | "think-unclosed", draft: string, answer: string): string {
  const thought = `<think>\nThe answer must look like\n\`\`\`json\n${draft}\n\`\`\`\nA first draft: ${draft}\nLet me check each one again.`;
  return mode === "think" ? `${thought}\n</think>\n\n${answer}` : thought;
}

function items(body: ChatBody, judge: (id: string) => Verdict): Item[] {
  const topic = firstTopic(body);
  return idsIn(body).map((id) => {
    const v = judge(id);
    return {
      id,
      topic,
      comment: `Matches ${topic}: test verdict for ${id}.`,
      relevance: v.relevance,
      novelty: v.novelty,
    };
  });
}

const json = (list: Item[]) => JSON.stringify({ papers: list });

/** The reply text of each content mode; every one of them still names real ids where it can. */
function content(mode: ReplyMode, list: Item[]): string {
  switch (mode) {
    case "missing-ids":
      return json(list.filter((_, i) => i % 2 === 0));
    case "no-papers":
      return json([]);
    case "fenced":
      return `\`\`\`json\n${json(list)}\n\`\`\``;
    case "prose":
      return `Here are my assessments of the papers.\n${json(list)}\nLet me know if you need more detail.`;
    case "jsonl":
      return list.map((item) => JSON.stringify(item)).join("\n");
    case "pretty":
      return list.map((item) => JSON.stringify(item, null, 2)).join("\n\n");
    case "bare-array":
      return JSON.stringify(list);
    case "object-keyed":
      return JSON.stringify(Object.fromEntries(list.map(({ id, ...rest }) => [id, rest])));
    case "field-variants":
      return json(
        list.map(({ id, relevance, novelty, comment, topic }) => ({
          ARXIVID: id,
          RELEVANCE: relevance,
          NOVELTY: novelty,
          COMMENT: comment,
          TOPIC: topic,
        })),
      );
    case "string-scores":
      return json(list.map((item) => ({ ...item, relevance: `${item.relevance}/10`, novelty: `${item.novelty}` })));
    case "out-of-range":
      return json(list.map((item) => ({ ...item, relevance: 14, novelty: 0 })));
    case "versioned-ids":
      return json(list.map((item, i) => ({ ...item, id: i % 2 === 0 ? `${item.id}v2` : `arXiv:${item.id}` })));
    case "pdf-ids":
      return json(list.map((item) => ({ ...item, id: `https://arxiv.org/pdf/${item.id}v2.pdf` })));
    case "numeric-ids":
      // Each new-scheme id as a bare JSON number, its zeros written: `{"id":2505.10860,…}`.
      return json(list).replace(/"id":"(\d{4}\.\d{4,5})"/g, '"id":$1');
    case "unit-scale":
      return json(
        list.map((item) => ({ ...item, relevance: Number(item.relevance) / 10, novelty: Number(item.novelty) / 10 })),
      );
    case "think":
    case "think-unclosed":
      return thinking(mode, json(list.map((item) => ({ ...item, relevance: 1, novelty: 1 }))), json(list));
    case "unknown-ids":
      return json([...list, { ...list[0], id: "9999.99999" }]);
    case "duplicates":
      return json([...list, ...list.map((item) => ({ ...item, relevance: 1, novelty: 1 }))]);
    case "truncated": {
      const full = json(list);
      return full.slice(0, Math.floor(full.length * 0.7));
    }
    case "empty":
      return "";
    case "garbage":
      return "Sure! {{papers: [ids: relevant?? novelty=high}} ]] <eos> \u0000 ¯\\_(ツ)_/¯";
    default:
      return json(list);
  }
}

function chatCompletion(body: ChatBody, text: string, mode: ReplyMode, usage: OpenAiServerOptions["usage"]): unknown {
  const promptChars = body.messages.reduce((sum, m) => sum + m.content.length, 0);
  const tokens =
    typeof usage === "function"
      ? usage(body, text)
      : usage === "omit"
        ? null
        : (usage ?? {
            prompt: Math.ceil(promptChars / 4),
            completion: Math.ceil(text.length / 4),
            cached: 0,
          });
  return {
    id: "chatcmpl-test",
    object: "chat.completion",
    created: 1_770_000_000,
    model: body.model,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: text, refusal: null },
        finish_reason: mode === "truncated" ? "length" : "stop",
        logprobs: null,
      },
    ],
    ...(tokens
      ? {
          usage: {
            prompt_tokens: tokens.prompt,
            completion_tokens: tokens.completion,
            total_tokens: tokens.prompt + tokens.completion,
            prompt_tokens_details: { cached_tokens: tokens.cached },
          },
        }
      : {}),
  };
}

/** A key the way OpenAI echoes it in a 401: its first 8 and last 4 characters, stars between. */
export function maskKey(key: string): string {
  return key.length <= 12 ? "*".repeat(key.length) : `${key.slice(0, 8)}${"*".repeat(key.length - 12)}${key.slice(-4)}`;
}

function apiError(res: ServerResponse, status: number, error: Item, headers: Record<string, string> = {}): void {
  sendJson(res, status, { error: { type: "invalid_request_error", param: null, code: null, ...error } }, headers);
}

export async function startOpenAiServer(options: OpenAiServerOptions = {}): Promise<OpenAiServer> {
  let mode = options.mode ?? "correct";
  const judge = options.judge ?? hashVerdict;
  const bodies: ChatBody[] = [];
  const modeOf = (n: number, body: ChatBody): ReplyMode => (typeof mode === "function" ? mode(n, body) : mode);
  const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  let open = 0;
  let peak = 0;
  const openAtArrival: number[] = [];

  let listings = 0;
  let listingsOpen = 0;
  const listingsOpenAtArrival: number[] = [];
  const listModels = async (res: ServerResponse) => {
    listings += 1;
    listingsOpen += 1;
    res.on("close", () => {
      listingsOpen -= 1;
    });
    if (options.modelsDelayMs) await delay(options.modelsDelayMs);
    const models = options.models ?? LISTED_MODELS;
    if (models === "missing") return apiError(res, 404, { message: "no route /v1/models" });
    if (models === "down") return apiError(res, 503, { message: "The server is overloaded." });
    if (mode === "unauthorized" && !options.listDespiteRefusal)
      return apiError(res, 401, { message: "Incorrect API key provided: sk-test.", code: "invalid_api_key" });
    if (models === "forbidden") {
      return apiError(res, 403, {
        message: "You have insufficient permissions for this operation. Missing scopes: api.model.read.",
      });
    }
    sendJson(res, 200, {
      object: "list",
      data: models.map((id) => ({ id, object: "model", created: 1_700_000_000, owned_by: "test" })),
    });
  };

  const handle = async (req: RecordedRequest, res: ServerResponse) => {
    if (req.method === "GET" && req.url.endsWith("/models")) return listModels(res);
    if (!req.url.endsWith("/chat/completions")) return apiError(res, 404, { message: `no route ${req.url}` });
    const body = JSON.parse(req.body) as ChatBody;
    open += 1;
    peak = Math.max(peak, open);
    openAtArrival.push(open);
    listingsOpenAtArrival.push(listingsOpen);
    let closed = false;
    const end = () => {
      if (!closed) open -= 1;
      closed = true;
    };
    // "finish" comes before the client can read the answer; "close" covers hung and aborted requests.
    res.on("finish", end);
    res.on("close", end);
    const current = modeOf(bodies.length, body);
    bodies.push(body);
    if (options.latencyMs) await delay(options.latencyMs);
    switch (current) {
      case "hang":
        return;
      case "slow":
        await delay(options.latencyMs ? 0 : 200);
        break;
      case "rate-limit":
        return apiError(
          res,
          429,
          { message: "Rate limit reached for requests", type: "requests", code: "rate_limit_exceeded" },
          { "retry-after": options.retryAfter ?? "0" },
        );
      case "server-error":
        return apiError(res, 500, {
          message: "The server had an error while processing your request.",
          type: "server_error",
        });
      case "unauthorized": {
        const key = String(req.headers.authorization ?? "").replace(/^Bearer\s+/i, "");
        return apiError(res, 401, {
          message: `Incorrect API key provided: ${key} (shown as ${maskKey(key)}). You can find your API key at https://platform.openai.com/account/api-keys.`,
          code: "invalid_api_key",
        });
      }
      case "forbidden":
        return apiError(res, 403, {
          message: `You have insufficient permissions for this operation. Missing scopes: model.request. Model: ${body.model}.`,
        });
      case "insufficient-quota":
        return apiError(res, 429, {
          message: "You exceeded your current quota, please check your plan and billing details.",
          type: "insufficient_quota",
          code: "insufficient_quota",
        });
      case "error-body":
        // A gateway passing an upstream failure on as HTTP 200.
        return sendJson(res, 200, { error: { message: "Provider returned error", code: 429 } });
      case "thought-out": {
        // A reasoning model that spent its whole answer cap thinking: no answer, cut off.
        const cap = Number(body.max_completion_tokens ?? body.max_tokens ?? 1000);
        return sendJson(res, 200, {
          id: "chatcmpl-test",
          object: "chat.completion",
          created: 1_770_000_000,
          model: body.model,
          choices: [{ index: 0, message: { role: "assistant", content: "", refusal: null }, finish_reason: "length" }],
          usage: {
            prompt_tokens: 100,
            completion_tokens: cap,
            total_tokens: 100 + cap,
            completion_tokens_details: { reasoning_tokens: cap },
          },
        });
      }
      case "reject-response-format":
        if (body.response_format?.type === "json_schema") {
          return apiError(res, 400, {
            message: "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.",
            param: "response_format",
          });
        }
        break;
    }
    const text = isTriage(body)
      ? triageReply(body, current, judge, options.idOfTitle ?? (() => undefined))
      : content(current, items(body, judge));
    sendJson(res, 200, chatCompletion(body, text, current, options.usage));
  };

  const server = await startServer(handle);
  return {
    ...server,
    chats: () => bodies,
    modelListings: () => listings,
    peakConcurrency: () => peak,
    openAtArrival: () => openAtArrival,
    listingsOpenAtArrival: () => listingsOpenAtArrival,
    setMode(next) {
      mode = next ?? "correct";
    },
  };
}
