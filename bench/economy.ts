/**
 * Selection economy of the WHOLE funnel on full days: followed authors → free share prefilter →
 * (title triage, off by default) → LLM scoring, run through the real `selectPapers` and
 * `createJudge` against a local OpenAI-compatible server, on the 30 labelled days in
 * bench/data/labelled-days (every cs.LG/cs.AI paper of each day, the reference tool's picks as
 * labels; see its README).
 *
 * The server answers "correctly": a labelled pick gets the reference's relevance and novelty
 * (author picks never reach it), every other paper relevance 2 and novelty 3, so what is measured
 * is what the funnel lets through and what it pays for, not a model's judgement. Usage is counted
 * with o200k: prompt tokens = the message contents of every request actually sent, completion
 * tokens = the reply actually returned (the test server writes a topic and a comment for every
 * paper, where the prompt asks a real model for them only from relevance 7, so completion figures
 * are an upper bound).
 *
 * Two settings, as a new and an established workspace would see them:
 * - cold: no history;
 * - warm: history fitted from the earlier days as src/pipeline/history.ts does (their picks at
 *   SELECTED_WEIGHT, their other papers at UNSELECTED_WEIGHT, the most recent 3,000 negatives).
 * Followed authors: matchAuthor names the papers labelled authorMatch.
 *
 * Configurations in the same run: DEFAULT (defaults/arxiv-digest.yaml, default llm and selection
 * settings: one round, the title triage off), TRIAGE (the same with llm.triage.enabled, under three
 * kinds of triage answers, see TriageAnswers) and BASELINE (the request shape before the economy
 * work: no prefilter, whole abstracts, llm.abstractTokens 1000, llm.papersPerCall 200,
 * llm.batchTokens 6000).
 *
 * Cost assumes the stable prefix is served from the provider's prompt cache after the first call
 * of the day: cached prompt tokens = prefix tokens × (calls − 1).
 *
 *   npx tsx bench/economy.ts
 *   npx tsx bench/economy.ts --abstract-tokens 80 --papers-per-call 25   (DEFAULT arm overridden)
 *   npx tsx bench/economy.ts --sweep 60,70,80,90,110 --sweep-papers 25,20   (prompt tokens only)
 *   npx tsx bench/economy.ts --one-round 0.5,0.6,0.65 [--abstract-tokens N --papers-per-call N]
 *     (the triage off and the top SHARE of the day scored in one round: recall reached and prompt
 *     tokens per scanned paper, the trade a one-round daily run would make)
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { parseConfig } from "../src/config/parse.js";
import type { Config } from "../src/config/schema.js";
import { isAuthorLabel, type LabelledDay, loadLabelledDays, toCandidate } from "../src/eval/labelled-days.js";
import {
  costPerDay,
  pooled,
  precisionAtK,
  type Ratio,
  recallAt,
  shareSent,
  tokensPerScannedPaper,
} from "../src/eval/metrics.js";
import { systemClock } from "../src/io/clock.js";
import { tokensOf } from "../src/llm/batch.js";
import { priceFor } from "../src/llm/prices.js";
import type { Candidate } from "../src/model/candidate.js";
import { createJudge } from "../src/pipeline/judge.js";
import { fitHistoryModel, type HistoryModel } from "../src/selection/history.js";
import { scoringPrefix } from "../src/selection/prompt.js";
import { selectPapers } from "../src/selection/select.js";
import { defaultPrompts } from "../test/helpers/config.js";
import { type ChatBody, startOpenAiServer, titleIndex, type Verdict } from "../test/helpers/openai-server.js";
import { labelledHistoryExamples } from "./labelled-history.js";

const ROOT = join(import.meta.dirname, "..");
const CONFIG_FILE = join(ROOT, "defaults", "arxiv-digest.yaml");
const TARGET_TOKENS_PER_PAPER = 69;
const REPLACED_TOOL_TOKENS_PER_PAPER = 138;
const CACHE_THRESHOLD = 1024;
const COST_MODELS = ["gpt-5-mini", "gpt-5", "deepseek-chat"] as const;
/**
 * How the mock answers the title triage: "all" puts every title on topic (the worst case for
 * recall: the ration of abstracts then follows the free rank alone), "labels" puts the picks on
 * topic and the rest under maybe (the best case: a triage that recognises every pick), "words"
 * reads titles literally: a title naming one of the topics' words is on topic (a pick) or maybe
 * (the rest), any other is outside every topic, picks included (a triage blind to the reader's
 * taste: what the history's hold on "outside" verdicts, `nearHistory` in select.ts, is for).
 */
type TriageAnswers = "all" | "labels" | "words";
let triageAnswers: TriageAnswers = "all";
/** What the server says about a paper that is not a pick. */
const notPicked = (id: string): Verdict => ({
  relevance: 2,
  novelty: 3,
  keep: true,
  triage: triageAnswers === "all" ? "on-topic" : triageAnswers === "words" && !namesATopic(id) ? "outside" : "maybe",
});

const { values: args } = parseArgs({
  options: {
    "abstract-tokens": { type: "string" },
    "papers-per-call": { type: "string" },
    sweep: { type: "string" },
    "sweep-papers": { type: "string" },
    "one-round": { type: "string" },
  },
});
const numbers = (text: string | undefined) => (text ? text.split(",").map((s) => Number.parseInt(s, 10)) : []);

const base = parseConfig(readFileSync(CONFIG_FILE, "utf8"), CONFIG_FILE);
const prompts = defaultPrompts();
const days = loadLabelledDays(join(ROOT, "bench", "data", "labelled-days"));

type Mode = "cold" | "warm";

interface PreparedDay {
  day: LabelledDay;
  candidates: Candidate[];
  picks: string[];
  authorPicks: Set<string>;
  warm: HistoryModel;
}

/** The archive of the earlier days as readerHistory reads it: newest first, picks win, capped negatives. */
function warmHistory(earlier: readonly LabelledDay[]): HistoryModel {
  return fitHistoryModel(labelledHistoryExamples(earlier));
}

const startedPrep = performance.now();
const prepared: PreparedDay[] = days.map((day, index) => ({
  day,
  candidates: day.papers.map(toCandidate),
  picks: Object.keys(day.labels),
  authorPicks: new Set(
    Object.entries(day.labels)
      .filter(([, label]) => isAuthorLabel(label))
      .map(([id]) => id),
  ),
  warm: warmHistory(days.slice(0, index)),
}));
const prepSeconds = (performance.now() - startedPrep) / 1000;

const idOfTitle = titleIndex(days.flatMap((d) => d.papers));
const titleOf = new Map(days.flatMap((d) => d.papers.map((p) => [p.id, p.title.toLowerCase()] as const)));
const topicWords = base.topics.flatMap((t) => t.include.map((w) => w.toLowerCase()));
/** Whether the paper's title holds one of the topics' words (as a whole word or phrase). */
function namesATopic(id: string): boolean {
  const title = ` ${(titleOf.get(id) ?? "").replace(/[^a-z0-9]+/g, " ")} `;
  return topicWords.some((w) => title.includes(` ${w.replace(/[^a-z0-9]+/g, " ").trim()} `));
}

// One server for the whole run; the day being judged decides its answers, and a tally per run
// collects what was sent and returned (runs go one after another).
let currentDay: LabelledDay | null = null;
let tally = { calls: 0, scoringCalls: 0, prompt: 0, completion: 0 };
const promptTokensOf = (body: ChatBody) => body.messages.reduce((sum, m) => sum + tokensOf(m.content), 0);
const server = await startOpenAiServer({
  judge: (id) => {
    const label = currentDay?.labels[id];
    if (!label || isAuthorLabel(label)) return notPicked(id);
    return {
      relevance: Math.round(label.relevance),
      novelty: Math.round(label.novelty),
      keep: true,
      triage: triageAnswers === "words" && !namesATopic(id) ? "outside" : "on-topic",
    };
  },
  // The triage names titles, not ids: as the prompt flattens them.
  idOfTitle: (title) => idOfTitle.get(title),
  usage: (body, reply) => {
    const prompt = promptTokensOf(body);
    const completion = tokensOf(reply);
    tally.calls += 1;
    if (!/^## Titles$/m.test(body.messages.at(-1)?.content ?? "")) tally.scoringCalls += 1;
    tally.prompt += prompt;
    tally.completion += completion;
    return { prompt, completion, cached: 0 };
  },
});

const prefix = scoringPrefix(prompts, base.topics, base.selection.minRelevance);
const prefixTokens = tokensOf(prefix.system) + tokensOf(prefix.userPrefix);

interface Arm {
  name: string;
  config: Config;
  triage?: TriageAnswers;
}

function withLlm(llm: Partial<Config["llm"]>, prefilterEnabled: boolean): Config {
  return {
    ...base,
    llm: { ...base.llm, provider: "openai", baseUrl: `${server.url}/v1`, ...llm },
    selection: { ...base.selection, prefilter: { ...base.selection.prefilter, enabled: prefilterEnabled } },
  };
}

interface DayFigures {
  date: string;
  scanned: number;
  sent: Ratio;
  reached: Ratio;
  abstracts: Ratio;
  selected: Ratio;
  precision: Ratio;
  calls: number;
  prompt: number;
  completion: number;
  cost: Record<string, number>;
}

async function runDay(p: PreparedDay, config: Config, mode: Mode): Promise<DayFigures> {
  currentDay = p.day;
  tally = { calls: 0, scoringCalls: 0, prompt: 0, completion: 0 };
  const llm = config.llm;
  const result = await selectPapers(p.candidates, {
    config,
    prompts,
    matchAuthor: (c) => (p.authorPicks.has(c.id) ? (c.authors[0]?.name ?? "followed author") : null),
    judge: createJudge({ llm, env: { [llm.apiKeyEnv]: "sk-bench" }, cacheDir: null, clock: systemClock }),
    ...(mode === "warm" ? { history: p.warm } : {}),
  });
  const unscored = result.papers.filter((paper) => paper.outcome === "unscored");
  if (unscored.length > 0) throw new Error(`${p.day.date}: ${unscored.length} papers unscored: ${unscored[0]!.reason}`);
  const scanned = result.papers.length;
  const reached = result.papers.filter((paper) => paper.scoredBy === "llm" || paper.authorMatch !== null);
  const abstracts = reached.filter((paper) => paper.outcome !== "triaged-out");
  const selected = result.papers.filter((paper) => paper.outcome === "selected");
  // Only the scoring prefix reaches the caching threshold; the triage's shorter one is billed whole.
  const cachedPromptTokens = prefixTokens * Math.max(0, tally.scoringCalls - 1);
  const cost: Record<string, number> = {};
  for (const model of COST_MODELS) {
    cost[model] = costPerDay(
      { promptTokens: tally.prompt, cachedPromptTokens, completionTokens: tally.completion },
      priceFor(model)!,
    );
  }
  return {
    date: p.day.date,
    scanned,
    sent: shareSent(result.sentToLlm ?? 0, scanned),
    reached: recallAt(
      reached.map((paper) => paper.id),
      p.picks,
    ),
    abstracts: recallAt(
      abstracts.map((paper) => paper.id),
      p.picks,
    ),
    selected: recallAt(
      selected.map((paper) => paper.id),
      p.picks,
    ),
    precision: precisionAtK(
      result.papers.map((paper) => paper.id),
      p.picks,
    ),
    calls: tally.calls,
    prompt: tally.prompt,
    completion: tally.completion,
    cost,
  };
}

async function runArm(config: Config, mode: Mode, triage: TriageAnswers = "all"): Promise<DayFigures[]> {
  triageAnswers = triage;
  const out: DayFigures[] = [];
  for (const p of prepared) out.push(await runDay(p, config, mode));
  return out;
}

// ---- formatting ---------------------------------------------------------------------------

const pct = (r: Ratio) => (r.value === null ? "–" : `${(100 * r.value).toFixed(1)}%`);
const usd = (value: number) => `$${value.toFixed(4)}`;
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
const mean = (xs: readonly number[]) => (xs.length === 0 ? 0 : sum(xs) / xs.length);

interface Cell {
  pooled: string;
  worst: string;
}

/** The day with the lowest (or highest) value, named by its date. */
function worstOf(rows: readonly DayFigures[], value: (d: DayFigures) => number, higherIsWorse: boolean) {
  let worst = rows[0]!;
  for (const row of rows) {
    const better = higherIsWorse ? value(row) > value(worst) : value(row) < value(worst);
    if (better) worst = row;
  }
  return worst;
}

function cells(rows: readonly DayFigures[]): Record<string, Cell> {
  const scanned = sum(rows.map((d) => d.scanned));
  const ratioCell = (pick: (d: DayFigures) => Ratio, higherIsWorse: boolean): Cell => {
    const all = pooled(rows.map(pick));
    const w = worstOf(rows, (d) => pick(d).value ?? (higherIsWorse ? 0 : 1), higherIsWorse);
    return {
      pooled: `${pct(all)} (${all.hits}/${all.total})`,
      worst: `${pct(pick(w))} (${pick(w).hits}/${pick(w).total}) ${w.date}`,
    };
  };
  const perScanned = (pick: (d: DayFigures) => number): Cell => {
    const w = worstOf(rows, (d) => tokensPerScannedPaper(pick(d), d.scanned) ?? 0, true);
    return {
      pooled: (tokensPerScannedPaper(sum(rows.map(pick)), scanned) ?? 0).toFixed(1),
      worst: `${(tokensPerScannedPaper(pick(w), w.scanned) ?? 0).toFixed(1)} ${w.date}`,
    };
  };
  const perDay = (pick: (d: DayFigures) => number, format: (n: number) => string): Cell => {
    const w = worstOf(rows, pick, true);
    return { pooled: format(mean(rows.map(pick))), worst: `${format(pick(w))} ${w.date}` };
  };
  const result: Record<string, Cell> = {
    "share sent to the LLM": ratioCell((d) => d.sent, true),
    "recall: reached LLM or author": ratioCell((d) => d.reached, false),
    "recall: abstract read or author": ratioCell((d) => d.abstracts, false),
    "recall: finally selected": ratioCell((d) => d.selected, false),
    "precision@k (k = labels)": ratioCell((d) => d.precision, false),
    "PROMPT tokens / scanned paper": perScanned((d) => d.prompt),
    "completion tokens / scanned": perScanned((d) => d.completion),
    "calls per day": perDay(
      (d) => d.calls,
      (n) => n.toFixed(1),
    ),
  };
  for (const model of COST_MODELS) {
    result[`cost per day, ${model}`] = perDay((d) => d.cost[model]!, usd);
  }
  return result;
}

function printTable(mode: Mode, arms: readonly { name: string; rows: DayFigures[] }[]): void {
  const tables = arms.map((arm) => ({ name: arm.name, cells: cells(arm.rows) }));
  const metrics = Object.keys(tables[0]!.cells);
  const widths = {
    metric: Math.max(...metrics.map((m) => m.length), 6),
    ...Object.fromEntries(
      tables.flatMap((t) => [
        [`${t.name}:pooled`, Math.max(...metrics.map((m) => t.cells[m]!.pooled.length), `${t.name} pooled`.length)],
        [`${t.name}:worst`, Math.max(...metrics.map((m) => t.cells[m]!.worst.length), "worst day".length)],
      ]),
    ),
  } as Record<string, number>;
  const header = [
    "metric".padEnd(widths.metric!),
    ...tables.flatMap((t) => [
      `${t.name} pooled`.padEnd(widths[`${t.name}:pooled`]!),
      "worst day".padEnd(widths[`${t.name}:worst`]!),
    ]),
  ];
  console.log(`### ${mode}`);
  console.log(`| ${header.join(" | ")} |`);
  console.log(`|${header.map((h) => "-".repeat(h.length + 2)).join("|")}|`);
  for (const metric of metrics) {
    const row = [
      metric.padEnd(widths.metric!),
      ...tables.flatMap((t) => [
        t.cells[metric]!.pooled.padEnd(widths[`${t.name}:pooled`]!),
        t.cells[metric]!.worst.padEnd(widths[`${t.name}:worst`]!),
      ]),
    ];
    console.log(`| ${row.join(" | ")} |`);
  }
  console.log("");
}

const promptPerScanned = (rows: readonly DayFigures[]) =>
  tokensPerScannedPaper(sum(rows.map((d) => d.prompt)), sum(rows.map((d) => d.scanned))) ?? 0;

// ---- run ----------------------------------------------------------------------------------

async function main(): Promise<void> {
  const overrides: Partial<Config["llm"]> = {};
  if (args["abstract-tokens"]) overrides.abstractTokens = Number.parseInt(args["abstract-tokens"], 10);
  if (args["papers-per-call"]) overrides.papersPerCall = Number.parseInt(args["papers-per-call"], 10);
  const overridden = Object.keys(overrides).length > 0;
  const defaultArm: Arm = { name: overridden ? "CONFIGURED" : "DEFAULT", config: withLlm(overrides, true) };
  // The title triage is opt-in (llm.triage.enabled): three arms for what its answers could be.
  const triageConfig = withLlm({ ...overrides, triage: { ...base.llm.triage, enabled: true } }, true);
  const triageArm: Arm = { name: "TRIAGE, all on topic", config: triageConfig, triage: "all" };
  const labelsArm: Arm = { name: "TRIAGE, triage = labels", config: triageConfig, triage: "labels" };
  const wordsArm: Arm = { name: "TRIAGE, triage = words", config: triageConfig, triage: "words" };
  const baselineArm: Arm = {
    name: "BASELINE",
    config: withLlm(
      { abstractTokens: 1000, papersPerCall: 200, batchTokens: 6000, triage: { ...base.llm.triage, enabled: false } },
      false,
    ),
  };
  const d = defaultArm.config;
  const papers = sum(prepared.map((p) => p.candidates.length));
  const picks = sum(prepared.map((p) => p.picks.length));
  const authorPicks = sum(prepared.map((p) => p.authorPicks.size));
  console.log(
    `economy bench: ${days.length} days (${days[0]?.date} to ${days.at(-1)?.date}), ${papers} papers, ${picks} labels (${authorPicks} author matches); history fits ${prepSeconds.toFixed(1)} s`,
  );
  console.log(
    `${defaultArm.name}: prefilter keepShare ${d.selection.prefilter.keepShare}, scoreShare ${d.selection.prefilter.scoreShare}, floor ${d.selection.prefilter.floor}, historyWeight ${d.selection.prefilter.historyWeight}; ` +
      `triage ${d.llm.triage.enabled ? `on (batchTokens ${d.llm.triage.batchTokens})` : "off"}; abstractTokens ${d.llm.abstractTokens}, papersPerCall ${d.llm.papersPerCall}, batchTokens ${d.llm.batchTokens}, concurrency ${d.llm.concurrency}`,
  );
  console.log(
    "BASELINE: prefilter and triage off, abstractTokens 1000 (whole abstracts), papersPerCall 200, batchTokens 6000 (the request shape before the economy work)",
  );
  console.log(
    `stable prefix (system + user prefix, o200k): ${prefixTokens} tokens, ${prefixTokens >= CACHE_THRESHOLD ? "≥" : "<"} ${CACHE_THRESHOLD} (providers' prompt-caching threshold): ${prefixTokens >= CACHE_THRESHOLD ? "cacheable" : "NOT cacheable"}`,
  );
  console.log(
    "cost assumes the stable prefix is served from the provider's prompt cache after the first call of the day: cached tokens = prefix tokens × (scoring calls − 1); the triage's shorter prefix is billed whole" +
      (prefixTokens >= CACHE_THRESHOLD ? "" : " (an optimistic assumption here: the prefix is below the threshold)"),
  );
  for (const model of COST_MODELS) {
    const price = priceFor(model)!;
    console.log(`  ${model}: $${price.input} input / $${price.cachedInput} cached / $${price.output} output per M`);
  }
  console.log(
    "mock answers: picks get the reference's scores, other papers relevance 2; completion tokens are the mock's replies (a topic and comment on every paper: an upper bound)",
  );
  console.log(
    "TRIAGE arms: the default with the title triage on (llm.triage.enabled: true; then at most scoreShare of the day has its abstract read); 'all on topic' puts every title on topic (worst case: the abstracts read follow the free rank); 'triage = labels' puts the picks on topic, the rest maybe (best case); 'triage = words' judges a title by the topics' words alone (on topic or maybe when it names one, else outside, picks included)",
  );
  console.log("");

  const started = performance.now();
  const summary: string[] = [];
  for (const mode of ["cold", "warm"] as const) {
    const arms = [];
    for (const arm of [defaultArm, triageArm, labelsArm, wordsArm, baselineArm]) {
      arms.push({ name: arm.name, rows: await runArm(arm.config, mode, arm.triage) });
    }
    printTable(mode, arms);
    for (const arm of arms) {
      const value = promptPerScanned(arm.rows);
      summary.push(`${mode} ${arm.name}: ${value.toFixed(1)} prompt tokens per scanned paper`);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  for (const line of summary) console.log(line);
  console.log(
    `target ≤ ${TARGET_TOKENS_PER_PAPER} prompt tokens per scanned paper (the tool we replace billed ${REPLACED_TOOL_TOKENS_PER_PAPER})`,
  );
  console.log(`requests run in ${seconds.toFixed(1)} s`);

  const sweep = numbers(args.sweep);
  if (sweep.length > 0) {
    const perCall = numbers(args["sweep-papers"]);
    console.log("");
    console.log("### sweep: prompt tokens per scanned paper (prefilter on, defaults otherwise)");
    console.log("| abstractTokens | papersPerCall | cold | warm | cold calls/day | warm calls/day |");
    console.log("|----------------|---------------|------|------|----------------|----------------|");
    for (const papersPerCall of perCall.length > 0 ? perCall : [base.llm.papersPerCall]) {
      for (const abstractTokens of sweep) {
        const config = withLlm({ abstractTokens, papersPerCall }, true);
        const cold = await runArm(config, "cold");
        const warm = await runArm(config, "warm");
        const calls = (rows: DayFigures[]) => mean(rows.map((r) => r.calls)).toFixed(1);
        const mark = (v: number) => `${v.toFixed(1)}${v <= TARGET_TOKENS_PER_PAPER ? " ✓" : ""}`;
        console.log(
          `| ${String(abstractTokens).padEnd(14)} | ${String(papersPerCall).padEnd(13)} | ${mark(promptPerScanned(cold))} | ${mark(promptPerScanned(warm))} | ${calls(cold).padEnd(14)} | ${calls(warm).padEnd(14)} |`,
        );
      }
    }
  }
}

async function oneRound(): Promise<void> {
  const shares = (args["one-round"] ?? "").split(",").map(Number);
  const overrides: Partial<Config["llm"]> = { triage: { ...base.llm.triage, enabled: false } };
  if (args["abstract-tokens"]) overrides.abstractTokens = Number.parseInt(args["abstract-tokens"], 10);
  if (args["papers-per-call"]) overrides.papersPerCall = Number.parseInt(args["papers-per-call"], 10);
  console.log(
    `### one round (triage off): share scored | cold recall | warm recall | cold tok | warm tok | calls/day (abstractTokens ${overrides.abstractTokens ?? base.llm.abstractTokens}, papersPerCall ${overrides.papersPerCall ?? base.llm.papersPerCall})`,
  );
  for (const share of shares) {
    const c = withLlm(overrides, true);
    const config = {
      ...c,
      selection: { ...c.selection, prefilter: { ...c.selection.prefilter, keepShare: share } },
    };
    const cold = await runArm(config, "cold");
    const warm = await runArm(config, "warm");
    const r = (rows: DayFigures[]) => pct(pooled(rows.map((d) => d.reached)));
    console.log(
      `| ${share} | ${r(cold)} | ${r(warm)} | ${promptPerScanned(cold).toFixed(1)} | ${promptPerScanned(warm).toFixed(1)} | ${mean(cold.map((d) => d.calls)).toFixed(1)} |`,
    );
  }
}

try {
  if (args["one-round"]) await oneRound();
  else await main();
} finally {
  await server.close();
}
