/**
 * The site's search index: our own static format, written here and read by the search page's
 * script (assets/search.js). Every scanned paper of a day is one document, so a search answers
 * with papers and a paper the filter left out can still be found: papers the day page lists (the
 * picked ones and the near misses) by title, authors, comment and abstract, the others by arXiv id,
 * title and authors (their abstracts would be nine tenths of the index, and a reader looks them up
 * by name). Which bundles exist and when one is written again is search-bundles.ts.
 *
 * A bundle is a folder of JSON files:
 *
 * - `index.json`: how many listed and unlisted documents it holds, and the first term of each term
 *   chunk (the terms are sorted, so the script finds a term's chunk by binary search);
 * - `t<k>.json`: a term chunk, `{ term: [listed, unlisted] }`, each list flat pairs of (document
 *   number as a gap from the previous one, weight × 2 + 1 when the paper was picked);
 * - `l<k>.json`, `u<k>.json`: the listed documents, LISTED_CHUNK a file, and the unlisted ones,
 *   UNLISTED_CHUNK a file, as the results show them (title, date, score, authors, abstract).
 *
 * A term's weight in a paper adds up where it occurs: id and title weigh most, authors next,
 * comment and abstract least (FIELD_WEIGHT), each field counting a term at most twice. Text is
 * indexed as plain text with TeX turned into Unicode, so excerpts never show "$\alpha$". The words
 * become terms by assets/search-terms.js, the one home of that rule for the build and the browser.
 */
import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { DayRecord } from "../model/day-record.js";
import { foldWord, forEachWord, idTerm } from "./assets/search-terms.js";
import { nearMisses, paperBasics } from "./day-summary.js";
import { plainTex } from "./format.js";
import { dayPath, paperAnchor } from "./urls.js";

/** Bump when the documents or the files of a bundle change, so every bundle is indexed again. */
export const INDEX_FORMAT = 1;
/** Documents a file of listed papers (with their abstracts) holds, and of unlisted ones. */
export const LISTED_CHUNK = 8;
export const UNLISTED_CHUNK = 64;
/** A term chunk is closed once it holds this many characters of postings. */
const TERM_CHUNK_CHARS = 48 * 1024;
/** Authors kept in a result's meta line; the full list is searched. */
const META_AUTHORS = 4;
const FIELD_WEIGHT = { id: 10, title: 10, authors: 5, comment: 2, abstract: 1 } as const;
/** A field counts a term at most this often, so a long abstract cannot outweigh a title. */
const FIELD_REPEATS = 2;
const MAX_WEIGHT = 127;

/** What the index needs of one scanned paper. */
export interface SearchPaper {
  id: string;
  title: string;
  authors: string[];
  abstract: string;
  comment: string | null;
  topic: string | null;
  score: number | null;
  selected: boolean;
  /** Whether the day page shows it (selected or a near miss), so a result can link to its card. */
  listed: boolean;
}

/** Every paper of the record, selected ones first (the record's own order). */
export function searchPapers(day: DayRecord): SearchPaper[] {
  const near = new Set(nearMisses(day).map((p) => p.id));
  return day.papers.map((p) => ({
    ...paperBasics(p),
    selected: p.outcome === "selected",
    listed: p.outcome === "selected" || p.outcome === "unscored" || near.has(p.id),
  }));
}

/** A listed paper as a result shows it. Unlisted ones have no `u`, `o`, `x` or `c`. */
export interface SearchDoc {
  /** arXiv id */
  i: string;
  /** day */
  d: string;
  /** site-relative address of its card on the day page (listed papers only) */
  u?: string;
  /** title, plain text */
  t: string;
  /** the first authors, "et al." after META_AUTHORS */
  a: string;
  /** score, when scored */
  s?: number;
  /** 1 when picked */
  p?: 1;
  /** topic */
  o?: string;
  /** abstract, plain text */
  x?: string;
  /** the model's comment */
  c?: string;
}

/** What a result shows of a paper: plain text (TeX as Unicode), the link to its card when listed. */
export function searchDoc(date: string, paper: SearchPaper): SearchDoc {
  const authors =
    paper.authors.length > META_AUTHORS
      ? `${paper.authors.slice(0, META_AUTHORS - 1).join(", ")} et al.`
      : paper.authors.join(", ");
  const doc: SearchDoc = { i: paper.id, d: date, t: plainTex(paper.title), a: authors };
  if (paper.score !== null) doc.s = paper.score;
  if (paper.selected) doc.p = 1;
  if (!paper.listed) return doc;
  doc.u = `${dayPath(date)}#${paperAnchor(paper.id)}`;
  if (paper.topic) doc.o = paper.topic;
  doc.x = plainTex(paper.abstract);
  if (paper.comment) doc.c = paper.comment;
  return doc;
}

/** The files of a bundle, in the folder a bundle is written to (see BundleIndex). */
export const bundleFiles = {
  index: "index.json",
  terms: (k: number) => `t${k}.json`,
  listed: (k: number) => `l${k}.json`,
  unlisted: (k: number) => `u${k}.json`,
};

/** A posting packs the document number, whether it is listed, its weight and whether it was picked. */
const LISTED_BIT = 1 << 8;
const NUMBER_SHIFT = 9;

/** An Int32Array that grows: postings live outside the JavaScript heap, so a year of them costs no collector time. */
class IntLog {
  data: Int32Array<ArrayBuffer>;
  length = 0;
  constructor(capacity = 1 << 16) {
    this.data = new Int32Array(capacity);
  }
  push(value: number): void {
    if (this.length === this.data.length) this.data = grown(this.data, this.length * 2);
    this.data[this.length++] = value;
  }
}

function grown(data: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(size);
  bigger.set(data);
  return bigger;
}

/**
 * Words as written → term number, found from the characters of the text they stand in (FNV-1a
 * hash, open addressing), so a word seen before costs no string and no Map lookup.
 */
class WordTable {
  #slots = new Int32Array(1 << 16).fill(-1);
  readonly #hashes = new IntLog();
  readonly #starts = new IntLog();
  readonly #lengths = new IntLog();
  readonly #terms = new IntLog();
  #chars = new Uint16Array(1 << 20);
  #used = 0;
  /** The hash `find` computed last, for the `add` that follows a miss. */
  #hash = 0;

  /** The term of text[start, end), or -1. */
  find(text: string, start: number, end: number): number {
    let hash = 0x811c9dc5;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
    this.#hash = hash;
    const mask = this.#slots.length - 1;
    const length = end - start;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.#slots[slot]!;
      if (entry < 0) return -1;
      if (this.#hashes.data[entry] !== hash || this.#lengths.data[entry] !== length) continue;
      const at = this.#starts.data[entry]!;
      let same = true;
      for (let i = 0; i < length && same; i++) same = this.#chars[at + i] === text.charCodeAt(start + i);
      if (same) return this.#terms.data[entry]!;
    }
  }

  /** Adds text[start, end) after `find` missed it. */
  add(text: string, start: number, end: number, term: number): void {
    const length = end - start;
    if (this.#used + length > this.#chars.length) {
      const chars = new Uint16Array(Math.max(this.#chars.length * 2, this.#used + length));
      chars.set(this.#chars);
      this.#chars = chars;
    }
    for (let i = 0; i < length; i++) this.#chars[this.#used + i] = text.charCodeAt(start + i);
    const entry = this.#terms.length;
    this.#hashes.push(this.#hash);
    this.#starts.push(this.#used);
    this.#lengths.push(length);
    this.#terms.push(term);
    this.#used += length;
    if (entry * 2 >= this.#slots.length) this.#rehash(this.#slots.length * 2);
    else this.#place(entry);
  }

  #place(entry: number): void {
    const mask = this.#slots.length - 1;
    let slot = this.#hashes.data[entry]! & mask;
    while (this.#slots[slot]! >= 0) slot = (slot + 1) & mask;
    this.#slots[slot] = entry;
  }

  #rehash(size: number): void {
    this.#slots = new Int32Array(size).fill(-1);
    for (let entry = 0; entry < this.#terms.length; entry++) this.#place(entry);
  }
}

/**
 * One bundle being indexed: days are added in date order, documents written to `dir` as their
 * files fill, the terms when `finish` is called. `dir` is the bundle's final folder or a
 * temporary one that `finish` renames.
 *
 * Built for speed, since a full build indexes every paper of the archive: a word is folded to its
 * term once per bundle (WordTable), and a paper's weights are summed in arrays indexed by term
 * number, so the work per word is a hash of its characters and a look into typed arrays.
 */
export class BundleIndex {
  readonly #dir: string;
  /** Words as written → term number; terms → term number. */
  readonly #words = new WordTable();
  readonly #termIds = new Map<string, number>();
  /** Per term: postings so far; the paper and field it was last seen in, and its weight and count there. */
  #termCounts = new Int32Array(1 << 14);
  #seenInPaper = new Int32Array(1 << 14);
  #paperWeight = new Int32Array(1 << 14);
  #seenInField = new Int32Array(1 << 14);
  #fieldRepeats = new Int32Array(1 << 14);
  /** The terms of the paper being added, and the serial numbers of the paper and field. */
  readonly #paperTerms = new IntLog(1024);
  #paper = 0;
  #field = 0;
  /** Every posting in the order added: the term's number and the packed posting. */
  readonly #postingTerms = new IntLog();
  readonly #postings = new IntLog();
  #listed: SearchDoc[] = [];
  #unlisted: SearchDoc[] = [];
  #listedCount = 0;
  #unlistedCount = 0;
  readonly #ready: Promise<unknown>;
  #writes: Promise<unknown>[] = [];
  /** The text whose words `#addWord` is called with. */
  #text = "";
  readonly #addWord = (start: number, end: number) => {
    const text = this.#text;
    let id = this.#words.find(text, start, end);
    if (id < 0) {
      id = this.#termId(foldWord(text.slice(start, end)));
      this.#words.add(text, start, end, id);
    }
    this.#count(id);
  };
  #weight = 0;

  constructor(dir: string) {
    this.#dir = dir;
    this.#ready = mkdir(dir, { recursive: true });
  }

  /** Indexes a day's papers (each id once). */
  addDay(date: string, papers: readonly SearchPaper[]): void {
    for (const paper of papers) {
      const doc = searchDoc(date, paper);
      const listed = paper.listed;
      const number = listed ? this.#listedCount++ : this.#unlistedCount++;
      const flags = (listed ? LISTED_BIT : 0) | (paper.selected ? 1 : 0);
      this.#paper++;
      this.#paperTerms.length = 0;
      this.#startField(FIELD_WEIGHT.id);
      this.#count(this.#termId(idTerm(paper.id)));
      this.#addField(FIELD_WEIGHT.title, doc.t);
      this.#startField(FIELD_WEIGHT.authors);
      for (const author of paper.authors) this.#addText(author);
      if (doc.c) this.#addField(FIELD_WEIGHT.comment, doc.c);
      if (doc.x) this.#addField(FIELD_WEIGHT.abstract, doc.x);
      const terms = this.#paperTerms.data;
      for (let i = 0; i < this.#paperTerms.length; i++) {
        const id = terms[i]!;
        this.#termCounts[id]!++;
        this.#postingTerms.push(id);
        this.#postings.push((number << NUMBER_SHIFT) | flags | (Math.min(this.#paperWeight[id]!, MAX_WEIGHT) << 1));
      }
      if (listed) {
        this.#listed.push(doc);
        if (this.#listed.length === LISTED_CHUNK) this.#flushDocs(true);
      } else {
        this.#unlisted.push(doc);
        if (this.#unlisted.length === UNLISTED_CHUNK) this.#flushDocs(false);
      }
    }
  }

  /** Writes the rest: the last document files, the term chunks and index.json; then moves the folder to `target`. */
  async finish(target = this.#dir): Promise<void> {
    this.#flushDocs(true);
    this.#flushDocs(false);
    // The postings grouped by term (a counting sort, so each term keeps them in document order).
    const terms = this.#termIds.size;
    const starts = new Int32Array(terms + 1);
    for (let t = 0; t < terms; t++) starts[t + 1] = starts[t]! + this.#termCounts[t]!;
    const fill = starts.slice(0, terms);
    const grouped = new Int32Array(this.#postings.length);
    const postingTerms = this.#postingTerms.data;
    const postings = this.#postings.data;
    for (let i = 0; i < this.#postings.length; i++) grouped[fill[postingTerms[i]!]!++] = postings[i]!;

    const firsts: string[] = [];
    let chunk: string[] = [];
    let chars = 0;
    const close = () => {
      if (chunk.length === 0) return;
      this.#write(bundleFiles.terms(firsts.length - 1), `{${chunk.join(",")}}`);
      chunk = [];
      chars = 0;
    };
    for (const term of [...this.#termIds.keys()].sort()) {
      const id = this.#termIds.get(term)!;
      const entry = `${JSON.stringify(term)}:${postingLists(grouped.subarray(starts[id], starts[id + 1]))}`;
      if (chunk.length === 0) firsts.push(term);
      chunk.push(entry);
      chars += entry.length;
      if (chars >= TERM_CHUNK_CHARS) close();
    }
    close();
    this.#termIds.clear();
    const index = { format: INDEX_FORMAT, listed: this.#listedCount, unlisted: this.#unlistedCount, chunks: firsts };
    this.#write(bundleFiles.index, JSON.stringify(index));
    await Promise.all(this.#writes);
    this.#writes = [];
    if (target !== this.#dir) await rename(this.#dir, target);
  }

  /** Drops the bundle: waits for the document files written so far (the caller removes the folder). */
  async discard(): Promise<void> {
    await Promise.all(this.#writes);
    this.#writes = [];
  }

  #termId(term: string): number {
    let id = this.#termIds.get(term);
    if (id === undefined) {
      id = this.#termIds.size;
      this.#termIds.set(term, id);
      if (id === this.#termCounts.length) {
        const size = id * 2;
        this.#termCounts = grown(this.#termCounts, size);
        this.#seenInPaper = grown(this.#seenInPaper, size);
        this.#paperWeight = grown(this.#paperWeight, size);
        this.#seenInField = grown(this.#seenInField, size);
        this.#fieldRepeats = grown(this.#fieldRepeats, size);
      }
    }
    return id;
  }

  #addField(weight: number, text: string): void {
    this.#startField(weight);
    this.#addText(text);
  }

  #addText(text: string): void {
    this.#text = text;
    forEachWord(text, this.#addWord);
  }

  #startField(weight: number): void {
    this.#field++;
    this.#weight = weight;
  }

  /** One occurrence of a term in the current field: adds the field's weight, at most FIELD_REPEATS times. */
  #count(id: number): void {
    if (this.#seenInField[id] !== this.#field) {
      this.#seenInField[id] = this.#field;
      this.#fieldRepeats[id] = 0;
    }
    if (this.#fieldRepeats[id]! >= FIELD_REPEATS) return;
    this.#fieldRepeats[id]!++;
    if (this.#seenInPaper[id] !== this.#paper) {
      this.#seenInPaper[id] = this.#paper;
      this.#paperWeight[id] = 0;
      this.#paperTerms.push(id);
    }
    this.#paperWeight[id]! += this.#weight;
  }

  #flushDocs(listed: boolean): void {
    const docs = listed ? this.#listed : this.#unlisted;
    if (docs.length === 0) return;
    const count = listed ? this.#listedCount : this.#unlistedCount;
    const size = listed ? LISTED_CHUNK : UNLISTED_CHUNK;
    const k = Math.floor((count - 1) / size);
    this.#write(listed ? bundleFiles.listed(k) : bundleFiles.unlisted(k), JSON.stringify(docs));
    if (listed) this.#listed = [];
    else this.#unlisted = [];
  }

  #write(file: string, text: string): void {
    this.#writes.push(this.#ready.then(() => writeFile(join(this.#dir, file), text)));
  }
}

/** A term's postings as `[[listed…],[unlisted…]]`: flat (gap from the previous number, weight × 2 + picked) pairs. */
function postingLists(postings: Int32Array): string {
  const lists: [number[], number[]] = [[], []];
  const previous = [0, 0];
  for (const posting of postings) {
    const side = posting & LISTED_BIT ? 0 : 1;
    const number = posting >>> NUMBER_SHIFT;
    lists[side].push(number - previous[side]!, posting & 0xff);
    previous[side] = number;
  }
  return `[[${lists[0].join(",")}],[${lists[1].join(",")}]]`;
}
