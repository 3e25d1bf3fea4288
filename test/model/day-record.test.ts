/** A day record is untrusted input: counts and money past any real day's are refused as damage. */
import { describe, expect, it } from "vitest";
import { DayRecordSchema } from "../../src/model/day-record.js";
import { makeDay } from "../helpers/day-factory.js";

const valid = (day: unknown) => DayRecordSchema.safeParse(day).success;

describe("DayRecordSchema's bounds", () => {
  const reused = (verdicts: number, estimated: number) => ({
    verdicts,
    estimated,
    promptTokens: 10,
    cachedPromptTokens: 0,
    completionTokens: 5,
    cost: 0.0001,
  });
  const withReused = (r: ReturnType<typeof reused>) => {
    const day = makeDay();
    return { ...day, usage: { ...day.usage, stages: { scoring: { ...day.usage.total, reused: r } } } };
  };

  it("takes reused verdicts up to a million, of which no more estimated than reused", () => {
    expect(valid(withReused(reused(40, 2)))).toBe(true);
    expect(valid(withReused(reused(1_000_000, 1_000_000)))).toBe(true);
    expect(valid(withReused(reused(Number.MAX_SAFE_INTEGER, 0)))).toBe(false);
    expect(valid(withReused(reused(10, Number.MAX_SAFE_INTEGER)))).toBe(false);
    expect(valid(withReused(reused(2, 3)))).toBe(false);
    expect(valid(withReused(reused(2.5, 0)))).toBe(false);
  });

  it("refuses a cost past a million dollars, which would make a month's total Infinity", () => {
    const day = makeDay();
    const costing = (total: number) => ({
      ...day,
      usage: { ...day.usage, total: { ...day.usage.total, cost: { prompt: 0, completion: 0, total } } },
    });
    expect(valid(costing(0.42))).toBe(true);
    expect(valid(costing(1e308))).toBe(false);
    expect(valid(costing(Number.POSITIVE_INFINITY))).toBe(false);
  });
});
