import type { Command } from "commander";
import type { PipelineContext } from "../pipeline/context.js";
import type { GlobalOptions } from "./common.js";
import { EXIT, exitCodeOfAll } from "./exit.js";

interface BackfillFlags {
  from?: string;
  to?: string;
  slackHours: string;
  deliver?: boolean;
  imported?: boolean;
}

export function registerBackfill(program: Command, exit: (code: number) => void): void {
  program
    .command("backfill")
    .description(
      "rebuild missed announcement days from the arXiv export API as remedial digests, saying per day the record and page it wrote (a day the API answers with nothing stays missing for a later backfill: exit 1); with --imported, complete imported days with their full listing instead",
    )
    .option(
      "--from <YYYY-MM-DD>",
      "first day to check, or today or yesterday (US Eastern time; yesterday is the announcement before today, as run --date tells it) (default: the earliest day archived in the last 30, so every day since without a digest is found, recorded as missed or not recorded at all; with none archived, 30 days back; with --imported, the first archived day)",
    )
    .option(
      "--to <YYYY-MM-DD>",
      "last day to check, or today or yesterday as for --from (default: the feed day before today; with --imported, the last archived day)",
    )
    .option("--slack-hours <n>", "widen each submission window backwards by this many hours", "48")
    .option("--deliver", "also deliver the rebuilt days")
    .option(
      "--imported",
      "instead of rebuilding missed days, complete imported days, which hold only the old tool's picks, with their full listing (papers it did not pick, so `eval` can replay them); no LLM call, nothing delivered",
    )
    .action(async (o: BackfillFlags, cmd: Command) => {
      const {
        annotateFailure,
        commandLine,
        keptAfterCompleting,
        keptAfterJudging,
        onInterrupt,
        parseRangeDateArg,
        parseWholeNumber,
        pipelineContext,
        progressReporter,
        refuseDemoFolder,
        warnOnce,
        UsageError,
        writeOut,
        wroteLine,
      } = await import("./common.js");
      if (o.imported && o.deliver)
        throw new UsageError(
          "--deliver does not go with --imported: completing an imported day sends nothing; drop one of the two flags.",
        );
      // The command's one clock: the range's dates, typed or `today`/`yesterday`, and the pipeline read it.
      const { systemClock: clock } = await import("../io/clock.js");
      const from = o.from ? parseRangeDateArg(o.from, "--from", clock) : undefined;
      const to = o.to ? parseRangeDateArg(o.to, "--to", clock) : undefined;
      // `today` and `yesterday` become dates once the workspace's holiday table is read.
      const rangeOf = (ctx: PipelineContext) => ({
        ...(from ? { from: from(ctx) } : {}),
        ...(to ? { to: to(ctx) } : {}),
      });
      const slackHours = parseWholeNumber(o.slackHours, "--slack-hours");
      if (o.imported) {
        const { completeImportedDays } = await import("../pipeline/complete-imported.js");
        const ctx = pipelineContext(cmd.optsWithGlobals<GlobalOptions>(), true, clock);
        refuseDemoFolder(ctx.workspace, "backfill --imported");
        const quit = onInterrupt({ archiveDir: ctx.workspace.archiveDir, stop: () => {}, kept: keptAfterCompleting });
        // Each day's line as soon as its outcome is known: a long range shows its progress.
        const result = await completeImportedDays(ctx, {
          ...rangeOf(ctx),
          slackHours,
          onDay: (d) => {
            writeOut(`${d.summary}\n`);
            annotateFailure(ctx, d.summary, d.outcome === "failed" ? EXIT.incomplete : EXIT.ok);
          },
        }).finally(quit);
        const completed = result.days.filter((d) => d.outcome === "completed").length;
        if (completed > 0)
          writeOut(
            `Completed ${completed} imported day${completed === 1 ? "" : "s"}: ${commandLine("eval", ctx.workspace.named)} now replays ${completed === 1 ? "it" : "them"}.\n`,
          );
        exit(result.days.some((d) => d.outcome === "failed") ? EXIT.incomplete : EXIT.ok);
        return;
      }
      const { backfill } = await import("../pipeline/backfill.js");
      const base = pipelineContext(cmd.optsWithGlobals<GlobalOptions>(), true, clock);
      refuseDemoFolder(base.workspace, "backfill");
      const progress = await progressReporter(base.log);
      // Lines logged while the bar is drawn (deliveries, warnings) go below it, not over it; a
      // warning every day repeats (Semantic Scholar unreachable) is said once.
      const ctx = { ...base, log: warnOnce(progress.log) };
      const quit = onInterrupt({ archiveDir: base.workspace.archiveDir, stop: progress.stop, kept: keptAfterJudging });
      try {
        const result = await backfill(ctx, {
          ...rangeOf(ctx),
          slackHours,
          deliver: o.deliver === true,
          onProgress: progress.onProgress,
        });
        progress.stop();
        // Each day's summary, then what it wrote (its record and page) on one line, as `run` says it.
        for (const d of result.days) {
          writeOut(`${d.summary}\n`);
          const wrote = wroteLine(d.files);
          if (wrote !== null) writeOut(`${wrote}\n`);
          annotateFailure(ctx, d.summary, exitCodeOfAll([d.outcome]));
        }
        exit(exitCodeOfAll(result.days.map((d) => d.outcome)));
      } finally {
        progress.stop();
        quit();
      }
    });
}
