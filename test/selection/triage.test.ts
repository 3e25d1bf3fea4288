import { describe, expect, it } from "vitest";
import { LlmCallError } from "../../src/llm/errors.js";
import { triagePrefix } from "../../src/selection/prompt.js";
import { triageTitles } from "../../src/selection/triage.js";
import { scriptedChatClient } from "../helpers/chat-client.js";
import { defaultPrompts, testConfig } from "../helpers/config.js";
import { titleIndex, titlesIn } from "../helpers/openai-server.js";
import { dayCandidates } from "../helpers/reference.js";

const papers = dayCandidates("2026-02-13").slice(0, 10);
const prefix = triagePrefix(defaultPrompts(), testConfig().topics);
const idOf = titleIndex(papers);

describe("triageTitles", () => {
  it("sorts titles by the answer's line numbers, each batch numbered from 1, titles only", async () => {
    const onTopic = new Set([papers[0]!.id, papers[7]!.id]);
    const maybe = new Set([papers[3]!.id]);
    const c = scriptedChatClient((_ids, _n, request) => {
      const ids = titlesIn({ model: request.model, messages: request.messages }).map((t) => idOf.get(t)!);
      const lines = (set: Set<string>) => ids.flatMap((id, i) => (set.has(id) ? [i + 1] : []));
      return JSON.stringify({ on_topic: lines(onTopic), maybe: lines(maybe) });
    });
    const result = await triageTitles(papers, { client: c, model: "gpt-5-nano", prefix, batchTokens: 60 });
    expect(c.requests.length).toBeGreaterThan(1);
    expect(c.requests.every((r) => r.stage === "triage" && r.model === "gpt-5-nano")).toBe(true);
    const user = c.requests[1]!.messages[1]!.content;
    expect(user).toMatch(/## Titles\n\n1\. \S/);
    expect(user).not.toContain("Abstract:");
    expect(user).not.toContain("ID:");
    expect(result.problems).toEqual([]);
    for (const p of papers) {
      const expected = onTopic.has(p.id) ? "on-topic" : maybe.has(p.id) ? "maybe" : "outside";
      expect(result.verdicts.get(p.id)).toBe(expected);
    }
  });

  it("leaves a batch undecided when the answer has no lists or the call fails, saying so", async () => {
    const wrongShape = scriptedChatClient(() => JSON.stringify({ papers: [{ id: papers[0]!.id, keep: false }] }));
    const unusable = await triageTitles(papers, { client: wrongShape, model: "m", prefix, batchTokens: 100_000 });
    expect([...unusable.verdicts.values()]).toEqual(Array(10).fill("undecided"));
    expect(unusable.problems).toEqual([
      '10 titles had no usable verdict: the reply held no on_topic or maybe list (it began: "{"papers":[{"id":"' +
        `${papers[0]!.id}","keep":false}]}")`,
    ]);

    const failing = scriptedChatClient(() => {
      throw new LlmCallError("the endpoint answered HTTP 503");
    });
    const failed = await triageTitles(papers, { client: failing, model: "m", prefix, batchTokens: 100_000 });
    expect([...failed.verdicts.values()]).toEqual(Array(10).fill("undecided"));
    expect(failed.problems).toEqual(["10 titles went unscreened: the endpoint answered HTTP 503"]);
  });

  it("reports numbers outside the batch and still uses the rest of the answer", async () => {
    const c = scriptedChatClient(() => JSON.stringify({ on_topic: [1, 42], maybe: [] }));
    const result = await triageTitles(papers, { client: c, model: "m", prefix, batchTokens: 100_000 });
    expect(result.verdicts.get(papers[0]!.id)).toBe("on-topic");
    expect(result.verdicts.get(papers[1]!.id)).toBe("outside");
    expect(result.problems).toEqual(["on_topic named 42, not a line number from 1 to 10; ignored"]);
  });
});
