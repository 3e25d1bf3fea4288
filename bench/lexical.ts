/**
 * How far the offline scorer agrees with the reference LLM, and how fast it is.
 *
 * The reference history holds only the papers its LLM selected (RELEVANCE 8–10), so agreement is
 * measured as: Spearman correlation of lexical relevance with RELEVANCE; the share of those papers
 * the lexical scorer would also select (≥ 7); and how often its topic names the reference
 * comment's topic. Document frequencies come from the full announcement days in
 * bench/data/labelled-days (every paper listed, picked or not): a pool of selected papers is full
 * of topic terms, which pushes them to the IDF floor and understates every score.
 *
 * Run: npx tsx bench/lexical.ts
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { ConfigSchema } from "../src/config/schema.js";
import { loadLabelledDays, toCandidate } from "../src/eval/labelled-days.js";
import { createLexicalScorer } from "../src/selection/lexical.js";
import { distinctCandidates, loadReferencePapers } from "../test/helpers/reference.js";

const config = ConfigSchema.parse(
  parse(readFileSync(join(import.meta.dirname, "..", "defaults", "arxiv-digest.yaml"), "utf8")),
);
const papers = loadReferencePapers();
const pool = distinctCandidates(papers);
const scored = papers.filter((paper) => paper.relevance !== null);
const fullDays = loadLabelledDays(join(import.meta.dirname, "data", "labelled-days")).flatMap((day) =>
  day.papers.map(toCandidate),
);
const score = createLexicalScorer(config.topics, fullDays);
const judged = scored.map((paper) => ({ paper, judgement: score(paper.candidate) }));

const lexical = judged.map(({ judgement }) => judgement.relevance);
const reference = judged.map(({ paper }) => paper.relevance ?? 0);
const high = judged.filter(({ paper }) => (paper.relevance ?? 0) >= 8);
const recalled = high.filter(({ judgement }) => judgement.relevance >= 7).length;

/** Which default topic the reference comment's first words name (null when unclear). */
function referenceTopic(comment: string): string | null {
  const head = comment
    .replace(/^Matches\s+/i, "")
    .slice(0, 40)
    .toLowerCase();
  if (/^(model )?architecture|^conditional/.test(head)) return "architecture";
  if (/^(model )?(compression|efficiency)/.test(head)) return "efficiency";
  if (/^(high performance|hpc)/.test(head)) return "systems";
  if (/^(representation|training dynamics)/.test(head)) return "representation";
  return null;
}
const withTopic = judged.filter(({ paper }) => referenceTopic(paper.comment) !== null);
const sameTopic = withTopic.filter(({ paper, judgement }) => referenceTopic(paper.comment) === judgement.topic).length;

const histogram = new Map<number, number>();
for (const value of lexical) histogram.set(value, (histogram.get(value) ?? 0) + 1);

// A 500-paper day: the first 500 distinct reference papers, corpus = the day itself. The first
// run is what a daily run pays (cold JIT); the median of the next five is the steady state.
const day = pool.slice(0, 500);
const timings = Array.from({ length: 6 }, () => {
  const started = performance.now();
  const dayScorer = createLexicalScorer(config.topics, day);
  for (const candidate of day) dayScorer(candidate);
  return performance.now() - started;
});
const warm = timings.slice(1).sort((a, b) => a - b);

const percent = (part: number, whole: number) => `${((100 * part) / whole).toFixed(1)}%`;
console.log(
  `reference records scored by the LLM: ${scored.length} (distinct papers in pool: ${pool.length}; IDF corpus: ${fullDays.length} papers of full days)`,
);
console.log(`Spearman(lexical relevance, reference RELEVANCE): ${spearman(lexical, reference).toFixed(3)}`);
console.log(
  `reference RELEVANCE >= 8 given lexical >= 7: ${recalled}/${high.length} = ${percent(recalled, high.length)}`,
);
console.log(
  `topic agrees with the reference comment: ${sameTopic}/${withTopic.length} = ${percent(sameTopic, withTopic.length)}`,
);
console.log(
  `lexical relevance histogram: ${[...histogram]
    .sort((a, b) => a[0] - b[0])
    .map(([value, n]) => `${value}:${n}`)
    .join(" ")}`,
);
console.log(
  `500-paper day (build + score): first run ${timings[0]!.toFixed(1)} ms, median of 5 more ${warm[2]!.toFixed(1)} ms`,
);

/** Spearman's rho with average ranks for ties (the scales are coarse, so ties are common). */
function spearman(a: number[], b: number[]): number {
  return pearson(ranks(a), ranks(b));
}

function ranks(values: number[]): number[] {
  const order = values.map((value, index) => ({ value, index })).sort((x, y) => x.value - y.value);
  const result = new Array<number>(values.length);
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]!.value === order[start]!.value) end++;
    for (let i = start; i <= end; i++) result[order[i]!.index] = (start + end) / 2 + 1;
    start = end + 1;
  }
  return result;
}

function pearson(a: number[], b: number[]): number {
  const mean = (xs: number[]) => xs.reduce((sum, x) => sum + x, 0) / xs.length;
  const ma = mean(a);
  const mb = mean(b);
  let covariance = 0;
  let va = 0;
  let vb = 0;
  a.forEach((x, i) => {
    const y = b[i]!;
    covariance += (x - ma) * (y - mb);
    va += (x - ma) ** 2;
    vb += (y - mb) ** 2;
  });
  return covariance / Math.sqrt(va * vb);
}
