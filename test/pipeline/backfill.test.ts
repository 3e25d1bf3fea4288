/**
 * Backfill against a local export-API server, over a week with a holiday (Wed 2026-02-18, from
 * the config) and a missed day (Thu 2026-02-19). The server really filters by the submittedDate
 * range of the query and pages with start/max_results, so the test checks the window arithmetic,
 * the slack window, the dedupe against archived days and the remedial record.
 */

import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from "vitest";
import { ArchiveStore } from "../../src/archive/store.js";
import { feedDaysBetween, previousFeedDay, todayInEastern } from "../../src/arxiv/calendar.js";
import { holidayTable } from "../../src/arxiv/holidays.js";
import { exitCodeOfAll } from "../../src/cli/exit.js";
import { systemClock } from "../../src/io/clock.js";
import { renderDayMarkdown } from "../../src/markdown/day-page.js";
import { backfill } from "../../src/pipeline/backfill.js";
import { silentLogger } from "../../src/pipeline/context.js";
import { loadWorkspace } from "../../src/workspace/load.js";
import { type ApiEntry, submittedDateApi } from "../helpers/arxiv-xml.js";
import { isolatedEnv, runCli, SELF } from "../helpers/cli.js";
import { makeDay, makePaper } from "../helpers/day-factory.js";
import { fakeClock } from "../helpers/fake-clock.js";
import { loadReferencePapers } from "../helpers/reference.js";
import { startServer, type TestServer } from "../helpers/server.js";
import { tempWorkspace } from "../helpers/workspace.js";

const papers = loadReferencePapers("2026-02-13");
const at = (iso: string) => new Date(iso).toISOString().replace(/\.000Z$/, "Z");
// Thu 2026-02-19's batch: announced Wed 20:00 ET; the Tue 20:00 batch was skipped (holiday on the
// 18th), so it covers submissions Mon 02-16 14:00 ET (19:00Z) to Wed 02-18 14:00 ET (19:00Z).
// The API serves each paper's latest version while submittedDate searches the v1 date: two of these
// were revised after the window (v3, v2), and were still announced as new in it.
const revisions = [
  { version: 3, updated: at("2026-03-10T09:00:00Z") },
  { version: 2, updated: at("2026-02-25T16:30:00Z") },
];
const inWindow: ApiEntry[] = papers.slice(0, 6).map((p, i) => ({
  paper: p,
  categories: ["cs.LG"],
  published: at(`2026-02-1${6 + (i % 2)}T20:0${i}:00Z`),
  ...revisions[i],
}));
const crossListed: ApiEntry = {
  paper: papers[6]!,
  categories: ["stat.ML", "cs.LG"],
  published: at("2026-02-17T10:00:00Z"),
  version: 2,
  updated: at("2026-02-20T11:00:00Z"),
};
const heldInModeration = { paper: papers[7]!, categories: ["cs.LG"], published: at("2026-02-15T12:00:00Z") };
const alreadyArchived = { paper: papers[8]!, categories: ["cs.LG"], published: at("2026-02-15T13:00:00Z") };
const tooEarly = { paper: papers[9]!, categories: ["cs.LG"], published: at("2026-02-12T12:00:00Z") };
const tooLate = { paper: papers[10]!, categories: ["cs.LG"], published: at("2026-02-18T20:00:00Z") };
const all: ApiEntry[] = [...inWindow, crossListed, heldInModeration, alreadyArchived, tooEarly, tooLate];

/** A workspace of cs.LG, offline judge, with Wednesday 2026-02-18 a holiday. */
const CONFIG = `arxiv:\n  categories: [cs.LG]\n  holidays: ["2026-02-18"]\n  minIntervalSeconds: 0\nllm:\n  provider: offline\nselection:\n  minRelevance: 1\ntopics:\n  - id: ml\n    title: Machine learning\n    description: Learning methods, models and their training.\n    include: [learning, model, training]\n`;

let api: TestServer;
/** What the API serves; a test may set it to nothing (the blank answers the API gives when it fails). */
let served: readonly ApiEntry[] = all;
/** Called as each query arrives, before it is answered. */
let onQuery: (() => void) | null = null;
beforeAll(async () => {
  api = await startServer(
    submittedDateApi(() => {
      onQuery?.();
      return served;
    }),
  );
});
afterAll(() => api.close());

describe("backfill", () => {
  it("rebuilds the missed day from its submission window as a remedial digest, and only that day", async () => {
    const { dir, cleanup } = tempWorkspace(
      `arxiv:\n  categories: [cs.LG]\n  holidays: ["2026-02-18"]\n  minIntervalSeconds: 0\nllm:\n  provider: offline\nselection:\n  minRelevance: 1\ntopics:\n  - id: ml\n    title: Machine learning\n    description: Learning methods, models and their training.\n    include: [learning, model, training]\n`,
    );
    onTestFinished(cleanup);
    const store = new ArchiveStore(join(dir, "archive"));
    for (const date of ["2026-02-16", "2026-02-17", "2026-02-20"]) {
      const own =
        date === "2026-02-17"
          ? [makePaper({ id: alreadyArchived.paper.id })]
          : [makePaper({ id: `2602.0${date.slice(-2)}01` })];
      await store.writeDay(makeDay({ date, papers: own }));
    }
    const ctx = {
      workspace: loadWorkspace(dir, { ARXIV_API_URL: `${api.url}/api/query` }),
      clock: fakeClock(Date.parse("2026-02-21T17:00:00Z")),
      log: silentLogger,
    };

    const result = await backfill(ctx, { from: "2026-02-16", to: "2026-02-20", deliver: false });
    expect(result.missing).toEqual(["2026-02-19"]);
    expect(api.requests).toHaveLength(1);
    const query = new URL(api.requests[0]!.url, "http://x").searchParams.get("search_query");
    // The window widened backwards by the default 48 h of slack: Sat 02-14 19:00Z to Wed 02-18 19:00Z.
    expect(query).toContain("submittedDate:[202602141900 TO 202602181900]");
    expect(query).toContain("cat:cs.LG");

    const day = await store.readDay("2026-02-19");
    expect(day.kind).toBe("remedial");
    expect(day.remedial).toEqual({ from: "2026-02-16", to: "2026-02-18", generatedOn: "2026-02-21" });
    const ids = day.papers.map((p) => p.id).sort();
    const expected = [...inWindow, crossListed, heldInModeration].map((e) => e.paper.id).sort();
    expect(ids).toEqual(expected);
    expect(day.papers.find((p) => p.id === crossListed.paper.id)).toMatchObject({ announceType: "cross", version: 2 });
    // Revised since: labelled by what was announced in the window (v1, new), not by the current version.
    expect(day.papers.find((p) => p.id === inWindow[0]!.paper.id)).toMatchObject({ announceType: "new", version: 3 });
    expect(day.papers.find((p) => p.id === inWindow[1]!.paper.id)).toMatchObject({ announceType: "new", version: 2 });
    expect(day.papers.every((p) => p.announceType === "new" || p.id === crossListed.paper.id)).toBe(true);
    // Counted as on feed days: the nine entries the API returned, nine distinct papers, eight left
    // after the one already archived is dropped.
    expect(day.counts).toMatchObject({ entries: 9, unique: 9, scanned: expected.length });
    expect(day.papers.every((p) => p.scoredBy === "lexical")).toBe(true);
    expect(day.producer).toBe("arxiv-digest backfill");
    // Judged like a run's day, so its record keeps the settings it was judged with.
    expect(day.selectionSettings).toMatchObject({
      minRelevance: 1,
      weights: { relevance: 1, novelty: 1 },
      model: null,
    });

    const md = renderDayMarkdown(day);
    expect(md).toContain("This is a remedial run for missed papers from 02/16/2026 to 02/18/2026.");
    expect(md).toContain("Results generated on 02/21/2026.");

    // The holiday is not a missing day, and a second backfill finds nothing to do.
    expect(await store.has("2026-02-18")).toBe(false);
    const again = await backfill(ctx, { from: "2026-02-16", to: "2026-02-20", deliver: false });
    expect(again.missing).toEqual([]);
    expect(api.requests).toHaveLength(1);
  });

  it("says per day, on one line under its summary, what the command wrote: the record and its page", async () => {
    const { dir, cleanup } = tempWorkspace(
      `arxiv:\n  categories: [cs.LG]\n  holidays: ["2026-02-18"]\n  minIntervalSeconds: 0\nllm:\n  provider: offline\nselection:\n  minRelevance: 1\ntopics:\n  - id: ml\n    title: Machine learning\n    description: Learning methods, models and their training.\n    include: [learning, model, training]\n`,
    );
    onTestFinished(cleanup);
    const store = new ArchiveStore(join(dir, "archive"));
    for (const date of ["2026-02-17", "2026-02-20"]) await store.writeDay(makeDay({ date, papers: [] }));
    const env = isolatedEnv({ ARXIV_API_URL: `${api.url}/api/query` });
    const r = await runCli(["backfill", "--from", "2026-02-17", "--to", "2026-02-20", "--workspace", dir], { env });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    const at = lines.findIndex((l) => l.startsWith("2026-02-19"));
    expect(at, r.stdout).toBeGreaterThanOrEqual(0);
    expect(lines[at + 1]).toBe(`  wrote ${store.path("2026-02-19")} and ${store.path("2026-02-19", "md")}`);
    expect(lines.filter((l) => l.startsWith("  wrote "))).toHaveLength(1);
  }, 60_000);

  it("follows a whole archive by prefix (`cs` covers cs.LG), as the feed path does", async () => {
    const { dir, cleanup } = tempWorkspace(
      `arxiv:\n  categories: [cs]\n  holidays: ["2026-02-18"]\n  minIntervalSeconds: 0\nllm:\n  provider: offline\nselection:\n  minRelevance: 1\ntopics:\n  - id: ml\n    title: Machine learning\n    description: Learning methods, models and their training.\n    include: [learning, model, training]\n`,
    );
    onTestFinished(cleanup);
    const store = new ArchiveStore(join(dir, "archive"));
    for (const date of ["2026-02-17", "2026-02-20"]) await store.writeDay(makeDay({ date, papers: [] }));
    const ctx = {
      workspace: loadWorkspace(dir, { ARXIV_API_URL: `${api.url}/api/query` }),
      clock: fakeClock(Date.parse("2026-02-21T17:00:00Z")),
      log: silentLogger,
    };
    const before = api.requests.length;
    const result = await backfill(ctx, { from: "2026-02-17", to: "2026-02-20", deliver: false });
    expect(result.missing).toEqual(["2026-02-19"]);
    expect(api.requests).toHaveLength(before + 1);
    const day = await store.readDay("2026-02-19");
    const types = new Map(day.papers.map((p) => [p.id, p.announceType]));
    for (const e of [...inWindow, heldInModeration, alreadyArchived]) expect(types.get(e.paper.id)).toBe("new");
    expect(types.get(crossListed.paper.id)).toBe("cross");
    expect(day.counts).toMatchObject({ entries: 9, unique: 9, scanned: 9 });
  });

  it("records nothing for a day the API answers with nothing, stops there and says to try again; a later backfill rebuilds it", async () => {
    const { dir, cleanup } = tempWorkspace(
      `arxiv:\n  categories: [cs.LG]\n  holidays: ["2026-02-18"]\n  minIntervalSeconds: 0\nllm:\n  provider: offline\nselection:\n  minRelevance: 1\ntopics:\n  - id: ml\n    title: Machine learning\n    description: Learning methods, models and their training.\n    include: [learning, model, training]\n`,
    );
    onTestFinished(cleanup);
    onTestFinished(() => {
      served = all;
    });
    const store = new ArchiveStore(join(dir, "archive"));
    for (const date of ["2026-02-16", "2026-02-17"]) await store.writeDay(makeDay({ date, papers: [] }));
    const ctx = {
      workspace: loadWorkspace(dir, { ARXIV_API_URL: `${api.url}/api/query` }),
      clock: fakeClock(Date.parse("2026-02-21T17:00:00Z")),
      log: silentLogger,
    };
    served = [];
    const before = api.requests.length;
    const result = await backfill(ctx, { from: "2026-02-16", to: "2026-02-20", deliver: false });
    expect(result.missing).toEqual(["2026-02-19", "2026-02-20"]);
    // One request: the day after would claim the failed day's papers through its slack, so it waits.
    expect(api.requests).toHaveLength(before + 1);
    expect(result.days.map((d) => [d.outcome, d.summary])).toEqual([
      [
        "incomplete",
        "2026-02-19: the arXiv export API returned nothing for the day's submission window, which it does now and then when it fails; nothing was recorded for the day and the later days (2026-02-20) were not tried. Run `arxiv-digest backfill` again later.",
      ],
    ]);
    expect(exitCodeOfAll(result.days.map((d) => d.outcome))).toBe(1);
    expect(await store.has("2026-02-19")).toBe(false);
    expect(await store.has("2026-02-20")).toBe(false);

    // Once the API answers again, the next backfill finds both days missing and rebuilds them.
    served = all;
    const again = await backfill(ctx, { from: "2026-02-16", to: "2026-02-20", deliver: false });
    expect(again.missing).toEqual(["2026-02-19", "2026-02-20"]);
    expect(again.days.map((d) => d.outcome)).toEqual(["complete", "complete"]);
    expect((await store.readDay("2026-02-19")).status.code).toBe("normal");
    expect((await store.readDay("2026-02-20")).papers.map((p) => p.id)).toEqual([tooLate.paper.id]);
  });
  it.each([
    ["a day recorded as missed (a stale feed, no paper)", true],
    ["an announcement day with no record at all (the runner was down)", false],
  ])("without --from reaches back to %s, however many days were archived after it", async (_, recorded) => {
    const { dir, cleanup } = tempWorkspace(
      `arxiv:\n  categories: [cs.LG]\n  holidays: ["2026-02-18"]\n  minIntervalSeconds: 0\nllm:\n  provider: offline\nselection:\n  minRelevance: 1\ntopics:\n  - id: ml\n    title: Machine learning\n    description: Learning methods, models and their training.\n    include: [learning, model, training]\n`,
    );
    onTestFinished(cleanup);
    const store = new ArchiveStore(join(dir, "archive"));
    // Thursday 2026-02-19's run either found the feed stale and recorded no paper, or never ran; the next week went on normally.
    await store.writeDay(makeDay({ date: "2026-02-17", papers: [makePaper({ id: alreadyArchived.paper.id })] }));
    if (recorded)
      await store.writeDay(
        makeDay({ date: "2026-02-19", papers: [], status: { code: "stale", message: "The feed was not updated." } }),
      );
    for (const date of ["2026-02-20", "2026-02-23", "2026-02-24", "2026-02-25"]) {
      await store.writeDay(makeDay({ date, papers: [makePaper({ id: `2602.0${date.slice(-2)}01` })] }));
    }
    const ctx = {
      workspace: loadWorkspace(dir, { ARXIV_API_URL: `${api.url}/api/query` }),
      clock: fakeClock(Date.parse("2026-02-26T17:00:00Z")),
      log: silentLogger,
    };
    const result = await backfill(ctx, { deliver: false });
    expect(result.missing).toEqual(["2026-02-19"]);
    expect(result.days.map((d) => d.outcome)).toEqual(["complete"]);
    expect((await store.readDay("2026-02-19")).kind).toBe("remedial");
    // Rebuilt, it no longer pulls the range back.
    expect((await backfill(ctx, { deliver: false })).missing).toEqual([]);
  });

  it("takes today and yesterday for --from and --to, as run --date and render do, in US Eastern time", async () => {
    const { dir, cleanup } = tempWorkspace(CONFIG);
    onTestFinished(cleanup);
    // The executable reads the machine's clock: the day may turn while it runs, so either side of it counts.
    const before = todayInEastern(systemClock);
    const words = await runCli(["backfill", "--imported", "--from", "Yesterday", "--to", "today", "--workspace", dir]);
    const after = todayInEastern(systemClock);
    expect(words.code, words.stderr).toBe(0);
    expect(words.stderr).not.toContain("not a calendar date");
    const [, from, to] =
      /^No imported day between (\S+) and (\S+) is waiting for its listing\.$/m.exec(words.stderr) ?? [];
    expect([before, after]).toContain(to);
    // Yesterday is the announcement before today by the workspace's holiday table (2026-02-18 added).
    expect(from).toBe(previousFeedDay(to!, holidayTable(["2026-02-18"], [])));
    // Alone, --from today is after where a backfill ends by default, and the sentence says what to add.
    const alone = await runCli(["backfill", "--from", "today", "--workspace", dir]);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toMatch(
      /^arxiv-digest: --from (\S+) is after \S+, where a backfill without --to ends \(the announcement before today\); give --to \1 to check up to \1\.\n$/,
    );
  }, 60_000);

  it("without --from goes on past a record that cannot be read, says in one warning which file and how to repair it, and leaves it as it is", async () => {
    const { dir, cleanup } = tempWorkspace(CONFIG);
    onTestFinished(cleanup);
    const store = new ArchiveStore(join(dir, "archive"));
    // Every announcement day from 2026-01-02 to 2026-03-06 archived; Monday 2026-02-16's file damaged.
    for (const date of feedDaysBetween("2026-01-02", "2026-03-06", new Set(["2026-02-18"]))) {
      await store.writeDay(
        makeDay({ date, papers: [makePaper({ id: `2602.${date.slice(5, 7)}${date.slice(-2)}1` })] }),
      );
    }
    writeFileSync(store.path("2026-02-16"), "{ not json");
    const env = isolatedEnv({ ARXIV_API_URL: `${api.url}/api/query` });
    const r = await runCli(["backfill", "--to", "2026-03-06", "--workspace", dir], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      "No announcement day is missing between 2026-02-04 and 2026-03-06 but for 2026-02-16, whose record could not be read.",
    );
    const warnings = r.stderr.split("\n").filter((l) => l.startsWith("warning: "));
    expect(warnings, r.stderr).toHaveLength(1);
    expect(warnings[0]).toContain(
      `Skipped a damaged archive file, leaving its day as it is: ${store.path("2026-02-16")} is not valid JSON`,
    );
    expect(warnings[0]).toContain(
      `Repair the file, or delete it and rebuild 2026-02-16 with \`${SELF} backfill --from 2026-02-16 --to 2026-02-16 --workspace ${dir}\`; or check only the days after it with \`${SELF} backfill --from 2026-02-17 --to 2026-03-06 --workspace ${dir}\`.`,
    );
    expect(readFileSync(store.path("2026-02-16"), "utf8")).toBe("{ not json");
  }, 60_000);

  it("with --from over a record that cannot be read rebuilds the other days but not that one, which would lose what it holds (exit 1)", async () => {
    const { dir, cleanup } = tempWorkspace(CONFIG);
    onTestFinished(cleanup);
    const store = new ArchiveStore(join(dir, "archive"));
    await store.writeDay(makeDay({ date: "2026-02-16", papers: [makePaper({ id: "2602.16001" })] }));
    await store.writeDay(makeDay({ date: "2026-02-17", papers: [makePaper({ id: alreadyArchived.paper.id })] }));
    // Friday's run failed, and its record was then damaged by hand: backfill cannot tell what it held.
    writeFileSync(store.path("2026-02-20"), '{"date": "2026-02-20", "status": {"code": "failed"');
    const said: string[] = [];
    const ctx = {
      workspace: loadWorkspace(dir, { ARXIV_API_URL: `${api.url}/api/query` }),
      clock: fakeClock(Date.parse("2026-02-21T17:00:00Z")),
      log: { ...silentLogger, warn: (m: string) => said.push(m) },
    };
    const result = await backfill(ctx, { from: "2026-02-16", to: "2026-02-20", deliver: false });
    expect(result.missing).toEqual(["2026-02-19"]);
    expect(result.days.map((d) => [d.record.date, d.outcome])).toEqual([
      ["2026-02-20", "incomplete"],
      ["2026-02-19", "complete"],
    ]);
    const [line] = result.days.map((d) => d.summary);
    expect(line!.startsWith(`2026-02-20: left as it is: ${store.path("2026-02-20")} is not valid JSON: `)).toBe(true);
    expect(line).toMatch(
      /\. Rebuilding the day over it would lose what it holds, so backfill does not: repair the file, or delete it and rebuild the day with `arxiv-digest backfill --from 2026-02-20 --to 2026-02-20`\.$/,
    );
    expect(exitCodeOfAll(result.days.map((d) => d.outcome))).toBe(1);
    // Said once, as the day's line: no warning repeats it.
    expect(said.filter((m) => m.includes("2026-02-20"))).toEqual([]);
    expect(readFileSync(store.path("2026-02-20"), "utf8")).toBe('{"date": "2026-02-20", "status": {"code": "failed"');
    expect(existsSync(store.path("2026-02-20", "md"))).toBe(false);
    expect((await store.readDay("2026-02-19")).kind).toBe("remedial");
  });

  it("redacts a secret the parser's message quotes from a damaged file in the day's line", async () => {
    const { dir, cleanup } = tempWorkspace(CONFIG);
    onTestFinished(cleanup);
    const store = new ArchiveStore(join(dir, "archive"));
    for (const date of ["2026-02-16", "2026-02-17", "2026-02-19"]) await store.writeDay(makeDay({ date }));
    writeFileSync(store.path("2026-02-20"), "hunter2x9 was pasted here");
    const ctx = {
      workspace: loadWorkspace(dir, { ARXIV_API_URL: `${api.url}/api/query`, OPENAI_API_KEY: "hunter2x9" }),
      clock: fakeClock(Date.parse("2026-02-21T17:00:00Z")),
      log: silentLogger,
    };
    const result = await backfill(ctx, { from: "2026-02-16", to: "2026-02-20", deliver: false });
    expect(result.days.map((d) => d.outcome)).toEqual(["incomplete"]);
    expect(result.days[0]!.summary).toContain("is not valid JSON");
    expect(result.days[0]!.summary).not.toContain("hunter2x9");
  });

  it("reads each archived record once: those of the range for the missing days and the ids they hold, the 14 days before for their ids", async () => {
    const { dir, cleanup } = tempWorkspace(CONFIG);
    onTestFinished(cleanup);
    const store = new ArchiveStore(join(dir, "archive"));
    // Papers of the rebuilt day's window already published: one by a day before the range, one in it.
    const ids: Record<string, string> = {
      "2026-02-06": alreadyArchived.paper.id,
      "2026-02-17": heldInModeration.paper.id,
    };
    for (const date of [
      "2026-01-20",
      "2026-02-04",
      "2026-02-05",
      "2026-02-06",
      "2026-02-16",
      "2026-02-17",
      "2026-02-20",
    ]) {
      await store.writeDay(makeDay({ date, papers: [makePaper({ id: ids[date] ?? `2602.0${date.slice(-2)}01` })] }));
    }
    // Saturday's record, after the range: its ids count too (it has none, but it is read).
    await store.writeDay(
      makeDay({ date: "2026-02-21", papers: [], status: { code: "no-announcement", message: "Weekend." } }),
    );
    const reads = new Map<string, number>();
    const readDay = ArchiveStore.prototype.readDay;
    const spy = vi.spyOn(ArchiveStore.prototype, "readDay").mockImplementation(function (this: ArchiveStore, date) {
      reads.set(date, (reads.get(date) ?? 0) + 1);
      return readDay.call(this, date);
    });
    onTestFinished(() => spy.mockRestore());
    // The reads up to the day's listing: the backfill's own (judging then reads the reader's history for itself).
    let beforeListing: Record<string, number> | null = null;
    onQuery = () => {
      beforeListing ??= Object.fromEntries(reads);
    };
    onTestFinished(() => {
      onQuery = null;
    });
    const ctx = {
      workspace: loadWorkspace(dir, { ARXIV_API_URL: `${api.url}/api/query` }),
      clock: fakeClock(Date.parse("2026-02-21T17:00:00Z")),
      log: silentLogger,
    };
    const result = await backfill(ctx, { from: "2026-02-16", to: "2026-02-20", deliver: false });
    expect(result.missing).toEqual(["2026-02-19"]);
    // Once each; 2026-01-20, more than 14 days before the range, not at all.
    expect(beforeListing).toEqual({
      "2026-02-04": 1,
      "2026-02-05": 1,
      "2026-02-06": 1,
      "2026-02-16": 1,
      "2026-02-17": 1,
      "2026-02-20": 1,
      "2026-02-21": 1,
    });
    // The ids of both reads were kept: the two papers already published are left out of the rebuilt day.
    const rebuilt = (await store.readDay("2026-02-19")).papers.map((p) => p.id);
    expect(rebuilt).not.toContain(alreadyArchived.paper.id);
    expect(rebuilt).not.toContain(heldInModeration.paper.id);
    expect(rebuilt).toContain(inWindow[0]!.paper.id);
  });
});
