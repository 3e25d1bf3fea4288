/**
 * TeX text-mode accents and special letters → Unicode, the one table of them: arXiv passes names,
 * titles, abstracts and journal references through as their submitters typed them (`Andr\'e`,
 * `{\"o}`, `\c{c}`, `St{\aa}lmarck`, `Nguy\~{\^e}n`). `decodeTex` (format/math-spans.ts) decodes a text
 * outside its math at ingestion; the renderers of format/tex.ts decode the text between an
 * abstract's formulas. Macros this table does not know are left exactly as written. Each accent
 * becomes a Unicode combining mark after its base and NFC composes the result, so stacked accents
 * (the inner one first, as TeX applies them) give the precomposed letter where Unicode has one.
 */

/** Combining marks for each accent macro. */
const ACCENTS: Record<string, string> = {
  "'": "\u0301",
  "`": "\u0300",
  "^": "\u0302",
  '"': "\u0308",
  "~": "\u0303",
  "=": "\u0304",
  ".": "\u0307",
  u: "\u0306",
  v: "\u030C",
  H: "\u030B",
  c: "\u0327",
  k: "\u0328",
  r: "\u030A",
  d: "\u0323", // dot below (Vietnamese ạ, ộ)
};

/** Letters TeX spells as control words. */
const LETTERS: Record<string, string> = {
  ss: "ß",
  aa: "å",
  AA: "Å",
  ae: "æ",
  AE: "Æ",
  oe: "œ",
  OE: "Œ",
  o: "ø",
  O: "Ø",
  l: "ł",
  L: "Ł",
  i: "ı",
  j: "ȷ",
  dh: "ð",
  DH: "Ð",
  th: "þ",
  TH: "Þ",
  dj: "đ",
  DJ: "Đ",
  ng: "ŋ",
  NG: "Ŋ",
};

// A control word swallows an empty group or the spaces before a letter after it, as in TeX
// (`B\o rn` → Børn, `Mart\'\i n` → Martín).
const SWALLOW = String.raw`(?:\{\}|[ \t]+(?=[A-Za-z]))?`;
// The accented base: a letter with the marks of accents already decoded (text is in NFD here, so
// `\~{\^e}` reads as `\~` over e + U+0302 on the second pass), or dotless \i / \j (the accent
// takes the dot's place); unbraced, a dotless letter swallows what a control word does.
const BASE = String.raw`(?:\\[ij](?![A-Za-z])|[A-Za-z][\u0300-\u036f]*)`;
const DOTLESS = String.raw`\\[ij](?![A-Za-z])${SWALLOW}`;
const BARE_BASE = String.raw`(?:${DOTLESS}|[A-Za-z][\u0300-\u036f]*)`;
// Symbol accents take the next letter directly (`\'e`, `\'{e}`); letter accents (`\c`, `\v` …)
// need braces or a space, as in TeX (`\c{c}`, `\v s`).
const ACCENT = String.raw`\\(?:[\x27\x60^"~=.]\s*(?:\{\s*${BASE}\s*\}|${BARE_BASE})|[uvHckrd](?:\s*\{\s*${BASE}\s*\}|\s+${BARE_BASE}|${DOTLESS}))`;
const LETTER = String.raw`\\(?:ss|aa|AA|ae|AE|oe|OE|o|O|l|L|i|j|dh|DH|th|TH|dj|DJ|ng|NG)(?![A-Za-z])`;
// A braced group around one accent or letter (`{\'e}`, `{\ss}`) disappears with it, unless it is
// the argument of a control word (`\foo{\"o}`: an unknown macro keeps its braces).
// A doubled backslash (TeX's line break) is matched first and kept, so `\\'e` is a break and 'e.
const MACRO = new RegExp(
  String.raw`\\\\|\{(?<!\\[A-Za-z]+\{)(?:${ACCENT}|${LETTER})\}|${ACCENT}|${LETTER}${SWALLOW}`,
  "g",
);

/** Whether a text may hold an accent or letter at all (most backslashes in abstracts are `\%`, `\emph`…). */
const MACRO_START =
  /\\(?:[\x27\x60^"~=.]|[uvHckrd](?![A-Za-z])|(?:ss|aa|AA|ae|AE|oe|OE|o|O|l|L|i|j|dh|DH|th|TH|dj|DJ|ng|NG)(?![A-Za-z]))/;

function decodeMacro(span: string): string {
  if (span === "\\\\") return span;
  const inner = span.startsWith("{") ? span.slice(1, -1) : span;
  const accent = /^\\([\x27\x60^"~=.]|[uvHckrd](?![A-Za-z]))/.exec(inner);
  if (accent) {
    const base = inner.slice(accent[0].length).replace(/[\s{}]/g, "");
    // Dotless i/j under an accent is plain i/j: NFC then composes í, ǰ.
    const letter = base === "\\i" ? "i" : base === "\\j" ? "j" : base;
    return letter + ACCENTS[accent[1]!]!;
  }
  const name = /^\\([A-Za-z]+)/.exec(inner)![1]!;
  return LETTERS[name]!;
}

/** Passes needed for the deepest stack of accents anyone types (`\'{\^{\d{o}}}`). */
const MAX_STACK = 4;

/**
 * Decodes the accents and special letters of text-mode TeX that holds no math (the caller has taken
 * the math out); the result is NFC-normalised.
 */
export function decodeAccents(text: string): string {
  if (!MACRO_START.test(text)) return text.normalize("NFC");
  // Each pass decodes the innermost accents; the next pass sees their letters as bases.
  let out = text.normalize("NFD");
  for (let i = 0; i < MAX_STACK; i++) {
    const next = out.replace(MACRO, decodeMacro);
    if (next === out) break;
    out = next;
  }
  return out.normalize("NFC");
}
