/**
 * A BibTeX entry for a paper, built at build time and handed to the copy button through a data
 * attribute. Field values are brace-delimited, so unbalanced braces in feed text are dropped
 * rather than allowed to end the field early.
 */
import type { PaperRecord } from "../model/day-record.js";
import { arxivLinks } from "./arxiv-links.js";

function field(text: string): string {
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

function asciiWord(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[^A-Za-z0-9 ]/g, "")
    .trim()
    .split(/\s+/)[0]!
    .toLowerCase();
}

export function bibtexEntry(paper: PaperRecord, date: string): string {
  const year = date.slice(0, 4);
  const firstAuthor = paper.authors[0]?.name ?? "";
  const surname = firstAuthor.trim().split(/\s+/).at(-1) ?? "";
  const key = `${asciiWord(surname) || "arxiv"}${year}${asciiWord(paper.title)}`;
  const lines = [
    `  title = {${field(paper.title)}},`,
    `  author = {${field(paper.authors.map((a) => a.name).join(" and "))}},`,
    `  year = {${year}},`,
    `  eprint = {${field(paper.id)}},`,
    "  archivePrefix = {arXiv},",
  ];
  if (paper.categories[0]) lines.push(`  primaryClass = {${field(paper.categories[0])}},`);
  const links = arxivLinks(paper.id);
  if (links) lines.push(`  url = {${links.abs}},`);
  if (paper.doi) lines.push(`  doi = {${field(paper.doi)}},`);
  return `@misc{${key},\n${lines.join("\n")}\n}`;
}
