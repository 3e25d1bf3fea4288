/** What every command shares: the workspace option, the logger, progress display, error reporting. */
import { constants } from "node:os";
import { resolve } from "node:path";
import type { Command } from "commander";
import { daysWrittenSince } from "../archive/store.js";
import {
  dateWord,
  parseCalendarDate,
  parseFeedDate,
  parseRangeDate,
  parseRunDate,
  todayInEastern,
} from "../arxiv/calendar.js";
import { shownValue } from "../format/shown.js";
import { formatUsd, plural } from "../format/text.js";
import { annotation, onGitHubActions } from "../io/actions.js";
import { type Clock, systemClock } from "../io/clock.js";
import type { Redactor } from "../io/redact.js";
import { terminalWriter } from "../io/terminal.js";
import { UserError } from "../model/errors.js";
import { type Logger, type PipelineContext, workspaceHolidays, workspaceRedactor } from "../pipeline/context.js";
import type { ProgressEvent } from "../pipeline/run.js";
import { loadWorkspace, type Workspace } from "../workspace/load.js";

/** The command lines messages suggest, carrying the --workspace the user named (one home: format/command.ts). */
export { commandLine } from "../format/command.js";
export { cutText, shownValue } from "../format/shown.js";
/** `run` and `backfill` fetch nothing into the demo's folder (workspace/demo-marker.ts). */
export { refuseDemoFolder } from "../workspace/demo-marker.js";

export interface GlobalOptions {
  workspace: string;
  quiet?: boolean;
}

/**
 * Messages to the user (progress, notices, summaries, findings): laid out to the terminal's width
 * on a terminal, written as they are anywhere else (io/terminal.ts). Data (JSON, Markdown) goes to
 * the stream itself.
 */
export const writeOut = terminalWriter(process.stdout);

/**
 * What a day's command wrote (its archive record and Markdown page), as one line under the day's
 * summary: "  wrote A and B"; null when it wrote nothing. The one format of it, for `run` and
 * `backfill` alike.
 */
export function wroteLine(files: readonly string[]): string | null {
  if (files.length === 0) return null;
  const listed = files.length > 1 ? `${files.slice(0, -1).join(", ")} and ${files.at(-1)}` : files[0];
  return `  wrote ${listed}`;
}
export const writeErr = terminalWriter(process.stderr);

/**
 * A warning as it is written: "warning: …", or on GitHub Actions (`actions`) a workflow command
 * that the run's summary shows (io/actions.ts); redacted first either way.
 */
export function warningLine(message: string, actions: boolean): string {
  return actions ? `${annotation("warning", message)}\n` : `warning: ${message}\n`;
}

export function stderrLogger(quiet = false, redact: Redactor = (m) => m, actions = false): Logger {
  return {
    info: (m) => {
      if (!quiet) writeErr(`${redact(m)}\n`);
    },
    warn: (m) => writeErr(warningLine(redact(m), actions)),
  };
}

/**
 * After a run's, a backfill's or a delivery's summary: when it exits 1 or 3 on GitHub Actions,
 * the summary again as an error annotation on stderr, so the run's summary says why the job
 * failed (stdout keeps the summary as it is). Nothing on exit 0, nothing off Actions.
 */
export function annotateFailure(ctx: PipelineContext, summary: string, code: number): void {
  if (!ctx.actions || code === 0) return;
  writeErr(`${annotation("error", workspaceRedactor(ctx.workspace)(summary))}\n`);
}

/** The logger, saying each distinct warning only the first time (a run over several days repeats them). */
export function warnOnce(log: Logger): Logger {
  const said = new Set<string>();
  return {
    info: (m) => log.info(m),
    warn: (m) => {
      if (said.has(m)) return;
      said.add(m);
      log.warn(m);
    },
  };
}

/**
 * The workspace a command works in. It must have its own `arxiv-digest.yaml` (else "not a
 * workspace: run `arxiv-digest init`", exit 2): the bundled default config is no one's settings,
 * and must not write an archive into whatever folder the command was started in.
 */
export function openWorkspace(opts: GlobalOptions, requireConfig = true): Workspace {
  const actions = onGitHubActions(process.env);
  const ws = loadWorkspace(opts.workspace, process.env, {
    requireConfig,
    warn: (m) => writeErr(warningLine(m, actions)),
  });
  const named = namedWorkspace(opts);
  if (named !== undefined) ws.named = named;
  return ws;
}

/**
 * The workspace folder as the user typed it, when it is not the current folder (`Workspace.named`):
 * the command lines messages suggest carry it (format/command.ts), so they run where theirs did.
 */
export function namedWorkspace(opts: GlobalOptions): string | undefined {
  return resolve(opts.workspace) === process.cwd() ? undefined : opts.workspace;
}

/**
 * The context a command's pipeline runs in. `clock` is the command's one clock: a command that
 * reads a date before it opens the workspace (`parseRangeDateArg`) reads it by the same clock.
 */
export function pipelineContext(
  opts: GlobalOptions,
  requireConfig = true,
  clock: Clock = systemClock,
): PipelineContext {
  const workspace = openWorkspace(opts, requireConfig);
  // On GitHub Actions warnings are annotations and suggestions name the workflows (`PipelineContext.actions`).
  const actions = onGitHubActions(process.env);
  return {
    workspace,
    clock,
    log: stderrLogger(opts.quiet, workspaceRedactor(workspace), actions),
    actions,
  };
}

/** The progress line never grows past this, whatever the terminal: 80 columns stay readable. */
export const PROGRESS_WIDTH = 80;
const BAR_SIZE = 20;

/** Seconds as a short ETA: "45s", "3m05s", "1h20m"; "--" while unknown. */
export function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "--";
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/** A run's calls as its summary line counts them: new requests, and answers reused from the cache. */
function callsText(calls: number, reused: number): string {
  return reused > 0 ? `${plural(calls, "new call")}, ${reused} reused` : plural(calls, "call");
}

/**
 * One progress line: "judging ███░░ 120/247 | 31 calls | $0.0123 | ETA 1m05s", cut to the
 * terminal's width and never wider than PROGRESS_WIDTH. The count is of papers judged by any
 * stage (a followed author, the prefilter, the title triage, abstract scoring), not of abstracts
 * scored: most papers of a day are settled before their abstract would be read.
 */
export function progressLine(
  p: { value: number; total: number; calls: number; reused?: number; cost: string; etaSeconds: number },
  columns: number = PROGRESS_WIDTH,
): string {
  const share = p.total > 0 ? Math.min(1, p.value / p.total) : 1;
  const done = Math.round(share * BAR_SIZE);
  const bar = `${"█".repeat(done)}${"░".repeat(BAR_SIZE - done)}`;
  const line = `judging ${bar} ${p.value}/${p.total} | ${callsText(p.calls, p.reused ?? 0)} | ${p.cost} | ETA ${formatEta(p.etaSeconds)}`;
  return line.slice(0, Math.max(1, Math.min(PROGRESS_WIDTH, columns) - 1));
}

export interface ProgressReporter {
  onProgress: (p: ProgressEvent) => void;
  stop: () => void;
  /**
   * The logger to run with: on a terminal, a line logged while the bar is drawn stops the bar
   * first (the bar stays as it was, the line goes below it) and the next progress starts a new one.
   */
  log: Logger;
}

/**
 * A progress bar on a terminal (papers judged, calls, cost so far, ETA), within 80 columns; plain
 * log lines at most every 10 % elsewhere, so CI logs stay readable. The bar's package is loaded
 * only for a terminal.
 */
export async function progressReporter(
  log: Logger,
  stream: NodeJS.WriteStream = process.stderr,
): Promise<ProgressReporter> {
  const costOf = (p: ProgressEvent) => (p.costUsd === null ? "unpriced" : formatUsd(p.costUsd));
  if (stream.isTTY) {
    const { default: cliProgress } = await import("cli-progress");
    const bar = new cliProgress.SingleBar({
      stream,
      format: (_options, params, payload: { calls: number; reused: number; cost: string }) =>
        progressLine(
          {
            value: params.value,
            total: params.total,
            calls: payload.calls,
            reused: payload.reused,
            cost: payload.cost,
            etaSeconds: params.eta,
          },
          params.maxWidth,
        ),
      hideCursor: true,
      // The line is cut to the width above; the terminal must not wrap it onto a second line.
      linewrap: false,
    });
    let active = false;
    const stop = () => {
      if (active) bar.stop();
      active = false;
    };
    const around =
      (write: (m: string) => void) =>
      (m: string): void => {
        stop();
        write(m);
      };
    return {
      onProgress: (p) => {
        const payload = { calls: p.calls, reused: p.reused, cost: costOf(p) };
        if (!active) {
          // A finished count seen after the bar stopped (a log line came between) draws nothing new.
          if (p.scored >= p.total) return;
          bar.start(p.total, p.scored, payload);
          active = true;
        } else bar.update(p.scored, payload);
        // Scoring done: stop now, so what the run logs next (deliveries) goes below the bar.
        if (p.scored >= p.total) stop();
      },
      stop,
      log: { info: around((m) => log.info(m)), warn: around((m) => log.warn(m)) },
    };
  }
  let lastDecile = -1;
  return {
    onProgress: (p) => {
      const decile = p.total ? Math.floor((10 * p.scored) / p.total) : 10;
      if (decile === lastDecile) return;
      lastDecile = decile;
      log.info(
        `judged ${p.scored}/${p.total} papers, ${callsText(p.calls, p.reused)}, ${plural(p.promptTokens + p.completionTokens, "token")}, ${costOf(p)}`,
      );
    },
    stop: () => {},
    log,
  };
}

/** Days as a sentence names them: each of a few, else how many and the first and last. */
function daysText(days: readonly string[]): string {
  if (days.length <= 3) return days.length < 3 ? days.join(" and ") : `${days[0]}, ${days[1]} and ${days[2]}`;
  return `${days.length} days (${days[0]} to ${days.at(-1)})`;
}

/** What an interrupted `run` or `backfill` kept: the days it archived, and the answers it paid for. */
export function keptAfterJudging(days: readonly string[]): string {
  return days.length === 0
    ? "Interrupted: nothing was archived; the LLM answers already paid for are in the response cache, and the same command run again reuses them."
    : `Interrupted after archiving ${daysText(days)}; the same command run again does the rest, reusing the LLM answers already paid for from the response cache.`;
}

/** What an interrupted `backfill --imported` kept: the imported days it completed. */
export function keptAfterCompleting(days: readonly string[]): string {
  return days.length === 0
    ? "Interrupted: no imported day was completed yet; the same command run again starts over."
    : `Interrupted after completing ${daysText(days)}; the same command run again skips ${days.length === 1 ? "it" : "them"} and completes the rest.`;
}

/**
 * Ctrl-C (SIGINT) or SIGTERM while a command writes the archive: the progress line is ended, one
 * sentence says what was kept (from the days whose record the command wrote, `kept`), and the
 * process exits with 128 + the signal's number. The workspace lock goes on exit
 * (archive/store.ts). Returns the function that takes the handlers away when the work is over.
 */
export function onInterrupt(opts: {
  archiveDir: string;
  stop: () => void;
  kept: (days: readonly string[]) => string;
}): () => void {
  const since = Date.now();
  const handlers = (["SIGINT", "SIGTERM"] as const).map((signal) => {
    const handler = () => {
      opts.stop();
      // On a terminal, the "^C" it echoed is cleared so the sentence starts its own line.
      if (process.stderr.isTTY) process.stderr.write("\r\x1b[2K");
      writeErr(`${opts.kept(daysWrittenSince(opts.archiveDir, since))}\n`);
      process.exit(128 + constants.signals[signal]);
    };
    // Before the workspace lock's handler, which exits at once.
    process.prependOnceListener(signal, handler);
    return [signal, handler] as const;
  });
  return () => {
    for (const [signal, handler] of handlers) process.removeListener(signal, handler);
  };
}

/** A date argument: a real calendar date (one home: arxiv/calendar), named by its flag in the error. */
export function parseDateArg(value: string, flag: string): string {
  return parseCalendarDate(value, flag);
}

/**
 * A day of a `backfill` range (`--from`, `--to`): a real date not after today in US Eastern time,
 * or `today` or `yesterday` as `run --date` and `render` take them (`parseRangeDate`), today being
 * the one `clock` the command gives its pipeline (`pipelineContext`), so a typed date and the
 * words mean the same today. A date is checked at once, before the workspace is read; the words
 * are read against the workspace's holiday table (`yesterday` is the announcement before today),
 * once the command has opened it.
 */
export function parseRangeDateArg(
  value: string,
  flag: string,
  clock: Clock,
): (ctx: Pick<PipelineContext, "workspace">) => string {
  if (dateWord(value) === null) {
    const date = parseFeedDate(value, todayInEastern(clock), flag);
    return () => date;
  }
  return (ctx) => parseRangeDate(value, todayInEastern(clock), workspaceHolidays(ctx.workspace), flag);
}

/**
 * `run --date`: a date as for `backfill`, or `today`, which is no date (undefined: the run's
 * default, clock checked); `yesterday` is refused with its backfill (`parseRunDate`).
 */
export function parseRunDateArg(value: string, ctx: PipelineContext): string | undefined {
  const opts = { workspace: ctx.workspace.named, actions: ctx.actions === true };
  return parseRunDate(value, todayInEastern(ctx.clock), workspaceHolidays(ctx.workspace), opts);
}

export function parseWholeNumber(value: string, flag: string, min = 0): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isInteger(n) || n < min)
    throw new UsageError(`${flag} expects a whole number, ${min} or more, got ${shownValue(value)}.`);
  return n;
}

/** A port to listen on: 1 to 65535, or 0 for any free port (the server then says which it took). */
export function parsePort(value: string, flag: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isInteger(n) || n < 0 || n > 65535)
    throw new UsageError(
      `${flag} expects a port number from 1 to 65535 (or 0 for any free port), got ${shownValue(value)}.`,
    );
  return n;
}

/** A flag or argument the user got wrong. */
export class UsageError extends UserError {
  override name = "UsageError";
}

/**
 * The folder of a command that names its own (init's [dir], demo's --out) when the global
 * --workspace may name it too: --workspace alone counts (`arxiv-digest -w ~/papers init` makes
 * the workspace there, not in the current folder); both naming different folders is a mistake.
 * `given` is the command's own folder when the user gave one, else undefined; the result is
 * undefined when neither was given (the command's default holds).
 */
export function ownFolder(cmd: Command, given: string | undefined, what: string): string | undefined {
  const root = rootOf(cmd);
  if (root.getOptionValueSource("workspace") !== "cli") return given;
  const workspace = root.opts<{ workspace: string }>().workspace;
  if (given !== undefined && resolve(given) !== resolve(workspace))
    throw new UsageError(`${what} ${given} and --workspace ${workspace} name two folders; give one of them.`);
  return workspace;
}

function rootOf(cmd: Command): Command {
  let c = cmd;
  while (c.parent) c = c.parent;
  return c;
}
