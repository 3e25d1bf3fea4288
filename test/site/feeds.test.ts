import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { summariseDay } from "../../src/site/day-summary.js";
import { atomFeed, jsonFeed, sitemap } from "../../src/site/feeds.js";
import { siteUrls } from "../../src/site/urls.js";
import { makeDay, makePaper } from "../helpers/day-factory.js";
import { referenceDays } from "../helpers/reference.js";
import { hostileDay } from "./hostile-day.js";

const urls = siteUrls({ basePath: "/papers/", baseUrl: "https://you.github.io/papers/" });
const real = [...referenceDays()].slice(-2).map(([date, papers]) => summariseDay(makeDay({ date, papers })));
const days = [summariseDay(hostileDay("2026-03-16")), ...real.reverse()];
const input = { urls, siteTitle: "Digest <&> of \u0001papers", days };

describe("atomFeed", () => {
  it("is well-formed XML with one entry per selected paper, hostile text kept as text", () => {
    const xml = atomFeed(input);
    expect(XMLValidator.validate(xml)).toBe(true);
    const feed = new XMLParser({ ignoreAttributes: false, parseTagValue: false, isArray: (n) => n === "entry" }).parse(
      xml,
    ).feed;
    expect(feed.title["#text"]).toBe("Digest <&> of papers");
    const entries = feed.entry as { id: string; title: { "#text": string } }[];
    expect(entries).toHaveLength(days.reduce((n, d) => n + d.papers.length, 0));
    expect(entries[0]!.title["#text"]).toBe("Attack 0: <script>window.__pwned=1</script>");
    expect(entries[0]!.id).toBe("https://you.github.io/papers/2026/03/16/#paper-2602.90001");
    expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);
  });
});

describe("feed text", () => {
  it("is plain text: a feed reader cannot typeset TeX", () => {
    const tex = makeDay({
      date: "2026-03-18",
      papers: [
        makePaper({
          id: "2603.16362",
          title: "$D^3$-RSMDE: 40$\\times$ Faster",
          abstract: "We introduce \\texttt{\\textbf{ZipCal}}, 2015--2024.",
        }),
      ],
    });
    const one = { ...input, days: [summariseDay(tex)] };
    expect(atomFeed(one)).toContain('<title type="text">D³-RSMDE: 40× Faster</title>');
    expect(atomFeed(one)).toContain("We introduce ZipCal, 2015–2024.");
    const item = JSON.parse(jsonFeed(one)).items[0];
    expect(item.title).toBe("D³-RSMDE: 40× Faster");
    expect(JSON.stringify(item)).not.toContain("\\\\texttt");
  });
});

describe("jsonFeed", () => {
  it("follows JSON Feed 1.1 with absolute item URLs", () => {
    const feed = JSON.parse(jsonFeed(input));
    expect(feed.version).toBe("https://jsonfeed.org/version/1.1");
    expect(feed.feed_url).toBe("https://you.github.io/papers/feed.json");
    const item = feed.items.find((i: { id: string }) => i.id.endsWith("#paper-2603.13419"));
    expect(item.url).toBe("https://you.github.io/papers/2026/03/13/#paper-2603.13419");
    expect(item.authors.length).toBeGreaterThan(0);
    expect(item.date_published).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });
});

describe("sitemap", () => {
  it("lists absolute URLs under baseUrl", () => {
    const xml = sitemap(urls, ["", "2026/02/05/"]);
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toContain("<loc>https://you.github.io/papers/</loc>");
    expect(xml).toContain("<loc>https://you.github.io/papers/2026/02/05/</loc>");
  });
});
