/** The site build survives what goes wrong: unreadable days, failures half-way, lost state. */
import {
  chmod,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rename,
  rm,
  stat,
  symlink,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ArchiveStore } from "../../src/archive/store.js";
import type { PaperRecord } from "../../src/model/day-record.js";
import { buildSite } from "../../src/site/build.js";
import { MANIFEST_FILE, stateDirOf } from "../../src/site/manifest.js";
import { pageScripts } from "../../src/site/site-assets.js";
import { makeDay, makePaper } from "../helpers/day-factory.js";
import { referenceDays } from "../helpers/reference.js";
import { memorySource } from "./memory-source.js";

/**
 * Assets that take longer than the rest of the build, when a test arms `hold`: bundled at once,
 * their files are written only when `hold` settles. `manifestWritten` is called as the build
 * writes its manifest.
 */
const slowAssets = vi.hoisted(() => ({
  hold: null as null | (() => Promise<unknown>),
  manifestWritten: () => {},
}));
vi.mock("../../src/site/site-assets.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../src/site/site-assets.js")>();
  const copyAssets: typeof real.copyAssets = async (site) => {
    const hold = slowAssets.hold;
    if (!hold) return await real.copyAssets(site);
    const files: [string, string | Uint8Array][] = [];
    const paths = await real.copyAssets({ write: async (rel, content) => files.push([rel, content]) });
    await hold();
    for (const [rel, content] of files) await site.write(rel, content);
    return paths;
  };
  return { ...real, copyAssets };
});
vi.mock("../../src/site/manifest.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../src/site/manifest.js")>();
  const writeManifest: typeof real.writeManifest = async (site, manifest) => {
    slowAssets.manifestWritten();
    await real.writeManifest(site, manifest);
  };
  return { ...real, writeManifest };
});

const SITE = { title: "Digest", baseUrl: "https://example.org/", basePath: "/", outDir: "site" };
const papers = [...referenceDays().values()];
const dayOf = (date: string, i: number) => makeDay({ date, papers: papers[i % papers.length] as PaperRecord[] });
const DATES = ["2025-12-30", "2025-12-31", "2026-01-29", "2026-01-30", "2026-02-02", "2026-02-03"];

let root: string;
let outDir: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "site-build-"));
  outDir = join(root, "site");
});
afterEach(async () => {
  slowAssets.hold = null;
  slowAssets.manifestWritten = () => {};
  await rm(root, { recursive: true, force: true });
});

/** Every file under dir with its content, and the build state beside it (under "state/") unless `pagesOnly`. */
async function snapshot(dir: string, pagesOnly = false): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const files = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
  for (const f of files) {
    const rel = join(f.parentPath, f.name).slice(dir.length + 1);
    if (pagesOnly && (rel.startsWith(".") || rel.startsWith("search-data/"))) continue;
    out.set(rel, await readFile(join(dir, rel), "latin1"));
  }
  if (pagesOnly) return out;
  const state = stateDirOf(dir);
  const stateFiles = (await readdir(state, { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
  for (const f of stateFiles) {
    const rel = join(f.parentPath, f.name).slice(state.length + 1);
    out.set(`state/${rel}`, await readFile(join(state, rel), "latin1"));
  }
  return out;
}

/** What the builds left beside the site folder other than its state. */
const leftovers = async () =>
  (await readdir(dirname(outDir))).filter((n) => n !== basename(outDir) && n !== basename(stateDirOf(outDir)));

describe("a day record that cannot be read", () => {
  it("is named, left out and reported, and everything else is built", async () => {
    const store = new ArchiveStore(join(root, "archive"));
    for (const [i, date] of DATES.entries()) await store.writeDay(dayOf(date, i));
    const bad = store.path("2026-01-30");
    await writeFile(bad, '{ "schema": 1, "date": "2026-01-30", truncated');
    const result = await buildSite({ source: store, outDir, site: SITE });
    expect(result.failedDays).toHaveLength(1);
    expect(result.failedDays[0]!.date).toBe("2026-01-30");
    expect(result.failedDays[0]!.error).toContain(bad);
    expect(result.daysRendered).toBe(DATES.length - 1);
    await expect(stat(join(outDir, "2026/01/30/index.html"))).rejects.toThrow();
    const before = await readFile(join(outDir, "2026/01/29/index.html"), "utf8");
    expect(before).toContain('href="/2026/02/02/"');
    expect(await readFile(join(outDir, "sitemap.xml"), "utf8")).not.toContain("2026/01/30/");

    // Fixed, it is picked up by the next incremental build.
    await store.writeDay(dayOf("2026-01-30", 3));
    const again = await buildSite({ source: store, outDir, site: SITE, changedDates: [] });
    expect(again.failedDays).toEqual([]);
    expect(await readFile(join(outDir, "2026/01/29/index.html"), "utf8")).toContain('href="/2026/01/30/"');
  });
});

describe("atomic site build", () => {
  it("leaves the previous site in place when a full build fails half-way", async () => {
    const source = memorySource(DATES.map(dayOf));
    await buildSite({ source, outDir, site: SITE });
    const before = await snapshot(outDir);
    // The fourth record claims another date: the build stops after writing pages.
    const readDay = source.readDay;
    source.readDay = async (date) => (date === DATES[3] ? dayOf("2026-03-03", 0) : readDay(date));
    await expect(buildSite({ source, outDir, site: { ...SITE, title: "Other" } })).rejects.toThrow(/listed as/);
    expect(await snapshot(outDir)).toEqual(before);
    expect(await leftovers()).toEqual([]);
  });

  it("leaves the previous site untouched when an incremental build fails", async () => {
    const source = memorySource(DATES.map(dayOf));
    await buildSite({ source, outDir, site: SITE });
    const before = await snapshot(outDir);
    source.days.set("2026-02-04", dayOf("2026-02-04", 9));
    const readDay = source.readDay;
    source.readDay = async (date) => (date === "2026-02-04" ? dayOf("2026-02-05", 9) : readDay(date));
    await expect(buildSite({ source, outDir, site: SITE, changedDates: ["2026-02-04"] })).rejects.toThrow(/listed as/);
    expect(await snapshot(outDir)).toEqual(before);
    expect(await leftovers()).toEqual([]);
  });

  it("puts back a site whose swap was cut short and removes a dead build's folder", async () => {
    const source = memorySource(DATES.map(dayOf));
    await buildSite({ source, outDir, site: SITE });
    const before = await snapshot(outDir);
    // A crash between the two renames of the swap, and a staging folder of a build that died.
    await rename(outDir, join(root, ".site.previous"));
    await mkdir(join(root, ".site.building-999999999-dead"));
    await writeFile(join(root, ".site.building-999999999-dead/index.html"), "half");
    const result = await buildSite({ source, outDir, site: SITE, changedDates: [] });
    expect(result.full).toBe(false);
    expect(await snapshot(outDir)).toEqual(before);
    expect(await leftovers()).toEqual([]);
  });
});

describe("build state", () => {
  it("keeps no abstracts in the manifest, which stays small (a line per day and per month)", async () => {
    const source = memorySource(DATES.map(dayOf));
    await buildSite({ source, outDir, site: SITE });
    const manifest = await readFile(join(outDir, MANIFEST_FILE), "utf8");
    for (const date of DATES) {
      for (const p of source.days.get(date)!.papers.slice(0, 3))
        expect(manifest).not.toContain(p.abstract.slice(0, 60));
    }
    // A short line per day and per month (totals, cost, three leading topics): at ten years, a few hundred KB.
    const { days, months } = JSON.parse(manifest) as { days: unknown[]; months: unknown[] };
    expect(days).toHaveLength(DATES.length);
    for (const day of days) expect(JSON.stringify(day).length).toBeLessThan(100);
    expect(months).toHaveLength(3);
    for (const month of months) expect(JSON.stringify(month).length).toBeLessThan(200);
  });

  it("falls back to a full build, with the same output, when the manifest is lost or its state stale", async () => {
    const all = [...DATES, "2026-02-04"];
    const reference = join(root, "reference");
    await buildSite({ source: memorySource(all.map(dayOf)), outDir: reference, site: SITE });
    const expected = await snapshot(reference);

    const source = memorySource(DATES.map(dayOf));
    await buildSite({ source, outDir, site: SITE });
    source.days.set("2026-02-04", dayOf("2026-02-04", all.length - 1));
    const incremental = await buildSite({ source, outDir, site: SITE, changedDates: ["2026-02-04"] });
    expect(incremental.full).toBe(false);
    expect(await snapshot(outDir)).toEqual(expected);

    await rm(join(outDir, MANIFEST_FILE));
    const lost = await buildSite({ source, outDir, site: SITE, changedDates: ["2026-02-04"] });
    expect(lost.full).toBe(true);
    expect(await snapshot(outDir)).toEqual(expected);

    await writeFile(join(stateDirOf(outDir), "years/2026.json"), "[]");
    const stale = await buildSite({ source, outDir, site: SITE, changedDates: ["2026-02-04"] });
    expect(stale.full).toBe(true);
    expect(await snapshot(outDir)).toEqual(expected);
  });

  it("indexes a changed period again from the archive, across a new year and a changed past day, as a full build does", async () => {
    const fullOf = async (source: ReturnType<typeof memorySource>, name: string) => {
      const dir = join(root, name, "site");
      await buildSite({ source: memorySource(source.days.values()), outDir: dir, site: SITE });
      return snapshot(dir);
    };
    const source = memorySource(DATES.slice(0, 2).map(dayOf));
    await buildSite({ source, outDir, site: SITE });

    // The new year: 2025 becomes one bundle, made from its days read again.
    for (const [i, date] of DATES.entries()) source.days.set(date, dayOf(date, i));
    source.reads.length = 0;
    const rollover = await buildSite({ source, outDir, site: SITE, changedDates: DATES.slice(2) });
    expect(rollover.full).toBe(false);
    expect(rollover.searchBundles.indexed.sort()).toEqual(["2025", "2026-01", "2026-02"]);
    expect([...new Set(source.reads)].sort()).toEqual(DATES);
    expect(await snapshot(outDir)).toEqual(await fullOf(source, "rollover"));

    // A day of the past year changes: its bundle is indexed again from the archive.
    source.days.set("2025-12-30", dayOf("2025-12-30", 9));
    source.reads.length = 0;
    const past = await buildSite({ source, outDir, site: SITE, changedDates: ["2025-12-30"] });
    expect(past.full).toBe(false);
    expect(past.searchBundles.indexed).toEqual(["2025"]);
    expect(source.reads).toContain("2025-12-31");
    expect(await snapshot(outDir)).toEqual(await fullOf(source, "past"));
  });

  it("reuses the search bundles of unchanged periods in a full build, and indexes changed ones", async () => {
    const source = memorySource(DATES.map(dayOf));
    const first = await buildSite({ source, outDir, site: SITE });
    expect(first.searchBundles.indexed.sort()).toEqual(["2025", "2026-01", "2026-02"]);
    const folders = await readdir(join(outDir, "search-data"));
    for (const folder of folders) await writeFile(join(outDir, "search-data", folder, "marker"), "");
    const again = await buildSite({ source, outDir, site: SITE });
    expect(again.searchBundles.indexed).toEqual([]);
    expect(again.searchBundles.reused.sort()).toEqual(["2025", "2026-01", "2026-02"]);
    expect(await readdir(join(outDir, "search-data"))).toEqual(folders);
    source.days.set("2025-12-31", dayOf("2025-12-31", 20));
    const changed = await buildSite({ source, outDir, site: SITE });
    expect(changed.searchBundles.indexed).toEqual(["2025"]);
    const now = await readdir(join(outDir, "search-data"));
    expect(now.filter((f) => f.startsWith("2026"))).toEqual(folders.filter((f) => f.startsWith("2026")));
    expect(now.find((f) => f.startsWith("2025"))).not.toBe(folders.find((f) => f.startsWith("2025")));
    for (const folder of now) {
      const files = await readdir(join(outDir, "search-data", folder));
      expect(files.includes("marker"), folder).toBe(folder.startsWith("2026"));
    }
  });
});

describe("assets", () => {
  it("takes every script no other script imports as a page script", () => {
    const sources = new Map([
      ["app.js", 'import { a } from "./a.js";\nimport "./b.js";\nconst c = () => import("./c.js");'],
      ["a.js", "export const a = 1;"],
      ["b.js", "export {};"],
      ["c.js", 'import { a } from "./a.js";'],
      ["page.js", 'import("./c.js").then(() => {});'],
      ["theme.js", "document.documentElement.classList.add('js');"],
    ]);
    expect(pageScripts(sources)).toEqual(["app.js", "page.js", "theme.js"]);
  });

  it("shows math as MathML, with no math stylesheet or web font anywhere", async () => {
    const withMath = makePaper({ id: "2602.00002", title: "Bounds", abstract: "We prove $O(n \\log n)$ time." });
    await buildSite({
      source: memorySource([makeDay({ date: "2026-02-05", papers: [withMath] })]),
      outDir,
      site: SITE,
    });
    const page = await readFile(join(outDir, "2026/02/05/index.html"), "utf8");
    expect(page).toContain("<math><mi>O</mi>");
    expect(page).not.toContain("katex");
    const assets = await readdir(join(outDir, "assets"), { recursive: true });
    expect(assets.filter((f) => /\.(woff2?|ttf)$|katex/.test(f))).toEqual([]);
  });

  it("publishes the page scripts and stylesheet minified, with on-demand modules in chunks of their own", async () => {
    await buildSite({ source: memorySource([makeDay({ date: "2026-02-05" })]), outDir, site: SITE });
    const assets = await readdir(join(outDir, "assets"));
    for (const page of ["app.js", "theme-init.js", "saved.js", "search.js", "site.css"]) expect(assets).toContain(page);
    // Modules only imported by others are bundled into the page scripts or their chunks.
    for (const module of ["cite.js", "marks.js", "feedback.js", "feedback-sinks.js"]) {
      expect(assets).not.toContain(module);
    }
    const app = await readFile(join(outDir, "assets/app.js"), "utf8");
    expect(app).not.toMatch(/^\s*\/\//m);
    expect(app.split("\n").length).toBeLessThan(5);
    // Citations load on the first click that needs them.
    expect(app).toMatch(/import\("\.\/chunk-[\w-]+\.js"\)/);
    const css = await readFile(join(outDir, "assets/site.css"), "utf8");
    expect(css).not.toContain("/*");
    expect(css.length).toBeLessThan(
      (await readFile(new URL("../../src/site/assets/site.css", import.meta.url), "utf8")).length * 0.85,
    );
  });

  it("are recorded as the build's even when they take longer than everything else, and an older version's go", async () => {
    // The assets' files are held until the manifest is written (a build that did not wait for
    // them) or, in a build that waits, for a second: either way they come after the rest.
    slowAssets.hold = () =>
      Promise.race([new Promise<void>((resolve) => (slowAssets.manifestWritten = resolve)), sleep(1000)]);
    const source = memorySource(DATES.map(dayOf));
    await buildSite({ source, outDir, site: SITE });
    const recorded = async () =>
      (JSON.parse(await readFile(join(outDir, MANIFEST_FILE), "utf8")) as { written: Record<string, string[]> }).written
        .assets ?? [];
    const published = async () => (await readdir(join(outDir, "assets"))).sort();
    expect(await recorded()).toContain("app.js");
    expect(await recorded()).toEqual(await published());

    // A chunk of an earlier version, in a site whose record missed the assets (the build that did
    // not wait for them): the next full build replaces no file of the reader's and drops the chunk.
    const manifest = JSON.parse(await readFile(join(outDir, MANIFEST_FILE), "utf8")) as {
      written: Record<string, string[]>;
    };
    delete manifest.written.assets;
    await writeFile(join(outDir, MANIFEST_FILE), JSON.stringify(manifest));
    await writeFile(join(outDir, "assets/chunk-OLDVERSION.js"), "export const old = 1;");
    const full = await buildSite({ source, outDir, site: SITE });
    expect(full.replaced).toEqual([]);
    expect(await published()).not.toContain("chunk-OLDVERSION.js");
    expect(await recorded()).toEqual(await published());

    // An incremental build drops one too, and leaves the site a full build would.
    await writeFile(join(outDir, "assets/chunk-OLDVERSION.js"), "export const old = 1;");
    source.days.set("2026-02-04", dayOf("2026-02-04", 7));
    const incremental = await buildSite({ source, outDir, site: SITE, changedDates: ["2026-02-04"] });
    expect(incremental.full).toBe(false);
    expect(incremental.replaced).toEqual([]);
    expect(await published()).not.toContain("chunk-OLDVERSION.js");
    const fresh = join(root, "fresh");
    await buildSite({ source: memorySource(source.days.values()), outDir: fresh, site: SITE });
    expect(await snapshot(outDir, true)).toEqual(await snapshot(fresh, true));
  });
});

describe("the reader's own files in the site folder", () => {
  /** Files a GitHub Pages site keeps beside the build's, a nested folder, and links (one pointing out of the site). */
  async function addOwnFiles(dir = outDir) {
    await writeFile(join(dir, "CNAME"), "papers.example.org\n");
    await writeFile(join(dir, ".nojekyll"), "");
    await mkdir(join(dir, "extra/notes"), { recursive: true });
    await writeFile(join(dir, "extra/notes/read-me.txt"), "mine");
    await chmod(join(dir, "extra/notes/read-me.txt"), 0o600);
    await chmod(join(dir, "extra/notes"), 0o750);
    // Inside a folder the build writes into.
    await writeFile(join(dir, "2026/notes.html"), "<p>mine</p>");
    await mkdir(join(root, "outside"), { recursive: true });
    await writeFile(join(root, "outside/secret.txt"), "not the site's");
    await symlink("../outside", join(dir, "elsewhere"));
    await symlink("2026/02/03/", join(dir, "latest"));
  }

  async function expectOwnFiles(dir = outDir) {
    expect(await readFile(join(dir, "CNAME"), "utf8")).toBe("papers.example.org\n");
    expect(await readFile(join(dir, ".nojekyll"), "utf8")).toBe("");
    expect(await readFile(join(dir, "extra/notes/read-me.txt"), "utf8")).toBe("mine");
    expect((await stat(join(dir, "extra/notes/read-me.txt"))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, "extra/notes"))).mode & 0o777).toBe(0o750);
    expect(await readFile(join(dir, "2026/notes.html"), "utf8")).toBe("<p>mine</p>");
    // Links stay links, with the same target; what lies outside is never copied in.
    expect((await lstat(join(dir, "elsewhere"))).isSymbolicLink()).toBe(true);
    expect(await readlink(join(dir, "elsewhere"))).toBe("../outside");
    expect(await readlink(join(dir, "latest"))).toBe("2026/02/03/");
    expect(await readFile(join(root, "outside/secret.txt"), "utf8")).toBe("not the site's");
    // None of them is recorded as the build's.
    const { written } = JSON.parse(await readFile(join(dir, MANIFEST_FILE), "utf8")) as {
      written: Record<string, string[]>;
    };
    expect(written[""]).not.toContain("CNAME");
    expect(written[""]).not.toContain("extra");
    expect(written["2026"]).not.toContain("notes.html");
    expect(written[""]).toContain("404.html");
  }

  it("survive a full rebuild, while the page of a day removed from the archive goes", async () => {
    const source = memorySource(DATES.map(dayOf));
    await buildSite({ source, outDir, site: SITE });
    await addOwnFiles();
    // In the folder of a day about to leave the archive.
    await writeFile(join(outDir, "2026/02/02/my-note.txt"), "note");
    await chmod(join(outDir, "2026/02/02"), 0o705);
    source.days.delete("2026-02-02");
    const result = await buildSite({ source, outDir, site: SITE });
    expect(await readdir(join(outDir, "2026/02/02"))).toEqual(["my-note.txt"]);
    expect((await stat(join(outDir, "2026/02/02"))).mode & 0o777).toBe(0o705);
    expect(result.full).toBe(true);
    expect(result.replaced).toEqual([]);
    await expectOwnFiles();
    await expect(stat(join(outDir, "2026/02/02/index.html"))).rejects.toThrow();
    await expect(stat(join(outDir, "2026/02/02/about.html"))).rejects.toThrow();
    // And the next one, and an incremental build, keep them too.
    await buildSite({ source, outDir, site: SITE });
    source.days.set("2026-02-04", dayOf("2026-02-04", 7));
    await buildSite({ source, outDir, site: SITE, changedDates: ["2026-02-04"] });
    await expectOwnFiles();
    await buildSite({ source, outDir, site: { ...SITE, title: "Renamed" } });
    await expectOwnFiles();
    expect(await leftovers()).toEqual(["outside"]);
  });

  it("survive a build that recovers from a crash: a swap cut short, a build that died, a full build that failed", async () => {
    const source = memorySource(DATES.map(dayOf));
    await buildSite({ source, outDir, site: SITE });
    await addOwnFiles();
    // A full build that fails half-way leaves them where they are.
    const readDay = source.readDay;
    source.readDay = async (date) => (date === DATES[3] ? dayOf("2026-03-03", 0) : readDay(date));
    await expect(buildSite({ source, outDir, site: { ...SITE, title: "Other" } })).rejects.toThrow(/listed as/);
    source.readDay = readDay;
    await expectOwnFiles();
    // A crash between the two renames of the swap, and the staging folder of a build that died.
    await rename(outDir, join(root, ".site.previous"));
    await mkdir(join(root, ".site.building-999999999-dead"));
    await writeFile(join(root, ".site.building-999999999-dead/CNAME"), "half");
    source.days.delete("2026-02-03");
    const result = await buildSite({ source, outDir, site: SITE });
    expect(result.full).toBe(true);
    await expectOwnFiles();
    await expect(stat(join(outDir, "2026/02/03/index.html"))).rejects.toThrow();
    expect(await leftovers()).toEqual(["outside"]);
  });

  it("give way to a file the build writes at their path, which the result names", async () => {
    const source = memorySource(DATES.map(dayOf));
    await buildSite({ source, outDir, site: SITE });
    await writeFile(join(outDir, "CNAME"), "papers.example.org\n");
    // A page of a day the archive does not hold yet, and a folder where a day's folder will be.
    await mkdir(join(outDir, "2026/02/04"), { recursive: true });
    await writeFile(join(outDir, "2026/02/04/index.html"), "hand-made");
    await writeFile(join(outDir, "2026/02/04/photo.jpg"), "jpeg");
    source.days.set("2026-02-04", dayOf("2026-02-04", 7));
    const full = await buildSite({ source, outDir, site: SITE });
    expect(full.replaced).toEqual(["2026/02/04/index.html"]);
    expect(await readFile(join(outDir, "2026/02/04/index.html"), "utf8")).toContain(
      "<title>2026-02-04 · Digest</title>",
    );
    expect(await readFile(join(outDir, "2026/02/04/photo.jpg"), "utf8")).toBe("jpeg");
    expect(await readFile(join(outDir, "CNAME"), "utf8")).toBe("papers.example.org\n");

    // An incremental build says so too, and the file is the build's from then on.
    await mkdir(join(outDir, "2026/02/05"));
    await writeFile(join(outDir, "2026/02/05/index.html"), "hand-made");
    source.days.set("2026-02-05", dayOf("2026-02-05", 8));
    const incremental = await buildSite({ source, outDir, site: SITE, changedDates: ["2026-02-05"] });
    expect(incremental.full).toBe(false);
    expect(incremental.replaced).toEqual(["2026/02/05/index.html"]);
    expect((await buildSite({ source, outDir, site: SITE })).replaced).toEqual([]);
    expect(await readFile(join(outDir, "2026/02/04/photo.jpg"), "utf8")).toBe("jpeg");
  });

  it("are left alone by an incremental build, also beside the topic feeds it prunes", async () => {
    const source = memorySource(DATES.map(dayOf));
    await buildSite({ source, outDir, site: SITE });
    await addOwnFiles();
    await writeFile(join(outDir, "feeds/my-list.xml"), "<rss/>");
    source.days.set("2026-02-04", dayOf("2026-02-04", 7));
    const result = await buildSite({ source, outDir, site: SITE, changedDates: ["2026-02-04"] });
    expect(result.full).toBe(false);
    await expectOwnFiles();
    expect(await readFile(join(outDir, "feeds/my-list.xml"), "utf8")).toBe("<rss/>");
    // The record went on with the new day's files, as a full build records them.
    const full = join(root, "full");
    await buildSite({ source: memorySource(source.days.values()), outDir: full, site: SITE });
    const recordOf = async (dir: string) =>
      (JSON.parse(await readFile(join(dir, MANIFEST_FILE), "utf8")) as { written: Record<string, string[]> }).written;
    expect(await recordOf(outDir)).toEqual(await recordOf(full));
  });

  it("in a site built before the build recorded its files: kept, but for what lies in the build's own folders", async () => {
    const source = memorySource(DATES.map(dayOf));
    await buildSite({ source, outDir, site: SITE });
    // The manifest of an earlier version, without the record.
    const manifest = JSON.parse(await readFile(join(outDir, MANIFEST_FILE), "utf8")) as Record<string, unknown>;
    delete manifest.written;
    await writeFile(join(outDir, MANIFEST_FILE), JSON.stringify(manifest));
    await writeFile(join(outDir, "CNAME"), "papers.example.org\n");
    await writeFile(join(outDir, "robots.txt"), "User-agent: *\n");
    await mkdir(join(outDir, "extra/notes"), { recursive: true });
    await writeFile(join(outDir, "extra/notes/read-me.txt"), "mine");
    await writeFile(join(outDir, "feeds/gone-topic.xml"), "<feed/>");
    await mkdir(join(outDir, "pagefind"));
    await writeFile(join(outDir, "pagefind/pagefind.js"), "old search");
    await writeFile(join(outDir, "404.html"), "hand-made");
    source.days.delete("2026-02-02");
    const result = await buildSite({ source, outDir, site: SITE });
    // A path the new build writes is taken for the build's: no message.
    expect(result.replaced).toEqual([]);
    expect(await readFile(join(outDir, "CNAME"), "utf8")).toBe("papers.example.org\n");
    expect(await readFile(join(outDir, "robots.txt"), "utf8")).toBe("User-agent: *\n");
    expect(await readFile(join(outDir, "extra/notes/read-me.txt"), "utf8")).toBe("mine");
    expect(await readFile(join(outDir, "404.html"), "utf8")).not.toBe("hand-made");
    for (const gone of ["feeds/gone-topic.xml", "pagefind", "2026/02/02/index.html"])
      await expect(stat(join(outDir, gone))).rejects.toThrow();
  });
});
