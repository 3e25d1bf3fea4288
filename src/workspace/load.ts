/**
 * Loads a workspace: its `arxiv-digest.yaml` (read by config/parse), the prompt files,
 * `authors.txt` and `.env`, with the environment overrides every endpoint honours.
 */

import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseEnv } from "node:util";
import { applyEnvOverrides, ConfigError, parseConfig } from "../config/parse.js";
import type { Config } from "../config/schema.js";
import { WORKSPACE_ENTRIES } from "../io/paths.js";

/** The installed package's root (holds defaults/, demo/, templates/). */
export const packageRoot = fileURLToPath(new URL("../../", import.meta.url));
export const defaultsDir = join(packageRoot, "defaults");

export const CONFIG_FILE = WORKSPACE_ENTRIES.config;
export const PROMPT_FILES = { system: "system.md", criteria: "criteria.md", triage: "triage.md" } as const;
export type Prompts = Record<keyof typeof PROMPT_FILES, string>;

/** The folder has no `arxiv-digest.yaml`: a command that reads or writes a workspace stops here. */
export class NotAWorkspaceError extends ConfigError {
  override name = "NotAWorkspaceError";
  constructor(dir: string) {
    super(
      `not a workspace: run \`arxiv-digest init\` (no ${CONFIG_FILE} in ${dir}; create one there, or point --workspace at the folder that has it).`,
    );
  }
}

export interface LoadOptions {
  /**
   * Stop with NotAWorkspaceError when the folder has no `arxiv-digest.yaml`, instead of falling back
   * to the bundled example config. Every command that reads or writes a user's archive sets it; the
   * demo, which builds its own workspace, does not.
   */
  requireConfig?: boolean;
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
 * (the demo's starting point), unless `requireConfig` is set: then the folder is not a workspace.
 * A `.env` in the workspace is loaded into `env` without overriding variables that are already set.
 */
export function loadWorkspace(
  dir: string,
  baseEnv: Record<string, string | undefined> = process.env,
  opts: LoadOptions = {},
): Workspace {
  const root = resolve(dir);
  if (opts.requireConfig === true && !existsSync(join(root, CONFIG_FILE))) throw new NotAWorkspaceError(root);
  const env = { ...baseEnv };
  const dotenv = join(root, WORKSPACE_ENTRIES.env);
  if (existsSync(dotenv)) {
    for (const [k, v] of Object.entries(parseEnv(readFileSync(dotenv, "utf8")))) env[k] ??= v;
  }
  const own = join(root, CONFIG_FILE);
  const configPath = existsSync(own) ? own : join(defaultsDir, CONFIG_FILE);
  if (!existsSync(configPath)) throw new ConfigError(`No ${CONFIG_FILE} in ${root}; run \`arxiv-digest init\` there.`);
  const config = applyEnvOverrides(parseConfig(readFileSync(configPath, "utf8"), configPath), env);

  const prompts = {} as Prompts;
  const promptPaths = {} as Record<keyof Prompts, string>;
  for (const name of Object.keys(PROMPT_FILES) as (keyof Prompts)[]) {
    const p = readPrompt(root, name);
    prompts[name] = p.text;
    promptPaths[name] = p.path;
  }
  // The bundled example authors come with the bundled config only: a workspace with its own
  // config follows nobody until its authors.txt says so.
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
  };
}
