/**
 * Papers named by title: the one home of the rules that match a title (or a DOI) to a known paper,
 * which a library import and the title-only lines of feedback.jsonl share. A library entry without
 * an arXiv id for a paper the archive has not seen yet is kept as a title-only line (`makeTitleSignal`):
 * it teaches by its title at once, and as soon as a known paper (archived, resolved, or carrying
 * feedback of its own) has that title or DOI, the line counts for that paper by id. Nothing is
 * rewritten to get there: the match is made each time the file is read, against what is known then.
 */
import { decodeTex } from "../format/tex.js";
import { plainLine } from "../format/text.js";
import {
  currentState,
  decidingSignals,
  type FeedbackSignal,
  type FeedbackSource,
  inEffectOrder,
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
 * The lines of a feedback file by paper: the lines with an id, and each title-only line whose
 * title or DOI names one paper of `known` (the archive, resolved papers) or one paper whose own
 * signals carry that title, given that paper's id; the other title-only lines wait.
 */
export function identifySignals(
  read: Pick<ReadSignals, "signals" | "titled">,
  known: Iterable<NamedPaper>,
): { signals: FeedbackSignal[]; waiting: TitleSignal[] } {
  if (read.titled.length === 0) return { signals: read.signals, waiting: [] };
  const carried = read.signals.flatMap((s) => (s.title ? [{ id: s.id, title: s.title }] : []));
  const index = paperIndex([...known, ...carried]);
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
 * The waiting entries that still say something (liked, disliked or saved), oldest first (by their
 * first line, then their key), so the numbers `feedback waiting` shows stay put while lines are
 * only added: a later import numbers its entries after them.
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
    .filter(([, f]) => f.liked || f.disliked || f.saved)
    .map(([key, f]) => ({ key, title: f.title, feedback: f, ...byKey.get(key)!, dois: [...byKey.get(key)!.dois] }))
    .sort((a, b) => rank.get(a.key)! - rank.get(b.key)!);
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
