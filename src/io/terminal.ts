/**
 * Text for a terminal: the one home of how a message is laid out to the width of the terminal it
 * is written to. On a TTY each line is wrapped at spaces (by `wrap-ansi`, which counts wide
 * characters and skips ANSI codes), and its continuation lines hang under the text after the
 * line's prefix ("warning: ", "  2026-03-17: ", "ok    "). A word wider than the room left (a
 * URL, a path, an id) stays whole on a line of its own: nothing is broken inside a word, and a span
 * in backticks (a suggested command) counts as one word.
 * Anywhere else (a pipe, a file, a CI log) text is written as given. On a terminal or not, control
 * and format characters from untrusted text (`terminalSafe`) are written as visible escapes.
 *
 * The wrapping package costs a few milliseconds to load (its width tables, a grapheme segmenter),
 * so it is loaded only for a terminal: `main` calls `loadTerminalLayout` when stdout or stderr is
 * one, and a pipe never loads it.
 */

type WrapAnsi = typeof import("wrap-ansi").default;
let wrapAnsi: WrapAnsi | undefined;

/** Loads the wrapping package, once; until then text is written as given, terminal or not. */
export async function loadTerminalLayout(): Promise<void> {
  wrapAnsi ??= (await import("wrap-ansi")).default;
}

/** What a stream tells about the terminal behind it (process.stdout, process.stderr). */
export interface TerminalStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

/** Narrower than this, wrapping helps no one: the text is left as it is. */
export const MIN_COLUMNS = 20;

/**
 * The width to lay text out to, or undefined when `stream` is not a terminal (nothing is laid
 * out). On a terminal `COLUMNS`, when set to a whole number, wins over the width the stream
 * reports, as for other command-line tools.
 */
export function terminalColumns(
  stream: Pick<TerminalStream, "isTTY" | "columns">,
  env: Record<string, string | undefined> = process.env,
): number | undefined {
  if (!stream.isTTY) return undefined;
  const fromEnv = Number(env.COLUMNS);
  const columns = Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : stream.columns;
  return columns !== undefined && columns >= MIN_COLUMNS ? columns : undefined;
}

/** A list item's marker: "  1. ", "- ". */
const ITEM = /^ *(?:\d{1,2}\.|[-*•]) +(?=\S)/;
/** A label of one or two words and a colon: "warning: ", "error: ", "  2026-03-17: ", "Exit codes: ". */
const LABEL = /^ *[\x21-\x7e]+(?: [\x21-\x7e]+)?: +(?=\S)/;
/** A first column set off by two spaces or more: "ok    ", "  archive (one JSON per day):  ". */
const COLUMN = /^ *(?:[\x21-\x7e]+ )*?[\x21-\x7e]+ {2,}(?=\S)/;

const leadOf = (line: string): number => /^ */.exec(line)?.[0].length ?? 0;

/** The width of a line's prefix: its list marker, label or first column, else its own indent. */
function prefixWidth(line: string): number {
  return (ITEM.exec(line) ?? LABEL.exec(line) ?? COLUMN.exec(line))?.[0].length ?? leadOf(line);
}

/**
 * Where a line's continuation lines start: under the text after its list marker, label or first
 * column, else under its own indent; never more than half the width (the text would be a narrow
 * strip).
 */
export function hangingIndent(line: string, columns: number): number {
  const prefix = prefixWidth(line);
  if (prefix <= columns / 2) return prefix;
  const lead = leadOf(line);
  return lead <= columns / 2 ? lead : 0;
}

/**
 * The text's lines as paragraphs: a line indented exactly under the prefix of the line that
 * starts a paragraph continues it (text already wrapped for some width, as `init`'s next steps),
 * so the paragraph is laid out again as a whole.
 */
function paragraphs(lines: readonly string[]): string[] {
  const out: string[] = [];
  let hang = -1;
  for (const line of lines) {
    const lead = leadOf(line);
    if (out.length > 0 && hang > 0 && lead === hang && line.length > lead) {
      out[out.length - 1] = `${out[out.length - 1]!.trimEnd()} ${line.slice(lead)}`;
      continue;
    }
    out.push(line);
    const prefix = prefixWidth(line);
    hang = prefix > lead ? prefix : -1;
  }
  return out;
}

/** A span in backticks: a command, a key, a value to copy. */
const CODE_SPAN = /`[^`\n]*`/g;

/**
 * `line` with the spaces inside its backtick spans held by a character the line does not hold (one
 * of the private use area, one column wide like a space), so the wrapping takes each span for one
 * word: a suggested command is never broken across lines (copied, half of it would run, or a
 * quoted folder would name another). `restore` gives the spaces back.
 */
function holdCodeSpans(line: string): { held: string; restore: (text: string) => string } {
  const none = { held: line, restore: (text: string) => text };
  if (!line.includes("`")) return none;
  let code = 0xe000;
  while (line.includes(String.fromCharCode(code))) code++;
  if (code > 0xf8ff) return none;
  const mark = String.fromCharCode(code);
  const held = line.replace(CODE_SPAN, (span) => span.replaceAll(" ", mark));
  return { held, restore: (text) => text.replaceAll(mark, " ") };
}

/**
 * One line laid out to `columns`; a line that fits is returned as it is, byte for byte. A backtick
 * span is one word (`holdCodeSpans`): it moves to the next line whole, and one wider than the room
 * stays whole on a line of its own, as any other word.
 */
function layoutLine(wrapAnsi: WrapAnsi, line: string, columns: number): string {
  const { held, restore } = holdCodeSpans(line);
  if (!wrapAnsi(held, columns, { hard: false, trim: false }).includes("\n")) return line;
  const hang = hangingIndent(line, columns);
  const pad = " ".repeat(hang);
  return restore(
    wrapAnsi(held.slice(hang), columns - hang, { hard: false, trim: true })
      .split("\n")
      .map((part, i) => (i === 0 ? held.slice(0, hang) : pad) + part)
      .join("\n"),
  );
}

/**
 * `text` laid out to `columns`, paragraph by paragraph: its own line breaks are kept, but for a
 * line that continues the one above it under its prefix (see `paragraphs`).
 */
export function layoutText(text: string, columns: number): string {
  const wrap = wrapAnsi;
  if (wrap === undefined) throw new Error("layoutText before loadTerminalLayout");
  return paragraphs(text.split("\n"))
    .map((line) => layoutLine(wrap, line, columns))
    .join("\n");
}

/**
 * Characters a message must not carry to a terminal: control characters (ESC starts a sequence
 * that clears the screen or sets the window title, BEL rings, CR writes over the line) and format
 * characters (bidi overrides such as U+202E reorder what is shown, others are invisible), but for
 * the line break and tab the layout needs and the joiners (U+200C, U+200D) some scripts and emoji
 * are written with.
 */
const UNSAFE = /(?![\n\t\u200c\u200d])[\p{Cc}\p{Cf}]/gu;

/**
 * `text` safe to print: each character of `UNSAFE` written as a visible escape (`\u001b`,
 * `\u202e`), so a value echoed from a config, a library or a server shows what it holds and cannot
 * drive the terminal. The one guard every message to the user passes (`textFor`, so `writeOut`,
 * `writeErr`, the logger and `main`'s error line), on a terminal or not: a log file is read on one.
 */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.codePointAt(0)!;
    return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

/**
 * `text` as it should be written to `stream`: made safe (`terminalSafe`) everywhere, then laid out
 * on a terminal; elsewhere written as given but for that.
 */
export function textFor(
  stream: Pick<TerminalStream, "isTTY" | "columns">,
  text: string,
  env: Record<string, string | undefined> = process.env,
): string {
  const safe = terminalSafe(text);
  const columns = terminalColumns(stream, env);
  return columns === undefined || wrapAnsi === undefined ? safe : layoutText(safe, columns);
}

/**
 * A writer of whole lines of text to `stream`, laid out to the terminal's width at each write
 * (a resized window is followed). Data (JSON, Markdown, a day's page) is not text for it: write
 * that to the stream itself.
 */
export function terminalWriter(
  stream: TerminalStream,
  env: Record<string, string | undefined> = process.env,
): (text: string) => void {
  return (text) => {
    stream.write(textFor(stream, text, env));
  };
}
