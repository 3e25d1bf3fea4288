import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import type { ArchiveStore } from "../archive/store.js";
import type { Workspace } from "../workspace/load.js";
import type { GlobalOptions } from "./common.js";

export function registerRender(program: Command): void {
  program
    .command("render")
    .description("print one archived day as Markdown or as its JSON record")
    .argument(
      "<date>",
      "the day: YYYY-MM-DD, latest (the latest archived announcement day: a weekend's or a holiday's record is passed by) or yesterday (the feed day before it)",
    )
    .option("--format <md|json>", "output format", "md")
    .action(async (date: string, o: { format: string }, cmd: Command) => {
      const { renderDayMarkdown } = await import("../markdown/day-page.js");
      const { openStore, workspaceHolidays } = await import("../pipeline/context.js");
      const { openWorkspace, UsageError } = await import("./common.js");
      if (o.format !== "md" && o.format !== "json") throw new UsageError(`--format is md or json, got "${o.format}".`);
      // Reading only: the demo's output folder (no config of its own) renders too; a folder with
      // neither a config nor an archive is no workspace at all, and is told so as elsewhere.
      const ws = openWorkspace(cmd.optsWithGlobals<GlobalOptions>(), false);
      const { CONFIG_FILE, NotAWorkspaceError } = await import("../workspace/load.js");
      if (!existsSync(join(ws.dir, CONFIG_FILE)) && !existsSync(ws.archiveDir)) throw new NotAWorkspaceError(ws.dir);
      const store = openStore(ws);
      const { readArchivedDay } = await import("../pipeline/missing.js");
      const { systemClock } = await import("../io/clock.js");
      // A day without a record is told why (a weekend, a holiday, a day to come) and what makes it.
      const day = await readArchivedDay(store, await dayOf(date, store, ws), workspaceHolidays(ws), systemClock);
      // The JSON is the record as archived; the page says a weekend or a holiday as the calendar says it now.
      process.stdout.write(
        o.format === "json" ? `${JSON.stringify(day, null, 2)}\n` : renderDayMarkdown(day, workspaceHolidays(ws)),
      );
    });
}

/**
 * `latest` (the latest archived announcement day: a weekend's or a holiday's record holds nothing
 * to read), `yesterday` (the feed day before it, by arXiv's calendar) or a date.
 */
async function dayOf(arg: string, store: ArchiveStore, ws: Workspace): Promise<string> {
  const { previousFeedDay } = await import("../arxiv/calendar.js");
  const { workspaceHolidays } = await import("../pipeline/context.js");
  const { parseDateArg, UsageError } = await import("./common.js");
  const word = arg.toLowerCase();
  if (word !== "latest" && word !== "yesterday") return parseDateArg(arg, "date");
  const { noAnnouncement } = await import("../model/status.js");
  const days = await store.listDays();
  if (days.length === 0)
    throw new UsageError(`The archive in ${ws.archiveDir} has no day yet; run \`arxiv-digest run\` first.`);
  let latest = days.at(-1)!;
  for (const day of days.toReversed()) {
    const record = await store.readDay(day).catch(() => null);
    if (record === null || noAnnouncement(record.status.code) === null) {
      latest = day;
      break;
    }
  }
  return word === "latest" ? latest : previousFeedDay(latest, workspaceHolidays(ws));
}
