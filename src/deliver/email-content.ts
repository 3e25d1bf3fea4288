/** A day as an email: subject, plain-text part and HTML part with the same content. */

import { authorNamesShort, escapeHtml, plainLine } from "../format/text.js";
import { httpUrl } from "../format/url.js";
import type { DayRecord } from "../model/day-record.js";
import { remedialNote, statusNote } from "../model/status.js";
import { countsSentence, type DigestItem, digestItems, scoreLine } from "./digest.js";

export interface DigestEmail {
  subject: string;
  text: string;
  html: string;
}

export interface DigestEmailOptions {
  /** Papers shown in full. */
  top: number;
  siteUrl?: string;
  /** The day was mailed before with another selection: subject "Updated: …" and a note saying so. */
  update?: boolean;
}

export function composeDigestEmail(day: DayRecord, opts: DigestEmailOptions): DigestEmail {
  const items = digestItems(day);
  const shown = items.slice(0, opts.top);
  const siteUrl = httpUrl(opts.siteUrl);
  const status = statusNote(day);
  const remedial = remedialNote(day);
  const lead = `${countsSentence(day)}${shown.length < items.length ? ` The top ${shown.length}:` : ""}`;
  const more = siteUrl === null ? null : `All ${items.length} papers and the day's details: ${siteUrl}`;
  const update =
    opts.update === true
      ? `Updated: this digest replaces the one sent earlier for ${day.date}; the day was run again and its selection changed.`
      : null;

  const text = [
    `arXiv digest · ${day.date}`,
    "",
    ...[update, status, remedial].flatMap((note) => (note === null ? [] : [note, ""])),
    lead,
    "",
    ...shown.flatMap((item) => [...paperTextLines(item), ""]),
    ...(more === null ? [] : [more]),
  ].join("\n");

  const html = [
    "<!doctype html>",
    `<html><body style="font-family: sans-serif; line-height: 1.4; max-width: 44em">`,
    `<h1 style="font-size: 1.3em">arXiv digest · ${escapeHtml(day.date)}</h1>`,
    update === null ? "" : `<p><em>${escapeHtml(update)}</em></p>`,
    status === null ? "" : `<p><strong>${escapeHtml(status)}</strong></p>`,
    remedial === null ? "" : `<p>${escapeHtml(remedial)}</p>`,
    `<p>${escapeHtml(lead)}</p>`,
    shown.length === 0 ? "" : `<ol>${shown.map(paperHtml).join("\n")}</ol>`,
    siteUrl === null
      ? ""
      : `<p><a href="${escapeHtml(siteUrl)}">All ${items.length} papers and the day's details</a></p>`,
    "</body></html>",
  ]
    .filter((line) => line !== "")
    .join("\n");

  // Header values must stay on one line whatever the status text holds.
  const subject =
    `${opts.update === true ? "Updated: " : ""}arXiv digest ${day.date}: ${status === null ? countsSentence(day).replace(/\.$/, "") : day.status.code}`.replace(
      /\s+/g,
      " ",
    );
  return { subject, text, html };
}

function paperTextLines(item: DigestItem): string[] {
  const { paper } = item;
  // The lines under a title start where its text does ("10. " is one column wider than "9. ").
  const indent = " ".repeat(`${item.n}. `.length);
  const lines = [`${item.n}. ${plainLine(item.title)}`, `${indent}${authorNamesShort(paper.authors)}`];
  if (paper.authorMatch !== null) lines.push(`${indent}★ Followed author: ${paper.authorMatch}`);
  const scores = scoreLine(paper);
  if (scores !== "") lines.push(`${indent}${scores}`);
  if (item.comment !== null) lines.push(`${indent}${plainLine(item.comment)}`);
  lines.push(`${indent}${item.url}`);
  return lines;
}

function paperHtml(item: DigestItem): string {
  const { paper } = item;
  const parts = [
    `<a href="${escapeHtml(item.url)}"><strong>${escapeHtml(plainLine(item.title))}</strong></a>`,
    `<br>${escapeHtml(authorNamesShort(paper.authors))}`,
  ];
  if (paper.authorMatch !== null) parts.push(`<br>★ Followed author: ${escapeHtml(paper.authorMatch)}`);
  const scores = scoreLine(paper);
  if (scores !== "") parts.push(`<br><em>${escapeHtml(scores)}</em>`);
  if (item.comment !== null) parts.push(`<br>${escapeHtml(plainLine(item.comment))}`);
  return `<li value="${item.n}" style="margin-bottom: 0.8em">${parts.join("")}</li>`;
}
