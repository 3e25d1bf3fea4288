/**
 * Ctrl-C during a run: the real executable against a local arXiv feed and a local
 * OpenAI-compatible server gets SIGINT in the middle of judging. It says in one sentence what was
 * kept (no day archived; the answers paid for are in the response cache), releases the workspace
 * lock and exits 130; run again, it pays for none of the answers it had.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keptAfterCompleting, keptAfterJudging } from "../../src/cli/common.js";
import { isolatedEnv, runCli } from "../helpers/cli.js";
import { localServicesEnv, startFeedDayServer } from "../helpers/feed-day.js";
import { type ChatBody, type OpenAiServer, startOpenAiServer } from "../helpers/openai-server.js";
import type { TestServer } from "../helpers/server.js";
import { type TempWorkspace, tempWorkspace } from "../helpers/workspace.js";

const INTERRUPT_AT = 6;

let arxiv: TestServer;
let llm: OpenAiServer;
let workspace: TempWorkspace;
let env: Record<string, string>;
let childPid = 0;
let interrupted = false;

beforeAll(async () => {
  arxiv = await startFeedDayServer();
  llm = await startOpenAiServer({
    latencyMs: 40,
    mode: (n) => {
      if (n === INTERRUPT_AT && !interrupted && childPid) {
        interrupted = true;
        process.kill(childPid, "SIGINT");
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
  concurrency: 1
  batchTokens: 4000
  papersPerCall: 6
topics:
  - id: architecture
    title: Model architecture
    description: Mixture-of-experts, transformers and conditional computation.
    include: [mixture of experts, transformer]
`,
  );
  env = isolatedEnv(localServicesEnv(arxiv, llm));
});
afterAll(async () => {
  await arxiv.close();
  await llm.close();
  workspace.cleanup();
});

const key = (b: ChatBody) => JSON.stringify(b.messages);

describe("run, interrupted with Ctrl-C mid-judging", () => {
  it("says what was kept, releases the lock, exits 130, and the next run reuses the answers paid for", async () => {
    const ws = workspace.dir;
    const args = ["run", "--date", "2026-02-05", "--no-deliver", "--workspace", ws];
    const first = await runCli(args, { env, onSpawn: (pid) => (childPid = pid) });
    expect(interrupted).toBe(true);
    expect(first.code, first.stderr).toBe(130);
    expect(first.stderr.trimEnd().split("\n").at(-1)).toBe(keptAfterJudging([]));
    expect(first.stderr).not.toMatch(/--debug|\n\s+at /);
    expect(existsSync(join(ws, ".arxiv-digest.lock"))).toBe(false);
    expect(existsSync(join(ws, "archive", "2026", "02", "2026-02-05.json"))).toBe(false);
    const cached = readdirSync(join(ws, ".cache", "llm")).length;
    expect(cached).toBeGreaterThan(0);

    // The answers the first run had are not paid for again.
    const answered = new Set(llm.chats().slice(0, cached).map(key));
    const before = llm.chats().length;
    const second = await runCli(args, { env });
    expect(second.code, second.stderr).toBe(0);
    expect(
      llm
        .chats()
        .slice(before)
        .filter((b) => answered.has(key(b))),
    ).toEqual([]);
    expect(existsSync(join(ws, "archive", "2026", "02", "2026-02-05.json"))).toBe(true);
  }, 120_000);
});

describe("what an interrupted command says it kept", () => {
  it("names the days archived, a few by date and many by count", () => {
    expect(keptAfterJudging(["2026-02-05"])).toBe(
      "Interrupted after archiving 2026-02-05; the same command run again does the rest, reusing the LLM answers already paid for from the response cache.",
    );
    expect(keptAfterJudging(["2026-02-02", "2026-02-03", "2026-02-04", "2026-02-05"])).toContain(
      "after archiving 4 days (2026-02-02 to 2026-02-05);",
    );
    expect(keptAfterCompleting(["2025-01-23", "2025-02-20"])).toBe(
      "Interrupted after completing 2025-01-23 and 2025-02-20; the same command run again skips them and completes the rest.",
    );
  });
});
