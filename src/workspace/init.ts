/**
 * `arxiv-digest init`: scaffold a workspace from the package's defaults/ and templates/, never
 * overwriting a file the user already has unless asked to.
 */
import { readFileSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { makeFolder } from "../io/paths.js";
import { INSTALL_ROUTES, type InstallRoute } from "./install-routes.js";
import { packageRoot } from "./load.js";

/** Where the workflows install arxiv-digest from: its Git repository at a tag, or the npm registry. */
export { INSTALL_ROUTES, type InstallRoute };

export interface InitOptions {
  /** Overwrite files that already exist. */
  force?: boolean;
  /**
   * Write only the GitHub Actions workflows, overwriting them: how a workspace takes the workflows
   * of the version it runs (they change with it) without touching its config, prompts or authors.
   */
  workflowsOnly?: boolean;
  /** Where the workflows install arxiv-digest from (default "git"); `install` overrides it. */
  route?: InstallRoute;
  /** For the Git route: the repository to install from, instead of the package's own. */
  source?: string;
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

/** What the install commands need from the package's package.json. */
export interface PackageInfo {
  name: string;
  version: string;
  repository?: string | { url?: string };
}

/**
 * The install step of the generated workflows. The Git route (the default, and the one that works
 * before the package is on the registry) pins the package's repository at its version tag, on one
 * line to edit. It installs into a folder of its own rather than with `-g`: for a global install
 * from Git, npm runs the package's build without its devDependencies and fails (npm/cli#8440).
 */
export function installCommand(route: InstallRoute, pkg: PackageInfo, source: string = gitSpec(pkg)): string {
  if (route === "registry") return `npm install -g ${pkg.name}@${pkg.version}`;
  return [
    "# arxiv-digest from Git at a tag, branch or commit: change this line to update it.",
    `spec="${source}#v${pkg.version}"`,
    'npm install --prefix "$RUNNER_TEMP/arxiv-digest" --omit=dev --no-audit --no-fund "$spec"',
    'echo "$RUNNER_TEMP/arxiv-digest/node_modules/.bin" >> "$GITHUB_PATH"',
  ].join("\n");
}

/** `github:owner/repo` for a GitHub repository, else the repository's git URL. */
export function gitSpec(pkg: PackageInfo): string {
  const raw = (typeof pkg.repository === "string" ? pkg.repository : pkg.repository?.url) ?? "";
  const github =
    /^(?:github:)?([\w.-]+\/[\w.-]+?)(?:\.git)?$/.exec(raw) ??
    /^(?:git\+)?(?:https?|ssh|git):\/\/(?:git@)?github\.com[/:]([\w.-]+\/[\w.-]+?)(?:\.git)?\/?$/.exec(raw);
  if (github) return `github:${github[1]}`;
  if (raw) return raw.startsWith("git+") ? raw : `git+${raw}`;
  return `github:OWNER/${pkg.name}`;
}

export function readPackageInfo(root: string = packageRoot): PackageInfo {
  return JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as PackageInfo;
}

/** Where the generated workflows live in a workspace, and the daily one. */
const WORKFLOWS_DIR = ".github/workflows/";
export const DAILY_WORKFLOW = `${WORKFLOWS_DIR}daily.yml`;

/**
 * How the workspace's daily workflow installs arxiv-digest now (null when it has none or it is
 * not ours to tell): the route, and for Git the repository its spec line names (a fork, say). So
 * writing the workflows again keeps both, at the running version's tag.
 */
export async function currentInstall(dir: string): Promise<{ route: InstallRoute; source: string | null } | null> {
  let text: string;
  try {
    text = await readFile(join(dir, DAILY_WORKFLOW), "utf8");
  } catch {
    return null;
  }
  if (/^\s*npm install -g /m.test(text)) return { route: "registry", source: null };
  const spec = /^\s*spec="([^"#]+)(?:#[^"]*)?"\s*$/m.exec(text);
  return spec ? { route: "git", source: spec[1]! } : null;
}

/** Template files and where they go in the workspace. */
const TEMPLATE_TARGETS: [template: string, target: string][] = [
  ["gitignore", ".gitignore"],
  ["env.example", ".env.example"],
  ["workflows/daily.yml", DAILY_WORKFLOW],
  ["workflows/backfill.yml", `${WORKFLOWS_DIR}backfill.yml`],
  ["workflows/keepalive.yml", `${WORKFLOWS_DIR}keepalive.yml`],
];

export async function initWorkspace(dir: string, opts: InitOptions = {}): Promise<InitResult> {
  const root = opts.packageRoot ?? packageRoot;
  const files: [target: string, content: Buffer | string][] = [];
  const defaults = join(root, "defaults");
  if (opts.workflowsOnly !== true) {
    for (const file of await filesUnder(defaults)) {
      files.push([toPosix(relative(defaults, file)), await readFile(file)]);
    }
  }
  const pkg = readPackageInfo(root);
  const install = opts.install ?? installCommand(opts.route ?? "git", pkg, opts.source);
  for (const [template, target] of TEMPLATE_TARGETS) {
    if (opts.workflowsOnly === true && !target.startsWith(WORKFLOWS_DIR)) continue;
    const text = await readFile(join(root, "templates", template), "utf8");
    files.push([target, fillInstall(text, install)]);
  }
  const overwrite = opts.force === true || opts.workflowsOnly === true;

  await makeFolder(dir, dir, "choose another place for the workspace");
  const result: InitResult = { written: [], skipped: [] };
  for (const [target, content] of files) {
    const path = join(dir, ...target.split("/"));
    await mkdir(dirname(path), { recursive: true });
    try {
      // "wx" fails if the file exists, so a concurrent edit is never clobbered between check and write.
      await writeFile(path, content, { flag: overwrite ? "w" : "wx" });
      result.written.push(target);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      result.skipped.push(target);
    }
  }
  return result;
}

/**
 * What `init` says last: what to edit, where the secrets go (locally and on GitHub), how to turn
 * on GitHub Pages so the links in messages work, and the first check and run. `dir` is the new
 * workspace; `cwd` decides whether the commands need `--workspace`.
 */
export function nextSteps(dir: string, cwd: string = process.cwd()): string {
  const here = relative(cwd, dir) === "";
  const ws = here ? "" : ` --workspace ${dir}`;
  return [
    "",
    "Next steps:",
    `  1. Edit ${join(dir, "arxiv-digest.yaml")} (categories, topics) and authors.txt beside it.`,
    "  2. Secrets: copy .env.example to .env (git-ignored) and fill in OPENAI_API_KEY, and",
    "     SLACK_WEBHOOK_URL or SLACK_BOT_TOKEN, SMTP_PASSWORD if you deliver. On GitHub, add the",
    "     same names as repository secrets (Settings → Secrets and variables → Actions).",
    '  3. Pages: push the folder to a GitHub repository, set Settings → Pages → Source to "GitHub',
    '     Actions", and set site.baseUrl and site.basePath to the Pages address',
    "     (https://<user>.github.io/<repo>/ and /<repo>/), so the links in messages work.",
    `  4. First run: \`arxiv-digest doctor${ws}\` says what is missing,`,
    `     then \`arxiv-digest run${ws}\` makes the first digest.`,
    "     After that the daily workflow runs on every announcement day.",
    "",
  ].join("\n");
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

function toPosix(path: string): string {
  return path.split(sep).join("/");
}
