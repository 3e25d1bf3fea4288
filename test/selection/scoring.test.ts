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

  it("gives up a paper the answers included with a problem, naming the problem, not 'never included'", async () => {
    const bad = papers[2]!.id;
    const client = scriptedChatClient((ids, n) =>
      JSON.stringify({
        papers: ids.flatMap((id): { id: string; relevance: number | null; novelty: number }[] => {
          if (id !== bad) return [{ id, relevance: 8, novelty: 5 }];
          // The first answer names the paper with no relevance, the second a -1, the last leaves it out.
          if (n === 0) return [{ id: `arXiv:${id}v2`, relevance: null, novelty: 5 }];
          return n === 1 ? [{ id, relevance: -1, novelty: 5 }] : [];
        }),
      }),
    );
    const outcomes = await run(client);
    expect(client.calls.map((c) => c.length)).toEqual([8, 1, 1]);
    expect(outcomes.get(bad)).toEqual({
      kind: "unscored",
      reason:
        "no valid answer after 3 attempts: relevance is missing or not a number; relevance -1 is outside 1-10; " +
        "the reply's JSON listed no papers",
    });
  });

  it("keeps what was wrong with an earlier answer in the note of a paper scored when asked again", async () => {
    const client = scriptedChatClient((ids, n) =>
      JSON.stringify({ papers: ids.map((id, i) => ({ id, relevance: n === 0 && i === 0 ? 11 : 8, novelty: 5 })) }),
    );
    const outcomes = await run(client);
    expect(client.calls.map((c) => c.length)).toEqual([8, 1]);
    expect(outcomes.get(papers[0]!.id)).toMatchObject({
      kind: "scored",
      item: { relevance: 8 },
      note: "an earlier answer about it was not usable (relevance 11 is outside 1-10); it was asked again",
    });
    expect(outcomes.get(papers[1]!.id)).not.toHaveProperty("note");
  });

  it("asks again about every paper of an answer on a 0-1 scale", async () => {
    const client = scriptedChatClient((ids, n) =>
      n === 0 ? JSON.stringify({ papers: ids.map((id) => ({ id, relevance: 0.9, novelty: 1 })) }) : answerAll(ids),
    );
    const outcomes = await run(client);
    expect(client.calls.map((c) => c.length)).toEqual([8, 4, 4]);
    expect(outcomes.get(papers[0]!.id)).toMatchObject({
      kind: "scored",
      item: { relevance: 8 },
      note: "an earlier answer about it was not usable (relevance 0.9 and novelty 1 are on a 0-1 scale, as is the whole answer, not 1-10); it was asked again",
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
