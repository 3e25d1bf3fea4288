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
