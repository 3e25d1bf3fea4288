import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import type { GlobalOptions } from "./common.js";
import { EXIT } from "./exit.js";

export function registerSite(program: Command, exit: (code: number) => void): void {
  program
    .command("site")
    .description("build the static website from the archive")
    .option(
      "--out <dir>",
      "output folder, a new or empty one or a site built before; may lie outside the workspace (default: site.outDir of the config, 'site')",
    )
    .option("--changed <dates...>", "rebuild only what these days touch (incremental)")
    .option("--base-path <path>", "serve under this path prefix, e.g. /papers/ for a GitHub Pages project site")
    .action(async (o: { out?: string; changed?: string[]; basePath?: string }, cmd: Command) => {
      const { openStore, workspaceHolidays } = await import("../pipeline/context.js");
      const { buildSite } = await import("../site/build.js");
      const { workspaceClash } = await import("../io/paths.js");
      const { plural, topicTitles } = await import("../format/text.js");
      const { openWorkspace, parseDateArg, UsageError, writeErr, writeOut } = await import("./common.js");
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const ws = openWorkspace(g);
      const site = { ...ws.config.site, ...(o.basePath ? { basePath: o.basePath } : {}) };
      const outDir = resolve(o.out ?? join(ws.dir, site.outDir));
      // The config's outDir is checked when it loads; a folder named here may lie anywhere (a web
      // server's folder), but never be, hold or lie inside the workspace's own files.
      const clash = o.out === undefined ? null : workspaceClash(outDir, ws.dir, "allowed");
      if (clash !== null)
        throw new UsageError(`--out ${outDir} ${clash}; choose a folder of its own for the site, a new or empty one.`);
      const report = await buildSite({
        source: openStore(ws),
        outDir,
        ...(o.out === undefined ? {} : { outDirName: "--out" }),
        site,
        feedbackRepo: ws.config.feedback.github ?? null,
        holidays: workspaceHolidays(ws),
        topicTitles: topicTitles(ws.config.topics),
        ...(o.changed ? { changedDates: o.changed.map((d) => parseDateArg(d, "--changed")) } : {}),
      });
      writeOut(
        `Built ${outDir}: ${plural(report.pagesWritten, "page")}, ${plural(report.daysRendered, "day")} in ${report.ms} ms.\n`,
      );
      // A file added by hand where the build writes its own: the build's file won, and the reader is told.
      for (const rel of report.replaced) {
        writeErr(
          `Replaced ${join(outDir, rel)}, which the site build did not write, with the build's own file of that name.\n`,
        );
      }
      // A day that could not be read was left out; the rest of the site is built, but the run fails.
      for (const failed of report.failedDays) {
        writeErr(`Left out ${failed.date}: ${failed.error}\n`);
      }
      if (report.failedDays.length > 0) exit(EXIT.incomplete);
    });

  program
    .command("serve")
    .description("preview the built site on localhost")
    .option("--port <n>", "port to listen on, 1 to 65535 (0: any free port)", "8080")
    .option("--dir <dir>", "site folder (default: the workspace's built site)")
    .action(async (o: { port: string; dir?: string }, cmd: Command) => {
      const { serveSite } = await import("../site/serve.js");
      const { archiveLookup } = await import("../site/served-marks.js");
      const { openStore } = await import("../pipeline/context.js");
      const { CONFIG_FILE } = await import("../workspace/load.js");
      const { feedbackPath } = await import("../feedback/store.js");
      const { knownPapersSource } = await import("../feedback/known.js");
      const { papersCachePath } = await import("../feedback/resolve.js");
      const { refuseFile, workspaceClash } = await import("../io/paths.js");
      const { commandLine, openWorkspace, parsePort, UsageError, writeOut } = await import("./common.js");
      const port = parsePort(o.port, "--port");
      const g = cmd.optsWithGlobals<GlobalOptions>();
      // Serving reads only where the site is and its base path: the bundled defaults do for that
      // (a site built elsewhere and named by --dir, a folder holding a built site without its config).
      const ws = openWorkspace(g, false);
      const dir = resolve(o.dir ?? join(ws.dir, ws.config.site.outDir));
      // Clicks on the site are written to the workspace's feedback file, when there is a workspace
      // (its own config file), not when serving a folder with the bundled defaults.
      const isWorkspace = ws.configPath === join(ws.dir, CONFIG_FILE);
      const where = o.dir === undefined ? `site.outDir ${dir}` : `--dir ${dir}`;
      refuseFile(dir, where, "point --dir at the folder of a built site");
      // Serving the workspace itself would put its config and .env on the local web server.
      const clash = isWorkspace ? workspaceClash(dir, ws.dir, "allowed") : null;
      if (clash !== null) throw new UsageError(`${where} ${clash}; point --dir at the folder of a built site.`);
      if (!existsSync(join(dir, "index.html")))
        throw new UsageError(
          `No built site in ${dir}: run ${commandLine("site", ws.named)} first${o.dir ? "" : " (or point --dir at a built site)"}.`,
        );
      const server = await serveSite(dir, {
        port,
        basePath: ws.config.site.basePath,
        ...(isWorkspace
          ? {
              feedbackFile: feedbackPath(ws.dir),
              papers: archiveLookup(openStore(ws)),
              knownPapers: knownPapersSource(openStore(ws), papersCachePath(ws.dir)),
            }
          : {}),
      }).catch((err: unknown) => {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === "EADDRINUSE")
          throw new UsageError(`Port ${port} is busy (something else listens there); pick another with --port.`);
        if (code === "EACCES")
          throw new UsageError(`Port ${port} needs extra permissions; pick another with --port, e.g. --port 8080.`);
        throw err;
      });
      writeOut(`Serving ${dir} at ${server.url} (Ctrl-C to stop)\n`);
      writeOut(
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
