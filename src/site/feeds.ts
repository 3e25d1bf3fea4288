/**
 * Atom and JSON Feed 1.1 of the selected papers of the latest days, an Atom feed per topic (for a
 * reader who follows one line of work), and the sitemap. Feed text is plain text: a feed reader
 * cannot typeset TeX, so titles, abstracts and the model's comments come as `plainTex` gives them (`$D^3$` → D³, markup
 * reduced to its words), escaped for XML here and by JSON.stringify.
 */
import { plainTex } from "../format/tex.js";
import type { DaySummary, SummaryPaper } from "./day-summary.js";
import { dayPath, FEEDS_PATH, paperAnchor, type SiteUrls } from "./urls.js";

/** How many of the latest days the feeds carry. */
export const FEED_DAYS = 7;

export interface FeedInput {
  urls: SiteUrls;
  siteTitle: string;
  /** The latest days, newest first. */
  days: DaySummary[];
  /** Site-relative path of the feed itself; the all-papers feed when omitted. */
  path?: string;
}

const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const XML_ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

/** Text for XML content or attributes; characters XML 1.0 forbids are dropped. */
function escapeXml(text: string): string {
  return text.replace(XML_INVALID, "").replace(/[&<>"']/g, (c) => XML_ENTITIES[c]!);
}

function timestamp(day: DaySummary): string {
  const t = Date.parse(day.generatedAt);
  return new Date(Number.isNaN(t) ? Date.parse(`${day.date}T00:00:00Z`) : t).toISOString();
}

interface FeedItem {
  day: DaySummary;
  paper: SummaryPaper;
  permalink: string;
  updated: string;
}

function feedItems({ urls, days }: FeedInput): FeedItem[] {
  return days.flatMap((day) =>
    day.papers.map((paper) => ({
      day,
      paper: {
        ...paper,
        title: plainTex(paper.title),
        abstract: plainTex(paper.abstract),
        comment: paper.comment === null ? null : plainTex(paper.comment),
      },
      permalink: `${urls.absolute(dayPath(day.date))}#${paperAnchor(paper.id)}`,
      updated: timestamp(day),
    })),
  );
}

function itemSummary(paper: SummaryPaper): string {
  return paper.comment ? `${paper.comment}\n\n${paper.abstract}` : paper.abstract;
}

export function atomFeed(input: FeedInput): string {
  const { urls, siteTitle, days, path = "feed.xml" } = input;
  const updated = days[0] ? timestamp(days[0]) : new Date(0).toISOString();
  const entries = feedItems(input).map(
    ({ paper, permalink, updated: at, day }) => `  <entry>
    <id>${escapeXml(permalink)}</id>
    <title type="text">${escapeXml(paper.title)}</title>
    <link rel="alternate" type="text/html" href="${escapeXml(permalink)}"/>
    <updated>${at}</updated>
${paper.authors.map((a) => `    <author><name>${escapeXml(a)}</name></author>`).join("\n")}
${paper.topic ? `    <category term="${escapeXml(paper.topic)}"/>\n` : ""}    <summary type="text">${escapeXml(itemSummary(paper))}</summary>
    <content type="text">Picked on ${day.date}. ${escapeXml(paper.abstract)}</content>
  </entry>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${escapeXml(urls.baseUrl)}</id>
  <title type="text">${escapeXml(siteTitle)}</title>
  <updated>${updated}</updated>
  <link rel="self" type="application/atom+xml" href="${escapeXml(urls.absolute(path))}"/>
  <link rel="alternate" type="text/html" href="${escapeXml(urls.baseUrl)}"/>
  <author><name>${escapeXml(siteTitle)}</name></author>
${entries.join("\n")}
</feed>
`;
}

export function jsonFeed(input: FeedInput): string {
  const { urls, siteTitle } = input;
  return `${JSON.stringify(
    {
      version: "https://jsonfeed.org/version/1.1",
      title: siteTitle,
      home_page_url: urls.baseUrl,
      feed_url: urls.absolute("feed.json"),
      description: `Picked arXiv papers of the latest ${FEED_DAYS} announcement days.`,
      language: "en",
      items: feedItems(input).map(({ paper, permalink, updated }) => ({
        id: permalink,
        url: permalink,
        title: paper.title,
        content_text: itemSummary(paper),
        date_published: updated,
        authors: paper.authors.map((name) => ({ name })),
        tags: paper.topic ? [paper.topic] : [],
      })),
    },
    null,
    2,
  )}\n`;
}

export function sitemap(urls: SiteUrls, paths: readonly string[]): string {
  const entries = paths.map((p) => `  <url><loc>${escapeXml(urls.absolute(p))}</loc></url>`);
  return `<?xml version="1.0" encoding="utf-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${entries.join("\n")}
</urlset>
`;
}

/**
 * Where a topic's feed lives: "feeds/<slug>.xml", beside the Feeds page (feeds/index.html, which
 * no .xml name can be); the slug keeps the path to safe characters.
 */
export function topicFeedPath(topic: string): string {
  const slug = topic
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
  return `${FEEDS_PATH}${slug || "topic"}.xml`;
}

export interface TopicFeed {
  topic: string;
  file: string;
  xml: string;
  /** How many papers the feed carries (the topic's picks of the latest FEED_DAYS days). */
  papers: number;
}

/** One Atom feed per topic seen in the feed window, each holding only that topic's papers. */
export function topicFeeds(input: FeedInput): TopicFeed[] {
  const topics = new Set(input.days.flatMap((d) => d.papers.flatMap((p) => (p.topic ? [p.topic] : []))));
  const byPath = new Map<string, string>();
  for (const topic of [...topics].sort()) {
    // Two topics that slug alike ("LLM agents", "llm-agents") share one feed, named after the first.
    if (!byPath.has(topicFeedPath(topic))) byPath.set(topicFeedPath(topic), topic);
  }
  return [...byPath].map(([file, topic]) => {
    const days = input.days.map((d) => ({
      ...d,
      papers: d.papers.filter((p) => p.topic !== null && topicFeedPath(p.topic) === file),
    }));
    return {
      topic,
      file,
      xml: atomFeed({ ...input, path: file, siteTitle: `${input.siteTitle}: ${topic}`, days }),
      papers: days.reduce((n, d) => n + d.papers.length, 0),
    };
  });
}
