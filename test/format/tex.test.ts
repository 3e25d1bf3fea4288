import { describe, expect, it } from "vitest";
import { MAX_TEX_NESTING, parseTex, plainTex, typesetText } from "../../src/format/tex.js";
import { httpUrl } from "../../src/format/url.js";

const text = (source: string) => ({ kind: "text", source });
const math = (tex: string, display = false) => ({ kind: "math", tex, display });

describe("parseTex: math", () => {
  it("separates inline and display math from text", () => {
    expect(parseTex("a $x^2$ b $$\\sum_i y_i$$ c")).toEqual([
      text("a "),
      math("x^2"),
      text(" b "),
      math("\\sum_i y_i", true),
      text(" c"),
    ]);
  });

  it("treats \\$ as a literal dollar (left to the renderers) and leaves an unclosed $ as text", () => {
    expect(parseTex("costs \\$5 and $x$ then a lone $ sign")).toEqual([
      text("costs \\$5 and "),
      math("x"),
      text(" then a lone $ sign"),
    ]);
  });

  it("keeps an escaped dollar inside math as part of the formula", () => {
    expect(parseTex("$a \\$ b$")).toEqual([math("a \\$ b")]);
  });

  it("does not read empty delimiters as math", () => {
    expect(parseTex("$$ $$ and $ $")).toEqual([text("$$ $$ and $ $")]);
  });

  it("does not count braces inside math when matching a macro's braces", () => {
    expect(parseTex("\\textbf{$\\{x\\}$ and $f_{a}$ bounds}")).toEqual([
      { kind: "style", style: "bold", children: [math("\\{x\\}"), text(" and "), math("f_{a}"), text(" bounds")] },
    ]);
  });
});

describe("parseTex: text macros", () => {
  it.each([
    ["textbf", "bold"],
    ["textit", "italic"],
    ["textsl", "italic"],
    ["emph", "emph"],
    ["texttt", "code"],
    ["underline", "underline"],
    ["textsc", "smallcaps"],
    ["textsuperscript", "superscript"],
    ["textsubscript", "subscript"],
    ["textrm", "plain"],
    ["text", "plain"],
  ])("reads \\%s as %s", (name, style) => {
    expect(parseTex(`a \\${name}{b c} d`)).toEqual([
      text("a "),
      { kind: "style", style, children: [text("b c")] },
      text(" d"),
    ]);
  });

  it("reads nested macros and the old declarations {\\bf …}, {\\em …}", () => {
    expect(parseTex("\\texttt{\\textbf{ZipCal}} and {\\bf old} {\\em style}")).toEqual([
      { kind: "style", style: "code", children: [{ kind: "style", style: "bold", children: [text("ZipCal")] }] },
      text(" and "),
      { kind: "style", style: "bold", children: [text("old")] },
      text(" "),
      { kind: "style", style: "emph", children: [text("style")] },
    ]);
  });

  it("reads \\footnote, \\href and \\url, undoing the escapes authors put in URLs", () => {
    expect(
      parseTex("x\\footnote{See $y$.} \\href{https://e.org/a\\_b\\#c}{the \\emph{code}} \\url{https://e.org/~u}"),
    ).toEqual([
      text("x"),
      { kind: "footnote", children: [text("See "), math("y"), text(".")] },
      text(" "),
      {
        kind: "href",
        url: "https://e.org/a_b#c",
        children: [text("the "), { kind: "style", style: "emph", children: [text("code")] }],
      },
      text(" "),
      { kind: "url", url: "https://e.org/~u" },
    ]);
  });

  it("keeps unknown commands, bare groups and macros without their braces as typed", () => {
    expect(parseTex("\\hs{} scores {BERT} \\textbf bold \\LaTeX")).toEqual([
      text("\\hs{} scores {BERT} \\textbf bold \\LaTeX"),
    ]);
  });

  it("keeps an unclosed macro as typed and still reads what follows it", () => {
    expect(parseTex("\\textbf{open \\emph{x} and } more}")).toEqual([
      {
        kind: "style",
        style: "bold",
        children: [text("open "), { kind: "style", style: "emph", children: [text("x")] }, text(" and ")],
      },
      text(" more}"),
    ]);
    expect(parseTex("\\textbf{never closed \\emph{x}")).toEqual([
      text("\\textbf{never closed "),
      { kind: "style", style: "emph", children: [text("x")] },
    ]);
    expect(parseTex("\\href{https://e.org}")).toEqual([text("\\href{https://e.org}")]);
  });

  it("shows nesting deeper than MAX_TEX_NESTING as typed, losing no text", () => {
    const depth = MAX_TEX_NESTING + 5;
    const source = `${"\\textbf{".repeat(depth)}x${"}".repeat(depth)}`;
    let nodes = parseTex(source);
    for (let i = 0; i < MAX_TEX_NESTING; i++) {
      expect(nodes).toHaveLength(1);
      nodes = (nodes[0] as { children: typeof nodes }).children;
    }
    expect(nodes).toEqual([text(`${"\\textbf{".repeat(5)}x${"}".repeat(5)}`)]);
  });

  it("reads a long pathological text in one pass and keeps all of it", () => {
    const unclosed = "\\textbf{".repeat(100_000);
    expect(parseTex(unclosed)).toEqual([text(unclosed)]);
    const groups = `${"{".repeat(100_000)}x${"}".repeat(100_000)}`;
    expect(parseTex(groups)).toEqual([text(groups)]);
    const declarations = `${"{\\bf ".repeat(50_000)}x${"}".repeat(50_000)}`;
    expect(plainTex(declarations)).toBe("x");
    // Only delimiters, none of them closing a formula: dropped, as plain text shows no delimiter.
    expect(plainTex("$".repeat(100_001))).toBe("");
  });
});

describe("typesetText", () => {
  it("undoes escapes, ties words, and sets dots, dashes and quotes", () => {
    expect(typesetText("20\\% \\& \\#1 a\\_b \\$5 \\{x\\} Stage~2 https://x.org/~me")).toBe(
      "20% & #1 a_b $5 {x} Stage\u00a02 https://x.org/~me",
    );
    expect(typesetText("2015--2024 --- ``quoted'' and so on\\ldots{} \\dots")).toBe(
      "2015–2024 — “quoted” and so on… …",
    );
  });

  it("sets the text commands for reserved characters, taking the space or empty group after them", () => {
    const typed = String.raw`\textasciitilde 5 and \textasciitilde{}3: a\textbackslash b, x\textbar y, \textless p\textgreater, a\textunderscore b, 2\textasciicircum{}n`;
    expect(typesetText(typed)).toBe("~5 and ~3: a\\b, x|y, <p>, a_b, 2^n");
    expect(plainTex(typed)).toBe("~5 and ~3: a\\b, x|y, <p>, a_b, 2^n");
    // A name that only starts like one is another command, kept as typed.
    expect(typesetText("\\textbarx")).toBe("\\textbarx");
  });

  it("leaves dashes alone in URLs and in code", () => {
    expect(typesetText("see https://x.org/a--b and a--b")).toBe("see https://x.org/a--b and a–b");
    expect(typesetText("--flag ``x''", true)).toBe("--flag ``x''");
  });

  it("leaves unknown commands as typed", () => {
    expect(typesetText("\\hs{} \\alpha")).toBe("\\hs{} \\alpha");
  });
});

describe("httpUrl", () => {
  it("accepts only absolute http(s) URLs", () => {
    expect(httpUrl("https://e.org/a b")).toBe("https://e.org/a%20b");
    expect(httpUrl('http://e.org/"x"')).toBe("http://e.org/%22x%22");
    for (const bad of [
      "javascript:alert(1)",
      "JavaScript:alert(1)",
      "data:text/html,x",
      "//e.org",
      "e.org",
      "https://",
    ]) {
      expect(httpUrl(bad), bad).toBeNull();
    }
  });
});

describe("plainTex", () => {
  it("turns common TeX into readable text", () => {
    expect(plainTex("limited ($\\geq 95\\%$).")).toBe("limited (≥ 95%).");
    expect(plainTex("an $\\alpha$-test with $\\mathcal{L}_2$ loss")).toBe("an α-test with L₂ loss");
    expect(plainTex("costs \\$5, Mixture-of-Experts~(MoE), http://x.org/~user")).toBe(
      "costs $5, Mixture-of-Experts (MoE), http://x.org/~user",
    );
  });

  it("reads a `~` between two characters as a tie and keeps one beside a space, an end or after a slash", () => {
    // Every surface reads the same: the plain text, the site's and the Markdown's typeset text.
    const title = "~tilde~ and ~10x, Fig.~3, of~$n$ points, \\emph{x}~y, ~/dir, see x.org/~me, a ~ b, (~45%)";
    expect(plainTex(title)).toBe("~tilde~ and ~10x, Fig. 3, of n points, x y, ~/dir, see x.org/~me, a ~ b, (~45%)");
    const typeset = parseTex(title)
      .map((n) => (n.kind === "text" ? typesetText(n.source) : "·"))
      .join("");
    expect(typeset).toBe(
      "~tilde~ and ~10x, Fig.\u00a03, of\u00a0· points, ·\u00a0y, ~/dir, see x.org/~me, a ~ b, (~45%)",
    );
  });

  it("writes scripts as Unicode where every character has one, and with a caret otherwise", () => {
    expect(plainTex("$D^3$-RSMDE: 40$\\times$ Faster")).toBe("D³-RSMDE: 40× Faster");
    expect(plainTex("$x_i$, $10^{-3}$, $W^\\top$, $x_{\\text{max}}$, $f'$")).toBe("xᵢ, 10⁻³, Wᵀ, xₘₐₓ, f'");
    expect(plainTex("$e^{i\\pi}$ and $x^*$ and $a_{\\mathcal{Q}}$")).toBe("e^(iπ) and x* and a_Q");
  });

  it("reduces text macros to their content", () => {
    expect(
      plainTex(
        "We introduce \\texttt{\\textbf{ZipCal}}\\footnote{A note.}, \\textbf{$x$ bounds} and \\emph{moral} \\textit{reasoning}, " +
          "\\textsuperscript{2}, \\textsubscript{b}, {\\bf old}",
      ),
    ).toBe("We introduce ZipCal (A note.), x bounds and moral reasoning, ², b, old");
    expect(plainTex("Code: \\href{https://github.com/a/b}{github.com/a/b}; data: \\url{https://e.org/a\\_b}.")).toBe(
      "Code: github.com/a/b; data: https://e.org/a_b.",
    );
    expect(plainTex("2015--2024 --- ``quoted'' \\ldots \\texttt{--flag}")).toBe("2015–2024 — “quoted” … --flag");
  });

  it("keeps the text of what it cannot read, as it always did", () => {
    expect(plainTex("\\textbf{unclosed and snake_case")).toBe("unclosed and snake_case");
    expect(plainTex("\\href{javascript:alert(1)}{click}")).toBe("click");
    expect(plainTex("costs \\$5, an unclosed $ sign")).toBe("costs $5, an unclosed sign");
  });

  it("returns text without TeX as it is, spacing tidied", () => {
    const title = "A plain title: state-of-the-art, don't";
    expect(plainTex(title)).toBe(title);
    expect(plainTex("  two\n lines ")).toBe("two lines");
  });
});
