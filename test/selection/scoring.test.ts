import { describe, expect, it } from "vitest";
import type { ChatClient } from "../../src/llm/client.js";
import { LlmCallError, LlmFatalError } from "../../src/llm/errors.js";
import { scoringPrefix } from "../../src/selection/prompt.js";
import { scoreAbstracts, scoringSchema } from "../../src/selection/scoring.js";
import { scriptedChatClient } from "../helpers/chat-client.js";
import { defaultPrompts, testConfig } from "../helpers/config.js";
import { dayCandidates } from "../helpers/reference.js";

const config = testConfig();
const papers = dayCandidates("2026-02-05").slice(0, 8);

const answerAll = (ids: string[], topic = "efficiency") =>
  JSON.stringify({ papers: ids.map((id) => ({ id, topic, comment: "c", relevance: 8, novelty: 5 })) });

const run = (client: ChatClient, maxAttempts = 3) =>
  scoreAbstracts(papers, {
    client,
    model: "gpt-5",
    prefix: scoringPrefix(defaultPrompts(), config.topics),
    topics: config.topics,
    batchTokens: 100_000,
    maxAttempts,
  });

describe("scoreAbstracts", () => {
  it("scores a batch in one call and keeps only configured topics", async () => {
    const client = scriptedChatClient((ids) => answerAll(ids, "not-a-topic"));
    const outcomes = await run(client);
    expect(client.calls).toHaveLength(1);
    expect([...outcomes.values()].every((o) => o.kind === "scored" && o.item.topic === null)).toBe(true);
    const good = await run(scriptedChatClient((ids) => answerAll(ids)));
    expect(good.get(papers[0]!.id)).toEqual({
      kind: "scored",
      item: { id: papers[0]!.id, topic: "efficiency", comment: "c", relevance: 8, novelty: 5 },
    });
  });

  it("re-asks a failed call in halves and explains the papers it finally gives up", async () => {
    const client = scriptedChatClient((ids) => {
      if (ids.length > 2) throw new LlmCallError("the endpoint answered HTTP 500 (gave up after 5 tries)");
      return answerAll(ids.filter((id) => id !== papers[5]!.id));
    });
    const outcomes = await run(client);
    expect(client.calls.map((c) => c.length)).toEqual([8, 4, 4, 2, 2, 2, 2]);
    expect(outcomes.size).toBe(8);
    expect(outcomes.get(papers[0]!.id)!.kind).toBe("scored");
    expect(outcomes.get(papers[5]!.id)).toEqual({
      kind: "unscored",
      reason: "no valid answer after 3 attempts: the answers never included it",
    });
  });

  it("names the call failure when that is why a paper stayed unscored", async () => {
    const client = scriptedChatClient(() => {
      throw new LlmCallError("could not reach the LLM endpoint");
    });
    const outcomes = await run(client, 2);
    expect(outcomes.get(papers[0]!.id)).toEqual({
      kind: "unscored",
      reason: "no valid answer after 2 attempts: could not reach the LLM endpoint",
    });
  });

  it("stops at a fatal error and leaves every remaining paper unscored with its message", async () => {
    const client = scriptedChatClient(() => {
      throw new LlmFatalError("the key was refused");
    });
    const outcomes = await run(client);
    expect(client.calls).toHaveLength(1);
    expect([...outcomes.values()]).toEqual(Array(8).fill({ kind: "unscored", reason: "the key was refused" }));
  });

  it("asks for the configured topic ids (or none, or null below the cut-off) in the JSON schema", () => {
    const schema = scoringSchema(config.topics).schema as {
      properties: { papers: { items: { properties: Record<string, { type: unknown; enum?: unknown[] }> } } };
    };
    const item = schema.properties.papers.items.properties;
    expect(item.topic!.enum).toEqual(["architecture", "efficiency", "none", null]);
    // Topic and comment are only written for relevant papers: null is a valid answer for both.
    expect(item.topic!.type).toEqual(["string", "null"]);
    expect(item.comment!.type).toEqual(["string", "null"]);
  });
});
