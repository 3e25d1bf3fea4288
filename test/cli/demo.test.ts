/** `arxiv-digest demo` through the real executable: offline, no key, three real days, every output written. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { DayRecordSchema } from "../../src/model/day-record.js";
import { isolatedEnv, runCli } from "../helpers/cli.js";

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
    // Three days, one offline warning: the same warning is said once.
    expect(r.stderr.match(/warning: llm\.provider is "offline"/g)).toHaveLength(1);
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
});
