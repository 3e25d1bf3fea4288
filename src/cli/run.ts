import type { Command } from "commander";
import type { GlobalOptions } from "./common.js";
import { exitCodeOf } from "./exit.js";

export function registerRun(program: Command, exit: (code: number) => void): void {
  program
    .command("run")
    .description("fetch today's announcement, select papers, write the archive and the Markdown page, deliver")
    .option(
      "--date <YYYY-MM-DD>",
      "the announcement date expected (default, or today: today in US Eastern time, the machine's clock checked against the feed); a day before the one the feed should serve now by arXiv's calendar is refused (exit 2) unless the feed still carries it: rebuild it with `backfill`",
    )
    .option("--no-deliver", "do not send Slack, email or webhook messages")
    .option(
      "--wait-fresh <minutes>",
      "while the feed still serves the previous batch, an announcement day's feed is still empty, or a category's feed lags the others, poll it for up to this long",
      "0",
    )
    .option("--poll <minutes>", "minutes between polls with --wait-fresh", "5")
    .action(async (o: { date?: string; deliver: boolean; waitFresh: string; poll: string }, cmd: Command) => {
      const { runDay } = await import("../pipeline/run.js");
      const {
        annotateFailure,
        keptAfterJudging,
        onInterrupt,
        parseRunDateArg,
        parseWholeNumber,
        pipelineContext,
        progressReporter,
        refuseDemoFolder,
        writeOut,
        wroteLine,
      } = await import("./common.js");
      const base = pipelineContext(cmd.optsWithGlobals<GlobalOptions>());
      refuseDemoFolder(base.workspace, "run");
      const progress = await progressReporter(base.log);
      // Lines logged while the bar is drawn (deliveries, warnings) go below it, not over it.
      const ctx = { ...base, log: progress.log };
      // Ctrl-C: the bar ends and a sentence says what was kept (the answers paid for, the day if archived).
      const quit = onInterrupt({ archiveDir: base.workspace.archiveDir, stop: progress.stop, kept: keptAfterJudging });
      try {
        // `--date today` is the run without --date: no date, so the clock is checked as on any day.
        const date = o.date ? parseRunDateArg(o.date, base) : undefined;
        const result = await runDay(ctx, {
          ...(date === undefined ? {} : { date }),
          deliver: o.deliver,
          waitFreshMinutes: parseWholeNumber(o.waitFresh, "--wait-fresh"),
          pollMinutes: parseWholeNumber(o.poll, "--poll", 1),
          onProgress: progress.onProgress,
        });
        progress.stop();
        writeOut(`${result.summary}\n`);
        const wrote = wroteLine(result.files);
        if (wrote !== null) writeOut(`${wrote}\n`);
        const code = exitCodeOf(result.outcome);
        annotateFailure(ctx, result.summary, code);
        exit(code);
      } finally {
        progress.stop();
        quit();
      }
    });
}
