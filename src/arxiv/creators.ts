/**
 * arXiv's `dc:creator`: every author in one comma-separated string, each optionally followed by
 * parenthesised affiliations that may themselves contain commas
 * (`Adam E. Essex (Loughborough University, England), Paul Pegon`).
 */

import { decodeTex } from "../format/math-spans.js";
import type { Author } from "../model/candidate.js";

/** Splits at `separator` wherever no parenthesis is open. */
function splitOutsideParens(text: string, separator: RegExp): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "(") depth++;
    else if (ch === ")") depth = Math.max(0, depth - 1);
    else if (depth === 0) {
      separator.lastIndex = i;
      const match = separator.exec(text);
      if (match) {
        parts.push(text.slice(start, i));
        start = i + match[0].length;
        i = start - 1;
      }
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** One author: the name outside parentheses, each top-level parenthesised group an affiliation. */
function parseAuthor(piece: string): Author {
  const affiliations: string[] = [];
  let name = "";
  let depth = 0;
  let group = "";
  for (const ch of piece) {
    if (ch === "(") {
      if (depth > 0) group += ch;
      depth++;
    } else if (ch === ")" && depth > 0) {
      depth--;
      if (depth > 0) group += ch;
      else {
        affiliations.push(group);
        group = "";
      }
    } else if (depth > 0) group += ch;
    else name += ch;
  }
  // An unclosed parenthesis still holds an affiliation: keep it whole rather than lose it.
  if (depth > 0) affiliations.push(group);
  const clean = (s: string) => decodeTex(s.replace(/\s+/g, " ").trim());
  return { name: clean(name), affiliations: affiliations.map(clean).filter((a) => a !== "") };
}

/** Parses a `dc:creator` string into authors, in order, affiliations kept whole. */
export function parseCreators(dcCreator: string): Author[] {
  const text = dcCreator.replace(/\s+/g, " ").trim();
  if (text === "") return [];
  const pieces = splitOutsideParens(text, /,/y);
  // "A, B and C" / "A, B, and C": only the last piece can carry the conjunction.
  const last = pieces.pop()!;
  pieces.push(...splitOutsideParens(last, / and /y));
  const authors: Author[] = [];
  for (const piece of pieces) {
    const author = parseAuthor(piece.replace(/^\s*and\s+/, ""));
    // A name with no letter or digit in it (a stray ":" in "Aleph Alpha, :, A. Abdessaied") is
    // punctuation the listing let through, not an author.
    if (/[\p{L}\p{N}]/u.test(author.name)) authors.push(author);
    // A group with no name before it belongs to the previous author.
    else if (authors.length > 0) authors.at(-1)!.affiliations.push(...author.affiliations);
  }
  return authors;
}
