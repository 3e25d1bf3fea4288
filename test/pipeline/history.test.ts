/**
 * A reader's imported library teaches the offline digest, through the real path: a BibTeX export
 * (rendered as the site renders one), `importLibrary` + `librarySignals` + `appendSignals` into
 * feedback.jsonl as `feedback import` does, the papers' metadata from feedback-papers.json as
 * `feedback resolve` writes it, then `readerHistory` and `selectPapers` with no key.
 * The fixture days are small and dense in picks (README), so the figures check the arithmetic
 * of the path end to end; the bench (bench/feedback.ts) judges the quality on 30 full days.
 */

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { isAuthorLabel, type LabelledDay, loadLabelledDays, toCandidate } from "../../src/eval/labelled-days.js";
import { precisionAtK } from "../../src/eval/metrics.js";
import { loadKnownPapers } from "../../src/feedback/known.js";
import { importLibrary, librarySignals } from "../../src/feedback/library.js";
import { PAPERS_CACHE_FILE, papersCachePath, readPapersCache } from "../../src/feedback/resolve.js";
import { appendSignals, feedbackPath } from "../../src/feedback/store.js";
import { learningSentence } from "../../src/format/text.js";
import { systemClock } from "../../src/io/clock.js";
import type { PaperRecord } from "../../src/model/day-record.js";
import { paperRecordOf } from "../../src/model/day-record.js";
import { openStore } from "../../src/pipeline/context.js";
import { learningSummary, readerHistory } from "../../src/pipeline/history.js";
import { createJudge } from "../../src/pipeline/judge.js";
import { rankTheDay, selectPapers } from "../../src/selection/select.js";
import { bibtexEntry } from "../../src/site/bibtex.js";
import { CONFIG_FILE, defaultsDir, loadWorkspace } from "../../src/workspace/load.js";
import { makeDay } from "../helpers/day-factory.js";
import { type TempWorkspace, tempWorkspace } from "../helpers/workspace.js";

const [first, second, third] = loadLabelledDays(join(import.meta.dirname, "..", "fixtures", "labelled-days")) as [
  LabelledDay,
  LabelledDay,
  LabelledDay,
];
const CONFIG = readFileSync(join(defaultsDir, CONFIG_FILE), "utf8").replace(
  /^ {2}provider: auto$/m,
  "  provider: offline",
);

const workspaces: TempWorkspace[] = [];
afterEach(() => {
  for (const w of workspaces.splice(0)) w.cleanup();
});

function record(paper: LabelledDay["papers"][number]): PaperRecord {
  return { ...paperRecordOf(toCandidate(paper)), outcome: "selected", scoredBy: null, reason: null };
}

/** The picks of `days` as a reference manager's BibTeX export, and their metadata as `feedback resolve` caches it. */
function libraryFiles(days: LabelledDay[]): Record<string, string> {
  const picks = days.flatMap((day) => day.papers.filter((p) => day.labels[p.id]).map((p) => ({ p, date: day.date })));
  const papers = Object.fromEntries(picks.map(({ p }) => [p.id, { ...p, fetchedAt: "2026-03-05T12:00:00.000Z" }]));
  return {
    "library.bib": `${picks.map(({ p, date }) => bibtexEntry(record(p), date)).join("\n\n")}\n`,
    [PAPERS_CACHE_FILE]: JSON.stringify({ v: 1, papers }),
  };
}

/** `feedback import library.bib`, minus the printing. */
async function importBib(dir: string): Promise<{ entries: number; matched: number }> {
  const ws = loadWorkspace(dir, {});
  const known = await loadKnownPapers(openStore(ws), (await readPapersCache(papersCachePath(ws.dir))).values());
  const result = importLibrary(readFileSync(join(dir, "library.bib"), "utf8"), "auto", known, {
    fileName: "library.bib",
  });
  await appendSignals(feedbackPath(ws.dir), librarySignals(result, "library.bib", "2026-03-05T12:00:00.000Z"));
  return { entries: result.entries, matched: result.matched.length };
}

/** The day's offline selection in the workspace, and its precision@k (k = the day's picks). */
async function offlineDay(dir: string, day: LabelledDay) {
  const ws = loadWorkspace(dir, {});
  const candidates = day.papers.map(toCandidate);
  const history = await readerHistory(ws, openStore(ws), day.date, Date.parse(`${day.date}T05:10:00Z`), candidates);
  const judge = createJudge({ llm: ws.config.llm, env: ws.env, cacheDir: null, clock: systemClock });
  const followed = new Set(Object.keys(day.labels).filter((id) => isAuthorLabel(day.labels[id]!)));
  const result = await selectPapers(candidates, {
    config: ws.config,
    prompts: ws.prompts,
    matchAuthor: (c) => (followed.has(c.id) ? "a followed author" : null),
    judge,
    history: history.model,
    taste: history.taste,
  });
  return {
    judge: judge.kind,
    counts: history.counts,
    learntFrom: history.model.size,
    precision: precisionAtK(
      result.papers.map((p) => p.id),
      Object.keys(day.labels),
    ),
  };
}

describe("an imported library in a fresh offline workspace", () => {
  it("raises the next day's precision@k", async () => {
    const plain = tempWorkspace(CONFIG);
    const withLibrary = tempWorkspace(CONFIG, libraryFiles([first, second]));
    workspaces.push(plain, withLibrary);

    expect(await importBib(withLibrary.dir)).toEqual({ entries: 30, matched: 30 });
    const before = await offlineDay(plain.dir, third);
    const after = await offlineDay(withLibrary.dir, third);

    expect(before.judge).toBe("offline");
    expect(before.counts).toMatchObject({ liked: 0, picked: 0, days: 0 });
    // The 30 saves are learnt from though the archive is empty: the day's own papers stand in
    // for the negatives a fresh workspace does not have.
    expect(after.counts).toMatchObject({ liked: 30, picked: 0, days: 0 });
    expect([before.learntFrom, after.learntFrom]).toEqual([0, 30 + 40]);
    // k = 9 picks, 2 of them by followed authors (first in both). Topics alone place 3 of the
    // other 7 in the top 9; with the library 4: one more pick, +11.1 points on this small day.
    expect(before.precision).toEqual({ hits: 5, total: 9, value: 5 / 9 });
    expect(after.precision).toEqual({ hits: 6, total: 9, value: 6 / 9 });
  });
});

/** The history a replay of 2026-03-05 learns from (eval's cutoff: the day's start), the first fixture day's papers as the day. */
async function historyOfMarch5(dir: string) {
  const loaded = loadWorkspace(dir, {});
  return readerHistory(
    loaded,
    openStore(loaded),
    "2026-03-05",
    Date.parse("2026-03-05T00:00:00Z"),
    first.papers.map(toCandidate),
  );
}

describe("feedback before the cutoff", () => {
  it("compares instants, whatever offset a signal was written with (eval's cutoff: the day's start)", async () => {
    const [liked, late] = second.papers as [LabelledDay["papers"][number], LabelledDay["papers"][number]];
    // Their metadata as `feedback resolve` caches it, so the history can learn from them.
    const papers = Object.fromEntries(
      [liked, late].map((p) => [p.id, { ...p, fetchedAt: "2026-03-01T12:00:00.000Z" }]),
    );
    const ws = tempWorkspace(CONFIG, { [PAPERS_CACHE_FILE]: JSON.stringify({ v: 1, papers }) });
    workspaces.push(ws);
    await appendSignals(feedbackPath(ws.dir), [
      // 23:00 UTC the evening before: before the day began.
      { v: 1, id: liked.id, signal: "like", at: "2026-03-05T01:00:00+02:00", source: "cli" },
      // 04:30 UTC on the day, though its local date is the day before: after.
      { v: 1, id: late.id, signal: "like", at: "2026-03-04T23:30:00-05:00", source: "cli" },
    ]);
    const history = await historyOfMarch5(ws.dir);
    expect(history.counts.liked).toBe(1);
    expect(history.taste.liked).toEqual([liked.title]);
    expect(history.laterSignals).toBe(1);
    expect(history.cutoff).toBe("2026-03-05T00:00:00.000Z");
  });

  it("learns from a liked paper outside the days it reads by the title its signal carries", async () => {
    const ws = tempWorkspace(CONFIG);
    workspaces.push(ws);
    const old = second.papers[0]!;
    await appendSignals(feedbackPath(ws.dir), [
      // Liked long ago from the site: its day is older than prefilter.historyDays, its title kept.
      { v: 1, id: old.id, signal: "like", at: "2026-01-05T12:00:00Z", source: "site", title: old.title },
      // Liked from the command line, never resolved, no title: nothing to learn from yet.
      { v: 1, id: "2601.99999", signal: "like", at: "2026-01-05T12:00:00Z", source: "cli" },
    ]);
    const history = await historyOfMarch5(ws.dir);
    expect(history.counts.liked).toBe(1);
    expect(history.taste.liked).toEqual([old.title]);
  });
});

describe("the days history reads", () => {
  it("counts announcement days only: a weekend's record takes no place in prefilter.historyDays", async () => {
    const ws = tempWorkspace(CONFIG);
    workspaces.push(ws);
    const loaded = loadWorkspace(ws.dir, {});
    loaded.config.selection.prefilter.historyDays = 2;
    const store = openStore(loaded);
    const [thursday, friday] = second.papers as [LabelledDay["papers"][number], LabelledDay["papers"][number]];
    const pick = (p: LabelledDay["papers"][number]) => ({ ...record(p), scoredBy: "lexical" as const, topic: null });
    await store.writeDay(makeDay({ date: "2026-03-05", papers: [pick(thursday)] }));
    await store.writeDay(makeDay({ date: "2026-03-06", papers: [pick(friday)] }));
    for (const date of ["2026-03-07", "2026-03-08"]) {
      await store.writeDay(
        makeDay({ date, papers: [], status: { code: "no-announcement", message: "No arXiv announcement." } }),
      );
    }
    const history = await readerHistory(loaded, store, "2026-03-09", Date.parse("2026-03-09T00:00:00Z"), []);
    expect(history.counts).toMatchObject({ picked: 2 });
  });

  it("counts days with papers only: a stale, failed or empty day takes no place; a damaged one keeps its place but is not counted", async () => {
    const ws = tempWorkspace(CONFIG);
    workspaces.push(ws);
    const loaded = loadWorkspace(ws.dir, {});
    loaded.config.selection.prefilter.historyDays = 3;
    const store = openStore(loaded);
    const [monday, wednesday] = second.papers as [LabelledDay["papers"][number], LabelledDay["papers"][number]];
    const pick = (p: LabelledDay["papers"][number]) => ({ ...record(p), scoredBy: "lexical" as const, topic: null });
    await store.writeDay(makeDay({ date: "2026-03-02", papers: [pick(monday)] }));
    await store.writeDay(makeDay({ date: "2026-03-03", papers: [pick(monday)] }));
    writeFileSync(store.path("2026-03-03"), "{ not json");
    await store.writeDay(makeDay({ date: "2026-03-04", papers: [pick(wednesday)] }));
    const without = { "2026-03-05": "stale", "2026-03-06": "failed", "2026-03-09": "empty" } as const;
    for (const [date, code] of Object.entries(without)) {
      await store.writeDay(makeDay({ date, papers: [], status: { code, message: `A ${code} day.` } }));
    }
    const history = await readerHistory(loaded, store, "2026-03-10", Date.parse("2026-03-10T00:00:00Z"), []);
    // The 4th, the damaged 3rd (named in the notes) and the 2nd fill the window of three days;
    // two of them were learnt from, which is the count run, backfill and eval report.
    expect(history.counts).toMatchObject({ picked: 2, days: 2 });
    expect(learningSummary(history).days).toBe(2);
    expect(learningSentence(learningSummary(history))).toMatch(/^Learned from 2 earlier days: 2 picks/);
    const [note] = history.notes;
    expect(note).toMatch(/2026-03-03/);
    // The parser's message ends without a full stop ("… (line 1 column 3)"): ours is added before the next sentence.
    expect(note).toMatch(/[^.]\. It was left out of what the prefilter learns from\.$/);
    expect(note).not.toMatch(/\.\. It was left out/);
  });
});

describe("topics the reader removed", () => {
  it("leaves out earlier picks made for a topic no longer configured, and counts them; imported days are kept", async () => {
    const ws = tempWorkspace(CONFIG);
    workspaces.push(ws);
    const loaded = loadWorkspace(ws.dir, {});
    const store = openStore(loaded);
    const [kept, retired, imported] = second.papers as [
      LabelledDay["papers"][number],
      LabelledDay["papers"][number],
      LabelledDay["papers"][number],
    ];
    await store.writeDay(
      makeDay({
        date: "2026-03-04",
        papers: [
          { ...record(kept), outcome: "selected", scoredBy: "lexical", topic: "architecture", authorMatch: null },
          // Picked for a topic the reader has since removed from the configuration.
          { ...record(retired), outcome: "selected", scoredBy: "lexical", topic: "protein-folding", authorMatch: null },
          // The reference tool's own topic names, on an imported day: not the reader's topics, kept.
          {
            ...record(imported),
            outcome: "selected",
            scoredBy: "import",
            topic: "Model Compression",
            authorMatch: null,
          },
        ],
      }),
    );
    const history = await readerHistory(loaded, store, "2026-03-05", Date.parse("2026-03-05T00:00:00Z"), []);
    expect(history.counts).toMatchObject({ picked: 2, retiredTopicPicks: 1 });
    expect(learningSummary(history).retiredTopicPicks).toBe(1);
    expect(learningSentence(learningSummary(history))).toContain(
      "1 earlier pick for topics no longer in the configuration was left out.",
    );
  });
});

describe("a few likes beside a long imported history", () => {
  /** 20 imported days: the first two fixture days, their ids renumbered, as `import` writes them (no scores). */
  async function writeImportedHistory(dir: string): Promise<number> {
    const loaded = loadWorkspace(dir, {});
    const store = openStore(loaded);
    let picks = 0;
    for (let k = 0; k < 20; k++) {
      const source = k % 2 === 0 ? first : second;
      const date = `2026-02-${String(k + 2).padStart(2, "0")}`;
      const papers = source.papers.map((p, i): PaperRecord => {
        const picked = source.labels[p.id] !== undefined;
        if (picked) picks += 1;
        return {
          ...record(p),
          id: `2602.${String(10000 + 100 * k + i)}`,
          outcome: picked ? "selected" : "rejected",
          scoredBy: picked ? "import" : null,
          reason: picked ? null : "not picked by the imported tool",
          topic: picked ? "Imported topic" : null,
        };
      });
      await store.writeDay(makeDay({ date, papers }));
    }
    return picks;
  }

  const agents = [
    ["Agents that learn to browse the web by reinforcement", "Web agents trained with reinforcement learning."],
    ["Benchmarking LLM agents on long-horizon web tasks", "An evaluation of language model agents on web tasks."],
    ["Multi-agent systems that plan with tools", "Agents plan, call tools and coordinate in multi-agent systems."],
  ] as const;

  it("moves papers like the liked ones up in the next day's free ranking, and says what it learnt from", async () => {
    const likedIds = agents.map((_, i) => `2603.0000${i + 1}`);
    const papers = Object.fromEntries(
      agents.map(([title, abstract], i) => [
        likedIds[i],
        {
          id: likedIds[i],
          title,
          authors: ["A. Author"],
          abstract,
          categories: ["cs.AI"],
          fetchedAt: "2026-03-01T12:00:00.000Z",
        },
      ]),
    );
    const plain = tempWorkspace(CONFIG);
    const liking = tempWorkspace(CONFIG, { [PAPERS_CACHE_FILE]: JSON.stringify({ v: 1, papers }) });
    workspaces.push(plain, liking);
    const picks = await writeImportedHistory(plain.dir);
    await writeImportedHistory(liking.dir);
    await appendSignals(feedbackPath(liking.dir), [
      ...likedIds.map((id) => ({
        v: 1 as const,
        id,
        signal: "like" as const,
        at: "2026-03-04T12:00:00Z",
        source: "cli" as const,
      })),
      // Announced after the day: waits for its day to be archived. Older and known nowhere: unresolved.
      { v: 1, id: "2603.99999", signal: "like", at: "2026-03-04T12:00:00Z", source: "cli" },
      { v: 1, id: "2601.99999", signal: "dislike", at: "2026-03-04T12:00:00Z", source: "cli" },
    ]);

    const day = third.papers.map(toCandidate);
    const agentIds = third.papers.filter((p) => /\bagent/i.test(p.title)).map((p) => p.id);
    expect(agentIds.length).toBeGreaterThanOrEqual(6);
    const ranked = async (dir: string) => {
      const loaded = loadWorkspace(dir, {});
      const history = await historyOfMarch5(dir);
      const decisions = rankTheDay(day, day, loaded.config, history.model);
      const mean = agentIds.reduce((sum, id) => sum + decisions.get(id)!.combined, 0) / agentIds.length;
      return { history, mean };
    };
    const before = await ranked(plain.dir);
    const after = await ranked(liking.dir);
    expect(before.history.counts).toMatchObject({ picked: picks, importedPicks: picks, liked: 0, days: 20 });
    expect(after.history.counts).toMatchObject({ picked: picks, importedPicks: picks, liked: 3 });
    expect(picks).toBe(300);
    // 3 likes beside 300 imported picks: the papers like them climb by a quarter of the day or more
    // (0.40 → 0.73 on average; with every example weighted alike the likes were 2% of the positive
    // side and lifted them to 0.57, less and less as the pick history grows).
    expect(after.mean - before.mean).toBeGreaterThan(0.25);

    const sentence = learningSentence(learningSummary(after.history));
    expect(sentence).toContain(
      "Learned from 20 earlier days: 300 picks (all by the imported tool), 3 papers you liked or saved, 0 you disliked.",
    );
    expect(sentence).toContain(
      "1 paper you liked, saved or disliked waits for its day to be archived (likely announced later) and counts from then.",
    );
    expect(sentence).toContain(
      "Feedback on 1 paper (2601.99999) was not used: no archived day lists it, and its title and abstract have not been fetched yet; `arxiv-digest feedback resolve` fetches them from arXiv.",
    );
  });
});
