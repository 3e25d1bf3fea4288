/**
 * Small text helpers shared by every renderer (Markdown page, site, Slack, email). They return
 * plain text unless the name says otherwise; each renderer escapes for its own medium.
 */
import type { Author } from "../model/candidate.js";
import type { CallUsage, Learning, Usage } from "../model/day-record.js";
import { commandLine } from "./command.js";

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

/** An ISO instant to the minute in UTC: `2026-03-05T05:10:42.000Z` → `2026-03-05 05:10 UTC`. */
export function utcInstant(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)} UTC`;
}

/**
 * Text that may or may not end a sentence (another module's or a parser's message), ended with a
 * full stop unless it already ends with a sentence's punctuation (`.`, `!`, `?`, `…`, before any
 * closing quote or bracket), so a sentence of ours can follow it.
 */
export function endSentence(text: string): string {
  const trimmed = text.trimEnd();
  return /[.!?…]["'”’)\]]*$/u.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** The sentence on feedback a run's cutoff left for a later run, or null when there was none. */
export function laterSignalsSentence(count: number, cutoff: string): string | null {
  if (count === 0) return null;
  return `${plural(count, "feedback signal")} given after ${utcInstant(cutoff)} ${count === 1 ? "counts" : "count"} from the next run.`;
}

/**
 * Feedback a day could not learn from yet, or null when there is none: papers not archived yet
 * (likely announced after the day) and ids known nowhere, named. `program` starts the command it
 * suggests: the plain name in what a day's page and digest keep (built from the record alone,
 * wherever they are built), `shownSelfCommand()` in a message to the reader at the terminal.
 */
export function unusedFeedbackSentence(
  l: Pick<Learning, "waitingForDay" | "unresolved">,
  program = "arxiv-digest",
): string | null {
  const waiting = l.waitingForDay ?? 0;
  const unresolved = l.unresolved ?? [];
  const parts: string[] = [];
  if (waiting > 0) {
    parts.push(
      `${plural(waiting, "paper")} you liked, saved or disliked ${waiting === 1 ? "waits" : "wait"} for ${waiting === 1 ? "its" : "their"} day to be archived (likely announced later) and ${waiting === 1 ? "counts" : "count"} from then.`,
    );
  }
  if (unresolved.length > 0) {
    const shown = unresolved.length > 3 ? `${unresolved.slice(0, 3).join(", ")} and others` : unresolved.join(", ");
    parts.push(
      `${unresolved.length === 1 ? "Feedback on 1 paper" : `Feedback on ${plural(unresolved.length, "paper")}`} (${shown}) was not used: ${unresolved.length === 1 ? "no archived day lists it, and its title and abstract have" : "no archived day lists them, and their titles and abstracts have"} not been fetched yet; ${commandLine("feedback resolve", undefined, program)} fetches them from arXiv.`,
    );
  }
  return parts.length > 0 ? parts.join(" ") : null;
}

/**
 * What a day learnt from the reader's history, as the reader reads it (the about page, the
 * Markdown digest): "Learned from 63 earlier days: 1,509 picks (1,402 by the imported tool), 9
 * papers you liked or saved, 5 you disliked.", then picks left out, feedback not used yet and the
 * feedback left for the next run, if any.
 */
export function learningSentence(l: Learning): string {
  const picks = l.importedPicks
    ? `${plural(l.picks, "pick")} (${l.importedPicks === l.picks ? "all" : l.importedPicks.toLocaleString("en-US")} by the imported tool)`
    : plural(l.picks, "pick");
  const learnt =
    l.picks + l.likedOrSaved + l.disliked === 0
      ? `There was nothing to learn from yet: no earlier pick${l.days > 0 ? ` in ${plural(l.days, "earlier day")}` : ""} and no paper you liked, saved or disliked${l.waitingForDay || l.unresolved?.length ? " that could be read" : ""}.`
      : l.likedOrSaved + l.disliked === 0
        ? `Learned from ${plural(l.days, "earlier day")}: ${picks}; no paper liked, saved or disliked yet.`
        : `Learned from ${plural(l.days, "earlier day")}: ${picks}, ${plural(l.likedOrSaved, "paper")} you liked or saved, ${l.disliked.toLocaleString("en-US")} you disliked.`;
  const retired = l.retiredTopicPicks
    ? `${plural(l.retiredTopicPicks, "earlier pick")} for topics no longer in the configuration ${l.retiredTopicPicks === 1 ? "was" : "were"} left out.`
    : null;
  return [learnt, retired, unusedFeedbackSentence(l), laterSignalsSentence(l.leftForNextRun, l.cutoff)]
    .filter((x) => x !== null)
    .join(" ");
}

/** Author names, cut after `max` with "et al." so a 300-author paper stays one line. */
export function authorNamesShort(authors: readonly Author[], max = 10): string {
  const names = authors.map((a) => a.name);
  return names.length > max ? `${names.slice(0, max).join(", ")} et al.` : names.join(", ");
}

/**
 * Text from elsewhere (a library's title, a feedback line) as one printable line: control
 * characters (C0, DEL, C1: terminal escapes, carriage returns) become spaces, runs of space one;
 * format characters (bidi overrides such as U+202E, invisible marks, a soft hyphen) are dropped,
 * but for the joiners (U+200C, U+200D) some scripts and emoji are written with.
 */
export function plainLine(text: string): string {
  return text
    .replace(/\p{Cc}/gu, " ")
    .replace(/(?![\u200c\u200d])\p{Cf}/gu, "")
    .replace(/\s+/g, " ")
    .trim();
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text escaped for HTML anywhere, attribute values included (an email's HTML part, a link's href). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/**
 * The config's topic titles by id (`topics[].title`): a record keeps a paper's topic as the id the
 * model answered with, and a reader is shown the title.
 */
export type TopicTitles = ReadonlyMap<string, string>;

/** The topics' titles by id, from the config's list. */
export function topicTitles(topics: readonly { id: string; title: string }[]): TopicTitles {
  return new Map(topics.map((t) => [t.id, t.title]));
}

/**
 * A topic as a reader reads it: its title in the config ("Model architecture"), or the id the
 * record holds when the config no longer has that topic.
 */
export function topicName(id: string, titles: TopicTitles | undefined): string {
  return titles?.get(id) ?? id;
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

/**
 * The HTML rendering of a paper, or null for an old-scheme id (`hep-th/9901001`): arXiv makes
 * HTML only for papers under the new scheme, so such a link would lead nowhere.
 */
export function arxivHtmlUrl(id: string, version?: number | null): string | null {
  if (id.includes("/")) return null;
  return `${ARXIV}/html/${versioned(id, version)}`;
}

/**
 * TeX math spans (`$…$`, `$$…$$`) that can be left verbatim: short, on one line, free of HTML
 * brackets, code ticks and link or image syntax. Anything else that merely starts with a dollar
 * sign is treated as text. A kept `![` would open an image whose `](url)` is the link we wrap
 * the text in (a title inside `[…](https://arxiv.org/abs/…)`), so a span holding one is text too.
 */
export const MATH_SPAN = /(?<!\\)(?:\$\$[^$<>`\n]{1,300}?\$\$|\$(?!\s)[^$<>`\n]{1,300}?(?<![\s\\])\$)/g;
export const LINK_SYNTAX = /\]\s*[([]|!\s*\[/;

/** Characters that start Markdown or HTML syntax anywhere in a line. */
const MARKDOWN_SPECIAL = /[\\`*_[\]<>|#~!&${}]/g;

/** Text escaped for Markdown character by character (escapeMarkdown, and the text of `texMarkdown` in format/tex-markdown.ts). */
export function escapeText(text: string): string {
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

/**
 * Under a day's cost table, when the latest run took answers from the response cache or verdicts
 * from earlier answers (the per-paper store): the table shows what the day's answers cost, which
 * that run did not pay again. Null when every answer was paid for by the run that wrote the record
 * (or none was recorded).
 */
export function costTableNote(usage: {
  calls: readonly Pick<CallUsage, "replayed">[];
  stages: Readonly<Record<string, Pick<Usage, "reused">>>;
}): string | null {
  const { calls } = usage;
  const reused = calls.filter((c) => c.replayed).length;
  const scores = usage.stages.scoring?.reused?.verdicts ?? 0;
  const titles = usage.stages.triage?.reused?.verdicts ?? 0;
  const stored = storedVerdictsText(scores, titles);
  if (stored === null) {
    if (reused === 0) return null;
    const answers = plural(calls.length, "LLM answer");
    return reused === calls.length
      ? `The cost is what the day's ${answers} cost when first paid for; the latest run reused ${calls.length === 1 ? "it" : calls.length === 2 ? "both" : `all ${calls.length}`} from the response cache at no charge.`
      : `The cost is what the day's ${answers} cost; the latest run reused ${reused.toLocaleString("en-US")} of them from the response cache at no charge and paid for ${(calls.length - reused).toLocaleString("en-US")}.`;
  }
  const paid = calls.length - reused;
  const whence = [stored, ...(reused > 0 ? [`${plural(reused, "LLM answer")} came from the response cache`] : [])];
  const estimated = Object.values(usage.stages).reduce((sum, u) => sum + (u.reused?.estimated ?? 0), 0);
  const estimate =
    estimated === 0
      ? ""
      : ` ${estimated === 1 ? "One reused verdict is" : `${plural(estimated, "reused verdict")} are`} counted at an estimate from the prompt's size.`;
  return `The cost is what the day's answers cost when paid for, whichever run paid: ${whence.join(" and ")}, at no charge in the latest run${paid > 0 ? `, which paid for ${plural(paid, "new call")}` : ""}.${estimate}`;
}

/**
 * "40 papers kept their scores and 120 titles their triage verdicts from an earlier answer": the
 * verdicts a run took from the per-paper store (llm/answers.ts), as `run`'s note on reuse and
 * `eval`'s note say it; null when it took none.
 */
export function storedVerdictsText(scores: number, titles: number): string | null {
  const parts = [
    ...(scores > 0 ? [`${plural(scores, "paper")} kept ${scores === 1 ? "its score" : "their scores"}`] : []),
    ...(titles > 0
      ? [
          `${plural(titles, "title")}${scores > 0 ? "" : " kept"} ${titles === 1 ? "its triage verdict" : "their triage verdicts"}`,
        ]
      : []),
  ];
  return parts.length > 0 ? `${parts.join(" and ")} from an earlier answer` : null;
}
