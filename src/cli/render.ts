import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { choiceOption } from "./choices.js";
import type { GlobalOptions } from "./common.js";

export function registerRender(program: Command): void {
  program
    .command("render")
    .description("print one archived day as Markdown or as its JSON record")
    .argument(
      "<date>",
      "the day: YYYY-MM-DD, today (US Eastern time), latest (the latest archived day with a digest: a weekend's or a holiday's record and a day a run missed are passed by) or yesterday (the feed day before it)",
    )
    .addOption(choiceOption("--format <format>", "output format", ["md", "json"]).default("md"))
    .action(async (date: string, o: { format: "md" | "json" }, cmd: Command) => {
      const { pipelineContext } = await import("./common.js");
      // Reading only: an archive copied without its config renders too, with the bundled defaults;
      // a folder with neither a config nor an archive is no workspace at all, and is told so as elsewhere.
      const ctx = pipelineContext(cmd.optsWithGlobals<GlobalOptions>(), false);
      const { CONFIG_FILE, NotAWorkspaceError } = await import("../workspace/load.js");
      const ws = ctx.workspace;
      if (!existsSync(join(ws.dir, CONFIG_FILE)) && !existsSync(ws.archiveDir)) throw new NotAWorkspaceError(ws.dir);
      const { renderDay } = await import("../pipeline/render.js");
      process.stdout.write(await renderDay(ctx, date, o.format));
    });
}
