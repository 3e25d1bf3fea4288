/**
 * Small text helpers shared by every renderer (Markdown page, site, Slack, email). They return
 * plain text unless the name says otherwise; each renderer escapes for its own medium.
 */
import type { Author } from "../model/candidate.js";

/**
 * US dollars, the one format of money on every page and line: two decimals from a dollar up, up to
 * four below it, two significant digits below a cent (a run that cost $0.0031 does not read as free).
 */
export function formatUsd(amount: number): string {
  if (!Number.isFinite(amount)) throw new RangeError(`formatUsd: not a finite amount: ${amount}`);
  const sign = amount < 0 ? "-" : "";
  const abs = Math.abs(amount);
  if (abs === 0 || abs >= 1) return `${sign}$${abs.toFixed(2)}`;
  // A day costs cents: below a dollar up to four decimals (trailing zeros dropped, two kept), so
  // $0.0103 is not shown as $0.01 beside a run line that says $0.0103; below a cent two digits.
  if (abs >= 0.01) return `${sign}$${abs.toFixed(4).replace(/0{1,2}$/, "")}`;
  return `${sign}$${abs.toPrecision(2)}`;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `2025-05-16` → `05/16/2025`, the form the remedial banner uses. */
export function formatDateUS(isoDate: string): string {
  const m = ISO_DATE.exec(isoDate);
  if (!m) throw new RangeError(`formatDateUS: expected a date as YYYY-MM-DD, got "${isoDate}"`);
  return `${m[2]}/${m[3]}/${m[1]}`;
}

/** Author names, cut after `max` with "et al." so a 300-author paper stays one line. */
export function authorNamesShort(authors: readonly Author[], max = 10): string {
  const names = authors.map((a) => a.name);
  return names.length > max ? `${names.slice(0, max).join(", ")} et al.` : names.join(", ");
}

/** "3 papers", "1 paper", "1,204 papers". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
}

/** `Name (Affiliation one; Affiliation two), Other Name` — affiliations kept whole. */
export function authorsWithAffiliations(authors: readonly Author[]): string {
  return authors
    .map((a) => (a.affiliations.length > 0 ? `${a.name} (${a.affiliations.join("; ")})` : a.name))
    .join(", ");
}

const ARXIV = "https://arxiv.org";

/** Percent-encodes each path segment so that even a malformed id cannot leave the URL path. */
function versioned(id: string, version?: number | null): string {
  const path = id.split("/").map(encodeURIComponent).join("/");
  return version ? `${path}v${version}` : path;
}

/** Old-scheme ids (`hep-th/9901001`) keep their slash: arXiv's URLs use it as a path segment. */
export function arxivAbsUrl(id: string, version?: number | null): string {
  return `${ARXIV}/abs/${versioned(id, version)}`;
}

export function arxivPdfUrl(id: string, version?: number | null): string {
  return `${ARXIV}/pdf/${versioned(id, version)}`;
}

export function arxivHtmlUrl(id: string, version?: number | null): string {
  return `${ARXIV}/html/${versioned(id, version)}`;
}

/**
 * TeX math spans (`$…$`, `$$…$$`) that can be left verbatim: short, on one line, free of HTML
 * brackets, code ticks and link or image syntax. Anything else that merely starts with a dollar
 * sign is treated as text. A kept `![` would open an image whose `](url)` is the link we wrap
 * the text in (a title inside `[…](https://arxiv.org/abs/…)`), so a span holding one is text too.
 */
const MATH_SPAN = /(?<!\\)(?:\$\$[^$<>`\n]{1,300}?\$\$|\$(?!\s)[^$<>`\n]{1,300}?(?<![\s\\])\$)/g;
const LINK_SYNTAX = /\]\s*[([]|!\s*\[/;

/** Characters that start Markdown or HTML syntax anywhere in a line. */
const MARKDOWN_SPECIAL = /[\\`*_[\]<>|#~!&${}]/g;

function escapeText(text: string): string {
  return text.replace(MARKDOWN_SPECIAL, (ch) => {
    if (ch === "<") return "&lt;";
    if (ch === ">") return "&gt;";
    if (ch === "&") return "&amp;";
    return `\\${ch}`;
  });
}

/**
 * Escapes untrusted text (feed titles, abstracts, LLM comments) for inline use in Markdown:
 * no emphasis, links, images, tables, headings or raw HTML can come out of it. Whitespace,
 * including newlines, collapses to single spaces so the text cannot start a new block.
 * TeX math spans stay as written so that math-aware viewers (GitHub) still typeset them.
 */
export function escapeMarkdown(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  let out = "";
  let last = 0;
  for (const m of flat.matchAll(MATH_SPAN)) {
    if (LINK_SYNTAX.test(m[0])) continue;
    out += escapeText(flat.slice(last, m.index));
    out += m[0];
    last = m.index + m[0].length;
  }
  return out + escapeText(flat.slice(last));
}
