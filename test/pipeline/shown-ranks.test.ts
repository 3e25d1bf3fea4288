/**
 * The rank a reader is shown agrees with the order and the cut on every archived day and on every
 * surface that shows it: the record, the Markdown digest, the day page's cards, the near misses
 * page and the feed. Over the demo's real days (offline, with the reader's history from the second
 * day on, so their comments carry "Ranked N of M today") and the fixture archive.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { DayRecordSchema } from "../../src/model/day-record.js";
import { silentLogger } from "../../src/pipeline/context.js";
import { runDemo } from "../../src/pipeline/demo.js";
import { expectShownRanksAgree, shownRank } from "../helpers/shown-ranks.js";

/** The cards of a built page, in page order: the text of each <article>, tags dropped. */
function cards(html: string): string[] {
  return [...html.matchAll(/<article class="paper[^"]*".*?<\/article>/gs)].map((m) => m[0].replace(/<[^>]+>/g, " "));
}

describe("the rank a reader is shown", () => {
  it("counts the picks 1..n in card order, and ranks a paper the cap left out after every pick", async () => {
    const out = mkdtempSync(join(tmpdir(), "ad-ranks-"));
    onTestFinished(() => rmSync(out, { recursive: true, force: true }));
    const demo = await runDemo({ outDir: out, log: silentLogger });
    let ranked = 0;
    let cappedDays = 0;
    for (const { date } of demo.days.map((r) => r.record)) {
      const [y, m, d] = date.split("-");
      const file = join(out, "archive", y!, m!, `${date}.json`);
      const day = DayRecordSchema.parse(JSON.parse(readFileSync(file, "utf8")));
      ranked += expectShownRanksAgree(day.papers, date);
      const picks = day.papers.filter((p) => p.outcome === "selected");
      const withRank = picks.filter((p) => shownRank(p.comment) !== null).length;

      // The Markdown digest numbers its picks as the cards do.
      const markdown = readFileSync(file.replace(/\.json$/, ".md"), "utf8");
      const sections = markdown.split(/^## (?=\d+\. )/m).slice(1);
      for (const section of sections) {
        const rank = shownRank(section);
        if (rank !== null) expect(rank, `${date} Markdown`).toBe(Number(section.split(".")[0]));
      }

      // The day page's cards: each pick's rank is its place on the page.
      const page = readFileSync(join(demo.siteDir, y!, m!, d!, "index.html"), "utf8");
      const shown = cards(page).map(shownRank);
      expect(shown).toHaveLength(picks.length);
      shown.forEach((rank, i) => {
        if (rank !== null) expect(rank, `${date} card ${i + 1}`).toBe(i + 1);
      });
      expect(shown.filter((r) => r !== null)).toHaveLength(withRank);

      // The near misses page: a paper the cap left out ranks after the last pick.
      const near = cards(readFileSync(join(demo.siteDir, y!, m!, d!, "near-misses.html"), "utf8"));
      const capped = near.filter((text) =>
        /Missed: passed the cut-offs, but ranked below the \d+ papers a day shows/.test(text),
      );
      for (const text of capped) expect(shownRank(text) ?? Number.POSITIVE_INFINITY).toBeGreaterThan(picks.length);
      if (capped.length > 0 && withRank > 0) cappedDays++;

      // The feed lists the day's picks in card order with the same ranks.
      const feed = JSON.parse(readFileSync(join(demo.siteDir, "feed.json"), "utf8")) as {
        items: { url: string; content_text: string }[];
      };
      const items = feed.items.filter((item) => item.url.includes(`/${y}/${m}/${d}/#`));
      items.forEach((item, i) => {
        const rank = shownRank(item.content_text);
        if (rank !== null) expect(rank, `${date} feed item ${i + 1}`).toBe(i + 1);
      });
    }
    // Not a vacuous check: days ranked with history, and days the cap cut, were seen.
    expect(ranked).toBeGreaterThan(40);
    expect(cappedDays).toBeGreaterThan(0);
  }, 120_000);

  it("holds on the fixture archive's recorded day", () => {
    const day = DayRecordSchema.parse(
      JSON.parse(readFileSync(new URL("../fixtures/archive/2026-02-05.json", import.meta.url), "utf8")),
    );
    expectShownRanksAgree(day.papers, day.date);
  });
});
