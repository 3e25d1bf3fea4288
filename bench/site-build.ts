/**
 * Site build at archive scale. For each size (387 and 2,500 synthetic weekdays, ~40 selected of
 * ~400 scanned papers a day, real abstracts from the reference pages, some with math) it measures,
 * each in its own child process: wall time, the child's CPU time (user + system: steadier than
 * wall time on a shared machine) and its peak RSS, from process.resourceUsage, and the same for the
 * process a full build indexes search in (like Pagefind's before it, not node's own):
 *
 *   baseline   a full build into an empty folder: what the daily workflow does today
 *   no change  `site --changed` with nothing changed, on that site
 *   +1 day     `site --changed <day>` after one new day is archived
 *   full again a full build over the previous site (unchanged search bundles reused)
 *
 * and, once, a full build of 387 days as an imported history of the reference system holds them:
 * its output keeps only the picks, so each record is its ~36 picked papers, written by the archive
 * store as every record is (indented JSON). That is what the issue timed the reference's own build
 * on (19.3 s, its real 387-day history), printed beside it.
 *
 * then the weight of a day page's first visit as Chromium loads it (HTML, CSS, JS, fonts, whatever it
 * fetches until the network is idle; bytes and gzip), per type, for:
 *
 *   typical    the new day above: 40 picked papers and 10 near misses (folded); and, from its
 *              measured stylesheet and scripts plus each page's own HTML, every day of the archive
 *              (median, p90, largest): one random day can sit high or low
 *   reference  the reference day 2026-02-13 (36 papers), the day whose page the reference system
 *              serves as 82 KB raw / 25 KB gzip: the stated baseline, printed beside ours
 *   largest    a day of 183 picked papers, the largest real day, whose whole load must stay < 1 MB
 *
 * with the gzip of the picked papers' own text (title, authors, comment, abstract) as the floor no
 * page that shows every abstract can go below; and the archive index (every day of the archive
 * linked) as a first visit loads it, from the files on disk: its HTML, both stylesheets and the
 * scripts, gzip, beside the typical day page's first visit.
 * Run: npx tsx bench/site-build.ts [days…]   (default: 387 2500)
 *      KB_DIGITS=1 npx tsx bench/site-build.ts 60   (sizes to the byte: three decimals of a KB, to compare two checkouts)
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { ArchiveStore } from "../src/archive/store.js";
import type { DayRecord, PaperRecord } from "../src/model/day-record.js";
import { buildSite } from "../src/site/build.js";
import { dayPath } from "../src/site/urls.js";
import { memorySource } from "../test/site/memory-source.js";
import { removeScratch, scratchDir } from "./scratch.js";
import { weekdays } from "./weekdays.js";

const SITE = { title: "Bench digest", baseUrl: "https://example.org/papers/", basePath: "/papers/", outDir: "site" };
const SELECTED = 40;
const SCANNED = 400;
/** The reference system's full site build of its real 387-day history, as stated in the issue. */
const REFERENCE_BUILD_MS = 19_300;
/** Picks a day in that history (its median). */
const IMPORTED_PICKS = 36;
/** The reference system's day page (2026-02-13), as stated in the issue: the baseline. */
const REFERENCE_PAGE = { date: "2026-02-13", raw: 82 * 1024, gzip: 25 * 1024 };
/** Targets: a typical day's first visit within 1.2× the reference's gzip; the largest day under 1 MB. */
const TARGET_GZIP = 1.2 * REFERENCE_PAGE.gzip;
const LARGEST_DAY = 183;
const MB = 1024 * 1024;

if (process.argv[2] === "--child") {
  // One build, measured by the parent: prints a JSON line.
  const [, , , archive, outDir, changed] = process.argv;
  const store = new ArchiveStore(archive!);
  const changedDates = changed === undefined ? undefined : changed.split(",").filter(Boolean);
  const report = await buildSite({
    source: store,
    outDir: outDir!,
    site: SITE,
    ...(changedDates ? { changedDates } : {}),
  });
  const usage = process.resourceUsage();
  const maxRssMb = Math.round(usage.maxRSS / 1024);
  const cpuMs = Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000);
  process.stdout.write(`${JSON.stringify({ ...report, maxRssMb, cpuMs })}\n`);
  process.exit(0);
}

/** Deterministic pseudo-random integers, so every run builds the same archive. */
function lcg(seed: number) {
  let state = seed;
  return (min: number, max: number) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return min + (state % (max - min + 1));
  };
}

// Loaded here, not above, so a measured child loads only what the build needs.
const { makeDay } = await import("../test/helpers/day-factory.js");
const { referenceDays } = await import("../test/helpers/reference.js");
const pool = [...new Map([...referenceDays().values()].flat().map((p) => [p.id, p])).values()];
const skeleton = makeDay({ papers: [] });
const random = lcg(20260205);
let next = 0;

/** A day like the reference days: 40 (or `selected`) of 400 (or `scanned`) papers selected, ids unique to the day. */
function dayRecord(date: string, selected = SELECTED, scanned = SCANNED): DayRecord {
  const prefix = `${date.slice(2, 4)}${date.slice(5, 7)}`;
  const papers: PaperRecord[] = Array.from({ length: scanned }, (_, i) => {
    const p = pool[next++ % pool.length]!;
    const id = `${prefix}.${String(i + Number(date.slice(8, 10)) * 1000).padStart(5, "0")}`;
    return i < selected
      ? { ...p, id, outcome: "selected", score: random(8, 18) }
      : { ...p, id, outcome: "rejected", relevance: 3, novelty: 3, score: 6, comment: null };
  });
  return {
    ...skeleton,
    date,
    generatedAt: `${date}T06:00:00.000Z`,
    status: { code: "normal", message: `Announcement of ${date} read from the feed.` },
    counts: { entries: scanned, unique: scanned, scanned, selected, unscored: 0 },
    papers,
  };
}

async function writeDay(store: ArchiveStore, day: DayRecord) {
  const file = store.path(day.date);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(day));
}

interface Measure {
  ms: number;
  cpuMs: number;
  maxRssMb: number;
  searchBundles: { indexer: { maxRssMb: number; cpuMs: number } | null };
  pagesWritten: number;
  daysRendered: number;
  full: boolean;
}

function measure(archive: string, outDir: string, changed?: string[]): Measure {
  const args = ["--import", "tsx", fileURLToPath(import.meta.url), "--child", archive, outDir];
  if (changed) args.push(changed.join(","));
  const started = performance.now();
  const out = execFileSync(process.execPath, args, { encoding: "utf8", maxBuffer: 1 << 24 });
  const wall = Math.round(performance.now() - started);
  const report = JSON.parse(out.trim().split("\n").at(-1)!) as Measure;
  return { ...report, ms: wall };
}

interface Weight {
  byType: Map<string, { n: number; bytes: number; gzip: number }>;
  /** What the first paint waits for: the document and the render-blocking stylesheets and scripts. */
  firstPaint: { bytes: number; gzip: number };
}

/** Bytes a browser fetches on a first visit of each page: HTML, CSS, JS and fonts, raw and gzipped. */
async function pageWeights(outDir: string, paths: string[]): Promise<Weight[] | null> {
  const chromiumPath = ["/usr/lib/chromium/chromium", "/usr/bin/chromium"].find((p) => existsSync(p));
  if (!chromiumPath) return null;
  const { chromium } = await import("playwright-core");
  const { serveSite } = await import("../src/site/serve.js");
  const server = await serveSite(outDir, { port: 0, basePath: SITE.basePath });
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox", "--disable-gpu"] });
  try {
    const weights: Weight[] = [];
    for (const path of paths) {
      // A fresh context each time: nothing cached, a first visit.
      const context = await browser.newContext();
      const page = await context.newPage();
      const bodies: { type: string; url: string; bytes: Buffer }[] = [];
      page.on("response", async (res) => {
        const body = await res.body().catch(() => null);
        if (body) bodies.push({ type: res.request().resourceType(), url: res.url(), bytes: body });
      });
      await page.goto(`${server.url}${path}`, { waitUntil: "networkidle" });
      await page.waitForTimeout(300);
      // Chromium marks each resource the first paint had to wait for (Resource Timing).
      const blocking = new Set(
        await page.evaluate(() =>
          performance
            .getEntriesByType("resource")
            .filter(
              (e) =>
                (e as PerformanceResourceTiming & { renderBlockingStatus?: string }).renderBlockingStatus ===
                "blocking",
            )
            .map((e) => e.name),
        ),
      );
      const weight: Weight = { byType: new Map(), firstPaint: { bytes: 0, gzip: 0 } };
      for (const b of bodies) {
        const t = weight.byType.get(b.type) ?? { n: 0, bytes: 0, gzip: 0 };
        const gzip = b.type === "font" ? b.bytes.length : gzipSync(b.bytes).length;
        t.n++;
        t.bytes += b.bytes.length;
        t.gzip += gzip;
        weight.byType.set(b.type, t);
        if (b.type === "document" || blocking.has(b.url)) {
          weight.firstPaint.bytes += b.bytes.length;
          weight.firstPaint.gzip += gzip;
        }
      }
      weights.push(weight);
      await context.close();
    }
    return weights;
  } finally {
    await browser.close();
    await server.close();
  }
}

const totals = (w: Weight) => {
  let bytes = 0;
  let gzip = 0;
  for (const t of w.byType.values()) {
    bytes += t.bytes;
    gzip += t.gzip;
  }
  return { bytes, gzip };
};

const documentGzip = (w: Weight) => w.byType.get("document")?.gzip ?? 0;

/**
 * A first visit of every day page in the site, gzip: its own HTML plus what every day page loads
 * beside it (`shared`: the stylesheet and scripts, the same files on every day page, as Chromium
 * measured them for one). One random day can sit high or low; the median is the typical day.
 */
function everyDay(outDir: string, shared: number) {
  const pages = (readdirSync(outDir, { recursive: true }) as string[]).filter((f) =>
    /^\d{4}[/\\]\d{2}[/\\]\d{2}[/\\]index\.html$/.test(f),
  );
  const sorted = pages.map((f) => shared + gzipSync(readFileSync(join(outDir, f))).length).sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return {
    days: sorted.length,
    median: at(0.5),
    p90: at(0.9),
    max: sorted.at(-1) ?? 0,
    overTarget: sorted.filter((g) => g > TARGET_GZIP).length / Math.max(1, sorted.length),
  };
}

/** The picked papers' own words, gzipped: what a page that shows every abstract cannot go below. */
function textFloor(day: DayRecord): number {
  const text = day.papers
    .filter((p) => p.outcome === "selected")
    .map((p) => [p.title, p.authors.map((a) => a.name).join(", "), p.comment ?? "", p.abstract].join("\n"))
    .join("\n\n");
  return gzipSync(text).length;
}

function printWeight(label: string, w: Weight) {
  for (const [type, t] of [...w.byType].sort(([a], [b]) => a.localeCompare(b))) {
    console.log(
      `    ${label.padEnd(10)} ${type.padEnd(10)} ${String(t.n).padStart(2)} files ${kb(t.bytes).padStart(10)}  gzip ${kb(t.gzip).padStart(9)}`,
    );
  }
}

/**
 * The page weight report: the reference's stated day page first, as the baseline, then ours for the
 * typical day, the reference's own day and the largest day, built into a site of their own.
 */
async function reportWeight(outDir: string, typical: DayRecord) {
  const dir = scratchDir("site-weight-");
  try {
    const reference = makeDay({
      date: REFERENCE_PAGE.date,
      papers: referenceDays().get(REFERENCE_PAGE.date)!,
    });
    const largest = dayRecord("2016-09-01", LARGEST_DAY);
    const site = join(dir, "site");
    await buildSite({ source: memorySource([largest, reference]), outDir: site, site: SITE });
    const [typicalWeight] = (await pageWeights(outDir, [dayPath(typical.date)])) ?? [];
    const [referenceWeight, largestWeight] =
      (await pageWeights(site, [dayPath(reference.date), dayPath(largest.date)])) ?? [];
    if (!typicalWeight || !referenceWeight || !largestWeight) {
      console.log("  page weight: skipped (no Chromium at /usr/lib/chromium/chromium or /usr/bin/chromium)");
      return;
    }
    console.log(
      "  page weight, first visit of a day page (everything fetched until the network is idle; gzip level 6, fonts as served):",
    );
    const line = (label: string, raw: number | undefined, gzip: number, note: string) =>
      console.log(
        `  ${label.padEnd(58)} ${(raw === undefined ? "" : kb(raw)).padStart(9)}  gzip ${kb(gzip).padStart(8)}  ${note}`,
      );
    line(
      `baseline: the reference's day page ${REFERENCE_PAGE.date} (stated)`,
      REFERENCE_PAGE.raw,
      REFERENCE_PAGE.gzip,
      `target for ours ≤ ${kb(TARGET_GZIP)} gzip (1.2×)`,
    );
    const ratio = (gzip: number) => `${(gzip / REFERENCE_PAGE.gzip).toFixed(2)}× baseline gzip`;
    const t = totals(typicalWeight);
    line(`ours, the new day ${typical.date} (${SELECTED} picked, 10 near misses)`, t.bytes, t.gzip, ratio(t.gzip));
    const r = totals(referenceWeight);
    line(
      `ours, the reference's day ${REFERENCE_PAGE.date} (${reference.papers.length} papers)`,
      r.bytes,
      r.gzip,
      ratio(r.gzip),
    );
    const spread = everyDay(outDir, t.gzip - documentGzip(typicalWeight));
    line(
      `ours, typical: the median day page of this archive (${spread.days})`,
      undefined,
      spread.median,
      `${ratio(spread.median)}; p90 ${kb(spread.p90)} (${(spread.p90 / REFERENCE_PAGE.gzip).toFixed(2)}×), ` +
        `largest ${kb(spread.max)}; ${Math.round(spread.overTarget * 100)}% of days over ${kb(TARGET_GZIP)}`,
    );
    const l = totals(largestWeight);
    line(
      `ours, largest day (${LARGEST_DAY} picked)`,
      l.bytes,
      l.gzip,
      `${l.bytes < MB ? "under" : "OVER"} the 1 MB limit (${(l.bytes / MB).toFixed(2)} MB)`,
    );
    console.log(
      `  floor: the picked papers' own text gzips to ${kb(textFloor(typical))} (typical), ${kb(textFloor(reference))} (reference day), ${kb(textFloor(largest))} (largest)`,
    );
    const blocking = (w: Weight) =>
      `${kb(w.firstPaint.gzip)} (${(w.firstPaint.gzip / REFERENCE_PAGE.gzip).toFixed(2)}×)`;
    console.log(
      `  of which the first paint waits for (document, render-blocking stylesheet and head script), gzip: ` +
        `typical ${blocking(typicalWeight)}, reference day ${blocking(referenceWeight)}, largest ${blocking(largestWeight)}`,
    );
    printWeight("typical", typicalWeight);
    printWeight("reference", referenceWeight);
    printWeight("largest", largestWeight);
  } finally {
    removeScratch(dir);
  }
}

/**
 * The archive index's first visit, from the files on disk: its HTML and what it loads beside it
 * (site.css, pages.css, theme-init.js, app.js), each gzipped on its own as a server sends them.
 */
function reportArchiveWeight(outDir: string) {
  const gz = (rel: string) => {
    const bytes = readFileSync(join(outDir, rel));
    return { raw: bytes.length, gzip: gzipSync(bytes).length };
  };
  const html = gz("archive/index.html");
  const assets = ["site.css", "pages.css", "theme-init.js", "app.js"].map((f) => gz(join("assets", f)));
  const total = html.gzip + assets.reduce((n, a) => n + a.gzip, 0);
  const days = (readdirSync(outDir, { recursive: true }) as string[]).filter((f) =>
    /^\d{4}[/\\]\d{2}[/\\]\d{2}[/\\]index\.html$/.test(f),
  ).length;
  console.log(
    `  archive index (${days} days linked): HTML ${kb(html.raw)}, gzip ${kb(html.gzip)}; ` +
      `first visit with its stylesheets and scripts, gzip ${kb(total)} (a day page's target: ≤ ${kb(TARGET_GZIP)})`,
  );
}

/** Writes what the page cache holds to disk (`sync`); where there is no such command, nothing. */
function flushToDisk() {
  try {
    execFileSync("sync");
  } catch {}
}

const kb = (n: number) => `${(n / 1024).toFixed(process.env.KB_DIGITS ? 3 : 1)} KB`;
const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
/** The full build of a 387-day imported history (picks only), beside the reference's own build of its history. */
async function importedHistory() {
  const dir = scratchDir("site-bench-imported-");
  try {
    const store = new ArchiveStore(join(dir, "archive"));
    for (const date of weekdays("2024-06-03", 387)) {
      await store.writeDay(dayRecord(date, IMPORTED_PICKS, IMPORTED_PICKS));
    }
    flushToDisk();
    const m = measure(store.dir, join(dir, "site"));
    console.log(
      `\n== 387 days of an imported history (the reference's own output: ${IMPORTED_PICKS} picks a day, nothing else)\n` +
        `reference system's build of its real 387-day history (stated)  ${String(REFERENCE_BUILD_MS).padStart(7)} ms\n` +
        `full build, empty folder                                    ${String(m.ms).padStart(7)} ms  cpu ${String(m.cpuMs).padStart(7)} ms  ` +
        `peak RSS ${String(m.maxRssMb).padStart(4)} MB  ${m.pagesWritten} pages (${(m.ms / REFERENCE_BUILD_MS).toFixed(2)}× the reference; target ≤ 0.30×)`,
    );
  } finally {
    removeScratch(dir);
  }
}

if (sizes.length === 0 || sizes.includes(387)) await importedHistory();
for (const days of sizes.length > 0 ? sizes : [387, 2500]) {
  const dir = scratchDir("site-bench-");
  try {
    const archive = join(dir, "archive");
    const store = new ArchiveStore(archive);
    // The extra day lands mid-month, mid-year: one month bundle is re-indexed.
    const dates = weekdays("2016-06-01", days + 1);
    const extra = dates.pop()!;
    for (const date of dates) await writeDay(store, dayRecord(date));
    // The archive on disk before the clock starts, as a real one is: otherwise the kernel writes the
    // generator's few hundred megabytes back while the build runs, and the build pays for it.
    flushToDisk();
    console.log(
      `\n== ${days} days (${dates[0]} … ${dates.at(-1)}), ${SELECTED} selected of ${SCANNED} scanned a day, ` +
        `${pool.length} distinct real abstracts`,
    );
    const outDir = join(dir, "site");
    const rows: [string, Measure][] = [];
    rows.push(["full build, empty folder (baseline: daily workflow)", measure(archive, outDir)]);
    rows.push(["--changed, nothing changed", measure(archive, outDir, [])]);
    await writeDay(store, dayRecord(extra));
    rows.push([`--changed ${extra} (one new day)`, measure(archive, outDir, [extra])]);
    rows.push(["full build over the previous site", measure(archive, outDir)]);
    const base = rows[0]![1];
    for (const [label, m] of rows) {
      const ratio = m === base ? "" : ` (${(m.ms / base.ms).toFixed(3)}× baseline time)`;
      const indexer = m.searchBundles.indexer;
      const aside = indexer ? `; indexer: cpu ${indexer.cpuMs} ms, peak RSS ${indexer.maxRssMb} MB` : "";
      console.log(
        `${label.padEnd(54)} ${String(m.ms).padStart(7)} ms  cpu ${String(m.cpuMs).padStart(7)} ms  ` +
          `peak RSS ${String(m.maxRssMb).padStart(4)} MB  ` +
          `${m.pagesWritten} pages, ${m.daysRendered} days rendered${m.full ? ", full" : ""}${ratio}${aside}`,
      );
    }
    await reportWeight(outDir, await store.readDay(extra));
    reportArchiveWeight(outDir);
  } finally {
    removeScratch(dir);
  }
}
