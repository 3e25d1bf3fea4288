/**
 * Loads a workspace: `arxiv-digest.yaml` (validated, errors name the key, line and fix), the prompt
 * files, `authors.txt`, `.env`, and the environment overrides every endpoint honours.
 */

import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseEnv } from "node:util";
import { isMap, isScalar, LineCounter, parseDocument } from "yaml";
import type { z } from "zod";
import { UserError } from "../model/errors.js";
import { type Config, ConfigSchema } from "./schema.js";
import { closest } from "./suggest.js";

/** The installed package's root (holds defaults/, demo/, templates/). */
export const packageRoot = fileURLToPath(new URL("../../", import.meta.url));
export const defaultsDir = join(packageRoot, "defaults");

export const CONFIG_FILE = "arxiv-digest.yaml";
export const PROMPT_FILES = { system: "system.md", criteria: "criteria.md", triage: "triage.md" } as const;
export type Prompts = Record<keyof typeof PROMPT_FILES, string>;

/** The config, a prompt file or the workspace itself is not usable as written. */
export class ConfigError extends UserError {
  override name = "ConfigError";
}

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

/** Parses and validates config text; every error names the file, the key path, its line and what to do. */
export function parseConfig(text: string, file: string): Config {
  const lineCounter = new LineCounter();
  const doc = guardYaml(file, () => parseDocument(text, { lineCounter, prettyErrors: false }));
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const pos = lineCounter.linePos(e.pos[0]);
    if (e.code === "RESOURCE_EXHAUSTION") throw new ConfigError(tooDeep(`${file}:${pos.line}`));
    throw new ConfigError(
      `${file}:${pos.line}:${pos.col}: the YAML does not parse (${e.code}): ${e.message.split("\n")[0]}. Check indentation and quoting there.`,
    );
  }
  const raw: unknown = guardYaml(file, () => doc.toJS({ maxAliasCount: 100 })) ?? {};
  const result = ConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  const lines = result.error.issues
    .flatMap((issue) =>
      issue.code === "unrecognized_keys"
        ? issue.keys.map((key) => describeUnknownKey([...issue.path.map(String), key], doc, lineCounter))
        : [describeIssue(issue, doc, lineCounter)],
    )
    .slice(0, 8);
  throw new ConfigError(
    `${file} is not a valid arxiv-digest config:\n${lines.join("\n")}\nSee docs/config.md for every key.`,
  );
}

const tooDeep = (where: string) =>
  `${where}: the YAML is nested too deeply to read; a config needs a few levels at most.`;

/**
 * Hostile YAML as a ConfigError naming the file: aliases expanding past `maxAliasCount` (a
 * "billion laughs", a ReferenceError from yaml) and nesting deep enough to exhaust the stack.
 */
function guardYaml<T>(file: string, read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof ReferenceError)
      throw new ConfigError(`${file}: the YAML expands aliases too often (${err.message}); write the values out.`);
    if (err instanceof RangeError) throw new ConfigError(tooDeep(file));
    throw err;
  }
}

function describeIssue(issue: z.core.$ZodIssue, doc: ReturnType<typeof parseDocument>, lc: LineCounter): string {
  const path = issue.path.map(String);
  const key = path.join(".") || "(top level)";
  // Point at the deepest node that exists, so a missing key points at its parent.
  let line: number | null = null;
  for (let n = path.length; n >= 0 && line === null; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    if (range) line = lc.linePos(range[0]).line;
  }
  return `  - ${key}${line ? ` (line ${line})` : ""}: ${issue.message}`;
}

/**
 * A key the schema does not know: its line, and the known key it most likely meant, looked for
 * first beside it, then anywhere in the config (`budgetUSD` at the top → `llm.budgetUsd`).
 */
function describeUnknownKey(path: string[], doc: ReturnType<typeof parseDocument>, lc: LineCounter): string {
  const key = path.at(-1)!;
  const parent = path.slice(0, -1);
  const map = parent.length === 0 ? doc.contents : doc.getIn(parent, true);
  const pair = isMap(map) ? map.items.find((item) => isScalar(item.key) && String(item.key.value) === key) : undefined;
  const range = isScalar(pair?.key) ? pair.key.range : undefined;
  const line = range ? ` (line ${lc.linePos(range[0]).line})` : "";

  const here = knownKeyPaths().filter((k) => matchesParent(k.slice(0, -1), parent));
  const nearby = closestKey(key, here);
  const anywhere = nearby ?? closestKey(key, knownKeyPaths());
  // Beside it, the parent's real path is shown; elsewhere `*` stands for any list item or name.
  const hint = nearby
    ? `did you mean ${[...parent, nearby.at(-1)].join(".")}?`
    : anywhere
      ? `did you mean ${anywhere.join(".")}?`
      : `the keys here are ${here.map((k) => k.at(-1)).join(", ") || "none (it takes a value, not keys)"}`;
  return `  - ${path.join(".")}${line}: unknown key; ${hint}`;
}

function closestKey(key: string, candidates: string[][]): string[] | null {
  const byName = new Map(candidates.map((k) => [k.at(-1)!.toLowerCase(), k]));
  const lower = key.toLowerCase();
  const maxEdits = Math.max(1, Math.floor(key.length / 3));
  return byName.get(lower) ?? closest(lower, [...byName.keys()], maxEdits, (name) => byName.get(name)!);
}

/** A schema path (`*` for an array item or a record entry) against a config path. */
function matchesParent(pattern: string[], actual: string[]): boolean {
  return pattern.length === actual.length && pattern.every((p, i) => p === "*" || p === actual[i]);
}

let keyPaths: string[][] | null = null;
/** Every key the config schema knows, as paths with `*` for array items and record entries. */
function knownKeyPaths(): string[][] {
  keyPaths ??= collectKeys(ConfigSchema, []);
  return keyPaths;
}

interface SchemaDef {
  type: string;
  shape?: Record<string, { _zod: { def: SchemaDef } }>;
  innerType?: { _zod: { def: SchemaDef } };
  element?: { _zod: { def: SchemaDef } };
  valueType?: { _zod: { def: SchemaDef } };
  in?: { _zod: { def: SchemaDef } };
}

function collectKeys(schema: { _zod: { def: unknown } }, at: string[]): string[][] {
  const def = schema._zod.def as SchemaDef;
  if (def.type === "object" && def.shape) {
    return Object.entries(def.shape).flatMap(([key, value]) => [[...at, key], ...collectKeys(value, [...at, key])]);
  }
  const inner = def.innerType ?? def.in;
  if (inner) return collectKeys(inner, at);
  if (def.type === "array" && def.element) return collectKeys(def.element, [...at, "*"]);
  if (def.type === "record" && def.valueType) return collectKeys(def.valueType, [...at, "*"]);
  return [];
}

/** Environment overrides that every endpoint honours (the endpoint contract in docs/config.md). */
export function applyEnvOverrides(config: Config, env: Record<string, string | undefined>): Config {
  const pick = (name: string) => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };
  return {
    ...config,
    arxiv: {
      ...config.arxiv,
      rssUrl: pick("ARXIV_RSS_URL") ?? config.arxiv.rssUrl,
      apiUrl: pick("ARXIV_API_URL") ?? config.arxiv.apiUrl,
      contact: pick("ARXIV_CONTACT") ?? config.arxiv.contact,
    },
    llm: {
      ...config.llm,
      baseUrl: pick("OPENAI_BASE_URL") ?? config.llm.baseUrl,
      model: pick("ARXIV_DIGEST_MODEL") ?? config.llm.model,
    },
  };
}

function readPrompt(dir: string, name: keyof Prompts): { text: string; path: string } {
  const own = join(dir, "prompts", PROMPT_FILES[name]);
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
  const dotenv = join(root, ".env");
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
  const ownAuthors = join(root, "authors.txt");
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
    archiveDir: join(root, "archive"),
    cacheDir: join(root, ".cache"),
    env,
  };
}
