#!/usr/bin/env node
// Builds dist/ from src/. esbuild bundles the CLI, so Node resolves, reads and compiles a few
// files instead of a few hundred at start-up (bench/startup.ts):
//
// - dist/cli/main.js is the entry; every `import()` in src/ becomes a chunk of its own beside it
//   (code splitting), so a command still loads only what it needs (test/cli/startup.test.ts).
//   Every output file sits in dist/cli/, but for the site's search indexing process, which the site
//   build forks: dist/site/search-worker.js, an entry of its own.
// - Every package the sources import is bundled into those chunks (each into the chunk of the
//   command that loads it), but for package.json's `dependencies`: those stay in node_modules and
//   are loaded from there. Only esbuild is one (a native binary; a site build bundles the site's
//   browser scripts with it). The bundled packages are devDependencies, so an install of the
//   package pulls none of them (katex's Commander 15, which wants Node 22, among them).
// - `import.meta.url` in a source file is rewritten to the URL that file's own JavaScript would
//   have in dist/ (src/site/build.ts → dist/site/build.js), so a module that finds a file relative
//   to itself (the site's assets, package.json, defaults/) finds it in dist/ as it did in src/.
//   Every file of src/ that is not TypeScript (the site's assets, for one) is copied to dist/.
// - dist/bundle.json names the source modules and packages in each output file: the start-up
//   test reads it to tell what a command loaded.
//
// Types are not checked here (`npm run typecheck` and `npm test` do that): esbuild only strips them.
// Plain JavaScript on purpose: it runs from `prepare` before anything is compiled.
//
// `--if-stale` (the `prepare` and `prepack` hooks) skips the work when dist/ is newer than every
// input: `npm pack` runs both hooks, and the second would otherwise build it all again.
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const src = join(root, "src");
const dist = join(root, "dist");
const outdir = join(dist, "cli");
const stamp = join(dist, ".build-stamp");
const started = new Date();

if (process.argv.includes("--if-stale") && isFresh()) {
  process.stdout.write("build: dist/ is up to date with src/\n");
  process.exit(0);
}

let esbuild;
try {
  esbuild = await import("esbuild");
} catch {
  process.stderr.write("build: esbuild is missing; install the devDependencies (`npm ci`) first.\n");
  process.exit(1);
}

rmSync(dist, { recursive: true, force: true });
const { dependencies } = JSON.parse(await readFile(join(root, "package.json"), "utf8"));
// What an install provides at run time; every other package is bundled (pure JavaScript that finds
// no file of its own at run time).
const external = Object.keys(dependencies ?? {}).flatMap((name) => [name, `${name}/*`]);

/** `import.meta.url` of src/a/b.ts becomes the URL of dist/a/b.js, computed from the chunk's own URL in `into`. */
const metaUrlAsUnbundled = (into) => ({
  name: "import-meta-url-as-unbundled",
  setup(build) {
    build.onLoad({ filter: /\.tsx?$/ }, async (args) => {
      let contents = await readFile(args.path, "utf8");
      if (args.path.startsWith(src + sep) && contents.includes("import.meta.url")) {
        const unbundled = join(dist, relative(src, args.path)).replace(/\.tsx?$/, ".js");
        const fromChunk = relative(into, unbundled).split(sep).join("/");
        contents = contents.replaceAll(
          "import.meta.url",
          `new URL(${JSON.stringify(fromChunk)}, import.meta.url).href`,
        );
      }
      return { contents, loader: args.path.endsWith(".tsx") ? "tsx" : "ts" };
    });
  },
});

const common = {
  absWorkingDir: root,
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  tsconfig: join(root, "tsconfig.json"),
  external,
  // Bundled CommonJS packages (Commander, cli-progress, nodemailer) call `require` for Node's own modules.
  banner: {
    js: 'import { createRequire as __createRequire } from "node:module";\nconst require = __createRequire(import.meta.url);',
  },
  metafile: true,
  logLevel: "warning",
};
const result = await esbuild.build({
  ...common,
  entryPoints: [join(src, "cli", "main.ts")],
  outdir,
  entryNames: "[name]",
  chunkNames: "[name]-[hash]",
  splitting: true,
  plugins: [metaUrlAsUnbundled(outdir)],
});
// The site's search indexing process (src/site/search-bundles.ts forks search-worker.js beside
// its own unbundled place, dist/site/): an entry of its own, loaded only by a full site build.
const workerDir = join(dist, "site");
const worker = await esbuild.build({
  ...common,
  entryPoints: [join(src, "site", "search-worker.ts")],
  outfile: join(workerDir, "search-worker.js"),
  plugins: [metaUrlAsUnbundled(workerDir)],
});

/** Each output file's contents: source modules (src/…) and packages, for test/cli/startup.test.ts. */
const contents = {};
const outputs = { ...result.metafile.outputs, ...worker.metafile.outputs };
for (const [output, { inputs }] of Object.entries(outputs)) {
  const names = new Set();
  for (const input of Object.keys(inputs)) {
    const pkg = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    names.add(pkg ? pkg[1] : input);
  }
  contents[relative(dist, join(root, output)).split(sep).join("/")] = [...names].sort();
}
writeFileSync(join(dist, "bundle.json"), `${JSON.stringify(contents, null, 1)}\n`);

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
process.stdout.write(
  `build: dist/ bundled from src/ (${Object.keys(contents).length} files in dist/cli/, ${copied} asset files copied)\n`,
);

/**
 * dist/ was built after the last change to src/ (a deleted file changes its folder's time), the
 * build config and the installed packages (bundled ones are part of dist/).
 */
function isFresh() {
  if (!existsSync(stamp)) return false;
  const built = statSync(stamp).mtimeMs;
  const inputs = [src, ...readdirSync(src, { recursive: true }).map((name) => join(src, name))];
  inputs.push(join(root, "tsconfig.json"), join(root, "package.json"), fileURLToPath(import.meta.url));
  const lock = join(root, "package-lock.json");
  if (existsSync(lock)) inputs.push(lock);
  return inputs.every((path) => statSync(path).mtimeMs <= built);
}

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(path);
    return entry.isFile() ? [path] : [];
  });
}
