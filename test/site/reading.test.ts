/**
 * The parts of the reading features that need no browser: citations built in the browser match
 * the build-time BibTeX, topic feeds, the search documents and TeX turned into plain text.
 */
import { XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a browser module in plain JavaScript, without type declarations.
import { bibtex, cslJson } from "../../src/site/assets/cite.js";
import { bibtexEntry } from "../../src/site/bibtex.js";
import { nearMisses, summariseDay } from "../../src/site/day-summary.js";
import { topicFeeds } from "../../src/site/feeds.js";
import { searchDoc, searchPapers } from "../../src/site/search-index.js";
import { siteUrls } from "../../src/site/urls.js";
import { makeDay, makePaper } from "../helpers/day-factory.js";
import { referenceDays } from "../helpers/reference.js";
import { hostileDay } from "./hostile-day.js";

const urls = siteUrls({ basePath: "/papers/", baseUrl: "https://you.github.io/papers/" });

describe("citations built in the browser (assets/cite.js)", () => {
  const papers = [...referenceDays().values()].flat().slice(0, 200);
  it("give the same BibTeX as the build-time bibtexEntry for real papers", () => {
    for (const p of [...papers, makePaper({ title: "Closing } early {and {never closing", doi: "10.1/x" })]) {
      const fromCard = bibtex({
        id: p.id,
        title: p.title,
        authors: p.authors.map((a) => a.name),
        date: "2026-02-05",
        category: p.categories[0],
        doi: p.doi,
      });
      expect(fromCard).toBe(bibtexEntry(p, "2026-02-05"));
    }
  });

  it("give CSL-JSON with family and given names", () => {
    const item = cslJson({ id: "2602.04119", title: "T", authors: ["Hyeonah Kim", "Plato"], date: "2026-02-05" });
    expect(item).toMatchObject({
      id: "arXiv:2602.04119",
      type: "article",
      author: [{ family: "Kim", given: "Hyeonah" }, { literal: "Plato" }],
      issued: { "date-parts": [[2026]] },
      URL: "https://arxiv.org/abs/2602.04119",
    });
  });
});

describe("topicFeeds", () => {
  const days = [...referenceDays()].slice(-3).map(([date, papers]) => summariseDay(makeDay({ date, papers })));
  const feeds = topicFeeds({ urls, siteTitle: "Digest", days });

  it("writes one well-formed Atom feed per topic, holding only that topic's papers", () => {
    const topics = new Set(days.flatMap((d) => d.papers.map((p) => p.topic)).filter((t) => t !== null));
    expect(feeds.length).toBe(topics.size);
    for (const feed of feeds) {
      expect(feed.file).toMatch(/^feeds\/[a-z0-9-]+\.xml$/);
      expect(XMLValidator.validate(feed.xml)).toBe(true);
      const entries = feed.xml.match(/<entry>/g)?.length ?? 0;
      expect(entries).toBe(days.flatMap((d) => d.papers).filter((p) => p.topic === feed.topic).length);
      expect(feed.xml).toContain(`href="https://you.github.io/papers/${feed.file}"`);
    }
  });
});

describe("search records", () => {
  const day = makeDay({
    papers: [
      makePaper(),
      makePaper({ id: "2602.00002", outcome: "rejected", score: 9 }),
      makePaper({ id: "2602.00003", outcome: "prefiltered-out", score: null }),
      // The prefilter's three best set-asides are near misses; 2602.00003, ranked lower, is not.
      ...[4, 5, 6].map((i) =>
        makePaper({
          id: `2602.0000${i}`,
          outcome: "prefiltered-out",
          score: null,
          prefilter: { topics: 1, history: 0, percentile: 0.5 },
        }),
      ),
    ],
  });

  it("cover every scanned paper, marking which were picked and which the day page lists", () => {
    expect(searchPapers(day).map((p) => [p.id, p.selected, p.listed])).toEqual([
      ["2602.04119", true, true],
      ["2602.00002", false, true],
      ["2602.00003", false, false],
      ["2602.00004", false, true],
      ["2602.00005", false, true],
      ["2602.00006", false, true],
    ]);
    expect(nearMisses(day).map((p) => p.id)).toEqual(["2602.00002", "2602.00004", "2602.00005", "2602.00006"]);
  });

  it("are plain text with TeX as Unicode; listed ones link to their card and carry the abstract", () => {
    for (const paper of searchPapers(hostileDay("2026-03-16"))) {
      const doc = searchDoc("2026-03-16", paper);
      // Titles and abstracts are TeX source; comments and names are plain text and stay as written.
      // The one "$" left is the escaped, literal one of "costs \$5".
      expect(`${doc.x} ${doc.t}`).not.toMatch(/\$(?!5)|\\[a-z]/);
    }
    const [picked, near, other] = searchPapers(day).map((p) => searchDoc("2026-02-05", p));
    expect(picked).toMatchObject({ i: "2602.04119", d: "2026-02-05", u: "2026/02/05/#paper-2602.04119", p: 1 });
    expect(picked!.t).toMatch(/^Synthesizable/);
    expect(picked!.x).toContain("limited (≥ 95%)");
    expect(near).toMatchObject({ i: "2602.00002", u: "2026/02/05/#paper-2602.00002", s: 9 });
    expect(near!.p).toBeUndefined();
    expect(other).toEqual({ i: "2602.00003", d: "2026-02-05", t: other!.t, a: other!.a });
  });
});
