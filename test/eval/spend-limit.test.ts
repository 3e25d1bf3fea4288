/** The limit an evaluation pays up to, the line that says its estimate, and the refusal over it. */
import { describe, expect, it } from "vitest";
import {
  DEFAULT_MAX_USD,
  estimateLine,
  type SpendEstimate,
  spendLimit,
  spendRefusal,
} from "../../src/eval/spend-limit.js";

const estimate = (o: Partial<SpendEstimate>): SpendEstimate => ({
  requests: 130,
  misses: 64,
  promptTokens: 212_000,
  completionTokens: 96_000,
  usd: 0.0894,
  unpriced: [],
  limit: spendLimit(undefined, undefined),
  ...o,
});

describe("spendLimit", () => {
  it("is --max-usd, else the default, and never above llm.budgetUsd", () => {
    expect(spendLimit(undefined, undefined)).toEqual({ usd: DEFAULT_MAX_USD, source: "default" });
    expect(spendLimit(1, undefined)).toEqual({ usd: 1, source: "option" });
    expect(spendLimit(0, 0.5)).toEqual({ usd: 0, source: "option" });
    expect(spendLimit(1, 0.5)).toEqual({ usd: 0.5, source: "budget" });
    expect(spendLimit(undefined, 0.01)).toEqual({ usd: 0.01, source: "budget" });
  });
});

describe("the estimate", () => {
  it("says in one line what will be paid and against what limit", () => {
    expect(estimateLine(estimate({}))).toBe(
      "64 of 130 LLM requests miss the response cache and will be paid for: at most $0.0894 (212,000 prompt tokens, answers counted at their caps, 96,000 tokens); the limit is $0.05 (--max-usd's default).",
    );
    expect(estimateLine(estimate({ misses: 0, promptTokens: 0, completionTokens: 0, usd: 0 }))).toBe(
      "All 130 LLM requests of this evaluation are answered from the response cache: it pays nothing.",
    );
  });

  it("is refused over the limit, naming the estimate and the option; at or under it, or with nothing to pay, it goes on", () => {
    expect(spendRefusal(estimate({}))?.message).toBe(
      "eval would pay up to $0.0894 for 64 LLM requests the response cache cannot answer, more than its limit of $0.05 (--max-usd's default): pass `--max-usd 0.09` to pay it; nothing was sent.",
    );
    expect(spendRefusal(estimate({ usd: 0.05 }))).toBeNull();
    expect(spendRefusal(estimate({ misses: 0, usd: 0, limit: spendLimit(0, undefined) }))).toBeNull();
    expect(spendRefusal(estimate({ usd: 0.0001, limit: spendLimit(0, undefined) }))?.message).toContain(
      "more than its limit of $0 (--max-usd): pass `--max-usd 0.01`",
    );
  });

  it("cannot bound requests to an unpriced model, and says how to price it", () => {
    const e = estimate({ usd: null, unpriced: ["llama3.1:8b"], limit: spendLimit(5, undefined) });
    expect(estimateLine(e)).toContain("an unknown cost (llama3.1:8b has no price)");
    expect(spendRefusal(e)?.message).toBe(
      "eval would send 64 LLM requests the response cache cannot answer to llama3.1:8b, which has no known price, so what they cost cannot be bounded: give its price under llm.prices in the config (0 for a free local model) and run eval again; nothing was sent.",
    );
  });
});
