/**
 * `arxiv-digest … | head -1`: when the reader goes away, the CLI ends quietly (no EPIPE stack
 * trace) with its own exit code. The rendered day (hundreds of KB) overflows the pipe's buffer,
 * so its writes do meet the closed pipe.
 */
import { spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, isolatedEnv, runCli } from "../helpers/cli.js";

let dir: string;

/** Runs `node BIN args | head -1` in bash; returns what head printed, the CLI's stderr and both exit statuses. */
function piped(args: string[]): { stdout: string; stderr: string; statuses: string } {
  const quoted = [process.execPath, BIN, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(" ");
  const r = spawnSync("bash", ["-c", `${quoted} 2>"$ERR" | head -1; echo "\${PIPESTATUS[*]}" >&2`], {
    encoding: "utf8",
    env: { ...isolatedEnv(), ERR: join(dir, "stderr.txt") },
  });
  const stderr = spawnSync("cat", [join(dir, "stderr.txt")], { encoding: "utf8" }).stdout;
  return { stdout: r.stdout, stderr, statuses: r.stderr.trim() };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "arxiv-digest-pipe-"));
  const demo = await runCli(["demo", "--quiet", "--out", join(dir, "demo")]);
  expect(demo.code, demo.stderr).toBe(0);
}, 300_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("output into a pipe that closes early", () => {
  it("--help | head -1 prints the first line and nothing on stderr", () => {
    const r = piped(["--help"]);
    expect(r.stdout).toBe("Usage: arxiv-digest [options] [command]\n");
    expect(r.stderr).toBe("");
    expect(r.statuses).toBe("0 0");
  });

  it("render … | head -1 ends quietly with exit 0", () => {
    for (const format of ["json", "md"]) {
      const r = piped(["render", "--workspace", join(dir, "demo"), "2026-03-24", "--format", format]);
      expect(r.stdout.split("\n")).toHaveLength(2);
      expect(r.stderr, format).toBe("");
      expect(r.statuses, format).toBe("0 0");
    }
  });
});
