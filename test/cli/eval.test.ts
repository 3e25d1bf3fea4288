/**
 * `arxiv-digest eval` on the committed labelled fixture (test/fixtures/labelled-days: 3 real days
 * cut to 40 papers each, with the reference tool's picks), offline, through the real binary.
 * The figures are exact: they change only when the prefilter or the offline scorer does.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it, onTestFinished } from "vitest";
import { isolatedEnv, runCli } from "../helpers/cli.js";
import { tempWorkspace } from "../helpers/workspace.js";

const LABELS = fileURLToPath(new URL("../fixtures/labelled-days/", import.meta.url));
const DEFAULT_CONFIG = readFileSync(new URL("../../defaults/arxiv-digest.yaml", import.meta.url), "utf8");

describe("eval", () => {
  it("reports the funnel, recall and precision@k of each labelled day and overall", async () => {
    const { dir, cleanup } = tempWorkspace(DEFAULT_CONFIG);
    onTestFinished(cleanup);
    const json = await runCli(["eval", "--labels", LABELS, "--json", "--workspace", dir], { env: isolatedEnv() });
    expect(json.stderr).toBe("");
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as {
      judge: string;
      days: { date: string; scanned: number; labels: number }[];
      overall: Record<string, { hits: number; total: number } | number | null>;
    };
    expect(report.judge).toBe("offline");
    expect(report.days.map((d) => [d.date, d.scanned, d.labels])).toEqual([
      ["2025-03-25", 40, 18],
      ["2025-05-20", 40, 12],
      ["2026-03-06", 40, 9],
    ]);
    // Titles of 70% of each day reach the LLM's triage; the ration of abstracts (27%, by the free
    // rank alone offline) holds fewer of the picks.
    expect(report.overall.sent).toMatchObject({ hits: 83, total: 120 });
    expect(report.overall.recallPrefilter).toMatchObject({ hits: 34, total: 39 });
    expect(report.overall.recallScored).toMatchObject({ hits: 22, total: 39 });
    expect(report.overall.recallSelected).toMatchObject({ hits: 21, total: 39 });
    expect(report.overall.precisionAtK).toMatchObject({ hits: 22, total: 39 });
    expect(report.overall.promptTokensPerScanned).toBeNull();

    const text = await runCli(["eval", "--labels", LABELS, "--workspace", dir], { env: isolatedEnv() });
    expect(text.stdout).toContain("3 days, judged by the offline scorer.");
    expect(text.stdout).toContain("sent to the LLM:              69.2% (83/120)");
    expect(text.stdout).toContain("recall, read by the LLM:      87.2% (34/39)");
    expect(text.stdout).toContain("recall, abstract scored:      56.4% (22/39)");
    expect(text.stdout).toContain("precision@k (k = labels):     56.4% (22/39)");
  });

  it("learns from the days before each one with --warm", async () => {
    const { dir, cleanup } = tempWorkspace(DEFAULT_CONFIG);
    onTestFinished(cleanup);
    const cold = await runCli(["eval", "--labels", LABELS, "--json", "--workspace", dir], { env: isolatedEnv() });
    const warm = await runCli(["eval", "--labels", LABELS, "--json", "--warm", "--workspace", dir], {
      env: isolatedEnv(),
    });
    const hits = (out: string) =>
      (JSON.parse(out) as { days: { precisionAtK: { hits: number } }[] }).days.map((d) => d.precisionAtK.hits);
    // The first day has no history; the second learns from the first day's labels.
    expect(hits(cold.stdout)).toEqual([10, 7, 5]);
    expect(hits(warm.stdout)).toEqual([10, 9, 5]);
  });

  it("names a bad labels folder and exits 2", async () => {
    const { dir, cleanup } = tempWorkspace(DEFAULT_CONFIG);
    onTestFinished(cleanup);
    const res = await runCli(["eval", "--labels", `${dir}/missing`, "--workspace", dir], { env: isolatedEnv() });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(`${dir}/missing`);
  });
});
