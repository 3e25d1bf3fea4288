/**
 * Who judges the papers that no followed author settles. The pipeline builds the judge (it owns
 * the environment, the cache folder, the clock and the network) and hands it to selection, so
 * selection itself reads no environment and makes no client of its own.
 */
import type { PaperAnswers } from "../llm/answers.js";
import type { ChatClient } from "../llm/client.js";
import type { UsageMeter } from "../llm/usage.js";

export type Judge =
  /** The offline lexical scorer; `why` says whether the config asked for it or no key was set. */
  | { kind: "offline"; why: "configured" | "no-key"; keyEnv: string }
  | {
      kind: "llm";
      client: ChatClient;
      meter: UsageMeter;
      /** Scoring verdicts of single papers from earlier answers; absent, every paper is sent. */
      answers?: PaperAnswers;
      cacheProblems: () => string[];
    };
