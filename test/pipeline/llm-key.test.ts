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
  modelCheck,
  UnlistedModelError,
  unlistedModel,
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
  const local = "  provider: openai\n  model: gpt5-mini\n  baseUrl: http://127.0.0.1:1/v1/\n";
  const openai = "  provider: openai\n  model: gpt5-mini\n";
  const list = (ids: string[], complete = true) => ({ ids, complete });
  const listed = list(["gpt-5", "gpt-5-mini", "gpt-4o"]);

  it("is one sentence naming the setting and the nearest listed models; it stops only on OpenAI's or DeepSeek's own list", () => {
    expect(unlistedModel(workspace(openai, {}), listed)).toEqual({
      sentence:
        "https://api.openai.com/v1 does not list gpt5-mini (llm.model); set llm.model to one it lists (did you mean gpt-5-mini?).",
      stops: true,
    });
    expect(
      unlistedModel(workspace(openai, { ARXIV_DIGEST_MODEL: "gpt5-mini" }), listed, "nothing was kept")?.sentence,
    ).toBe(
      "https://api.openai.com/v1 does not list gpt5-mini (ARXIV_DIGEST_MODEL); set ARXIV_DIGEST_MODEL to one it lists (did you mean gpt-5-mini?); nothing was kept.",
    );
    expect(
      unlistedModel(
        workspace("  model: deepseek-chatt\n  baseUrl: https://api.deepseek.com/v1\n", {}),
        list(["deepseek-chat"]),
      )?.stops,
    ).toBe(true);
    expect(unlistedModel(workspace(local, {}), listed, "nothing was kept")).toEqual({
      sentence:
        "http://127.0.0.1:1/v1 does not list gpt5-mini (llm.model); set llm.model to one it lists (did you mean gpt-5-mini?), unless this endpoint takes names its list leaves out (its list is not the set of names its chat accepts, so the command goes on).",
      stops: false,
    });
    // Listed (as Ollama lists it), only a page of a longer list, or no list at all: nothing to say.
    expect(unlistedModel(workspace(openai, {}), list([...listed.ids, "gpt5-mini:latest"]))).toBeNull();
    expect(unlistedModel(workspace(openai, {}), list(["gpt-4o"], false))).toBeNull();
    expect(unlistedModel(workspace(openai, {}), list([]))).toBeNull();
    expect(unlistedModel(workspace(openai, {}), null)).toBeNull();
  });

  it("reads a list the way the endpoints that write it mean it", () => {
    const on = (model: string, baseUrl: string, ids: string[]) =>
      unlistedModel(workspace(`  model: ${model}\n  baseUrl: ${baseUrl}\n`, {}), list(ids));
    // OpenRouter's routing suffixes, Gemini's models/ prefix, LiteLLM's wildcard routes.
    expect(on("openai/gpt-4o:nitro", "https://openrouter.ai/api/v1", ["openai/gpt-4o"])).toBeNull();
    expect(on("openai/gpt-4o:floor", "https://openrouter.ai/api/v1", ["openai/gpt-4o"])).toBeNull();
    expect(
      on("gemini-2.5-flash", "https://generativelanguage.googleapis.com/v1beta/openai", ["models/gemini-2.5-flash"]),
    ).toBeNull();
    expect(on("anthropic/claude-sonnet-4", "http://localhost:4000/v1", ["anthropic/*", "openai/gpt-4o"])).toBeNull();
    expect(on("anything", "http://localhost:4000/v1", ["*"])).toBeNull();
    // A Gemini name suggested as chat takes it.
    expect(
      on("gemini-2.5-flsh", "https://generativelanguage.googleapis.com/v1beta/openai", ["models/gemini-2.5-flash"])
        ?.sentence,
    ).toContain("(did you mean gemini-2.5-flash?)");
  });

  it("stops (exit 2) where the list is authoritative, and warns once per command elsewhere", () => {
    const command = {};
    const warnings: string[] = [];
    const opts = {
      warn: (m: string) => warnings.push(m),
      stopped: "2026-11-18 was neither archived nor delivered",
      redact: (t: string) => t,
    };
    const stop = modelCheck(command, workspace(openai, {}), opts).check(listed);
    expect(stop).toBeInstanceOf(UnlistedModelError);
    expect(stop?.message).toBe(
      "https://api.openai.com/v1 does not list gpt5-mini (llm.model); set llm.model to one it lists (did you mean gpt-5-mini?); 2026-11-18 was neither archived nor delivered.",
    );
    expect(warnings).toEqual([]);
    const elsewhere = {};
    // A backfill builds a check a day: they share the command's memo and its one warning.
    const first = modelCheck(elsewhere, workspace(local, {}), opts);
    const second = modelCheck(elsewhere, workspace(local, {}), opts);
    expect(second.memo).toBe(first.memo);
    expect(first.check(listed)).toBeNull();
    expect(second.check(listed)).toBeNull();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^http:\/\/127\.0\.0\.1:1\/v1 does not list gpt5-mini \(llm\.model\)/);
    expect(modelCheck({}, workspace(local, {}), opts).memo).not.toBe(first.memo);
  });

  it("checks llm.triage.model too, when the triage has its own, naming that key; each warned once", () => {
    const triage = (base: string, model: string, enabled = true) =>
      `${base.replace("model: gpt5-mini", "model: gpt-5-mini")}  triage:\n    enabled: ${enabled}\n    model: ${model}\n`;
    const withNano = list([...listed.ids, "gpt-5-nano"]);
    const stop = unlistedModel(workspace(triage(openai, "gpt5-nano"), {}), withNano, "nothing was kept", "triage");
    expect(stop).toEqual({
      sentence:
        "https://api.openai.com/v1 does not list gpt5-nano (llm.triage.model); set llm.triage.model to one it lists (did you mean gpt-5-nano?); nothing was kept.",
      stops: true,
    });
    // The same model as llm.model, or a triage turned off, asks nothing of its own.
    expect(unlistedModel(workspace(triage(openai, "gpt-5-mini"), {}), listed, undefined, "triage")).toBeNull();
    expect(unlistedModel(workspace(triage(openai, "gpt5-nano", false), {}), listed, undefined, "triage")).toBeNull();
    const opts = { warn: (m: string) => warnings.push(m), stopped: "kept nothing", redact: (t: string) => t };
    const warnings: string[] = [];
    expect(modelCheck({}, workspace(triage(openai, "gpt5-nano"), {}), opts).check(listed)?.message).toContain(
      "(llm.triage.model)",
    );
    // Elsewhere both are warned of, each once for the command.
    const command = {};
    const both = workspace(`${local}  triage:\n    enabled: true\n    model: gpt5-nano\n`, {});
    expect(modelCheck(command, both, opts).check(listed)).toBeNull();
    expect(modelCheck(command, both, opts).check(listed)).toBeNull();
    expect(warnings.map((w) => w.match(/\((llm\.[a-z.]+)\)/)?.[1])).toEqual(["llm.model", "llm.triage.model"]);
  });
});
