/**
 * Loads a workspace: its `arxiv-digest.yaml` (read by config/parse), the prompt files,
 * `authors.txt` and `.env`, with the environment overrides every endpoint honours.
 */

import { type Dirent, existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseEnv } from "node:util";
import { applyEnvOverrides, ConfigError, checkEnvSecrets, checkEnvUrls, parseConfig } from "../config/parse.js";
import type { Config } from "../config/schema.js";
import { editDistance } from "../config/suggest.js";
import { commandLine, shellWord } from "../format/command.js";
import { PathError, pathKind, WORKSPACE_ENTRIES } from "../io/paths.js";
import { terminalSafe } from "../io/terminal.js";
import { configRedactor, headerSecrets } from "./workflow-secrets.js";

/** The installed package's root (holds defaults/, demo/, templates/). */
export const packageRoot = fileURLToPath(new URL("../../", import.meta.url));
export const defaultsDir = join(packageRoot, "defaults");

export const CONFIG_FILE = WORKSPACE_ENTRIES.config;
export const PROMPT_FILES = { system: "system.md", criteria: "criteria.md", triage: "triage.md" } as const;
export type Prompts = Record<keyof typeof PROMPT_FILES, string>;

/**
 * The folder has no `arxiv-digest.yaml`: a command that reads or writes a workspace stops here. A
 * folder that does not exist at all is most likely a typo of `-w`: that is said instead, with the
 * existing folder beside it whose name is closest, rather than advice to make a workspace there.
 */
export class NotAWorkspaceError extends ConfigError {
  override name = "NotAWorkspaceError";
  constructor(dir: string) {
    if (pathKind(dir) !== "missing") {
      super(
        `not a workspace: run ${commandLine("init")} (no ${CONFIG_FILE} in ${dir}; create one there, or point --workspace at the folder that has it).`,
      );
      return;
    }
    const near = closeSibling(dir);
    super(
      near === null
        ? `no folder ${dir}: point --workspace at the folder that holds ${CONFIG_FILE}, or make a new workspace there with ${commandLine(`init ${shellWord(dir)}`)}.`
        : `no folder ${dir}: did you mean --workspace ${near}?`,
    );
  }
}

/** The folder beside `dir` whose name is nearest to its name (a typo's few edits), preferring a workspace; null when none is close. */
function closeSibling(dir: string): string | null {
  const parent = dirname(dir);
  const name = basename(dir).toLowerCase();
  let entries: Dirent[];
  try {
    entries = readdirSync(parent, { withFileTypes: true });
  } catch {
    return null;
  }
  const maxEdits = Math.max(1, Math.min(3, Math.floor(name.length / 3)));
  const near = entries
    .filter((e) => e.isDirectory() && !e.name.startsWith("."))
    .map((e) => ({ path: join(parent, e.name), d: editDistance(name, e.name.toLowerCase()) }))
    .filter((e) => e.d <= maxEdits)
    .map((e) => ({ ...e, workspace: existsSync(join(e.path, CONFIG_FILE)) ? 0 : 1 }))
    .sort((a, b) => a.workspace - b.workspace || a.d - b.d || a.path.localeCompare(b.path));
  return near[0]?.path ?? null;
}

export interface LoadOptions {
  /**
   * Stop with NotAWorkspaceError when the folder has no `arxiv-digest.yaml`, instead of falling back
   * to the bundled default config. Every command that reads or writes a workspace's archive sets it
   * (the demo too, once it has written its folder's config); only the commands that merely read a
   * folder (`serve`, `render` over an archive copied without its config) do not.
   */
  requireConfig?: boolean;
  /** Where a malformed `.env` line is reported (default: a `warning:` line on stderr). */
  warn?: (message: string) => void;
}

export interface Workspace {
  dir: string;
  /** Where the config came from: the workspace file, or the bundled default. */
  configPath: string;
  config: Config;
  prompts: Prompts;
  promptPaths: Record<keyof Prompts, string>;
  /** Raw authors.txt text and its path ("" when the workspace has none). */
  authorsText: string;
  authorsPath: string;
  archiveDir: string;
  cacheDir: string;
  env: Record<string, string | undefined>;
  /** The names in `env` that came from the workspace's `.env` (not the environment); none when absent. */
  dotenvNames?: ReadonlySet<string>;
  /** The line of the workspace's `.env` that set a variable (null when it came from elsewhere), for a message about its value. */
  dotenvLine?: (name: string) => number | null;
  /**
   * The folder as the command line named it (`--workspace`), when not the current folder: the
   * command lines messages suggest carry it (`commandLine`, format/command.ts).
   */
  named?: string;
}

const defaultWarn = (message: string): void => {
  process.stderr.write(terminalSafe(`warning: ${message}\n`));
};

/**
 * The 1-based numbers of `.env` lines that are neither blank, a comment, nor `NAME=value` (with an
 * optional `export `): Node's parser skips them without a word, so `OPENAI_API_KEY sk-…` would
 * leave the key unset. Lines inside a quoted multi-line value are not judged.
 */
export function malformedEnvLines(text: string): number[] {
  const bad: number[] = [];
  let openQuote: string | null = null;
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (openQuote !== null) {
      if (line.includes(openQuote)) openQuote = null;
      return;
    }
    if (line === "" || line.startsWith("#")) return;
    const m = /^(?:export\s+)?[A-Za-z_][A-Za-z0-9_.-]*\s*=\s*(.*)$/.exec(line);
    if (!m) {
      bad.push(i + 1);
      return;
    }
    const value = m[1]!;
    const quote = value[0];
    if ((quote === '"' || quote === "'" || quote === "`") && !value.slice(1).includes(quote)) openQuote = quote;
  });
  return bad;
}

function readPrompt(dir: string, name: keyof Prompts): { text: string; path: string } {
  const own = join(dir, WORKSPACE_ENTRIES.prompts, PROMPT_FILES[name]);
  const path = existsSync(own) ? own : join(defaultsDir, "prompts", PROMPT_FILES[name]);
  if (!existsSync(path)) throw new ConfigError(`Prompt file ${own} is missing and no default ships with the package.`);
  const text = readFileSync(path, "utf8").trim();
  if (!text)
    throw new ConfigError(`Prompt file ${path} is empty; write the prompt or delete the file to use the default.`);
  return { text, path };
}

/**
 * Loads the workspace in `dir`. Without an `arxiv-digest.yaml` the bundled default config is used
 * (for a folder only read: a built site, an archive without its config), unless `requireConfig` is
 * set: then the folder is not a workspace.
 * A `.env` in the workspace is loaded into `env` without overriding variables that are already set.
 */
export function loadWorkspace(
  dir: string,
  baseEnv: Record<string, string | undefined> = process.env,
  opts: LoadOptions = {},
): Workspace {
  const root = resolve(dir);
  // `-w ~/papers/arxiv-digest.yaml`: the folder is meant, and the message names it.
  if (pathKind(root) === "file")
    throw new PathError(
      basename(root) === CONFIG_FILE
        ? `--workspace takes the folder, not the file: give -w ${dirname(root)} (the folder that holds ${CONFIG_FILE}).`
        : `--workspace ${root} is a file, not a folder; point it at the folder that holds ${CONFIG_FILE}.`,
    );
  if (opts.requireConfig === true && !existsSync(join(root, CONFIG_FILE))) throw new NotAWorkspaceError(root);
  const env = { ...baseEnv };
  const dotenv = join(root, WORKSPACE_ENTRIES.env);
  const fromDotenv = new Set<string>();
  let dotenvText = "";
  if (existsSync(dotenv)) {
    const text = readFileSync(dotenv, "utf8");
    dotenvText = text;
    const bad = malformedEnvLines(text);
    for (const line of bad) {
      (opts.warn ?? defaultWarn)(
        `${dotenv}:${line}: not a NAME=value line, so it was ignored; write it as NAME=value (or start it with # to keep it as a comment).`,
      );
    }
    // Node's parser would read a line without "=" as the start of the next line's name, losing that too.
    const skipped = new Set(bad);
    const usable = text
      .split(/\r?\n/)
      .map((line, i) => (skipped.has(i + 1) ? "" : line))
      .join("\n");
    for (const [k, v] of Object.entries(parseEnv(usable))) {
      if (env[k] !== undefined) continue;
      env[k] = v;
      fromDotenv.add(k);
    }
  }
  const own = join(root, CONFIG_FILE);
  const configPath = existsSync(own) ? own : join(defaultsDir, CONFIG_FILE);
  if (!existsSync(configPath)) throw new ConfigError(`No ${CONFIG_FILE} in ${root}; run ${commandLine("init")} there.`);
  const parsed = parseConfig(readFileSync(configPath, "utf8"), configPath);
  const source = (name: string) => (fromDotenv.has(name) ? `set in ${dotenv}` : "set in the environment");
  // The line of .env that set a variable (the last one, as the parser keeps it), for a message about its value.
  const dotenvLine = (name: string) => {
    if (!fromDotenv.has(name)) return null;
    const at = dotenvText
      .split(/\r?\n/)
      .findLastIndex((line) => new RegExp(`^\\s*(?:export\\s+)?${name}\\s*=`).test(line));
    return at < 0 ? null : at + 1;
  };
  // Every message built from the environment goes through the workspace's redactor: values read
  // from .env are not in process.env, where the CLI's last-resort redaction looks.
  const redact = configRedactor(parsed, env);
  checkEnvUrls(parsed, env, { source, redact });
  // Every secret sent in an HTTP header, checked here once for every command that loads the workspace.
  checkEnvSecrets(
    headerSecrets(parsed).map((s) => s.name),
    env,
    { source, redact },
  );
  const config = applyEnvOverrides(parsed, env);

  const prompts = {} as Prompts;
  const promptPaths = {} as Record<keyof Prompts, string>;
  for (const name of Object.keys(PROMPT_FILES) as (keyof Prompts)[]) {
    const p = readPrompt(root, name);
    prompts[name] = p.text;
    promptPaths[name] = p.path;
  }
  // The bundled authors.txt (examples in comments: nobody followed) comes with the bundled config
  // only: a workspace with its own config follows whom its own authors.txt lists.
  const ownAuthors = join(root, WORKSPACE_ENTRIES.authors);
  const authorsPath = existsSync(ownAuthors) || configPath === own ? ownAuthors : join(defaultsDir, "authors.txt");
  const authorsText = existsSync(authorsPath) ? readFileSync(authorsPath, "utf8") : "";

  return {
    dir: root,
    configPath,
    config,
    prompts,
    promptPaths,
    authorsText,
    authorsPath,
    archiveDir: join(root, WORKSPACE_ENTRIES.archive),
    cacheDir: join(root, WORKSPACE_ENTRIES.cache),
    env,
    dotenvNames: fromDotenv,
    dotenvLine,
  };
}
