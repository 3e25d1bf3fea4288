/**
 * The reader's feedback: `feedback.jsonl` in the workspace, one signal per line, only ever
 * appended. The file is meant to live in git next to the archive, edited from several machines
 * (CLI, GitHub sync, library imports), so nothing in it depends on line order: the state of a
 * paper is the fold of its signals in one total order (time first, see inEffectOrder), duplicates
 * change nothing, and a union merge of two branches (`feedback.jsonl merge=union` in
 * .gitattributes) is a valid file. Lines that do not validate are reported and skipped, never
 * fatal: one bad hand edit must not cost the reader the rest of their history.
 */

import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { appendFile, mkdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import * as z from "zod";
import { parseArxivId } from "../arxiv/ids.js";
import { shownValue } from "../format/shown.js";
import { plainLine } from "../format/text.js";
import { WORKSPACE_ENTRIES } from "../io/paths.js";
import { UserError } from "../model/errors.js";
import { SIGNAL_KINDS, type SignalKind } from "./signal-kinds.js";

export const FEEDBACK_FILE = WORKSPACE_ENTRIES.feedback;
export const FEEDBACK_VERSION = 1;
/** The version of a line that names its paper by title alone (no id). */
export const TITLE_LINE_VERSION = 2;

export { SIGNAL_KINDS, type SignalKind };

/** Where a signal came from: the CLI, the site, a synced GitHub issue, or an imported library file. */
export type FeedbackSource = "cli" | "site" | "github" | `import:${string}`;

export class FeedbackError extends UserError {
  override name = "FeedbackError";
}

/** True for the canonical unversioned form only: `2401.00010`, never `2401.00010v2` or `arXiv:…`. */
export function isUnversionedId(text: string): boolean {
  const parsed = parseArxivId(text);
  return parsed !== null && parsed.version === null && parsed.id === text;
}

const SourceSchema = z.custom<FeedbackSource>(
  (v) => typeof v === "string" && (/^(cli|site|github)$/.test(v) || /^import:\S/.test(v)),
  'expected "cli", "site", "github" or "import:<file>"',
);

/**
 * A line of feedback.jsonl. Fields this version does not define are kept as they are (a newer
 * version's, a tool's). A line names its paper by arXiv id, or (version 2 of the line, so an older
 * arxiv-digest skips it as written by a newer one rather than as broken) by its title alone: a
 * library entry for a paper the archive has not seen yet, whose id nobody knows (src/feedback/titled.ts).
 */
export const FeedbackLineSchema = z
  .looseObject({
    v: z.union([z.literal(1), z.literal(TITLE_LINE_VERSION)]),
    id: z
      .string()
      .refine(isUnversionedId, "expected an unversioned arXiv id such as 2401.00010 or hep-th/9901001")
      .optional(),
    signal: z.enum(SIGNAL_KINDS),
    at: z.iso.datetime({ offset: true }),
    source: SourceSchema,
    // Shown in the terminal and on pages: one line, no control characters, whatever the file held.
    title: z.string().max(1000).transform(plainLine).pipe(z.string().min(1)).optional(),
    // The DOI of a title-only line's library entry (normalised), a second way to find its paper.
    doi: z
      .string()
      .regex(/^10\.\d{4,9}\/\S+$/, "expected a DOI such as 10.1145/3589334.3645001")
      .optional(),
    // The GitHub issue a synced signal came from ("owner/repo#12"): a later sync of the same issue, left
    // open by --keep-open or not closed, records nothing again.
    issue: z
      .string()
      .regex(/^[^\s/#]+\/[^\s/#]+#\d+$/, 'expected "owner/repo#number"')
      .optional(),
  })
  .superRefine((line, ctx) => {
    if (line.id !== undefined) return;
    if (line.v < TITLE_LINE_VERSION)
      ctx.addIssue({ code: "custom", path: ["id"], message: "expected an arXiv id (a line without one is v 2)" });
    else if (line.title === undefined)
      ctx.addIssue({ code: "custom", path: ["title"], message: "a line without an id names its paper by title" });
  });
export type FeedbackLine = z.infer<typeof FeedbackLineSchema>;
/** A line naming its paper by arXiv id: what every paper's state is folded from. */
export type FeedbackSignal = FeedbackLine & { id: string };
/** A line naming its paper by title alone, until a paper of that title is known. */
export type TitleSignal = FeedbackLine & { id?: undefined; title: string };

export interface LineProblem {
  /** 1-based line number in the file. */
  line: number;
  message: string;
}

export interface PaperFeedback {
  liked: boolean;
  disliked: boolean;
  saved: boolean;
  /** Time of the latest signal for the paper (ISO). */
  at: string;
  /** The latest title any signal carried, for display; null when none did. */
  title: string | null;
}

export function feedbackPath(workspaceDir: string): string {
  return join(workspaceDir, FEEDBACK_FILE);
}

/**
 * Builds one validated signal from user input. The id may be written in any form people use
 * (`arXiv:2401.00010v2`, an abs URL); it is stored unversioned because feedback is about the
 * paper, not one revision of it. Throws FeedbackError naming the bad input.
 */
export function makeSignal(
  idText: string,
  signal: SignalKind,
  source: FeedbackSource,
  at: Date | string,
  title?: string,
): FeedbackSignal {
  const parsed = parseArxivId(idText);
  if (!parsed)
    throw new FeedbackError(
      `${shownValue(idText)} is not an arXiv identifier (expected e.g. 2401.00010 or hep-th/9901001).`,
    );
  const candidate = {
    v: FEEDBACK_VERSION,
    id: parsed.id,
    signal,
    at: typeof at === "string" ? at : at.toISOString(),
    source,
    ...(title && plainLine(title) ? { title: plainLine(title) } : {}),
  };
  const result = FeedbackLineSchema.safeParse(candidate);
  if (!result.success) throw new FeedbackError(`Feedback for ${idText} is invalid: ${describe(result.error)}`);
  return result.data as FeedbackSignal;
}

/**
 * A signal for a paper known only by its title (and maybe a DOI), as a library entry without an
 * arXiv id gives it. Throws FeedbackError when the title is empty.
 */
export function makeTitleSignal(
  title: string,
  signal: SignalKind,
  source: FeedbackSource,
  at: Date | string,
  doi?: string,
): TitleSignal {
  const candidate = {
    v: TITLE_LINE_VERSION,
    signal,
    at: typeof at === "string" ? at : at.toISOString(),
    source,
    title: plainLine(title),
    ...(doi ? { doi } : {}),
  };
  const result = FeedbackLineSchema.safeParse(candidate);
  if (!result.success) throw new FeedbackError(`Feedback for "${title}" is invalid: ${describe(result.error)}`);
  return result.data as TitleSignal;
}

function describe(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return `${issue.path.join(".") || "(line)"}: ${issue.message}`;
}

/** A file whose last write was cut short ends without a newline; the next line must not glue onto it. */
function needsLeadingNewline(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return false;
  }
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return false;
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    return last[0] !== 0x0a;
  } finally {
    closeSync(fd);
  }
}

/**
 * Appends signals to the file, creating it (and its folder) when missing. Each signal is validated
 * first, so nothing is written unless all are good. The batch goes out as one append-mode write:
 * O_APPEND places it at the end atomically with respect to other appenders, so two processes
 * adding feedback at once interleave whole batches, never half lines.
 */
export async function appendSignals(path: string, signals: readonly FeedbackLine[]): Promise<number> {
  if (signals.length === 0) return 0;
  const lines = signals.map((s, i) => {
    const result = FeedbackLineSchema.safeParse(s);
    if (!result.success) throw new FeedbackError(`Signal ${i + 1} of the batch is invalid: ${describe(result.error)}`);
    return JSON.stringify(result.data);
  });
  await mkdir(dirname(path), { recursive: true });
  const prefix = needsLeadingNewline(path) ? "\n" : "";
  await appendFile(path, `${prefix}${lines.join("\n")}\n`, { encoding: "utf8", flag: "a" });
  return lines.length;
}

/** What a feedback file holds: lines by id, lines by title alone, and the lines skipped. */
export interface ReadSignals {
  signals: FeedbackSignal[];
  titled: TitleSignal[];
  problems: LineProblem[];
}

/** Parses JSONL text of signals; problems carry 1-based line numbers. */
export function parseSignals(text: string): ReadSignals {
  const signals: FeedbackSignal[] = [];
  const titled: TitleSignal[] = [];
  const problems: LineProblem[] = [];
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    // Blank lines come from hand edits and from the newline guard above; they carry nothing.
    if (!raw.trim()) return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (err) {
      problems.push({ line, message: `not JSON (${(err as Error).message})` });
      return;
    }
    const version = (json as { v?: unknown } | null)?.v;
    if (typeof version === "number" && version > TITLE_LINE_VERSION) {
      problems.push({ line, message: `written by a newer arxiv-digest (v ${version}); upgrade to read it` });
      return;
    }
    const result = FeedbackLineSchema.safeParse(json);
    if (!result.success) problems.push({ line, message: describe(result.error) });
    else if (result.data.id !== undefined) signals.push(result.data as FeedbackSignal);
    else titled.push(result.data as TitleSignal);
  });
  return { signals, titled, problems };
}

/** Reads the feedback file; a missing file is an empty history, an unreadable one an error naming it. */
export async function readSignals(path: string): Promise<ReadSignals> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return { signals: [], titled: [], problems: [] };
    throw new FeedbackError(`Cannot read ${path}: ${(err as Error).message}`);
  }
  return parseSignals(text);
}

/**
 * Where a kind stands among signals of one instant. A clear comes first: it forgets what came
 * before it, not what was said with it (the site sends "clear, like" for a click that takes a save
 * off a liked paper, all at one time). Then save, like and dislike: of a like and a dislike given
 * at the same instant, the dislike stands.
 */
const KIND_RANK: Record<SignalKind, number> = { clear: 0, save: 1, like: 2, dislike: 3 };

interface Keyed<T extends FeedbackLine = FeedbackSignal> {
  s: T;
  /** The instant in milliseconds, and the digits of the second's fraction past the millisecond. */
  ms: number;
  sub: string;
  rank: number;
}

function keyed<T extends FeedbackLine>(s: T): Keyed<T> {
  const dot = s.at.indexOf(".");
  // Digits past the millisecond are rare; trailing zeros dropped, comparing them as text compares
  // the fractions as numbers.
  const sub = dot < 0 ? "" : (/^\.\d{3}(\d*)/.exec(s.at.slice(dot))?.[1] ?? "").replace(/0+$/, "");
  return { s, ms: Date.parse(s.at), sub, rank: KIND_RANK[s.signal] };
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The order of inEffectOrder; after the kind, every other field, so only the same line ties. */
function compareKeyed(a: Keyed<FeedbackLine>, b: Keyed<FeedbackLine>): number {
  return (
    a.ms - b.ms ||
    byText(a.sub, b.sub) ||
    a.rank - b.rank ||
    byText(a.s.id ?? "", b.s.id ?? "") ||
    byText(a.s.at, b.s.at) ||
    byText(a.s.source, b.s.source) ||
    byText(a.s.title ?? "", b.s.title ?? "") || // a title is never empty
    byText(a.s.doi ?? "", b.s.doi ?? "")
  );
}

/**
 * Signals in the order they take effect: by instant (offsets compared as the same clock), then
 * by kind at one instant (KIND_RANK), then by the rest of the line. The order is total, so it does
 * not depend on where a line sits in the file; two signals that tie on every field are the same
 * line twice, and applying a signal twice changes nothing.
 */
export function inEffectOrder<T extends FeedbackLine>(signals: readonly T[]): T[] {
  return signals
    .map(keyed)
    .sort(compareKeyed)
    .map((k) => k.s);
}

/** A text key equal for two signals exactly when they are the same line. */
export function signalKey(s: FeedbackLine): string {
  return JSON.stringify([s.id ?? null, s.signal, s.at, s.source, s.title ?? null, s.doi ?? null]);
}

/**
 * Each paper's feedback now: the fold of its signals in effect order. Like and dislike exclude
 * each other (the later wins); save is a separate bookmark that either can accompany; clear
 * forgets all three. Papers come in id order, so two histories with the same outcome give equal
 * maps, order included.
 */
export function currentState(signals: readonly FeedbackSignal[]): Map<string, PaperFeedback> {
  const state = new Map<string, PaperFeedback>();
  for (const s of inEffectOrder(signals)) {
    const prev = state.get(s.id) ?? { liked: false, disliked: false, saved: false, at: s.at, title: null };
    const next: PaperFeedback = { ...prev, at: s.at, title: s.title ?? prev.title };
    if (s.signal === "like") Object.assign(next, { liked: true, disliked: false });
    else if (s.signal === "dislike") Object.assign(next, { liked: false, disliked: true });
    else if (s.signal === "save") next.saved = true;
    else Object.assign(next, { liked: false, disliked: false, saved: false });
    state.set(s.id, next);
  }
  return new Map([...state].sort(([a], [b]) => byText(a, b)));
}

/**
 * Whether feedback still says something: liked, disliked or saved. A paper cleared, or a waiting
 * entry forgotten (`feedback waiting --forget` clears it by title), says nothing: the one rule of
 * which entries are live, so no command lists, counts, waits for or fetches one the others leave out.
 */
export function isLive(f: Pick<PaperFeedback, "liked" | "disliked" | "saved">): boolean {
  return f.liked || f.disliked || f.saved;
}

/**
 * `currentState` less the papers whose feedback says nothing now (`isLive`): what `feedback list`
 * shows and `feedback resolve` fetches. The served pages take `currentState` whole, since a
 * paper cleared in the file must take the mark off in the browser too.
 */
export function liveState(signals: readonly FeedbackSignal[]): Map<string, PaperFeedback> {
  return new Map([...currentState(signals)].filter(([, f]) => isLive(f)));
}

/**
 * The lines of `signals` that still decide each paper's feedback, as they were written (time,
 * source and title kept), in effect order: per paper the last like, dislike or clear, the last
 * save or clear, and the last line with a title. Every other line is overridden by a later one for
 * all it sets, so these lines added to any file give the same state as the whole history would:
 * `feedback export` prints them, and importing them elsewhere is a merge, as git's union merge of
 * the two files would be. No line is made up, so none needs a clear to make room for it.
 */
export function decidingSignals(signals: readonly FeedbackSignal[]): FeedbackSignal[] {
  const last = new Map<string, { vote?: Keyed; save?: Keyed; titled?: Keyed }>();
  for (const k of signals.map(keyed).sort(compareKeyed)) {
    const paper = last.get(k.s.id) ?? {};
    if (k.s.signal !== "save") paper.vote = k;
    if (k.s.signal === "save" || k.s.signal === "clear") paper.save = k;
    if (k.s.title !== undefined) paper.titled = k;
    last.set(k.s.id, paper);
  }
  const kept = new Set<Keyed>();
  for (const p of last.values()) for (const k of [p.vote, p.save, p.titled]) if (k) kept.add(k);
  return [...kept].sort(compareKeyed).map((k) => k.s);
}
