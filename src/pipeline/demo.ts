/**
 * `arxiv-digest demo`: the real pipeline, offline. A bundled snapshot of real arXiv announcements
 * (demo/data, arXiv's RSS format) is served from a local HTTP server to the real fetch code, the
 * offline scorer judges every paper, and the archive, Markdown pages and site are written.
 */
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { Temporal } from "temporal-polyfill";
import * as z from "zod";
import { ARXIV_ZONE } from "../arxiv/calendar.js";
import { buildSite } from "../site/build.js";
import { loadWorkspace, packageRoot, type Workspace } from "../workspace/load.js";
import type { Logger } from "./context.js";
import { openStore } from "./context.js";
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

export async function runDemo(opts: { outDir: string; log: Logger }): Promise<DemoResult> {
  const outDir = resolve(opts.outDir);
  const manifest = ManifestSchema.parse(JSON.parse(await readFile(join(demoDataDir, "manifest.json"), "utf8")));
  const files = new Map<string, string>();
  const cats = manifest.categories.join("+");
  for (const d of manifest.days) files.set(`${d.date}/${cats}`, join(demoDataDir, d.file));

  let currentDate = manifest.days[0]!.date;
  const server = await startDemoFeedServer(files, () => currentDate);
  // The demo never spends money or reaches the network: no keys, the offline scorer, a local feed.
  const env = { ARXIV_RSS_URL: server.url };
  const base = loadWorkspace(outDir, env);
  const ws: Workspace = {
    ...base,
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
        { deliver: false, producer: "arxiv-digest demo" },
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
  });
  const last = days.at(-1)!;
  return { outDir, days, siteDir, latestMarkdown: openStore(ws).path(last.record.date, "md") };
}
