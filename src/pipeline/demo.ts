/**
 * `arxiv-digest demo`: the real pipeline, offline. A bundled snapshot of real arXiv announcements
 * (demo/data, arXiv's RSS format) is served from a local HTTP server to the real fetch code, the
 * offline scorer judges every paper, and the archive, Markdown pages and site are written.
 */
import { readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { Temporal } from "temporal-polyfill";
import * as z from "zod";
import { ArchiveStore } from "../archive/store.js";
import { ARXIV_ZONE } from "../arxiv/calendar.js";
import { makeFolder, PathError, pathKind, WORKSPACE_ENTRIES } from "../io/paths.js";
import { buildSite } from "../site/build.js";
import { loadWorkspace, packageRoot, type Workspace } from "../workspace/load.js";
import type { Logger } from "./context.js";
import { openStore, workspaceHolidays } from "./context.js";
import { type RunResult, runDay } from "./run.js";

const ManifestSchema = z.object({
  categories: z.array(z.string()).min(1),
  days: z.array(z.object({ date: z.string(), file: z.string(), entries: z.number().int() })).min(1),
});

export const demoDataDir = join(packageRoot, "demo", "data");

export interface DemoResult {
  outDir: string;
  days: RunResult[];
  siteDir: string;
  latestMarkdown: string;
}

/** Serves `demo/data/<date>/<cats>.xml` at `/rss/<cats>` for whichever day is current. */
async function startDemoFeedServer(files: Map<string, string>, current: () => string) {
  const server = createServer((req, res) => {
    const cats = decodeURIComponent((req.url ?? "").replace(/^\/rss\//, "").split("?")[0] ?? "");
    const file = files.get(`${current()}/${cats}`);
    if (!file) {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end(`no demo feed for ${cats} on ${current()}`);
      return;
    }
    readFile(file).then(
      (body) => {
        res.writeHead(200, { "content-type": "application/rss+xml; charset=utf-8" });
        res.end(body);
      },
      () => {
        res.writeHead(500);
        res.end();
      },
    );
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/rss`, close: () => new Promise<void>((ok) => server.close(() => ok())) };
}

/** A clock standing at 07:00 US Eastern on `date` (after the feed flipped); sleeping moves it on. */
function demoClock(date: string) {
  let now = Temporal.ZonedDateTime.from(`${date}T07:00[${ARXIV_ZONE}]`).epochMilliseconds;
  return {
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
    },
  };
}

/** The file the demo leaves in its folder: how a later demo knows the folder is its own to rewrite. */
export const DEMO_MARKER = ".arxiv-digest-demo";
const DEMO_PRODUCER = "arxiv-digest demo";

/**
 * The demo writes an archive and a site into its folder, so it takes only a folder that is new,
 * empty of any workspace, or its own previous output: never a workspace (an arxiv-digest.yaml) or
 * a folder with an archive it did not write, whose days it would overwrite.
 */
async function claimDemoFolder(outDir: string): Promise<void> {
  const fix = "choose an empty or new folder, or drop --out to use demo-out";
  await makeFolder(outDir, `demo --out ${outDir}`, fix);
  if (pathKind(join(outDir, WORKSPACE_ENTRIES.config)) !== "missing")
    throw new PathError(
      `demo --out ${outDir} is a workspace (it has ${WORKSPACE_ENTRIES.config}), whose archive and site the demo would overwrite; ${fix}.`,
    );
  const archive = join(outDir, WORKSPACE_ENTRIES.archive);
  if (pathKind(archive) !== "missing" && !(await madeByDemo(outDir)))
    throw new PathError(
      `demo --out ${outDir} already has an archive the demo did not write, whose days it would overwrite; ${fix}.`,
    );
  await writeFile(
    join(outDir, DEMO_MARKER),
    "Written by `arxiv-digest demo`: running the demo again with this folder rewrites it.\n",
  );
}

/** The folder holds the demo's marker, or (a demo of a version without one) only days the demo made. */
async function madeByDemo(outDir: string): Promise<boolean> {
  if (pathKind(join(outDir, DEMO_MARKER)) === "file") return true;
  const store = new ArchiveStore(join(outDir, WORKSPACE_ENTRIES.archive));
  for (const date of await store.listDays()) {
    const day = await store.readDay(date).catch(() => null);
    if (day?.producer !== DEMO_PRODUCER) return false;
  }
  return true;
}

/** Who the demo follows: the examples `init`'s authors.txt gives in comments. */
const DEMO_AUTHORS = ["Yoshua Bengio", "Yann LeCun", "Kaiming He", "Randall Balestriero", "Ravid Shwartz-Ziv"]
  .map((name) => `${name}\n`)
  .join("");

export async function runDemo(opts: { outDir: string; log: Logger }): Promise<DemoResult> {
  const outDir = resolve(opts.outDir);
  await claimDemoFolder(outDir);
  const manifest = ManifestSchema.parse(JSON.parse(await readFile(join(demoDataDir, "manifest.json"), "utf8")));
  const files = new Map<string, string>();
  const cats = manifest.categories.join("+");
  for (const d of manifest.days) files.set(`${d.date}/${cats}`, join(demoDataDir, d.file));

  let currentDate = manifest.days[0]!.date;
  const server = await startDemoFeedServer(files, () => currentDate);
  // The demo never spends money or reaches the network: no keys, the offline scorer, a local feed.
  const env = { ARXIV_RSS_URL: server.url };
  const base = loadWorkspace(outDir, env, { warn: (m) => opts.log.warn(m) });
  const ws: Workspace = {
    ...base,
    // The demo's own followed authors, so its pages show papers pinned first (a new workspace,
    // from the same template, follows nobody).
    authorsText: DEMO_AUTHORS,
    env,
    config: {
      ...base.config,
      arxiv: {
        ...base.config.arxiv,
        categories: manifest.categories,
        combinedFeed: true,
        format: "rss",
        minIntervalSeconds: 0,
        contact: "demo",
      },
      llm: { ...base.config.llm, provider: "offline" },
      deliver: { webhooks: [] },
    },
  };
  const days: RunResult[] = [];
  try {
    for (const d of manifest.days) {
      currentDate = d.date;
      const result = await runDay(
        { workspace: ws, clock: demoClock(d.date), log: opts.log },
        { deliver: false, producer: DEMO_PRODUCER },
      );
      opts.log.info(result.summary);
      days.push(result);
    }
  } finally {
    await server.close();
  }
  const siteDir = join(outDir, ws.config.site.outDir);
  await buildSite({
    source: openStore(ws),
    outDir: siteDir,
    site: ws.config.site,
    feedbackRepo: ws.config.feedback.github ?? null,
    holidays: workspaceHolidays(ws),
  });
  const last = days.at(-1)!;
  return { outDir, days, siteDir, latestMarkdown: openStore(ws).path(last.record.date, "md") };
}
