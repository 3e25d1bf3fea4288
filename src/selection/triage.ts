/**
 * The title triage: a cheap pass over titles alone that sorts them into on topic, maybe and
 * outside, so the abstracts read afterwards are the most promising ones. Titles go one per
 * numbered line (a title is flattened to one line, so it cannot start a line of its own) and the
 * answer names line numbers, a few tokens per title either way. Whenever the triage cannot
 * decide (a failed call, an answer without the lists, a spent budget) the batch's papers are
 * "undecided" and ranked like maybe: nothing is dropped for a failure.
 */

import { plural } from "../format/text.js";
import type { ChatClient } from "../llm/client.js";
import { BudgetReachedError, LlmCallError, LlmFatalError } from "../llm/errors.js";
import { parseTriageReply } from "../llm/parse.js";
import type { Candidate } from "../model/candidate.js";
import { type PromptPrefix, titleLines } from "./prompt.js";

export type TriageVerdict = "on-topic" | "maybe" | "outside" | "undecided";

export interface TriageOptions {
  client: ChatClient;
  model: string;
  prefix: PromptPrefix;
  batchTokens: number;
}

export interface TriageResult {
  verdicts: Map<string, TriageVerdict>;
  /** What went wrong, one line per failed or partly unusable call. */
  problems: string[];
}

/** A line number and a comma in the answer: about two tokens per listed title. */
const ANSWER_TOKENS_PER_TITLE = 3;

const NUMBERS = { type: "array", items: { type: "integer" } };
const TRIAGE_SCHEMA = {
  name: "title_triage",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["on_topic", "maybe"],
    properties: { on_topic: NUMBERS, maybe: NUMBERS },
  },
};

export async function triageTitles(candidates: readonly Candidate[], options: TriageOptions): Promise<TriageResult> {
  const { client, model } = options;
  const titles = titleLines(candidates, options.prefix);
  const verdicts = new Map<string, TriageVerdict>();
  const problems: string[] = [];

  await Promise.all(
    titles.batches(options.batchTokens).map(async (batch) => {
      const ids = batch.map((c) => c.id);
      try {
        const ask = () =>
          client.complete({
            stage: "triage",
            model,
            messages: titles.messages(ids),
            schema: TRIAGE_SCHEMA,
            estimatedTokens: titles.estimateTokens(ids, ANSWER_TOKENS_PER_TITLE),
            maxCompletionTokens: 200 + 4 * ids.length,
            usable: (content, finish) => finish !== "length" && parseTriageReply(content, ids.length).answered,
          });
        let parsed = parseTriageReply((await ask()).content, ids.length);
        // A reply without a verdict (cut off, thinking only, another shape) is asked once more: a model
        // that thought its cap away has more room now (llm/client.ts), and such a reply is never cached.
        if (!parsed.answered) parsed = parseTriageReply((await ask()).content, ids.length);
        ids.forEach((id, i) => {
          const line = i + 1;
          verdicts.set(
            id,
            !parsed.answered
              ? "undecided"
              : parsed.onTopic.has(line)
                ? "on-topic"
                : parsed.maybe.has(line)
                  ? "maybe"
                  : "outside",
          );
        });
        if (!parsed.answered)
          problems.push(`${plural(ids.length, "title")} had no usable verdict: ${parsed.problems[0]}`);
        else if (parsed.problems.length > 0) problems.push(parsed.problems.join("; "));
      } catch (err) {
        if (!(err instanceof LlmCallError || err instanceof LlmFatalError || err instanceof BudgetReachedError)) {
          throw err;
        }
        for (const id of ids) verdicts.set(id, "undecided");
        problems.push(`${plural(ids.length, "title")} went unscreened: ${err.message}`);
      }
    }),
  );
  return { verdicts, problems };
}
