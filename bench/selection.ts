/**
 * Selection economy on full days: how much of each day the free prefilter sends to the LLM, and
 * how many of the reference reader's picks are among what it sends.
 *
 * Data: bench/data/labelled-days (30 real cs.LG/cs.AI announcement days with the reference
 * tool's picks; see its README). The reader's interests are the bundled default topics. Two
 * settings, as a new and an established workspace would see them:
 * - cold: empty archive, so no history; ranking by topic score alone;
 * - warm: history = every earlier day (date order) as the archive would hold it: the picks as
 *   past selections (weak positives), the other papers as not selected (weak negatives).
 * Followed-author matches are the reference's (labels with authorMatch), always kept.
 *
 * For each keep-share it prints: share of papers sent, recall of picks at the prefilter (pooled
 * over days; at the default keepShare these are the titles the LLM's triage reads, at the default
 * scoreShare the abstracts it would read if its triage could not tell the titles apart), and precision@k of the free ranking (k = that day's number of picks, pooled), for
 * the prefilter as shipped (ranked by topic similarity + history, plus the topic-score floor) next to the
 * baseline "BM25 alone" (top share by topic score, no history, no floor) in the same run.
 *
 * Run: npx tsx bench/selection.ts
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { ConfigSchema, PREFILTER_DEFAULTS } from "../src/config/schema.js";
import { isAuthorLabel, type LabelledDay, loadLabelledDays, toCandidate } from "../src/eval/labelled-days.js";
import { pooled, precisionAtK, type Ratio, recallAt, shareSent } from "../src/eval/metrics.js";
import type { Candidate } from "../src/model/candidate.js";
import { fitHistoryModel, type HistoryModel, SELECTED_WEIGHT, UNSELECTED_WEIGHT } from "../src/selection/history.js";
import { createLexicalRawScorer, createTopicSimilarityScorer } from "../src/selection/lexical.js";
import {
  DEFAULT_FLOOR,
  DEFAULT_HISTORY_WEIGHT,
  DEFAULT_KEEP_SHARE,
  DEFAULT_SIMILARITY_WEIGHT,
  prefilter,
} from "../src/selection/prefilter.js";

const ROOT = join(import.meta.dirname, "..");
const config = ConfigSchema.parse(parse(readFileSync(join(ROOT, "defaults", "arxiv-digest.yaml"), "utf8")));
const days = loadLabelledDays(join(ROOT, "bench", "data", "labelled-days"));
const SCORE_SHARE = PREFILTER_DEFAULTS.scoreShare;
const SHARES = [...new Set([SCORE_SHARE, 0.4, 0.5, DEFAULT_KEEP_SHARE, 0.7])].sort();

interface Prepared {
  day: LabelledDay;
  candidates: Candidate[];
  topicScore: (c: Candidate) => number;
  similarity: (c: Candidate) => number;
  picks: string[];
  authorPicks: Set<string>;
  cold: HistoryModel;
  warm: HistoryModel;
}

const prepared: Prepared[] = days.map((day, index) => {
  const candidates = day.papers.map(toCandidate);
  const earlier = days.slice(0, index);
  // What the archive of the earlier days would hold: their picks as selections, everything else
  // as not selected.
  const warm = fitHistoryModel(
    earlier.flatMap((past) =>
      past.papers.map((paper) => ({ ...paper, weight: past.labels[paper.id] ? SELECTED_WEIGHT : UNSELECTED_WEIGHT })),
    ),
  );
  return {
    day,
    candidates,
    topicScore: createLexicalRawScorer(config.topics, candidates),
    similarity: createTopicSimilarityScorer(config.topics, candidates),
    picks: Object.keys(day.labels),
    authorPicks: new Set(
      Object.entries(day.labels)
        .filter(([, label]) => isAuthorLabel(label))
        .map(([id]) => id),
    ),
    cold: fitHistoryModel([]),
    warm,
  };
});

interface Row {
  setting: string;
  method: string;
  keepShare: number;
  sent: Ratio;
  recall: Ratio;
  precision: Ratio;
  worstDay: number;
}

function measure(setting: "cold" | "warm", method: "prefilter" | "bm25", keepShare: number): Row {
  const sent: Ratio[] = [];
  const recall: Ratio[] = [];
  const precision: Ratio[] = [];
  for (const p of prepared) {
    const decisions = prefilter(p.candidates, {
      topicsScorer: p.topicScore,
      keepShare,
      isAuthorMatch: (c) => p.authorPicks.has(c.id),
      ...(method === "prefilter"
        ? { similarityScorer: p.similarity, history: setting === "warm" ? p.warm : p.cold, floor: DEFAULT_FLOOR }
        : { floor: Number.POSITIVE_INFINITY }),
    });
    const kept = decisions.filter((d) => d.kept).map((d) => d.id);
    const ranking = [...decisions].sort((a, b) => a.rank - b.rank).map((d) => d.id);
    sent.push(shareSent(kept.length, decisions.length));
    recall.push(recallAt(kept, p.picks));
    precision.push(precisionAtK(ranking, p.picks));
  }
  const worstDay = Math.min(...recall.map((r) => r.value ?? 1));
  return {
    setting,
    method: method === "bm25" ? "BM25 alone" : "prefilter",
    keepShare,
    sent: pooled(sent),
    recall: pooled(recall),
    precision: pooled(precision),
    worstDay,
  };
}

const rows: Row[] = [];
for (const setting of ["cold", "warm"] as const) {
  for (const keepShare of SHARES) {
    for (const method of ["bm25", "prefilter"] as const) rows.push(measure(setting, method, keepShare));
  }
}

const pct = (r: Ratio) => (r.value === null ? "–" : `${(100 * r.value).toFixed(1)}%`);
const papers = prepared.reduce((sum, p) => sum + p.candidates.length, 0);
const picks = prepared.reduce((sum, p) => sum + p.picks.length, 0);
console.log(`${days.length} days, ${papers} papers, ${picks} picks (${days[0]?.date} to ${days.at(-1)?.date})`);
console.log(
  `prefilter = defaults: topic similarity (weight ${DEFAULT_SIMILARITY_WEIGHT} against BM25) + history (weight ${DEFAULT_HISTORY_WEIGHT}) ranks, floor ${DEFAULT_FLOOR}; BM25 alone = topic score rank, no history, no floor`,
);
console.log("");
console.log("| setting | keep | method     | sent  | recall at prefilter | worst day | P@k (k = picks) |");
console.log("|---------|------|------------|-------|---------------------|-----------|-----------------|");
for (const row of rows) {
  console.log(
    `| ${row.setting.padEnd(7)} | ${row.keepShare.toFixed(2)} | ${row.method.padEnd(10)} | ${pct(row.sent).padStart(5)} | ${`${pct(row.recall)} (${row.recall.hits}/${row.recall.total})`.padEnd(19)} | ${`${(100 * row.worstDay).toFixed(0)}%`.padStart(9)} | ${`${pct(row.precision)} (${row.precision.hits}/${row.precision.total})`.padEnd(15)} |`,
  );
}

const at = (setting: string, method: string, keepShare: number = DEFAULT_KEEP_SHARE) =>
  rows.find((row) => row.setting === setting && row.method === method && row.keepShare === keepShare)!;
const warm = at("warm", "prefilter");
const cold = at("cold", "prefilter");
const baseline = at("cold", "BM25 alone");
const cell = (row: Row) =>
  `${pct(row.sent).padStart(5)} | ${pct(row.recall).padStart(6)} | ${`${(100 * row.worstDay).toFixed(0)}%`.padStart(5)} | ${pct(row.precision).padStart(6)}`;
console.log("");
console.log(`At the default keepShare ${DEFAULT_KEEP_SHARE} (the titles the LLM's triage reads):`);
console.log("| ranking                          | sent  | recall | worst | P@k    |");
console.log("|----------------------------------|-------|--------|-------|--------|");
console.log(`| BM25 alone                       | ${cell(baseline)} |`);
console.log(`| defaults, cold (no history)      | ${cell(cold)} |`);
console.log(`| defaults, warm (earlier days)    | ${cell(warm)} |`);
console.log("");
console.log(
  `At the default scoreShare ${SCORE_SHARE} by the free rank alone (the abstracts read when the triage cannot tell titles apart; a triage that can puts its on-topic titles first):`,
);
console.log(`| defaults, cold (no history)      | ${cell(at("cold", "prefilter", SCORE_SHARE))} |`);
console.log(`| defaults, warm (earlier days)    | ${cell(at("warm", "prefilter", SCORE_SHARE))} |`);
const meets = (warm.recall.value ?? 0) >= 0.95 && (cold.recall.value ?? 0) >= 0.9;
console.log("");
console.log(
  `defaults (keepShare ${DEFAULT_KEEP_SHARE}, floor ${DEFAULT_FLOOR}): picks reaching the LLM: warm ${pct(warm.recall)} (target ≥ 95%), ` +
    `cold ${pct(cold.recall)} (target ≥ 90%), sending ${pct(warm.sent)} warm / ${pct(cold.sent)} cold: ` +
    (meets ? "targets met" : "TARGETS NOT MET"),
);
