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
import { ArchiveStore } from "../archive/store.js";
import { ARXIV_ZONE } from "../arxiv/calendar.js";
import { topicTitles } from "../format/text.js";
import { sha256 } from "../io/hash.js";
import { writeFileAtomic } from "../io/json-file.js";
import { makeFolder, PathError, pathKind, WORKSPACE_ENTRIES } from "../io/paths.js";
import { type SelfCommand, selfCommand } from "../io/self-command.js";
import { buildSite } from "../site/build.js";
import {
  DEMO_MARKER,
  demoConfigHeader,
  demoMarkerText,
  isDemoFolder,
  readDemoMarker,
} from "../workspace/demo-marker.js";
import { CONFIG_FILE, defaultsDir, loadWorkspace, packageRoot, type Workspace } from "../workspace/load.js";
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
  /** The workspace's config the demo wrote and judged with. */
  configPath: string;
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

const DEMO_PRODUCER = "arxiv-digest demo";

/** The workspace files the demo writes besides its archive and site: a later demo rewrites them only as it wrote them. */
const DEMO_FILES = [CONFIG_FILE, WORKSPACE_ENTRIES.authors] as const;
type DemoFile = (typeof DEMO_FILES)[number];

/**
 * The demo's folder as the user named it, for its messages: `--out` or `--workspace` and the
 * folder as typed, or neither (the default demo-out).
 */
export interface DemoFolderName {
  /** The folder as typed (or the default). */
  typed: string;
  /** The option that named it; null when none did. */
  option: "--out" | "--workspace" | null;
}

/** The default folder of `demo`. */
export const DEMO_OUT = "demo-out";

/** How a message names the folder, and what it suggests instead, by how the user named it. */
function folderWording(name: DemoFolderName): { subject: string; fix: string } {
  if (name.option === null) return { subject: `the demo's folder ${name.typed}`, fix: "give --out a new folder" };
  const subject = `demo ${name.option} ${name.typed}`;
  if (name.option === "--out" && resolve(name.typed) !== resolve(DEMO_OUT))
    return { subject, fix: `choose an empty or new folder, or drop --out to use ${DEMO_OUT}` };
  return { subject, fix: "choose an empty or new folder" };
}

/**
 * The digest of `name` in `outDir` when it is the demo's to rewrite: as the demo wrote it by the
 * marker's digest, or already what this demo writes (a demo stopped between the marker and the
 * file, or an earlier demo's file with its marker gone: rewriting it loses nothing); "missing"
 * when there is no such file; null when the file is not the demo's to rewrite.
 */
async function demoOwned(
  outDir: string,
  name: DemoFile,
  text: string,
  marked: ReadonlyMap<string, ReadonlySet<string>> | null,
): Promise<string | "missing" | null> {
  const path = join(outDir, name);
  const kind = pathKind(path);
  if (kind === "missing") return "missing";
  if (kind !== "file") return null;
  const digest = sha256(await readFile(path));
  return marked?.get(name)?.has(digest) === true || digest === sha256(text) ? digest : null;
}

/**
 * The demo writes a workspace, an archive and a site into its folder, so it takes only a folder
 * that is new, empty of any workspace, or its own previous output: never a workspace (an
 * arxiv-digest.yaml it did not write, or has been changed since), a folder with an archive it did
 * not write, whose days it would overwrite, or an authors.txt it did not write. `write` is how a
 * file is written (atomically; a test stops it halfway).
 */
export async function claimDemoFolder(
  outDir: string,
  name: DemoFolderName,
  files: ReadonlyMap<DemoFile, string>,
  write: (path: string, text: string) => Promise<void> = writeFileAtomic,
  program: SelfCommand = selfCommand(),
): Promise<void> {
  const { subject, fix } = folderWording(name);
  await makeFolder(outDir, subject, fix);
  const marker = readDemoMarker(outDir);
  if (marker.kind === "foreign")
    throw new PathError(
      `${subject} has a ${DEMO_MARKER} that ${marker.what}, not the demo's marker, which the demo would replace; move it away, or ${fix}.`,
    );
  const marked = marker.kind === "marker" ? marker.digests : null;
  const owned = new Map<DemoFile, string | "missing">();
  for (const [file, text] of files) {
    const digest = await demoOwned(outDir, file, text, marked);
    if (digest !== null) {
      owned.set(file, digest);
      continue;
    }
    if (file === CONFIG_FILE)
      throw new PathError(
        marked?.has(CONFIG_FILE)
          ? `${subject} has an ${CONFIG_FILE} changed since the demo wrote it, which the demo would overwrite; ${fix}.`
          : `${subject} is a workspace (it has ${CONFIG_FILE}), whose archive and site the demo would overwrite; ${fix}.`,
      );
    throw new PathError(
      `${subject} has an ${file} the demo did not write${marked?.has(file) ? " or changed since" : ""}, which the demo would overwrite; ${fix}.`,
    );
  }
  const archive = join(outDir, WORKSPACE_ENTRIES.archive);
  if (pathKind(archive) !== "missing" && !(await madeByDemo(outDir)))
    throw new PathError(
      `${subject} already has an archive the demo did not write, whose days it would overwrite; ${fix}.`,
    );
  // The marker first, recording both what each file is now and what the demo writes: a demo
  // stopped halfway leaves a folder the next demo still knows as its own, and `run` still refuses.
  const digests = (keep: boolean) =>
    new Map(
      [...files].map(([file, text]) => {
        const now = owned.get(file)!;
        const next = sha256(text);
        return [file, keep && now !== "missing" && now !== next ? [now, next] : [next]];
      }),
    );
  const markerPath = join(outDir, DEMO_MARKER);
  await write(markerPath, demoMarkerText(digests(true), program));
  for (const [file, text] of files) await write(join(outDir, file), text);
  await write(markerPath, demoMarkerText(digests(false), program));
}

/**
 * The folder's archive is the demo's: its marker records the digest of the config beside it, which
 * is still the demo's (`isDemoFolder`), or else every day in it was made by the demo. Any other
 * marker (a first version's without digests, one beside no config or the reader's) vouches for no day.
 */
async function madeByDemo(outDir: string): Promise<boolean> {
  if (isDemoFolder(outDir)) return true;
  const store = new ArchiveStore(join(outDir, WORKSPACE_ENTRIES.archive));
  for (const date of await store.listDays()) {
    const day = await store.readDay(date).catch(() => null);
    if (day?.producer !== DEMO_PRODUCER) return false;
  }
  return true;
}

/** Who the demo follows: the examples `init`'s authors.txt gives in comments. */
const DEMO_AUTHORS = ["Yoshua Bengio", "Yann LeCun", "Kaiming He", "Randall Balestriero", "Ravid Shwartz-Ziv"];

/** Replaces the one line `line` matches in the defaults' config; a defaults file without it is a packaging bug. */
function setLine(text: string, line: RegExp, to: string): string {
  if (!line.test(text))
    throw new Error(`defaults/${CONFIG_FILE} has no line matching ${line}: the demo cannot write its config`);
  return text.replace(line, to);
}

/** The workspace files the demo writes: its config (the defaults with its categories and the offline scorer) and authors.txt. */
async function demoWorkspaceFiles(categories: readonly string[], program: SelfCommand): Promise<Map<DemoFile, string>> {
  const defaults = await readFile(join(defaultsDir, CONFIG_FILE), "utf8");
  let config = setLine(defaults, /^ {2}categories: \[.*\]$/m, `  categories: [${categories.join(", ")}]`);
  config = setLine(config, /^ {2}provider: auto$/m, "  provider: offline");
  const authors = [
    "# Written by `arxiv-digest demo`: the people its pages follow, whose papers come first (the",
    "# examples in the comments of the authors.txt `arxiv-digest init` writes). One author per line.",
    ...DEMO_AUTHORS,
    "",
  ].join("\n");
  return new Map<DemoFile, string>([
    [CONFIG_FILE, demoConfigHeader(program) + config],
    [WORKSPACE_ENTRIES.authors, authors],
  ]);
}

/**
 * Runs the demo into `outDir` (as typed; `option` is what named it, for the messages: null for the
 * default folder).
 */
export async function runDemo(opts: {
  outDir: string;
  option?: DemoFolderName["option"];
  log: Logger;
  /** How the folder's comments name the program (\`selfCommand\` where the demo runs). */
  program?: SelfCommand;
}): Promise<DemoResult> {
  const program = opts.program ?? selfCommand();
  const outDir = resolve(opts.outDir);
  const manifest = ManifestSchema.parse(JSON.parse(await readFile(join(demoDataDir, "manifest.json"), "utf8")));
  const name = { typed: opts.outDir, option: opts.option === undefined ? "--out" : opts.option };
  await claimDemoFolder(outDir, name, await demoWorkspaceFiles(manifest.categories, program), writeFileAtomic, program);
  const files = new Map<string, string>();
  const cats = manifest.categories.join("+");
  for (const d of manifest.days) files.set(`${d.date}/${cats}`, join(demoDataDir, d.file));

  let currentDate = manifest.days[0]!.date;
  const server = await startDemoFeedServer(files, () => currentDate);
  // The demo never spends money or reaches the network: no keys, the offline scorer, a local feed.
  const env = { ARXIV_RSS_URL: server.url };
  // The workspace just written, as every other command reads it; only how the bundled feed is
  // reached stays in memory (a local server, one combined file, no pause between requests).
  const base = loadWorkspace(outDir, env, { requireConfig: true, warn: (m) => opts.log.warn(m) });
  const ws: Workspace = {
    ...base,
    env,
    config: {
      ...base.config,
      arxiv: {
        ...base.config.arxiv,
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
    topicTitles: topicTitles(ws.config.topics),
  });
  const last = days.at(-1)!;
  return {
    outDir,
    days,
    siteDir,
    latestMarkdown: openStore(ws).path(last.record.date, "md"),
    configPath: ws.configPath,
  };
}
