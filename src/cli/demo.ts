import { join, relative, sep } from "node:path";
import type { Command } from "commander";
import { exitCodeOfAll } from "./exit.js";

export function registerDemo(program: Command, exit: (code: number) => void): void {
  program
    .command("demo")
    .description(
      "offline: run the real pipeline over bundled real arXiv days with the offline scorer (no key, no network), leaving a workspace that eval, render, site, serve, doctor and feedback take (run and backfill fetch nothing into it until init on the folder makes it yours)",
    )
    .option(
      "--out <dir>",
      "folder to write the demo into (or name it with --workspace): new, empty, or an earlier demo's (never a workspace, an archive or an authors.txt of yours, nor its config once you changed it)",
      "demo-out",
    )
    .action(async (o: { out: string }, cmd: Command) => {
      const { runDemo } = await import("../pipeline/demo.js");
      const { ownFolder, stderrLogger, warnOnce, writeOut } = await import("./common.js");
      const { shellWord } = await import("../format/command.js");
      const { selfCommand } = await import("../io/self-command.js");
      const { terminalColumns } = await import("../io/terminal.js");
      const program = selfCommand();
      const given = cmd.getOptionValueSource("out") === "cli" ? o.out : undefined;
      const named = ownFolder(cmd, given, "--out");
      const out = named ?? o.out;
      const started = Date.now();
      const result = await runDemo({
        outDir: out,
        // How the user named the folder, for the messages: --out, --workspace, or neither (demo-out).
        option: given !== undefined ? "--out" : named !== undefined ? "--workspace" : null,
        // Every demo day would repeat the same warnings (the offline scorer): each is said once.
        log: warnOnce(stderrLogger(cmd.optsWithGlobals<{ quiet?: boolean }>().quiet)),
        program,
      });
      writeOut(
        `\nDemo finished in ${((Date.now() - started) / 1000).toFixed(1)} s: ${result.days.length} announcement days.\n`,
      );
      for (const d of result.days) writeOut(`  ${d.summary}\n`);
      // Each path and command whole on its line: beside its label where the terminal has room for
      // both, else on a line of its own below it, so a terminal never splits a path or a command.
      const columns = terminalColumns(process.stdout);
      const item = (label: string, value: string) => {
        const line = `  ${`${label}:`.padEnd(29)}${value}`;
        writeOut(columns === undefined || line.length <= columns ? `${line}\n` : `  ${label}:\n    ${value}\n`);
      };
      // The folder as the user typed it (or the default), not the absolute path it resolved to.
      const shown = (path: string) => join(out, relative(result.outDir, path));
      writeOut(`\nWhere to look:\n`);
      item("archive (one JSON per day)", `${join(out, "archive")}${sep}`);
      item("latest Markdown digest", shown(result.latestMarkdown));
      item("website", `${shown(result.siteDir)}${sep}`);
      item("config it judged with", shown(result.configPath));
      const self = (args: string) => `${program} ${args} --workspace ${shellWord(out)}`;
      writeOut(
        `\nThe folder is a workspace: try the other commands on it (\`run\` fetches nothing into it until \`init\` on it makes it yours).\n`,
      );
      item("preview the website", self("serve"));
      // As the demo's days were made: each learning from the days before it. A plain `eval` replays
      // without that history, so its figures would differ from the picks the same scorer just made.
      item("replay and grade selection", self("eval --warm"));
      exit(exitCodeOfAll(result.days.map((d) => d.outcome)));
    });
}
