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
  /** The config demands the LLM but no key is set: papers stay unscored, with the reason. */
  | { kind: "missing-key"; keyEnv: string }
  | { kind: "llm"; client: ChatClient; meter: UsageMeter; cacheProblems: () => string[] };

export type JudgeMode = Judge["kind"];

/** The one place that decides whether a run uses the LLM, given the config and the key found. */
export function judgeMode(llm: Config["llm"], apiKey: string | null): JudgeMode {
  if (llm.provider === "offline") return "offline";
  if (apiKey) return "llm";
  return llm.provider === "auto" ? "offline" : "missing-key";
}
