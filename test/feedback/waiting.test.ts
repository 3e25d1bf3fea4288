/**
 * Library entries kept by title ("waiting"), through the real executable against temporary
 * workspaces: once the archive holds a paper of that title, `feedback list`, `eval` and the pages
 * `serve` hands out count the entry for that paper, with no `feedback resolve` and nothing
 * rewritten; `feedback waiting` lists the entries that still wait, each with a handle that never
 * changes, and forgets the ones named.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { ArchiveStore } from "../../src/archive/store.js";
import { MIN_HANDLE_CHARS } from "../../src/feedback/titled.js";
import type { PaperRecord } from "../../src/model/day-record.js";
import { loadWorkspace } from "../../src/workspace/load.js";
import { BIN, isolatedEnv, runCli, SELF } from "../helpers/cli.js";
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
    const listed = list.stdout
      .split("\n")
      .flatMap((l) => /^waiting:([0-9a-f]{7,}) /.exec(l)?.[1] ?? [])
      .sort();
    expect(listed).toHaveLength(2);
    // The handle beside each is the one `feedback waiting` shows, so `--forget` takes it straight from the list.
    const waiting = await cli(dir, "feedback", "waiting");
    expect(
      waiting.stdout
        .split("\n")
        .flatMap((l) => /^([0-9a-f]{7,}) /.exec(l)?.[1] ?? [])
        .sort(),
    ).toEqual(listed);

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

/** A listing's lines as [handle, title]. */
const rowsOf = (stdout: string) =>
  stdout
    .split("\n")
    .filter(Boolean)
    .map((l) => {
      const m = /^([0-9a-f]{7,}) {2,}saved +\d{4}-\d\d-\d\d {2}(.*)$/.exec(l);
      expect(m, l).not.toBeNull();
      return [m![1]!, m![2]!] as const;
    });

/** The lines appended to the feedback file since `before`, parsed. */
const addedSince = (dir: string, before: string) =>
  fileOf(dir)
    .slice(before.length)
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { v: number; signal: string; source: string; title: string; doi?: string });

describe("feedback waiting", () => {
  it("lists each entry with a handle, forgets the ones named by handle or title and says so", async () => {
    const dir = await importedWorkspace();
    const listed = await cli(dir, "feedback", "waiting");
    expect(listed.code).toBe(0);
    // Oldest first; entries given at one instant (one import) by title, whatever the file's line order.
    const rows = rowsOf(listed.stdout);
    expect(rows.map(([, title]) => title)).toEqual([
      "Deep Learning",
      "Graph Retrieval for Long-Context Question Answering",
      "Schrödinger Bridges for O(n²)-Free Diffusion Sampling",
    ]);
    const [deep, graph] = rows.map(([handle]) => handle);
    expect(listed.stderr).toContain(`\`${SELF} feedback waiting --forget HANDLE --workspace ${dir}\` forgets one`);

    // Once one is archived, it waits no more: the others keep their handles.
    await archiveTheDay(dir);
    const after = await cli(dir, "feedback", "waiting");
    expect(rowsOf(after.stdout)).toEqual(rows.slice(0, 2));

    // A wrong handle or title is named, exit 2, and nothing is written.
    const before = fileOf(dir);
    const wrong = await cli(dir, "feedback", "waiting", "--forget", deep!, "ffffffff");
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toBe(
      `arxiv-digest: "ffffffff" is neither the handle nor the title of a waiting entry: \`${SELF} feedback waiting --workspace ${dir}\` lists each entry with its handle.\n`,
    );
    const unknown = await cli(dir, "feedback", "waiting", "--forget", "Deep Reinforcement Learning");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(
      `arxiv-digest: "Deep Reinforcement Learning" is neither the handle nor the title of a waiting entry: \`${SELF} feedback waiting --workspace ${dir}\` lists each entry with its handle.\n`,
    );
    // A place in the list names nothing: entries have no numbers, and digits too few for a handle pick none.
    const number = await cli(dir, "feedback", "waiting", "--forget", "2");
    expect(number.code).toBe(2);
    expect(number.stderr).toBe(
      `arxiv-digest: "2" is too short to name a waiting entry: give at least the first 4 characters of the handle \`${SELF} feedback waiting --workspace ${dir}\` shows beside it (entries have no numbers).\n`,
    );
    // The title of an entry that counts for an archived paper points to `feedback clear`.
    const archived = await cli(dir, "feedback", "waiting", "--forget", SCHRODINGER);
    expect(archived.code).toBe(2);
    expect(archived.stderr).toMatch(
      new RegExp(
        String.raw`is not waiting: it names 2603\.00002, .*\`${SELF} feedback clear 2603\.00002 --workspace [^\`]+\``,
      ),
    );
    expect(fileOf(dir)).toBe(before);

    // By handle (any case, a prefix of it) and by title in any casing: both are forgotten, and the reader is told which.
    const forgot = await cli(dir, "feedback", "waiting", "--forget", graph!.slice(0, 5).toUpperCase(), "deep learning");
    expect(forgot.code, forgot.stderr).toBe(0);
    expect(forgot.stdout).toMatch(
      new RegExp(
        `^Forgot the waiting entry ${graph} "Graph Retrieval for Long-Context Question Answering" \\(saved since \\d{4}-\\d\\d-\\d\\d\\)\\.\n` +
          `Forgot the waiting entry ${deep} "Deep Learning" \\(saved since \\d{4}-\\d\\d-\\d\\d\\)\\.\n` +
          "No library entry is waiting for its paper now\\.\n$",
      ),
    );
    // Only lines were added (the file is append-only), each a clear by title; the DOI route is covered too.
    expect(addedSince(dir, before).map((l) => [l.v, l.signal, l.source, l.title, l.doi])).toEqual([
      [2, "clear", "cli", "Graph Retrieval for Long-Context Question Answering", "10.1145/3589334.3645001"],
      [2, "clear", "cli", "Deep Learning", undefined],
    ]);
    expect((await cli(dir, "feedback", "waiting")).stdout).toBe("No library entry is waiting for its paper.\n");
    const list = await cli(dir, "feedback", "list");
    expect(list.stdout).not.toMatch(/\(waiting\)|Deep Learning|Graph Retrieval/);
    // Its handle still names the entry, which is forgotten already.
    const twice = await cli(dir, "feedback", "waiting", "--forget", deep!);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toBe(
      `arxiv-digest: The entry ${deep} waits no more: it was forgotten or cleared already, so there is nothing to forget.\n`,
    );
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

  it("keeps a handle on its entry when a paper archived meanwhile takes an earlier entry off the list", async () => {
    const dir = await importedWorkspace();
    const rows = rowsOf((await cli(dir, "feedback", "waiting")).stdout);
    const [deep, graph, schrodinger] = rows.map(([handle]) => handle);
    // The daily run archives "Deep Learning", the first entry, between the listing and the forget:
    // the entry listed third is second now, and the handle still names it.
    await new ArchiveStore(loadWorkspace(dir, {}).archiveDir).writeDay(
      makeDay({ date: "2026-03-02", papers: [makePaper({ id: "2603.00009", title: "Deep learning" })] }),
    );
    expect(rowsOf((await cli(dir, "feedback", "waiting")).stdout)).toEqual(rows.slice(1));
    const before = fileOf(dir);
    // The archived entry's handle names it still, and points to its paper: nothing is written.
    const gone = await cli(dir, "feedback", "waiting", "--forget", schrodinger!, deep!);
    expect(gone.code).toBe(2);
    expect(gone.stderr).toBe(
      `arxiv-digest: The entry ${deep} waits no more: it names 2603.00009, archived or resolved since; forget its feedback with \`${SELF} feedback clear 2603.00009 --workspace ${dir}\`.\n`,
    );
    expect(fileOf(dir)).toBe(before);

    const forgot = await cli(dir, "feedback", "waiting", "--forget", schrodinger!);
    expect(forgot.code, forgot.stderr).toBe(0);
    expect(forgot.stdout).toMatch(
      new RegExp(
        String.raw`^Forgot the waiting entry [0-9a-f]{7} "Schrödinger Bridges for O\(n²\)-Free Diffusion Sampling" \(saved since \d{4}-\d\d-\d\d\)\.\n1 entry still waits: \`${SELF} feedback waiting --workspace [^\`]+\` lists each entry with its handle\.\n$`,
      ),
    );
    expect(addedSince(dir, before).map((l) => [l.signal, l.title])).toEqual([
      ["clear", "Schrödinger Bridges for O(n²)-Free Diffusion Sampling"],
    ]);
    expect(rowsOf((await cli(dir, "feedback", "waiting")).stdout)).toEqual([[graph, rows[1]![1]]]);
  });

  it("shows more of a handle another shares, and takes no prefix two handles start with", async () => {
    const dir = await importedWorkspace();
    // Titles whose handles share their first 4 (b948…) and their first 7 characters (07c0ff8…).
    const titles = [
      "Sparse attention survey part 89",
      "Sparse attention survey part 177",
      "Sparse attention survey part 4052",
      "Sparse attention survey part 22968",
    ];
    const lines = titles.map((title) =>
      JSON.stringify({ v: 2, signal: "save", at: "2026-03-01T12:00:00.000Z", source: "cli", title }),
    );
    const extra = join(dir, "extra.jsonl");
    writeFileSync(extra, `${lines.join("\n")}\n`);
    expect((await cli(dir, "feedback", "import", extra)).code).toBe(0);
    const handles = new Map(rowsOf((await cli(dir, "feedback", "waiting")).stdout).map(([h, t]) => [t, h]));
    expect(titles.map((t) => handles.get(t))).toEqual(["b94898e", "b948814", "07c0ff84", "07c0ff8a"]);

    const before = fileOf(dir);
    const shared = await cli(dir, "feedback", "waiting", "--forget", "b9489", "b948");
    expect(shared.code).toBe(2);
    expect(shared.stderr).toBe(
      'arxiv-digest: "b948" starts the handles of 2 entries (b948814, b94898e): give more of the one you mean.\n',
    );
    const seven = await cli(dir, "feedback", "waiting", "--forget", "07c0ff8");
    expect(seven.code).toBe(2);
    expect(seven.stderr).toBe(
      'arxiv-digest: "07c0ff8" starts the handles of 2 entries (07c0ff84, 07c0ff8a): give more of the one you mean.\n',
    );
    expect(fileOf(dir)).toBe(before);

    const forgot = await cli(dir, "feedback", "waiting", "--forget", "b9489", "07c0ff8a");
    expect(forgot.code, forgot.stderr).toBe(0);
    expect(addedSince(dir, before).map((l) => [l.signal, l.title])).toEqual([
      ["clear", titles[0]],
      ["clear", titles[3]],
    ]);
  });

  it("says in --help the shortest handle --forget takes, as the code counts it", async () => {
    const r = await runCli(["feedback", "waiting", "--help"], { env: isolatedEnv() });
    expect(r.stdout.replace(/\s+/g, " ")).toContain(`its first ${MIN_HANDLE_CHARS} characters or more`);
  });

  it("counts the entries forgotten since an earlier import apart when the library is imported again", async () => {
    const dir = await importedWorkspace();
    const forgot = await cli(
      dir,
      "feedback",
      "waiting",
      "--forget",
      "Deep Learning",
      "Graph Retrieval for Long-Context Question Answering",
    );
    expect(forgot.code, forgot.stderr).toBe(0);
    const again = await cli(dir, "feedback", "import", ZOTERO);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(
      "1 saved by title until its paper is archived, 2 forgotten before and left so, 0 newly saved,",
    );
    expect(again.stdout).not.toMatch(/3 saved by title/);
    expect((await cli(dir, "feedback", "waiting")).stdout).toMatch(/Schrödinger Bridges/);
  });

  it("has nothing to forget in a workspace without waiting entries", async () => {
    const { dir, cleanup } = tempWorkspace(DEFAULT_CONFIG);
    onTestFinished(cleanup);
    const r = await cli(dir, "feedback", "waiting", "--forget", "abcd123");
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'arxiv-digest: "abcd123" names no waiting entry: no library entry is waiting for its paper, so there is nothing to forget.\n',
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
