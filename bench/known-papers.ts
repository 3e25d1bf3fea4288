/**
 * What matching the library entries kept by title costs a reader of feedback.jsonl, on a synthetic
 * archive (400 scanned papers a day, ~1 KB abstracts). Every call of `loadKnownPapers` reads and
 * validates every day: the baseline, what `feedback list` pays once per command. `serve` asks on
 * every page it serves while some entry waits, through `knownPapersSource`, which rereads only the
 * day files whose size or time changed: its first call, a call with nothing changed, and a call
 * after one more day is archived, printed beside the baseline. Wall time, best of 3.
 * Run: npx tsx bench/known-papers.ts [days]   (default: 120)
 */
import { join } from "node:path";
import { ArchiveStore } from "../src/archive/store.js";
import { knownPapersSource, loadKnownPapers } from "../src/feedback/known.js";
import { bestOf } from "./best-of.js";
import { removeScratch, scratchDir } from "./scratch.js";
import { syntheticDays } from "./synthetic-day.js";
import { weekdays } from "./weekdays.js";

const DAYS = Number(process.argv[2] ?? 120);
const PAPERS = 400;

const best = (run: () => Promise<unknown>, times = 3) => bestOf(run, times);

const dir = scratchDir("known-papers-");
try {
  const store = new ArchiveStore(join(dir, "archive"));
  const dates = weekdays("2025-01-06", DAYS + 1);
  const day = syntheticDays(PAPERS);
  for (const date of dates.slice(0, DAYS)) await store.writeDay(day(date));
  const cachePath = join(dir, "feedback-papers.json");

  const baseline = await best(() => loadKnownPapers(store));
  const source = knownPapersSource(store, cachePath);
  const first = await best(() => source(), 1);
  const unchanged = await best(() => source());
  await store.writeDay(day(dates[DAYS]!));
  const oneMore = await best(() => source(), 1);
  const ms = (x: number) => `${x.toFixed(0).padStart(7)} ms`;
  console.log(`${DAYS} archived days, ${PAPERS} papers each`);
  console.log(`  loadKnownPapers, every call (baseline)   ${ms(baseline)}`);
  console.log(`  knownPapersSource, first call            ${ms(first)}`);
  console.log(`  knownPapersSource, nothing changed       ${ms(unchanged)}`);
  console.log(`  knownPapersSource, one more day archived ${ms(oneMore)}`);
} finally {
  removeScratch(dir);
}
