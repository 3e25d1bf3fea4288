/**
 * Per-paper store of verdicts: `<cacheDir>/llm-papers/<sha256 of the key>.json` (beside the
 * response cache's `llm/`). The response cache (cache.ts) is keyed by the whole request, so a day
 * batched differently (a prefilter that lets other papers through after new feedback, a
 * different keepShare, a run after a budget stop, one paper more) misses every entry although each
 * paper's answer depends only on what the model was asked before the papers and on the paper
 * itself. This store keeps each verdict under exactly that, for two stages:
 * - "scoring": the model, the options that shape answers (temperature, reasoning effort, and the
 *   batch size settings llm.papersPerCall and llm.batchTokens, since a batch's size changes how a
 *   model rates what is in it: an A/B of them in `eval` must ask again; not the answer's token
 *   cap, which only decides whether an answer is cut off), the hash of the stable prompt prefix
 *   (system message and every word before the papers: criteria, topics, the reader's taste, the
 *   comment threshold) and the paper's own text as sent (id, title, abstract opening);
 * - "triage": the title triage's model, its answer-shaping options (llm.triage.batchTokens among
 *   them), the hash of the triage prefix (its instructions and the topics) and the title line as
 *   sent, without its number
 *   (the answer names line numbers, but once parsed each title has its own verdict: on topic,
 *   maybe or outside; a title the triage could not decide is never stored).
 * Each stage looks verdicts up here only for batches the response cache does not hold, and sends
 * the rest.
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import * as z from "zod";
import type { Config } from "../config/schema.js";
import { readJsonOrNull, writeJsonAtomic } from "../io/json-file.js";
import { cacheKey } from "./cache.js";
import { answerShapingOptions } from "./client.js";
import { checkScoreItem, type ScoreItem } from "./parse.js";

/** Bumped when what a stored verdict means changes, so older entries are simply missed. */
const FORMAT = 1;

/**
 * A stored verdict's shape; what makes it a valid item (scores 1–10, the comment trimmed and cut,
 * the topic) is the parser's own test, `checkScoreItem`, so a file planted or edited in the cache
 * gets no further than a live answer would.
 */
const StoredVerdictSchema = z.object({
  model: z.string(),
  id: z.string().min(1),
  relevance: z.number(),
  novelty: z.number(),
  comment: z.string(),
  topic: z.string().nullable(),
});

/** The title triage's verdicts on a title, the only words a stored one may hold. */
const TITLE_VERDICTS = ["on-topic", "maybe", "outside"] as const;

/** The title triage's verdict on one title, as stored (a title left undecided is never stored). */
export type TitleVerdict = (typeof TITLE_VERDICTS)[number];

const StoredTitleSchema = z.object({
  model: z.string(),
  stage: z.literal("triage"),
  title: z.string(),
  verdict: z.enum(TITLE_VERDICTS),
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

/** What identifies one title's triage verdict: who was asked, with which prefix, about which line. */
export interface TitleKey {
  model: string;
  /** The stable prefix of the triage prompt, as sent before the titles. */
  prefix: { system: string; userPrefix: string };
  /** The title line as sent, without its number. */
  line: string;
}

export interface PaperAnswers {
  /** The verdict stored for this paper; null when there is none or it is damaged. Counts hits. */
  get(key: VerdictKey): Promise<ScoreItem | null>;
  /** Never throws: a failed write is kept in `problems`. */
  put(key: VerdictKey, item: ScoreItem): Promise<void>;
  /** Verdicts taken from the store so far (papers not sent again in this run). */
  reused(): number;
  /** The triage verdict stored for this title; null when there is none or it is damaged. Counts hits. */
  getTitle(key: TitleKey): Promise<TitleVerdict | null>;
  /** Never throws: a failed write is kept in `problems`. */
  putTitle(key: TitleKey, verdict: TitleVerdict): Promise<void>;
  /** Triage verdicts taken from the store so far (titles not sent again in this run). */
  reusedTitles(): number;
  problems(): string[];
}

function prefixHash(prefix: { system: string; userPrefix: string }): string {
  return createHash("sha256").update(prefix.system).update("\u0000").update(prefix.userPrefix).digest("hex");
}

/** The one key of a paper's verdict (see the module comment for what goes into it). */
export function verdictKey(llm: Config["llm"], key: VerdictKey): string {
  return cacheKey({
    format: FORMAT,
    stage: "scoring",
    model: key.model,
    options: answerShapingOptions(llm, key.model),
    batch: { papersPerCall: llm.papersPerCall, batchTokens: llm.batchTokens },
    prefix: prefixHash(key.prefix),
    paper: key.text,
  });
}

/** The one key of a title's triage verdict (see the module comment for what goes into it). */
export function titleKey(llm: Config["llm"], key: TitleKey): string {
  return cacheKey({
    format: FORMAT,
    stage: "triage",
    model: key.model,
    options: answerShapingOptions(llm, key.model),
    batch: { batchTokens: llm.triage.batchTokens },
    prefix: prefixHash(key.prefix),
    title: key.line,
  });
}

/** A store under `cacheDir`, or one that never hits when `cacheDir` is null. */
export function createPaperAnswers(cacheDir: string | null, llm: Config["llm"]): PaperAnswers {
  if (cacheDir === null) {
    return {
      get: async () => null,
      put: async () => {},
      reused: () => 0,
      getTitle: async () => null,
      putTitle: async () => {},
      reusedTitles: () => 0,
      problems: () => [],
    };
  }
  const dir = join(cacheDir, "llm-papers");
  const fileOf = (key: VerdictKey) => join(dir, `${verdictKey(llm, key)}.json`);
  const titleFileOf = (key: TitleKey) => join(dir, `${titleKey(llm, key)}.json`);
  const problems: string[] = [];
  let hits = 0;
  let titleHits = 0;
  const write = async (file: string, value: unknown, what: string) => {
    try {
      await writeJsonAtomic(file, value);
    } catch (err) {
      problems.push(`could not save ${what} to ${file}: ${(err as Error).message}`);
    }
  };
  return {
    reused: () => hits,
    reusedTitles: () => titleHits,
    problems: () => problems,
    async get(key) {
      // A damaged entry (disk full, manual edit, another paper's verdict) is a miss: the paper is sent.
      const stored = await readJsonOrNull(StoredVerdictSchema, fileOf(key));
      if (stored === null || stored.id !== key.id || stored.model !== key.model) return null;
      const checked = checkScoreItem(stored);
      if (!checked.ok) return null;
      hits += 1;
      return checked.item;
    },
    async put(key, item) {
      await write(fileOf(key), { model: key.model, ...item, id: key.id }, "a paper's verdict");
    },
    async getTitle(key) {
      // As for papers: a damaged entry, or one naming another title, is a miss and the title is sent.
      const stored = await readJsonOrNull(StoredTitleSchema, titleFileOf(key));
      if (stored === null || stored.title !== key.line || stored.model !== key.model) return null;
      titleHits += 1;
      return stored.verdict;
    },
    async putTitle(key, verdict) {
      const entry = { model: key.model, stage: "triage", title: key.line, verdict };
      await write(titleFileOf(key), entry, "a title's triage verdict");
    },
  };
}
