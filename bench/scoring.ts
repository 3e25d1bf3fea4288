/**
 * Scoring throughput and cost on a realistic day: 450 real arXiv abstracts from the reference
 * history, the default prompts and topics, against the local OpenAI-compatible server with 2 s
 * of latency per call. Prints prompt tokens per paper (o200k), the share of prompt tokens in the
 * cacheable prefix, calls made, wall time at concurrency 1 and at the default, and the cost.
 *
 *   npx tsx bench/scoring.ts
 */

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseConfig } from "../src/config/parse.js";
import { type Config, ConfigSchema } from "../src/config/schema.js";
import { systemClock } from "../src/io/clock.js";
import { tokensOf } from "../src/llm/batch.js";
import { costOf, priceFor } from "../src/llm/prices.js";
import type { Candidate } from "../src/model/candidate.js";
import { createJudge } from "../src/pipeline/judge.js";
import { scoringPrefix } from "../src/selection/prompt.js";
import { selectPapers } from "../src/selection/select.js";
import { defaultPrompts } from "../test/helpers/config.js";
import { type ChatBody, startOpenAiServer } from "../test/helpers/openai-server.js";
import { distinctCandidates, loadReferencePapers } from "../test/helpers/reference.js";

const PAPERS = 450;
const LATENCY_MS = 2000;
const MODELS = ["gpt-4.1-mini", "gpt-5-mini", "gpt-5"];
const root = join(import.meta.dirname, "..");

function defaultConfig(): Config {
  const file = join(root, "defaults", "arxiv-digest.yaml");
  if (existsSync(file)) return parseConfig(readFileSync(file, "utf8"), file);
  return ConfigSchema.parse({
    topics: [
      {
        id: "architecture",
        title: "Model architecture",
        description: "Mixture-of-experts, attention variants and new network architectures.",
        include: ["mixture of experts", "attention", "state space model"],
      },
      {
        id: "efficiency",
        title: "Compression and efficiency",
        description: "Quantization, pruning, sparsity and low-rank methods that make models cheaper.",
        include: ["quantization", "pruning", "low-rank"],
      },
    ],
  });
}

const promptTokens = (body: ChatBody) => body.messages.reduce((sum, m) => sum + tokensOf(m.content), 0);

async function run(papers: Candidate[], config: Config, concurrency: number) {
  const prefix = scoringPrefix(defaultPrompts(), config.topics);
  const prefixTokens = tokensOf(prefix.system) + tokensOf(prefix.userPrefix);
  const server = await startOpenAiServer({
    latencyMs: LATENCY_MS,
    // Usage counted with o200k as OpenAI bills it; the prompt-caching discount is applied below, per model.
    usage: (body, reply) => ({
      prompt: promptTokens(body),
      completion: tokensOf(reply),
      cached: 0,
    }),
  });
  const started = performance.now();
  const llm = { ...config.llm, provider: "openai" as const, baseUrl: `${server.url}/v1`, concurrency };
  const result = await selectPapers(papers, {
    config: { ...config, llm },
    prompts: defaultPrompts(),
    matchAuthor: () => null,
    judge: createJudge({ llm, env: { [llm.apiKeyEnv]: "sk-bench" }, cacheDir: null, clock: systemClock }),
  });
  const seconds = (performance.now() - started) / 1000;
  const chats = server.chats();
  await server.close();
  const prompt = chats.reduce((sum, body) => sum + promptTokens(body), 0);
  return {
    result,
    seconds,
    calls: chats.length,
    prompt,
    prefixTokens,
    completion: result.usage.total.completionTokens,
  };
}

async function main(): Promise<void> {
  const papers = distinctCandidates(loadReferencePapers()).slice(0, PAPERS);
  const config = defaultConfig();
  console.log(
    `scoring bench: ${papers.length} real papers, ${config.topics.length} topics, batchTokens ${config.llm.batchTokens}, ${LATENCY_MS} ms per call`,
  );
  const serial = await run(papers, config, 1);
  const parallel = await run(papers, config, config.llm.concurrency);
  const { calls, prompt, prefixTokens, completion } = parallel;
  const cacheable = prefixTokens * calls;
  const complete = parallel.result.papers.every((p) => p.outcome !== "unscored");
  console.log(`complete: ${complete}; papers with an outcome: ${parallel.result.papers.length}`);
  console.log(`calls: ${calls} (${(papers.length / calls).toFixed(1)} papers per call)`);
  console.log(`prompt tokens per scanned paper (o200k): ${(prompt / papers.length).toFixed(0)}`);
  console.log(
    `stable prefix: ${prefixTokens} tokens per call = ${((100 * cacheable) / prompt).toFixed(1)}% of prompt tokens`,
  );
  console.log(`completion tokens (test server's answers): ${completion}`);
  console.log(`wall time, concurrency 1: ${serial.seconds.toFixed(1)} s`);
  console.log(`wall time, concurrency ${config.llm.concurrency}: ${parallel.seconds.toFixed(1)} s`);
  for (const model of MODELS) {
    const price = priceFor(model)!;
    const cold = costOf({ promptTokens: prompt, cachedPromptTokens: 0, completionTokens: completion }, price);
    // Providers cache a prefix of at least 1024 tokens; every call after the first can hit it.
    const cached = prefixTokens >= 1024 ? prefixTokens * (calls - 1) : 0;
    const warm = costOf({ promptTokens: prompt, cachedPromptTokens: cached, completionTokens: completion }, price);
    console.log(
      `cost at ${model} ($${price.input}/$${price.cachedInput}/$${price.output} per M): $${cold.total.toFixed(4)} without prompt caching, $${warm.total.toFixed(4)} with the prefix cached`,
    );
  }
}

await main();
