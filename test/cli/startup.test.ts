/**
 * Start-up loads only what the command needs: `--help` runs on Commander alone, and `site` or
 * `render` never load the tokenizer, the LLM SDK or the mailer (cli/main.ts: each command loads
 * its implementation inside its action). A module hook records every module the real executable
 * resolves; the assertions are on package names, so they hold for dist/ and for src/ through tsx.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, isolatedEnv } from "../helpers/cli.js";
import { makeDay } from "../helpers/day-factory.js";
import { startServer, type TestServer } from "../helpers/server.js";

/** What only `run`, `backfill`, `deliver` and `doctor` need. */
const HEAVY = ["gpt-tokenizer", "openai", "nodemailer", "p-queue"];

let dir: string;
let hooks: string;
let feed: TestServer;

beforeAll(async () => {
  const weekend = readFileSync(new URL("../fixtures/feeds/weekend/cs.LG-2026-02-07.xml", import.meta.url));
  feed = await startServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/rss+xml" });
    res.end(weekend);
  });
  dir = mkdtempSync(join(tmpdir(), "arxiv-digest-startup-"));
  // Runs in the hooks thread: every resolved URL is appended to the file named by the child's env.
  const resolveHook = join(dir, "resolve-hook.mjs");
  writeFileSync(
    resolveHook,
    `import { appendFileSync } from "node:fs";
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (process.env.MODULE_LOG) appendFileSync(process.env.MODULE_LOG, r.url + "\\n");
  return r;
}
`,
  );
  hooks = join(dir, "register.mjs");
  writeFileSync(
    hooks,
    `import { register } from "node:module";\nregister(${JSON.stringify(pathToFileURL(resolveHook).href)});\n`,
  );
  const day = makeDay();
  const [y, m] = day.date.split("-");
  mkdirSync(join(dir, "ws", "archive", y!, m!), { recursive: true });
  writeFileSync(join(dir, "ws", "archive", y!, m!, `${day.date}.json`), JSON.stringify(day));
  // `site` reads a workspace: it needs its own config (the bundled defaults are enough as a file).
  writeFileSync(
    join(dir, "ws", "arxiv-digest.yaml"),
    readFileSync(new URL("../../defaults/arxiv-digest.yaml", import.meta.url), "utf8"),
  );
  mkdirSync(join(dir, "weekend"));
  writeFileSync(
    join(dir, "weekend", "arxiv-digest.yaml"),
    `arxiv:
  categories: [cs.LG]
  minIntervalSeconds: 0
  contact: tests@example.org
topics:
  - id: architecture
    title: Model architecture
    description: Mixture-of-experts, transformers and conditional computation.
`,
  );
});

afterAll(async () => {
  await feed.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the executable with the hook; returns its exit code and the packages it loaded from node_modules. */
function traced(args: string[], name: string): Promise<{ code: number | null; stderr: string; packages: string[] }> {
  const log = join(dir, `${name}.log`);
  writeFileSync(log, "");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", pathToFileURL(hooks).href, BIN, ...args], {
      cwd: dir,
      env: { ...isolatedEnv({ ARXIV_RSS_URL: `${feed.url}/rss`, OPENAI_API_KEY: "sk-test" }), MODULE_LOG: log },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const packages = new Set<string>();
      for (const url of readFileSync(log, "utf8").split("\n")) {
        const m = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
        if (m) packages.add(m[1]!);
      }
      resolve({ code, stderr, packages: [...packages].sort() });
    });
  });
}

/** tsx and what it brings, present when bin/ runs src/ because it is newer than dist/. */
const RUNNER = new Set(["tsx", "esbuild", "get-tsconfig", "resolve-pkg-maps"]);

describe("start-up loads only what the command needs", () => {
  it("--help and --version load Commander alone", async () => {
    for (const args of [["--help"], ["--version"], ["run", "--help"], ["feedback", "--help"]]) {
      const r = await traced(args, args.join("_"));
      expect(r.code, r.stderr).toBe(0);
      expect(r.packages.filter((p) => !RUNNER.has(p))).toEqual(["commander"]);
    }
  });

  it("site and render never load the tokenizer, the LLM SDK or the mailer", async () => {
    const day = makeDay().date;
    for (const args of [
      ["--workspace", join(dir, "ws"), "render", day],
      ["--workspace", join(dir, "ws"), "site"],
    ]) {
      const r = await traced(args, args[2]!);
      expect(r.code, r.stderr).toBe(0);
      expect(r.packages).toContain("zod"); // the trace did see the command's own modules
      for (const heavy of HEAVY) expect(r.packages, `${args[2]} loaded ${heavy}`).not.toContain(heavy);
    }
  });

  it("an empty weekend run reads the feed and writes the day without the tokenizer, the LLM SDK or the mailer", async () => {
    const args = ["--workspace", join(dir, "weekend"), "run", "--date", "2026-02-07"];
    const r = await traced(args, "weekend");
    expect(r.code, r.stderr).toBe(0);
    expect(feed.requests.map((q) => q.url)).toEqual(["/rss/cs.LG"]);
    expect(readFileSync(join(dir, "weekend/archive/2026/02/2026-02-07.json"), "utf8")).toContain("no-announcement");
    expect(r.packages).toContain("fast-xml-parser");
    for (const heavy of HEAVY) expect(r.packages, `the weekend run loaded ${heavy}`).not.toContain(heavy);
  });
});
