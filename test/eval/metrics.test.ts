import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isAuthorLabel, loadLabelledDays } from "../../src/eval/labelled-days.js";
import {
  costPerDay,
  pooled,
  precisionAtK,
  recallAt,
  shareSent,
  tokensPerScannedPaper,
} from "../../src/eval/metrics.js";

const FIXTURE = join(import.meta.dirname, "..", "fixtures", "labelled-days");

describe("labelled days", () => {
  it("loads the fixture in date order with every label on a paper of its day", () => {
    const days = loadLabelledDays(FIXTURE);
    expect(days.map((day) => day.date)).toEqual(["2025-03-25", "2025-05-20", "2026-03-06"]);
    expect(days.map((day) => day.papers.length)).toEqual([40, 40, 40]);
    expect(days.map((day) => Object.keys(day.labels).length)).toEqual([18, 12, 9]);
    const authorPicks = days.flatMap((day) => Object.entries(day.labels).filter(([, label]) => isAuthorLabel(label)));
    expect(authorPicks.map(([id]) => id).sort()).toEqual(["2505.13447", "2603.05225", "2603.05498"]);
  });

  it("rejects a label for a paper the day does not list, naming the file", () => {
    const dir = mkdtempSync(join(tmpdir(), "labelled-"));
    const paper = { id: "2601.00001", title: "T", authors: ["A B"], categories: ["cs.LG"], abstract: "x" };
    const day = {
      date: "2026-01-02",
      categories: ["cs.LG"],
      papers: [paper],
      labels: { "2601.09999": { relevance: 8, novelty: 7 } },
    };
    writeFileSync(join(dir, "2026-01-02.json"), JSON.stringify(day));
    expect(() => loadLabelledDays(dir)).toThrow(/2026-01-02\.json: labels\.2601\.09999: label for 2601\.09999/);
  });

  it("rejects a date that is not on the calendar, naming the file", () => {
    const dir = mkdtempSync(join(tmpdir(), "labelled-"));
    const day = { date: "2026-02-30", categories: ["cs.LG"], papers: [], labels: {} };
    writeFileSync(join(dir, "day.json"), JSON.stringify(day));
    expect(() => loadLabelledDays(dir)).toThrow(/day\.json: date: expected a calendar date, YYYY-MM-DD/);
  });
});

describe("metrics", () => {
  it("share sent and recall count ids, and report no value without evidence", () => {
    expect(shareSent(16, 40)).toEqual({ hits: 16, total: 40, value: 0.4 });
    expect(() => shareSent(41, 40)).toThrow(RangeError);
    expect(recallAt(["a", "b", "x"], ["a", "b", "c", "d"])).toEqual({ hits: 2, total: 4, value: 0.5 });
    expect(recallAt(["a"], [])).toEqual({ hits: 0, total: 0, value: null });
  });

  it("precision@k defaults k to the number of labels and counts missing places as misses", () => {
    const ranking = ["a", "x", "b", "y", "c"];
    expect(precisionAtK(ranking, ["a", "b", "c"])).toEqual({ hits: 2, total: 3, value: 2 / 3 });
    expect(precisionAtK(ranking, ["a", "b", "c"], 5)).toEqual({ hits: 3, total: 5, value: 0.6 });
    expect(precisionAtK(["a"], ["a", "b"], 4)).toEqual({ hits: 1, total: 4, value: 0.25 });
  });

  it("pools days by paper, not by day", () => {
    // Mean of the days' recalls would be (1 + 0.5) / 2 = 0.75; pooled it is 11 of 12.
    expect(pooled([recallAt(["a"], ["a"]), { hits: 10, total: 11, value: 10 / 11 }])).toEqual({
      hits: 11,
      total: 12,
      value: 11 / 12,
    });
  });

  it("tokens per scanned paper and cost per day", () => {
    // 150 papers scanned, 60 sent with ~170 tokens each plus a 2,100-token prefix twice.
    expect(tokensPerScannedPaper(60 * 170 + 2 * 2100, 150)).toBe(96);
    expect(tokensPerScannedPaper(100, 0)).toBeNull();
    const cost = costPerDay(
      { promptTokens: 1_000_000, cachedPromptTokens: 400_000, completionTokens: 100_000 },
      { input: 0.4, cachedInput: 0.1, output: 1.6 },
    );
    // 0.6 M × 0.4 + 0.4 M × 0.1 + 0.1 M × 1.6 = 0.24 + 0.04 + 0.16.
    expect(cost).toBeCloseTo(0.44, 10);
  });
});
