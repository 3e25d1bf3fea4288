/**
 * The optional title triage: a cheap first pass over titles alone that sets aside only the
 * papers clearly outside every topic. Whenever the triage cannot decide (a failed call, an
 * answer that skips a title, a spent budget) the paper is kept and goes on to full scoring.
 */

import type { ChatClient } from "../llm/client.js";
import { BudgetReachedError, LlmCallError, LlmFatalError } from "../llm/errors.js";
import { parseTriageReply } from "../llm/parse.js";
import type { Candidate } from "../model/candidate.js";
import { answerSchema, type PromptPrefix, paperBlocks, renderTitle } from "./prompt.js";

export interface TriageOptions {
  client: ChatClient;
  model: string;
  prefix: PromptPrefix;
  batchTokens: number;
}

export interface TriageResult {
  /** Ids the triage dropped. */
  dropped: Set<string>;
  /** What went wrong, one line per failed call; affected papers were kept. */
  problems: string[];
}

const ANSWER_TOKENS_PER_TITLE = 15;

const TRIAGE_SCHEMA = answerSchema("title_triage", { id: { type: "string" }, keep: { type: "boolean" } });

export async function triageTitles(candidates: readonly Candidate[], options: TriageOptions): Promise<TriageResult> {
  const { client, model } = options;
  const titles = paperBlocks(candidates, options.prefix, renderTitle);
  const dropped = new Set<string>();
  const problems: string[] = [];

  await Promise.all(
    titles.batches(options.batchTokens).map(async (batch) => {
      const ids = batch.map((c) => c.id);
      try {
        const reply = await client.complete({
          stage: "triage",
          model,
          messages: titles.messages(ids),
          schema: TRIAGE_SCHEMA,
          estimatedTokens: titles.estimateTokens(ids, ANSWER_TOKENS_PER_TITLE),
          maxCompletionTokens: 100 + 20 * ids.length,
          usable: (content, finish) => finish !== "length" && parseTriageReply(content, ids).items.length > 0,
        });
        const parsed = parseTriageReply(reply.content, ids);
        for (const item of parsed.items) if (!item.keep) dropped.add(item.id);
        const unanswered = ids.length - parsed.items.length;
        if (unanswered > 0) problems.push(`${unanswered} of ${ids.length} titles had no verdict and were kept`);
      } catch (err) {
        if (!(err instanceof LlmCallError || err instanceof LlmFatalError || err instanceof BudgetReachedError)) {
          throw err;
        }
        problems.push(`${ids.length} titles were kept unscreened: ${err.message}`);
      }
    }),
  );
  return { dropped, problems };
}
