/**
 * Importing a reference library (Zotero, Mendeley, JabRef exports) as saved papers. Each entry is
 * matched to an arXiv paper by the most certain route it offers: an arXiv id written anywhere
 * managers put one (eprint, an arxiv.org URL, a note such as `arXiv:2401.00010 [cs]`, the
 * arXiv DOI 10.48550/arXiv.X), then its DOI against papers we know, then its title against papers
 * we know (src/feedback/titled.ts). An entry whose title names no known paper is kept by that title
 * (`waiting`), since its paper may just not be announced yet. Anything else (no title, one too short,
 * one two known papers share) is listed with the reason, and an entry the file's format cannot read is
 * named apart with the line to fix (`unreadable`), the others imported as usual.
 */

import { type Entry as BibEntry, parse as parseBibtex } from "@retorquere/bibtex-parser";
import * as z from "zod";
import { parseArxivId } from "../arxiv/ids.js";
import { decodeTex } from "../format/math-spans.js";
import { shownValue } from "../format/shown.js";
import { plainLine, plural } from "../format/text.js";
import { UserError } from "../model/errors.js";
import { type BibtexField, type BibtexPiece, splitBibtex } from "./bibtex-split.js";
import type { KnownPaper } from "./known.js";
import { currentState, type FeedbackLine, makeSignal, makeTitleSignal, type ReadSignals } from "./store.js";
import {
  findPaper,
  identifySignals,
  type NamedPaper,
  normalizeDoi,
  paperIndex,
  titleKey,
  waitingEntries,
  waitingEntryTitled,
} from "./titled.js";

export { normalizeDoi, normalizeTitle } from "./titled.js";

export const LIBRARY_FORMATS = ["bibtex", "ris", "csl-json"] as const;
export type LibraryFormat = (typeof LIBRARY_FORMATS)[number];

export class LibraryFormatError extends UserError {
  override name = "LibraryFormatError";
}

/** One reference, reduced to what matching needs. */
export interface LibraryEntry {
  /** How the reader finds the entry in their file: `@misc{vaswani_attention_2017}`, `RIS record 3 (line 41)`. */
  label: string;
  title: string | null;
  /** Field name → value, for the fields that can hold an arXiv id or DOI, in matching priority. */
  hints: { field: string; kind: HintKind; text: string }[];
  doi: string | null;
  /** Set when the entry could not be read at all: why, and what to do about it. */
  error?: string;
  /** The line of the file to look at (1-based): where an unreadable entry went wrong, else where it starts. */
  line?: number;
}

/** How a field carries an arXiv id: as its whole value, inside a URL, after an `arXiv:` prefix, or as the arXiv DOI. */
type HintKind = "id" | "url" | "text" | "doi";

export type MatchRoute = "arxiv-id" | "doi" | "title";

export interface ImportResult {
  format: LibraryFormat;
  /** Entries read from the file, parse failures included. */
  entries: number;
  /** Each matched paper once, in file order. */
  matched: { id: string; via: MatchRoute; field: string; label: string; title: string | null }[];
  unmatched: { title: string | null; label: string; reason: string }[];
  /**
   * Entries the file holds but its format cannot read (a brace left open), each with the line to
   * fix when the format has lines, and a reason that says what to do; nothing of them is imported.
   */
  unreadable: { label: string; line: number | null; reason: string }[];
  /**
   * Entries with a title long enough to match on that name no known paper: kept by their title
   * (and DOI) until a paper of that title is archived. Each title once, in file order.
   */
  waiting: { title: string; label: string; doi: string | null }[];
  /** Papers that more than one entry matched; the first is in `matched`, all are named here. */
  duplicates: { id: string; labels: string[] }[];
}

// An id as it appears inside longer text; parseArxivId then checks it properly.
const ID_IN_TEXT = String.raw`([a-z-]+(?:\.[A-Z]{2})?\/\d{7}|\d{4}\.\d{4,5})(v\d+)?`;
const URL_ID = new RegExp(String.raw`arxiv\.org\/(?:abs|pdf)\/${ID_IN_TEXT}`, "i");
const PREFIXED_ID = new RegExp(String.raw`arxiv:\s*${ID_IN_TEXT}`, "i");
const ARXIV_DOI = /^10\.48550\/arxiv\.(.+)$/i;

function arxivIdFrom(kind: HintKind, text: string): string | null {
  let candidate: string | null = null;
  if (kind === "id") candidate = text.trim();
  else if (kind === "url") candidate = URL_ID.exec(text)?.[0].replace(/^.*\/(?:abs|pdf)\//i, "") ?? null;
  else if (kind === "text") {
    const m = PREFIXED_ID.exec(text);
    candidate = m ? `${m[1]}${m[2] ?? ""}` : null;
  } else {
    const doi = normalizeDoi(text);
    candidate = doi ? (ARXIV_DOI.exec(doi)?.[1] ?? null) : null;
  }
  return candidate ? (parseArxivId(candidate)?.id ?? null) : null;
}

/** How the reader knows each format, and what one entry of it is called. */
const FORMAT_NAME: Record<LibraryFormat, { name: string; entry: string }> = {
  bibtex: { name: "BibTeX", entry: "BibTeX entry" },
  ris: { name: "RIS", entry: "RIS record" },
  "csl-json": { name: "CSL-JSON", entry: "CSL-JSON item" },
};

/** The format the content looks like, whatever the file is called; null when it looks like none. */
export function sniffFormat(text: string): LibraryFormat | null {
  const body = text.replace(/^\uFEFF/, "").trimStart();
  if (body.startsWith("[") || body.startsWith("{")) return "csl-json";
  if (/^TY {2}-/m.test(body)) return "ris";
  if (/^\s*@[A-Za-z]+\s*[{(]/m.test(body)) return "bibtex";
  return null;
}

/** Guesses the format from the file name, then from the content; throws naming what it saw. */
export function detectFormat(text: string, fileName?: string): LibraryFormat {
  const ext = fileName?.toLowerCase().match(/\.([a-z]+)$/)?.[1];
  if (ext === "bib" || ext === "bibtex") return "bibtex";
  if (ext === "ris") return "ris";
  if (ext === "json") return "csl-json";
  const sniffed = sniffFormat(text);
  if (sniffed) return sniffed;
  throw new LibraryFormatError(
    `cannot tell the format of ${fileName ?? "the library"}: it is neither BibTeX (@article{…}), RIS (TY  - …) nor CSL-JSON ([{…}]). Name it with --format bibtex|ris|csl-json.`,
  );
}

// ---------------------------------------------------------------------------------------------
// BibTeX (the maintained parser Better BibTeX uses: TeX to Unicode, @string, JabRef comments)

const BIBTEX_OPTIONS = {
  // Titles as written: the reader's casing is no one's business here, and matching ignores case.
  sentenceCase: false,
  caseProtection: false,
  // A macro the parser does not know is dropped (its argument stays) rather than failing the
  // whole entry: `\mathcal{O}` becomes `O`, which is all title matching needs.
  unsupported: "ignore",
} as const;

/** What the parser gives for a file: its entries and its errors, in its order. */
interface BibtexRead {
  entries: BibEntry[];
  errors: { error: string; input?: string }[];
}

/**
 * Macros by which the parser learns a command for the text it converts after: where it converts
 * text, that is in a @preamble and a @string (all of which it converts before any entry) and in
 * the fields of an entry it is handed (for the entries after). Anywhere else (a @comment, a field
 * the import does not read, text between entries) it defines nothing.
 */
const DEFINES_MACRO = /\\(?:newcommand|ProvideTextCommandDefault)(?![A-Za-z])/g;
/** A command named in TeX: `\model`. */
const MACRO_NAME = /\\([A-Za-z]+)/g;

/**
 * The definitions the parser would have learnt by the time it reaches each entry, reading the file
 * whole: those of the preambles, then of the @strings (as last defined), then of the fields of the
 * entries handed to it before, by the name they define (a later one replacing an earlier). Each
 * entry is handed, in a @preamble before it, only the definitions of the commands it names (and
 * of those these name), so a file of many definitions costs no more than the ones each entry uses.
 */
class Definitions {
  private readonly byName = new Map<string, string>();

  /** Learns the definitions in `tex` (a value the parser converts), each of at most `max` characters. */
  learn(tex: string, max: number): void {
    if (!tex.includes("\\newcommand") && !tex.includes("\\ProvideTextCommandDefault")) return;
    for (const m of tex.matchAll(DEFINES_MACRO)) {
      const found = definitionAt(tex, m.index);
      if (found && found.text.length <= max) this.byName.set(found.name, found.text);
    }
  }

  /** The text that teaches the parser the commands `tex` names, before it converts `tex`. */
  before(tex: string): string {
    if (this.byName.size === 0) return "";
    const wanted: string[] = [];
    const seen = new Set<string>();
    const look = (t: string) => {
      for (const m of t.matchAll(MACRO_NAME)) {
        const name = m[1]!;
        if (seen.has(name)) continue;
        seen.add(name);
        const def = this.byName.get(name);
        if (def === undefined) continue;
        wanted.push(def);
        look(def);
      }
    };
    look(tex);
    return wanted.map((d) => `@preamble{{${d}}}\n`).join("");
  }
}

/**
 * The definition that starts at `at` in `tex` (`\newcommand{\name}[n]{body}`), as the parser
 * reads it: the name in braces, then optional bracketed arguments, then the body (a group or one
 * command or character). Null when it is not of that shape (the parser then defines nothing), or
 * when its braces do not close.
 */
function definitionAt(tex: string, at: number): { name: string; text: string } | null {
  let i = at + 1;
  while (i < tex.length && /[A-Za-z]/.test(tex[i]!)) i++;
  const space = () => {
    while (i < tex.length && /\s/.test(tex[i]!)) i++;
  };
  space();
  if (tex[i] !== "{") return null;
  const nameEnd = groupEnd(tex, i);
  const name = nameEnd < 0 ? null : /^\{\s*\\([A-Za-z]+)\s*\}$/.exec(tex.slice(i, nameEnd + 1))?.[1];
  if (!name) return null;
  i = nameEnd + 1;
  space();
  while (tex[i] === "[") {
    const close = tex.indexOf("]", i);
    if (close < 0) return null;
    i = close + 1;
    space();
  }
  if (i >= tex.length) return null;
  let end: number;
  if (tex[i] === "{") end = groupEnd(tex, i);
  else if (tex[i] === "\\") {
    end = i + 1;
    while (end + 1 < tex.length && /[A-Za-z]/.test(tex[end + 1]!)) end++;
  } else end = i;
  if (end < 0) return null;
  const text = tex.slice(at, end + 1);
  return balanced(text) ? { name, text } : null;
}

/** Where the group opened at `open` closes (a backslash taking the character after it), or -1. */
function groupEnd(tex: string, open: number): number {
  let depth = 0;
  for (let i = open; i < tex.length; i++) {
    const c = tex[i];
    if (c === "\\") i++;
    else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return i;
  }
  return -1;
}

/** Whether every brace of `tex` closes, none first (so that it can stand in a `{…}` value). */
function balanced(tex: string): boolean {
  let depth = 0;
  for (let i = 0; i < tex.length; i++) {
    const c = tex[i];
    if (c === "\\") i++;
    else if (c === "{") depth++;
    else if (c === "}" && --depth < 0) return false;
  }
  return depth === 0;
}

/**
 * The file read by the parser whole: what every file was read with before, quadratic in the
 * file where entries go wrong (see bibtex-split.ts). Kept as the reference the tests and
 * bench/library-size.ts compare the entry-by-entry reading with.
 */
export function bibtexWhole(text: string): BibtexRead {
  return parseBibtex(text, BIBTEX_OPTIONS);
}

/**
 * The file cut into its entries the way the parser's first pass reads it (splitBibtex), each entry
 * then handed to the parser alone with the @strings it names and the definitions of the commands
 * it names (`Definitions`): the same entries and errors as `bibtexWhole`, in time linear in the
 * file. An entry whose read fields come, with their @strings put in, to more than the bound is
 * named instead, and a file whose read fields (with the definitions handed along) come to more
 * than `MAX_READ_CHARS` is refused before any is converted. An entry the parser reads otherwise
 * than the cutting says (never met) is named as unreadable: the file is never read whole.
 */
export function bibtexByEntry(text: string, opts: { allFields?: boolean; fileName?: string } = {}): BibtexRead {
  // Every field handed over and no bound on the whole, as before the fields were chosen: the
  // baseline bench/library-size.ts measures.
  const reads = opts.allFields ? () => true : (field: string) => BIBTEX_READ.has(field);
  const maxEntry = opts.allFields ? 256_000 : MAX_ENTRY_CHARS;
  const pieces = splitBibtex(text, reads, maxEntry);
  const definitions = new Definitions();
  // A preamble naming no @string says what it holds however long it is: its definitions are each
  // learnt (one longer than an entry's bound is not handed on).
  for (const piece of pieces)
    if (piece.kind === "preamble") {
      const value = piece.plain ? text.slice(piece.start, piece.end) : piece.value;
      if (value !== null) definitions.learn(value, maxEntry);
    }
  const strings = new Map<string, string | null>();
  for (const piece of pieces) if (piece.kind === "string") strings.set(piece.name, piece.value);
  for (const value of strings.values()) if (value !== null) definitions.learn(value, maxEntry);

  // What each entry is handed, decided before any is converted, so that the whole can be bounded.
  type Plan = { piece: Extract<BibtexPiece, { kind: "entry" | "partial" }>; chunk: string | null; before: string };
  const plans: Plan[] = [];
  let total = 0;
  let handedDefinitions = 0;
  for (const piece of pieces) {
    if (piece.kind !== "entry" && piece.kind !== "partial") continue;
    // Only the fields the import reads are converted: the parser's conversion costs a few
    // microseconds a character, growing with the square of a value's length, and an abstract or
    // a pasted text holds nearly all of an entry's characters.
    const read = readFields(text, piece, reads);
    const size = read.length + expansion(piece, reads);
    total += Math.min(size, maxEntry);
    // An entry whose read fields are that long anyway is named, not read.
    if (size > maxEntry) {
      plans.push({ piece, chunk: null, before: "" });
      continue;
    }
    // An entry the first pass failed on is closed after its last field, which it read.
    const chunk = read + (piece.kind === "partial" ? `\n${piece.guard}` : "");
    const before = definitions.before(`${chunk}\n${Object.values(piece.strings).join("\n")}`);
    total += before.length;
    handedDefinitions += before.length;
    plans.push({ piece, chunk, before });
    // What its fields define reaches the entries after it (and it, being in its own text).
    for (const f of piece.fields)
      if (reads(f.name.toLowerCase())) definitions.learn(text.slice(f.start, f.end), maxEntry);
  }
  if (!opts.allFields && total > MAX_READ_CHARS)
    throw new LibraryFormatError(
      `the titles, identifiers, links and notes of ${opts.fileName ?? "the library"} come to ${mb(total)}${handedDefinitions > 0 ? ` (the ${mb(handedDefinitions)} of macro definitions handed with the entries that use them counted)` : ""}, more than the ${mb(MAX_READ_CHARS)} feedback import reads of one file; export your library in parts (a collection or a year at a time) and import each.`,
    );

  const entries: BibEntry[] = [];
  const firstPass: BibtexRead["errors"] = [];
  const conversion: BibtexRead["errors"] = [];
  let p = 0;
  for (const piece of pieces) {
    if (piece.kind === "preamble" || piece.kind === "string") continue;
    if (piece.kind === "error") {
      firstPass.push(piece);
      continue;
    }
    const { chunk, before } = plans[p++]!;
    if (chunk === null) {
      if (piece.kind === "entry") conversion.push(tooLong(text, piece, reads, maxEntry));
      continue;
    }
    // The parser names an entry by the text it was handed; the reader's file holds all of it. One
    // the first pass failed on is named among its errors already.
    const whole = text.slice(piece.start, piece.end).trim();
    const read = readAlone(before + chunk, chunk, piece, whole);
    if (read) {
      entries.push(...read.entries);
      conversion.push(...read.errors);
    } else if (piece.kind === "entry")
      conversion.push({
        error: `it is not read the same on its own as in the file (a case this reading does not know: please report it)\n${whole}`,
        input: whole,
      });
  }
  return { entries, errors: [...firstPass, ...conversion] };
}

/**
 * One entry (or the fields read of one the first pass failed on) as the parser reads `handed`, its
 * `chunk` after the definitions it needs: its entries and errors, worded for the file (`whole`).
 * Null when the parser reads it otherwise than the cutting says (never met).
 */
function readAlone(
  handed: string,
  chunk: string,
  piece: Extract<BibtexPiece, { kind: "entry" | "partial" }>,
  whole: string,
): BibtexRead | null {
  const lib = parseBibtex(handed, { ...BIBTEX_OPTIONS, strings: piece.strings });
  if (lib.entries.length > 1) return null;
  const errors: BibtexRead["errors"] = [];
  for (const err of lib.errors) {
    const input = err.input ?? "";
    // An unknown @string is the first pass's error, which the cutting words (once a file).
    if (input === "" && err.error.startsWith("Unresolved @string reference ")) continue;
    // The rest are the conversion's: a name of too many parts, or an entry it failed on, which
    // for one the first pass failed on is its placeholder, with no text.
    if (/unexpected \d+-part name/.test(err.error)) errors.push(err);
    else if (!err.error.endsWith(`\n${input}`)) return null;
    else if (piece.kind === "partial")
      errors.push({ error: err.error.slice(0, err.error.length - input.length), input: "" });
    else if (input !== chunk.trim()) return null;
    else errors.push({ error: err.error.slice(0, err.error.length - input.length) + whole, input: whole });
  }
  if (piece.kind === "entry") return { entries: lib.entries.map((e) => ({ ...e, input: whole })), errors };
  const readInput = lib.entries[0]?.input;
  if (lib.entries.length + lib.errors.length === 0 || (readInput !== undefined && readInput !== chunk.trim()))
    return null;
  return { entries: [], errors };
}

/**
 * How many characters the @strings an entry's read fields name add to them once put in (each
 * field's value with them, less the field as written; `Infinity` past the splitter's bound).
 */
function expansion(
  piece: Extract<BibtexPiece, { kind: "entry" | "partial" }>,
  reads: (field: string) => boolean,
): number {
  let more = 0;
  for (const f of piece.fields)
    if (reads(f.name.toLowerCase()) && f.chars > f.end - f.start) more += f.chars - (f.end - f.start);
  return more;
}

/**
 * The fields of a BibTeX entry `bibtexEntry` reads, as the parser names them (in lower case): the
 * title, and those an arXiv id or a DOI is looked for in. Each entry is handed to the parser with
 * these alone (and its type and key), so a field the import never reads (an abstract, the
 * authors, keywords) costs no conversion, nor can its TeX make the entry unreadable.
 */
const BIBTEX_HINTS: readonly { field: string; kind: HintKind }[] = [
  { field: "eprint", kind: "id" },
  { field: "arxivid", kind: "id" }, // Mendeley Desktop
  { field: "url", kind: "url" },
  { field: "file", kind: "url" }, // JabRef links the arXiv PDF in `file`
  ...["note", "annote", "howpublished", "journal", "journaltitle", "number"].map((field) => ({
    field,
    kind: "text" as const,
  })),
  { field: "doi", kind: "doi" },
];
export const BIBTEX_READ: ReadonlySet<string> = new Set([
  "title",
  "archiveprefix",
  "eprinttype",
  ...BIBTEX_HINTS.map((h) => h.field),
]);

/**
 * The text of an entry as handed to the parser: its head (`@type{key,`), the fields the import
 * reads in their order, and its end, each as written in the file. An entry with fields but none
 * of them read keeps one stand-in, so that it is still counted (and named unmatched) as before.
 */
function readFields(
  text: string,
  piece: Extract<BibtexPiece, { kind: "entry" | "partial" }>,
  reads: (field: string) => boolean,
): string {
  const { fields } = piece;
  const first = fields[0];
  const kept = fields.filter((f) => reads(f.name.toLowerCase()));
  if (!first || kept.length === fields.length) return text.slice(piece.start, piece.end);
  const body = kept.length > 0 ? kept.map((f) => text.slice(f.start, f.end)).join(",\n") : "unread = {-}";
  return text.slice(piece.start, first.start) + body + text.slice(fields.at(-1)!.end, piece.end);
}

/**
 * The most text of one entry's read fields handed to the parser (characters): far past any
 * reference's title, identifiers and notes. The parser takes some 4 µs a character up to about
 * 8 KB in a value and more past it (its conversion grows with the square of a value's length:
 * 64 KB take 0.9 s, 255 KB 6 to 20 s by its TeX); with `MAX_READ_CHARS`, the worst file takes
 * about 50 s (bench/library-size.ts, its last row).
 */
export const MAX_ENTRY_CHARS = 16_000;

/**
 * The most text of read fields handed to the parser from one file (characters), some 4 µs a
 * character: the titles, identifiers, links and notes of some twenty thousand references (a few
 * hundred bytes each, Zotero's file paths included). Lower refused real libraries; higher lets the
 * worst file take minutes.
 */
export const MAX_READ_CHARS = 8_000_000;

const mb = (chars: number) => `${(chars / 1e6).toFixed(1)} MB`;

function tooLong(
  text: string,
  piece: Extract<BibtexPiece, { kind: "entry" }>,
  reads: (field: string) => boolean,
  maxEntry: number,
): { error: string; input: string } {
  const kb = (n: number) => `${Math.max(1, Math.round(n / 1000))} KB`;
  // A field's length as converted: as written, or with its @strings put in when that is longer.
  const length = (f: BibtexField) => Math.max(f.end - f.start, f.chars);
  const read = piece.fields.filter((f) => reads(f.name.toLowerCase()));
  const longest = read.reduce<BibtexField | undefined>((a, b) => (a && length(a) >= length(b) ? a : b), undefined);
  // Past the bound with no long field read, what is long is the entry's key (`@misc{…}`).
  let what = `its key and the fields it reads come to ${kb(readFields(text, piece, reads).length)}`;
  let fix = "shorten it (a whole text pasted into a note?)";
  if (longest && length(longest) > maxEntry / 2) {
    const name = longest.name.toLowerCase();
    if (longest.chars <= longest.end - longest.start) what = `its ${name} field is ${kb(length(longest))} long`;
    else {
      const chars = Number.isFinite(longest.chars) ? kb(longest.chars) : `more than ${kb(maxEntry)}`;
      what = `its ${name} field comes to ${chars} with the @strings it names put in`;
      fix = "shorten those @strings, or write the field out";
    }
  }
  return {
    error: `${what}, and the fields feedback import reads (title, identifiers, links and notes) may hold ${kb(maxEntry)} in one entry; ${fix}`,
    input: text.slice(piece.start, piece.end).trim(),
  };
}

function bibtexEntries(text: string, fileName?: string): LibraryEntry[] {
  return bibtexEntriesOf(text, bibtexByEntry(text, { fileName }));
}

/** The library's entries from what the parser read of `text` (all of it, or entry by entry). */
export function bibtexEntriesOf(text: string, lib: BibtexRead): LibraryEntry[] {
  const out: LibraryEntry[] = [];
  for (const e of lib.entries) {
    // The parser's placeholder for an entry it failed on carries no text of its own, and may still
    // hold what it half read (a title that swallowed the next field): it is named among the errors
    // below, and nothing of it is imported.
    if (!e.input || Object.keys(e.fields).length === 0) continue;
    out.push(bibtexEntry(e));
  }
  let from = 0;
  let lookedBack = 0;
  const lineAt = lib.errors.length > 0 ? lineFinder(text) : () => 1;
  for (const err of lib.errors) {
    const input = err.input ?? "";
    const head = /@(\w+)\s*[{(]\s*([^,\s]*)/.exec(input);
    // The parser hands back the entry's text as it stands in the file, in the file's order: its
    // place gives the lines. One out of order is looked for from the start, a bounded number of
    // times, so a file of thousands of them costs no scan of the whole text each.
    let at = input ? text.indexOf(input, from) : -1;
    if (at < 0 && input && lookedBack++ < MAX_LOOKS_BACK) at = text.indexOf(input);
    if (at >= 0) from = at + input.length;
    const open = at >= 0 ? unclosedIn(input) : null;
    out.push({
      label: head ? (head[2] ? `@${head[1]}{${head[2]}}` : `@${head[1]} entry without a key`) : "BibTeX text",
      title: null,
      hints: [],
      doi: null,
      error: open ? open.reason : `${parserMessage(err.error)}; fix it and import again`,
      ...(at >= 0 ? { line: lineAt(at + (open?.offset ?? 0)) } : {}),
    });
  }
  return out;
}

/** How many of the parser's errors are looked for from the file's start when not found after the one before. */
const MAX_LOOKS_BACK = 32;

/**
 * The 1-based line of an offset into `text`: the lines' starts found once, each offset by binary
 * search, so naming the lines of thousands of entries costs one pass over the text.
 */
export function lineFinder(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

/** The parser's message without its own place ("at line 22, column 1 in \"misc\""), which counts from elsewhere. */
function parserMessage(error: string): string {
  return error.replace(/\s+at line \d+, column \d+(?: in "[^"]*")?\s*$/, "");
}

/** A line that starts a field (`year = …`): met inside a value, the value was left open above it. */
const FIELD_START = /^[ \t\r]*[A-Za-z][\w:.-]*[ \t]*=/;

/**
 * Where an entry the parser could not read was left open, as an offset into its text and a reason
 * naming what to close: the value a later field's line is swallowed by (`title = {Unclosed {brace,`
 * above `year = …`), else a quote or brace still open at its end, else the entry's own brace. Null
 * when every brace and quote closes (the trouble is something else, which the parser names).
 */
function unclosedIn(entry: string): { offset: number; reason: string } | null {
  const head = /^@\w+\s*([{(])/.exec(entry);
  if (!head) return null;
  const closer = head[1] === "{" ? "}" : ")";
  const stack: number[] = [];
  let quote: number | null = null;
  let swallowing: number | null = null;
  let closed = false;
  for (let i = head[0].length; i < entry.length && !closed; i++) {
    const c = entry[i];
    if (c === "\\") i++;
    else if (c === "\n") {
      const open = quote ?? stack[0];
      if (open !== undefined && swallowing === null && FIELD_START.test(entry.slice(i + 1, i + 200))) swallowing = open;
    } else if (c === "{") stack.push(i);
    else if (c === "}" && stack.length > 0) stack.pop();
    else if (c === '"' && stack.length === 0) quote = quote === null ? i : null;
    else if (c === closer && stack.length === 0 && quote === null) closed = true;
  }
  const offset = swallowing ?? quote ?? stack[0] ?? (closed ? null : head[0].length - 1);
  if (offset === null) return null;
  const opened = entry.slice(offset).split(/\r?\n/, 1)[0]!.trimEnd();
  const reason =
    offset === head[0].length - 1
      ? "the entry's own brace is never closed; close it after its last field and import again"
      : `the ${entry[offset] === '"' ? "quote" : "brace"} opened at ${shownValue(opened)} is never closed; close it and import again`;
  return { offset, reason };
}

function bibtexEntry(e: BibEntry): LibraryEntry {
  const f = e.fields as Record<string, unknown>;
  const str = (name: string): string | null => {
    const v = f[name];
    if (typeof v === "string") return v;
    if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v.join(", ");
    return null;
  };
  const hints: LibraryEntry["hints"] = [];
  const add = (field: string, kind: HintKind) => {
    const v = str(field);
    if (v) hints.push({ field, kind, text: v });
  };
  // eprint is arXiv's unless the entry says it is another archive (biblatex: eprinttype).
  const archive = str("archiveprefix") ?? str("eprinttype");
  for (const { field, kind } of BIBTEX_HINTS)
    if (field !== "eprint" || !archive || /arxiv/i.test(archive)) add(field, kind);
  return {
    label: `@${e.type}{${e.key}}`,
    title: str("title"),
    hints,
    doi: normalizeDoi(str("doi") ?? ""),
  };
}

// ---------------------------------------------------------------------------------------------
// RIS: tagged lines, `TY  - ` opens a record and `ER  - ` closes it.

const RIS_LINE = /^([A-Z][A-Z0-9]) {2}-(?: (.*))?$/;

/** Records of `tag → values` with the line each record starts on. */
export function parseRis(text: string): { line: number; fields: Map<string, string[]> }[] {
  const records: { line: number; fields: Map<string, string[]> }[] = [];
  let current: { line: number; fields: Map<string, string[]> } | null = null;
  let lastTag: string | null = null;
  text
    .replace(/^\uFEFF/, "")
    .split(/\r?\n/)
    .forEach((raw, index) => {
      const m = RIS_LINE.exec(raw.trimEnd());
      if (!m) {
        // Some exporters wrap long abstracts and notes onto untagged lines.
        if (current && lastTag && raw.trim()) {
          const values = current.fields.get(lastTag)!;
          values[values.length - 1] = `${values.at(-1)} ${raw.trim()}`;
        }
        return;
      }
      const [, tag, value = ""] = m as unknown as [string, string, string | undefined];
      if (tag === "TY") {
        current = { line: index + 1, fields: new Map() };
        records.push(current);
      }
      if (!current) return;
      if (tag === "ER") {
        current = null;
        lastTag = null;
        return;
      }
      const values = current.fields.get(tag) ?? [];
      values.push(value.trim());
      current.fields.set(tag, values);
      lastTag = tag;
    });
  return records;
}

function risEntries(text: string): LibraryEntry[] {
  return parseRis(text).map((r, i) => {
    const first = (tag: string) => r.fields.get(tag)?.find((v) => v) ?? null;
    const hints: LibraryEntry["hints"] = [];
    const add = (tag: string, kind: HintKind) => {
      for (const v of r.fields.get(tag) ?? []) if (v) hints.push({ field: tag, kind, text: v });
    };
    // AN (accession number) is where some exporters put the bare arXiv id.
    add("AN", "id");
    for (const tag of ["UR", "L1", "L2", "LK"]) add(tag, "url");
    for (const tag of ["N1", "M1", "M3", "JO", "JF", "T2", "SE"]) add(tag, "text");
    add("DO", "doi");
    return {
      label: `RIS record ${i + 1} (line ${r.line})`,
      title: first("TI") ?? first("T1") ?? first("CT"),
      hints,
      doi: normalizeDoi(first("DO") ?? ""),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// CSL-JSON: an array of items, as Zotero's "CSL JSON" export and citeproc write it.

const CslItemSchema = z.looseObject({
  id: z.union([z.string(), z.number()]).optional(),
  title: z.string().optional(),
  DOI: z.string().optional(),
  URL: z.string().optional(),
  number: z.union([z.string(), z.number()]).optional(),
  note: z.string().optional(),
  "container-title": z.string().optional(),
  archive_location: z.string().optional(),
});

function cslEntries(text: string, fileName = "The CSL-JSON library"): LibraryEntry[] {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (err) {
    throw new LibraryFormatError(`${fileName} is not valid JSON (${(err as Error).message}), so no CSL-JSON library.`);
  }
  // citeproc-js also accepts a single item or an {items: […]} wrapper.
  const items = Array.isArray(json) ? json : ((json as { items?: unknown }).items ?? [json]);
  if (!Array.isArray(items)) throw new LibraryFormatError(`${fileName} is not a CSL-JSON array of items.`);
  return items.map((raw, i) => {
    const parsed = CslItemSchema.safeParse(raw);
    const label = `CSL item ${i + 1}${parsed.success && parsed.data.id !== undefined ? ` (id ${parsed.data.id})` : ""}`;
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const error = `${issue.path.join(".")}: ${issue.message}; fix the item and import again`;
      return { label, title: null, hints: [], doi: null, error };
    }
    const item = parsed.data;
    const hints: LibraryEntry["hints"] = [];
    const add = (field: string, kind: HintKind, v: string | number | undefined) => {
      if (v !== undefined && v !== "") hints.push({ field, kind, text: String(v) });
    };
    add("number", "text", item.number); // Zotero writes "arXiv:2401.00010" here for preprints
    add("archive_location", "text", item.archive_location);
    add("URL", "url", item.URL);
    add("note", "text", item.note);
    add("container-title", "text", item["container-title"]);
    add("DOI", "doi", item.DOI);
    return { label, title: item.title ?? null, hints, doi: normalizeDoi(item.DOI ?? "") };
  });
}

/** The entries of a library file in the given format; a malformed file as a whole throws LibraryFormatError. */
export function parseLibrary(text: string, format: LibraryFormat, fileName?: string): LibraryEntry[] {
  if (format === "bibtex") return bibtexEntries(text, fileName);
  if (format === "ris") return risEntries(text);
  return cslEntries(text, fileName);
}

/** "no BibTeX entry found in lib.bib; it looks like RIS: add --format ris." */
function noEntriesError(text: string, format: LibraryFormat, fileName = "the library"): LibraryFormatError {
  const sniffed = sniffFormat(text);
  const what = `no ${FORMAT_NAME[format].entry} found in ${fileName}`;
  if (sniffed && sniffed !== format)
    return new LibraryFormatError(`${what}; it looks like ${FORMAT_NAME[sniffed].name}: add --format ${sniffed}.`);
  const empty = text.replace(/^\uFEFF/, "").trim() === "";
  return new LibraryFormatError(
    `${what}${empty ? " (the file is empty)" : ""}; give a library exported as BibTeX, RIS or CSL-JSON, naming its format with --format bibtex|ris|csl-json when the file name does not say it.`,
  );
}

// ---------------------------------------------------------------------------------------------

const HINT_ORDER: Record<HintKind, number> = { id: 0, url: 1, text: 2, doi: 3 };

/**
 * Matches every entry of a library to a paper. `known` are the papers the DOI and title routes
 * may match (the archive, already resolved feedback papers); the arXiv-id route needs none.
 */
export function importLibrary(
  text: string,
  format: LibraryFormat | "auto",
  known: readonly KnownPaper[],
  opts: { fileName?: string } = {},
): ImportResult {
  const fmt = format === "auto" ? detectFormat(text, opts.fileName) : format;
  let entries: LibraryEntry[];
  try {
    entries = parseLibrary(text, fmt, opts.fileName);
  } catch (err) {
    // CSL-JSON that is no JSON: a BibTeX or RIS file under a .json name says what it is instead.
    if (err instanceof LibraryFormatError && sniffFormat(text) !== fmt && sniffFormat(text) !== null)
      throw noEntriesError(text, fmt, opts.fileName);
    throw err;
  }
  // A file with no entry at all was read in the wrong format, or is empty: nothing to import is
  // a mistake to name, not a quiet success (entries that match no paper are reported as usual).
  if (entries.length === 0) throw noEntriesError(text, fmt, opts.fileName);

  const index = paperIndex(known);
  const result: ImportResult = {
    format: fmt,
    entries: entries.length,
    matched: [],
    unmatched: [],
    unreadable: [],
    waiting: [],
    duplicates: [],
  };
  const waitingLabels = new Map<string, string[]>();
  const labelsById = new Map<string, string[]>();
  const title = (e: LibraryEntry) => (e.title ? plainLine(decodeTex(e.title)) || null : null);

  for (const e of entries) {
    if (e.error) {
      result.unreadable.push({ label: e.label, line: e.line ?? null, reason: e.error });
      continue;
    }
    let hit: { id: string; via: MatchRoute; field: string } | null = null;
    for (const h of [...e.hints].sort((a, b) => HINT_ORDER[a.kind] - HINT_ORDER[b.kind])) {
      const id = arxivIdFrom(h.kind, h.text);
      if (id) {
        hit = { id, via: "arxiv-id", field: h.field };
        break;
      }
    }
    let reason: string | null = null;
    if (!hit) {
      const found = findPaper(index, e.title, e.doi);
      const key = e.title ? titleKey(e.title) : null;
      if (found && "id" in found) hit = { id: found.id, via: found.via, field: found.via };
      else if (found)
        reason = `its title matches ${plural(found.ambiguous.length, "known paper")} (${found.ambiguous.join(", ")})`;
      else if (key && e.title) {
        // Lose nothing: the paper may simply not be announced yet.
        const labels = waitingLabels.get(key);
        if (labels) labels.push(e.label);
        else {
          waitingLabels.set(key, [e.label]);
          result.waiting.push({ title: title(e) ?? e.title, label: e.label, doi: e.doi });
        }
        continue;
      } else {
        const doiPart = e.doi ? `its DOI ${e.doi} is not a known paper` : "it has no DOI";
        const titlePart = !e.title ? "it has no title" : "its title is too short to match on";
        reason = `no arXiv id; ${doiPart} and ${titlePart}`;
      }
    }
    if (!hit) {
      result.unmatched.push({ title: title(e), label: e.label, reason: reason! });
      continue;
    }
    const labels = labelsById.get(hit.id);
    if (labels) {
      labels.push(e.label);
      continue;
    }
    labelsById.set(hit.id, [e.label]);
    result.matched.push({ ...hit, label: e.label, title: title(e) });
  }
  for (const [id, labels] of labelsById) if (labels.length > 1) result.duplicates.push({ id, labels });
  for (const w of result.waiting) {
    const labels = waitingLabels.get(titleKey(w.title) ?? "") ?? [];
    if (labels.length > 1) result.duplicates.push({ id: `"${w.title}"`, labels });
  }
  return result;
}

/**
 * The matched papers as `save` signals from `import:<file name>`, then the waiting entries as
 * title-only `save` lines.
 */
export function librarySignals(result: ImportResult, fileName: string, at: Date | string): FeedbackLine[] {
  const source = `import:${fileName.replace(/\s+/g, "_")}` as const;
  return [
    ...result.matched.map((m) => makeSignal(m.id, "save", source, at, m.title ?? undefined)),
    ...result.waiting.map((w) => makeTitleSignal(w.title, "save", source, at, w.doi ?? undefined)),
  ];
}

/**
 * The lines of `librarySignals` a feedback file holding `read` lacks: a paper neither saved there
 * already (by id, or by a title-only line that now names it) nor cleared, a waiting title no
 * title-only line holds yet. Importing the same library twice adds nothing, and brings back
 * nothing the reader forgot.
 */
export function newLibrarySignals(
  result: ImportResult,
  fileName: string,
  at: Date | string,
  read: Pick<ReadSignals, "signals" | "titled">,
  known: Iterable<NamedPaper>,
): FeedbackLine[] {
  const state = currentState(identifySignals(read, known).signals);
  const titles = new Set(read.titled.map((t) => titleKey(t.title) ?? t.title));
  // A paper cleared since (`feedback clear`, or its entry forgotten by `feedback waiting --forget`)
  // stays as the reader left it: cleared is a choice, not a gap.
  const isNew = (id: string) => {
    const now = state.get(id);
    return now === undefined || (!now.saved && (now.liked || now.disliked));
  };
  return librarySignals(result, fileName, at).filter((s) =>
    s.id !== undefined ? isNew(s.id) : !titles.has(titleKey(s.title!) ?? s.title!),
  );
}

/**
 * The waiting entries of an import that the feedback file holding `read` (as it was before the
 * import) names by title but no longer waits for: forgotten (`feedback waiting --forget`) or
 * cleared since an earlier import. `newLibrarySignals` leaves them so; the import's summary counts
 * them apart from the entries that wait.
 */
export function forgottenWaiting(
  result: ImportResult,
  read: Pick<ReadSignals, "signals" | "titled">,
  known: Iterable<NamedPaper>,
): ImportResult["waiting"] {
  const titles = new Set(read.titled.map((t) => titleKey(t.title) ?? t.title));
  const waiting = waitingEntries(identifySignals(read, known).waiting);
  return result.waiting.filter(
    (w) => titles.has(titleKey(w.title) ?? w.title) && waitingEntryTitled(waiting, w.title) === undefined,
  );
}
