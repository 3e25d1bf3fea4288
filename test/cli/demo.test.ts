/** `arxiv-digest demo` through the real executable: offline, no key, three real days, every output written. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { DayRecordSchema } from "../../src/model/day-record.js";
import { isolatedEnv, runCli } from "../helpers/cli.js";
import { startServer } from "../helpers/server.js";

describe("arxiv-digest demo", () => {
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
    expect(existsSync(join(cwd, "demo-out", "site", "index.html"))).toBe(true);
  }, 120_000);
  it("leaves a workspace the other commands take offline, which run and backfill fetch nothing into", async () => {
    const parent = mkdtempSync(join(tmpdir(), "ad-demo-ws-"));
    onTestFinished(() => rmSync(parent, { recursive: true, force: true }));
    const out = join(parent, "demo-out");
    const demo = await runCli(["demo", "-q", "--out", out], { env: isolatedEnv() });
    expect(demo.code, demo.stderr).toBe(0);
    // What to try next, each command as written on a line of its own.
    expect(demo.stdout).toContain("The folder is a workspace: try the other commands on it");
    expect(demo.stdout).toContain(`  replay and grade selection:  npx arxiv-digest eval --workspace ${out}\n`);
    const config = join(out, "arxiv-digest.yaml");
    const written = readFileSync(config, "utf8");
    expect(written).toMatch(/^# Written by `arxiv-digest demo`/);
    expect(written).toContain("`arxiv-digest init my-digest`");
    expect(written).toContain("  provider: offline\n");
    expect(written).toContain("  categories: [cs.LG, cs.AI]\n");
    const ws = ["--workspace", out];
    const env = isolatedEnv();

    // eval replays the archive, labelled by the demo's own picks (it says so); warm, as the demo ran, it picks them all again.
    const evaluated = await runCli(["eval", "-q", ...ws], { env });
    expect(evaluated.code, evaluated.stderr).toBe(0);
    expect(evaluated.stdout).toContain("3 days, judged by the offline scorer.");
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
    const doctor = await runCli(["doctor", "--offline", ...ws], { env });
    expect(doctor.code, doctor.stdout + doctor.stderr).toBe(0);
    expect(doctor.stdout).toContain(`ok    config: ${config} is valid (cs.LG, cs.AI; 4 topics).`);
    expect(doctor.stdout).toContain("ok    authors: 5 followed authors in");
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
        expect(r.stderr).toContain(`${out} is the demo's folder (it holds .arxiv-digest-demo), so \`${args[0]}`);
        expect(r.stderr).toContain("make a workspace of your own with `arxiv-digest init my-digest`");
      }
    }
    expect(arxiv.requests).toEqual([]);
    expect(readdirSync(join(out, "archive", "2026", "03")).sort()).toEqual(archived);

    // A second demo into the folder rewrites what it wrote (the reader's feedback stays); a
    // config changed since is the reader's: refused, as is one without the demo's marker.
    const again = await runCli(["demo", "-q", "--out", out], { env });
    expect(again.code, again.stderr).toBe(0);
    expect(readFileSync(config, "utf8")).toBe(written);
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
