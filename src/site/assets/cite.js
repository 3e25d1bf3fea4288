// Citations built in the browser from a paper's data (what a card shows, read by app.js, or a
// saved entry), so pages carry no per-paper BibTeX. Mirrors src/site/bibtex.ts, which a unit test
// checks this against. No DOM use: the test imports this file in Node.

/** Brace-delimited BibTeX field text: unbalanced braces in feed text are dropped or closed. */
function field(text) {
  let depth = 0;
  let out = "";
  for (const c of text.replace(/\s+/g, " ").trim()) {
    if (c === "{") depth++;
    if (c === "}") {
      if (depth === 0) continue;
      depth--;
    }
    out += c;
  }
  return out + "}".repeat(depth);
}

function asciiWord(text) {
  return text
    .normalize("NFKD")
    .replace(/[^A-Za-z0-9 ]/g, "")
    .trim()
    .split(/\s+/)[0]
    .toLowerCase();
}

/** New-scheme ids ("2602.04119") and old ones ("hep-th/9711200"), unversioned, as arxiv-links.ts accepts. */
const ARXIV_ID = /^(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?\/\d{7})$/;

function absUrl(id) {
  return ARXIV_ID.test(id) ? `https://arxiv.org/abs/${id}` : null;
}

/**
 * @param {{id: string, title: string, authors: string[], date: string, category?: string, doi?: string}} paper
 */
export function bibtex(paper) {
  const year = paper.date.slice(0, 4);
  const surname = (paper.authors[0] ?? "").trim().split(/\s+/).at(-1) ?? "";
  const key = `${asciiWord(surname) || "arxiv"}${year}${asciiWord(paper.title)}`;
  const lines = [
    `  title = {${field(paper.title)}},`,
    `  author = {${field(paper.authors.join(" and "))}},`,
    `  year = {${year}},`,
    `  eprint = {${field(paper.id)}},`,
    "  archivePrefix = {arXiv},",
  ];
  if (paper.category) lines.push(`  primaryClass = {${field(paper.category)}},`);
  const url = absUrl(paper.id);
  if (url) lines.push(`  url = {${url}},`);
  if (paper.doi) lines.push(`  doi = {${field(paper.doi)}},`);
  return `@misc{${key},\n${lines.join("\n")}\n}`;
}

/** A CSL-JSON item (the format Zotero, Pandoc and citeproc read). */
export function cslJson(paper) {
  const item = {
    id: `arXiv:${paper.id}`,
    type: "article",
    title: paper.title,
    author: paper.authors.map((name) => {
      const parts = name.trim().split(/\s+/);
      return parts.length > 1 ? { family: parts.at(-1), given: parts.slice(0, -1).join(" ") } : { literal: name };
    }),
    issued: { "date-parts": [[Number(paper.date.slice(0, 4))]] },
    publisher: "arXiv",
    number: paper.id,
  };
  const url = absUrl(paper.id);
  if (url) item.URL = url;
  if (paper.doi) item.DOI = paper.doi;
  return item;
}
