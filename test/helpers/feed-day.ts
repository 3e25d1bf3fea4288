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

/**
 * A workspace's arxiv-digest.yaml for a run of the fixture's day against local servers: its
 * categories with no pause between requests, the LLM (provider openai, gpt-5-mini) with the `llm`
 * lines added, one topic, and the `deliver` lines (each string whole lines, indented as under its key).
 */
export function feedDayConfig(llm: string, deliver: string): string {
  return `arxiv:
  categories: [cs.LG, cs.AI, cs.CL]
  minIntervalSeconds: 0
  retries: 0
  contact: tests@example.org
llm:
  provider: openai
  model: gpt-5-mini
${llm}topics:
  - id: architecture
    title: Model architecture
    description: Mixture-of-experts, transformers and conditional computation.
    include: [mixture of experts, transformer]
deliver:
${deliver}`;
}
