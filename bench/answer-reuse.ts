/**
 * Per-paper answer reuse (src/llm/answers.ts): prompt tokens a re-run of a day sends, with and
 * without the store of single papers' scoring verdicts and single titles' triage verdicts, side by
 * side in the same run. Both arms keep the response cache (`without` is the client as it was:
 * reuse of whole requests only).
 *
 * Days: the last DAYS labelled days of bench/data/labelled-days (every cs.LG/cs.AI paper of each
 * day), judged through the real `selectPapers` and `createJudge` with the default config
 * (defaults/arxiv-digest.yaml: share prefilter on, title triage off since one-round scoring, so
 * the triage's share below is 0 unless the config turns it on) against the local
 * OpenAI-compatible server (test/helpers/openai-server.ts), prompt tokens counted with o200k on
 * the messages each request actually sent. History: the earlier labelled days' picks and
 * passed-over papers, as bench/economy.ts fits it.
 *
 * Each day is judged once, then re-run after a change:
 * - feedback, prompt unchanged: the reader liked LIKES papers of the day before, which moves the
 *   history model and so the papers the prefilter sends (feedback.promptTitles off, or the liked
 *   titles already shown: the scoring prompt itself does not change);
 * - feedback, liked titles in the prompt: the same likes, with feedback.promptTitles on (the
 *   default): the taste block of the scoring prompt names them, so every answer depends on them
 *   and no earlier verdict applies;
 * - a tenth more papers: the day re-run with the papers a first run lacked (a category feed that
 *   came late), so the batches shift (a new papersPerCall is asked anew by design: a batch's size
 *   changes how a model rates what is in it);
 * - keepShare 0.7 → 0.8: the prefilter sends more papers to the LLM, so its batches shift.
 *
 * The title triage's share of each figure is printed in parentheses.
 *
 *   npx tsx bench/answer-reuse.ts
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseConfig } from "../src/config/parse.js";
import type { Config } from "../src/config/schema.js";
import { type LabelledDay, loadLabelledDays, toCandidate } from "../src/eval/labelled-days.js";
import { systemClock } from "../src/io/clock.js";
import { tokensOf } from "../src/llm/batch.js";
import type { Candidate } from "../src/model/candidate.js";
import { createJudge } from "../src/pipeline/judge.js";
import { fitHistoryModel, type HistoryExample, type HistoryText, LIKED_WEIGHT } from "../src/selection/history.js";
import type { ReaderTaste } from "../src/selection/prompt.js";
import { selectPapers } from "../src/selection/select.js";
import { defaultPrompts } from "../test/helpers/config.js";
import { type ChatBody, startOpenAiServer } from "../test/helpers/openai-server.js";
import { labelledHistoryExamples } from "./labelled-history.js";
import { removeScratch, scratchDir } from "./scratch.js";

const ROOT = join(import.meta.dirname, "..");
const CONFIG_FILE = join(ROOT, "defaults", "arxiv-digest.yaml");
const DAYS = 5;
const LIKES = 4;

const base = parseConfig(readFileSync(CONFIG_FILE, "utf8"), CONFIG_FILE);
const prompts = defaultPrompts();
const all = loadLabelledDays(join(ROOT, "bench", "data", "labelled-days"));

let promptTokens = 0;
let triageTokens = 0;
let currentDay: LabelledDay | null = null;
const promptTokensOf = (body: ChatBody) => body.messages.reduce((sum, m) => sum + tokensOf(m.content), 0);
const server = await startOpenAiServer({
  judge: (id) => {
    const label = currentDay?.labels[id];
    return label && "relevance" in label
      ? { relevance: Math.round(label.relevance), novelty: Math.round(label.novelty), keep: true }
      : { relevance: 2, novelty: 3, keep: true };
  },
  usage: (body, reply) => {
    const prompt = promptTokensOf(body);
    promptTokens += prompt;
    if (/^## Titles$/m.test(body.messages.at(-1)?.content ?? "")) triageTokens += prompt;
    return { prompt, completion: tokensOf(reply), cached: 0 };
  },
});

/** The earlier days' picks and passed-over papers (as readerHistory reads them), plus the reader's likes. */
function history(earlier: readonly LabelledDay[], liked: readonly HistoryText[]) {
  const likes: HistoryExample[] = liked.map((l) => ({ ...l, weight: LIKED_WEIGHT, explicit: true }));
  return fitHistoryModel([...labelledHistoryExamples(earlier), ...likes]);
}

interface Judging {
  candidates: Candidate[];
  config: Config;
  history: ReturnType<typeof fitHistoryModel>;
  taste?: ReaderTaste;
}

/** Prompt tokens one selection sent, and those of the title triage among them; `reuse` false takes the per-paper store away. */
async function judge(j: Judging, cacheDir: string, reuse: boolean): Promise<{ all: number; triage: number }> {
  const before = promptTokens;
  const triageBefore = triageTokens;
  const made = createJudge({ llm: j.config.llm, env: { OPENAI_API_KEY: "sk-bench" }, cacheDir, clock: systemClock });
  const judgeNow = made.kind === "llm" && !reuse ? { ...made, answers: undefined } : made;
  const result = await selectPapers(j.candidates, {
    config: j.config,
    prompts,
    matchAuthor: () => null,
    judge: judgeNow,
    history: j.history,
    ...(j.taste ? { taste: j.taste } : {}),
  });
  const unscored = result.papers.filter((p) => p.outcome === "unscored").length;
  if (unscored > 0) throw new Error(`${unscored} papers unscored`);
  return { all: promptTokens - before, triage: triageTokens - triageBefore };
}

const withLlm = (llm: Partial<Config["llm"]>): Config => ({
  ...base,
  llm: { ...base.llm, provider: "openai", apiKeyEnv: "OPENAI_API_KEY", baseUrl: `${server.url}/v1`, ...llm },
});

interface Scenario {
  name: string;
  first: (i: number) => Judging;
  second: (i: number) => Judging;
}

const days = all.slice(-DAYS).map((day) => {
  const index = all.indexOf(day);
  const earlier = all.slice(0, index);
  const yesterday = earlier.at(-1)!;
  // Papers of the day before that its picks left out: what a reader would like afterwards.
  const unpicked = yesterday.papers.filter((p) => !yesterday.labels[p.id]);
  const step = Math.floor(unpicked.length / LIKES);
  const liked = Array.from({ length: LIKES }, (_, k) => unpicked[k * step]!);
  return {
    day,
    candidates: day.papers.map(toCandidate),
    before: history(earlier, []),
    after: history(earlier, liked),
    likedTitles: liked.map((p) => p.title),
  };
});

const perCall = (n: number) => withLlm({ papersPerCall: n });
const keeping = (share: number): Config => ({
  ...perCall(25),
  selection: { ...base.selection, prefilter: { ...base.selection.prefilter, keepShare: share } },
});
const scenarios: Scenario[] = [
  {
    name: "feedback, prompt unchanged",
    first: (i) => ({ candidates: days[i]!.candidates, config: perCall(25), history: days[i]!.before }),
    second: (i) => ({ candidates: days[i]!.candidates, config: perCall(25), history: days[i]!.after }),
  },
  {
    name: "feedback, liked titles in the prompt",
    first: (i) => ({ candidates: days[i]!.candidates, config: perCall(25), history: days[i]!.before }),
    second: (i) => ({
      candidates: days[i]!.candidates,
      config: perCall(25),
      history: days[i]!.after,
      taste: { liked: days[i]!.likedTitles, disliked: [] },
    }),
  },
  {
    name: "a tenth more papers",
    first: (i) => ({
      candidates: days[i]!.candidates.filter((_, k) => k % 10 !== 0),
      config: perCall(25),
      history: days[i]!.before,
    }),
    second: (i) => ({ candidates: days[i]!.candidates, config: perCall(25), history: days[i]!.before }),
  },
  {
    name: "keepShare 0.7 → 0.8",
    first: (i) => ({ candidates: days[i]!.candidates, config: keeping(0.7), history: days[i]!.before }),
    second: (i) => ({ candidates: days[i]!.candidates, config: keeping(0.8), history: days[i]!.before }),
  },
];

console.log(
  `Prompt tokens (o200k) of a re-run, summed over ${DAYS} labelled days (${days[0]!.day.date} … ${days.at(-1)!.day.date}), default config;\nin parentheses the title triage's share (with reuse, titles an earlier answer judged are not sent again)\n`,
);
const header = ["scenario", "first run", "re-run without reuse", "re-run with reuse", "saved"];
const rows: string[][] = [];
for (const s of scenarios) {
  const totals = { first: 0, without: 0, with: 0 };
  const triage = { first: 0, without: 0, with: 0 };
  for (const reuse of [false, true]) {
    for (let i = 0; i < days.length; i += 1) {
      const cacheDir = scratchDir("answer-reuse-");
      currentDay = days[i]!.day;
      const first = await judge(s.first(i), cacheDir, reuse);
      const second = await judge(s.second(i), cacheDir, reuse);
      if (!reuse) {
        totals.first += first.all;
        triage.first += first.triage;
      }
      totals[reuse ? "with" : "without"] += second.all;
      triage[reuse ? "with" : "without"] += second.triage;
      removeScratch(cacheDir);
    }
  }
  const saved = totals.without > 0 ? `${Math.round((100 * (totals.without - totals.with)) / totals.without)}%` : "–";
  const cell = (k: keyof typeof totals) => `${totals[k]} (${triage[k]})`;
  rows.push([s.name, cell("first"), cell("without"), cell("with"), saved]);
}
const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
const line = (cells: string[]) =>
  cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  ");
console.log(line(header));
for (const r of rows) console.log(line(r));
await server.close();
