/** How an incremental build publishes: only changed files are staged, and a publish cut short is completed. */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeStaging, publishChanges, recoverPublish, StagedDir } from "../../src/site/site-dir.js";

let root: string;
let live: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "site-dir-"));
  live = join(root, "site");
  await mkdir(join(live, "2026/02/05"), { recursive: true });
  await mkdir(join(live, "search-data/2026-02-aaaa"), { recursive: true });
  await writeFile(join(live, "index.html"), "old root");
  await writeFile(join(live, "2026/02/05/index.html"), "day");
  await writeFile(join(live, "search-data/2026-02-aaaa/index.json"), "{}");
  await writeFile(join(live, ".site-manifest.json"), "old manifest");
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const tree = async (dir: string) =>
  Object.fromEntries(
    await Promise.all(
      (await readdir(dir, { recursive: true, withFileTypes: true }))
        .filter((e) => e.isFile())
        .map(async (e) => {
          const path = join(e.parentPath, e.name);
          return [path.slice(dir.length + 1), await readFile(path, "utf8")] as const;
        }),
    ),
  );

/** The live site after the publish the tests below make, whole or recovered. */
const PUBLISHED = {
  "index.html": "new root",
  "2026/02/05/index.html": "day",
  "search-data/2026-02-bbbb/index.json": "{ }",
  ".site-manifest.json": "new manifest",
};

describe("an incremental publish", () => {
  it("stages only what changed and moves it in, the manifest last", async () => {
    const site = new StagedDir(await makeStaging(live), live);
    expect(await site.write("2026/02/05/index.html", "day")).toBe(false);
    expect(await site.write("index.html", "new root")).toBe(true);
    expect(await site.write("search-data/2026-02-bbbb/index.json", "{ }")).toBe(true);
    expect(await site.write(".site-manifest.json", "new manifest")).toBe(true);
    await site.remove("search-data/2026-02-aaaa");
    expect(site.locate("index.html")).toBe(join(site.staging, "index.html"));
    expect(site.locate("2026/02/05/index.html")).toBe(join(live, "2026/02/05/index.html"));
    expect(await tree(site.staging)).toEqual({
      "index.html": "new root",
      "search-data/2026-02-bbbb/index.json": "{ }",
      ".site-manifest.json": "new manifest",
    });
    await publishChanges(live, [site], [".site-manifest.json"]);
    expect(await tree(live)).toEqual(PUBLISHED);
    expect(await readdir(root)).toEqual(["site"]);
  });

  it("cut short after its journal was written, is completed by the next build", async () => {
    const staging = await makeStaging(live);
    await mkdir(join(staging, "search-data/2026-02-bbbb"), { recursive: true });
    await writeFile(join(staging, "search-data/2026-02-bbbb/index.json"), "{ }");
    await writeFile(join(staging, ".site-manifest.json"), "new manifest");
    // The root page had already moved in when the process died.
    await writeFile(join(live, "index.html"), "new root");
    const journal = {
      parts: [{ dir: live, staging, removed: ["search-data/2026-02-aaaa"] }],
      last: [".site-manifest.json"],
    };
    await writeFile(join(root, ".site.publish.json"), JSON.stringify(journal));
    await recoverPublish(live);
    expect(await tree(live)).toEqual(PUBLISHED);
    expect(await readdir(root)).toEqual(["site"]);
    await recoverPublish(live);
    expect((await tree(live))[".site-manifest.json"]).toBe("new manifest");
  });
});
