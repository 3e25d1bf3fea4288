/**
 * End to end on real history: import the reference tool's five anchor days, render them, and
 * check that our page shows what its pages show (test/fixtures/seeds), paper by paper.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { importHistory } from "../../src/import/history.js";
import { renderDayMarkdown } from "../../src/markdown/day-page.js";
import type { DayRecord } from "../../src/model/day-record.js";
import { selectedPapers } from "../../src/model/day-record.js";
import { comparable, parseRenderedPage, parseSeedPage, type SeedPage } from "../helpers/page-text.js";
import { ANCHOR_DAYS_DIR, referenceEntries, referenceMarkdown } from "../helpers/reference.js";

const FIXTURES = join(import.meta.dirname, "../fixtures");
const NOW = () => new Date("2026-04-01T12:00:00Z");

const seeds = new Map<string, SeedPage>(
  readdirSync(join(FIXTURES, "seeds")).map((name) => {
    const page = parseSeedPage(readFileSync(join(FIXTURES, "seeds", name), "utf8"));
    return [page.date, page];
  }),
);

/**
 * Where the reference pages themselves show the text wrongly, because they printed it into
 * Markdown unescaped: `\`o` lost its backslash (shown as a backtick), and `_` inside TeX became
 * emphasis that reordered an abstract. For these our page must show the JSON's text instead.
 */
const SEED_DEFECTS = [
  { date: "2026-02-13", id: "2602.12218", field: "authors", ours: "Christian Internò" },
  {
    date: "2025-05-19",
    id: "2505.11840",
    field: "abstract",
    ours: "\\sum_{k=1}^KE\\left[\\|\\nabla f(x^k)\\|_2\\right]",
  },
] as const;

let days: DayRecord[];
let rendered: Map<string, string>;

beforeAll(async () => {
  const result = await importHistory(ANCHOR_DAYS_DIR, { now: NOW });
  expect(result.report.errors).toEqual([]);
  days = result.days;
  rendered = new Map(days.map((d) => [d.date, renderDayMarkdown(d)]));
});

describe("anchor days: import then render", () => {
  it("imports all five days with every paper of their JSON", () => {
    expect(days.map((d) => d.date)).toEqual(["2025-05-19", "2026-02-05", "2026-02-13", "2026-02-16", "2026-03-13"]);
    for (const day of days) {
      expect(day.papers.map((p) => p.id)).toEqual(Object.keys(referenceEntries(day.date)));
      expect(day.producer).toBe("import");
      expect(day.usage.costSource).toBe("imported");
    }
  });

  it("has a seed page for every day, each with at least twenty papers", () => {
    expect([...seeds.keys()].sort()).toEqual(days.map((d) => d.date));
    for (const seed of seeds.values()) expect(seed.papers.length).toBeGreaterThanOrEqual(20);
  });

  it.each(["2025-05-19", "2026-02-05", "2026-02-13", "2026-02-16", "2026-03-13"])(
    "%s: same papers, order, ids, authors, abstracts, comments and scores as the seed page",
    (date) => {
      const seed = seeds.get(date)!;
      const ours = parseRenderedPage(rendered.get(date)!);
      expect(ours.map((p) => p.id)).toEqual(seed.papers.map((p) => p.id));
      ours.forEach((paper, i) => {
        const want = { ...seed.papers[i]! };
        const defect = SEED_DEFECTS.find((d) => d.date === date && d.id === paper.id);
        if (defect) {
          expect(comparable(paper[defect.field])).toContain(comparable(defect.ours));
          expect(comparable(want[defect.field])).not.toContain(comparable(defect.ours));
          want[defect.field] = paper[defect.field];
        }
        expect(paper.rank).toBe(want.rank);
        expect(comparable(paper.title)).toBe(comparable(want.title));
        expect(comparable(paper.authors)).toBe(comparable(want.authors));
        expect(comparable(paper.abstract)).toBe(comparable(want.abstract));
        expect(paper.comment === null ? null : comparable(paper.comment)).toBe(
          want.comment === null ? null : comparable(want.comment),
        );
        expect([paper.relevance, paper.novelty]).toEqual([want.relevance, want.novelty]);
      });
    },
  );

  it.each(["2025-05-19", "2026-02-05", "2026-02-13", "2026-02-16", "2026-03-13"])(
    "%s: same ids and titles, in the same order, as the reference tool's Markdown",
    (date) => {
      const reference = referenceMarkdown(date);
      const headings = [...reference.matchAll(/^## \d+\. \[(.*)\]\(https:\/\/arxiv\.org\/abs\/(.+?)\)/gm)];
      const ours = parseRenderedPage(rendered.get(date)!);
      expect(ours.map((p) => p.id)).toEqual(headings.map((h) => h[2]));
      expect(ours.map((p) => comparable(p.title))).toEqual(headings.map((h) => comparable(h[1]!)));
    },
  );

  it("2026-02-05: counts 705 / 391 / 37 and the cost table as the page shows it", () => {
    const day = days.find((d) => d.date === "2026-02-05")!;
    expect(day.kind).toBe("daily");
    expect(day.remedial).toBeNull();
    expect(day.counts).toEqual({ entries: 705, unique: null, scanned: 391, selected: 37, unscored: 0 });
    expect(day.usage.total).toMatchObject({
      model: "gpt-5",
      promptTokens: 53923,
      completionTokens: 46726,
      cost: { prompt: 0.07, completion: 0.47, total: 0.53 },
    });
    const page = rendered.get("2026-02-05")!;
    expect(page).toMatch(/^# .*2026-02-05$/m);
    expect(page).toContain("| **Tokens** | 53923 | not recorded | 46726 | 100649 |");
    expect(page).toContain("| **Cost** | $0.07 | – | $0.47 | $0.53 |");
    expect(page).toMatch(/^- \*\*Total arXiv papers:\*\* 705 \(/m);
    expect(page).toMatch(/^- \*\*Total scanned papers:\*\* 391 \(/m);
    expect(page).toMatch(/^- \*\*Picked papers:\*\* 37 \(/m);
  });

  it.each([
    [
      "2025-05-19",
      { from: "2025-05-16", to: "2025-05-18", generatedOn: "2025-05-26" },
      "05/16/2025 to 05/18/2025",
      "05/26/2025",
    ],
    [
      "2026-03-13",
      { from: "2026-03-12", to: "2026-03-12", generatedOn: "2026-03-21" },
      "03/12/2026 to 03/12/2026",
      "03/21/2026",
    ],
  ])("%s is remedial and shows its banner", (date, window, span, generated) => {
    const day = days.find((d) => d.date === date)!;
    expect(day.kind).toBe("remedial");
    expect(day.remedial).toEqual(window);
    const page = rendered.get(date)!;
    expect(page).toContain(`> This is a remedial run for missed papers from ${span}.`);
    expect(page).toContain(`> Results generated on ${generated}.`);
    expect(seeds.get(date)!.lines).toContain(`This is a remedial run for missed papers from ${span}.`);
  });

  it("2026-03-13: counts the page omits stay null and are not printed", () => {
    const day = days.find((d) => d.date === "2026-03-13")!;
    expect(day.counts.entries).toBeNull();
    expect(day.counts.scanned).toBeNull();
    const page = rendered.get("2026-03-13")!;
    expect(page).not.toContain("Total arXiv papers");
    expect(page).not.toContain("Total scanned papers");
    expect(page).toContain("| **Cost** | $0.38 | – | $0.08 | $0.47 |");
  });

  it("author matches come first, with their comment and without scores", () => {
    const day = days.find((d) => d.date === "2026-02-05")!;
    const first = selectedPapers(day)[0]!;
    expect(first).toMatchObject({
      id: "2602.04119",
      scoredBy: "author",
      authorMatch: "Author match",
      comment: "Author match",
      relevance: null,
      novelty: null,
      score: 20,
    });
    const scored = selectedPapers(day)[1]!;
    expect(scored).toMatchObject({ scoredBy: "import", relevance: 10, novelty: 9, score: 19 });
    expect(scored.comment).toMatch(/^Representation Learning\/Compression/);
  });

  it("keeps the selection prompt: System/User split on new pages, whole text on old ones", () => {
    const recent = days.find((d) => d.date === "2026-02-05")!.prompt!;
    expect(recent.system).toMatch(/^You are a helpful paper reading assistant/);
    expect(recent.system).not.toContain("> ");
    expect(recent.user).toMatch(/^## Instructions\n/);
    expect(recent.user).toContain('\n> The "Relevance" score measures');
    expect(recent.user.trimEnd()).toMatch(/Knowledge Graph, etc\.$/);
    const old = days.find((d) => d.date === "2025-05-19")!;
    expect(old.prompt!.system).toBe("");
    expect(old.prompt!.user).toMatch(/^You are a helpful paper reading assistant[\s\S]*## Instructions/);
    expect(old.notes.join("\n")).toContain("without System/User headings");
    const page = rendered.get("2026-02-05")!;
    const promptAt = page.indexOf("## Paper selection prompt");
    expect(promptAt).toBeGreaterThan(page.lastIndexOf("**ArXiv ID:**"));
    expect(page.slice(promptAt)).toContain(recent.user);
  });

  it("every table-of-contents link reaches an anchor on the page", () => {
    for (const page of rendered.values()) {
      const links = [...page.matchAll(/\]\(#user-content-([^)]+)\)/g)].map((m) => m[1]);
      const anchors = [...page.matchAll(/<a id="([^"]+)"><\/a>/g)].map((m) => m[1]);
      expect(links.length).toBeGreaterThan(0);
      expect(links).toEqual(anchors);
      expect(new Set(anchors).size).toBe(anchors.length);
    }
  });
});
