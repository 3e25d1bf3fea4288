/**
 * Builds the demo snapshot (demo/data) from real announcement days in bench/data/labelled-days:
 * one combined cs.LG+cs.AI RSS feed per day, in the format rss.arxiv.org serves, and the manifest
 * `arxiv-digest demo` reads. Deterministic: a re-run gives byte-identical files.
 *
 *   npx tsx scripts/build-demo.ts
 *
 * Real (arXiv's daily listing pages, via the labelled-days data set): which papers were announced
 * on each day, their ids, titles, authors, abstracts and categories with the primary first.
 * Formatted by us: the XML itself (test/helpers/arxiv-xml.ts, the builder the tests use), the
 * announce type derived from the primary category, version 1 for every paper, the feed's
 * timestamps. Not in the data and left out rather than made up: licences (`dc:rights`).
 * demo/data/README.md says the same for readers of the snapshot.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadLabelledDays } from "../src/eval/labelled-days.js";
import { arxivPubDate, type FeedItem, rssFeed } from "../test/helpers/arxiv-xml.js";

const ROOT = join(import.meta.dirname, "..");
const SOURCE = join(ROOT, "bench", "data", "labelled-days");
const TARGET = join(ROOT, "demo", "data");
/** Tuesday and Wednesday of one week (consecutive announcement days) and the next Tuesday. */
const DATES = ["2026-03-17", "2026-03-18", "2026-03-24"];
const CATEGORIES = ["cs.LG", "cs.AI"];
const COMBINED = CATEGORIES.join("+");

// Everything but the README (the snapshot's provenance, written by hand) is rebuilt.
for (const name of readdirSync(TARGET)) {
  if (name !== "README.md") rmSync(join(TARGET, name), { recursive: true, force: true });
}
const days = loadLabelledDays(SOURCE).filter((day) => DATES.includes(day.date));
if (days.length !== DATES.length) throw new Error(`expected ${DATES.join(", ")} in ${SOURCE}`);

const manifest = {
  categories: CATEGORIES,
  days: days.map((day) => {
    if (day.categories.join("+") !== COMBINED) throw new Error(`${day.date}: categories ${day.categories.join(", ")}`);
    // In a combined feed a paper is `new` when its primary category is one of the feed's, `cross`
    // otherwise. The listing day announces new submissions (v1) and their cross-lists; the data
    // set holds only papers with an id from the announcement month or the month before, so no
    // replacement is in it. arXiv's feed lists the new papers first, then the cross-lists.
    const items: FeedItem[] = day.papers.map((paper) => ({
      paper,
      categories: paper.categories,
      announceType: CATEGORIES.includes(paper.categories[0] ?? "") ? "new" : "cross",
      version: 1,
      rights: null,
    }));
    const ordered = [
      ...items.filter((i) => i.announceType === "new"),
      ...items.filter((i) => i.announceType === "cross"),
    ];
    const file = `${day.date}/${COMBINED}.xml`;
    mkdirSync(join(TARGET, day.date), { recursive: true });
    writeFileSync(join(TARGET, file), rssFeed(COMBINED, arxivPubDate(day.date), ordered));
    const news = ordered.filter((i) => i.announceType === "new").length;
    console.log(`${file}: ${ordered.length} entries (${news} new, ${ordered.length - news} cross)`);
    return { date: day.date, file, entries: ordered.length };
  }),
};
writeFileSync(join(TARGET, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
