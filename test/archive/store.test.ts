import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dayRecordJsonSchema } from "../../scripts/gen-schema.js";
import { ArchiveError, ArchiveStore, dayFilePath, lockWorkspace } from "../../src/archive/store.js";
import type { SelectionSettings } from "../../src/model/day-record.js";
import { JUDGED_SETTINGS, makeDay, makePaper } from "../helpers/day-factory.js";

const tmp = () => mkdtempSync(join(tmpdir(), "ad-store-"));

describe("ArchiveStore", () => {
  it("writes days under YYYY/MM, lists them sorted and reads them back validated", async () => {
    const store = new ArchiveStore(join(tmp(), "archive"));
    await store.writeDay(makeDay({ date: "2026-02-13" }));
    await store.writeDay(makeDay({ date: "2025-12-31" }));
    await store.writeDay(makeDay({ date: "2026-02-05", papers: [makePaper({ id: "hep-th/9901001" })] }));
    expect(await store.listDays()).toEqual(["2025-12-31", "2026-02-05", "2026-02-13"]);
    expect(store.path("2026-02-05")).toMatch(/archive\/2026\/02\/2026-02-05\.json$/);
    const day = await store.readDay("2026-02-05");
    expect(day.papers[0]!.id).toBe("hep-th/9901001");
    expect((await store.latestBefore("2026-02-13"))?.date).toBe("2026-02-05");
    expect(await store.latestBefore("2025-01-01")).toBeNull();
  });

  it("tells whether a day's file mentions a failed delivery without reading it in full", async () => {
    const store = new ArchiveStore(join(tmp(), "archive"));
    const failed = {
      channel: "webhook" as const,
      target: "https://example.org/hook",
      at: "2026-02-05T07:00:00.000Z",
      attempts: 1,
    };
    await store.writeDay(
      makeDay({ date: "2026-02-05", deliveries: [{ ...failed, outcome: "failed", error: "HTTP 500" }] }),
    );
    await store.writeDay(makeDay({ date: "2026-02-06", deliveries: [{ ...failed, outcome: "sent" }] }));
    expect(await store.fileMentions("2026-02-05", '"failed"')).toBe(true);
    expect(await store.fileMentions("2026-02-06", '"failed"')).toBe(false);
    expect(await store.fileMentions("2026-02-09", '"failed"')).toBe(false);
  });

  it("leaves no temporary files and keeps the old file when validation fails", async () => {
    const dir = join(tmp(), "archive");
    const store = new ArchiveStore(dir);
    await store.writeDay(makeDay({ date: "2026-02-05" }));
    const bad = { ...makeDay({ date: "2026-02-05" }), counts: { entries: -1 } } as never;
    await expect(store.writeDay(bad)).rejects.toThrow();
    expect(readdirSync(join(dir, "2026", "02"))).toEqual(["2026-02-05.json"]);
    expect((await store.readDay("2026-02-05")).counts.entries).toBe(1);
  });

  it("names the file and field of a corrupt record", async () => {
    const dir = join(tmp(), "archive");
    mkdirSync(join(dir, "2026", "02"), { recursive: true });
    writeFileSync(join(dir, "2026", "02", "2026-02-06.json"), '{"schema":1,"date":"2026-02-06"');
    writeFileSync(
      join(dir, "2026", "02", "2026-02-09.json"),
      JSON.stringify({ ...makeDay(), date: "2026-02-09", kind: "weekly" }),
    );
    const store = new ArchiveStore(dir);
    await expect(store.readDay("2026-02-06")).rejects.toThrow(/2026-02-06\.json is not valid JSON/);
    await expect(store.readDay("2026-02-09")).rejects.toThrow(/2026-02-09\.json is not a valid DayRecord: kind/);
    await expect(store.readDay("2026-02-10")).rejects.toBeInstanceOf(ArchiveError);
    expect(() => dayFilePath(dir, "2026/02/10")).toThrow(/not a date/);
  });
});

describe("ArchiveStore: damaged days and hand-added fields", () => {
  it("latestBefore skips a damaged day, naming it, and returns the latest readable earlier day", async () => {
    const dir = join(tmp(), "archive");
    const store = new ArchiveStore(dir);
    await store.writeDay(makeDay({ date: "2026-02-04" }));
    writeFileSync(join(dir, "2026", "02", "2026-02-05.json"), '{"schema":1,');
    const skipped: string[] = [];
    const last = await store.latestBefore("2026-02-06", (err) => skipped.push(err.message));
    expect(last?.date).toBe("2026-02-04");
    expect(skipped).toEqual([expect.stringMatching(/2026-02-05\.json is not valid JSON/)]);
    // Without a handler the damaged file is still an error, never silently passed over.
    await expect(store.latestBefore("2026-02-06")).rejects.toThrow(/2026-02-05\.json/);
  });

  it("keeps hand-added fields of a record and of its papers through a read and a rewrite", async () => {
    const dir = join(tmp(), "archive");
    const store = new ArchiveStore(dir);
    const file = await store.writeDay(makeDay({ date: "2026-02-05" }));
    const raw = JSON.parse(readFileSync(file, "utf8"));
    raw.myTag = "read on the train";
    raw.papers[0].starred = true;
    writeFileSync(file, JSON.stringify(raw));
    const day = await store.readDay("2026-02-05");
    await store.writeDay({ ...day, notes: [...day.notes, "rewritten"] });
    const again = JSON.parse(readFileSync(file, "utf8"));
    expect(again.myTag).toBe("read on the train");
    expect(again.papers[0].starred).toBe(true);
    expect(again.notes).toContain("rewritten");
  });
});

describe("ArchiveStore: the selection settings a day was judged with", () => {
  const settings = JUDGED_SETTINGS;

  it("round-trips a record with the block and one without it", async () => {
    const store = new ArchiveStore(join(tmp(), "archive"));
    await store.writeDay(makeDay({ date: "2026-02-05", selectionSettings: settings }));
    await store.writeDay(makeDay({ date: "2026-02-06" }));
    expect((await store.readDay("2026-02-05")).selectionSettings).toEqual(settings);
    const without = await store.readDay("2026-02-06");
    expect(without).not.toHaveProperty("selectionSettings");
    expect(without).toEqual(makeDay({ date: "2026-02-06" }));
  });

  it("round-trips the history settings and what the day learnt; a block without them still loads", async () => {
    const store = new ArchiveStore(join(tmp(), "archive"));
    const learnt: SelectionSettings = {
      ...settings,
      prefilter: { ...settings.prefilter, historyWeight: 0.5, historyDays: 30 },
      prefilterMinRelevance: 2,
      learning: {
        days: 4,
        picks: 160,
        likedOrSaved: 8,
        disliked: 5,
        leftForNextRun: 3,
        cutoff: "2026-02-05T05:10:00.000Z",
      },
    };
    const file = await store.writeDay(makeDay({ date: "2026-02-05", selectionSettings: learnt }));
    expect((await store.readDay("2026-02-05")).selectionSettings).toEqual(learnt);
    const raw = JSON.parse(readFileSync(file, "utf8"));
    expect(raw.selectionSettings.learning).toEqual(learnt.learning);
    // The block as records before these fields kept it.
    await store.writeDay(makeDay({ date: "2026-02-06", selectionSettings: settings }));
    const older = (await store.readDay("2026-02-06")).selectionSettings;
    expect(older).toEqual(settings);
    expect(older).not.toHaveProperty("learning");
    // A negative count is refused like any other bad field.
    const bad = { ...learnt, learning: { ...learnt.learning!, picks: -1 } };
    await expect(store.writeDay({ ...makeDay({ date: "2026-02-07" }), selectionSettings: bad })).rejects.toThrow();
  });

  it("loads a record written before the block existed, and rewrites it unchanged", async () => {
    const fixture = new URL("../fixtures/archive/2026-02-05.json", import.meta.url);
    const text = readFileSync(fixture, "utf8");
    const dir = join(tmp(), "archive");
    mkdirSync(join(dir, "2026", "02"), { recursive: true });
    writeFileSync(join(dir, "2026", "02", "2026-02-05.json"), text);
    const store = new ArchiveStore(dir);
    const day = await store.readDay("2026-02-05");
    expect(day.selectionSettings).toBeUndefined();
    expect(day.papers.map((p) => p.outcome)).toEqual(["selected", "rejected", "prefiltered-out"]);
    const file = await store.writeDay(day);
    expect(readFileSync(file, "utf8")).toBe(text);
  });

  it("reports a hand-edited file with a bad block as damaged, naming the field", async () => {
    const dir = join(tmp(), "archive");
    const store = new ArchiveStore(dir);
    const file = await store.writeDay(makeDay({ date: "2026-02-05", selectionSettings: settings }));
    const raw = JSON.parse(readFileSync(file, "utf8"));
    raw.selectionSettings.weights.relevance = "high";
    raw.selectionSettings.prefilter.keepShare = 1.5;
    writeFileSync(file, JSON.stringify(raw));
    const read = store.readDay("2026-02-05");
    await expect(read).rejects.toBeInstanceOf(ArchiveError);
    await expect(read).rejects.toThrow(
      /2026-02-05\.json is not a valid DayRecord: selectionSettings\.weights\.relevance/,
    );
    // A bad block is refused on the way out too, leaving the file as it was.
    await expect(store.writeDay({ ...makeDay(), selectionSettings: { ...settings, maxPapers: -1 } })).rejects.toThrow();
  });
});

describe("lockWorkspace", () => {
  it("refuses a second holder while the first lives, and takes over a dead holder's lock", async () => {
    const dir = tmp();
    const lock = await lockWorkspace(dir, "run");
    await expect(lockWorkspace(dir, "backfill")).rejects.toThrow(/holds .*\.arxiv-digest\.lock/);
    await lock.release();
    const again = await lockWorkspace(dir, "run");
    await again.release();

    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]).stdout.toString();
    writeFileSync(join(dir, ".arxiv-digest.lock"), JSON.stringify({ pid: Number(dead), purpose: "run" }));
    const taken = await lockWorkspace(dir, "run");
    expect(JSON.parse(readFileSync(join(dir, ".arxiv-digest.lock"), "utf8")).pid).toBe(process.pid);
    await taken.release();
  });
});

describe("DayRecord JSON Schema", () => {
  it("docs/day-record.schema.json is what the zod schema generates (run scripts/gen-schema.ts)", () => {
    expect(readFileSync(new URL("../../docs/day-record.schema.json", import.meta.url), "utf8")).toBe(
      dayRecordJsonSchema(),
    );
  });
});
