/** Bad input: every error is a FeedParseError naming the source, and where possible the position. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseArxivFeed } from "../../src/arxiv/feed.js";
import { FeedParseError } from "../../src/arxiv/xml.js";

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

  it("reads an old id with its redundant subject class as the archive's id", () => {
    const feed = parseArxivFeed(
      rss({
        guid: "oai:arXiv.org:math.GT/0309136v1",
        description: "arXiv:math.GT/0309136v1 Announce Type: cross \nAbstract: A knot paper.",
        type: "cross",
      }),
      SOURCE,
    );
    expect(feed.entries[0]).toMatchObject({ id: "math/0309136", version: 1 });
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
