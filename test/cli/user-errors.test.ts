/**
 * Every user mistake exits 2 with one sentence that names the bad input, and nothing is fetched
 * or written: the real binary, in a real workspace whose feed URL points at a closed port (a
 * command that fetched would fail differently, with exit 1).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isolatedEnv, runCli, SELF } from "../helpers/cli.js";
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
    // A pasted page where the date goes: one short line, the value cut and its line breaks escaped.
    const pasted = await mistake(["deliver", `2026-03-17\n${"x".repeat(5000)}`], workspace.dir);
    expect(pasted).toContain(`date "2026-03-17\\n${"x".repeat(47)}…" is not a calendar date; write it as YYYY-MM-DD.`);
    expect(pasted.length).toBeLessThan(200);
    // A month long past by the machine's clock, so every day of it may be given.
    expect(await mistake(["run", "--date", "2025-11-31"], workspace.dir)).toContain(
      '--date "2025-11-31" is not a calendar date; November 2025 has 30 days, so give a day from 2025-11-01 to 2025-11-30.',
    );
  });

  it("a --workspace folder that does not exist: said so, with the folder it likely meant, and nothing made there", async () => {
    const typo = `${workspace.dir}x`;
    expect(await mistake(["run"], typo)).toContain(`no folder ${typo}: did you mean --workspace ${workspace.dir}?`);
    expect(await mistake(["doctor", "--offline"], typo)).not.toContain("arxiv-digest init");
    expect(existsSync(typo)).toBe(false);
  });

  it("doctor: an LLM key under another variable's name fails (exit 2), naming the variable and not its value", async () => {
    const moved = tempWorkspace(CONFIG, { ".env": "OPENAI_KEY=sk-proj-abcdefghijklmnopqrstuvwx0123\n" });
    try {
      const res = await runCli(["doctor", "--offline", "--workspace", moved.dir], { env: isolatedEnv() });
      expect(res.code, res.stderr).toBe(2);
      expect(res.stdout).toContain(
        `FAIL  LLM key: OPENAI_API_KEY (llm.apiKeyEnv) is not set, so papers are scored by the offline lexical scorer, but OPENAI_KEY (set in ${join(moved.dir, ".env")}) looks like an LLM key; rename it to OPENAI_API_KEY, or set llm.apiKeyEnv to its name.`,
      );
      expect(res.stdout + res.stderr).not.toContain("abcdefghij");
    } finally {
      moved.cleanup();
    }
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

  it("a port outside 0-65535, said as a port that does not parse is", async () => {
    for (const port of ["99999", "65536", "-1", "abc"]) {
      expect(await mistake(["serve", "--port", port], workspace.dir)).toContain(
        `--port expects a port number from 1 to 65535 (or 0 for any free port), got "${port}".`,
      );
    }
  });

  it("--workspace given a file: the folder it takes is named", async () => {
    expect(await mistake(["run"], join(workspace.dir, "arxiv-digest.yaml"))).toContain(
      `--workspace takes the folder, not the file: give -w ${workspace.dir} (the folder that holds arxiv-digest.yaml).`,
    );
    expect(await mistake(["render", "latest"], join(workspace.dir, "authors.txt"))).toContain(
      `--workspace ${join(workspace.dir, "authors.txt")} is a file, not a folder; point it at the folder that holds arxiv-digest.yaml.`,
    );
  });

  it("a base path that leaves the site", async () => {
    expect(await mistake(["site", "--base-path", "/../x/"], workspace.dir)).toMatch(/\/\.\.\/x\//);
  });

  it("a malformed authors.txt line, reported before anything is fetched", async () => {
    expect(await mistake(["run", "--date", "2026-02-05"], broken.dir)).toMatch(/authors\.txt:2: "not-an-id"/);
    expect(existsSync(join(broken.dir, "archive"))).toBe(false);
  });

  it("a usage mistake, answered with the error and one line naming the help to read, not the whole help", async () => {
    const usage: [string[], RegExp, string][] = [
      [["rn"], /unknown command 'rn'[\s\S]*Did you mean run\?/, "arxiv-digest"],
      [["--bogus"], /unknown option '--bogus'/, "arxiv-digest"],
      [["run", "--bogus"], /unknown option '--bogus'/, "arxiv-digest run"],
      [["run", "--date"], /argument missing/, "arxiv-digest run"],
      [["render"], /missing required argument 'date'/, "arxiv-digest render"],
      [["render", "latest", "extra"], /too many arguments/, "arxiv-digest render"],
      [["deliver"], /missing required argument 'date'/, "arxiv-digest deliver"],
      [["feedback", "like"], /missing required argument 'ids'/, "arxiv-digest feedback like"],
      [["feedback", "sync", "--bogus"], /unknown option '--bogus'/, "arxiv-digest feedback sync"],
      [["init", "--install", "foo"], /Allowed choices are git, registry/, "arxiv-digest init"],
      [["backfill", "--no-deliver"], /unknown option '--no-deliver'/, "arxiv-digest backfill"],
    ];
    for (const [args, message, command] of usage) {
      const res = await runCli([...args, "--workspace", workspace.dir], { env: isolatedEnv() });
      expect(res.code, `${args.join(" ")}: ${res.stderr}`).toBe(2);
      expect(res.stderr).toMatch(message);
      // Named as the program is called from the folder it was started in (a clone: npx).
      expect(res.stderr.trimEnd().split("\n").at(-1)).toBe(`See \`${command.replace(/^arxiv-digest/, SELF)} --help\`.`);
      expect(res.stderr).not.toContain("Usage:");
      // The error and its hint fit a small terminal: at most three lines (with "Did you mean").
      expect(res.stderr.trimEnd().split("\n").length).toBeLessThanOrEqual(3);
    }
  }, 120_000);
});

describe("arxiv-digest init -q", () => {
  it("says in one line what it wrote, without the file list and the guide that follow otherwise", async () => {
    const parent = tempWorkspace(null);
    try {
      const dir = join(parent.dir, "papers");
      const loud = await runCli(["init", join(parent.dir, "loud")], { env: isolatedEnv() });
      const quiet = await runCli(["init", dir, "-q"], { env: isolatedEnv() });
      expect(quiet.code, quiet.stderr).toBe(0);
      expect(loud.stdout).toContain("  wrote arxiv-digest.yaml");
      expect(loud.stdout).toContain("Next steps");
      const files = loud.stdout.split("\n").filter((l) => l.startsWith("  wrote ")).length;
      expect(quiet.stdout.split("\n")[0]).toBe(`Wrote ${files} files in ${dir}.`);
      expect(quiet.stdout).not.toContain("  wrote ");
      expect(quiet.stdout).not.toContain("Next steps");
      expect(existsSync(join(dir, "arxiv-digest.yaml"))).toBe(true);
      // Again: nothing written, the files kept are counted, not listed.
      const again = await runCli(["init", dir, "-q"], { env: isolatedEnv() });
      expect(again.stdout.split("\n")[0]).toBe(
        `Wrote 0 files in ${dir}; kept ${files} files that exist (--force overwrites).`,
      );
      expect(again.stdout).not.toContain("  kept ");
    } finally {
      parent.cleanup();
    }
  }, 60_000);
});
