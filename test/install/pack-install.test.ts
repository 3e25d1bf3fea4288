/**
 * The package as users get it: `npm pack` of this checkout installed globally into a fresh prefix
 * without devDependencies, and the same from a git URL pinned to a commit (how
 * `github:owner/repo#ref` installs, and how the generated workflows install it: into a folder of
 * its own, as npm cannot build a Git package installed with -g, npm/cli#8440). Each installation
 * then runs `demo`, `init` and `doctor` from a folder outside the checkout. npm may reach the
 * registry for the dependencies (its cache serves most).
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliResult, isolatedEnv } from "../helpers/cli.js";
import { startFeedDayServer } from "../helpers/feed-day.js";
import type { TestServer } from "../helpers/server.js";
import { npmEnv, type SourceSnapshot, snapshotSource } from "../helpers/source-snapshot.js";

const LONG = 300_000;

function run(cmd: string, args: string[], cwd: string, env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, env, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? ((err as { code?: unknown }).code as number | null) : 0;
      resolve({ code: typeof code === "number" ? code : null, signal: null, stdout, stderr });
    });
  });
}

const shown = (r: CliResult) => `exit ${r.code}\n${r.stdout}\n${r.stderr}`;

let root: string;
let source: SourceSnapshot;
let arxiv: TestServer;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "arxiv-digest-install-"));
  source = await snapshotSource(root);
  arxiv = await startFeedDayServer();
}, LONG);

afterAll(async () => {
  await arxiv?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

/**
 * Installs `spec` into a fresh prefix (globally, or as the workflows do into a folder of its own),
 * then uses the installed `arxiv-digest` from a folder outside the checkout.
 */
function describeInstallation(label: string, how: "global" | "folder", spec: () => Promise<string>): void {
  describe(label, () => {
    let prefix: string;
    let home: string;
    let install: CliResult;
    const installed = () =>
      how === "global"
        ? join(prefix, "lib", "node_modules", "arxiv-digest")
        : join(prefix, "node_modules", "arxiv-digest");
    const bin = () =>
      how === "global" ? join(prefix, "bin", "arxiv-digest") : join(prefix, "node_modules", ".bin", "arxiv-digest");
    const cli = (args: string[], cwd: string) =>
      run(bin(), args, cwd, {
        ...isolatedEnv({ ARXIV_RSS_URL: `${arxiv.url}/rss` }),
        HOME: home,
      });

    beforeAll(async () => {
      const base = await mkdtemp(join(root, "prefix-"));
      prefix = join(base, "prefix");
      home = join(base, "home");
      await mkdir(home);
      const args = ["install", ...(how === "global" ? ["-g"] : []), "--prefix", prefix, await spec()];
      args.push("--omit=dev", "--no-audit", "--no-fund");
      install = await run("npm", args, base, npmEnv());
    }, LONG);

    it(
      "installs without devDependencies, with the compiled CLI and without sources or tests",
      async () => {
        expect(install.code, shown(install)).toBe(0);
        const pkg = installed();
        expect(existsSync(join(pkg, "dist", "cli", "main.js"))).toBe(true);
        expect(existsSync(join(pkg, "dist", "site", "assets", "site.css"))).toBe(true);
        for (const absent of ["src", "test", "scripts", "tsconfig.json"])
          expect(existsSync(join(pkg, absent)), absent).toBe(false);
        const deps = await readdir(how === "global" ? join(pkg, "node_modules") : join(prefix, "node_modules"));
        for (const dev of ["tsx", "typescript", "vitest", "@biomejs"]) expect(deps, dev).not.toContain(dev);
        // The packages the bundle carries are not installed, so none can want a newer Node.
        for (const bundled of ["katex", "commander", "openai", "nodemailer"])
          expect(deps, bundled).not.toContain(bundled);
        expect(shown(install)).not.toContain("EBADENGINE");
      },
      LONG,
    );

    it(
      "runs --help and the offline demo outside the checkout",
      async () => {
        const help = await cli(["--help"], home);
        expect(help.code, shown(help)).toBe(0);
        expect(help.stdout).toContain("Usage: arxiv-digest");
        const demo = await cli(["demo"], home);
        expect(demo.code, shown(demo)).toBe(0);
        expect(existsSync(join(home, "demo-out", "site", "index.html"))).toBe(true);
        expect(existsSync(join(home, "demo-out", "site", "assets", "site.css"))).toBe(true);
      },
      LONG,
    );

    it(
      "scaffolds a workspace with init and checks it with doctor",
      async () => {
        const init = await cli(["init", "x"], home);
        expect(init.code, shown(init)).toBe(0);
        const ws = join(home, "x");
        expect(existsSync(join(ws, "arxiv-digest.yaml"))).toBe(true);
        // Neither a tarball nor a bare repository names a repository a runner could install from:
        // the spec keeps the placeholder (at the commit installed, when npm recorded one), init says
        // which line to edit, and doctor fails until it is edited.
        const ref = how === "global" ? "v\\d+\\.\\d+\\.\\d+" : source.commit;
        const workflows = join(ws, ".github", "workflows");
        expect(await readFile(join(workflows, "daily.yml"), "utf8")).toMatch(
          new RegExp(`spec="github:OWNER/arxiv-digest#${ref}"`),
        );
        expect(init.stdout).toMatch(
          /Install line: [\s\S]*spec= line of\s+\.github\/workflows\/daily\.yml \(line \d+\)/,
        );
        const placeholder = await cli(["doctor"], ws);
        expect(placeholder.code, shown(placeholder)).not.toBe(0);
        expect(placeholder.stdout).toMatch(
          /workflow install: \.github\/workflows\/daily\.yml line \d+: spec="github:OWNER\//,
        );
        for (const file of ["daily.yml", "backfill.yml"]) {
          const text = await readFile(join(workflows, file), "utf8");
          await writeFile(
            join(workflows, file),
            text.replace("github:OWNER/arxiv-digest#", "github:reader/arxiv-digest#"),
          );
        }
        const doctor = await cli(["doctor"], ws);
        expect(doctor.code, shown(doctor)).toBe(0);
        expect(arxiv.requests.some((r) => r.url === "/rss/cs.LG+cs.AI+cs.CL")).toBe(true);
      },
      LONG,
    );
  });
}

describeInstallation("the npm pack tarball, installed with -g", "global", async () => {
  const packed = await run("npm", ["pack", "--pack-destination", root], source.tree, npmEnv());
  expect(packed.code, shown(packed)).toBe(0);
  const tarball = (await readdir(root)).find((f) => f.endsWith(".tgz"));
  expect(tarball, shown(packed)).toBeDefined();
  return join(root, tarball!);
});

describeInstallation("a git URL pinned to a commit, installed into a folder", "folder", async () => source.gitUrl);
