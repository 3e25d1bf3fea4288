/**
 * Slack bot mode's update of a digest already in a thread: one reply saying what changed (the
 * papers added and removed, by title) rather than the whole list again, since the thread above
 * already lists every paper that stayed. The new list follows the reply only when the reply
 * cannot stand in for it: more papers added than it names, or no record of what the thread holds.
 */

import { plainTex } from "../format/tex.js";
import { arxivAbsUrl, type TopicTitles } from "../format/text.js";
import type { DayRecord } from "../model/day-record.js";
import { countsSentence, type DaySite, dayPageLink, digestItems } from "./digest.js";
import { packLines, type SlackBlock, type SlackMessage, section } from "./slack-blocks.js";
import { escapeSlack, slackLink } from "./slack-text.js";

/** Papers named per side (added, removed); the rest are counted. */
export const UPDATE_NAMED = 10;

export interface SlackUpdateReply {
  reply: SlackMessage;
  /** Whether the thread also needs the new list (the reply alone would leave papers unnamed). */
  needsList: boolean;
}

/**
 * The reply for an update. `previous` is the ids the thread lists (in order), or undefined when
 * the record does not say (a digest delivered before they were kept).
 */
export function slackUpdateReply(
  day: DayRecord,
  previous: readonly string[] | undefined,
  site?: DaySite,
  topics?: TopicTitles,
): SlackUpdateReply {
  const items = digestItems(day, topics);
  const now = items.map((i) => i.paper.id);
  const noun = (n: number) => `${n} ${n === 1 ? "paper" : "papers"}`;
  const lines: string[] = [];
  let needsList = previous === undefined;
  let change = "";
  if (previous !== undefined) {
    const before = new Set(previous);
    const after = new Set(now);
    const added = items.filter((i) => !before.has(i.paper.id));
    const removed = previous.filter((id) => !after.has(id));
    needsList = added.length > UPDATE_NAMED;
    change = ` (was ${previous.length}: ${added.length} added, ${removed.length} removed)`;
    if (added.length > 0) {
      lines.push(`*Added (${added.length})*`);
      for (const item of added.slice(0, UPDATE_NAMED)) {
        const scores = item.scores;
        lines.push(`• ${slackLink(item.url, item.title, 200)}${scores === "" ? "" : ` — ${escapeSlack(scores)}`}`);
      }
      if (added.length > UPDATE_NAMED) lines.push(`…and ${added.length - UPDATE_NAMED} more, in the new list below.`);
    }
    if (removed.length > 0) {
      lines.push(`*Removed (${removed.length})*`);
      const titles = new Map(day.papers.map((p) => [p.id, p]));
      for (const id of removed.slice(0, UPDATE_NAMED)) {
        const paper = titles.get(id);
        lines.push(
          `• ${paper === undefined ? escapeSlack(id) : slackLink(arxivAbsUrl(id), plainTex(paper.title), 200)}`,
        );
      }
      if (removed.length > UPDATE_NAMED) lines.push(`…and ${removed.length - UPDATE_NAMED} more.`);
    }
    if (added.length === 0 && removed.length === 0) lines.push("The same papers, in a new order.");
  }
  const headline = `Updated: ${noun(items.length)}`;
  const blocks: SlackBlock[] = [
    section(`*${headline}*${change}. The digest was run again and its selection changed.`),
    ...packLines(lines, 2900).map(section),
  ];
  const link = dayPageLink(site);
  const where = needsList
    ? `The new list of ${noun(items.length)} follows in this thread.`
    : "The other papers are as listed above.";
  blocks.push({
    type: "context",
    elements: [
      {
        type: "mrkdwn",
        text: `${escapeSlack(countsSentence(day))} ${where}${link === null ? "" : ` ${slackLink(link, "Read the day's page")}`}`,
      },
    ],
  });
  return { reply: { text: `arXiv digest · ${day.date} · ${headline}${change}`, blocks }, needsList };
}
