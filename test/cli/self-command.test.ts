/**
 * Every command a message suggests starts as the reader calls the program from the folder they
 * typed theirs in (io/self-command.ts): `npx arxiv-digest` where npx runs this very executable (a
 * clone, where `npm ci` puts no `arxiv-digest` on the PATH, or a project whose node_modules/.bin
 * leads to it), else the installed command. The folders shaped here meet the real executable; the
 * finer cases are unit tests (test/io/self-command.test.ts).
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { npmProjectOf, selfCommand } from "../../src/io/self-command.js";
import { BIN, isolatedEnv, runCli } from "../helpers/cli.js";

// The temporary folder is in no npm project (no package.json or node_modules above it), as the
// cases "outside any project" need.
const root = mkdtempSync(join(tmpdir(), "ad-self-"));
/** No npx in how the process was started: the folder alone decides. */
const NOT_NPX = {};
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** This clone: the package the executable runs from. */
const CLONE = realpathSync(dirname(dirname(BIN)));

/** What the executable started in `cwd` tells a reader outside a workspace to run. */
async function initHint(cwd: string, env = isolatedEnv()): Promise<string> {
  const r = await runCli(["render", "latest"], { cwd, env });
  expect(r.code, r.stderr).toBe(2);
  return /not a workspace: run `([^`]*) init`/.exec(r.stderr)?.[1] ?? r.stderr;
}

/** A folder that looks like a clone of the project, but whose bin is not this executable. */
function cloneLike(): string {
  const dir = join(root, "clone");
  mkdirSync(join(dir, "bin"), { recursive: true });
  writeFileSync(
    join(dir, "package.json"),
    `${JSON.stringify({ name: "arxiv-digest", version: "0.0.0", bin: { "arxiv-digest": "bin/arxiv-digest.js" } })}\n`,
  );
  writeFileSync(join(dir, "bin", "arxiv-digest.js"), "#!/usr/bin/env node\n");
  return dir;
}

function plainFolder(): string {
  const dir = join(root, "elsewhere");
  mkdirSync(dir, { recursive: true });
  return dir;
}

describe("the command a message suggests", () => {
  it("starts with npx in this clone, at its root and below, and with the installed name elsewhere", async () => {
    const docs = join(CLONE, "docs");
    expect(npmProjectOf(docs)).toBe(CLONE);
    expect(selfCommand(CLONE, NOT_NPX)).toBe("npx arxiv-digest");
    expect(selfCommand(plainFolder(), NOT_NPX)).toBe("arxiv-digest");
    for (const cwd of [CLONE, docs, plainFolder()]) {
      const self = selfCommand(cwd, NOT_NPX);
      // Not a workspace: the hint to init.
      expect(await initHint(cwd)).toBe(self);
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

  it("is the installed name in a folder that only claims to be a clone, and in its subfolders", async () => {
    const clone = cloneLike();
    const sub = join(clone, "papers", "2026");
    mkdirSync(sub, { recursive: true });
    expect(npmProjectOf(sub)).toBe(clone);
    // Its bin is the program npx would run there, and it is not this one.
    expect(selfCommand(clone, NOT_NPX)).toBe("arxiv-digest");
    expect(await initHint(sub)).toBe("arxiv-digest");
    // So is a package.json that only gives the name: npx would fetch what the registry has.
    const named = join(root, "named");
    mkdirSync(named, { recursive: true });
    writeFileSync(join(named, "package.json"), '{ "name": "arxiv-digest" }\n');
    expect(await initHint(named)).toBe("arxiv-digest");
  }, 60_000);
});

describe("where npx runs this program", () => {
  it("starts with npx in a project whose node_modules/.bin leads to this executable", async () => {
    const project = join(root, "my-papers");
    mkdirSync(join(project, "node_modules", ".bin"), { recursive: true });
    mkdirSync(join(project, "notes"), { recursive: true });
    writeFileSync(join(project, "package.json"), '{ "name": "my-papers", "dependencies": { "arxiv-digest": "*" } }\n');
    symlinkSync(BIN, join(project, "node_modules", ".bin", "arxiv-digest"));
    expect(await initHint(join(project, "notes"))).toBe("npx arxiv-digest");
  }, 60_000);

  it("is the installed name where node_modules/.bin/arxiv-digest leads to another script", async () => {
    const project = join(root, "foreign");
    const script = join(root, "anything.js");
    writeFileSync(script, "#!/usr/bin/env node\n");
    mkdirSync(join(project, "node_modules", ".bin"), { recursive: true });
    symlinkSync(script, join(project, "node_modules", ".bin", "arxiv-digest"));
    expect(await initHint(project)).toBe("arxiv-digest");
    // Having been started by npx does not make npx run this program there.
    expect(await initHint(project, isolatedEnv({ npm_command: "exec" }))).toBe("arxiv-digest");
  }, 60_000);

  it("starts with npx outside any project when npx started the executable", async () => {
    expect(await initHint(plainFolder(), isolatedEnv({ npm_command: "exec" }))).toBe("npx arxiv-digest");
  }, 60_000);
});
