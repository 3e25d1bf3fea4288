import { copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { importHistory } from "../../src/import/history.js";
import { DayRecordSchema } from "../../src/model/day-record.js";
import { ANCHOR_DAYS_DIR, ANCHOR_MONTHS_DIR, referenceDayFiles, referenceEntries } from "../helpers/reference.js";

const NOW = () => new Date("2026-04-01T12:00:00Z");

const temps: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "import-history-"));
  temps.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(temps.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function put(root: string, rel: string, content: string | object): Promise<void> {
  await mkdir(dirname(join(root, rel)), { recursive: true });
  await writeFile(join(root, rel), typeof content === "string" ? content : JSON.stringify(content, null, 2));
}

describe("importHistory on three months of real history", () => {
  it("imports all 58 days as valid DayRecords without losing a paper", async () => {
    const { days, report } = await importHistory(ANCHOR_MONTHS_DIR, { now: NOW });
    const files = referenceDayFiles([ANCHOR_MONTHS_DIR]);
    let inFiles = 0;
    for (const f of files) inFiles += Object.keys(referenceEntries(f.date)).length;

    expect(report.errors).toEqual([]);
    expect(files).toHaveLength(58);
    expect(days).toHaveLength(58);
    expect(report.days).toBe(58);
    expect(inFiles).toBe(1580);
    expect(report.papers).toBe(1580);
    expect(days.reduce((n, d) => n + d.papers.length, 0)).toBe(1580);
    for (const day of days) {
      expect(DayRecordSchema.safeParse(day).success).toBe(true);
      expect(day.generatedAt).toBe("2026-04-01T12:00:00.000Z");
      expect(day.papers.every((p) => p.outcome === "selected")).toBe(true);
      expect(day.counts.selected).toBe(day.papers.length);
      // The reference's pages do not say what settings judged them: the record does not pretend to.
      expect(day).not.toHaveProperty("selectionSettings");
    }
    expect(report.files).toHaveLength(58);
  });

  it("records that a day without its page has no known usage instead of inventing a cost", async () => {
    const { days } = await importHistory(ANCHOR_MONTHS_DIR, { now: NOW });
    const day = days[0]!;
    expect(day.usage.total).toMatchObject({ model: null, promptTokens: 0, cost: null });
    expect(day.counts).toMatchObject({ entries: null, scanned: null });
    expect(day.notes.join("\n")).toContain("No token or cost table");
    expect(day.prompt).toBeNull();
  });

  it("re-joins authors the old tool cut at the commas inside their affiliations", async () => {
    const { days } = await importHistory(ANCHOR_MONTHS_DIR, { now: NOW });
    const paper = days.find((d) => d.date === "2025-11-26")!.papers.find((p) => p.id === "2511.19476")!;
    expect(paper.authors.map((a) => a.name)).toEqual([
      "Jin Cui",
      "Boran Zhao",
      "Jiajun Xu",
      "Jiaqi Guo",
      "Shuo Guan",
      "Pengju Ren",
    ]);
    expect(paper.authors[0]!.affiliations).toEqual([
      "State Key Laboratory of Human-Machine Hybrid Augmented Intelligence, National Engineering Research Center for Visual Information and Applications, and Institute of Artificial Intelligence and Robotics, Xi'an Jiaotong University",
    ]);
    expect(paper.authors[3]!.affiliations).toEqual(["School of Mathematical Sciences, Nankai University"]);
  });

  it("decodes TeX accents in names", async () => {
    const { days } = await importHistory(ANCHOR_MONTHS_DIR, { now: NOW });
    const paper = days.find((d) => d.date === "2025-11-13")!.papers.find((p) => p.id === "2511.09465")!;
    const names = paper.authors.map((a) => a.name);
    expect(names).toContain("Aron Stålmarck");
    expect(names).toContain("Theodor Mosetti Björk");
    expect(paper.authors).toHaveLength(7);
  });
});

describe("importHistory layouts and bad input", () => {
  it("reads out/json/YYYY-MM/ with its page under out/md/YYYY-MM/", async () => {
    const root = await tempDir();
    await mkdir(join(root, "out/json/2026-02"), { recursive: true });
    await mkdir(join(root, "out/md/2026-02"), { recursive: true });
    await copyFile(
      join(ANCHOR_DAYS_DIR, "2026-02-16-output.json"),
      join(root, "out/json/2026-02/2026-02-16-output.json"),
    );
    await copyFile(join(ANCHOR_DAYS_DIR, "2026-02-16-output.md"), join(root, "out/md/2026-02/2026-02-16-output.md"));
    const { days, report } = await importHistory(root, { now: NOW });
    expect(report.errors).toEqual([]);
    expect(report.files).toEqual(["out/json/2026-02/2026-02-16-output.json", "out/md/2026-02/2026-02-16-output.md"]);
    expect(days).toHaveLength(1);
    expect(days[0]!.counts).toMatchObject({ entries: 483, scanned: 279, selected: 22 });
    expect(days[0]!.usage.total).toMatchObject({ model: "gpt-5", promptTokens: 39388, completionTokens: 42265 });
    expect(days[0]!.sources).toEqual([
      {
        url: "out/json/2026-02/2026-02-16-output.json",
        categories: [],
        kind: "import",
        entries: 22,
        fetchedAt: "2026-04-01T12:00:00.000Z",
        outcome: "ok",
      },
    ]);
  });

  it("reports a broken JSON file by name and still imports the other days", async () => {
    const root = await tempDir();
    await put(root, "2026-02-05-output.json", referenceEntries("2026-02-05"));
    await put(root, "2026-02-06-output.json", '{"2602.05001": {"title": "Cut off');
    await put(root, "2026-02-09-output.json", '["not", "an", "object"]');
    const { days, report } = await importHistory(root, { now: NOW });
    expect(days.map((d) => d.date)).toEqual(["2026-02-05"]);
    expect(report.errors).toHaveLength(2);
    expect(report.errors[0]).toMatch(/^2026-02-06-output\.json: not valid JSON \(.+\); fix or remove the file/);
    expect(report.errors[1]).toMatch(/^2026-02-09-output\.json: expected a JSON object of papers keyed by arXiv id/);
  });

  it("a missing folder, or a file, is the user's mistake: a PathError naming it", async () => {
    const missing = join(tmpdir(), "no-such-history-dir-4711");
    await expect(importHistory(missing)).rejects.toThrow(
      `The history folder ${missing} does not exist; give the folder`,
    );
    const root = await tempDir();
    await put(root, "2026-02-05-output.json", {});
    const file = join(root, "2026-02-05-output.json");
    await expect(importHistory(file)).rejects.toThrow(
      `The history folder ${file} is a file, not a folder; give the folder`,
    );
  });

  it("never throws over the folder's contents: an empty one, a page without JSON, an impossible date", async () => {
    const root = await tempDir();
    const empty = await importHistory(root);
    expect(empty.report.errors[0]).toMatch(/no YYYY-MM-DD-output\.json/);

    await put(root, "2026-02-30-output.json", {});
    await put(root, "2026-03-02-output.md", "# Personalized Daily ArXiv Papers 2026-03-02\n");
    const odd = await importHistory(root);
    expect(odd.days).toEqual([]);
    expect(odd.report.errors).toEqual([
      "2026-02-30-output.json: 2026-02-30 is not a calendar date; rename the file or remove it",
      expect.stringMatching(/^2026-03-02-output\.md: a page without its JSON is not imported/),
    ]);
  });

  it("keeps ids unversioned, the version apart, and every field it cannot map", async () => {
    const root = await tempDir();
    await put(root, "2026-02-05-output.json", {
      "2602.04119v2": {
        ARXIVID: "2602.04119v2",
        COMMENT: "Model architecture: routing.",
        RELEVANCE: "9",
        NOVELTY: 14,
        SCORE: "17",
        TOPIC: "architecture",
        EXTRA_FIELD: { kept: true },
        title: "Sch\\\"on's $\\alpha$ Work",
        authors: ["Andr\\'e Martins", "Yoshua Bengio"],
        abstract: "An abstract.",
      },
      "not-an-id": { title: "Something else", authors: [], abstract: "" },
      "2602.00001": "a string, not a paper",
    });
    const { days, report } = await importHistory(root, { now: NOW });
    const [paper, other] = days[0]!.papers;
    expect(paper).toMatchObject({
      id: "2602.04119",
      version: 2,
      title: "Schön's $\\alpha$ Work",
      authors: [
        { name: "André Martins", affiliations: [] },
        { name: "Yoshua Bengio", affiliations: [] },
      ],
      relevance: 9,
      novelty: null,
      score: 17,
      topic: "architecture",
      scoredBy: "import",
      authorMatch: null,
    });
    expect(other).toMatchObject({ id: "not-an-id", version: null });
    const notes = days[0]!.notes.join("\n");
    expect(notes).toContain('paper 2602.04119: EXTRA_FIELD = {"kept":true}');
    expect(notes).toContain("paper 2602.04119: NOVELTY 14 is not a score from 0 to 10");
    expect(notes).toContain('"not-an-id" is not an arXiv identifier');
    expect(report.unmapped).toContain("2026-02-05-output.json: field EXTRA_FIELD (1 paper) kept in the day's notes");
    expect(report.errors).toEqual(['2026-02-05-output.json: entry "2602.00001" is not an object; skipped']);
  });

  it("reads a -daily-papers.json bundle: its topics, and its usage when there is no page", async () => {
    const root = await tempDir();
    const digest = referenceEntries("2026-02-16");
    const ids = Object.keys(digest);
    const enriched = Object.fromEntries(
      ids.map((id) => [
        id,
        { ...digest[id], PRIMARY_TOPIC_ID: "efficiency_scaling", PRIMARY_TOPIC_LABEL: "Efficiency" },
      ]),
    );
    const bundle = {
      schema_version: 2,
      meta: {
        date: "2026-02-16",
        sort: ["score", "relevance"],
        total_papers: ids.length,
        usage: {
          model: "gpt-5",
          prompt_tokens: 39388,
          completion_tokens: 42265,
          prompt_cost: 0.049235,
          completion_cost: 0.42265,
          total_arxiv_papers: 483,
          total_scanned_papers: 279,
          total_relevant_papers: 22,
        },
      },
      topic_order: ["efficiency_scaling"],
      diagnostics: { total_papers: ids.length },
      papers: enriched,
      topic_sections: [{ topic_id: "efficiency_scaling", topic_label: "Efficiency", paper_ids: ids }],
    };
    await put(root, "out/json/2026-02/2026-02-16-output.json", digest);
    await put(root, "out/json/2026-02/2026-02-16-daily-papers.json", bundle);
    await put(root, "out/json/2026-02/2026-02-17-daily-papers.json", {
      ...bundle,
      meta: { ...bundle.meta, date: "2026-02-17" },
    });

    const { days, report } = await importHistory(root, { now: NOW });
    expect(report.errors).toEqual([]);
    const [withDigest, bundleOnly] = days;
    expect(withDigest!.papers.map((p) => p.id)).toEqual(ids);
    expect(withDigest!.papers.every((p) => p.topic === "Efficiency" && p.outcome === "selected")).toBe(true);
    expect(withDigest!.usage.total).toMatchObject({
      promptTokens: 39388,
      cost: { prompt: 0.049235, completion: 0.42265, total: 0.049235 + 0.42265 },
    });
    expect(bundleOnly!.papers).toHaveLength(22);
    expect(bundleOnly!.papers.every((p) => p.outcome === "selected")).toBe(true);
    expect(bundleOnly!.counts).toMatchObject({ entries: 483, scanned: 279, selected: 22 });
    expect(bundleOnly!.notes.join("\n")).toContain('PRIMARY_TOPIC_ID = "efficiency_scaling"');
    expect(report.unmapped).toContain(
      "out/json/2026-02/2026-02-16-daily-papers.json: schema_version, topic_order, diagnostics, topic_sections not kept (derived from the papers)",
    );
  });

  it("imports a paper only the bundle lists as selected: the bundle holds the tool's picks", async () => {
    const root = await tempDir();
    const digest = referenceEntries("2026-02-16");
    const [firstId, ...rest] = Object.keys(digest);
    const onlyFirst = { [firstId!]: digest[firstId!] };
    await put(root, "2026-02-16-output.json", onlyFirst);
    await put(root, "2026-02-16-daily-papers.json", {
      meta: { usage: { prompt_tokens: 39388, completion_tokens: 42265, total_relevant_papers: 22 } },
      papers: digest,
    });
    const { days } = await importHistory(root, { now: NOW });
    const day = days[0]!;
    expect(day.papers.map((p) => p.id)).toEqual([firstId, ...rest]);
    expect(day.papers.every((p) => p.outcome === "selected" && p.reason === null)).toBe(true);
    expect(day.papers[1]).toMatchObject({ scoredBy: "import", relevance: digest[rest[0]!]!.RELEVANCE });
    expect(day.counts.selected).toBe(22);
    expect(day.notes).toContain(
      `21 papers are listed in 2026-02-16-daily-papers.json (the papers the tool picked, with their topics) but not in the day's digest file: ${rest.join(", ")}; imported as selected, after the digest file's papers.`,
    );
    // The bundle's count of relevant papers now agrees with what was imported.
    expect(day.notes.join("\n")).not.toContain("relevant papers; the JSON holds");
  });

  it("reads the HTML summary table of later ChatGPT-ArXiv-Paper-Assistant pages", async () => {
    const root = await tempDir();
    const row = (cells: string[]) => cells.map((c) => `            <td align="center">${c}</td>`).join("\n");
    const summary = (tokens: string[], costs: string[]) =>
      [
        "<table>",
        "    <thead>",
        '        <tr><th rowspan="2">Model</th><th rowspan="2">Metric</th><th colspan="3">Usage</th><th colspan="3">Papers</th></tr>',
        "        <tr><th>Prompt</th><th>Completion</th><th>Total</th><th>Total arXiv</th><th>Scanned</th><th>Relevant</th></tr>",
        "    </thead>",
        "    <tbody>",
        "        <tr>",
        '            <td rowspan="2" align="center"><code>gpt-5 &amp; co</code></td>',
        '            <td align="center"><strong>Tokens</strong></td>',
        row(tokens),
        '            <td rowspan="2" align="center">483</td>',
        '            <td rowspan="2" align="center">279</td>',
        '            <td rowspan="2" align="center">22</td>',
        "        </tr>",
        "        <tr>",
        '            <td align="center"><strong>Cost</strong></td>',
        row(costs),
        "        </tr>",
        "    </tbody>",
        "</table>",
      ].join("\n");
    await put(root, "out/json/2026-02/2026-02-16-output.json", referenceEntries("2026-02-16"));
    await put(root, "out/json/2026-02/2026-02-17-output.json", referenceEntries("2026-02-16"));
    await put(
      root,
      "out/md/2026-02/2026-02-16-latest.md",
      `# Personalized Daily ArXiv Papers 2026-02-16\n\n${summary(["39388", "42265", "81653"], ["$0.05", "$0.42", "$0.47"])}\n`,
    );
    await put(
      root,
      "out/md/2026-02/2026-02-17-latest.md",
      `# Personalized Daily ArXiv Papers 2026-02-17\n\n${summary(Array(3).fill("not reported"), Array(3).fill("not reported"))}\n`,
    );
    const { days, report } = await importHistory(root, { now: NOW });
    const [metered, unmetered] = days;
    expect(metered!.counts).toMatchObject({ entries: 483, scanned: 279, selected: 22 });
    expect(metered!.usage.total).toMatchObject({
      model: "gpt-5 & co",
      promptTokens: 39388,
      completionTokens: 42265,
      cost: { prompt: 0.05, completion: 0.42, total: 0.47 },
    });
    expect(unmetered!.usage.total).toMatchObject({ promptTokens: 0, completionTokens: 0, cost: null });
    expect(report.unmapped).toEqual([
      'out/md/2026-02/2026-02-17-latest.md: line 3: summary table reports no token counts ("not reported"); usage left at 0, unpriced',
    ]);
  });

  it("reports page parts it cannot read, naming the file and line", async () => {
    const root = await tempDir();
    await put(root, "2026-02-05-output.json", referenceEntries("2026-02-05"));
    await put(
      root,
      "2026-02-05-output.md",
      [
        "> This is a remedial run for missed papers from 02/02/2026 to 02/04/2026.",
        "",
        "# Personalized Daily ArXiv Papers 2026-02-05",
        "",
        "| *[gpt-5]* | Prompt | Completion | Total |",
        "|:-:|:-:|:-:|:-:|",
        "| **Token** | many | 46726 | 100649 |",
        "",
        "Total arXiv papers: 705",
        "Total relevant papers: 36",
      ].join("\n"),
    );
    const { days, report } = await importHistory(root, { now: NOW });
    const day = days[0]!;
    expect(day.kind).toBe("daily");
    expect(day.counts).toMatchObject({ entries: 705, scanned: null, selected: 37 });
    expect(report.unmapped).toEqual([
      "2026-02-05-output.md: line 1: remedial banner is incomplete (needs both the window and the generation date)",
      "2026-02-05-output.md: line 5: token table has no readable Token row (expected three whole numbers)",
    ]);
    expect(day.notes).toContain("The page counted 36 relevant papers; the JSON holds 37.");
  });
});
