import { describe, expect, it } from "vitest";
import { annotation, escapeCommandData, escapeCommandProperty, onGitHubActions } from "../../src/io/actions.js";

describe("workflow commands", () => {
  it("escapes a message as GitHub reads it back", () => {
    expect(escapeCommandData("50% done\r\nnext: a, b")).toBe("50%25 done%0D%0Anext: a, b");
    // A `%` first, so the escapes it writes are not escaped again.
    expect(escapeCommandData("%0A")).toBe("%250A");
  });

  it("escapes a property's colon and comma too", () => {
    expect(escapeCommandProperty("a:b,c%\n")).toBe("a%3Ab%2Cc%25%0A");
  });

  it("writes one line per annotation", () => {
    expect(annotation("warning", "line one\nline two")).toBe("::warning title=arxiv-digest::line one%0Aline two");
    expect(annotation("error", "x", "a:b")).toBe("::error title=a%3Ab::x");
  });

  it("reads GITHUB_ACTIONS as GitHub sets it", () => {
    expect(onGitHubActions({ GITHUB_ACTIONS: "true" })).toBe(true);
    expect(onGitHubActions({ GITHUB_ACTIONS: "false" })).toBe(false);
    expect(onGitHubActions({})).toBe(false);
  });
});
