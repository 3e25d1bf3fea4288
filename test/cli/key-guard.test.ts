/**
 * Environment mistakes stop early, and a re-run never makes a day worse: the real executable
 * against a local arXiv feed, a local OpenAI-compatible server and a local webhook.
 *
 * - provider "openai" without its key: run, backfill and eval stop with exit 2 before any request,
 *   naming the variable; doctor exits 2 on it.
 * - a key holding a character no HTTP header carries (the README's "…" pasted as is): exit 2
 *   naming the variable, the position and the kind of character, never the key.
 * - a placeholder left as the key (`<your key>`) stops only a command about to send it off this
 *   machine; a dummy for a local server (`xxx`), or a proxy's own key of any text, stops nothing;
 *   a value from `.env` never reaches stderr, whatever fails.
 * - a re-run of a complete, delivered day whose every LLM call fails keeps the archived record
 *   byte for byte, delivers nothing and exits 1.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DayRecordSchema } from "../../src/model/day-record.js";
import { isolatedEnv, runCli } from "../helpers/cli.js";
import { feedDayConfig, startFeedDayServer } from "../helpers/feed-day.js";
import { type OpenAiServer, startOpenAiServer } from "../helpers/openai-server.js";
import { startServer, type TestServer } from "../helpers/server.js";
import { type TempWorkspace, tempWorkspace } from "../helpers/workspace.js";

const DATE = "2026-02-05";
const KEY = "sk-test-0123456789";

let arxiv: TestServer;
let llm: OpenAiServer;
let hook: TestServer;
let workspace: TempWorkspace;
let ws: string;

const config = (hookUrl: string) => feedDayConfig(`  maxAttempts: 1\n`, `  webhooks:\n    - url: ${hookUrl}/hook\n`);

const archived = (ext: "json" | "md") => join(ws, "archive", "2026", "02", `${DATE}.${ext}`);
const envWith = (extra: Record<string, string> = {}) =>
  isolatedEnv({ ARXIV_RSS_URL: `${arxiv.url}/rss`, OPENAI_BASE_URL: `${llm.url}/v1`, ...extra });
/** Every request any local server received: none is the promise of an early stop. */
const requests = () => arxiv.requests.length + llm.requests.length + hook.requests.length;

beforeAll(async () => {
  arxiv = await startFeedDayServer();
  llm = await startOpenAiServer({ mode: "correct" });
  hook = await startServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/plain" });
    res.end("ok");
  });
  workspace = tempWorkspace(config(hook.url));
  ws = workspace.dir;
  // The day, complete and delivered: what every later run must leave as it is.
  const first = await runCli(["run", "--date", DATE, "--workspace", ws], { env: envWith({ OPENAI_API_KEY: KEY }) });
  expect(first.code, first.stderr).toBe(0);
  const record = DayRecordSchema.parse(JSON.parse(readFileSync(archived("json"), "utf8")));
  expect(record.status.code).toBe("normal");
  expect(record.counts.unscored).toBe(0);
  expect(record.deliveries.map((d) => d.outcome)).toEqual(["sent"]);
  expect(hook.requests).toHaveLength(1);
}, 120_000);

afterAll(async () => {
  await arxiv.close();
  await llm.close();
  await hook.close();
  workspace.cleanup();
});

let before: { json: string; md: string; requests: number };
beforeEach(() => {
  llm.setMode("correct");
  before = {
    json: readFileSync(archived("json"), "utf8"),
    md: readFileSync(archived("md"), "utf8"),
    requests: requests(),
  };
});

/** The archived day is as the first run left it, and no server heard from the command. */
function untouched(): void {
  expect(readFileSync(archived("json"), "utf8")).toBe(before.json);
  expect(readFileSync(archived("md"), "utf8")).toBe(before.md);
  expect(requests()).toBe(before.requests);
}

/** One line on stderr: `arxiv-digest: <one sentence>`. */
function oneSentence(stderr: string): string {
  const lines = stderr.trim().split("\n");
  expect(lines, stderr).toHaveLength(1);
  const sentence = lines[0]!.replace(/^arxiv-digest: /, "");
  expect(sentence.replace(/e\.g\.|\.env|\.\.\./g, "").match(/\.\s+[A-Z]/), sentence).toBeNull();
  return sentence;
}

describe('provider "openai" without its key', () => {
  const missing =
    /^llm\.provider is "openai" but OPENAI_API_KEY \(llm\.apiKeyEnv\) is not set; put the key in the workspace's \.env or the environment/;

  for (const args of [["run", "--date", DATE], ["backfill", "--from", "2026-02-06", "--to", "2026-02-06"], ["eval"]]) {
    it(`stops \`${args[0]}\` with exit 2 before any request, naming the variable`, async () => {
      const r = await runCli([...args, "--workspace", ws], { env: envWith({ OPENAI_API_KEY: "  " }) });
      expect(r.code, r.stderr).toBe(2);
      expect(oneSentence(r.stderr)).toMatch(missing);
      expect(r.stdout).toBe("");
      untouched();
    });
  }

  it("fails doctor with exit 2, as a config or environment mistake", async () => {
    const r = await runCli(["doctor", "--offline", "--workspace", ws], { env: envWith() });
    expect(r.code, r.stdout).toBe(2);
    expect(r.stdout).toMatch(/FAIL {2}LLM key: llm\.provider is "openai" but OPENAI_API_KEY \(llm\.apiKeyEnv\)/);
    untouched();
  });
});

describe("a key with a character no HTTP header carries", () => {
  it("stops run and doctor with exit 2 naming the variable, the position and the kind, never the key", async () => {
    const pasted = "sk-proj-abc…";
    writeFileSync(join(ws, ".env"), `OPENAI_API_KEY=${pasted}\n`);
    try {
      const run = await runCli(["run", "--date", DATE, "--workspace", ws], { env: envWith() });
      expect(run.code, run.stderr).toBe(2);
      const sentence = oneSentence(run.stderr);
      expect(sentence).toBe(
        `OPENAI_API_KEY (set in ${join(ws, ".env")}) has an ellipsis "…" (U+2026, as in an example's placeholder) at position 12, which an HTTP header cannot carry; set it to the secret exactly as issued (printable ASCII, no spaces).`,
      );
      expect(sentence).not.toContain(pasted);
      expect(run.stderr).not.toMatch(/ByteString/);

      const doctor = await runCli(["doctor", "--workspace", ws], { env: envWith() });
      expect(doctor.code, doctor.stdout).toBe(2);
      expect(doctor.stdout).toMatch(/FAIL {2}environment: OPENAI_API_KEY \(set in .*\.env\) has an ellipsis/);
      expect(doctor.stdout).not.toMatch(/could not reach|LLM endpoint/);
      untouched();
    } finally {
      writeFileSync(join(ws, ".env"), "");
    }
  });

  it("names a space inside a Slack bot token set in the environment", async () => {
    const dir = tempWorkspace(`${config(hook.url)}  slack:\n    channel: C123\n`);
    try {
      const env = envWith({ OPENAI_API_KEY: KEY, SLACK_BOT_TOKEN: "xoxb-123 456" });
      const r = await runCli(["run", "--date", DATE, "--workspace", dir.dir], { env });
      expect(r.code, r.stderr).toBe(2);
      expect(oneSentence(r.stderr)).toMatch(
        /^SLACK_BOT_TOKEN \(set in the environment\) has a space at position 9, which an HTTP header cannot carry/,
      );
      expect(r.stderr).not.toContain("xoxb-123");
      untouched();
    } finally {
      dir.cleanup();
    }
  });
});

describe("a re-run of a complete day that cannot finish it", () => {
  it("keeps the archived record, delivers nothing, says so in one sentence and exits 1", async () => {
    // Another machine (the Actions cache lost): no cached answer, and every call fails.
    rmSync(join(ws, ".cache"), { recursive: true, force: true });
    llm.setMode("insufficient-quota");
    const chatsBefore = llm.chats().length;
    const r = await runCli(["run", "--date", DATE, "--workspace", ws], { env: envWith({ OPENAI_API_KEY: KEY }) });
    expect(r.code, r.stderr).toBe(1);
    // The run did fetch and call the LLM, which failed: only the archive and the webhook are promised untouched.
    expect(llm.chats().length).toBeGreaterThan(chatsBefore);
    expect(readFileSync(archived("json"), "utf8")).toBe(before.json);
    expect(readFileSync(archived("md"), "utf8")).toBe(before.md);
    expect(hook.requests).toHaveLength(1);
    const summary = r.stdout.trim().split("\n");
    expect(summary, r.stdout).toHaveLength(1);
    expect(summary[0]).toMatch(
      new RegExp(
        `^${DATE}: kept the complete digest already archived \\(\\d+ picked of \\d+ scanned\\) and wrote and delivered nothing, because this run did not finish the day \\(\\d+ of \\d+ papers could not be scored\\); run again once that is fixed`,
      ),
    );
    expect(r.stdout).not.toMatch(/^\s+wrote /m);
  }, 60_000);
});

describe("a placeholder or a dummy where the key belongs", () => {
  const withDotenv = async (line: string, body: () => Promise<void>) => {
    writeFileSync(join(ws, ".env"), `${line}\n`);
    try {
      await body();
    } finally {
      writeFileSync(join(ws, ".env"), "");
    }
  };

  it("stops run and doctor only when the key would leave this machine, never the commands that send nothing", async () => {
    await withDotenv("OPENAI_API_KEY=<your key>", async () => {
      const remote = envWith({ OPENAI_BASE_URL: "https://llm.example.invalid/v1" });
      const run = await runCli(["run", "--date", DATE, "--workspace", ws], { env: remote });
      expect(run.code, run.stderr).toBe(2);
      expect(oneSentence(run.stderr)).toBe(
        `OPENAI_API_KEY (set in ${join(ws, ".env")}, line 1) looks like the placeholder <your key>; paste the real key in its place, as issued.`,
      );
      const doctor = await runCli(["doctor", "--offline", "--workspace", ws], { env: remote });
      expect(doctor.code, doctor.stdout).toBe(2);
      expect(doctor.stdout).toContain("FAIL  LLM key: OPENAI_API_KEY (set in");
      for (const args of [
        ["feedback", "list"],
        ["render", DATE],
      ]) {
        const r = await runCli([...args, "--workspace", ws], { env: remote });
        expect(r.code, `${args.join(" ")}: ${r.stderr}`).toBe(0);
      }
      // The local server ignores the key: a run there goes on.
      const local = await runCli(["run", "--date", DATE, "--no-deliver", "--workspace", ws], { env: envWith() });
      expect(local.code, local.stderr).toBe(0);
    });
    await withDotenv("OPENAI_API_KEY=xxx", async () => {
      const doctor = await runCli(["doctor", "--offline", "--workspace", ws], {
        env: envWith({ OPENAI_BASE_URL: "https://llm.example.invalid/v1" }),
      });
      expect(doctor.stdout).toContain("ok    LLM key: OPENAI_API_KEY is set.");
    });
  }, 120_000);

  it("never shows a value from .env on stderr, whatever fails", async () => {
    const secret = "my-team-key-for-proxy";
    llm.setMode("unauthorized");
    await withDotenv(`OPENAI_API_KEY=${secret}\nSEMANTIC_SCHOLAR_API_URL=ftp://example.org/${secret}`, async () => {
      for (const args of [["run", "--date", DATE, "--no-deliver"], ["doctor"], ["eval"], ["feedback", "list"]]) {
        const r = await runCli([...args, "--workspace", ws], { env: envWith() });
        expect(r.code, `${args[0]}: ${r.stderr}`).toBe(2);
        for (const line of `${r.stderr}\n${r.stdout}`.split("\n")) expect(line, args[0]).not.toContain(secret);
      }
    });
    await withDotenv(`OPENAI_API_KEY=${secret}`, async () => {
      // The endpoint refuses the key, echoing it in its answer.
      const r = await runCli(["doctor", "--workspace", ws], { env: envWith() });
      expect(r.code, r.stdout).not.toBe(0);
      for (const line of `${r.stderr}\n${r.stdout}`.split("\n")) expect(line).not.toContain(secret);
    });
  }, 120_000);
});
