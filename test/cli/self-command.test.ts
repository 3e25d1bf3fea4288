/**
 * Every command a message suggests starts as the reader calls the program from the folder they
 * typed theirs in (io/self-command.ts): `npx arxiv-digest` in a clone, where `npm ci` puts no
 * `arxiv-digest` on the PATH, else the installed command.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { npmProjectOf, npxFinds, selfCommand } from "../../src/io/self-command.js";
import { isolatedEnv, runCli } from "../helpers/cli.js";

// The temporary folder is in no npm project (no package.json or node_modules above it), as the
// cases "outside any project" need.
const root = mkdtempSync(join(tmpdir(), "ad-self-"));
/** No npx in how the process was started: the folder alone decides. */
const NOT_NPX = {};
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A folder that looks like a clone of the project: its package.json names it and its bin. */
function cloneLike(): string {
  const dir = join(root, "clone");
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "package.json"),
    `${JSON.stringify({ name: "arxiv-digest", version: "0.0.0", bin: { "arxiv-digest": "bin/arxiv-digest.js" } })}\n`,
  );
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
    expect(selfCommand(clone, NOT_NPX)).toBe("npx arxiv-digest");
    expect(selfCommand(elsewhere, NOT_NPX)).toBe("arxiv-digest");
    for (const cwd of [clone, elsewhere]) {
      const self = selfCommand(cwd, NOT_NPX);
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
    expect(selfCommand(other, NOT_NPX)).toBe("arxiv-digest");
    const r = await runCli(["doctor", "--offline"], { cwd: other, env: isolatedEnv() });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain("not a workspace: run `arxiv-digest init`");
  }, 60_000);

  it("starts with npx in a subfolder of a clone, where npx finds the clone's bin", async () => {
    const clone = cloneLike();
    const sub = join(clone, "papers", "2026");
    mkdirSync(sub, { recursive: true });
    expect(npmProjectOf(sub)).toBe(clone);
    expect(selfCommand(sub, NOT_NPX)).toBe("npx arxiv-digest");
    const r = await runCli(["render", "latest"], { cwd: sub, env: isolatedEnv() });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain("not a workspace: run `npx arxiv-digest init`");
  }, 60_000);
});

describe("where npx finds the program (npm's rule)", () => {
  it("finds it in a clone, at its root and below", () => {
    const clone = cloneLike();
    mkdirSync(join(clone, "src", "io"), { recursive: true });
    expect(npxFinds(clone)).toBe(true);
    expect(npxFinds(join(clone, "src", "io"))).toBe(true);
  });

  it("starts with npx outside any project when npx started the executable", async () => {
    const r = await runCli(["render", "latest"], { cwd: plainFolder(), env: isolatedEnv({ npm_command: "exec" }) });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain("not a workspace: run `npx arxiv-digest init`");
  }, 60_000);

  it("finds it nowhere outside any project, unless npx started this process", () => {
    const outside = plainFolder();
    expect(npmProjectOf(outside)).toBe(outside);
    expect(npxFinds(outside)).toBe(false);
    expect(selfCommand(outside, NOT_NPX)).toBe("arxiv-digest");
    // Started by npx or npm exec (npm_command=exec): npx works from here, whatever the folder.
    expect(selfCommand(outside, { npm_command: "exec" })).toBe("npx arxiv-digest");
    // Started by an npm script, by hand, or installed: the folder decides.
    expect(selfCommand(outside, { npm_command: "run-script" })).toBe("arxiv-digest");
  });

  it("finds it in a project that depends on the package, from any of its subfolders", () => {
    const project = join(root, "my-papers");
    mkdirSync(join(project, "node_modules", ".bin"), { recursive: true });
    mkdirSync(join(project, "notes", "2026"), { recursive: true });
    writeFileSync(join(project, "package.json"), '{ "name": "my-papers", "dependencies": { "arxiv-digest": "*" } }\n');
    writeFileSync(join(project, "node_modules", ".bin", "arxiv-digest"), "#!/usr/bin/env node\n");
    expect(npxFinds(project)).toBe(true);
    expect(selfCommand(join(project, "notes", "2026"), NOT_NPX)).toBe("npx arxiv-digest");
    // A package of its own inside the project: npm's project is that package, and the bin is
    // still found in the node_modules above it, as npx looks.
    const inner = join(project, "notes", "tool");
    mkdirSync(inner, { recursive: true });
    writeFileSync(join(inner, "package.json"), '{ "name": "tool" }\n');
    expect(npmProjectOf(join(inner))).toBe(inner);
    expect(npxFinds(inner)).toBe(true);
  });

  it("does not find it in a project that has neither the bin nor the dependency installed", () => {
    const other = join(root, "other-project");
    mkdirSync(join(other, "node_modules"), { recursive: true });
    mkdirSync(join(other, "sub"), { recursive: true });
    expect(npmProjectOf(join(other, "sub"))).toBe(other);
    expect(npxFinds(join(other, "sub"))).toBe(false);
  });
});
