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
 * then the weight of a typical day page as Chromium loads it (HTML, CSS, JS, fonts; bytes and gzip).
 * Run: npx tsx bench/site-build.ts [days…]   (default: 387 2500)
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { ArchiveStore } from "../src/archive/store.js";
import type { DayRecord, PaperRecord } from "../src/model/day-record.js";
import { buildSite } from "../src/site/build.js";

const SITE = { title: "Bench digest", baseUrl: "https://example.org/papers/", basePath: "/papers/", outDir: "site" };
const SELECTED = 40;
const SCANNED = 400;

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

function weekdays(from: string, count: number): string[] {
  const out: string[] = [];
  const d = new Date(`${from}T00:00:00Z`);
  while (out.length < count) {
    const dow = d.getUTCDay();
    if (dow !== 0 && dow !== 6) out.push(d.toISOString().slice(0, 10));
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return out;
}

// Loaded here, not above, so a measured child loads only what the build needs.
const { makeDay } = await import("../test/helpers/day-factory.js");
const { referenceDays } = await import("../test/helpers/reference.js");
const pool = [...new Map([...referenceDays().values()].flat().map((p) => [p.id, p])).values()];
const skeleton = makeDay({ papers: [] });
const random = lcg(20260205);
let next = 0;

/** A day like the reference days: 40 of 400 scanned papers selected, ids unique to the day. */
function dayRecord(date: string): DayRecord {
  const prefix = `${date.slice(2, 4)}${date.slice(5, 7)}`;
  const papers: PaperRecord[] = Array.from({ length: SCANNED }, (_, i) => {
    const p = pool[next++ % pool.length]!;
    const id = `${prefix}.${String(i + Number(date.slice(8, 10)) * 1000).padStart(5, "0")}`;
    return i < SELECTED
      ? { ...p, id, outcome: "selected", score: random(8, 18) }
      : { ...p, id, outcome: "rejected", relevance: 3, novelty: 3, score: 6, comment: null };
  });
  return {
    ...skeleton,
    date,
    generatedAt: `${date}T06:00:00.000Z`,
    status: { code: "normal", message: `Announcement of ${date} read from the feed.` },
    counts: { entries: SCANNED, unique: SCANNED, scanned: SCANNED, selected: SELECTED, unscored: 0 },
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

/** Bytes a browser fetches for a day page: HTML, CSS, JS and fonts, raw and gzipped. */
async function pageWeight(outDir: string, date: string) {
  const chromiumPath = ["/usr/lib/chromium/chromium", "/usr/bin/chromium"].find((p) => existsSync(p));
  if (!chromiumPath) return null;
  const { chromium } = await import("playwright-core");
  const { serveSite } = await import("../src/site/serve.js");
  const server = await serveSite(outDir, { port: 0, basePath: SITE.basePath });
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox", "--disable-gpu"] });
  try {
    const page = await browser.newPage();
    const bodies: { type: string; url: string; bytes: Buffer }[] = [];
    page.on("response", async (res) => {
      const body = await res.body().catch(() => null);
      if (body) bodies.push({ type: res.request().resourceType(), url: res.url(), bytes: body });
    });
    await page.goto(`${server.url}${date.replaceAll("-", "/")}/`, { waitUntil: "networkidle" });
    await page.waitForTimeout(300);
    const byType = new Map<string, { n: number; bytes: number; gzip: number }>();
    for (const b of bodies) {
      const t = byType.get(b.type) ?? { n: 0, bytes: 0, gzip: 0 };
      t.n++;
      t.bytes += b.bytes.length;
      t.gzip += b.type === "font" ? b.bytes.length : gzipSync(b.bytes).length;
      byType.set(b.type, t);
    }
    return byType;
  } finally {
    await browser.close();
    await server.close();
  }
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
for (const days of sizes.length > 0 ? sizes : [387, 2500]) {
  const dir = await mkdtemp(join(tmpdir(), "site-bench-"));
  try {
    const archive = join(dir, "archive");
    const store = new ArchiveStore(archive);
    // The extra day lands mid-month, mid-year: one month bundle is re-indexed.
    const dates = weekdays("2016-06-01", days + 1);
    const extra = dates.pop()!;
    for (const date of dates) await writeDay(store, dayRecord(date));
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
    const weight = await pageWeight(outDir, extra);
    if (weight) {
      let bytes = 0;
      let gzip = 0;
      for (const [type, w] of weight) {
        console.log(`  page weight of ${extra}: ${type.padEnd(10)} ${w.n} files  ${kb(w.bytes)}  gzip ${kb(w.gzip)}`);
        bytes += w.bytes;
        gzip += w.gzip;
      }
      console.log(`  page weight of ${extra}: total ${kb(bytes)}, gzip ${kb(gzip)} (fonts counted as served, WOFF2)`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
