/**
 * A day as an email: subject, List-Id, plain-text part and HTML part with the same content.
 *
 * The HTML part is laid out the way mail clients render reliably: a centred wrapper table (at most
 * 640 px wide, 100% on a phone) carrying the page's colours, since Gmail drops every style on
 * <body>; styles inline on each element; a viewport meta so a phone does not lay it out 980 px wide;
 * system fonts; no scripts and no images. Dark mode: the message declares both colour schemes,
 * and a prefers-color-scheme block (Apple Mail, iOS Mail, Outlook for Mac) swaps the light palette
 * for a dark one; clients that ignore it and invert colours on their own (Gmail's apps, Outlook.com)
 * get a plain light palette, white card and near-black text, that inverts cleanly.
 */

import { cutText } from "../format/shown.js";
import { authorNamesShort, escapeHtml, plainLine, plural, type TopicTitles } from "../format/text.js";
import { httpUrl } from "../format/url.js";
import type { DayRecord } from "../model/day-record.js";
import { readerNote } from "../model/notes.js";
import { hasDigest, remedialNote, STATUS_LABEL } from "../model/status.js";
import {
  COMMENT_MAX_CHARS,
  countsSentence,
  type DaySite,
  type DigestItem,
  dayPageLink,
  digestItems,
  SENT_AGAIN,
} from "./digest.js";

export interface DigestEmail {
  subject: string;
  /** The List-Id header's identifier (RFC 2919), so a reader can filter the digest. */
  listId: string;
  text: string;
  html: string;
}

export interface DigestEmailOptions {
  /** Papers shown in full. */
  top: number;
  /** The site: its host names the List-Id on every day; its page for the day, when it has one, is linked. */
  site?: DaySite;
  /** The day was mailed before with another selection: subject "Updated: …" and a note saying so. */
  update?: boolean;
  /** The recipients had the day already and it is sent again on request: subject and heading say so. */
  again?: boolean;
  /** The config's topic titles: a paper's topic is named by its title. */
  topics?: TopicTitles;
}

/** Why the reader gets the email and how it stops: there is no unsubscribe link, only the config. */
const FOOTER =
  "You get this email because your address is in deliver.email.to of an arxiv-digest workspace; to stop it, take the address out of that list.";

export function composeDigestEmail(day: DayRecord, opts: DigestEmailOptions): DigestEmail {
  const items = digestItems(day, opts.topics);
  const shown = items.slice(0, opts.top);
  const page = dayPageLink(opts.site);
  const status =
    day.status.code === "normal" ? null : { label: STATUS_LABEL[day.status.code], text: day.status.message };
  const remedial = remedialNote(day);
  const notes = [...new Set(day.notes.map(readerNote))];
  const lead = leadSentence(day, items.length, shown.length);
  const link =
    page === null
      ? null
      : {
          url: page,
          text: items.length > 0 ? `All ${items.length} papers and the day's details` : "The day's page",
        };
  const update =
    opts.update === true
      ? `Updated: this digest replaces the one sent earlier for ${day.date}; the day was run again and its selection changed.`
      : null;
  const heading = `arXiv digest · ${day.date}${opts.again === true ? ` ${SENT_AGAIN}` : ""}`;

  const text = [
    heading,
    "",
    ...[
      update,
      status === null ? null : `${status.label}: ${status.text}`,
      remedial,
      ...notes.map((n) => `Note: ${n}`),
      lead,
    ].flatMap((line) => (line === null ? [] : [line, ""])),
    ...shown.flatMap((item) => [...paperTextLines(item), ""]),
    ...(link === null ? [] : [`${link.text}: ${link.url}`, ""]),
    "-- ",
    FOOTER,
  ].join("\n");

  const body = [
    `<h1 style="margin:0 0 16px;font-size:22px;line-height:1.3;font-weight:700">${escapeHtml(heading)}</h1>`,
    update === null ? "" : box("note", `<em>${escapeHtml(update)}</em>`),
    status === null
      ? ""
      : box("status", `<strong>${escapeHtml(status.label)}:</strong> ${escapeHtml(plainLine(status.text))}`),
    remedial === null ? "" : box("note", escapeHtml(remedial)),
    notes.length === 0
      ? ""
      : box("note", notes.map((n) => `<strong>Note:</strong> ${escapeHtml(plainLine(n))}`).join("<br>")),
    lead === null ? "" : `<p style="margin:0 0 16px">${escapeHtml(lead)}</p>`,
    shown.length === 0
      ? ""
      : `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;table-layout:fixed">\n${shown.map(paperHtml).join("\n")}\n</table>`,
    link === null
      ? ""
      : `<p style="margin:8px 0 0;font-size:16px"><a class="ad-link" href="${escapeHtml(link.url)}" style="${LINK_STYLE};font-weight:600">${escapeHtml(link.text)} →</a></p>`,
    `<p class="ad-muted" style="margin:24px 0 0;padding-top:12px;border-top:1px solid ${LIGHT.border};font-size:13px;line-height:1.45;color:${LIGHT.muted}">${escapeHtml(FOOTER)}</p>`,
  ].filter((part) => part !== "");

  const html = emailPage({
    title: heading,
    preheader: plainLine(status === null ? (lead ?? "") : `${status.label}: ${status.text}`),
    body: body.join("\n"),
  });

  // Header values must stay on one line whatever the day's record holds.
  const subject =
    `${opts.update === true ? "Updated: " : ""}${subjectLine(day, items.length, opts.again === true)}`.replace(
      /\s+/g,
      " ",
    );
  return { subject, listId: listIdFor(httpUrl(opts.site?.url)), text, html };
}

/**
 * "arXiv digest 2026-03-25: 183 papers picked from 650 scanned of 700 listed" on a normal day;
 * else the status as the Markdown labels it, with the count when there are papers ("Partial
 * digest, 12 papers picked"); "remedial digest" for a backfilled day; SENT_AGAIN after the date
 * when the day is sent again on request.
 */
function subjectLine(day: DayRecord, papers: number, again: boolean): string {
  const what =
    day.status.code === "normal"
      ? countsSentence(day).replace(/\.$/, "")
      : papers > 0
        ? `${STATUS_LABEL[day.status.code]}, ${plural(papers, "paper")} picked`
        : STATUS_LABEL[day.status.code];
  return `arXiv ${day.kind === "remedial" ? "remedial digest" : "digest"} ${day.date}${again ? ` ${SENT_AGAIN}` : ""}: ${what}`;
}

/**
 * The counts, and how many are shown; null on a day that has no digest (a holiday, a failed run:
 * its status says what happened) or one that scanned nothing, and a plain "none" on a day that
 * scanned papers and kept none.
 */
function leadSentence(day: DayRecord, papers: number, shown: number): string | null {
  if (papers > 0) return `${countsSentence(day)}${shown < papers ? ` The top ${shown}:` : ""}`;
  if (!hasDigest({ statusCode: day.status.code, papers: day.papers })) return null;
  const scanned = day.counts.scanned ?? 0;
  return scanned === 0 ? null : `None of the ${plural(scanned, "paper")} scanned was picked.`;
}

/**
 * RFC 2919's list identifier: `arxiv-digest.` and the host of the site the digest belongs to (the
 * same whether or not the day has a page there, so a failed day's notice is filtered with the
 * digests), else `arxiv-digest.localhost` (the RFC's namespace for a list with no domain of its own).
 */
function listIdFor(site: string | null): string {
  const host = site === null ? "" : new URL(site).hostname.replace(/^\[|\]$/g, "");
  return `arxiv-digest.${/^[a-z0-9-]+(\.[a-z0-9-]+)*$/i.test(host) ? host.toLowerCase() : "localhost"}`;
}

function paperTextLines(item: DigestItem): string[] {
  const { paper } = item;
  // The lines under a title start where its text does ("10. " is one column wider than "9. ").
  const indent = " ".repeat(`${item.n}. `.length);
  const lines = [`${item.n}. ${plainLine(item.title)}`, `${indent}${authorNamesShort(paper.authors)}`];
  if (item.followed !== null) lines.push(`${indent}${item.followed}`);
  if (item.scores !== "") lines.push(`${indent}${item.scores}`);
  if (item.shownComment !== null) lines.push(`${indent}${plainLine(cutText(item.shownComment, COMMENT_MAX_CHARS))}`);
  lines.push(`${indent}${item.url}`);
  return lines;
}

// ---------------------------------------------------------------------------------------------
// The HTML page around the content: palettes, wrapper tables, the dark-mode block.
// ---------------------------------------------------------------------------------------------

const LIGHT = {
  page: "#f3f4f6",
  card: "#ffffff",
  border: "#d8dee4",
  text: "#1f2328",
  muted: "#59636e",
  link: "#0b57d0",
  statusBg: "#fff8c5",
  statusBorder: "#d4a72c",
  noteBg: "#f6f8fa",
} as const;

const DARK = {
  page: "#0d1117",
  card: "#161b22",
  border: "#30363d",
  text: "#e6edf3",
  muted: "#9198a1",
  link: "#6cb6ff",
  statusBg: "#2d2613",
  statusBorder: "#9e6a03",
  noteBg: "#1c2128",
} as const;

const FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";
const LINK_STYLE = `color:${LIGHT.link};text-decoration:none`;

/** The only CSS that cannot be inline: the colour schemes, and the dark palette where the client asks for it. */
const HEAD_STYLE = [
  ":root{color-scheme:light dark;supported-color-schemes:light dark}",
  "@media (prefers-color-scheme: dark){",
  `.ad-page{background-color:${DARK.page}!important}`,
  `.ad-card{background-color:${DARK.card}!important;border-color:${DARK.border}!important}`,
  `.ad-text{color:${DARK.text}!important}`,
  `.ad-muted{color:${DARK.muted}!important;border-color:${DARK.border}!important}`,
  `.ad-link{color:${DARK.link}!important}`,
  `.ad-status{background-color:${DARK.statusBg}!important;border-color:${DARK.statusBorder}!important}`,
  `.ad-note{background-color:${DARK.noteBg}!important;border-color:${DARK.border}!important}`,
  "}",
].join("\n");

function emailPage(page: { title: string; preheader: string; body: string }): string {
  return [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light dark">',
    '<meta name="supported-color-schemes" content="light dark">',
    '<meta name="x-apple-disable-message-reformatting">',
    `<title>${escapeHtml(page.title)}</title>`,
    `<style>\n${HEAD_STYLE}\n</style>`,
    "</head>",
    `<body class="ad-page" style="margin:0;padding:0;background-color:${LIGHT.page};-webkit-text-size-adjust:100%">`,
    // What an inbox list shows under the subject, hidden in the message itself.
    `<div style="display:none;max-height:0;overflow:hidden;mso-hide:all">${escapeHtml(page.preheader)}</div>`,
    `<table role="presentation" class="ad-page" width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;background-color:${LIGHT.page}">`,
    '<tr><td align="center" style="padding:12px 8px">',
    // Outlook for Windows ignores max-width: a fixed-width table holds the card there.
    '<!--[if mso]><table role="presentation" width="640" align="center" cellpadding="0" cellspacing="0" border="0"><tr><td><![endif]-->',
    `<table role="presentation" class="ad-card" width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:640px;background-color:${LIGHT.card};border:1px solid ${LIGHT.border};border-radius:8px;border-collapse:separate">`,
    `<tr><td class="ad-text" style="padding:20px 18px;font-family:${FONT};font-size:16px;line-height:1.5;color:${LIGHT.text};text-align:left;overflow-wrap:anywhere;word-break:break-word">`,
    page.body,
    "</td></tr>",
    "</table>",
    "<!--[if mso]></td></tr></table><![endif]-->",
    "</td></tr>",
    "</table>",
    "</body>",
    "</html>",
  ].join("\n");
}

/** A highlighted paragraph: the status (amber) or a note (grey). A table, since Outlook ignores padding on a div. */
function box(kind: "status" | "note", inner: string): string {
  const [bg, border] = kind === "status" ? [LIGHT.statusBg, LIGHT.statusBorder] : [LIGHT.noteBg, LIGHT.border];
  return [
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;margin:0 0 12px">`,
    `<tr><td class="ad-${kind}" style="padding:10px 12px;background-color:${bg};border-left:4px solid ${border};border-radius:4px;font-size:15px;line-height:1.45">${inner}</td></tr>`,
    "</table>",
  ].join("");
}

function paperHtml(item: DigestItem): string {
  const { paper } = item;
  const muted = `class="ad-muted" style="margin-top:4px;font-size:14px;line-height:1.4;color:${LIGHT.muted}"`;
  const parts = [
    `<a class="ad-link" href="${escapeHtml(item.url)}" style="${LINK_STYLE};font-size:17px;line-height:1.35;font-weight:600">${escapeHtml(plainLine(item.title))}</a>`,
    `<div ${muted}>${escapeHtml(authorNamesShort(paper.authors))}</div>`,
  ];
  if (item.followed !== null)
    parts.push(`<div style="margin-top:4px;font-size:14px;line-height:1.4">${escapeHtml(item.followed)}</div>`);
  if (item.scores !== "") parts.push(`<div ${muted}><em>${escapeHtml(item.scores)}</em></div>`);
  if (item.shownComment !== null)
    parts.push(
      `<div style="margin-top:6px;font-size:15px;line-height:1.45">${escapeHtml(plainLine(cutText(item.shownComment, COMMENT_MAX_CHARS)))}</div>`,
    );
  return [
    "<tr>",
    `<td class="ad-muted" width="30" valign="top" style="width:30px;padding:0 0 20px;font-size:17px;line-height:1.35;color:${LIGHT.muted}">${item.n}.</td>`,
    `<td valign="top" style="padding:0 0 20px">${parts.join("")}</td>`,
    "</tr>",
  ].join("");
}
