/**
 * Library entries kept by title ("waiting"), through the real executable against temporary
 * workspaces: once the archive holds a paper of that title, `feedback list`, `eval` and the pages
 * `serve` hands out count the entry for that paper, with no `feedback resolve` and nothing
 * rewritten; `feedback waiting` numbers the entries that still wait and forgets the ones named.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { ArchiveStore } from "../../src/archive/store.js";
import type { PaperRecord } from "../../src/model/day-record.js";
import { loadWorkspace } from "../../src/workspace/load.js";
import { BIN, isolatedEnv, runCli } from "../helpers/cli.js";
import { makeDay, makePaper } from "../helpers/day-factory.js";
import { tempWorkspace } from "../helpers/workspace.js";

// Each run starts node: seconds apiece on a busy machine.
vi.setConfig({ testTimeout: 180_000 });

const ZOTERO = new URL("../fixtures/library/zotero.bib", import.meta.url).pathname;
const DEFAULT_CONFIG = readFileSync(new URL("../../defaults/arxiv-digest.yaml", import.meta.url), "utf8");
/** The zotero.bib entries that name no arXiv id: in an empty archive, all three wait. */
const SCHRODINGER = String.raw`Schr\"odinger Bridges for $\mathcal{O}(n^2)$-Free Diffusion Sampling`;

const cli = (dir: string, ...args: string[]) => runCli([...args, "--workspace", dir], { env: isolatedEnv() });
const fileOf = (dir: string) => readFileSync(join(dir, "feedback.jsonl"), "utf8");

/** A workspace that imported zotero.bib while its archive was empty. */
async function importedWorkspace(): Promise<string> {
  const { dir, cleanup } = tempWorkspace(DEFAULT_CONFIG);
  onTestFinished(cleanup);
  const imported = await cli(dir, "feedback", "import", ZOTERO);
  expect(imported.code, imported.stderr).toBe(0);
  expect(imported.stdout).toContain("3 saved by title until their papers are archived");
  return dir;
}

/** An archived day whose second paper (passed over) is the Schrödinger entry's paper. */
async function archiveTheDay(dir: string): Promise<void> {
  const paper = (id: string, title: string, outcome: PaperRecord["outcome"]) =>
    makePaper({ id, title, outcome, authorMatch: null, scoredBy: "lexical" });
  await new ArchiveStore(loadWorkspace(dir, {}).archiveDir).writeDay(
    makeDay({
      date: "2026-03-02",
      papers: [
        paper("2603.00001", "Mixture of experts routing for sparse language models", "selected"),
        // arXiv's casing and TeX: the entry's title matches it once normalised.
        paper("2603.00002", SCHRODINGER, "rejected"),
        paper("2603.00003", "Crop yield forecasting from satellite images", "rejected"),
      ],
    }),
  );
}

describe("a library entry kept by title, once the archive holds its paper", () => {
  it("counts for that paper in list and eval without feedback resolve, and nothing is rewritten", async () => {
    const dir = await importedWorkspace();
    await archiveTheDay(dir);
    const before = fileOf(dir);

    const list = await cli(dir, "feedback", "list");
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^2603\.00002 +saved +\d{4}-\d\d-\d\d {2}Schrödinger Bridges for O\(n²\)-Free/m);
    expect(list.stdout.split("\n").filter((l) => l.startsWith("(waiting)"))).toHaveLength(2);

    // The day's label is the reader's save: before, the entry waited and the day fell back on its picks.
    const json = await cli(dir, "eval", "--json");
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as { days: { date: string; labelSource: string; labels: number }[] };
    expect(report.days.map((d) => [d.date, d.labelSource, d.labels])).toEqual([["2026-03-02", "feedback", 1]]);
    expect(fileOf(dir)).toBe(before);
  });

  it("shows on the pages serve hands out, and follows the archive while serving", async () => {
    const dir = await importedWorkspace();
    const site = join(dir, "site");
    const page =
      '<!doctype html><html><head><meta name="arxiv-digest-serve" content/></head><body>' +
      '<article id="paper-2603.00002"></article></body></html>';
    mkdirSync(join(site, "2026/03/02"), { recursive: true });
    writeFileSync(join(site, "index.html"), page);
    writeFileSync(join(site, "2026/03/02/index.html"), page);
    const server = await serve(dir, site);
    const marks = async () => {
      const text = await (await fetch(new URL("2026/03/02/", server.url))).text();
      const block = /<script type="application\/json" id="arxiv-digest-marks">(.*?)<\/script>/.exec(text);
      return block ? (JSON.parse(block[1]!) as Record<string, { saved: boolean }>) : null;
    };
    // Not archived yet: the page says nothing of the paper.
    expect(await marks()).toBeNull();
    // A run archives the day while the site is served: the next page shows the entry's save.
    await archiveTheDay(dir);
    expect(await marks()).toMatchObject({ "2603.00002": { saved: true } });
  });
});

describe("feedback waiting", () => {
  it("numbers the entries that still wait, forgets the ones named by number or title and says so", async () => {
    const dir = await importedWorkspace();
    const listed = await cli(dir, "feedback", "waiting");
    expect(listed.code).toBe(0);
    // Oldest first; entries given at one instant (one import) by title, whatever the file's line order.
    expect(listed.stdout.split("\n").filter(Boolean)).toEqual([
      expect.stringMatching(/^1\. saved +\d{4}-\d\d-\d\d {2}Deep Learning$/),
      expect.stringMatching(/^2\. saved +\d{4}-\d\d-\d\d {2}Graph Retrieval for Long-Context Question Answering$/),
      expect.stringMatching(/^3\. saved +\d{4}-\d\d-\d\d {2}Schrödinger Bridges for O\(n²\)-Free Diffusion Sampling$/),
    ]);
    expect(listed.stderr).toMatch(/`arxiv-digest feedback waiting --forget N` forgets one/);

    // Once one is archived, it waits no more: the others keep their order.
    await archiveTheDay(dir);
    const after = await cli(dir, "feedback", "waiting");
    expect(after.stdout).toMatch(/^1\. saved .*Deep Learning\n2\. saved .*Graph Retrieval[^\n]*\n$/);

    // A wrong number or title is named, exit 2, and nothing is written.
    const before = fileOf(dir);
    const wrong = await cli(dir, "feedback", "waiting", "--forget", "1", "7");
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toBe(
      "arxiv-digest: There is no waiting entry 7 (there are 2): `arxiv-digest feedback waiting` lists them by number.\n",
    );
    const unknown = await cli(dir, "feedback", "waiting", "--forget", "Deep Reinforcement Learning");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(
      'arxiv-digest: "Deep Reinforcement Learning" is not the title of a waiting entry: `arxiv-digest feedback waiting` lists them by number.\n',
    );
    // The title of an entry that counts for an archived paper points to `feedback clear`.
    const archived = await cli(dir, "feedback", "waiting", "--forget", SCHRODINGER);
    expect(archived.code).toBe(2);
    expect(archived.stderr).toMatch(
      /is not waiting: it names 2603\.00002, .*`arxiv-digest feedback clear 2603\.00002`/,
    );
    expect(fileOf(dir)).toBe(before);

    // By number, and by title in any casing: both are forgotten, and the reader is told which.
    const forgot = await cli(dir, "feedback", "waiting", "--forget", "2", "deep learning");
    expect(forgot.code, forgot.stderr).toBe(0);
    expect(forgot.stdout).toMatch(
      /^Forgot the waiting entry "Graph Retrieval for Long-Context Question Answering" \(saved since \d{4}-\d\d-\d\d\)\.\nForgot the waiting entry "Deep Learning" \(saved since \d{4}-\d\d-\d\d\)\.\nNo library entry is waiting for its paper now\.\n$/,
    );
    // Only lines were added (the file is append-only), each a clear by title; the DOI route is covered too.
    const added = fileOf(dir)
      .slice(before.length)
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(added.map((l) => [l.v, l.signal, l.source, l.title, l.doi])).toEqual([
      [2, "clear", "cli", "Graph Retrieval for Long-Context Question Answering", "10.1145/3589334.3645001"],
      [2, "clear", "cli", "Deep Learning", undefined],
    ]);
    expect((await cli(dir, "feedback", "waiting")).stdout).toBe("No library entry is waiting for its paper.\n");
    const list = await cli(dir, "feedback", "list");
    expect(list.stdout).not.toMatch(/\(waiting\)|Deep Learning|Graph Retrieval/);
    // A paper archived later under that DOI, by another title, stays forgotten.
    await new ArchiveStore(loadWorkspace(dir, {}).archiveDir).writeDay(
      makeDay({
        date: "2026-03-03",
        papers: [makePaper({ id: "2603.10001", title: "GraphRAG at Scale", doi: "10.1145/3589334.3645001" })],
      }),
    );
    expect((await cli(dir, "feedback", "list")).stdout).not.toContain("2603.10001");
    // Importing the library again brings nothing back.
    const again = await cli(dir, "feedback", "import", ZOTERO);
    expect(again.stdout).toContain("0 newly saved");
    expect((await cli(dir, "feedback", "waiting")).stdout).toBe("No library entry is waiting for its paper.\n");
  });

  it("has nothing to forget in a workspace without waiting entries", async () => {
    const { dir, cleanup } = tempWorkspace(DEFAULT_CONFIG);
    onTestFinished(cleanup);
    const r = await cli(dir, "feedback", "waiting", "--forget", "1");
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "arxiv-digest: There is no waiting entry 1: no library entry is waiting for its paper, so there is nothing to forget.\n",
    );
  });
});

/** `arxiv-digest serve` on any free port, until the test ends. */
async function serve(dir: string, site: string): Promise<{ url: string }> {
  const child: ChildProcess = spawn(
    process.execPath,
    [BIN, "serve", "--workspace", dir, "--dir", site, "--port", "0"],
    { env: isolatedEnv(), stdio: ["ignore", "pipe", "pipe"] },
  );
  onTestFinished(
    () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once("close", () => done());
        child.kill("SIGTERM");
      }),
  );
  let out = "";
  let err = "";
  child.stderr!.on("data", (d: Buffer) => {
    err += d.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = / at (http:\S+) \(Ctrl-C/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once("close", (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
  return { url };
}
