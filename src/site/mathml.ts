/**
 * KaTeX's MathML, made into what browsers render natively (MathML Core) and trimmed:
 *
 * - the `<span class="katex">` wrapper, `<semantics>` and the TeX `<annotation>` go: the source is
 *   the page's own text, and the formula is read from its MathML;
 * - MathML Core draws `mathvariant` only as "normal" on one letter, so styled letters (\mathbb,
 *   \mathcal, \mathbf, \mathfrak, \mathsf, \mathtt, \boldsymbol) become the Unicode mathematical
 *   letters that carry the style themselves (ℝ, 𝒪, 𝐱), as MathML Core asks of authors;
 * - a run of upright letters (\mathrm{softmax}, one `<mi>` each) becomes one `<mi>`, which is upright;
 * - KaTeX's error colour becomes a class, so the stylesheet picks it per theme and pages need no
 *   inline style (the Content-Security-Policy allows none);
 * - what only repeats MathML Core's defaults goes: the `<mrow>` around the whole formula (`<math>`
 *   lays out its children as one row), `mathvariant="normal"` where nothing would be italic anyway
 *   (only a one-character `<mi>` of a letter that has an italic form is), and `separator="true"` on
 *   the commas and semicolons the operator dictionary makes separators;
 * - an operator that begins or ends an inline formula has no space on that side (TeX gives a
 *   binary operator or relation without an operand there none: "40$\times$" is 40×);
 * - browsers do not break a line inside a formula, so an inline formula is cut after each
 *   top-level relation and binary operator (=, ≤, +, −…) into formulas side by side, where a line
 *   may break, as KaTeX's HTML did; a long formula then wraps on a phone instead of being cut off.
 */

/** First code point of A, a and 0 for each variant; `holes` are letters Unicode encoded earlier (ℝ, ℬ…). */
interface Alphabet {
  upper: number;
  lower: number;
  digit?: number;
  /** Capital and small Greek (Α, α), where Unicode has them in this style. */
  greekUpper?: number;
  greekLower?: number;
  holes?: Record<string, number>;
}

const ALPHABETS: Record<string, Alphabet> = {
  bold: { upper: 0x1d400, lower: 0x1d41a, digit: 0x1d7ce, greekUpper: 0x1d6a8, greekLower: 0x1d6c2 },
  italic: { upper: 0x1d434, lower: 0x1d44e, greekUpper: 0x1d6e2, greekLower: 0x1d6fc, holes: { h: 0x210e } },
  "bold-italic": { upper: 0x1d468, lower: 0x1d482, greekUpper: 0x1d71c, greekLower: 0x1d736 },
  script: {
    upper: 0x1d49c,
    lower: 0x1d4b6,
    holes: {
      B: 0x212c,
      E: 0x2130,
      F: 0x2131,
      H: 0x210b,
      I: 0x2110,
      L: 0x2112,
      M: 0x2133,
      R: 0x211b,
      e: 0x212f,
      g: 0x210a,
      o: 0x2134,
    },
  },
  "bold-script": { upper: 0x1d4d0, lower: 0x1d4ea },
  fraktur: {
    upper: 0x1d504,
    lower: 0x1d51e,
    holes: { C: 0x212d, H: 0x210c, I: 0x2111, R: 0x211c, Z: 0x2128 },
  },
  "double-struck": {
    upper: 0x1d538,
    lower: 0x1d552,
    digit: 0x1d7d8,
    holes: { C: 0x2102, H: 0x210d, N: 0x2115, P: 0x2119, Q: 0x211a, R: 0x211d, Z: 0x2124 },
  },
  "bold-fraktur": { upper: 0x1d56c, lower: 0x1d586 },
  "sans-serif": { upper: 0x1d5a0, lower: 0x1d5ba, digit: 0x1d7e2 },
  "bold-sans-serif": { upper: 0x1d5d4, lower: 0x1d5ee, digit: 0x1d7ec, greekUpper: 0x1d756, greekLower: 0x1d770 },
  "sans-serif-italic": { upper: 0x1d608, lower: 0x1d622 },
  "sans-serif-bold-italic": { upper: 0x1d63c, lower: 0x1d656, greekUpper: 0x1d790, greekLower: 0x1d7aa },
  monospace: { upper: 0x1d670, lower: 0x1d68a, digit: 0x1d7f6 },
};

/** One character in a variant's style, or the character itself when Unicode has no such letter. */
function styled(c: string, alphabet: Alphabet): string {
  const hole = alphabet.holes?.[c];
  if (hole !== undefined) return String.fromCodePoint(hole);
  const code = c.codePointAt(0)!;
  const from = (start: number | undefined, first: number) =>
    start === undefined ? c : String.fromCodePoint(start + code - first);
  if (c >= "A" && c <= "Z") return from(alphabet.upper, 0x41);
  if (c >= "a" && c <= "z") return from(alphabet.lower, 0x61);
  if (c >= "0" && c <= "9") return from(alphabet.digit, 0x30);
  // Greek capitals Α–Ω (U+0391–U+03A9) and small α–ω (U+03B1–U+03C9) keep their order in every style.
  if (code >= 0x391 && code <= 0x3a9 && code !== 0x3a2) return from(alphabet.greekUpper, 0x391);
  if (code >= 0x3b1 && code <= 0x3c9) return from(alphabet.greekLower, 0x3b1);
  return c;
}

/** Escaped text: entities (`&amp;`) are kept whole, every other character styled. */
function styleText(text: string, alphabet: Alphabet): string {
  return text
    .split(/(&[#a-zA-Z0-9]+;)/)
    .map((part) => (part.startsWith("&") ? part : Array.from(part, (c) => styled(c, alphabet)).join("")))
    .join("");
}

const WRAPPER =
  /^<span class="katex"><math xmlns="http:\/\/www\.w3\.org\/1998\/Math\/MathML"( display="block")?><semantics>([\s\S]*)<annotation encoding="application\/x-tex">[^<]*<\/annotation><\/semantics><\/math><\/span>$/;
const VARIANT = /<(mi|mn|mtext) mathvariant="([a-z-]+)">([^<]*)<\/\1>/g;
const UPRIGHT_RUN = /(?:<mi mathvariant="normal">[A-Za-z]<\/mi>){2,}/g;

/** Relations and binary operators a line may break after (as `<mo>` text, escaped). */
const BINARY = new Set([..."+−±∓×÷·∙∘⋅∗⊕⊗⊙∪∩∧∨∖"]);
const BREAK_AFTER = new Set([..."=≠≈≃≅≡∼≤≥≪≫≺≻⪯⪰∝→←↔⇒⇐⇔↦⟶⟵⟹⟸⊂⊃⊆⊇∈∉∋≔", ...BINARY, "&lt;", "&gt;"]);
const TAG = /<(\/?)([a-z]+)[^>]*?(\/?)>/g;

/** `mathvariant="normal"` on a token whose text is not drawn in italic without it. */
const NORMAL_VARIANT = /<(mi|mn|mo|mtext) mathvariant="normal"([^>]*)>([^<]*)<\/\1>/g;
/**
 * The characters a one-character `<mi>` draws in italic (MathML Core's `text-transform: math-auto`):
 * Latin and Greek letters, dotless i and j, ∇, ∂ and the Greek letter variants.
 */
const AUTO_ITALIC = /^[A-Za-zıȷΑ-Ωϴα-ω∇∂ϵϑϰϕϱϖ]$/u;
const SEPARATOR = /<mo separator="true">([,;])<\/mo>/g;

/** The top-level children of an `<mrow>…</mrow>`, or null when the text is not one. */
function rowChildren(row: string): string[] | null {
  if (!row.startsWith("<mrow>") || !row.endsWith("</mrow>")) return null;
  const inner = row.slice(6, -7);
  const children: string[] = [];
  let depth = 0;
  let start = 0;
  for (const m of inner.matchAll(TAG)) {
    if (m[1]) depth--;
    else if (!m[3]) depth++;
    if (depth === 0) {
      children.push(inner.slice(start, m.index + m[0].length));
      start = m.index + m[0].length;
    }
    if (depth < 0) return null;
  }
  return depth === 0 && start === inner.length ? children : null;
}

/** Signs the operator dictionary already spaces as nothing when they come first (−x, ±1). */
const PREFIX_SIGNS = new Set([..."+−±∓"]);

/**
 * A plain `<mo>` at the start (`lspace`) or end (`rspace`) of a formula, spaced as TeX spaces it:
 * a relation gets no space on its open side (≥ 95%); a binary operator with an operand missing is
 * an ordinary symbol, with no space on either side (40×, ×2). Anything else as it is.
 */
function unspaced(child: string, side: "lspace" | "rspace"): string {
  const m = /^<mo( (?:lspace|rspace)="0")?>([^<]*)<\/mo>$/.exec(child);
  const op = m?.[2];
  if (op === undefined || !BREAK_AFTER.has(op)) return child;
  if (side === "lspace" && PREFIX_SIGNS.has(op)) return child;
  // A lone relation has its left side unspaced by the first call and its right by the second.
  const sides = BINARY.has(op) ? ["lspace", "rspace"] : [...(m?.[1] ? ["lspace"] : []), side];
  return `<mo${[...new Set(sides)].map((s) => ` ${s}="0"`).join("")}>${op}</mo>`;
}

/** An inline formula as formulas side by side, cut after its top-level relations and operators. */
function breakable(row: string): string {
  const children = rowChildren(row);
  if (!children) return `<math>${row}</math>`;
  // A \left…\right group is one piece, like its fences.
  if (children.some((c) => c.startsWith('<mo fence="true"'))) return `<math>${children.join("")}</math>`;
  // An operator with nothing on one side of it spaces nothing there, as in TeX: "40$\times$" is
  // 40×, not 40 × (MathML Core would give it the spaces of an operator between two operands).
  const last = children.length - 1;
  children[0] = unspaced(children[0]!, "lspace");
  children[last] = unspaced(children[last]!, "rspace");
  const parts: string[] = [];
  let part = "";
  children.forEach((child, i) => {
    part += child;
    const op = /^<mo[^>]*>([^<]*)<\/mo>$/.exec(child)?.[1];
    // Not after a leading sign (−x) or at the very end.
    if (op !== undefined && BREAK_AFTER.has(op) && i > 0 && i < children.length - 1) {
      parts.push(part);
      part = "";
    }
  });
  parts.push(part);
  return parts.map((p) => `<math>${p}</math>`).join("");
}

/** KaTeX's `output: "mathml"` string as MathML Core; its error span (a formula it could not parse) classed. */
export function mathmlCore(katexOutput: string, errorColor: string): string {
  const match = WRAPPER.exec(katexOutput);
  if (!match) {
    return katexOutput.replace(
      /^<span class="katex-error"( title="[^"]*")? style="color:([^"]*)">/,
      (tag, title: string | undefined, color: string) =>
        color === errorColor ? `<span class="math-error"${title ?? ""}>` : tag,
    );
  }
  const body = match[2]!
    .replace(UPRIGHT_RUN, (run) => `<mi>${run.replace(/<\/?mi[^>]*>/g, "")}</mi>`)
    .replace(VARIANT, (element, tag: string, variant: string, text: string) => {
      const alphabet = ALPHABETS[variant];
      return alphabet ? `<${tag}>${styleText(text, alphabet)}</${tag}>` : element;
    })
    .replaceAll(` mathcolor="${errorColor}"`, ' class="math-error"')
    .replace(NORMAL_VARIANT, (element, tag: string, rest: string, text: string) =>
      tag === "mi" && AUTO_ITALIC.test(text) ? element : `<${tag}${rest}>${text}</${tag}>`,
    )
    .replace(SEPARATOR, "<mo>$1</mo>");
  if (!match[1]) return breakable(body);
  return `<math display="block">${rowChildren(body)?.join("") ?? body}</math>`;
}
