import { resolve } from "node:path";
import type { Command } from "commander";
import type { InstallRoute } from "../workspace/init.js";
import { INSTALL_ROUTES } from "../workspace/install-routes.js";
import { choiceOption } from "./choices.js";

export function registerInit(program: Command): void {
  program
    .command("init")
    .description(
      "scaffold a workspace: config, prompts, authors.txt, .gitignore, .env.example and GitHub Actions workflows (over the demo's folder: keeps its config and authors.txt, and removes its marker so run works there)",
    )
    .argument("[dir]", "folder to create the workspace in (or name it with --workspace)", ".")
    .option("--force", "overwrite files that already exist")
    .option(
      "--workflows",
      "write only the GitHub Actions workflows, overwriting them: how to take a new version's workflows (config, prompts and authors are left alone)",
    )
    .addOption(
      choiceOption(
        "--install <route>",
        "where the workflows install arxiv-digest from: Git (the repository and commit this copy was installed or cloned from, else package.json's at the version tag), or the npm registry (once published)",
        INSTALL_ROUTES,
      ).default("git"),
    )
    .action(async (dir: string, o: { force?: boolean; workflows?: boolean; install: InstallRoute }, cmd: Command) => {
      const { currentInstall, initWorkspace, installOrigin, nextSteps, placeholderNote } = await import(
        "../workspace/init.js"
      );
      const { CONFIG_FILE, packageRoot } = await import("../workspace/load.js");
      const { DEMO_MARKER } = await import("../workspace/demo-marker.js");
      const { plural } = await import("../format/text.js");
      const { ownFolder, writeOut } = await import("./common.js");
      const target = resolve(ownFolder(cmd, cmd.args[0], "init") ?? dir);
      const workflowsOnly = o.workflows === true;
      // Writing the workflows again keeps where they install from (route, and a fork's repository),
      // at this version, unless --install says otherwise. The version is the commit this copy was
      // installed or cloned from when npm's lock file or git tells it, else its version's tag.
      const keep = workflowsOnly && cmd.getOptionValueSource("install") === "default";
      const current = keep ? await currentInstall(target) : null;
      const { written, skipped, placeholders, demoMarkerRemoved, demoHeaderRemoved } = await initWorkspace(target, {
        force: o.force === true,
        workflowsOnly,
        route: current?.route ?? o.install,
        ...(current?.source ? { source: current.source } : {}),
        origin: installOrigin(packageRoot),
      });
      // Quiet: one line for the result, and what must be edited before the workflows can run; no
      // file list, no guide.
      const quiet = cmd.optsWithGlobals<{ quiet?: boolean }>().quiet === true;
      if (quiet) {
        const kept =
          skipped.length === 0 ? "" : `; kept ${plural(skipped.length, "file")} that exist (--force overwrites)`;
        writeOut(`Wrote ${plural(written.length, "file")} in ${target}${kept}.\n`);
      } else {
        for (const f of written) writeOut(`  wrote ${f}\n`);
        for (const f of skipped) writeOut(`  kept  ${f} (exists; --force overwrites)\n`);
      }
      if (demoHeaderRemoved)
        writeOut(
          `Removed the demo's comment from the top of ${CONFIG_FILE}, which said the file was the demo's; the settings below it are as they were.\n`,
        );
      if (demoMarkerRemoved)
        writeOut(
          `Removed ${DEMO_MARKER}: the folder was the demo's, and is now your workspace (\`run\` and \`backfill\` work in it).\n`,
        );
      if (quiet || workflowsOnly) {
        for (const line of placeholderNote(placeholders)) writeOut(`${line.replace(/^0\. | {3}/, "")}\n`);
        if (!quiet) writeOut("Review the changes (git diff .github/workflows) and commit them.\n");
      } else writeOut(nextSteps(target, process.cwd(), placeholders));
    });
}
