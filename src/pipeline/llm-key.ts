/**
 * The one home of "does this run use the LLM, and has it its key?": `judgeMode` decides from the
 * config and the key found, and `checkLlmKey` stops a command that would call the LLM before it
 * fetches anything when provider "openai" has no key. Light on purpose: every run loads it, an
 * empty day included, so it imports no stage.
 */
import { EnvError } from "../config/parse.js";
import type { Config } from "../config/schema.js";
import type { Workspace } from "../workspace/load.js";

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
  constructor(keyEnv: string) {
    super(
      `llm.provider is "openai" but ${keyEnv} (llm.apiKeyEnv) is not set; put the key in the workspace's .env or the environment (a repository secret on GitHub Actions), or set llm.provider to "auto" to score offline without one.`,
    );
  }
}

/**
 * Stops a command that would call the LLM (run, backfill, eval) before it fetches or writes
 * anything when provider "openai" has no key (MissingKeyError, exit 2). "auto" without a key
 * scores offline, as documented, and "offline" needs none.
 */
export function checkLlmKey(ws: Workspace): void {
  const llm = ws.config.llm;
  if (judgeMode(llm, apiKeyOf(llm, ws.env)) === "missing-key") throw new MissingKeyError(llm.apiKeyEnv);
}
