import { describe, expect, it } from "vitest";
import { arxivLinks } from "../../src/site/arxiv-links.js";
import { bibtexEntry } from "../../src/site/bibtex.js";
import { dayPath, paperAnchor, siteUrls } from "../../src/site/urls.js";
import { makePaper } from "../helpers/day-factory.js";

describe("siteUrls", () => {
  it("normalises basePath and prefixes links with it", () => {
    for (const basePath of ["papers", "/papers", "papers/", "/papers/"]) {
      const urls = siteUrls({ basePath, baseUrl: "https://you.github.io/papers" });
      expect(urls.href(dayPath("2026-02-05"))).toBe("/papers/2026/02/05/");
      expect(urls.absolute(dayPath("2026-02-05"))).toBe("https://you.github.io/papers/2026/02/05/");
    }
    expect(siteUrls({ basePath: "/", baseUrl: "http://localhost:8080/" }).href("")).toBe("/");
    expect(siteUrls({ basePath: "", baseUrl: "http://localhost:8080/" }).href("archive/")).toBe("/archive/");
  });

  it("rejects paths and URLs that could escape or inject", () => {
    expect(() => siteUrls({ basePath: "/../etc/", baseUrl: "https://a.org/" })).toThrow(/site\.basePath/);
    expect(() => siteUrls({ basePath: '/"><script>/', baseUrl: "https://a.org/" })).toThrow(/site\.basePath/);
    expect(() => siteUrls({ basePath: "/", baseUrl: "not a url" })).toThrow(
      /site\.baseUrl "not a url" is not an absolute URL/,
    );
    expect(() => siteUrls({ basePath: "/", baseUrl: "javascript:alert(1)" })).toThrow(/https:\/\//);
  });
});

describe("arxivLinks", () => {
  it("links new- and old-scheme identifiers", () => {
    expect(arxivLinks("2602.04119")?.abs).toBe("https://arxiv.org/abs/2602.04119");
    expect(arxivLinks("hep-th/9901001")?.pdf).toBe("https://arxiv.org/pdf/hep-th/9901001");
    expect(arxivLinks("math.GT/0309136")?.html).toBe("https://arxiv.org/html/math.GT/0309136");
  });

  it("gives no link for anything else", () => {
    for (const id of ["javascript:alert(1)", "2602.04119?x=1", "../2602.04119", "2602.041", "https://evil.example/"]) {
      expect(arxivLinks(id), id).toBeNull();
    }
  });

  it("makes anchors that stay valid for old-scheme ids", () => {
    expect(paperAnchor("hep-th/9901001")).toBe("paper-hep-th-9901001");
  });
});

describe("bibtexEntry", () => {
  it("writes a citation of the real paper", () => {
    const entry = bibtexEntry(makePaper(), "2026-02-05");
    expect(entry).toBe(`@misc{kim2026synthesizable,
  title = {Synthesizable Molecular Generation via Soft-constrained GFlowNets with Rich Chemical Priors},
  author = {Hyeonah Kim and Yoshua Bengio},
  year = {2026},
  eprint = {2602.04119},
  archivePrefix = {arXiv},
  primaryClass = {cs.LG},
  url = {https://arxiv.org/abs/2602.04119},
}`);
  });

  it("keeps braces balanced whatever the title holds", () => {
    const entry = bibtexEntry(makePaper({ title: "Closing } early {and {never closing" }), "2026-02-05");
    const title = entry.split("\n")[1]!;
    expect(title).toBe("  title = {Closing  early {and {never closing}}},");
    expect([...entry].filter((c) => c === "{").length).toBe([...entry].filter((c) => c === "}").length);
  });
});
