/**
 * Test-side readers for the two kinds of page compared here: the reference tool's pages as a
 * browser shows them (test/fixtures/seeds/*.txt, two text layouts) and our rendered Markdown,
 * read back through markdown-it so that escapes are undone the way a viewer undoes them.
 */
import MarkdownIt from "markdown-it";
import { decodeTex } from "../../src/format/math-spans.js";
import { isTie } from "../../src/format/tex.js";

export interface ShownPaper {
  rank: number;
  id: string;
  title: string;
  authors: string;
  abstract: string;
  comment: string | null;
  relevance: number | null;
  novelty: number | null;
}

export interface SeedPage {
  date: string;
  lines: string[];
  papers: ShownPaper[];
}

const FIELDS = ["Authors", "Abstract", "Comment"] as const;

/** Reads a seed page: `N. Title`, `ArXiv ID: …`, `Authors: …`, `Abstract: …`, `Comment: …`, `Relevance: a Novelty: b`. */
export function parseSeedPage(text: string): SeedPage {
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");
  const date = /Personalized Daily ArXiv Papers (\d{4}-\d{2}-\d{2})/.exec(text)?.[1];
  if (!date) throw new Error("seed page without a dated title");
  const end = lines.indexOf("Paper Selection Prompt");
  const papers: ShownPaper[] = [];
  for (let i = 1; i < end; i++) {
    const id = /^ArXiv ID: (\S+)$/.exec(lines[i]!)?.[1];
    const heading = /^(\d+)\. (.+)$/.exec(lines[i - 1]!);
    if (!id || !heading) continue;
    const paper: ShownPaper = {
      rank: Number(heading[1]),
      id,
      title: heading[2]!,
      authors: "",
      abstract: "",
      comment: null,
      relevance: null,
      novelty: null,
    };
    for (let j = i + 1; j < end && !/^ArXiv ID: /.test(lines[j + 1] ?? ""); j++) {
      const line = lines[j]!;
      const scores = /^Relevance: (\d+)\s+Novelty: (\d+)$/.exec(line);
      if (scores) {
        paper.relevance = Number(scores[1]);
        paper.novelty = Number(scores[2]);
        continue;
      }
      const field = FIELDS.find((f) => line.startsWith(`${f}: `) || line === `${f}:`);
      if (field === "Authors") paper.authors = line.slice(8).trim();
      else if (field === "Abstract") paper.abstract = line.slice(9).trim();
      else if (field === "Comment") paper.comment = line.slice(8).trim();
      // A line without a label continues the abstract (the text layout breaks long paragraphs).
      else if (paper.comment === null && paper.abstract !== "") paper.abstract += ` ${line}`;
    }
    papers.push(paper);
  }
  return { date, lines, papers };
}

// html:true is the most permissive setting: raw HTML we failed to escape would pass straight through.
const md = new MarkdownIt({ html: true });

/** What a Markdown viewer shows for an inline fragment: rendered, tags dropped, entities decoded. */
export function shownText(fragment: string): string {
  return md
    .renderInline(fragment)
    .replace(/<[^>]*>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}

/** TeX text macros whose content our page shows (typeset) and the reference pages showed as typed. */
const TEXT_MACRO =
  /\\(?:textbf|textit|textsl|emph|texttt|underline|textsc|textrm|textsf|text)\s*\{((?:[^{}]|\{[^{}]*\})*)\}/g;

/**
 * Text as compared: TeX accents decoded, TeX text macros reduced to their content with dashes and
 * quotes as characters (our page typesets them, the reference pages showed the source), whitespace
 * collapsed, backslashes before punctuation dropped (viewers without TeX support drop them inside
 * `$…$` too), and `*` / `_` dropped: the reference pages did not escape their text, so a viewer
 * turned `*word*` into emphasis there.
 */
export function comparable(text: string): string {
  // A TeX tie (`Theorem~\\ref`) reads as the space it is typeset as, by the product's own rule.
  let reduced = decodeTex(text).replace(/~/g, (tilde, at: number, all: string) => (isTie(all, at) ? " " : tilde));
  for (let previous = ""; previous !== reduced; ) {
    previous = reduced;
    reduced = reduced.replace(TEXT_MACRO, "$1");
  }
  return reduced
    .replace(/\\href\{[^{}]*\}\{([^{}]*)\}/g, "$1")
    .replace(/\\url\{([^{}]*)\}/g, "$1")
    .replace(/---/g, "—")
    .replace(/--/g, "–")
    .replace(/``/g, "“")
    .replace(/''/g, "”")
    .replace(/\\(?=[!-/:-@[-`{-~])/g, "")
    .replace(/[*_]/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

/** Reads our rendered page's paper entries back. */
export function parseRenderedPage(markdown: string): ShownPaper[] {
  const blocks = markdown.split("\n---\n\n").filter((b) => /^## \d+\. /.test(b));
  return blocks.map((block) => {
    const heading = /^## (\d+)\. \[(.*)\]\(https:\/\/arxiv\.org\/abs\/([^)]+)\) <a id="[^"]+"><\/a>$/m.exec(block);
    if (!heading) throw new Error(`unreadable paper heading: ${block.slice(0, 200)}`);
    const field = (label: string) => {
      const m = new RegExp(`^\\*\\*${label}:\\*\\* (.*)$`, "m").exec(block);
      return m ? shownText(m[1]!) : null;
    };
    const scores = /^\*\*Relevance:\*\* (\d+) · \*\*Novelty:\*\* (\d+)/m.exec(block);
    return {
      rank: Number(heading[1]),
      id: field("ArXiv ID")!.split(" · ")[0]!,
      title: shownText(heading[2]!),
      authors: field("Authors") ?? "",
      abstract: field("Abstract") ?? "",
      comment: field("Comment"),
      relevance: scores ? Number(scores[1]) : null,
      novelty: scores ? Number(scores[2]) : null,
    };
  });
}
