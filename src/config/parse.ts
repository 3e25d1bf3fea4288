/**
 * Reads the config text (`arxiv-digest.yaml`): YAML parsed with guards against alias bombs and
 * deep nesting, validated by the schema, every error naming the file, the key, its line and the
 * likely fix; and the environment overrides every endpoint honours.
 */
import { fileURLToPath } from "node:url";
import { CST, isMap, isScalar, isSeq, LineCounter, type Node, type Pair, Parser, parseDocument } from "yaml";
import type * as z from "zod";
import { shownValue } from "../format/shown.js";
import { DEFAULT_SITE_BASE_URL, httpUrl, siteBaseUrlProblem } from "../format/url.js";
import { looksSecret } from "../io/redact.js";
import { UserError } from "../model/errors.js";
import { type Config, ConfigSchema } from "./schema.js";
import { closest, nearestChoice } from "./suggest.js";

/**
 * docs/config.md as installed: the package ships docs/, two folders up from both src/config/ and
 * dist/config/, so the path resolves for an installed copy as for a clone (a workspace has no docs/).
 */
export const CONFIG_DOCS = fileURLToPath(new URL("../../docs/config.md", import.meta.url));

/** The config, a prompt file or the workspace itself is not usable as written. */
export class ConfigError extends UserError {
  override name = "ConfigError";
}

/** Parses and validates config text; every error names the file, the key path, its line and what to do. */
export function parseConfig(text: string, file: string): Config {
  const lineCounter = new LineCounter();
  const doc = guardYaml(file, () => parseDocument(text, { lineCounter, prettyErrors: false }));
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const pos = lineCounter.linePos(e.pos[0]);
    if (e.code === "RESOURCE_EXHAUSTION") throw new ConfigError(tooDeep(`${file}:${pos.line}`));
    const tab = tabIndented(text, e.code === "TAB_AS_INDENT" ? pos.line : null, pos.line);
    if (tab !== null)
      throw new ConfigError(
        `${file}:${tab.line}: the YAML does not parse: line ${tab.line} is indented with a tab, which YAML does not allow; indent ${tab.key ?? "it"} with spaces, lined up with the keys around it.`,
      );
    const twice = e.code === "DUPLICATE_KEY" ? duplicateKey(doc.contents, e.pos[0], lineCounter) : null;
    if (twice !== null)
      throw new ConfigError(
        `${file}:${twice.second.line}: the YAML does not parse: ${twice.key} is set twice, ${
          mayHoldSecret(twice.key, [twice.first.value, twice.second.value])
            ? `on lines ${twice.first.line} and ${twice.second.line}`
            : `to ${shownValue(twice.first.value)} on line ${twice.first.line} and to ${shownValue(twice.second.value)} on line ${twice.second.line}`
        }; keep the one you mean and delete the other.`,
      );
    const colon = MAPPING_ERRORS.has(e.code) ? missingColon(text, pos.line) : null;
    if (colon !== null)
      throw new ConfigError(
        `${file}:${colon.line}: the YAML does not parse: a ':' is probably missing after ${colon.key} (write ${
          mayHoldSecret(colon.key, [colon.value]) ? `"${colon.key}: …"` : shownValue(`${colon.key}: ${colon.value}`)
        }).`,
      );
    const unclosed = unclosedBefore(text, e.pos[0], lineCounter);
    if (unclosed !== null) throw new ConfigError(`${file}:${unclosed}`);
    const indent = MAPPING_ERRORS.has(e.code) ? misindentedKey(text, pos.line) : null;
    if (indent !== null)
      throw new ConfigError(
        `${file}:${indent.line}:${indent.indent + 1}: the YAML does not parse: ${indent.key} is indented ${spaces(indent.indent)} where its neighbours have ${indent.expected}; line it up with them.`,
      );
    throw new ConfigError(
      `${file}:${pos.line}:${pos.col}: the YAML does not parse (${e.code}): ${e.message.split("\n")[0]}. Check indentation and quoting there.`,
    );
  }
  const raw: unknown = guardYaml(file, () => doc.toJS({ maxAliasCount: 100 })) ?? {};
  // Parsed once per process: zod's compiled fast path would cost more to build than it saves.
  const result = ConfigSchema.safeParse(raw, { jitless: true });
  if (result.success) return result.data;
  const lines = result.error.issues
    .flatMap((issue) =>
      issue.code === "unrecognized_keys"
        ? issue.keys.map((key) => describeUnknownKey([...issue.path.map(String), key], doc, lineCounter))
        : [describeIssue(issue, doc, lineCounter, text)],
    )
    .slice(0, 8);
  throw new ConfigError(
    `${file} is not a valid arxiv-digest config:\n${lines.join("\n")}\nSee ${CONFIG_DOCS} for every key.`,
  );
}

/**
 * Whether a message must not quote a key's values: a key that names an address or a variable
 * (`baseUrl`, `apiKeyEnv`: where a URL with a password or a pasted key lands), or a value shaped
 * like a credential anywhere in it (`looksSecret`). Such a message names the lines alone.
 */
function mayHoldSecret(key: string, values: readonly unknown[]): boolean {
  if (/(?:url|env)$/i.test(key)) return true;
  return values.some(
    (v) => v !== null && v !== undefined && looksSecret(typeof v === "string" ? v : JSON.stringify(v)),
  );
}

/**
 * The yaml library's errors for a line of a mapping that is a plain scalar (`minRelevance 7`): at
 * the line itself (MISSING_CHAR, MULTILINE_IMPLICIT_KEY) or, when it is a mapping's first line, at
 * the next key, whose column then differs from the scalar's (BAD_INDENT).
 */
const MAPPING_ERRORS = new Set(["BAD_INDENT", "MISSING_CHAR", "MULTILINE_IMPLICIT_KEY"]);

/** The column of a line's key (`key:`, `- key:`), or null when the line holds none. */
function keyColumn(line: string): number | null {
  const m = /^(\s*(?:-\s+)*)(?:[A-Za-z_][\w.-]*|"[^"]*"|'[^']*'):(?:\s|$)/.exec(line);
  return m ? m[1]!.length : null;
}

/** A line that is blank or only a comment: the YAML structure skips it. */
const isFiller = (line: string) => /^\s*(?:#.*)?$/.test(line);

/**
 * The line at or before `errorLine` (1-based) that reads as a key whose ':' is missing: a word, a
 * space and a value (`minRelevance 7`), among keys of the same mapping (a line above or below at
 * its column, in the same block, is `key:`); null when there is none, so the library's message stands.
 */
function missingColon(text: string, errorLine: number): { line: number; key: string; value: string } | null {
  const lines = text.split(/\r?\n/);
  for (let i = Math.min(errorLine, lines.length) - 1; i >= 0; i--) {
    const m = /^(\s*(?:-\s+)*)([A-Za-z_][\w.-]*)[ \t]+([^\s#:][^:#]*?)\s*(?:#.*)?$/.exec(lines[i]!);
    if (!m) continue;
    const column = m[1]!.length;
    if (hasSiblingKey(lines, i, column)) return { line: i + 1, key: m[2]!, value: m[3]! };
  }
  return null;
}

/** Whether the block around line `at` holds a `key:` at `column` (looked for until a line sits left of it). */
function hasSiblingKey(lines: readonly string[], at: number, column: number): boolean {
  for (const step of [-1, 1]) {
    for (let i = at + step; i >= 0 && i < lines.length; i += step) {
      const line = lines[i]!;
      if (isFiller(line)) continue;
      const key = keyColumn(line);
      if (key === column) return true;
      const indent = /^\s*/.exec(line)![0].length;
      if (indent < column && (key === null || key < column)) break;
    }
  }
  return false;
}

/**
 * A line indented with a tab, which YAML refuses as indentation: the line the library names
 * (TAB_AS_INDENT) or, for the other errors a tab leads to (a key read into the value above it, a
 * column miscounted), the first key line at most one below the error whose indentation holds one.
 * A tab inside a block of text is that text's own, so only a line that reads as a key counts.
 */
function tabIndented(
  text: string,
  named: number | null,
  errorLine: number,
): { line: number; text: string; key: string | null } | null {
  const lines = text.split(/\r?\n/);
  const keyOf = (line: string) =>
    /^[ \t]*(?:-[ \t]+)*("[^"]*"|'[^']*'|[^\s:#][^:#]*?):(?:\s|$)/.exec(line)?.[1] ?? null;
  const found = (i: number) => ({ line: i + 1, text: lines[i]!, key: keyOf(lines[i]!) });
  if (named !== null && /^[ ]*\t/.test(lines[named - 1] ?? "")) return found(named - 1);
  for (let i = 0; i < Math.min(errorLine + 1, lines.length); i++) {
    if (/^[ ]*\t/.test(lines[i]!) && !isFiller(lines[i]!) && keyOf(lines[i]!) !== null) return found(i);
  }
  return null;
}

/** A key and the line and value of one of its two settings. */
interface Setting {
  line: number;
  value: unknown;
}

/**
 * The key set twice whose second setting starts at `offset` (where the library reports
 * DUPLICATE_KEY): its path, and the line and value of each setting; null when it cannot be found.
 */
function duplicateKey(
  root: unknown,
  offset: number,
  lc: LineCounter,
): { key: string; first: Setting; second: Setting } | null {
  const setting = (pair: Pair): Setting => {
    const key = pair.key as Node;
    const value = pair.value as Node | null;
    return {
      line: lc.linePos(key.range?.[0] ?? 0).line,
      value: value === null ? null : isScalar(value) ? value.value : value.toJSON(),
    };
  };
  const walk = (node: unknown, path: string[]): { key: string; first: Setting; second: Setting } | null => {
    if (isMap(node)) {
      const seen = new Map<string, Pair>();
      for (const pair of node.items) {
        const name = isScalar(pair.key) ? String(pair.key.value) : null;
        if (name !== null) {
          const earlier = seen.get(name);
          if (earlier !== undefined && (pair.key as Node).range?.[0] === offset)
            return { key: [...path, name].join("."), first: setting(earlier), second: setting(pair) };
          if (earlier === undefined) seen.set(name, pair);
        }
        const inner = walk(pair.value, name === null ? path : [...path, name]);
        if (inner !== null) return inner;
      }
    } else if (isSeq(node)) {
      for (const [i, item] of node.items.entries()) {
        const inner = walk(item, [...path, String(i)]);
        if (inner !== null) return inner;
      }
    }
    return null;
  };
  return walk(root, []);
}

const spaces = (n: number) => `${n} ${n === 1 ? "space" : "spaces"}`;

/** The column of a line: its key's (`- key:` counts its dashes) or, without a key, its first character's. */
const columnOf = (line: string) => keyColumn(line) ?? /^\s*/.exec(line)![0].length;

/**
 * A key line indented unlike the keys of its mapping, from the first line at or after `errorLine`
 * (1-based) that is not blank or a comment (the yaml library reports BAD_INDENT at the comment above
 * the key, or at the line before): `expected` is the column of its neighbours. The columns open
 * above it (each line's, then each less indented one's, up to the top level) are the ones it could
 * line up with; the line below it (past its own children) picks one of the two nearest, and when
 * that line agrees with it, the odd one out is the first key of the mapping above it, alone at its
 * column. Null when the lines give no answer, so the library's message stands.
 */
function misindentedKey(
  text: string,
  errorLine: number,
): { line: number; key: string; indent: number; expected: number } | null {
  const lines = text.split(/\r?\n/);
  let at = errorLine - 1;
  while (at < lines.length && isFiller(lines[at]!)) at++;
  if (at >= lines.length) return null;
  const column = keyColumn(lines[at]!);
  if (column === null) return null;
  const key = (i: number) => /^[\s-]*("[^"]*"|'[^']*'|[^:\s]+)/.exec(lines[i]!)![1]!;
  const holdsValue = (i: number) => !/:\s*(?:#.*)?$/.test(lines[i]!);
  // The columns open above the line, deepest first, and the line each was last seen on.
  const open: { column: number; line: number }[] = [];
  for (let i = at - 1; i >= 0; i--) {
    if (isFiller(lines[i]!)) continue;
    const c = columnOf(lines[i]!);
    if (open.length === 0 || c < open.at(-1)!.column) open.push({ column: c, line: i });
    if (c === 0) break;
  }
  if (open.length === 0 || open.some((o) => o.column === column)) return null;
  const lower = open.find((o) => o.column < column);
  const upper = open.findLast((o) => o.column > column);
  // The next line that is not the key's own child.
  let below: number | null = null;
  for (let i = at + 1; i < lines.length; i++) {
    if (isFiller(lines[i]!)) continue;
    if (!holdsValue(at) && columnOf(lines[i]!) > column) continue;
    below = columnOf(lines[i]!);
    break;
  }
  const above = open[0]!;
  if (below === column && above.column > column && keyColumn(lines[above.line]!) !== null) {
    // The key agrees with the line below: the first key of the mapping above is the one out of line.
    let first = above.line;
    for (let i = above.line - 1; i >= 0; i--) {
      if (isFiller(lines[i]!)) continue;
      const c = columnOf(lines[i]!);
      if (c < column) break;
      if (c !== above.column) return null;
      first = i;
    }
    if (first !== above.line) return null;
    return { line: first + 1, key: key(first), indent: above.column, expected: column };
  }
  const found = (expected: number) => ({ line: at + 1, key: key(at), indent: column, expected });
  if (below !== null && (below === lower?.column || below === upper?.column)) return found(below);
  if (upper === undefined) {
    // Deeper than every line above: wrong unless the line above opens a mapping for it.
    return lower !== undefined && lower === above && holdsValue(above.line) ? found(lower.column) : null;
  }
  if (lower === undefined) return found(upper.column);
  return found(column - lower.column <= upper.column - column ? lower.column : upper.column);
}

/**
 * A `[`, `{` or quote opened before offset `at` and never closed, as "line:col: sentence" naming
 * where it was opened (the yaml library reports where it gave up, often a later key); null when
 * none is open there.
 */
function unclosedBefore(text: string, at: number, lc: LineCounter): string | null {
  let found: { offset: number; open: string; close: string; what: string } | null = null;
  const consider = (token: CST.Token | undefined) => {
    if (token === undefined) return;
    if (token.type === "flow-collection") {
      const close = token.start.source === "[" ? "]" : "}";
      if (token.offset < at && !token.end.some((t) => t.source === close) && (found?.offset ?? -1) < token.offset)
        found = { offset: token.offset, open: token.start.source, close, what: close === "]" ? "list" : "map" };
    } else if (token.type === "double-quoted-scalar" || token.type === "single-quoted-scalar") {
      const quote = token.source[0]!;
      const closed = token.source.length > 1 && token.source.endsWith(quote);
      if (token.offset < at && !closed && (found?.offset ?? -1) < token.offset)
        found = { offset: token.offset, open: quote, close: quote, what: "text" };
    }
  };
  for (const token of new Parser().parse(text)) {
    if (token.type !== "document") continue;
    CST.visit(token, (item) => {
      consider(item.key ?? undefined);
      consider(item.value);
    });
  }
  if (found === null) return null;
  const { offset, open, close, what } = found;
  const pos = lc.linePos(offset);
  return `${pos.line}:${pos.col}: the YAML does not parse: the ${open} opened at line ${pos.line}, column ${pos.col} is never closed; add a ${close} where the ${what} ends.`;
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

function describeIssue(
  issue: z.core.$ZodIssue,
  doc: ReturnType<typeof parseDocument>,
  lc: LineCounter,
  text: string,
): string {
  const path = issue.path.map(String);
  const key = path.join(".") || "(top level)";
  // A required key that is not there at all: the line would be some other key's, so none is named.
  if (path.length > 0 && !doc.hasIn(path)) {
    const parent = path.slice(0, -1).join(".");
    return `  - ${key}: missing, and it is required; add it${parent ? ` under ${parent}` : ""}`;
  }
  // Point at the deepest node that exists.
  let line: number | null = null;
  for (let n = path.length; n >= 0 && line === null; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    if (range) line = lc.linePos(range[0]).line;
  }
  const at: IssueAt = { path, name: path.at(-1) ?? "", value: doc.getIn(path), node: doc.getIn(path, true), text };
  const words = ISSUE_WORDS[issue.code] as ((issue: z.core.$ZodIssue, at: IssueAt) => string | null) | undefined;
  return `  - ${key}${line ? ` (line ${line})` : ""}: ${words?.(issue, at) ?? issue.message}`;
}

/** What a message about one issue knows of its value: the path, the key's own name, the value and its YAML node. */
interface IssueAt {
  path: string[];
  name: string;
  value: unknown;
  node: unknown;
  text: string;
}

type Issue<C extends z.core.$ZodIssue["code"]> = Extract<z.core.$ZodIssue, { code: C }>;

/**
 * The one home of the validator's issues in our words, by kind: each says what the value is and
 * what to write instead (null where it has nothing better, and the validator's message stands).
 * Every bound of a number key (`maxPapers: -5`) is said here, from the schema's own checks.
 */
const ISSUE_WORDS: { [C in z.core.$ZodIssue["code"]]?: (issue: Issue<C>, at: IssueAt) => string | null } = {
  invalid_type: (issue, at) => wrongType(at, issue.expected),
  invalid_value: (issue, at) => wrongChoice(issue.values, at.value),
  too_small: (issue, at) => outOfRange(at, issue.origin, "small", Number(issue.minimum)),
  too_big: (issue, at) => outOfRange(at, issue.origin, "large", Number(issue.maximum)),
};

/** Words that mean yes or no, in a value given and among a key's choices (`structuredOutput: true` means on). */
const YES_WORDS = ["on", "yes", "true", "enabled", "enable"];
const NO_WORDS = ["off", "no", "false", "none", "disabled", "disable"];

/**
 * The choice a yes or a no means (`true` → on, `false` → off or none), when the value says one
 * (a YAML boolean, or a word such as "yes") and the key has a choice of that meaning; else null.
 */
function choiceForBoolean(value: unknown, choices: readonly string[]): string | null {
  const word = typeof value === "string" ? value.trim().toLowerCase() : null;
  const yes = value === true || (word !== null && YES_WORDS.includes(word));
  const no = value === false || (word !== null && NO_WORDS.includes(word));
  if (!yes && !no) return null;
  const words = yes ? YES_WORDS : NO_WORDS;
  return choices.find((c) => words.includes(c.toLowerCase())) ?? null;
}

/**
 * A key that takes one of a few words given another (`provider: openia`): the value, the choices,
 * and the one it most likely meant: the choice a boolean means (`structuredOutput: true`, the
 * likeliest mistake, is `on`), else one close (case aside, or a few letters off); null when the
 * choices are not words, whose message stands.
 */
function wrongChoice(values: readonly unknown[], value: unknown): string | null {
  const choices = values.filter((v): v is string => typeof v === "string");
  if (choices.length === 0 || choices.length !== values.length) return null;
  const given = value === null || value === undefined ? "an empty value" : shownValue(value);
  const typed = typeof value === "string" || typeof value === "number" ? String(value) : null;
  const near = choiceForBoolean(value, choices) ?? (typed === null ? null : nearestChoice(typed, choices));
  const list = `${choices.slice(0, -1).join(", ")}${choices.length > 1 ? " or " : ""}${choices.at(-1)}`;
  return `${given} is not one of its choices; write ${list}${near ? ` (did you mean ${near}?)` : ""}`;
}

/**
 * A key given a value of the wrong kind: a number or yes/no key given words (`minRelevance:
 * seven`), with what it takes (its range, read from the schema's checks) and an example (its
 * default); a list given one piece of text (`categories: cs.LG, cs.AI`), shown as the list it
 * means; text YAML read as a number; and an empty value, told apart from a value YAML read as a
 * comment (`channel: #papers`). Null for the rest, whose message stands.
 */
function wrongType(at: IssueAt, expected: string): string | null {
  const { name, value } = at;
  const node = schemaAt(at.path);
  const example = exampleOf(name, node?.example);
  if (value === null) return emptyValue(at, expected, node, example);
  if (expected === "array") {
    const items = typeof value === "string" ? value.split(",").map((v) => v.trim()) : [value];
    const list = `[${items
      .filter((v) => v !== "")
      .map(flowItem)
      .join(", ")}]`;
    if (typeof value === "string")
      return `${shownValue(value)} is one piece of text, not a list; write it as a list, ${name}: ${list}`;
    return isScalarValue(value) ? `${shownValue(value)} is not a list; write it as one, ${name}: ${list}` : null;
  }
  if (expected === "string" && (typeof value === "number" || typeof value === "boolean")) {
    const source = isScalar(at.node) && typeof at.node.source === "string" ? at.node.source : String(value);
    return `YAML reads ${source} as ${typeof value === "number" ? "a number" : "a yes-or-no value"}, not text; quote it, ${name}: ${shownValue(source)}`;
  }
  if (expected === "object" && isScalarValue(value))
    return `${shownValue(value)} is a value, but ${name} holds keys; put them on the lines under it, indented`;
  if (node === null || (expected !== "number" && expected !== "int" && expected !== "boolean")) return null;
  const yesNo = expected === "boolean";
  const given =
    expected === "int" && typeof value === "number"
      ? `${value} is not a whole number`
      : typeof value === "string"
        ? `${shownValue(value)} is not ${yesNo ? "true or false" : "a number"}`
        : `it is not ${yesNo ? "true or false" : "a number"}`;
  const yesNoExample = yesNo && example === null && !/^\d+$/.test(name) ? `, e.g. ${name}: true` : "";
  return `${given}; write ${yesNo ? "true or false" : numberWanted(node.checks)}${example ?? yesNoExample}`;
}

/** Whether a value is one scalar (not a list or a map). */
const isScalarValue = (value: unknown) => value === null || typeof value !== "object";

/** An item of a list as YAML's `[…]` takes it: plain when it is a simple word, else quoted. */
const flowItem = (item: unknown) =>
  typeof item === "string" && /^[A-Za-z0-9][\w.+@/-]*$/.test(item) ? item : shownValue(item);

/** ", e.g. key: default" for a key with a default to show (a list as `[a, b]`); null for a list item or none. */
function exampleOf(name: string, example: unknown): string | null {
  if (/^\d+$/.test(name) || example === null || example === undefined || example === "") return null;
  if (Array.isArray(example))
    return example.length === 0 ? null : `, e.g. ${name}: [${example.map(flowItem).join(", ")}]`;
  return typeof example === "object" ? null : `, e.g. ${name}: ${String(example)}`;
}

/**
 * A key whose value is empty: YAML reads a value that starts with " #" as a comment and the key as
 * empty (`channel: #papers`), said with the value quoted (and, for a Slack channel, its ID); else
 * what the key takes.
 */
function emptyValue(at: IssueAt, expected: string, node: ReturnType<typeof schemaAt>, example: string | null): string {
  const { name } = at;
  const optional = node?.optional ?? false;
  const start = isScalar(at.node) ? at.node.range?.[0] : undefined;
  const rest = start === undefined ? "" : (at.text.slice(start).split(/\r?\n/, 1)[0] ?? "").trim();
  const listItem = /^\d+$/.test(name);
  const leave = optional ? ", or delete the line to leave it out" : "";
  if (/^#[^\s#]/.test(rest)) {
    const quoted = shownValue(rest);
    const also = COMMENTED_FIX[at.path.join(".")] ?? "";
    return `YAML reads ${quoted} as a comment, as it does everything from a " #" on, so ${listItem ? "the item" : name} is empty; quote it, ${listItem ? "-" : `${name}:`} ${quoted}${also}`;
  }
  if (expected === "object") return `${name} is empty; put its keys on the lines under it, indented${leave}`;
  if (expected === "array")
    return `${name} is empty; write a list in brackets${example ?? ` (${name}: [first, second])`} or one item a line under it after "- "${leave}`;
  const what =
    expected === "boolean"
      ? "true or false"
      : expected === "string"
        ? "its text"
        : (expected === "number" || expected === "int") && node !== null
          ? numberWanted(node.checks)
          : "its value";
  return `${listItem ? "the item" : name} is empty; write ${what} after the ${listItem ? "dash" : "colon"}${example ?? ""}${leave}`;
}

/** What else fixes a value YAML read as a comment, for the keys where there is another way. */
const COMMENTED_FIX: Record<string, string> = {
  "deliver.slack.channel": ", or give the channel's ID (C…) instead of its name",
};

/**
 * A value past a bound: a number out of its key's range (`maxPapers: -5`), said with the range in
 * words; a list with too few items; empty text.
 */
function outOfRange(at: IssueAt, origin: string, side: "small" | "large", bound: number): string | null {
  const node = schemaAt(at.path);
  const example = exampleOf(at.name, node?.example) ?? "";
  if (origin === "number" && node !== null)
    return `${shownValue(at.value)} is too ${side}; write ${numberWanted(node.checks)}${example}`;
  if (origin === "array" && side === "small")
    return `the list ${Array.isArray(at.value) && at.value.length > 0 ? `has ${at.value.length} items` : "is empty"}; give at least ${bound === 1 ? "one item" : `${bound} items`}${example}`;
  if (origin === "string" && side === "small" && at.value === "") return `${at.name} is empty; write its text`;
  return null;
}

interface NumberCheck {
  check?: string;
  value?: number;
  inclusive?: boolean;
  format?: string;
}

/** What a number schema's checks allow, in words: "a whole number of 1 or more", "a number from 0 to 10", "a number above 0 and at most 1". */
function numberWanted(checks: readonly NumberCheck[]): string {
  const whole = checks.some((c) => c.check === "number_format" && /int/.test(c.format ?? ""));
  const low = checks.find((c) => c.check === "greater_than");
  const high = checks.find((c) => c.check === "less_than");
  const kind = whole ? "a whole number" : "a number";
  if (low?.inclusive && high?.inclusive) return `${kind} from ${low.value} to ${high.value}`;
  // A whole number above n is one of n + 1 or more.
  const least = low === undefined ? undefined : low.inclusive ? low.value : whole ? low.value! + 1 : undefined;
  const lowText = low === undefined ? null : least !== undefined ? `of ${least} or more` : `above ${low.value}`;
  const highText = high === undefined ? null : high.inclusive ? `at most ${high.value}` : `below ${high.value}`;
  return [kind, [lowText, highText].filter((t) => t !== null).join(" and ")].join(" ").trim();
}

/**
 * The schema of a config path, with its checks, its default (an example) and whether it may be
 * left out, or null where the path leaves it.
 */
function schemaAt(path: readonly string[]): { checks: NumberCheck[]; example: unknown; optional: boolean } | null {
  let node: { _zod: { def: SchemaDef } } = ConfigSchema;
  let example: unknown = null;
  let optional = false;
  const unwrap = () => {
    for (let def = node._zod.def; def.innerType ?? def.in; def = node._zod.def) {
      if (def.defaultValue !== undefined && typeof def.defaultValue !== "function") example ??= def.defaultValue;
      if (def.type === "optional" || def.type === "default" || def.type === "prefault") optional = true;
      node = (def.innerType ?? def.in)!;
    }
  };
  for (const key of path) {
    unwrap();
    example = null;
    optional = false;
    const def = node._zod.def;
    const next =
      def.type === "object"
        ? def.shape?.[key]
        : def.type === "array"
          ? def.element
          : def.type === "record"
            ? def.valueType
            : undefined;
    if (next === undefined) return null;
    node = next;
  }
  unwrap();
  const def = node._zod.def as SchemaDef & { checks?: { _zod: { def: NumberCheck } }[] };
  return { checks: (def.checks ?? []).map((c) => c._zod.def), example, optional };
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
  // A tab the key was read with: YAML takes no tab as indentation, so the key is the rest.
  if (/^\s*\t|\t\s*$/.test(key)) {
    const meant = closestKey(key.trim(), here);
    return `  - ${[...parent, key.trim()].join(".")}${line}: ${shownValue(key)} is read with a tab in it, and YAML indents with spaces only; indent ${meant?.at(-1) ?? key.trim()} with spaces`;
  }
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
  defaultValue?: unknown;
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

/** An environment variable (or a `.env` line) the workspace cannot use as written; exit 2. */
export class EnvError extends ConfigError {
  override name = "EnvError";
}

/**
 * The site's public address when `site.baseUrl` is left at its default: the daily and backfill
 * workflows set it to the GitHub Pages address (`actions/configure-pages`' `base_url`), so a
 * workspace that never set the key still publishes, and delivers, links to where its site lives.
 */
export const SITE_URL_ENV = "ARXIV_DIGEST_SITE_URL";

/**
 * The environment variables read as URLs, each with the config key it overrides (or what it is
 * for) and an example; the Slack webhook is checked under the name the config gives it.
 */
const ENV_URLS: readonly { name: string; what: string; example: string }[] = [
  { name: "ARXIV_RSS_URL", what: "arxiv.rssUrl", example: "https://rss.arxiv.org/rss" },
  { name: "ARXIV_API_URL", what: "arxiv.apiUrl", example: "https://export.arxiv.org/api/query" },
  { name: "OPENAI_BASE_URL", what: "llm.baseUrl", example: "https://api.openai.com/v1" },
  { name: "SEMANTIC_SCHOLAR_API_URL", what: "Semantic Scholar's API", example: "https://api.semanticscholar.org" },
  { name: "GITHUB_API_URL", what: "GitHub's API", example: "https://api.github.com" },
  { name: SITE_URL_ENV, what: "site.baseUrl", example: "https://you.github.io/papers/" },
];

/**
 * Every URL the workspace reads from the environment must be an http(s) URL: a typo there would
 * otherwise surface mid-run as a day scored by nobody. `ARXIV_DIGEST_SITE_URL` must also be the
 * address alone, by the rule `site.baseUrl` follows (`siteBaseUrlProblem`, format/url.ts). The error names the variable and where it
 * was set (`source`), shows the value only through `redact` (a URL may carry a token), and never
 * shows a Slack webhook URL at all, which is itself the secret.
 */
export function checkEnvUrls(
  config: Config,
  env: Record<string, string | undefined>,
  opts: { source: (name: string) => string; redact: (text: string) => string },
): void {
  const checks = [...ENV_URLS];
  const slack = config.deliver.slack;
  // In bot mode (a token and a channel) the webhook variable is not read.
  if (slack && !(env[slack.botTokenEnv]?.trim() && slack.channel !== undefined)) {
    checks.push({ name: slack.webhookUrlEnv, what: "", example: "https://hooks.slack.com/services/…" });
  }
  for (const { name, what, example } of checks) {
    const value = env[name]?.trim();
    if (!value || httpUrl(value)) continue;
    const shown = what === "" ? "its value is not shown" : `it is ${shownValue(opts.redact(value))}`;
    const instead =
      what === "" ? "" : `, or unset it to use ${what.includes(".") ? `${what} from the config` : "the default"}`;
    throw new EnvError(
      `${name} (${opts.source(name)}) is not an http(s) URL (${shown}); set it to one such as ${example}${instead}.`,
    );
  }
  const site = env[SITE_URL_ENV]?.trim();
  const problem = site ? siteBaseUrlProblem(site) : null;
  if (problem !== null)
    throw new EnvError(
      `${SITE_URL_ENV} (${opts.source(SITE_URL_ENV)}): ${opts.redact(problem)}, or unset it to use site.baseUrl from the config.`,
    );
}

/**
 * Why a character cannot go into an HTTP header value, or null: anything outside printable ASCII
 * (fetch refuses it with "Cannot convert argument to a ByteString"), and whitespace inside a
 * secret, which no real key or token holds.
 */
function headerUnsafe(char: string): string | null {
  const code = char.codePointAt(0)!;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
  if (code === 0x2026) return `an ellipsis "…" (${hex}, as in an example's placeholder)`;
  if (code > 0x7e) return `a non-ASCII character (${hex})`;
  if (code === 0x20) return "a space";
  if (code === 0x09) return "a tab";
  if (code < 0x20 || code === 0x7f) return `a control character (${hex})`;
  return null;
}

/** The placeholder README and `init`'s `.env` template write for the LLM key. */
export const README_KEY_PLACEHOLDER = "<your key>";

/**
 * What kind of unmistakable placeholder a secret's value is, in words that do not quote it, or
 * null: a phrase in angle brackets (`<your key>`, README's own), a credential's prefix followed by
 * an ellipsis (`sk-...`, `sk-…`, `xoxb-…`, `ghp_...`, as examples shorten a key or a token), or a
 * phrase starting with "your" that names a key, a token, a secret or a password
 * (`your-api-key-here`, `YOUR_TOKEN`). The whole value must be such. Anything else is left alone:
 * `xxx` or `sk-xxx` is a common dummy for a local server that ignores the key, and a real key or a
 * proxy's own (`my-team-key-for-proxy`) may be any text. The one rule for every credential the
 * commands send off this machine (pipeline/sent-secrets.ts).
 */
export function placeholderKind(value: string): string | null {
  const v = value.trim();
  if (/^<[^<>]*>$/.test(v)) return "a phrase in angle brackets";
  if (/^sk-(?:proj-)?(?:\.{3,}|…)$/i.test(v)) return "`sk-` followed by an ellipsis, as examples shorten a key";
  if (/^(?:xox[abp]-|gh[pousr]_|github_pat_)(?:\.{3,}|…)$/i.test(v))
    return "a token's prefix followed by an ellipsis, as examples shorten a token";
  if (/^your[\s_-][\w\s-]*$/i.test(v) && /key|token|secret|password/i.test(v)) return "words asking for one";
  return null;
}

/** Whether a secret's value is an unmistakable placeholder (`placeholderKind`). */
export function isPlaceholder(value: string): boolean {
  return placeholderKind(value) !== null;
}

/**
 * The sentence for a secret left as a placeholder (`placeholderKind`), or null: it names the
 * variable, the config key that names it (`from`, when given), where it was set and its line in
 * `.env`, and the value only when it is README's own `<your key>` (our text, not the user's); any
 * other value is described by its shape, never shown. `want` says what belongs there ("the Slack
 * app's bot token"); without it, "the real key" (token, secret) by the variable's name.
 */
export function placeholderSentence(
  name: string,
  value: string,
  opts: { source: string; line?: number | null; from?: string; want?: string },
): string | null {
  const kind = placeholderKind(value);
  if (kind === null) return null;
  const what = /TOKEN/i.test(name)
    ? "token"
    : /KEY/i.test(name)
      ? "key"
      : /PASS(?:WORD)?|PWD/i.test(name)
        ? "password"
        : "secret";
  const where = `${name} (${opts.from === undefined ? "" : `${opts.from}, `}${opts.source}${opts.line == null ? "" : `, line ${opts.line}`})`;
  const looks =
    value.trim() === README_KEY_PLACEHOLDER
      ? `looks like the placeholder ${README_KEY_PLACEHOLDER}`
      : `looks like a placeholder (${kind}), not a ${what}`;
  return `${where} ${looks}; paste ${opts.want ?? `the real ${what}`} in its place, as issued.`;
}

/**
 * Every secret the workspace sends in an HTTP header (workspace/workflow-secrets.ts `headerSecrets`)
 * must be header-safe: a key pasted with a placeholder's "…" would otherwise fail each request with
 * an error that names neither the variable nor the character. The error names the variable, where
 * it was set, the character's position (1-based, in the value as set) and its kind, never the value.
 * A placeholder is not refused here, for every command: only a command about to send the key to an
 * endpoint that is not on this machine refuses one (pipeline/llm-key.ts `checkLlmKey`, `doctor`).
 * Spaces and line breaks around the value are left alone: every reader, or fetch, trims them.
 * `redact`, when given, is applied to every message (nothing of a value is in one, but the
 * message leaves the process through it all the same).
 */
export function checkEnvSecrets(
  names: readonly string[],
  env: Record<string, string | undefined>,
  opts: { source: (name: string) => string; redact?: (text: string) => string },
): void {
  const edge = (c: string) => !/^[ \t\r\n]$/.test(c);
  const redact = opts.redact ?? ((text: string) => text);
  for (const name of names) {
    const value = env[name];
    // A placeholder's spaces or ellipsis are named, as a placeholder, by the command that would send it.
    if (!value?.trim() || isPlaceholder(value)) continue;
    const chars = Array.from(value);
    const start = chars.findIndex(edge);
    const end = chars.findLastIndex(edge);
    for (let i = start; i <= end; i++) {
      const kind = headerUnsafe(chars[i]!);
      if (kind === null) continue;
      throw new EnvError(
        redact(
          `${name} (${opts.source(name)}) has ${kind} at position ${i + 1}, which an HTTP header cannot carry; set it to the secret exactly as issued (printable ASCII, no spaces).`,
        ),
      );
    }
  }
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
    site: { ...config.site, baseUrl: siteBaseUrl(config.site.baseUrl, pick(SITE_URL_ENV)) },
  };
}

/**
 * `site.baseUrl` as a run uses it: the config's when it sets one (a reader's setting wins), else
 * the address the environment gives (checked as an http(s) URL by `checkEnvUrls`), as a folder.
 */
function siteBaseUrl(configured: string, fromEnv: string | undefined): string {
  const url = fromEnv === undefined || configured !== DEFAULT_SITE_BASE_URL ? null : httpUrl(fromEnv);
  if (url === null) return configured;
  return url.endsWith("/") ? url : `${url}/`;
}
