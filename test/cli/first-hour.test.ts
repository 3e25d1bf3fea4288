/**
 * The terminal behaves in a new user's first hour: `render latest` and `render yesterday`,
 * --workspace in every subcommand's help, and `serve` saying what to do on a busy port or
 * without a built site.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it, onTestFinished } from "vitest";
import { ArchiveStore } from "../../src/archive/store.js";
import { runCli, SELF } from "../helpers/cli.js";
import { makeDay } from "../helpers/day-factory.js";
import { startServer } from "../helpers/server.js";
import { tempWorkspace } from "../helpers/workspace.js";

const workspace = tempWorkspace("topics:\n  - id: a\n    title: A\n    description: anything\n");
const ws = workspace.dir;
afterAll(() => workspace.cleanup());

describe("render latest / yesterday", () => {
  it("renders the latest archived day, and the feed day before it (across a weekend)", async () => {
    const empty = await runCli(["render", "latest", "--workspace", ws]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain(`has no day yet; run \`${SELF} run --workspace ${ws}\` first`);

    const store = new ArchiveStore(join(ws, "archive"));
    // Friday and the Monday after it: Monday's "yesterday" is Friday's batch. The Saturday after
    // is no announcement day: "latest" passes it by.
    for (const date of ["2026-02-12", "2026-02-13", "2026-02-16"]) await store.writeDay(makeDay({ date }));
    await store.writeDay(
      makeDay({ date: "2026-02-21", papers: [], status: { code: "no-announcement", message: "A weekend." } }),
    );
    const [latest, yesterday, upper] = await Promise.all([
      runCli(["render", "latest", "--format", "json", "--workspace", ws]),
      runCli(["render", "yesterday", "--format", "json", "--workspace", ws]),
      runCli(["render", "Latest", "--workspace", ws]),
    ]);
    expect(latest.code, latest.stderr).toBe(0);
    expect(JSON.parse(latest.stdout).date).toBe("2026-02-16");
    expect(yesterday.code, yesterday.stderr).toBe(0);
    expect(JSON.parse(yesterday.stdout).date).toBe("2026-02-13");
    expect(upper.stdout).toContain("2026-02-16");
  });
});

describe("help", () => {
  it("shows --workspace in a subcommand's help, nested ones included", async () => {
    const [run, like] = await Promise.all([runCli(["run", "--help"]), runCli(["feedback", "like", "--help"])]);
    for (const r of [run, like]) {
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Global Options:[\s\S]*-w, --workspace <dir>/);
    }
  });
});

describe("run", () => {
  it("says what it wrote in one line under the day's summary, as backfill does", async () => {
    const { dir, cleanup } = tempWorkspace("topics:\n  - id: a\n    title: A\n    description: anything\n");
    onTestFinished(cleanup);
    // A Saturday: written from the calendar, without the network.
    const r = await runCli(["run", "--date", "2026-02-07", "--workspace", dir]);
    expect(r.code, r.stderr).toBe(0);
    const day = join(dir, "archive", "2026", "02", "2026-02-07");
    expect(r.stdout.split("\n").slice(1)).toEqual([`  wrote ${day}.json and ${day}.md`, ""]);
  });
});

describe("serve", () => {
  it("says to run `arxiv-digest site` first when there is no built site", async () => {
    const r = await runCli(["serve", "--workspace", ws, "--port", "0"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`No built site in ${join(ws, "site")}: run \`${SELF} site --workspace ${ws}\` first`);
  });

  it("says to pick another port with --port when the port is busy", async () => {
    const site = join(ws, "built");
    mkdirSync(site, { recursive: true });
    writeFileSync(join(site, "index.html"), "<!doctype html><title>t</title>");
    const busy = await startServer((_req, res) => {
      res.end("taken");
    });
    try {
      const port = new URL(busy.url).port;
      const r = await runCli(["serve", "--workspace", ws, "--dir", site, "--port", port]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`Port ${port} is busy`);
      expect(r.stderr).toContain("pick another with --port");
    } finally {
      await busy.close();
    }
  });
});
