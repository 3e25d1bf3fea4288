/**
 * Start-up loads only what the command needs: `--help` runs on Commander alone, `site` or
 * `render` never load the tokenizer, the LLM SDK or the mailer (cli/main.ts: each command loads
 * its implementation inside its action), and a day without papers loads neither the selection
 * stages nor the delivery channels, and a weekend not even the feed reading code, the arXiv client
 * or the TeX formatters. A module hook records every module the real executable
 * resolves; a file of the bundle (dist/cli/) stands for the sources and packages dist/bundle.json
 * lists in it, so the assertions hold for dist/ and for src/ through tsx alike.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, isolatedEnv } from "../helpers/cli.js";
import { makeDay } from "../helpers/day-factory.js";
import { startServer, type TestServer } from "../helpers/server.js";

/** What only `run`, `backfill`, `deliver` and `doctor` need. */
const HEAVY = ["gpt-tokenizer", "openai", "nodemailer", "p-queue"];
/**
 * What a day without papers never needs: the reader's history and the selection stages, the
 * delivery channels (when no earlier day has a failed delivery), the export API (only for a feed
 * cut off at arXiv's limit), Semantic Scholar, and the progress bar and the text layout's wrapping
 * package (only on a terminal).
 */
const NOT_FOR_AN_EMPTY_DAY = [
  "src/selection/",
  "src/llm/client.ts",
  "src/pipeline/judge.ts",
  "src/pipeline/history.ts",
  "src/feedback/store.ts",
  "src/deliver/",
  "src/arxiv/api.ts",
  "src/authors/semantic-scholar.ts",
  "cli-progress",
  "wrap-ansi",
];
/**
 * What a weekend never needs on top: the calendar says no batch, so nothing is fetched and neither
 * the feed reading code, its XML package nor the arXiv client is loaded (a holiday is still fetched
 * once); its page is the calendar's sentence, written without the day page's renderer of papers and
 * the TeX formatters behind it (authors.txt is still checked, by the light half of TeX: math-spans.ts).
 */
const NOT_FOR_A_WEEKEND = [
  "src/arxiv/fetch-feeds.ts",
  "src/arxiv/feed.ts",
  "src/arxiv/xml.ts",
  "src/arxiv/api-feed.ts",
  "fast-xml-parser",
  "src/arxiv/http.ts",
  "src/io/http-get.ts",
  "src/markdown/day-page.ts",
  "src/format/tex-markdown.ts",
  "src/format/tex.ts",
  "src/format/plain-math.ts",
];

const BUNDLE = fileURLToPath(new URL("../../dist/bundle.json", import.meta.url));

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

interface Traced {
  code: number | null;
  stderr: string;
  /** Packages loaded, from node_modules or from the bundle. */
  packages: string[];
  /** Our own modules loaded, as paths under src/. */
  modules: string[];
}

/** What a resolved URL stands for: a package, a source module, or (a bundle file) several. */
function contentsOf(url: string, bundle: Record<string, string[]>): string[] {
  const pkg = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (pkg) return [pkg[1]!];
  const source = /\/(src\/.+\.tsx?)$/.exec(url);
  if (source) return [source[1]!];
  const bundled = /\/dist\/(cli\/[^/]+\.js)$/.exec(url);
  return bundled ? (bundle[bundled[1]!] ?? []) : [];
}

/** Runs the executable with the hook; returns its exit code and what it loaded. */
function traced(args: string[], name: string): Promise<Traced> {
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
      const bundle = existsSync(BUNDLE) ? (JSON.parse(readFileSync(BUNDLE, "utf8")) as Record<string, string[]>) : {};
      const loaded = new Set(
        readFileSync(log, "utf8")
          .split("\n")
          .flatMap((url) => contentsOf(url, bundle)),
      );
      const all = [...loaded].sort();
      resolve({
        code,
        stderr,
        packages: all.filter((m) => !m.startsWith("src/") && m !== "package.json"),
        modules: all.filter((m) => m.startsWith("src/")),
      });
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
      // The command files register names and options; below them only a few constants and the error root.
      expect(r.modules.filter((m) => !m.startsWith("src/cli/"))).toEqual([
        // The nearest choice to a mistyped option value, asked by Commander as it parses (cli/choices.ts).
        "src/config/suggest.ts",
        "src/feedback/signal-kinds.ts",
        "src/io/redact.ts",
        // How the program is called from the folder it was started in, for every suggested command.
        "src/io/self-command.ts",
        "src/model/errors.ts",
        "src/workspace/install-routes.ts",
      ]);
      expect(r.modules).not.toContain("src/cli/common.ts");
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

  it("an empty weekend run writes the day from the calendar, without the network, selecting, scoring or delivering code", async () => {
    const args = ["--workspace", join(dir, "weekend"), "run", "--date", "2026-02-07"];
    const r = await traced(args, "weekend");
    expect(r.code, r.stderr).toBe(0);
    // The calendar knows a Saturday carries no batch: the feed is not asked.
    expect(feed.requests).toEqual([]);
    expect(readFileSync(join(dir, "weekend/archive/2026/02/2026-02-07.json"), "utf8")).toContain("no-announcement");
    expect(r.modules).toContain("src/pipeline/deliver.ts"); // it did look for earlier failed deliveries
    for (const heavy of HEAVY) expect(r.packages, `the weekend run loaded ${heavy}`).not.toContain(heavy);
    for (const lazy of [...NOT_FOR_AN_EMPTY_DAY, ...NOT_FOR_A_WEEKEND]) {
      const found = [...r.packages, ...r.modules].filter((m) => m.startsWith(lazy));
      expect(found, `the weekend run loaded ${lazy}`).toEqual([]);
    }
  });
});
