/**
 * A daily run bound only by the LLM: `runDay` on a real-size day (the 2026-02-05 fixture, 365
 * entries, 247 to scan) against a local feed and a local OpenAI-compatible server that takes 2 s
 * to answer each call, as a hosted model does for a batch of ~25 papers. Prints the wall time and
 * the calls of each setting side by side:
 *
 * - concurrency 1: every call after the other;
 * - the client now: a free `GET /models` key check, then the default llm.concurrency (8) at once;
 * - the same against an endpoint without a model list (404): the calls no longer wait for a first
 *   paid one to prove the key (the client before this bench's last change took one more round);
 * - the same with an ample llm.budgetUsd, which reserves each call's worst case before sending it
 *   and must not slow the run down;
 *
 * each with the default funnel (the top 70% of the day by the free rank has the opening of its
 * abstract scored, 50 papers to a call: one round of calls), with the title triage on (the titles
 * of the top 70% triaged first, then the abstracts of at most 27% scored: two rounds) and with the
 * prefilter and the triage off (every paper).
 * The reference tool's own run of this day against the same 2 s mock took 17.3 s (8 calls, one
 * after the other), measured once by the issue that asked for this bench.
 *
 * Run: npx tsx bench/daily-run.ts [latency-ms]
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { systemClock } from "../src/io/clock.js";
import { silentLogger } from "../src/pipeline/context.js";
import { runDay } from "../src/pipeline/run.js";
import { loadWorkspace } from "../src/workspace/load.js";
import { startFeedDayServer } from "../test/helpers/feed-day.js";
import { type OpenAiServerOptions, startOpenAiServer } from "../test/helpers/openai-server.js";
import { removeScratch, scratchDir } from "./scratch.js";

const LATENCY_MS = Number(process.argv[2] ?? 2000);
const feed = await startFeedDayServer();

interface Setting {
  label: string;
  concurrency: number;
  /** What the endpoint's model list does ("missing": 404). */
  models?: OpenAiServerOptions["models"];
  budgetUsd?: number;
}

const settings: Setting[] = [
  { label: "concurrency 1", concurrency: 1, models: "missing" },
  { label: "now: key check, concurrency 8 (default)", concurrency: 8 },
  { label: "now, endpoint without a model list", concurrency: 8, models: "missing" },
  { label: "now, with an ample llm.budgetUsd ($0.50)", concurrency: 8, budgetUsd: 0.5 },
];

type Funnel = "default" | "triage" | "off";

async function runOnce(setting: Setting, funnel: Funnel) {
  const llm = await startOpenAiServer({
    latencyMs: LATENCY_MS,
    ...(setting.models ? { models: setting.models } : {}),
  });
  const dir = scratchDir("arxiv-digest-daily-bench-");
  writeFileSync(
    join(dir, "arxiv-digest.yaml"),
    `arxiv:
  categories: [cs.LG, cs.AI, cs.CL]
  minIntervalSeconds: 0
  contact: bench@example.org
llm:
  provider: openai
  concurrency: ${setting.concurrency}
${setting.budgetUsd === undefined ? "" : `  budgetUsd: ${setting.budgetUsd}\n`}  triage:
    enabled: ${funnel === "triage"}
selection:
  prefilter:
    enabled: ${funnel !== "off"}
topics:
  - id: architecture
    title: Model architecture
    description: Mixture-of-experts, transformers and conditional computation.
    include: [mixture of experts, transformer]
  - id: efficiency
    title: Efficient inference
    description: Quantization, pruning, sparsity and low-rank methods that make models cheaper.
    include: [quantization, pruning, sparsity]
`,
  );
  try {
    const workspace = loadWorkspace(dir, {
      ARXIV_RSS_URL: `${feed.url}/rss`,
      OPENAI_API_KEY: "sk-bench",
      OPENAI_BASE_URL: `${llm.url}/v1`,
    });
    const started = performance.now();
    const result = await runDay(
      { workspace, clock: systemClock, log: silentLogger },
      { date: "2026-02-05", deliver: false },
    );
    const ms = performance.now() - started;
    if (result.outcome !== "complete") throw new Error(`${setting.label}: ${result.summary}`);
    return {
      ms,
      calls: llm.chats().length,
      sent: result.record.counts.sentToLlm ?? null,
      scanned: result.record.counts.scanned,
      peak: llm.peakConcurrency(),
    };
  } finally {
    await llm.close();
    removeScratch(dir);
  }
}

console.log(`Daily run of 2026-02-05 against a mock LLM answering in ${LATENCY_MS} ms per call:`);
const FUNNELS: Record<Funnel, string> = {
  default: "default funnel (the abstracts' openings of the top 70% scored: one round)",
  triage: "with the title triage (titles of the top 70% triaged, then at most 27% of abstracts scored: two rounds)",
  off: "prefilter and triage off (every paper scored)",
};
/** The reference tool's run of this day against the same mock, as the issue measured it. */
const REFERENCE_S = 17.3;
console.log(`  reference tool, same day and mock: ${REFERENCE_S} s (8 calls, one after the other)`);
console.log(
  `  a round of calls costs at least ${(LATENCY_MS / 1000).toFixed(1)} s: one round is the floor by default, two with the triage`,
);
for (const funnel of Object.keys(FUNNELS) as Funnel[]) {
  console.log(`\n  ${FUNNELS[funnel]}:`);
  const width = Math.max(...settings.map((s) => s.label.length));
  for (const setting of settings) {
    const r = await runOnce(setting, funnel);
    const sent = r.sent === null ? "" : `, ${r.sent} of ${r.scanned} papers sent`;
    console.log(
      `    ${setting.label.padEnd(width)}  ${(r.ms / 1000).toFixed(1).padStart(5)} s  ` +
        `${(REFERENCE_S / (r.ms / 1000)).toFixed(1).padStart(4)}× faster than the reference   ` +
        `${r.calls} calls, ${r.peak} at once${sent}`,
    );
  }
}
await feed.close();
