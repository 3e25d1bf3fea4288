/**
 * `arxiv-digest init`: scaffold a workspace from the package's defaults/ and templates/, never
 * overwriting a file the user already has unless asked to.
 */

import { readFileSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { dirname, isAbsolute, join, normalize, relative, sep } from "node:path";
import { ConfigError, parseConfig } from "../config/parse.js";
import type { Config } from "../config/schema.js";
import { commandLine, shellWord } from "../format/command.js";
import { writeFileAtomic } from "../io/json-file.js";
import { makeFolder, stateDirOf } from "../io/paths.js";
import { npxFinds, type SelfCommand, shownSelfCommand } from "../io/self-command.js";
import { removeDemoMarker, withoutDemoConfigHeader } from "./demo-marker.js";
import { INSTALL_ROUTES, type InstallRoute } from "./install-routes.js";
import {
  BACKFILL_WORKFLOW,
  DAILY_WORKFLOW,
  gitInstallSpec,
  type InstallOrigin,
  installCommand,
  isPlaceholder,
  type PackageInfo,
  specLines,
  WORKFLOWS_DIR,
} from "./install-source.js";
import { CONFIG_FILE, packageRoot } from "./load.js";
import { secretsEnvBlock } from "./workflow-secrets.js";

export {
  currentInstall,
  DAILY_WORKFLOW,
  gitInstallSpec,
  gitSpec,
  type InstallOrigin,
  installCommand,
  installOrigin,
  type PackageInfo,
} from "./install-source.js";
/** Where the workflows install arxiv-digest from: its Git repository at a commit or tag, or the npm registry. */
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
  /** For the Git route: the repository to install from (a fork the workflow already names), instead of the running copy's. */
  source?: string;
  /** For the Git route: where the running copy came from (`installOrigin`); null or absent: package.json's repository at the version's tag. */
  origin?: InstallOrigin | null;
  /** Shell command(s) the workflows run to install arxiv-digest (the `{{install}}` of the templates). */
  install?: string;
  /** Where defaults/ and templates/ are read from (default: the installed package). */
  packageRoot?: string;
}

export interface InitResult {
  /** Workspace-relative paths, `/`-separated. */
  written: string[];
  skipped: string[];
  /** The workflows' `spec=` lines that still name the placeholder owner (nothing told the repository). */
  placeholders: { file: string; line: number; spec: string }[];
  /** The folder was the demo's: its marker was removed, so `run` and `backfill` work there. */
  demoMarkerRemoved: boolean;
  /** The kept config began with the demo's comment, exactly as the demo wrote it, which was removed. */
  demoHeaderRemoved: boolean;
}

export function readPackageInfo(root: string = packageRoot): PackageInfo {
  return JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as PackageInfo;
}

/** Template files and where they go in the workspace. */
const TEMPLATE_TARGETS: [template: string, target: string][] = [
  ["gitignore", ".gitignore"],
  ["env.example", ".env.example"],
  ["workflows/daily.yml", DAILY_WORKFLOW],
  ["workflows/backfill.yml", BACKFILL_WORKFLOW],
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
  const install =
    opts.install ?? installCommand(opts.route ?? "git", pkg, gitInstallSpec(pkg, opts.origin, opts.source ?? null));
  // The secrets each run step is handed are the ones the workspace's config reads (its own when it
  // has one, else the defaults about to be written).
  const replaced = opts.force === true && opts.workflowsOnly !== true;
  const config = await configForWorkflows(dir, defaults, replaced, opts.workflowsOnly === true);
  const secrets = secretsEnvBlock(config);
  const site = workflowSitePaths(config.site.outDir);
  const pushArchive = withoutHeader(await readFile(join(root, "templates", PUSH_ARCHIVE), "utf8"));
  const placeholders: InitResult["placeholders"] = [];
  for (const [template, target] of TEMPLATE_TARGETS) {
    if (opts.workflowsOnly === true && !target.startsWith(WORKFLOWS_DIR)) continue;
    const text = fillPlaceholder(
      fillPlaceholder(
        fillPlaceholder(await readFile(join(root, "templates", template), "utf8"), "install", install),
        "secrets",
        secrets,
      ),
      "pushArchive",
      pushArchive,
    )
      .replaceAll("{{siteDir}}", site.dir)
      .replaceAll("{{siteState}}", site.state);
    for (const { line, spec } of specLines(text))
      if (isPlaceholder(spec)) placeholders.push({ file: target, line, spec });
    files.push([target, text]);
  }
  const overwrite = opts.force === true || opts.workflowsOnly === true;

  await makeFolder(dir, dir, "choose another place for the workspace");
  const result: InitResult = {
    written: [],
    skipped: [],
    placeholders,
    demoMarkerRemoved: false,
    demoHeaderRemoved: false,
  };
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
  // `init` over the demo's folder makes it the user's workspace: the comment the demo wrote above
  // its config (which says the file is the demo's) goes, then the demo's marker.
  if (opts.workflowsOnly !== true) {
    if (result.skipped.includes(CONFIG_FILE)) result.demoHeaderRemoved = await removeDemoHeader(join(dir, CONFIG_FILE));
    result.demoMarkerRemoved = await removeDemoMarker(dir);
  }
  return result;
}

/**
 * Removes the demo's comment from the top of the config at `path` when it is there exactly as the
 * demo wrote it (the rest of the file, and a comment the reader changed, stay as they are); true
 * when it was removed.
 */
async function removeDemoHeader(path: string): Promise<boolean> {
  const text = await readFile(path, "utf8");
  const rest = withoutDemoConfigHeader(text);
  if (rest === null) return false;
  await writeFileAtomic(path, rest);
  return true;
}

/**
 * How the closing text's commands call the program: `here` as it is called from the current
 * folder (`shownSelfCommand`, set by the CLI), and whether `npx arxiv-digest` typed in the new
 * workspace finds it (`npxFinds`, npm's rule), which decides whether the steps may `cd` into it.
 */
export interface NextStepsCalls {
  here?: SelfCommand;
  npxThere?: boolean;
}

/**
 * What `init` says last: what to edit, where the secrets go (locally and on GitHub), how to turn
 * on GitHub Pages (the workflows pass its address, so site.baseUrl stays at its default), and the
 * first check and run. `dir` is the new workspace; made somewhere other than `cwd`, the steps
 * start with the `cd` into it (the folder as typed from `cwd` when it is inside it, else whole),
 * and the commands after it are the plain ones README runs, with no `--workspace`, each as the
 * reader calls the program there: `npx arxiv-digest` where npx finds it in the workspace, else
 * the installed name. When npx would not find it there but is how the program is called here (a
 * clone, a project that has it, or npx itself), a `cd` would send that `npx` to the registry, so
 * the steps keep the current folder and the commands name the workspace with `--workspace`.
 * `placeholders` (from `initWorkspace`) puts the install line to edit first.
 */
export function nextSteps(
  dir: string,
  cwd: string = process.cwd(),
  placeholders: InitResult["placeholders"] = [],
  calls: NextStepsCalls = {},
): string {
  const rel = relative(cwd, dir);
  const inside = rel !== "" && !rel.startsWith("..") && !isAbsolute(rel);
  const typed = inside ? rel : dir;
  const here = calls.here ?? shownSelfCommand();
  const npxThere = rel !== "" && (calls.npxThere ?? npxFinds(dir));
  // From here, naming the workspace: npx works here but not in the workspace.
  const stay = rel !== "" && !npxThere && here === "npx arxiv-digest";
  const program: SelfCommand = rel === "" || stay ? here : npxThere ? "npx arxiv-digest" : "arxiv-digest";
  const workspace = stay ? typed : undefined;
  const edit = "Edit arxiv-digest.yaml (categories, topics) and authors.txt beside it.";
  return [
    "",
    "Next steps:",
    ...placeholderNote(placeholders).map((line) => `  ${line}`),
    ...(rel === ""
      ? [`  1. ${edit}`]
      : stay
        ? [
            `  1. The workspace is \`${shellWord(typed)}\`.`,
            `     ${edit}`,
            "     The commands below run from this folder, naming the workspace: from here npx finds this",
            "     arxiv-digest; typed in the workspace, it would look for one in the npm registry.",
          ]
        : [`  1. Go into the workspace: \`cd ${shellWord(typed)}\` (the commands below run there).`, `     ${edit}`]),
    "  2. Secrets: copy .env.example to .env (git-ignored) and fill in OPENAI_API_KEY, and",
    "     SLACK_WEBHOOK_URL or SLACK_BOT_TOKEN, SMTP_PASSWORD if you deliver. On GitHub, add the",
    "     names the workflows' env: blocks list as repository secrets (Settings → Secrets and",
    "     variables → Actions); after renaming a variable in the config, run `init --workflows`.",
    '  3. Pages: push the folder to a GitHub repository and set Settings → Pages → Source to "GitHub',
    '     Actions"; leave site.baseUrl and site.basePath at their defaults, as the workflows give the',
    "     site and the links in messages the Pages address (set site.baseUrl only for a custom domain).",
    `  4. First run: ${commandLine("doctor", workspace, program)} says what is missing,`,
    `     then ${commandLine("run", workspace, program)} makes the first digest.`,
    "     After that the daily workflow runs on every announcement day.",
    "",
  ].join("\n");
}

/**
 * The one sentence for a spec line that still names the placeholder owner (this copy was not
 * installed from a repository it can name), wrapped to the terminal's 100 columns.
 */
export function placeholderNote(placeholders: InitResult["placeholders"]): string[] {
  if (placeholders.length === 0) return [];
  const where = placeholders.map((p) => `${p.file} (line ${p.line})`).join(" and ");
  const repo = placeholders[0]!.spec.replace(/#.*$/, "").replace(/^github:/, "");
  const sentence = `0. Install line: nothing tells which repository this copy of arxiv-digest came from, so put yours (github:<user>/<repo>) in place of ${repo} on the spec= line of ${where}; as written, the workflows fail at "Install arxiv-digest".`;
  const lines: string[] = [];
  let line = "";
  for (const word of sentence.split(" ")) {
    if (line && line.length + 1 + word.length > 96) {
      lines.push(line);
      line = `   ${word}`;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}

/**
 * The site folder and its build state as the workflows name them (`{{siteDir}}`, `{{siteState}}`):
 * the config's `site.outDir`, relative and `/`-separated, which the config's own check keeps
 * inside the workspace; its state folder beside it.
 */
export function workflowSitePaths(outDir: string): { dir: string; state: string } {
  const dir = toPosix(normalize(outDir)).replace(/\/+$/, "");
  return { dir, state: toPosix(stateDirOf(dir)) };
}

/**
 * The one script both workflows push their archive commit with (`{{pushArchive}}`): rebased onto
 * what was pushed meanwhile, retried, and pushed to a branch of its own when it cannot go in.
 */
const PUSH_ARCHIVE = "push-archive.sh";

/** A shell fragment without the comment lines that open it (they describe the file, not the step). */
const withoutHeader = (text: string) => text.replace(/^(?:#.*\n)+/, "");

/** Replaces each `{{install}}` with the install command (see `fillPlaceholder`). */
export function fillInstall(template: string, install: string): string {
  return fillPlaceholder(template, "install", install);
}

/**
 * Replaces each `{{name}}` line with `text`, indenting every further line like the placeholder
 * so a multi-line command stays inside its YAML block scalar and env lines inside their map.
 */
export function fillPlaceholder(template: string, name: string, text: string): string {
  return template.replace(new RegExp(`^([ \\t]*)\\{\\{${name}\\}\\}[ \\t]*$`, "gm"), (_m, indent: string) =>
    text
      .trim()
      .split(/\r?\n/)
      .map((line) => `${indent}${line}`)
      .join("\n"),
  );
}

/**
 * The config the workflows are written for: the workspace's own (unless init is about to overwrite
 * it), else the default one. On a first `init` a config that does not parse yet gets the default
 * names (`doctor` says what is wrong with it); `init --workflows` stops on it (ConfigError, exit 2),
 * since it is run to write that config's names, as every other command stops on it.
 */
async function configForWorkflows(
  dir: string,
  defaults: string,
  replaced: boolean,
  workflowsOnly: boolean,
): Promise<Config> {
  const own = join(dir, CONFIG_FILE);
  if (!replaced) {
    const text = await readFile(own, "utf8").catch(() => null);
    if (text !== null) {
      try {
        return parseConfig(text, own);
      } catch (err) {
        if (workflowsOnly || !(err instanceof ConfigError)) throw err;
      }
    }
  }
  const path = join(defaults, CONFIG_FILE);
  return parseConfig(await readFile(path, "utf8"), path);
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
