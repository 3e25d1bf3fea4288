import { resolve } from "node:path";
import type { Command } from "commander";
import type { GlobalOptions } from "./common.js";
import { EXIT } from "./exit.js";

export function registerImport(program: Command, exit: (code: number) => void): void {
  program
    .command("import")
    .description("import the history written by gpt_paper_assistant-family tools (out/json, out/md) into the archive")
    .argument("<dir>", "folder holding YYYY-MM-DD-output.json files (searched recursively)")
    .option("--force", "replace days the archive already has")
    .action(async (dir: string, o: { force?: boolean }, cmd: Command) => {
      const { importIntoArchive } = await import("../pipeline/import.js");
      const { plural } = await import("../format/text.js");
      const { openWorkspace, writeErr, writeOut } = await import("./common.js");
      const ws = openWorkspace(cmd.optsWithGlobals<GlobalOptions>());
      const { written, kept, report } = await importIntoArchive(ws, resolve(dir), { force: o.force === true });
      writeOut(
        `Imported ${plural(written, "day")} (${plural(report.papers, "paper")}) from ${plural(report.files.length, "file")} into ${ws.archiveDir}.\n`,
      );
      if (kept.length)
        writeOut(`Kept ${plural(kept.length, "day")} already archived (use --force to replace): ${kept.join(", ")}\n`);
      for (const u of report.unmapped) writeOut(`  not mapped: ${u}\n`);
      for (const e of report.errors) writeErr(`error: ${e}\n`);
      exit(report.errors.length ? EXIT.incomplete : EXIT.ok);
    });
}
