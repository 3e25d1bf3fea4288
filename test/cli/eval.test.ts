/**
 * `arxiv-digest eval` on the committed labelled fixture (test/fixtures/labelled-days: 3 real days
 * cut to 40 papers each, with the reference tool's picks), offline, through the real binary.
 * The figures are exact: they change only when the prefilter or the offline scorer does.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it, onTestFinished } from "vitest";
import { ArchiveStore } from "../../src/archive/store.js";
import type { Ratio } from "../../src/eval/metrics.js";
import { layoutText, loadTerminalLayout } from "../../src/io/terminal.js";
import type { PaperRecord } from "../../src/model/day-record.js";
import { loadWorkspace } from "../../src/workspace/load.js";
import { isolatedEnv, runCli, SELF } from "../helpers/cli.js";
import { makeDay, makePaper } from "../helpers/day-factory.js";
import { startOpenAiServer } from "../helpers/openai-server.js";
import { tempWorkspace } from "../helpers/workspace.js";

const LABELS = fileURLToPath(new URL("../fixtures/labelled-days/", import.meta.url));
const DEFAULT_CONFIG = readFileSync(new URL("../../defaults/arxiv-digest.yaml", import.meta.url), "utf8");

/** An archived day's four papers, ids `2603.<n>1` to `2603.<n>4`: two on the default topics picked, two off them not. */
const archivedDay = (n: string) => {
  const paper = (id: string, title: string, outcome: PaperRecord["outcome"]) =>
    makePaper({ id, title, outcome, authorMatch: null, scoredBy: "lexical" });
  return [
    paper(`2603.${n}1`, "Mixture of experts routing for sparse language models", "selected"),
    paper(`2603.${n}2`, "Protein folding with diffusion priors", "rejected"),
    paper(`2603.${n}3`, "Attention sinks in long-context transformers", "selected"),
    paper(`2603.${n}4`, "Crop yield forecasting from satellite images", "rejected"),
  ];
};

describe("eval", () => {
  it("reports the funnel, recall and precision@k of each labelled day and overall", async () => {
    const { dir, cleanup } = tempWorkspace(DEFAULT_CONFIG);
    onTestFinished(cleanup);
    const json = await runCli(["eval", "--labels", LABELS, "--json", "--workspace", dir], { env: isolatedEnv() });
    expect(json.stderr).toBe("");
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as {
      judge: string;
      days: { date: string; scanned: number; labels: number }[];
      overall: Record<string, { hits: number; total: number } | number | null>;
    };
    expect(report.judge).toBe("offline");
    expect(report.days.map((d) => [d.date, d.scanned, d.labels])).toEqual([
      ["2025-03-25", 40, 18],
      ["2025-05-20", 40, 12],
      ["2026-03-06", 40, 9],
    ]);
    // 70% of each day reaches the LLM, and without the title triage (the default) all of it is
    // scored: offline, the same stage twice.
    expect(report.overall.sent).toMatchObject({ hits: 83, total: 120 });
    expect(report.overall.recallPrefilter).toMatchObject({ hits: 34, total: 39 });
    expect(report.overall.recallScored).toMatchObject({ hits: 34, total: 39 });
    expect(report.overall.recallSelected).toMatchObject({ hits: 21, total: 39 });
    expect(report.overall.precisionAtK).toMatchObject({ hits: 22, total: 39 });
    expect(report.overall.promptTokensPerScanned).toBeNull();

    // With the title triage on, the ration of abstracts (27%, by the free rank alone offline) holds fewer picks.
    const triage = tempWorkspace(DEFAULT_CONFIG.replace(/^llm:\n/m, "llm:\n  triage:\n    enabled: true\n"));
    onTestFinished(triage.cleanup);
    const rationed = await runCli(["eval", "--labels", LABELS, "--json", "--workspace", triage.dir], {
      env: isolatedEnv(),
    });
    expect(rationed.code, rationed.stderr).toBe(0);
    const withTriage = JSON.parse(rationed.stdout) as typeof report;
    expect(withTriage.overall.recallPrefilter).toMatchObject({ hits: 34, total: 39 });
    expect(withTriage.overall.recallScored).toMatchObject({ hits: 22, total: 39 });

    const text = await runCli(["eval", "--labels", LABELS, "--workspace", dir], { env: isolatedEnv() });
    // A plain replay says it learns from nothing, and what replays as the run did.
    expect(text.stdout).toContain(
      "3 days, judged by the offline scorer, replayed without history (no earlier pick, no feedback), where the daily run learns from the days before; `--warm` replays as the run did.\n",
    );
    // Offline, no model read a title or scored an abstract: the stages are named by what ran.
    expect(text.stdout).not.toMatch(/to the LLM|by the LLM/);
    expect(text.stdout).toContain("  kept by the prefilter:        69.2% (83/120)\n");
    expect(text.stdout).toContain("  recall, past the prefilter:   87.2% (34/39)\n");
    expect(text.stdout).toContain("  recall, scored offline:       87.2% (34/39)\n");
    // Nine labels or more each day: precision@k stands without a caveat.
    expect(text.stdout).toContain("  precision@k (k = labels):     56.4% (22/39)\n");
    expect(text.stdout).not.toContain("too few");
    // What each figure measures, said once.
    expect(text.stdout).toContain(
      "What they measure:\n  kept by the prefilter: the share of the scanned papers the free prefilter kept for the offline scorer.\n  recall: the share of the labelled papers still in after each stage (kept by the prefilter, scored offline, picked for the digest); a followed author's paper always is.\n  precision@k: of each day's k best-ranked papers, with k that day's number of labels, the share that are labelled (followed authors rank first).\n",
    );
  });

  it("learns from the days before each one with --warm", async () => {
    const { dir, cleanup } = tempWorkspace(DEFAULT_CONFIG);
    onTestFinished(cleanup);
    const cold = await runCli(["eval", "--labels", LABELS, "--json", "--workspace", dir], { env: isolatedEnv() });
    const warm = await runCli(["eval", "--labels", LABELS, "--json", "--warm", "--workspace", dir], {
      env: isolatedEnv(),
    });
    const hits = (out: string) =>
      (JSON.parse(out) as { days: { precisionAtK: { hits: number } }[] }).days.map((d) => d.precisionAtK.hits);
    // The first day has no history; the second learns from the first day's labels. (History alone
    // picks no paper offline: a paper matching no topic word stays below the cut-off. Papers tied on
    // their rounded offline score are ordered by the free rank, which holds the history, so the
    // second day gains two hits, 7 → 9.)
    expect(hits(cold.stdout)).toEqual([10, 7, 5]);
    expect(hits(warm.stdout)).toEqual([10, 9, 5]);
    // Each day says what it learnt from: the labels of the days before it; a cold replay, nothing.
    const learned = (out: string) =>
      (JSON.parse(out) as { days: { learnedFrom: unknown }[] }).days.map((d) => d.learnedFrom);
    expect(learned(cold.stdout)).toEqual([null, null, null]);
    expect(learned(warm.stdout)).toEqual([
      { days: 0, picks: 0, likedOrSaved: 0, fromLibrary: 0, disliked: 0, givenAfter: 0, cutoff: null },
      { days: 1, picks: 18, likedOrSaved: 0, fromLibrary: 0, disliked: 0, givenAfter: 0, cutoff: null },
      { days: 2, picks: 30, likedOrSaved: 0, fromLibrary: 0, disliked: 0, givenAfter: 0, cutoff: null },
    ]);
    const text = await runCli(["eval", "--labels", LABELS, "--warm", "--workspace", dir], { env: isolatedEnv() });
    expect(text.stdout).toContain(
      "3 days, judged by the offline scorer, each learning from the labels of the days before.\n",
    );
    expect(text.stdout).toMatch(
      /^ {2}2025-03-25 {2}18 labels from the labels folder: .*; learnt from nothing \(no earlier day\)$/m,
    );
    expect(text.stdout).toMatch(
      /^ {2}2026-03-06 {2}9 labels .*; learnt from the labels of 2 earlier days \(30 papers\)$/m,
    );
  });

  it("with --warm over the archive, says what each day learnt from, and why no day learnt from feedback all given after them", async () => {
    const { dir, cleanup } = tempWorkspace(DEFAULT_CONFIG);
    onTestFinished(cleanup);
    const store = new ArchiveStore(loadWorkspace(dir, {}).archiveDir);
    for (const [i, date] of ["2026-03-02", "2026-03-03", "2026-03-04"].entries()) {
      await store.writeDay(makeDay({ date, papers: archivedDay(`${i}000`) }));
    }
    // Everything given after the archived days, at 23:30 US Eastern on 2026-03-09 (03:30 UTC on the
    // 10th, so dated the 9th as every message dates a day): a like, a GitHub dislike, a library import.
    const now = "2026-03-10T03:30:00Z";
    const line = (o: object) => `${JSON.stringify({ v: 1, at: now, ...o })}\n`;
    writeFileSync(
      join(dir, "feedback.jsonl"),
      line({ id: "2603.00002", signal: "like", source: "cli" }) +
        line({ id: "2603.10004", signal: "dislike", source: "github", issue: "me/papers#3" }) +
        line({ id: "2603.00003", signal: "save", source: "import:zotero.bib" }) +
        line({ v: 2, signal: "save", source: "import:zotero.bib", title: "Routing tokens to experts at scale" }),
    );
    const json = await runCli(["eval", "--warm", "--json", "--workspace", dir], { env: isolatedEnv() });
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as {
      days: { date: string; learnedFrom: Record<string, unknown> }[];
      notes: string[];
    };
    expect(report.days.map((d) => [d.date, d.learnedFrom])).toEqual([
      [
        "2026-03-02",
        {
          days: 0,
          picks: 0,
          likedOrSaved: 0,
          fromLibrary: 0,
          disliked: 0,
          givenAfter: 4,
          cutoff: "2026-03-02T05:00:00.000Z",
        },
      ],
      [
        "2026-03-03",
        {
          days: 1,
          picks: 2,
          likedOrSaved: 0,
          fromLibrary: 0,
          disliked: 0,
          givenAfter: 4,
          cutoff: "2026-03-03T05:00:00.000Z",
        },
      ],
      [
        "2026-03-04",
        {
          days: 2,
          picks: 4,
          likedOrSaved: 0,
          fromLibrary: 0,
          disliked: 0,
          givenAfter: 4,
          cutoff: "2026-03-04T05:00:00.000Z",
        },
      ],
    ]);
    const note = (self: string) =>
      `no replayed day learnt from your feedback, because the 4 feedback signals in feedback.jsonl (2 library entries, 1 like, 1 dislike) were all given on or after 2026-03-09 (US Eastern time), after the last replayed day (2026-03-04) began: a replay knows only what the daily run knew that morning, a library imported since included. The days the next runs make will learn from them, and once they are archived \`${self} eval --warm --workspace ${dir}\` shows it, replaying them with the 4 signals now waiting to be used.`;
    expect(report.notes).toContain(note(SELF));

    const text = await runCli(["eval", "--warm", "--workspace", dir], { env: isolatedEnv() });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(
      "3 days, judged by the offline scorer, each as the daily run knew it that morning: earlier picks, and feedback given before the day.\n",
    );
    expect(text.stdout).toMatch(/^ {2}2026-03-02 {2}.*; learnt from nothing: no earlier day, no feedback yet$/m);
    expect(text.stdout).toMatch(/^ {2}2026-03-04 {2}.*; learnt from 4 picks of 2 earlier days, no feedback yet$/m);
    expect(text.stdout).toContain(`note: ${note(SELF)}\n`);
    // On an 80-column terminal each day's line wraps under its date, never wider than the terminal.
    await loadTerminalLayout();
    const laidOut = layoutText(text.stdout, 80).split("\n");
    // A suggested command is never broken: one longer than the room stands alone on its line.
    expect(laidOut.filter((l) => l.length > 80 && !/^ *`[^`]+`[.,;:]?$/.test(l))).toEqual([]);
    const first = laidOut.findIndex((l) => l.startsWith("  2026-03-02  "));
    expect(laidOut[first]).toMatch(/^ {2}2026-03-02 {2}2 labels from your likes and saves: recall kept /);
    expect(laidOut[first + 1]).toMatch(/^ {14}\S/);

    // Feedback given before a day counts for it: given the evening of the first day, the like and the
    // library entries (one by title alone) teach the two days after it; the dislike, of a paper of
    // the second day, waits for that day to be archived and teaches the third.
    writeFileSync(
      join(dir, "feedback.jsonl"),
      readFileSync(join(dir, "feedback.jsonl"), "utf8").replaceAll(now, "2026-03-02T20:00:00Z"),
    );
    const after = await runCli(["eval", "--warm", "--json", "--workspace", dir], { env: isolatedEnv() });
    const learnt = JSON.parse(after.stdout) as typeof report;
    expect(learnt.days.map((d) => d.learnedFrom)).toMatchObject([
      { likedOrSaved: 0, fromLibrary: 0, disliked: 0, givenAfter: 4 },
      { picks: 2, likedOrSaved: 3, fromLibrary: 2, disliked: 0, givenAfter: 0 },
      { picks: 4, likedOrSaved: 3, fromLibrary: 2, disliked: 1, givenAfter: 0 },
    ]);
    expect(learnt.notes.join(" ")).not.toContain("no replayed day learnt from your feedback");
    // The first day began before any of it: the note says so, and where the archived digests say what they used.
    expect(learnt.notes).toContain(
      'feedback given after a replayed day began does not count for it (1 replayed day had some given after it), as the daily run that morning could not have had it. The archived digests themselves learnt from the feedback given before each run began: each day\'s "Learned from" line (in its Markdown digest and on its about page) says what it used.',
    );
    const warmText = await runCli(["eval", "--warm", "--workspace", dir], { env: isolatedEnv() });
    expect(warmText.stdout).toMatch(
      /^ {2}2026-03-04 {2}.*; learnt from 4 picks of 2 earlier days, 3 papers liked or saved \(2 from your library\), 1 disliked$/m,
    );
  });

  it("over the archive, names each day's label source and reports the days you labelled on their own", async () => {
    const { dir, cleanup } = tempWorkspace(DEFAULT_CONFIG);
    onTestFinished(cleanup);
    const store = new ArchiveStore(loadWorkspace(dir, {}).archiveDir);
    await store.writeDay(makeDay({ date: "2026-03-02", papers: archivedDay("0000") }));
    await store.writeDay(makeDay({ date: "2026-03-03", papers: archivedDay("1000") }));
    // The reader liked one paper of the first day (one the digest passed over) and nothing of the second.
    writeFileSync(
      join(dir, "feedback.jsonl"),
      `${JSON.stringify({ v: 1, id: "2603.00002", signal: "like", at: "2026-03-02T20:00:00Z", source: "cli" })}\n`,
    );
    const json = await runCli(["eval", "--json", "--workspace", dir], { env: isolatedEnv() });
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as {
      days: {
        date: string;
        labelSource: string;
        labels: number;
        recallPrefilter: Ratio;
        recallScored: Ratio;
        recallSelected: Ratio;
        precisionAtK: Ratio;
      }[];
      labelSources: Record<string, number>;
      overall: Record<string, Ratio>;
      feedbackOnly: Record<string, Ratio> | null;
    };
    expect(report.days.map((d) => [d.date, d.labelSource, d.labels])).toEqual([
      ["2026-03-02", "feedback", 1],
      ["2026-03-03", "picks", 2],
    ]);
    expect(report.labelSources).toEqual({ folder: 0, feedback: 1, picks: 1, imported: 0 });
    const [liked, picks] = report.days as [(typeof report.days)[0], (typeof report.days)[0]];
    // The pooled figures hold both days; the feedback-only ones the liked day alone.
    expect(report.overall.recallSelected!.total).toBe(3);
    expect(report.feedbackOnly?.recallSelected).toEqual(liked.recallSelected);
    expect(report.feedbackOnly?.precisionAtK).toEqual(liked.precisionAtK);

    const text = await runCli(["eval", "--workspace", dir], { env: isolatedEnv() });
    expect(text.code).toBe(0);
    const pct = (r: Ratio) => (r.value === null ? "–" : `${(100 * r.value).toFixed(1)}% (${r.hits}/${r.total})`);
    expect(text.stdout).toContain(
      `  2026-03-02  1 label from your likes and saves: recall kept ${pct(liked.recallPrefilter)} → scored ${pct(liked.recallScored)} → digest ${pct(liked.recallSelected)}, precision@k ${pct(liked.precisionAtK)} (k = 1: too few to mean much)\n`,
    );
    expect(text.stdout).toContain(
      `  2026-03-03  2 labels from the earlier digest's picks: recall kept ${pct(picks.recallPrefilter)} → scored ${pct(picks.recallScored)} → digest ${pct(picks.recallSelected)}, precision@k ${pct(picks.precisionAtK)} (k = 2: too few to mean much)\n`,
    );
    expect(text.stdout).toContain("All 2 days pooled:\n");
    // k = 1 and 2: too few labels for precision@k to say much, which it says beside the figure.
    expect(text.stdout).toContain(
      `  precision@k (k = labels):     ${pct(report.overall.precisionAtK!)}; k is under 5 on 2 of 2 days, too few to mean much\n`,
    );
    expect(text.stdout).toContain(`  recall of the digest:         ${pct(report.overall.recallSelected!)}\n`);
    expect(text.stdout).toMatch(
      /\nOnly the 1 day labelled by your likes and saves: recall past the prefilter .*, scored offline .*, of the digest .*; precision@k .*\n/,
    );
    expect(text.stdout).toContain(
      `, of the digest ${pct(liked.recallSelected)}; precision@k ${pct(liked.precisionAtK)}\n`,
    );
    expect(text.stdout).toContain(
      "note: 1 of 2 days had no paper you liked or saved and is labelled by the earlier digest's own picks (less any you disliked): its figures measure agreement with that digest, not with you.",
    );
  });

  it("never takes a disliked paper for a label, and counts the disliked papers the replay still selects", async () => {
    const { dir, cleanup } = tempWorkspace(DEFAULT_CONFIG);
    onTestFinished(cleanup);
    const store = new ArchiveStore(loadWorkspace(dir, {}).archiveDir);
    const paper = (id: string, title: string, outcome: PaperRecord["outcome"]) =>
      makePaper({ id, title, outcome, authorMatch: null, scoredBy: "lexical" });
    // The earlier digest picked three papers; the reader liked none and disliked two of them.
    await store.writeDay(
      makeDay({
        date: "2026-03-03",
        papers: [
          paper("2603.10001", "Mixture of experts routing for sparse language models", "selected"),
          paper("2603.10002", "Protein folding with diffusion priors", "rejected"),
          paper("2603.10003", "Attention sinks in long-context transformers", "selected"),
          paper("2603.10004", "Sparse mixture of experts transformers with expert routing", "selected"),
          paper("2603.10005", "Crop yield forecasting from satellite images", "rejected"),
        ],
      }),
    );
    const signal = (id: string) =>
      JSON.stringify({ v: 1, id, signal: "dislike", at: "2026-03-03T20:00:00Z", source: "cli" });
    writeFileSync(join(dir, "feedback.jsonl"), `${signal("2603.10001")}\n${signal("2603.10004")}\n`);

    const json = await runCli(["eval", "--json", "--workspace", dir], { env: isolatedEnv() });
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as {
      days: { date: string; labelSource: string; labels: number; recallSelected: Ratio; dislikedSelected: Ratio }[];
      overall: { dislikedSelected: Ratio };
    };
    // The day's labels are its picks less the two disliked: one paper, not three.
    expect(report.days.map((d) => [d.date, d.labelSource, d.labels])).toEqual([["2026-03-03", "picks", 1]]);
    const [day] = report.days as [(typeof report.days)[0]];
    // The one label left, a paper on attention sinks, is not selected offline: recall 0 of 1, where
    // counting the disliked picks as labels made it 2 of 3.
    expect(day.recallSelected).toEqual({ hits: 0, total: 1, value: 0 });
    // Both disliked papers are on topic for the offline scorer, which knows nothing of dislikes
    // without --warm: the replay selects them again, and the report says so.
    expect(day.dislikedSelected).toEqual({ hits: 2, total: 2, value: 1 });
    expect(report.overall.dislikedSelected).toEqual(day.dislikedSelected);

    const text = await runCli(["eval", "--workspace", dir], { env: isolatedEnv() });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(
      `  2026-03-03  1 label from the earlier digest's picks: recall kept 100.0% (1/1) → scored 100.0% (1/1) → digest 0.0% (0/1), precision@k 0.0% (0/1) (k = 1: too few to mean much), disliked papers selected 100.0% (2/2)\n`,
    );
    expect(text.stdout).toContain("  disliked papers selected:     100.0% (2/2)\n");
  });

  it("says that no paper was disliked, and what the evaluation spent", async () => {
    const { dir, cleanup } = tempWorkspace(DEFAULT_CONFIG);
    onTestFinished(cleanup);
    const store = new ArchiveStore(loadWorkspace(dir, {}).archiveDir);
    await store.writeDay(
      makeDay({
        date: "2026-03-03",
        papers: [
          makePaper({ id: "2603.10001", outcome: "selected", authorMatch: null, scoredBy: "lexical" }),
          makePaper({ id: "2603.10002", title: "Crop yields", outcome: "rejected", authorMatch: null }),
        ],
      }),
    );
    const text = await runCli(["eval", "--workspace", dir], { env: isolatedEnv() });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("  disliked papers selected:     – (you disliked no paper of these days)\n");
    expect(text.stdout).toContain("  cost per day, paid in full:   – (offline or unpriced)\n");
    expect(text.stdout).toContain("This evaluation: no LLM calls.\n");
  });

  it("prints what the evaluation spent: new calls on a first run, answers reused from the cache on a second", async () => {
    const llm = await startOpenAiServer({ mode: "correct" });
    onTestFinished(() => llm.close());
    const { dir, cleanup } = tempWorkspace(
      `llm:\n  provider: openai\n  model: gpt-5-mini\n  triage:\n    enabled: false\nselection:\n  minRelevance: 1\n  prefilter:\n    keepShare: 1\n    scoreShare: 1\ntopics:\n  - id: architecture\n    title: Model architecture\n    description: Mixture-of-experts and transformers.\n    include: [mixture of experts, transformer]\n`,
    );
    onTestFinished(cleanup);
    const store = new ArchiveStore(loadWorkspace(dir, {}).archiveDir);
    await store.writeDay(
      makeDay({
        date: "2026-03-03",
        papers: [
          makePaper({ id: "2603.10001", title: "Mixture of experts routing", outcome: "selected", authorMatch: null }),
          makePaper({
            id: "2603.10002",
            title: "Transformers for crop yields",
            outcome: "rejected",
            authorMatch: null,
          }),
        ],
      }),
    );
    const env = isolatedEnv({ OPENAI_BASE_URL: `${llm.url}/v1`, OPENAI_API_KEY: "sk-test-0123456789" });
    // Over its limit, eval says so in one sentence and exits 2 before any request: nothing is written.
    const refused = await runCli(["eval", "--max-usd", "0.001", "--workspace", dir], { env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /^arxiv-digest: eval would pay about \$[\d.]+ for 1 LLM request the response cache cannot answer, more than its limit of \$0\.001 \(--max-usd\): pass `--max-usd 0\.\d\d` or more to pay it; nothing was sent\.\n$/,
    );
    expect(refused.stdout).toBe("");
    expect(llm.chats()).toEqual([]);
    // A plain decimal only: what Number() would read as 16 or 1000 is named and refused, nothing sent.
    for (const value of ["lots", "0x10", "1e3", "-1"]) {
      const bad = await runCli(["eval", `--max-usd=${value}`, "--workspace", dir], { env });
      expect(bad.code, value).toBe(2);
      expect(bad.stderr).toContain(
        `--max-usd expects an amount in US dollars written as a plain decimal, 0 or more (such as 0.25), got "${value}".`,
      );
    }
    expect(llm.chats()).toEqual([]);

    const first = await runCli(["eval", "--workspace", dir], { env });
    expect(first.code, first.stderr).toBe(0);
    const calls = llm.chats().length;
    expect(calls).toBeGreaterThan(0);
    // Said before the replay: what it will pay, and against what limit.
    expect(first.stderr).toMatch(
      /^1 of 1 LLM request misses the response cache and will be paid for: about \$[\d.]+ \([\d,]+ prompt tokens, each answer counted at its cap, [\d,]+ tokens; retries are not foreseen, the limit still holds them\); the limit is \$0\.05 \(--max-usd's default\)\.$/m,
    );
    const paid = first.stdout.match(/^This evaluation: (\d+) new calls?, (\$[\d.]+) spent\.$/m);
    expect(paid, first.stdout).not.toBeNull();
    expect(Number(paid![1])).toBe(calls);
    const perDay = first.stdout.match(/^ {2}cost per day, paid in full: +(\$[\d.]+)$/m)?.[1];
    // One day: what it costs paid in full is what this first evaluation paid.
    expect(perDay).toBe(paid![2]);

    const second = await runCli(["eval", "--workspace", dir], { env });
    expect(second.code, second.stderr).toBe(0);
    expect(llm.chats().length).toBe(calls);
    expect(second.stdout).toContain(
      `This evaluation: 0 new calls, $0 spent (${calls} ${calls === 1 ? "answer" : "answers"} reused).\n`,
    );
    expect(second.stdout).toContain(`  cost per day, paid in full:   ${perDay}\n`);
    // Without the whole requests each paper's verdict is reused on its own: still nothing paid, and
    // the day paid in full still costs what it did.
    rmSync(join(loadWorkspace(dir, {}).cacheDir, "llm"), { recursive: true });
    const third = await runCli(["eval", "--workspace", dir], { env });
    expect(third.code, third.stderr).toBe(0);
    expect(llm.chats().length).toBe(calls);
    expect(third.stdout).toContain("This evaluation: 0 new calls, $0 spent (2 papers' scores reused).\n");
    expect(third.stdout).toContain(`  cost per day, paid in full:   ${perDay}\n`);
    const json = await runCli(["eval", "--json", "--workspace", dir], { env });
    const report = JSON.parse(json.stdout);
    expect(report.spend).toMatchObject({ newCalls: 0, reusedAnswers: 0, spentUsd: 0, reusedTitles: 0 });
    expect(report.spend.reusedScores).toBeGreaterThan(0);
    expect(report.overall.costPerDayUsd).toBeGreaterThan(0);
    expect(report.days[0].reusedCostUsd).toBe(report.days[0].costUsd);
  });

  it("warns, as run does, when provider auto has no key but a variable looks like it, then scores offline", async () => {
    const { dir, cleanup } = tempWorkspace(DEFAULT_CONFIG);
    onTestFinished(cleanup);
    const key = "sk-looks-like-a-key-0123456789abcdef";
    const res = await runCli(["eval", "--labels", LABELS, "--workspace", dir], {
      env: isolatedEnv({ OPENAI_KEY: key }),
    });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toContain(
      "OPENAI_API_KEY (llm.apiKeyEnv) is not set, so papers are scored by the offline lexical scorer, but OPENAI_KEY (set in the environment) looks like an LLM key; rename it to OPENAI_API_KEY, or set llm.apiKeyEnv to its name.",
    );
    expect(res.stderr + res.stdout).not.toContain(key);
    expect(res.stdout).toContain("3 days, judged by the offline scorer, replayed without history");
  });

  it("names a bad labels folder and exits 2", async () => {
    const { dir, cleanup } = tempWorkspace(DEFAULT_CONFIG);
    onTestFinished(cleanup);
    const res = await runCli(["eval", "--labels", `${dir}/missing`, "--workspace", dir], { env: isolatedEnv() });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(`${dir}/missing`);
  });
});
