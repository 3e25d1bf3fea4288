/**
 * The head of a day's Markdown page: its title, the remedial banner and the status line. For a day
 * without an announcement (a weekend, a holiday) the head is the whole page. It lives apart from
 * day-page.ts, whose papers need the TeX renderer (format/tex-markdown.ts, with the TeX parser and
 * plain-math.ts behind it), so that `dayPageRenderer` writes a weekend's page without loading any of it.
 */

import { shownStatusMessage } from "../arxiv/calendar.js";
import { escapeMarkdown, formatDateUS } from "../format/text.js";
import type { DayRecord } from "../model/day-record.js";
import { noAnnouncement, STATUS_LABEL } from "../model/status.js";

/** Renders a day's page; `holidays` is the workspace's holiday table (see `renderDayMarkdown`). */
export type DayPageRenderer = (day: DayRecord, holidays: ReadonlySet<string>) => string;

/**
 * The page's first blocks: the title, the remedial banner of a remedial day, and the status line of
 * a day that is not normal, as the calendar says it now (`holidays`: the workspace's table).
 */
export function pageHead(day: DayRecord, holidays: ReadonlySet<string>): string[] {
  const blocks: string[] = [`# Daily arXiv digest: ${day.date}`];
  if (day.kind === "remedial" && day.remedial) blocks.push(remedialBanner(day.remedial));
  if (day.status.code !== "normal") {
    const message = shownStatusMessage(day, holidays);
    blocks.push(`> **${STATUS_LABEL[day.status.code]}:** ${escapeMarkdown(message)}`);
  }
  return blocks;
}

/**
 * A weekend's or a holiday's page: the calendar's sentence (when the next announcement comes) is the
 * page; counts of nothing scanned and "no papers picked" would only suggest a day that went wrong.
 */
export const noAnnouncementPage: DayPageRenderer = (day, holidays) => `${pageHead(day, holidays).join("\n\n")}\n`;

/**
 * The renderer of `day`'s page: `noAnnouncementPage` for a weekend or a holiday, else the whole
 * page (`renderDayMarkdown`, markdown/day-page.ts), loaded only then.
 */
export async function dayPageRenderer(day: Pick<DayRecord, "status">): Promise<DayPageRenderer> {
  if (noAnnouncement(day.status.code) !== null) return noAnnouncementPage;
  const { renderDayMarkdown } = await import("./day-page.js");
  return renderDayMarkdown;
}

function remedialBanner(remedial: NonNullable<DayRecord["remedial"]>): string {
  return [
    `> This is a remedial run for missed papers from ${formatDateUS(remedial.from)} to ${formatDateUS(remedial.to)}.`,
    ">",
    `> Results generated on ${formatDateUS(remedial.generatedOn)}.`,
  ].join("\n");
}
