import { describe, expect, it } from "vitest";
import type { Candidate } from "../../src/model/candidate.js";
import {
  messagesFor,
  PAPERS_PLACEHOLDER,
  paperBlocks,
  recordedPrompt,
  renderPaper,
  renderTitle,
  scoringPrefix,
  triagePrefix,
} from "../../src/selection/prompt.js";
import { defaultPrompts, testConfig } from "../helpers/config.js";
import { dayCandidates } from "../helpers/reference.js";

const topics = testConfig().topics;
const paper = dayCandidates("2026-02-05")[1]!;

describe("prompt builder", () => {
  it("puts role, criteria and topics first and the papers last", () => {
    const prefix = scoringPrefix(defaultPrompts(), topics);
    const [system, user] = messagesFor(prefix, [renderPaper(paper)]);
    expect(system).toEqual({ role: "system", content: defaultPrompts().system.trim() });
    const text = user!.content;
    const order = [
      "## How to judge a paper",
      "## Answer format",
      "## The reader's topics",
      "### architecture: Model architecture",
      "Signals: mixture of experts; attention; transformer",
      "Not wanted: medical imaging",
      "### efficiency:",
      "## Papers",
      `ID: ${paper.id}`,
    ];
    const positions = order.map((s) => text.indexOf(s));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(text.endsWith(`Abstract: ${paper.abstract.replace(/\s+/g, " ").trim()}`)).toBe(true);
  });

  it("keeps the prefix byte-identical whatever the papers", () => {
    const prefix = scoringPrefix(defaultPrompts(), topics);
    const other = dayCandidates("2026-02-13").slice(0, 3).map(renderPaper);
    const a = messagesFor(prefix, [renderPaper(paper)]);
    const b = messagesFor(prefix, other);
    expect(a[0]).toEqual(b[0]);
    expect(a[1]!.content.startsWith(prefix.userPrefix)).toBe(true);
    expect(b[1]!.content.startsWith(prefix.userPrefix)).toBe(true);
    expect(scoringPrefix(defaultPrompts(), topics)).toEqual(prefix);
  });

  it("renders a paper on four lines and shortens very long author lists", () => {
    const many: Candidate = {
      ...paper,
      title: "A title\n  over two lines",
      authors: Array.from({ length: 30 }, (_, i) => ({ name: `Author ${i + 1}`, affiliations: [] })),
    };
    const lines = renderPaper(many).split("\n");
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe(`ID: ${paper.id}`);
    expect(lines[1]).toBe("Title: A title over two lines");
    expect(lines[2]).toMatch(/^Authors: Author 1, .*Author 12, et al\.$/);
    expect(renderTitle(many)).toBe(`ID: ${paper.id}\nTitle: A title over two lines`);
    const huge = renderPaper({ ...paper, abstract: "word ".repeat(5000) });
    expect(huge.split("\n")[3]!.length).toBe("Abstract: ".length + 3000);
    expect(huge.endsWith("…")).toBe(true);
  });

  it("records the prompt with a placeholder where the papers go", () => {
    const prefix = triagePrefix(defaultPrompts(), topics);
    expect(prefix.userPrefix).toContain("## Title screening");
    expect(prefix.userPrefix.endsWith("## Titles\n\n")).toBe(true);
    expect(recordedPrompt(prefix)).toEqual({
      system: prefix.system,
      user: `${prefix.userPrefix}${PAPERS_PLACEHOLDER}`,
    });
  });

  it("batches by a token budget, so batch size does not grow with the day's volume", () => {
    const prefix = scoringPrefix(defaultPrompts(), topics);
    const small = dayCandidates("2026-02-16");
    const large = [...small, ...dayCandidates("2026-02-05"), ...dayCandidates("2026-02-13")];
    const sizes = (cs: Candidate[]) =>
      paperBlocks(cs, prefix, renderPaper)
        .batches(2000)
        .map((b) => b.length);
    const largest = (cs: Candidate[]) => Math.max(...sizes(cs));
    expect(large.length).toBeGreaterThan(3 * small.length);
    expect(largest(large)).toBeLessThanOrEqual(largest(small) + 2);
    const blocks = paperBlocks(large, prefix, renderPaper);
    for (const batch of blocks.batches(2000)) {
      const ids = batch.map((c) => c.id);
      const prefixOnly = blocks.estimateTokens([], 0);
      expect(blocks.estimateTokens(ids, 0) - prefixOnly).toBeLessThanOrEqual(2000);
    }
  });
});
