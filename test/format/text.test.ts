import MarkdownIt from "markdown-it";
import { describe, expect, it } from "vitest";
import {
  arxivAbsUrl,
  arxivHtmlUrl,
  arxivPdfUrl,
  authorsWithAffiliations,
  escapeMarkdown,
  formatDateUS,
  formatUsd,
} from "../../src/format/text.js";
import { shownText as shown } from "../helpers/page-text.js";
import { referenceEntries } from "../helpers/reference.js";

// html:true is the most permissive setting: raw HTML would pass straight through if we let it.
const md = new MarkdownIt({ html: true });

describe("formatUsd", () => {
  it.each([
    [0.53, "$0.53"],
    [0.07, "$0.07"],
    [1.5, "$1.50"],
    [0, "$0.00"],
    [0.0031, "$0.0031"],
    [0.000125, "$0.00013"],
    // Below a dollar, up to four decimals: the run line and the page's table say the same.
    [0.0103, "$0.0103"],
    [0.1, "$0.10"],
    [0.015, "$0.015"],
    [0.123456, "$0.1235"],
    [0.999999, "$1.00"],
  ])("%d → %s", (amount, text) => {
    expect(formatUsd(amount)).toBe(text);
  });

  it("refuses amounts that are not numbers", () => {
    expect(() => formatUsd(Number.NaN)).toThrow(/not a finite amount: NaN/);
  });
});

describe("formatDateUS", () => {
  it("writes MM/DD/YYYY as the remedial banner does", () => {
    expect(formatDateUS("2025-05-16")).toBe("05/16/2025");
    expect(formatDateUS("2026-03-21")).toBe("03/21/2026");
  });

  it("names a bad input", () => {
    expect(() => formatDateUS("16/05/2025")).toThrow(/expected a date as YYYY-MM-DD, got "16\/05\/2025"/);
  });
});

describe("authorsWithAffiliations", () => {
  it("keeps each affiliation whole, commas and all", () => {
    expect(
      authorsWithAffiliations([
        { name: "Jin Cui", affiliations: ["School of Software Engineering, Xi'an Jiaotong University"] },
        { name: "Ana María Tárano", affiliations: [] },
        { name: "Paul Pegon", affiliations: ["Loughborough University", "CNRS"] },
      ]),
    ).toBe(
      "Jin Cui (School of Software Engineering, Xi'an Jiaotong University), Ana María Tárano, Paul Pegon (Loughborough University; CNRS)",
    );
  });
});

describe("arXiv URLs", () => {
  it("builds abs, pdf and html links for both id schemes", () => {
    expect(arxivAbsUrl("2602.04119")).toBe("https://arxiv.org/abs/2602.04119");
    expect(arxivPdfUrl("2602.04119", 2)).toBe("https://arxiv.org/pdf/2602.04119v2");
    expect(arxivHtmlUrl("2602.04119", null)).toBe("https://arxiv.org/html/2602.04119");
    expect(arxivAbsUrl("hep-th/9901001")).toBe("https://arxiv.org/abs/hep-th/9901001");
    expect(arxivAbsUrl("math.GT/0309136", 1)).toBe("https://arxiv.org/abs/math.GT/0309136v1");
  });

  it("cannot be steered out of the path by a malformed id", () => {
    expect(arxivAbsUrl("x?a=b#c) [evil](http://e")).toBe(
      "https://arxiv.org/abs/x%3Fa%3Db%23c)%20%5Bevil%5D(http%3A//e",
    );
  });
});

describe("escapeMarkdown", () => {
  const hostile = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click me](javascript:alert(1)) and ![pixel](https://evil.example/p.png)",
    "**bold** _it_ ~~gone~~ `code` # not a heading | not | a table",
    "A & B &lt;b&gt; stays text",
    "line one\n\n# heading on line two\n- list item\n> quote",
    "back\\slash \\*escaped\\* {braces} 50% off!",
    "<https://autolink.example> and https://bare.example/x_y_z*",
  ];

  it.each(hostile)("shows %j as text, never as markup", (text) => {
    const out = escapeMarkdown(text);
    const html = md.renderInline(out);
    expect(html).not.toMatch(/<[a-z]/i);
    expect(shown(out)).toBe(text.replace(/\s+/g, " ").trim());
    expect(out).not.toContain("\n");
  });

  it("leaves TeX math as written", () => {
    expect(escapeMarkdown("molecules ($\\geq 95\\%$) with rewards")).toBe("molecules ($\\geq 95\\%$) with rewards");
    expect(escapeMarkdown("a $O(n_1 * n_2)$ bound and $$x^2$$")).toBe("a $O(n_1 * n_2)$ bound and $$x^2$$");
  });

  it("escapes dollar signs that are not math, and math-looking spans that hide markup", () => {
    expect(escapeMarkdown("costs $5 and $10")).toBe("costs \\$5 and \\$10");
    expect(escapeMarkdown("$<b>x</b>$")).toBe("\\$&lt;b&gt;x&lt;/b&gt;\\$");
    expect(escapeMarkdown("$[a](https://e.example)$")).toBe("\\$\\[a\\](https://e.example)\\$");
  });

  it("round-trips every real title, comment and math-free abstract of a day", () => {
    const day = referenceEntries("2026-02-13") as Record<string, { title: string; abstract: string; COMMENT: string }>;
    let checked = 0;
    for (const paper of Object.values(day)) {
      for (const text of [paper.title, paper.COMMENT, paper.abstract]) {
        if (text.includes("$")) continue;
        expect(shown(escapeMarkdown(text)).replace(/\s+/g, " ")).toBe(text.replace(/\s+/g, " ").trim());
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(90);
  });
});
