/** A small config with test-friendly LLM settings and the default prompts, for the LLM and selection tests and the benches. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type Config, type ConfigInput, ConfigSchema } from "../../src/config/schema.js";
import type { PromptTexts } from "../../src/selection/prompt.js";

export const TOPICS: ConfigInput["topics"] = [
  {
    id: "architecture",
    title: "Model architecture",
    description: "Mixture-of-experts, attention variants and other new network architectures.",
    include: ["mixture of experts", "attention", "transformer"],
    exclude: ["medical imaging"],
  },
  {
    id: "efficiency",
    title: "Compression and efficiency",
    description: "Quantization, pruning, sparsity and low-rank methods that make models cheaper.",
    include: ["quantization", "pruning", "low-rank"],
  },
];

/** A valid config with test-friendly LLM settings; `llm` and `selection` overrides merge in. */
export function testConfig(overrides: { llm?: ConfigInput["llm"]; selection?: ConfigInput["selection"] } = {}): Config {
  return ConfigSchema.parse({
    topics: TOPICS,
    // The title triage is off unless a test turns it on, as is the share prefilter below: most
    // tests follow every paper to the LLM's scoring.
    llm: {
      provider: "openai",
      model: "gpt-5",
      concurrency: 2,
      maxAttempts: 3,
      batchTokens: 2000,
      triage: { enabled: false },
      ...overrides.llm,
    },
    selection: { prefilter: { enabled: false }, ...overrides.selection },
  });
}

const PROMPTS_DIR = join(import.meta.dirname, "..", "..", "defaults", "prompts");

export function defaultPrompts(): PromptTexts {
  const read = (name: string) => readFileSync(join(PROMPTS_DIR, `${name}.md`), "utf8");
  return { system: read("system"), criteria: read("criteria"), triage: read("triage") };
}
