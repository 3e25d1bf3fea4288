/**
 * The one home of "does this run use the LLM, and has it its key?": `judgeMode` decides from the
 * config and the key found, and `checkLlmKey` stops a command that would call the LLM before it
 * fetches anything when provider "openai" has no key; `unlistedModel` is the one sentence for a
 * model the endpoint does not list, and whether it stops a command (`doctor` fails or warns on it,
 * `run` and `backfill` stop or warn before their first paid call: `modelCheck`). Light on purpose: every run loads it, an
 * empty day included, so it imports no stage (the secrets the config names come from
 * workspace/workflow-secrets.ts, a small module of names).
 */
import { join } from "node:path";
import { EnvError } from "../config/parse.js";
import type { Config } from "../config/schema.js";
import { editDistance } from "../config/suggest.js";
import { WORKSPACE_ENTRIES } from "../io/paths.js";
import type { KeyCheckMemo, ModelCheck } from "../llm/client.js";
import { authoritativeModelList, type ModelList, modelIsListed } from "../llm/models.js";
import type { Workspace } from "../workspace/load.js";
import { secretsOf } from "../workspace/workflow-secrets.js";
import { placeholderProblem } from "./sent-secrets.js";

/** How a run would judge the papers no followed author settles. */
export type JudgeMode = "llm" | "offline" | "missing-key";

/** The LLM key the config names (llm.apiKeyEnv), trimmed; null when unset or blank. */
export function apiKeyOf(llm: Config["llm"], env: Readonly<Record<string, string | undefined>>): string | null {
  return env[llm.apiKeyEnv]?.trim() || null;
}

/**
 * The one place that decides whether a run uses the LLM, given the config and the key found:
 * "offline" when the config says so or ("auto") no key is set; "missing-key" when provider
 * "openai" has none, which is an environment mistake, never a way to judge.
 */
export function judgeMode(llm: Config["llm"], apiKey: string | null): JudgeMode {
  if (llm.provider === "offline") return "offline";
  if (apiKey) return "llm";
  return llm.provider === "auto" ? "offline" : "missing-key";
}

/** llm.provider is "openai" and its key is not set: an environment mistake (exit 2), not a way to judge. */
export class MissingKeyError extends EnvError {
  override name = "MissingKeyError";
  /** `lookAlike`: the clause naming a variable that looks like the key under another name (`keyLookAlike`). */
  constructor(keyEnv: string, lookAlike: string | null = null) {
    super(
      lookAlike === null
        ? `llm.provider is "openai" but ${keyEnv} (llm.apiKeyEnv) is not set; put the key in the workspace's .env or the environment (a repository secret on GitHub Actions), or set llm.provider to "auto" to score offline without one.`
        : `llm.provider is "openai" but ${keyEnv} (llm.apiKeyEnv) is not set, while ${lookAlike}; rename it to ${keyEnv}, or set llm.apiKeyEnv to its name.`,
    );
  }
}

/**
 * The endpoint refused the key (HTTP 401, on the free key check or a chat call) or its permission
 * (403 on a chat call): every call would be refused, so the command stops (exit 2). `run` and
 * `backfill` neither archive nor deliver the day; a reader sees nothing of it until the re-run with
 * a key that works, which is then its first delivery. `eval` reports no figures, since the day it
 * stopped at was not replayed (the answers it got before stay in the response cache). The
 * endpoint's own words are left out: providers echo the key in them, whole or masked.
 */
export class KeyRefusedError extends EnvError {
  override name = "KeyRefusedError";
  /** `command`: "run" for `run` and `backfill` (the day is not kept), "eval" for `eval` (no figures). */
  constructor(
    keyEnv: string,
    refused: { status: 401 | 403; where: string },
    date: string,
    command: "run" | "eval" = "run",
  ) {
    const stopped =
      command === "run"
        ? `${date} was neither archived nor delivered`
        : `eval stopped at ${date} and reported no figures (the answers already received stay cached)`;
    super(
      refused.status === 401
        ? `${refused.where} refused the key in ${keyEnv} (llm.apiKeyEnv) with HTTP 401, so ${stopped}; put a valid key for this endpoint in ${keyEnv} (the workspace's .env or the environment, a repository secret on GitHub Actions), or point llm.baseUrl / OPENAI_BASE_URL at the endpoint it belongs to, then run again.`
        : `${refused.where} refused the key in ${keyEnv} (llm.apiKeyEnv) permission to chat with HTTP 403, so ${stopped}; give the key's project access to that model, or set llm.model to one it may use, then run again.`,
    );
  }
}

/** What an OpenAI-style secret key looks like (`sk-…`, `sk-proj-…`). */
const OPENAI_KEY_VALUE = /^sk-[A-Za-z0-9_-]{20,}$/;

/**
 * The variables that look like the LLM key under another name, the workspace's `.env` first: when
 * the run would use the LLM (provider not "offline") and llm.apiKeyEnv is empty, a variable whose
 * name has KEY or TOKEN in it with OPENAI or LLM (`OPENAI_KEY`). In the workspace's `.env`, which
 * holds this tool's secrets, also a name with API (`MY_API_KEY`) or a value shaped like an OpenAI
 * key (`sk-…`); a shell holds many such (`HOMEBREW_GITHUB_API_TOKEN`, another provider's `sk-…`).
 * The variables the config reads for anything else (workflow-secrets.ts) never count. Names only:
 * a value is never shown.
 */
export function lookAlikeKeys(
  ws: Pick<Workspace, "config" | "env" | "dotenvNames">,
): { name: string; inDotenv: boolean }[] {
  const llm = ws.config.llm;
  if (llm.provider === "offline" || apiKeyOf(llm, ws.env) !== null) return [];
  const own = new Set(secretsOf(ws.config, true).map((s) => s.name));
  const inDotenv = (name: string) => ws.dotenvNames?.has(name) === true;
  return Object.entries(ws.env)
    .filter(([name, value]) => {
      const text = value?.trim();
      if (!text || own.has(name)) return false;
      const upper = name.toUpperCase();
      if (/KEY|TOKEN/.test(upper) && /OPENAI|LLM/.test(upper)) return true;
      return inDotenv(name) && ((/KEY|TOKEN/.test(upper) && upper.includes("API")) || OPENAI_KEY_VALUE.test(text));
    })
    .map(([name]) => ({ name, inDotenv: inDotenv(name) }))
    .sort((a, b) => Number(b.inDotenv) - Number(a.inDotenv) || a.name.localeCompare(b.name));
}

/** The clause naming the variables `lookAlikeKeys` finds ("OPENAI_KEY (set in …/.env) looks like an LLM key"), or null. */
export function keyLookAlike(ws: Pick<Workspace, "config" | "env" | "dir" | "dotenvNames">): string | null {
  const found = lookAlikeKeys(ws);
  if (found.length === 0) return null;
  const named = found.map(
    ({ name, inDotenv }) =>
      `${name} (${inDotenv ? `set in ${join(ws.dir, WORKSPACE_ENTRIES.env)}` : "set in the environment"})`,
  );
  const list = named.length === 1 ? named[0]! : `${named.slice(0, -1).join(", ")} and ${named.at(-1)}`;
  return `${list} ${found.length === 1 ? "looks" : "look"} like an LLM key`;
}

/**
 * Provider "auto" without its key scores offline, as documented; but a variable that looks like
 * the key set under another name is most likely a mistake: the sentence saying so (doctor fails on
 * one in the workspace's `.env` and warns of one in the environment; `run` and `backfill` warn), or null.
 */
export function lookAlikeProblem(ws: Workspace): string | null {
  const llm = ws.config.llm;
  if (llm.provider !== "auto") return null;
  const lookAlike = keyLookAlike(ws);
  return lookAlike === null
    ? null
    : `${llm.apiKeyEnv} (llm.apiKeyEnv) is not set, so papers are scored by the offline lexical scorer, but ${lookAlike}; rename it to ${llm.apiKeyEnv}, or set llm.apiKeyEnv to its name.`;
}

/**
 * Stops a command that would call the LLM (run, backfill, eval) before it fetches or writes
 * anything when provider "openai" has no key (MissingKeyError, exit 2, naming a variable that looks
 * like the key under another name). "auto" without a key scores offline, as documented, and
 * "offline" needs none; but "auto" with such a variable is told to `warn`, when given.
 */
export function checkLlmKey(ws: Workspace, warn?: (message: string) => void): void {
  const llm = ws.config.llm;
  const key = apiKeyOf(llm, ws.env);
  const mode = judgeMode(llm, key);
  if (mode === "missing-key") throw new MissingKeyError(llm.apiKeyEnv, keyLookAlike(ws));
  const placeholder = mode === "llm" && key !== null ? placeholderKeyProblem(ws) : null;
  if (placeholder !== null) throw new EnvError(placeholder);
  const lookAlike = warn === undefined ? null : lookAlikeProblem(ws);
  if (lookAlike !== null) warn?.(lookAlike);
}

/**
 * The LLM key left as an unmistakable placeholder (`<your key>`, `sk-...`; config/parse.ts
 * `placeholderKind`) while the key would go to an endpoint off this machine, which would refuse it:
 * the sentence (the value never quoted but README's own placeholder), or null. A local server
 * (Ollama, vLLM, LiteLLM on localhost) ignores the key, so any dummy that fits in a header is fine there.
 */
export function placeholderKeyProblem(
  ws: Pick<Workspace, "config" | "env" | "dir" | "dotenvNames" | "dotenvLine">,
): string | null {
  const llm = ws.config.llm;
  return placeholderProblem(ws, { name: llm.apiKeyEnv, to: llm.baseUrl });
}

/** The endpoint the LLM calls go to, as messages name it: llm.baseUrl (or OPENAI_BASE_URL), else OpenAI's. */
export function llmEndpointBase(llm: Config["llm"]): string {
  return (llm.baseUrl ?? "https://api.openai.com/v1").replace(/\/$/, "");
}

/**
 * Up to three listed models nearest to `model`: within a third of its length in edit distance, or
 * the start of it (`gpt-4o` for `gpt-4o-typo`) or it the start of them; nearest first. Named as
 * chat takes them (Gemini lists `models/…`); a wildcard route is no name to suggest.
 */
function closeModels(model: string, listed: readonly string[]): string[] {
  const limit = Math.max(2, Math.floor(model.length / 3));
  const wanted = model.toLowerCase();
  const names = [...new Set(listed.filter((id) => !id.includes("*")).map((id) => id.replace(/^models\//i, "")))];
  return names
    .map((id) => ({ id, lower: id.toLowerCase(), d: editDistance(wanted, id.toLowerCase()) }))
    .filter((m) => m.d <= limit || wanted.startsWith(m.lower) || m.lower.startsWith(wanted))
    .sort((a, b) => a.d - b.d || a.id.localeCompare(b.id))
    .slice(0, 3)
    .map((m) => m.id);
}

/**
 * The title triage's own model: llm.triage.model when the triage runs and it names another model
 * than llm.model (else the triage asks llm.model, checked as such); null otherwise.
 */
export function triageModelOf(llm: Config["llm"]): string | null {
  const model = llm.triage.model?.trim();
  return llm.triage.enabled && model && model !== llm.model ? model : null;
}

/**
 * The one sentence for a model the command would ask that is missing from the models the endpoint
 * lists, and whether that stops a command; null when the list names it (by `modelIsListed`: a
 * `:suffix`, a `models/` prefix, a wildcard route), names nothing, or is only a page of a longer
 * list. `which` is llm.model (or ARXIV_DIGEST_MODEL, which overrides it) or the title triage's
 * llm.triage.model (`triageModelOf`), and the sentence names that key. Only an authoritative list
 * (OpenAI's, DeepSeek's own hosts) `stops`: elsewhere the list may leave out names chat takes
 * (Azure's deployments, OpenRouter's routing suffixes), so the sentence says the command goes on.
 * `stopped`, when given, says what a stopped command kept ("nothing was written").
 */
export function unlistedModel(
  ws: Pick<Workspace, "config" | "env">,
  list: ModelList | null,
  stopped?: string,
  which: "model" | "triage" = "model",
): { sentence: string; stops: boolean } | null {
  const model = which === "model" ? ws.config.llm.model : triageModelOf(ws.config.llm);
  if (model === null) return null;
  if (list === null || !list.complete || list.ids.length === 0 || modelIsListed(model, list.ids)) return null;
  const stops = authoritativeModelList(ws.config.llm.baseUrl);
  const from =
    which === "triage" ? "llm.triage.model" : ws.env.ARXIV_DIGEST_MODEL?.trim() ? "ARXIV_DIGEST_MODEL" : "llm.model";
  const near = closeModels(model, list.ids);
  const guess = near.length > 0 ? ` (did you mean ${near.join(" or ")}?)` : "";
  const after = stops
    ? stopped === undefined
      ? ""
      : `; ${stopped}`
    : ", unless this endpoint takes names its list leaves out (its list is not the set of names its chat accepts, so the command goes on)";
  return {
    sentence: `${llmEndpointBase(ws.config.llm)} does not list ${model} (${from}); set ${from} to one it lists${guess}${after}.`,
    stops,
  };
}

/** `unlistedModel` for every model the command would ask: llm.model, then the triage's own, when it has one. */
export function unlistedModels(
  ws: Pick<Workspace, "config" | "env">,
  list: ModelList | null,
  stopped?: string,
): { sentence: string; stops: boolean }[] {
  return (["model", "triage"] as const)
    .map((which) => unlistedModel(ws, list, stopped, which))
    .filter((found) => found !== null);
}

/** The endpoint's authoritative list lacks llm.model: a settings mistake (exit 2), found before any paid call. */
export class UnlistedModelError extends EnvError {
  override name = "UnlistedModelError";
}

/** Per command (its PipelineContext): the one answer of the endpoint's `/models`, and the warnings already said. */
const commandChecks = new WeakMap<object, { memo: KeyCheckMemo; warned: Set<string> }>();

/**
 * The chat client's check of the models the command asks (llm.model, and llm.triage.model when the
 * triage has its own) against the endpoint's list, for one command (`command`, its context: a
 * backfill builds a client a day, and they share one `GET /models` and each warning). The client
 * runs it once before its first paid call, so a fully cached re-run, or a day no paper reaches the
 * LLM, asks nothing. An authoritative list that lacks either model stops every call
 * (`UnlistedModelError`, exit 2, nothing billed, `stopped` saying what was kept); any other list
 * that lacks one is a warning, said once per command through `warn`, and the run goes on.
 * `redact` is applied to both (the endpoint's address may carry a credential).
 */
export function modelCheck(
  command: object,
  ws: Pick<Workspace, "config" | "env">,
  opts: { warn: (message: string) => void; stopped: string; redact: (text: string) => string },
): ModelCheck {
  let state = commandChecks.get(command);
  if (state === undefined) {
    state = { memo: new Map(), warned: new Set() };
    commandChecks.set(command, state);
  }
  const shared = state;
  return {
    memo: shared.memo,
    check(list) {
      const found = unlistedModels(ws, list, opts.stopped);
      const stop = found.find((f) => f.stops);
      if (stop !== undefined) return new UnlistedModelError(opts.redact(stop.sentence));
      for (const { sentence } of found) {
        if (!shared.warned.has(sentence)) opts.warn(opts.redact(sentence));
        shared.warned.add(sentence);
      }
      return null;
    },
  };
}
