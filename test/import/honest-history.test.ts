/**
 * The importer tells the truth about the reference history's odd days (test/fixtures/import/README.md):
 * never-judged days, weekend labels, one batch under two labels, old token tables, the reference's
 * own count definitions, and names repaired on the way in.
 */
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { decodeTex } from "../../src/format/math-spans.js";
import { importHistory } from "../../src/import/history.js";
import { importPaper } from "../../src/import/paper.js";
import { renderDayMarkdown } from "../../src/markdown/day-page.js";
import { type DayRecord, DayRecordSchema, REFERENCE_COUNT_LEGEND } from "../../src/model/day-record.js";
import { hasDigest, isCompleteStatus, STATUS_LABEL } from "../../src/model/status.js";

const HISTORY = join(import.meta.dirname, "../fixtures/import/history");
const NOW = () => new Date("2026-08-10T12:00:00Z");

let days: DayRecord[];
let byDate: Map<string, DayRecord>;
let errors: string[];
beforeAll(async () => {
  const imported = await importHistory(HISTORY, { now: NOW });
  days = imported.days;
  errors = imported.report.errors;
  byDate = new Map(days.map((d) => [d.date, d]));
});
const day = (date: string) => {
  const found = byDate.get(date);
  if (!found) throw new Error(`no imported day ${date}; have ${[...byDate.keys()].join(", ")}`);
  return found;
};
const notes = (date: string) => day(date).notes.join("\n");

describe("importing the reference history's odd days", () => {
  it("imports every fixture day as a valid DayRecord, in date order", () => {
    expect(errors).toEqual([]);
    expect(days.map((d) => d.date)).toEqual([
      "2025-01-23",
      "2025-02-20",
      "2025-12-10",
      "2026-02-06",
      "2026-03-25",
      "2026-03-26",
      "2026-03-27",
      "2026-05-13",
      "2026-07-17",
      "2026-07-18",
    ]);
    for (const d of days) expect(DayRecordSchema.safeParse(d).success).toBe(true);
  });

  it('a day scanned with no token spent and nothing picked is "not-judged", with no digest', () => {
    const d = day("2026-05-13");
    expect(d.status.code).toBe("not-judged");
    expect(d.status.message).toMatch(/^The tool that made this day scanned 352 papers but never scored them/);
    expect(d.counts).toMatchObject({ entries: 588, scanned: 352, selected: 0 });
    expect(d.usage.total).toMatchObject({ promptTokens: 0, completionTokens: 0 });
    expect(isCompleteStatus("not-judged")).toBe(true);
    expect(hasDigest({ statusCode: d.status.code, papers: d.papers })).toBe(false);
    expect(STATUS_LABEL["not-judged"]).toBe("Not judged");
    const md = renderDayMarkdown(d);
    expect(md).toContain("> **Not judged:** The tool that made this day scanned 352 papers but never scored them");
    expect(md).toContain("No paper of this day was judged, so none was picked.");
    // A day that was judged and picked papers stays normal.
    expect(day("2026-03-25").status.code).toBe("normal");
  });

  it("a Saturday label whose Friday is absent is filed under that Friday, with a note", () => {
    expect(byDate.has("2026-02-07")).toBe(false);
    const d = day("2026-02-06");
    expect(d.batchOf).toBeUndefined();
    expect(d.papers).toHaveLength(3);
    expect(notes("2026-02-06")).toContain(
      "The reference filed this day under Saturday 2026-02-07, the day it ran. arXiv announces nothing on weekends, so the feed still carried the batch of Friday 2026-02-06",
    );
    expect(d.sources[0]!.url).toBe("out/json/2026-02/2026-02-07-output.json");
  });

  it("a Saturday label whose Friday is present stays, marked as that Friday's batch and never as a weekend digest", () => {
    const sat = day("2026-07-18");
    expect(sat.batchOf).toBe("2026-07-17");
    expect(notes("2026-07-18")).toContain(
      "this day holds the batch of Friday 2026-07-17 under a wrong label, and is not a weekend digest",
    );
    expect(renderDayMarkdown(sat)).toContain("not a weekend digest");
  });

  it("one batch under two adjacent labels is detected by equal counts and shared picks, and noted on both days", () => {
    for (const [date, other] of [
      ["2026-03-26", "2026-03-27"],
      ["2026-03-27", "2026-03-26"],
    ] as const) {
      expect(day(date).sameBatchAs).toEqual([other]);
      expect(notes(date)).toContain(
        "The reference archived one arXiv batch under two labels, 2026-03-26 and 2026-03-27: both list 540 papers with 324 scanned, and 5 of their picks are shared (6 on 2026-03-26, 6 on 2026-03-27).",
      );
    }
    // Never judged on either label: equal counts are the whole evidence.
    expect(day("2026-07-17").sameBatchAs).toEqual(["2026-07-18"]);
    expect(day("2026-07-18").sameBatchAs).toEqual(["2026-07-17"]);
    expect(notes("2026-07-17")).toContain("both list 522 papers with 347 scanned, and neither picked any paper");
    // The day before has other counts: not the same batch.
    expect(day("2026-03-25").sameBatchAs).toBeUndefined();
  });

  it("reads the older token tables: no model in the header, or the model in italics only", () => {
    expect(day("2025-01-23").usage.total).toMatchObject({
      model: null,
      promptTokens: 71234,
      completionTokens: 9120,
      cost: { prompt: 0.18, completion: 0.09, total: 0.27 },
    });
    expect(day("2025-02-20").usage.total).toMatchObject({
      model: "gpt-4o",
      promptTokens: 88012,
      completionTokens: 10555,
      cost: { prompt: 0.22, completion: 0.11, total: 0.33 },
    });
    for (const date of ["2025-01-23", "2025-02-20"]) {
      expect(notes(date)).not.toContain("No token or cost table");
      expect(day(date).usage.costSource).toBe("imported");
    }
  });

  it("marks imported counts as the reference's, and the Markdown page labels them with its definitions", () => {
    expect(days.every((d) => d.countsSource === "reference")).toBe(true);
    const md = renderDayMarkdown(day("2026-03-26"));
    expect(md).toContain(`- **Total arXiv papers:** 540 (${REFERENCE_COUNT_LEGEND.entries})`);
    expect(md).toContain(`- **Total scanned papers:** 324 (${REFERENCE_COUNT_LEGEND.scanned})`);
    expect(md).toContain("so a paper kept in two feeds counts twice");
  });

  it("repairs authors: TeX decoded and affiliations cut at their commas joined again", () => {
    const paper = day("2025-12-10").papers.find((p) => p.id === "2512.07880")!;
    expect(paper.authors).toEqual([
      { name: "Huanran Li", affiliations: ["Department of Electrical Engineering"] },
      { name: "Manh Nguyen", affiliations: ["Statistics"] },
      {
        name: "Daniel Pimentel-Alarcón",
        affiliations: ["Biostatistics, Wisconsin Institute of Discovery, University of Wisconsin-Madison"],
      },
    ]);
    for (const d of days) {
      for (const a of d.papers.flatMap((p) => p.authors)) {
        expect(a.name).not.toMatch(/[\\{}()]/);
        for (const aff of a.affiliations) expect(aff.split("(").length).toBe(aff.split(")").length);
      }
    }
  });

  it("runs every name through decodeTex, whatever macros it knows", () => {
    const raw = {
      title: "T",
      abstract: "A",
      authors: ["Gu{\\dh}mundur Einarsson (H\\'ask\\'oli \\'Islands", " Reykjav\\'ik)"],
    };
    const result = importPaper("2602.01234", raw, "x.json", "selected");
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.paper.authors).toEqual([
      { name: decodeTex("Gu{\\dh}mundur Einarsson"), affiliations: ["Háskóli Íslands, Reykjavík"] },
    ]);
  });
});
