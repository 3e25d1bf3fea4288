import { describe, expect, it } from "vitest";
import { LlmCallError } from "../../src/llm/errors.js";
import { triagePrefix } from "../../src/selection/prompt.js";
import { triageTitles } from "../../src/selection/triage.js";
import { scriptedChatClient } from "../helpers/chat-client.js";
import { defaultPrompts, testConfig } from "../helpers/config.js";
import { dayCandidates } from "../helpers/reference.js";

const papers = dayCandidates("2026-02-13").slice(0, 10);
const prefix = triagePrefix(defaultPrompts(), testConfig().topics);

describe("triageTitles", () => {
  it("drops only the titles answered keep:false, sending titles without abstracts", async () => {
    const drop = new Set([papers[1]!.id, papers[4]!.id]);
    const c = scriptedChatClient((ids) => JSON.stringify({ papers: ids.map((id) => ({ id, keep: !drop.has(id) })) }));
    const result = await triageTitles(papers, { client: c, model: "gpt-5-nano", prefix, batchTokens: 200 });
    expect(result.dropped).toEqual(drop);
    expect(result.problems).toEqual([]);
    expect(c.requests.length).toBeGreaterThan(1);
    expect(c.requests.every((r) => r.stage === "triage" && r.model === "gpt-5-nano")).toBe(true);
    expect(c.requests[0]!.messages[1]!.content).not.toContain("Abstract:");
  });

  it("keeps titles without a verdict and papers of failed calls, saying so", async () => {
    const answered = scriptedChatClient((ids) => JSON.stringify({ papers: [{ id: ids[0], keep: false }] }));
    const partial = await triageTitles(papers, { client: answered, model: "m", prefix, batchTokens: 100_000 });
    expect(partial.dropped).toEqual(new Set([papers[0]!.id]));
    expect(partial.problems).toEqual(["9 of 10 titles had no verdict and were kept"]);

    const failing = scriptedChatClient(() => {
      throw new LlmCallError("the endpoint answered HTTP 503");
    });
    const failed = await triageTitles(papers, { client: failing, model: "m", prefix, batchTokens: 100_000 });
    expect(failed.dropped.size).toBe(0);
    expect(failed.problems).toEqual(["10 titles were kept unscreened: the endpoint answered HTTP 503"]);
  });
});
