/** Bad input: every error is a FeedParseError naming the source, and where possible the position. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MAX_ABSTRACT_CHARS, parseArxivFeed } from "../../src/arxiv/feed.js";
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

  it("fails a feed none of whose entries can be read, naming the first", () => {
    const error = failure(rss({ guid: "oai:arXiv.org:2602.0411" }));
    expect(error.message).toContain("its only entry could not be read (the first:");
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

/** The good one-item feed with a second, changed item after it (line 18 on). */
function withBadItem(bad: Parameters<typeof rss>[0], edit: (item: string) => string = (i) => i): string {
  const good = rss();
  const item = edit(/<item>[\s\S]*<\/item>/.exec(rss(bad))![0]);
  return good.replace("</item>", `</item>\n    ${item}`);
}

describe("one bad entry costs only that entry", () => {
  it.each([
    [
      "a short id",
      { guid: "oai:arXiv.org:2602.0411v1" },
      "oai:arXiv.org:2602.0411v1",
      'not an arXiv identifier: "oai:arXiv.org:2602.0411v1"',
    ],
    ["an empty title", { title: "  " }, "oai:arXiv.org:2602.04119v1", "has an empty title"],
    [
      "an abstract labelled with another paper",
      { description: "arXiv:2602.04120v1 Announce Type: new \nAbstract: text" },
      "oai:arXiv.org:2602.04119v1",
      "labelled arXiv:2602.04120v1",
    ],
  ])("skips and reports an entry with %s, keeping the rest", (_what, bad, id, detail) => {
    const feed = parseArxivFeed(withBadItem(bad), SOURCE);
    expect(feed.entries.map((e) => e.id)).toEqual(["2602.04119"]);
    expect(feed.problems).toHaveLength(1);
    expect(feed.problems![0]).toMatchObject({ position: 2, line: 18, id, kept: false });
    expect(feed.problems![0]!.message).toContain(detail);
    expect(feed.problems![0]!.message).toContain("item 2");
    expect(feed.problems![0]!.message).toMatch(/\(line 18\); skipped$/);
  });

  it("skips an entry with no guid and no link, naming it by position", () => {
    const xml = withBadItem({ guid: "" }, (item) => item.replace(/<link>.*<\/link>/, ""));
    const feed = parseArxivFeed(xml, SOURCE);
    expect(feed.entries).toHaveLength(1);
    expect(feed.problems).toEqual([
      expect.objectContaining({
        position: 2,
        id: null,
        kept: false,
        message: expect.stringContaining("item 2 has no arXiv id"),
      }),
    ]);
  });

  it("skips an entry with a repeated element", () => {
    const feed = parseArxivFeed(
      withBadItem({}, (item) => item.replace("<title>", "<title>One</title><title>")),
      SOURCE,
    );
    expect(feed.entries).toHaveLength(1);
    expect(feed.problems![0]!.message).toContain("item 2 is malformed at <title>");
  });

  it("keeps an entry with an unknown announce type, marked as such", () => {
    const feed = parseArxivFeed(
      withBadItem({
        type: "withdrawn",
        guid: "oai:arXiv.org:2602.04120v2",
        description: "arXiv:2602.04120v2 Announce Type: withdrawn \nAbstract: Withdrawn.",
      }),
      SOURCE,
    );
    expect(feed.entries.map((e) => [e.id, e.announceType, e.announceTypeRaw])).toEqual([
      ["2602.04119", "new", undefined],
      ["2602.04120", "replace", "withdrawn"],
    ]);
    expect(feed.entries[1]!.abstract).toBe("Withdrawn.");
    expect(feed.problems).toEqual([
      expect.objectContaining({ position: 2, id: "oai:arXiv.org:2602.04120v2", kept: true }),
    ]);
    expect(feed.problems![0]!.message).toContain(
      'announce type "withdrawn" is not one of new, cross, replace, replace-cross; kept as "replace"',
    );
  });

  it("reads an abstract that quotes <!DOCTYPE inside CDATA", () => {
    const description =
      "<![CDATA[arXiv:2602.04119v1 Announce Type: new \nAbstract: We parse <!DOCTYPE html> pages & <!ENTITY> tricks.]]>";
    const feed = parseArxivFeed(rss({ description }), SOURCE);
    expect(feed.problems).toBeUndefined();
    expect(feed.entries[0]!.abstract).toBe("We parse <!DOCTYPE html> pages & <!ENTITY> tricks.");
  });

  it("still refuses a real DTD after a CDATA section", () => {
    const xml = `<?xml version="1.0"?><!-- <![CDATA[ --><!DOCTYPE rss [<!ENTITY x "xx">]><rss><channel/></rss>`;
    expect(failure(xml).message).toContain("declares a DTD at line 1");
  });

  it("reports nothing for a clean feed (no problems list)", () => {
    expect(parseArxivFeed(rss(), SOURCE).problems).toBeUndefined();
  });
});

describe("abstract size", () => {
  it("keeps the first 5,000 characters of an oversized abstract and marks the cut", () => {
    const huge = "x".repeat(MAX_ABSTRACT_CHARS * 4);
    const feed = parseArxivFeed(
      rss({ description: `arXiv:2602.04119v1 Announce Type: new \nAbstract: ${huge}` }),
      SOURCE,
    );
    const entry = feed.entries[0]!;
    expect(entry.abstract).toHaveLength(MAX_ABSTRACT_CHARS + 1);
    expect(entry.abstract.endsWith("…")).toBe(true);
    expect(entry.abstractTruncatedFrom).toBe(20_000);
    expect(feed.problems![0]).toMatchObject({ kept: true, position: 1 });
    expect(feed.problems![0]!.message).toContain("20000 characters (arXiv allows 1,920)");
  });

  it("leaves an abstract at arXiv's own limit alone", () => {
    const text = "y".repeat(1920);
    const feed = parseArxivFeed(
      rss({ description: `arXiv:2602.04119v1 Announce Type: new \nAbstract: ${text}` }),
      SOURCE,
    );
    expect(feed.entries[0]!.abstract).toBe(text);
    expect(feed.entries[0]!.abstractTruncatedFrom).toBeUndefined();
  });
});

describe("small drift in the feed's format", () => {
  const DC = 'xmlns:dc="http://purl.org/dc/elements/1.1/"';

  it("reads the authors under any prefix bound to Dublin Core, and the arXiv elements under any prefix", () => {
    const xml = rss()
      .replace(DC, 'xmlns:dcterms="http://purl.org/dc/elements/1.1/"')
      .replace('xmlns:arxiv="http://arxiv.org/schemas/atom"', 'xmlns:ax="http://arxiv.org/schemas/atom"')
      .replace(/dc:creator>/g, "dcterms:creator>")
      .replace(/arxiv:announce_type>/g, "ax:announce_type>")
      .replace("<ax:announce_type>new", "<ax:announce_type>replace");
    const feed = parseArxivFeed(xml, SOURCE);
    expect(feed.problems).toBeUndefined();
    expect(feed.entries[0]!.authors.map((a) => a.name)).toEqual(["Hyeonah Kim", "Minsu Kim", "Yoshua Bengio"]);
    expect(feed.entries[0]!.announceType).toBe("replace");
  });

  it("does not read another namespace's creator as the authors", () => {
    const xml = rss().replace(DC, 'xmlns:dc="http://example.org/not-dublin-core/"');
    const feed = parseArxivFeed(xml, SOURCE);
    expect(feed.entries[0]!.authors).toEqual([]);
  });

  it("reads one <dc:creator> per author as the author list", () => {
    const xml = rss().replace(
      "<dc:creator>Hyeonah Kim, Minsu Kim, Yoshua Bengio</dc:creator>",
      "<dc:creator>Hyeonah Kim</dc:creator><dc:creator>Yoshua Bengio</dc:creator>",
    );
    expect(parseArxivFeed(xml, SOURCE).entries[0]!.authors.map((a) => a.name)).toEqual([
      "Hyeonah Kim",
      "Yoshua Bengio",
    ]);
  });

  it.each([
    [
      "an empty <dc:creator>",
      (xml: string) => xml.replace(/<dc:creator>.*<\/dc:creator>/, "<dc:creator></dc:creator>"),
    ],
    ["no <dc:creator>", (xml: string) => xml.replace(/<dc:creator>.*<\/dc:creator>/, "")],
  ])("keeps an entry with %s and says it names no authors", (_what, edit) => {
    const feed = parseArxivFeed(edit(rss()), SOURCE);
    expect(feed.entries).toHaveLength(1);
    expect(feed.entries[0]!.authors).toEqual([]);
    expect(feed.problems).toEqual([expect.objectContaining({ position: 1, kept: true })]);
    expect(feed.problems![0]!.message).toContain("(oai:arXiv.org:2602.04119v1) names no authors");
  });

  it("reads a description whose prefix was collapsed onto one line", () => {
    const description = "arXiv:2602.04119v1 Announce Type: new Abstract: The application of generative models.";
    const feed = parseArxivFeed(rss({ description }), SOURCE);
    expect(feed.problems).toBeUndefined();
    expect(feed.entries[0]!.abstract).toBe("The application of generative models.");
  });

  it.each([
    ["Thu, 05 Feb 2026 05:00:00 +0000 (UTC)", "2026-02-05T05:00:00+00:00"],
    ["Thu, 05 Feb 2026 00:00:00 EST", "2026-02-05T00:00:00-05:00"],
    ["Thu, 05 Feb 2026 05:00:00 UTC", "2026-02-05T05:00:00+00:00"],
    ["Thursday, 5 Feb 2026 00:00:00 -0500 (EST)", "2026-02-05T00:00:00-05:00"],
    ["05 Feb 2026 00:00 -0500", "2026-02-05T00:00:00-05:00"],
  ])("reads the channel pubDate %s", (written, iso) => {
    const feed = parseArxivFeed(rss().replace("Thu, 05 Feb 2026 00:00:00 -0500", written), SOURCE);
    expect(feed.channel.pubDate).toBe(iso);
  });

  it("still leaves out only the entry that cannot be read", () => {
    const feed = parseArxivFeed(withBadItem({ description: "arXiv:2602.04119v1 Abstract: no type" }), SOURCE);
    expect(feed.entries).toHaveLength(1);
    expect(feed.problems).toEqual([expect.objectContaining({ position: 2, kept: false })]);
  });
});

describe("CDATA is text like any other", () => {
  const PREFIX = "arXiv:2602.04119v1 Announce Type: new \nAbstract: ";

  it.each([
    ["the whole description", `<![CDATA[${PREFIX}We study <b>bold</b> & "quoted" claims.]]>`],
    ["only the abstract", `${PREFIX}<![CDATA[We study <b>bold</b> & "quoted" claims.]]>`],
    ["the abstract, on lines of its own", `${PREFIX}\n  <![CDATA[We study <b>bold</b> & "quoted" claims.]]>\n`],
    ["the abstract in two sections", `${PREFIX}<![CDATA[We study <b>bold</b>]]><![CDATA[ & "quoted" claims.]]>`],
    ["the prefix and the abstract apart", `<![CDATA[${PREFIX}]]><![CDATA[We study <b>bold</b> & "quoted" claims.]]>`],
  ])("reads an entry with %s in CDATA", (_where, description) => {
    const feed = parseArxivFeed(rss({ description }), SOURCE);
    expect(feed.problems).toBeUndefined();
    expect(feed.entries[0]!.abstract).toBe('We study <b>bold</b> & "quoted" claims.');
  });

  it("keeps the text on both sides of a CDATA section, entities decoded and the section's own text as written", () => {
    const description = `${PREFIX}Bounds for A &amp; B <![CDATA[with &amp; kept, <x> and $a<b$]]> &lt;tight&gt; in &#8467;_2.`;
    const feed = parseArxivFeed(rss({ description }), SOURCE);
    expect(feed.problems).toBeUndefined();
    expect(feed.entries[0]!.abstract).toBe("Bounds for A & B with &amp; kept, <x> and $a<b$ <tight> in ℓ_2.");
  });

  it('reads "]]>" held by a CDATA section split in two', () => {
    const description = `${PREFIX}<![CDATA[The token ]]]]><![CDATA[> closes a section.]]>`;
    const feed = parseArxivFeed(rss({ description }), SOURCE);
    expect(feed.problems).toBeUndefined();
    expect(feed.entries[0]!.abstract).toBe("The token ]]> closes a section.");
  });

  it("reads a title and authors in CDATA too", () => {
    const feed = parseArxivFeed(
      rss({ title: "<![CDATA[Soft & <Hard> Priors]]>", creator: "<![CDATA[Hyeonah Kim, Yoshua Bengio]]>" }),
      SOURCE,
    );
    expect(feed.entries[0]!.title).toBe("Soft & <Hard> Priors");
    expect(feed.entries[0]!.authors.map((a) => a.name)).toEqual(["Hyeonah Kim", "Yoshua Bengio"]);
  });

  it("leaves a CDATA opener inside a comment alone", () => {
    const description = `${PREFIX}Before <!-- <![CDATA[ not text ]]> -->after.`;
    expect(parseArxivFeed(rss({ description }), SOURCE).entries[0]!.abstract).toBe("Before after.");
  });

  it("reads an Atom summary with its abstract in CDATA", () => {
    const atom = readFileSync(
      new URL("../fixtures/feeds/2026-02-05/cs.LG+cs.AI+cs.CL.atom.xml", import.meta.url),
      "utf8",
    );
    const plain = parseArxivFeed(atom, SOURCE);
    const wrapped = atom.replace(
      /(<summary>arXiv:\S+ Announce Type: \S+ \nAbstract: )([\s\S]*?)(<\/summary>)/g,
      (_all, prefix: string, abstract: string, end: string) =>
        `${prefix}<![CDATA[${abstract.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&")}]]>${end}`,
    );
    expect(wrapped).not.toBe(atom);
    const feed = parseArxivFeed(wrapped, SOURCE);
    expect(feed.problems).toEqual(plain.problems);
    expect(feed.entries).toEqual(plain.entries);
  });
});
