/**
 * Where a TeX text's math is (`$…$`, `$$…$$`), and `decodeTex`, which decodes the accents outside
 * it. Apart from format/tex.ts, whose parser reads the spans found here, because ingestion (names,
 * titles, journal references: arXiv's parsers, authors.txt) needs this alone: checking authors.txt
 * on a weekend run loads neither the parser nor plain-math.ts.
 */
import { decodeAccents } from "./accents.js";

export const BACKSLASH = 92;
export const DOLLAR = 36;

export interface MathSpan {
  start: number;
  end: number;
  tex: string;
  display: boolean;
}

/**
 * The math spans of a text: `$$…$$` and `$…$`; `\$` is a literal dollar; an unclosed or empty
 * delimiter stays text.
 */
export function mathSpans(source: string): Map<number, MathSpan> {
  const spans = new Map<number, MathSpan>();
  let i = source.indexOf("$");
  while (i !== -1) {
    // A dollar after an odd run of backslashes is escaped.
    let slashes = 0;
    while (i - slashes - 1 >= 0 && source.charCodeAt(i - slashes - 1) === BACKSLASH) slashes++;
    if (slashes % 2 === 1) {
      i = source.indexOf("$", i + 1);
      continue;
    }
    const display = source.charCodeAt(i + 1) === DOLLAR;
    const open = display ? 2 : 1;
    const close = findClosing(source, i + open, display);
    const tex = close === -1 ? "" : source.slice(i + open, close);
    if (close === -1 || tex.trim() === "") {
      i = source.indexOf("$", i + open);
      continue;
    }
    spans.set(i, { start: i, end: close + open, tex, display });
    i = source.indexOf("$", close + open);
  }
  return spans;
}

function findClosing(source: string, from: number, display: boolean): number {
  for (let j = from; j < source.length; j++) {
    const c = source.charCodeAt(j);
    if (c === BACKSLASH) {
      j++;
      continue;
    }
    if (c !== DOLLAR) continue;
    if (!display) return j;
    if (source.charCodeAt(j + 1) === DOLLAR) return j;
  }
  return -1;
}

/**
 * A text with the accents and special letters outside its math decoded (`Andr\'e` → André, `$\'e$`
 * kept), everything else as typed; NFC-normalised. For names, titles and journal references at
 * ingestion, which are stored decoded (abstracts are stored as given: their renderers decode them).
 */
export function decodeTex(text: string): string {
  if (!text.includes("\\")) return text.normalize("NFC");
  let out = "";
  let from = 0;
  for (const span of mathSpans(text).values()) {
    out += decodeAccents(text.slice(from, span.start)) + text.slice(span.start, span.end);
    from = span.end;
  }
  return (out + decodeAccents(text.slice(from))).normalize("NFC");
}
