import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
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
      });
      writeOut(
        `\nDemo finished in ${((Date.now() - started) / 1000).toFixed(1)} s: ${result.days.length} announcement days.\n`,
      );
      for (const d of result.days) writeOut(`  ${d.summary}\n`);
      writeOut(`\nWhere to look:\n`);
      writeOut(`  archive (one JSON per day):  ${result.outDir}/archive/\n`);
      writeOut(`  latest Markdown digest:      ${result.latestMarkdown}\n`);
      writeOut(`  website:                     ${result.siteDir}/\n`);
      writeOut(`  config it judged with:       ${result.configPath}\n`);
      // Each command on a line of its own, so a narrow terminal does not wrap one in the middle.
      const self = (args: string) => `${selfCommand()} ${args} --workspace ${shellWord(out)}`;
      writeOut(
        `\nThe folder is a workspace: try the other commands on it (\`run\` fetches nothing into it until \`init\` on it makes it yours).\n`,
      );
      writeOut(`  preview the website:         ${self("serve")}\n`);
      writeOut(`  replay and grade selection:  ${self("eval")}\n`);
      exit(exitCodeOfAll(result.days.map((d) => d.outcome)));
    });
}

/**
 * How to call this program again from here: `npx arxiv-digest` where npx finds it without the
 * registry (a clone of the project, or a project that depends on it), else the installed command.
 * A bare `npx arxiv-digest` elsewhere would fetch whatever the registry has under that name.
 */
function selfCommand(cwd = process.cwd()): string {
  if (existsSync(join(cwd, "node_modules", ".bin", "arxiv-digest"))) return "npx arxiv-digest";
  try {
    const pkg = JSON.parse(readFileSync(join(cwd, "package.json"), "utf8")) as { name?: unknown };
    if (pkg.name === "arxiv-digest") return "npx arxiv-digest";
  } catch {
    // No package.json here, or not one we can read: not a clone.
  }
  return "arxiv-digest";
}
