/**
 * TeX titles and abstracts as inline Markdown (the day page). Apart from format/text.ts because it
 * needs the TeX parser (format/tex.ts, with plain-math.ts behind it): a page without papers (a
 * weekend's, a holiday's) is written without loading any of it.
 */
import { footnoteSpace, parseTex, type TexNode, typesetText } from "./tex.js";
import { escapeText, LINK_SYNTAX, MATH_SPAN } from "./text.js";
import { httpUrl } from "./url.js";

/** A whole math span as escapeMarkdown keeps it verbatim. */
const WHOLE_MATH_SPAN = new RegExp(`^(?:${MATH_SPAN.source})$`);

/** The Markdown each text style is written with; a style without one shows its content. */
const MARKDOWN_STYLES: Partial<Record<string, { open: string; close: string }>> = {
  bold: { open: "**", close: "**" },
  italic: { open: "*", close: "*" },
  emph: { open: "*", close: "*" },
  superscript: { open: "<sup>", close: "</sup>" },
  subscript: { open: "<sub>", close: "</sub>" },
};

/** What a piece of Markdown can start or end next to: a character, or the unknown edge of a nested run. */
const UNKNOWN_EDGE = "a";
const TOP_EDGE = " ";

interface MarkdownOptions {
  /** Write \href and \url as links; false inside a link (a linked title, a link's own text). */
  links: boolean;
  /** Inside a link's text, where a bracket in kept math could end the text early. */
  inLink: boolean;
}

/**
 * TeX source (a title or an abstract) as inline Markdown for GitHub: math spans stay as written,
 * as in escapeMarkdown, so GitHub typesets them; text macros become Markdown (`**bold**`, `*italic*`,
 * `` `code` ``, `[text](url)` for http(s) URLs, `<sup>`/`<sub>`), dashes and quotes their
 * characters, and every other character is escaped as escapeMarkdown does. A style whose `*`
 * delimiters GitHub would not read as emphasis (CommonMark's flanking rules) shows its content.
 */
export function texMarkdown(source: string, options: { links?: boolean } = {}): string {
  const flat = source.replace(/\s+/g, " ").trim();
  return markdownNodes(parseTex(flat), { links: options.links ?? true, inLink: false }, TOP_EDGE);
}

type MarkdownPart = string | { footnote: string } | { open: string; close: string; inner: string };

function markdownNodes(nodes: readonly TexNode[], opts: MarkdownOptions, edge: string): string {
  const parts = nodes.map((node) => markdownPart(node, opts));
  let out = "";
  // The last character written, kept aside: reading one of a long concatenated string flattens it.
  let before = edge;
  parts.forEach((part, k) => {
    let piece: string;
    if (typeof part === "string") piece = part;
    else if ("footnote" in part) piece = `${footnoteSpace(out === "" ? "" : before)}(${part.footnote})`;
    else {
      const core = part.inner.trim();
      const lead = core === "" ? part.inner : part.inner.slice(0, part.inner.length - part.inner.trimStart().length);
      const trail = core === "" ? "" : part.inner.slice(part.inner.trimEnd().length);
      const after = trail !== "" ? " " : nextChar(parts, k + 1, edge);
      const unread = part.open.startsWith("*") && !flanks(core, lead !== "" ? " " : before, after);
      piece = `${lead}${unread ? core : `${part.open}${core}${part.close}`}${trail}`;
    }
    if (piece !== "") before = piece[piece.length - 1]!;
    out += piece;
  });
  return out;
}

/** The first character the parts from `k` on will write (a style's own content, see flanks). */
function nextChar(parts: readonly MarkdownPart[], k: number, edge: string): string {
  for (let j = k; j < parts.length; j++) {
    const part = parts[j]!;
    const text = typeof part === "string" ? part : "footnote" in part ? " " : part.inner;
    if (text !== "") return text[0]!;
  }
  return edge;
}

const PUNCTUATION = /[\p{P}\p{S}]/u;
const isBlank = (c: string) => /\s/.test(c);

/**
 * Whether `*…*` around `core` opens and closes as emphasis between `before` and `after`
 * (CommonMark's left- and right-flanking rules). A style right after our own closing `*` is not
 * tried, so two delimiter runs never merge.
 */
function flanks(core: string, before: string, after: string): boolean {
  if (core === "" || before === "*") return false;
  const first = core[0]!;
  const last = core[core.length - 1]!;
  if (isBlank(first) || isBlank(last)) return false;
  if (PUNCTUATION.test(first) && !(isBlank(before) || PUNCTUATION.test(before))) return false;
  if (PUNCTUATION.test(last) && !(isBlank(after) || PUNCTUATION.test(after))) return false;
  return true;
}

function markdownPart(node: TexNode, opts: MarkdownOptions): MarkdownPart {
  switch (node.kind) {
    case "text":
      return escapeText(typesetText(node.source));
    case "math": {
      const delimiter = node.display ? "$$" : "$";
      const span = `${delimiter}${node.tex}${delimiter}`;
      const kept = WHOLE_MATH_SPAN.test(span) && !LINK_SYNTAX.test(span) && !(opts.inLink && /[[\]]/.test(span));
      return kept ? span : escapeText(span);
    }
    case "style": {
      if (node.style === "code") return codeSpan(codeText(node.children).trim());
      const inner = markdownNodes(node.children, opts, UNKNOWN_EDGE);
      const marks = MARKDOWN_STYLES[node.style];
      return marks === undefined ? inner : { ...marks, inner };
    }
    case "footnote":
      return { footnote: markdownNodes(node.children, opts, "(") };
    case "href": {
      const url = opts.links ? httpUrl(node.url) : null;
      const inner = markdownNodes(
        node.children,
        { links: false, inLink: url !== null },
        url === null ? UNKNOWN_EDGE : "[",
      );
      return url === null || inner.trim() === "" ? inner : `[${inner}](${markdownUrl(url)})`;
    }
    case "url": {
      const url = opts.links ? httpUrl(node.url) : null;
      const text = escapeText(node.url);
      return url === null ? text : `[${text}](${markdownUrl(url)})`;
    }
  }
}

/** A link destination: parentheses encoded so the destination cannot end early. */
function markdownUrl(url: string): string {
  return url.replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** What a code span shows of a tree: its text as typeset in code (commands it does not know as typed). */
function codeText(nodes: readonly TexNode[]): string {
  let out = "";
  for (const node of nodes) {
    if (node.kind === "text") out += typesetText(node.source, true);
    else if (node.kind === "math") out += node.display ? `$$${node.tex}$$` : `$${node.tex}$`;
    else if (node.kind === "url") out += node.url;
    else if (node.kind === "footnote") out += ` (${codeText(node.children)})`;
    else out += codeText(node.children);
  }
  return out;
}

/** Text as a code span, fenced by more backticks than it holds in a row (its content is never escaped). */
function codeSpan(text: string): string {
  if (text === "") return "";
  let longest = 0;
  for (const run of text.matchAll(/`+/g)) longest = Math.max(longest, run[0].length);
  const fence = "`".repeat(longest + 1);
  const pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}
