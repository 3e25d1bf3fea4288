/**
 * One announcement day of distinct new-scheme cs.LG papers in a single RSS feed, served at
 * `/rss/cs.LG` by a local arXiv stand-in (anything else answers 404), for the tests that run a day
 * against it and the local OpenAI-compatible server.
 */
import { afterEach } from "vitest";
import { arxivPubDate, rssFeed } from "./arxiv-xml.js";
import { distinctNewSchemePapers, type ReferencePaper } from "./reference.js";
import { startServer, type TestServer } from "./server.js";

export const ONE_FEED_DATE = "2026-02-05";
/** 11:30 UTC on that day: after the announcement, before the next. */
export const ONE_FEED_MORNING = Date.parse(`${ONE_FEED_DATE}T11:30:00Z`);

export interface OneFeedDay {
  papers: ReferencePaper[];
  feed: string;
}

/** `count` distinct papers announced as new in cs.LG on ONE_FEED_DATE. */
export function oneFeedDay(count: number): OneFeedDay {
  const papers = distinctNewSchemePapers(count);
  const feed = rssFeed(
    "cs.LG",
    arxivPubDate(ONE_FEED_DATE),
    papers.map((paper) => ({ paper, categories: ["cs.LG"], announceType: "new" })),
  );
  return { papers, feed };
}

/** The local arXiv serving `feed` at /rss/cs.LG. */
export function serveOneFeed(feed: string): Promise<TestServer> {
  return startServer((req, res) => {
    res.writeHead(req.url === "/rss/cs.LG" ? 200 : 404, { "content-type": "application/rss+xml" });
    res.end(req.url === "/rss/cs.LG" ? feed : "not here");
  });
}

/** The config's `arxiv` section for that feed: no pause, no retry, a short timeout. */
export const ONE_FEED_ARXIV_YAML = `arxiv:
  categories: [cs.LG]
  minIntervalSeconds: 0
  retries: 0
  timeoutSeconds: 5
  contact: tests@example.org
`;

/** A list to push the servers a test starts into: each is closed after the test. */
export function serversClosedAfterEach(): { close(): Promise<void> }[] {
  const servers: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  return servers;
}
