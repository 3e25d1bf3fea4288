/**
 * What the reader took before, gathered from the workspace for one day's selection: the papers
 * the digest picked on earlier days (weak positives), the papers it passed over (weak negatives,
 * the most recent few thousand), and every like, save and dislike in feedback.jsonl (strong
 * signals, whose metadata comes from the archive or the feedback papers cache). Only signals
 * given before the cutoff the caller passes count: `run` and `backfill` pass the instant they
 * started, so feedback given overnight counts that morning; `eval` passes the start of the day
 * it replays, so a past day never learns from labels given after it. Signals after the cutoff are
 * counted, for the run to say that they wait for the next one.
 */
import type { ArchiveStore } from "../archive/store.js";
import { papersCachePath, readPapersCache } from "../feedback/resolve.js";
import { currentState, feedbackPath, isLive, readSignals } from "../feedback/store.js";
import { identifySignals, type NamedPaper, waitingState } from "../feedback/titled.js";
import { endSentence } from "../format/text.js";
import type { Learning, PaperRecord } from "../model/day-record.js";
import {
  DISLIKED_WEIGHT,
  fitHistoryModel,
  type HistoryExample,
  type HistoryModel,
  type HistoryText,
  IMPORTED_WEIGHT,
  LIKED_WEIGHT,
  SELECTED_WEIGHT,
  UNSELECTED_WEIGHT,
} from "../selection/history.js";
import type { ReaderTaste } from "../selection/prompt.js";
import type { Workspace } from "../workspace/load.js";

/** Enough negatives to teach the model the day's common non-picks; more only slows the fit. */
export const MAX_NEGATIVES = 3000;
/** Unresolved ids a day's record names at most (the count of the rest is not needed: they are the reader's). */
const MAX_UNRESOLVED_KEPT = 20;
/** Titles shown to the model as the reader's taste, each way. */
const TASTE_TITLES = 8;

export interface ReaderHistory {
  model: HistoryModel;
  /** What the model was fitted on (the day's papers aside, when they stood in for negatives). */
  examples: HistoryExample[];
  /** Liked and disliked titles for the prompt (empty when feedback.promptTitles is off). */
  taste: ReaderTaste;
  /** What was learnt from, for the run's log. */
  counts: {
    picked: number;
    /** Earlier picks left out: their topic is no longer in the configuration. */
    retiredTopicPicks: number;
    /** Of `picked`, those made on days imported from another tool. */
    importedPicks: number;
    liked: number;
    /** Of `liked`, the papers a library import (`feedback import`, source `import:FILE`) saved. */
    fromLibrary: number;
    disliked: number;
    passedOver: number;
    /** Earlier days learnt from: days with papers; a damaged record is not one. */
    days: number;
  };
  /** Feedback before the cutoff naming papers nothing is known of yet (`Learning`, model/day-record.ts). */
  unused: { waitingForDay: number; unresolved: string[] };
  /** Signals in feedback.jsonl given at or after the cutoff: left for a later run. */
  laterSignals: number;
  /** The cutoff, as an ISO instant. */
  cutoff: string;
  notes: string[];
}

/** What a day's record keeps of its history (`selectionSettings.learning`, docs/schema.md). */
export function learningSummary(h: ReaderHistory): Learning {
  return {
    days: h.counts.days,
    picks: h.counts.picked,
    likedOrSaved: h.counts.liked,
    disliked: h.counts.disliked,
    leftForNextRun: h.laterSignals,
    cutoff: h.cutoff,
    ...(h.counts.retiredTopicPicks > 0 ? { retiredTopicPicks: h.counts.retiredTopicPicks } : {}),
    ...(h.counts.importedPicks > 0 ? { importedPicks: h.counts.importedPicks } : {}),
    ...(h.unused.waitingForDay > 0 ? { waitingForDay: h.unused.waitingForDay } : {}),
    ...(h.unused.unresolved.length > 0 ? { unresolved: h.unused.unresolved.slice(0, MAX_UNRESOLVED_KEPT) } : {}),
  };
}

/**
 * Whether a paper unknown on `date` may simply not be announced yet: a new-scheme id of the day's
 * month or later (ids follow submission, so a paper of the same month may be announced after it).
 */
export function mayBeAnnouncedAfter(id: string, date: string): boolean {
  const month = /^(\d{2})(\d{2})\.\d{4,5}$/.exec(id);
  return month !== null && `${month[1]}${month[2]}` >= `${date.slice(2, 4)}${date.slice(5, 7)}`;
}

/**
 * `day` is the day's candidates, unlabelled. They matter only when the history holds no negative
 * at all (a fresh workspace whose reader liked or imported papers, an archive of imported days
 * that hold only picks): the model then learns the reader's papers against the day's own papers
 * (weakly, at UNSELECTED_WEIGHT), which is what it must rank, instead of learning nothing.
 */
export async function readerHistory(
  ws: Workspace,
  store: ArchiveStore,
  date: string,
  /** Epoch milliseconds: only feedback given before this instant is learnt from. */
  signalsBefore: number,
  day: readonly HistoryText[] = [],
): Promise<ReaderHistory> {
  const notes: string[] = [];
  // The window counts days with papers to learn from: a weekend's or a holiday's record, and a
  // day whose run found no paper (a stale or failed feed, an empty announcement), take no place
  // in it, so the days before are read until the window is full. A damaged record keeps its place
  // (the window reaches no further back than it would once the record is repaired) but teaches
  // nothing, so it is not counted among the days learnt from (`days`), which run, backfill and
  // eval all report.
  const earlier = (await store.listDays()).filter((d) => d < date);
  const window = ws.config.selection.prefilter.historyDays;
  let days = 0;
  /** Places in the window taken: the days learnt from and the damaged records. */
  let taken = 0;
  const texts = new Map<string, HistoryText & { title: string }>();
  const picked = new Set<string>();
  /** Picks on days imported from another tool (`scoredBy: "import"`): its taste, weighed less. */
  const importedPicks = new Set<string>();
  const passedOver: string[] = [];
  const topics = new Set(ws.config.topics.map((t) => t.id));
  const retired = (p: PaperRecord) =>
    p.topic !== null && p.authorMatch === null && p.scoredBy !== "import" && !topics.has(p.topic);
  const retiredPicks = new Set<string>();
  const seen: NamedPaper[] = [];
  // Newest first, so the negatives kept are the most recent.
  for (const day of [...earlier].reverse()) {
    if (taken >= window) break;
    let record: Awaited<ReturnType<ArchiveStore["readDay"]>>;
    try {
      record = await store.readDay(day);
    } catch (err) {
      taken += 1;
      notes.push(`History: ${endSentence((err as Error).message)} It was left out of what the prefilter learns from.`);
      continue;
    }
    if (record.papers.length === 0) continue;
    taken += 1;
    days += 1;
    for (const p of record.papers) {
      if (!texts.has(p.id)) {
        texts.set(p.id, { title: p.title, abstract: p.abstract });
        seen.push(p);
      }
      // A pick made for a topic the reader has since removed (or renamed) no longer says what they
      // want: it is left out, neither positive nor negative. Imported days name the other tool's topics.
      if (p.outcome === "selected" && retired(p)) retiredPicks.add(p.id);
      else if (p.outcome === "selected") {
        picked.add(p.id);
        if (p.scoredBy === "import") importedPicks.add(p.id);
      } else if (passedOver.length < MAX_NEGATIVES) passedOver.push(p.id);
    }
  }

  // Feedback given before the cutoff, compared as instants: a signal may carry any offset.
  const read = await readSignals(feedbackPath(ws.dir));
  for (const p of read.problems) notes.push(`feedback.jsonl line ${p.line}: ${p.message}; the line was skipped.`);
  const early = (s: { at: string }) => Date.parse(s.at) < signalsBefore;
  const given = read.signals.length + read.titled.length;
  const resolved = given > 0 ? await readPapersCache(papersCachePath(ws.dir)).catch(() => new Map()) : new Map();
  // A library entry kept by title alone counts for the paper of that title once one is known;
  // until then it teaches by its title, under a key no arXiv id can take.
  const { signals, waiting } = identifySignals(read, [...seen, ...resolved.values()]);
  const before = signals.filter(early);
  const waitingBefore = waiting.filter(early);
  const state = new Map([
    ...currentState(before),
    ...[...waitingState(waitingBefore)].map(([key, f]) => [`title:${key}`, f] as const),
  ]);
  // Papers (and titles waiting for theirs) a library import spoke for, so a report can say them apart.
  const fromLibrary = (s: { source: string }) => s.source.startsWith("import:");
  const libraryKeys = new Set([
    ...before.filter(fromLibrary).map((s) => s.id),
    ...[...waitingState(waitingBefore.filter(fromLibrary)).keys()].map((key) => `title:${key}`),
  ]);
  const liked: string[] = [];
  const disliked: string[] = [];
  const unused = { waitingForDay: 0, unresolved: [] as string[] };
  for (const [id, f] of [...state].sort((a, b) => Date.parse(b[1].at) - Date.parse(a[1].at))) {
    // A paper older than the days read here, or from elsewhere and not resolved yet, still
    // teaches by the title its signal was given with (the archive's title, at the time of the like).
    const known = texts.get(id) ?? resolved.get(id) ?? (f.title ? { title: f.title, abstract: "" } : undefined);
    if (!known) {
      if (isLive(f)) {
        if (mayBeAnnouncedAfter(id, date)) unused.waitingForDay += 1;
        else unused.unresolved.push(id);
      }
      continue;
    }
    texts.set(id, { title: known.title, abstract: known.abstract ?? "" });
    if (f.disliked) disliked.push(id);
    else if (f.liked || f.saved) liked.push(id);
  }

  const weights = new Map<string, number>();
  for (const id of passedOver) weights.set(id, UNSELECTED_WEIGHT);
  // A paper picked on one of our days and on an imported one counts as our pick.
  for (const id of importedPicks) weights.set(id, IMPORTED_WEIGHT);
  for (const id of picked) if (!importedPicks.has(id)) weights.set(id, SELECTED_WEIGHT);
  // The reader's own word: a group of its own on each side (`explicitShare`, selection/history.ts).
  const explicit = new Set([...liked, ...disliked]);
  for (const id of liked) weights.set(id, LIKED_WEIGHT);
  for (const id of disliked) weights.set(id, DISLIKED_WEIGHT);
  const examples: HistoryExample[] = [...weights].map(([id, weight]) => ({
    ...texts.get(id)!,
    weight,
    ...(explicit.has(id) ? { explicit: true } : {}),
  }));
  // With negatives the model is as it always was (the day's papers would only shift its IDF).
  const background = examples.some((e) => e.weight < 0) ? [] : day;
  const showTitles = ws.config.feedback.promptTitles;
  return {
    model: fitHistoryModel(examples, { background }),
    examples,
    taste: {
      liked: showTitles ? liked.slice(0, TASTE_TITLES).map((id) => texts.get(id)!.title) : [],
      disliked: showTitles ? disliked.slice(0, TASTE_TITLES).map((id) => texts.get(id)!.title) : [],
    },
    counts: {
      picked: picked.size,
      importedPicks: importedPicks.size,
      retiredTopicPicks: [...retiredPicks].filter((id) => !picked.has(id)).length,
      liked: liked.length,
      fromLibrary: liked.filter((id) => libraryKeys.has(id)).length,
      disliked: disliked.length,
      passedOver: passedOver.length,
      days,
    },
    unused: { ...unused, unresolved: unused.unresolved.sort() },
    laterSignals: given - before.length - waitingBefore.length,
    cutoff: new Date(signalsBefore).toISOString(),
    notes,
  };
}
