import { describe, expect, it, onTestFinished } from "vitest";
import * as z from "zod";
import { checkEnvSecrets, isPlaceholder, parseConfig, placeholderSentence } from "../../src/config/parse.js";
import { ConfigSchema } from "../../src/config/schema.js";
import { UserError } from "../../src/model/errors.js";
import { loadWorkspace } from "../../src/workspace/load.js";
import { tempWorkspace } from "../helpers/workspace.js";

const minimal = `topics:
  - id: architecture
    title: Model architecture
    description: Mixture-of-experts and other conditional computation.
`;

/** The message parseConfig throws for `text` (as file c.yaml), or "" when it parses. */
function errorOf(text: string): string {
  try {
    parseConfig(text, "c.yaml");
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return (e as Error).message;
  }
  return "";
}

/** The validator's own wording, which no message here may show. */
const VALIDATOR_WORDS =
  /Invalid input|expected \w+, received|Too small|Too big|expected number to be|Map keys must be unique/;

describe("a value YAML reads as a comment", () => {
  it("says a Slack channel written #papers was read as a comment: quote it, or give the channel's ID", () => {
    const msg = errorOf(`${minimal}deliver:\n  slack:\n    channel: #papers\n`);
    expect(msg).toContain(
      '  - deliver.slack.channel (line 7): YAML reads "#papers" as a comment, as it does everything from a " #" on, so channel is empty; quote it, channel: "#papers", or give the channel\'s ID (C…) instead of its name\n',
    );
    expect(msg).toMatch(/^c\.yaml is not a valid arxiv-digest config:/);
    expect(msg).not.toMatch(VALIDATOR_WORDS);
  });

  it("says so for any key and list item, and tells an empty value with a real comment apart", () => {
    expect(
      errorOf(`${minimal}deliver:\n  email:\n    host: #smtp\n    from: a@example.org\n    to: [b@example.org]\n`),
    ).toContain(
      '  - deliver.email.host (line 7): YAML reads "#smtp" as a comment, as it does everything from a " #" on, so host is empty; quote it, host: "#smtp"\n',
    );
    expect(
      errorOf(
        `${minimal}deliver:\n  email:\n    host: smtp.example.org\n    from: a@example.org\n    to:\n      - #me\n`,
      ),
    ).toContain('  - deliver.email.to.0 (line 10): YAML reads "#me" as a comment');
    // "# note" is a comment meant as one: the key is just empty.
    const empty = errorOf(`${minimal}deliver:\n  slack:\n    channel: # to do\n`);
    expect(empty).toContain(
      "  - deliver.slack.channel (line 7): channel is empty; write its text after the colon, or delete the line to leave it out\n",
    );
    expect(empty).not.toMatch(VALIDATOR_WORDS);
    const sections = errorOf(`${minimal}arxiv:\nselection:\n  maxPapers:\n`);
    expect(sections).toContain(
      "  - arxiv (line 5): arxiv is empty; put its keys on the lines under it, indented, or delete the line to leave it out\n",
    );
    expect(sections).toContain(
      "  - selection.maxPapers (line 7): maxPapers is empty; write a whole number of 0 or more after the colon, e.g. maxPapers: 0, or delete the line to leave it out\n",
    );
  });
});

describe("one piece of text where a list is meant", () => {
  it("shows the user's own value written as a list, for categories and email.to", () => {
    const categories = errorOf(`${minimal}arxiv:\n  categories: cs.LG, cs.AI\n`);
    expect(categories).toContain(
      '  - arxiv.categories (line 6): "cs.LG, cs.AI" is one piece of text, not a list; write it as a list, categories: [cs.LG, cs.AI]\n',
    );
    expect(categories).not.toMatch(VALIDATOR_WORDS);
    const to = errorOf(
      `${minimal}deliver:\n  email:\n    host: smtp.example.org\n    from: a@example.org\n    to: me@example.org\n`,
    );
    expect(to).toContain(
      '  - deliver.email.to (line 9): "me@example.org" is one piece of text, not a list; write it as a list, to: [me@example.org]\n',
    );
    // An item YAML's brackets would misread is quoted in the suggestion.
    expect(
      errorOf(
        `${minimal}deliver:\n  email:\n    host: smtp.example.org\n    from: a@example.org\n    to: "Jane Doe <j@example.org>"\n`,
      ),
    ).toContain('write it as a list, to: ["Jane Doe <j@example.org>"]');
    // The suggestion is a list the config takes.
    expect(parseConfig(`${minimal}arxiv:\n  categories: [cs.LG, cs.AI]\n`, "c.yaml").arxiv.categories).toEqual([
      "cs.LG",
      "cs.AI",
    ]);
  });

  it("answers an empty list and a number where a list is meant alike", () => {
    expect(errorOf(`${minimal}arxiv:\n  categories: []\n`)).toContain(
      "  - arxiv.categories (line 6): the list is empty; give at least one item, e.g. categories: [cs.LG, cs.AI, cs.CL]\n",
    );
    expect(errorOf(`${minimal}arxiv:\n  categories: 5\n`)).toContain(
      "  - arxiv.categories (line 6): 5 is not a list; write it as one, categories: [5]\n",
    );
  });

  it("says a number or a yes/no read where text is meant is to be quoted", () => {
    const msg = errorOf(`${minimal}site:\n  title: 2024\n  basePath: true\n`);
    expect(msg).toContain('  - site.title (line 6): YAML reads 2024 as a number, not text; quote it, title: "2024"\n');
    expect(msg).toContain(
      '  - site.basePath (line 7): YAML reads true as a yes-or-no value, not text; quote it, basePath: "true"\n',
    );
  });
});

/** Every number key of the config with a bound, as a path (`x` for a name, `0` for a list item) and its bounds. */
function boundedNumberKeys(): {
  path: string[];
  integer: boolean;
  low?: number;
  lowIncluded: boolean;
  high?: number;
}[] {
  const found: ReturnType<typeof boundedNumberKeys> = [];
  type Json = {
    type?: string;
    minimum?: number;
    exclusiveMinimum?: number;
    maximum?: number;
    properties?: Record<string, Json>;
    items?: Json;
    additionalProperties?: Json | boolean;
    anyOf?: Json[];
  };
  const walk = (s: Json, path: string[]) => {
    if (s.type === "number" || s.type === "integer") {
      const high = s.maximum !== undefined && s.maximum < Number.MAX_SAFE_INTEGER ? s.maximum : undefined;
      const low = s.minimum ?? s.exclusiveMinimum;
      if (low !== undefined || high !== undefined)
        found.push({ path, integer: s.type === "integer", low, lowIncluded: s.minimum !== undefined, high });
    }
    for (const [k, v] of Object.entries(s.properties ?? {})) walk(v, [...path, k]);
    if (s.items) walk(s.items, [...path, "0"]);
    if (typeof s.additionalProperties === "object") walk(s.additionalProperties, [...path, "x"]);
    for (const a of s.anyOf ?? []) walk(a, path);
  };
  walk(z.toJSONSchema(ConfigSchema, { unrepresentable: "any", io: "input" }) as Json, []);
  return found;
}

/** YAML setting `path` to `value` under the minimal config, and the line it is on. */
function yamlAt(path: string[], value: number): { text: string; line: number } {
  const lines = path.map((key, depth) => `${"  ".repeat(depth)}${key}:${depth === path.length - 1 ? ` ${value}` : ""}`);
  return { text: `${minimal}${lines.join("\n")}\n`, line: minimal.split("\n").length - 1 + path.length };
}

describe("a number out of its key's range", () => {
  it("says maxPapers: -5 in our words, naming the key and its range", () => {
    const msg = errorOf(`${minimal}selection:\n  maxPapers: -5\n`);
    expect(msg).toContain(
      "  - selection.maxPapers (line 6): -5 is too small; write a whole number of 0 or more, e.g. maxPapers: 0\n",
    );
    expect(msg).not.toMatch(VALIDATOR_WORDS);
    expect(errorOf(`${minimal}selection:\n  prefilter:\n    historyDays: 1.5\n`)).toContain(
      "  - selection.prefilter.historyDays (line 7): 1.5 is not a whole number; write a whole number from 0 to 3650, e.g. historyDays: 90\n",
    );
    expect(errorOf(`${minimal}llm:\n  concurrency: 0\n`)).toContain(
      "  - llm.concurrency (line 6): 0 is too small; write a whole number from 1 to 64, e.g. concurrency: 8\n",
    );
  });

  const keys = boundedNumberKeys();
  it("finds the bounded number keys of the schema", () => {
    expect(keys.length).toBeGreaterThan(25);
    expect(keys.map((k) => k.path.join("."))).toContain("selection.maxPapers");
  });

  it("answers every bound of every number key in the schema the same way", () => {
    for (const key of keys) {
      const name = key.path.join(".");
      // A named entry (`x`) of a record is shown under its own name in the key path.
      const values: [number, "small" | "large"][] = [];
      if (key.low !== undefined) values.push([key.lowIncluded ? key.low - 1 : key.low, "small"]);
      if (key.high !== undefined) values.push([key.high + 1, "large"]);
      for (const [value, side] of values) {
        const { text, line } = yamlAt(key.path, value);
        const msg = errorOf(text);
        expect(msg, name).toMatch(
          new RegExp(
            `\\n {2}- ${name.replace(/\./g, "\\.")} \\(line ${line}\\): ${String(value).replace(/[.-]/g, "\\$&")} is too ${side}; write a ${key.integer ? "whole number" : "number"} (?:of|from|above|at most) [^\\n]*\\n`,
          ),
        );
        expect(msg, name).not.toMatch(VALIDATOR_WORDS);
      }
      if (key.integer) {
        const { text } = yamlAt(key.path, (key.low ?? 0) + 1.5);
        expect(errorOf(text), name).toMatch(/ is not a whole number; write a whole number /);
      }
    }
  });
});

describe("YAML's own mistakes", () => {
  it("names a key set twice, with both lines and both values", () => {
    const msg = errorOf(`${minimal}selection:\n  maxPapers: 5\n  minRelevance: 7\n  maxPapers: 6\n`);
    expect(msg).toBe(
      "c.yaml:8: the YAML does not parse: selection.maxPapers is set twice, to 5 on line 6 and to 6 on line 8; keep the one you mean and delete the other.",
    );
    // In a list item, and a whole section set twice.
    expect(errorOf(`topics:\n  - id: a\n    title: A\n    id: b\n    description: x\n`)).toBe(
      'c.yaml:4: the YAML does not parse: topics.0.id is set twice, to "a" on line 2 and to "b" on line 4; keep the one you mean and delete the other.',
    );
    expect(errorOf(`${minimal}llm:\n  model: a\nllm:\n  model: b\n`)).toBe(
      'c.yaml:7: the YAML does not parse: llm is set twice, to {"model":"a"} on line 5 and to {"model":"b"} on line 7; keep the one you mean and delete the other.',
    );
  });

  it("says a tab cannot indent YAML, at its line, naming its key, and to use spaces", () => {
    const said = (lines: string) => errorOf(`${minimal}arxiv:\n  contact: me@example.org\n${lines}`);
    const tab = (line: number, key: string) =>
      `c.yaml:${line}: the YAML does not parse: line ${line} is indented with a tab, which YAML does not allow; indent ${key} with spaces, lined up with the keys around it.`;
    expect(said("\tminIntervalSeconds: 3\n")).toBe(tab(7, "minIntervalSeconds"));
    expect(said("  \tminIntervalSeconds: 3\n")).toBe(tab(7, "minIntervalSeconds"));
    // A tab after more spaces than the neighbours have: the library reads the line into the value above.
    expect(said("   \tminIntervalSeconds: 3\n")).toBe(tab(7, "minIntervalSeconds"));
    // After a block of text, where the library would count the tab as one space.
    expect(errorOf(`${minimal}arxiv:\n  contact: |\n    me\n\tminIntervalSeconds: 3\n`)).toBe(
      tab(8, "minIntervalSeconds"),
    );
    // A key that holds a tab (quoted, so YAML keeps it) is named as such, not as an unknown key.
    const quoted = errorOf(`${minimal}arxiv:\n  "\\tminIntervalSeconds": 3\n`);
    expect(quoted).toContain(
      '  - arxiv.minIntervalSeconds (line 6): "\\tminIntervalSeconds" is read with a tab in it, and YAML indents with spaces only; indent minIntervalSeconds with spaces\n',
    );
    expect(quoted).not.toContain("unknown key");
    // A tab inside a block of text is that text's own.
    expect(errorOf(`${minimal.replace("description: Mixture", "description: |\n      \tMixture")}`)).toBe("");
  });
});

describe("a credential in a YAML mistake", () => {
  const password = "Zq8vN3pLw0rT6yHs2KcX9mB4fJ7dGa1e";
  const secrets = [
    password,
    "team-proxy-user",
    "AIzaSyD4xk2-Q7mPqL9vT3wZr8nB1cF6hJ0sUeY",
    "gsk_Q7mPqL9vT3wZr8nB1cF6hJ0sUeY4xk2Q7mPqL9vT3wZr8n",
    "k7Hq2Lm9Xp4Rt8Vw3Zy6Bn1Cd5Fg0Jh",
  ];
  /** The message for `llmLines` under llm:, with no piece of any secret in it. */
  const said = (llmLines: string) => {
    const msg = errorOf(`${minimal}llm:\n  model: gpt-4.1-mini\n${llmLines}`);
    for (const secret of secrets) for (const piece of [secret, secret.slice(0, 12)]) expect(msg).not.toContain(piece);
    return msg;
  };
  const url = (host: string) => `https://team-proxy-user:${password}@${host}/v1`;

  it("names the lines of an address or a variable's name set twice, never their values", () => {
    expect(said(`  baseUrl: ${url("llm.example.com")}\n  baseUrl: ${url("llm2.example.com")}\n`)).toBe(
      "c.yaml:8: the YAML does not parse: llm.baseUrl is set twice, on lines 7 and 8; keep the one you mean and delete the other.",
    );
    expect(said("  apiKeyEnv: AIzaSyD4xk2-Q7mPqL9vT3wZr8nB1cF6hJ0sUeY\n  apiKeyEnv: OPENAI_API_KEY\n")).toBe(
      "c.yaml:8: the YAML does not parse: llm.apiKeyEnv is set twice, on lines 7 and 8; keep the one you mean and delete the other.",
    );
  });

  it("names the lines of any key set twice to a value shaped like a credential", () => {
    for (const value of [
      url("llm.example.com"),
      "gsk_Q7mPqL9vT3wZr8nB1cF6hJ0sUeY4xk2Q7mPqL9vT3wZr8n",
      "k7Hq2Lm9Xp4Rt8Vw3Zy6Bn1Cd5Fg0Jh",
    ])
      expect(said(`  provider: openai\n  provider: ${value}\n`)).toBe(
        "c.yaml:8: the YAML does not parse: llm.provider is set twice, on lines 7 and 8; keep the one you mean and delete the other.",
      );
    // A whole section set twice, one of them holding a credential.
    expect(errorOf(`${minimal}llm:\n  baseUrl: ${url("a.example.com")}\nllm:\n  model: b\n`)).toBe(
      "c.yaml:7: the YAML does not parse: llm is set twice, on lines 5 and 7; keep the one you mean and delete the other.",
    );
  });

  it("never quotes a tab-indented line, which may hold a credential", () => {
    expect(said(`\tbaseUrl: ${url("llm.example.com")}\n`)).toBe(
      "c.yaml:7: the YAML does not parse: line 7 is indented with a tab, which YAML does not allow; indent baseUrl with spaces, lined up with the keys around it.",
    );
    expect(said("\tapiKeyEnv: gsk_Q7mPqL9vT3wZr8nB1cF6hJ0sUeY4xk2Q7mPqL9vT3wZr8n\n")).toContain(
      "line 7 is indented with a tab",
    );
  });

  it("does not write back a credential after a key whose ':' is missing", () => {
    expect(said("  apiKeyEnv AIzaSyD4xk2-Q7mPqL9vT3wZr8nB1cF6hJ0sUeY\n  timeoutMs: 5\n")).toContain(
      "a ':' is probably missing after apiKeyEnv",
    );
    expect(said(`  baseUrl ${url("llm.example.com")}\n  timeoutMs: 5\n`)).not.toContain("https");
  });
});

describe("a placeholder where a secret belongs", () => {
  it("recognises only unmistakable placeholders, never a dummy or a real key", () => {
    for (const value of [
      "<your key>",
      "<OPENAI_API_KEY>",
      "your key",
      "YOUR_API_KEY_HERE",
      "your-openai-key",
      "your_token",
      "sk-...",
      "sk-proj-...",
      "sk-…",
    ])
      expect(isPlaceholder(value), value).toBe(true);
    for (const value of [
      "sk-proj-abcXYZ123",
      "sk-abc",
      "ghp_1234567890abcdef",
      "xoxb-123-456-abc",
      "sk-proj-abc…",
      "yourself123",
      // Dummies a local server takes, and keys of any text a proxy issues.
      "xxx",
      "XXXXXXXX",
      "sk-xxx",
      "...",
      "my-team-key-for-proxy",
      "enter-the-gateway-01",
      "put-me-in-charge",
      "your-team",
    ])
      expect(isPlaceholder(value), value).toBe(false);
  });

  it("names README's own <your key> as such, and describes any other placeholder without quoting it", () => {
    expect(placeholderSentence("OPENAI_API_KEY", "<your key>", { source: "set in ws/.env", line: 3 })).toBe(
      "OPENAI_API_KEY (set in ws/.env, line 3) looks like the placeholder <your key>; paste the real key in its place, as issued.",
    );
    const other = placeholderSentence("OPENAI_API_KEY", "your-secret-team-key", { source: "set in ws/.env" });
    expect(other).toBe(
      "OPENAI_API_KEY (set in ws/.env) looks like a placeholder (words asking for one), not a key; paste the real key in its place, as issued.",
    );
    expect(placeholderSentence("OPENAI_API_KEY", "xxx", { source: "set in ws/.env" })).toBeNull();
    // A password's variable is asked for a password.
    expect(placeholderSentence("SMTP_PASSWORD", "your-password", { source: "set in the environment" })).toBe(
      "SMTP_PASSWORD (set in the environment) looks like a placeholder (words asking for one), not a password; paste the real password in its place, as issued.",
    );
    // The same rule for every credential: a token's prefix with an ellipsis, words asking for a secret.
    for (const value of ["xoxb-…", "ghp_...", "github_pat_…", "YOUR_SLACK_BOT_TOKEN", "your-webhook-secret"])
      expect(isPlaceholder(value), value).toBe(true);
    for (const value of ["xoxb-1234-5678-abcdEFGH", "ghp_0123456789abcdefghij", "s3cr3t-value", "yourself"])
      expect(isPlaceholder(value), value).toBe(false);
    expect(
      placeholderSentence("SLACK_BOT_TOKEN", "<token>", {
        source: "set in the environment",
        from: "deliver.slack.botTokenEnv",
        want: "the Slack app's bot token",
      }),
    ).toBe(
      "SLACK_BOT_TOKEN (deliver.slack.botTokenEnv, set in the environment) looks like a placeholder (a phrase in angle brackets), not a token; paste the Slack app's bot token in its place, as issued.",
    );
  });

  it("is not refused when the workspace loads: every command that sends nothing works", () => {
    const ws = tempWorkspace(`${minimal}llm:\n  provider: openai\n`, {
      ".env": "# my keys\nARXIV_CONTACT=me@example.org\nOPENAI_API_KEY=<your key>\n",
    });
    onTestFinished(ws.cleanup);
    expect(loadWorkspace(ws.dir, {}).env.OPENAI_API_KEY).toBe("<your key>");
    expect(() => checkEnvSecrets(["SLACK_BOT_TOKEN"], { SLACK_BOT_TOKEN: "xxx" }, { source: () => "x" })).not.toThrow();
  });
});
