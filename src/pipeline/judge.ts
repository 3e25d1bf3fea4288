/** Builds the selection judge from the workspace: the LLM client with its cache and meter, or the offline scorer. */
import type { Config } from "../config/schema.js";
import type { Clock } from "../io/clock.js";
import { createPaperAnswers } from "../llm/answers.js";
import type { SpendLedger } from "../llm/budget.js";
import { createResponseCache } from "../llm/cache.js";
import { createChatClient, type ModelCheck } from "../llm/client.js";
import { UsageMeter } from "../llm/usage.js";
import type { Judge } from "../selection/judge.js";
import { type PipelineContext, workspaceRedactor } from "./context.js";
import { apiKeyOf, judgeMode, MissingKeyError, modelCheck } from "./llm-key.js";

export interface JudgeInputs {
  llm: Config["llm"];
  env: Readonly<Record<string, string | undefined>>;
  /** Workspace cache directory (answers go under `llm/`, single papers' verdicts under `llm-papers/`); null disables both. */
  cacheDir: string | null;
  clock: Clock;
  fetchImpl?: typeof fetch;
  /** The command's check of llm.model against the endpoint's list (llm-key.ts `modelCheck`); absent: none. */
  models?: ModelCheck;
  /** The ledger the calls are held against, in place of llm.budgetUsd's own (`eval`: see `ChatClientOptions.ledger`). */
  ledger?: SpendLedger;
}

export function createJudge(inputs: JudgeInputs): Judge {
  const { llm, env } = inputs;
  const apiKey = apiKeyOf(llm, env);
  const mode = judgeMode(llm, apiKey);
  if (mode === "offline") {
    return { kind: "offline", why: llm.provider === "offline" ? "configured" : "no-key", keyEnv: llm.apiKeyEnv };
  }
  // Commands check this before fetching (checkLlmKey); here it guards every other caller.
  if (mode === "missing-key" || apiKey === null) throw new MissingKeyError(llm.apiKeyEnv);
  const cache = createResponseCache(inputs.cacheDir);
  const answers = createPaperAnswers(inputs.cacheDir, llm);
  // The day's usage counts the verdicts reused from earlier answers at what they took when paid.
  const meter = new UsageMeter(llm.prices, () => answers.reusedUsage());
  const client = createChatClient({
    llm,
    baseUrl: llm.baseUrl ?? env.OPENAI_BASE_URL,
    apiKey,
    cache,
    meter,
    clock: inputs.clock,
    fetchImpl: inputs.fetchImpl,
    ...(inputs.models ? { models: inputs.models } : {}),
    ...(inputs.ledger ? { ledger: inputs.ledger } : {}),
  });
  return { kind: "llm", client, meter, answers, cacheProblems: () => [...cache.problems(), ...answers.problems()] };
}

/**
 * The judge a command makes its days with: the workspace's endpoint, key, cache and clock, and the
 * command's one check of the models against the endpoint's list (`modelCheck`: a model an
 * authoritative list lacks stops every call before the first paid one, ending its sentence with
 * `stopped`; another list only warns; one `GET /models` and each warning for the whole command).
 * `llm` and `ledger` stand in for the config's own where the command sets them (`eval`).
 */
export function commandJudge(
  ctx: PipelineContext,
  stopped: string,
  options: { llm?: Config["llm"]; ledger?: SpendLedger } = {},
): Judge {
  const ws = ctx.workspace;
  return createJudge({
    llm: options.llm ?? ws.config.llm,
    ...(options.ledger ? { ledger: options.ledger } : {}),
    env: ws.env,
    cacheDir: ws.cacheDir,
    clock: ctx.clock,
    fetchImpl: ctx.fetchImpl,
    models: modelCheck(ctx, ws, {
      warn: (message) => ctx.log.warn(message),
      stopped,
      redact: workspaceRedactor(ws),
    }),
  });
}
