/**
 * What the killed-run check of every `run` and `backfill` costs, and what it re-renders, on a
 * synthetic archive (400 scanned papers a day) whose every record was written again after its page,
 * as delivery does. The baseline is the rule it replaces, rebuilt here: a page older than its
 * record (two file times per day) is rendered again. Beside it, `rerenderStalePages`, which reads
 * the notes a killed save leaves (pipeline/recover.ts); and what saving one day costs with the
 * note (`saveDay`) and without it (record, then page). Wall time, best of 5.
 * Run: npx tsx bench/page-recovery.ts [days]   (default: 250)
 */
import { stat, utimes } from "node:fs/promises";
import { join } from "node:path";
import { ArchiveStore } from "../src/archive/store.js";
import { SHIPPED_HOLIDAY_TABLE } from "../src/arxiv/holidays.js";
import { renderDayMarkdown } from "../src/markdown/day-page.js";
import { saveDay } from "../src/pipeline/record.js";
import { rerenderStalePages } from "../src/pipeline/recover.js";
import { bestOf } from "./best-of.js";
import { removeScratch, scratchDir } from "./scratch.js";
import { syntheticDays } from "./synthetic-day.js";
import { weekdays } from "./weekdays.js";

const DAYS = Number(process.argv[2] ?? 250);
const PAPERS = 400;

const best = (run: () => Promise<unknown>, times = 5) => bestOf(run, times);

/** The replaced rule: every day whose page is missing or older than its record is rendered again. */
async function byFileTimes(store: ArchiveStore, write: boolean): Promise<string[]> {
  const mtime = (f: string) =>
    stat(f).then(
      (s) => s.mtimeMs,
      () => null,
    );
  const out: string[] = [];
  for (const date of await store.listDays()) {
    const json = await mtime(store.path(date));
    const md = await mtime(store.path(date, "md"));
    if (json === null || (md !== null && md >= json)) continue;
    if (write) await store.writeSibling(date, "md", renderDayMarkdown(await store.readDay(date)));
    out.push(date);
  }
  return out;
}

const dir = scratchDir("page-recovery-");
try {
  const store = new ArchiveStore(join(dir, "archive"));
  const day = syntheticDays(PAPERS);
  const dates = weekdays("2025-01-06", DAYS);
  for (const date of dates) await saveDay(store, day(date), SHIPPED_HOLIDAY_TABLE);
  // Delivered: each record written again after its page (its page a second older, as a checkout may leave it).
  for (const date of dates) {
    const page = store.path(date, "md");
    const t = (await stat(page)).mtime;
    await utimes(page, t, new Date(t.getTime() - 1000));
  }

  const flagged = (await byFileTimes(store, false)).length;
  const baselineCheck = await best(() => byFileTimes(store, false));
  const newCheck = await best(() => rerenderStalePages(store, SHIPPED_HOLIDAY_TABLE, console.warn));
  const rerendered = await rerenderStalePages(store, SHIPPED_HOLIDAY_TABLE, console.warn);
  const baselineRerender = await best(() => byFileTimes(store, true), 1);

  const one = day("2026-01-05");
  const plain = await best(async () => {
    await store.writeDay(one);
    await store.writeSibling(one.date, "md", renderDayMarkdown(one));
  });
  const noted = await best(() => saveDay(store, one, SHIPPED_HOLIDAY_TABLE));

  const ms = (x: number) => `${x.toFixed(2).padStart(8)} ms`;
  console.log(`${DAYS} archived days, ${PAPERS} papers each, every record written again after its page`);
  console.log(`  check, by file times (baseline)          ${ms(baselineCheck)}   pages it re-renders: ${flagged}`);
  console.log(`  re-rendering them (baseline)             ${ms(baselineRerender)}`);
  console.log(`  check, by the notes of killed saves      ${ms(newCheck)}   pages it re-renders: ${rerendered.length}`);
  console.log(`  saving one day: record, then page        ${ms(plain)}`);
  console.log(`  saving one day with the note (saveDay)   ${ms(noted)}`);
} finally {
  removeScratch(dir);
}
