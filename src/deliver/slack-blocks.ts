/**
 * A day as Slack Block Kit messages: a summary with the top titles, then the full list spread
 * over as many follow-up messages as Slack's limits need (a thread in bot mode).
 */

import { authorNamesShort, type TopicTitles } from "../format/text.js";
import type { DayRecord } from "../model/day-record.js";
import { readerNote } from "../model/notes.js";
import { remedialNote, STATUS_LABEL, statusNote } from "../model/status.js";
import {
  COMMENT_MAX_CHARS,
  countsSentence,
  type DaySite,
  type DigestItem,
  dayPageLink,
  digestItems,
  SENT_AGAIN,
} from "./digest.js";
import { escapeSlack, fitSlack, slackLink } from "./slack-text.js";

/** Slack's documented limits (block-kit reference), and our own cap on one message's size. */
export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  headerText: 150,
  /** Far below Slack's 40k truncation point, so a message stays readable and fast to post. */
  charsPerMessage: 12_000,
} as const;

interface PlainText {
  type: "plain_text";
  text: string;
}
interface Mrkdwn {
  type: "mrkdwn";
  text: string;
}
export type SlackBlock =
  | { type: "header"; text: PlainText }
  | { type: "section"; text: Mrkdwn }
  | { type: "context"; elements: Mrkdwn[] };

export interface SlackMessage {
  /** Notification and fallback text. */
  text: string;
  blocks: SlackBlock[];
}

export interface SlackDigest {
  summary: SlackMessage;
  /** Every selected paper in digest order; empty on a day with none. */
  list: SlackMessage[];
}

export interface SlackDigestOptions {
  /** Titles shown in the summary. */
  top: number;
  /** The site, and the day's page there that the summary links (none for a missed day). */
  site?: DaySite;
  /** Bot mode puts the list in the summary's thread; webhook mode posts it after the summary. */
  threaded: boolean;
  /** The day was delivered before with another selection: the summary says "updated: N papers". */
  update?: boolean;
  /** The target had the day already and it is sent again on request: the heading says so. */
  again?: boolean;
  /** The config's topic titles: a paper's topic is named by its title. */
  topics?: TopicTitles;
}

export function slackDigest(day: DayRecord, opts: SlackDigestOptions): SlackDigest {
  const items = digestItems(day, opts.topics);
  // A thread or follow-up message's notification names the digest too, not only the range.
  const list = packMessages(
    items.map(paperSection),
    (first, last) => `arXiv digest · ${day.date} · papers ${first}–${last} of ${items.length}`,
  );
  return { summary: summaryMessage(day, items, list.length, opts), list };
}

function summaryMessage(
  day: DayRecord,
  items: DigestItem[],
  listMessages: number,
  opts: SlackDigestOptions,
): SlackMessage {
  const again = opts.again === true ? ` ${SENT_AGAIN}` : "";
  const title = `arXiv digest · ${day.date}${opts.update === true ? " (updated)" : ""}${again}`;
  const updated = `updated: ${items.length} ${items.length === 1 ? "paper" : "papers"}`;
  const blocks: SlackBlock[] = [
    { type: "header", text: { type: "plain_text", text: title.slice(0, SLACK_LIMITS.headerText) } },
  ];
  if (opts.update === true)
    blocks.push(section(`*${updated}*: the digest was run again and its selection changed; this replaces it.`));
  const label = statusLabel(day);
  const status = statusNote(day);
  if (label !== null && status !== null) blocks.push(section(`*${escapeSlack(label)}:* ${fitSlack(status, 2900)}`));
  const remedial = remedialNote(day);
  if (remedial !== null) blocks.push(section(escapeSlack(remedial)));
  const page = dayPageLink(opts.site);
  blocks.push(section(`${countsSentence(day)}${page === null ? "" : ` ${slackLink(page, "Read the day's page")}`}`));
  // The reader's notes (the offline scorer, a budget that stopped calls, unscored papers), small and
  // before the titles whose scores they explain; the operator's notes stay out, as on the site.
  if (day.notes.length > 0) {
    const notes = day.notes.map((n) => `Note: ${readerNote(n)}`).join("\n");
    blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: fitSlack(notes, SLACK_LIMITS.sectionText) }] });
  }

  const topLines = items.slice(0, opts.top).map((item) => {
    const marker = item.paper.authorMatch === null ? "" : " ★";
    const scores = item.scores;
    return `${item.n}. ${slackLink(item.url, item.title, 200)}${marker}${scores === "" ? "" : ` — ${escapeSlack(scores)}`}`;
  });
  // Keep two blocks free for the "more" note and the context line.
  const room = SLACK_LIMITS.blocksPerMessage - blocks.length - 2;
  const topSections = packLines(topLines, SLACK_LIMITS.sectionText);
  blocks.push(...topSections.slice(0, room).map(section));
  const shown = topSections.slice(0, room).reduce((sum, text) => sum + text.split("\n").length, 0);
  if (shown < topLines.length) blocks.push(section(`…and ${topLines.length - shown} more of the top ${opts.top}.`));

  if (listMessages > 0) {
    const where = opts.threaded
      ? "in the thread"
      : `in the next ${listMessages === 1 ? "message" : `${listMessages} messages`}`;
    const all = items.length === 1 ? "The paper" : `All ${items.length} papers`;
    blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: `${all} ${where}.` }] });
  }
  // The notification says what kind of day it is, so a failed or backfilled day never reads as a normal one.
  const kinds = [remedial === null ? null : "Remedial digest", label].filter((k) => k !== null);
  // An update's notification opens with "updated: N papers", so its title does not say "(updated)" again.
  const text = `${[`arXiv digest · ${day.date}${again}`, ...kinds].join(" · ")}: ${escapeSlack(countsSentence(day))}`;
  return { text: opts.update === true ? `${updated} · ${text}` : text, blocks };
}

/** The label the Markdown digest gives a day that is not a normal one ("Run failed"), or null. */
function statusLabel(day: DayRecord): string | null {
  return day.status.code === "normal" ? null : STATUS_LABEL[day.status.code];
}

/** One paper as one section, each part cut so the whole stays under the 3000-character limit. */
function paperSection(item: DigestItem): string {
  const { paper } = item;
  const lines = [
    `*${item.n}. ${slackLink(item.url, item.title, 400)}*`,
    fitSlack(authorNamesShort(paper.authors), 500),
  ];
  if (item.followed !== null) lines.push(fitSlack(item.followed, 220));
  if (item.scores !== "") lines.push(fitSlack(item.scores, 200));
  if (item.shownComment !== null) lines.push(`> ${fitSlack(item.shownComment, COMMENT_MAX_CHARS)}`);
  return lines.join("\n");
}

/** Groups paper sections into messages within the block and size limits. */
function packMessages(sections: string[], label: (first: number, last: number) => string): SlackMessage[] {
  const messages: SlackMessage[] = [];
  let current: string[] = [];
  let chars = 0;
  let first = 1;
  const flush = () => {
    if (current.length === 0) return;
    const last = first + current.length - 1;
    messages.push({ text: label(first, last), blocks: current.map(section) });
    first = last + 1;
    current = [];
    chars = 0;
  };
  for (const text of sections) {
    if (current.length >= SLACK_LIMITS.blocksPerMessage || chars + text.length > SLACK_LIMITS.charsPerMessage) flush();
    current.push(text);
    chars += text.length;
  }
  flush();
  return messages;
}

/** Joins lines into texts of at most `max` characters, never splitting a line. */
export function packLines(lines: string[], max: number): string[] {
  const out: string[] = [];
  for (const line of lines) {
    const last = out.at(-1);
    if (last !== undefined && last.length + 1 + line.length <= max) out[out.length - 1] = `${last}\n${line}`;
    else out.push(line.slice(0, max));
  }
  return out;
}

/** A section block of Slack mrkdwn. */
export function section(text: string): SlackBlock {
  return { type: "section", text: { type: "mrkdwn", text } };
}
