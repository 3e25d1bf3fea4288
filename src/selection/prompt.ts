/**
 * Builds the messages sent to the LLM. Everything that does not change between calls and days
 * (the role, the criteria, the topics) comes first and byte-identical, and the batch's papers
 * come last, so providers' prompt caching bills the long prefix at the cached rate.
 */

import type { Topic } from "../config/schema.js";
import { batchByTokens, tokensOf } from "../llm/batch.js";
import type { ChatMessage } from "../llm/client.js";
import type { Candidate } from "../model/candidate.js";

export interface PromptTexts {
  system: string;
  criteria: string;
  triage: string;
}

/** A prompt before papers are added: the stable part of every call of one stage. */
export interface PromptPrefix {
  system: string;
  /** The user message up to (and including) the heading the papers follow. */
  userPrefix: string;
}

/** Stands in for the papers when the prompt is recorded in the DayRecord. */
export const PAPERS_PLACEHOLDER = "[the batch's papers follow here, one block per paper: ID, Title, Authors, Abstract]";

/** Long author lists say little about relevance and cost many tokens. */
const MAX_AUTHORS = 12;

function renderTopic(topic: Topic): string {
  const lines = [`### ${topic.id}: ${topic.title}`, topic.description.trim()];
  if (topic.include.length > 0) lines.push(`Signals: ${topic.include.join("; ")}`);
  if (topic.exclude.length > 0) lines.push(`Not wanted: ${topic.exclude.join("; ")}`);
  return lines.join("\n");
}

function withTopics(instructions: string, topics: readonly Topic[], papersHeading: string): string {
  return [
    instructions.trim(),
    "## The reader's topics",
    topics.map(renderTopic).join("\n\n"),
    `## ${papersHeading}`,
    "",
  ].join("\n\n");
}

export function scoringPrefix(texts: PromptTexts, topics: readonly Topic[]): PromptPrefix {
  return { system: texts.system.trim(), userPrefix: withTopics(texts.criteria, topics, "Papers") };
}

export function triagePrefix(texts: PromptTexts, topics: readonly Topic[]): PromptPrefix {
  return { system: texts.system.trim(), userPrefix: withTopics(texts.triage, topics, "Titles") };
}

/**
 * arXiv caps abstracts at 1920 characters; anything far longer is not a real abstract and would
 * only crowd the batch, so feed text is cut at these lengths.
 */
const MAX_ABSTRACT_CHARS = 3000;
const MAX_TITLE_CHARS = 400;

function flat(text: string, max: number): string {
  const one = text.replace(/\s+/g, " ").trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/** One paper as the scoring stage shows it; fields are flattened to one line each, so no text can start a block of its own. */
export function renderPaper(c: Candidate): string {
  const names = c.authors.map((a) => a.name);
  const authors =
    names.length > MAX_AUTHORS ? `${names.slice(0, MAX_AUTHORS).join(", ")}, et al.` : names.join(", ") || "unknown";
  return `ID: ${c.id}\nTitle: ${flat(c.title, MAX_TITLE_CHARS)}\nAuthors: ${authors}\nAbstract: ${flat(c.abstract, MAX_ABSTRACT_CHARS)}`;
}

export function renderTitle(c: Candidate): string {
  return `ID: ${c.id}\nTitle: ${flat(c.title, MAX_TITLE_CHARS)}`;
}

/** The paper blocks are separated by a blank line, after the stable prefix. */
export function messagesFor(prefix: PromptPrefix, blocks: readonly string[]): ChatMessage[] {
  return [
    { role: "system", content: prefix.system },
    { role: "user", content: prefix.userPrefix + blocks.join("\n\n") },
  ];
}

/** The prompt as recorded in the DayRecord: exactly what was sent, papers replaced by a placeholder. */
export function recordedPrompt(prefix: PromptPrefix): { system: string; user: string } {
  return { system: prefix.system, user: prefix.userPrefix + PAPERS_PLACEHOLDER };
}

/**
 * The structured-output schema of an answer: `{"papers": [{...}]}` with exactly `properties`
 * per paper, all required, as strict JSON-schema mode demands.
 */
export function answerSchema(
  name: string,
  properties: Record<string, Record<string, unknown>>,
): { name: string; schema: Record<string, unknown> } {
  const strictObject = (props: Record<string, unknown>) => ({
    type: "object",
    additionalProperties: false,
    required: Object.keys(props),
    properties: props,
  });
  return { name, schema: strictObject({ papers: { type: "array", items: strictObject(properties) } }) };
}

/** The papers of one stage rendered once, with what a call needs to size and send a batch. */
export interface PaperBlocks {
  /** Consecutive batches whose paper blocks fit `budget` tokens. */
  batches(budget: number): Candidate[][];
  messages(ids: readonly string[]): ChatMessage[];
  /** Prompt tokens of a call for `ids`, plus `answerTokensEach` per paper for the reply. */
  estimateTokens(ids: readonly string[], answerTokensEach: number): number;
}

export function paperBlocks(
  candidates: readonly Candidate[],
  prefix: PromptPrefix,
  render: (c: Candidate) => string,
): PaperBlocks {
  const blocks = new Map(candidates.map((c) => [c.id, render(c)]));
  const tokens = new Map(candidates.map((c) => [c.id, tokensOf(blocks.get(c.id)!)]));
  const prefixTokens = tokensOf(prefix.system) + tokensOf(prefix.userPrefix);
  return {
    batches: (budget) => batchByTokens(candidates, (c) => tokens.get(c.id)!, budget),
    messages: (ids) =>
      messagesFor(
        prefix,
        ids.map((id) => blocks.get(id)!),
      ),
    estimateTokens: (ids, answerTokensEach) =>
      ids.reduce((sum, id) => sum + tokens.get(id)! + answerTokensEach, prefixTokens),
  };
}
