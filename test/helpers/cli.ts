/** Runs the real `arxiv-digest` executable (bin/arxiv-digest.js) as a child process. */
import { execFileSync, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { selfCommand } from "../../src/io/self-command.js";

export const BIN = fileURLToPath(new URL("../../bin/arxiv-digest.js", import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * How the executable, started in the tests' own folder (runCli without `cwd`, with `isolatedEnv`,
 * so not as npx started it), calls itself in the commands its messages suggest: `npx arxiv-digest`
 * from a clone (io/self-command.ts).
 */
export const SELF = selfCommand(process.cwd(), isolatedEnv());

/** Environment for a test run: nothing from the developer's shell that could reach a real service. */
export function isolatedEnv(extra: Record<string, string> = {}): Record<string, string> {
  const keep = ["PATH", "HOME", "TMPDIR", "LANG", "NODE_OPTIONS"];
  const env: Record<string, string> = {};
  for (const k of keep) if (process.env[k]) env[k] = process.env[k]!;
  return { ...env, ARXIV_RSS_URL: "http://127.0.0.1:9/rss", ARXIV_API_URL: "http://127.0.0.1:9/api/query", ...extra };
}

export function runCli(
  args: string[],
  opts: { cwd?: string; env?: Record<string, string>; onSpawn?: (pid: number) => void } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: opts.cwd,
      env: opts.env ?? isolatedEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    if (child.pid && opts.onSpawn) opts.onSpawn(child.pid);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Whether util-linux `script` is here, which the tests that give the binary a terminal (a pseudo-tty) need. */
export const hasScript = (() => {
  try {
    execFileSync("script", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();
