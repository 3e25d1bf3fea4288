/**
 * Start-up time, where the reader waits: `arxiv-digest --help` from the compiled bin (dist/, what
 * an installed package runs), from the sources through tsx (how bin/ ran before the build
 * existed) and a bare `node -e 0` (Node's own floor), side by side; then an empty weekend `run`
 * (a workspace, a local feed serving arXiv's Saturday feed with no announcement), the daily job's
 * shortest complete run: in a new workspace with --no-deliver, and as the daily job runs it, after
 * a week of archived digests (250 papers a day) and with deliveries on, so that the run reads the
 * last day to judge the feed and looks for failed deliveries to retry. Each row is the median of
 * several runs: wall time, and the CPU time (user + system) of the process, which holds steady on a
 * busy machine where wall time does not.
 *
 * Run: npx tsx bench/startup.ts [runs] [--baseline <checkout>]
 * `--baseline` adds the same rows for the bin of another checkout (built, e.g. `git archive main`
 * unpacked with node_modules linked and `npm run build` run), measured in the same session.
 */
import { spawn, spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { ArchiveStore } from "../src/archive/store.js";
import { makeDay, makePaper } from "../test/helpers/day-factory.js";
import { startServer } from "../test/helpers/server.js";
import { removeScratch, scratchDir } from "./scratch.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const args = process.argv.slice(2);
const baselineAt = args.indexOf("--baseline");
const BASELINE = baselineAt >= 0 ? resolve(args[baselineAt + 1] ?? "") : null;
const RUNS = Number(args.find((a, i) => /^\d+$/.test(a) && args[i - 1] !== "--baseline") ?? 9);

// dist/ as the package ships it (built only if the sources changed since the last build).
const build = spawnSync(process.execPath, [join(ROOT, "scripts/build.mjs"), "--if-stale"], { encoding: "utf8" });
if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}${build.stderr}`);

const scratch = scratchDir("arxiv-digest-startup-");

// The bin as it was: register tsx with the package's tsconfig, then import src/cli/main.ts.
const viaTsx = join(scratch, "tsx-bin.mjs");
writeFileSync(
  viaTsx,
  `import { register } from ${JSON.stringify(pathToFileURL(join(ROOT, "node_modules/tsx/dist/esm/api/index.mjs")).href)};
register({ tsconfig: ${JSON.stringify(join(ROOT, "tsconfig.json"))} });
const { main } = await import(${JSON.stringify(pathToFileURL(join(ROOT, "src/cli/main.ts")).href)});
process.exitCode = await main(process.argv);
`,
);

// Preloaded into every measured process: its CPU time, written where CPU_LOG says when it exits.
const cpuProbe = join(scratch, "cpu-probe.mjs");
writeFileSync(
  cpuProbe,
  `import { appendFileSync } from "node:fs";
process.on("exit", () => {
  const { user, system } = process.cpuUsage();
  appendFileSync(process.env.CPU_LOG, (user + system) / 1000 + "\\n");
});
`,
);
const cpuLog = join(scratch, "cpu.log");

// The weekend: arXiv's Saturday feed, no items, served locally.
const weekendFeed = readFileSync(join(ROOT, "test/fixtures/feeds/weekend/cs.LG-2026-02-07.xml"));
const feed = await startServer((req, res) => {
  const found = req.url === "/rss/cs.LG";
  res.writeHead(found ? 200 : 404, { "content-type": "application/rss+xml" });
  res.end(found ? weekendFeed : "not found");
});
const workspace = join(scratch, "ws");
writeFileSync(
  join(scratch, "arxiv-digest.yaml"),
  `arxiv:
  categories: [cs.LG]
  minIntervalSeconds: 0
  contact: bench@example.org
topics:
  - id: architecture
    title: Model architecture
    description: Mixture-of-experts, transformers and conditional computation.
    include: [mixture of experts, transformer]
`,
);
const env = {
  PATH: process.env.PATH ?? "",
  HOME: scratch,
  ARXIV_RSS_URL: `${feed.url}/rss`,
  ARXIV_API_URL: "http://127.0.0.1:9/api/query",
  OPENAI_API_KEY: "sk-bench",
  OPENAI_BASE_URL: "http://127.0.0.1:9/v1",
};

function run(argv: string[]): Promise<{ ms: number; code: number | null; stderr: string }> {
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn(process.execPath, ["--import", pathToFileURL(cpuProbe).href, ...argv], {
      cwd: scratch,
      env: { ...env, CPU_LOG: cpuLog },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("error", fail);
    child.on("close", (code) => done({ ms: performance.now() - started, code, stderr }));
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

interface Row {
  label: string;
  argv: string[];
  /** Run before each measurement, outside the timing. */
  reset?: () => void;
}

const freshWorkspace = () => {
  rmSync(workspace, { recursive: true, force: true });
  spawnSync("mkdir", ["-p", workspace]);
  writeFileSync(join(workspace, "arxiv-digest.yaml"), readFileSync(join(scratch, "arxiv-digest.yaml")));
};
const weekendRun = ["run", "--date", "2026-02-07", "--no-deliver", "--workspace", workspace];

// The week before that Saturday, archived: Monday 2 to Friday 6 February, 250 papers each, with
// abstracts as long as arXiv's (a day's file is about 0.6 MB, as the demo's are).
const weekWorkspace = join(scratch, "week");
spawnSync("mkdir", ["-p", weekWorkspace]);
writeFileSync(join(weekWorkspace, "arxiv-digest.yaml"), readFileSync(join(scratch, "arxiv-digest.yaml")));
const weekStore = new ArchiveStore(join(weekWorkspace, "archive"));
for (const day of [2, 3, 4, 5, 6]) {
  const date = `2026-02-0${day}`;
  const papers = Array.from({ length: 250 }, (_, i) =>
    makePaper({
      id: `2602.0${day}${String(i).padStart(3, "0")}`,
      outcome: i < 20 ? "selected" : "rejected",
      abstract: `We study paper ${i} of ${date}. `.repeat(60),
    }),
  );
  await weekStore.writeDay(makeDay({ date, papers }));
}
const afterTheWeek = () => {
  for (const ext of ["json", "md"]) rmSync(weekStore.path("2026-02-07", ext), { force: true });
};
const weekendRunAfterWeek = ["run", "--date", "2026-02-07", "--workspace", weekWorkspace];

const rows: Row[] = [
  { label: "--help, compiled bin (dist/)", argv: [join(ROOT, "bin/arxiv-digest.js"), "--help"] },
  ...(BASELINE ? [{ label: "--help, baseline bin", argv: [join(BASELINE, "bin/arxiv-digest.js"), "--help"] }] : []),
  { label: "--help, tsx src/ (the old bin)", argv: [viaTsx, "--help"] },
  { label: "node -e 0", argv: ["-e", "0"] },
  {
    label: "empty weekend run, compiled bin",
    argv: [join(ROOT, "bin/arxiv-digest.js"), ...weekendRun],
    reset: freshWorkspace,
  },
  ...(BASELINE
    ? [
        {
          label: "empty weekend run, baseline bin",
          argv: [join(BASELINE, "bin/arxiv-digest.js"), ...weekendRun],
          reset: freshWorkspace,
        },
      ]
    : []),
  {
    label: "weekend run after a week, compiled bin",
    argv: [join(ROOT, "bin/arxiv-digest.js"), ...weekendRunAfterWeek],
    reset: afterTheWeek,
  },
  ...(BASELINE
    ? [
        {
          label: "weekend run after a week, baseline bin",
          argv: [join(BASELINE, "bin/arxiv-digest.js"), ...weekendRunAfterWeek],
          reset: afterTheWeek,
        },
      ]
    : []),
];

const results: { label: string; wall: number; min: number; cpu: number }[] = [];
for (const row of rows) {
  row.reset?.();
  await run(row.argv); // warm the file cache
  const walls: number[] = [];
  writeFileSync(cpuLog, "");
  for (let i = 0; i < RUNS; i++) {
    row.reset?.();
    const r = await run(row.argv);
    if (r.code !== 0) throw new Error(`${row.label} exited ${r.code}:\n${r.stderr}`);
    walls.push(r.ms);
  }
  const cpus = readFileSync(cpuLog, "utf8").split("\n").filter(Boolean).map(Number);
  results.push({ label: row.label, wall: median(walls), min: Math.min(...walls), cpu: median(cpus) });
}
await feed.close();
removeScratch(scratch);

console.log(`arxiv-digest start-up, median of ${RUNS} runs (Node ${process.version}):`);
const width = Math.max(...results.map((r) => r.label.length));
const floor = results.find((r) => r.label === "node -e 0")!;
console.log(`  ${"".padEnd(width)}   wall ms   (min)   CPU ms   × node -e 0 (wall, CPU)`);
for (const r of results) {
  console.log(
    `  ${r.label.padEnd(width)}  ${r.wall.toFixed(0).padStart(7)}  ${`(${r.min.toFixed(0)})`.padStart(6)}  ${r.cpu
      .toFixed(0)
      .padStart(7)}   ${(r.wall / floor.wall).toFixed(1)}×, ${(r.cpu / floor.cpu).toFixed(1)}×`,
  );
}
