/**
 * Backfill against a local export-API server, over a week with a holiday (Wed 2026-02-18, from
 * the config) and a missed day (Thu 2026-02-19). The server really filters by the submittedDate
 * range of the query and pages with start/max_results, so the test checks the window arithmetic,
 * the slack window, the dedupe against archived days and the remedial record.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { ArchiveStore } from "../../src/archive/store.js";
import { loadWorkspace } from "../../src/config/load.js";
import { renderDayMarkdown } from "../../src/markdown/day-page.js";
import { backfill } from "../../src/pipeline/backfill.js";
import { silentLogger } from "../../src/pipeline/context.js";
import { type ApiEntry, apiPage } from "../helpers/arxiv-xml.js";
import { makeDay, makePaper } from "../helpers/day-factory.js";
import { fakeClock } from "../helpers/fake-clock.js";
import { loadReferencePapers } from "../helpers/reference.js";
import { startServer, type TestServer } from "../helpers/server.js";
import { tempWorkspace } from "../helpers/workspace.js";

const papers = loadReferencePapers("2026-02-13");
const at = (iso: string) => new Date(iso).toISOString().replace(/\.000Z$/, "Z");
// Thu 2026-02-19's batch: announced Wed 20:00 ET; the Tue 20:00 batch was skipped (holiday on the
// 18th), so it covers submissions Mon 02-16 14:00 ET (19:00Z) to Wed 02-18 14:00 ET (19:00Z).
const inWindow = papers
  .slice(0, 6)
  .map((p, i) => ({ paper: p, categories: ["cs.LG"], published: at(`2026-02-1${6 + (i % 2)}T20:0${i}:00Z`) }));
const crossListed = { paper: papers[6]!, categories: ["stat.ML", "cs.LG"], published: at("2026-02-17T10:00:00Z") };
const heldInModeration = { paper: papers[7]!, categories: ["cs.LG"], published: at("2026-02-15T12:00:00Z") };
const alreadyArchived = { paper: papers[8]!, categories: ["cs.LG"], published: at("2026-02-15T13:00:00Z") };
const tooEarly = { paper: papers[9]!, categories: ["cs.LG"], published: at("2026-02-12T12:00:00Z") };
const tooLate = { paper: papers[10]!, categories: ["cs.LG"], published: at("2026-02-18T20:00:00Z") };
const all: ApiEntry[] = [...inWindow, crossListed, heldInModeration, alreadyArchived, tooEarly, tooLate];

let api: TestServer;
beforeAll(async () => {
  api = await startServer((req, res) => {
    const q = new URL(req.url, "http://x").searchParams;
    const m = /submittedDate:\[(\d{12}) TO (\d{12})\]/.exec(q.get("search_query") ?? "");
    const stamp = (s: string) =>
      `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(8, 10)}:${s.slice(10, 12)}:00Z`;
    const hits = m
      ? all
          .filter((e) => e.published >= stamp(m[1]!) && e.published <= stamp(m[2]!))
          .sort((a, b) => a.published.localeCompare(b.published))
      : [];
    const start = Number(q.get("start") ?? 0);
    const size = Number(q.get("max_results") ?? 10);
    res.writeHead(200, { "content-type": "application/atom+xml" });
    res.end(apiPage(hits.slice(start, start + size), hits.length, start));
  });
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
    expect(day.papers.find((p) => p.id === crossListed.paper.id)?.announceType).toBe("cross");
    expect(day.counts.scanned).toBe(expected.length);
    expect(day.papers.every((p) => p.scoredBy === "lexical")).toBe(true);
    expect(day.producer).toBe("arxiv-digest backfill");

    const md = renderDayMarkdown(day);
    expect(md).toContain("This is a remedial run for missed papers from 02/16/2026 to 02/18/2026.");
    expect(md).toContain("Results generated on 02/21/2026.");

    // The holiday is not a missing day, and a second backfill finds nothing to do.
    expect(await store.has("2026-02-18")).toBe(false);
    const again = await backfill(ctx, { from: "2026-02-16", to: "2026-02-20", deliver: false });
    expect(again.missing).toEqual([]);
    expect(api.requests).toHaveLength(1);
  });
});
