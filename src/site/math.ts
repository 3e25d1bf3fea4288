/**
 * Abstracts carry TeX math between $…$ or $$…$$. We render it at build time to MathML, which
 * browsers lay out themselves (MathML Core: Chromium 109+, Firefox, Safari), so pages need no
 * script, stylesheet or web font for math. Outside the delimiters, the text macros format/tex.ts
 * reads are typeset as HTML (\textbf as <b>, \href as a link…); everything else is escaped text.
 */
import katex from "katex";
import {
  countMath,
  footnoteSpace,
  hasLigature,
  parseTex,
  type TexNode,
  type TexStyle,
  typesetText,
} from "../format/tex.js";
import { escapeHtml } from "../format/text.js";
import { httpUrl } from "../format/url.js";
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

/** The elements each text style is typeset as; a style without one shows its content. */
const STYLE_TAGS: Partial<Record<TexStyle, string>> = {
  bold: "b",
  italic: "i",
  emph: "em",
  code: "code",
  underline: "u",
  superscript: "sup",
  subscript: "sub",
};

/** A link out of the page to an author's URL (http(s) only, checked by the caller). */
function link(url: string, html: string): string {
  return `<a href="${escapeHtml(url)}" rel="nofollow noopener">${html}</a>`;
}

/**
 * An http(s) address written as plain text: up to a space or a character no address holds as typed
 * (`<`, `>`, `"`, a backslash). What ends a sentence or a bracket around it is cut off by `urlEnd`.
 */
const PLAIN_URL = /\bhttps?:\/\/[^\s<>"\\]+/gi;
/** Punctuation that ends a sentence or a clause after an address rather than belonging to it. */
const TRAILING = /[.,;:!?'"*’”…]$/;
const CLOSERS: Record<string, string> = { ")": "(", "]": "[", "}": "{" };

/**
 * Where an address found by PLAIN_URL really ends: trailing punctuation stays outside the link, and
 * a closing bracket only belongs to it when the address opened one (`…/Foo_(bar)` keeps it,
 * `(see https://x.org/a)` does not).
 */
function urlEnd(url: string): number {
  let end = url.length;
  for (;;) {
    const last = url[end - 1]!;
    const opener = CLOSERS[last];
    if (TRAILING.test(last)) end--;
    else if (opener !== undefined && count(url, last, end) > count(url, opener, end)) end--;
    else return end;
  }
}

function count(text: string, char: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf(char); i !== -1 && i < end; i = text.indexOf(char, i + 1)) n++;
  return n;
}

/**
 * Text (already typeset) escaped, each http(s) address written in it made a link out of the page
 * (abstracts often name their code's repository so). Math and code never reach here.
 */
function linkedText(text: string): string {
  if (!text.includes("://")) return escapeText(text);
  let out = "";
  let at = 0;
  for (const match of text.matchAll(PLAIN_URL)) {
    const written = match[0].slice(0, urlEnd(match[0]));
    const url = httpUrl(written);
    // A bare scheme ("https://") or what URL cannot read stays text.
    if (url === null || !/^https?:\/\/[^/?#]/i.test(written)) continue;
    out += escapeText(text.slice(at, match.index)) + link(url, escapeText(written));
    at = match.index + written.length;
  }
  return out + escapeText(text.slice(at));
}

interface HtmlOptions {
  /** Render formulas; false shows each as its TeX source. */
  math: boolean;
  /** Make \href and \url links; false where the text is already inside a link (a title). */
  links: boolean;
  /** Inside \texttt: no dashes or quotes made of `--` and ``` `` ```. */
  code: boolean;
}

/** Formula markup written so far, and whether a formula could not be rendered. */
interface MathBudget {
  bytes: number;
  failed: boolean;
}

function htmlNodes(nodes: readonly TexNode[], opts: HtmlOptions, budget: MathBudget): string {
  let out = "";
  let last = "";
  for (const node of nodes) {
    last = htmlNode(node, opts, budget, last);
    out += last;
    if (budget.failed) break;
  }
  return out;
}

/** One node as HTML; `before` is the piece written just before it. */
function htmlNode(node: TexNode, opts: HtmlOptions, budget: MathBudget, before: string): string {
  switch (node.kind) {
    case "text": {
      const text = typesetText(node.source, opts.code);
      return opts.links && !opts.code ? linkedText(text) : escapeText(text);
    }
    case "math": {
      const html = opts.math ? renderFormula(node.tex, node.display) : null;
      if (html !== null) {
        budget.bytes += html.length;
        if (budget.bytes > MAX_MATH_HTML) budget.failed = true;
        return html;
      }
      if (opts.math) budget.failed = true;
      const delimiter = node.display ? "$$" : "$";
      return escapeText(`${delimiter}${node.tex}${delimiter}`);
    }
    case "style": {
      const inner = htmlNodes(node.children, { ...opts, code: opts.code || node.style === "code" }, budget);
      const tag = STYLE_TAGS[node.style];
      return tag === undefined ? inner : `<${tag}>${inner}</${tag}>`;
    }
    case "footnote":
      return `${footnoteSpace(before)}(${htmlNodes(node.children, opts, budget)})`;
    case "href": {
      const url = opts.links ? httpUrl(node.url) : null;
      const inner = htmlNodes(node.children, { ...opts, links: false }, budget);
      return url === null ? inner : link(url, inner);
    }
    case "url": {
      const url = opts.links ? httpUrl(node.url) : null;
      return url === null ? escapeText(node.url) : link(url, escapeText(node.url));
    }
  }
}

/**
 * What renderMathText may need to act on besides `hasLigature`'s pairs; a text with none of it is
 * only escaped (an address written in it is linked, where links are made).
 */
const TEX_MARKUP = /[\\$~]/;

export interface RenderTextOptions {
  /**
   * Make \href and \url links, and addresses written as text (default); false for text shown inside
   * a link, such as a linked title, or the model's comment, which speaks for the digest.
   */
  links?: boolean;
}

/**
 * Escaped HTML with each math segment rendered to MathML by KaTeX (which escapes its own output) and
 * text macros typeset, for an element's content only (quotes are not escaped: see escapeText). A
 * text whose math cannot be rendered, or would render to a flood of markup, shows its math as TeX
 * source; text macros the parser does not know, or that are not closed, show as typed.
 */
export function renderMathText(source: string, options: RenderTextOptions = {}): string {
  const links = options.links ?? true;
  if (!TEX_MARKUP.test(source) && !hasLigature(source)) return links ? linkedText(source) : escapeText(source);
  const nodes = parseTex(source);
  const asText = () => htmlNodes(nodes, { math: false, links, code: false }, { bytes: 0, failed: false });
  const formulas = countMath(nodes);
  if (formulas === 0 || formulas > MAX_MATH_SEGMENTS) return asText();
  const budget = { bytes: 0, failed: false };
  const html = htmlNodes(nodes, { math: true, links, code: false }, budget);
  return budget.failed ? asText() : html;
}
