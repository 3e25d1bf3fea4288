import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import katex from "katex";
import { describe, expect, it } from "vitest";
import { parseArxivFeed } from "../../src/arxiv/feed.js";
import { knownMathCommand, MATH_SYMBOLS, MAX_MATH_NESTING, plainMath } from "../../src/format/plain-math.js";
import { parseTex, plainTex, type TexNode } from "../../src/format/tex.js";
import { texMarkdown } from "../../src/format/tex-markdown.js";
import { loadReferencePapers } from "../helpers/reference.js";

describe("plainMath: what a reviewer found", () => {
  it.each([
    [String.raw`On the $O(\frac{\sqrt{d}}{K^{1/4}})$ Convergence Rate`, "On the O(√d/K^(1/4)) Convergence Rate"],
    [String.raw`$\frac{1}{2}$-Approximation`, "1/2-Approximation"],
    [String.raw`$\tfrac12$-approx`, "1/2-approx"],
    [String.raw`$\binom{n}{k}$ subsets`, "(n choose k) subsets"],
    [String.raw`$ {m\choose k}$ subsets`, "(m choose k) subsets"],
    [String.raw`$\frac{1}{\sqrt{n}}$`, "1/√n"],
    [String.raw`$\frac{n}{\log n}$ bound`, "n/(log n) bound"],
    [String.raw`$O(n\log n)$`, "O(n log n)"],
    [String.raw`$\log\log n$`, "log log n"],
    [String.raw`$\sin x$, $\cos\theta$, $\log(n)$`, "sin x, cos θ, log(n)"],
    [String.raw`$\max_x f(x)$, $\min$, $\exp(-t)$`, "maxₓ f(x), min, exp(-t)"],
    [String.raw`$\lim_{n\to\infty} a_n$`, "lim_(n → ∞) aₙ"],
    [String.raw`$\sup \inf \arg \det$`, "sup inf arg det"],
    [String.raw`$\arg\max_x$, $\operatorname{argmax}_{x}$`, "arg maxₓ, argmaxₓ"],
    ["$Q^*$-Learning", "Q*-Learning"],
    [String.raw`$Q^\star$ Policies`, "Q⋆ Policies"],
    [String.raw`$A^\dagger$, $f^{\prime}$, $90^\circ$`, "A†, f′, 90°"],
    [String.raw`$\|x\|_2$`, "‖x‖₂"],
    [String.raw`$\hat{\theta}$, $\bar{x}$, $\tilde O(\sqrt{T})$, $\vec{v}$`, "θ̂, x̄, Õ(√T), v⃗"],
    [String.raw`$\hat{x}_i$ and $\widehat{AB}$`, "x̂ᵢ and hat(AB)"],
    [String.raw`$\mathbb{R}^d$, $\mathbb{E}[X]$, $\mathbb{1}$, $\mathbb{N} \subset \mathbb{Z}$`, "ℝᵈ, 𝔼[X], 𝟙, ℕ ⊂ ℤ"],
    [String.raw`$\mathcal{O}(1)$, $\mathfrak{g}$, $\mathbf{x}$, $\boldsymbol{\theta}$`, "O(1), 𝔤, x, θ"],
    [String.raw`$ {\cal O}(\sigma_{\frak l})$`, "O(σ_𝔩)"],
    [String.raw`$x^{1/2}$, $e^{i\pi}$, $x_{i,j}$, $d_{\mathrm{model}}$`, "x^(1/2), e^(iπ), x_(i,j), d_(model)"],
    [String.raw`$10^{-3}$, $W_{2}^{2}$, $x_{\text{max}}$, $C^{(\ell)}$`, "10⁻³, W₂², xₘₐₓ, C^(ℓ)"],
    [String.raw`$\sqrt{x^2+y^2}$, $\sqrt[3]{x}$`, "√(x²+y²), ∛x"],
    [
      String.raw`$\frac12 x$, $x\frac{a}{b}$, $\frac{a}{b}^2$, $\log\frac{1}{\delta}$`,
      "(1/2) x, x(a/b), (a/b)², log(1/δ)",
    ],
    [String.raw`$\frac{1}{K}\sum_k x_k$, $a/\frac{b}{c}$, $|\frac{a}{b}|$`, "(1/K)∑ₖ xₖ, a/(b/c), |a/b|"],
    [String.raw`$\frac{\frac{a}{b}}{c}$, $\frac{-1}{2}$, $\frac{d}{dx}$`, "(a/b)/c, -1/2, d/(dx)"],
    [String.raw`$f\colon X \to Y$, $x \in \mathbb{R}$, $a\notin B$`, "f: X → Y, x ∈ ℝ, a ∉ B"],
    [String.raw`$\not\in$, $\not=$, $\not\subset$`, "∉, ≠, ⊄"],
    [String.raw`$\left( \frac{a+b}{2} \right)^2$`, "((a+b)/2)²"],
    [String.raw`$\{ x \mid x > 0 \}$`, "{x | x > 0}"],
    [String.raw`$\langle x, y \rangle$`, "⟨x, y⟩"],
    [String.raw`$\unicode{x2014}$`, "—"],
    [String.raw`$\text{if } x \ge 0$`, "if x ≥ 0"],
    [String.raw`$\begin{pmatrix} a & b \\ c & d \end{pmatrix}$`, "(a b; c d)"],
    [String.raw`$\sim$10\%`, "~10%"],
    [
      String.raw`$\underbrace{x+y}_{n}$, $ {\log n}^2$, $\mathrm{SE}^{3}$, $x \bmod p$`,
      "(x+y)ₙ, (log n)², SE³, x mod p",
    ],
    [String.raw`$A \xrightarrow{f} B$, $\ket{\psi}$, $\int f(x)\,\mathrm{d}x$`, "A →ᶠ B, |ψ⟩, ∫f(x) dx"],
    [String.raw`$a \cdot b$, $a\cdot b$, $1, \dots, n$, $a + \cdots + z$`, "a · b, a·b, 1, …, n, a + ⋯ + z"],
  ])("%s → %s", (tex, plain) => {
    expect(plainTex(tex)).toBe(plain);
  });

  it("writes each symbol the reviewer found deleted", () => {
    const symbols: [string, string][] = [
      ["ne", "≠"],
      ["neq", "≠"],
      ["ll", "≪"],
      ["gg", "≫"],
      ["propto", "∝"],
      ["prod", "∏"],
      ["int", "∫"],
      ["oint", "∮"],
      ["star", "⋆"],
      ["ast", "*"],
      ["cdots", "⋯"],
      ["ldots", "…"],
      ["langle", "⟨"],
      ["rangle", "⟩"],
      ["cup", "∪"],
      ["cap", "∩"],
      ["subset", "⊂"],
      ["subseteq", "⊆"],
      ["supset", "⊃"],
      ["Rightarrow", "⇒"],
      ["Leftarrow", "⇐"],
      ["iff", "⟺"],
      ["implies", "⟹"],
      ["mapsto", "↦"],
      ["to", "→"],
      ["in", "∈"],
      ["notin", "∉"],
      ["forall", "∀"],
      ["exists", "∃"],
      ["partial", "∂"],
      ["nabla", "∇"],
      ["infty", "∞"],
    ];
    for (const [name, ch] of symbols) expect(plainTex(`a $\\${name}$ b`), name).toBe(`a ${ch} b`);
  });

  it("keeps a command it does not know as typed, with its arguments", () => {
    expect(plainMath(String.raw`\foo{x} + \R^d \oo`)).toBe(String.raw`\foo{x} + ℝᵈ \oo`);
    expect(plainMath(String.raw`\tilde{\oo}(1)`)).toBe(String.raw`tilde(\oo)(1)`);
    expect(plainMath(String.raw`\frac{1}`)).toBe(String.raw`\frac{1}`);
    // A font or a text command without its argument changes nothing (the formula never closed it).
    expect(plainMath(String.raw`\textbf{2.5`)).toBe("2.5");
  });

  it("never writes the spacing marks it uses, even when the formula holds those characters", () => {
    expect(plainMath("a\u0001\u0002\u0003b \\log n")).toBe("ab log n");
  });
});

describe("plainMath: the symbol table", () => {
  // Characters chosen over KaTeX's for plain text: the usual letter forms (ε, φ), ASCII where the
  // symbol reads the same (|, *, ~, ·), and the double-struck letters KaTeX sets through a font.
  const chosen = new Set(
    (
      "epsilon phi vert Vert lvert rvert lVert rVert mid cdot cdotp centerdot sdot ast sim " +
      "R N Z reals Reals natnums cnums Complex Bbbk"
    ).split(" "),
  );
  const entities: Record<string, string> = { "&lt;": "<", "&gt;": ">", "&amp;": "&" };

  it("writes each symbol as KaTeX typesets it, but where plain text reads better", () => {
    const differ: string[] = [];
    for (const [name, [ch]] of Object.entries(MATH_SYMBOLS)) {
      const html = katex.renderToString(`\\${name}`, { output: "mathml", throwOnError: false });
      expect(html, name).not.toContain("katex-error");
      const typeset = html
        .replace(/<annotation[\s\S]*?<\/annotation>/, "")
        .replace(/<[^>]+>/g, "")
        .replace(/&\w+;/g, (e) => entities[e] ?? e)
        .replace(/[\u2000-\u200f\u2060-\u2064]/g, "");
      if (typeset !== ch && !chosen.has(name)) differ.push(`${name}: ${ch} vs ${typeset}`);
      expect(plainMath(`\\${name}`), name).toBe(ch);
    }
    expect(differ).toEqual([]);
  });

  it("knows every math symbol KaTeX defines", () => {
    const source = readFileSync(join(dirname(createRequire(import.meta.url).resolve("katex")), "katex.js"), "utf8");
    const names = new Set(
      Array.from(
        source.matchAll(/defineSymbol\(math, \w+, \w+, (?:"(?:[^"\\]|\\.)*"|null), "\\\\([A-Za-z]+)"/g),
        (m) => m[1]!,
      ),
    );
    expect(names.size).toBeGreaterThan(400);
    expect([...names].filter((name) => !knownMathCommand(name))).toEqual([]);
  });
});

describe("plainMath: the fixtures' formulas", () => {
  const texts = new Set<string>();
  for (const paper of loadReferencePapers()) {
    texts.add(paper.candidate.title);
    texts.add(paper.candidate.abstract);
  }
  const feeds = join(import.meta.dirname, "..", "fixtures", "feeds", "2026-02-05");
  for (const file of readdirSync(feeds)) {
    for (const entry of parseArxivFeed(readFileSync(join(feeds, file), "utf8"), file).entries) {
      texts.add(entry.title);
      texts.add(entry.abstract);
    }
  }
  const formulas = new Set<string>();
  const collect = (nodes: readonly TexNode[]) => {
    for (const node of nodes) {
      if (node.kind === "math") formulas.add(node.tex);
      else if ("children" in node) collect(node.children);
    }
  };
  for (const text of texts) collect(parseTex(text));
  /** Letters and digits, fonts and scripts folded (ℝ → R, ² → 2, 𝔭 → p), accents dropped. */
  const alphanumerics = (text: string) =>
    text
      .normalize("NFKD")
      .replace(/\p{M}/gu, "")
      .replace(/[^\p{L}\p{N}]/gu, "");

  it("finds the formulas (fractions among them)", () => {
    expect(formulas.size).toBeGreaterThan(500);
    expect([...formulas].filter((tex) => tex.includes("\\frac")).length).toBeGreaterThan(10);
  });

  it("drops no command silently and writes no command it knows", () => {
    const problems: string[] = [];
    for (const tex of formulas) {
      const plain = plainMath(tex);
      for (const [, name] of tex.matchAll(/\\([A-Za-z]+)/g)) {
        if (!knownMathCommand(name!) && !plain.includes(`\\${name}`)) problems.push(`${tex}: \\${name} vanished`);
      }
      for (const [, name] of plain.matchAll(/\\([A-Za-z]+)/g)) {
        if (knownMathCommand(name!)) problems.push(`${tex} → ${plain}: \\${name} written`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("keeps every letter and digit in order, and every fraction as a slash", () => {
    const words = /^(?:arg|max|min|log|ln|exp|sin|cos|tan|lim|sup|inf|det|dim|ker|Pr|tr|limsup|liminf|mod)$/;
    const problems: string[] = [];
    for (const tex of formulas) {
      const plain = plainMath(tex);
      // The letters and digits typed, but in command names (an operator's name is written as a word).
      const typed = alphanumerics(
        tex
          .replace(/\\(?:unicode|begin|end)\s*\{[^}]*\}/g, " ")
          .replace(/\\([A-Za-z]+)/g, (whole, name: string) =>
            words.test(name) ? name : knownMathCommand(name) ? " " : whole,
          ),
      );
      const written = alphanumerics(plain);
      let found = 0;
      for (const ch of written) if (ch === typed[found]) found++;
      if (found < typed.length) problems.push(`${tex} → ${plain}: lost ${typed.slice(found)}`);
      const fractions = (tex.match(/\\[dtc]?frac|\\over\b|\//g) ?? []).length;
      if ((plain.match(/\//g) ?? []).length < fractions) problems.push(`${tex} → ${plain}: a fraction lost`);
      if ((tex.match(/\\binom|\\choose/g) ?? []).length > (plain.match(/ choose /g) ?? []).length) {
        problems.push(`${tex} → ${plain}: a binomial lost`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe("plainMath: limits", () => {
  it("writes nesting deeper than MAX_MATH_NESTING as typed, losing nothing", () => {
    const deep = `${"{".repeat(100_000)}x${"}".repeat(100_000)}`;
    const plain = plainMath(deep);
    expect(plain).toContain("x");
    expect(plain.length).toBeGreaterThan(100_000);
    const fractions = `${"\\frac{1}{".repeat(MAX_MATH_NESTING * 4)}x${"}".repeat(MAX_MATH_NESTING * 4)}`;
    expect(plainMath(fractions)).toContain("x");
  });

  it("reads long formulas whole", () => {
    expect(plainMath(`${"x^2+".repeat(20_000)}1`)).toBe(`${"x²+".repeat(20_000)}1`);
    expect(plainMath("n\\log ".repeat(20_000)).split("log").length).toBe(20_001);
    expect(plainMath("\\left(".repeat(20_000))).toBe("(".repeat(20_000));
  });
});

describe("the Markdown day page", () => {
  it("keeps math as written for GitHub to typeset", () => {
    expect(texMarkdown(String.raw`a $\frac{1}{2}$ and $n\log n$`)).toBe(String.raw`a $\frac{1}{2}$ and $n\log n$`);
  });
});
