/** A config mistake stops a command with exit 2 and a message that names the key, its line and the fix. */
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isolatedEnv, runCli } from "../helpers/cli.js";

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

  it("echoes a planted value as visible escapes, never as terminal control or bidi characters", async () => {
    // ESC ] 0 ; … BEL sets the window title, ESC [ 2 J clears the screen, U+202E reverses the text shown.
    const dir = workspace({
      "arxiv-digest.yaml": `${minimal}selection:\n  minRelevance: "\\e]0;pwned\\a\\u202E7\\e[2J"\narxiv:\n  holidays: ["\\e[2J2026-13-01\\u202E"]\n`,
    });
    for (const args of [
      ["run", "--no-deliver"],
      ["doctor", "--offline"],
    ]) {
      const r = await runCli([...args, "--workspace", dir]);
      expect(r.code, r.stdout + r.stderr).toBe(2);
      const text = r.stdout + r.stderr;
      expect(text).toContain(
        'selection.minRelevance (line 8): "\\u001b]0;pwned\\u0007\\u202e7\\u001b[2J" is not a number',
      );
      expect(text).toContain('arxiv.holidays.0 (line 10): "\\u001b[2J2026-13-01\\u202e" is not a calendar date');
      expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    }
  });

  it("stops `doctor` with exit 2 too, as every other command", async () => {
    const dir = workspace({ "arxiv-digest.yaml": `${minimal}budgetUSD: 2\n` });
    const r = await runCli(["doctor", "--offline", "--workspace", dir]);
    expect(r.code, r.stdout).toBe(2);
    expect(r.stdout).toContain("budgetUSD (line 7): unknown key; did you mean llm.budgetUsd?");
  });

  it("stops `run` and `doctor` on a site address without its scheme and on a variable name no shell takes", async () => {
    const dir = workspace({
      "arxiv-digest.yaml": `${minimal}site:\n  baseUrl: my-site.github.io\nllm:\n  apiKeyEnv: openai-key\n`,
    });
    for (const args of [["run", "--no-deliver"], ["doctor", "--offline"], ["site"]]) {
      const r = await runCli([...args, "--workspace", dir]);
      expect(r.code, r.stdout + r.stderr).toBe(2);
      const text = r.stdout + r.stderr;
      expect(text).toContain(
        'site.baseUrl (line 8): "my-site.github.io" is not an absolute URL; set it to the site\'s public address with its scheme, e.g. "https://you.github.io/papers/"',
      );
      expect(text).toContain("llm.apiKeyEnv (line 10): an environment variable's name: letters, digits and _");
    }
    expect(existsSync(join(dir, "archive"))).toBe(false);
  });

  it("stops on an environment URL that is not one, naming the variable, in `doctor` and `run` alike", async () => {
    const dir = workspace({ "arxiv-digest.yaml": minimal });
    const env = isolatedEnv({ OPENAI_BASE_URL: "notaurl" });
    const doctor = await runCli(["doctor", "--offline", "--workspace", dir], { env });
    expect(doctor.code, doctor.stdout).toBe(2);
    expect(doctor.stdout).toMatch(
      /FAIL {2}environment: OPENAI_BASE_URL \(set in the environment\) is not an http\(s\) URL/,
    );
    expect(doctor.stdout).not.toMatch(/Ready/);
    const run = await runCli(["run", "--no-deliver", "--workspace", dir], { env });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr.trim()).toMatch(
      /^arxiv-digest: OPENAI_BASE_URL \(set in the environment\) is not an http\(s\) URL \(it is "notaurl"\); set it to one such as https:\/\/api\.openai\.com\/v1/,
    );
    expect(existsSync(join(dir, "archive"))).toBe(false);
  });
});
