/**
 * `arxiv-digest eval` with a key the endpoint refuses, through the real executable against a local
 * OpenAI-compatible server: 401 on the free key check, 401 on a chat call the check let through,
 * and 403 on a chat call (a key allowed to list models but not to chat).
 *
 * - the evaluation stops at the first day that needs a call, exits 2 with one sentence naming the
 *   variable (never the key), and prints no figures from the half replay, text or JSON;
 * - the days replayed before from the response cache stay cached: the fixed re-run sends only what
 *   the refused day needs.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ArchiveStore } from "../../src/archive/store.js";
import type { PaperRecord } from "../../src/model/day-record.js";
import { loadWorkspace } from "../../src/workspace/load.js";
import { isolatedEnv, runCli } from "../helpers/cli.js";
import { makeDay, makePaper } from "../helpers/day-factory.js";
import { type OpenAiServer, type OpenAiServerOptions, startOpenAiServer } from "../helpers/openai-server.js";
import { EVERY_PAPER_JUDGED_YAML, type TempWorkspace, tempWorkspace } from "../helpers/workspace.js";

const KEY = "sk-test-refused-0123456789abcdef";
const CONFIG = `llm:
  provider: openai
  model: gpt-5-mini
  concurrency: 2
  triage:
    enabled: false
${EVERY_PAPER_JUDGED_YAML}`;

const paper = (id: string, title: string, outcome: PaperRecord["outcome"]) =>
  makePaper({ id, title, outcome, authorMatch: null });

const workspaces: TempWorkspace[] = [];
afterAll(() => {
  for (const w of workspaces) w.cleanup();
});

describe.each([
  [
    "401 on the key check",
    { mode: "unauthorized" },
    /refused the key in OPENAI_API_KEY \(llm\.apiKeyEnv\) with HTTP 401/,
    0,
  ],
  [
    "401 on a chat call",
    { mode: "unauthorized", listDespiteRefusal: true },
    /refused the key in OPENAI_API_KEY \(llm\.apiKeyEnv\) with HTTP 401/,
    2,
  ],
  [
    "403 on a chat call",
    { mode: "forbidden", listDespiteRefusal: true },
    /refused the key in OPENAI_API_KEY \(llm\.apiKeyEnv\) permission to chat with HTTP 403/,
    2,
  ],
] as const)("eval with a key refused by %s", (_what, refusal: OpenAiServerOptions, sentence, chats) => {
  let llm: OpenAiServer;
  let ws: string;
  let store: ArchiveStore;
  const env = () => isolatedEnv({ OPENAI_BASE_URL: `${llm.url}/v1`, OPENAI_API_KEY: KEY });
  const cached = () => readdirSync(join(loadWorkspace(ws, {}).cacheDir, "llm")).sort();

  beforeAll(async () => {
    llm = await startOpenAiServer({ mode: "correct" });
    const w = tempWorkspace(CONFIG);
    workspaces.push(w);
    ws = w.dir;
    store = new ArchiveStore(loadWorkspace(ws, {}).archiveDir);
    await store.writeDay(
      makeDay({
        date: "2026-03-02",
        papers: [
          paper("2603.00001", "Mixture of experts routing", "selected"),
          paper("2603.00002", "Transformers for crop yields", "rejected"),
        ],
      }),
    );
  });

  afterAll(async () => {
    await llm.close();
  });

  it("stops with exit 2 and no figures; what was cached stays cached and the fixed re-run sends only the rest", async () => {
    // The first day is evaluated with a working key: its answers are in the response cache.
    const first = await runCli(["eval", "--workspace", ws], { env: env() });
    expect(first.code, first.stderr).toBe(0);
    const firstDayCalls = llm.chats().length;
    expect(firstDayCalls).toBeGreaterThan(0);
    const before = cached();

    // A second day, and the key refused: the first day replays from the cache, the second stops.
    await store.writeDay(
      makeDay({
        date: "2026-03-03",
        papers: [
          paper("2603.10001", "Conditional computation in transformer layers", "selected"),
          paper("2603.10002", "Sparse mixture of experts at scale", "rejected"),
        ],
      }),
    );
    await llm.close();
    llm = await startOpenAiServer(refusal);
    for (const args of [
      ["eval", "--workspace", ws],
      ["eval", "--json", "--workspace", ws],
    ]) {
      const refused = await runCli(args, { env: env() });
      expect(refused.code, refused.stderr).toBe(2);
      const last = refused.stderr.trim().split("\n").at(-1)!;
      expect(last).toMatch(/^arxiv-digest: /);
      expect(last).toMatch(sentence);
      expect(last).toContain("eval stopped at 2026-03-03 and reported no figures");
      // No figure of the half replay: nothing on stdout, no line for the refused day.
      expect(refused.stdout).toBe("");
      expect(refused.stderr).not.toMatch(/^2026-03-03 \(labels/m);
      expect(refused.stderr + refused.stdout).not.toContain(KEY);
      expect(refused.stderr + refused.stdout).not.toContain(KEY.slice(-4));
    }
    // One key check per evaluation (the first day needed none); a key refused there sends no chat,
    // one refused on a chat stops the rest (at most llm.concurrency sent per evaluation).
    expect(llm.modelListings()).toBe(2);
    if (chats === 0) expect(llm.chats()).toHaveLength(0);
    else expect(llm.chats().length).toBeGreaterThan(0);
    expect(llm.chats().length).toBeLessThanOrEqual(2 * chats);
    expect(cached()).toEqual(before);

    llm.setMode("correct");
    const fixed = await runCli(["eval", "--workspace", ws], { env: env() });
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(fixed.stdout).toContain("2 days, judged by gpt-5-mini, replayed without history");
    // With a model, the stages are named by what it read.
    expect(fixed.stdout).toContain("  sent to the LLM:              ");
    expect(fixed.stdout).toContain("  recall, read by the LLM:      ");
    expect(fixed.stdout).toContain("  recall, abstract scored:      ");
    // Only the second day was sent: the first replayed from what the first evaluation cached.
    const sent = llm.chats().filter((c) => c.messages.some((m) => /^2603\.0000\d \| /m.test(m.content)));
    expect(sent).toHaveLength(0);
    expect(cached().length).toBeGreaterThan(before.length);
    for (const f of before) expect(cached()).toContain(f);
  }, 120_000);
});
