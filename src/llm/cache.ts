/**
 * Content-addressed store of LLM answers: `<cacheDir>/llm/<sha256 of the request>.json`.
 * The key covers everything that shapes the answer (model, options, messages, response
 * format), so a re-run of the same day replays every answer without a request, and a run
 * killed half-way never pays twice for a call that completed. An entry is untrusted input: it is
 * read with zod, and one that does not fit is a miss.
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import * as z from "zod";
import { readJsonOrNull, writeJsonAtomic } from "../io/json-file.js";

const CachedReplySchema = z.object({
  model: z.string(),
  content: z.string(),
  promptTokens: z.number().int().nonnegative(),
  cachedPromptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
  /** "length" when the answer hit the output token limit. */
  finishReason: z.string().nullable().default(null),
  /**
   * The endpoint answered without token counts: the counts above are zeros standing for "not
   * known", so a replay is estimated, never free. Absent in entries written before it was kept,
   * which read as before; any other value than `true` makes the entry a miss, as damage does.
   */
  usageMissing: z.literal(true).optional(),
});
export type CachedReply = z.infer<typeof CachedReplySchema>;

export interface ResponseCache {
  get(key: string): Promise<CachedReply | null>;
  /** Never throws: a paid answer must not be lost because the disk is full; see `problems`. */
  put(key: string, reply: CachedReply): Promise<void>;
  /** Write failures so far, each naming the file. */
  problems(): string[];
}

/** JSON with object keys sorted, so equal requests hash equally whatever order options were merged in. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export function cacheKey(request: unknown): string {
  return createHash("sha256").update(canonicalJson(request)).digest("hex");
}

/** A cache under `cacheDir`, or one that never hits when `cacheDir` is null. */
export function createResponseCache(cacheDir: string | null): ResponseCache {
  if (cacheDir === null) return { get: async () => null, put: async () => {}, problems: () => [] };
  const dir = join(cacheDir, "llm");
  const fileOf = (key: string) => join(dir, `${key}.json`);
  const problems: string[] = [];
  return {
    problems: () => problems,
    // A damaged entry (disk full, manual edit) is a miss: the call is simply made again.
    get: (key) => readJsonOrNull(CachedReplySchema, fileOf(key)),
    async put(key, reply) {
      // A cache is an optimisation: a failed write is recorded, never fatal.
      try {
        await writeJsonAtomic(fileOf(key), reply);
      } catch (err) {
        problems.push(`could not save an LLM answer to ${fileOf(key)}: ${(err as Error).message}`);
      }
    },
  };
}
