/**
 * The acceptance path, through the real executable: import the reference history, then
 * render a day and find the seed page's papers, counts and cost table.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliResult, isolatedEnv, runCli, SELF } from "../helpers/cli.js";
import { makeDay } from "../helpers/day-factory.js";
import { ANCHOR_DAYS_DIR } from "../helpers/reference.js";
import { type TempWorkspace, tempWorkspace } from "../helpers/workspace.js";

let workspace: TempWorkspace;
let ws: string;
let imported: CliResult;

beforeAll(async () => {
  workspace = tempWorkspace("topics:\n  - id: a\n    title: A\n    description: anything\n");
  ws = workspace.dir;
  imported = await runCli(["import", ANCHOR_DAYS_DIR, "--workspace", ws]);
}, 60_000);
afterAll(() => workspace.cleanup());

describe("import then render", () => {
  it("imports the five anchor days", () => {
    expect(imported.stderr).not.toMatch(/error/i);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/Imported 5 days/);
    expect(readdirSync(join(ws, "archive", "2026", "02")).sort()).toEqual([
      "2026-02-05.json",
      "2026-02-05.md",
      "2026-02-13.json",
      "2026-02-13.md",
      "2026-02-16.json",
      "2026-02-16.md",
    ]);
  });

  it("renders 2026-02-05 with the seed page's counts, cost table and 37 papers", async () => {
    const r = await runCli(["render", "2026-02-05", "--format", "md", "--workspace", ws]);
    expect(r.code).toBe(0);
    const md = r.stdout;
    expect(md).toContain("2026-02-05");
    for (const n of ["53923", "46726", "100649", "$0.07", "$0.47", "$0.53", "gpt-5"]) expect(md).toContain(n);
    expect(md).toMatch(/Total arXiv papers:\**\s*705/);
    expect(md).toMatch(/Total scanned papers:\**\s*391/);
    expect(md).toMatch(/Picked papers:\**\s*37/);
    const first = md.indexOf("2602.04119");
    const second = md.indexOf("2602.03906");
    expect(first).toBeGreaterThan(0);
    expect(second).toBeGreaterThan(first);
    expect(md).toContain("Andrej Jovanović");
  });

  it("renders the record as JSON and the remedial days with their banners", async () => {
    const json = JSON.parse((await runCli(["render", "2026-02-05", "--format", "json", "--workspace", ws])).stdout);
    expect(json.papers).toHaveLength(37);
    expect(json.counts).toMatchObject({ entries: 705, scanned: 391, selected: 37 });
    const may = (await runCli(["render", "2025-05-19", "--workspace", ws])).stdout;
    expect(may).toContain("This is a remedial run for missed papers from 05/16/2025 to 05/18/2025.");
    expect(may).toContain("Results generated on 05/26/2025.");
    const march = (await runCli(["render", "2026-03-13", "--workspace", ws])).stdout;
    expect(march).toContain("This is a remedial run for missed papers from 03/12/2026 to 03/12/2026.");
    expect(march).toContain("Results generated on 03/21/2026.");
  });

  it("says which day is missing, and rejects a bad format, with usage exit codes", async () => {
    const missing = await runCli(["render", "2026-02-06", "--workspace", ws]);
    expect(missing.code).toBe(2);
    // 2026-02-06 is a Friday before today: the backfill that rebuilds it is named.
    expect(missing.stderr).toContain("no digest for 2026-02-06 in the archive (");
    expect(missing.stderr).toContain(
      `\`${SELF} backfill --from 2026-02-06 --to 2026-02-06 --workspace ${ws}\` rebuilds it`,
    );
    // A Saturday: arXiv announced nothing, and nothing is to be run.
    const weekend = await runCli(["render", "2026-02-07", "--workspace", ws]);
    expect(weekend.code).toBe(2);
    expect(weekend.stderr).toContain(
      "no digest for Saturday 2026-02-07: arXiv announces nothing on weekends; the next announcement is Monday 2026-02-09's",
    );
    expect(weekend.stderr).not.toContain("backfill");
    const bad = await runCli(["render", "2026-02-05", "--format", "pdf", "--workspace", ws]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("argument 'pdf' is invalid. Allowed choices are md, json.");
    // A choice written in another case is that choice, as for feedback import's --format.
    const json = await runCli(["render", "2026-02-05", "--format", "JSON", "--workspace", ws]);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout).date).toBe("2026-02-05");
    const env = isolatedEnv();
    expect((await runCli(["--help"], { env })).stdout).toMatch(/run .*\n[\s\S]*demo[\s\S]*backfill[\s\S]*doctor/);
  });
});

describe("render of a weekend's record written with an earlier wording", () => {
  it("says the calendar's sentence by the workspace's holiday table, and leaves the record as it was", async () => {
    const old =
      "No arXiv announcement: arXiv announces on Sunday to Thursday evenings, so weekend dates carry no batch.";
    const record = JSON.stringify(
      makeDay({ date: "2026-02-07", papers: [], status: { code: "no-announcement", message: old } }),
    );
    const file = join("archive", "2026", "02", "2026-02-07.json");
    const weekend = tempWorkspace(
      'topics:\n  - id: a\n    title: A\n    description: anything\narxiv:\n  holidays: ["2026-02-09"]\n',
      { [file]: record },
    );
    try {
      const r = await runCli(["render", "2026-02-07", "--workspace", weekend.dir]);
      expect(r.code).toBe(0);
      expect(r.stdout).not.toContain("weekend dates carry no batch");
      // Monday 9 is a holiday of this workspace's table: the next announcement is Tuesday's.
      expect(r.stdout).toContain("the next announcement is Tuesday 2026-02-10's, made Monday 2026-02-09 at 20:00 ET.");
      expect(readFileSync(join(weekend.dir, file), "utf8")).toBe(record);
    } finally {
      weekend.cleanup();
    }
  });
});
