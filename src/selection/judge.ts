/**
 * Who judges the papers that no followed author settles. The pipeline builds the judge (it owns
 * the environment, the cache folder, the clock and the network) and hands it to selection, so
 * selection itself reads no environment and makes no client of its own.
 */
import type { Config } from "../config/schema.js";
import type { ChatClient } from "../llm/client.js";
import type { UsageMeter } from "../llm/usage.js";

export type Judge =
  /** The offline lexical scorer; `why` says whether the config asked for it or no key was set. */
  | { kind: "offline"; why: "configured" | "no-key"; keyEnv: string }
  | { kind: "llm"; client: ChatClient; meter: UsageMeter; cacheProblems: () => string[] };

/**
 * How a run would judge: a judge's kind, or "missing-key" when the config demands the LLM
 * (provider "openai") and no key is set, which is an environment mistake: no judge is made and
 * every command that would call the LLM stops before fetching anything (pipeline/context.ts).
 */
export type JudgeMode = Judge["kind"] | "missing-key";

/** The one place that decides whether a run uses the LLM, given the config and the key found. */
export function judgeMode(llm: Config["llm"], apiKey: string | null): JudgeMode {
  if (llm.provider === "offline") return "offline";
  if (apiKey) return "llm";
  return llm.provider === "auto" ? "offline" : "missing-key";
}
