/**
 * Outside a workspace (no arxiv-digest.yaml), every command that reads or writes a user's archive
 * stops with "not a workspace: run `arxiv-digest init`" (exit 2), and writes nothing there.
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli, SELF } from "../helpers/cli.js";

const empty = mkdtempSync(join(tmpdir(), "ad-not-ws-"));
afterAll(() => rmSync(empty, { recursive: true, force: true }));

const COMMANDS = [
  ["run"],
  ["doctor", "--offline"],
  ["site"],
  ["deliver", "2026-02-05"],
  ["eval"],
  ["feedback", "list"],
  ["feedback", "like", "2401.00010"],
  ["backfill"],
  ["import", empty],
  // Reading only, render takes a folder without a config (the demo's output), but not one without an archive.
  ["render", "latest"],
];

describe("outside a workspace", () => {
  it("run, doctor, site, deliver, eval, feedback, backfill, import and render stop with exit 2 and say to init", async () => {
    // Started in the empty folder (the default --workspace is "."), and once pointed at it.
    const results = await Promise.all([
      ...COMMANDS.map((args) => runCli(args, { cwd: empty })),
      runCli(["run", "--workspace", empty]),
    ]);
    for (const [i, r] of results.entries()) {
      const what = (COMMANDS[i] ?? ["run --workspace"]).join(" ");
      expect(r.code, `${what}: ${r.stderr}`).toBe(2);
      // Started in the empty folder the program is the installed command; from the tests' folder, as that calls it.
      const self = COMMANDS[i] ? "arxiv-digest" : SELF;
      expect(r.stderr, what).toContain(`not a workspace: run \`${self} init\``);
      expect(r.stderr, what).toContain(empty);
    }
    // Nothing was written where the command was started: no archive, no cache, no site.
    expect(readdirSync(empty)).toEqual([]);
  }, 120_000);
});
