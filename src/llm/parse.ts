/**
 * Reads what an LLM answered about a batch of papers, however it chose to write it: one JSON
 * object holding an array, a bare array, one object per line, fenced code blocks, prose around
 * the JSON, pretty-printed objects, or a reply cut off mid-way. Every item is checked on its
 * own, so one bad item never costs the rest of the batch; what could not be used is listed in
 * `problems` so the caller can re-ask and explain.
 */
import * as z from "zod";

export interface ScoreItem {
  id: string;
  relevance: number;
  novelty: number;
  comment: string;
  /** The topic id the model named; the caller checks it against the configured topics. */
  topic: string | null;
}

export interface ParsedReply<T> {
  items: T[];
  problems: string[];
  /**
   * Ids answered more than once with different verdicts. Neither answer is trusted (one may have
   * been forged by a paper's text); the caller asks about such a paper alone.
   */
  conflicts: string[];
  /** The first answer given for each conflicting id, for a caller that asked about it alone. */
  firstOfConflicts: T[];
}

type JsonRecord = Record<string, unknown>;

/** Field names folded to lowercase letters and digits, so ARXIVID, arxiv_id and arxivId agree. */
const FIELD_ALIASES = {
  id: ["arxivid", "id", "paperid", "arxiv", "paper"],
  relevance: ["relevance", "relevancescore", "rel"],
  novelty: ["novelty", "noveltyscore", "nov"],
  comment: ["comment", "reason", "rationale", "explanation", "justification", "why"],
  topic: ["topic", "topicid", "criterion", "category"],
} as const;

const fold = (key: string) => key.toLowerCase().replace(/[^a-z0-9]/g, "");

function field(record: JsonRecord, name: keyof typeof FIELD_ALIASES): unknown {
  const aliases: readonly string[] = FIELD_ALIASES[name];
  for (const [key, value] of Object.entries(record)) {
    if (aliases.includes(fold(key))) return value;
  }
  return undefined;
}

/** `arXiv:2602.04119v2`, `https://arxiv.org/abs/2602.04119` and `2602.04119` all name one paper. */
export function normalizeId(raw: string): string {
  return raw
    .trim()
    .replace(/^https?:\/\/(www\.)?arxiv\.org\/(abs|pdf)\//i, "")
    .replace(/^arxiv:\s*/i, "")
    .replace(/v\d+$/i, "")
    .replace(/\.pdf$/i, "");
}

/** Finds the closing bracket of the JSON value opening at `start`, skipping string contents. */
function matchingClose(text: string, start: number): number {
  const stack: string[] = [];
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === "\\") i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === "{") stack.push("}");
    else if (ch === "[") stack.push("]");
    else if (ch === "}" || ch === "]") {
      if (stack.pop() !== ch) return -1;
      if (stack.length === 0) return i;
    }
  }
  return -1;
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // Models often leave a trailing comma before a closing bracket.
    try {
      return JSON.parse(text.replace(/,\s*([}\]])/g, "$1"));
    } catch {
      return undefined;
    }
  }
}

/**
 * Every complete JSON value in the text, outermost first. When a value is cut off (truncated
 * reply) the scan steps inside it, so the complete items of a broken array still count.
 */
function jsonValues(text: string): unknown[] {
  const values: unknown[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === "{" || ch === "[") {
      const end = matchingClose(text, i);
      const value = end > 0 ? tryJson(text.slice(i, end + 1)) : undefined;
      if (value !== undefined) {
        values.push(value);
        i = end + 1;
        continue;
      }
    }
    i++;
  }
  return values;
}

const isRecord = (v: unknown): v is JsonRecord => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * Flattens the shapes models use into one list of item objects: arrays, `{papers: [...]}`
 * wrappers, and objects keyed by paper id (`{"2602.04119": {...}}`).
 */
function recordsIn(value: unknown, idFromKey?: string): JsonRecord[] {
  if (Array.isArray(value)) return value.flatMap((v) => recordsIn(v));
  if (!isRecord(value)) return [];
  if (field(value, "id") !== undefined) return [value];
  const nested = Object.entries(value).filter(([, v]) => Array.isArray(v) || isRecord(v));
  // A flat object without an id is still an item (a broken one): reporting it beats ignoring it.
  if (nested.length === 0) return idFromKey ? [{ id: idFromKey, ...value }] : [value];
  return nested.flatMap(([key, v]) => recordsIn(v, key));
}

function stripFences(text: string): string {
  const fenced = [...text.matchAll(/```[a-zA-Z]*\s*\n?([\s\S]*?)```/g)].map((m) => m[1]);
  return fenced.length > 0 ? fenced.join("\n") : text;
}

function extractRecords(text: string): { items: JsonRecord[]; problems: string[] } {
  if (text.trim() === "") return { items: [], problems: ["the reply was empty"] };
  const values = jsonValues(stripFences(text));
  const records = values.flatMap((v) => recordsIn(v));
  if (values.length === 0) {
    const preview = text.trim().slice(0, 80).replace(/\s+/g, " ");
    return { items: [], problems: [`the reply held no JSON (it began: "${preview}")`] };
  }
  if (records.length === 0) return { items: [], problems: ["the reply's JSON listed no papers"] };
  return { items: records, problems: [] };
}

/** A 1–10 score from a number or text such as "8", "8/10" or "4 out of 5"; null when unreadable. */
function scoreFrom(value: unknown): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value !== "string") return null;
  const m = value.match(/(-?\d+(?:\.\d+)?)(?:\s*(?:\/|out of)\s*(\d+(?:\.\d+)?))?/i);
  if (!m) return null;
  const n = Number(m[1]);
  const scale = m[2] ? Number(m[2]) : 10;
  return scale > 0 ? (n * 10) / scale : null;
}

/** Comments are shown to the reader; a runaway one is cut rather than trusted. */
const MAX_COMMENT_LENGTH = 600;

const clamp = (n: number) => Math.min(10, Math.max(1, n));

const ScoreItemSchema = z.object({
  id: z.string().min(1, "missing paper id"),
  relevance: z.number({ error: "relevance is missing or not a number" }),
  novelty: z.number({ error: "novelty is missing or not a number" }),
  comment: z.string(),
  topic: z.string().nullable(),
});

function textOf(value: unknown): string | null {
  if (typeof value === "string") return value.trim();
  if (typeof value === "number") return String(value);
  return null;
}

/**
 * Shared tail of both parsers: validate each record alone, map ids onto the expected ones,
 * and report unknown ids and duplicates instead of trusting them.
 */
function collect<T extends { id: string }>(
  text: string,
  expectedIds: readonly string[],
  schema: z.ZodType<T>,
  shape: (record: JsonRecord, problems: string[]) => unknown,
): ParsedReply<T> {
  const { items: records, problems } = extractRecords(text);
  const expected = new Set(expectedIds);
  const seen = new Map<string, string>();
  const conflicted = new Set<string>();
  const items: T[] = [];
  records.forEach((record, index) => {
    const rawId = textOf(field(record, "id"));
    const label = rawId ? `item for ${rawId}` : `item ${index + 1}`;
    const parsed = schema.safeParse(shape(record, problems));
    if (!parsed.success) {
      problems.push(`${label}: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
      return;
    }
    const item = parsed.data;
    if (!expected.has(item.id)) {
      problems.push(`${label}: not one of the papers asked about; ignored`);
    } else if (seen.has(item.id)) {
      // The same verdict twice is a harmless repeat; a different one is a conflict.
      if (seen.get(item.id) !== JSON.stringify(item)) conflicted.add(item.id);
    } else {
      seen.set(item.id, JSON.stringify(item));
      items.push(item);
    }
  });
  for (const id of conflicted) problems.push(`item for ${id}: answered twice with different verdicts`);
  return {
    items: items.filter((i) => !conflicted.has(i.id)),
    problems,
    conflicts: [...conflicted],
    firstOfConflicts: items.filter((i) => conflicted.has(i.id)),
  };
}

/** Relevance/novelty scores for the papers in `expectedIds`, from any of the reply shapes above. */
export function parseScoreReply(text: string, expectedIds: readonly string[]): ParsedReply<ScoreItem> {
  return collect(text, expectedIds, ScoreItemSchema, (record, problems) => {
    const id = normalizeId(textOf(field(record, "id")) ?? "");
    const scores = { relevance: scoreFrom(field(record, "relevance")), novelty: scoreFrom(field(record, "novelty")) };
    for (const [name, value] of Object.entries(scores)) {
      if (value !== null && clamp(value) !== value) {
        problems.push(`item for ${id}: ${name} ${value} is outside 1-10; clamped`);
      }
    }
    const topic = textOf(field(record, "topic"));
    return {
      id,
      relevance: scores.relevance === null ? undefined : clamp(scores.relevance),
      novelty: scores.novelty === null ? undefined : clamp(scores.novelty),
      comment: (textOf(field(record, "comment")) ?? "").slice(0, MAX_COMMENT_LENGTH),
      topic: topic === "" || topic === null ? null : topic,
    };
  });
}

/** The title triage's answer: which numbered titles are on a topic, which may be. */
export interface TriageLists {
  /** 1-based line numbers. */
  onTopic: Set<number>;
  maybe: Set<number>;
  /** False when the reply held neither list: the caller treats the batch as undecided. */
  answered: boolean;
  problems: string[];
}

/** List names folded as `fold` does, so on_topic, onTopic and "On topic" agree. */
const TRIAGE_LISTS = { onTopic: ["ontopic", "relevant", "strong", "yes"], maybe: ["maybe", "possible", "unsure"] };

function lineNumbers(value: unknown, count: number, name: string, problems: string[]): number[] {
  const list = Array.isArray(value) ? value : [value];
  const numbers: number[] = [];
  for (const entry of list) {
    const n = typeof entry === "number" ? entry : typeof entry === "string" ? Number(entry.trim()) : Number.NaN;
    if (Number.isInteger(n) && n >= 1 && n <= count) numbers.push(n);
    else problems.push(`${name} named ${JSON.stringify(entry)}, not a line number from 1 to ${count}; ignored`);
  }
  return numbers;
}

/**
 * Reads `{"on_topic": [...], "maybe": [...]}` for a batch of `count` numbered titles, from any of
 * the reply shapes the scoring parser accepts (fences, prose around the JSON). A number in both
 * lists counts as maybe (the answer contradicts itself); numbers outside the batch are reported
 * and ignored.
 */
export function parseTriageReply(text: string, count: number): TriageLists {
  const problems: string[] = [];
  const onTopic = new Set<number>();
  const maybe = new Set<number>();
  let answered = false;
  if (text.trim() === "") return { onTopic, maybe, answered, problems: ["the reply was empty"] };
  for (const value of jsonValues(stripFences(text))) {
    if (!isRecord(value)) continue;
    for (const [key, entries] of Object.entries(value)) {
      const folded = fold(key);
      const list = TRIAGE_LISTS.onTopic.includes(folded) ? onTopic : TRIAGE_LISTS.maybe.includes(folded) ? maybe : null;
      if (!list) continue;
      answered = true;
      for (const n of lineNumbers(entries, count, key, problems)) list.add(n);
    }
    if (answered) break;
  }
  if (!answered) {
    const preview = text.trim().slice(0, 80).replace(/\s+/g, " ");
    problems.push(`the reply held no on_topic or maybe list (it began: "${preview}")`);
  }
  for (const n of onTopic) {
    if (maybe.has(n)) onTopic.delete(n);
  }
  return { onTopic, maybe, answered, problems };
}
