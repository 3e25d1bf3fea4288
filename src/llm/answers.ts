/**
 * Per-paper store of scoring verdicts: `<cacheDir>/llm-papers/<sha256 of the key>.json` (beside the response cache's `llm/`). The
 * response cache (cache.ts) is keyed by the whole request, so a day batched differently (a new
 * papersPerCall, a prefilter that lets other papers through after new feedback, a run after a
 * budget stop) misses every entry although each paper's answer depends only on what the model was
 * asked before the papers and on the paper itself. This store keeps each scored paper's verdict
 * under exactly that: the model, the options that shape answers (temperature, reasoning effort;
 * not the answer's token cap, which only decides whether an answer is cut off), the hash of the
 * stable prompt prefix (system message and every word before the papers: criteria, topics, the
 * reader's taste, the comment threshold) and the paper's own text as sent (id, title, abstract
 * opening). The abstract scoring looks papers up here only for batches the response cache does
 * not hold, and sends the rest.
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import * as z from "zod";
import type { Config } from "../config/schema.js";
import { readJsonOrNull, writeJsonAtomic } from "../io/json-file.js";
import { cacheKey } from "./cache.js";
import { answerShapingOptions } from "./client.js";
import type { ScoreItem } from "./parse.js";

/** Bumped when what a stored verdict means changes, so older entries are simply missed. */
const FORMAT = 1;

const StoredVerdictSchema = z.object({
  model: z.string(),
  id: z.string().min(1),
  relevance: z.number().min(1).max(10),
  novelty: z.number().min(1).max(10),
  comment: z.string(),
  topic: z.string().nullable(),
});

/** What identifies one paper's verdict: who was asked, with which prefix, about which text. */
export interface VerdictKey {
  model: string;
  /** The stable prefix of the scoring prompt, as sent before the papers. */
  prefix: { system: string; userPrefix: string };
  /** The paper's id, as sent. */
  id: string;
  /** The paper's block as sent (id, title, abstract opening), without the batch's header line. */
  text: string;
}

export interface PaperAnswers {
  /** The verdict stored for this paper; null when there is none or it is damaged. Counts hits. */
  get(key: VerdictKey): Promise<ScoreItem | null>;
  /** Never throws: a failed write is kept in `problems`. */
  put(key: VerdictKey, item: ScoreItem): Promise<void>;
  /** Verdicts taken from the store so far (papers not sent again in this run). */
  reused(): number;
  problems(): string[];
}

function prefixHash(prefix: VerdictKey["prefix"]): string {
  return createHash("sha256").update(prefix.system).update("\u0000").update(prefix.userPrefix).digest("hex");
}

/** The one key of a paper's verdict (see the module comment for what goes into it). */
export function verdictKey(llm: Config["llm"], key: VerdictKey): string {
  return cacheKey({
    format: FORMAT,
    stage: "scoring",
    model: key.model,
    options: answerShapingOptions(llm, key.model),
    prefix: prefixHash(key.prefix),
    paper: key.text,
  });
}

/** A store under `cacheDir`, or one that never hits when `cacheDir` is null. */
export function createPaperAnswers(cacheDir: string | null, llm: Config["llm"]): PaperAnswers {
  if (cacheDir === null) {
    return { get: async () => null, put: async () => {}, reused: () => 0, problems: () => [] };
  }
  const dir = join(cacheDir, "llm-papers");
  const fileOf = (key: VerdictKey) => join(dir, `${verdictKey(llm, key)}.json`);
  const problems: string[] = [];
  let hits = 0;
  return {
    reused: () => hits,
    problems: () => problems,
    async get(key) {
      // A damaged entry (disk full, manual edit, another paper's verdict) is a miss: the paper is sent.
      const stored = await readJsonOrNull(StoredVerdictSchema, fileOf(key));
      if (stored === null || stored.id !== key.id || stored.model !== key.model) return null;
      hits += 1;
      const { model: _, ...item } = stored;
      return item;
    },
    async put(key, item) {
      try {
        await writeJsonAtomic(fileOf(key), { model: key.model, ...item, id: key.id });
      } catch (err) {
        problems.push(`could not save a paper's verdict to ${fileOf(key)}: ${(err as Error).message}`);
      }
    },
  };
}
