import type { Command } from "commander";
import type { GlobalOptions } from "./common.js";

export function registerRender(program: Command): void {
  program
    .command("render")
    .description("print one archived day as Markdown or as its JSON record")
    .argument("<date>", "the day, YYYY-MM-DD")
    .option("--format <md|json>", "output format", "md")
    .action(async (date: string, o: { format: string }, cmd: Command) => {
      const { loadWorkspace } = await import("../config/load.js");
      const { renderDayMarkdown } = await import("../markdown/day-page.js");
      const { openStore } = await import("../pipeline/context.js");
      const { parseDateArg, UsageError } = await import("./common.js");
      if (o.format !== "md" && o.format !== "json") throw new UsageError(`--format is md or json, got "${o.format}".`);
      const ws = loadWorkspace(cmd.optsWithGlobals<GlobalOptions>().workspace);
      const day = await openStore(ws).readDay(parseDateArg(date, "date"));
      process.stdout.write(o.format === "json" ? `${JSON.stringify(day, null, 2)}\n` : renderDayMarkdown(day));
    });
}
