/**
 * The site's scripts and stylesheet as browsers fetch them, made from src/site/assets/ by esbuild:
 *
 * - every script that no other script imports is a page script (app.js on every page, theme-init.js
 *   in every head, one per page that has its own): each is bundled on its own with everything it
 *   imports statically and minified, under its own name, so a page fetches one file per script
 *   (code two page scripts share is in both; a page that runs both still has one feedback seam,
 *   assets/feedback.js);
 * - a module a page script loads with `import()` (citations, the feedback sinks) goes into a chunk
 *   fetched only when it is first needed;
 * - stylesheets are minified; any other file is copied as it is.
 *
 * The sources stay readable modules that tests import in Node; the published site carries no
 * comments and no module a page does not use on load.
 */
import { readdir, readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";

const ASSETS_DIR = fileURLToPath(new URL("./assets/", import.meta.url));

/** `import … from "./x.js"`, `import "./x.js"` and `import("./x.js")` of a sibling file. */
const SIBLING_IMPORT = /\bimport\s*(?:\(\s*|[^"'()]*?)["']\.\/([\w.-]+\.js)["']/g;

/** The scripts of assets/ that no other script imports, by file name. */
export function pageScripts(sources: ReadonlyMap<string, string>): string[] {
  const imported = new Set<string>();
  for (const text of sources.values()) for (const m of text.matchAll(SIBLING_IMPORT)) imported.add(m[1]!);
  return [...sources.keys()].filter((name) => !imported.has(name)).sort();
}

/** Where the assets go: the build's staged site (site-dir.ts), paths relative to the site's root. */
export interface AssetSink {
  write(rel: string, content: string | Uint8Array): Promise<unknown>;
}

/** Where the assets live in the site: the folder is the build's alone (build.ts). */
export const ASSETS_FOLDER = "assets";

/** Writes the site's assets under `assets/` of the site; returns the paths written (relative to the site). */
export async function copyAssets(site: AssetSink): Promise<string[]> {
  // esbuild names its output under this folder; nothing is written there (write: false).
  const out = join(ASSETS_DIR, "..", "assets-out");
  // Loaded here, not at the top: only a site build needs esbuild, and it starts a helper process.
  const esbuild = await import("esbuild");
  const names = (await readdir(ASSETS_DIR, { withFileTypes: true }))
    .filter((e) => e.isFile() && !e.name.endsWith(".d.ts"))
    .map((e) => e.name);
  const scripts = new Map<string, string>();
  for (const name of names.filter((n) => n.endsWith(".js"))) {
    scripts.set(name, await readFile(join(ASSETS_DIR, name), "utf8"));
  }
  const builds = pageScripts(scripts).map((name) =>
    esbuild.build({
      entryPoints: [join(ASSETS_DIR, name)],
      bundle: true,
      splitting: true,
      format: "esm",
      minify: true,
      legalComments: "none",
      charset: "utf8",
      outdir: out,
      entryNames: "[name]",
      chunkNames: "chunk-[hash]",
      write: false,
      logLevel: "silent",
    }),
  );
  // Two page scripts that load the same module on demand may each make the same chunk: one copy.
  const files = new Map<string, Uint8Array>();
  for (const { outputFiles } of await Promise.all(builds)) {
    for (const f of outputFiles) files.set(basename(f.path), f.contents);
  }
  const paths: string[] = [];
  const put = (name: string, contents: string | Uint8Array) => {
    const rel = `${ASSETS_FOLDER}/${name}`;
    paths.push(rel);
    return site.write(rel, contents);
  };
  const written = [...files].map(([name, contents]) => put(name, contents));
  for (const name of names.filter((n) => !n.endsWith(".js"))) {
    const source = await readFile(join(ASSETS_DIR, name));
    if (name.endsWith(".css")) {
      const css = await esbuild.transform(source.toString("utf8"), {
        loader: "css",
        minify: true,
        legalComments: "none",
        charset: "utf8",
      });
      written.push(put(basename(name), css.code));
    } else {
      written.push(put(name, source));
    }
  }
  await Promise.all(written);
  return paths.sort();
}
