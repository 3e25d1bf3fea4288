/**
 * Every credential a command sends off this machine is refused when left as a placeholder, by the
 * LLM key's one rule, before any request (exit 2, one sentence naming the variable, never its
 * value); a real-looking value goes, and an address on this machine takes any dummy. The real
 * executable, with remote-looking addresses routed to local receivers (test/helpers/remote-hosts.mjs),
 * so "the receiver saw nothing" is what a refusal means. Also the title triage's own model, checked
 * with llm.model against OpenAI's list (test/helpers/openai-host.mjs), by `run` and by `eval`.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SmtpReceiver, startSmtpReceiver } from "../deliver/smtp-receiver.js";
import { isolatedEnv, runCli } from "../helpers/cli.js";
import { feedDayConfig, localServicesEnv, startFeedDayServer } from "../helpers/feed-day.js";
import { type OpenAiServer, startOpenAiServer } from "../helpers/openai-server.js";
import { startServer, type TestServer } from "../helpers/server.js";
import { type TempWorkspace, tempWorkspace } from "../helpers/workspace.js";

const DATE = "2026-02-05";
const HOOK = "https://hooks.example.test";
const SLACK = "https://slack.example.test";
const GITHUB = "https://github.example.test";
const S2 = "https://s2.example.test";

let arxiv: TestServer;
let llm: OpenAiServer;
let receiver: TestServer;
const workspaces: TempWorkspace[] = [];

beforeAll(async () => {
  arxiv = await startFeedDayServer();
  llm = await startOpenAiServer({ mode: "correct" });
  receiver = await startServer((req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(req.url?.startsWith("/api/") ? '{"ok":true,"ts":"1.0","channel":"C123"}' : "{}");
  });
}, 60_000);

afterAll(async () => {
  await arxiv.close();
  await llm.close();
  await receiver.close();
  for (const w of workspaces) w.cleanup();
});

function workspace(llmLines: string, deliver: string, files: Record<string, string> = {}): string {
  const w = tempWorkspace(feedDayConfig(llmLines, deliver), files);
  workspaces.push(w);
  return w.dir;
}

/** The executable with the remote-looking addresses above sent to the local receiver. */
function remoteEnv(extra: Record<string, string>): Record<string, string> {
  const preload = fileURLToPath(new URL("../helpers/remote-hosts.mjs", import.meta.url));
  const hosts = [HOOK, SLACK, GITHUB, S2].map((h) => `${h}=${receiver.url}`).join(",");
  return isolatedEnv({
    ...localServicesEnv(arxiv, llm, "sk-test-0123456789abcdef"),
    TEST_REMOTE_HOSTS: hosts,
    NODE_OPTIONS: `--import ${preload}`,
    ...extra,
  });
}

const requests = () => arxiv.requests.length + llm.requests.length + receiver.requests.length;

/** One line on stderr: `arxiv-digest: <one sentence>`, naming `name` and not containing `value`. */
function refusal(stderr: string, name: string, value: string): string {
  const lines = stderr.trim().split("\n");
  expect(lines, stderr).toHaveLength(1);
  const sentence = lines[0]!.replace(/^arxiv-digest: /, "");
  expect(sentence.startsWith(`${name} (`), sentence).toBe(true);
  expect(sentence).toMatch(/looks like a placeholder .*; paste .* in its place, as issued\.$/);
  expect(sentence).not.toContain(value);
  return sentence;
}

describe("a delivery's credential left as a placeholder", () => {
  const hookConfig = `  webhooks:\n    - url: ${HOOK}/hook\n      headersEnv:\n        Authorization: HOOK_AUTH\n`;

  it("stops run, deliver and doctor before any request, naming the webhook header's variable", async () => {
    const ws = workspace("", hookConfig);
    const value = "YOUR_WEBHOOK_TOKEN";
    const before = requests();
    const run = await runCli(["run", "--date", DATE, "--workspace", ws], { env: remoteEnv({ HOOK_AUTH: value }) });
    expect(run.code, run.stderr).toBe(2);
    expect(refusal(run.stderr, "HOOK_AUTH", value)).toContain("deliver.webhooks.0.headersEnv.Authorization");
    expect(requests()).toBe(before);

    // With --no-deliver the header is not sent, so nothing stops the run.
    const quiet = await runCli(["run", "--date", DATE, "--no-deliver", "--workspace", ws], {
      env: remoteEnv({ HOOK_AUTH: value }),
    });
    expect(quiet.code, quiet.stderr).toBe(0);
    const seen = receiver.requests.length;
    const deliver = await runCli(["deliver", DATE, "--workspace", ws], { env: remoteEnv({ HOOK_AUTH: value }) });
    expect(deliver.code, deliver.stderr).toBe(2);
    refusal(deliver.stderr, "HOOK_AUTH", value);
    expect(receiver.requests.length).toBe(seen);

    const doctor = await runCli(["doctor", "--offline", "--workspace", ws], { env: remoteEnv({ HOOK_AUTH: value }) });
    expect(doctor.code, doctor.stdout).toBe(2);
    expect(doctor.stdout).toMatch(/FAIL {2}deliver webhook \(https:\/\/hooks\.example\.test\/hook\): HOOK_AUTH \(/);
    expect(doctor.stdout).not.toContain(value);

    // A real-looking value goes, to the same address.
    const real = await runCli(["deliver", DATE, "--workspace", ws], {
      env: remoteEnv({ HOOK_AUTH: "5f0c1e2d3b4a9e8f" }),
    });
    expect(real.code, real.stderr).toBe(0);
    const sent = receiver.requests.slice(seen);
    expect(sent.map((r) => r.url)).toEqual(["/hook"]);
    expect(sent[0]!.headers.authorization).toBe("5f0c1e2d3b4a9e8f");
  }, 180_000);

  it("lets a webhook on this machine take any dummy", async () => {
    const ws = workspace(
      "",
      `  webhooks:\n    - url: ${receiver.url}/local\n      headersEnv:\n        X-Token: HOOK_AUTH\n`,
    );
    const seen = receiver.requests.length;
    const run = await runCli(["run", "--date", DATE, "--workspace", ws], { env: remoteEnv({ HOOK_AUTH: "<token>" }) });
    expect(run.code, run.stderr).toBe(0);
    expect(receiver.requests.slice(seen).map((r) => r.url)).toEqual(["/local"]);
  }, 120_000);

  it("stops run and doctor on a Slack bot token left as a placeholder, asking Slack nothing", async () => {
    const ws = workspace("", `  slack:\n    channel: C123\n    apiUrl: ${SLACK}/api\n`);
    const seen = requests();
    for (const value of ["xoxb-…", "<your bot token>"]) {
      const run = await runCli(["run", "--date", DATE, "--workspace", ws], {
        env: remoteEnv({ SLACK_BOT_TOKEN: value }),
      });
      expect(run.code, run.stderr).toBe(2);
      expect(refusal(run.stderr, "SLACK_BOT_TOKEN", value)).toContain("the Slack app's bot token");
    }
    expect(requests()).toBe(seen);
    // doctor's checks that go online ask Slack nothing with it either.
    const heard = receiver.requests.length;
    const doctor = await runCli(["doctor", "--workspace", ws], {
      env: remoteEnv({ SLACK_BOT_TOKEN: "<your bot token>" }),
    });
    expect(doctor.code, doctor.stdout).toBe(2);
    expect(doctor.stdout).toContain("FAIL  deliver slack (C123): SLACK_BOT_TOKEN (deliver.slack.botTokenEnv, set in");
    expect(receiver.requests.length).toBe(heard);
  }, 120_000);
});

describe("the SMTP password left as a placeholder", () => {
  let smtp: SmtpReceiver;
  let connections = 0;
  beforeAll(async () => {
    smtp = await startSmtpReceiver({
      allowInsecureAuth: true,
      onConnect: (_session, cb) => {
        connections += 1;
        cb();
      },
      // This receiver takes any login, as a local test server does.
      onAuth: (auth, _session, cb) => cb(null, { user: auth.username }),
    });
  });
  afterAll(() => smtp.close());

  const emailConfig = (host: string) =>
    `  email:\n    host: ${host}\n    port: ${smtp.port}\n    tls: none\n    user: digest@example.org\n    from: digest@example.org\n    to: [me@example.org]\n`;

  it("stops run, deliver and doctor before any connection, naming the variable", async () => {
    const ws = workspace("", emailConfig("smtp.example.test"));
    const value = "your-password";
    const seen = requests();
    const run = await runCli(["run", "--date", DATE, "--workspace", ws], { env: remoteEnv({ SMTP_PASSWORD: value }) });
    expect(run.code, run.stderr).toBe(2);
    const sentence = refusal(run.stderr, "SMTP_PASSWORD", value);
    expect(sentence).toContain("deliver.email.passwordEnv, set in the environment");
    expect(sentence).toContain("the SMTP password for digest@example.org");
    expect(requests()).toBe(seen);

    const made = await runCli(["run", "--date", DATE, "--no-deliver", "--workspace", ws], {
      env: remoteEnv({ SMTP_PASSWORD: value }),
    });
    expect(made.code, made.stderr).toBe(0);
    const deliver = await runCli(["deliver", DATE, "--workspace", ws], { env: remoteEnv({ SMTP_PASSWORD: value }) });
    expect(deliver.code, deliver.stderr).toBe(2);
    refusal(deliver.stderr, "SMTP_PASSWORD", value);

    // doctor fails on the same sentence and does not try the login with it.
    const doctor = await runCli(["doctor", "--workspace", ws], { env: remoteEnv({ SMTP_PASSWORD: value }) });
    expect(doctor.code, doctor.stdout).toBe(2);
    expect(doctor.stdout).toContain("FAIL  deliver email (me@example.org): SMTP_PASSWORD (deliver.email.passwordEnv,");
    expect(doctor.stdout).not.toContain(value);
    expect(doctor.stdout).not.toMatch(/^\S+\s+SMTP:/m);
    expect(connections).toBe(0);
    expect(smtp.mails).toHaveLength(0);
  }, 180_000);

  it("lets an SMTP host on this machine take any dummy", async () => {
    const ws = workspace("", emailConfig("127.0.0.1"));
    const run = await runCli(["run", "--date", DATE, "--workspace", ws], {
      env: remoteEnv({ SMTP_PASSWORD: "your-password" }),
    });
    expect(run.code, run.stderr).toBe(0);
    expect(connections).toBeGreaterThan(0);
    expect(smtp.mails.map((m) => m.user)).toEqual(["digest@example.org"]);
  }, 120_000);
});

describe("Semantic Scholar's key and GitHub's token left as placeholders", () => {
  it("stops a run that follows someone by Semantic Scholar id before any request", async () => {
    const ws = workspace("", "  slack: {}\n", { "authors.txt": "Yoshua Bengio | 1751762\n" });
    const seen = requests();
    const env = remoteEnv({ S2_API_KEY: "your-s2-api-key", SEMANTIC_SCHOLAR_API_URL: S2 });
    const run = await runCli(["run", "--date", DATE, "--no-deliver", "--workspace", ws], { env });
    expect(run.code, run.stderr).toBe(2);
    expect(refusal(run.stderr, "S2_API_KEY", "your-s2-api-key")).toContain("Semantic Scholar");
    expect(requests()).toBe(seen);
    const doctor = await runCli(["doctor", "--offline", "--workspace", ws], { env });
    expect(doctor.code, doctor.stdout).toBe(2);
    expect(doctor.stdout).toContain("FAIL  Semantic Scholar key: S2_API_KEY (");
  }, 120_000);

  it("stops feedback sync before GitHub is asked; doctor says placeholder; a real-looking token is sent", async () => {
    const ws = workspace("", "  slack: {}\n");
    const config = join(ws, "arxiv-digest.yaml");
    writeFileSync(config, `${readFileSync(config, "utf8")}feedback:\n  github: someone/papers\n`);
    const seen = receiver.requests.length;
    const value = "ghp_...";
    const env = remoteEnv({ GITHUB_TOKEN: value, GITHUB_API_URL: GITHUB });
    const sync = await runCli(["feedback", "sync", "--workspace", ws], { env });
    expect(sync.code, sync.stderr).toBe(2);
    expect(refusal(sync.stderr, "GITHUB_TOKEN", value)).toContain("issues of someone/papers");
    const doctor = await runCli(["doctor", "--workspace", ws], { env });
    expect(doctor.code, doctor.stdout).toBe(2);
    expect(doctor.stdout).toContain(
      "FAIL  GitHub token: GITHUB_TOKEN (feedback.github, set in the environment) looks like a placeholder",
    );
    expect(receiver.requests.length).toBe(seen);

    const real = await runCli(["feedback", "sync", "--workspace", ws], {
      env: remoteEnv({ GITHUB_TOKEN: "ghp_0123456789abcdefghijklmnopqrstuvwxyz", GITHUB_API_URL: GITHUB }),
    });
    expect(real.stderr).not.toMatch(/placeholder/);
    expect(receiver.requests.length).toBeGreaterThan(seen);
  }, 120_000);
});

describe("llm.triage.model the endpoint does not list", () => {
  /** The executable with every request to api.openai.com sent to `server` instead (test/helpers/openai-host.mjs). */
  const onOpenAiHost = (server: OpenAiServer) => {
    const { OPENAI_BASE_URL: _, ...env } = localServicesEnv(arxiv, server);
    const preload = fileURLToPath(new URL("../helpers/openai-host.mjs", import.meta.url));
    return isolatedEnv({ ...env, TEST_OPENAI_HOST: server.url, NODE_OPTIONS: `--import ${preload}` });
  };

  it("stops run and eval on OpenAI's own list before any chat call, naming llm.triage.model; one list per command", async () => {
    const server = await startOpenAiServer({ mode: "correct" });
    try {
      const ws = workspace("  triage:\n    enabled: true\n    model: gpt5-nano\n", "  slack: {}\n");
      const env = onOpenAiHost(server);
      const said =
        "https://api.openai.com/v1 does not list gpt5-nano (llm.triage.model); set llm.triage.model to one it lists (did you mean gpt-5-nano?)";
      const run = await runCli(["run", "--date", DATE, "--no-deliver", "--workspace", ws], { env });
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr.trim().split("\n").at(-1)).toBe(
        `arxiv-digest: ${said}; ${DATE} was neither archived nor delivered.`,
      );
      expect(server.chats()).toHaveLength(0);
      expect(server.modelListings()).toBe(1);

      // Archived with the name fixed, then eval replays it with the typo back: stopped before its first paid call.
      const config = join(ws, "arxiv-digest.yaml");
      const text = readFileSync(config, "utf8");
      writeFileSync(config, text.replace("model: gpt5-nano", "model: gpt-5-nano"));
      const good = await runCli(["run", "--date", DATE, "--no-deliver", "--workspace", ws], { env });
      expect(good.code, good.stderr).toBe(0);
      const listings = server.modelListings();
      const chats = server.chats().length;
      writeFileSync(config, text);
      // Unpriced, the typo is refused by eval's spend estimate before anything is asked.
      const unpriced = await runCli(["eval", "--workspace", ws], { env });
      expect(unpriced.code, unpriced.stderr).toBe(2);
      expect(unpriced.stderr).toContain(
        "gpt5-nano, which has no known price (if it is a typo, did you mean gpt5-nano for gpt-5-nano?)",
      );
      expect(server.chats()).toHaveLength(chats);
      expect(server.modelListings()).toBe(listings);
      // Priced, it passes the estimate and the model list stops it before its first paid call.
      writeFileSync(
        config,
        text.replace(
          "    model: gpt5-nano\n",
          "    model: gpt5-nano\n  prices:\n    gpt5-nano: { input: 0.05, cachedInput: 0.005, output: 0.4 }\n",
        ),
      );
      const evalRun = await runCli(["eval", "--max-usd", "5", "--workspace", ws], { env });
      expect(evalRun.code, evalRun.stderr).toBe(2);
      expect(evalRun.stderr).toContain(`${said}; eval stopped at ${DATE} and reported no figures.`);
      expect(server.chats()).toHaveLength(chats);
      expect(server.modelListings()).toBe(listings + 1);

      const doctor = await runCli(["doctor", "--workspace", ws], { env });
      expect(doctor.code, doctor.stdout).toBe(2);
      expect(doctor.stdout).toContain(`FAIL  LLM model: ${said}.`);
    } finally {
      await server.close();
    }
  }, 240_000);
});
