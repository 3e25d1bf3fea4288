/**
 * The one home of text cut to fit a message: a user's value shown in an error (`shownValue`), a
 * model's comment or a title cut to a length (`cutText`).
 */
import { redactShapes } from "../io/redact.js";

/**
 * `text` cut with "…" to at most `max` characters (code points: a surrogate pair is never split),
 * at the last space of its final fifth when there is one, so a word is not cut in two.
 */
export function cutText(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  const kept = chars.slice(0, max - 1).join("");
  const space = kept.search(/\s\S*$/);
  const end = space >= 0 && Array.from(kept.slice(0, space)).length >= (max * 4) / 5 ? space : kept.length;
  return `${kept.slice(0, end).trimEnd()}…`;
}

/** How much of a value a message shows, in characters between its quotes. */
export const SHOWN_VALUE_CHARS = 60;

/** Characters JSON leaves as they are that a message must show as escapes (bidi overrides, separators). */
const INVISIBLE = /(?![\u200c\u200d])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/** One character of a shown value: as JSON writes it in a string, an invisible one as `\uXXXX`. */
function escaped(c: string): string {
  const json = JSON.stringify(c).slice(1, -1);
  if (json !== c || !INVISIBLE.test(c)) return json;
  const code = c.codePointAt(0)!;
  return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/**
 * A value the user gave, as a message shows it: a string as JSON (in double quotes, a newline or a
 * quote escaped, so it cannot break the message's lines or fake another item of a list), cut with
 * "…" inside the quotes to about `max` characters (an escape is never cut in two); a number or a
 * yes/no as written; anything else (a YAML list or map) as compact JSON, cut alike. Credentials in
 * it (a URL's user and password, a key's shape: `redactShapes`) are masked in the whole value
 * first, so no cut leaves a part of one the redaction would no longer know.
 */
export function shownValue(value: unknown, max = SHOWN_VALUE_CHARS): string {
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (typeof value !== "string") {
    const json = value === undefined ? undefined : JSON.stringify(value);
    return json === undefined ? String(value) : cutPieces(Array.from(redactShapes(json)), max + 2);
  }
  return `"${cutPieces(Array.from(redactShapes(value), escaped), max)}"`;
}

/** The pieces joined, with "…" in place of those past `max` characters (code points). */
function cutPieces(pieces: readonly string[], max: number): string {
  const width = (piece: string) => (piece.length === 1 ? 1 : Array.from(piece).length);
  if (pieces.reduce((n, p) => n + width(p), 0) <= max) return pieces.join("");
  let out = "";
  let used = 0;
  for (const p of pieces) {
    if (used + width(p) > max - 1) break;
    out += p;
    used += width(p);
  }
  return `${out}…`;
}
