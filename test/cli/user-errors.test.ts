/**
 * Every user mistake exits 2 with one sentence that names the bad input, and nothing is fetched
 * or written: the real binary, in a real workspace whose feed URL points at a closed port (a
 * command that fetched would fail differently, with exit 1).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isolatedEnv, runCli } from "../helpers/cli.js";
import { tempWorkspace } from "../helpers/workspace.js";

const CONFIG = readFileSync(new URL("../../defaults/arxiv-digest.yaml", import.meta.url), "utf8");
const workspace = tempWorkspace(CONFIG, { "authors.txt": "Yoshua Bengio\n" });
const broken = tempWorkspace(CONFIG, { "authors.txt": "Yoshua Bengio\nGeoffrey Hinton | not-an-id\n" });
afterAll(() => {
  workspace.cleanup();
  broken.cleanup();
});

async function mistake(args: string[], dir: string): Promise<string> {
  const res = await runCli([...args, "--workspace", dir], { env: isolatedEnv() });
  expect(res.code, res.stderr).toBe(2);
  expect(res.stderr).not.toMatch(/--debug|\n\s+at /);
  expect(res.stderr.trim().split("\n")).toHaveLength(1);
  return res.stderr;
}

describe("user mistakes", () => {
  it("a date that does not exist, or has not happened", async () => {
    expect(await mistake(["run", "--date", "2026-02-30"], workspace.dir)).toMatch(
      /"2026-02-30" is not a calendar date/,
    );
    expect(await mistake(["run", "--date", "2999-01-04"], workspace.dir)).toMatch(/"2999-01-04" is in the future/);
    expect(await mistake(["render", "2026-13-01"], workspace.dir)).toMatch(/"2026-13-01" is not a calendar date/);
  });

  it("a backfill range the wrong way round", async () => {
    expect(await mistake(["backfill", "--from", "2026-02-10", "--to", "2026-02-02"], workspace.dir)).toMatch(
      /--from 2026-02-10 is after --to 2026-02-02/,
    );
  });

  it("a count below its least value", async () => {
    expect(await mistake(["backfill", "--slack-hours", "-5"], workspace.dir)).toMatch(
      /--slack-hours expects a whole number, 0 or more, got "-5"/,
    );
    expect(await mistake(["eval", "--last", "0"], workspace.dir)).toMatch(
      /--last expects a whole number, 1 or more, got "0"/,
    );
  });

  it("a base path that leaves the site", async () => {
    expect(await mistake(["site", "--base-path", "/../x/"], workspace.dir)).toMatch(/\/\.\.\/x\//);
  });

  it("a malformed authors.txt line, reported before anything is fetched", async () => {
    expect(await mistake(["run", "--date", "2026-02-05"], broken.dir)).toMatch(/authors\.txt:2: "not-an-id"/);
    expect(existsSync(join(broken.dir, "archive"))).toBe(false);
  });

  it("a usage mistake inside a command, answered with the error and the command's help", async () => {
    const usage: [string[], RegExp][] = [
      [["run", "--bogus"], /unknown option '--bogus'/],
      [["run", "--date"], /argument missing/],
      [["render"], /missing required argument 'date'/],
      [["render", "latest", "extra"], /too many arguments/],
      [["deliver"], /missing required argument 'date'/],
      [["feedback", "like"], /missing required argument 'ids'/],
      [["init", "--install", "foo"], /Allowed choices are git, registry/],
      [["backfill", "--no-deliver"], /unknown option '--no-deliver'/],
    ];
    for (const [args, message] of usage) {
      const res = await runCli([...args, "--workspace", workspace.dir], { env: isolatedEnv() });
      expect(res.code, `${args.join(" ")}: ${res.stderr}`).toBe(2);
      expect(res.stderr).toMatch(message);
      expect(res.stderr).toContain("Usage: arxiv-digest");
    }
  }, 120_000);
});

describe("arxiv-digest init -q", () => {
  it("lists the files it wrote, without the guide that follows them otherwise", async () => {
    const parent = tempWorkspace(null);
    try {
      const dir = join(parent.dir, "papers");
      const loud = await runCli(["init", join(parent.dir, "loud")], { env: isolatedEnv() });
      const quiet = await runCli(["init", dir, "-q"], { env: isolatedEnv() });
      expect(quiet.code, quiet.stderr).toBe(0);
      expect(quiet.stdout).toContain("  wrote arxiv-digest.yaml");
      expect(loud.stdout).toContain("Next steps");
      expect(quiet.stdout).not.toContain("Next steps");
      expect(existsSync(join(dir, "arxiv-digest.yaml"))).toBe(true);
    } finally {
      parent.cleanup();
    }
  }, 60_000);
});
