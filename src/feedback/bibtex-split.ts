/**
 * A BibTeX file cut into its directives the way @retorquere/bibtex-parser's first pass reads it,
 * in time linear in the file, so that each entry can be handed to that parser alone.
 *
 * Read whole, the parser is quadratic where a file goes wrong: an unclosed value is read to the
 * file's end for every entry that leaves one open, and every error counts the lines up to its
 * place. This module follows the same grammar step by step (keys, `{…}` and `"…"` values, `#`,
 * @string references, `%` outside entries, the recovery at the next `@` after a failed
 * directive), so every directive starts, ends, fails and is worded exactly as there; where a
 * value is closed is looked up in tables built in one pass over the text (each brace's partner,
 * each quote's next quote at no deeper nesting), never by reading on. Where each field of an entry
 * starts and ends is kept too, so that the fields the import never reads can be left out of what
 * the parser is handed, and how long its value comes to with its @strings put in: a value is put
 * together only up to a bound (`maxValue`), so that @strings doubling one another (`@string{b = a
 * # a}`, 27 times over) cost no more than that, and the entry is named instead of read.
 */

/** The parser's own abbreviations, which an @string reference falls back on (verbatim.ts). */
const BUILTIN_STRINGS: Readonly<Record<string, string>> = {
  JAN: "01",
  JANUARY: "01",
  FEB: "02",
  FEBRUARY: "02",
  MAR: "03",
  MARCH: "03",
  APR: "04",
  APRIL: "04",
  MAY: "05",
  JUN: "06",
  JUNE: "06",
  JUL: "07",
  JULY: "07",
  AUG: "08",
  AUGUST: "08",
  SEP: "09",
  SEPTEMBER: "09",
  OCT: "10",
  OCTOBER: "10",
  NOV: "11",
  NOVEMBER: "11",
  DEC: "12",
  DECEMBER: "12",
  ACMCS: "ACM Computing Surveys",
  ACTA: "Acta Informatica",
  CACM: "Communications of the ACM",
  IBMJRD: "IBM Journal of Research and Development",
  IBMSJ: "IBM Systems Journal",
  IEEESE: "IEEE Transactions on Software Engineering",
  IEEETC: "IEEE Transactions on Computers",
  IEEETCAD: "IEEE Transactions on Computer-Aided Design of Integrated Circuits",
  IPL: "Information Processing Letters",
  JACM: "Journal of the ACM",
  JCSS: "Journal of Computer and System Sciences",
  SCP: "Science of Computer Programming",
  SICOMP: "SIAM Journal on Computing",
  TOCS: "ACM Transactions on Computer Systems",
  TODS: "ACM Transactions on Database Systems",
  TOG: "ACM Transactions on Graphics",
  TOMS: "ACM Transactions on Mathematical Software",
  TOOIS: "ACM Transactions on Office Information Systems",
  TOPLAS: "ACM Transactions on Programming Languages and Systems",
  TCS: "Theoretical Computer Science",
};

const KEY_CHAR = /[+'a-zA-Z0-9&;_:\\./-]/;
const LETTER = /[\p{Lu}\p{Lt}\p{Ll}\p{Lm}\p{Lo}]/u;
const WHITESPACE = /[ \t\r\n%]/;

/** One field of an entry as the first pass read it: `text.slice(start, end)` is `name = value`, `#` parts and all. */
export interface BibtexField {
  /** As written (the parser reads it in lower case). */
  name: string;
  start: number;
  end: number;
  /** The length of its value with its @strings put in, or `Infinity` when that passes `maxValue`. */
  chars: number;
}

/** One directive as the parser's first pass ends it. */
export type BibtexPiece =
  /**
   * An entry read through: `text.slice(start, end)` handed to the parser gives it alone, with
   * `strings` as the @strings then defined that its read fields name (none else: the parser takes
   * each one it is handed in on every call); `fields` are its fields in order, each a value closed.
   */
  | {
      kind: "entry";
      start: number;
      end: number;
      strings: Readonly<Record<string, string>>;
      fields: readonly BibtexField[];
    }
  /** An error of the first pass, in its place among the others: `error` and `input` as the parser words them. */
  | { kind: "error"; error: string; input: string }
  /**
   * An entry the first pass failed on after reading some of its fields: the parser still converts
   * those (a name of too many parts is an error of its own). `text.slice(start, end)` holds them,
   * up to the end of the last; closed by `guard`, the parser reads them as it read them there.
   */
  | {
      kind: "partial";
      start: number;
      end: number;
      guard: string;
      strings: Readonly<Record<string, string>>;
      fields: readonly BibtexField[];
    }
  /**
   * A @preamble read through; `plain` when its value names no @string, so that read anywhere it
   * says the same; `value` as the parser reads it (null when it passes `maxValue`).
   */
  | { kind: "preamble"; start: number; end: number; plain: boolean; value: string | null }
  /** A @string defined (even where its directive then fails): `value` null when it passes `maxValue`. */
  | { kind: "string"; name: string; start: number; value: string | null };

class ParsingError extends Error {}

/**
 * Where each brace, quote and `$` of the text stands, read once: a backslash takes the character
 * after it, as every value of the parser reads it (a value opens after a `{` or `"`, never inside
 * a run of backslashes, so the pairs fall the same way from there as from the file's start).
 */
class ValueIndex {
  /** Positions of the braces, `{` and `}` alike, in order, and of each `{` its `}` (-1: none). */
  private readonly braces: number[] = [];
  private readonly partner: number[] = [];
  /** Positions of the quotes, and of each the index of the next quote at its depth or shallower (-1: none). */
  private readonly quotes: number[] = [];
  private readonly nextQuote: number[];
  /** Positions of the `$` signs. */
  private readonly dollars: number[] = [];

  constructor(text: string) {
    const open: number[] = [];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 92 /* \ */) i++;
      else if (c === 123 /* { */) {
        open.push(this.braces.length);
        this.braces.push(i);
        this.partner.push(-1);
      } else if (c === 125 /* } */) {
        const o = open.pop();
        if (o !== undefined) this.partner[o] = i;
        this.braces.push(i);
        this.partner.push(-1);
      } else if (c === 34 /* " */) this.quotes.push(i);
      else if (c === 36 /* $ */) this.dollars.push(i);
    }
    this.nextQuote = nextNoDeeper(this.quotes, text);
  }

  /** The `}` closing the brace value opened at `at`, or -1 when the file ends first. */
  closingBrace(at: number): number {
    const i = firstAtOrAfter(this.braces, at);
    return i < this.braces.length && this.braces[i] === at ? this.partner[i]! : -1;
  }

  /** The `"` closing the quoted value opened at `at`, or -1 when the file ends first. */
  closingQuote(at: number): number {
    const i = firstAtOrAfter(this.quotes, at);
    if (i >= this.quotes.length || this.quotes[i] !== at) return -1;
    const next = this.nextQuote[i]!;
    return next < 0 ? -1 : this.quotes[next]!;
  }

  /** How many `$` stand in [from, to). */
  dollarsIn(from: number, to: number): number {
    return firstAtOrAfter(this.dollars, to) - firstAtOrAfter(this.dollars, from);
  }
}

/**
 * For each quote, the index of the first later quote whose brace depth (counted from the file's
 * start, a `}` lowering it even below zero, as a quoted value counts) is at most its own: where a
 * quoted value opened there ends. One pass with a stack of quotes still waiting.
 */
function nextNoDeeper(quotes: readonly number[], text: string): number[] {
  const next = new Array<number>(quotes.length).fill(-1);
  const depths: number[] = [];
  let depth = 0;
  let q = 0;
  for (let i = 0; i < text.length && q < quotes.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 92) i++;
    else if (c === 123) depth++;
    else if (c === 125) depth--;
    else if (i === quotes[q]) {
      depths.push(depth);
      q++;
    }
  }
  const waiting: number[] = [];
  for (let j = 0; j < quotes.length; j++) {
    while (waiting.length > 0 && depths[waiting.at(-1)!]! >= depths[j]!) next[waiting.pop()!] = j;
    waiting.push(j);
  }
  return next;
}

/** The index of the first element of the sorted `list` that is at least `value`. */
function firstAtOrAfter(list: readonly number[], value: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The directives of a BibTeX text, in order: each entry the parser's first pass reads through
 * (where it starts and ends, and the @strings defined before it), and each error that pass records,
 * worded as it words it (the place as line and column of the whole file) and left out when the
 * same words were recorded before, as it does. An unknown @string named in a field `reads` says
 * no to (given the field's name in lower case) is no error: that field is never converted.
 */
export function splitBibtex(
  text: string,
  reads: (field: string) => boolean = () => true,
  maxValue = DEFAULT_MAX_VALUE,
): BibtexPiece[] {
  return new Splitter(text, reads, maxValue).run();
}

/**
 * How many times `maxValue` the values of many parts a file's @strings and preambles put together
 * may hold in all: far past a real file's (a few abbreviations joined), and a file of hundreds of
 * thousands of @strings each joining long ones is no burden (those past it count as too long).
 */
const JOINED_VALUES = 64;

/** How long a value is put together when no bound is given (characters). */
const DEFAULT_MAX_VALUE = 1_000_000;

class Splitter {
  private pos = 0;
  private parsing: string | null = null;
  private readonly strings: Record<string, string> = {};
  /** The @strings whose value passed `maxValue` (their `strings` value is cut there). */
  private readonly overlong = new Set<string>();
  /** The @strings (in upper case) the read fields of the entry being read name. */
  private named = new Set<string>();
  /** Whether the value being read passed `maxValue`, whether it named a @string that did, and its length. */
  private overflow = false;
  private namedOverlong = false;
  private valueChars = 0;
  /** How many characters the @strings and preambles of many parts put together so far hold. */
  private joined = 0;
  private readonly pieces: BibtexPiece[] = [];
  private readonly seen = new Set<string>();
  private readonly lineStarts: number[] = [0];
  private values: ValueIndex | null = null;
  /** Whether a value read since this was last cleared named a @string. */
  private namedString = false;
  /** The fields of the entry being read, so far. */
  private fields: BibtexField[] = [];

  /** Whether the value being read is of a field no one reads. */
  private unread = false;
  /** Where the directive being read starts. */
  private directiveStart = 0;

  constructor(
    private readonly input: string,
    private readonly reads: (field: string) => boolean,
    private readonly maxValue: number,
  ) {
    for (let i = input.indexOf("\n"); i >= 0; i = input.indexOf("\n", i + 1)) this.lineStarts.push(i + 1);
  }

  run(): BibtexPiece[] {
    while (this.pos < this.input.length) this.parseNext();
    return this.pieces;
  }

  private index(): ValueIndex {
    this.values ??= new ValueIndex(this.input);
    return this.values;
  }

  private fail(message: string): never {
    const at = Math.min(this.pos, this.input.length);
    const line = firstAtOrAfter(this.lineStarts, at + 1);
    let words = `${message} at line ${line}, column ${at - this.lineStarts[line - 1]! + 1}`;
    if (this.parsing) words += ` in ${JSON.stringify(this.parsing)}`;
    throw new ParsingError(words);
  }

  private error(error: string, input: string): void {
    if (this.seen.has(error)) return;
    this.seen.add(error);
    this.pieces.push({ kind: "error", error, input });
  }

  private skipWhitespace(): void {
    const input = this.input;
    while (this.pos < input.length && WHITESPACE.test(input[this.pos]!)) {
      if (input[this.pos] === "%") {
        while (this.pos < input.length && input[this.pos] !== "\n") this.pos++;
      } else this.pos++;
    }
  }

  private match(s: string, sws = true): void {
    this.skipWhitespace();
    if (this.input.substr(this.pos, s.length) !== s)
      this.fail(
        `Token mismatch, expected ${JSON.stringify(s)}, found ${JSON.stringify(this.input.substr(this.pos, 20))}...`,
      );
    this.pos += s.length;
    if (sws) this.skipWhitespace();
  }

  private tryMatch(s: string, consume = false): boolean {
    this.skipWhitespace();
    const match = this.input.substr(this.pos, s.length) === s;
    if (match && consume) this.pos += s.length;
    return match;
  }

  private valueBraces(): string {
    this.skipWhitespace();
    const open = this.pos;
    this.match("{", false);
    const start = this.pos;
    const close = this.index().closingBrace(open);
    if (close < 0) {
      this.pos = this.input.length;
      this.fail(`Unterminated brace-value ${JSON.stringify(this.input.substr(start, 20))}`);
    }
    this.pos = close;
    if (this.index().dollarsIn(start, close) % 2 === 1) this.fail("Unclosed math section");
    this.pos = close + 1;
    return this.input.substring(start, close);
  }

  private valueQuotes(): string {
    this.skipWhitespace();
    const open = this.pos;
    this.match('"', false);
    const start = this.pos;
    const close = this.index().closingQuote(open);
    if (close < 0) {
      this.pos = this.input.length;
      this.fail(`Unterminated quote-value ${JSON.stringify(this.input.substr(start, 20))}`);
    }
    this.pos = close + 1;
    return this.input.substring(start, close);
  }

  private singleValue(): string {
    if (this.tryMatch("{")) return this.valueBraces();
    if (this.tryMatch('"')) return this.valueQuotes();
    const bare = this.key();
    if (/^\d+$/.test(bare)) return bare;
    this.namedString = true;
    const upper = bare.toUpperCase();
    if (!this.unread) this.named.add(upper);
    if (this.overlong.has(upper)) this.namedOverlong = true;
    const resolved = this.strings[upper] || BUILTIN_STRINGS[upper];
    if (resolved === undefined && !this.unread) this.error(`Unresolved @string reference ${JSON.stringify(bare)}`, "");
    return resolved || `{{${bare}}}`;
  }

  /**
   * The value, put together up to `maxValue`: past it, `overflow` is set and the rest only read,
   * `valueChars` its whole length all the same (`Infinity` when it names a @string cut short).
   */
  private value(): string {
    this.overflow = false;
    this.namedOverlong = false;
    const values: string[] = [];
    let length = 0;
    // A field's value is measured, never put together: only a @string's and a preamble's are kept.
    const keep = this.parsing === "string" || this.parsing === "preamble";
    const add = (part: string) => {
      length += part.length;
      if (length > this.maxValue || this.namedOverlong) this.overflow = true;
      if (keep && !this.overflow) values.push(part);
    };
    add(this.singleValue());
    while (this.tryMatch("#")) {
      this.match("#");
      add(this.singleValue());
    }
    this.valueChars = this.namedOverlong ? Infinity : length;
    if (values.length < 2) return values[0] ?? "";
    // A value of one part is a slice of the file; one of many is copied, and so counted.
    this.joined += length;
    if (this.joined > this.maxValue * JOINED_VALUES) {
      this.overflow = true;
      return "";
    }
    return values.join("");
  }

  private key(allow = ""): string {
    const input = this.input;
    const start = this.pos;
    for (;;) {
      if (this.pos === input.length) this.fail("Runaway key");
      const c = input[this.pos]!;
      if (KEY_CHAR.test(c) || LETTER.test(c) || allow.includes(c)) this.pos++;
      else return input.substring(start, this.pos);
    }
  }

  private keyEqualsValue(given?: string, givenAt = this.pos): void {
    const start = given ? givenAt : this.pos;
    const key = given || this.key();
    if (!key) return;
    if (!this.tryMatch("="))
      this.fail(`${key} = value expected, equals sign missing: ${JSON.stringify(this.input.substr(this.pos, 20))}...`);
    this.match("=");
    this.unread = this.parsing !== "string" && !this.reads(key.toLowerCase());
    const value = this.value();
    this.unread = false;
    if (this.parsing === "string") {
      const name = key.toUpperCase();
      // Cut short, it still stands for a value (not for the built-in one an empty value gives way to).
      this.strings[name] = this.overflow ? value || "-" : value;
      if (this.overflow) this.overlong.add(name);
      else this.overlong.delete(name);
      this.pieces.push({ kind: "string", name, start: this.directiveStart, value: this.overflow ? null : value });
    } else this.fields.push({ name: key, start, end: this.pos, chars: this.valueChars });
  }

  private entry(guard: string): void {
    if (this.tryMatch(guard)) return;
    const noKey = this.tryMatch(",");
    const keyAt = this.pos;
    const key = noKey ? "" : this.key('[]*"');
    if (this.tryMatch("=")) this.keyEqualsValue(key, keyAt);
    this.tryMatch(",", true);
    if (this.tryMatch(guard)) return;
    this.keyEqualsValue();
    while (this.tryMatch(",", true)) {
      if (this.tryMatch(guard)) return;
      this.keyEqualsValue();
    }
  }

  private comment(): void {
    while (this.input[this.pos] === " " || this.input[this.pos] === "\t") this.pos++;
    if (this.input[this.pos] === "{") this.valueBraces();
    else while (this.input[this.pos] !== "\n" && this.pos < this.input.length) this.pos++;
  }

  private matchGuard(): string {
    for (const guard of ["{}", "()"]) {
      if (this.tryMatch(guard[0]!)) {
        this.match(guard[0]!);
        return guard[1]!;
      }
    }
    return this.fail(
      `Token mismatch, expected '{' or '(', found ${JSON.stringify(this.input.substr(this.pos, 20))}...`,
    );
  }

  /**
   * The @strings as the parser is given them for one entry (its `strings` option, which stands in
   * for its built-in ones): those its read fields name, a string defined as empty left out, since
   * the parser then falls back on its built-in one, or on none.
   */
  private stringsNamed(): Readonly<Record<string, string>> {
    const handed: Record<string, string> = {};
    for (const name of this.named) {
      const value = this.strings[name];
      if (value) handed[name] = value;
    }
    return handed;
  }

  private parseNext(): void {
    const input = this.input;
    this.skipWhitespace();
    while (this.pos < input.length && input[this.pos] !== "@") {
      if (input[this.pos] === "%") {
        while (this.pos < input.length && input[this.pos] !== "\n") this.pos++;
      } else this.pos++;
    }
    if (this.pos >= input.length) return;
    const start = this.pos;
    this.directiveStart = start;
    let guard = "}";
    this.fields = [];
    this.unread = false;
    this.named = new Set();
    try {
      this.match("@");
      const directive = this.key().toLowerCase();
      this.parsing = directive;
      if (directive === "string") {
        guard = this.matchGuard();
        this.keyEqualsValue();
        this.match(guard);
      } else if (directive === "preamble") {
        this.namedString = false;
        const value = this.value();
        const plain = !this.namedString;
        this.pieces.push({ kind: "preamble", start, end: this.pos, plain, value: this.overflow ? null : value });
      } else if (directive === "comment") this.comment();
      else {
        guard = this.matchGuard();
        this.entry(guard);
        this.match(guard);
        this.pieces.push({ kind: "entry", start, end: this.pos, strings: this.stringsNamed(), fields: this.fields });
      }
    } catch (err) {
      if (!(err instanceof ParsingError)) throw err;
      const last = this.fields.at(-1);
      // The @strings the fields read so far name: no @string is defined inside an entry.
      if (last)
        this.pieces.push({
          kind: "partial",
          start,
          end: last.end,
          guard,
          strings: this.stringsNamed(),
          fields: this.fields,
        });
      this.pos = start + 1;
      while (this.pos < input.length && input[this.pos] !== "@") this.pos++;
      this.error(err.message, input.substring(start, this.pos));
    }
  }
}
