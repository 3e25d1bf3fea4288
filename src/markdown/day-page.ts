/**
 * One day's digest as a Markdown page (GitHub-flavoured), carrying what the reference tool's
 * pages carry, in the same order: title, remedial banner, token and cost table, counts (then, on
 * our own days, what the day learnt from the reader's history), table of contents, the picked
 * papers, then papers that could not be scored and the selection prompt. A weekend's or a holiday's
 * page is its title and the calendar's sentence alone, as the calendar says it now (`holidays`: the
 * workspace's table, which the sentence's next announcement depends on), whatever wording the record
 * was written with.
 * Every string that came from a feed, an LLM or a config file is escaped on the way out; a title's
 * or abstract's TeX text markup becomes Markdown, its math stays for GitHub to typeset.
 */

import { SHIPPED_HOLIDAY_TABLE } from "../arxiv/holidays.js";
import { parseArxivId } from "../arxiv/ids.js";
import { texMarkdown } from "../format/tex-markdown.js";
import {
  arxivAbsUrl,
  arxivHtmlUrl,
  arxivPdfUrl,
  authorsWithAffiliations,
  costTableNote,
  escapeMarkdown,
  formatUsd,
  learningSentence,
} from "../format/text.js";
import {
  AUTHOR_MATCH_COMMENT,
  COUNT_LABELS,
  countLegend,
  type DayRecord,
  type PaperRecord,
  selectedPapers,
} from "../model/day-record.js";
import { noAnnouncement } from "../model/status.js";
import { noAnnouncementPage, pageHead } from "./page-head.js";

/** `holidays`: the workspace's holiday table (pipeline/context.ts `workspaceHolidays`); the shipped one when not given. */
export function renderDayMarkdown(day: DayRecord, holidays: ReadonlySet<string> = SHIPPED_HOLIDAY_TABLE): string {
  // A weekend or a holiday: the head is the page (page-head.ts).
  if (noAnnouncement(day.status.code) !== null) return noAnnouncementPage(day, holidays);
  const papers = selectedPapers(day);
  const anchors = paperAnchors(papers);
  const blocks = pageHead(day, holidays);
  // The reader's notes only: the operator's (operatorNotes) go to the terminal and the site's about page.
  if (day.notes.length > 0) blocks.push(day.notes.map((n) => `> **Note:** ${escapeMarkdown(n)}`).join("\n>\n"));
  const usage = usageTable(day);
  if (usage) blocks.push(usage);
  const costNote = usage ? costTableNote(day.usage) : null;
  if (costNote) blocks.push(`_${escapeMarkdown(costNote)}_`);
  blocks.push(countList(day));
  // What the day learnt from the reader's history, on records that keep it (selectionSettings.learning).
  if (day.selectionSettings?.learning) blocks.push(learningSentence(day.selectionSettings.learning));
  if (papers.length === 0) {
    blocks.push(
      day.status.code === "not-judged"
        ? "No paper of this day was judged, so none was picked."
        : "No papers were picked for this day.",
    );
  } else {
    blocks.push("## Contents", tableOfContents(papers, anchors));
    papers.forEach((paper, i) => {
      blocks.push("---", paperEntry(paper, i + 1, anchors[i]!));
    });
  }
  const unscored = day.papers.filter((p) => p.outcome === "unscored");
  if (unscored.length > 0) blocks.push("---", unscoredSection(unscored));
  if (day.prompt) blocks.push("---", promptSection(day.prompt));
  return `${blocks.join("\n\n")}\n`;
}

function usageTable(day: DayRecord): string | null {
  const u = day.usage.total;
  if (u.model === null && u.promptTokens === 0 && u.completionTokens === 0) return null;
  const cost = (amount: number | undefined) => (amount === undefined ? "unpriced" : formatUsd(amount));
  const model = u.model === null ? "model not recorded" : escapeMarkdown(u.model);
  // Imported pages never recorded cached tokens: say so rather than claim zero.
  const cached =
    day.usage.costSource === "imported" && u.cachedPromptTokens === 0 ? "not recorded" : String(u.cachedPromptTokens);
  return [
    `| Model: ${model} | Prompt | of which cached | Completion | Total |`,
    "|:--|--:|--:|--:|--:|",
    `| **Tokens** | ${u.promptTokens} | ${cached} | ${u.completionTokens} | ${u.promptTokens + u.completionTokens} |`,
    `| **Cost** | ${cost(u.cost?.prompt)} | – | ${cost(u.cost?.completion)} | ${cost(u.cost?.total)} |`,
  ].join("\n");
}

function countList(day: DayRecord): string {
  const lines: string[] = [];
  const legend = countLegend(day);
  for (const key of Object.keys(COUNT_LABELS) as (keyof typeof COUNT_LABELS)[]) {
    const n = day.counts[key];
    const label = COUNT_LABELS[key];
    if (n === null || n === undefined || (key === "unscored" && n === 0)) continue;
    lines.push(`- **${label}:** ${n} (${legend[key]})`);
  }
  return lines.join("\n");
}

/**
 * Anchor ids derived from the arXiv id, so links into a page survive re-ranking. GitHub prefixes
 * ids in rendered Markdown with `user-content-`, so the links carry that prefix as well.
 */
function paperAnchors(papers: readonly PaperRecord[]): string[] {
  const seen = new Set<string>();
  return papers.map((p) => {
    const base = `paper-${p.id.replace(/[^A-Za-z0-9]+/g, "-")}`;
    let anchor = base;
    for (let n = 2; seen.has(anchor); n++) anchor = `${base}-${n}`;
    seen.add(anchor);
    return anchor;
  });
}

/** The title's TeX as Markdown; no link of its own, as it is shown inside one. */
function titleText(paper: PaperRecord): string {
  return paper.title.trim() === "" ? "(untitled)" : texMarkdown(paper.title, { links: false });
}

function tableOfContents(papers: readonly PaperRecord[], anchors: readonly string[]): string {
  return papers
    .map((p, i) => `${i + 1}. [${titleText(p)}](#user-content-${anchors[i]})\\\n   **Authors:** ${authorsText(p)}`)
    .join("\n");
}

function authorsText(paper: PaperRecord): string {
  return paper.authors.length === 0 ? "not recorded" : escapeMarkdown(authorsWithAffiliations(paper.authors));
}

/** Null for ids that are not arXiv identifiers: such a paper gets no links rather than a broken one. */
function links(paper: PaperRecord) {
  const parsed = parseArxivId(paper.id);
  if (!parsed) return null;
  return { abs: arxivAbsUrl(parsed.id), pdf: arxivPdfUrl(parsed.id), html: arxivHtmlUrl(parsed.id) };
}

function paperEntry(paper: PaperRecord, rank: number, anchor: string): string {
  const urls = links(paper);
  const title = urls ? `[${titleText(paper)}](${urls.abs})` : titleText(paper);
  const id = escapeMarkdown(paper.id);
  const lines = [
    `## ${rank}. ${title} <a id="${anchor}"></a>`,
    urls
      ? `**ArXiv ID:** ${id} · [PDF](${urls.pdf})${urls.html ? ` · [HTML](${urls.html})` : ""}`
      : `**ArXiv ID:** ${id}`,
    `**Authors:** ${authorsText(paper)}`,
    `**Abstract:** ${texMarkdown(paper.abstract)}`,
  ];
  const comment = paper.comment ?? (paper.authorMatch !== null ? AUTHOR_MATCH_COMMENT : null);
  // The model's comment is TeX like the abstract, but a link in it is shown as text (see PaperCard).
  if (comment !== null) lines.push(`**Comment:** ${texMarkdown(comment, { links: false })}`);
  if (paper.authorMatch !== null && paper.authorMatch !== comment) {
    lines.push(`**Followed author:** ${escapeMarkdown(paper.authorMatch)}`);
  }
  const scores = scoresMarkdown(paper);
  if (scores) lines.push(scores);
  if (paper.topic !== null) lines.push(`**Topic:** ${escapeMarkdown(paper.topic)}`);
  if (paper.reason !== null) lines.push(`**Note:** ${escapeMarkdown(paper.reason)}`);
  return lines.join("\n\n");
}

function scoresMarkdown(paper: PaperRecord): string | null {
  if (paper.relevance === null && paper.novelty === null) return null;
  const parts: string[] = [];
  if (paper.relevance !== null) parts.push(`**Relevance:** ${paper.relevance}`);
  if (paper.novelty !== null) parts.push(`**Novelty:** ${paper.novelty}`);
  const line = parts.join(" · ");
  return paper.scoredBy === "lexical" ? `${line} (offline lexical scorer)` : line;
}

function unscoredSection(papers: readonly PaperRecord[]): string {
  const items = papers.map((p) => {
    const urls = links(p);
    const title = urls ? `[${titleText(p)}](${urls.abs})` : titleText(p);
    return `- ${title} (${escapeMarkdown(p.id)}): ${escapeMarkdown(p.reason ?? "no reason recorded")}`;
  });
  const intro =
    papers.length === 1
      ? "This scanned paper could not be scored, so the digest may be missing a relevant paper:"
      : papers.length === 1
        ? "This scanned paper could not be scored, so the digest may be missing a relevant paper:"
        : `These ${papers.length} scanned papers could not be scored, so the digest may be missing relevant papers:`;
  return ["## Papers that could not be scored", intro, items.join("\n")].join("\n\n");
}

/** A fence longer than any backtick run inside, so prompt text is shown exactly and never rendered. */
function fenced(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}text\n${text}\n${fence}`;
}

function promptSection(prompt: NonNullable<DayRecord["prompt"]>): string {
  const blocks = ["## Paper selection prompt"];
  if (prompt.system.trim() !== "") blocks.push("### System prompt", fenced(prompt.system));
  if (prompt.user.trim() !== "") blocks.push("### User prompt", fenced(prompt.user));
  return blocks.join("\n\n");
}
