/**
 * `backfill --imported` against a local export-API server: the import fixture history (picks
 * only) is completed with each day's listing, then `eval` replays those days labelled by the
 * imported picks and the reader's history learns from what the old tool passed over. The server
 * filters by the query's submittedDate range and pages with start/max_results, as the API does.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { announcementInfo } from "../../src/arxiv/calendar.js";
import { NOT_PICKED_REASON } from "../../src/import/listing.js";
import { renderDayMarkdown } from "../../src/markdown/day-page.js";
import type { DayRecord } from "../../src/model/day-record.js";
import { completeImportedDays } from "../../src/pipeline/complete-imported.js";
import { openStore, silentLogger } from "../../src/pipeline/context.js";
import { evaluate } from "../../src/pipeline/eval.js";
import { readerHistory } from "../../src/pipeline/history.js";
import { importIntoArchive } from "../../src/pipeline/import.js";
import { nearMisses } from "../../src/site/day-summary.js";
import { loadWorkspace } from "../../src/workspace/load.js";
import { type ApiEntry, submittedDateApi } from "../helpers/arxiv-xml.js";
import { isolatedEnv, runCli } from "../helpers/cli.js";
import { fakeClock } from "../helpers/fake-clock.js";
import { startServer, type TestServer } from "../helpers/server.js";
import { tempWorkspace } from "../helpers/workspace.js";

const HISTORY = join(import.meta.dirname, "..", "fixtures", "import", "history");
const CONFIG = `arxiv:\n  categories: [cs.LG]\n  minIntervalSeconds: 0\n  retries: 0\nllm:\n  provider: offline\nselection:\n  minRelevance: 1\ntopics:\n  - id: ml\n    title: Machine learning\n    description: Learning methods, models and their training.\n    include: [learning, model, training]\n`;
/** The fixture days the old tool judged on one announcement each; the others are never-judged or one batch under two labels. */
const COMPLETABLE = ["2025-01-23", "2025-02-20", "2025-12-10", "2026-02-06", "2026-03-25"];
/** A pick of 2026-03-25 the listing lacks (it stays), and a pick of 2026-03-26 submitted in 2026-03-25's window (left to that day). */
const WITHHELD = "2603.21574";
const OTHER_DAYS_PICK = "2603.22286";

let api: TestServer;
let entries: ApiEntry[] = [];

const inWindow = (date: string, minutes: number) => {
  const from = Date.parse(announcementInfo(date, new Set()).window!.from);
  return new Date(from + minutes * 60_000).toISOString().replace(/\.000Z$/, "Z");
};

/** The listing each completable day has on the server: its picks but one, and three papers the old tool passed over. */
function listings(days: DayRecord[]): ApiEntry[] {
  const out: ApiEntry[] = [];
  for (const day of days.filter((d) => COMPLETABLE.includes(d.date))) {
    day.papers.forEach((p, i) => {
      if (p.id === WITHHELD) return;
      const paper = { id: p.id, title: p.title, abstract: p.abstract, authors: p.authors.map((a) => a.name) };
      out.push({ paper, categories: ["cs.LG"], published: inWindow(day.date, 10 + i) });
    });
    for (let i = 0; i < 3; i++) {
      const id = `${day.date.slice(2, 4)}${day.date.slice(5, 7)}.9${day.date.slice(8)}${i}0`;
      out.push({
        paper: {
          id,
          title: `Passed over on ${day.date}, number ${i}`,
          abstract: `A study of ${i === 0 ? "learning" : "gardening"} on ${day.date}.`,
          authors: ["Ada Example"],
        },
        categories: ["cs.LG"],
        published: inWindow(day.date, 100 + i),
      });
    }
  }
  const other = days.find((d) => d.date === "2026-03-26")!.papers.find((p) => p.id === OTHER_DAYS_PICK)!;
  out.push({
    paper: { id: other.id, title: other.title, abstract: other.abstract, authors: other.authors.map((a) => a.name) },
    categories: ["cs.LG"],
    published: inWindow("2026-03-25", 200),
  });
  return out;
}

beforeAll(async () => {
  api = await startServer(submittedDateApi(() => entries));
});
afterAll(() => api.close());

async function importedWorkspace() {
  const { dir, cleanup } = tempWorkspace(CONFIG);
  onTestFinished(cleanup);
  const ws = loadWorkspace(dir, { ARXIV_API_URL: `${api.url}/api/query` });
  await importIntoArchive(ws, HISTORY, { force: false });
  const store = openStore(ws);
  const imported = await Promise.all((await store.listDays()).map((d) => store.readDay(d)));
  return { dir, ws, store, imported };
}

describe("backfill --imported", () => {
  it("completes each imported day with its listing, so eval replays it and the history learns from it", async () => {
    const { ws, store, imported } = await importedWorkspace();
    entries = listings(imported);
    // The old tool now and then picked one paper on two days: each day keeps it in its listing.
    const shared = imported.find((d) => d.date === "2026-02-06")!.papers[0]!;
    const twin = await store.readDay("2026-03-26");
    await store.writeDay({ ...twin, papers: [...twin.papers, shared] });
    const ctx = { workspace: ws, clock: fakeClock(Date.parse("2026-08-10T12:00:00Z")), log: silentLogger };

    // Before: nothing to replay, and the note names the command that completes the days.
    const before = await evaluate(ctx, {});
    expect(before.days).toEqual([]);
    expect(before.notes.join("\n")).toContain("`arxiv-digest backfill --imported`");
    expect(before.notes.join("\n")).toContain("5 imported days hold only the imported tool's picks");

    const requestsBefore = api.requests.length;
    // Each day is told as soon as its outcome is known, and the result lists the same days in date order.
    const told: string[] = [];
    const result = await completeImportedDays(ctx, { onDay: (d) => told.push(d.summary) });
    expect(api.requests.length - requestsBefore).toBe(COMPLETABLE.length);
    expect([...told].sort()).toEqual(result.days.map((d) => d.summary));
    const outcome = Object.fromEntries(result.days.map((d) => [d.date, d.outcome]));
    expect(outcome).toEqual({
      ...Object.fromEntries(COMPLETABLE.map((d) => [d, "completed"])),
      "2026-03-26": "skipped",
      "2026-03-27": "skipped",
      "2026-05-13": "skipped",
      "2026-07-17": "skipped",
      "2026-07-18": "skipped",
    });
    expect(result.days.find((d) => d.date === "2026-05-13")!.summary).toContain("never judged");
    expect(result.days.find((d) => d.date === "2026-03-26")!.summary).toContain("same arXiv batch as 2026-03-27");

    for (const old of imported.filter((d) => COMPLETABLE.includes(d.date))) {
      const day = await store.readDay(old.date);
      // The picks exactly as imported, first and in order; the counts, status and deliveries untouched.
      expect(day.papers.slice(0, old.papers.length)).toEqual(old.papers);
      expect(day.counts).toEqual(old.counts);
      expect(day.countsSource).toBe("reference");
      expect(day.status).toEqual(old.status);
      expect(day.producer).toBe("import");
      expect(day.deliveries).toEqual([]);
      const added = day.papers.slice(old.papers.length);
      expect(added.map((p) => p.title)).toEqual([0, 1, 2].map((i) => `Passed over on ${old.date}, number ${i}`));
      for (const p of added) {
        expect(p).toMatchObject({ outcome: "rejected", reason: NOT_PICKED_REASON, scoredBy: null, score: null });
        expect([p.relevance, p.novelty, p.comment]).toEqual([null, null, null]);
      }
      expect(day.sources.at(-1)).toMatchObject({ kind: "api", categories: ["cs.LG"] });
      expect(day.notes.join("\n")).toContain("reconstructed from the arXiv export API");
      // The site shows scored rejected papers as near misses: none of these; the Markdown page lists the picks only.
      expect(nearMisses(day)).toEqual([]);
      expect(renderDayMarkdown(day)).not.toContain("Passed over on");
    }
    expect(result.days.find((d) => d.date === "2026-02-06")!.summary).toContain("3 of 3 picks found");
    const day25 = await store.readDay("2026-03-25");
    expect(day25.papers.map((p) => p.id)).toContain(WITHHELD);
    expect(day25.papers.map((p) => p.id)).not.toContain(OTHER_DAYS_PICK);
    expect(day25.notes.join("\n")).toContain(`1 of 3 imported papers is not in the reconstructed listing`);
    expect(result.days.find((d) => d.date === "2026-03-25")!.summary).toContain(`2 of 3 picks found`);

    // eval replays the completed days, labelled by the imported picks, and says the listing is reconstructed.
    const report = await evaluate(ctx, {});
    expect(report.days.map((d) => d.date)).toEqual(COMPLETABLE);
    for (const d of report.days) {
      expect(d).toMatchObject({ labelSource: "imported", reconstructed: true });
      expect(d.recallPrefilter.value).not.toBeNull();
      expect(d.recallSelected.total).toBe(d.labels);
    }
    expect(report.labelSources).toMatchObject({ imported: 5, picks: 0 });
    const notes = report.notes.join("\n");
    expect(notes).toContain("labelled by the imported tool's picks");
    expect(notes).toContain("listing rebuilt from the arXiv export API by submission date");
    expect(notes).not.toContain("backfill --imported");

    // The history learns the papers the old tool passed over as negatives, as from our own days.
    const history = await readerHistory(ws, store, "2026-08-01", ctx.clock.now());
    expect(history.counts.passedOver).toBe(COMPLETABLE.length * 3);

    // A second run adds nothing and asks nothing: every day is already complete.
    const files = COMPLETABLE.map((d) => readFileSync(store.path(d), "utf8"));
    const requests = api.requests.length;
    const again = await completeImportedDays(ctx, {});
    expect(api.requests.length).toBe(requests);
    for (const d of COMPLETABLE) {
      expect(again.days.find((x) => x.date === d)!.summary).toContain("already complete");
    }
    expect(COMPLETABLE.map((d) => readFileSync(store.path(d), "utf8"))).toEqual(files);
  });

  it("writes nothing for a listing that adds no paper or holds none of the day's picks", async () => {
    const { ws, store, imported } = await importedWorkspace();
    const ctx = { workspace: ws, clock: fakeClock(Date.parse("2026-08-10T12:00:00Z")), log: silentLogger };
    // 2025-01-23's listing holds only its picks; 2025-02-20's only papers that are not its picks.
    entries = listings(imported).filter(
      (e) =>
        (e.published < inWindow("2025-01-23", 100) || e.published > inWindow("2025-02-20", 0)) &&
        !imported.find((d) => d.date === "2025-02-20")!.papers.some((p) => p.id === e.paper.id),
    );
    const files = ["2025-01-23", "2025-02-20"].map((d) => readFileSync(store.path(d), "utf8"));
    const result = await completeImportedDays(ctx, { to: "2025-02-20" });
    expect(result.days.map((d) => d.summary)).toEqual([
      "2025-01-23: the listing holds no paper besides the picks; the record was left as it was.",
      "2025-02-20: none of its 2 picks is in the listing (3 other papers), so it is not this day's: check that arxiv.categories covers the categories the old tool read; the record was left as it was.",
    ]);
    expect(["2025-01-23", "2025-02-20"].map((d) => readFileSync(store.path(d), "utf8"))).toEqual(files);
  });

  it("prints each day's line once, as the day is done, through the real executable", async () => {
    const { dir, imported } = await importedWorkspace();
    entries = listings(imported);
    const run = await runCli(["-w", dir, "backfill", "--imported", "--to", "2025-02-20"], {
      env: isolatedEnv({ ARXIV_API_URL: `${api.url}/api/query` }),
    });
    expect(run.code, run.stderr).toBe(0);
    for (const date of ["2025-01-23", "2025-02-20"]) {
      expect(run.stdout.split("\n").filter((l) => l.startsWith(`${date}: added 3 papers`))).toHaveLength(1);
      expect(run.stderr).not.toContain(`${date}:`);
    }
    expect(run.stdout).toContain("Completed 2 imported days");
  });

  it("leaves the record untouched when the API fails, and exits 1 naming the day", async () => {
    const { dir, store } = await importedWorkspace();
    const failing = await startServer((_req, res) => {
      res.writeHead(500, { "content-type": "text/plain" });
      res.end("down");
    });
    onTestFinished(() => failing.close());
    const file = store.path("2025-01-23");
    const before = readFileSync(file, "utf8");
    const run = await runCli(["-w", dir, "backfill", "--imported"], {
      env: isolatedEnv({ ARXIV_API_URL: `${failing.url}/api/query` }),
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("2025-01-23: the arXiv export API call failed");
    expect(run.stdout).toContain("2025-02-20: not tried after 2025-01-23 failed.");
    // Each day's line once: on stdout, not again among the progress lines on stderr.
    for (const date of ["2025-01-23", "2025-02-20"]) {
      expect(run.stdout.split("\n").filter((l) => l.startsWith(`${date}:`))).toHaveLength(1);
      expect(run.stderr).not.toContain(`${date}:`);
    }
    // No retries in this workspace, and no later day is tried.
    expect(failing.requests).toHaveLength(1);
    expect(readFileSync(file, "utf8")).toBe(before);
  });

  it("exits 2 for flags that do not go together or do not parse", async () => {
    const { dir } = await importedWorkspace();
    const both = await runCli(["-w", dir, "backfill", "--imported", "--deliver"], { env: isolatedEnv() });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("--deliver does not go with --imported");
    const slack = await runCli(["-w", dir, "backfill", "--imported", "--slack-hours", "soon"], { env: isolatedEnv() });
    expect(slack.code).toBe(2);
    expect(slack.stderr).toContain("--slack-hours");
    const range = await runCli(["-w", dir, "backfill", "--imported", "--from", "2026-02-01", "--to", "2026-01-01"], {
      env: isolatedEnv(),
    });
    expect(range.code).toBe(2);
    expect(range.stderr).toContain("--from 2026-02-01 is after --to 2026-01-01");
  });
});
