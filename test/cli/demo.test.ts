/** `arxiv-digest demo` through the real executable: offline, no key, three real days, every output written. */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { sha256 } from "../../src/io/hash.js";
import { DayRecordSchema } from "../../src/model/day-record.js";
import { BIN, hasScript, isolatedEnv, runCli } from "../helpers/cli.js";
import { startFeedDayServer } from "../helpers/feed-day.js";
import { startServer } from "../helpers/server.js";

/** The executable on a pseudo-terminal \`columns\` wide (util-linux \`script\`): what the terminal shows. */
function onTerminal(args: string[], columns: number, cwd: string): Promise<string> {
  const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
  const command = `stty cols ${columns} rows 50 && exec ${[process.execPath, BIN, ...args].map(quote).join(" ")}`;
  return new Promise((resolve, reject) => {
    const child = spawn("script", ["-qec", command, "/dev/null"], {
      cwd,
      env: isolatedEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => {
      output += d.toString();
    });
    child.on("error", reject);
    child.on("close", () => resolve(output.replaceAll("\r\n", "\n")));
  });
}

describe("arxiv-digest demo", () => {
  it.skipIf(!hasScript)(
    "on an 80-column terminal, puts a path too long to sit beside its label on a line of its own, whole",
    async () => {
      const parent = mkdtempSync(join(tmpdir(), "ad-demo-terminal-"));
      onTestFinished(() => rmSync(parent, { recursive: true, force: true }));
      // A folder named from where the demo runs, as the reader would type it.
      const out = join("a-folder-of-some-length", "demo-out");
      const output = await onTerminal(["demo", "-q", "--out", out], 80, parent);
      for (const line of output.split("\n")) expect(line.length, line).toBeLessThanOrEqual(80);
      const latest = join(out, "archive", "2026", "03", "2026-03-24.md");
      expect(latest.length).toBeGreaterThan(80 - 31);
      expect(output).toContain(`\n  latest Markdown digest:\n    ${latest}\n`);
      expect(output).toContain(`\n  config it judged with:\n    ${join(out, "arxiv-digest.yaml")}\n`);
    },
    120_000,
  );

  it("runs the real pipeline over the bundled days and says where to look", async () => {
    const parent = mkdtempSync(join(tmpdir(), "ad-demo-"));
    onTestFinished(() => rmSync(parent, { recursive: true, force: true }));
    const out = join(parent, "demo-out");
    // A key in the environment must not turn the demo into a paid run.
    const r = await runCli(["demo", "--out", out], { env: isolatedEnv({ OPENAI_API_KEY: "sk-must-not-be-used" }) });
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/3 announcement days/);
    const manifest = JSON.parse(readFileSync(new URL("../../demo/data/manifest.json", import.meta.url), "utf8"));
    const days = manifest.days as { date: string; entries: number }[];
    expect(days.map((d) => [d.date, d.entries])).toEqual([
      ["2026-03-17", 277],
      ["2026-03-18", 163],
      ["2026-03-24", 216],
    ]);
    for (const d of days) {
      const [y, m] = d.date.split("-");
      const file = join(out, "archive", y!, m!, `${d.date}.json`);
      const day = DayRecordSchema.parse(JSON.parse(readFileSync(file, "utf8")));
      expect(day.status.code).toBe("normal");
      expect(day.counts.entries).toBe(d.entries);
      // Every scanned paper is in the record, each exactly once, each with an outcome.
      expect(day.papers).toHaveLength(day.counts.scanned!);
      expect(new Set(day.papers.map((p) => p.id)).size).toBe(day.papers.length);
      expect(day.papers.every((p) => p.scoredBy === "lexical" || p.scoredBy === "author")).toBe(true);
      expect(day.counts.selected).toBeGreaterThan(0);
      expect(day.usage.total.calls).toBe(0);
      expect(day.notes.join(" ")).toMatch(/offline/i);
      expect(existsSync(file.replace(/\.json$/, ".md"))).toBe(true);
      expect(r.stdout).toContain(`${d.date}: `);
      expect(r.stdout).toContain(`of ${d.entries} scanned`);
    }
    expect(existsSync(join(out, "site", "index.html"))).toBe(true);
    expect(r.stdout).toContain(join(out, "site"));
    expect(r.stdout).toContain(`  preview the website:         npx arxiv-digest serve --workspace ${out}\n`);
    // Three days: the offline scorer, the demo config's choice, is said once, as information.
    expect(r.stderr.match(/llm\.provider is "offline"/g)).toHaveLength(1);
    expect(r.stderr).not.toMatch(/warning: llm\.provider is "offline"/);
    expect(r.stderr).toContain("Learning from 1 earlier day: ");
    expect(r.stderr).toContain("Learning from 2 earlier days: ");

    // Its own output is the demo's to rewrite: by the marker it leaves, and (a demo of a version
    // that left none) by every archived day being the demo's.
    expect(existsSync(join(out, ".arxiv-digest-demo"))).toBe(true);
    const again = await runCli(["demo", "--out", out], { env: isolatedEnv() });
    expect(again.code, again.stderr).toBe(0);
    rmSync(join(out, ".arxiv-digest-demo"));
    const legacy = await runCli(["demo", "--out", out], { env: isolatedEnv() });
    expect(legacy.code, legacy.stderr).toBe(0);
    expect(legacy.stdout).toMatch(/3 announcement days/);
    expect(existsSync(join(out, ".arxiv-digest-demo"))).toBe(true);
  }, 240_000);

  it("outside a clone, tells the installed command to preview, not an npx that would ask the registry", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "ad-demo-cwd-"));
    onTestFinished(() => rmSync(cwd, { recursive: true, force: true }));
    const r = await runCli(["demo", "-q"], { cwd, env: isolatedEnv() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("  preview the website:         arxiv-digest serve --workspace demo-out\n");
    expect(r.stdout).toContain("  replay and grade selection:  arxiv-digest eval --warm --workspace demo-out\n");
    // Where to look: the folder as the reader knows it, not the absolute path it resolved to.
    expect(r.stdout).toContain(
      "Where to look:\n  archive (one JSON per day):  demo-out/archive/\n  latest Markdown digest:      demo-out/archive/2026/03/2026-03-24.md\n  website:                     demo-out/site/\n  config it judged with:       demo-out/arxiv-digest.yaml\n",
    );
    expect(r.stdout).not.toContain(cwd);
    expect(existsSync(join(cwd, "demo-out", "site", "index.html"))).toBe(true);
    // Its comment, and what run says in the folder, call the program as the closing lines do.
    const written = readFileSync(join(cwd, "demo-out", "arxiv-digest.yaml"), "utf8");
    expect(written).toContain("run `arxiv-digest init .` in it");
    expect(written).not.toContain("npx");
    const refused = await runCli(["run", "-w", "demo-out"], { cwd, env: isolatedEnv() });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("run `arxiv-digest init --workspace demo-out` to make it your workspace");

    // Its config, edited since: the demo run again without --out names the folder as the reader
    // knows it and asks for --out, not for dropping a flag they did not give.
    const config = join(cwd, "demo-out", "arxiv-digest.yaml");
    writeFileSync(config, readFileSync(config, "utf8").replace("minRelevance: 7", "minRelevance: 6"));
    const edited = await runCli(["demo", "-q"], { cwd, env: isolatedEnv() });
    expect(edited.code).toBe(2);
    expect(edited.stderr).toBe(
      "arxiv-digest: the demo's folder demo-out has an arxiv-digest.yaml changed since the demo wrote it, which the demo would overwrite; give --out a new folder.\n",
    );
    // --out naming that same folder: "drop --out" would name it again.
    const same = await runCli(["demo", "-q", "--out", "demo-out"], { cwd, env: isolatedEnv() });
    expect(same.stderr).toBe(
      "arxiv-digest: demo --out demo-out has an arxiv-digest.yaml changed since the demo wrote it, which the demo would overwrite; choose an empty or new folder.\n",
    );
  }, 120_000);

  it("becomes the reader's workspace by following its config's comment: init on it, then doctor and run", async () => {
    const parent = mkdtempSync(join(tmpdir(), "ad-demo-own-"));
    onTestFinished(() => rmSync(parent, { recursive: true, force: true }));
    const out = join(parent, "demo-out");
    const demo = await runCli(["demo", "-q", "--out", out], { env: isolatedEnv() });
    expect(demo.code, demo.stderr).toBe(0);
    const configPath = join(out, "arxiv-digest.yaml");
    const config = readFileSync(configPath, "utf8");
    const comment = config
      .split("\n")
      .filter((line) => line.startsWith("#"))
      .join(" ")
      .replace(/\s*#\s*/g, " ");
    expect(comment).toContain(
      "To make this folder your own workspace, run `npx arxiv-digest init .` in it: it keeps this file and authors.txt, adds the prompts, .gitignore, .env.example and the GitHub Actions workflows, and removes .arxiv-digest-demo.",
    );
    expect(comment).toContain("list the people you follow in authors.txt (it holds the demo's five");

    // As it says: `init .` in the folder.
    const init = await runCli(["init", "."], { cwd: out, env: isolatedEnv() });
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain("  kept  arxiv-digest.yaml (exists; --force overwrites)\n");
    expect(init.stdout).toContain("  kept  authors.txt (exists; --force overwrites)\n");
    expect(init.stdout).toContain("  wrote prompts/system.md\n");
    expect(init.stdout).toContain("  wrote .gitignore\n");
    expect(init.stdout).toContain("  wrote .github/workflows/daily.yml\n");
    expect(init.stdout).toContain(
      "Removed .arxiv-digest-demo: the folder was the demo's, and is now your workspace (`run` and `backfill` work in it).\n",
    );
    // The demo's comment no longer applies: init removes it, exactly as the demo wrote it, and
    // nothing else; the settings below it stay as they were.
    expect(init.stdout).toContain(
      "Removed the demo's comment from the top of arxiv-digest.yaml, which said the file was the demo's; the settings below it are as they were.\n",
    );
    const header = config.slice(0, config.indexOf("# arxiv-digest workspace configuration."));
    expect(header).toMatch(/^# Written by `npx arxiv-digest demo`[\s\S]*\n\n$/);
    expect(readFileSync(configPath, "utf8")).toBe(config.slice(header.length));
    expect(existsSync(join(out, ".arxiv-digest-demo"))).toBe(false);

    // Then the categories and topics (the test feed's day), the contact, the scorer, authors.txt, archive/.
    writeFileSync(
      configPath,
      config
        .replace("  categories: [cs.LG, cs.AI]\n", "  categories: [cs.LG, cs.AI, cs.CL]\n")
        .replace('  contact: ""\n', "  contact: reader@example.org\n")
        .replace("  minIntervalSeconds: 3\n", "  minIntervalSeconds: 0\n")
        .replace("  provider: offline\n", "  provider: auto\n"),
    );
    writeFileSync(join(out, "authors.txt"), "Kaiming He\n");
    rmSync(join(out, "archive"), { recursive: true });
    const arxiv = await startFeedDayServer();
    onTestFinished(() => arxiv.close());
    const env = isolatedEnv({ ARXIV_RSS_URL: `${arxiv.url}/rss` });
    const doctor = await runCli(["doctor", "--offline"], { cwd: out, env });
    expect(doctor.stdout).not.toContain("demo folder");
    expect(doctor.stdout).toContain(`ok    config: ${configPath} is valid (cs.LG, cs.AI, cs.CL; 4 topics).`);
    expect(doctor.stdout).toContain("ok    authors: 1 followed author in");
    const run = await runCli(["run", "--date", "2026-02-05"], { cwd: out, env });
    expect(run.code, run.stderr).toBe(0);
    const day = DayRecordSchema.parse(
      JSON.parse(readFileSync(join(out, "archive", "2026", "02", "2026-02-05.json"), "utf8")),
    );
    expect(day.status.code).toBe("normal");
    expect(day.producer).not.toBe("arxiv-digest demo");
  }, 240_000);

  it("refuses nothing in a workspace whose marker is an earlier version's, or whose config the reader replaced", async () => {
    const parent = mkdtempSync(join(tmpdir(), "ad-demo-upgrade-"));
    onTestFinished(() => rmSync(parent, { recursive: true, force: true }));
    // An earlier version's `demo --out .` then `init .`: its marker (no digests) is still there,
    // committed with the rest; `run` and doctor take the folder as the reader's.
    const ws = join(parent, "digest");
    expect((await runCli(["init", "-q", ws], { env: isolatedEnv() })).code).toBe(0);
    writeFileSync(
      join(ws, ".arxiv-digest-demo"),
      "Written by `arxiv-digest demo`: running the demo again with this folder rewrites it.\n",
    );
    // A Saturday: written from the calendar, without the network.
    const saturday = ["run", "--date", "2026-02-07", "--workspace", ws];
    const run = await runCli(saturday, { env: isolatedEnv() });
    expect(run.code, run.stderr).toBe(0);
    const doctor = await runCli(["doctor", "--offline", "--workspace", ws], { env: isolatedEnv() });
    expect(doctor.stdout).not.toContain("demo folder");
    // Today's marker beside a config the reader wrote over the demo's (init --force, an edit).
    writeFileSync(
      join(ws, ".arxiv-digest-demo"),
      `Written by \`arxiv-digest demo\`: …\nsha256 ${sha256("# the demo's config\n")}  arxiv-digest.yaml\n`,
    );
    const again = await runCli(saturday, { env: isolatedEnv() });
    expect(again.code, again.stderr).toBe(0);
    // And `init` there removes it, saying so in one line.
    const init = await runCli(["init", "-q", ws], { env: isolatedEnv() });
    expect(init.stdout).toContain("Removed .arxiv-digest-demo:");
    expect(existsSync(join(ws, ".arxiv-digest-demo"))).toBe(false);
  }, 120_000);
  it("leaves a workspace the other commands take offline, which run and backfill fetch nothing into", async () => {
    const parent = mkdtempSync(join(tmpdir(), "ad-demo-ws-"));
    onTestFinished(() => rmSync(parent, { recursive: true, force: true }));
    const out = join(parent, "demo-out");
    const demo = await runCli(["demo", "-q", "--out", out], { env: isolatedEnv() });
    expect(demo.code, demo.stderr).toBe(0);
    // What to try next, each command as written on a line of its own.
    expect(demo.stdout).toContain("The folder is a workspace: try the other commands on it");
    // The warm replay, as the demo's days were made: the tool agreeing with itself.
    expect(demo.stdout).toContain(`  replay and grade selection:  npx arxiv-digest eval --warm --workspace ${out}\n`);
    const config = join(out, "arxiv-digest.yaml");
    const written = readFileSync(config, "utf8");
    // Its comment calls the program as the closing lines do (here a clone, after `npm ci`: npx).
    expect(written).toMatch(/^# Written by `npx arxiv-digest demo`/);
    expect(written).toContain("`npx arxiv-digest init my-digest`");
    expect(written).not.toMatch(/[^x] arxiv-digest init|`arxiv-digest init/);
    expect(written).toContain("  provider: offline\n");
    expect(written).toContain("  categories: [cs.LG, cs.AI]\n");
    const ws = ["--workspace", out];
    const env = isolatedEnv();

    // eval replays the archive, labelled by the demo's own picks (it says so); warm, as the demo ran, it picks them all again.
    const evaluated = await runCli(["eval", "-q", ...ws], { env });
    expect(evaluated.code, evaluated.stderr).toBe(0);
    expect(evaluated.stdout).toContain(
      "3 days, judged by the offline scorer, replayed without history (no earlier pick, no feedback), where the daily run learns from the days before; `--warm` replays as the run did.\n",
    );
    expect(evaluated.stdout).toContain(
      "note: 3 of 3 days had no paper you liked or saved and are labelled by the earlier digest's own picks",
    );
    const warm = await runCli(["eval", "--warm", "--json", ...ws], { env });
    expect(warm.code, warm.stderr).toBe(0);
    const report = JSON.parse(warm.stdout) as { days: unknown[]; overall: { recallSelected: { value: number } } };
    expect(report.days).toHaveLength(3);
    expect(report.overall.recallSelected.value).toBe(1);

    const rendered = await runCli(["render", "latest", ...ws], { env });
    expect(rendered.code, rendered.stderr).toBe(0);
    expect(rendered.stdout).toMatch(/^# Daily arXiv digest: 2026-03-24/);
    // doctor checks the folder as any workspace (the demo invites it there), and warns of the one
    // thing `run` would refuse.
    const doctor = await runCli(["doctor", "--offline", ...ws], { env });
    expect(doctor.code, doctor.stdout + doctor.stderr).toBe(0);
    expect(doctor.stdout).toContain(`ok    config: ${config} is valid (cs.LG, cs.AI; 4 topics).`);
    expect(doctor.stdout).toContain("ok    authors: 5 followed authors in");
    expect(doctor.stdout).toContain(
      `warn  demo folder: ${out} is the demo's folder (.arxiv-digest-demo marks its arxiv-digest.yaml as the demo's), so \`run\` and \`backfill\` fetch nothing into it: run \`npx arxiv-digest init --workspace ${out}\` to make it your workspace`,
    );
    expect(doctor.stdout).toMatch(/\nReady\.\n$/);
    const site = await runCli(["site", ...ws], { env });
    expect(site.code, site.stderr).toBe(0);
    expect(site.stdout).toContain("3 days");
    const day = JSON.parse(readFileSync(join(out, "archive", "2026", "03", "2026-03-24.json"), "utf8")) as {
      papers: { id: string; outcome: string }[];
    };
    const unpicked = day.papers.find((p) => p.outcome !== "selected")!.id;
    const liked = await runCli(["feedback", "like", unpicked, ...ws], { env });
    expect(liked.code, liked.stderr).toBe(0);
    const relabelled = await runCli(["eval", "-q", ...ws], { env });
    expect(relabelled.stdout).toContain("2026-03-24  1 label from your likes and saves:");

    // run and backfill stop before any request, with or without a key, and say what to do.
    const arxiv = await startServer((_req, res) => {
      res.writeHead(500);
      res.end();
    });
    onTestFinished(() => arxiv.close());
    const fetching = isolatedEnv({ ARXIV_RSS_URL: `${arxiv.url}/rss`, ARXIV_API_URL: `${arxiv.url}/api/query` });
    const archived = readdirSync(join(out, "archive", "2026", "03")).sort();
    for (const args of [["run"], ["run", "--date", "2026-03-25"], ["backfill"], ["backfill", "--imported"]]) {
      for (const key of [{}, { OPENAI_API_KEY: "sk-must-not-be-used" }] as Record<string, string>[]) {
        const r = await runCli([...args, ...ws], { env: { ...fetching, ...key } });
        expect(r.code, `${args.join(" ")}: ${r.stderr}`).toBe(2);
        expect(r.stderr).toContain(
          `arxiv-digest: ${out} is the demo's folder (.arxiv-digest-demo marks its arxiv-digest.yaml as the demo's), so \`${args.join(" ").replace(/ --date.*/, "")}\` fetches nothing into it: run \`npx arxiv-digest init --workspace ${out}\` to make it your workspace (it keeps the config and authors.txt and removes .arxiv-digest-demo), or delete .arxiv-digest-demo; for a new workspace elsewhere, \`npx arxiv-digest init my-digest\`.\n`,
        );
      }
    }
    expect(arxiv.requests).toEqual([]);
    expect(readdirSync(join(out, "archive", "2026", "03")).sort()).toEqual(archived);

    // A second demo into the folder rewrites what it wrote (the reader's feedback stays): here an
    // earlier version's config and authors.txt, as its marker records them, which the demo
    // replaces with its own; a config changed since is the reader's: refused, as is one without
    // the demo's marker.
    const authorsPath = join(out, "authors.txt");
    const authors = readFileSync(authorsPath, "utf8");
    const earlier = { config: `${written}# an earlier version\n`, authors: `${authors}Geoffrey Hinton\n` };
    writeFileSync(config, earlier.config);
    writeFileSync(authorsPath, earlier.authors);
    writeFileSync(
      join(out, ".arxiv-digest-demo"),
      `Written by \`arxiv-digest demo\`: an earlier version.\nsha256 ${sha256(earlier.config)}  arxiv-digest.yaml\nsha256 ${sha256(earlier.authors)}  authors.txt\n`,
    );
    const again = await runCli(["demo", "-q", "--out", out], { env });
    expect(again.code, again.stderr).toBe(0);
    expect(readFileSync(config, "utf8")).toBe(written);
    expect(readFileSync(authorsPath, "utf8")).toBe(authors);
    expect(readFileSync(join(out, ".arxiv-digest-demo"), "utf8")).not.toContain(sha256(earlier.config));
    expect(readFileSync(join(out, "feedback.jsonl"), "utf8")).toContain(unpicked);
    const mine = written.replace("minRelevance: 7", "minRelevance: 6");
    writeFileSync(config, mine);
    const edited = await runCli(["demo", "-q", "--out", out], { env });
    expect(edited.code).toBe(2);
    expect(edited.stderr).toContain(
      `demo --out ${out} has an arxiv-digest.yaml changed since the demo wrote it, which the demo would overwrite; choose an empty or new folder, or drop --out to use demo-out.`,
    );
    rmSync(join(out, ".arxiv-digest-demo"));
    const yours = await runCli(["demo", "-q", "--out", out], { env });
    expect(yours.code).toBe(2);
    expect(yours.stderr).toContain(`demo --out ${out} is a workspace (it has arxiv-digest.yaml)`);
    expect(readFileSync(config, "utf8")).toBe(mine);
  }, 240_000);
});
