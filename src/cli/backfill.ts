import type { Command } from "commander";
import type { GlobalOptions } from "./common.js";
import { exitCodeOfAll } from "./exit.js";

export function registerBackfill(program: Command, exit: (code: number) => void): void {
  program
    .command("backfill")
    .description("rebuild missed announcement days from the arXiv export API as remedial digests")
    .option("--from <YYYY-MM-DD>", "first day to check (default: the last archived day, at most 30 days back)")
    .option("--to <YYYY-MM-DD>", "last day to check (default: the feed day before today)")
    .option("--slack-hours <n>", "widen each submission window backwards by this many hours", "48")
    .option("--deliver", "also deliver the rebuilt days")
    .action(async (o: { from?: string; to?: string; slackHours: string; deliver?: boolean }, cmd: Command) => {
      const { backfill } = await import("../pipeline/backfill.js");
      const { parseFeedDateArg, parseWholeNumber, pipelineContext, progressReporter, warnOnce, writeOut } =
        await import("./common.js");
      const base = pipelineContext(cmd.optsWithGlobals<GlobalOptions>());
      const progress = await progressReporter(base.log);
      // Lines logged while the bar is drawn (deliveries, warnings) go below it, not over it; a
      // warning every day repeats (Semantic Scholar unreachable) is said once.
      const ctx = { ...base, log: warnOnce(progress.log) };
      try {
        const result = await backfill(ctx, {
          ...(o.from ? { from: parseFeedDateArg(o.from, "--from") } : {}),
          ...(o.to ? { to: parseFeedDateArg(o.to, "--to") } : {}),
          slackHours: parseWholeNumber(o.slackHours, "--slack-hours"),
          deliver: o.deliver === true,
          onProgress: progress.onProgress,
        });
        progress.stop();
        for (const d of result.days) writeOut(`${d.summary}\n`);
        exit(exitCodeOfAll(result.days.map((d) => d.outcome)));
      } finally {
        progress.stop();
      }
    });
}
