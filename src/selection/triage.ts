/**
 * The title triage: a cheap pass over titles alone that sorts them into on topic, maybe and
 * outside, so the abstracts read afterwards are the most promising ones. Titles go one per
 * numbered line (a title is flattened to one line, so it cannot start a line of its own) and the
 * answer names line numbers, a few tokens per title either way. Whenever the triage cannot
 * decide (a failed call, an answer without the lists, a spent budget) the batch's papers are
 * "undecided" and ranked like maybe: nothing is dropped for a failure. Each title's verdict from a
 * paid answer is also kept on its own (llm/answers.ts), so a day batched otherwise next time sends
 * only the titles no earlier answer judged.
 */

import { plural } from "../format/text.js";
import {
  type PaperAnswers,
  resendEstimate,
  type StageRequest,
  shareOf,
  type TitleKey,
  type TitleVerdict,
} from "../llm/answers.js";
import type { ChatClient, ChatRequest } from "../llm/client.js";
import { BudgetReachedError, LlmCallError, LlmFatalError } from "../llm/errors.js";
import { parseTriageReply } from "../llm/parse.js";
import type { Candidate } from "../model/candidate.js";
import { type PromptPrefix, titleLine, titleLines } from "./prompt.js";

export type TriageVerdict = TitleVerdict | "undecided";

export interface TriageOptions {
  client: ChatClient;
  model: string;
  prefix: PromptPrefix;
  batchTokens: number;
  /**
   * Triage verdicts of single titles from earlier answers (llm/answers.ts): the titles of a batch
   * the response cache does not hold are looked up here first, and only the others are sent.
   */
  answers?: PaperAnswers;
}

export interface TriageResult {
  verdicts: Map<string, TriageVerdict>;
  /** What went wrong, one line per failed or partly unusable call. */
  problems: string[];
}

/** A line number and a comma in the answer: about two tokens per listed title. */
const ANSWER_TOKENS_PER_TITLE = 3;

/** The cap on one answer: room for every title to be listed, plus the JSON around them. */
function triageAnswerCap(titles: number): number {
  return 200 + 4 * titles;
}

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
  const { client, model, answers } = options;
  const titles = titleLines(candidates, options.prefix);
  const verdicts = new Map<string, TriageVerdict>();
  const problems: string[] = [];
  const keyOf = (c: Candidate): TitleKey => ({ model, prefix: options.prefix, line: titleLine(c) });

  const requestFor = (ids: readonly string[]): ChatRequest => ({
    stage: "triage",
    model,
    messages: titles.messages(ids),
    schema: TRIAGE_SCHEMA,
    estimatedTokens: titles.estimateTokens(ids, ANSWER_TOKENS_PER_TITLE),
    // As a reused verdict without a share is counted (countReused below): an answer without token counts is.
    usualTokens: resendEstimate({ batches: [ids.map((id) => ({ id }))], sizer: titles }, ANSWER_TOKENS_PER_TITLE)
      .tokens,
    maxCompletionTokens: triageAnswerCap(ids.length),
    usable: (content, finish) => finish !== "length" && parseTriageReply(content, ids.length).answered,
  });

  async function ask(batch: readonly Candidate[]): Promise<void> {
    const ids = batch.map((c) => c.id);
    try {
      let reply = await client.complete(requestFor(ids));
      let parsed = parseTriageReply(reply.content, ids.length);
      /** What the verdicts took: both calls when the first had to be asked again. */
      const paid = { ...reply };
      // A reply without a verdict (cut off, thinking only, another shape) is asked once more: a model
      // that thought its cap away has more room now (llm/client.ts), and such a reply is never cached.
      if (!parsed.answered) {
        reply = await client.complete(requestFor(ids));
        parsed = parseTriageReply(reply.content, ids.length);
        paid.promptTokens += reply.promptTokens;
        paid.cachedPromptTokens += reply.cachedPromptTokens;
        paid.completionTokens += reply.completionTokens;
        if (reply.usageMissing) paid.usageMissing = true;
      }
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
      // A paid answer is kept title by title too, so a day batched otherwise next time does not pay for it again.
      // Only from a whole answer: a line number that names no line may have been meant for a title
      // now counted outside, so such an answer's verdicts stand for this run only.
      if (
        answers &&
        parsed.answered &&
        parsed.problems.length === 0 &&
        !reply.replayed &&
        reply.finishReason !== "length"
      ) {
        // An answer without token counts leaves its verdicts without a share: the reuse estimates it.
        const share = paid.usageMissing ? undefined : shareOf(paid, ids.length);
        await Promise.all(batch.map((c) => answers.putTitle(keyOf(c), verdicts.get(c.id) as TitleVerdict, share)));
      }
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
  }

  const batches = titles.batches(options.batchTokens);
  if (!answers) {
    await Promise.all(batches.map(ask));
    return { verdicts, problems };
  }
  // As the abstract scoring does (scoring.ts): a batch the response cache holds is replayed as it
  // is; the titles of every other batch are looked up one by one, and only those without a stored
  // verdict are batched anew and sent.
  const replayable = await Promise.all(
    batches.map(async (b) => (await client.cached?.(requestFor(b.map((c) => c.id)))) ?? false),
  );
  const lookUp = batches.filter((_, i) => !replayable[i]).flat();
  // The most a stored share can be: a request of this stage as large as its budget allows (at
  // least one token a title), asked twice when the first answer had no verdict.
  const largest = (c: Candidate): StageRequest => ({
    promptTokens: titles.largestCallTokens(c.id, options.batchTokens),
    answerCap: triageAnswerCap(options.batchTokens),
    calls: 2,
  });
  const stored = await Promise.all(lookUp.map((c) => answers.getTitle(keyOf(c), largest(c))));
  lookUp.forEach((c, i) => {
    const found = stored[i];
    if (found) verdicts.set(c.id, found.verdict);
  });
  // What the reused verdicts took when paid, as scoring.ts counts it: their shares, or what
  // sending them would take (their titles as the day would batch them, and the reply's usual
  // length per title) for those without a usable share and for shares that add up to more.
  answers.countReused(
    "triage",
    model,
    lookUp,
    stored,
    (items) => {
      const again = titleLines(items, options.prefix);
      return { batches: again.batches(options.batchTokens), sizer: again };
    },
    ANSWER_TOKENS_PER_TITLE,
  );
  const anew = titleLines(
    lookUp.filter((c) => !verdicts.has(c.id)),
    options.prefix,
  ).batches(options.batchTokens);
  await Promise.all([...batches.filter((_, i) => replayable[i]), ...anew].map(ask));
  return { verdicts, problems };
}
