import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { doctor } from "../../src/pipeline/doctor.js";
import { type SmtpReceiver, startSmtpReceiver } from "../deliver/smtp-receiver.js";
import { type FakeGitHub, startFakeGitHub } from "../feedback/fake-github.js";
import { sendJson, startServer, type TestServer } from "../helpers/server.js";
import { type SlackApi, type SlackApiOptions, startSlackApi } from "../helpers/slack-api.js";
import { tempWorkspace } from "../helpers/workspace.js";

const topics = `topics:
  - id: architecture
    title: Model architecture
    description: Mixture-of-experts and conditional computation.
`;
let arxiv: TestServer;
let llm: TestServer;

beforeAll(async () => {
  arxiv = await startServer((req, res) => {
    res.writeHead(req.url?.startsWith("/rss/") ? 200 : 404, { "content-type": "application/rss+xml" });
    res.end("<rss version='2.0'><channel><title>t</title></channel></rss>");
  });
  llm = await startServer((req, res) => {
    if (req.headers.authorization === "Bearer good-key") sendJson(res, 200, { object: "list", data: [] });
    else sendJson(res, 401, { error: { message: "Incorrect API key provided" } });
  });
});
afterAll(async () => {
  await arxiv.close();
  await llm.close();
});

/** A workspace with one followed author, removed when the test finishes. */
function ws(yaml: string): string {
  const workspace = tempWorkspace(yaml, { "authors.txt": "Yoshua Bengio\n" });
  onTestFinished(workspace.cleanup);
  return workspace.dir;
}

describe("doctor", () => {
  it("says there is no authors.txt rather than counting 0 authors in it", async () => {
    const workspace = tempWorkspace(topics);
    onTestFinished(workspace.cleanup);
    const checks = await doctor({ workspaceDir: workspace.dir, env: {}, offline: true });
    const authors = checks.find((c) => c.what === "authors");
    expect(authors).toMatchObject({ level: "ok" });
    expect(authors?.detail).toBe(
      `no ${join(workspace.dir, "authors.txt")}: no followed authors (one name per line there puts their papers first).`,
    );
  });

  it("warns of a person listed twice in authors.txt, naming both lines, and counts them once", async () => {
    const workspace = tempWorkspace(topics, { "authors.txt": "Yann LeCun\nYoshua Bengio\n\nLeCun, Yann\n" });
    onTestFinished(workspace.cleanup);
    const checks = await doctor({ workspaceDir: workspace.dir, env: {}, offline: true });
    const authors = checks.filter((c) => c.what === "authors");
    const file = join(workspace.dir, "authors.txt");
    expect(authors).toEqual([
      expect.objectContaining({ level: "ok", detail: `2 followed authors in ${file}.` }),
      expect.objectContaining({
        level: "warn",
        detail: `${file}: line 4 ("LeCun, Yann") names the person of line 1 ("Yann LeCun"); they are followed once, as line 1 writes them, so delete line 4 (the later one).`,
      }),
    ]);
  });

  it("warns of one Semantic Scholar id under two spellings: which line to delete, and that an initial matches others", async () => {
    const text = "Kaiming He | 39353098\nK. He | 39353098\nYann LeCun\nYann LeCun | 1688882\n";
    const workspace = tempWorkspace(topics, { "authors.txt": text });
    onTestFinished(workspace.cleanup);
    const checks = await doctor({ workspaceDir: workspace.dir, env: {}, offline: true });
    const file = join(workspace.dir, "authors.txt");
    expect(checks.filter((c) => c.what === "authors").map((c) => [c.level, c.detail])).toEqual([
      ["ok", `2 followed authors in ${file}.`],
      [
        "warn",
        `${file}: line 2 ("K. He") names the person of line 1 ("Kaiming He") (both give Semantic Scholar id 39353098); they are followed once, as line 1 writes them, so delete line 2 (the later one). "K. He" abbreviates a given name: as a line of its own it would also match other authors of that initial and surname.`,
      ],
      [
        "warn",
        `${file}: line 3 ("Yann LeCun") names the person of line 4 ("Yann LeCun"); they are followed once, as line 4 writes them, so delete line 3 (the one without the Semantic Scholar id).`,
      ],
    ]);
  });

  it("words the first five repeated lines of authors.txt one by one and names the rest in one warning", async () => {
    const text = `${Array(10_000).fill("Yann LeCun").join("\n")}\n`;
    const workspace = tempWorkspace(topics, { "authors.txt": text });
    onTestFinished(workspace.cleanup);
    const checks = await doctor({ workspaceDir: workspace.dir, env: {}, offline: true });
    const file = join(workspace.dir, "authors.txt");
    const repeat = (line: number) =>
      `${file}: line ${line} ("Yann LeCun") names the person of line 1 ("Yann LeCun"); they are followed once, as line 1 writes them, so delete line ${line} (the later one).`;
    expect(checks.filter((c) => c.what === "authors").map((c) => [c.level, c.detail])).toEqual([
      ["ok", `1 followed author in ${file}.`],
      ...[2, 3, 4, 5, 6].map((line) => ["warn", repeat(line)]),
      [
        "warn",
        `${file}: … and 9,994 more lines repeat a person already listed (lines 7–10000); delete them: each person stays followed, once.`,
      ],
    ]);
  });

  it.each([
    // Six repeated lines: the sixth worded too, rather than a summary of one line.
    [["Yann LeCun", ...Array(6).fill("LeCun, Yann")], [2, 3, 4, 5, 6, 7], null],
    [
      ["Yann LeCun", ...Array(5).fill("LeCun, Yann"), "Ada Lovelace", "Y. LeCun", "LeCun, Yann", "LeCun, Yann"],
      [2, 3, 4, 5, 6],
      "2 more lines repeat a person already listed (lines 9–10)",
    ],
    [
      [
        "Yann LeCun",
        ...Array(5).fill("LeCun, Yann"),
        "Ada Lovelace",
        "LeCun, Yann",
        "ada lovelace",
        "Alan Turing",
        "yann lecun",
      ],
      [2, 3, 4, 5, 6],
      "3 more lines repeat a person already listed (lines 8–9 and 11)",
    ],
    [
      [
        "Yann LeCun",
        ...Array(5).fill("LeCun, Yann"),
        ...Array.from({ length: 40 }, (_, i) => (i % 2 ? "yann lecun" : `Ada Lovelace${i}`)),
      ],
      [2, 3, 4, 5, 6],
      "20 more lines repeat a person already listed (lines 8, 10, 12, 14, 16, 18, …, 46)",
    ],
  ])("names the repeated lines past the fifth compactly (%#)", async (lines, worded, summary) => {
    const workspace = tempWorkspace(topics, { "authors.txt": `${lines.join("\n")}\n` });
    onTestFinished(workspace.cleanup);
    const checks = await doctor({ workspaceDir: workspace.dir, env: {}, offline: true });
    const file = join(workspace.dir, "authors.txt");
    const warnings = checks.filter((c) => c.what === "authors" && c.level === "warn").map((c) => c.detail);
    expect(warnings.slice(0, worded.length).map((w) => Number(/: line (\d+) /.exec(w)?.[1]))).toEqual(worded);
    expect(warnings.slice(worded.length)).toEqual(
      summary === null ? [] : [`${file}: … and ${summary}; delete them: each person stays followed, once.`],
    );
  });

  it("warns, naming the topic, when a topic has no include terms, and says what the scoring falls back to", async () => {
    const yaml = `topics:
  - id: moe
    title: Mixture of experts
    description: Routing and load balancing in sparse models.
    include: [mixture of experts]
  - id: interp
    title: Interpretability
    description: Probing and circuits.
    include: ["  ", "--"]
`;
    const checks = await doctor({ workspaceDir: ws(yaml), env: {}, offline: true });
    const topicChecks = checks.filter((c) => c.what.startsWith("topic "));
    expect(topicChecks).toHaveLength(1);
    expect(topicChecks[0]).toMatchObject({ level: "warn", what: "topic interp" });
    expect(topicChecks[0]!.detail).toBe(
      "topic \"interp\" has no include terms, so the offline scorer and the prefilter's topic score match only the distinctive words of its description, each at 0.3 of an include term (an offline day seldom rates its papers up to the cut-off), and the prefilter's topic similarity has only its title and description; list under include the phrases a paper on it would use.",
    );
    expect(checks.filter((c) => c.level === "fail")).toEqual([]);
  });

  it("passes a healthy workspace and checks each endpoint for real", async () => {
    const checks = await doctor({
      workspaceDir: ws(`${topics}arxiv:\n  contact: me@example.org\nllm:\n  provider: openai\n  model: gpt-5-mini\n`),
      env: { ARXIV_RSS_URL: `${arxiv.url}/rss`, OPENAI_BASE_URL: `${llm.url}/v1`, OPENAI_API_KEY: "good-key" },
    });
    const byWhat = Object.fromEntries(checks.map((c) => [c.what, c]));
    expect(checks.filter((c) => c.level === "fail")).toEqual([]);
    expect(byWhat["arXiv feed"]?.detail).toContain(`${arxiv.url}/rss/cs.LG+cs.AI+cs.CL`);
    expect(byWhat["LLM endpoint"]?.level).toBe("ok");
    expect(byWhat.price?.level).toBe("ok");
    expect(byWhat.authors?.detail).toMatch(/^1 followed author in /);
    expect(arxiv.requests.some((r) => /arxiv-digest/.test(String(r.headers["user-agent"])))).toBe(true);
  });

  it("says what to fix: a refused key, an unpriced model, a missing key and an unreachable feed", async () => {
    const refused = await doctor({
      workspaceDir: ws(`${topics}llm:\n  provider: openai\n  model: my-finetune-7b\n`),
      env: { ARXIV_RSS_URL: "http://127.0.0.1:9/rss", OPENAI_BASE_URL: `${llm.url}/v1`, OPENAI_API_KEY: "bad-key" },
    });
    const get = (what: string) => refused.find((c) => c.what === what)!;
    expect(get("LLM endpoint").level).toBe("fail");
    expect(get("LLM endpoint").detail).toMatch(/refused the key in OPENAI_API_KEY \(HTTP 401\)/);
    expect(get("LLM endpoint").detail).not.toMatch(/could not reach/);
    expect(get("price").level).toBe("warn");
    expect(get("price").detail).toMatch(/unpriced.*llm\.prices/);
    expect(get("arXiv feed").level).toBe("fail");
    expect(get("arxiv.contact").level).toBe("warn");

    const noKey = await doctor({ workspaceDir: ws(`${topics}llm:\n  provider: openai\n`), env: {}, offline: true });
    expect(noKey.find((c) => c.what === "LLM key")).toMatchObject({ level: "fail", usage: true });
    expect(noKey.find((c) => c.what === "LLM key")!.detail).toContain("OPENAI_API_KEY (llm.apiKeyEnv) is not set");
  });

  it("marks a failed check of the workspace's settings as the user's mistake (exit 2), an endpoint's not", async () => {
    // A missing key and a delivery without its secret: settings. A refused key and an unreachable feed: endpoints.
    const checks = await doctor({
      workspaceDir: ws(`${topics}llm:\n  provider: openai\ndeliver:\n  webhooks:\n    - urlEnv: HOOK_URL\n`),
      env: { ARXIV_RSS_URL: "http://127.0.0.1:9/rss" },
    });
    const failed = checks.filter((c) => c.level === "fail");
    expect(failed.map((c) => [c.what, c.usage === true])).toEqual([
      ["LLM key", true],
      ["deliver webhook (the URL in HOOK_URL)", true],
      ["arXiv feed", false],
      ["LLM endpoint", false],
    ]);
    const endpointsOnly = await doctor({
      workspaceDir: ws(`${topics}llm:\n  provider: openai\n`),
      env: { ARXIV_RSS_URL: "http://127.0.0.1:9/rss", OPENAI_BASE_URL: `${llm.url}/v1`, OPENAI_API_KEY: "bad-key" },
    });
    expect(endpointsOnly.filter((c) => c.level === "fail").map((c) => c.what)).toEqual(["arXiv feed", "LLM endpoint"]);
    expect(endpointsOnly.some((c) => c.usage)).toBe(false);
  });

  it("reports a key with a character no HTTP header carries as an environment mistake, not the network's", async () => {
    const checks = await doctor({
      workspaceDir: ws(`${topics}llm:\n  provider: openai\n`),
      env: { OPENAI_API_KEY: "sk-proj-abc\u2026", OPENAI_BASE_URL: `${llm.url}/v1` },
    });
    expect(checks).toEqual([expect.objectContaining({ level: "fail", what: "environment", usage: true })]);
    expect(checks[0]!.detail).toBe(
      `OPENAI_API_KEY (set in the environment) has an ellipsis "…" (U+2026, as in an example's placeholder) at position 12, which an HTTP header cannot carry; set it to the secret exactly as issued (printable ASCII, no spaces).`,
    );
    expect(llm.requests.filter((r) => r.headers.authorization?.includes("sk-"))).toEqual([]);
  });

  it("reports a broken config as one failed check naming the key", async () => {
    const checks = await doctor({
      workspaceDir: ws(`${topics}selection:\n  minRelevance: 42\n`),
      env: {},
      offline: true,
    });
    expect(checks).toHaveLength(1);
    expect(checks[0]!.level).toBe("fail");
    expect(checks[0]!.usage).toBe(true);
    expect(checks[0]!.detail).toMatch(/selection\.minRelevance \(line \d+\)/);
  });

  it("redacts the environment's secrets and URL credentials from a broken config's message", async () => {
    // A value the config's mistake quotes, which is also a secret of this environment.
    const checks = await doctor({
      workspaceDir: ws(`${topics}arxiv:\n  contact: hunter2-proxy-pass\n  contact: me@example.org\n`),
      env: { SMTP_PASSWORD: "hunter2-proxy-pass" },
      offline: true,
    });
    expect(checks).toEqual([expect.objectContaining({ level: "fail", what: "config", usage: true })]);
    expect(checks[0]!.detail).toContain("arxiv.contact is set twice");
    expect(checks[0]!.detail).not.toContain("hunter2");
  });

  it("reports an environment URL that is not a URL as the one failed check, never Ready", async () => {
    const checks = await doctor({ workspaceDir: ws(topics), env: { OPENAI_BASE_URL: "notaurl" }, offline: true });
    expect(checks).toEqual([expect.objectContaining({ level: "fail", what: "environment", usage: true })]);
    expect(checks[0]!.detail).toMatch(/^OPENAI_BASE_URL \(set in the environment\) is not an http\(s\) URL/);
  });

  it("warns about a .env line it cannot read, by file and line", async () => {
    const dir = ws(topics);
    await writeFile(join(dir, ".env"), "OPENAI_API_KEY sk-abcdefghijkl\n");
    const checks = await doctor({ workspaceDir: dir, env: {}, offline: true });
    const warning = checks.find((c) => c.what === ".env");
    expect(warning?.level).toBe("warn");
    expect(warning?.detail).toMatch(/\.env:1: not a NAME=value line/);
    expect(JSON.stringify(checks)).not.toContain("abcdefghijkl");
  });

  it("warns of a model this endpoint does not list, with the close ones it does (its list is no authority)", async () => {
    const listing = await startServer((_req, res) => {
      sendJson(res, 200, { object: "list", data: ["gpt-4o", "gpt-4o-mini", "gpt-5-mini"].map((id) => ({ id })) });
    });
    onTestFinished(() => listing.close());
    const run = (model: string) =>
      doctor({
        workspaceDir: ws(`${topics}llm:\n  provider: openai\n  model: gpt-5-mini\n`),
        env: {
          ARXIV_RSS_URL: `${arxiv.url}/rss`,
          OPENAI_BASE_URL: `${listing.url}/v1`,
          OPENAI_API_KEY: "good-key",
          ARXIV_DIGEST_MODEL: model,
        },
      });
    const typo = await run("gpt-4o-typo");
    const model = typo.find((c) => c.what === "LLM model");
    expect(model?.level).toBe("warn");
    expect(model?.usage).toBeUndefined();
    expect(model?.detail).toMatch(
      /does not list gpt-4o-typo \(ARXIV_DIGEST_MODEL\); set ARXIV_DIGEST_MODEL to one it lists \(did you mean gpt-4o\b/,
    );
    expect(typo.find((c) => c.what === "LLM endpoint")?.level).toBe("ok");
    expect((await run("gpt-4o-mini")).find((c) => c.what === "LLM model")).toBeUndefined();
  });
});

describe("doctor on a hostile endpoint", () => {
  it("refuses a model list larger than any endpoint sends, unread, and says the model was not checked", async () => {
    const listing = await startServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      // 9 MB: past the 8 MB a model list may hold.
      const line = `${JSON.stringify({ id: "gpt-4o", description: "x".repeat(1000) })},`;
      res.write('{"data":[');
      for (let i = 0; i < (9 * 1024 * 1024) / line.length; i++) res.write(line);
      res.end('{"id":"gpt-5-mini"}]}');
    });
    onTestFinished(() => listing.close());
    const checks = await doctor({
      workspaceDir: ws(`${topics}llm:\n  provider: openai\n  model: gpt-5-mini\n`),
      env: { ARXIV_RSS_URL: `${arxiv.url}/rss`, OPENAI_BASE_URL: `${listing.url}/v1`, OPENAI_API_KEY: "good-key" },
    });
    expect(checks.find((c) => c.what === "LLM endpoint")?.level).toBe("ok");
    expect(checks.find((c) => c.what === "LLM model")).toMatchObject({
      level: "warn",
      detail: expect.stringMatching(/larger than 8 MB.*not read, so whether it lists gpt-5-mini is not checked\.$/),
    });
  });
});

describe("doctor on a hostile config", () => {
  it("reports a YAML alias bomb as one failed config check", async () => {
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x]"];
    for (const n of ["b", "c", "d", "e", "f", "g"])
      bomb.push(
        `${n}: &${n} [${Array(9)
          .fill(`*${bomb.at(-1)![0]}`)
          .join(", ")}]`,
      );
    const checks = await doctor({ workspaceDir: ws(`${topics}${bomb.join("\n")}\n`), env: {}, offline: true });
    expect(checks).toHaveLength(1);
    expect(checks[0]).toMatchObject({ level: "fail", what: "config" });
    expect(checks[0]!.detail).toMatch(/arxiv-digest\.yaml.*aliases/);
  });
});

describe("doctor on delivery settings", () => {
  it("names the missing secret of each configured channel", async () => {
    const checks = await doctor({
      workspaceDir: ws(
        `${topics}deliver:\n  slack:\n    channel: "#papers"\n  webhooks:\n    - url: http://127.0.0.1:9/hook\n`,
      ),
      env: {},
      offline: true,
    });
    const slack = checks.find((c) => c.what.startsWith("deliver slack"))!;
    expect(slack.level).toBe("fail");
    expect(slack.detail).toMatch(/SLACK_WEBHOOK_URL.*SLACK_BOT_TOKEN/);
    expect(checks.find((c) => c.what.startsWith("deliver webhook"))?.level).toBe("ok");
  });
});

describe("doctor on the first hour's mistakes", () => {
  it("warns that a localhost site.baseUrl makes the links in deliveries dead, only when a channel is set", async () => {
    const hook = "deliver:\n  webhooks:\n    - url: http://127.0.0.1:9/hook\n";
    const local = await doctor({ workspaceDir: ws(`${topics}${hook}`), env: {}, offline: true });
    const warning = local.find((c) => c.what === "site.baseUrl");
    expect(warning?.level).toBe("warn");
    expect(warning?.detail).toMatch(/localhost:8080.*links in its messages would be dead.*site\.baseUrl/);

    const published = await doctor({
      workspaceDir: ws(`${topics}${hook}site:\n  baseUrl: https://reader.github.io/papers/\n`),
      env: {},
      offline: true,
    });
    expect(published.find((c) => c.what === "site.baseUrl")).toBeUndefined();
    const undelivered = await doctor({ workspaceDir: ws(topics), env: {}, offline: true });
    expect(undelivered.find((c) => c.what === "site.baseUrl")).toBeUndefined();
    // In the daily workflow, which passes GitHub Pages' address for a default site.baseUrl.
    const inWorkflow = await doctor({
      workspaceDir: ws(`${topics}${hook}`),
      env: { ARXIV_DIGEST_SITE_URL: "https://reader.github.io/papers" },
      offline: true,
    });
    expect(inWorkflow.find((c) => c.what === "site.baseUrl")).toBeUndefined();
  });

  it("warns when a workflow does not pass the Pages address while site.baseUrl is the default", async () => {
    const { initWorkspace } = await import("../../src/workspace/init.js");
    const dir = ws(topics);
    await initWorkspace(dir, { workflowsOnly: true });
    const current = await doctor({ workspaceDir: dir, env: {}, offline: true });
    expect(current.find((c) => c.what === "workflow site address")).toBeUndefined();

    // The previous version's daily workflow: no ARXIV_DIGEST_SITE_URL on its run step.
    const path = join(dir, ".github/workflows/daily.yml");
    const text = await readFile(path, "utf8");
    await writeFile(path, text.replaceAll(/^\s*ARXIV_DIGEST_SITE_URL: .*\n/gm, ""));
    const older = await doctor({ workspaceDir: dir, env: {}, offline: true });
    const warning = older.find((c) => c.what === "workflow site address");
    expect(warning?.level).toBe("warn");
    expect(warning?.detail).toMatch(
      /^\.github\/workflows\/daily\.yml does not pass GitHub Pages' address \(ARXIV_DIGEST_SITE_URL\).*init --workflows/,
    );
    // A site.baseUrl of the reader's own: nothing to pass.
    await writeFile(join(dir, "arxiv-digest.yaml"), `${topics}site:\n  baseUrl: https://papers.example.org/\n`);
    const own = await doctor({ workspaceDir: dir, env: {}, offline: true });
    expect(own.find((c) => c.what === "workflow site address")).toBeUndefined();
  });

  it("warns when the daily workflow keeps the site between runs but not its build state", async () => {
    const { initWorkspace } = await import("../../src/workspace/init.js");
    const dir = ws(topics);
    await initWorkspace(dir, { workflowsOnly: true });
    const current = await doctor({ workspaceDir: dir, env: {}, offline: true });
    expect(current.find((c) => c.what === "daily workflow")).toBeUndefined();

    // The previous version's cache step: the site and the list of records, no state.
    const path = join(dir, ".github/workflows/daily.yml");
    await writeFile(path, (await readFile(path, "utf8")).replaceAll(/^\s*\.site-state\n/gm, ""));
    const older = await doctor({ workspaceDir: dir, env: {}, offline: true });
    const warning = older.find((c) => c.what === "daily workflow");
    expect(warning?.level).toBe("warn");
    expect(warning?.detail).toMatch(/not its build state \(\.site-state\).*arxiv-digest init --workflows/);
    // Named on the command line, the workspace is named in the command to run too.
    const named = await doctor({ workspaceDir: dir, env: {}, offline: true, named: "../papers" });
    expect(named.find((c) => c.what === "daily workflow")?.detail).toContain(
      "`arxiv-digest init --workflows --workspace ../papers` writes this version's workflows",
    );
  });

  it("warns when the workflows publish another folder than site.outDir, and init --workflows writes the config's", async () => {
    const { initWorkspace } = await import("../../src/workspace/init.js");
    const dir = ws(`${topics}site:\n  outDir: public/site\n`);
    const path = join(dir, ".github/workflows/daily.yml");
    // Workflows written for the default folder, then the config moved the site.
    await initWorkspace(dir, { workflowsOnly: true });
    await writeFile(
      path,
      (await readFile(path, "utf8")).replaceAll("public/site", "site").replaceAll("public/.site-state", ".site-state"),
    );
    const moved = await doctor({ workspaceDir: dir, env: {}, offline: true });
    expect(moved.find((c) => c.what === "daily workflow")?.detail).toMatch(
      /publishes site, but site\.outDir builds the site into public\/site.*init --workflows/,
    );

    await initWorkspace(dir, { workflowsOnly: true });
    const text = await readFile(path, "utf8");
    expect(text).toContain("path: public/site\n");
    expect(text).toMatch(/^ {12}public\/site\n {12}public\/\.site-state\n/m);
    expect(text).toContain("[ -f public/site/.site-manifest.json ]");
    expect(
      (await doctor({ workspaceDir: dir, env: {}, offline: true })).find((c) => c.what === "daily workflow"),
    ).toBeUndefined();
  });

  it("fails a workflow whose install line still names the placeholder owner, naming the file and line", async () => {
    const { initWorkspace } = await import("../../src/workspace/init.js");
    const dir = ws(topics);
    const sha = "0123456789abcdef0123456789abcdef01234567";
    await initWorkspace(dir, { workflowsOnly: true, origin: { repo: "github:ada/arxiv-digest", commit: sha } });
    const pinned = await doctor({ workspaceDir: dir, env: {}, offline: true });
    expect(pinned.filter((c) => c.what === "workflow install")).toEqual([]);

    const { placeholders } = await initWorkspace(dir, { workflowsOnly: true, origin: null });
    const problems = (await doctor({ workspaceDir: dir, env: {}, offline: true })).filter(
      (c) => c.what === "workflow install",
    );
    expect(problems.map((c) => c.level)).toEqual(["fail", "fail"]);
    for (const { file, line, spec } of placeholders) {
      const found = problems.find((c) => c.detail.startsWith(`${file} line ${line}: spec="${spec}"`));
      expect(found?.detail, file).toContain("placeholder owner OWNER");
    }
    // A local folder is no address a runner can install from.
    const path = join(dir, ".github/workflows/daily.yml");
    await writeFile(
      path,
      (await readFile(path, "utf8")).replace(/spec="[^"]*"/, `spec="git+file:///home/me/arxiv-digest#${sha}"`),
    );
    const local = await doctor({ workspaceDir: dir, env: {}, offline: true });
    expect(local.find((c) => c.detail.startsWith(".github/workflows/daily.yml"))?.detail).toMatch(
      /no repository address a GitHub runner can reach/,
    );
  });

  it("warns when the config reads a secret from a variable the workflows do not pass", async () => {
    const { initWorkspace } = await import("../../src/workspace/init.js");
    const dir = ws(topics);
    await initWorkspace(dir, { workflowsOnly: true, origin: { repo: "github:ada/arxiv-digest", commit: null } });
    const config = `${topics}llm:\n  apiKeyEnv: DEEPSEEK_API_KEY\ndeliver:\n  slack:\n    webhookUrlEnv: TEAM_HOOK\n`;
    await writeFile(join(dir, "arxiv-digest.yaml"), config);
    await writeFile(join(dir, "authors.txt"), "Yoshua Bengio | 1751762\n");
    const warned = (await doctor({ workspaceDir: dir, env: {}, offline: true })).filter(
      (c) => c.what === "workflow secrets",
    );
    const daily = warned.filter((c) => c.detail.startsWith(".github/workflows/daily.yml"));
    expect(daily.map((c) => c.detail.split(" ")[4])).toEqual(["DEEPSEEK_API_KEY", "TEAM_HOOK"]);
    expect(daily.every((c) => c.level === "warn" && c.detail.includes("arxiv-digest init --workflows"))).toBe(true);
    expect(
      warned.some((c) => c.detail.startsWith(".github/workflows/backfill.yml does not pass DEEPSEEK_API_KEY")),
    ).toBe(true);

    // Written again from this config: every secret it reads is passed.
    await initWorkspace(dir, { workflowsOnly: true, origin: { repo: "github:ada/arxiv-digest", commit: null } });
    const after = await doctor({ workspaceDir: dir, env: {}, offline: true });
    expect(after.filter((c) => c.what === "workflow secrets")).toEqual([]);

    // An older workflow without Semantic Scholar's key, for authors followed by their id.
    const path = join(dir, ".github/workflows/daily.yml");
    await writeFile(path, (await readFile(path, "utf8")).replace(/^\s*S2_API_KEY:.*\n/m, ""));
    const older = await doctor({ workspaceDir: dir, env: {}, offline: true });
    expect(older.filter((c) => c.what === "workflow secrets").map((c) => c.detail.split(" ").slice(0, 5))).toEqual([
      [".github/workflows/daily.yml", "does", "not", "pass", "S2_API_KEY"],
    ]);
  });

  it("names an unreachable endpoint by its URL, without the URL's credentials", async () => {
    const checks = await doctor({
      workspaceDir: ws(`${topics}llm:\n  provider: openai\n`),
      env: {
        ARXIV_RSS_URL: "http://127.0.0.1:9/rss",
        OPENAI_BASE_URL: "http://proxyuser:hunter2secret@127.0.0.1:9/v1",
        OPENAI_API_KEY: "good-key",
      },
    });
    const llmCheck = checks.find((c) => c.what === "LLM endpoint")!;
    expect(llmCheck.level).toBe("fail");
    expect(llmCheck.detail).toContain("127.0.0.1:9/v1/models");
    expect(llmCheck.detail).not.toContain("hunter2secret");
    expect(llmCheck.detail).not.toContain("proxyuser");
    const feed = checks.find((c) => c.what === "arXiv feed")!;
    expect(feed.level).toBe("fail");
    expect(feed.detail).toContain("http://127.0.0.1:9/rss/");
  });

  it("stops outside a workspace instead of checking the bundled example config", async () => {
    const empty = tempWorkspace(null);
    onTestFinished(empty.cleanup);
    await expect(doctor({ workspaceDir: empty.dir, env: {}, offline: true })).rejects.toThrow(
      /not a workspace: run `arxiv-digest init`/,
    );
  });
});

describe("doctor on a new user's environment", () => {
  const KEY = "sk-proj-abcdefghijklmnopqrstuvwx0123";

  it("fails, naming the variable and never its value, when the LLM key sits under another name", async () => {
    const dir = tempWorkspace(topics, { ".env": `OPENAI_KEY=${KEY}\n` });
    onTestFinished(dir.cleanup);
    const checks = await doctor({ workspaceDir: dir.dir, env: {}, offline: true });
    const key = checks.find((c) => c.what === "LLM key")!;
    expect(key).toMatchObject({ level: "fail", usage: true });
    expect(key.detail).toBe(
      `OPENAI_API_KEY (llm.apiKeyEnv) is not set, so papers are scored by the offline lexical scorer, but OPENAI_KEY (set in ${join(dir.dir, ".env")}) looks like an LLM key; rename it to OPENAI_API_KEY, or set llm.apiKeyEnv to its name.`,
    );
    expect(JSON.stringify(checks)).not.toContain(KEY.slice(8));
    // With provider "openai" the missing key's failure names it too.
    const openai = await doctor({
      workspaceDir: ws(`${topics}llm:\n  provider: openai\n`),
      env: { OPENAI_SECRET_KEY: KEY },
      offline: true,
    });
    expect(openai.find((c) => c.what === "LLM key")?.detail).toMatch(
      /^llm\.provider is "openai" but OPENAI_API_KEY \(llm\.apiKeyEnv\) is not set, while OPENAI_SECRET_KEY \(set in the environment\) looks like an LLM key; rename it to OPENAI_API_KEY/,
    );
    // One in the shell only (it may be another tool's): said, as a warning, and provider "auto" scores offline.
    const shell = await doctor({ workspaceDir: ws(topics), env: { OPENAI_KEY: KEY }, offline: true });
    expect(shell.find((c) => c.what === "LLM key")).toMatchObject({
      level: "warn",
      detail: expect.stringMatching(/but OPENAI_KEY \(set in the environment\) looks like an LLM key/),
    });
  });

  it("keeps the warning for a workspace without any key, the config's other secrets and a shell's API tokens", async () => {
    const dir = tempWorkspace(topics, { ".env": "S2_API_KEY=s2-secret\nSLACK_WEBHOOK_URL=\n" });
    onTestFinished(dir.cleanup);
    const checks = await doctor({
      workspaceDir: dir.dir,
      env: { HOMEBREW_GITHUB_API_TOKEN: "ghp_x", GITHUB_TOKEN: "ghp_y" },
      offline: true,
    });
    expect(checks.find((c) => c.what === "LLM key")).toMatchObject({
      level: "warn",
      detail:
        "OPENAI_API_KEY is not set: papers will be scored by the offline lexical scorer. Set it to use gpt-4.1-mini.",
    });
    // Provider "offline" asks for no key at all.
    const offline = await doctor({
      workspaceDir: ws(`${topics}llm:\n  provider: offline\n`),
      env: { OPENAI_KEY: KEY },
      offline: true,
    });
    expect(offline.filter((c) => c.level === "fail")).toEqual([]);
    expect(offline.find((c) => c.what === "LLM key")).toEqual({
      level: "ok",
      what: "LLM key",
      detail: "none needed: llm.provider is offline, so the free lexical scorer judges.",
    });
  });

  it("says a URL in the Slack bot token belongs in the webhook variable, and labels a channel without a target by its mode", async () => {
    const slack = (env: Record<string, string>) =>
      doctor({ workspaceDir: ws(`${topics}deliver:\n  slack: {}\n`), env, offline: true }).then(
        (checks) => checks.find((c) => c.what.startsWith("deliver slack"))!,
      );
    const url = await slack({ SLACK_BOT_TOKEN: "https://hooks.slack.com/services/T0/B0/secretpart" });
    expect(url).toMatchObject({ level: "fail", what: "deliver slack (bot mode)", usage: true });
    expect(url.detail).toBe(
      "SLACK_BOT_TOKEN (deliver.slack.botTokenEnv) holds a URL, not a bot token (xoxb-…); an incoming webhook's URL goes in SLACK_WEBHOOK_URL (deliver.slack.webhookUrlEnv), so move it there and leave SLACK_BOT_TOKEN unset.",
    );
    expect(url.detail).not.toContain("secretpart");
    // With the webhook's variable set and no channel, webhook mode works: the URL is ignored, with a warning.
    const ignored = await slack({
      SLACK_BOT_TOKEN: "https://hooks.slack.com/services/T0/B0/secretpart",
      SLACK_WEBHOOK_URL: "https://hooks.slack.com/services/T0/B1/otherpart",
    });
    expect(ignored).toMatchObject({ level: "warn", what: "deliver slack (incoming webhook)" });
    expect(ignored.detail).toMatch(/^SLACK_BOT_TOKEN \(deliver\.slack\.botTokenEnv\) holds a URL, .*and is ignored/);
    expect(ignored.detail).not.toMatch(/secretpart|otherpart/);
    expect((await slack({ SLACK_BOT_TOKEN: "xoxb-1" })).what).toBe("deliver slack (bot mode)");
    expect((await slack({})).what).toBe("deliver slack (not set up)");
  });
});

describe("doctor's SMTP check", () => {
  let smtp: SmtpReceiver | undefined;
  afterEach(async () => {
    await smtp?.close();
    smtp = undefined;
  });
  const emailYaml = (port: number, tls: string) =>
    `${topics}arxiv:\n  contact: me@example.org\ndeliver:\n  email:\n    host: 127.0.0.1\n    port: ${port}\n    tls: ${tls}\n    user: me@example.org\n    from: me@example.org\n    to: [you@example.org]\n`;
  const smtpCheck = async (port: number, tls: string) => {
    const checks = await doctor({
      workspaceDir: ws(emailYaml(port, tls)),
      env: { SMTP_PASSWORD: "account-password", ARXIV_RSS_URL: `${arxiv.url}/rss` },
    });
    return checks.find((c) => c.what === "SMTP")!;
  };

  it("reports a refused login as a settings mistake (exit 2) naming the user and the password variable", async () => {
    smtp = await startSmtpReceiver({ allowInsecureAuth: true, onAuth: (_a, _s, cb) => cb(new Error("Invalid login")) });
    const c = await smtpCheck(smtp.port, "none");
    expect(c).toMatchObject({ level: "fail", usage: true });
    expect(c.detail).toBe(
      `127.0.0.1:${smtp.port} rejected the login (535 Invalid login): check deliver.email.user (me@example.org) and the password in SMTP_PASSWORD, which for Gmail, Outlook, QQ Mail and 163/126 must be an app password or authorisation code (授权码) generated in the account's security settings, not the account password.`,
    );
    expect(c.detail).not.toContain("could not reach");
    expect(c.detail).not.toContain("account-password");
  });

  it("says to turn STARTTLS on when the server wants it before the login", async () => {
    smtp = await startSmtpReceiver({ onAuth: (_a, _s, cb) => cb(null, { user: "u" }) });
    const c = await smtpCheck(smtp.port, "none");
    expect(c).toMatchObject({ level: "fail", usage: true });
    expect(c.detail).toMatch(
      new RegExp(
        `^127\\.0\\.0\\.1:${smtp.port} requires STARTTLS before the login or the message \\(.*STARTTLS.*\\): set deliver\\.email\\.tls to starttls \\(or auto\\), so the connection is encrypted first\\.$`,
      ),
    );
  });

  it("says a self-signed certificate is not trusted and how to trust it, a settings mistake (exit 2), not a name to check", async () => {
    smtp = await startSmtpReceiver({ secure: true });
    const c = await smtpCheck(smtp.port, "implicit");
    expect(c).toMatchObject({ level: "fail", usage: true });
    expect(c.detail).toMatch(/^the TLS certificate of 127\.0\.0\.1:\d+ is not trusted \(self-signed certificate/);
    expect(c.detail).toContain("set NODE_EXTRA_CA_CERTS to the path of that authority's certificate (a PEM file)");
    expect(c.detail).not.toContain("the name the certificate was issued for");
  });

  it("keeps a server it could not reach an endpoint failure (exit 1), said in full sentences", async () => {
    smtp = await startSmtpReceiver();
    const port = smtp.port;
    await smtp.close();
    smtp = undefined;
    const c = await smtpCheck(port, "none");
    expect(c.level).toBe("fail");
    expect(c.usage).toBeUndefined();
    expect(c.detail).toBe(`127.0.0.1:${port} refused the connection: check deliver.email.host and deliver.email.port.`);
  });
});

describe("doctor's Slack bot check", () => {
  let api: SlackApi | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });
  const TOKEN = "xoxb-test-token";
  const slackChecks = async (options: SlackApiOptions, channel = "C0123", token = TOKEN) => {
    api = await startSlackApi(options);
    const checks = await doctor({
      workspaceDir: ws(`${topics}deliver:\n  slack:\n    channel: "${channel}"\n    apiUrl: ${api.url}\n`),
      env: { SLACK_BOT_TOKEN: token, ARXIV_RSS_URL: `${arxiv.url}/rss` },
    });
    for (const c of checks) expect(c.detail).not.toContain(token);
    return checks.filter((c) => c.what.startsWith("Slack "));
  };

  it("asks Slack for the token's scopes and the channel, and passes a bot that has what it needs", async () => {
    const checks = await slackChecks({ scopes: ["chat:write", "channels:history", "channels:read"] });
    expect(checks).toEqual([
      {
        level: "ok",
        what: "Slack token",
        detail: "Slack accepted the token in SLACK_BOT_TOKEN (bot digest-bot, workspace Lab).",
      },
      { level: "ok", what: "Slack scopes", detail: "the token has chat:write and channels:history." },
      { level: "ok", what: "Slack channel", detail: "the bot can post to #papers (C0123)." },
    ]);
    expect(api!.calls("auth.test")[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(api!.calls("conversations.info")[0]?.url).toBe("/conversations.info?channel=C0123");
    expect(api!.messages).toEqual([]);
  });

  it("fails a token without chat:write as a setting (exit 2), saying to add the scope and reinstall", async () => {
    const checks = await slackChecks({ scopes: ["channels:history"] });
    const scopes = checks.find((c) => c.what === "Slack scopes")!;
    expect(scopes).toMatchObject({ level: "fail", usage: true });
    expect(scopes.detail).toBe(
      `the token in SLACK_BOT_TOKEN lacks the chat:write scope, so the bot cannot post (it has channels:history); add it under "OAuth & Permissions" → Bot Token Scopes in your Slack app's settings and reinstall the app to the workspace (should Slack then show a new Bot User OAuth Token, put it in SLACK_BOT_TOKEN).`,
    );
  });

  it("warns when the bot cannot read the channel's history, with the consequence and the fix", async () => {
    const checks = await slackChecks({ scopes: ["chat:write", "channels:read"] });
    const scopes = checks.find((c) => c.what === "Slack scopes")!;
    expect(scopes.level).toBe("warn");
    expect(scopes.detail).toBe(
      `the token in SLACK_BOT_TOKEN has chat:write but not channels:history: when Slack's answer to a post is lost (a timeout, a dropped connection), the bot cannot look for the message in the channel, so the retry may post it a second time. To rule that out, add channels:history under "OAuth & Permissions" → Bot Token Scopes in your Slack app's settings and reinstall the app to the workspace (should Slack then show a new Bot User OAuth Token, put it in SLACK_BOT_TOKEN).`,
    );
    expect(checks.filter((c) => c.level === "fail")).toEqual([]);
    // A private channel wants groups:history; channels:history does not do.
    const priv = await slackChecks({ scopes: ["chat:write", "channels:history", "groups:read"], private: true });
    expect(priv.find((c) => c.what === "Slack scopes")).toMatchObject({ level: "warn" });
    expect(priv.find((c) => c.what === "Slack scopes")!.detail).toMatch(/has chat:write but not groups:history: /);
  });

  it("fails a token Slack refuses as a setting, naming the variable and never the value", async () => {
    for (const [options, token, error] of [
      [{}, "xoxb-mistyped", "invalid_auth"],
      [{ tokenError: "token_revoked" }, TOKEN, "token_revoked"],
    ] as const) {
      const checks = await slackChecks(options, "C0123", token);
      expect(checks).toEqual([
        {
          level: "fail",
          what: "Slack token",
          usage: true,
          detail: `Slack auth.test answered ${error}: the token in SLACK_BOT_TOKEN is not valid; copy the Bot User OAuth Token (xoxb-…) from your Slack app's "OAuth & Permissions" page into SLACK_BOT_TOKEN.`,
        },
      ]);
      expect(api!.calls("conversations.info")).toEqual([]);
      await api!.close();
      api = undefined;
    }
  });

  it("keeps a Slack it could not reach an endpoint failure (exit 1)", async () => {
    api = await startSlackApi();
    api.down = true;
    const checks = await doctor({
      workspaceDir: ws(`${topics}deliver:\n  slack:\n    channel: C0123\n    apiUrl: ${api.url}\n`),
      env: { SLACK_BOT_TOKEN: TOKEN, ARXIV_RSS_URL: `${arxiv.url}/rss` },
    });
    const token = checks.find((c) => c.what === "Slack token")!;
    expect(token.level).toBe("fail");
    expect(token.usage).toBeUndefined();
    expect(token.detail).toMatch(
      /^could not reach Slack auth\.test: .*Check deliver\.slack\.apiUrl \(http:\/\/127\.0\.0\.1:\d+\) and the network\.$/,
    );
    expect(checks.some((c) => c.usage)).toBe(false);
  });

  it("fails a channel the bot is not in, saying to invite it; a private one it cannot see alike", async () => {
    const outside = await slackChecks({ scopes: ["chat:write", "channels:history", "channels:read"], member: false });
    expect(outside.find((c) => c.what === "Slack channel")).toEqual({
      level: "fail",
      what: "Slack channel",
      usage: true,
      detail:
        "the bot is not a member of #papers (C0123), so Slack refuses its posts; type /invite @<your app> in #papers (C0123).",
    });
    const hidden = await slackChecks({
      scopes: ["chat:write", "groups:history", "groups:read"],
      private: true,
      member: false,
    });
    const channel = hidden.find((c) => c.what === "Slack channel")!;
    expect(channel).toMatchObject({ level: "fail", usage: true });
    expect(channel.detail).toMatch(/^Slack conversations\.info answered channel_not_found: .*\/invite @<your app>/);
  });

  it("checks the channel through its history when the token may not read its details, and says when it cannot", async () => {
    const viaHistory = await slackChecks({ scopes: ["chat:write", "channels:history"], member: false });
    expect(viaHistory.find((c) => c.what === "Slack channel")).toMatchObject({
      level: "fail",
      usage: true,
      detail:
        "Slack conversations.history answered not_in_channel: the bot is not a member of channel C0123; type /invite @<your app> in the channel.",
    });
    const readable = await slackChecks({ scopes: ["chat:write", "channels:history"] });
    expect(readable.find((c) => c.what === "Slack channel")).toMatchObject({ level: "ok" });
    const neither = await slackChecks({ scopes: ["chat:write"] });
    expect(neither.find((c) => c.what === "Slack channel")).toEqual({
      level: "warn",
      what: "Slack channel",
      detail:
        "not checked: Slack says whether the bot can post to C0123 only to a token with channels:read or channels:history, and the token in SLACK_BOT_TOKEN has neither; the first delivery will tell.",
    });
  });

  it("skips the channel check for a #name with a note, and says when Slack does not list the scopes", async () => {
    const checks = await slackChecks({ hideScopes: true }, "#papers");
    expect(checks.map((c) => [c.what, c.level])).toEqual([
      ["Slack token", "ok"],
      ["Slack scopes", "warn"],
      ["Slack channel", "warn"],
    ]);
    expect(checks[1]!.detail).toMatch(/^Slack did not say which scopes the token in SLACK_BOT_TOKEN has/);
    expect(checks[2]!.detail).toBe(
      `not checked: deliver.slack.channel is "#papers", a name, and Slack looks a channel up by its ID only. Posting by name works, but a summary whose answer from Slack was lost cannot be looked for before it is posted again; set deliver.slack.channel to the channel's ID (C…, in the channel's details in Slack).`,
    );
    expect(api!.calls("conversations.info")).toEqual([]);
  });

  it("asks Slack nothing offline, or in webhook mode", async () => {
    api = await startSlackApi();
    await doctor({
      workspaceDir: ws(`${topics}deliver:\n  slack:\n    channel: C0123\n    apiUrl: ${api.url}\n`),
      env: { SLACK_BOT_TOKEN: TOKEN },
      offline: true,
    });
    await doctor({
      workspaceDir: ws(`${topics}deliver:\n  slack:\n    apiUrl: ${api.url}\n`),
      env: { SLACK_WEBHOOK_URL: "http://127.0.0.1:9/hook", ARXIV_RSS_URL: `${arxiv.url}/rss` },
    });
    expect(api.server.requests).toEqual([]);
  });
});

describe("doctor's GitHub token check, with feedback.github set", () => {
  let github: FakeGitHub | undefined;
  afterEach(async () => {
    await github?.server.close();
    github = undefined;
  });
  const REPO = "reader/papers";
  const TOKEN = `ghp_${"a1B2".repeat(9)}`;
  const githubChecks = async (
    env: Record<string, string>,
    options: Partial<Parameters<typeof startFakeGitHub>[0]> = {},
    offline = false,
  ) => {
    github = await startFakeGitHub({ repo: REPO, token: TOKEN, issues: [], ...options });
    const checks = await doctor({
      workspaceDir: ws(`${topics}feedback:\n  github: ${REPO}\n`),
      env: { ARXIV_RSS_URL: `${arxiv.url}/rss`, GITHUB_API_URL: github.url, ...env },
      offline,
    });
    for (const c of checks) expect(c.detail).not.toContain(env.GITHUB_TOKEN ?? TOKEN);
    return checks.filter((c) => c.what === "GitHub token");
  };

  it("says nothing of GitHub when feedback.github is not set", async () => {
    const checks = await doctor({ workspaceDir: ws(topics), env: {}, offline: true });
    expect(checks.filter((c) => c.what.startsWith("GitHub"))).toEqual([]);
  });

  it("warns of a missing GITHUB_TOKEN, naming the variable, the repository and the workflow's own token", async () => {
    const checks = await githubChecks({});
    expect(checks).toEqual([
      {
        level: "warn",
        what: "GitHub token",
        detail: expect.stringMatching(
          /^GITHUB_TOKEN is not set, so `arxiv-digest feedback sync[^`]*` cannot read the site's feedback issues of reader\/papers \(feedback\.github\) from here; the daily workflow passes its own token\. To sync from this machine, put a token that can read and close issues of reader\/papers in GITHUB_TOKEN \(\.env or the environment\)\.$/,
        ),
      },
    ]);
    expect(github!.server.requests).toEqual([]);
  });

  it("fails a value that is no GitHub token as a setting (exit 2), without asking GitHub", async () => {
    for (const [value, said] of [
      ["https://github.com/reader/papers", "GITHUB_TOKEN holds a URL, not a token; "],
      [
        "hunter2hunter2",
        "GITHUB_TOKEN does not look like a GitHub token (ghp_…, github_pat_…, gho_/ghu_/ghs_…, or 40 hex digits of an older one); ",
      ],
    ] as const) {
      const checks = await githubChecks({ GITHUB_TOKEN: value });
      expect(checks).toEqual([
        {
          level: "fail",
          what: "GitHub token",
          usage: true,
          detail: `${said}set it to a token that can read and close issues of reader/papers (feedback.github), exactly as GitHub issued it.`,
        },
      ]);
      expect(github!.server.requests).toEqual([]);
      await github!.server.close();
      github = undefined;
    }
  });

  it("asks GitHub who the token is and whether it sees the repository", async () => {
    const checks = await githubChecks({ GITHUB_TOKEN: TOKEN });
    expect(checks).toEqual([
      { level: "ok", what: "GitHub token", detail: "GITHUB_TOKEN is set (feedback sync of reader/papers)." },
      {
        level: "ok",
        what: "GitHub token",
        detail: "GitHub accepted the token in GITHUB_TOKEN (reader), which can read reader/papers.",
      },
    ]);
    expect(github!.server.requests.map((r) => [r.method, r.url, r.headers.authorization])).toEqual([
      ["GET", "/user", `Bearer ${TOKEN}`],
      ["GET", "/repos/reader/papers", `Bearer ${TOKEN}`],
    ]);
    // Offline, only the shape is checked.
    const offline = await githubChecks({ GITHUB_TOKEN: TOKEN }, {}, true);
    expect(offline.map((c) => c.level)).toEqual(["ok"]);
    expect(github!.server.requests).toEqual([]);
  });

  it("fails a token GitHub refuses as a setting, and warns of one that cannot close issues", async () => {
    const refused = await githubChecks({ GITHUB_TOKEN: `ghp_${"z9".repeat(18)}` });
    expect(refused[1]).toEqual({
      level: "fail",
      what: "GitHub token",
      usage: true,
      detail:
        "GitHub refused the token in GITHUB_TOKEN (HTTP 401): it is expired, revoked or mistyped; put a valid token in GITHUB_TOKEN.",
    });
    await github!.server.close();
    const readOnly = await githubChecks({ GITHUB_TOKEN: TOKEN }, { login: null, permissions: { pull: true } });
    expect(readOnly[1]).toMatchObject({ level: "warn" });
    expect(readOnly[1]!.detail).toMatch(
      /^the token in GITHUB_TOKEN can read reader\/papers but not close its issues, so `arxiv-digest feedback sync[^`]*` records the feedback and leaves the issues open; /,
    );
  });

  it("fails a repository the token cannot see as a setting, naming feedback.github", async () => {
    const checks = await githubChecks({ GITHUB_TOKEN: TOKEN }, { repo: "reader/other" });
    expect(checks[1]).toEqual({
      level: "fail",
      what: "GitHub token",
      usage: true,
      detail:
        "the token in GITHUB_TOKEN cannot see reader/papers (HTTP 404): check feedback.github, and give the token access to that repository's issues.",
    });
  });
});
