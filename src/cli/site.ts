import { join, resolve } from "node:path";
import type { Command } from "commander";
import { CONFIG_FILE, loadWorkspace } from "../config/load.js";
import { feedbackPath } from "../feedback/store.js";
import { openStore } from "../pipeline/context.js";
import { buildSite } from "../site/build.js";
import { serveSite } from "../site/serve.js";
import { type GlobalOptions, parseDateArg, parseWholeNumber } from "./common.js";

export function registerSite(program: Command): void {
  program
    .command("site")
    .description("build the static website from the archive")
    .option("--out <dir>", "output folder (default: site.outDir of the config, 'site')")
    .option("--changed <dates...>", "rebuild only what these days touch (incremental)")
    .option("--base-path <path>", "serve under this path prefix, e.g. /papers/ for a GitHub Pages project site")
    .action(async (o: { out?: string; changed?: string[]; basePath?: string }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const ws = loadWorkspace(g.workspace);
      const site = { ...ws.config.site, ...(o.basePath ? { basePath: o.basePath } : {}) };
      const outDir = resolve(o.out ?? join(ws.dir, site.outDir));
      const report = await buildSite({
        source: openStore(ws),
        outDir,
        site,
        feedbackRepo: ws.config.feedback.github ?? null,
        ...(o.changed ? { changedDates: o.changed.map((d) => parseDateArg(d, "--changed")) } : {}),
      });
      process.stdout.write(
        `Built ${outDir}: ${report.pagesWritten} pages, ${report.daysRendered} days in ${report.ms} ms.\n`,
      );
      // A day that could not be read was left out; the rest of the site is built, but the run fails.
      for (const failed of report.failedDays) {
        process.stderr.write(`Left out ${failed.date}: ${failed.error}\n`);
      }
      if (report.failedDays.length > 0) process.exitCode = 1;
    });

  program
    .command("serve")
    .description("preview the built site on localhost")
    .option("--port <n>", "port to listen on", "8080")
    .option("--dir <dir>", "site folder (default: the workspace's built site)")
    .action(async (o: { port: string; dir?: string }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const ws = loadWorkspace(g.workspace);
      const dir = resolve(o.dir ?? join(ws.dir, ws.config.site.outDir));
      // Clicks on the site are written to the workspace's feedback file, when there is a workspace
      // (its own config file), not when serving a folder with the bundled defaults.
      const isWorkspace = ws.configPath === join(ws.dir, CONFIG_FILE);
      const server = await serveSite(dir, {
        port: parseWholeNumber(o.port, "--port"),
        basePath: ws.config.site.basePath,
        ...(isWorkspace ? { feedbackFile: feedbackPath(ws.dir) } : {}),
      });
      process.stdout.write(`Serving ${dir} at ${server.url} (Ctrl-C to stop)\n`);
      process.stdout.write(
        server.feedback
          ? `Likes, dislikes and saves clicked on the site are added to ${feedbackPath(ws.dir)}.\n`
          : `No workspace in ${ws.dir}: likes, dislikes and saves stay in the browser.\n`,
      );
      await new Promise<void>((done) => {
        process.once("SIGINT", () => server.close().then(done));
        process.once("SIGTERM", () => server.close().then(done));
      });
    });
}
