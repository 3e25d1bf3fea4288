import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { CONFIG_DOCS, ConfigError, parseConfig } from "../../src/config/parse.js";
import { gitHubRepoIn } from "../../src/config/suggest.js";
import { UserError } from "../../src/model/errors.js";
import { loadWorkspace, NotAWorkspaceError } from "../../src/workspace/load.js";
import { tempWorkspace } from "../helpers/workspace.js";

const minimal = `
topics:
  - id: architecture
    title: Model architecture
    description: Mixture-of-experts and other conditional computation.
    include: [mixture of experts, MoE]
`;

/** A workspace removed when the test finishes. */
function workspace(yaml: string | null, files: Record<string, string> = {}): string {
  const ws = tempWorkspace(yaml, files);
  onTestFinished(ws.cleanup);
  return ws.dir;
}

describe("parseConfig", () => {
  it("fills every default from a minimal file", () => {
    const c = parseConfig(minimal, "arxiv-digest.yaml");
    expect(c.arxiv.categories).toEqual(["cs.LG", "cs.AI", "cs.CL"]);
    expect(c.arxiv.announceTypes).toEqual(["new", "cross"]);
    expect(c.arxiv.minIntervalSeconds).toBe(3);
    expect(c.llm.provider).toBe("auto");
    expect(c.selection.weights).toEqual({ relevance: 1, novelty: 1 });
    expect(c.topics[0]!.exclude).toEqual([]);
    expect(c.deliver.webhooks).toEqual([]);
  });

  it("names the key and the line of a wrong value", () => {
    const text = `${minimal}arxiv:\n  categories: [cs.LG, "not a category!"]\n  minIntervalSeconds: -1\n`;
    let err: unknown;
    try {
      parseConfig(text, "ws/arxiv-digest.yaml");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as Error).message;
    expect(msg).toContain("ws/arxiv-digest.yaml");
    expect(msg).toMatch(/arxiv\.categories\.1 \(line 8\)/);
    expect(msg).toMatch(/arxiv\.minIntervalSeconds \(line 9\)/);
    // The docs as installed with the package, which a workspace does not hold.
    const docs = msg.match(/See (.+) for every key\.$/)?.[1];
    expect(docs).toBe(CONFIG_DOCS);
    expect(isAbsolute(CONFIG_DOCS) && existsSync(CONFIG_DOCS)).toBe(true);
  });

  it("rejects an unknown key at the top level, naming its line and the key it meant elsewhere", () => {
    const text = `${minimal}budgetUSD: 2\n`;
    expect(() => parseConfig(text, "c.yaml")).toThrow(ConfigError);
    expect(() => parseConfig(text, "c.yaml")).toThrow(
      "  - budgetUSD (line 7): unknown key; did you mean llm.budgetUsd?",
    );
  });

  it("suggests the key beside a misspelled one: case, a swapped pair of letters, one letter off", () => {
    const text = `llm:\n  budgetUSD: 2\n  modle: gpt-5\n  prices:\n    m: { input: 1, cachedInput: 1, outptu: 2 }\nsite:\n  titel: Mine\n${minimal.replace("    include:", "    inclde:")}`;
    let msg = "";
    try {
      parseConfig(text, "c.yaml");
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toContain("  - llm.budgetUSD (line 2): unknown key; did you mean llm.budgetUsd?");
    expect(msg).toContain("  - llm.modle (line 3): unknown key; did you mean llm.model?");
    expect(msg).toContain("  - llm.prices.m.outptu (line 5): unknown key; did you mean llm.prices.m.output?");
    expect(msg).toContain("  - site.titel (line 7): unknown key; did you mean site.title?");
    expect(msg).toContain("  - topics.0.inclde (line 13): unknown key; did you mean topics.0.include?");
  });

  it("names a mistyped choice, its line, the choices and the one it meant", () => {
    expect(errorOf(`${minimal}llm:\n  provider: openia\n`)).toContain(
      '  - llm.provider (line 8): "openia" is not one of its choices; write auto, openai or offline (did you mean openai?)\n',
    );
    expect(errorOf(`${minimal}llm:\n  provider: OpenAI\n`)).toContain(
      '  - llm.provider (line 8): "OpenAI" is not one of its choices; write auto, openai or offline (did you mean openai?)\n',
    );
    // Nothing close: the choices alone.
    expect(errorOf(`${minimal}llm:\n  provider: anthropic\n`)).toContain(
      '  - llm.provider (line 8): "anthropic" is not one of its choices; write auto, openai or offline\n',
    );
    expect(errorOf(`${minimal}arxiv:\n  announceTypes: [new, crosss]\n`)).toContain(
      '  - arxiv.announceTypes.1 (line 8): "crosss" is not one of its choices; write new, cross, replace or replace-cross (did you mean cross?)\n',
    );
    // A YAML boolean where the choices are words: the choice it means, for every key with such a choice.
    expect(errorOf(`${minimal}llm:\n  structuredOutput: true\n`)).toContain(
      "  - llm.structuredOutput (line 8): true is not one of its choices; write auto, on or off (did you mean on?)\n",
    );
    expect(errorOf(`${minimal}llm:\n  structuredOutput: false\n`)).toContain(
      "  - llm.structuredOutput (line 8): false is not one of its choices; write auto, on or off (did you mean off?)\n",
    );
    expect(errorOf(`${minimal}llm:\n  structuredOutput: "yes"\n`)).toContain(
      '"yes" is not one of its choices; write auto, on or off (did you mean on?)',
    );
    expect(errorOf(`${minimal}llm:\n  modelOptions:\n    gpt-5-mini:\n      reasoningEffort: false\n`)).toContain(
      "false is not one of its choices; write none, minimal, low, medium or high (did you mean none?)",
    );
    // No choice means yes: the choices alone.
    expect(errorOf(`${minimal}llm:\n  provider: true\n`)).toContain(
      "  - llm.provider (line 8): true is not one of its choices; write auto, openai or offline\n",
    );
    expect(errorOf(`${minimal}arxiv:\n  format: atm\n`)).toContain(
      '  - arxiv.format (line 8): "atm" is not one of its choices; write rss or atom (did you mean atom?)\n',
    );
    expect(errorOf(`${minimal}llm:\n  modelOptions:\n    gpt-5-mini:\n      reasoningEffort: hihg\n`)).toContain(
      '  - llm.modelOptions.gpt-5-mini.reasoningEffort (line 10): "hihg" is not one of its choices; write none, minimal, low, medium or high (did you mean high?)\n',
    );
    expect(errorOf(`${minimal}llm:\n  structuredOutput: 1\n`)).toContain(
      "  - llm.structuredOutput (line 8): 1 is not one of its choices; write auto, on or off\n",
    );
  });

  it("shows a long or many-line value as JSON, cut: one line per key, never a faked item", () => {
    const long = errorOf(`${minimal}llm:\n  provider: ${"x".repeat(5000)}\n`);
    expect(long).toContain(
      `  - llm.provider (line 8): "${"x".repeat(59)}…" is not one of its choices; write auto, openai or offline\n`,
    );
    expect(long.length).toBeLessThan(400);
    const faked = errorOf(`${minimal}selection:\n  minRelevance: "7\\n  - llm.provider (line 1): fine"\n`);
    expect(faked).toContain(
      '  - selection.minRelevance (line 8): "7\\n  - llm.provider (line 1): fine" is not a number; write a number from 0 to 10',
    );
    expect(faked.split("\n").filter((line) => line.startsWith("  - "))).toHaveLength(1);
    expect(errorOf(`${minimal}arxiv:\n  format: "at\\"om"\n`)).toContain('"at\\"om" is not one of its choices');
  });

  it("lists the keys that belong there when nothing is close", () => {
    expect(() => parseConfig(`${minimal}selection:\n  zzzzzzzz: 1\n`, "c.yaml")).toThrow(
      /selection\.zzzzzzzz \(line 8\): unknown key; the keys here are weights, minRelevance, minNovelty, minScore, maxPapers, prefilterMinRelevance/,
    );
  });

  it("checks categories against arXiv's taxonomy and suggests the real one", () => {
    const text = `${minimal}arxiv:\n  categories:\n    - cs.lg\n    - hep-thh\n    - quant-ph\n    - cs.XX\n    - math\n`;
    let msg = "";
    try {
      parseConfig(text, "c.yaml");
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toContain('  - arxiv.categories.0 (line 9): "cs.lg" is not an arXiv category; did you mean cs.LG?');
    expect(msg).toContain('  - arxiv.categories.1 (line 10): "hep-thh" is not an arXiv category; did you mean hep-th?');
    expect(msg).toMatch(
      /arxiv\.categories\.3 \(line 12\): "cs\.XX" is not an arXiv category; see https:\/\/arxiv\.org/,
    );
    expect(msg).not.toMatch(/categories\.[24]/);
  });

  it("points at the line of broken YAML", () => {
    expect(() => parseConfig("topics:\n  - id: a\n   title: [unclosed\n", "c.yaml")).toThrow(
      /c\.yaml:\d+:\d+: the YAML does not parse/,
    );
  });

  it("reports a YAML alias bomb as a config error naming the file", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x]"];
    for (const n of ["b", "c", "d", "e", "f", "g", "h"]) {
      const prev = levels.at(-1)![0];
      levels.push(`${n}: &${n} [${Array(9).fill(`*${prev}`).join(", ")}]`);
    }
    const bomb = `${minimal}${levels.join("\n")}\n`;
    expect(() => parseConfig(bomb, "ws/arxiv-digest.yaml")).toThrow(ConfigError);
    expect(() => parseConfig(bomb, "ws/arxiv-digest.yaml")).toThrow(/ws\/arxiv-digest\.yaml.*aliases/);
  });

  it("reports nesting too deep to read as a config error naming the file", () => {
    for (const deep of [
      `x: ${"[".repeat(5000)}${"]".repeat(5000)}\n`,
      `x:\n${Array.from({ length: 3000 }, (_, i) => `${" ".repeat(i + 1)}- `).join("\n")}1\n`,
    ]) {
      expect(() => parseConfig(`${minimal}${deep}`, "ws/arxiv-digest.yaml")).toThrow(ConfigError);
      expect(() => parseConfig(`${minimal}${deep}`, "ws/arxiv-digest.yaml")).toThrow(
        /ws\/arxiv-digest\.yaml.*nested too deeply/,
      );
    }
  });

  it("reports a missing required section without pointing at another key's line", () => {
    expect(() => parseConfig("arxiv:\n  categories: [cs.LG]\n", "c.yaml")).toThrow(
      / {2}- topics: missing, and it is required; add it\n/,
    );
  });

  it("takes a webhook's URL from the config or from an environment variable, not both", () => {
    const ok = parseConfig(
      `${minimal}deliver:\n  webhooks:\n    - urlEnv: HOOK_URL\n      headersEnv: {authorization: HOOK_AUTH}\n`,
      "c.yaml",
    );
    expect(ok.deliver.webhooks[0]).toEqual({
      urlEnv: "HOOK_URL",
      headers: {},
      headersEnv: { authorization: "HOOK_AUTH" },
    });
    expect(() =>
      parseConfig(
        `${minimal}deliver:\n  webhooks:\n    - url: https://example.org/h\n      urlEnv: HOOK_URL\n`,
        "c.yaml",
      ),
    ).toThrow(/deliver\.webhooks\.0 \(line 9\): set url, or urlEnv/);
    expect(() => parseConfig(`${minimal}deliver:\n  webhooks:\n    - urlEnv: "not a name"\n`, "c.yaml")).toThrow(
      /deliver\.webhooks\.0\.urlEnv \(line 9\): an environment variable's name/,
    );
  });

  it("takes every variable name the config reads a secret from as one, as init --workflows would", () => {
    const keys = [
      ["llm:\n  apiKeyEnv: openai-key\n", "llm.apiKeyEnv (line 8)"],
      ["deliver:\n  slack:\n    webhookUrlEnv: my hook\n", "deliver.slack.webhookUrlEnv (line 9)"],
      ["deliver:\n  slack:\n    botTokenEnv: 1TOKEN\n", "deliver.slack.botTokenEnv (line 9)"],
      [
        "deliver:\n  email:\n    host: smtp.example.org\n    from: a@example.org\n    to: [b@example.org]\n    passwordEnv: smtp.password\n",
        "deliver.email.passwordEnv (line 12)",
      ],
    ] as const;
    for (const [yaml, where] of keys) {
      expect(() => parseConfig(`${minimal}${yaml}`, "c.yaml"), where).toThrow(
        `${where}: an environment variable's name: letters, digits and _`,
      );
    }
    expect(parseConfig(`${minimal}llm:\n  apiKeyEnv: DEEPSEEK_API_KEY\n`, "c.yaml").llm.apiKeyEnv).toBe(
      "DEEPSEEK_API_KEY",
    );
  });

  it("refuses a site.baseUrl without its scheme, in the words the site build would use", () => {
    expect(() => parseConfig(`${minimal}site:\n  baseUrl: my-site.github.io\n`, "c.yaml")).toThrow(
      'site.baseUrl (line 8): "my-site.github.io" is not an absolute URL; set it to the site\'s public address with its scheme, e.g. "https://you.github.io/papers/"',
    );
    expect(() => parseConfig(`${minimal}site:\n  baseUrl: "ftp://example.org/"\n`, "c.yaml")).toThrow(
      /site\.baseUrl \(line 8\): "ftp:\/\/example\.org\/" does not start with https:\/\/ or http:\/\//,
    );
    const secret = `${minimal}site:\n  baseUrl: "https://alice:s3cr3t@me.github.io/papers/?a=1#f"\n`;
    expect(() => parseConfig(secret, "c.yaml")).toThrow(
      /site\.baseUrl \(line 8\): "https:\/\/…@me\.github\.io\/papers\/\?…#…" carries a user name or password, a query \(\?…\) and a fragment \(#…\)/,
    );
    expect(() => parseConfig(secret, "c.yaml")).not.toThrow(/s3cr3t/);
    expect(parseConfig(`${minimal}site:\n  baseUrl: https://me.github.io/papers/\n`, "c.yaml").site.baseUrl).toBe(
      "https://me.github.io/papers/",
    );
  });

  it("refuses a holiday that is not a calendar date, and two topics with one id", () => {
    const text = `${minimal}  - id: architecture\n    title: Again\n    description: The same id.\narxiv:\n  holidays: [2026-02-30]\n`;
    let msg = "";
    try {
      parseConfig(text, "c.yaml");
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toMatch(/topics\.1\.id \(line 7\): topic id "architecture" is used twice; give each topic its own id/);
    expect(msg).toContain(
      'arxiv.holidays.0 (line 11): "2026-02-30" is not a calendar date; February 2026 has 28 days, so give a day from 2026-02-01 to 2026-02-28',
    );
  });

  it("says a ':' is probably missing on a key line without one, at that line, wherever it sits in its mapping", () => {
    const said = (text: string) => errorOf(text) || "parsed";
    const hint = (line: number, key: string, value: string) =>
      `c.yaml:${line}: the YAML does not parse: a ':' is probably missing after ${key} (write "${key}: ${value}").`;
    // First in its mapping (the library reports the next key's line, BAD_INDENT), with a comment between.
    expect(said(`${minimal}selection:\n  minRelevance 7\n  # shown at most\n  maxPapers: 40\n`)).toBe(
      hint(8, "minRelevance", "7"),
    );
    // In the middle, last, at the top level and in a list item.
    expect(said(`${minimal}selection:\n  minRelevance: 7\n  maxPapers 40\n  minNovelty: 0\n`)).toBe(
      hint(9, "maxPapers", "40"),
    );
    expect(said(`${minimal}selection:\n  minRelevance: 7\n  maxPapers 40\n`)).toBe(hint(9, "maxPapers", "40"));
    expect(said(`${minimal}budgetUsd 2\nselection: {}\n`)).toBe(hint(7, "budgetUsd", "2"));
    expect(said("topics:\n  - id: moe\n    title Mixture of experts\n    description: Sparse models.\n")).toBe(
      hint(3, "title", "Mixture of experts"),
    );
    // A key indented unlike its neighbours is said as such; other YAML mistakes keep the library's own words.
    expect(said("topics:\n  - id: a\n   title: [unclosed\n")).toBe(
      "c.yaml:3:4: the YAML does not parse: title is indented 3 spaces where its neighbours have 4; line it up with them.",
    );
    expect(said(`${minimal}x:\n  a: 1\n    b: 2\n`)).toMatch(/^c\.yaml:\d+:\d+: the YAML does not parse \(/);
  });

  describe("a YAML mistake in the config init writes, at the line where it is and what it is", () => {
    const initConfig = readFileSync(join(import.meta.dirname, "../../defaults/arxiv-digest.yaml"), "utf8");
    /** The init config with the given lines (1-based) replaced, and what parsing it says. */
    const said = (edits: Record<number, string>) => {
      const lines = initConfig.split("\n");
      for (const [n, line] of Object.entries(edits)) lines[Number(n) - 1] = line;
      try {
        parseConfig(lines.join("\n"), "c.yaml");
      } catch (e) {
        return (e as Error).message;
      }
      return "parsed";
    };
    const lineOf = (start: string) => initConfig.split("\n").findIndex((l) => l.startsWith(start)) + 1;
    const maxPapers = lineOf("  maxPapers: 40");
    const minRelevance = lineOf("  minRelevance: 7");
    const categories = lineOf("  categories: [cs.LG, cs.AI, cs.CL]");
    const contact = lineOf('  contact: ""');

    it("parses as written", () => {
      expect(said({})).toBe("parsed");
      // The library reports these below a comment line, which the message must skip.
      expect(initConfig.split("\n")[maxPapers - 2]).toMatch(/^\s*#/);
    });

    it("names a key indented a space too many or too few, at its own line, with its neighbours' indent", () => {
      const indented = (line: number, key: string, n: number, m: number) =>
        `c.yaml:${line}:${n + 1}: the YAML does not parse: ${key} is indented ${n} space${n === 1 ? "" : "s"} where its neighbours have ${m}; line it up with them.`;
      expect(said({ [maxPapers]: "   maxPapers: 40" })).toBe(indented(maxPapers, "maxPapers", 3, 2));
      expect(said({ [maxPapers]: " maxPapers: 40" })).toBe(indented(maxPapers, "maxPapers", 1, 2));
      // The first key of a mapping sets its column: the odd one is that key, not the next one.
      expect(said({ [minRelevance]: "    minRelevance: 7" })).toBe(indented(minRelevance, "minRelevance", 4, 2));
    });

    it("names where an unclosed [, { or quote was opened, not the next key", () => {
      expect(said({ [categories]: "  categories: [cs.LG, cs.AI, cs.CL" })).toBe(
        `c.yaml:${categories}:15: the YAML does not parse: the [ opened at line ${categories}, column 15 is never closed; add a ] where the list ends.`,
      );
      expect(said({ [categories]: "  categories: [cs.LG, {a: cs.AI, cs.CL]" })).toBe(
        `c.yaml:${categories}:23: the YAML does not parse: the { opened at line ${categories}, column 23 is never closed; add a } where the map ends.`,
      );
      expect(said({ [contact]: '  contact: "me@example.org' })).toBe(
        `c.yaml:${contact}:12: the YAML does not parse: the " opened at line ${contact}, column 12 is never closed; add a " where the text ends.`,
      );
      expect(said({ [contact]: "  contact: 'me@example.org" })).toBe(
        `c.yaml:${contact}:12: the YAML does not parse: the ' opened at line ${contact}, column 12 is never closed; add a ' where the text ends.`,
      );
    });

    it("keeps the cases that already named their line: a missing colon, a tab, an unknown key", () => {
      expect(said({ [maxPapers]: "  maxPapers 40" })).toBe(
        `c.yaml:${maxPapers}: the YAML does not parse: a ':' is probably missing after maxPapers (write "maxPapers: 40").`,
      );
      expect(said({ [maxPapers]: "\tmaxPapers: 40" })).toBe(
        `c.yaml:${maxPapers}: the YAML does not parse: line ${maxPapers} is indented with a tab, which YAML does not allow; indent maxPapers with spaces, lined up with the keys around it.`,
      );
      expect(said({ [maxPapers]: "  maxPaper: 40" })).toContain(
        `  - selection.maxPaper (line ${maxPapers}): unknown key`,
      );
    });
  });

  it("says what a number key takes, with its range and an example, when it is given words", () => {
    const text = `${minimal}selection:\n  minRelevance: seven\n  maxPapers: many\n  prefilter:\n    keepShare: half\n`;
    let msg = "";
    try {
      parseConfig(text, "c.yaml");
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toContain(
      '  - selection.minRelevance (line 8): "seven" is not a number; write a number from 0 to 10, e.g. minRelevance: 7\n',
    );
    expect(msg).toContain(
      '  - selection.maxPapers (line 9): "many" is not a number; write a whole number of 0 or more, e.g. maxPapers: 0\n',
    );
    expect(msg).toContain(
      '  - selection.prefilter.keepShare (line 11): "half" is not a number; write a number above 0 and at most 1, e.g. keepShare: 0.7\n',
    );
    expect(msg).not.toContain("Invalid input");
  });

  it("suggests the archive a subject class belongs to when it is written under another (cs.ML is stat.ML)", () => {
    let msg = "";
    try {
      parseConfig(`${minimal}arxiv:\n  categories: [cs.ML, stat.LG]\n`, "c.yaml");
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toContain('"cs.ML" is not an arXiv category; did you mean stat.ML?');
    expect(msg).toContain('"stat.LG" is not an arXiv category; did you mean cs.LG?');
  });
});

describe("a topic's title", () => {
  const titled = (title: string) => `topics:\n  - id: a\n    title: ${JSON.stringify(title)}\n    description: x\n`;
  const said = (title: string) => {
    try {
      parseConfig(titled(title), "arxiv-digest.yaml");
      return "";
    } catch (e) {
      return (e as Error).message.split("\n").find((l) => l.includes("topics.0.title")) ?? "";
    }
  };

  it("is one line of at most 80 characters, shown as it is written, emoji included", () => {
    expect(said("Model architecture")).toBe("");
    expect(said("🧠 Brains 👩‍🔬")).toBe("");
    expect(said("x".repeat(80))).toBe("");
    expect(said("A\nB")).toContain(
      "a title is shown on one line, and this one has a line break (U+000A) at position 2: remove it",
    );
    expect(said("ab\u202Ec")).toContain("a character that turns the text's direction (U+202E) at position 3");
    expect(said("\u0007bell")).toContain("a control character (U+0007) at position 1");
    expect(said("x".repeat(81))).toContain("at most 80 characters, and this one has 81: shorten it");
  });
});

describe("feedback.github", () => {
  const line = (value: string) => {
    try {
      parseConfig(`${minimal}feedback:\n  github: "${value}"\n`, "c.yaml");
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return (e as Error).message.split("\n").find((l) => l.includes("feedback.github")) ?? "";
    }
    return "";
  };

  it("takes owner/repo", () => {
    expect(line("me/my-papers")).toBe("");
    expect(line("some-org/repo.name_2")).toBe("");
  });

  it("names the owner/repo to write where the value is the repository's address", () => {
    expect(line("https://github.com/me/my-papers")).toMatch(
      /^ {2}- feedback\.github \(line \d+\): "https:\/\/github\.com\/me\/my-papers" is the repository's address; write its owner\/repo instead: github: me\/my-papers$/,
    );
    for (const address of [
      "git@github.com:me/my-papers.git",
      "https://github.com/me/my-papers.git",
      "https://www.github.com/me/my-papers/issues",
      "github.com/me/my-papers/",
      "ssh://git@github.com/me/my-papers",
    ])
      expect(line(address), address).toMatch(/write its owner\/repo instead: github: me\/my-papers$/);
    expect(line("me/my-papers.git")).toMatch(
      /"me\/my-papers\.git" ends in the clone address's \.git, which is no part of the repository's name; write github: me\/my-papers$/,
    );
  });

  it("reads an address of any length in time linear in it", () => {
    // `[:/]+` then an owner that could also take ':' tried every split of a run of colons.
    expect(gitHubRepoIn(`github.com${":".repeat(100_000)}`)).toBeNull();
    expect(gitHubRepoIn("git@github.com:me/my-papers.git")).toBe("me/my-papers");
    expect(gitHubRepoIn("github.com///me/my-papers/issues")).toBe("me/my-papers");
  });

  it("never repeats a token written into the address, and gives the form where nothing names a repository", () => {
    const withToken = line("https://me:ghp_s3cr3tT0ken@github.com/me/my-papers");
    expect(withToken).toContain("github: me/my-papers");
    expect(withToken).not.toContain("s3cr3t");
    // Without a scheme the redactor sees no address: the value is described, not quoted.
    for (const bare of ["me:hunter2-Secret@github.com/me/my-papers", "me:hunter2@github.com:me/my-papers.git"]) {
      const said = line(bare);
      expect(said).toContain("the repository's address with a password in it (not repeated here)");
      expect(said).toContain("github: me/my-papers");
      expect(said).not.toContain("hunter2");
    }
    expect(line("my-papers")).toMatch(
      /"my-papers" is not a GitHub repository; write it as owner\/repo, e\.g\. github: me\/my-papers$/,
    );
    expect(line("https://gitlab.com/me/my-papers")).toMatch(/is not a GitHub repository; write it as owner\/repo/);
  });
});

describe("loadWorkspace", () => {
  it("reads the workspace's own config, prompts and authors, and .env without overriding the environment", () => {
    const dir = workspace(minimal, {
      "prompts/system.md": "You help a researcher.",
      "authors.txt": "Yoshua Bengio\n",
      ".env": "OPENAI_API_KEY=from-dotenv\nARXIV_RSS_URL=http://127.0.0.1:9/rss\nOPENAI_BASE_URL=http://dotenv\n",
    });
    const ws = loadWorkspace(dir, { OPENAI_BASE_URL: "http://127.0.0.1:1/v1" });
    expect(ws.configPath).toBe(join(dir, "arxiv-digest.yaml"));
    expect(ws.prompts.system).toBe("You help a researcher.");
    expect(ws.promptPaths.system).toBe(join(dir, "prompts/system.md"));
    expect(ws.authorsText).toContain("Bengio");
    expect(ws.env.OPENAI_API_KEY).toBe("from-dotenv");
    expect(ws.config.arxiv.rssUrl).toBe("http://127.0.0.1:9/rss");
    expect(ws.config.llm.baseUrl).toBe("http://127.0.0.1:1/v1");
    expect(ws.archiveDir).toBe(join(dir, "archive"));
  });

  it("takes the site's address from ARXIV_DIGEST_SITE_URL only while site.baseUrl is the default", () => {
    const pages = { ARXIV_DIGEST_SITE_URL: "https://reader.github.io/papers" };
    // As configure-pages gives it, without the closing slash: read as the site's folder.
    expect(loadWorkspace(workspace(minimal), pages).config.site.baseUrl).toBe("https://reader.github.io/papers/");
    expect(loadWorkspace(workspace(minimal), {}).config.site.baseUrl).toBe("http://localhost:8080/");
    // The reader's own setting wins.
    const own = workspace(`${minimal}site:\n  baseUrl: https://papers.example.org/\n`);
    expect(loadWorkspace(own, pages).config.site.baseUrl).toBe("https://papers.example.org/");
    // Not a URL: exit 2, naming the variable, and the key it stands in for.
    expect(() => loadWorkspace(workspace(minimal), { ARXIV_DIGEST_SITE_URL: "reader.github.io/papers" })).toThrow(
      /^ARXIV_DIGEST_SITE_URL \(set in the environment\) is not an http\(s\) URL .*site\.baseUrl from the config\.$/,
    );
    // An address with a password, a query or a fragment would be published on every page: exit 2,
    // naming the variable and never the password.
    for (const [value, what] of [
      ["https://alice:s3cr3t@reader.github.io/papers/", "a user name or password"],
      ["https://reader.github.io/papers/?a=1", "a query"],
      ["https://reader.github.io/papers/#f", "a fragment"],
    ] as const) {
      const load = () => loadWorkspace(workspace(minimal), { ARXIV_DIGEST_SITE_URL: value });
      expect(load).toThrow(UserError);
      expect(load).toThrow(
        new RegExp(
          `^ARXIV_DIGEST_SITE_URL \\(set in the environment\\): ".*" carries ${what.replace(/[()?]/g, "\\$&")}.*"https://reader\\.github\\.io/papers/", or unset it to use site\\.baseUrl from the config\\.$`,
        ),
      );
      expect(load).not.toThrow(/s3cr3t|alice/);
    }
  });

  it("falls back to the bundled defaults in an empty folder", () => {
    const ws = loadWorkspace(workspace(null), {});
    expect(ws.configPath).toMatch(/defaults\/arxiv-digest\.yaml$/);
    expect(ws.config.topics.length).toBeGreaterThan(0);
    for (const text of Object.values(ws.prompts)) expect(text.length).toBeGreaterThan(20);
  });

  it("with requireConfig, stops in a folder without arxiv-digest.yaml instead of using the defaults", () => {
    const dir = workspace(null);
    expect(() => loadWorkspace(dir, {}, { requireConfig: true })).toThrow(NotAWorkspaceError);
    expect(() => loadWorkspace(dir, {}, { requireConfig: true })).toThrow(
      /^not a workspace: run `arxiv-digest init`.*no arxiv-digest\.yaml in /,
    );
    expect(() => loadWorkspace(dir, {}, { requireConfig: true })).toThrow(UserError);
    const own = workspace(minimal);
    expect(loadWorkspace(own, {}, { requireConfig: true }).configPath).toBe(join(own, "arxiv-digest.yaml"));
  });

  it("says a --workspace folder that does not exist does not, naming the closest folder beside it, never advising init there", () => {
    const parent = workspace(null, { "my-papers/arxiv-digest.yaml": minimal, "notes/x.txt": "" });
    const typo = join(parent, "my-paper");
    expect(() => loadWorkspace(typo, {}, { requireConfig: true })).toThrow(new NotAWorkspaceError(typo).message);
    expect(new NotAWorkspaceError(typo).message).toBe(
      `no folder ${typo}: did you mean --workspace ${join(parent, "my-papers")}?`,
    );
    const far = join(parent, "elsewhere");
    expect(new NotAWorkspaceError(far).message).toBe(
      `no folder ${far}: point --workspace at the folder that holds arxiv-digest.yaml, or make a new workspace there with \`arxiv-digest init ${far}\`.`,
    );
    expect(existsSync(typo) || existsSync(far)).toBe(false);
  });

  it("rejects an empty prompt file by name", () => {
    const dir = workspace(minimal, { "prompts/criteria.md": "  \n" });
    expect(() => loadWorkspace(dir, {})).toThrow(/criteria\.md is empty/);
  });
});

/** The message parseConfig throws for `text` (as file c.yaml), or "" when it parses. */
function errorOf(text: string): string {
  try {
    parseConfig(text, "c.yaml");
  } catch (e) {
    return (e as Error).message;
  }
  return "";
}
