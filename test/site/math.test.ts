import { describe, expect, it } from "vitest";
import { MAX_MATH_HTML, renderMathText } from "../../src/site/math.js";
import { referenceDays } from "../helpers/reference.js";

describe("renderMathText", () => {
  it("shows text-mode TeX escapes as the characters they stand for", () => {
    expect(renderMathText("gains of 20\\% \\& more, Stage~2, see https://x.org/~me")).toBe(
      'gains of 20% &amp; more, Stage\u00a02, see <a href="https://x.org/~me" rel="nofollow noopener">https://x.org/~me</a>',
    );
  });

  it("renders the real abstract's math as MathML and escapes the rest", () => {
    const abstract = "molecules ($\\geq 95\\%$) with <b>higher</b> rewards";
    const html = renderMathText(abstract);
    expect(html).toBe(
      'molecules (<math><mo lspace="0">≥</mo><mn>95</mn><mi>%</mi></math>) with &lt;b&gt;higher&lt;/b&gt; rewards',
    );
    expect(html).toContain("&lt;b&gt;higher&lt;/b&gt;");
  });

  it("never lets markup inside math or text through", () => {
    const html = renderMathText("$<img src=x onerror=alert(1)>$ and <script>alert(2)</script>");
    expect(html).not.toMatch(/<img|<script/);
    expect(html).not.toMatch(/<[a-z]+[^>]*\son\w+=/i);
    expect(html).toContain("&lt;script&gt;");
  });

  it("refuses untrusted commands such as \\href with a javascript: URL", () => {
    const html = renderMathText("$\\href{javascript:alert(1)}{x}$ and $$\\url{javascript:alert(2)}$$");
    expect(html).not.toContain("href=");
    expect(html).toContain('<mstyle class="math-error"><mtext>\\href</mtext></mstyle>');
  });

  it("renders every real reference abstract without throwing", () => {
    let withMath = 0;
    for (const papers of referenceDays().values()) {
      for (const p of papers) {
        const html = renderMathText(p.abstract);
        if (html.includes("<math>")) withMath++;
        expect(html).not.toContain("<script");
      }
    }
    expect(withMath).toBeGreaterThan(50);
  });
});

describe("renderMathText on hostile abstracts", () => {
  /** What a reader must see when the math is not rendered: the source, escaped. */
  const asText = (source: string) => source.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

  it("shows nested superscripts that overflow KaTeX's stack as text instead of throwing", () => {
    const depth = 640;
    const source = `Deep: $${"x^{".repeat(depth)}${"}".repeat(depth)}$ end`;
    let html = "";
    expect(() => {
      html = renderMathText(source);
    }).not.toThrow();
    expect(html).not.toContain("<math");
    expect(html).toBe(asText(source));
  });

  it("shows deep \\sqrt nesting, with or without braces, as bounded text", () => {
    for (const source of [
      `$${"\\sqrt{".repeat(270)}x${"}".repeat(270)}$`,
      `$${"\\sqrt".repeat(600)} x$`,
      `$${"{".repeat(900)}${"}".repeat(900)}$`,
    ]) {
      const html = renderMathText(source);
      expect(html).toBe(asText(source));
      expect(html.length).toBeLessThan(source.length * 2);
    }
  });

  it("bounds the markup a flood of formulas can produce", () => {
    const flood = "$a$ ".repeat(480);
    expect(flood.length).toBe(1920);
    const html = renderMathText(flood);
    expect(html.length).toBeLessThanOrEqual(MAX_MATH_HTML);
    expect(html).toBe(flood);
  });

  it("writes plain MathML: no KaTeX wrapper, TeX annotation or styles", () => {
    const html = renderMathText("a $x^2$ b $$\\sum_i y_i < 1$$");
    expect(html).toBe(
      "a <math><msup><mi>x</mi><mn>2</mn></msup></math> b " +
        '<math display="block"><munder><mo>∑</mo><mi>i</mi></munder><msub><mi>y</mi><mi>i</mi></msub><mo>&lt;</mo><mn>1</mn></math>',
    );
  });

  it("shows a formula KaTeX cannot parse as its source, marked by a class and no inline style", () => {
    const html = renderMathText("a $\\frac{$ b");
    expect(html).toMatch(/^a <span class="math-error" title="ParseError: [^"]*">\\frac\{<\/span> b$/);
    expect(html).not.toContain("style=");
  });

  it("lets a line break after an inline formula's top-level relations and operators, as KaTeX's HTML did", () => {
    expect(renderMathText("$-x + y \\leq f(a, b)$")).toBe(
      "<math><mo>−</mo><mi>x</mi><mo>+</mo></math>" +
        "<math><mi>y</mi><mo>≤</mo></math>" +
        '<math><mi>f</mi><mo stretchy="false">(</mo><mi>a</mi><mo>,</mo><mi>b</mi><mo stretchy="false">)</mo></math>',
    );
    // Inside a group nothing is cut; nor is a formula that ends in an operator.
    expect(renderMathText("$\\left(a + b\\right)$")).not.toContain("</math><math>");
    expect(renderMathText("$a +$")).not.toContain("</math><math>");
  });

  it("spaces an operator with no operand on one side as TeX does (40×, ×2, ≥ 95%)", () => {
    // A binary operator missing an operand is an ordinary symbol: no space on either side.
    expect(renderMathText("40$\\times$ faster")).toBe('40<math><mo lspace="0" rspace="0">×</mo></math> faster');
    expect(renderMathText("$\\times 2$")).toBe('<math><mo lspace="0" rspace="0">×</mo><mn>2</mn></math>');
    expect(renderMathText("$a +$")).toBe('<math><mi>a</mi><mo lspace="0" rspace="0">+</mo></math>');
    // A relation keeps its space on the side that has an operand.
    expect(renderMathText("$\\geq 95$")).toBe('<math><mo lspace="0">≥</mo><mn>95</mn></math>');
    expect(renderMathText("$a \\leq$")).toBe('<math><mi>a</mi><mo rspace="0">≤</mo></math>');
    expect(renderMathText("$\\leq$ 5")).toBe('<math><mo lspace="0" rspace="0">≤</mo></math> 5');
    // A sign in front is already unspaced by the operator dictionary; an operator inside keeps its spaces.
    expect(renderMathText("$-x$")).toBe("<math><mo>−</mo><mi>x</mi></math>");
    expect(renderMathText("$x \\times y$")).toBe("<math><mi>x</mi><mo>×</mo></math><math><mi>y</mi></math>");
  });

  it("draws styled letters as the Unicode letters MathML Core renders, and upright words as one <mi>", () => {
    expect(
      renderMathText("$\\mathbb{R}^d \\mathcal{O} \\mathcal{L} \\mathbf{x} \\mathfrak{g} \\boldsymbol{\\theta}$"),
    ).toBe("<math><msup><mi>ℝ</mi><mi>d</mi></msup><mi>𝒪</mi><mi>ℒ</mi><mi>𝐱</mi><mi>𝔤</mi><mi>𝜽</mi></math>");
    expect(renderMathText("$\\mathrm{softmax}(x)$")).toContain("<mi>softmax</mi>");
    expect(renderMathText("$\\mathbb{1} \\mathtt{a}$")).toBe("<math><mn>𝟙</mn><mi>𝚊</mi></math>");
    // An entity is never split into styled letters.
    expect(renderMathText("$\\mathbf{a \\& b}$")).toContain("&amp;");
  });

  it("leaves out what only repeats MathML Core's defaults, and keeps what does not", () => {
    // `/`, `%` and `∞` are upright anyway; Ω and a lone x would be italic without it.
    expect(renderMathText("$a/b \\% \\Omega \\mathrm{x} \\infty$")).toBe(
      '<math><mi>a</mi><mi>/</mi><mi>b</mi><mi>%</mi><mi mathvariant="normal">Ω</mi><mi mathvariant="normal">x</mi>' +
        "<mi>∞</mi></math>",
    );
    // Commas and semicolons are separators by the operator dictionary; parentheses stretch by it,
    // so TeX's fixed ones keep stretchy="false".
    expect(renderMathText("$$f(a, b; c)$$")).toBe(
      '<math display="block"><mi>f</mi><mo stretchy="false">(</mo><mi>a</mi><mo>,</mo><mi>b</mi><mo>;</mo>' +
        '<mi>c</mi><mo stretchy="false">)</mo></math>',
    );
  });

  it("escapes text for an element's content: quotes stay as they are", () => {
    expect(renderMathText(`it's "quoted" & <b>`)).toBe(`it's "quoted" &amp; &lt;b&gt;`);
  });

  it("renders a formula repeated across texts once (the result is shared)", () => {
    const first = renderMathText("$\\mathcal{O}(n \\log n)$");
    expect(renderMathText("$\\mathcal{O}(n \\log n)$")).toBe(first);
  });
});

describe("renderMathText on text macros", () => {
  it.each([
    ["\\textbf{x}", "<b>x</b>"],
    ["\\textit{x}", "<i>x</i>"],
    ["\\textsl{x}", "<i>x</i>"],
    ["\\emph{x}", "<em>x</em>"],
    ["\\texttt{x}", "<code>x</code>"],
    ["\\underline{x}", "<u>x</u>"],
    ["\\textsc{x}", "x"],
    ["\\textsuperscript{x}", "<sup>x</sup>"],
    ["\\textsubscript{x}", "<sub>x</sub>"],
    ["\\textrm{x}", "x"],
    ["{\\bf x}", "<b>x</b>"],
    ["{\\em x}", "<em>x</em>"],
    ["a\\footnote{x}", "a (x)"],
    ["a \\footnote{x}", "a (x)"],
  ])("typesets %s as %s", (source, html) => {
    expect(renderMathText(source)).toBe(html);
  });

  it("typesets nested macros and macros holding math", () => {
    expect(renderMathText("We introduce \\texttt{\\textbf{ZipCal}}, with \\textbf{$x$ bounds}.")).toBe(
      "We introduce <code><b>ZipCal</b></code>, with <b><math><mi>x</mi></math> bounds</b>.",
    );
  });

  it("sets dashes, quotes and dots, but not in code or URLs", () => {
    expect(renderMathText("2015--2024 --- ``real'' \\ldots \\texttt{--flag} https://e.org/a--b")).toBe(
      '2015–2024 — “real” … <code>--flag</code> <a href="https://e.org/a--b" rel="nofollow noopener">https://e.org/a--b</a>',
    );
  });

  it("links addresses written as text, punctuation after them left out, never in math, code or a link", () => {
    const link = (url: string, text = url) => `<a href="${url}" rel="nofollow noopener">${text}</a>`;
    // The real abstract of 2603.16105 ends so.
    expect(renderMathText("Code is available at https://github.com/chenyue0/PRIX.")).toBe(
      `Code is available at ${link("https://github.com/chenyue0/PRIX")}.`,
    );
    expect(renderMathText("(see https://e.org/a), https://e.org/Foo_(bar); http://e.org/x?a=1&b=2!")).toBe(
      `(see ${link("https://e.org/a")}), ${link("https://e.org/Foo_(bar)")}; ${link("http://e.org/x?a=1&amp;b=2")}!`,
    );
    // TeX escapes in the address are undone first; a tie before it is a space; the last word's "--" stays.
    const html = renderMathText(
      "At~https://e.org/a\\_b--c/~me: $x$ and \\texttt{https://e.org/code} $https://e.org/m$",
    );
    expect(html).toMatch(new RegExp(`^At\u00a0${link("https://e.org/a_b--c/~me").replace(/[?.()]/g, "\\$&")}: <math>`));
    expect(html).toContain(" and <code>https://e.org/code</code> <math>");
    expect(html.match(/<a /g)).toHaveLength(1);
    // Shown as a link already, or as the model's words: no link.
    expect(renderMathText("https://e.org/t", { links: false })).toBe("https://e.org/t");
    expect(renderMathText("\\href{https://a.org}{go to https://b.org}")).toBe(
      link("https://a.org/", "go to https://b.org"),
    );
    // Quotes and angle brackets end an address; a bare scheme or another scheme is text.
    expect(renderMathText('"https://e.org/q" <https://e.org/r> https:// ftp://e.org javascript://x')).toBe(
      `"${link("https://e.org/q")}" &lt;${link("https://e.org/r")}&gt; https:// ftp://e.org javascript://x`,
    );
  });

  it("links \\href and \\url to http(s) URLs only, escaped, with rel=nofollow noopener", () => {
    expect(renderMathText("Code at \\href{https://github.com/a/b}{\\texttt{github.com/a/b}}.")).toBe(
      'Code at <a href="https://github.com/a/b" rel="nofollow noopener"><code>github.com/a/b</code></a>.',
    );
    expect(renderMathText("See \\url{https://e.org/a\\_b?x=1&y=2}.")).toBe(
      'See <a href="https://e.org/a_b?x=1&amp;y=2" rel="nofollow noopener">https://e.org/a_b?x=1&amp;y=2</a>.',
    );
    expect(renderMathText('\\href{https://e.org/"><script>}{<b> & "x"}')).toBe(
      '<a href="https://e.org/%22%3E%3Cscript%3E" rel="nofollow noopener">&lt;b&gt; &amp; "x"</a>',
    );
    const hostile = renderMathText(
      "\\href{javascript:alert(1)}{click} \\url{javascript:alert(2)} \\href{ JavaScript:alert(3)}{x} \\url{data:text/html,<b>}",
    );
    expect(hostile).toBe("click javascript:alert(2) x data:text/html,&lt;b&gt;");
  });

  it("writes no link inside a text shown as a link (links: false), and none inside a link", () => {
    expect(renderMathText("\\href{https://e.org}{x} \\url{https://e.org}", { links: false })).toBe("x https://e.org");
    expect(renderMathText("\\href{https://a.org}{\\href{https://b.org}{x} \\url{https://c.org}}")).toBe(
      '<a href="https://a.org/" rel="nofollow noopener">x https://c.org</a>',
    );
  });

  it("shows unknown commands, lone braces and unclosed macros as typed", () => {
    expect(renderMathText("\\hs{} scores {BERT} \\textbf{open <x>")).toBe(
      "\\hs{} scores {BERT} \\textbf{open &lt;x&gt;",
    );
    expect(renderMathText("\\textbf{a} b}")).toBe("<b>a</b> b}");
  });

  it("keeps text macros typeset when the math falls back to its source", () => {
    expect(renderMathText(`\\textbf{bold} ${"$a$ ".repeat(70)}`)).toBe(`<b>bold</b> ${"$a$ ".repeat(70)}`);
  });

  it("handles a long pathological text, keeping all of it", () => {
    const unclosed = "\\textbf{".repeat(100_000);
    expect(renderMathText(unclosed)).toBe(unclosed);
    const closed = `${"\\textbf{".repeat(100_000)}x${"}".repeat(100_000)}`;
    const html = renderMathText(closed);
    // Nesting past the limit stays as typed; the tags written are balanced.
    expect(html.match(/<b>/g)?.length).toBe(html.match(/<\/b>/g)?.length);
    expect(html.replace(/<\/?b>/g, "")).toContain("x");
    const footnotes = "a\\footnote{b}".repeat(50_000);
    expect(renderMathText(footnotes)).toBe("a (b)".repeat(50_000));
  });
});
