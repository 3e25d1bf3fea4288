/**
 * parseArxivFeed. First the committed feed fixtures (test/fixtures/feeds/README.md lists every
 * count asserted here), checked against the real reference metadata they were built from; then
 * bad input: every error is a FeedParseError naming the source, and where possible the position.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseArxivFeed } from "../../src/arxiv/feed.js";
import { decodeTex } from "../../src/arxiv/tex.js";
import { FeedParseError } from "../../src/arxiv/xml.js";
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

const SOURCE = "cs.LG feed (https://rss.arxiv.org/rss/cs.LG)";

/** A one-item cs.LG feed around a real paper (2602.04119); `item` overrides replace its elements. */
function rss(item: Partial<Record<"guid" | "description" | "type" | "title" | "creator", string>> = {}): string {
  const guid = item.guid ?? "oai:arXiv.org:2602.04119v1";
  const description =
    item.description ??
    "arXiv:2602.04119v1 Announce Type: new \nAbstract: The application of generative models for experimental drug discovery campaigns is severely limited.";
  return `<?xml version='1.0' encoding='UTF-8'?>
<rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/" version="2.0">
  <channel>
    <title>cs.LG updates on arXiv.org</title>
    <lastBuildDate>Thu, 05 Feb 2026 05:00:14 +0000</lastBuildDate>
    <pubDate>Thu, 05 Feb 2026 00:00:00 -0500</pubDate>
    <item>
      <title>${item.title ?? "Synthesizable Molecular Generation via Soft-constrained GFlowNets with Rich Chemical Priors"}</title>
      <link>https://arxiv.org/abs/2602.04119</link>
      <description>${description}</description>
      ${guid === "" ? "" : `<guid isPermaLink="false">${guid}</guid>`}
      <category>cs.LG</category>
      <category>q-bio.BM</category>
      <arxiv:announce_type>${item.type ?? "new"}</arxiv:announce_type>
      <dc:creator>${item.creator ?? "Hyeonah Kim, Minsu Kim, Yoshua Bengio"}</dc:creator>
    </item>
  </channel>
</rss>
`;
}

function failure(xml: string): FeedParseError {
  try {
    parseArxivFeed(xml, SOURCE);
  } catch (error) {
    expect(error).toBeInstanceOf(FeedParseError);
    return error as FeedParseError;
  }
  throw new Error("expected parseArxivFeed to throw");
}

describe("well-formed edge cases", () => {
  it("reads the one-item feed", () => {
    const feed = parseArxivFeed(rss(), SOURCE);
    expect(feed.entries).toEqual([
      {
        id: "2602.04119",
        version: 1,
        title: "Synthesizable Molecular Generation via Soft-constrained GFlowNets with Rich Chemical Priors",
        abstract: "The application of generative models for experimental drug discovery campaigns is severely limited.",
        authors: ["Hyeonah Kim", "Minsu Kim", "Yoshua Bengio"].map((name) => ({ name, affiliations: [] })),
        categories: ["cs.LG", "q-bio.BM"],
        announceType: "new",
      },
    ]);
  });

  it("removes only the prefix, not the abstract's own 'Abstract: '", () => {
    const description =
      "arXiv:2602.04119v1 Announce Type: new \nAbstract: Abstract: a paper about abstracts.\nAbstract: again";
    expect(parseArxivFeed(rss({ description }), SOURCE).entries[0]!.abstract).toBe(
      "Abstract: a paper about abstracts.\nAbstract: again",
    );
  });

  it("decodes named and numeric entities", () => {
    const feed = parseArxivFeed(
      rss({ title: "Q&amp;A &lt;fast&gt; it&#8217;s &#x2019; &quot;quoted&quot;", creator: "Ren&#233; Vidal" }),
      SOURCE,
    );
    expect(feed.entries[0]!.title).toBe('Q&A <fast> it\u2019s \u2019 "quoted"');
    expect(feed.entries[0]!.authors[0]!.name).toBe("René Vidal");
  });

  it("keeps numeric-looking text as written (no number parsing)", () => {
    const feed = parseArxivFeed(rss({ title: "2401.00010", creator: "1.50" }), SOURCE);
    expect(feed.entries[0]!.title).toBe("2401.00010");
    expect(feed.entries[0]!.authors).toEqual([{ name: "1.50", affiliations: [] }]);
  });

  it("normalises whitespace in titles but not in abstracts", () => {
    const description = "arXiv:2602.04119v1 Announce Type: new \nAbstract: First.   Second  line.";
    const feed = parseArxivFeed(rss({ title: "  Two\n      lines  ", description }), SOURCE);
    expect(feed.entries[0]!.title).toBe("Two lines");
    expect(feed.entries[0]!.abstract).toBe("First.   Second  line.");
  });
});

describe("FeedParseError", () => {
  it("gives line and column of the truncated fixture, naming the source", () => {
    const xml = readFileSync(new URL("../fixtures/feeds/truncated/cs.AI-2026-02-05.xml", import.meta.url), "utf8");
    const error = failure(xml);
    expect(error.source).toBe(SOURCE);
    expect([error.line, error.column]).toEqual([988, 41]);
    expect(error.message).toMatch(
      /^cs\.LG feed \(https:\/\/rss\.arxiv\.org\/rss\/cs\.LG\): XML is malformed at line 988, column 41: .*truncated/,
    );
    expect(error.message).toContain("<rss > channel > item > description>");
  });

  it("points at a bad character inside the document", () => {
    const error = failure(rss({ title: "Q & A" }));
    expect(error.line).toBe(8);
    expect(error.column).toBeGreaterThan(0);
    expect(error.message).toContain(`XML is malformed at line 8, column ${error.column}`);
  });

  it.each([
    ["an empty body", "", "the response body is empty"],
    ["HTML instead of a feed", "<html><body>Service unavailable</body></html>", "the root element is <html>"],
    [
      "a DTD",
      '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x "xx">]><rss><channel/></rss>',
      "declares a DTD at line 1",
    ],
    ["plain text", "not xml at all", "XML is malformed at line 1, column 1"],
  ])("refuses %s with a message naming the source", (_what, xml, expected) => {
    const error = failure(xml);
    expect(error.message.startsWith(`${SOURCE}: `)).toBe(true);
    expect(error.message).toContain(expected);
  });

  it("names the entry with an unknown announce type and the allowed values", () => {
    const error = failure(rss({ type: "withdrawn" }));
    expect(error.message).toContain("item 1 (oai:arXiv.org:2602.04119v1)");
    expect(error.message).toContain('announce type "withdrawn" is not one of new, cross, replace, replace-cross');
    expect(error.line).toBe(7);
  });

  it("names the entry without an id", () => {
    const error = failure(rss({ guid: "" }).replace("<link>https://arxiv.org/abs/2602.04119</link>", ""));
    expect(error.message).toContain("item 1 has no arXiv id");
  });

  it("refuses an id that is not an arXiv identifier", () => {
    expect(failure(rss({ guid: "oai:arXiv.org:2602.0411" })).message).toContain('"oai:arXiv.org:2602.0411"');
  });

  it("refuses an abstract labelled with another paper", () => {
    const description = "arXiv:2602.04120v1 Announce Type: new \nAbstract: text";
    expect(failure(rss({ description })).message).toContain("labelled arXiv:2602.04120v1");
  });

  it("refuses a channel pubDate that is not a date", () => {
    const error = failure(rss().replace("Thu, 05 Feb 2026 00:00:00 -0500", "Thursday"));
    expect(error.message).toContain('channel <pubDate> "Thursday" is not a date');
  });

  it("refuses a repeated element where one is expected", () => {
    const error = failure(rss().replace("<title>Synth", "<title>One</title><title>Synth"));
    expect(error.message).toContain("item 1 is malformed at <title>");
  });
});
