/**
 * On GitHub Actions (`GITHUB_ACTIONS=true`) the real executable writes its warnings and the
 * summary of a run that fails as workflow annotations, and names the workflows where it would
 * suggest a local command; without the variable nothing of it shows. Against a local feed, a
 * local OpenAI-compatible server and a webhook that refuses every post.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { isolatedEnv, runCli, SELF } from "../helpers/cli.js";
import { feedDayConfig, localServicesEnv, startFeedDayServer } from "../helpers/feed-day.js";
import { type OpenAiServer, startOpenAiServer } from "../helpers/openai-server.js";
import { startServer, type TestServer } from "../helpers/server.js";
import { tempWorkspace } from "../helpers/workspace.js";

const DATE = "2026-02-05";
const KEY = "sk-test-ACTIONSSECRET-0123456789";

let arxiv: TestServer;
let llm: OpenAiServer;
let hook: TestServer;

// A budget the first calls spend, so the rest is scored offline (a warning), and a webhook that
// refuses the digest (a failed delivery: exit 1).
const config = (hookUrl: string) =>
  feedDayConfig(`  maxAttempts: 1\n  budgetUsd: 0.0001\n`, `  webhooks:\n    - url: ${hookUrl}/hook\n`);

beforeAll(async () => {
  arxiv = await startFeedDayServer();
  llm = await startOpenAiServer({ mode: "correct" });
  hook = await startServer((_req, res) => {
    res.writeHead(400, { "content-type": "text/plain" });
    res.end("nope");
  });
});

afterAll(async () => {
  await arxiv.close();
  await llm.close();
  await hook.close();
});

async function runDay(extra: Record<string, string>) {
  const { dir: ws, cleanup } = tempWorkspace(config(hook.url));
  onTestFinished(cleanup);
  const env = isolatedEnv({ ...localServicesEnv(arxiv, llm, KEY), ...extra });
  return runCli(["run", "--date", DATE, "--workspace", ws], { env });
}

describe("GitHub Actions annotations", () => {
  it("writes a budget stop as a warning annotation and a failed run's summary as an error one", async () => {
    const r = await runDay({ GITHUB_ACTIONS: "true" });
    expect(r.code, r.stderr).toBe(1);
    const warnings = r.stderr.split("\n").filter((l) => l.startsWith("::warning title=arxiv-digest::"));
    expect(warnings.some((l) => l.includes("budget"))).toBe(true);
    expect(r.stderr).not.toMatch(/^warning: /m);
    // The summary on stdout, as ever, and again as an error annotation on stderr.
    const summary = r.stdout.split("\n")[0]!;
    expect(summary).toMatch(/^2026-02-05: .*1 delivery failed; the next scheduled run retries it by itself/);
    expect(summary).not.toContain("arxiv-digest deliver");
    const errors = r.stderr.split("\n").filter((l) => l.startsWith("::error title=arxiv-digest::"));
    expect(errors).toEqual([`::error title=arxiv-digest::${summary.replaceAll("%", "%25")}`]);
    expect(`${r.stdout}${r.stderr}`).not.toContain(KEY);
  }, 120_000);

  it("changes nothing without GITHUB_ACTIONS", async () => {
    const r = await runDay({});
    expect(r.code, r.stderr).toBe(1);
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/^::/m);
    expect(r.stderr).toMatch(/^warning: .*budget/m);
    expect(r.stdout).toMatch(
      new RegExp(String.raw`1 delivery failed; \`${SELF} deliver 2026-02-05 --workspace .*\` retries it\.`),
    );
  }, 120_000);

  it("writes a refused key's error as an error annotation, the key redacted", async () => {
    const refusing = await startOpenAiServer({ mode: "unauthorized" });
    onTestFinished(() => refusing.close());
    const { dir: ws, cleanup } = tempWorkspace(config(hook.url));
    onTestFinished(cleanup);
    const env = isolatedEnv({ ...localServicesEnv(arxiv, refusing, KEY), GITHUB_ACTIONS: "true" });
    const r = await runCli(["run", "--date", DATE, "--workspace", ws], { env });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^::error title=arxiv-digest::\S/m);
    expect(`${r.stdout}${r.stderr}`).not.toContain(KEY);
  }, 120_000);
});
