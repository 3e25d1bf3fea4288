/**
 * Reads what an LLM answered about a batch of papers, however it chose to write it: one JSON
 * object holding an array, a bare array, one object per line, fenced code blocks, prose around
 * the JSON, pretty-printed objects, a reply cut off mid-way, or an answer after the model's
 * thinking (`<think>…</think>`, which reasoning models served without a reasoning parser write
 * into the content). Every item is checked on its own, so one bad item never costs the rest of
 * the batch; what could not be used is listed in `problems` so the caller can re-ask and explain.
 * An id written as a JSON number (`{"id": 2601.01230}`) keeps the digits the model wrote
 * (`quoteIdNumbers`), and one that lost its zeros still names its paper (`askedIds`).
 *
 * Scores are read on the 1–10 scale the prompt asks for (defaults/prompts/criteria.md) and never
 * clamped: a clamped -1 ("cannot judge") would become a confident "irrelevant", an 11 a top pick
 * the model never gave. So a score outside 1–10 makes its item unusable, like a missing one, and
 * the caller asks about the paper again; text with its own scale ("4 out of 5", "8/10") is put on
 * 1–10. An answer whose scores all lie within 0–1, some of them fractions, was written on a 0–1
 * scale: even its 1s mean the top, not the bottom, so none of its items is used.
 */
import * as z from "zod";
import { canonicalArxivId } from "../arxiv/ids.js";

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

/**
 * `arXiv:2602.04119v2`, `https://arxiv.org/pdf/2602.04119v2.pdf` and `2602.04119` all name one
 * paper: the id as the feeds give it (`canonicalArxivId`, the one id reader). Models also wrap an
 * id in brackets, put a space after `arXiv:`, leave out a URL's scheme or write the version with
 * a capital V; text that is no arXiv id is kept as it stands, so the caller can name it.
 */
export function normalizeId(raw: string): string {
  const tidy = raw
    .trim()
    .replace(/^\[(.*)\]$/, "$1")
    .replace(/^arxiv:\s+/i, "arXiv:")
    .replace(/^(?:www\.)?arxiv\.org\//i, "https://arxiv.org/")
    .replace(/V(\d+)((?:\.pdf)?)$/, "v$1$2");
  return canonicalArxivId(tidy)?.id ?? raw.trim();
}

/** An id written as a JSON number (or as its text): digits, a dot, digits. */
const NUMERIC_ID = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * The papers asked about that an answer's id names: the one `normalizeId` reads, or, for an id
 * that is a number naming no paper as written (`2601.0123`, `704.001`: zeros a model dropped
 * because it wrote the id as a number), every new-scheme paper of the batch equal to it as a
 * number. Canonical new-scheme ids equal as numbers are the same id (the digits after the dot
 * are 4 or 5 by era, and the era follows from YYMM), so one paper matches; more than one can
 * only be ids that are not canonical, and then the caller guesses none of them. An id that
 * matches nothing comes back as `normalizeId` read it, for the caller to name.
 */
export function askedIds(raw: string, expected: ReadonlySet<string>): string[] {
  const id = normalizeId(raw);
  if (expected.has(id) || !NUMERIC_ID.test(raw.trim())) return [id];
  const value = Number(raw);
  const matches = [...expected].filter((e) => /^\d+\.\d+$/.test(e) && Number(e) === value);
  return matches.length > 0 ? matches : [id];
}

/** The tags reasoning models put around their thinking when the server leaves it in the content. */
const THINKING_TAG = /<(\/?)(think|thinking|reasoning)\b[^>]*>/gi;

/** Whether `at` falls inside a JSON string: an odd number of unescaped quotes before it on its line. */
function insideString(text: string, at: number): boolean {
  let quotes = 0;
  for (let i = text.lastIndexOf("\n", at - 1) + 1; i < at; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === '"') quotes++;
  }
  return quotes % 2 === 1;
}

/**
 * The reply without the model's thinking. A reasoning model served without a reasoning parser
 * (DeepSeek-R1 or QwQ on Ollama or vLLM) writes `<think>…</think>` (or `<thinking>`,
 * `<reasoning>`) before its answer, and drafts of the answer inside it: they are not the answer.
 * A closing tag with no opening one means the chat template opened it, so everything before it
 * was thinking; an opening tag never closed means the reply is only thinking (it ran out of
 * tokens, or stopped), so there is no answer. A tag inside a JSON string (a comment quoting one)
 * is text. `problem` says why nothing is left when the thinking was all there was.
 */
export function withoutThinking(reply: string): { text: string; problem: string | null } {
  let text = "";
  let from = 0;
  let open = false;
  let thought = false;
  for (const m of reply.matchAll(THINKING_TAG)) {
    if (insideString(reply, m.index)) continue;
    const closing = m[1] === "/";
    if (!open) {
      // Outside the thinking: an opening tag starts it, a closing one ends a thinking the template began.
      text = closing ? "" : text + reply.slice(from, m.index);
      open = !closing;
      thought = true;
      from = m.index + m[0].length;
    } else if (closing) {
      open = false;
      from = m.index + m[0].length;
    }
  }
  if (!open) text += reply.slice(from);
  if (!thought || text.trim() !== "") return { text, problem: null };
  return {
    text,
    problem: open
      ? "the reply was only the model's thinking, never closed, with no answer after it"
      : "the reply held only the model's thinking, with no answer after it",
  };
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

/** Whether a JSON key names a paper's id (`id`, `arxiv_id`, `paperId`, …), as `field` reads it. */
const isIdKey = (key: string) => (FIELD_ALIASES.id as readonly string[]).includes(fold(key));

/** A bare number right after a key's closing quote: the colon, then the number as written. */
const NUMBER_VALUE = /\s*:\s*(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)(?=\s*(?:[,}\]]|$))/y;

/**
 * The text with every bare number that is the value of an id key put in quotes, so the id keeps
 * the digits the model wrote. Models asked for `{"id": "2601.01230"}` sometimes write
 * `{"id": 2601.01230}`, which `JSON.parse` reads as 2601.0123: the trailing zero, and with it the
 * paper, is lost (Node 20's `JSON.parse` offers no number source to a reviver). A leading zero
 * (`0704.0010`), which JSON forbids, is kept the same way. Only a key is followed by a colon, and
 * the scan steps over every string whole, so a number inside a comment is never touched.
 */
function quoteIdNumbers(text: string): string {
  let out = "";
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '"') continue;
    let end = i + 1;
    while (end < text.length && text[end] !== '"') end += text[end] === "\\" ? 2 : 1;
    if (end >= text.length) break;
    const key = text.slice(i + 1, end);
    i = end;
    if (!isIdKey(key)) continue;
    NUMBER_VALUE.lastIndex = end + 1;
    const number = NUMBER_VALUE.exec(text)?.[1];
    if (number === undefined) continue;
    const at = NUMBER_VALUE.lastIndex - number.length;
    out += `${text.slice(from, at)}"${number}"`;
    from = NUMBER_VALUE.lastIndex;
    i = from - 1;
  }
  return from === 0 ? text : out + text.slice(from);
}

function tryJson(raw: string): unknown {
  const text = quoteIdNumbers(raw);
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

/**
 * The texts an answer is read from, in order: the fenced blocks alone, where a model that fences
 * puts its answer, then the whole text, for a reply whose fences hold only an example of the
 * format and whose answer is unfenced. The caller takes the first reading that gives an answer.
 */
function readings(text: string): string[] {
  const fenced = [...text.matchAll(/```[a-zA-Z]*\s*\n?([\s\S]*?)```/g)].map((m) => m[1]);
  return fenced.length > 0 ? [fenced.join("\n"), text] : [text];
}

/** A value listing papers (an array, an object wrapping one or keyed by ids), not one paper's item. */
function isPaperList(value: unknown): boolean {
  if (Array.isArray(value)) return recordsIn(value).length > 0;
  if (!isRecord(value) || field(value, "id") !== undefined) return false;
  return Object.values(value).some((v) => Array.isArray(v) || isRecord(v)) && recordsIn(value).length > 0;
}

/**
 * The items of a reply. When it holds several lists of papers, only the last is the answer: a
 * model that drafts, checks and corrects itself in the open (or shows the format first) writes
 * its final answer last, and reading every list would turn each corrected score into a conflict.
 * A reply of single items (one object per line, or what a cut-off list left) is read whole.
 */
function extractRecords(text: string): { items: JsonRecord[]; problems: string[] } {
  if (text.trim() === "") return { items: [], problems: ["the reply was empty"] };
  const values = jsonValues(text);
  const lists = values.filter(isPaperList);
  const records = (lists.length > 0 ? lists.slice(-1) : values).flatMap((v) => recordsIn(v));
  if (values.length === 0) {
    const preview = text.trim().slice(0, 80).replace(/\s+/g, " ");
    return { items: [], problems: [`the reply held no JSON (it began: "${preview}")`] };
  }
  if (records.length === 0) return { items: [], problems: ["the reply's JSON listed no papers"] };
  return { items: records, problems: [] };
}

/**
 * A 1–10 score from a number or text such as "8", "8/10" or "4 out of 5"; null when unreadable.
 * A range ("7-8", "7–8") is read as its first number, 7: the lower end, so a hesitant answer
 * never ranks a paper above what the model was sure of.
 */
function scoreFrom(value: unknown): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value !== "string") return null;
  // A plain number first, so "1e1" is 10, not the 1 the pattern below would find.
  const plain = value.trim() === "" ? Number.NaN : Number(value);
  if (Number.isFinite(plain)) return plain;
  const m = value.match(/(-?\d+(?:\.\d+)?)(?:\s*(?:\/|out of)\s*(\d+(?:\.\d+)?))?/i);
  if (!m) return null;
  const n = Number(m[1]);
  const scale = m[2] ? Number(m[2]) : 10;
  return scale > 0 ? (n * 10) / scale : null;
}

/** Comments are shown to the reader; a runaway one is cut rather than trusted. */
const MAX_COMMENT_LENGTH = 600;

/** A score on the 1–10 scale the prompt asks for; outside it the item is asked again (see the top). */
const score = (name: string) =>
  z
    .number({ error: `${name} is missing or not a number` })
    .min(1, { error: (issue) => `${name} ${String(issue.input)} is outside 1-10` })
    .max(10, { error: (issue) => `${name} ${String(issue.input)} is outside 1-10` });

const ScoreItemSchema = z.object({
  id: z.string().min(1, "missing paper id"),
  relevance: score("relevance"),
  novelty: score("novelty"),
  comment: z.string(),
  topic: z.string().nullable(),
});

function textOf(value: unknown): string | null {
  if (typeof value === "string") return value.trim();
  if (typeof value === "number") return String(value);
  return null;
}

/** A scoring item as checked (`checkScoreItem`): the item, or why it is not one. */
export type ScoreItemCheck = { ok: true; item: ScoreItem } | { ok: false; problem: string };

/**
 * The one test of a valid scoring item, whether the model just wrote it or the per-paper store
 * (answers.ts) kept it: an id, both scores within 1–10 (a missing one, `null`, is missing), the
 * comment trimmed and cut at MAX_COMMENT_LENGTH, the topic trimmed and null when empty.
 */
export function checkScoreItem(fields: {
  id: string;
  relevance: unknown;
  novelty: unknown;
  comment: unknown;
  topic: unknown;
}): ScoreItemCheck {
  const topic = textOf(fields.topic);
  const parsed = ScoreItemSchema.safeParse({
    id: fields.id,
    relevance: fields.relevance ?? undefined,
    novelty: fields.novelty ?? undefined,
    comment: (textOf(fields.comment) ?? "").slice(0, MAX_COMMENT_LENGTH),
    topic: topic === "" || topic === null ? null : topic,
  });
  if (parsed.success) return { ok: true, item: parsed.data };
  return { ok: false, problem: parsed.error.issues.map((i) => i.message).join("; ") };
}

const emptyReply = (problems: string[]): ParsedReply<ScoreItem> => ({
  items: [],
  problems,
  conflicts: [],
  firstOfConflicts: [],
});

/** The two scores of a record, read as `scoreFrom` reads them. */
function scoresOf(record: JsonRecord): { relevance: number | null; novelty: number | null } {
  return { relevance: scoreFrom(field(record, "relevance")), novelty: scoreFrom(field(record, "novelty")) };
}

/** Whether the records' scores are on a 0–1 scale: every one within 0–1, at least one a fraction. */
function onUnitScale(records: readonly JsonRecord[]): boolean {
  const values = records.flatMap((r) => Object.values(scoresOf(r))).filter((v): v is number => v !== null);
  return values.length > 0 && values.every((v) => v >= 0 && v <= 1) && values.some((v) => v > 0 && v < 1);
}

/**
 * One reading of a reply: validate each record alone, map ids onto the expected ones, and report
 * unknown ids and duplicates instead of trusting them. A problem about a paper asked about names
 * it by the id asked (`item for 2602.04119: …`), however the answer wrote it, so the caller can
 * tell it from the problems of other papers.
 */
function readScores(text: string, expectedIds: readonly string[]): ParsedReply<ScoreItem> {
  const { items: records, problems } = extractRecords(text);
  const expected = new Set(expectedIds);
  const unitScale = onUnitScale(records);
  const seen = new Map<string, string>();
  const conflicted = new Set<string>();
  const items: ScoreItem[] = [];
  records.forEach((record, index) => {
    const rawId = textOf(field(record, "id"));
    const named = askedIds(rawId ?? "", expected);
    if (named.length > 1) {
      for (const paper of named) {
        problems.push(`item for ${paper}: its id ${rawId} matches ${named.join(" and ")} as a number; ignored`);
      }
      return;
    }
    const id = named[0]!;
    const label = rawId ? `item for ${expected.has(id) ? id : rawId}` : `item ${index + 1}`;
    const scores = scoresOf(record);
    if (unitScale) {
      const shown = Object.entries(scores).map(([name, value]) => `${name} ${value ?? "missing"}`);
      problems.push(`${label}: ${shown.join(" and ")} are on a 0-1 scale, as is the whole answer, not 1-10`);
      return;
    }
    const checked = checkScoreItem({
      id,
      ...scores,
      comment: field(record, "comment"),
      topic: field(record, "topic"),
    });
    if (!checked.ok) {
      problems.push(`${label}: ${checked.problem}`);
      return;
    }
    const item = checked.item;
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

/**
 * Relevance/novelty scores for the papers in `expectedIds`, from any of the reply shapes above:
 * the thinking set aside, then the first reading (`readings`) that scores a paper asked about.
 * When none does, the problems are those of the first reading.
 */
export function parseScoreReply(text: string, expectedIds: readonly string[]): ParsedReply<ScoreItem> {
  const answer = withoutThinking(text);
  if (answer.problem) return emptyReply([answer.problem]);
  let first: ParsedReply<ScoreItem> | undefined;
  for (const reading of readings(answer.text)) {
    const parsed = readScores(reading, expectedIds);
    if (parsed.items.length + parsed.conflicts.length > 0) return parsed;
    first ??= parsed;
  }
  return first ?? emptyReply(["the reply was empty"]);
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

const listKind = (key: string) => {
  const folded = fold(key);
  return TRIAGE_LISTS.onTopic.includes(folded) ? "onTopic" : TRIAGE_LISTS.maybe.includes(folded) ? "maybe" : null;
};

/** The objects in a JSON value that hold an on_topic or maybe list, outermost first (`{"result": {...}}` too). */
function triageAnswers(value: unknown): JsonRecord[] {
  if (Array.isArray(value)) return value.flatMap(triageAnswers);
  if (!isRecord(value)) return [];
  if (Object.keys(value).some((key) => listKind(key) !== null)) return [value];
  return Object.values(value).flatMap(triageAnswers);
}

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
 * the reply shapes the scoring parser accepts (thinking, fences, prose around the JSON). When the
 * reply holds several such answers the last is read: drafts and examples come before the final
 * answer (see `extractRecords`). A number in both lists counts as maybe (the answer contradicts
 * itself); numbers outside the batch are reported and ignored. The triage names titles by line
 * number, never by arXiv id, so a number here loses nothing when `JSON.parse` reads it.
 */
export function parseTriageReply(text: string, count: number): TriageLists {
  const problems: string[] = [];
  const onTopic = new Set<number>();
  const maybe = new Set<number>();
  const unanswered = (problem: string) => ({ onTopic, maybe, answered: false, problems: [problem] });
  if (text.trim() === "") return unanswered("the reply was empty");
  const answer = withoutThinking(text);
  if (answer.problem) return unanswered(answer.problem);
  const found = readings(answer.text)
    .map((reading) => jsonValues(reading).flatMap(triageAnswers).at(-1))
    .find((a) => a !== undefined);
  if (!found) {
    const preview = answer.text.trim().slice(0, 80).replace(/\s+/g, " ");
    return unanswered(`the reply held no on_topic or maybe list (it began: "${preview}")`);
  }
  for (const [key, entries] of Object.entries(found)) {
    const kind = listKind(key);
    if (kind === null) continue;
    for (const n of lineNumbers(entries, count, key, problems)) (kind === "onTopic" ? onTopic : maybe).add(n);
  }
  for (const n of onTopic) {
    if (maybe.has(n)) onTopic.delete(n);
  }
  return { onTopic, maybe, answered: true, problems };
}
