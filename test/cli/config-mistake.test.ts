/** A config mistake stops a command with exit 2 and a message that names the key, its line and the fix. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

const minimal = `
topics:
  - id: architecture
    title: Model architecture
    description: Mixture-of-experts and other conditional computation.
    include: [mixture of experts, MoE]
`;

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "ad-config-cli-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe("a config mistake on the command line", () => {
  it("stops `run` with exit 2 and names the key, its line and the fix", async () => {
    const dir = workspace({ "arxiv-digest.yaml": `${minimal}budgetUSD: 2\narxiv:\n  categories: [cs.lg]\n` });
    const r = await runCli(["run", "--workspace", dir]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain("budgetUSD (line 7): unknown key; did you mean llm.budgetUsd?");
    expect(r.stderr).toContain('arxiv.categories.0 (line 9): "cs.lg" is not an arXiv category; did you mean cs.LG?');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
