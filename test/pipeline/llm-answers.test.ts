/**
 * A day through `runDay` against a local arXiv feed and the local OpenAI-compatible server, with
 * answers as real servers give them: a reasoning model's thinking (a draft answer inside it) before
 * the answer, ids written as PDF links or as JSON numbers, scores outside the scale the prompt asks for. Each paper
 * must end as the answer itself says, and a re-run that replays the cached answers the same way.
 */
import { describe, expect, it, onTestFinished } from "vitest";
import { silentLogger } from "../../src/pipeline/context.js";
import { runDay } from "../../src/pipeline/run.js";
import { loadWorkspace } from "../../src/workspace/load.js";
import { fakeClock } from "../helpers/fake-clock.js";
import { localServicesEnv } from "../helpers/feed-day.js";
import {
  ONE_FEED_ARXIV_YAML,
  ONE_FEED_MORNING,
  oneFeedDay,
  serveOneFeed,
  serversClosedAfterEach,
} from "../helpers/one-feed-day.js";
import {
  hashVerdict,
  idsIn,
  type OpenAiServer,
  type OpenAiServerOptions,
  startOpenAiServer,
  titleIndex,
} from "../helpers/openai-server.js";
import type { TestServer } from "../helpers/server.js";
import { EVERY_PAPER_JUDGED_YAML, tempWorkspace } from "../helpers/workspace.js";

const MORNING = ONE_FEED_MORNING;
const { papers: PAPERS, feed: FEED } = oneFeedDay(12);

const servers = serversClosedAfterEach();

async function servePair(options: OpenAiServerOptions): Promise<{ arxiv: TestServer; llm: OpenAiServer }> {
  const arxiv = await serveOneFeed(FEED);
  const idOf = titleIndex(PAPERS);
  const llm = await startOpenAiServer({ idOfTitle: (title) => idOf.get(title), ...options });
  servers.push(arxiv, llm);
  return { arxiv, llm };
}

/** A day run against the two servers; the workspace (and its answer cache) lives until the test ends. */
function dayRunner(arxiv: TestServer, llm: OpenAiServer, triage: boolean) {
  const { dir, cleanup } = tempWorkspace(`${ONE_FEED_ARXIV_YAML}llm:
  provider: openai
  model: gpt-5-mini
  maxAttempts: 3
  triage:
    enabled: ${triage}
    model: gpt-5-nano
${EVERY_PAPER_JUDGED_YAML}`);
  onTestFinished(cleanup);
  const env = localServicesEnv(arxiv, llm);
  return async () => {
    const ctx = { workspace: loadWorkspace(dir, env), clock: fakeClock(MORNING), log: silentLogger };
    return (await runDay(ctx, { deliver: false })).record;
  };
}

describe("runDay with answers as real servers write them", () => {
  it("reads a reasoning model's answer after its thinking, not the draft inside it, and replays it so", async () => {
    const { arxiv, llm } = await servePair({ mode: "think" });
    const run = dayRunner(arxiv, llm, true);
    const first = await run();
    // The draft inside the thinking lists no title and scores every paper 1: neither may count.
    for (const p of first.papers) {
      if (hashVerdict(p.id).keep) {
        expect(p).toMatchObject({ outcome: "selected", scoredBy: "llm", relevance: hashVerdict(p.id).relevance });
      } else {
        expect(p).toMatchObject({ outcome: "triaged-out", reason: "the title triage judged it outside every topic" });
      }
    }
    expect(first.papers.filter((p) => p.outcome === "selected").length).toBeGreaterThan(0);
    expect(first.notes.join(" ")).not.toMatch(/triage|could not be scored/i);

    const calls = llm.chats().length;
    const again = await run();
    expect(llm.chats()).toHaveLength(calls);
    expect(again.papers.map((p) => [p.id, p.outcome, p.relevance])).toEqual(
      first.papers.map((p) => [p.id, p.outcome, p.relevance]),
    );
  });

  it("asks again about a reasoning model's reply that is only thinking", async () => {
    const { arxiv, llm } = await servePair({ mode: (n) => (n === 0 ? "think-unclosed" : "correct") });
    const record = await dayRunner(arxiv, llm, false)();
    expect(llm.chats().map((c) => idsIn(c).length)).toEqual([PAPERS.length, PAPERS.length / 2, PAPERS.length / 2]);
    expect(record.papers.every((p) => p.outcome !== "unscored")).toBe(true);
    for (const p of record.papers) expect(p.relevance).toBe(hashVerdict(p.id).relevance);
  });

  it("asks the title triage again, within the run, when its reply was only thinking", async () => {
    const { arxiv, llm } = await servePair({ mode: (n) => (n === 0 ? "think-unclosed" : "correct") });
    const record = await dayRunner(arxiv, llm, true)();
    const triage = llm.chats().filter((c) => /^## Titles$/m.test(c.messages.at(-1)?.content ?? ""));
    // The first triage reply gave no verdict; the same titles were asked again and decided.
    expect(triage).toHaveLength(2);
    expect(record.papers.some((p) => /undecided/.test(p.reason ?? ""))).toBe(false);
    expect(record.operatorNotes ?? []).not.toContainEqual(expect.stringMatching(/no usable verdict/));
  });

  it("scores papers whose ids the answer wrote as versioned PDF links", async () => {
    const { arxiv, llm } = await servePair({ mode: "pdf-ids" });
    const record = await dayRunner(arxiv, llm, false)();
    expect(llm.chats()).toHaveLength(1);
    for (const p of record.papers) {
      expect(p).toMatchObject({ scoredBy: "llm", relevance: hashVerdict(p.id).relevance });
    }
  });

  it("scores papers whose ids the answer wrote as JSON numbers, trailing zeros too, in one request", async () => {
    // Ids such as 2505.10860 would read as 2505.1086 if parsed as numbers and be asked again.
    expect(PAPERS.filter((p) => p.id.endsWith("0")).length).toBeGreaterThan(0);
    const { arxiv, llm } = await servePair({ mode: "numeric-ids" });
    const record = await dayRunner(arxiv, llm, false)();
    expect(llm.chats()).toHaveLength(1);
    expect(idsIn(llm.chats()[0]!)).toHaveLength(PAPERS.length);
    for (const p of record.papers) {
      expect(p).toMatchObject({ scoredBy: "llm", relevance: hashVerdict(p.id).relevance });
    }
    expect(record.notes.join(" ")).not.toMatch(/not one of the papers|could not be scored/);
  });

  it("never turns a score outside 1-10 into a pick: the paper is asked again, then left unscored with why", async () => {
    const { arxiv, llm } = await servePair({ mode: "out-of-range" });
    const record = await dayRunner(arxiv, llm, false)();
    expect(record.papers.every((p) => p.outcome === "unscored" && p.relevance === null)).toBe(true);
    expect(record.notes.join(" ")).toContain("relevance 14 is outside 1-10; novelty 0 is outside 1-10");
  });
});
