/** What every command shares: the workspace option, the logger, progress display, error reporting. */
import cliProgress from "cli-progress";
import { parseCalendarDate, parseFeedDate, todayInEastern } from "../arxiv/calendar.js";
import { loadWorkspace, type Workspace } from "../config/load.js";
import { systemClock } from "../io/clock.js";
import type { Redactor } from "../io/redact.js";
import { UserError } from "../model/errors.js";
import { type Logger, type PipelineContext, workspaceRedactor } from "../pipeline/context.js";
import type { ProgressEvent } from "../pipeline/run.js";

export interface GlobalOptions {
  workspace: string;
  quiet?: boolean;
}

export function stderrLogger(quiet = false, redact: Redactor = (m) => m): Logger {
  return {
    info: (m) => {
      if (!quiet) process.stderr.write(`${redact(m)}\n`);
    },
    warn: (m) => process.stderr.write(`warning: ${redact(m)}\n`),
  };
}

/**
 * The workspace a command works in. It must have its own `arxiv-digest.yaml` (else "not a
 * workspace: run `arxiv-digest init`", exit 2): the bundled example config is the demo's, and
 * must not write an archive into whatever folder the command was started in.
 */
export function openWorkspace(opts: GlobalOptions, requireConfig = true): Workspace {
  return loadWorkspace(opts.workspace, process.env, { requireConfig });
}

export function pipelineContext(opts: GlobalOptions, requireConfig = true): PipelineContext {
  const workspace = openWorkspace(opts, requireConfig);
  return { workspace, clock: systemClock, log: stderrLogger(opts.quiet, workspaceRedactor(workspace)) };
}

/**
 * A progress bar on a terminal (papers scored, calls, tokens, cost so far); plain log lines at
 * most every 10 % elsewhere, so CI logs stay readable.
 */
export function progressReporter(log: Logger): { onProgress: (p: ProgressEvent) => void; stop: () => void } {
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream: process.stderr,
        format: "scoring {bar} {value}/{total} papers | {calls} calls | {tokens} tokens | {cost}",
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      onProgress: (p) => {
        const payload = {
          calls: p.calls,
          tokens: p.promptTokens + p.completionTokens,
          cost: p.costUsd === null ? "unpriced" : `$${p.costUsd.toFixed(4)}`,
        };
        if (!started) {
          bar.start(p.total, p.scored, payload);
          started = true;
        } else bar.update(p.scored, payload);
      },
      stop: () => {
        if (started) bar.stop();
      },
    };
  }
  let lastDecile = -1;
  return {
    onProgress: (p) => {
      const decile = p.total ? Math.floor((10 * p.scored) / p.total) : 10;
      if (decile === lastDecile) return;
      lastDecile = decile;
      const cost = p.costUsd === null ? "unpriced" : `$${p.costUsd.toFixed(4)}`;
      log.info(
        `scored ${p.scored}/${p.total} papers, ${p.calls} calls, ${p.promptTokens + p.completionTokens} tokens, ${cost}`,
      );
    },
    stop: () => {},
  };
}

/** A date argument: a real calendar date (one home: arxiv/calendar), named by its flag in the error. */
export function parseDateArg(value: string, flag: string): string {
  return parseCalendarDate(value, flag);
}

/** A date to produce (`run --date`, a backfill range): real, and not after today in US Eastern time. */
export function parseFeedDateArg(value: string, flag: string): string {
  return parseFeedDate(value, todayInEastern(systemClock), flag);
}

export function parseWholeNumber(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${flag} expects a whole number, got "${value}".`);
  return n;
}

/** A flag or argument the user got wrong. */
export class UsageError extends UserError {
  override name = "UsageError";
}
