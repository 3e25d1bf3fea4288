/** loadWorkspace's checks of what it reads from the environment and `.env`. */
import { describe, expect, it, onTestFinished } from "vitest";
import { EnvError } from "../../src/config/parse.js";
import { loadWorkspace, malformedEnvLines } from "../../src/workspace/load.js";
import { tempWorkspace } from "../helpers/workspace.js";

const topics = `topics:
  - id: architecture
    title: Model architecture
    description: Mixture-of-experts and conditional computation.
`;

function ws(yaml: string, files: Record<string, string> = {}): string {
  const w = tempWorkspace(yaml, files);
  onTestFinished(w.cleanup);
  return w.dir;
}

const load = (dir: string, env: Record<string, string>, warn: (m: string) => void = () => {}) =>
  loadWorkspace(dir, env, { requireConfig: true, warn });

describe("URLs read from the environment", () => {
  it("stops on a variable that is not an http(s) URL, naming it, where it was set and what is expected", () => {
    const dir = ws(topics);
    expect(() => load(dir, { OPENAI_BASE_URL: "notaurl" })).toThrow(EnvError);
    expect(() => load(dir, { OPENAI_BASE_URL: "notaurl" })).toThrow(
      /^OPENAI_BASE_URL \(set in the environment\) is not an http\(s\) URL \(it is "notaurl"\); set it to one such as https:\/\/api\.openai\.com\/v1, or unset it to use llm\.baseUrl from the config\.$/,
    );
    for (const name of ["ARXIV_RSS_URL", "ARXIV_API_URL", "SEMANTIC_SCHOLAR_API_URL", "GITHUB_API_URL"]) {
      expect(() => load(dir, { [name]: "ftp://mirror.example.org/rss" }), name).toThrow(new RegExp(`^${name} `));
    }
  });

  it("accepts http(s) URLs, and unset or blank variables (a missing GitHub secret is blank)", () => {
    const dir = ws(topics);
    const w = load(dir, {
      ARXIV_RSS_URL: "http://127.0.0.1:8080/rss",
      OPENAI_BASE_URL: "https://api.deepseek.com",
      SEMANTIC_SCHOLAR_API_URL: "",
      GITHUB_API_URL: "  ",
    });
    expect(w.config.arxiv.rssUrl).toBe("http://127.0.0.1:8080/rss");
  });

  it("never shows a token a bad value carries, and says a value came from .env", () => {
    const dir = ws(topics, { ".env": "OPENAI_API_KEY=sk-proj-abcdefghijkl\nOPENAI_BASE_URL=sk-proj-abcdefghijkl\n" });
    let message = "";
    try {
      load(dir, {});
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/^OPENAI_BASE_URL \(set in .*\.env\) is not an http\(s\) URL/);
    expect(message).not.toContain("abcdefghijkl");
  });

  it("checks the Slack webhook variable the config names, without ever showing its value", () => {
    const dir = ws(`${topics}deliver:\n  slack:\n    webhookUrlEnv: MY_HOOK\n`);
    let message = "";
    try {
      load(dir, { MY_HOOK: "T000/B000/secretpart" });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/^MY_HOOK \(set in the environment\) is not an http\(s\) URL \(its value is not shown\)/);
    expect(message).not.toContain("secretpart");
    // Not checked when Slack is not configured.
    expect(() => load(ws(topics), { SLACK_WEBHOOK_URL: "whatever" })).not.toThrow();
  });
});

describe("secrets sent in an HTTP header", () => {
  const message = (dir: string, env: Record<string, string>) => {
    try {
      load(dir, env);
    } catch (err) {
      expect(err).toBeInstanceOf(EnvError);
      return (err as Error).message;
    }
    return "";
  };

  it("stops on a character no header carries, naming the variable, the position and the kind, never the value", () => {
    const dir = ws(`${topics}llm:\n  provider: openai\n`, { ".env": "OPENAI_API_KEY=sk-proj-abc\u2026\n" });
    const text = message(dir, {});
    expect(text).toMatch(
      /^OPENAI_API_KEY \(set in .*\.env\) has an ellipsis "…" \(U\+2026, as in an example's placeholder\) at position 12, which an HTTP header cannot carry; set it to the secret exactly as issued \(printable ASCII, no spaces\)\.$/,
    );
    expect(text).not.toContain("sk-proj-abc");
    const kinds: [string, string][] = [
      ["sk-ab cd", "a space at position 6"],
      ["sk-ab\tcd", "a tab at position 6"],
      ["sk-ab\u0007cd", "a control character (U+0007) at position 6"],
      ["sk-ab\u00e9cd", "a non-ASCII character (U+00E9) at position 6"],
      ["sk-ab\u00a0cd", "a non-ASCII character (U+00A0) at position 6"],
    ];
    for (const [value, kind] of kinds)
      expect(message(ws(topics), { OPENAI_API_KEY: value }), kind).toContain(`has ${kind},`);
    // Spaces around the value are trimmed by every reader: no mistake.
    expect(message(ws(topics), { OPENAI_API_KEY: "  sk-abc \n" })).toBe("");
  });

  it("checks each secret a header carries, under the name the config gives it, and only those", () => {
    const hooks = `${topics}deliver:\n  slack:\n    botTokenEnv: BOT\n  webhooks:\n    - urlEnv: HOOK_URL\n      headersEnv: {authorization: HOOK_AUTH}\n`;
    const dir = ws(hooks);
    expect(message(dir, { BOT: "xoxb-1 2" })).toMatch(/^BOT \(set in the environment\) has a space at position 7/);
    expect(message(dir, { HOOK_AUTH: "Bearer\u2009x" })).toMatch(/^HOOK_AUTH .* a non-ASCII character \(U\+2009\)/);
    expect(message(dir, { S2_API_KEY: "k\u00e9y" })).toMatch(/^S2_API_KEY .* at position 2/);
    // (`ghp_…` alone is a placeholder, named as one by the command that would send it.)
    expect(message(dir, { GITHUB_TOKEN: "ghp_x\u2026y" })).toMatch(/^GITHUB_TOKEN .* at position 6/);
    expect(message(dir, { GITHUB_TOKEN: "ghp_\u2026" })).toBe("");
    // Not sent in a header: a URL (checked as one), an SMTP password, the key of an offline provider.
    expect(message(dir, { HOOK_URL: "https://example.org/h", SMTP_PASSWORD: "pässwort" })).toBe("");
    expect(message(ws(`${topics}llm:\n  provider: offline\n`), { OPENAI_API_KEY: "sk-…" })).toBe("");
  });
});

describe("a malformed .env", () => {
  it("warns naming the file and line, never the value, and still reads the good lines", () => {
    const dir = ws(topics, {
      ".env": '# keys\nOPENAI_API_KEY sk-x\n\nexport S2_API_KEY=abc\nMULTI="one\ntwo"\nARXIV_CONTACT=me@example.org\n',
    });
    const warnings: string[] = [];
    const w = load(dir, {}, (m) => warnings.push(m));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/\.env:2: not a NAME=value line, so it was ignored/);
    expect(warnings[0]).not.toContain("sk-x");
    expect(w.config.arxiv.contact).toBe("me@example.org");
    expect(w.env.S2_API_KEY).toBe("abc");
  });

  it("judges lines, not quoted multi-line values", () => {
    expect(malformedEnvLines("A=1\nB='x\ny z\n'\nC = 3\n  \n#c\nnot a line\n")).toEqual([8]);
  });
});
