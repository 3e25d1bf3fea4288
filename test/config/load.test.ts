import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { ConfigError, loadWorkspace, parseConfig } from "../../src/config/load.js";
import { tempWorkspace } from "../helpers/workspace.js";

const minimal = `
topics:
  - id: architecture
    title: Model architecture
    description: Mixture-of-experts and other conditional computation.
    include: [mixture of experts, MoE]
`;

/** A workspace removed when the test finishes. */
function workspace(yaml: string | null, files: Record<string, string> = {}): string {
  const ws = tempWorkspace(yaml, files);
  onTestFinished(ws.cleanup);
  return ws.dir;
}

describe("parseConfig", () => {
  it("fills every default from a minimal file", () => {
    const c = parseConfig(minimal, "arxiv-digest.yaml");
    expect(c.arxiv.categories).toEqual(["cs.LG", "cs.AI", "cs.CL"]);
    expect(c.arxiv.announceTypes).toEqual(["new", "cross"]);
    expect(c.arxiv.minIntervalSeconds).toBe(3);
    expect(c.llm.provider).toBe("auto");
    expect(c.selection.weights).toEqual({ relevance: 1, novelty: 1 });
    expect(c.topics[0]!.exclude).toEqual([]);
    expect(c.deliver.webhooks).toEqual([]);
  });

  it("names the key and the line of a wrong value", () => {
    const text = `${minimal}arxiv:\n  categories: [cs.LG, "not a category!"]\n  minIntervalSeconds: -1\n`;
    let err: unknown;
    try {
      parseConfig(text, "ws/arxiv-digest.yaml");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as Error).message;
    expect(msg).toContain("ws/arxiv-digest.yaml");
    expect(msg).toMatch(/arxiv\.categories\.1 \(line 8\)/);
    expect(msg).toMatch(/arxiv\.minIntervalSeconds \(line 9\)/);
    expect(msg).toContain("docs/config.md");
  });

  it("points at the line of broken YAML", () => {
    expect(() => parseConfig("topics:\n  - id: a\n   title: [unclosed\n", "c.yaml")).toThrow(
      /c\.yaml:\d+:\d+: the YAML does not parse/,
    );
  });

  it("reports a missing required section", () => {
    expect(() => parseConfig("arxiv:\n  categories: [cs.LG]\n", "c.yaml")).toThrow(/topics/);
  });
});

describe("loadWorkspace", () => {
  it("reads the workspace's own config, prompts and authors, and .env without overriding the environment", () => {
    const dir = workspace(minimal, {
      "prompts/system.md": "You help a researcher.",
      "authors.txt": "Yoshua Bengio\n",
      ".env": "OPENAI_API_KEY=from-dotenv\nARXIV_RSS_URL=http://127.0.0.1:9/rss\nOPENAI_BASE_URL=http://dotenv\n",
    });
    const ws = loadWorkspace(dir, { OPENAI_BASE_URL: "http://127.0.0.1:1/v1" });
    expect(ws.configPath).toBe(join(dir, "arxiv-digest.yaml"));
    expect(ws.prompts.system).toBe("You help a researcher.");
    expect(ws.promptPaths.system).toBe(join(dir, "prompts/system.md"));
    expect(ws.authorsText).toContain("Bengio");
    expect(ws.env.OPENAI_API_KEY).toBe("from-dotenv");
    expect(ws.config.arxiv.rssUrl).toBe("http://127.0.0.1:9/rss");
    expect(ws.config.llm.baseUrl).toBe("http://127.0.0.1:1/v1");
    expect(ws.archiveDir).toBe(join(dir, "archive"));
  });

  it("falls back to the bundled defaults in an empty folder", () => {
    const ws = loadWorkspace(workspace(null), {});
    expect(ws.configPath).toMatch(/defaults\/arxiv-digest\.yaml$/);
    expect(ws.config.topics.length).toBeGreaterThan(0);
    for (const text of Object.values(ws.prompts)) expect(text.length).toBeGreaterThan(20);
  });

  it("rejects an empty prompt file by name", () => {
    const dir = workspace(minimal, { "prompts/criteria.md": "  \n" });
    expect(() => loadWorkspace(dir, {})).toThrow(/criteria\.md is empty/);
  });
});
