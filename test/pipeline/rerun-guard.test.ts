/**
 * A re-run never makes a finished day worse by accident: a day whose papers the LLM all judged,
 * run again against the local OpenAI-compatible server with a budget that stops the LLM, with an
 * LLM that fails, or without the key, keeps its archived record and page byte for byte and
 * delivers nothing; the offline scorer the config asks for still replaces it.
 */
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { ArchiveStore } from "../../src/archive/store.js";
import type { DayRecord } from "../../src/model/day-record.js";
import { silentLogger } from "../../src/pipeline/context.js";
import { papersWithoutLlm } from "../../src/pipeline/record.js";
import { runDay } from "../../src/pipeline/run.js";
import { loadWorkspace, type Workspace } from "../../src/workspace/load.js";
import { fakeClock } from "../helpers/fake-clock.js";
import {
  ONE_FEED_ARXIV_YAML,
  ONE_FEED_DATE,
  ONE_FEED_MORNING,
  oneFeedDay,
  serveOneFeed,
  serversClosedAfterEach,
} from "../helpers/one-feed-day.js";
import { type OpenAiServer, startOpenAiServer } from "../helpers/openai-server.js";
import { startServer, type TestServer } from "../helpers/server.js";
import { EVERY_PAPER_JUDGED_YAML, tempWorkspace } from "../helpers/workspace.js";

const DATE = ONE_FEED_DATE;
const MORNING = ONE_FEED_MORNING;
const { papers: PAPERS, feed: FEED } = oneFeedDay(12);
/** Two papers a call, one call at a time: a budget stops the LLM part way through the day. */
const PER_CALL = 2;
/**
 * Prices and caps that make the budget's arithmetic plain: a call holds its worst case, the
 * 1,000-token answer cap at $1 a million tokens ($0.001), and costs $0.0004 (400 completion
 * tokens, the prompt free). A $0.002 budget sends three calls: a fourth's worst case no longer
 * fits beside the $0.0012 spent.
 */
const USAGE = { prompt: 100, completion: 400, cached: 0 };
const BUDGET_CALLS = 3;

const servers = serversClosedAfterEach();

interface Setup {
  llm: OpenAiServer;
  /** Bodies the webhook received: one per delivery. */
  delivered: unknown[];
  /** The workspace as loaded with the key, or with another environment. */
  workspace(env?: { key?: boolean }): Workspace;
  run(ws: Workspace): ReturnType<typeof runDay>;
  /** The day's archived JSON and Markdown, as bytes on disk. */
  files(): Buffer[];
  archived(): Promise<DayRecord>;
  /** Forgets the answers the first run paid for, as a fresh checkout without the cache would. */
  dropCache(): void;
}

async function setup(): Promise<Setup> {
  const arxiv: TestServer = await serveOneFeed(FEED);
  const delivered: unknown[] = [];
  const hook = await startServer((req, res) => {
    delivered.push(JSON.parse(req.body));
    res.writeHead(200);
    res.end("ok");
  });
  const llm = await startOpenAiServer({ usage: USAGE });
  servers.push(arxiv, hook, llm);
  const { dir, cleanup } = tempWorkspace(`${ONE_FEED_ARXIV_YAML}llm:
  provider: auto
  model: gpt-5-mini
  papersPerCall: ${PER_CALL}
  concurrency: 1
  maxAttempts: 1
  options:
    maxTokens: 1000
  prices:
    gpt-5-mini: { input: 0, cachedInput: 0, output: 1 }
  triage:
    enabled: false
${EVERY_PAPER_JUDGED_YAML}deliver:
  webhooks:
    - url: ${hook.url}/hook
`);
  onTestFinished(cleanup);
  const workspace = (env: { key?: boolean } = {}) =>
    loadWorkspace(dir, {
      ARXIV_RSS_URL: `${arxiv.url}/rss`,
      OPENAI_BASE_URL: `${llm.url}/v1`,
      ...(env.key === false ? {} : { OPENAI_API_KEY: "sk-test" }),
    });
  const ws = workspace();
  const store = new ArchiveStore(ws.archiveDir);
  return {
    llm,
    delivered,
    workspace,
    run: (w) => runDay({ workspace: w, clock: fakeClock(MORNING), log: silentLogger }, { deliver: true }),
    files: () => ["json", "md"].map((ext) => readFileSync(join(ws.archiveDir, "2026", "02", `${DATE}.${ext}`))),
    archived: () => store.readDay(DATE),
    dropCache: () => rmSync(ws.cacheDir, { recursive: true, force: true }),
  };
}

const withLlm = (ws: Workspace, llm: Partial<Workspace["config"]["llm"]>): Workspace => ({
  ...ws,
  config: { ...ws.config, llm: { ...ws.config.llm, ...llm } },
});

/** A first run in which the LLM scored every paper, delivered once. */
async function judgedDay(s: Setup): Promise<Buffer[]> {
  const first = await s.run(s.workspace());
  expect(first.outcome).toBe("complete");
  expect(first.record.papers.every((p) => p.scoredBy === "llm")).toBe(true);
  expect(papersWithoutLlm(first.record)).toBe(0);
  expect(s.llm.chats()).toHaveLength(PAPERS.length / PER_CALL);
  expect(s.delivered).toHaveLength(1);
  return s.files();
}

describe("a re-run of a day the LLM judged", () => {
  it("keeps the day when its budget stops the LLM, and the answers it paid for serve the next run", async () => {
    const s = await setup();
    const before = await judgedDay(s);
    s.dropCache();
    const firstCalls = s.llm.chats().length;

    const again = await s.run(withLlm(s.workspace(), { budgetUsd: 0.002 }));
    const paid = s.llm.chats().length - firstCalls;
    expect(paid).toBe(BUDGET_CALLS);
    const scored = paid * PER_CALL;
    expect(again.outcome).toBe("incomplete");
    expect(again.files).toEqual([]);
    expect(again.summary).toBe(
      `${DATE}: kept the complete digest already archived (${again.record.counts.selected} picked of 12 scanned) and wrote and delivered nothing, because this run's budget (llm.budgetUsd, $0.002) stopped the LLM after ${scored} of 12 abstracts, so ${12 - scored} papers were scored offline (the archived day has the LLM's judgement of all of them); raise llm.budgetUsd and run again (answers already paid for are cached).`,
    );
    expect(s.files()).toEqual(before);
    expect(s.delivered).toHaveLength(1);

    // The answers the stopped run paid for are in the cache: the next run pays only for the rest.
    const third = await s.run(s.workspace());
    expect(s.llm.chats().length - firstCalls - paid).toBe(PAPERS.length / PER_CALL - paid);
    expect(third.outcome).toBe("complete");
    expect(papersWithoutLlm(await s.archived())).toBe(0);
  });

  it("keeps the day when the LLM fails, or when the key is missing and provider auto scores offline", async () => {
    const s = await setup();
    const before = await judgedDay(s);
    s.dropCache();

    s.llm.setMode("insufficient-quota");
    const failed = await s.run(s.workspace());
    expect(failed.outcome).toBe("incomplete");
    expect(failed.summary).toMatch(
      /kept the complete digest already archived .* because this run did not finish the day \(12 of 12 papers could not be scored\); run again once that is fixed/,
    );
    expect(s.files()).toEqual(before);

    const calls = s.llm.chats().length;
    const keyless = await s.run(s.workspace({ key: false }));
    expect(s.llm.chats()).toHaveLength(calls);
    expect(keyless.outcome).toBe("incomplete");
    expect(keyless.summary).toMatch(
      /because this run had no API key \(OPENAI_API_KEY is empty\) and scored 12 papers offline \(the archived day has the LLM's judgement of all of them\); set OPENAI_API_KEY and run again, or set llm\.provider to "offline"/,
    );
    expect(s.files()).toEqual(before);
    expect(s.delivered).toHaveLength(1);
  });

  it("replaces the day when the config asks for the offline scorer: a choice, not an accident", async () => {
    const s = await setup();
    const before = await judgedDay(s);
    const calls = s.llm.chats().length;
    const chosen = await s.run(withLlm(s.workspace(), { provider: "offline" }));
    expect(s.llm.chats()).toHaveLength(calls);
    expect(chosen.outcome).toBe("complete");
    expect(chosen.files).toHaveLength(2);
    expect(s.files()).not.toEqual(before);
    const day = await s.archived();
    expect(day.selectionSettings?.model).toBeNull();
    expect(papersWithoutLlm(day)).toBe(PAPERS.length);
  });
});
