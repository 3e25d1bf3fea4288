/**
 * parseArxivFeed. First the committed feed fixtures (test/fixtures/feeds/README.md lists every
 * count asserted here), checked against the real reference metadata they were built from. Bad
 * input is tested in feed-errors.test.ts.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseArxivFeed } from "../../src/arxiv/feed.js";
import { decodeTex } from "../../src/format/math-spans.js";
import type { AnnounceType, Candidate, ParsedFeed } from "../../src/model/candidate.js";
import { loadReferencePapers, type ReferencePaper } from "../helpers/reference.js";

const FEEDS = new URL("../fixtures/feeds/", import.meta.url);
const parse = (path: string): ParsedFeed => parseArxivFeed(readFileSync(new URL(path, FEEDS), "utf8"), path);

const day = {
  "cs.LG": parse("2026-02-05/cs.LG.xml"),
  "cs.AI": parse("2026-02-05/cs.AI.xml"),
  "cs.CL": parse("2026-02-05/cs.CL.xml"),
};
const combined = parse("2026-02-05/cs.LG+cs.AI+cs.CL.xml");
const atom = parse("2026-02-05/cs.LG+cs.AI+cs.CL.atom.xml");

function entry(feed: ParsedFeed, id: string): Candidate {
  const found = feed.entries.find((e) => e.id === id);
  if (!found) throw new Error(`${id} not in feed`);
  return found;
}

function typeCounts(feed: ParsedFeed): Record<AnnounceType, number> {
  const counts = { new: 0, cross: 0, replace: 0, "replace-cross": 0 };
  for (const e of feed.entries) counts[e.announceType]++;
  return counts;
}

/** Every reference paper by id, as recorded (authors as the reference split them). */
function loadReference(): Map<string, ReferencePaper> {
  const papers = new Map<string, ReferencePaper>();
  for (const paper of loadReferencePapers()) if (!papers.has(paper.id)) papers.set(paper.id, paper);
  return papers;
}

describe("full-size day 2026-02-05, per-category RSS", () => {
  it("has the documented entries per feed and per announce type", () => {
    expect(typeCounts(day["cs.LG"])).toEqual({ new: 88, cross: 23, replace: 42, "replace-cross": 17 });
    expect(typeCounts(day["cs.AI"])).toEqual({ new: 56, cross: 39, replace: 22, "replace-cross": 15 });
    expect(typeCounts(day["cs.CL"])).toEqual({ new: 48, cross: 35, replace: 27, "replace-cross": 18 });
    const all = Object.values(day).flatMap((f) => f.entries);
    expect(all).toHaveLength(430);
    expect(new Set(all.map((e) => e.id)).size).toBe(365);
  });

  it("reads the channel: pubDate in the feed's zone, announceDate as written, lastBuildDate", () => {
    for (const [category, feed] of Object.entries(day)) {
      expect(feed.channel).toEqual({
        format: "rss",
        title: `${category} updates on arXiv.org`,
        pubDate: "2026-02-05T00:00:00-05:00",
        announceDate: "2026-02-05",
        lastBuildDate: "2026-02-05T05:00:14+00:00",
      });
    }
  });

  it("lists cross-listed papers in several feeds with the same version", () => {
    const feedsOf = new Map<string, Candidate[]>();
    for (const feed of Object.values(day)) {
      for (const e of feed.entries) feedsOf.set(e.id, [...(feedsOf.get(e.id) ?? []), e]);
    }
    const multi = [...feedsOf.values()].filter((list) => list.length >= 2);
    expect(multi).toHaveLength(61);
    for (const list of multi) expect(new Set(list.map((e) => e.version)).size).toBe(1);
    expect(feedsOf.get("2602.04870")!.map((e) => e.announceType)).toEqual(["new", "cross", "cross"]);
  });

  it("keeps the id ending in 0 a string and decodes its author's accents", () => {
    const paper = entry(day["cs.LG"], "2602.04870");
    expect(paper.id).toBe("2602.04870");
    expect(paper.version).toBe(1);
    expect(paper.categories).toEqual(["cs.LG", "cs.AI", "cs.CL"]);
    expect(paper.authors.map((a) => a.name)).toEqual([
      "Chenwei Cui",
      "Rockwell Jackson",
      "Benjamin Joseph Herrera",
      "Ana María Tárano",
      "Hannah Kerner",
    ]);
  });

  it("reads the old-style id with its version, DOI and journal reference", () => {
    expect(entry(day["cs.LG"], "hep-th/9711200")).toMatchObject({
      version: 3,
      title: "The Large N Limit of Superconformal Field Theories and Supergravity",
      authors: [{ name: "Juan M. Maldacena", affiliations: [] }],
      categories: ["hep-th", "cs.LG"],
      announceType: "replace-cross",
      doi: "10.1023/A:1026654312961",
      journalRef: "Adv.Theor.Math.Phys. 2 (1998) 231-252; Int.J.Theor.Phys. 38 (1999) 1113-1133",
    });
    expect(entry(day["cs.LG"], "hep-th/9711200").abstract).toMatch(/^We show that the large \$N\$ limit/);
  });

  it("decodes TeX in the journal reference of the RSS specification's example", () => {
    expect(entry(day["cs.LG"], "2203.01250")).toMatchObject({
      version: 3,
      announceType: "replace-cross",
      categories: ["math.AP", "math.OC", "cs.LG"],
      doi: "10.5802/jep.257",
      journalRef: "Journal de l'École polytechnique - Mathématiques, Tome 11 (2024), pp. 431-472",
    });
  });

  it("omits DOI and journal reference when the item has none", () => {
    const paper = entry(day["cs.LG"], "2602.04870");
    expect("doi" in paper).toBe(false);
    expect("journalRef" in paper).toBe(false);
    expect(day["cs.LG"].entries.filter((e) => e.doi !== undefined).map((e) => e.id)).toEqual([
      "2203.01250",
      "hep-th/9711200",
    ]);
  });

  it("keeps affiliations whole", () => {
    const avants = entry(day["cs.LG"], "2511.06425");
    expect(avants.version).toBe(2);
    expect(avants.announceType).toBe("replace-cross");
    expect(avants.authors).toEqual(
      ["Brian B. Avants", "Nicholas J. Tustison", "James R Stone"].map((name) => ({
        name,
        affiliations: ["Department of Radiology, Medical Imaging University of Virginia, Charlottesville, VA"],
      })),
    );
    expect(entry(day["cs.CL"], "2512.23981").authors[0]).toEqual({
      name: "Sebastián Gutiérrez-Bernal",
      affiliations: ["Tecnológico de Monterrey, Monterrey, N.L., Mexico"],
    });
    expect(entry(day["cs.LG"], "2511.09465").authors[4]).toEqual({
      name: "Aron Stålmarck",
      affiliations: ["Department of Microbiology, Tumor and Cell Biology, Karolinska Institutet"],
    });
  });

  it("decodes entities and TeX in titles", () => {
    expect(entry(day["cs.LG"], "2512.09786").title).toBe(
      "TinyDéjàVu: Smaller Memory Footprint & Faster Inference on Sensor Data Streams with Always-On Microcontrollers",
    );
    expect(entry(day["cs.LG"], "2602.03896").title).toBe("A Hitchhiker\u2019s Guide to Poisson Gradient Estimation");
    expect(entry(day["cs.LG"], "2505.12579").abstract).toContain("(say $<0.1\\%$ of total parameters)");
  });

  it("lists categories primary first, as written", () => {
    expect(entry(day["cs.LG"], "2602.03896").categories[0]).toBe("stat.ML");
    expect(entry(day["cs.AI"], "2602.11956").categories).toEqual(["cs.AI", "cs.LG"]);
  });
});

describe("the same day against the reference metadata", () => {
  const reference = loadReference();

  it("strips exactly the description prefix and leaves every abstract otherwise untouched", () => {
    let compared = 0;
    for (const e of combined.entries) {
      const paper = reference.get(e.id);
      if (!paper) continue;
      expect(e.abstract).toBe(paper.abstract);
      expect(e.abstract).not.toMatch(/^arXiv:|Announce Type:/);
      compared++;
    }
    expect(compared).toBe(363);
    expect(entry(combined, "2511.09400").abstract).toContain("This work introduces Abstract Gradient Training");
  });

  it("recovers every author list the reference cut at commas", () => {
    for (const e of combined.entries) {
      const paper = reference.get(e.id);
      if (!paper) continue;
      const rebuilt = e.authors.map((a) => [a.name, ...a.affiliations.map((x) => `(${x})`)].join(" ")).join(", ");
      expect(rebuilt).toBe(decodeTex(paper.authors.join(", ")));
      if (e.id !== "2602.03896") expect(e.title).toBe(decodeTex(paper.title));
    }
  });
});

describe("combined RSS and Atom of the same day", () => {
  it("lists each paper once with the documented announce types", () => {
    expect(combined.entries).toHaveLength(365);
    expect(new Set(combined.entries.map((e) => e.id)).size).toBe(365);
    expect(typeCounts(combined)).toEqual({ new: 192, cross: 55, replace: 91, "replace-cross": 27 });
    expect(combined.channel.title).toBe("cs.LG+cs.AI+cs.CL updates on arXiv.org");
  });

  it("reads the Atom form to the same entries, dates from <published> and <updated>", () => {
    expect(atom.entries).toEqual(combined.entries);
    expect(atom.channel).toEqual({
      format: "atom",
      title: "cs.LG+cs.AI+cs.CL updates on arXiv.org",
      pubDate: "2026-02-05T00:00:00-05:00",
      announceDate: "2026-02-05",
      lastBuildDate: "2026-02-05T05:00:14.512208+00:00",
    });
  });
});

describe("days without a fresh announcement", () => {
  it("reads the weekend feed as a channel with no entries", () => {
    expect(parse("weekend/cs.LG-2026-02-07.xml")).toEqual({
      channel: {
        format: "rss",
        title: "cs.LG updates on arXiv.org",
        pubDate: "2026-02-07T00:00:00-05:00",
        announceDate: "2026-02-07",
        lastBuildDate: "2026-02-07T05:00:09+00:00",
      },
      entries: [],
    });
  });

  it("reads the stale feed: yesterday's items and pubDate, a fresh lastBuildDate", () => {
    const stale = parse("stale/cs.CL-2026-02-06.xml");
    expect(stale.channel.announceDate).toBe("2026-02-05");
    expect(stale.channel.lastBuildDate).toBe("2026-02-06T04:31:07+00:00");
    expect(stale.entries).toEqual(day["cs.CL"].entries);
  });
});

// Bad input.
