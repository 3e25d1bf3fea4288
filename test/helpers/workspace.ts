/**
 * A workspace folder for one test: a fresh temp folder holding `arxiv-digest.yaml` (unless `yaml`
 * is null: an empty workspace, which falls back to the bundled defaults) and any other files,
 * e.g. `{ "authors.txt": "Yoshua Bengio\n", ".env": "OPENAI_API_KEY=…\n", "prompts/system.md": … }`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export interface TempWorkspace {
  /** The workspace folder. */
  dir: string;
  /** Removes the folder and everything the test wrote into it. */
  cleanup(): void;
}

/** `files` maps paths relative to the workspace (sub-folders are created) to their text. */
export function tempWorkspace(yaml: string | null, files: Record<string, string> = {}): TempWorkspace {
  const dir = mkdtempSync(join(tmpdir(), "ad-ws-"));
  const all = yaml === null ? files : { "arxiv-digest.yaml": yaml, ...files };
  for (const [name, text] of Object.entries(all)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The config's `selection` and `topics` sections for tests that judge every paper of a day with the
 * LLM: the prefilter keeps and scores the whole day, every score passes, one architecture topic.
 */
export const EVERY_PAPER_JUDGED_YAML = `selection:
  minRelevance: 1
  prefilter:
    keepShare: 1
    scoreShare: 1
topics:
  - id: architecture
    title: Model architecture
    description: Mixture-of-experts, transformers and conditional computation.
    include: [mixture of experts, transformer, attention]
`;
