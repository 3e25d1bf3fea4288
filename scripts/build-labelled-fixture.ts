/**
 * Builds the small labelled fixture for tests (test/fixtures/labelled-days) from the full days in
 * bench/data/labelled-days: three days, each trimmed to PAPERS_PER_DAY papers. Every picked paper
 * is kept with its label; the rest are unpicked papers taken at even steps through the day's
 * listing, so the sample spans the day rather than its first screen. Deterministic: a re-run
 * gives byte-identical files.
 *
 *   npx tsx scripts/build-labelled-fixture.ts
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadLabelledDays } from "../src/eval/labelled-days.js";

const ROOT = join(import.meta.dirname, "..");
const SOURCE = join(ROOT, "bench", "data", "labelled-days");
const TARGET = join(ROOT, "test", "fixtures", "labelled-days");
/** In date order, so tests can use the earlier days as history for the later ones; 2026-03-06 has author matches. */
const DATES = ["2025-03-25", "2025-05-20", "2026-03-06"];
const PAPERS_PER_DAY = 40;

mkdirSync(TARGET, { recursive: true });
for (const day of loadLabelledDays(SOURCE).filter((d) => DATES.includes(d.date))) {
  const picked = day.papers.filter((paper) => day.labels[paper.id]);
  const others = day.papers.filter((paper) => !day.labels[paper.id]);
  const wanted = Math.max(0, PAPERS_PER_DAY - picked.length);
  const step = others.length / Math.max(wanted, 1);
  const sampled = new Set(
    Array.from({ length: Math.min(wanted, others.length) }, (_, i) => others[Math.floor(i * step)]!.id),
  );
  // The day's listing order is kept: it is the order a feed would give.
  const papers = day.papers.filter((paper) => day.labels[paper.id] || sampled.has(paper.id));
  const trimmed = { date: day.date, categories: day.categories, papers, labels: day.labels };
  writeFileSync(join(TARGET, `${day.date}.json`), `${JSON.stringify(trimmed, null, 1)}\n`);
  console.log(`${day.date}: ${papers.length} papers, ${Object.keys(day.labels).length} labels`);
}
