/**
 * The one home of a command line a message suggests (`arxiv-digest backfill --from … --to …`): with
 * the workspace folder the user named, so that the line, copied and run where they ran theirs,
 * works on the same workspace and not on the folder it happens to be run in.
 */
import { shownSelfCommand } from "../io/self-command.js";

/**
 * Characters a folder's name may hold that single quotes cannot show: control and format
 * characters (ESC, a newline, a bidi override such as U+202E), line and paragraph separators, and
 * the backtick, which would end the span of the message the line is shown in. The joiners some
 * scripts and emoji are written with (U+200C, U+200D) are shown as they are.
 */
const UNQUOTABLE = /(?![\u200c\u200d])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}`]/u;

/** Escapes bash's `$'…'` gives a name. */
const C_ESCAPES: Record<string, string> = {
  "\x07": "\\a",
  "\b": "\\b",
  "\x1b": "\\e",
  "\f": "\\f",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\v": "\\v",
  "\\": "\\\\",
};

/**
 * One character inside `$'…'`: a quote and a backtick as hex (a quote written `\'` would end the
 * quoting for bash's history expansion, which reads `$'…'` as plain single quotes), the unquotable
 * ones as escapes with a fixed number of digits (`\u202e`), any other as it is.
 */
function cEscaped(c: string): string {
  const named = C_ESCAPES[c];
  if (named !== undefined) return named;
  if (c === "'" || c === "`") return `\\x${c.charCodeAt(0).toString(16)}`;
  if (!UNQUOTABLE.test(c)) return c;
  const code = c.codePointAt(0)!;
  if (code < 0x80) return `\\x${code.toString(16).padStart(2, "0")}`;
  return code > 0xffff ? `\\U${code.toString(16).padStart(8, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/**
 * A folder as a shell reads one word, so that, copied, it names that folder: as typed when it
 * needs no quoting; in single quotes when it holds a space or another character a shell reads, or
 * starts with `~` (expanded to a home folder) or `=` (zsh expands it to a command's path); in
 * bash's `$'…'` with escapes (`$'a\nb'`, `$'\u202eevil'`) when it holds a character single quotes
 * cannot show (`UNQUOTABLE`).
 */
export function shellWord(text: string): string {
  if (/^[\w./:@%+,-][\w./~:@%+=,-]*$/u.test(text)) return text;
  if (UNQUOTABLE.test(text)) return `$'${Array.from(text, cEscaped).join("")}'`;
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/**
 * `arxiv-digest ARGS`, in backticks, ending with `--workspace DIR` when `workspace` is given (the
 * folder as the user named it, when not the current one: `Workspace.named`). `program` is how the
 * program is called: by default as the CLI found it from where it was started
 * (`shownSelfCommand`, io/self-command.ts: `npx arxiv-digest` where npx finds it, in a clone or a
 * project that has it or a folder below one, or when npx started the process; else
 * `arxiv-digest`), or as the demo's messages and `init`'s next steps give it.
 */
export function commandLine(args: string, workspace?: string, program: string = shownSelfCommand()): string {
  return `\`${program} ${args}${workspace === undefined ? "" : ` --workspace ${shellWord(workspace)}`}\``;
}

/**
 * The rebuild of the announcement days `from` to `to`: the `backfill` line to run, or on GitHub
 * Actions (`actions`, `PipelineContext.actions`) the Backfill workflow with those inputs, which is
 * how a job's reader rebuilds them.
 */
export function backfillSuggestion(from: string, to: string, workspace?: string, actions = false): string {
  return actions
    ? `the Backfill workflow (Actions → Backfill → Run workflow) with from ${from} and to ${to}`
    : commandLine(`backfill --from ${from} --to ${to}`, workspace);
}

/**
 * What retries `count` failed deliveries of `date`: the `deliver` line to run, or on GitHub Actions
 * the next scheduled run, which retries earlier days' failed deliveries by itself.
 */
export function deliveryRetrySuggestion(date: string, count: number, workspace?: string, actions = false): string {
  const them = count === 1 ? "it" : "them";
  return actions
    ? `the next scheduled run retries ${them} by itself (or re-run this workflow)`
    : `${commandLine(`deliver ${date}`, workspace)} retries ${them}`;
}

/**
 * What makes an announcement day's digest on its day: the `run` line, or on GitHub Actions the
 * daily workflow, which runs on every announcement day and can be started by hand; with `date`,
 * the run of that announcement (`run --date`, the workflow's date input), for one the feed still
 * carries.
 */
export function dailyRunSuggestion(workspace?: string, actions = false, date?: string): string {
  if (actions) {
    const input = date === undefined ? "" : ` with date ${date}`;
    return `the Daily digest workflow (Actions → Daily digest → Run workflow)${input}`;
  }
  return commandLine(date === undefined ? "run" : `run --date ${date}`, workspace);
}
