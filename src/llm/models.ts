/**
 * The one home of what an endpoint's `GET /models` answer says about llm.model: the one parser
 * of the answer (the chat client's key check and `doctor` both read it here), the rule by which
 * a listed id names the model chat is asked for, and where such a list is authoritative. Also
 * whether an endpoint is on this machine, where a dummy key is the norm (Ollama, vLLM, LiteLLM).
 */

import { readBodyCapped } from "../io/capped-body.js";

/**
 * The most a `GET /models` answer may hold (bytes): the longest lists (OpenRouter's, with each
 * model's description) are a few MB; a larger answer is refused unread, never parsed.
 */
export const MAX_MODEL_LIST_BYTES = 8 * 1024 * 1024;

/**
 * A `GET /models` answer's list read from its body, no further than `MAX_MODEL_LIST_BYTES` (past
 * it, an `AnswerTooLargeError` naming `label`); null when the body is not JSON or lists no model.
 */
export async function readModelList(res: Response, label: string): Promise<ModelList | null> {
  const text = await readBodyCapped(res, MAX_MODEL_LIST_BYTES, label);
  try {
    return parseModelList(JSON.parse(text));
  } catch {
    return null;
  }
}

/** What one `GET /models` answer lists: the ids, and whether the answer was the whole list. */
export interface ModelList {
  ids: string[];
  /** False when the answer says more pages follow (`has_more`, a cursor): a missing id proves nothing. */
  complete: boolean;
}

/**
 * The ids an OpenAI-style `GET /models` answer lists (`{data: [{id}]}`), and whether it is the
 * whole list; null for anything else (no `data` array, or one naming no model).
 */
export function parseModelList(body: unknown): ModelList | null {
  const answer = body as { data?: unknown; has_more?: unknown; next_page?: unknown; next_cursor?: unknown } | null;
  const data = answer?.data;
  if (!Array.isArray(data)) return null;
  const ids = data.map((m) => (m as { id?: unknown } | null)?.id).filter((id): id is string => typeof id === "string");
  if (ids.length === 0) return null;
  const more =
    answer?.has_more === true ||
    (typeof answer?.next_page === "string" && answer.next_page !== "") ||
    (typeof answer?.next_cursor === "string" && answer.next_cursor !== "");
  return { ids, complete: !more };
}

/**
 * A model name as the lists write it, for comparison: without a `models/` prefix (Gemini's
 * OpenAI-compatible endpoint lists `models/gemini-2.5-flash` and chats as `gemini-2.5-flash`) and
 * without a routing or tag suffix after a colon (OpenRouter's `:nitro`, `:floor`, `:free`;
 * Ollama's `:latest`), lower-cased.
 */
function baseName(model: string): string {
  return model
    .trim()
    .replace(/^models\//i, "")
    .replace(/:[^/:]*$/, "")
    .toLowerCase();
}

/**
 * Whether `listed` names `model`: the same name after `baseName`, or a wildcard route that takes it
 * (LiteLLM lists `anthropic/*` for every model under that prefix, and `*` for any).
 */
export function modelIsListed(model: string, listed: readonly string[]): boolean {
  const wanted = baseName(model);
  const exact = model.trim().toLowerCase();
  return listed.some((id) => {
    if (id.length > MAX_LISTED_ID_CHARS) return false;
    const lower = id.trim().toLowerCase();
    if (lower === exact) return true;
    if (lower.includes("*")) return wildcardMatches(lower, exact) || wildcardMatches(lower, wanted);
    return baseName(id) === wanted;
  });
}

/** Longer ids are no model's name: a list's id past this is ignored (the endpoint's answer is untrusted). */
const MAX_LISTED_ID_CHARS = 200;

/**
 * Whether `name` is what `pattern` says, each `*` standing for any text (none included), matched
 * without a regular expression: the pieces between the stars are found in order, the first at the
 * start, the last at the end, each as early as it fits. Linear in the two lengths whatever the
 * stars, where the regular expression `.*` made of them backtracks exponentially (`*a*a…*a!`).
 */
function wildcardMatches(pattern: string, name: string): boolean {
  const pieces = pattern.split("*");
  const first = pieces[0]!;
  const last = pieces.at(-1)!;
  if (pieces.length === 1) return pattern === name;
  if (first.length + last.length > name.length || !name.startsWith(first) || !name.endsWith(last)) return false;
  let at = first.length;
  const end = name.length - last.length;
  for (const piece of pieces.slice(1, -1)) {
    const found = name.indexOf(piece, at);
    if (found < 0 || found + piece.length > end) return false;
    at = found + piece.length;
  }
  return true;
}

/**
 * Hosts whose model list is the set of names their chat accepts: OpenAI's and DeepSeek's own.
 * Elsewhere the list is a hint at most (deployment names on Azure, routing suffixes on OpenRouter,
 * wildcards on LiteLLM, paginated lists), so a model it lacks is a warning, never a stop.
 */
const AUTHORITATIVE_HOSTS: ReadonlySet<string> = new Set(["api.openai.com", "api.deepseek.com"]);

/** Whether the model list of the endpoint at `baseUrl` (undefined: OpenAI's) is authoritative. */
export function authoritativeModelList(baseUrl: string | undefined): boolean {
  if (baseUrl === undefined) return true;
  return URL.canParse(baseUrl) && AUTHORITATIVE_HOSTS.has(new URL(baseUrl).hostname.toLowerCase());
}

/**
 * Whether the endpoint at `baseUrl` is on this machine (localhost, a loopback address): a local
 * server (Ollama, vLLM, LiteLLM) ignores the key, so any dummy value is fine there.
 */
export function isLocalEndpoint(baseUrl: string | undefined): boolean {
  if (baseUrl === undefined || !URL.canParse(baseUrl)) return false;
  const host = new URL(baseUrl).hostname.toLowerCase().replace(/^\[|\]$/g, "");
  return (
    host === "localhost" ||
    host.endsWith(".localhost") ||
    /^127(?:\.\d{1,3}){3}$/.test(host) ||
    host === "::1" ||
    host === "0:0:0:0:0:0:0:1" ||
    host === "0.0.0.0"
  );
}
