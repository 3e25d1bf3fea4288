/**
 * Reads the facts a gpt_paper_assistant digest page (`YYYY-MM-DD-output.md`) holds that its JSON
 * does not: the remedial banner, the model with its token and cost table (Markdown, or HTML on
 * later pages), the three counts and the selection prompt. Values are taken exactly as printed.
 */

import { plural } from "../format/text.js";

export interface PageUsage {
  model: string | null;
  promptTokens: number;
  completionTokens: number;
  /** As printed; the old tool rounded each cost to cents on its own, so total may differ from the sum. */
  cost: { prompt: number; completion: number; total: number } | null;
}

export interface PageFacts {
  /** The date in the page title, when there is one. */
  titleDate: string | null;
  remedial: { from: string; to: string; generatedOn: string } | null;
  usage: PageUsage | null;
  counts: { entries: number | null; scanned: number | null; selected: number | null };
  /** `headed` is false for older pages that printed the prompt without System/User headings. */
  prompt: { system: string; user: string; headed: boolean } | null;
  /** Parts of the page that looked like one of the above but could not be read, with line numbers. */
  problems: string[];
}

const US_DATE = String.raw`(\d{2})/(\d{2})/(\d{4})`;
const BANNER = new RegExp(`This is a remedial run for missed papers from ${US_DATE} to ${US_DATE}\\.`);
const GENERATED = new RegExp(`Results generated on ${US_DATE}\\.`);
const TITLE = /^#\s+.*?(\d{4}-\d{2}-\d{2})\s*$/m;
const PROMPT_HEADING = /^#\s+Paper Selection Prompt\s*$/im;

/** `MM`, `DD`, `YYYY` → `YYYY-MM-DD`, or null when that day does not exist. */
function isoFromUs(mm: string, dd: string, yyyy: string): string | null {
  const d = new Date(Date.UTC(Number(yyyy), Number(mm) - 1, Number(dd)));
  const iso = `${yyyy}-${mm}-${dd}`;
  return d.toISOString().slice(0, 10) === iso ? iso : null;
}

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split("\n").length;
}

function readRemedial(text: string, problems: string[]): PageFacts["remedial"] {
  const banner = BANNER.exec(text);
  const generated = GENERATED.exec(text);
  if (!banner && !generated) return null;
  if (!banner || !generated) {
    const found = (banner ?? generated)!;
    problems.push(
      `line ${lineOf(text, found.index)}: remedial banner is incomplete (needs both the window and the generation date)`,
    );
    return null;
  }
  const [, m1, d1, y1, m2, d2, y2] = banner;
  const [, m3, d3, y3] = generated;
  const from = isoFromUs(m1!, d1!, y1!);
  const to = isoFromUs(m2!, d2!, y2!);
  const generatedOn = isoFromUs(m3!, d3!, y3!);
  if (!from || !to || !generatedOn) {
    problems.push(`line ${lineOf(text, banner.index)}: remedial banner names a date that does not exist`);
    return null;
  }
  return { from, to, generatedOn };
}

function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, "")
    .replace(/\|$/, "")
    .split("|")
    .map((c) => c.trim());
}

/**
 * The summary table's header row in each shape the tool printed: `| *[gpt-5]* | Prompt | …` (the
 * model in brackets), `| *gpt-4o* | Prompt | …` (in italics only) and, on the oldest pages,
 * `|   | Prompt | …` (no model at all).
 */
const USAGE_HEADER = /^\|([^|]*)\|\s*Prompt\s*\|\s*Completion\s*\|\s*Total\s*\|?\s*$/i;

/** The model named in the header's first cell, without its `*[…]*` dressing; null when blank. */
function headerModel(cell: string): string | null {
  const model = cell
    .trim()
    .replace(/^\*+|\*+$/g, "")
    .trim()
    .replace(/^\[([^\]]*)\]$/, "$1")
    .trim();
  return model === "" ? null : model;
}

/** The summary table: a `| model | Prompt | Completion | Total |` header, then Token and Cost rows. */
function readUsage(lines: string[], problems: string[]): PageUsage | null {
  const header = lines.findIndex((l) => USAGE_HEADER.test(l));
  if (header < 0) return null;
  const model = headerModel(USAGE_HEADER.exec(lines[header]!)![1]!);
  const row = (label: string) => {
    const i = lines.findIndex(
      (l, j) => j > header && j <= header + 4 && new RegExp(`^\\|\\s*\\**${label}`, "i").test(l),
    );
    return i < 0 ? null : { line: i + 1, cells: cells(lines[i]!).slice(1) };
  };
  const tokens = row("Token");
  if (!tokens || tokens.cells.length < 3 || !tokens.cells.every((c) => /^\d+$/.test(c))) {
    problems.push(`line ${header + 1}: token table has no readable Token row (expected three whole numbers)`);
    return null;
  }
  const [promptTokens, completionTokens, totalTokens] = tokens.cells.map(Number) as [number, number, number];
  if (promptTokens + completionTokens !== totalTokens) {
    problems.push(
      `line ${tokens.line}: total tokens ${totalTokens} is not prompt + completion; prompt and completion kept`,
    );
  }
  const costRow = row("Cost");
  const money = costRow?.cells.map((c) => /^\$\s*(\d+(?:\.\d+)?)$/.exec(c)?.[1]);
  let cost: PageUsage["cost"] = null;
  if (money && money.length >= 3 && money.every((m) => m !== undefined)) {
    const [prompt, completion, total] = money.map(Number) as [number, number, number];
    cost = { prompt, completion, total };
  } else {
    problems.push(
      `line ${costRow?.line ?? header + 1}: cost row missing or unreadable (expected three $ amounts); cost left unpriced`,
    );
  }
  return { model, promptTokens, completionTokens, cost };
}

const HTML_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#x27": "'", "#39": "'" };

function htmlText(cell: string): string {
  return cell
    .replace(/<[^>]*>/g, "")
    .replace(/&(amp|lt|gt|quot|#x27|#39);/g, (_, name: string) => HTML_ENTITIES[name]!)
    .trim();
}

/**
 * Later ChatGPT-ArXiv-Paper-Assistant pages print the summary as an HTML table: model, the Tokens
 * row with the three paper counts beside it, then the Cost row; "not reported" when the
 * transport gave no token counts.
 */
function readHtmlSummary(head: string, problems: string[]): Pick<PageFacts, "usage" | "counts"> | null {
  const table = /<table>[\s\S]*?<\/table>/.exec(head);
  if (!table || !/<strong>Tokens<\/strong>/.test(table[0])) return null;
  const cells = [...table[0].matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => htmlText(m[1]!));
  const [model, , t1, t2, , entries, scanned, selected, , c1, c2, c3] = cells;
  const whole = (c: string | undefined) => (c !== undefined && /^\d+$/.test(c) ? Number(c) : null);
  const money = (c: string | undefined) => /^\$\s*(\d+(?:\.\d+)?)$/.exec(c ?? "")?.[1];
  const counts = { entries: whole(entries), scanned: whole(scanned), selected: whole(selected) };
  if (cells.length < 12) {
    problems.push(`line ${lineOf(head, table.index)}: summary table has ${plural(cells.length, "cell")}, expected 12`);
    return { usage: null, counts };
  }
  const promptTokens = whole(t1);
  const completionTokens = whole(t2);
  if (promptTokens === null || completionTokens === null) {
    problems.push(
      `line ${lineOf(head, table.index)}: summary table reports no token counts ("${t1}"); usage left at 0, unpriced`,
    );
  }
  const costs = [c1, c2, c3].map(money);
  const cost = costs.every((c) => c !== undefined)
    ? { prompt: Number(costs[0]), completion: Number(costs[1]), total: Number(costs[2]) }
    : null;
  return {
    usage: { model: model || null, promptTokens: promptTokens ?? 0, completionTokens: completionTokens ?? 0, cost },
    counts,
  };
}

function readCount(text: string, label: string): number | null {
  const m = new RegExp(`^${label}:\\s*(\\d+)\\s*$`, "m").exec(text);
  return m ? Number(m[1]) : null;
}

/** Removes one level of `> ` quoting, line by line, and the blank lines around the text. */
function unquote(lines: string[]): string {
  return lines
    .map((l) => (l.startsWith("> ") ? l.slice(2) : l === ">" ? "" : l))
    .join("\n")
    .replace(/^\s*\n/, "")
    .trimEnd();
}

function readPrompt(text: string): PageFacts["prompt"] {
  const heading = PROMPT_HEADING.exec(text);
  if (!heading) return null;
  const body = text.slice(heading.index + heading[0].length).split("\n");
  const system = body.findIndex((l) => /^##\s+System Prompt\s*$/i.test(l));
  const user = body.findIndex((l) => /^##\s+User Prompt\s*$/i.test(l));
  if (system >= 0 && user > system) {
    return { system: unquote(body.slice(system + 1, user)), user: unquote(body.slice(user + 1)), headed: true };
  }
  return { system: "", user: unquote(body), headed: false };
}

export function parseDigestPage(markdown: string): PageFacts {
  const text = markdown.replace(/\r\n?/g, "\n");
  const problems: string[] = [];
  // The prompt is quoted text that may itself mention counts or tables: read facts above it only.
  const promptAt = PROMPT_HEADING.exec(text)?.index ?? text.length;
  const head = text.slice(0, promptAt);
  const html = readHtmlSummary(head, problems);
  return {
    titleDate: TITLE.exec(head)?.[1] ?? null,
    remedial: readRemedial(head, problems),
    usage: html ? html.usage : readUsage(head.split("\n"), problems),
    counts: html?.counts ?? {
      entries: readCount(head, "Total arXiv papers"),
      scanned: readCount(head, "Total scanned papers"),
      selected: readCount(head, "Total relevant papers"),
    },
    prompt: readPrompt(text),
    problems,
  };
}
