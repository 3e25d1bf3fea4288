/**
 * Site build at archive scale: 380 announcement days (weekdays from 2025-01-02) made from the
 * real reference papers, written with ArchiveStore, then a full build, then one day added
 * incrementally. Prints wall time and peak memory. Run: npx tsx bench/site-build.ts
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ArchiveStore } from "../src/archive/store.js";
import type { PaperRecord } from "../src/model/day-record.js";
import { buildSite } from "../src/site/build.js";
import { makeDay } from "../test/helpers/day-factory.js";
import { referenceDays } from "../test/helpers/reference.js";

const DAYS = 380;
/** Papers scanned per day, as the reference pages report (about 390). */
const SCANNED = 390;

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

const pool = [...new Map([...referenceDays().values()].flat().map((p) => [p.id, p])).values()];
const random = lcg(20260205);
let next = 0;
const take = (n: number, fields: Partial<PaperRecord>) =>
  Array.from({ length: n }, () => ({ ...pool[next++ % pool.length]!, ...fields }));

function dayRecord(date: string) {
  // Reference days select 1 to 40 papers; most select a handful.
  const selected = random(0, 9) === 0 ? random(15, 40) : random(1, 6);
  const papers = [
    ...take(selected, { outcome: "selected" }).map((p) => ({ ...p })),
    ...take(SCANNED - selected, { outcome: "rejected", relevance: 3, novelty: 3, score: 6, comment: null }),
  ];
  return makeDay({ date, papers });
}

const dir = await mkdtemp(join(tmpdir(), "site-bench-"));
try {
  const store = new ArchiveStore(join(dir, "archive"));
  const dates = weekdays("2025-01-02", DAYS + 1);
  const extra = dates.pop()!;
  let selectedTotal = 0;
  for (const date of dates) {
    const day = dayRecord(date);
    selectedTotal += day.counts.selected;
    await store.writeDay(day);
  }
  console.log(
    `archive: ${DAYS} days (${dates[0]} … ${dates.at(-1)}), ${pool.length} distinct real papers, ` +
      `${selectedTotal} selected, ${DAYS * SCANNED} scanned`,
  );
  const site = { title: "Bench digest", baseUrl: "https://example.org/papers/", basePath: "/papers/", outDir: "site" };
  const outDir = join(dir, "site");
  const full = await buildSite({ source: store, outDir, site });
  console.log(`full build: ${full.ms} ms, ${full.pagesWritten} pages, ${full.daysRendered} days`);
  await store.writeDay(dayRecord(extra));
  const incremental = await buildSite({ source: store, outDir, site, changedDates: [extra] });
  console.log(
    `add one day (${extra}): ${incremental.ms} ms, ${incremental.pagesWritten} pages, ${incremental.daysRendered} days rendered`,
  );
  console.log(`peak memory (maxRSS): ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
