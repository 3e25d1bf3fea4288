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
 * - `index.json`: how many listed and unlisted documents it holds and how many a file holds, and
 *   the first term of each term chunk (the terms are sorted, so the script finds a term's chunk by
 *   binary search);
 * - `t<k>.json`: a term chunk, `{ term: postings }`, the postings in base64 (encodePostings): for
 *   listed then unlisted documents, (document number as a gap from the previous one, weight × 2 +
 *   1 when the paper was picked);
 * - `l<k>.json`, `u<k>.json`: the listed documents, LISTED_CHUNK a file, and the unlisted ones,
 *   UNLISTED_CHUNK a file, as the results show them (title, date, score, authors, abstract).
 *
 * A term's weight in a paper adds up where it occurs: id and title weigh most, authors next,
 * comment and abstract least (FIELD_WEIGHT), each field counting a term at most twice. Text is
 * indexed as plain text with TeX turned into Unicode, so excerpts never show "$\alpha$". The words
 * become terms by assets/search-terms.js, the one home of that rule for the build and the browser:
 * a word is indexed under its folded term (scripts as their base characters, Greek letters by
 * name: "LoRA²" as lora2, "τ" as tau) and, when it is made of parts, under each part's term too
 * (lora, 2), so a query typed as TeX, as Unicode or by a letter's name finds it.
 */
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { plainTex } from "../format/tex.js";
import type { DayRecord } from "../model/day-record.js";
import { idTerm, SPAN, wordSpans, wordTerms } from "./assets/search-terms.js";
import { nearMisses, paperBasics } from "./day-summary.js";
import { roundScore } from "./format.js";
import { dayPath, paperAnchor } from "./urls.js";

/** Bump when the documents or the files of a bundle change, so every bundle is indexed again. */
export const INDEX_FORMAT = 4;
/**
 * Documents a file of listed papers (with their abstracts) holds, and of unlisted ones. A result
 * fetches its document's file (32 listed ones are about 60 KB, 20 KB compressed); fewer, larger
 * files spare a full build a file creation for each (about half a millisecond on a shared disk).
 */
export const LISTED_CHUNK = 32;
export const UNLISTED_CHUNK = 256;
/** A term chunk is closed once it holds this many characters of postings. */
const TERM_CHUNK_CHARS = 64 * 1024;
/** Authors kept in a result's meta line; the full list is searched. */
const META_AUTHORS = 4;
const FIELD_WEIGHT = { id: 10, title: 10, authors: 5, comment: 2, abstract: 1 } as const;
/** A field counts a term at most this often, so a long abstract cannot outweigh a title. */
const FIELD_REPEATS = 2;
const MAX_WEIGHT = 127;
/** A term JSON needs no escapes for. */
const PLAIN_TERM = /^[^"\\\u0000-\u001f\u2028\u2029]*$/;

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

/**
 * Every paper of the record, selected ones first (the record's own order). Papers the day page
 * does not list keep no abstract, comment or topic: the index does not hold them.
 */
export function searchPapers(day: DayRecord): SearchPaper[] {
  const near = new Set(nearMisses(day).map((p) => p.id));
  return day.papers.map((p) => {
    const listed = p.outcome === "selected" || p.outcome === "unscored" || near.has(p.id);
    // Fields set one by one: a spread and Object.assign cost several times as much (a full build
    // does this for every scanned paper).
    const paper = paperBasics(p) as SearchPaper;
    paper.selected = p.outcome === "selected";
    paper.listed = listed;
    if (!listed) {
      paper.abstract = "";
      paper.comment = null;
      paper.topic = null;
    }
    return paper;
  });
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
  /** score, when scored, rounded as the pages show it (format.ts) */
  s?: number;
  /** 1 when picked */
  p?: 1;
  /** topic */
  o?: string;
  /** abstract, plain text */
  x?: string;
  /** the model's comment, plain text */
  c?: string;
}

/** What a result shows of a paper: plain text (TeX as Unicode), the link to its card when listed. */
export function searchDoc(date: string, paper: SearchPaper): SearchDoc {
  const authors =
    paper.authors.length > META_AUTHORS
      ? `${paper.authors.slice(0, META_AUTHORS - 1).join(", ")} et al.`
      : paper.authors.join(", ");
  const doc: SearchDoc = { i: paper.id, d: date, t: plainTex(paper.title), a: authors };
  if (paper.score !== null) doc.s = roundScore(paper.score);
  if (paper.selected) doc.p = 1;
  if (!paper.listed) return doc;
  doc.u = `${dayPath(date)}#${paperAnchor(paper.id)}`;
  if (paper.topic) doc.o = paper.topic;
  doc.x = plainTex(paper.abstract);
  const comment = paper.comment ? plainTex(paper.comment) : "";
  if (comment !== "") doc.c = comment;
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

/** An Int32Array that grows by doubling. */
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
 * Words as written → their terms, found from the hashes wordSpans gives of their characters, so a
 * word seen before costs no string and no Map lookup: open addressing on a 64-bit hash of the word
 * (two 32-bit FNV-style hashes), which stands for the word itself. Two words share a term only if
 * both hashes collide, odds of about 10^-8 for a million distinct words; the table keeps no
 * characters, so a lookup touches one slot (four numbers, aligned: one cache line).
 */
class WordTable {
  /** Slots of four numbers (first hash, second hash, value, unused), a power of two of them; a value of 0 marks a free slot. */
  #slots = new Int32Array(4 << 16);
  #mask = (1 << 16) - 1;
  #size = 0;
  #first = 0;
  #second = 0;

  /** The value stored for the word with these hashes (never 0), or 0. */
  find(first: number, second: number): number {
    this.#first = first;
    this.#second = second;
    const slots = this.#slots;
    const mask = this.#mask;
    for (let slot = first & mask; ; slot = (slot + 1) & mask) {
      const at = slot << 2;
      const value = slots[at + 2]!;
      if (value === 0) return 0;
      if (slots[at] === first && slots[at + 1] === second) return value;
    }
  }

  /** Adds the word `find` last missed, with a value other than 0. */
  add(value: number): void {
    if (++this.#size * 2 >= this.#mask) this.#rehash();
    this.#place(this.#first, this.#second, value);
  }

  #place(first: number, second: number, value: number): void {
    const slots = this.#slots;
    const mask = this.#mask;
    let slot = first & mask;
    while (slots[(slot << 2) + 2] !== 0) slot = (slot + 1) & mask;
    slots[slot << 2] = first;
    slots[(slot << 2) + 1] = second;
    slots[(slot << 2) + 2] = value;
  }

  #rehash(): void {
    const old = this.#slots;
    this.#slots = new Int32Array(old.length * 2);
    this.#mask = this.#mask * 2 + 1;
    for (let at = 0; at < old.length; at += 4) if (old[at + 2] !== 0) this.#place(old[at]!, old[at + 1]!, old[at + 2]!);
  }
}

/**
 * Postings of a bundle in the order added, each with its term's number, in blocks that are never
 * copied (a year of them costs 8 bytes a posting and no collector time); `grouped` sorts them by
 * term, handing each block back as it goes.
 */
class PostingLog {
  static readonly #BLOCK = 1 << 15;
  #blocks: Int32Array[] = [];
  length = 0;

  add(term: number, posting: number): void {
    const offset = (this.length % PostingLog.#BLOCK) * 2;
    if (offset === 0) this.#blocks.push(new Int32Array(PostingLog.#BLOCK * 2));
    const block = this.#blocks[this.#blocks.length - 1]!;
    block[offset] = term;
    block[offset + 1] = posting;
    this.length++;
  }

  /**
   * The postings by term (a counting sort, so each term keeps them in the order added): term t's
   * are at [starts[t], starts[t + 1]). `counts` holds each term's number of postings.
   */
  grouped(counts: (term: number) => number, terms: number): { postings: Int32Array; starts: Int32Array } {
    const starts = new Int32Array(terms + 1);
    for (let t = 0; t < terms; t++) starts[t + 1] = starts[t]! + counts(t);
    const fill = starts.slice(0, terms);
    const postings = new Int32Array(this.length);
    let left = this.length;
    for (const block of this.#blocks) {
      const n = Math.min(left, PostingLog.#BLOCK);
      for (let i = 0; i < n * 2; i += 2) postings[fill[block[i]!]!++] = block[i + 1]!;
      left -= n;
    }
    this.#blocks = [];
    return { postings, starts };
  }
}

/**
 * Per term, in BundleIndex: its number of postings; the paper last seen in and its weight there;
 * the field last seen in and how often (field number × 4 + count, since a field counts a term at
 * most FIELD_REPEATS times).
 */
const POSTINGS = 0;
const PAPER = 1;
const WEIGHT = 2;
const FIELD = 3;
const TERM_STRIDE = 4;

/**
 * One bundle being indexed: days are added in date order, documents written to `dir` as their
 * files fill, the terms when `finish` is called. `dir` is the bundle's final folder or a
 * temporary one that `finish` renames. Files are written synchronously: it runs in a worker
 * thread, or for one month in the build's thread.
 *
 * Built for speed, since a full build indexes every paper of the archive: a word is folded to its
 * term once per bundle (WordTable), and a paper's weights are summed in one typed array indexed by
 * term number, so the work per word is a hash of its characters and a few array reads.
 */
export class BundleIndex {
  readonly #dir: string;
  /** Words as written → term number (or group); terms → term number; the term numbers of words of several terms. */
  readonly #words = new WordTable();
  readonly #groups: Int32Array[] = [];
  readonly #termIds = new Map<string, number>();
  #terms = new Int32Array(TERM_STRIDE << 14);
  /** The terms of the paper being added, and the serial numbers of the paper and field. */
  readonly #paperTerms = new IntLog(1024);
  #paper = 0;
  #field = 0;
  #weight = 0;
  readonly #postings = new PostingLog();
  #listed: SearchDoc[] = [];
  #unlisted: SearchDoc[] = [];
  #listedCount = 0;
  #unlistedCount = 0;
  /** The words of the text being added (wordSpans). */
  #spans = new Int32Array(SPAN << 10);

  /** The terms a word is indexed under: wordTerms (search-terms.js); a bench passes another rule to compare. */
  readonly #wordTerms: (word: string) => readonly string[];

  constructor(dir: string, terms: (word: string) => readonly string[] = wordTerms) {
    this.#dir = dir;
    this.#wordTerms = terms;
    mkdirSync(dir, { recursive: true });
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
      const ids = this.#paperTerms.data;
      const terms = this.#terms;
      for (let i = 0; i < this.#paperTerms.length; i++) {
        const at = ids[i]! * TERM_STRIDE;
        terms[at + POSTINGS]!++;
        this.#postings.add(
          ids[i]!,
          (number << NUMBER_SHIFT) | flags | (Math.min(terms[at + WEIGHT]!, MAX_WEIGHT) << 1),
        );
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
  finish(target = this.#dir): void {
    this.#flushDocs(true);
    this.#flushDocs(false);
    const { postings, starts } = this.#postings.grouped(
      (t) => this.#terms[t * TERM_STRIDE + POSTINGS]!,
      this.#termIds.size,
    );
    // A term chunk is written as the bytes of its JSON, `{"term":"postings",…}`, made here.
    const chunk = new ByteWriter(TERM_CHUNK_CHARS * 2);
    const varints = new ByteWriter();
    const firsts: string[] = [];
    let chars = 0;
    const close = () => {
      if (chunk.length === 0) return;
      chunk.byte(0x7d);
      writeFileSync(join(this.#dir, bundleFiles.terms(firsts.length - 1)), chunk.bytes.subarray(0, chunk.length));
      chunk.length = 0;
      chars = 0;
    };
    for (const term of [...this.#termIds.keys()].sort()) {
      const id = this.#termIds.get(term)!;
      if (chunk.length === 0) {
        firsts.push(term);
        chunk.byte(0x7b);
      } else chunk.byte(0x2c);
      // Words are letters and digits; only an odd arXiv id could hold something JSON escapes.
      const key = PLAIN_TERM.test(term) ? `"${term}"` : JSON.stringify(term);
      chunk.text(key);
      chunk.byte(0x3a);
      chunk.byte(0x22);
      encodePostings(postings.subarray(starts[id], starts[id + 1]), varints);
      const encoded = chunk.base64(varints.bytes, varints.length);
      chunk.byte(0x22);
      // The entry's length as text: `key:"postings"`.
      chars += key.length + encoded + 3;
      if (chars >= TERM_CHUNK_CHARS) close();
    }
    close();
    this.#termIds.clear();
    const index = {
      format: INDEX_FORMAT,
      listed: this.#listedCount,
      unlisted: this.#unlistedCount,
      listedChunk: LISTED_CHUNK,
      unlistedChunk: UNLISTED_CHUNK,
      chunks: firsts,
    };
    this.#write(bundleFiles.index, JSON.stringify(index));
    if (target !== this.#dir) renameSync(this.#dir, target);
  }

  #termId(term: string): number {
    let id = this.#termIds.get(term);
    if (id === undefined) {
      id = this.#termIds.size;
      this.#termIds.set(term, id);
      if ((id + 1) * TERM_STRIDE > this.#terms.length) this.#terms = grown(this.#terms, this.#terms.length * 2);
    }
    return id;
  }

  #addField(weight: number, text: string): void {
    this.#startField(weight);
    this.#addText(text);
  }

  #addText(text: string): void {
    const need = SPAN * ((text.length + 1) >> 1);
    if (need > this.#spans.length) this.#spans = new Int32Array(need * 2);
    const spans = this.#spans;
    const end = wordSpans(text, spans) * SPAN;
    for (let at = 0; at < end; at += SPAN) {
      let value = this.#words.find(spans[at + 2]!, spans[at + 3]!);
      if (value === 0) {
        value = this.#wordValue(text.slice(spans[at]!, spans[at + 1]!));
        this.#words.add(value);
      }
      if (value > 0) this.#count(value - 1);
      else {
        // A word of several terms (wordTerms: "LoRA²" is lora2, lora and 2): each counts.
        const group = this.#groups[-value - 1]!;
        for (let g = 0; g < group.length; g++) this.#count(group[g]!);
      }
    }
  }

  /** What the word table keeps for a word: its term + 1, or -(group + 1) for a word of several terms. */
  #wordValue(word: string): number {
    const terms = this.#wordTerms(word);
    if (terms.length === 1) return this.#termId(terms[0]!) + 1;
    this.#groups.push(Int32Array.from(terms, (term) => this.#termId(term)));
    return -this.#groups.length;
  }

  #startField(weight: number): void {
    this.#field++;
    this.#weight = weight;
  }

  /** One occurrence of a term in the current field: adds the field's weight, at most FIELD_REPEATS times. */
  #count(id: number): void {
    const terms = this.#terms;
    const at = id * TERM_STRIDE;
    const field = this.#field << 2;
    const seen = terms[at + FIELD]!;
    const repeats = seen - field;
    if (repeats >= FIELD_REPEATS) return;
    terms[at + FIELD] = repeats >= 0 ? seen + 1 : field + 1;
    if (terms[at + PAPER] !== this.#paper) {
      terms[at + PAPER] = this.#paper;
      terms[at + WEIGHT] = 0;
      this.#paperTerms.push(id);
    }
    terms[at + WEIGHT]! += this.#weight;
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
    writeFileSync(join(this.#dir, file), text);
  }
}

/** Base64's digits, by value. */
const BASE64 = Uint8Array.from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", (c) =>
  c.charCodeAt(0),
);

/** Bytes being written, in a buffer that grows and is reused. */
class ByteWriter {
  bytes: Uint8Array;
  length = 0;

  constructor(capacity = 1 << 16) {
    this.bytes = new Uint8Array(capacity);
  }

  /** Makes room for `n` more bytes. */
  room(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    const bigger = new Uint8Array(Math.max(this.bytes.length * 2, this.length + n));
    bigger.set(this.bytes.subarray(0, this.length));
    this.bytes = bigger;
  }

  byte(value: number): void {
    if (this.length === this.bytes.length) this.room(1);
    this.bytes[this.length++] = value;
  }

  /** A non-negative integer below 2^31, seven bits a byte, low bits first; the high bit says more follow. */
  varint(value: number): void {
    this.room(5);
    const bytes = this.bytes;
    while (value >= 0x80) {
      bytes[this.length++] = (value & 0x7f) | 0x80;
      value >>>= 7;
    }
    bytes[this.length++] = value;
  }

  /** Text as UTF-8. */
  text(text: string): void {
    this.room(text.length * 3);
    const bytes = this.bytes;
    const start = this.length;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code >= 0x80) {
        this.length = start + Buffer.from(bytes.buffer, bytes.byteOffset).write(text, start);
        return;
      }
      bytes[start + i] = code;
    }
    this.length = start + text.length;
  }

  /** `source[0, n)` as base64 (with padding); returns how many characters that is. */
  base64(source: Uint8Array, n: number): number {
    const chars = Math.ceil(n / 3) * 4;
    this.room(chars);
    const bytes = this.bytes;
    let at = this.length;
    let i = 0;
    for (; i + 2 < n; i += 3) {
      const triple = (source[i]! << 16) | (source[i + 1]! << 8) | source[i + 2]!;
      bytes[at++] = BASE64[triple >>> 18]!;
      bytes[at++] = BASE64[(triple >>> 12) & 63]!;
      bytes[at++] = BASE64[(triple >>> 6) & 63]!;
      bytes[at++] = BASE64[triple & 63]!;
    }
    if (i < n) {
      const two = i + 1 < n;
      const triple = (source[i]! << 16) | (two ? source[i + 1]! << 8 : 0);
      bytes[at++] = BASE64[triple >>> 18]!;
      bytes[at++] = BASE64[(triple >>> 12) & 63]!;
      bytes[at++] = two ? BASE64[(triple >>> 6) & 63]! : 0x3d;
      bytes[at++] = 0x3d;
    }
    this.length = at;
    return chars;
  }
}

/**
 * Writes a term's postings to `out` (emptied first): the number of listed postings, then the listed
 * postings, then the unlisted ones, each as (gap from the previous document number, weight × 2 +
 * picked) in varints. The index holds them in base64.
 */
function encodePostings(postings: Int32Array, out: ByteWriter): void {
  out.length = 0;
  const n = postings.length;
  let listed = 0;
  for (let i = 0; i < n; i++) if (postings[i]! & LISTED_BIT) listed++;
  out.varint(listed);
  for (let side = LISTED_BIT; side >= 0; side -= LISTED_BIT) {
    let previous = 0;
    for (let i = 0; i < n; i++) {
      const posting = postings[i]!;
      if ((posting & LISTED_BIT) !== side) continue;
      const number = posting >>> NUMBER_SHIFT;
      out.varint(number - previous);
      out.byte(posting & 0xff);
      previous = number;
    }
  }
}
