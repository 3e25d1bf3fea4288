/**
 * The daily run survives being killed: the real executable runs against a local arXiv feed and a
 * local OpenAI-compatible server, is SIGKILLed in the middle of scoring, and is run again. The
 * second run must finish a complete, valid record, repeat no call that had completed, and lose or
 * duplicate no paper; a third run must make no request at all.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseArxivFeed } from "../../src/arxiv/feed.js";
import { DayRecordSchema } from "../../src/model/day-record.js";
import { isolatedEnv, runCli } from "../helpers/cli.js";
import { FEED_DAY_XML, localServicesEnv, startFeedDayServer } from "../helpers/feed-day.js";
import { type ChatBody, type OpenAiServer, startOpenAiServer } from "../helpers/openai-server.js";
import type { TestServer } from "../helpers/server.js";
import { type TempWorkspace, tempWorkspace } from "../helpers/workspace.js";

const CONCURRENCY = 2;
const KILL_AT = 8;

let arxiv: TestServer;
let llm: OpenAiServer;
let workspace: TempWorkspace;
let ws: string;
let env: Record<string, string>;
let killedPid: number | null = null;
let childPid = 0;

beforeAll(async () => {
  arxiv = await startFeedDayServer();
  llm = await startOpenAiServer({
    latencyMs: 40,
    mode: (n) => {
      if (n === KILL_AT && killedPid === null && childPid) {
        killedPid = childPid;
        process.kill(childPid, "SIGKILL");
      }
      return "correct";
    },
  });
  workspace = tempWorkspace(
    `arxiv:
  categories: [cs.LG, cs.AI, cs.CL]
  minIntervalSeconds: 0
  contact: tests@example.org
llm:
  provider: openai
  model: gpt-5-mini
  concurrency: ${CONCURRENCY}
  batchTokens: 4000
  # Small calls, so the run is killed with many calls done and many still to make.
  papersPerCall: 6
topics:
  - id: architecture
    title: Model architecture
    description: Mixture-of-experts, transformers and conditional computation.
    include: [mixture of experts, transformer]
`,
  );
  ws = workspace.dir;
  env = isolatedEnv(localServicesEnv(arxiv, llm));
});
afterAll(async () => {
  await arxiv.close();
  await llm.close();
  workspace.cleanup();
});

const key = (b: ChatBody) => JSON.stringify(b.messages);

describe("run, killed mid-scoring, then run again", () => {
  it("finishes with every paper exactly once and repeats no completed paid call", async () => {
    const args = ["run", "--date", "2026-02-05", "--no-deliver", "--workspace", ws];
    const first = await runCli(args, { env, onSpawn: (pid) => (childPid = pid) });
    expect(first.signal).toBe("SIGKILL");
    const firstRun = llm.chats().slice(0, KILL_AT);
    // Calls that had certainly completed when the process died: at most CONCURRENCY were in flight.
    const completed = new Set(firstRun.slice(0, KILL_AT - CONCURRENCY).map(key));

    const before = llm.chats().length;
    const second = await runCli(args, { env });
    expect(second.stderr).not.toMatch(/error/i);
    expect(second.code).toBe(0);
    const secondRun = llm.chats().slice(before);
    expect(secondRun.length).toBeGreaterThan(0);
    expect(secondRun.filter((b) => completed.has(key(b)))).toEqual([]);

    const record = DayRecordSchema.parse(
      JSON.parse(readFileSync(join(ws, "archive", "2026", "02", "2026-02-05.json"), "utf8")),
    );
    const feed = parseArxivFeed(readFileSync(FEED_DAY_XML, "utf8"), "fixture");
    const expected = feed.entries.filter((e) => e.announceType === "new" || e.announceType === "cross");
    expect(record.status.code).toBe("normal");
    expect(record.counts.scanned).toBe(expected.length);
    expect(record.papers.map((p) => p.id).sort()).toEqual(expected.map((e) => e.id).sort());
    expect(record.papers.every((p) => p.outcome !== "unscored")).toBe(true);
    // Usage covers the calls of the day, those answered from the cache included.
    expect(record.usage.total.calls).toBeGreaterThanOrEqual(secondRun.length);
    expect(record.usage.total.cost).not.toBeNull();
    // Every call of the day is itemised: those paid in this run, and those replayed from the cache.
    expect(record.usage.calls).toHaveLength(record.usage.total.calls);
    expect(record.usage.calls.filter((c) => !c.replayed)).toHaveLength(secondRun.length);
    expect(record.usage.calls.filter((c) => c.replayed).length).toBeGreaterThanOrEqual(KILL_AT - CONCURRENCY);

    const third = await runCli(args, { env });
    expect(third.code).toBe(0);
    expect(llm.chats().length).toBe(before + secondRun.length);

    // The re-run's cache note is the operator's: said on the terminal and kept in the record, but
    // the digest opens with the papers, and its cost table says what the day cost, not this run.
    const cacheNote = `${record.usage.calls.length} LLM answers came from the response cache (no charge in this run); new calls made: 0.`;
    // Good news, said as information, not as a warning.
    expect(third.stderr).toContain(cacheNote);
    expect(third.stderr).not.toContain(`warning: ${cacheNote}`);
    expect(third.stdout + third.stderr).toMatch(/0 new calls, \$0 spent/);
    const rerun = DayRecordSchema.parse(
      JSON.parse(readFileSync(join(ws, "archive", "2026", "02", "2026-02-05.json"), "utf8")),
    );
    expect(rerun.operatorNotes).toContain(cacheNote);
    expect(rerun.notes.join(" ")).not.toMatch(/response cache/);
    const markdown = readFileSync(join(ws, "archive", "2026", "02", "2026-02-05.md"), "utf8");
    expect(markdown).not.toMatch(/response cache \(no charge/);
    expect(markdown).not.toMatch(/^> \*\*Note:\*\*/m);
    expect(markdown).toContain(
      `_The cost is what the day's ${record.usage.calls.length} LLM answers cost when first paid for; the latest run reused all ${record.usage.calls.length} from the response cache at no charge._`,
    );
  }, 120_000);
});
