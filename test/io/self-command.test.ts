/**
 * A suggested `npx arxiv-digest` must run this very program (io/self-command.ts): the folder is
 * not trusted on its word. Each case shapes a folder and hands in the running program's package
 * root (`self`), as the process would find it from its own code.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { npmProjectOf, npxFinds, npxLocalBin, runningProgramRoot, selfCommand } from "../../src/io/self-command.js";

// In no npm project (no package.json or node_modules above it), as the cases "outside" need.
const root = mkdtempSync(join(tmpdir(), "ad-selfcmd-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** No npx in how the process was started: the folder alone decides. */
const NOT_NPX = {};
const BY_NPX = { npm_command: "exec" };
const MANIFEST = `${JSON.stringify({ name: "arxiv-digest", version: "0.0.0", bin: { "arxiv-digest": "bin/arxiv-digest.js" } })}\n`;

let n = 0;
/** A fresh folder under the temporary root. */
function folder(name: string): string {
  const dir = join(root, `${name}-${++n}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A copy of the package at `dir`: its package.json and its bin, as a clone or an install has. */
function packageAt(dir: string): string {
  mkdirSync(join(dir, "bin"), { recursive: true });
  writeFileSync(join(dir, "package.json"), MANIFEST);
  writeFileSync(join(dir, "bin", "arxiv-digest.js"), "#!/usr/bin/env node\n");
  return dir;
}

/** A program installed elsewhere (globally, say): the running one in the cases it is not the folder's. */
function installedElsewhere(): string {
  return packageAt(join(folder("global"), "lib", "node_modules", "arxiv-digest"));
}

/** A project that depends on the package at `pkg`: node_modules/.bin/arxiv-digest leads to its bin. */
function dependentOn(project: string, pkg: string): string {
  mkdirSync(join(project, "node_modules", ".bin"), { recursive: true });
  writeFileSync(join(project, "package.json"), '{ "name": "my-papers", "dependencies": { "arxiv-digest": "*" } }\n');
  symlinkSync(join(pkg, "bin", "arxiv-digest.js"), join(project, "node_modules", ".bin", "arxiv-digest"));
  return project;
}

describe("the running program's package", () => {
  it("is the package this code is in, symlinks followed", () => {
    const here = realpathSync(fileURLToPath(new URL("../..", import.meta.url)));
    expect(runningProgramRoot()).toBe(here);
    // This clone is that package: npx from it runs this program.
    expect(selfCommand(here, NOT_NPX)).toBe("npx arxiv-digest");
  });
});

describe("a real clone", () => {
  it("suggests npx at its root and in its subfolders when it is the running program", () => {
    const clone = packageAt(folder("clone"));
    mkdirSync(join(clone, "src", "io"), { recursive: true });
    for (const dir of [clone, join(clone, "src", "io")]) {
      expect(npxFinds(dir, clone)).toBe(true);
      expect(selfCommand(dir, NOT_NPX, clone)).toBe("npx arxiv-digest");
    }
  });

  it("also when the running program reached it through a symlink (an installed link to the clone)", () => {
    const clone = packageAt(folder("clone"));
    const link = join(folder("links"), "arxiv-digest");
    symlinkSync(clone, link);
    expect(selfCommand(clone, NOT_NPX, link)).toBe("npx arxiv-digest");
    expect(selfCommand(link, NOT_NPX, clone)).toBe("npx arxiv-digest");
  });

  it("suggests the installed name in another clone, whose code npx would run instead", () => {
    const other = packageAt(folder("clone"));
    expect(npxLocalBin(other)).toBe(join(other, "bin", "arxiv-digest.js"));
    expect(selfCommand(other, NOT_NPX, installedElsewhere())).toBe("arxiv-digest");
    // Nor does having been started by npx elsewhere make npx run this program here.
    expect(selfCommand(other, BY_NPX, installedElsewhere())).toBe("arxiv-digest");
  });
});

describe("a folder whose package.json lies", () => {
  it("naming the project without a bin: npx would ask the registry, so the installed name", () => {
    const lying = folder("lying");
    writeFileSync(join(lying, "package.json"), '{ "name": "arxiv-digest" }\n');
    const self = installedElsewhere();
    expect(npxLocalBin(lying)).toBeUndefined();
    expect(npxFinds(lying, self)).toBe(false);
    expect(selfCommand(lying, NOT_NPX, self)).toBe("arxiv-digest");
  });

  it("giving the bin to a script of its own: the installed name, however the process started", () => {
    const lying = folder("lying");
    writeFileSync(join(lying, "package.json"), '{ "name": "arxiv-digest", "bin": "steal.js" }\n');
    writeFileSync(join(lying, "steal.js"), "#!/usr/bin/env node\n");
    const self = installedElsewhere();
    expect(npxLocalBin(lying)).toBe(join(lying, "steal.js"));
    expect(selfCommand(lying, NOT_NPX, self)).toBe("arxiv-digest");
    expect(selfCommand(lying, BY_NPX, self)).toBe("arxiv-digest");
  });

  it("keeps a bin that climbs out of the folder inside it, as npm does", () => {
    const lying = folder("lying");
    const self = installedElsewhere();
    writeFileSync(
      join(lying, "package.json"),
      `${JSON.stringify({ name: "x", bin: { "arxiv-digest": `../../${self}/bin/arxiv-digest.js` } })}\n`,
    );
    expect(npxLocalBin(lying)?.startsWith(lying)).toBe(true);
    expect(selfCommand(lying, NOT_NPX, self)).toBe("arxiv-digest");
  });
});

describe("a project that depends on the package", () => {
  it("suggests npx from any of its subfolders when its bin is this program", () => {
    const project = folder("dependent");
    const pkg = packageAt(join(project, "node_modules", "arxiv-digest"));
    dependentOn(project, pkg);
    mkdirSync(join(project, "notes", "2026"), { recursive: true });
    expect(npxFinds(project, pkg)).toBe(true);
    expect(selfCommand(join(project, "notes", "2026"), NOT_NPX, pkg)).toBe("npx arxiv-digest");
    // A package of its own inside the project: npm's project is that package, and the bin is
    // still found in the node_modules above it, as npx looks.
    const inner = join(project, "notes", "tool");
    mkdirSync(inner, { recursive: true });
    writeFileSync(join(inner, "package.json"), '{ "name": "tool" }\n');
    expect(npmProjectOf(inner)).toBe(inner);
    expect(npxFinds(inner, pkg)).toBe(true);
  });

  it("suggests the installed name when that project's copy is not the running program", () => {
    const project = folder("dependent");
    dependentOn(project, packageAt(join(project, "node_modules", "arxiv-digest")));
    expect(npxFinds(project, installedElsewhere())).toBe(false);
    expect(selfCommand(project, NOT_NPX, installedElsewhere())).toBe("arxiv-digest");
  });

  it("skips a .bin entry that leads nowhere and takes the next one up, as npx does", () => {
    const project = folder("dependent");
    const pkg = packageAt(join(project, "node_modules", "arxiv-digest"));
    dependentOn(project, pkg);
    const inner = join(project, "tool");
    mkdirSync(join(inner, "node_modules", ".bin"), { recursive: true });
    symlinkSync(join(inner, "gone.js"), join(inner, "node_modules", ".bin", "arxiv-digest"));
    expect(npxLocalBin(inner)).toBe(join(project, "node_modules", ".bin", "arxiv-digest"));
    expect(selfCommand(inner, NOT_NPX, pkg)).toBe("npx arxiv-digest");
  });
});

describe("a foreign node_modules/.bin/arxiv-digest", () => {
  it("is not this program, even beside a genuine copy of the package or after a start by npx", () => {
    const project = folder("foreign");
    const pkg = packageAt(join(project, "node_modules", "arxiv-digest"));
    const script = join(folder("elsewhere"), "anything.js");
    writeFileSync(script, "#!/usr/bin/env node\n");
    mkdirSync(join(project, "node_modules", ".bin"), { recursive: true });
    symlinkSync(script, join(project, "node_modules", ".bin", "arxiv-digest"));
    expect(npxFinds(project, pkg)).toBe(false);
    expect(selfCommand(project, NOT_NPX, pkg)).toBe("arxiv-digest");
    expect(selfCommand(project, BY_NPX, pkg)).toBe("arxiv-digest");
  });

  it("is not this program when it points into this package at another script", () => {
    const self = installedElsewhere();
    writeFileSync(join(self, "bin", "other.js"), "#!/usr/bin/env node\n");
    const project = folder("foreign");
    mkdirSync(join(project, "node_modules", ".bin"), { recursive: true });
    symlinkSync(join(self, "bin", "other.js"), join(project, "node_modules", ".bin", "arxiv-digest"));
    expect(selfCommand(project, NOT_NPX, self)).toBe("arxiv-digest");
  });
});

describe("outside any project", () => {
  it("suggests the installed name, or npx when npx started this process (its search ends where it did)", () => {
    const outside = folder("outside");
    const self = installedElsewhere();
    expect(npmProjectOf(outside)).toBe(outside);
    expect(npxLocalBin(outside)).toBeUndefined();
    expect(selfCommand(outside, NOT_NPX, self)).toBe("arxiv-digest");
    expect(selfCommand(outside, BY_NPX, self)).toBe("npx arxiv-digest");
    // Started by an npm script, by hand, or installed: the folder decides.
    expect(selfCommand(outside, { npm_command: "run-script" }, self)).toBe("arxiv-digest");
  });

  it("finds nothing in a project that has neither the bin nor the dependency installed", () => {
    const other = folder("other-project");
    mkdirSync(join(other, "node_modules"), { recursive: true });
    mkdirSync(join(other, "sub"), { recursive: true });
    expect(npmProjectOf(join(other, "sub"))).toBe(other);
    expect(npxFinds(join(other, "sub"), installedElsewhere())).toBe(false);
  });
});
