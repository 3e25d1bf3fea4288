/** The run's one-line summary says what this run paid, not what the day cost when first paid for. */
import { describe, expect, it } from "vitest";
import type { CallUsage, DayRecord } from "../../src/model/day-record.js";
import { isFinishedDigest, keptFinishedDay, resultOf, spendSentence } from "../../src/pipeline/record.js";
import { makeDay } from "../helpers/day-factory.js";

const call = (replayed: boolean): CallUsage => ({
  stage: "scoring",
  model: "gpt-5-mini",
  promptTokens: 4_000,
  cachedPromptTokens: 0,
  completionTokens: 1_000,
  replayed,
});

function dayWith(calls: CallUsage[]): DayRecord {
  const day = makeDay();
  return { ...day, usage: { ...day.usage, calls, total: { ...day.usage.total, calls: calls.length } } };
}

describe("the spend in a run's summary", () => {
  it("a re-run served from the cache: 0 new calls, $0 spent, the answers reused", () => {
    const day = dayWith(Array.from({ length: 16 }, () => call(true)));
    expect(spendSentence(day.usage)).toBe("0 new calls, $0 spent (16 answers reused)");
    expect(resultOf(day, []).summary).toContain("(0 new calls, $0 spent (16 answers reused))");
  });

  it("a first run: the calls paid and their cost", () => {
    expect(spendSentence(dayWith([call(false), call(false)]).usage)).toMatch(/^2 new calls, \$0\.\d{4} spent$/);
  });

  it("a run that retried a few: the new calls and cost, and the answers reused", () => {
    const usage = dayWith([call(true), call(true), call(false)]).usage;
    expect(spendSentence(usage)).toMatch(/^1 new call, \$0\.\d{4} spent \(2 answers reused\)$/);
    // A model the price table does not know: the cost is unpriced, not $0.
    const unknown = { ...usage, calls: usage.calls.map((c) => ({ ...c, model: "my-finetune-7b" })) };
    expect(spendSentence(unknown)).toBe("1 new call, unpriced (2 answers reused)");
    expect(spendSentence(unknown, { "my-finetune-7b": { input: 1, cachedInput: 0.1, output: 2 } })).toBe(
      "1 new call, $0.0060 spent (2 answers reused)",
    );
  });

  it("answers without token counts: the spend is a lower bound, and says how many", () => {
    const blind: CallUsage = { ...call(false), promptTokens: 0, completionTokens: 0, usageMissing: true };
    expect(spendSentence(dayWith([call(false), blind]).usage)).toMatch(
      /^2 new calls, at least \$0\.\d{4} spent \(1 answer without token counts\)$/,
    );
    expect(spendSentence(dayWith([blind]).usage)).toBe("1 new call, at least $0 spent (1 answer without token counts)");
  });

  it("no calls, and an imported day without per-call usage", () => {
    expect(spendSentence(dayWith([]).usage)).toBe("no LLM calls");
    // makeDay's usage: one call recorded as a total only, as imported days have it.
    expect(spendSentence(makeDay().usage)).toMatch(/^1 LLM call, \$0\.003\d$/);
  });
});

describe("a re-run that would make a finished day worse", () => {
  const finished = makeDay();
  const counts = finished.counts;

  it("tells a finished digest from one that is not", () => {
    expect(isFinishedDigest(finished)).toBe(true);
    expect(isFinishedDigest({ ...finished, counts: { ...counts, unscored: 1 } })).toBe(false);
    expect(isFinishedDigest({ ...finished, status: { code: "partial", message: "x" } })).toBe(false);
  });

  it("keeps the archived day and says why in one sentence: unscored papers, or a feed that failed", () => {
    const unscored = keptFinishedDay(finished, {
      ...finished,
      status: { code: "partial", message: "3 of 9 scanned papers could not be scored; they are listed. Run again." },
      counts: { ...counts, scanned: 9, unscored: 3 },
    });
    expect(unscored).toMatchObject({ record: finished, outcome: "incomplete", files: [] });
    expect(unscored.summary).toBe(
      `2026-02-05: kept the complete digest already archived (${counts.selected} selected of ${counts.scanned} scanned) and wrote and delivered nothing, because this run did not finish the day (3 of 9 papers could not be scored); run again once that is fixed (answers already paid for are cached).`,
    );
    const feed = keptFinishedDay(finished, {
      ...finished,
      status: { code: "partial", message: "1 of 3 feeds failed (cs.AI); papers from them are missing." },
    });
    expect(feed.summary).toMatch(
      /because this run did not finish the day \(1 of 3 feeds failed \(cs\.AI\)\); run again/,
    );
  });
});
