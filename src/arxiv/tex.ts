/**
 * TeX accent macros → Unicode, for the names, titles and journal references arXiv passes through
 * as their submitters typed them (`Andr\'e`, `{\"o}`, `\c{c}`, `St{\aa}lmarck`). Math (`$…$`) and
 * macros this table does not know are left exactly as written.
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
};

// The accented base: a letter, or dotless \i / \j (the accent takes the dot's place).
const BASE = String.raw`(?:\\[ij](?![A-Za-z])|[A-Za-z])`;
// Symbol accents take the next letter directly (`\'e`, `\'{e}`); letter accents (`\c`, `\v` …)
// need braces or a space, as in TeX (`\c{c}`, `\v s`).
const ACCENT = String.raw`\\(?:[\x27\x60^"~=.]\s*(?:\{\s*${BASE}\s*\}|${BASE})|[uvHckr](?:\s*\{\s*${BASE}\s*\}|\s+${BASE}|\\[ij](?![A-Za-z])))`;
const LETTER = String.raw`\\(?:ss|aa|AA|ae|AE|oe|OE|o|O|l|L|i|j)(?![A-Za-z])`;
// A braced group around one accent or letter (`{\'e}`, `{\ss}`) disappears with it; a control
// word swallows an empty group or the spaces after it, as in TeX (`B\o rn` → Børn).
const MACRO = new RegExp(String.raw`\{(?:${ACCENT}|${LETTER})\}|${ACCENT}|${LETTER}(?:\{\}|[ \t]+(?=[A-Za-z]))?`, "g");
// Inline and display math, skipping escaped dollars.
const MATH = /(\$\$[\s\S]*?\$\$|(?<!\\)\$(?:\\.|[^$\\])*\$)/;

function decodeMacro(span: string): string {
  const inner = span.startsWith("{") ? span.slice(1, -1) : span;
  const accent = /^\\([\x27\x60^"~=.]|[uvHckr](?![A-Za-z]))/.exec(inner);
  if (accent) {
    const base = inner.slice(accent[0].length).replace(/[\s{}]/g, "");
    // Dotless i/j under an accent is plain i/j: NFC then composes í, ǰ.
    const letter = base === "\\i" ? "i" : base === "\\j" ? "j" : base;
    return letter + ACCENTS[accent[1]!]!;
  }
  const name = /^\\([A-Za-z]+)/.exec(inner)![1]!;
  return LETTERS[name]!;
}

function decodeText(text: string): string {
  return text.replace(MACRO, decodeMacro);
}

/** Decodes TeX accents and special letters outside math; the result is NFC-normalised. */
export function decodeTex(text: string): string {
  if (!text.includes("\\")) return text.normalize("NFC");
  return text
    .split(MATH)
    .map((part, i) => (i % 2 === 1 ? part : decodeText(part)))
    .join("")
    .normalize("NFC");
}
