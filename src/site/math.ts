/**
 * Abstracts carry TeX math between $…$ or $$…$$. We render it at build time to MathML, which
 * browsers lay out themselves (MathML Core: Chromium 109+, Firefox, Safari), so pages need no
 * script, stylesheet or web font for math; everything outside the delimiters is escaped text.
 */
import katex from "katex";
import { mathmlCore } from "./mathml.js";

const TEXT_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };

/**
 * Text escaped for an element's content, where only `&` and `<` start markup (`>` is escaped too,
 * as KaTeX and Preact write it). Quotes end only an attribute value, so they stay as they are here:
 * this is never an attribute's escape.
 */
export function escapeText(text: string): string {
  return text.replace(/[&<>]/g, (c) => TEXT_ESCAPES[c]!);
}

type Segment = { kind: "text"; text: string } | { kind: "math"; tex: string; display: boolean };

const DOLLAR = 36;
const BACKSLASH = 92;

/** Splits on $$…$$ and $…$; "\$" is a literal dollar; an unclosed "$" stays text. */
export function splitMath(source: string): Segment[] {
  const segments: Segment[] = [];
  let text = "";
  let i = 0;
  while (i < source.length) {
    // Plain text up to the next "$" or "\$" is taken as one slice, not a character at a time.
    let end = i;
    while (end < source.length) {
      const code = source.charCodeAt(end);
      if (code === DOLLAR || (code === BACKSLASH && source.charCodeAt(end + 1) === DOLLAR)) break;
      end++;
    }
    if (end > i) {
      text += source.slice(i, end);
      i = end;
      continue;
    }
    if (source[i] === "\\") {
      text += "$";
      i += 2;
      continue;
    }
    const display = source[i + 1] === "$";
    const open = display ? 2 : 1;
    const close = findClosing(source, i + open, display);
    const tex = close === -1 ? "" : source.slice(i + open, close);
    if (close === -1 || tex.trim() === "") {
      text += source.slice(i, i + open);
      i += open;
      continue;
    }
    if (text) segments.push({ kind: "text", text });
    text = "";
    segments.push({ kind: "math", tex, display });
    i = close + open;
  }
  if (text) segments.push({ kind: "text", text });
  return segments;
}

function findClosing(source: string, from: number, display: boolean): number {
  for (let j = from; j < source.length; j++) {
    if (source[j] === "\\") {
      j++;
      continue;
    }
    if (source[j] !== "$") continue;
    if (!display) return j;
    if (source[j + 1] === "$") return j;
  }
  return -1;
}

/**
 * Abstracts are TeX source: outside math, authors escape `%`, `&`, `#`, `_` and `$`, and tie words
 * with `~` (a tie only between words: a URL's `/~user` stays). Shown as typeset text, not as source.
 * No look-behind: V8 cannot scan ahead for `~` with one, so it tested every position of every text.
 */
function untex(text: string): string {
  const unescaped = text.includes("\\") ? text.replace(/\\([%&#_$])/g, "$1") : text;
  return unescaped.includes("~") ? unescaped.replace(/(\w)~(?=\w)/g, "$1\u00a0") : unescaped;
}

/** More formulas than this in one text is a flood, not an abstract (real abstracts have at most ~20). */
export const MAX_MATH_SEGMENTS = 64;
/** Rendered math above this many characters for one text falls back to the text (real maximum ~4 k as MathML). */
export const MAX_MATH_HTML = 16 * 1024;
/** Deeper group nesting than this is not a formula a reader needs, and deep nesting overflows KaTeX's stack. */
export const MAX_TEX_DEPTH = 24;

/** Deepest nesting of `{…}` groups and `\left…\right` pairs, counting nested commands such as `\sqrt\sqrt`. */
function texDepth(tex: string): number {
  let depth = 0;
  let deepest = 0;
  let chain = 0;
  for (let i = 0; i < tex.length; i++) {
    const c = tex[i];
    if (c === "\\") {
      const name = /^[a-zA-Z]+/.exec(tex.slice(i + 1, i + 16))?.[0] ?? "";
      if (name === "left") depth++;
      else if (name === "right") depth--;
      // A command directly followed by another (`\sqrt\sqrt…`) nests without braces.
      chain = name && tex[i + 1 + name.length] === "\\" ? chain + 1 : 0;
      deepest = Math.max(deepest, depth + chain);
      i += Math.max(name.length, 1);
      continue;
    }
    if (c === "{") deepest = Math.max(deepest, ++depth);
    else if (c === "}") depth--;
  }
  return deepest;
}

/** The colour KaTeX gives what it could not parse (a stylesheet variable, readable in both themes). */
const ERROR_MARK = "var(--math-error)";

const KATEX_OPTIONS = {
  throwOnError: false,
  trust: false,
  strict: "ignore",
  errorColor: ERROR_MARK,
  // MathML only: no KaTeX stylesheet or fonts on the page. Screen readers read MathML as math.
  output: "mathml",
} as const;

/** Rendered formulas by display mode and source: archives repeat the same symbols on every page. */
const memo = new Map<string, string | null>();
const MEMO_LIMIT = 20_000;

/** One formula as MathML, or null when KaTeX cannot render it safely (too deep, or it threw). */
function renderFormula(tex: string, display: boolean): string | null {
  const key = `${display ? "D" : "I"}${tex}`;
  const known = memo.get(key);
  if (known !== undefined) return known;
  let html: string | null = null;
  if (texDepth(tex) <= MAX_TEX_DEPTH) {
    try {
      html = mathmlCore(katex.renderToString(tex, { ...KATEX_OPTIONS, displayMode: display }), ERROR_MARK);
    } catch {
      // Stack overflow or any other internal error: the caller shows the source as text.
      html = null;
    }
  }
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, html);
  return html;
}

/** The text with its math shown as TeX source: what a reader sees when the math cannot be rendered. */
function plainText(segments: readonly Segment[]): string {
  return segments
    .map((s) => {
      if (s.kind === "text") return escapeText(untex(s.text));
      const delimiter = s.display ? "$$" : "$";
      return escapeText(`${delimiter}${s.tex}${delimiter}`);
    })
    .join("");
}

/**
 * Escaped HTML with each math segment rendered to MathML by KaTeX (which escapes its own output), for
 * an element's content only (quotes are not escaped: see escapeText). A text whose math cannot be
 * rendered, or would render to a flood of markup, is shown as escaped text.
 */
export function renderMathText(source: string): string {
  const segments = splitMath(source);
  const formulas = segments.reduce((n, s) => n + (s.kind === "math" ? 1 : 0), 0);
  if (formulas === 0) return plainText(segments);
  if (formulas > MAX_MATH_SEGMENTS) return plainText(segments);
  let out = "";
  let mathBytes = 0;
  for (const s of segments) {
    if (s.kind === "text") {
      out += escapeText(untex(s.text));
      continue;
    }
    const html = renderFormula(s.tex, s.display);
    if (html === null) return plainText(segments);
    mathBytes += html.length;
    if (mathBytes > MAX_MATH_HTML) return plainText(segments);
    out += html;
  }
  return out;
}
