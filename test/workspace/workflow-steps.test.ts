/**
 * Runs the `run:` steps of the generated daily workflow, as GitHub Actions would, in a fresh
 * workspace against local stand-ins: the arXiv feed (fixture of 2026-02-05), an OpenAI-compatible
 * server, a Slack webhook and a bare git remote. Only the `uses:` steps (checkout, Node, cache,
 * Pages) are skipped. The install step runs as generated, with its one `spec=` line pointed from
 * `github:owner/arxiv-digest#v<version>` to a local git remote holding this checkout: the later
 * steps run the `arxiv-digest` it installed (through $GITHUB_PATH, as on GitHub).
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, parseDocument } from "yaml";
import { DayRecordSchema } from "../../src/model/day-record.js";
import { initWorkspace } from "../../src/workspace/init.js";
import { isolatedEnv } from "../helpers/cli.js";
import { startFeedDayServer } from "../helpers/feed-day.js";
import { type OpenAiServer, startOpenAiServer } from "../helpers/openai-server.js";
import { startServer, type TestServer } from "../helpers/server.js";
import { npmEnv, snapshotSource } from "../helpers/source-snapshot.js";

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
  "continue-on-error"?: boolean;
}

interface StepRun {
  step: string;
  status: number | null;
  output: string;
}

/** The project site's address and path, as actions/configure-pages gives them (no closing slash). */
const PAGES_URL = "https://owner.github.io/digest";
const PAGES_PATH = "/digest";

/** What GitHub would substitute for each `${{ … }}` the workflow uses; anything else is empty, as there. */
function expressionValues(llm: OpenAiServer, slack: TestServer): Record<string, string> {
  return {
    "secrets.OPENAI_API_KEY": "test-key",
    "vars.OPENAI_BASE_URL || secrets.OPENAI_BASE_URL": `${llm.url}/v1`,
    "secrets.SLACK_WEBHOOK_URL": `${slack.url}/services/T0/B0/x`,
    // Pins the announcement day to the fixture's, so the run does not depend on today's date.
    "inputs.date": "2026-02-05",
    "!cancelled()": "true",
    // configure-pages' outputs for a project site.
    "steps.pages.outcome": "success",
    "steps.pages.outputs.base_path": PAGES_PATH,
    "steps.pages.outputs.base_url": PAGES_URL,
  };
}

function evaluate(text: string, values: Record<string, string>): string {
  return text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_m, expr: string) => values[expr] ?? "");
}

/** GitHub's default shell for `run:` on Linux runners; asynchronous, as the local servers live in this process. */
function runBash(script: string, cwd: string, env: Record<string, string>): Promise<Omit<StepRun, "step">> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script], {
      cwd,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => {
      output += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      output += d.toString();
    });
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, output }));
  });
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", env: { ...isolatedEnv(), GIT_CONFIG_NOSYSTEM: "1" } });
}

/** A feedback signal as feedback.jsonl holds it, one line. */
const signalLine = (id: string, at: string) => `${JSON.stringify({ v: 1, id, signal: "like", at, source: "cli" })}\n`;

describe("the daily workflow's run steps", () => {
  let root: string;
  let ws: string;
  let remote: string;
  let arxiv: TestServer;
  let llm: OpenAiServer;
  let slack: TestServer;
  const runs: StepRun[] = [];
  let specLines: string[] = [];
  let steps: Step[] = [];
  /** Runs one `run:` step as GitHub would at this point of the job. */
  let runStep: (step: Step) => Promise<StepRun>;

  /** Another machine's clone of the remote changes something and pushes it. */
  async function pushFromElsewhere(change: (dir: string) => Promise<unknown>, message = "Feedback from elsewhere") {
    const elsewhere = join(root, "elsewhere");
    await rm(elsewhere, { recursive: true, force: true });
    git(root, "clone", "--quiet", remote, elsewhere);
    await change(elsewhere);
    git(elsewhere, "add", "--all");
    git(elsewhere, "-c", "user.name=Other", "-c", "user.email=other@example.org", "commit", "--quiet", "-m", message);
    git(elsewhere, "push", "--quiet", "origin", "main");
  }

  /**
   * The workspace as the next job finds it on a fresh runner: what git tracks (the checkout) and
   * what the workflow's cache steps restore, nothing else.
   */
  async function freshRunner() {
    const cached = steps
      .filter((s) => s.uses?.startsWith("actions/cache/restore@"))
      .flatMap((s) => (s.with?.path ?? "").split("\n"))
      .map((p) => p.trim())
      .filter(Boolean);
    const aside = join(root, "restored-cache");
    await rm(aside, { recursive: true, force: true });
    await mkdir(aside);
    for (const [i, path] of cached.entries()) {
      if (existsSync(join(ws, path))) await rename(join(ws, path), join(aside, String(i)));
    }
    git(ws, "clean", "-ffdxq");
    for (const [i, path] of cached.entries()) {
      if (existsSync(join(aside, String(i)))) await rename(join(aside, String(i)), join(ws, path));
    }
  }

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "arxiv-digest-workflow-"));
    ws = join(root, "digest");
    remote = join(root, "remote.git");
    arxiv = await startFeedDayServer();
    llm = await startOpenAiServer();
    slack = await startServer((_req, res) => {
      res.end("ok");
    });

    // The workflow as generated; only the install step's spec points at a local copy of this checkout.
    await initWorkspace(ws);
    const source = await snapshotSource(root);
    const dailyPath = join(ws, ".github/workflows/daily.yml");
    const daily = await readFile(dailyPath, "utf8");
    specLines = daily.match(/^\s*spec="[^"]*"$/gm) ?? [];
    await writeFile(dailyPath, daily.replace(/^(\s*spec=)"[^"]*"$/m, `$1"${source.gitUrl}"`));
    const runnerTemp = join(root, "runner-temp");
    const githubPath = join(root, "github-path");
    await mkdir(runnerTemp);
    await writeFile(githubPath, "");
    const configPath = join(ws, "arxiv-digest.yaml");
    const config = parseDocument(await readFile(configPath, "utf8"));
    config.setIn(["deliver", "slack"], { webhookUrlEnv: "SLACK_WEBHOOK_URL", top: 5 });
    config.setIn(["arxiv", "minIntervalSeconds"], 0);
    await writeFile(configPath, config.toString());

    git(root, "init", "--quiet", "--bare", "--initial-branch=main", remote);
    git(ws, "init", "--quiet", "--initial-branch=main");
    git(ws, "add", "--all");
    git(ws, "-c", "user.name=Test", "-c", "user.email=test@example.org", "commit", "--quiet", "-m", "init");
    git(ws, "remote", "add", "origin", remote);
    git(ws, "push", "--quiet", "-u", "origin", "main");

    const workflow = parse(await readFile(join(ws, ".github/workflows/daily.yml"), "utf8")) as {
      jobs: { digest: { steps: Step[] } };
    };
    steps = workflow.jobs.digest.steps;
    const values = expressionValues(llm, slack);
    runStep = async (step) => {
      // Like GitHub: folders a step appended to $GITHUB_PATH come first on PATH in the later steps.
      const added = (await readFile(githubPath, "utf8")).split("\n").filter(Boolean).reverse();
      const base = {
        ...npmEnv(),
        ...isolatedEnv({ ARXIV_RSS_URL: `${arxiv.url}/rss`, CI: "true", GITHUB_ACTIONS: "true" }),
      };
      const env = {
        ...base,
        PATH: [...added, base.PATH].join(":"),
        RUNNER_TEMP: runnerTemp,
        GITHUB_PATH: githubPath,
        ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, evaluate(v, values)])),
      };
      return { step: step.name ?? step.run!, ...(await runBash(step.run!, ws, env)) };
    };
    let failed = false;
    for (const step of steps) {
      if (step.run === undefined) continue;
      // Like GitHub: after a failure only steps whose `if:` still holds run.
      if (failed && (step.if === undefined || evaluate(step.if, values) !== "true")) continue;
      // While the run waited for the feed, a like was pushed from another machine, and the
      // feedback sync added one here: the commit must go on top of it, keeping both.
      if (step.name === "Commit the archive") {
        await pushFromElsewhere((dir) =>
          writeFile(join(dir, "feedback.jsonl"), signalLine("2401.00001", "2026-02-05T06:00:00Z"), { flag: "a" }),
        );
        await writeFile(join(ws, "feedback.jsonl"), signalLine("2401.00002", "2026-02-05T06:30:00Z"), { flag: "a" });
      }
      const result = await runStep(step);
      runs.push(result);
      if (result.status !== 0 && step["continue-on-error"] !== true) failed = true;
    }
  }, 600_000);

  afterAll(async () => {
    await Promise.all([arxiv?.close(), llm?.close(), slack?.close()]);
    await rm(root, { recursive: true, force: true });
  });

  it("runs every step successfully", () => {
    expect(runs.map((r) => r.step)).toEqual([
      "Install arxiv-digest",
      "Import feedback from the site",
      "Read the announcement and deliver the digest",
      "Commit the archive",
      "Build the site",
    ]);
    for (const r of runs) expect(r.status, `${r.step}:\n${r.output}`).toBe(0);
  });

  it("installs arxiv-digest from the Git remote named on the install step's one spec line", () => {
    expect(specLines).toHaveLength(1);
    expect(specLines[0]).toMatch(/spec="github:[\w.-]+\/[\w.-]+#v\d+\.\d+\.\d+"/);
    const install = runs.find((r) => r.step === "Install arxiv-digest");
    expect(install?.status, install?.output).toBe(0);
  });

  it("reads the announcement from the local feed, scores it with the local LLM and archives the day", async () => {
    expect(arxiv.requests.map((r) => r.url)).toEqual(["/rss/cs.LG+cs.AI+cs.CL"]);
    expect(llm.chats().length).toBeGreaterThan(0);
    const day = DayRecordSchema.parse(JSON.parse(await readFile(join(ws, "archive/2026/02/2026-02-05.json"), "utf8")));
    expect(day.status.code).toBe("normal");
    expect(day.counts.entries).toBe(365);
    expect(day.counts.selected).toBeGreaterThan(0);
    expect(day.papers.every((p) => p.outcome !== "unscored")).toBe(true);
  });

  it("delivers to Slack with the secret from the step's env and records it", async () => {
    expect(slack.requests.length).toBeGreaterThan(0);
    expect(slack.requests.every((r) => r.url === "/services/T0/B0/x")).toBe(true);
    const day = DayRecordSchema.parse(JSON.parse(await readFile(join(ws, "archive/2026/02/2026-02-05.json"), "utf8")));
    expect(day.deliveries).toMatchObject([{ channel: "slack", target: "incoming webhook", outcome: "sent" }]);
  });

  it("links the messages and the site to the Pages address, the config leaving site.baseUrl at its default", async () => {
    const config = await readFile(join(ws, "arxiv-digest.yaml"), "utf8");
    expect(config).toMatch(/^ {2}baseUrl: http:\/\/localhost:8080\/$/m);
    const messages = slack.requests.map((r) => r.body).join("\n");
    expect(messages).toContain(`${PAGES_URL}/2026/02/05/`);
    expect(messages).not.toContain("localhost");
    const home = await readFile(join(ws, "site/index.html"), "utf8");
    expect(home).toContain(`<link rel="canonical" href="${PAGES_URL}/2026/02/05/"/>`);
    expect(home).toContain(`<a href="${PAGES_PATH}/archive/">`);
    expect(await readFile(join(ws, "site/sitemap.xml"), "utf8")).toContain(`<loc>${PAGES_URL}/2026/02/05/</loc>`);
  });

  it("fails the site build, saying why, when GitHub Pages is not set up", async () => {
    const step = steps.find((s) => s.name === "Build the site")!;
    const result = await runStep({ ...step, env: { ...step.env, PAGES: "failure" } });
    expect(result.status).toBe(1);
    expect(result.output).toMatch(/^::error title=GitHub Pages not set up::.*Source to "GitHub Actions"\.$/m);
  });

  it("commits the archive and pushes it on top of what was pushed meanwhile, keeping both sides' feedback", () => {
    expect(git(remote, "log", "--format=%s", "main")).toMatch(
      /^Digest of 2026-02-05\nFeedback from elsewhere\ninit\n$/,
    );
    expect(git(remote, "ls-tree", "-r", "--name-only", "main", "archive")).toContain("archive/2026/02/2026-02-05.json");
    expect(git(ws, "status", "--porcelain", "--", "archive", "feedback.jsonl")).toBe("");
    const feedback = git(remote, "show", "main:feedback.jsonl");
    expect(
      feedback
        .split("\n")
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as { id: string }).id),
    ).toEqual(["2401.00001", "2401.00002"]);
    expect(runs.find((r) => r.step === "Commit the archive")?.output).toContain("Pushed the archive to main.");
  });

  it("builds the site for the Pages upload from site/", () => {
    expect(existsSync(join(ws, "site/index.html"))).toBe(true);
  });

  it("saves the LLM answers on every outcome, under the key it restored them with", () => {
    const at = (uses: string, path: string) =>
      steps.findIndex((s) => s.uses?.startsWith(`actions/cache/${uses}@`) && s.with?.path === path);
    const restore = steps[at("restore", ".cache")];
    const save = steps[at("save", ".cache")];
    expect(restore, "an actions/cache/restore step for .cache").toBeDefined();
    expect(save, "an actions/cache/save step for .cache").toBeDefined();
    expect(save!.if).toBe("always()");
    expect(save!.with?.key).toBe(restore!.with?.key);
    expect(restore!.with?.key).toMatch(/\$\{\{ github\.run_id \}\}/);
    expect(restore!.with?.["restore-keys"]).toBe("arxiv-digest-cache-");
    const runAt = steps.findIndex((s) => s.name === "Read the announcement and deliver the digest");
    expect(at("restore", ".cache")).toBeLessThan(runAt);
    expect(at("save", ".cache")).toBeGreaterThan(runAt);
    expect(steps.some((s) => s.uses?.startsWith("actions/cache@"))).toBe(false);
  });

  it("keeps the built site between runs: restored before the build, saved after a successful one", () => {
    const siteAt = steps.findIndex((s) => s.name === "Build the site");
    const kept = (uses: string) =>
      steps.findIndex((s) => s.uses?.startsWith(`actions/cache/${uses}@`) && /^site$/m.test(s.with?.path ?? ""));
    const restore = steps[kept("restore")]!;
    const save = steps[kept("save")]!;
    expect(kept("restore")).toBeGreaterThan(0);
    expect(kept("restore")).toBeLessThan(siteAt);
    expect(kept("save")).toBeGreaterThan(siteAt);
    expect(steps[siteAt]!.id).toBe("site");
    expect(save.if).toContain("steps.site.outcome == 'success'");
    expect(save.with?.path).toBe(restore.with?.path);
    expect(save.with?.path).toContain(".site-archive.txt");
    expect(save.with?.key).toBe(restore.with?.key);
    expect(restore.with?.key?.startsWith(restore.with?.["restore-keys"] ?? "?")).toBe(true);
    const upload = steps.find((s) => s.uses?.startsWith("actions/upload-pages-artifact@"));
    expect(upload?.with?.path).toBe("site");
  });

  it("updates a kept site for the days that changed, and builds it in full when the cache is lost", async () => {
    const buildStep = steps.find((s) => s.name === "Build the site")!;
    expect(existsSync(join(ws, ".site-archive.txt")), "the first build records what it was built from").toBe(true);
    // The next run, on a fresh runner with the cache restored: a new day is committed (here a copy
    // of the fixture's day) and one record of the kept build is left alone.
    await freshRunner();
    const record = JSON.parse(await readFile(join(ws, "archive/2026/02/2026-02-05.json"), "utf8")) as {
      date: string;
    };
    await writeFile(join(ws, "archive/2026/02/2026-02-06.json"), JSON.stringify({ ...record, date: "2026-02-06" }));
    git(ws, "add", "--all", "--", "archive");
    git(ws, "-c", "user.name=Test", "-c", "user.email=test@example.org", "commit", "--quiet", "-m", "next day");
    // A full build clears site/; an update in place leaves this file where it is.
    await writeFile(join(ws, "site/kept-between-runs.txt"), "");
    const update = await runStep(buildStep);
    expect(update.status, update.output).toBe(0);
    expect(update.output).toContain("Updating the kept site for 2026-02-05 2026-02-06");
    expect(update.output).toMatch(/Built .*: \d+ pages, 2 days/);
    expect(existsSync(join(ws, "site/kept-between-runs.txt")), "updated in place, not built in full").toBe(true);
    expect(existsSync(join(ws, "site/2026/02/06/index.html"))).toBe(true);
    expect(await readFile(join(ws, ".site-archive.txt"), "utf8")).toContain("archive/2026/02/2026-02-06.json");

    // Nothing changed since: only the run's own day is redone.
    await freshRunner();
    const again = await runStep(buildStep);
    expect(again.status, again.output).toBe(0);
    expect(again.output).toContain("Updating the kept site for 2026-02-05\n");

    // The run's own day rewritten and committed (a re-run of the day): still named once.
    await freshRunner();
    await writeFile(join(ws, "archive/2026/02/2026-02-05.json"), JSON.stringify(record, null, 1));
    git(ws, "add", "--all", "--", "archive");
    git(ws, "-c", "user.name=Test", "-c", "user.email=test@example.org", "commit", "--quiet", "-m", "day again");
    const rerun = await runStep(buildStep);
    expect(rerun.status, rerun.output).toBe(0);
    expect(rerun.output).toContain("Updating the kept site for 2026-02-05\n");

    // The cache is gone: a full build.
    await rm(join(ws, "site"), { recursive: true, force: true });
    await rm(join(ws, ".site-archive.txt"));
    const full = await runStep(buildStep);
    expect(full.status, full.output).toBe(0);
    expect(full.output).toContain("No kept site: building it in full");
    expect(existsSync(join(ws, "site/2026/02/06/index.html"))).toBe(true);
  });

  it("goes on with the day when the feedback cannot be imported, with a warning", async () => {
    const step = steps.find((s) => s.name === "Import feedback from the site")!;
    expect(step["continue-on-error"]).toBe(true);
    // feedback.github set, and no token to read its issues with (github.token is empty here).
    const configPath = join(ws, "arxiv-digest.yaml");
    const config = parseDocument(await readFile(configPath, "utf8"));
    config.setIn(["feedback", "github"], "owner/digest");
    await writeFile(configPath, config.toString());
    try {
      const sync = await runStep(step);
      expect(sync.status).not.toBe(0);
      expect(sync.output).toContain("GITHUB_TOKEN is not set");
      expect(sync.output).toMatch(/^::warning title=Feedback not imported::/m);
    } finally {
      git(ws, "checkout", "--", "arxiv-digest.yaml");
    }
  });

  it("pushes the archive to a branch of its own, and fails, when it cannot go on top of what was pushed", async () => {
    const commitStep = steps.find((s) => s.name === "Commit the archive")!;
    // The same day's record changed here and, differently, on another machine.
    const file = "archive/2026/02/2026-02-05.json";
    const generatedAt = async (dir: string, at: string) =>
      writeFile(
        join(dir, file),
        (await readFile(join(dir, file), "utf8")).replace(/("generatedAt": )"[^"]*"/, `$1"${at}"`),
      );
    await pushFromElsewhere((dir) => generatedAt(dir, "2026-02-05T09:00:00.000Z"), "Edited elsewhere");
    const before = git(remote, "rev-parse", "main");
    await generatedAt(ws, "2026-02-05T10:00:00.000Z");
    const result = await runStep(commitStep);
    expect(result.status).toBe(1);
    const rescue =
      /::error title=Archive not pushed to main::.* pushed to the branch (arxiv-digest-unpushed-\S+) instead/.exec(
        result.output,
      )?.[1];
    expect(rescue, result.output).toBeDefined();
    // main is as the other machine left it; the run's commit, with its change, is on the branch.
    expect(git(remote, "rev-parse", "main")).toBe(before);
    expect(git(remote, "show", `${rescue}:${file}`)).toContain('"generatedAt": "2026-02-05T10:00:00.000Z"');
    expect(git(ws, "status", "--porcelain", "--", "archive")).toBe("");
  });
});
