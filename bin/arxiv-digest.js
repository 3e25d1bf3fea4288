#!/usr/bin/env node
// Starts the CLI from dist/, the JavaScript that `npm run build` compiles from src/ (`prepare`
// runs it on install from Git, on `npm ci` and on `npm pack`). An installed package ships dist/
// and no src/, so it always takes the first route.
//
// In a development clone, src/ is run through tsx (a devDependency) instead when dist/ is missing
// or older than a source file, so an edit is never hidden behind a stale build.
import { existsSync, readdirSync, statSync } from "node:fs";

quietOnClosedPipes();

const distMain = new URL("../dist/cli/main.js", import.meta.url);
const { main } = (await fromSourcesIfNewer()) ?? (await import(distMain.href));
process.exitCode = await main(process.argv);

/**
 * `arxiv-digest … | head -1`: once the reader is gone, further output is dropped instead of
 * failing with EPIPE and a stack trace. The command itself carries on (a run still writes its
 * archive) and ends with its own exit code.
 */
function quietOnClosedPipes() {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (err) => {
      if (err.code !== "EPIPE") throw err;
      stream.write = (_chunk, encoding, callback) => {
        const done = typeof encoding === "function" ? encoding : callback;
        if (typeof done === "function") queueMicrotask(done);
        return true;
      };
    });
  }
}

async function fromSourcesIfNewer() {
  const src = new URL("../src/", import.meta.url);
  if (!existsSync(src)) return null;
  const stamp = new URL("../dist/.build-stamp", import.meta.url);
  const built = existsSync(distMain) && existsSync(stamp) ? statSync(stamp).mtimeMs : -1;
  if (built >= 0 && newestMtime(src) <= built) return null;
  let register;
  try {
    ({ register } = await import("tsx/esm/api"));
  } catch {
    if (built >= 0) return null; // no tsx (installed without devDependencies): the build it is
    process.stderr.write("arxiv-digest: dist/ is missing; run `npm run build` (or `npm ci`) in the clone first.\n");
    process.exit(2);
  }
  // The package's own tsconfig is named explicitly: tsx would otherwise read the one in the current
  // folder (a user's workspace has none), and the site's Preact JSX would compile as React.
  register({ tsconfig: new URL("../tsconfig.json", import.meta.url).pathname });
  return import(new URL("../src/cli/main.ts", import.meta.url).href);
}

function newestMtime(dir) {
  let newest = statSync(dir).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    // Folders count too: deleting a source changes its folder's time.
    if (!entry.isFile() && !entry.isDirectory()) continue;
    newest = Math.max(newest, statSync(`${entry.parentPath}/${entry.name}`).mtimeMs);
  }
  return newest;
}
