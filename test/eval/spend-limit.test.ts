/** The limit an evaluation pays up to, the line that says its estimate, and the refusal over it. */
import { describe, expect, it } from "vitest";
import {
  DEFAULT_MAX_USD,
  estimateLine,
  freeLocalWarning,
  parseMaxUsd,
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
  freeLocal: [],
  limit: spendLimit(undefined),
  ...o,
});

describe("spendLimit", () => {
  it("is --max-usd, else the default (llm.budgetUsd caps each day, not the evaluation)", () => {
    expect(spendLimit(undefined)).toEqual({ usd: DEFAULT_MAX_USD, source: "default" });
    expect(spendLimit(1)).toEqual({ usd: 1, source: "option" });
    expect(spendLimit(0)).toEqual({ usd: 0, source: "option" });
  });
});

describe("parseMaxUsd", () => {
  it("takes plain non-negative decimals, a leading $ allowed", () => {
    expect(parseMaxUsd("0.25")).toBe(0.25);
    expect(parseMaxUsd("2")).toBe(2);
    expect(parseMaxUsd(" $1.5 ")).toBe(1.5);
    expect(parseMaxUsd(".5")).toBe(0.5);
    expect(parseMaxUsd("3.")).toBe(3);
    expect(parseMaxUsd("0")).toBe(0);
  });

  it("refuses what Number() would read as an amount nobody wrote", () => {
    for (const text of ["0x10", "1e3", "-1", "+1", "Infinity", "NaN", "", " ", "1,5", "0b1", "1_000", "lots", "$"])
      expect(parseMaxUsd(text), text).toBeNull();
  });
});

describe("the estimate", () => {
  it("says in one line what will be paid and against what limit", () => {
    expect(estimateLine(estimate({}))).toBe(
      "64 of 130 LLM requests miss the response cache and will be paid for: about $0.0894 (212,000 prompt tokens, each answer counted at its cap, 96,000 tokens; retries are not foreseen, the limit still holds them); the limit is $0.05 (--max-usd's default).",
    );
    expect(estimateLine(estimate({ misses: 0, promptTokens: 0, completionTokens: 0, usd: 0 }))).toBe(
      "All 130 LLM requests of this evaluation are answered from the response cache: it pays nothing.",
    );
  });

  it("is refused over the limit, naming the estimate and the option; at or under it, or with nothing to pay, it goes on", () => {
    expect(spendRefusal(estimate({}))?.message).toBe(
      "eval would pay about $0.0894 for 64 LLM requests the response cache cannot answer, more than its limit of $0.05 (--max-usd's default): pass `--max-usd 0.09` or more to pay it; nothing was sent.",
    );
    expect(spendRefusal(estimate({ usd: 0.05 }))).toBeNull();
    expect(spendRefusal(estimate({ misses: 0, usd: 0, limit: spendLimit(0) }))).toBeNull();
    expect(spendRefusal(estimate({ usd: 0.0001, limit: spendLimit(0) }))?.message).toContain(
      "more than its limit of $0 (--max-usd): pass `--max-usd 0.01` or more",
    );
  });

  it("cannot bound requests to an unpriced model, and says how to price it", () => {
    const e = estimate({ usd: null, unpriced: ["llama3.1:8b"], limit: spendLimit(5) });
    expect(estimateLine(e)).toContain("an unknown cost (llama3.1:8b has no price)");
    expect(spendRefusal(e)?.message).toBe(
      "eval would send 64 LLM requests the response cache cannot answer to llama3.1:8b, which has no known price, so what they cost cannot be held to a limit: give its price under llm.prices in the config (0 for a free model) and run eval again; nothing was sent.",
    );
    // A near priced name is offered as the typo it may be.
    expect(spendRefusal(estimate({ usd: null, unpriced: ["gpt-5-mnii"] }))?.message).toContain(
      "(if it is a typo, did you mean gpt-5-mnii for gpt-5-mini?)",
    );
  });

  it("counts an unpriced model at a local endpoint as free, with one warning", () => {
    const e = estimate({ usd: 0, freeLocal: ["llama3.1:8b"] });
    expect(spendRefusal(e)).toBeNull();
    expect(freeLocalWarning(e)).toBe(
      "llama3.1:8b has no price under llm.prices and runs at a local endpoint, so eval counts its requests as free; give its price under llm.prices if it is paid for.",
    );
    expect(freeLocalWarning(estimate({}))).toBeNull();
  });
});
