import type { Command } from "commander";
import { renderDayMarkdown } from "../markdown/day-page.js";
import { openStore } from "../pipeline/context.js";
import { type GlobalOptions, openWorkspace, parseDateArg, UsageError } from "./common.js";

export function registerRender(program: Command): void {
  program
    .command("render")
    .description("print one archived day as Markdown or as its JSON record")
    .argument("<date>", "the day, YYYY-MM-DD")
    .option("--format <md|json>", "output format", "md")
    .action(async (date: string, o: { format: string }, cmd: Command) => {
      if (o.format !== "md" && o.format !== "json") throw new UsageError(`--format is md or json, got "${o.format}".`);
      // Reading only: the demo's output folder (no config of its own) renders too.
      const ws = openWorkspace(cmd.optsWithGlobals<GlobalOptions>(), false);
      const day = await openStore(ws).readDay(parseDateArg(date, "date"));
      process.stdout.write(o.format === "json" ? `${JSON.stringify(day, null, 2)}\n` : renderDayMarkdown(day));
    });
}
