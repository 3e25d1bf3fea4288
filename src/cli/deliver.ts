import type { Command } from "commander";
import type { Config } from "../config/schema.js";
import { plural } from "../format/text.js";
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
      // Each target's outcome is logged as it happens (stderr); stdout gets the one-line summary.
      const failed = fresh.filter((d) => d.outcome === "failed");
      process.stdout.write(
        fresh.length === 0
          ? `${nothingToDeliver(date, ctx.workspace.config.deliver)}\n`
          : `${date}: sent to ${fresh.length - failed.length} of ${plural(fresh.length, "target")}` +
              `${failed.length === 0 ? "" : `; failed: ${failed.map((d) => `${d.channel} (${d.target})`).join(", ")}`}.\n`,
      );
      exit(fresh.some((d) => d.outcome === "failed") ? EXIT.incomplete : EXIT.ok);
    });
}

/** Why nothing was sent: no channel at all, or every one already has the day as it is. */
function nothingToDeliver(date: string, deliver: Config["deliver"]): string {
  const channels = [
    ...(deliver.slack === undefined ? [] : ["slack"]),
    ...(deliver.email === undefined ? [] : ["email"]),
    ...(deliver.webhooks.length === 0 ? [] : [plural(deliver.webhooks.length, "webhook")]),
  ];
  return channels.length === 0
    ? `Nothing to deliver for ${date}: no channel is configured (deliver.slack, deliver.email or deliver.webhooks in arxiv-digest.yaml; see docs/config.md).`
    : `Nothing to deliver for ${date}: every configured channel (${channels.join(", ")}) already has it as it is; \`arxiv-digest deliver ${date} --again\` sends it again.`;
}
