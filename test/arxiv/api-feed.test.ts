import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ArxivApiError, parseApiFeed } from "../../src/arxiv/api-feed.js";
import { FeedParseError } from "../../src/arxiv/xml.js";

const API = new URL("../fixtures/feeds/api/", import.meta.url);
const read = (name: string) => readFileSync(new URL(name, API), "utf8");

describe("parseApiFeed", () => {
  const page1 = parseApiFeed(read("page-1.xml"), "arXiv API page 1");
  const page2 = parseApiFeed(read("page-2.xml"), "arXiv API page 2");

  it("reads the OpenSearch paging counters of both pages", () => {
    expect([page1.totalResults, page1.startIndex, page1.itemsPerPage]).toEqual([5, 0, 3]);
    expect([page2.totalResults, page2.startIndex, page2.itemsPerPage]).toEqual([5, 3, 3]);
    expect([...page1.entries, ...page2.entries].map((e) => `${e.id}v${e.version}`)).toEqual([
      "hep-th/9711200v3",
      "2602.04870v1",
      "2512.23981v1",
      "2511.09465v1",
      "2512.09786v2",
    ]);
  });

  it("keeps the first 5,000 characters of an oversized abstract and marks the cut", () => {
    const xml = read("page-1.xml").replace(/<summary>[\s\S]*?<\/summary>/, `<summary>${"z ".repeat(6000)}</summary>`);
    const entry = parseApiFeed(xml, "arXiv API page 1").entries[0]!;
    expect(entry.abstract).toHaveLength(5001);
    expect(entry.abstractTruncatedFrom).toBe(11_999);
    expect(page1.entries[0]!.abstractTruncatedFrom).toBeUndefined();
  });

  it("reads the old-style paper with every optional field", () => {
    expect(page1.entries[0]).toMatchObject({
      id: "hep-th/9711200",
      version: 3,
      title: "The Large N Limit of Superconformal Field Theories and Supergravity",
      authors: [{ name: "Juan M. Maldacena", affiliations: [] }],
      categories: ["hep-th", "cs.LG"],
      announceType: "replace",
      doi: "10.1023/A:1026654312961",
      journalRef: "Adv.Theor.Math.Phys. 2 (1998) 231-252; Int.J.Theor.Phys. 38 (1999) 1113-1133",
      comment:
        "20 pages, harvmac, v2: section on AdS_2 corrected, references added, v3: More references and a sign in eqns 2.8 and 2.9 corrected",
      published: "1997-11-27T22:22:59Z",
      updated: "1998-01-22T18:41:42Z",
    });
  });

  it("joins the API's hard-wrapped abstract back into one line", () => {
    const abstract = page1.entries[0]!.abstract;
    expect(abstract).toMatch(
      /^We show that the large \$N\$ limit of certain conformal field theories in various dimensions/,
    );
    expect(abstract).toMatch(/five non-compact dimensions\.$/);
    expect(abstract).not.toContain("\n");
    expect(abstract).not.toContain("  ");
  });

  it("reads authors with their arxiv:affiliation, ids as strings, v1 as new", () => {
    const [, tarano, monterrey] = page1.entries;
    expect(tarano!.id).toBe("2602.04870");
    expect(tarano!.announceType).toBe("new");
    expect(tarano!.authors[3]).toEqual({ name: "Ana María Tárano", affiliations: [] });
    expect(monterrey!.authors[0]).toEqual({
      name: "Sebastián Gutiérrez-Bernal",
      affiliations: ["Tecnológico de Monterrey, Monterrey, N.L., Mexico"],
    });
    expect(page2.entries[1]!.announceType).toBe("replace");
    expect(tarano!.published).toBe(tarano!.updated);
  });

  it("puts the primary category first, once", () => {
    expect(page2.entries[0]!.categories).toEqual(["q-bio.QM", "cs.LG"]);
  });

  it("throws the API's own message for its error feed", () => {
    expect(() => parseApiFeed(read("error.xml"), "arXiv API lookup")).toThrow(ArxivApiError);
    try {
      parseApiFeed(read("error.xml"), "arXiv API lookup");
    } catch (error) {
      expect((error as ArxivApiError).apiMessage).toBe("incorrect id format for 1234.12345");
      expect((error as Error).message).toMatch(/^arXiv API lookup: .*incorrect id format for 1234\.12345/);
    }
  });

  it("names the page and the field for malformed answers", () => {
    const noCount = read("page-2.xml").replace(/<opensearch:totalResults>5</, "<opensearch:totalResults>five<");
    expect(() => parseApiFeed(noCount, "arXiv API page 2")).toThrow(
      /arXiv API page 2: .*opensearch:totalResults.*whole number/,
    );
    const badId = read("page-2.xml").replace(
      "http://arxiv.org/abs/2511.09465v1</id>",
      "http://arxiv.org/abs/nonsense</id>",
    );
    expect(() => parseApiFeed(badId, "arXiv API page 2")).toThrow(/entry 1: <id> "http:\/\/arxiv.org\/abs\/nonsense"/);
    expect(() => parseApiFeed(read("page-2.xml").slice(0, 500), "arXiv API page 2")).toThrow(FeedParseError);
    expect(() => parseApiFeed("<rss/>", "arXiv API page 2")).toThrow(/root element is <rss>/);
  });
});

describe("CDATA in an API answer", () => {
  it("reads a summary in CDATA as the same abstract, mixed with escaped text", () => {
    const page = read("page-1.xml");
    const plain = parseApiFeed(page, "arXiv API page 1").entries[1]!;
    let n = 0;
    const xml = page.replace(/<summary>([\s\S]*?)<\/summary>/g, (all, text: string) => {
      n += 1;
      if (n !== 2) return all;
      // Cut after a space: the text on each side of the section keeps its white space.
      const cut = text.indexOf(" ", 20) + 1;
      const [head, tail] = [text.slice(0, cut), text.slice(cut)];
      return `<summary>${head}<![CDATA[${tail.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&")}]]></summary>`;
    });
    expect(xml).not.toBe(page);
    expect(parseApiFeed(xml, "arXiv API page 1").entries[1]).toEqual(plain);
  });
});
