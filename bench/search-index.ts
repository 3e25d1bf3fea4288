/**
 * The search index's size at archive scale: 387 synthetic weekdays like bench/site-build.ts's (40
 * selected of 400 scanned papers a day, real titles, authors and abstracts from the reference pages,
 * some with math), indexed into the site's bundles (a year each, a month each in the latest year)
 * twice in the same run:
 *
 *   one term a word   each word under its folded term only (the index before words with parts,
 *                     such as LoRA², Δt or R^2, were also indexed under each part)
 *   this version      each word under its terms as the site indexes it (search-terms.js wordTerms)
 *
 * and prints, for each, the term files (what a query fetches), all files of search-data/ (the
 * documents are the same in both), raw and gzip, the number of terms and the CPU time it took.
 * Run: npx tsx bench/search-index.ts [days]   (default: 387)
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { DayRecord, PaperRecord } from "../src/model/day-record.js";
import { foldWord, wordTerms } from "../src/site/assets/search-terms.js";
import { bundleKeyOf } from "../src/site/search-bundles.js";
import { BundleIndex, searchPapers } from "../src/site/search-index.js";
import { makeDay } from "../test/helpers/day-factory.js";
import { referenceDays } from "../test/helpers/reference.js";
import { removeScratch, scratchDir } from "./scratch.js";
import { weekdays } from "./weekdays.js";

const SELECTED = 40;
const SCANNED = 400;
const days = Number(process.argv[2] ?? 387);

const pool = [...new Map([...referenceDays().values()].flat().map((p) => [p.id, p])).values()];
const skeleton = makeDay({ papers: [] });

/** A day like bench/site-build.ts's: ids unique to the day, the first SELECTED picked. */
function dayRecord(date: string, first: number): DayRecord {
  const prefix = `${date.slice(2, 4)}${date.slice(5, 7)}`;
  const papers: PaperRecord[] = Array.from({ length: SCANNED }, (_, i) => {
    const p = pool[(first + i) % pool.length]!;
    const id = `${prefix}.${String(i + Number(date.slice(8, 10)) * 1000).padStart(5, "0")}`;
    return i < SELECTED
      ? { ...p, id, outcome: "selected", score: 12 }
      : { ...p, id, outcome: "rejected", relevance: 3, novelty: 3, score: 6, comment: null };
  });
  return { ...skeleton, date, papers };
}

interface Size {
  termFiles: number;
  termBytes: number;
  termGzip: number;
  allBytes: number;
  allGzip: number;
  terms: number;
  cpuMs: number;
}

function indexAll(dates: readonly string[], terms: (word: string) => readonly string[]): Size {
  const dir = scratchDir("search-index-bench-");
  try {
    const latestYear = dates.at(-1)!.slice(0, 4);
    const started = process.cpuUsage();
    let key = "";
    let index: BundleIndex | null = null;
    dates.forEach((date, d) => {
      const k = bundleKeyOf(date, latestYear);
      if (k !== key) {
        index?.finish();
        key = k;
        index = new BundleIndex(join(dir, k), terms);
      }
      index!.addDay(date, searchPapers(dayRecord(date, d * SCANNED)));
    });
    (index as BundleIndex | null)?.finish();
    const cpu = process.cpuUsage(started);
    const size: Size = { termFiles: 0, termBytes: 0, termGzip: 0, allBytes: 0, allGzip: 0, terms: 0, cpuMs: 0 };
    size.cpuMs = Math.round((cpu.user + cpu.system) / 1000);
    for (const bundle of readdirSync(dir)) {
      for (const file of readdirSync(join(dir, bundle))) {
        const bytes = readFileSync(join(dir, bundle, file));
        const gzip = gzipSync(bytes).length;
        size.allBytes += bytes.length;
        size.allGzip += gzip;
        if (/^t\d+\.json$/.test(file)) {
          size.termFiles++;
          size.termBytes += bytes.length;
          size.termGzip += gzip;
          size.terms += Object.keys(JSON.parse(bytes.toString("utf8"))).length;
        }
      }
    }
    return size;
  } finally {
    removeScratch(dir);
  }
}

const dates = weekdays("2016-06-01", days);
console.log(
  `== search index of ${days} days (${dates[0]} … ${dates.at(-1)}), ${SELECTED} selected of ${SCANNED} scanned a day, ` +
    `${pool.length} distinct real abstracts`,
);
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(2)} MB`;
const rows: [string, Size][] = [
  ["one term a word (baseline)", indexAll(dates, (word) => [foldWord(word)])],
  ["this version (wordTerms)", indexAll(dates, wordTerms)],
];
const base = rows[0]![1];
const pct = (n: number, b: number) => (n === b ? "" : ` (${n > b ? "+" : ""}${(((n - b) / b) * 100).toFixed(2)}%)`);
for (const [label, s] of rows) {
  console.log(
    `${label.padEnd(28)} terms ${String(s.terms).padStart(8)}${pct(s.terms, base.terms)}  ` +
      `term files ${s.termFiles} ${mb(s.termBytes)}${pct(s.termBytes, base.termBytes)}, gzip ${mb(s.termGzip)}${pct(s.termGzip, base.termGzip)}  ` +
      `search-data ${mb(s.allBytes)}${pct(s.allBytes, base.allBytes)}, gzip ${mb(s.allGzip)}${pct(s.allGzip, base.allGzip)}  ` +
      `cpu ${s.cpuMs} ms`,
  );
}
