/**
 * The real 2026-02-05 announcement (365 entries, 247 to scan) served as arXiv's RSS serves it, at
 * `<url>/rss/cs.LG+cs.AI+cs.CL`: the day the run, crash, interrupt and install tests and the
 * daily-run bench read. Point ARXIV_RSS_URL at `<url>/rss`.
 */
import { readFileSync } from "node:fs";
import { startServer, type TestServer } from "./server.js";

/** The feed file itself, for a test that reads what the server serves. */
export const FEED_DAY_XML = new URL("../fixtures/feeds/2026-02-05/cs.LG+cs.AI+cs.CL.xml", import.meta.url);

export async function startFeedDayServer(): Promise<TestServer> {
  const xml = readFileSync(FEED_DAY_XML);
  return startServer((req, res) => {
    const found = req.url === "/rss/cs.LG+cs.AI+cs.CL";
    res.writeHead(found ? 200 : 404, { "content-type": "application/rss+xml" });
    res.end(found ? xml : "not found");
  });
}

/** The variables that point a run at a local feed server and a local OpenAI-compatible one, with a test key. */
export function localServicesEnv(feed: { url: string }, llm: { url: string }, key = "sk-test"): Record<string, string> {
  return { ARXIV_RSS_URL: `${feed.url}/rss`, OPENAI_BASE_URL: `${llm.url}/v1`, OPENAI_API_KEY: key };
}
