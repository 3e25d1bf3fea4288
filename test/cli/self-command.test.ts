/**
 * Every command a message suggests starts as the reader calls the program from the folder they
 * typed theirs in (io/self-command.ts): `npx arxiv-digest` in a clone, where `npm ci` puts no
 * `arxiv-digest` on the PATH, else the installed command.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { selfCommand } from "../../src/io/self-command.js";
import { isolatedEnv, runCli } from "../helpers/cli.js";

const root = mkdtempSync(join(tmpdir(), "ad-self-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A folder that looks like a clone of the project: its package.json names it. */
function cloneLike(): string {
  const dir = join(root, "clone");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), `${JSON.stringify({ name: "arxiv-digest", version: "0.0.0" })}\n`);
  return dir;
}

function plainFolder(): string {
  const dir = join(root, "elsewhere");
  mkdirSync(dir, { recursive: true });
  return dir;
}

describe("the command a message suggests", () => {
  it("starts with npx in a clone and with the installed name elsewhere, as self-command decides", async () => {
    const clone = cloneLike();
    const elsewhere = plainFolder();
    expect(selfCommand(clone)).toBe("npx arxiv-digest");
    expect(selfCommand(elsewhere)).toBe("arxiv-digest");
    for (const cwd of [clone, elsewhere]) {
      const self = selfCommand(cwd);
      // Not a workspace: the hint to init.
      const r = await runCli(["render", "latest"], { cwd, env: isolatedEnv() });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(`not a workspace: run \`${self} init\``);
      // A usage mistake names the help to read the same way.
      const typo = await runCli(["run", "--dte", "2026-02-05"], { cwd, env: isolatedEnv() });
      expect(typo.code).toBe(2);
      expect(typo.stderr).toContain(`See \`${self} run --help\`.`);
    }
  }, 60_000);

  it("is the installed name in a folder whose package.json is another project's", async () => {
    const other = join(root, "other");
    mkdirSync(other, { recursive: true });
    writeFileSync(join(other, "package.json"), '{ "name": "my-papers" }\n');
    expect(selfCommand(other)).toBe("arxiv-digest");
    const r = await runCli(["doctor", "--offline"], { cwd: other, env: isolatedEnv() });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain("not a workspace: run `arxiv-digest init`");
  }, 60_000);
});
