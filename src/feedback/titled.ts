/**
 * Papers named by title: the one home of the rules that match a title (or a DOI) to a known paper,
 * which a library import and the title-only lines of feedback.jsonl share. A library entry without
 * an arXiv id for a paper the archive has not seen yet is kept as a title-only line (`makeTitleSignal`):
 * it teaches by its title at once, and as soon as a known paper (archived, resolved, or carrying
 * feedback of its own) has that title or DOI, the line counts for that paper by id. Nothing is
 * rewritten to get there: the match is made each time the file is read, against what is known then.
 */
import { createHash } from "node:crypto";
import { decodeTex } from "../format/math-spans.js";
import { plainLine } from "../format/text.js";
import {
  currentState,
  decidingSignals,
  type FeedbackSignal,
  type FeedbackSource,
  inEffectOrder,
  isLive,
  makeTitleSignal,
  type PaperFeedback,
  type ReadSignals,
  type TitleSignal,
} from "./store.js";

/** Shorter normalised titles ("Introduction", "Notes") say too little to name one paper. */
export const MIN_TITLE_CHARS = 12;

/** `https://doi.org/10.1/X`, `doi:10.1/X`, `10.1/X` → `10.1/x`; null when it is no DOI. */
export function normalizeDoi(text: string): string | null {
  const doi = text
    .trim()
    .replace(/\\(?=[_&%#])/g, "")
    .replace(/^(?:https?:\/\/(?:dx\.)?doi\.org\/|doi:\s*)/i, "")
    .toLowerCase();
  return /^10\.\d{4,9}\/\S+$/.test(doi) ? doi : null;
}

/**
 * A title reduced to its letters and digits: TeX decoded, accents, case, math markup,
 * punctuation and spacing dropped, so `O(n²)` and `$\mathcal{O}(n^2)$` agree, as do a manager's
 * sentence case and arXiv's title case.
 */
export function normalizeTitle(text: string): string {
  return decodeTex(text)
    .replace(/\\[A-Za-z]+/g, "")
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, "");
}

/** A title long enough to name one paper, normalised; null when it is too short. */
export function titleKey(title: string): string | null {
  const key = normalizeTitle(title);
  return key.length >= MIN_TITLE_CHARS ? key : null;
}

/** What matching needs of a paper. */
export interface NamedPaper {
  id: string;
  title: string;
  doi?: string | undefined;
}

/** Known papers by DOI and by normalised title. */
export interface PaperIndex {
  byDoi: Map<string, string>;
  byTitle: Map<string, string[]>;
  size: number;
}

export function paperIndex(papers: Iterable<NamedPaper>): PaperIndex {
  const byDoi = new Map<string, string>();
  const byTitle = new Map<string, string[]>();
  const ids = new Set<string>();
  for (const p of papers) {
    ids.add(p.id);
    const doi = p.doi ? normalizeDoi(p.doi) : null;
    if (doi) byDoi.set(doi, p.id);
    const key = titleKey(p.title);
    if (!key) continue;
    const same = byTitle.get(key) ?? [];
    if (!same.includes(p.id)) same.push(p.id);
    byTitle.set(key, same);
  }
  return { byDoi, byTitle, size: ids.size };
}

/** The paper a DOI, then a title, names: one id, several (the title is ambiguous), or none. */
export function findPaper(
  index: PaperIndex,
  title: string | null,
  doi: string | null,
): { id: string; via: "doi" | "title" } | { ambiguous: string[] } | null {
  const byDoi = doi ? index.byDoi.get(doi) : undefined;
  if (byDoi) return { id: byDoi, via: "doi" };
  const key = title ? titleKey(title) : null;
  const ids = key ? (index.byTitle.get(key) ?? []) : [];
  if (ids.length === 1) return { id: ids[0]!, via: "title" };
  return ids.length > 1 ? { ambiguous: ids } : null;
}

/**
 * The papers a title-only line of the file can name: `known`, and each paper whose own signals
 * carry a title (`identifySignals` matches against it).
 */
export function titledIndex(read: Pick<ReadSignals, "signals">, known: Iterable<NamedPaper>): PaperIndex {
  const carried = read.signals.flatMap((s) => (s.title ? [{ id: s.id, title: s.title }] : []));
  return paperIndex([...known, ...carried]);
}

/**
 * The lines of a feedback file by paper: the lines with an id, and each title-only line whose
 * title or DOI names one paper of `known` (the archive, resolved papers) or one paper whose own
 * signals carry that title, given that paper's id; the other title-only lines wait.
 */
export function identifySignals(
  read: Pick<ReadSignals, "signals" | "titled">,
  known: Iterable<NamedPaper>,
): { signals: FeedbackSignal[]; waiting: TitleSignal[] } {
  if (read.titled.length === 0) return { signals: read.signals, waiting: [] };
  const index = titledIndex(read, known);
  const signals = [...read.signals];
  const waiting: TitleSignal[] = [];
  for (const line of read.titled) {
    const hit = findPaper(index, line.title, line.doi ?? null);
    if (hit && "id" in hit) {
      const { doi: _doi, ...rest } = line;
      signals.push({ ...rest, v: 1, id: hit.id } as FeedbackSignal);
    } else waiting.push(line);
  }
  return { signals, waiting };
}

/** The key a waiting paper goes by: its normalised title, or the title as written when too short. */
function waitingKey(line: TitleSignal): string {
  return titleKey(line.title) ?? line.title;
}

/** Title-only lines under their waiting key as id, for the folds of store.ts. */
function byWaitingKey(lines: readonly TitleSignal[]): Map<FeedbackSignal, TitleSignal> {
  return new Map(lines.map((l) => [{ ...l, id: waitingKey(l) } as FeedbackSignal, l]));
}

/**
 * Each waiting paper's feedback now, folded as a paper's signals are (store.ts `currentState`),
 * keyed by its normalised title.
 */
export function waitingState(waiting: readonly TitleSignal[]): Map<string, PaperFeedback & { title: string }> {
  return currentState([...byWaitingKey(waiting).keys()]) as Map<string, PaperFeedback & { title: string }>;
}

/** The title-only lines that still decide each waiting paper's feedback (`decidingSignals`). */
export function decidingTitleSignals(titled: readonly TitleSignal[]): TitleSignal[] {
  const keyed = byWaitingKey(titled);
  return decidingSignals([...keyed.keys()]).map((s) => keyed.get(s)!);
}

/** A library entry waiting for its paper, as `feedback waiting` lists it. */
export interface WaitingEntry {
  /** Its normalised title (`waitingKey`): the lines that share it are one entry. */
  key: string;
  /** The latest title its lines carried. */
  title: string;
  feedback: PaperFeedback;
  /** When its first line was given (ISO). */
  since: string;
  /** The DOIs its lines carried (normalised), none when they carried none. */
  dois: string[];
}

/**
 * The waiting entries that are live (`isLive`: not forgotten, not cleared), oldest first (by their
 * first line, then their key). The order is for reading only: an entry leaves the list as soon as
 * a paper of its title is known, so a place in it names nothing for long; `waitingHandles` does.
 */
export function waitingEntries(waiting: readonly TitleSignal[]): WaitingEntry[] {
  const byKey = new Map<string, { since: string; dois: Set<string> }>();
  for (const line of inEffectOrder(waiting)) {
    const key = waitingKey(line);
    const entry = byKey.get(key) ?? { since: line.at, dois: new Set<string>() };
    if (line.doi) entry.dois.add(line.doi);
    byKey.set(key, entry);
  }
  const rank = new Map([...byKey.keys()].map((key, i) => [key, i]));
  return [...waitingState(waiting)]
    .filter(([, f]) => isLive(f))
    .map(([key, f]) => ({ key, title: f.title, feedback: f, ...byKey.get(key)!, dois: [...byKey.get(key)!.dois] }))
    .sort((a, b) => rank.get(a.key)! - rank.get(b.key)!);
}

/** How many hex digits of its handle `feedback waiting` shows, unless another entry's share them. */
export const HANDLE_CHARS = 7;
/** The fewest digits of a handle `feedback waiting --forget` takes: "3" or "12" names nothing. */
export const MIN_HANDLE_CHARS = 4;

/**
 * The handles of the entries the file names by title: each the SHA-256 (hex) of its waiting key, so
 * it depends on the title alone, never on the list's order or on what else waits. Every title-only
 * line has one, waiting or not: an entry that stopped waiting (its paper archived, or forgotten)
 * keeps its handle, so a copy of it is never taken for another entry's.
 */
export interface WaitingHandles {
  /** The handle shown for a key: its first `HANDLE_CHARS` digits, more while another handle shares them. */
  shown(key: string): string;
  /** The keys whose handle starts with `prefix` (any case). */
  matching(prefix: string): string[];
  /** The title-only lines of a key. */
  lines(key: string): TitleSignal[];
}

export function waitingHandles(titled: readonly TitleSignal[]): WaitingHandles {
  const linesOf = new Map<string, TitleSignal[]>();
  for (const line of titled) {
    const key = waitingKey(line);
    linesOf.set(key, [...(linesOf.get(key) ?? []), line]);
  }
  const hashes = [...linesOf.keys()]
    .map((key) => ({ key, hash: createHash("sha256").update(key).digest("hex") }))
    .sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0));
  // In sorted order the handle sharing most digits with one is beside it.
  const common = (a: string | undefined, b: string): number => {
    let n = 0;
    while (a !== undefined && n < b.length && a[n] === b[n]) n++;
    return n;
  };
  const shown = new Map<string, string>();
  const hashOf = new Map<string, string>();
  for (const [i, { key, hash }] of hashes.entries()) {
    const shared = Math.max(common(hashes[i - 1]?.hash, hash), common(hashes[i + 1]?.hash, hash));
    shown.set(key, hash.slice(0, Math.max(HANDLE_CHARS, shared + 1)));
    hashOf.set(key, hash);
  }
  return {
    shown: (key) => shown.get(key) ?? createHash("sha256").update(key).digest("hex").slice(0, HANDLE_CHARS),
    matching: (prefix) => {
      const p = prefix.toLowerCase();
      return hashes.filter((h) => h.hash.startsWith(p)).map((h) => h.key);
    },
    lines: (key) => linesOf.get(key) ?? [],
  };
}

/** What a name given to `feedback waiting --forget` names. */
export type WaitingName =
  /** One waiting entry, by its handle or its title. */
  | { entry: WaitingEntry }
  /** The handles (as shown) of the entries it could name: the reader gives more digits. */
  | { ambiguous: string[] }
  /** The handle of an entry that waits no more (its paper is known, or it was forgotten). */
  | { gone: string; lines: TitleSignal[] }
  /** Digits too few to be a handle (a number, as the list once had). */
  | { tooShort: true }
  /** Neither a handle nor the title of a waiting entry. */
  | null;

const HEX = /^[0-9a-f]+$/i;

/**
 * The entry a name given to `feedback waiting --forget` names: a handle, or its first
 * `MIN_HANDLE_CHARS` digits or more, that starts one entry's handle and no other's, or a waiting
 * entry's title (compared as `waitingKey` compares them). A name that could be either and names
 * two entries is ambiguous; digits too few for a handle name nothing, so a number the reader
 * remembers from a listing can never pick an entry by chance.
 */
export function nameWaitingEntry(text: string, entries: readonly WaitingEntry[], handles: WaitingHandles): WaitingName {
  const name = text.trim();
  const byTitle = waitingEntryTitled(entries, text);
  if (!HEX.test(name)) return byTitle ? { entry: byTitle } : null;
  if (name.length < MIN_HANDLE_CHARS) return byTitle ? { entry: byTitle } : { tooShort: true };
  const keys = new Set(handles.matching(name));
  if (byTitle) keys.add(byTitle.key);
  if (keys.size > 1) return { ambiguous: [...keys].map((k) => handles.shown(k)).sort() };
  const [key] = keys;
  if (key === undefined) return null;
  const entry = entries.find((e) => e.key === key);
  return entry ? { entry } : { gone: handles.shown(key), lines: handles.lines(key) };
}

/**
 * The title-only `clear` lines that forget a waiting entry: one per DOI its lines carried (or one
 * without), so the entry is forgotten by whichever route later names its paper, DOI or title.
 */
export function forgetLines(entry: WaitingEntry, source: FeedbackSource, at: Date | string): TitleSignal[] {
  const dois = entry.dois.length > 0 ? entry.dois : [undefined];
  return dois.map((doi) => makeTitleSignal(entry.title, "clear", source, at, doi));
}

/** The waiting entry a title names (compared as `waitingKey` compares them), if any. */
export function waitingEntryTitled(entries: readonly WaitingEntry[], title: string): WaitingEntry | undefined {
  const key = titleKey(title) ?? plainLine(title);
  return entries.find((e) => e.key === key);
}
