import { describe, expect, it } from "vitest";
import { renderMathText, splitMath } from "../../src/site/math.js";
import { referenceDays } from "../helpers/reference.js";

describe("splitMath", () => {
  it("separates inline and display math from text", () => {
    expect(splitMath("a $x^2$ b $$\\sum_i y_i$$ c")).toEqual([
      { kind: "text", text: "a " },
      { kind: "math", tex: "x^2", display: false },
      { kind: "text", text: " b " },
      { kind: "math", tex: "\\sum_i y_i", display: true },
      { kind: "text", text: " c" },
    ]);
  });

  it("treats \\$ as a literal dollar and leaves an unclosed $ as text", () => {
    expect(splitMath("costs \\$5 and $x$ then a lone $ sign")).toEqual([
      { kind: "text", text: "costs $5 and " },
      { kind: "math", tex: "x", display: false },
      { kind: "text", text: " then a lone $ sign" },
    ]);
  });

  it("keeps an escaped dollar inside math as part of the formula", () => {
    expect(splitMath("$a \\$ b$")).toEqual([{ kind: "math", tex: "a \\$ b", display: false }]);
  });

  it("does not render empty delimiters as math", () => {
    expect(splitMath("$$ $$ and $ $")).toEqual([{ kind: "text", text: "$$ $$ and $ $" }]);
  });
});

describe("renderMathText", () => {
  it("shows text-mode TeX escapes as the characters they stand for", () => {
    expect(renderMathText("gains of 20\\% \\& more, Stage~2, see https://x.org/~me")).toBe(
      "gains of 20% &#38; more, Stage\u00a02, see https://x.org/~me",
    );
  });

  it("renders the real abstract's math with KaTeX and escapes the rest", () => {
    const abstract = "molecules ($\\geq 95\\%$) with <b>higher</b> rewards";
    const html = renderMathText(abstract);
    expect(html).toContain('class="katex"');
    expect(html).toContain("<mo>≥</mo>");
    expect(html).toContain("&#60;b&#62;higher&#60;/b&#62;");
  });

  it("never lets markup inside math or text through", () => {
    const html = renderMathText("$<img src=x onerror=alert(1)>$ and <script>alert(2)</script>");
    expect(html).not.toMatch(/<img|<script/);
    expect(html).not.toMatch(/<[a-z]+[^>]*\son\w+=/i);
    expect(html).toContain("&#60;script&#62;");
  });

  it("refuses untrusted commands such as \\href with a javascript: URL", () => {
    const html = renderMathText("$\\href{javascript:alert(1)}{x}$ and $$\\url{javascript:alert(2)}$$");
    expect(html).not.toContain("href=");
    expect(html).toContain("var(--math-error)");
  });

  it("renders every real reference abstract without throwing", () => {
    let withMath = 0;
    for (const papers of referenceDays().values()) {
      for (const p of papers) {
        const html = renderMathText(p.abstract);
        if (html.includes('class="katex"')) withMath++;
        expect(html).not.toContain("<script");
      }
    }
    expect(withMath).toBeGreaterThan(50);
  });
});
