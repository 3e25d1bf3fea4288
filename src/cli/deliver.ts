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
    .option("--again", "send to every configured channel, even those already sent")
    .action(async (date: string, o: { again?: boolean }, cmd: Command) => {
      const { openStore } = await import("../pipeline/context.js");
      const { deliverPending } = await import("../pipeline/deliver.js");
      const { parseDateArg, pipelineContext } = await import("./common.js");
      const ctx = pipelineContext(cmd.optsWithGlobals<GlobalOptions>());
      const store = openStore(ctx.workspace);
      const day = await store.readDay(parseDateArg(date, "date"));
      const updated = await deliverPending(ctx, store, day, { resend: o.again === true });
      const fresh = updated.deliveries.slice(day.deliveries.length);
      if (fresh.length === 0)
        process.stdout.write(`Nothing to deliver for ${date}: no channel is configured, or all have it as it is.\n`);
      for (const d of fresh)
        process.stdout.write(
          `${d.channel} ${d.target}: ${d.outcome}${d.update === true ? " (update)" : ""}${d.error ? ` (${d.error})` : ""}\n`,
        );
      exit(fresh.some((d) => d.outcome === "failed") ? EXIT.incomplete : EXIT.ok);
    });
}
