/**
 * The one rule for a key set under another variable's name (pipeline/llm-key.ts): which variables
 * count, that only names are said, and what `run` and `backfill` do with it (warn with provider
 * "auto", stop with "openai").
 */
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/parse.js";
import {
  checkLlmKey,
  keyLookAlike,
  MissingKeyError,
  refuseUnlistedModel,
  UnlistedModelError,
  unlistedModelSentence,
} from "../../src/pipeline/llm-key.js";
import type { Workspace } from "../../src/workspace/load.js";

const KEY = "sk-proj-abcdefghijklmnopqrstuvwx0123";

function workspace(llm: string, env: Record<string, string>, dotenv: string[] = []): Workspace {
  const config = parseConfig(`topics:\n  - id: a\n    title: A\n    description: A.\nllm:\n${llm}`, "c.yaml");
  return { config, env, dir: "/ws", dotenvNames: new Set(dotenv) } as unknown as Workspace;
}

describe("a key under another variable's name", () => {
  it("counts a name with KEY or TOKEN and OPENAI or LLM; API alone, or a value like an OpenAI key, only in .env", () => {
    const auto = "  provider: auto\n";
    expect(keyLookAlike(workspace(auto, { OPENAI_KEY: "x" }))).toBe(
      "OPENAI_KEY (set in the environment) looks like an LLM key",
    );
    expect(keyLookAlike(workspace(auto, { LLM_TOKEN: "x" }, ["LLM_TOKEN"]))).toBe(
      "LLM_TOKEN (set in /ws/.env) looks like an LLM key",
    );
    expect(keyLookAlike(workspace(auto, { KEY_FOR_GPT: KEY }, ["KEY_FOR_GPT"]))).toBe(
      "KEY_FOR_GPT (set in /ws/.env) looks like an LLM key",
    );
    // A shell's variables belong to many tools: another provider's key, shaped `sk-…` too, is not ours.
    expect(keyLookAlike(workspace(auto, { KEY_FOR_GPT: KEY, ANTHROPIC_API_KEY: `sk-ant-api03-${KEY}` }))).toBeNull();
    expect(keyLookAlike(workspace(auto, { API_KEY: "x" }, ["API_KEY"]))).toBe(
      "API_KEY (set in /ws/.env) looks like an LLM key",
    );
    expect(keyLookAlike(workspace(auto, { HOMEBREW_GITHUB_API_TOKEN: "x" }))).toBeNull();
    // The config's own secrets, blank values, a key that is set, and provider "offline": nothing to say.
    expect(keyLookAlike(workspace(auto, { S2_API_KEY: "x", SLACK_BOT_TOKEN: "x" }, ["S2_API_KEY"]))).toBeNull();
    expect(keyLookAlike(workspace(auto, { OPENAI_KEY: "  " }))).toBeNull();
    expect(keyLookAlike(workspace(auto, { OPENAI_KEY: "x", OPENAI_API_KEY: "k" }))).toBeNull();
    expect(keyLookAlike(workspace("  provider: offline\n", { OPENAI_KEY: "x" }))).toBeNull();
    // Several: .env first, then by name.
    expect(keyLookAlike(workspace(auto, { OPENAI_TOKEN: "x", LLM_KEY: "y" }, ["OPENAI_TOKEN"]))).toBe(
      "OPENAI_TOKEN (set in /ws/.env) and LLM_KEY (set in the environment) look like an LLM key",
    );
  });

  it("is a warning with provider auto and a stop naming it with provider openai; never the value", () => {
    const warnings: string[] = [];
    checkLlmKey(workspace("  provider: auto\n  apiKeyEnv: DEEPSEEK_API_KEY\n", { OPENAI_API_KEY: KEY }), (m) =>
      warnings.push(m),
    );
    expect(warnings).toEqual([
      "DEEPSEEK_API_KEY (llm.apiKeyEnv) is not set, so papers are scored by the offline lexical scorer, but OPENAI_API_KEY (set in the environment) looks like an LLM key; rename it to DEEPSEEK_API_KEY, or set llm.apiKeyEnv to its name.",
    ]);
    const stop = () => checkLlmKey(workspace("  provider: openai\n", { OPENAI_KEY: KEY }), (m) => warnings.push(m));
    expect(stop).toThrow(MissingKeyError);
    expect(stop).toThrow(
      /while OPENAI_KEY \(set in the environment\) looks like an LLM key; rename it to OPENAI_API_KEY/,
    );
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(warnings)).not.toContain("abcdefghij");
  });
});

describe("a model the endpoint does not list", () => {
  const openai = "  provider: openai\n  model: gpt5-mini\n  baseUrl: http://127.0.0.1:1/v1/\n";
  const listed = ["gpt-5", "gpt-5-mini", "gpt-4o"];

  it("is one sentence, doctor's and run's, naming the setting and the nearest listed models", () => {
    expect(unlistedModelSentence(workspace(openai, {}), listed)).toBe(
      "http://127.0.0.1:1/v1 does not list gpt5-mini (llm.model); did you mean gpt-5-mini? Set llm.model to a model the endpoint lists.",
    );
    expect(
      unlistedModelSentence(workspace(openai, { ARXIV_DIGEST_MODEL: "gpt5-mini" }), listed, "nothing was kept"),
    ).toBe(
      "http://127.0.0.1:1/v1 does not list gpt5-mini (ARXIV_DIGEST_MODEL), so nothing was kept; did you mean gpt-5-mini? Set ARXIV_DIGEST_MODEL to a model the endpoint lists.",
    );
    // Listed, listed as Ollama lists it, or no list at all: nothing to say.
    expect(unlistedModelSentence(workspace(openai, {}), [...listed, "gpt5-mini:latest"])).toBeNull();
    expect(unlistedModelSentence(workspace(openai, {}), [])).toBeNull();
    expect(unlistedModelSentence(workspace(openai, {}), null)).toBeNull();
  });

  it("stops run (exit 2) only when the list answered and lacks it", async () => {
    const ws = workspace(openai, {});
    const stop = refuseUnlistedModel(
      ws,
      { listedModels: async () => listed },
      "2026-11-18 was neither archived nor delivered",
    );
    await expect(stop).rejects.toBeInstanceOf(UnlistedModelError);
    await expect(stop).rejects.toThrow(
      /gpt5-mini \(llm\.model\), so 2026-11-18 was neither archived nor delivered; did you mean/,
    );
    await expect(refuseUnlistedModel(ws, { listedModels: async () => null }, "x")).resolves.toBeUndefined();
    await expect(refuseUnlistedModel(ws, {}, "x")).resolves.toBeUndefined();
  });
});
