import MarkdownIt from "markdown-it";
import { describe, expect, it } from "vitest";
import { texMarkdown } from "../../src/format/tex-markdown.js";
import {
  arxivAbsUrl,
  arxivHtmlUrl,
  arxivPdfUrl,
  authorsWithAffiliations,
  endSentence,
  escapeMarkdown,
  formatDateUS,
  formatUsd,
  plainLine,
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

describe("endSentence", () => {
  it("adds a full stop only where the text does not already end a sentence", () => {
    expect(endSentence("Unterminated string in JSON at position 500")).toBe(
      "Unterminated string in JSON at position 500.",
    );
    expect(endSentence("Expected ',' in JSON at position 2 (line 1 column 3)")).toBe(
      "Expected ',' in JSON at position 2 (line 1 column 3).",
    );
    expect(endSentence("The record is damaged. ")).toBe("The record is damaged.");
    expect(endSentence("Is it JSON?")).toBe("Is it JSON?");
    expect(endSentence('It said "stop."')).toBe('It said "stop."');
    expect(endSentence("(see the record.)")).toBe("(see the record.)");
    expect(endSentence("and so on…")).toBe("and so on…");
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
    expect(arxivHtmlUrl("hep-th/9901001", 2)).toBeNull();
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

describe("texMarkdown", () => {
  const html = (source: string, links?: boolean) =>
    md.renderInline(texMarkdown(source, links === undefined ? {} : { links }));

  it("writes text macros as Markdown and keeps math for GitHub", () => {
    expect(texMarkdown("We propose \\textbf{CAP-TTA} with a \\emph{trigger} and $x^2$ bounds")).toBe(
      "We propose **CAP-TTA** with a *trigger* and $x^2$ bounds",
    );
    expect(html("\\textit{moral reasoning} \\texttt{\\textbf{ZipCal}} \\textsuperscript{2}")).toBe(
      "<em>moral reasoning</em> <code>ZipCal</code> <sup>2</sup>",
    );
    expect(html("\\textbf{$x$ bounds} and \\textit{a\\textbf{b}c} and \\textbf{\\textit{x}}")).toBe(
      "<strong>$x$ bounds</strong> and <em>a<strong>b</strong>c</em> and <em><strong>x</strong></em>",
    );
    expect(texMarkdown("2015--2024 --- ``real'' \\ldots 20\\%")).toBe("2015–2024 — “real” … 20%");
    expect(texMarkdown("about \\textasciitilde 5 GB")).toBe("about \\~5 GB");
  });

  it("writes \\href and \\url as links to http(s) URLs only, and none inside a title's own link", () => {
    expect(html("Code: \\href{https://github.com/a/b_(c)}{the \\textbf{repo}}, \\url{https://e.org/x_y}.")).toBe(
      'Code: <a href="https://github.com/a/b_%28c%29">the <strong>repo</strong></a>, <a href="https://e.org/x_y">https://e.org/x_y</a>.',
    );
    expect(html("\\href{javascript:alert(1)}{click} \\url{javascript:alert(2)}")).toBe("click javascript:alert(2)");
    expect(html("\\href{https://e.org}{x} \\url{https://e.org}", false)).toBe("x https://e.org");
  });

  it("escapes what the text and link text hold", () => {
    const out = html('\\href{https://e.org/"><b>}{<i>x</i> & [y](javascript:z) *w*} <script>');
    expect(out).toBe(
      '<a href="https://e.org/%22%3E%3Cb%3E">&lt;i&gt;x&lt;/i&gt; &amp; [y](javascript:z) *w*</a> &lt;script&gt;',
    );
    // A bracket in math inside a link's text would end the text early: such math is escaped there.
    expect(html("\\href{https://e.org}{on $[0,1)$}")).toBe('<a href="https://e.org/">on $[0,1)$</a>');
    expect(texMarkdown("\\href{https://e.org}{on $[0,1)$}")).toContain("\\$\\[0,1)\\$");
  });

  it("shows a style as its content where `*` would not read as emphasis", () => {
    expect(html("a\\textbf{+x}b, \\textbf{M}\\textbf{I}, \\textbf{}, \\textbf{ spaced }")).toBe(
      "a+xb, <strong>M</strong>I, ,  <strong>spaced</strong> ",
    );
    expect(html("(\\textbf{+6.62\\%} accuracy)")).toBe("(<strong>+6.62%</strong> accuracy)");
  });

  it("writes code as a code span that holds any backticks, never escaped inside", () => {
    expect(texMarkdown("\\texttt{a`b} \\texttt{--flag \\_x} \\texttt{`}")).toBe("``a`b`` `--flag _x` `` ` ``");
    expect(html("\\texttt{<b>*x*</b>}")).toBe("<code>&lt;b&gt;*x*&lt;/b&gt;</code>");
  });

  it("shows unknown commands and unclosed macros as typed", () => {
    const source = "\\hs{} scores \\textbf{open";
    expect(md.renderInline(texMarkdown(source))).toBe(source);
  });

  it("handles a long pathological text, keeping all of it", () => {
    const unclosed = "\\textbf{".repeat(100_000);
    expect(md.renderInline(texMarkdown(unclosed))).toBe(unclosed);
    expect(texMarkdown("\\textbf{a} ".repeat(50_000))).toBe("**a** ".repeat(50_000).trim());
  });

  it("never lets markup out of hostile text", () => {
    for (const text of [
      "<script>alert(1)</script> \\textbf{<img src=x onerror=alert(1)>}",
      "\\emph{[click](javascript:alert(1))} \\texttt{<script>}",
      "**bold** _it_ `code` # \\textbf{x} | y",
    ]) {
      const out = html(text);
      expect(out).not.toMatch(/<(?!\/?(strong|em|code)>)[a-z/]/i);
    }
  });
});

describe("plainLine", () => {
  it("turns control characters into spaces and drops format characters but the joiners", () => {
    expect(plainLine(" Sparse\u001b[2J\r\nRouting\u0007 ")).toBe("Sparse [2J Routing");
    expect(plainLine("\u202eevil\u202c opti\u00admization \u2066x\u2069")).toBe("evil optimization x");
    expect(plainLine("\u{1f469}\u200d\u{1f52c} \u0928\u094d\u200c")).toBe(
      "\u{1f469}\u200d\u{1f52c} \u0928\u094d\u200c",
    );
  });
});
