/**
 * `arxiv-digest init`: scaffold a workspace from the package's defaults/ and templates/, never
 * overwriting a file the user already has unless asked to.
 */
import { mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { packageRoot } from "../config/load.js";

export interface InitOptions {
  /** Overwrite files that already exist. */
  force?: boolean;
  /** Shell command(s) the workflows run to install arxiv-digest (the `{{install}}` of the templates). */
  install?: string;
  /** Where defaults/ and templates/ are read from (default: the installed package). */
  packageRoot?: string;
}

export interface InitResult {
  /** Workspace-relative paths, `/`-separated. */
  written: string[];
  skipped: string[];
}

export const DEFAULT_INSTALL = "npm install -g arxiv-digest";

/** Template files and where they go in the workspace. */
const TEMPLATE_TARGETS: [template: string, target: string][] = [
  ["gitignore", ".gitignore"],
  ["env.example", ".env.example"],
  ["workflows/daily.yml", ".github/workflows/daily.yml"],
  ["workflows/backfill.yml", ".github/workflows/backfill.yml"],
  ["workflows/keepalive.yml", ".github/workflows/keepalive.yml"],
];

export async function initWorkspace(dir: string, opts: InitOptions = {}): Promise<InitResult> {
  const root = opts.packageRoot ?? packageRoot;
  const install = opts.install ?? DEFAULT_INSTALL;
  const files: [target: string, content: Buffer | string][] = [];
  const defaults = join(root, "defaults");
  for (const file of await filesUnder(defaults)) {
    files.push([toPosix(relative(defaults, file)), await readFile(file)]);
  }
  for (const [template, target] of TEMPLATE_TARGETS) {
    const text = await readFile(join(root, "templates", template), "utf8");
    files.push([target, fillInstall(text, install)]);
  }

  await ensureDirectory(dir);
  const result: InitResult = { written: [], skipped: [] };
  for (const [target, content] of files) {
    const path = join(dir, ...target.split("/"));
    await mkdir(dirname(path), { recursive: true });
    try {
      // "wx" fails if the file exists, so a concurrent edit is never clobbered between check and write.
      await writeFile(path, content, { flag: opts.force === true ? "w" : "wx" });
      result.written.push(target);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      result.skipped.push(target);
    }
  }
  return result;
}

/**
 * Replaces each `{{install}}` with the install command, indenting every further line like the
 * placeholder so a multi-line command stays inside its YAML block scalar.
 */
export function fillInstall(template: string, install: string): string {
  return template.replace(/^([ \t]*)\{\{install\}\}[ \t]*$/gm, (_m, indent: string) =>
    install
      .trim()
      .split(/\r?\n/)
      .map((line) => `${indent}${line}`)
      .join("\n"),
  );
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT")
      throw new Error(`The arxiv-digest installation has no ${dir} folder; reinstall the package.`);
    throw err;
  });
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await filesUnder(path)));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}

async function ensureDirectory(dir: string): Promise<void> {
  const info = await stat(dir).catch(() => null);
  if (info === null) await mkdir(dir, { recursive: true });
  else if (!info.isDirectory())
    throw new Error(`${dir} exists and is not a folder; choose another place for the workspace.`);
}

function toPosix(path: string): string {
  return path.split(sep).join("/");
}
