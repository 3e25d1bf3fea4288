#!/usr/bin/env node
// Builds dist/ from src/: the TypeScript compiler (tsconfig.build.json) emits the JavaScript, then
// every file of src/ that is not TypeScript (the site's assets, for one) is copied beside it, so a
// module that finds a file relative to its own URL finds it in dist/ as it did in src/.
// Plain JavaScript on purpose: it runs from `prepare` before anything is compiled.
//
// `--if-stale` (the `prepare` and `prepack` hooks) skips the work when dist/ is newer than every
// source: `npm pack` runs both hooks, and the second would otherwise compile it all again.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const src = join(root, "src");
const dist = join(root, "dist");
const stamp = join(dist, ".build-stamp");
const started = new Date();

if (process.argv.includes("--if-stale") && isFresh()) {
  process.stdout.write("build: dist/ is up to date with src/\n");
  process.exit(0);
}

rmSync(dist, { recursive: true, force: true });
// The package's exports do not list its bin, so it is found next to its package.json.
const tsc = join(dirname(createRequire(import.meta.url).resolve("typescript/package.json")), "bin", "tsc");
const compiled = spawnSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], { stdio: "inherit" });
if (compiled.status !== 0) {
  process.stderr.write("build: the TypeScript compiler failed; dist/ is incomplete.\n");
  process.exit(compiled.status ?? 1);
}

let copied = 0;
for (const file of filesUnder(src)) {
  if (/\.tsx?$/.test(file)) continue;
  const target = join(dist, relative(src, file));
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(file, target);
  copied++;
}

// The stamp carries the time the build started: bin/arxiv-digest.js compares it with the sources'
// modification times to notice, in a development clone, that dist/ no longer matches src/.
writeFileSync(stamp, `${started.toISOString()}\n`);
utimesSync(stamp, started, started);
process.stdout.write(`build: dist/ compiled from src/ (${copied} asset files copied)\n`);

/** dist/ was built after the last change to src/ (a deleted file changes its folder's time) and the build config. */
function isFresh() {
  if (!existsSync(stamp)) return false;
  const built = statSync(stamp).mtimeMs;
  const inputs = [src, ...readdirSync(src, { recursive: true }).map((name) => join(src, name))];
  inputs.push(join(root, "tsconfig.json"), join(root, "tsconfig.build.json"), fileURLToPath(import.meta.url));
  return inputs.every((path) => statSync(path).mtimeMs <= built);
}

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(path);
    return entry.isFile() ? [path] : [];
  });
}
