/**
 * Reader feedback, offline: does a reader who imported their reference library get a better
 * digest than one who did not, with no API key at all?
 *
 * Data: bench/data/labelled-days (30 real cs.LG/cs.AI days with the reference tool's picks; see
 * its README). For each day, in date order, two fresh workspaces (default topics,
 * llm.provider offline, empty archive, nobody followed in authors.txt):
 * - without: nothing else;
 * - with: the reader imported, as a BibTeX library, the reference's picks of every earlier
 *   labelled day in the set (at most 29, so this is also "the previous 30 labelled days").
 *
 * The import takes the real path, the one `arxiv-digest feedback import library.bib` runs: the
 * entries are rendered by src/site/bibtex.ts (eprint, archivePrefix, url, as an arXiv export
 * has them), matched by `importLibrary` against the workspace's known papers, turned into `save`
 * signals by `newLibrarySignals` and appended to feedback.jsonl by `appendSignals`, dated the day
 * before. The papers' titles and abstracts come from feedback-papers.json, in the format
 * `feedback resolve` writes after asking arXiv's API (here written from the labelled data).
 * The history is then built by `readerHistory` and the day's candidates selected by
 * `selectPapers` with the offline judge of `createJudge` (no key).
 *
 * Figure: precision@k over the returned ranking (k = the reference's picks that day), per day
 * and pooled over days. Author-match labels are the reference's followed authors: they are
 * matched as followed authors (as bench/selection.ts does) in both workspaces alike.
 * Target: with the library ≥ 8 points above without, pooled.
 *
 * Second part, likes beside a long imported history (`--beside-history` runs it alone): for each of
 * the last 8 labelled days, a workspace whose archive holds every earlier labelled day as an
 * imported day (the reference's picks `selected` by "import", the rest "not picked by the imported
 * tool": ~300 picks, the 3,000 newest passed-over papers), and a reader who liked 5 diffusion
 * language model papers of those days (none a reference pick). Three arms: no likes; the likes
 * weighted like every other example (as before they formed a group of their own: the baseline);
 * the likes as the history weighs them now (`explicitShare`, src/selection/history.ts). Figures:
 * the outcomes the likes change, and the day's papers on diffusion language models: their mean
 * place in the free ranking (percentile, 1 = top) and how many are picked.
 *
 * Run: npx tsx bench/feedback.ts [--beside-history]
 */

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isAuthorLabel, type LabelledDay, loadLabelledDays, toCandidate } from "../src/eval/labelled-days.js";
import { pooled, precisionAtK, type Ratio } from "../src/eval/metrics.js";
import { loadKnownPapers } from "../src/feedback/known.js";
import { importLibrary, newLibrarySignals } from "../src/feedback/library.js";
import { PAPERS_CACHE_FILE, papersCachePath, readPapersCache } from "../src/feedback/resolve.js";
import { appendSignals, feedbackPath, readSignals } from "../src/feedback/store.js";
import { systemClock } from "../src/io/clock.js";
import type { Candidate } from "../src/model/candidate.js";
import type { PaperRecord } from "../src/model/day-record.js";
import { paperRecordOf } from "../src/model/day-record.js";
import { openStore } from "../src/pipeline/context.js";
import { readerHistory } from "../src/pipeline/history.js";
import { createJudge } from "../src/pipeline/judge.js";
import { fitHistoryModel, type HistoryModel, IMPORTED_WEIGHT, SELECTED_WEIGHT } from "../src/selection/history.js";
import { selectPapers } from "../src/selection/select.js";
import { bibtexEntry } from "../src/site/bibtex.js";
import { CONFIG_FILE, loadWorkspace } from "../src/workspace/load.js";
import { makeDay } from "../test/helpers/day-factory.js";
import { removeScratch, scratchDir } from "./scratch.js";

const ROOT = join(import.meta.dirname, "..");
const LIBRARY_FILE = "library.bib";
const TARGET_POINTS = 8;

/** The bundled config with the offline judge: what `init` writes, minus the key. */
const CONFIG_TEXT = readFileSync(join(ROOT, "defaults", CONFIG_FILE), "utf8").replace(
  /^ {2}provider: auto$/m,
  "  provider: offline",
);
if (!/^ {2}provider: offline$/m.test(CONFIG_TEXT)) throw new Error("could not set llm.provider in the default config");

/** A labelled paper as the archive would hold it, for the BibTeX renderer. */
function asRecord(paper: LabelledDay["papers"][number]): PaperRecord {
  return { ...paperRecordOf(toCandidate(paper)), outcome: "selected", scoredBy: null, reason: null };
}

/** The picks of `days`, each once (a cross-listed paper can be picked twice), with the day they were picked. */
function picksOf(days: readonly LabelledDay[]): { paper: LabelledDay["papers"][number]; date: string }[] {
  const seen = new Map<string, { paper: LabelledDay["papers"][number]; date: string }>();
  for (const day of days) {
    for (const paper of day.papers)
      if (day.labels[paper.id] && !seen.has(paper.id)) seen.set(paper.id, { paper, date: day.date });
  }
  return [...seen.values()];
}

/** The day before `date`, at noon UTC: when the reader imported their library. */
function dayBefore(date: string): string {
  const d = new Date(`${date}T12:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString();
}

export interface ImportSummary {
  entries: number;
  matched: number;
  saved: number;
}

/**
 * Writes the library and the papers cache into the workspace and imports the library as
 * `feedback import` does: known papers from the archive and the cache, match, save signals for
 * papers not saved yet.
 */
export async function importPicksAsLibrary(
  dir: string,
  earlier: readonly LabelledDay[],
  at: string,
): Promise<ImportSummary> {
  const picks = picksOf(earlier);
  // The first day has no earlier picks: no library to import (an empty file is refused, as by `feedback import`).
  if (picks.length === 0) return { entries: 0, matched: 0, saved: 0 };
  const bib = `${picks.map(({ paper, date }) => bibtexEntry(asRecord(paper), date)).join("\n\n")}\n`;
  writeFileSync(join(dir, LIBRARY_FILE), bib);
  const papers = Object.fromEntries(
    picks
      .map(({ paper }) => paper)
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((p) => [
        p.id,
        {
          id: p.id,
          title: p.title,
          authors: p.authors,
          abstract: p.abstract,
          categories: p.categories,
          fetchedAt: at,
        },
      ]),
  );
  writeFileSync(join(dir, PAPERS_CACHE_FILE), `${JSON.stringify({ v: 1, papers }, null, 2)}\n`);

  const ws = loadWorkspace(dir, {});
  const known = await loadKnownPapers(openStore(ws), (await readPapersCache(papersCachePath(ws.dir))).values());
  const text = readFileSync(join(dir, LIBRARY_FILE), "utf8");
  const result = importLibrary(text, "auto", known, { fileName: LIBRARY_FILE });
  const file = feedbackPath(ws.dir);
  const fresh = newLibrarySignals(result, LIBRARY_FILE, at, await readSignals(file), known);
  await appendSignals(file, fresh);
  return { entries: result.entries, matched: result.matched.length, saved: fresh.length };
}

/** One day's offline selection in the workspace `dir`, as `run` would make it; P@k over its ranking. */
export async function offlinePrecision(
  dir: string,
  day: LabelledDay,
): Promise<{ precision: Ratio; learnt: number; picks: Picks }> {
  const ws = loadWorkspace(dir, {});
  const store = openStore(ws);
  const candidates = day.papers.map(toCandidate);
  // As the daily workflow's run at 05:10 UTC learns: from the feedback given before it started.
  const history = await readerHistory(ws, store, day.date, Date.parse(`${day.date}T05:10:00Z`), candidates);
  const judge = createJudge({ llm: ws.config.llm, env: ws.env, cacheDir: null, clock: systemClock });
  if (judge.kind !== "offline") throw new Error(`expected the offline judge, got ${judge.kind}`);
  const followed = new Set(
    Object.entries(day.labels)
      .filter(([, label]) => isAuthorLabel(label))
      .map(([id]) => id),
  );
  const result = await selectPapers(candidates, {
    config: ws.config,
    prompts: ws.prompts,
    matchAuthor: (c: Candidate) => (followed.has(c.id) ? "a followed author" : null),
    judge,
    history: history.model,
    taste: history.taste,
  });
  // What the digest picked (followed authors aside): how many, how many the reference also
  // picked, and how many matched no topic word at all.
  const picked = result.papers.filter((p) => p.outcome === "selected" && p.authorMatch === null);
  return {
    precision: precisionAtK(
      result.papers.map((p) => p.id),
      Object.keys(day.labels),
    ),
    learnt: history.counts.liked,
    picks: {
      picked: picked.length,
      labelled: picked.filter((p) => p.id in day.labels).length,
      noTopic: picked.filter((p) => p.topic === null).length,
    },
  };
}

/** A day's picks: how many, how many were the reference's picks too, how many matched no topic word. */
interface Picks {
  picked: number;
  labelled: number;
  noTopic: number;
}

async function inFreshWorkspace<T>(run: (dir: string) => Promise<T>): Promise<T> {
  const dir = scratchDir("ad-bench-feedback-");
  try {
    writeFileSync(join(dir, CONFIG_FILE), CONFIG_TEXT);
    return await run(dir);
  } finally {
    removeScratch(dir);
  }
}

async function main(): Promise<void> {
  const days = loadLabelledDays(join(ROOT, "bench", "data", "labelled-days"));
  const started = performance.now();
  const pct = (r: Ratio) => (r.value === null ? "–" : `${(100 * r.value).toFixed(1)}%`);
  const cell = (r: Ratio) => `${pct(r)} (${r.hits}/${r.total})`;
  const points = (a: Ratio, b: Ratio) => {
    if (a.value === null || b.value === null) return "–";
    const d = 100 * (b.value - a.value);
    return `${d >= 0 ? "+" : ""}${d.toFixed(1)}`;
  };
  const without: Ratio[] = [];
  const withLibrary: Ratio[] = [];
  // The first day has no earlier picks: it shows both workspaces agree, but is left out of the pool.
  const pooledWithout: Ratio[] = [];
  const pooledWith: Ratio[] = [];
  const picks = { without: [] as Picks[], with: [] as Picks[] };

  console.log(`${days.length} labelled days (${days[0]?.date} to ${days.at(-1)?.date}), offline judge, default topics`);
  console.log("library = the reference's picks of every earlier labelled day, imported as BibTeX");
  console.log("");
  console.log("| day        | papers | k  | library (saved) | P@k without     | P@k with library | points |");
  console.log("|------------|--------|----|-----------------|-----------------|------------------|--------|");
  for (const [index, day] of days.entries()) {
    const earlier = days.slice(0, index);
    const before = await inFreshWorkspace((dir) => offlinePrecision(dir, day));
    const after = await inFreshWorkspace(async (dir) => {
      const imported = await importPicksAsLibrary(dir, earlier, dayBefore(day.date));
      if (imported.matched !== imported.entries)
        throw new Error(`${day.date}: ${imported.entries - imported.matched} entries unmatched`);
      return { ...(await offlinePrecision(dir, day)), imported };
    });
    picks.without.push(before.picks);
    picks.with.push(after.picks);
    without.push(before.precision);
    withLibrary.push(after.precision);
    if (earlier.length > 0) {
      pooledWithout.push(before.precision);
      pooledWith.push(after.precision);
    }
    console.log(
      `| ${day.date} | ${String(day.papers.length).padStart(6)} | ${String(before.precision.total).padStart(2)} | ${`${after.imported.entries} (${after.learnt})`.padEnd(15)} | ${cell(before.precision).padEnd(15)} | ${cell(after.precision).padEnd(16)} | ${points(before.precision, after.precision).padStart(6)} |`,
    );
  }
  const a = pooled(pooledWithout);
  const b = pooled(pooledWith);
  const all = [pooled(without), pooled(withLibrary)] as const;
  console.log(
    `| pooled, days 2–${days.length} |        |    |                 | ${cell(a).padEnd(15)} | ${cell(b).padEnd(16)} | ${points(a, b).padStart(6)} |`,
  );
  console.log("");
  const gain = a.value !== null && b.value !== null ? 100 * (b.value - a.value) : Number.NaN;
  console.log(
    `pooled P@k over the ${pooledWith.length} days with a library: ${pct(a)} without → ${pct(b)} with (${points(a, b)} points, target ≥ +${TARGET_POINTS}): ` +
      (gain >= TARGET_POINTS ? "target met" : "TARGET NOT MET"),
  );
  console.log(`all ${days.length} days: ${pct(all[0])} → ${pct(all[1])} (${points(all[0], all[1])} points)`);
  // The picks themselves (relevance ≥ selection.minRelevance, the cap), not the ranking: what a
  // reader is shown. Offline relevance with history is a rank in the day, so this is where a rule
  // that lets history alone lift a paper over the cut-off shows.
  for (const [name, list] of Object.entries(picks)) {
    const sum = (key: keyof Picks) => list.reduce((n, p) => n + p[key], 0);
    const total = sum("picked");
    const share = (n: number) => (total === 0 ? "–" : `${((100 * n) / total).toFixed(1)}%`);
    console.log(
      `picks ${name === "with" ? "with library" : "without"}: ${total} over ${list.length} days (${(total / list.length).toFixed(1)} a day), ` +
        `${share(sum("labelled"))} the reference's picks too, ${sum("noTopic")} matching no topic word`,
    );
  }
  console.log(`${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** The papers the reader of the second part liked: diffusion language models, none a reference pick. */
const LIKED_DIFFUSION_LMS = ["2506.00290", "2506.00413", "2510.01544", "2601.04205", "2602.12262"];
const isDiffusionLm = (title: string) => /diffusion/i.test(title) && /language|\bllms?\b|dllm|\btext\b/i.test(title);

/** Every day of `earlier` written into the workspace's archive as `import` and `backfill --imported` leave it. */
async function writeImportedDays(dir: string, earlier: readonly LabelledDay[]): Promise<void> {
  const store = openStore(loadWorkspace(dir, {}));
  for (const day of earlier) {
    const papers = day.papers.map((p): PaperRecord => {
      const picked = day.labels[p.id] !== undefined;
      return {
        ...paperRecordOf(toCandidate(p)),
        outcome: picked ? "selected" : "rejected",
        scoredBy: picked ? "import" : null,
        reason: picked ? null : "not picked by the imported tool",
      };
    });
    await store.writeDay(makeDay({ date: day.date, papers, producer: "import" }));
  }
}

interface BesideHistory {
  changed: number;
  percentile: number;
  picked: number;
}

async function besideHistory(days: readonly LabelledDay[]): Promise<void> {
  const evaluated = days.slice(-8);
  const likedAt = dayBefore(evaluated[0]!.date);
  console.log("");
  console.log(
    `### likes beside a long imported history: ${LIKED_DIFFUSION_LMS.length} diffusion language models liked, every earlier labelled day imported`,
  );
  console.log(
    "| day        | picks learnt (imported) | diffusion-LM papers | outcomes changed: alike / group | mean percentile: none / alike / group | picked: none / alike / group |",
  );
  console.log(
    "|------------|-------------------------|---------------------|---------------------------------|---------------------------------------|------------------------------|",
  );
  const totals = { papers: 0, alike: 0, group: 0 };
  for (const day of evaluated) {
    const earlier = days.filter((d) => d.date < day.date);
    const row = await inFreshWorkspace(async (dir) => {
      await writeImportedDays(dir, earlier);
      const ws = loadWorkspace(dir, {});
      const candidates = day.papers.map(toCandidate);
      const cutoff = Date.parse(`${day.date}T05:10:00Z`);
      const plain = await readerHistory(ws, openStore(ws), day.date, cutoff, candidates);
      await appendSignals(
        feedbackPath(dir),
        LIKED_DIFFUSION_LMS.map((id) => ({ v: 1, id, signal: "like", at: likedAt, source: "cli" })),
      );
      const liked = await readerHistory(ws, openStore(ws), day.date, cutoff, candidates);
      if (liked.counts.liked !== LIKED_DIFFUSION_LMS.length) throw new Error(`${day.date}: likes not learnt`);
      // The baseline: the same examples, every one weighed alike (imported picks as picks).
      const alike = fitHistoryModel(
        liked.examples.map(({ explicit: _, ...e }) => ({
          ...e,
          weight: e.weight === IMPORTED_WEIGHT ? SELECTED_WEIGHT : e.weight,
        })),
      );
      const judge = createJudge({ llm: ws.config.llm, env: ws.env, cacheDir: null, clock: systemClock });
      const select = async (history: HistoryModel) => {
        const result = await selectPapers(candidates, {
          config: ws.config,
          prompts: ws.prompts,
          matchAuthor: () => null,
          judge,
          history,
          taste: liked.taste,
        });
        return new Map(result.papers.map((p) => [p.id, p]));
      };
      const arms = { none: await select(plain.model), alike: await select(alike), group: await select(liked.model) };
      const targets = day.papers.filter((p) => isDiffusionLm(p.title)).map((p) => p.id);
      const figures = (arm: Map<string, PaperRecord>): BesideHistory => ({
        changed: [...arm.values()].filter((p) => p.outcome !== arms.none.get(p.id)!.outcome).length,
        percentile:
          targets.length === 0
            ? Number.NaN
            : targets.reduce((s, id) => s + arm.get(id)!.prefilter!.percentile, 0) / targets.length,
        picked: targets.filter((id) => arm.get(id)!.outcome === "selected").length,
      });
      return {
        counts: liked.counts,
        targets: targets.length,
        none: figures(arms.none),
        alike: figures(arms.alike),
        group: figures(arms.group),
      };
    });
    totals.papers += day.papers.length;
    totals.alike += row.alike.changed;
    totals.group += row.group.changed;
    const p = (f: BesideHistory) => (Number.isNaN(f.percentile) ? "–" : f.percentile.toFixed(2));
    console.log(
      `| ${day.date} | ${`${row.counts.picked} (${row.counts.importedPicks})`.padEnd(23)} | ${String(row.targets).padEnd(19)} | ${`${row.alike.changed} / ${row.group.changed}`.padEnd(31)} | ${`${p(row.none)} / ${p(row.alike)} / ${p(row.group)}`.padEnd(37)} | ${`${row.none.picked} / ${row.alike.picked} / ${row.group.picked}`.padEnd(28)} |`,
    );
  }
  console.log(
    `outcomes the likes changed over ${evaluated.length} days (${totals.papers} papers): ${totals.alike} weighted alike (baseline) → ${totals.group} as a group`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (!process.argv.includes("--beside-history")) await main();
  await besideHistory(loadLabelledDays(join(ROOT, "bench", "data", "labelled-days")));
}
