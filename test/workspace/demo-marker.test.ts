/**
 * The demo's marker: read only as a small regular file (a link to a device or a huge file under
 * its name is not one, and reading it never runs on), and kept true by a demo
 * stopped halfway through rewriting an earlier version's files.
 */
import { readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { sha256 } from "../../src/io/hash.js";
import { claimDemoFolder } from "../../src/pipeline/demo.js";
import { isDemoFolder, readDemoMarker, refuseDemoFolder } from "../../src/workspace/demo-marker.js";
import { makeDay } from "../helpers/day-factory.js";
import { tempWorkspace } from "../helpers/workspace.js";

const MARKER = ".arxiv-digest-demo";

function folder(files: Record<string, string> = {}): string {
  const w = tempWorkspace(null, files);
  onTestFinished(w.cleanup);
  return w.dir;
}

describe("readDemoMarker", () => {
  it("reads the demo's marker, with every digest it records by file", () => {
    const a = sha256("a");
    const b = sha256("b");
    const dir = folder({
      [MARKER]: `Written by \`arxiv-digest demo\`: …\nsha256 ${a}  arxiv-digest.yaml\nsha256 ${b}  arxiv-digest.yaml\n`,
    });
    expect(readDemoMarker(dir)).toEqual({ kind: "marker", digests: new Map([["arxiv-digest.yaml", new Set([a, b])]]) });
    expect(readDemoMarker(folder())).toEqual({ kind: "missing" });
    // The first versions' marker: the demo's, with no digest.
    const old = folder({
      [MARKER]: "Written by `arxiv-digest demo`: running the demo again with this folder rewrites it.\n",
    });
    expect(readDemoMarker(old)).toEqual({ kind: "marker", digests: new Map() });
  });

  it("takes a link (to /dev/zero), a file over 4 KB or another file under its name for no marker, without reading on", () => {
    // A pipe under its name: test/cli/paths.test.ts (making one takes a child process).
    const link = folder({ "arxiv-digest.yaml": "x\n" });
    symlinkSync("/dev/zero", join(link, MARKER));
    expect(readDemoMarker(link)).toEqual({ kind: "foreign", what: "is a symbolic link" });
    const big = folder({ [MARKER]: `Written by \`arxiv-digest demo\`${" ".repeat(5000)}` });
    expect(readDemoMarker(big)).toEqual({ kind: "foreign", what: "is larger than 4 KB" });
    const other = folder({ [MARKER]: "my notes\n" });
    expect(readDemoMarker(other)).toEqual({ kind: "foreign", what: "is not the demo's marker" });
    for (const dir of [link, big, other]) {
      expect(isDemoFolder(dir)).toBe(false);
      expect(() => refuseDemoFolder({ dir }, "run")).not.toThrow();
    }
  });
});

describe("a demo stopped while it rewrites an earlier version's files", () => {
  it("leaves a marker that still records each file as it is, so the next demo and run know the folder", async () => {
    const earlier = { config: "# an earlier version's config\n", authors: "# an earlier version's authors\n" };
    const dir = folder({
      "arxiv-digest.yaml": earlier.config,
      "authors.txt": earlier.authors,
      [MARKER]: `Written by \`arxiv-digest demo\`: …\nsha256 ${sha256(earlier.config)}  arxiv-digest.yaml\nsha256 ${sha256(earlier.authors)}  authors.txt\n`,
    });
    const files = new Map([
      ["arxiv-digest.yaml", "# this version's config\n"],
      ["authors.txt", "# this version's authors\n"],
    ] as const);
    const name = { typed: dir, option: "--out" } as const;
    // Killed after the marker and the config, before authors.txt.
    const stopped = async (path: string, text: string) => {
      if (path.endsWith("authors.txt")) throw new Error("killed");
      writeFileSync(path, text);
    };
    await expect(claimDemoFolder(dir, name, files, stopped)).rejects.toThrow("killed");
    expect(readFileSync(join(dir, "authors.txt"), "utf8")).toBe(earlier.authors);
    const marker = readFileSync(join(dir, MARKER), "utf8");
    expect(marker).toContain(`sha256 ${sha256(earlier.authors)}  authors.txt`);
    expect(marker).toContain(`sha256 ${sha256(files.get("authors.txt")!)}  authors.txt`);
    expect(isDemoFolder(dir)).toBe(true);
    expect(() => refuseDemoFolder({ dir }, "run")).toThrow(/is the demo's folder/);

    // The next demo takes the folder as its own and leaves only what it wrote in the marker.
    await claimDemoFolder(dir, name, files, async (path, text) => writeFileSync(path, text));
    expect(readFileSync(join(dir, "authors.txt"), "utf8")).toBe(files.get("authors.txt"));
    expect(readFileSync(join(dir, MARKER), "utf8")).not.toContain(sha256(earlier.authors));
    expect(isDemoFolder(dir)).toBe(true);
  });
});

describe("the demo over a folder holding the reader's archive", () => {
  const files = new Map([
    ["arxiv-digest.yaml", "# the demo's config\n"],
    ["authors.txt", "# the demo's authors\n"],
  ] as const);
  const day = makeDay();
  const [y, m] = day.date.split("-");
  const record = { [`archive/${y}/${m}/${day.date}.json`]: JSON.stringify(day) };

  it("takes an old-style marker (no digests) or one beside no config as vouching for no day, and refuses", async () => {
    for (const marker of [
      "Written by `arxiv-digest demo`: running the demo again with this folder rewrites it.\n",
      `Written by \`arxiv-digest demo\`: …\nsha256 ${sha256(files.get("arxiv-digest.yaml")!)}  arxiv-digest.yaml\n`,
    ]) {
      const dir = folder({ ...record, [MARKER]: marker });
      const name = { typed: dir, option: "--out" } as const;
      await expect(claimDemoFolder(dir, name, files, async (path, text) => writeFileSync(path, text))).rejects.toThrow(
        /already has an archive the demo did not write/,
      );
      expect(readFileSync(join(dir, Object.keys(record)[0]!), "utf8")).toBe(JSON.stringify(day));
    }
  });

  it("trusts a marker that records the demo's config still beside it", async () => {
    const config = files.get("arxiv-digest.yaml")!;
    const dir = folder({
      ...record,
      "arxiv-digest.yaml": config,
      [MARKER]: `Written by \`arxiv-digest demo\`: …\nsha256 ${sha256(config)}  arxiv-digest.yaml\n`,
    });
    const name = { typed: dir, option: "--out" } as const;
    await claimDemoFolder(dir, name, files, async (path, text) => writeFileSync(path, text));
    expect(isDemoFolder(dir)).toBe(true);
  });
});
