/**
 * The one rule of which announcement days lack a digest: the range `backfill` checks when not
 * told, and from which archived day a weekend's or a holiday's `run` counts missed days.
 * 2026-11-20 is a Friday; 2026-11-26 is Thanksgiving, a holiday of the table passed here.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { ArchiveError, ArchiveStore } from "../../src/archive/store.js";
import type { DayRecord } from "../../src/model/day-record.js";
import {
  archiveBackfillRange,
  defaultBackfillRange,
  findMissingDays,
  noRecordSentence,
  unreadableWarning,
} from "../../src/pipeline/missing.js";
import { makeDay, makePaper } from "../helpers/day-factory.js";
import { tempWorkspace } from "../helpers/workspace.js";

const NONE = new Set<string>();

describe("defaultBackfillRange", () => {
  it("starts at the earliest archived day within the look-back, up to the feed day before today", () => {
    expect(defaultBackfillRange(["2026-11-18", "2026-11-19"], "2026-11-21", NONE)).toEqual({
      from: "2026-11-18",
      to: "2026-11-20",
      since: "2026-11-18",
    });
    // A day archived on `to` or after it (today's own record) does not move the start.
    expect(
      defaultBackfillRange(["2026-11-16", "2026-11-19", "2026-11-20", "2026-11-21"], "2026-11-21", NONE),
    ).toMatchObject({ from: "2026-11-16", since: "2026-11-16" });
  });

  it("starts at the feed day before today when it is the only archived day: nothing before it was missed", () => {
    // A first Friday, then Saturday's own record: the workspace never had the month before.
    expect(defaultBackfillRange(["2026-11-20", "2026-11-21"], "2026-11-21", NONE)).toEqual({
      from: "2026-11-20",
      to: "2026-11-20",
      since: "2026-11-20",
    });
    // The day before Thanksgiving, by the holiday table.
    expect(defaultBackfillRange(["2026-11-25"], "2026-11-26", new Set(["2026-11-26"]))).toEqual({
      from: "2026-11-25",
      to: "2026-11-25",
      since: "2026-11-25",
    });
  });

  it("looks back 30 days (or the lookback asked for) when no day is archived so far back, and says so", () => {
    expect(defaultBackfillRange([], "2026-11-21", NONE)).toEqual({ from: "2026-10-21", to: "2026-11-20", since: null });
    // A weekend's record after `to` and a day older than the lookback count for nothing.
    expect(defaultBackfillRange(["2026-09-01", "2026-11-21"], "2026-11-22", NONE, { lookbackDays: 10 })).toEqual({
      from: "2026-11-10",
      to: "2026-11-20",
      since: null,
    });
    // A day older than the look-back does not pull the start back past it.
    expect(
      defaultBackfillRange(["2026-09-01", "2026-11-13", "2026-11-19"], "2026-11-21", NONE, { lookbackDays: 10 }),
    ).toMatchObject({ from: "2026-11-13", since: "2026-11-13" });
    // --from and --to are taken as given; `since` still says whether a day is archived in the range.
    expect(defaultBackfillRange(["2026-11-20"], "2026-11-21", NONE, { from: "2026-11-02", to: "2026-11-13" })).toEqual({
      from: "2026-11-02",
      to: "2026-11-13",
      since: null,
    });
  });
});

/** An archive of these records, counting the reads of each. */
function countingStore(days: DayRecord[]) {
  const byDate = new Map(days.map((d) => [d.date, d]));
  const reads = new Map<string, number>();
  const store = {
    listDays: async () => [...byDate.keys()].sort(),
    has: async (date: string) => byDate.has(date),
    readDay: async (date: string) => {
      reads.set(date, (reads.get(date) ?? 0) + 1);
      return byDate.get(date)!;
    },
  } as unknown as ArchiveStore;
  return { store, reads };
}

describe("a day recorded as missed", () => {
  const stale = (date: string) =>
    makeDay({ date, papers: [], status: { code: "stale", message: "The feed was not updated." } });
  const days = [stale("2026-10-16"), stale("2026-11-12"), makeDay({ date: "2026-11-13" })];
  for (const date of ["2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19"]) days.push(makeDay({ date }));

  it("is found in the archive, so the range backfill checks and a weekend's run counts holds every missed day", async () => {
    const { store, reads } = countingStore(days);
    const range = await archiveBackfillRange(store, "2026-11-21", NONE);
    expect(range).toMatchObject({ from: "2026-11-12", to: "2026-11-20", since: "2026-11-12" });
    expect((await findMissingDays(store, NONE, range.from, range.to)).missing).toEqual(["2026-11-12", "2026-11-20"]);
    // Each record of the look-back is read once; the one older than it not at all.
    expect([...reads.values()].every((n) => n === 1)).toBe(true);
    expect(reads.has("2026-10-16")).toBe(false);
  });
});

describe("an announcement day with no record at all", () => {
  it("is found by the default range when older than the newest archived day, however many were archived after it", async () => {
    // The runner was down on Tuesday 2026-11-17: nothing recorded; Wednesday and Thursday archived.
    const { store, reads } = countingStore(
      ["2026-11-13", "2026-11-16", "2026-11-18", "2026-11-19", "2026-11-20"].map((date) => makeDay({ date })),
    );
    const range = await archiveBackfillRange(store, "2026-11-21", NONE);
    expect(range).toMatchObject({ from: "2026-11-13", to: "2026-11-20", since: "2026-11-13" });
    expect((await findMissingDays(store, NONE, range.from, range.to)).missing).toEqual(["2026-11-17"]);
    expect([...reads.values()].every((n) => n === 1)).toBe(true);
  });

  it("is not found before the workspace's first archived day: a workspace begun yesterday missed nothing", async () => {
    const { store } = countingStore([makeDay({ date: "2026-11-19" }), makeDay({ date: "2026-11-20" })]);
    const range = await archiveBackfillRange(store, "2026-11-21", NONE);
    expect(range).toMatchObject({ from: "2026-11-19", since: "2026-11-19" });
    expect((await findMissingDays(store, NONE, range.from, range.to)).missing).toEqual([]);
  });
});

describe("findMissingDays", () => {
  /** An archive of these records, as far as findMissingDays reads one. */
  const archive = (days: DayRecord[]) => {
    const byDate = new Map(days.map((d) => [d.date, d]));
    return { has: async (date: string) => byDate.has(date), readDay: async (date: string) => byDate.get(date)! };
  };

  it("names the feed days not archived and those a run missed (stale or failed, no paper), as the site shows them", async () => {
    const status = (code: "stale" | "failed" | "partial") => ({ code, message: `${code}.` });
    const store = archive([
      makeDay({ date: "2026-11-16" }),
      makeDay({ date: "2026-11-17", papers: [], status: status("stale") }),
      makeDay({ date: "2026-11-18", papers: [], status: status("failed") }),
      // A run that kept papers made a digest of them: backfill leaves it alone.
      makeDay({ date: "2026-11-19", papers: [makePaper()], status: status("partial") }),
      makeDay({ date: "2026-11-20", papers: [makePaper()], status: status("failed") }),
    ]) as unknown as ArchiveStore;
    expect((await findMissingDays(store, NONE, "2026-11-16", "2026-11-24")).missing).toEqual([
      "2026-11-17",
      "2026-11-18",
      "2026-11-23",
      "2026-11-24",
    ]);
  });
});

describe("a record that cannot be read", () => {
  it("is skipped and returned apart, and the days around it are still found: a damaged file holds up nothing", async () => {
    const { dir, cleanup } = tempWorkspace(null);
    onTestFinished(cleanup);
    const store = new ArchiveStore(join(dir, "archive"));
    for (const date of ["2026-11-13", "2026-11-16", "2026-11-18", "2026-11-19"])
      await store.writeDay(makeDay({ date }));
    await store.writeDay(makeDay({ date: "2026-11-20", papers: [], status: { code: "failed", message: "failed." } }));
    // Tuesday's file damaged (a hand edit gone wrong), Wednesday's not a DayRecord; Thursday 2026-11-12 never recorded.
    writeFileSync(store.path("2026-11-17"), "{ not json");
    mkdirSync(dirname(store.path("2026-11-18")), { recursive: true });
    writeFileSync(store.path("2026-11-18"), JSON.stringify({ date: "2026-11-18" }));
    const range = await archiveBackfillRange(store, "2026-11-21", NONE);
    const found = await findMissingDays(store, NONE, range.from, range.to);
    expect(found.missing).toEqual(["2026-11-20"]);
    expect(found.unreadable.map((u) => u.date)).toEqual(["2026-11-17", "2026-11-18"]);
    expect(found.unreadable[0]!.problem.startsWith(`${store.path("2026-11-17")} is not valid JSON: `)).toBe(true);
    expect(found.unreadable[1]!.problem).toContain(`${store.path("2026-11-18")} is not a valid DayRecord`);
  });

  it("hands each record read to the caller, once, and throws what is not a damaged record", async () => {
    const { store, reads } = countingStore(["2026-11-16", "2026-11-17"].map((date) => makeDay({ date })));
    const handed: string[] = [];
    await findMissingDays(store, NONE, "2026-11-16", "2026-11-18", (day) => handed.push(day.date));
    expect(handed).toEqual(["2026-11-16", "2026-11-17"]);
    expect([...reads.values()]).toEqual([1, 1]);
    const failing = {
      has: async () => true,
      readDay: async () => {
        throw new Error("EACCES");
      },
    };
    await expect(findMissingDays(failing, NONE, "2026-11-16", "2026-11-16")).rejects.toThrow("EACCES");
    const damaged = {
      has: async () => true,
      readDay: async () => {
        throw new ArchiveError("/a/2026-11-16.json is not valid JSON: bad.");
      },
    };
    expect(await findMissingDays(damaged, NONE, "2026-11-16", "2026-11-16")).toEqual({
      missing: [],
      unreadable: [{ date: "2026-11-16", problem: "/a/2026-11-16.json is not valid JSON: bad." }],
    });
  });
});

describe("unreadableWarning", () => {
  const one = [
    { date: "2026-02-16", problem: "/ws/archive/2026/02/2026-02-16.json is not valid JSON: Unexpected token." },
  ];
  const range = { from: "2026-01-01", to: "2026-03-06", holidays: NONE, missing: [] as string[] };

  it("names the file and why, says its day was left as it is, and how to put it right, in one warning", () => {
    expect(unreadableWarning(one, { range })).toBe(
      "Skipped a damaged archive file, leaving its day as it is: /ws/archive/2026/02/2026-02-16.json is not valid JSON: Unexpected token. Repair the file, or delete it and rebuild 2026-02-16 with `arxiv-digest backfill --from 2026-02-16 --to 2026-02-16`; or check only the days after it with `arxiv-digest backfill --from 2026-02-17 --to 2026-03-06`.",
    );
  });

  it("names every file; offers the days after them only when the range checked holds them all and goes on past them", () => {
    const two = [
      ...one,
      { date: "2026-02-20", problem: "/ws/archive/2026/02/2026-02-20.json is not a valid DayRecord: date: Required" },
    ];
    const said = unreadableWarning(two, { range, workspace: "../my papers" });
    expect(said).toMatch(
      /^Skipped 2 damaged archive files, leaving their days as they are: .*2026-02-16\.json .*; .*2026-02-20\.json is not a valid DayRecord: date: Required\. /,
    );
    expect(said).toContain(
      "delete them and rebuild those days with `arxiv-digest backfill --from 2026-02-16 --to 2026-02-20 --workspace '../my papers'`; or check only the days after them with `arxiv-digest backfill --from 2026-02-23 --to 2026-03-06 --workspace '../my papers'`.",
    );
    // The last day of the range, a day before it (read for another reason), or no range: no such line.
    for (const r of [{ ...range, to: "2026-02-16" }, { ...range, from: "2026-02-17" }, undefined]) {
      expect(unreadableWarning(one, r === undefined ? {} : { range: r })).not.toContain("days after");
    }
  });

  it("offers the days after them only when that backfill leaves out no missing day of the range", () => {
    // Monday and Thursday damaged, Tuesday not recorded: a backfill from Friday would never rebuild Tuesday.
    const two = [
      { date: "2026-02-16", problem: "/ws/archive/2026/02/2026-02-16.json is not valid JSON: bad." },
      { date: "2026-02-19", problem: "/ws/archive/2026/02/2026-02-19.json is not valid JSON: bad." },
    ];
    const between = unreadableWarning(two, { range: { ...range, missing: ["2026-02-17"] } });
    expect(between).not.toContain("days after");
    // Its rebuild line still spans them, so the day between is rebuilt with them.
    expect(between).toMatch(/rebuild those days with `arxiv-digest backfill --from 2026-02-16 --to 2026-02-19`\.$/);
    // A missing day before them is left out by it too; one after them is not.
    expect(unreadableWarning(two, { range: { ...range, missing: ["2026-02-02"] } })).not.toContain("days after");
    expect(unreadableWarning(two, { range: { ...range, missing: ["2026-02-20", "2026-03-04"] } })).toContain(
      "; or check only the days after them with `arxiv-digest backfill --from 2026-02-20 --to 2026-03-06`.",
    );
  });

  it("names the Backfill workflow on GitHub Actions", () => {
    const said = unreadableWarning(one, { range, actions: true });
    expect(said).toContain(
      "rebuild 2026-02-16 with the Backfill workflow (Actions → Backfill → Run workflow) with from 2026-02-16 and to 2026-02-16",
    );
    expect(said).not.toContain("arxiv-digest");
  });
});

describe("noRecordSentence", () => {
  const HOLIDAYS = new Set(["2026-11-26"]);
  const FILE = "/ws/archive/2026/11/2026-11-25.json";

  it("names the backfill that rebuilds an earlier announcement day", () => {
    expect(noRecordSentence("2026-11-25", FILE, HOLIDAYS, "2026-12-01")).toBe(
      `no digest for 2026-11-25 in the archive (${FILE}): \`arxiv-digest backfill --from 2026-11-25 --to 2026-11-25\` rebuilds it from the arXiv export API.`,
    );
  });

  it("names the run that makes today's", () => {
    expect(noRecordSentence("2026-11-25", FILE, HOLIDAYS, "2026-11-25")).toBe(
      `no digest for 2026-11-25 in the archive (${FILE}): \`arxiv-digest run\` makes today's.`,
    );
  });

  it("says when arXiv announces a day still to come, and that run makes it from midnight", () => {
    // Between 20:00 ET and midnight arXiv has announced it already: the sentence holds then too.
    expect(noRecordSentence("2026-11-25", FILE, HOLIDAYS, "2026-11-24")).toBe(
      "no digest for 2026-11-25 yet: arXiv announces it Tuesday 2026-11-24 at 20:00 ET, the evening before, and `arxiv-digest run` makes it from midnight US Eastern time (it is 2026-11-24 there now).",
    );
  });

  it("carries the --workspace the user named into the command it suggests", () => {
    expect(noRecordSentence("2026-11-25", FILE, HOLIDAYS, "2026-12-01", "../my papers")).toContain(
      "`arxiv-digest backfill --from 2026-11-25 --to 2026-11-25 --workspace '../my papers'` rebuilds it",
    );
    expect(noRecordSentence("2026-11-25", FILE, HOLIDAYS, "2026-11-25", "/home/me/papers")).toContain(
      "`arxiv-digest run --workspace /home/me/papers` makes today's",
    );
  });

  it("names the workflows on GitHub Actions, not local commands", () => {
    expect(noRecordSentence("2026-11-25", FILE, HOLIDAYS, "2026-12-01", "../my papers", true)).toBe(
      `no digest for 2026-11-25 in the archive (${FILE}): the Backfill workflow (Actions → Backfill → Run workflow) with from 2026-11-25 and to 2026-11-25 rebuilds it from the arXiv export API.`,
    );
    expect(noRecordSentence("2026-11-25", FILE, HOLIDAYS, "2026-11-25", undefined, true)).toBe(
      `no digest for 2026-11-25 in the archive (${FILE}): the Daily digest workflow (Actions → Daily digest → Run workflow) makes today's.`,
    );
    for (const today of ["2026-11-24", "2026-11-25", "2026-12-01"]) {
      expect(noRecordSentence("2026-11-25", FILE, HOLIDAYS, today, undefined, true)).not.toContain("arxiv-digest");
    }
  });

  it("says that arXiv announced nothing on a weekend or a holiday, in the calendar's words", () => {
    const weekend = noRecordSentence("2026-11-28", FILE, HOLIDAYS, "2026-12-01");
    expect(weekend).toBe(
      "no digest for Saturday 2026-11-28: arXiv announces nothing on weekends; the next announcement is Monday 2026-11-30's, made Sunday 2026-11-29 at 20:00 ET.",
    );
    expect(weekend).not.toContain("backfill");
    const holiday = noRecordSentence("2026-11-26", FILE, HOLIDAYS, "2026-12-01");
    expect(holiday).toMatch(
      /^no digest for Thursday 2026-11-26: arXiv holds no announcement on Wednesday 2026-11-25 at 20:00 ET \(a holiday\); those submissions go out with the next announcement, .*'s, made .* at 20:00 ET\.$/,
    );
    // One clause per colon: the day, then why; never the calendar's whole sentence quoted after another.
    for (const sentence of [weekend, holiday]) expect(sentence.split(": ")).toHaveLength(2);
  });
});
