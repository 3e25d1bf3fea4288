import type { Command } from "commander";
import type { GlobalOptions } from "./common.js";
import { EXIT } from "./exit.js";

export function registerDeliver(program: Command, exit: (code: number) => void): void {
  program
    .command("deliver")
    .description(
      "send an archived day to the configured channels that have not received it, or an update where its selection changed (all, with --again)",
    )
    .argument("<date>", "the day, YYYY-MM-DD")
    .option(
      "--again",
      'send to every configured channel, even those already sent, as a new delivery with its own id (the Slack heading and email subject then say "(sent again)")',
    )
    .action(async (date: string, o: { again?: boolean }, cmd: Command) => {
      const { openStore, workspaceHolidays } = await import("../pipeline/context.js");
      const { deliverPending, deliverySummary } = await import("../pipeline/deliver.js");
      const { readArchivedDay } = await import("../pipeline/missing.js");
      const { annotateFailure, parseDateArg, pipelineContext, writeOut } = await import("./common.js");
      const ctx = pipelineContext(cmd.optsWithGlobals<GlobalOptions>());
      const store = openStore(ctx.workspace);
      // A day without a record is told why (a weekend, a holiday, a day to come) and what makes it.
      const holidays = workspaceHolidays(ctx.workspace);
      const checked = parseDateArg(date, "date");
      const day = await readArchivedDay(store, checked, holidays, ctx.clock, ctx.workspace.named, ctx.actions);
      const updated = await deliverPending(ctx, store, day, { resend: o.again === true });
      const fresh = updated.deliveries.slice(day.deliveries.length);
      // Each target's outcome is logged as it happens (stderr); stdout gets the one-line summary.
      // The checked date, not the argument as typed (" 2026-03-17"), names the day and its --again.
      const summary = deliverySummary(checked, fresh, ctx.workspace.config.deliver, ctx.workspace.named);
      writeOut(`${summary}\n`);
      const code = fresh.some((d) => d.outcome === "failed") ? EXIT.incomplete : EXIT.ok;
      annotateFailure(ctx, summary, code);
      exit(code);
    });
}
