import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ConfigSchema } from "../../src/config/schema.js";

const path = join(import.meta.dirname, "..", "..", "defaults", "arxiv-digest.yaml");

describe("defaults/arxiv-digest.yaml", () => {
  const config = ConfigSchema.parse(parse(readFileSync(path, "utf8")));

  it("validates against ConfigSchema with the documented categories", () => {
    expect(config.arxiv.categories).toEqual(["cs.LG", "cs.AI", "cs.CL"]);
    expect(config.llm.provider).toBe("auto");
  });

  it("defines the four reader topics, each with a description, include and exclude terms", () => {
    expect(config.topics.map((t) => t.id)).toEqual(["architecture", "efficiency", "systems", "representation"]);
    for (const topic of config.topics) {
      expect(topic.description.length).toBeGreaterThan(100);
      expect(topic.include.length).toBeGreaterThanOrEqual(10);
      expect(topic.exclude.length).toBeGreaterThanOrEqual(3);
    }
    expect(config.topics[0]?.include).toEqual(expect.arrayContaining(["mixture of experts", "MoE", "transformer"]));
  });

  it("comments every top-level section for a new user", () => {
    const lines = readFileSync(path, "utf8").split("\n");
    const sections = lines.flatMap((line, i) => (/^[a-z]+:/.test(line) ? [i] : []));
    expect(sections).toHaveLength(6);
    for (const index of sections) expect(lines[index - 1]).toMatch(/^#/);
  });
});
