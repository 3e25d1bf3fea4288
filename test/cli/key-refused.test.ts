/**
 * A key the endpoint refuses on a chat call, while its free `GET /models` check passed (a revoked
 * key the list still takes, a key allowed to list models but not to chat): the real executable
 * against a local arXiv feed, a local OpenAI-compatible server, and a local receiver standing for
 * a Slack incoming webhook and a generic webhook.
 *
 * - 401 or 403 on a chat call stops the calls, archives nothing, delivers nothing and exits 2 with
 *   one sentence naming the variable, never the key;
 * - the re-run with a working key is the day's first delivery, once per channel, not an update.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DayRecordSchema } from "../../src/model/day-record.js";
import { isolatedEnv, runCli } from "../helpers/cli.js";
import { feedDayConfig, startFeedDayServer } from "../helpers/feed-day.js";
import { type OpenAiServer, startOpenAiServer } from "../helpers/openai-server.js";
import { startServer, type TestServer } from "../helpers/server.js";
import { type TempWorkspace, tempWorkspace } from "../helpers/workspace.js";

const DATE = "2026-02-05";
const KEY = "sk-test-refused-0123456789abcdef";

let arxiv: TestServer;
let receiver: TestServer;
const workspaces: TempWorkspace[] = [];

const config = (hookUrl: string) =>
  feedDayConfig(`  concurrency: 2\n  papersPerCall: 2\n`, `  webhooks:\n    - url: ${hookUrl}\n  slack: {}\n`);

beforeAll(async () => {
  arxiv = await startFeedDayServer();
  receiver = await startServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/plain" });
    res.end("ok");
  });
}, 60_000);

afterAll(async () => {
  await arxiv.close();
  await receiver.close();
  for (const w of workspaces) w.cleanup();
});

const posts = (path: string) => receiver.requests.filter((r) => r.url === path);

describe.each([
  ["401", "unauthorized", /refused the key in OPENAI_API_KEY \(llm\.apiKeyEnv\) with HTTP 401/],
  ["403", "forbidden", /refused the key in OPENAI_API_KEY \(llm\.apiKeyEnv\) permission to chat with HTTP 403/],
] as const)("a chat call refused with %s after the key check passed", (status, mode, sentence) => {
  let llm: OpenAiServer;
  let ws: string;
  const archived = () => join(ws, "archive", "2026", "02", `${DATE}.json`);
  const slackPath = `/slack-${status}`;
  const hookPath = `/hook-${status}`;
  const env = () =>
    isolatedEnv({
      ARXIV_RSS_URL: `${arxiv.url}/rss`,
      OPENAI_BASE_URL: `${llm.url}/v1`,
      OPENAI_API_KEY: KEY,
      SLACK_WEBHOOK_URL: `${receiver.url}${slackPath}`,
    });

  beforeAll(async () => {
    llm = await startOpenAiServer({ mode, listDespiteRefusal: true });
    const w = tempWorkspace(config(`${receiver.url}${hookPath}`));
    workspaces.push(w);
    ws = w.dir;
  });

  afterAll(async () => {
    await llm.close();
  });

  it("stops with exit 2, archives and delivers nothing; the fixed re-run is the first delivery", async () => {
    const args = ["run", "--date", DATE, "--workspace", ws];
    const refused = await runCli(args, { env: env() });
    expect(refused.code, refused.stderr).toBe(2);
    const lines = refused.stderr.trim().split("\n");
    const last = lines.at(-1)!;
    expect(last).toMatch(/^arxiv-digest: /);
    expect(last).toMatch(sentence);
    expect(last).toContain(`${DATE} was neither archived nor delivered`);
    expect(refused.stderr + refused.stdout).not.toContain(KEY);
    expect(refused.stderr + refused.stdout).not.toContain(KEY.slice(-4));
    // The key check passed; the first refused calls stopped the rest (at most llm.concurrency sent).
    expect(llm.modelListings()).toBe(1);
    expect(llm.chats().length).toBeGreaterThan(0);
    expect(llm.chats().length).toBeLessThanOrEqual(2);
    expect(existsSync(archived())).toBe(false);
    expect(posts(slackPath)).toHaveLength(0);
    expect(posts(hookPath)).toHaveLength(0);

    llm.setMode("correct");
    const fixed = await runCli(args, { env: env() });
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(existsSync(archived())).toBe(true);
    // Once per channel (a Slack digest may take more than one message), and none an update.
    const record = DayRecordSchema.parse(JSON.parse(readFileSync(archived(), "utf8")));
    expect(record.deliveries.map((d) => [d.channel, d.outcome, d.update ?? false])).toEqual([
      ["slack", "sent", false],
      ["webhook", "sent", false],
    ]);
    expect(posts(hookPath)).toHaveLength(1);
    expect(JSON.parse(posts(hookPath)[0]!.body)).toMatchObject({ date: DATE, update: false });
    expect(posts(slackPath).length).toBeGreaterThan(0);
    for (const post of posts(slackPath)) expect(post.body).not.toMatch(/updated/i);
  }, 120_000);
});
