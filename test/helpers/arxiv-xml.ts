/**
 * Builds arXiv RSS 2.0 feeds (docs/arxiv/rss_specifications.md) and export-API Atom pages
 * (docs/arxiv/api-user-manual.md §3.3) around real paper metadata from the reference history
 * (`loadReferencePapers` in reference.ts). The reference JSON records no categories, so each test
 * states the categories it gives a paper.
 */
import { Temporal } from "temporal-polyfill";
import { ARXIV_ZONE } from "../../src/arxiv/calendar.js";
import type { AnnounceType } from "../../src/model/candidate.js";
import type { ReferencePaper } from "./reference.js";
import type { Handler } from "./server.js";

/** What a feed entry shows of a paper: a ReferencePaper (test/helpers/reference.ts) will do. */
export type FeedPaper = Pick<ReferencePaper, "id" | "title" | "abstract" | "authors">;

export interface FeedItem {
  paper: FeedPaper;
  /** Primary first. */
  categories: string[];
  announceType: AnnounceType;
  version?: number;
  /** The `dc:rights` licence URL; CC BY 4.0 by default, `null` leaves the element out. */
  rights?: string | null;
}

function esc(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * The channel pubDate arXiv writes for the feed of `date` (YYYY-MM-DD): midnight US Eastern, with
 * the offset of that night, e.g. "Thu, 05 Feb 2026 00:00:00 -0500" or "Tue, 17 Mar 2026 00:00:00 -0400".
 */
export function arxivPubDate(date: string): string {
  const midnight = Temporal.PlainDate.from(date).toZonedDateTime({ timeZone: ARXIV_ZONE });
  const offset = midnight.offset.replace(":", "");
  const day = String(midnight.day).padStart(2, "0");
  return `${WEEKDAYS[midnight.dayOfWeek - 1]}, ${day} ${MONTHS[midnight.month - 1]} ${midnight.year} 00:00:00 ${offset}`;
}

/** `date` as the feed writes it, e.g. "Thu, 05 Feb 2026 00:00:00 -0500" (see arxivPubDate). */
export function rssFeed(title: string, pubDate: string, items: FeedItem[]): string {
  const body = items
    .map(({ paper, categories, announceType, version = 1, rights = "http://creativecommons.org/licenses/by/4.0/" }) =>
      [
        "<item>",
        `<title>${esc(paper.title)}</title>`,
        `<link>https://arxiv.org/abs/${paper.id}</link>`,
        `<description>arXiv:${paper.id}v${version} Announce Type: ${announceType} \nAbstract: ${esc(paper.abstract)}</description>`,
        `<guid isPermaLink="false">oai:arXiv.org:${paper.id}v${version}</guid>`,
        ...categories.map((c) => `<category>${c}</category>`),
        `<pubDate>${pubDate}</pubDate>`,
        `<arxiv:announce_type>${announceType}</arxiv:announce_type>`,
        ...(rights === null ? [] : [`<dc:rights>${esc(rights)}</dc:rights>`]),
        `<dc:creator>${esc(paper.authors.join(", "))}</dc:creator>`,
        "</item>",
      ].join("\n"),
    )
    .join("\n");
  return `<?xml version='1.0' encoding='UTF-8'?>
<rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" version="2.0">
<channel>
<title>${esc(title)} updates on arXiv.org</title>
<link>http://rss.arxiv.org/rss/${esc(title)}</link>
<description>${esc(title)} updates on the arXiv.org e-print archive.</description>
<atom:link href="https://rss.arxiv.org/rss/${esc(title)}" rel="self" type="application/rss+xml"/>
<docs>http://www.rssboard.org/rss-specification</docs>
<language>en-us</language>
<lastBuildDate>${lastBuildDate(pubDate)}</lastBuildDate>
<managingEditor>rss-help@arxiv.org</managingEditor>
<pubDate>${pubDate}</pubDate>
<skipDays>
<day>Saturday</day>
<day>Sunday</day>
</skipDays>
${body}
</channel>
</rss>
`;
}

/** A few seconds after the feed flipped at midnight Eastern, written in UTC as arXiv does. */
function lastBuildDate(pubDate: string): string {
  return pubDate.replace("00:00:00 -0500", "05:00:11 +0000").replace("00:00:00 -0400", "04:00:11 +0000");
}

export interface ApiEntry {
  paper: FeedPaper;
  categories: string[];
  /** The v1 submission: what the API's `submittedDate` searches. */
  published: string;
  /** The latest version the entry carries (the API always serves the latest); 1 by default. */
  version?: number;
  /** When that version was submitted; `published` by default. */
  updated?: string;
}

/** One page of an export-API answer. */
export function apiPage(entries: ApiEntry[], totalResults: number, startIndex: number): string {
  const body = entries
    .map(({ paper, categories, published, version = 1, updated = published }) =>
      [
        "<entry>",
        `<id>http://arxiv.org/abs/${paper.id}v${version}</id>`,
        `<updated>${updated}</updated>`,
        `<published>${published}</published>`,
        `<title>${esc(paper.title)}</title>`,
        `<summary>${esc(paper.abstract)}</summary>`,
        ...paper.authors.map((a) => `<author><name>${esc(a)}</name></author>`),
        `<link href="http://arxiv.org/abs/${paper.id}v${version}" rel="alternate" type="text/html"/>`,
        `<arxiv:primary_category xmlns:arxiv="http://arxiv.org/schemas/atom" term="${categories[0]}" scheme="http://arxiv.org/schemas/atom"/>`,
        ...categories.map((c) => `<category term="${c}" scheme="http://arxiv.org/schemas/atom"/>`),
        "</entry>",
      ].join("\n"),
    )
    .join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<link href="http://arxiv.org/api/query" rel="self" type="application/atom+xml"/>
<title type="html">ArXiv Query</title>
<id>http://arxiv.org/api/7uF9Qb0u1sJ2bOiRPR0ZRz7kqYk</id>
<updated>2026-02-05T00:00:00-05:00</updated>
<opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">${totalResults}</opensearch:totalResults>
<opensearch:startIndex xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">${startIndex}</opensearch:startIndex>
<opensearch:itemsPerPage xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">${entries.length}</opensearch:itemsPerPage>
${body}
</feed>
`;
}

/** `YYYYMMDDhhmm` as the API's submittedDate query writes it, as an ISO instant. */
const apiStamp = (s: string) =>
  `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(8, 10)}:${s.slice(10, 12)}:00Z`;

/**
 * An export API that answers `submittedDate:[from TO to]` searches from `entries()` (read at each
 * request, so a test may change them), oldest first, paged by `start` and `max_results`.
 */
export function submittedDateApi(entries: () => readonly ApiEntry[]): Handler {
  return (req, res) => {
    const q = new URL(req.url, "http://x").searchParams;
    const m = /submittedDate:\[(\d{12}) TO (\d{12})\]/.exec(q.get("search_query") ?? "");
    const hits = m
      ? entries()
          .filter((e) => e.published >= apiStamp(m[1]!) && e.published <= apiStamp(m[2]!))
          .sort((a, b) => a.published.localeCompare(b.published))
      : [];
    const start = Number(q.get("start") ?? 0);
    const size = Number(q.get("max_results") ?? 10);
    res.writeHead(200, { "content-type": "application/atom+xml" });
    res.end(apiPage(hits.slice(start, start + size), hits.length, start));
  };
}
