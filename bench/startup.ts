/**
 * Start-up time of `arxiv-digest --help`: the compiled bin (dist/, what an installed package runs)
 * against the sources through tsx (how bin/ ran before the build existed) and a bare `node -e 0`
 * (Node's own floor). Prints the median wall time of several runs of each, side by side.
 *
 * Run: npx tsx bench/startup.ts [runs]
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const RUNS = Number(process.argv[2] ?? 9);

// dist/ as the package ships it (built only if the sources changed since the last build).
const build = spawnSync(process.execPath, [join(ROOT, "scripts/build.mjs"), "--if-stale"], { encoding: "utf8" });
if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}${build.stderr}`);

// The bin as it was: register tsx with the package's tsconfig, then import src/cli/main.ts.
const scratch = mkdtempSync(join(tmpdir(), "arxiv-digest-startup-"));
const viaTsx = join(scratch, "tsx-bin.mjs");
writeFileSync(
  viaTsx,
  `import { register } from ${JSON.stringify(pathToFileURL(join(ROOT, "node_modules/tsx/dist/esm/api/index.mjs")).href)};
register({ tsconfig: ${JSON.stringify(join(ROOT, "tsconfig.json"))} });
const { main } = await import(${JSON.stringify(pathToFileURL(join(ROOT, "src/cli/main.ts")).href)});
process.exitCode = await main(process.argv);
`,
);

const variants: [label: string, args: string[]][] = [
  ["compiled bin (dist/)", [join(ROOT, "bin/arxiv-digest.js"), "--help"]],
  ["tsx src/ (the old bin)", [viaTsx, "--help"]],
  ["node -e 0", ["-e", "0"]],
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const results: { label: string; median: number; min: number; max: number }[] = [];
for (const [label, args] of variants) {
  spawnSync(process.execPath, args, { cwd: scratch, stdio: "ignore" }); // warm the file cache
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const r = spawnSync(process.execPath, args, { cwd: scratch, stdio: ["ignore", "pipe", "pipe"] });
    times.push(performance.now() - started);
    if (r.status !== 0) throw new Error(`${label} exited ${r.status}:\n${r.stderr}`);
  }
  results.push({ label, median: median(times), min: Math.min(...times), max: Math.max(...times) });
}
rmSync(scratch, { recursive: true, force: true });

console.log(`arxiv-digest --help start-up, median of ${RUNS} runs (Node ${process.version}):`);
const width = Math.max(...results.map((r) => r.label.length));
for (const r of results) {
  console.log(
    `  ${r.label.padEnd(width)}  ${r.median.toFixed(0).padStart(5)} ms   (min ${r.min.toFixed(0)}, max ${r.max.toFixed(0)})`,
  );
}
