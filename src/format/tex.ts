/**
 * Titles and abstracts are TeX source. Besides math (`$…$`, `$$…$$`), authors use text-mode markup:
 * `\textbf{…}`, `\emph{…}`, `\texttt{…}`, `\href{url}{text}`, `\url{…}`, `\footnote{…}`, `--` for a
 * dash, ``` ``…'' ``` for quotes, and accents (`Schr\"odinger`, `\'{\i}`, `\ss`: format/accents.ts).
 * `parseTex` reads that markup into a small tree that each renderer walks: the site's HTML
 * (site/math.ts), plain text (`plainTex`: search, page descriptions, Slack, email, the webhook's
 * plain title) and Markdown (`texMarkdown` in format/tex-markdown.ts, the day page). The model's comment on
 * a paper is rendered as its abstract is, on every surface.
 *
 * The parser is our own and linear: one pass finds the math spans (as the site always found them),
 * one pass matches braces outside math, and one pass reads the macros it knows, whose arguments are
 * already matched. A macro without its braces, an unknown command or a lone brace stays in a text
 * node as it was typed, so no text is ever lost; nesting deeper than MAX_TEX_NESTING stays text too.
 * Accents stay in the text nodes too: each renderer decodes them (`decodeAccents`) before its own
 * text rules, so math is never touched.
 */
import { decodeAccents } from "./accents.js";
import { BACKSLASH, DOLLAR, type MathSpan, mathSpans } from "./math-spans.js";
import { plainMath, SUBSCRIPTS, SUPERSCRIPTS, scriptChars, textSymbol } from "./plain-math.js";

export type TexStyle =
  | "bold"
  | "italic"
  | "emph"
  | "code"
  | "underline"
  | "smallcaps"
  | "superscript"
  | "subscript"
  /** Text whose macro only changes the font family or says "text" (`\textrm`, `\mbox`): its content. */
  | "plain";

export type TexNode =
  /** TeX text as typed, possibly with escapes and commands the parser leaves to the renderers. */
  | { kind: "text"; source: string }
  | { kind: "math"; tex: string; display: boolean }
  | { kind: "style"; style: TexStyle; children: TexNode[] }
  | { kind: "footnote"; children: TexNode[] }
  /** `\href{url}{text}`: the URL as written (escapes undone); `httpUrl` (format/url.ts) checks it. */
  | { kind: "href"; url: string; children: TexNode[] }
  | { kind: "url"; url: string };

/** Text macros with one argument. */
const TEXT_MACROS: Record<string, TexStyle> = {
  textbf: "bold",
  textit: "italic",
  textsl: "italic",
  emph: "emph",
  texttt: "code",
  underline: "underline",
  textsc: "smallcaps",
  textsuperscript: "superscript",
  textsubscript: "subscript",
  textrm: "plain",
  textsf: "plain",
  textup: "plain",
  textmd: "plain",
  textnormal: "plain",
  text: "plain",
  mbox: "plain",
};

/** Old-style declarations that style the rest of their group: `{\bf …}`, `{\em …}`. */
const DECLARATIONS: Record<string, TexStyle> = {
  bf: "bold",
  bfseries: "bold",
  it: "italic",
  itshape: "italic",
  sl: "italic",
  em: "emph",
  tt: "code",
  ttfamily: "code",
  sc: "smallcaps",
  scshape: "smallcaps",
};

/** Deeper nesting of text macros than this is shown as typed (and bounds the renderers' recursion). */
export const MAX_TEX_NESTING = 16;

const OPEN = 123;
const CLOSE = 125;

/** For each `{` outside math that has its `}`, the index of that `}`. */
function matchBraces(source: string, math: Map<number, MathSpan>): Map<number, number> {
  const match = new Map<number, number>();
  const open: number[] = [];
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (c === BACKSLASH) i++;
    else if (c === DOLLAR) {
      const span = math.get(i);
      if (span) i = span.end - 1;
    } else if (c === OPEN) open.push(i);
    else if (c === CLOSE && open.length > 0) match.set(open.pop()!, i);
  }
  return match;
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/** The text as a tree of text, math and the text macros above. Linear in the length of the text. */
export function parseTex(source: string): TexNode[] {
  return new TexParser(source).parse(0, source.length, 0);
}

/** `source[from, to)` with each tie (`isTie`, judged in the whole text) as a no-break space. */
function ties(source: string, from: number, to: number): string {
  const text = source.slice(from, to);
  if (!text.includes("~")) return text;
  let out = "";
  for (let k = from; k < to; k++) out += source[k] === "~" && isTie(source, k) ? "\u00a0" : source[k];
  return out;
}

/** One text's math spans and matched braces, read by `parse` over nested ranges. */
class TexParser {
  private readonly math: Map<number, MathSpan>;
  private readonly match: Map<number, number>;

  constructor(private readonly source: string) {
    this.math = mathSpans(source);
    this.match = matchBraces(source, this.math);
  }

  /** The nodes of `source[from, to)`, a range that holds whole groups only. */
  parse(from: number, to: number, depth: number): TexNode[] {
    const { source, math, match } = this;
    const nodes: TexNode[] = [];
    let text = "";
    let i = from;
    while (i < to) {
      // Plain text up to the next backslash, brace or dollar is taken as one slice.
      let end = i;
      while (end < to) {
        const c = source.charCodeAt(end);
        if (c === BACKSLASH || c === OPEN || c === DOLLAR) break;
        end++;
      }
      if (end > i) {
        text += ties(source, i, end);
        i = end;
        continue;
      }
      const c = source.charCodeAt(i);
      let node: TexNode | null = null;
      let next = i + 1;
      if (c === DOLLAR) {
        const span = math.get(i);
        if (span !== undefined) {
          node = { kind: "math", tex: span.tex, display: span.display };
          next = span.end;
        }
      } else if (c === OPEN) {
        // `{\bf …}`: a declaration styles the rest of its group. Any other group stays as typed.
        const close = match.get(i);
        if (close !== undefined && depth < MAX_TEX_NESTING && source.charCodeAt(i + 1) === BACKSLASH) {
          let nameEnd = i + 2;
          while (nameEnd < close && isLetter(source.charCodeAt(nameEnd))) nameEnd++;
          const style = DECLARATIONS[source.slice(i + 2, nameEnd)];
          if (style !== undefined && !isLetter(source.charCodeAt(nameEnd))) {
            let start = nameEnd;
            while (start < close && isSpace(source.charCodeAt(start))) start++;
            node = { kind: "style", style, children: this.parse(start, close, depth + 1) };
            next = close + 1;
          }
        }
      } else {
        // A backslash: a control word, or a control symbol (`\%`, `\$`, `\\`) kept for the renderers.
        let nameEnd = i + 1;
        while (nameEnd < to && isLetter(source.charCodeAt(nameEnd))) nameEnd++;
        if (nameEnd === i + 1) next = Math.min(i + 2, to);
        else {
          const read = this.macro(source.slice(i + 1, nameEnd), nameEnd, to, depth);
          if (read === null) next = nameEnd;
          else [node, next] = read;
        }
      }
      if (node === null) text += source.slice(i, next);
      else {
        if (text !== "") nodes.push({ kind: "text", source: text });
        text = "";
        nodes.push(node);
      }
      i = next;
    }
    if (text !== "") nodes.push({ kind: "text", source: text });
    return nodes;
  }

  /** Index of the `{` that opens an argument at or after `from` (spaces skipped), or -1. */
  private argument(from: number, to: number): number {
    let j = from;
    while (j < to && isSpace(this.source.charCodeAt(j))) j++;
    return j < to && this.source.charCodeAt(j) === OPEN && this.match.has(j) ? j : -1;
  }

  /** `\name` ending at `after` as a node and the index after it, or null to leave it as text. */
  private macro(name: string, after: number, to: number, depth: number): [TexNode, number] | null {
    if (depth >= MAX_TEX_NESTING) return null;
    const style = TEXT_MACROS[name];
    if (style !== undefined || name === "footnote" || name === "url") {
      const open = this.argument(after, to);
      if (open === -1) return null;
      const close = this.match.get(open)!;
      if (name === "url") return [{ kind: "url", url: unescapeUrl(this.source.slice(open + 1, close)) }, close + 1];
      const children = this.parse(open + 1, close, depth + 1);
      return [style === undefined ? { kind: "footnote", children } : { kind: "style", style, children }, close + 1];
    }
    if (name === "href") {
      const first = this.argument(after, to);
      if (first === -1) return null;
      const second = this.argument(this.match.get(first)! + 1, to);
      if (second === -1) return null;
      const url = unescapeUrl(this.source.slice(first + 1, this.match.get(first)!));
      const close = this.match.get(second)!;
      return [{ kind: "href", url, children: this.parse(second + 1, close, depth + 1) }, close + 1];
    }
    return null;
  }
}

/** A URL as typed in `\url` or `\href`: the escapes authors add (`\_`, `\#`, `\%`, `\&`, `\~`) undone. */
function unescapeUrl(text: string): string {
  return text.replace(/\\([_#%&~$])/g, "$1").trim();
}

/**
 * The space before a footnote's parentheses, unless the piece of text written just before it ends
 * with one (the last piece, not the whole text so far: reading a character of a long concatenated
 * string flattens it, which for every footnote of a long text would cost quadratic time).
 */
export function footnoteSpace(lastPiece: string): string {
  return lastPiece === "" || !/\s/.test(lastPiece[lastPiece.length - 1]!) ? " " : "";
}

/** How many formulas a tree holds. */
export function countMath(nodes: readonly TexNode[]): number {
  let n = 0;
  for (const node of nodes) {
    if (node.kind === "math") n++;
    else if ("children" in node) n += countMath(node.children);
  }
  return n;
}

/**
 * Text-mode characters as typeset, for a page: accents and special letters (format/accents.ts),
 * escaped characters (`\%`, `\&`, `\#`, `\_`, `\$`, `\{`, `\}`), a tie (`isTie`) as a no-break
 * space, `\ldots` and `\dots` as "…", `\textasciitilde` and the other reserved characters' commands
 * (TEXT_SYMBOLS) as their characters, and, outside code, dashes and quotes (see `ligatures`). Other
 * commands stay as typed.
 */
export function typesetText(source: string, code = false): string {
  let out = source.includes("\\") ? decodeAccents(source) : source;
  if (out.includes("\\") || out.includes("~")) {
    out = out.replace(
      TEXT_COMMANDS,
      (
        whole,
        dots: string | undefined,
        symbol: string | undefined,
        escaped: string | undefined,
        at: number,
        all: string,
      ) => {
        if (dots !== undefined) return "…";
        if (symbol !== undefined) return TEXT_SYMBOLS[symbol]!;
        if (escaped !== undefined) return escaped;
        if (whole === "~") return isTie(all, at) ? "\u00a0" : "~";
        return whole;
      },
    );
  }
  return code ? out : ligatures(out);
}

/**
 * The text-mode commands for characters TeX reserves (`\textasciitilde` for ~ and so on). Like TeX,
 * they take the one space or the empty group after them: `\textasciitilde 5` reads "~5".
 */
const TEXT_SYMBOLS: Record<string, string> = {
  textasciitilde: "~",
  textasciicircum: "^",
  textbackslash: "\\",
  textbar: "|",
  textless: "<",
  textgreater: ">",
  textunderscore: "_",
};
const TEXT_SYMBOL_NAMES = Object.keys(TEXT_SYMBOLS).join("|");
const TEXT_COMMANDS = new RegExp(
  `\\\\(?:(ldots|dots)(?![A-Za-z])(?:\\{\\})?|(${TEXT_SYMBOL_NAMES})(?![A-Za-z])(?:\\{\\}| )?|([%&#_\${}]))|~`,
  "g",
);

/**
 * Whether the `~` at `at` is TeX's tie (a no-break space: `Stage~2`, `Fig.~3`, `of~$n$`,
 * `Experts~(MoE)`) or a tilde the text means as one: a `~` with a space or an end of the text beside
 * it (`~10x`, `~tilde~`), after a slash (a URL's `/~user`) or after an opening bracket or an operator
 * (`(~45%)`, where it means "about"), stays. The parser decides it over the
 * whole text (`ties`), so a tie next to math or a macro is seen as one; `typesetText` and
 * `plainTex` apply the same rule to what they are given. The site, the Markdown and every
 * plain-text channel (Slack, email, feeds, search) thus show a title's `~` alike.
 */
export function isTie(text: string, at: number): boolean {
  const before = text[at - 1];
  const after = text[at + 1];
  return before !== undefined && after !== undefined && TIE_BEFORE.test(before) && TIE_AFTER.test(after);
}

/**
 * What a tie follows: the end of a word, a number, an abbreviation's period, a closing bracket or
 * math. After an opening bracket or an operator the `~` means "about" (`(~45%)`, `=~3`) and stays.
 */
const TIE_BEFORE = /[\p{L}\p{N}.,:;)\]}$'’]/u;
/** What a tie precedes: a word, a number, a command (`~\cite`), math or an opening bracket (`Eq.~(3)`). */
const TIE_AFTER = /[\p{L}\p{N}\\$([{]/u;

/**
 * `---` → —, `--` → –, ``` `` ``` → “ and `''` → ”, as TeX's fonts set them; not inside a word that
 * holds "://" (a URL's `--` stays) and never in code (the caller's choice: `\texttt{--flag}`).
 */
function ligatures(text: string): string {
  if (!hasLigature(text)) return text;
  // Matches come in order, so each word is looked at once, however many pairs it holds.
  let wordEnd = -1;
  let url = false;
  return text.replace(LIGATURES, (l: string, at: number) => {
    if (at >= wordEnd) {
      let start = at;
      while (start > 0 && !isSpace(text.charCodeAt(start - 1))) start--;
      wordEnd = at;
      while (wordEnd < text.length && !isSpace(text.charCodeAt(wordEnd))) wordEnd++;
      url = text.slice(start, wordEnd).includes("://");
    }
    return url ? l : LIGATURE_CHARS[l]!;
  });
}

/** Whether the text holds a pair `ligatures` sets (string searches: faster than one regex with alternatives). */
export function hasLigature(text: string): boolean {
  return text.includes("--") || text.includes("``") || text.includes("''");
}
const LIGATURES = /---|--|``|''/g;
const LIGATURE_CHARS: Record<string, string> = { "---": "—", "--": "–", "``": "“", "''": "”" };

/**
 * TeX source (titles, abstracts) as plain readable text for places that cannot typeset it: search
 * snippets, page descriptions, Slack, email. Text macros give their content (a footnote in
 * parentheses, `\href` its text, `\url` its URL), dashes and quotes their characters; math is
 * written by `plainMath` (format/plain-math.ts) in Unicode that keeps its meaning, without its
 * delimiters: "$\geq 95\%$" reads "≥ 95%", `$\frac{1}{\sqrt{n}}$` "1/√n", `$n\log n$` "n log n".
 */
export function plainTex(source: string): string {
  // Most titles hold no TeX at all: only the spacing to tidy, and most need none (the search index
  // runs this on every paper).
  if (!TEX_CHARS.test(source) && !hasLigature(source)) return untidy(source) ? tidy(source) : source;
  return tidy(plainNodes(parseTex(source), false));
}

/** Each run of spacing as one space, none at either end. Only what is not already one space is replaced. */
function tidy(text: string): string {
  return text.replace(SPACING_RUN, " ").trim();
}

const SPACING_RUN = /\s{2,}|[^\S ]/g;

/** The characters any step of plainTex acts on, besides spacing and the pairs of `hasLigature`. */
const TEX_CHARS = /[\\${}~]/;
/**
 * Whether `tidy` would change the text: it holds a space character other than the space, two
 * spaces in a row, or a space at either end. String searches and one character class, about twice
 * as fast as one regular expression with four alternatives (the search index asks it of every
 * title and abstract without TeX).
 */
function untidy(text: string): boolean {
  return text.includes("  ") || text.startsWith(" ") || text.endsWith(" ") || OTHER_SPACE.test(text);
}
const OTHER_SPACE = /[^\S ]/;

/** A tree as plain text (spacing not yet tidied). */
function plainNodes(nodes: readonly TexNode[], code: boolean): string {
  let out = "";
  let last = "";
  for (const node of nodes) {
    last = plainNode(node, code, last);
    out += last;
  }
  return out;
}

function plainNode(node: TexNode, code: boolean, before: string): string {
  switch (node.kind) {
    case "text":
      return plainText(node.source, code);
    case "math":
      return plainMath(node.tex);
    case "style": {
      const inner = plainNodes(node.children, code || node.style === "code");
      if (node.style !== "superscript" && node.style !== "subscript") return inner;
      return scriptChars(inner, node.style === "superscript" ? SUPERSCRIPTS : SUBSCRIPTS) ?? inner;
    }
    case "footnote":
      return `${footnoteSpace(before)}(${plainNodes(node.children, code)})`;
    case "href":
      return plainNodes(node.children, code);
    case "url":
      return node.url;
  }
}

/**
 * Text-mode TeX as plain text: accents and special letters decoded, escapes undone, known symbols as
 * Unicode, other commands, braces and stray math delimiters (an unclosed `$`) dropped.
 */
function plainText(typed: string, code: boolean): string {
  if (!PLAIN_SPECIAL.test(typed)) return code ? typed : ligatures(typed);
  const source = typed.includes("\\") ? decodeAccents(typed) : typed;
  const out = source.replace(
    PLAIN_COMMANDS,
    (whole, name?: string, after?: string, symbol?: string, offset?: number) => {
      if (name !== undefined) {
        if (name in TEXT_SYMBOLS) return TEXT_SYMBOLS[name]!;
        const space = after === " " ? " " : "";
        return (name === "ldots" || name === "dots" ? "…" : (textSymbol(name) ?? "")) + space;
      }
      if (symbol !== undefined) {
        if (ESCAPED.has(symbol)) return symbol;
        return SPACING.includes(symbol) ? " " : whole;
      }
      if (whole === "~") return isTie(source, offset!) ? " " : "~";
      return "";
    },
  );
  return code ? out : ligatures(out);
}

const PLAIN_SPECIAL = /[\\{}~$]/;
const PLAIN_COMMANDS = /\\(?:([A-Za-z]+)(\{\}| )?|([\s\S]))|[{}~$]/g;
/** Characters TeX text escapes with a backslash. */
const ESCAPED = new Set(["%", "&", "#", "_", "$", "{", "}"]);
const SPACING = ",;:! \\\n";
