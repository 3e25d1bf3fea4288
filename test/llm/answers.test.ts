/**
 * What a stored verdict's share of an answer's tokens is held to (src/llm/answers.ts): the largest
 * request of its stage, with the model's reasoning allowance and thinking room; a share beyond it,
 * or a damaged one, is dropped (the verdict itself is kept by the store: see
 * test/selection/answer-reuse.test.ts).
 */
import { describe, expect, it } from "vitest";
import { plausibleShare, type ResendEstimate, type StageRequest, sharesFit } from "../../src/llm/answers.js";
import { mostCompletionTokens } from "../../src/llm/client.js";
import { testConfig } from "../helpers/config.js";

const request: StageRequest = { promptTokens: 7000, answerCap: 2200, calls: 1 };
const share = (promptTokens: number, completionTokens: number, cachedPromptTokens = 0) => ({
  promptTokens,
  cachedPromptTokens,
  completionTokens,
});

describe("a stored share of an answer's tokens", () => {
  const llm = testConfig().llm;

  it("is kept up to what one request of the stage can take, with room for another tokenizer", () => {
    const most = mostCompletionTokens(llm, "gpt-4.1-mini", request.answerCap);
    // The answer cap, and the most thinking room a run learns for a model that thought its cap away.
    expect(most).toBe(2200 + 16_384);
    expect(plausibleShare(llm, "gpt-4.1-mini", request, share(14_000, most, 14_000))).toEqual(
      share(14_000, most, 14_000),
    );
    expect(plausibleShare(llm, "gpt-4.1-mini", request, share(14_001, 10))).toBeNull();
    expect(plausibleShare(llm, "gpt-4.1-mini", request, share(100, most + 1))).toBeNull();
    expect(plausibleShare(llm, "gpt-4.1-mini", request, share(100, 10, 14_001))).toBeNull();
  });

  it("counts a reasoning model's allowance, llm.options.maxTokens, and a stage's second call", () => {
    // gpt-5 reasons at a low effort by default: 2,048 tokens more.
    expect(mostCompletionTokens(llm, "gpt-5", 2200)).toBe(2200 + 16_384 + 2048);
    const capped = testConfig({ llm: { options: { maxTokens: 50_000 } } }).llm;
    expect(mostCompletionTokens(capped, "gpt-4.1-mini", 2200)).toBe(50_000);
    const twice = { ...request, calls: 2 };
    expect(plausibleShare(llm, "gpt-4.1-mini", twice, share(28_000, 10))).not.toBeNull();
    expect(plausibleShare(llm, "gpt-4.1-mini", twice, share(28_001, 10))).toBeNull();
  });

  it("is dropped when damaged: missing counts, negative, not a number, or infinite", () => {
    for (const usage of [
      { promptTokens: 10, completionTokens: 5 },
      share(-1, 5),
      { ...share(10, 5), completionTokens: "5" },
      share(Number.POSITIVE_INFINITY, 5),
      null,
      "lots",
    ]) {
      expect(plausibleShare(llm, "gpt-4.1-mini", request, usage)).toBeNull();
    }
  });
});

describe("the shares a stage reuses in a day, added up", () => {
  const llm = testConfig().llm;
  const estimate: ResendEstimate = { tokens: share(3000, 450), batches: 2 };

  it("are kept up to twice what sending the same verdicts again would take", () => {
    expect(sharesFit(llm, "gpt-4.1-mini", share(6000, 900, 6000), estimate)).toBe(true);
    expect(sharesFit(llm, "gpt-4.1-mini", share(6001, 10), estimate)).toBe(false);
    expect(sharesFit(llm, "gpt-4.1-mini", share(100, 901), estimate)).toBe(false);
    expect(sharesFit(llm, "gpt-4.1-mini", share(100, 10, 6001), estimate)).toBe(false);
  });

  it("leave a reasoning model room to think in each batch, which the estimate's usual answer leaves out", () => {
    // gpt-5 at its default low effort: 2,048 tokens a batch beyond the answer.
    const most = 2 * (450 + 2 * 2048);
    expect(sharesFit(llm, "gpt-5", share(3000, most), estimate)).toBe(true);
    expect(sharesFit(llm, "gpt-5", share(3000, most + 1), estimate)).toBe(false);
  });
});
