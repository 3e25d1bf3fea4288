/**
 * Paths the user names, through the real executable: an output folder is never a file, never the
 * workspace or one of its own files, and never a folder that holds the workspace; the demo never
 * writes into a real workspace; a missing or wrong input path is exit 2 with one sentence, before
 * anything is written.
 */
import { execFileSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isolatedEnv, runCli } from "../helpers/cli.js";
import { makeDay } from "../helpers/day-factory.js";
import { tempWorkspace } from "../helpers/workspace.js";

const CONFIG = readFileSync(new URL("../../defaults/arxiv-digest.yaml", import.meta.url), "utf8");
const AUTHORS = "Yoshua Bengio\n";
const DAY = "2026-02-05";
const DAY_FILE = `archive/2026/02/${DAY}.json`;
const RECORD = `${JSON.stringify(makeDay({ date: DAY, producer: "arxiv-digest run" }), null, 2)}\n`;

const made: { cleanup(): void }[] = [];
afterAll(() => {
  for (const m of made) m.cleanup();
});

/** A workspace with a real archived day; `outDir` replaces the config's site.outDir. */
function workspace(outDir?: string) {
  const yaml = outDir === undefined ? CONFIG : CONFIG.replace(/^ {2}outDir: .*$/m, `  outDir: ${outDir}`);
  const ws = tempWorkspace(yaml, { "authors.txt": AUTHORS, [DAY_FILE]: RECORD });
  made.push(ws);
  return ws;
}

/** Exit 2, one line on stderr, no stack trace; the line is returned. */
async function mistake(args: string[]): Promise<string> {
  const res = await runCli(args, { env: isolatedEnv() });
  expect(res.code, res.stderr).toBe(2);
  expect(res.stderr).not.toMatch(/--debug|\n\s+at /);
  expect(res.stderr.trim().split("\n")).toHaveLength(1);
  expect(res.stdout).toBe("");
  return res.stderr;
}

function lineOf(text: string, pattern: RegExp): number {
  return text.split("\n").findIndex((l) => pattern.test(l)) + 1;
}

describe("site and serve: the output folder", () => {
  it("--out naming a file is refused, and the file is kept", async () => {
    const ws = workspace();
    const notes = join(ws.dir, "notes.txt");
    writeFileSync(notes, "my notes\n");
    const said = await mistake(["site", "--workspace", ws.dir, "--out", notes]);
    expect(said).toContain(`--out ${notes} is a file, not a folder; choose a folder for the site`);
    expect(readFileSync(notes, "utf8")).toBe("my notes\n");
    // The config file itself is one of the workspace's own files.
    const config = join(ws.dir, "arxiv-digest.yaml");
    expect(await mistake(["site", "--workspace", ws.dir, "--out", config])).toContain(
      `--out ${config} is the workspace's own arxiv-digest.yaml; choose a folder of its own for the site`,
    );
    expect(readFileSync(config, "utf8")).toBe(CONFIG);
  });

  it("--out may not be the workspace, a folder holding it, or inside its archive", async () => {
    const ws = workspace();
    for (const [out, why] of [
      [ws.dir, "is the workspace itself"],
      [dirname(ws.dir), "holds the workspace"],
      [join(ws.dir, "archive"), "is the workspace's own archive"],
      [join(ws.dir, "archive", "site"), "is inside the workspace's own archive"],
    ] as const) {
      expect(await mistake(["site", "--workspace", ws.dir, "--out", out])).toContain(`--out ${out} ${why};`);
    }
    expect(readFileSync(join(ws.dir, DAY_FILE), "utf8")).toBe(RECORD);
    expect(readdirSync(join(ws.dir, "archive"))).toEqual(["2026"]);
  });

  it("--out outside the workspace builds there; a folder of someone else's files is refused", async () => {
    const ws = workspace();
    const www = join(mkdtempSync(join(tmpdir(), "ad-www-")), "www");
    const res = await runCli(["site", "--workspace", ws.dir, "--out", www], { env: isolatedEnv() });
    expect(res.code, res.stderr).toBe(0);
    expect(existsSync(join(www, "index.html"))).toBe(true);
    expect(existsSync(join(ws.dir, "site"))).toBe(false);

    const theirs = mkdtempSync(join(tmpdir(), "ad-theirs-"));
    writeFileSync(join(theirs, "photo.jpg"), "jpeg");
    expect(await mistake(["site", "--workspace", ws.dir, "--out", theirs])).toContain(
      `--out ${theirs} already holds files that the site build did not write; point --out at a new or empty folder.`,
    );
    expect(readdirSync(theirs)).toEqual(["photo.jpg"]);
  });

  it("a rebuild keeps the reader's CNAME, and names a hand-made file it replaces with its own page", async () => {
    const ws = workspace();
    const www = join(mkdtempSync(join(tmpdir(), "ad-www-")), "www");
    const first = await runCli(["site", "--workspace", ws.dir, "--out", www], { env: isolatedEnv() });
    expect(first.code, first.stderr).toBe(0);
    writeFileSync(join(www, "CNAME"), "papers.example.org\n");
    mkdirSync(join(www, "2026/02/06"));
    writeFileSync(join(www, "2026/02/06/index.html"), "hand-made");
    const next = `${JSON.stringify(makeDay({ date: "2026-02-06", producer: "arxiv-digest run" }), null, 2)}\n`;
    writeFileSync(join(ws.dir, "archive/2026/02/2026-02-06.json"), next);
    const again = await runCli(["site", "--workspace", ws.dir, "--out", www], { env: isolatedEnv() });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toBe(
      `Replaced ${join(www, "2026/02/06/index.html")}, which the site build did not write, with the build's own file of that name.\n`,
    );
    expect(readFileSync(join(www, "CNAME"), "utf8")).toBe("papers.example.org\n");
    expect(readFileSync(join(www, "2026/02/06/index.html"), "utf8")).toContain("2026-02-06");
  });

  it("site.outDir naming a workspace file, the workspace, or a folder outside it is a config error with its line", async () => {
    for (const [outDir, why] of [
      ["authors.txt", "is the workspace's own authors.txt"],
      ["arxiv-digest.yaml", "is the workspace's own arxiv-digest.yaml"],
      ["../escaped", "is outside the workspace"],
      [".", "is the workspace itself"],
      ["archive", "is the workspace's own archive"],
      [".github/pages", "is inside the workspace's own .github"],
      ["/var/www", "must be a path relative to the workspace"],
    ] as const) {
      const ws = workspace(outDir);
      const yaml = readFileSync(join(ws.dir, "arxiv-digest.yaml"), "utf8");
      const line = lineOf(yaml, /^ {2}outDir: /);
      const res = await runCli(["site", "--workspace", ws.dir], { env: isolatedEnv() });
      expect(res.code, res.stderr).toBe(2);
      expect(res.stderr).toContain(`site.outDir (line ${line}): "${outDir}" ${why}`);
      expect(res.stderr).not.toMatch(/--debug|\n\s+at /);
      expect(readFileSync(join(ws.dir, "authors.txt"), "utf8")).toBe(AUTHORS);
      expect(readFileSync(join(ws.dir, DAY_FILE), "utf8")).toBe(RECORD);
      expect(existsSync(join(dirname(ws.dir), "escaped"))).toBe(false);
    }
  });

  it("serve refuses a file and the workspace itself as its folder", async () => {
    const ws = workspace();
    const notes = join(ws.dir, "notes.txt");
    writeFileSync(notes, "my notes\n");
    expect(await mistake(["serve", "--workspace", ws.dir, "--dir", notes])).toContain(
      `--dir ${notes} is a file, not a folder; point --dir at the folder of a built site.`,
    );
    // With an index.html there, serving the workspace would put its .env on the local server.
    writeFileSync(join(ws.dir, "index.html"), "<html></html>\n");
    expect(await mistake(["serve", "--workspace", ws.dir, "--dir", ws.dir])).toContain(
      `--dir ${ws.dir} is the workspace itself;`,
    );
  });
});

describe("demo --out", () => {
  it("refuses a workspace, an archive or an authors.txt it did not write, and a file, writing nothing", async () => {
    const ws = workspace();
    expect(await mistake(["demo", "--out", ws.dir])).toContain(
      `demo --out ${ws.dir} is a workspace (it has arxiv-digest.yaml), whose archive and site the demo would overwrite; choose an empty or new folder, or drop --out to use demo-out.`,
    );
    expect(readFileSync(join(ws.dir, DAY_FILE), "utf8")).toBe(RECORD);
    expect(readdirSync(join(ws.dir, "archive", "2026"))).toEqual(["02"]);
    expect(existsSync(join(ws.dir, "site"))).toBe(false);

    // An archive without its config (a copy, a half-made workspace): its days are not the demo's.
    const bare = tempWorkspace(null, { [DAY_FILE]: RECORD });
    made.push(bare);
    expect(await mistake(["demo", "--out", bare.dir])).toContain(
      `demo --out ${bare.dir} already has an archive the demo did not write, whose days it would overwrite; choose an empty or new folder`,
    );
    expect(readdirSync(bare.dir)).toEqual(["archive"]);

    // The demo writes its own authors.txt: one it did not write is the reader's.
    const followed = tempWorkspace(null, { "authors.txt": AUTHORS });
    made.push(followed);
    expect(await mistake(["demo", "--out", followed.dir])).toContain(
      `demo --out ${followed.dir} has an authors.txt the demo did not write, which the demo would overwrite; choose an empty or new folder`,
    );
    expect(readdirSync(followed.dir)).toEqual(["authors.txt"]);
    expect(readFileSync(join(followed.dir, "authors.txt"), "utf8")).toBe(AUTHORS);

    const file = join(bare.dir, "notes.txt");
    writeFileSync(file, "my notes\n");
    expect(await mistake(["demo", "--out", file])).toContain(
      `demo --out ${file} is a file, not a folder; choose an empty or new folder`,
    );
    expect(await mistake(["demo", "--out", join(file, "demo")])).toContain(
      `demo --out ${join(file, "demo")} cannot be made: part of that path is a file, not a folder;`,
    );
    expect(readFileSync(file, "utf8")).toBe("my notes\n");
  });

  it("says how the folder was named: --workspace", async () => {
    const ws = workspace();
    expect(await mistake(["-w", ws.dir, "demo"])).toContain(
      `demo --workspace ${ws.dir} is a workspace (it has arxiv-digest.yaml), whose archive and site the demo would overwrite; choose an empty or new folder.`,
    );
  });

  it("takes a pipe or a link under the marker's name for no marker: the demo says so, run is not refused, neither hangs", async () => {
    const piped = tempWorkspace(null);
    made.push(piped);
    execFileSync("mkfifo", [join(piped.dir, ".arxiv-digest-demo")]);
    expect(await mistake(["demo", "--out", piped.dir])).toContain(
      `demo --out ${piped.dir} has a .arxiv-digest-demo that is not a regular file (a pipe, a socket or a device), not the demo's marker, which the demo would replace; move it away, or choose an empty or new folder`,
    );
    const linked = tempWorkspace(null);
    made.push(linked);
    symlinkSync("/dev/zero", join(linked.dir, ".arxiv-digest-demo"));
    expect(await mistake(["demo", "--out", linked.dir])).toContain(
      `demo --out ${linked.dir} has a .arxiv-digest-demo that is a symbolic link, not the demo's marker`,
    );
    expect(readdirSync(linked.dir)).toEqual([".arxiv-digest-demo"]);
    // A workspace with a pipe there: run (a Saturday, from the calendar alone) and doctor go on.
    const ws = workspace();
    execFileSync("mkfifo", [join(ws.dir, ".arxiv-digest-demo")]);
    const run = await runCli(["run", "--date", "2026-02-07", "--workspace", ws.dir], { env: isolatedEnv() });
    expect(run.code, run.stderr).toBe(0);
    const doctor = await runCli(["doctor", "--offline", "--workspace", ws.dir], { env: isolatedEnv() });
    expect(doctor.stdout).toContain("ok    config:");
    expect(doctor.stdout).not.toContain("demo folder");
  });
});

describe("input paths", () => {
  it("init on a file, import of a missing folder or a file, eval --labels and feedback import of missing paths", async () => {
    const ws = workspace();
    const file = join(ws.dir, "notes.txt");
    writeFileSync(file, "my notes\n");
    expect(await mistake(["init", file])).toContain(
      `${file} is a file, not a folder; choose another place for the workspace.`,
    );
    expect(readFileSync(file, "utf8")).toBe("my notes\n");

    const missing = join(ws.dir, "no-such-folder");
    expect(await mistake(["import", missing, "--workspace", ws.dir])).toContain(
      `The history folder ${missing} does not exist; give the folder that holds out/json/`,
    );
    expect(await mistake(["import", file, "--workspace", ws.dir])).toContain(
      `The history folder ${file} is a file, not a folder;`,
    );
    expect(await mistake(["eval", "--labels", missing, "--workspace", ws.dir])).toContain(
      `The labelled days folder ${missing} does not exist; give a folder of labelled days`,
    );
    expect(await mistake(["eval", "--labels", file, "--workspace", ws.dir])).toContain(
      `The labelled days folder ${file} is a file, not a folder;`,
    );
    expect(await mistake(["feedback", "import", missing, "--workspace", ws.dir])).toContain(
      `${missing} does not exist; give a .bib, .ris, CSL .json or feedback .jsonl file.`,
    );
    expect(await mistake(["feedback", "import", ws.dir, "--workspace", ws.dir])).toContain(
      `${ws.dir} is a folder, not a file;`,
    );
    expect(existsSync(join(ws.dir, "feedback.jsonl"))).toBe(false);
    expect(readdirSync(join(ws.dir, "archive", "2026", "02"))).toEqual([`${DAY}.json`]);
  });
});

describe("a damaged archived day", () => {
  it("is left out of the site, named, and the build exits 1 so a workflow notices", async () => {
    const ws = tempWorkspace(CONFIG, {
      "authors.txt": AUTHORS,
      [DAY_FILE]: RECORD,
      "archive/2026/02/2026-02-06.json": "{ not json",
    });
    made.push(ws);
    const r = await runCli(["site", "--workspace", ws.dir], { env: isolatedEnv() });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^Left out 2026-02-06: /m);
    expect(existsSync(join(ws.dir, "site", "2026", "02", "05", "index.html"))).toBe(true);
  }, 120_000);
});

describe("--workspace names the folder of init and demo too", () => {
  it("makes the workspace where --workspace says, not in the current folder, and refuses two folders", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "ws-cwd-"));
    const parent = mkdtempSync(join(tmpdir(), "ws-target-"));
    const target = join(parent, "papers");
    made.push({
      cleanup: () => {
        for (const d of [cwd, parent]) rmSync(d, { recursive: true, force: true });
      },
    });
    const init = await runCli(["--workspace", target, "init", "-q"], { env: isolatedEnv(), cwd });
    expect(init.code, init.stderr).toBe(0);
    expect(existsSync(join(target, "arxiv-digest.yaml"))).toBe(true);
    expect(readdirSync(cwd)).toEqual([]);
    const said = await mistake(["-w", target, "init", join(cwd, "elsewhere"), "--force"]);
    expect(said).toContain(
      `init ${join(cwd, "elsewhere")} and --workspace ${target} name two folders; give one of them.`,
    );
    expect(existsSync(join(cwd, "elsewhere"))).toBe(false);
    // The demo writes where --workspace says; `serve --workspace` then finds it.
    const demoDir = join(dirname(target), "demo");
    const demo = await runCli(["-w", demoDir, "-q", "demo"], { env: isolatedEnv(), cwd });
    expect(demo.code, demo.stderr).toBe(0);
    expect(existsSync(join(demoDir, "site", "index.html"))).toBe(true);
    expect(readdirSync(cwd)).toEqual([]);
  }, 120_000);
});
