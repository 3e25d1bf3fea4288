import { describe, expect, it } from "vitest";
import { modelIsListed } from "../../src/llm/models.js";

describe("modelIsListed", () => {
  it("takes a wildcard route's model: a prefix, a suffix, stars between, or any", () => {
    expect(modelIsListed("anthropic/claude-sonnet-4", ["anthropic/*"])).toBe(true);
    expect(modelIsListed("openai/gpt-4o", ["anthropic/*"])).toBe(false);
    expect(modelIsListed("anything", ["*"])).toBe(true);
    expect(modelIsListed("gpt-4o-mini", ["*-mini"])).toBe(true);
    expect(modelIsListed("gpt-4o-mini", ["gpt-*-*i"])).toBe(true);
    expect(modelIsListed("gpt-4o", ["gpt-*-*i"])).toBe(false);
    // Stars that must share no character: "ab" is not "a*b*b".
    expect(modelIsListed("ab", ["a*b*b"])).toBe(false);
    expect(modelIsListed("abb", ["a*b*b"])).toBe(true);
    // Text that means something to a regular expression is plain text in a route.
    expect(modelIsListed("gpt-4.1", ["gpt-4?1*"])).toBe(false);
    expect(modelIsListed("gpt-4.1-mini", ["GPT-4.1*"])).toBe(true);
    // Against the name without its tag as well (Ollama's `:latest`).
    expect(modelIsListed("llama3:latest", ["llama*3"])).toBe(true);
  });

  it("answers at once for a route of many stars that never matches, and ignores an id no model has", () => {
    // As regular expressions (`.*a.*a…!`, `.*.*…#`) these backtracked for minutes.
    expect(modelIsListed(`gpt-4.1-mini-${"a".repeat(40)}`, [`${"*a".repeat(80)}!`])).toBe(false);
    expect(modelIsListed(`gpt-4.1-mini-${"a".repeat(15)}`, [`${"*".repeat(24)}#`])).toBe(false);
    expect(modelIsListed("gpt-4.1-mini", [`${"*".repeat(300)}`])).toBe(false);
    expect(modelIsListed("gpt-4.1-mini", ["x".repeat(500), "gpt-4.1-mini"])).toBe(true);
  });
});
