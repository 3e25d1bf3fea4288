import { describe, expect, it } from "vitest";
import { costOf, priceFor } from "../../src/llm/prices.js";
import { UsageMeter } from "../../src/llm/usage.js";

const cents = (usd: number) => Math.round(usd * 100) / 100;

describe("priceFor and costOf", () => {
  // The reference pages' usage tables (test/fixtures/reference/anchor-days/*.md), rounded to cents as they are.
  it.each([
    ["gpt-5", 53923, 46726, 0.07, 0.47],
    ["gpt-4o", 93333, 12929, 0.23, 0.13],
    ["gpt-5.4", 153004, 5639, 0.38, 0.08],
  ])("matches the reference page for %s", (model, prompt, completion, promptUsd, completionUsd) => {
    const price = priceFor(model);
    expect(price).not.toBeNull();
    const cost = costOf({ promptTokens: prompt, cachedPromptTokens: 0, completionTokens: completion }, price!);
    expect(cents(cost.prompt)).toBe(promptUsd);
    expect(cents(cost.completion)).toBe(completionUsd);
  });

  it("bills cached prompt tokens at the cached rate", () => {
    const cost = costOf(
      { promptTokens: 10_000, cachedPromptTokens: 8_000, completionTokens: 1_000 },
      priceFor("gpt-5")!,
    );
    // 2000 × 1.25 + 8000 × 0.125 = 3500 µ$; 1000 × 10 = 10000 µ$.
    expect(cost.prompt).toBeCloseTo(0.0035, 12);
    expect(cost.completion).toBeCloseTo(0.01, 12);
    expect(cost.total).toBeCloseTo(0.0135, 12);
  });

  it("knows GitHub Models names, dated snapshots and DeepSeek", () => {
    expect(priceFor("openai/gpt-4.1")).toEqual(priceFor("gpt-4.1"));
    expect(priceFor("openai/gpt-4o-mini")).toEqual({ input: 0.15, cachedInput: 0.075, output: 0.6 });
    expect(priceFor("gpt-4o-2024-08-06")).toEqual(priceFor("gpt-4o"));
    expect(priceFor("deepseek-chat")).not.toBeNull();
    expect(priceFor("deepseek-reasoner")).not.toBeNull();
  });

  it("returns null for an unknown model and lets the config override or extend the table", () => {
    expect(priceFor("llama-3.3-70b")).toBeNull();
    const mine = { input: 0.1, cachedInput: 0.1, output: 0.2 };
    expect(priceFor("llama-3.3-70b", { "llama-3.3-70b": mine })).toEqual(mine);
    expect(priceFor("gpt-5", { "gpt-5": mine })).toEqual(mine);
  });
});

describe("UsageMeter", () => {
  it("sums per stage and in total, and keeps replayed answers out of the money spent", () => {
    const meter = new UsageMeter();
    const call = (
      stage: string,
      model: string,
      cachedPromptTokens: number,
      completionTokens: number,
      replayed: boolean,
    ) => meter.record({ stage, model, promptTokens: 1000, cachedPromptTokens, completionTokens, replayed });
    call("triage", "gpt-5-mini", 0, 100, false);
    call("scoring", "gpt-5", 600, 200, false);
    call("scoring", "gpt-5", 600, 200, true);
    const { stages, total } = meter.summary("gpt-5");
    expect(stages.scoring).toMatchObject({
      model: "gpt-5",
      calls: 2,
      promptTokens: 2000,
      cachedPromptTokens: 1200,
      completionTokens: 400,
    });
    // (800 × 1.25 + 1200 × 0.125) / 1e6 and 400 × 10 / 1e6
    expect(stages.scoring!.cost!.prompt).toBeCloseTo(0.00115, 12);
    expect(stages.scoring!.cost!.completion).toBeCloseTo(0.004, 12);
    expect(total.model).toBe("gpt-5-mini + gpt-5");
    expect(total.calls).toBe(3);
    // triage: (1000 × 0.25 + 100 × 2) / 1e6; scoring as above.
    expect(total.cost!.total).toBeCloseTo(0.00045 + 0.00515, 12);
    // The replayed scoring call is not money spent by this run.
    expect(meter.spentUsd).toBeCloseTo(0.00045 + 0.002575, 12);
    expect(meter.counts).toEqual({ paid: 2, replayed: 1 });
  });

  it("counts the verdicts reused from earlier answers in the day's stages and total, not in the money spent", () => {
    const reused = [
      // 120 titles at their shares of the triage answers that gave them; 2 of them estimated.
      {
        stage: "triage" as const,
        model: "gpt-5-nano",
        verdicts: 120,
        estimated: 2,
        promptTokens: 3000.4,
        cachedPromptTokens: 0,
        completionTokens: 600.3,
      },
      {
        stage: "scoring" as const,
        model: "gpt-5",
        verdicts: 4,
        estimated: 0,
        promptTokens: 800,
        cachedPromptTokens: 0,
        completionTokens: 100,
      },
    ];
    const meter = new UsageMeter({}, () => reused);
    meter.record({
      stage: "scoring",
      model: "gpt-5",
      promptTokens: 1000,
      cachedPromptTokens: 0,
      completionTokens: 200,
      replayed: false,
    });
    const { stages, total, calls } = meter.summary("gpt-5");
    // A stage that only reused verdicts is there, with no call.
    expect(stages.triage).toMatchObject({
      model: "gpt-5-nano",
      calls: 0,
      promptTokens: 3000,
      completionTokens: 600,
      reused: { verdicts: 120, estimated: 2, promptTokens: 3000, completionTokens: 600 },
    });
    // (3000.4 × 0.05 + 600.3 × 0.4) / 1e6: priced before rounding.
    expect(stages.triage!.cost!.total).toBeCloseTo(0.00015002 + 0.00024012, 12);
    expect(stages.triage!.reused!.cost).toBeCloseTo(stages.triage!.cost!.total, 12);
    // A stage with calls and reused verdicts adds both.
    expect(stages.scoring).toMatchObject({ calls: 1, promptTokens: 1800, completionTokens: 300 });
    expect(stages.scoring!.cost!.total).toBeCloseTo((1800 * 1.25 + 300 * 10) / 1e6, 12);
    expect(stages.scoring!.reused!.cost).toBeCloseTo((800 * 1.25 + 100 * 10) / 1e6, 12);
    expect(total).toMatchObject({ calls: 1, reused: { verdicts: 124, estimated: 2 } });
    expect(total.cost!.total).toBeCloseTo(stages.triage!.cost!.total + stages.scoring!.cost!.total, 12);
    // What this run paid: its one call.
    expect(calls).toHaveLength(1);
    expect(meter.spentUsd).toBeCloseTo((1000 * 1.25 + 200 * 10) / 1e6, 12);
    // Reused verdicts of a model without a price leave the day unpriced, never $0.
    const unpriced = new UsageMeter({}, () => [{ ...reused[0]!, model: "my-local-model" }]).summary(null);
    expect(unpriced.stages.triage).toMatchObject({ cost: null, reused: { cost: null } });
    expect(unpriced.total.cost).toBeNull();
  });

  it("reports an unpriced model as null cost, never $0", () => {
    const meter = new UsageMeter();
    meter.record({
      stage: "scoring",
      model: "my-local-model",
      promptTokens: 10,
      cachedPromptTokens: 0,
      completionTokens: 5,
      replayed: false,
    });
    expect(meter.summary(null).total.cost).toBeNull();
    expect(meter.summary(null).stages.scoring!.cost).toBeNull();
  });
});
