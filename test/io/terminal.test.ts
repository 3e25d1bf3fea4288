import { beforeAll, describe, expect, it } from "vitest";
import { helpTrailer } from "../../src/cli/main.js";
import * as terminal from "../../src/io/terminal.js";
import {
  hangingIndent,
  layoutText,
  loadTerminalLayout,
  terminalColumns,
  terminalSafe,
  terminalWriter,
  textFor,
} from "../../src/io/terminal.js";

beforeAll(loadTerminalLayout);

/** A stream as a terminal (or a pipe) shows it: what was written, and its width. */
function fakeStream(isTTY: boolean, columns?: number) {
  const written: string[] = [];
  return {
    isTTY,
    ...(columns === undefined ? {} : { columns }),
    written,
    write(text: string) {
      written.push(text);
      return true;
    },
  };
}

const WARNING =
  'warning: llm.provider is "offline": papers were scored by the offline lexical scorer (novelty is not judged offline).\n';

/** Every line of `text` fits in `columns`, unless it is one word (or a prefix and one word) too wide to. */
function expectFits(text: string, columns: number): void {
  for (const line of text.split("\n")) {
    if (line.length > columns) expect(line.trim().split(/ +/).length, line).toBeLessThanOrEqual(2);
  }
}

/** The words of a text, whatever its line breaks: laying it out moves words, never breaks or loses one. */
const words = (text: string) => text.split(/\s+/).filter(Boolean);

describe("terminalColumns", () => {
  it("is the terminal's width on a TTY and undefined elsewhere", () => {
    expect(terminalColumns({ isTTY: true, columns: 100 }, {})).toBe(100);
    expect(terminalColumns({ isTTY: false, columns: 100 }, {})).toBeUndefined();
    expect(terminalColumns({}, {})).toBeUndefined();
    // A TTY that tells no width (or a uselessly narrow one) is left alone.
    expect(terminalColumns({ isTTY: true }, {})).toBeUndefined();
    expect(terminalColumns({ isTTY: true, columns: 10 }, {})).toBeUndefined();
  });

  it("takes COLUMNS on a TTY only, and only a whole number", () => {
    expect(terminalColumns({ isTTY: true, columns: 100 }, { COLUMNS: "60" })).toBe(60);
    expect(terminalColumns({ isTTY: false, columns: 100 }, { COLUMNS: "60" })).toBeUndefined();
    expect(terminalColumns({ isTTY: true, columns: 100 }, { COLUMNS: "" })).toBe(100);
    expect(terminalColumns({ isTTY: true, columns: 100 }, { COLUMNS: "wide" })).toBe(100);
    expect(terminalColumns({ isTTY: true, columns: 100 }, { COLUMNS: "0" })).toBe(100);
  });
});

describe("hangingIndent", () => {
  it("hangs under a label, a list item's label, or a first column", () => {
    expect(hangingIndent("warning: something long", 80)).toBe("warning: ".length);
    expect(hangingIndent("  2026-03-17: 39 picked of 277 scanned", 80)).toBe("  2026-03-17: ".length);
    expect(hangingIndent("Exit codes: 0 done", 80)).toBe("Exit codes: ".length);
    expect(hangingIndent("ok    config: read from arxiv-digest.yaml", 80)).toBe("ok    ".length);
    expect(hangingIndent("  website:                     /tmp/demo/site/", 80)).toBe(31);
  });

  it("hangs under the line's own indent when it has no label, and never past half the width", () => {
    expect(hangingIndent("Learning from 1 earlier day: 39 picked", 80)).toBe(0);
    expect(hangingIndent("    wrote /tmp/x", 80)).toBe(4);
    expect(hangingIndent("  website:                     /tmp/demo/site/", 60)).toBe(2);
    expect(hangingIndent("Read 3 entries from lib.bib (bibtex): 2 papers matched", 80)).toBe(0);
  });
});

describe("layoutText", () => {
  it("wraps at word boundaries to the width, continuation lines under the prefix", () => {
    expect(layoutText(WARNING, 80)).toBe(
      'warning: llm.provider is "offline": papers were scored by the offline lexical\n' +
        "         scorer (novelty is not judged offline).\n",
    );
    const item = `  2026-03-17: ${"many words follow here ".repeat(6).trim()}.`;
    const laid = layoutText(item, 50);
    expectFits(laid, 50);
    expect(words(laid)).toEqual(words(item));
    for (const line of laid.split("\n").slice(1)) expect(line).toMatch(/^ {14}\S/);
  });

  it("keeps a URL, a path or an id whole, on a line of its own when wider than the room", () => {
    const url = "https://export.arxiv.org/api/query?search_query=cat:cs.LG&start=0&max_results=2000";
    const path = "/home/someone/papers/archive/2026/03/2026-03-17.json";
    const text = `error: could not read ${path} after fetching ${url} for 2401.00010v2 and hep-th/9901001.`;
    const laid = layoutText(text, 40);
    const lines = laid.split("\n");
    expect(lines).toContain(`       ${path}`);
    expect(lines).toContain(`       ${url}`);
    expect(laid).toContain("2401.00010v2");
    expect(laid).toContain("hep-th/9901001.");
    expect(words(laid)).toEqual(words(text));
  });

  it("leaves a line that fits as it is, byte for byte, and keeps the text's own line breaks", () => {
    const text = "Where to look:\n  archive (one JSON per day):  /tmp/d/archive/   \n\n  website:  /tmp/d/site/\n";
    expect(layoutText(text, 80)).toBe(text);
    expect(layoutText("a\n\nb", 20)).toBe("a\n\nb");
  });

  it("lays a list item wrapped for another width out again as one paragraph, under its marker", () => {
    const text = [
      "Next steps:",
      "  1. Edit the config (categories, topics) and authors.txt beside it.",
      "  2. Secrets: copy .env.example to .env (git-ignored) and fill in OPENAI_API_KEY, and",
      "     SLACK_WEBHOOK_URL or SLACK_BOT_TOKEN, SMTP_PASSWORD if you deliver.",
      "  wrote a.txt",
      "  wrote b.txt",
      "",
    ].join("\n");
    expect(layoutText(text, 60)).toBe(
      [
        "Next steps:",
        "  1. Edit the config (categories, topics) and authors.txt",
        "     beside it.",
        "  2. Secrets: copy .env.example to .env (git-ignored) and",
        "     fill in OPENAI_API_KEY, and SLACK_WEBHOOK_URL or",
        "     SLACK_BOT_TOKEN, SMTP_PASSWORD if you deliver.",
        "  wrote a.txt",
        "  wrote b.txt",
        "",
      ].join("\n"),
    );
  });

  it("counts wide characters by the columns they take", () => {
    const text = `note: ${"漢字漢字 ".repeat(10).trim()}`;
    const laid = layoutText(text, 30);
    // Each line holds "note: " or its indent (6) and at most two 8-column words: 6 + 8 + 1 + 8 = 23.
    for (const line of laid.split("\n")) expect(line.length).toBeLessThanOrEqual(6 + 4 + 1 + 4);
    expect(words(laid)).toEqual(words(text));
  });
});

describe("layoutText and a span in backticks", () => {
  const command = "`arxiv-digest feedback waiting --forget HANDLE --workspace 'has space'`";

  it("moves a suggested command to the next line whole, never breaking it", () => {
    const text = `note: 2 papers are known by title only (shown as waiting:HANDLE): they count by that title; ${command} forgets one.`;
    const laid = layoutText(text, 80);
    expect(laid.split("\n")).toContain(`      ${command}`);
    expect(words(laid)).toEqual(words(text));
  });

  it("keeps a span wider than the room whole on a line of its own", () => {
    const text = `error: run ${command} now.`;
    const laid = layoutText(text, 40);
    expect(laid.split("\n")).toEqual(["error: run", `       ${command}`, "       now."]);
  });

  it("wraps the words outside the spans as before, and leaves a lone backtick alone", () => {
    const text = `warning: a \`b c\` d e f g h i j k l m n o p q r s t u v w x y z one \`two three`;
    const laid = layoutText(text, 30);
    expectFits(laid, 30);
    expect(laid).toContain("`b c`");
    expect(words(laid)).toEqual(words(text));
    expect(laid).not.toMatch(/[\ue000-\uf8ff]/u);
  });

  it("keeps a private-use character the text holds as it is", () => {
    const text = `note: \ue000 ${"word ".repeat(12)}${command}`;
    const laid = layoutText(text, 60);
    expect(laid).toContain("\ue000");
    expect(laid).toContain(command);
  });
});

describe("terminalWriter", () => {
  it("writes text unchanged to a stream that is not a terminal, whatever COLUMNS says", () => {
    const pipe = fakeStream(false, 40);
    terminalWriter(pipe, { COLUMNS: "40" })(WARNING);
    expect(pipe.written).toEqual([WARNING]);
  });

  it("lays text out to a terminal's width, read at each write", () => {
    const tty = fakeStream(true, 100);
    const write = terminalWriter(tty, {});
    write(WARNING);
    tty.columns = 60;
    write(WARNING);
    expect(tty.written[0]).toBe(layoutText(WARNING, 100));
    expect(tty.written[1]).toBe(layoutText(WARNING, 60));
    expectFits(tty.written[1]!, 60);
    expect(textFor(tty, WARNING, { COLUMNS: "100" })).toBe(tty.written[0]);
  });
});

describe("the help trailer", () => {
  it("is the same lines as ever off a terminal", () => {
    const pipe = fakeStream(false, 50) as unknown as NodeJS.WriteStream;
    const expected = `
Exit codes: 0 done (an honest empty day included), 1 incomplete (unscored papers, a failed source or delivery),
2 bad usage, config or environment (a key missing or not as issued), 3 the feed has not been updated yet (stale).
Environment: ARXIV_RSS_URL, ARXIV_API_URL, ARXIV_CONTACT, OPENAI_BASE_URL, OPENAI_API_KEY, ARXIV_DIGEST_MODEL,
ARXIV_DIGEST_SITE_URL (the site's address while site.baseUrl is the default), SEMANTIC_SCHOLAR_API_URL, S2_API_KEY,
SLACK_WEBHOOK_URL, SLACK_BOT_TOKEN, SMTP_PASSWORD, GITHUB_TOKEN, GITHUB_API_URL (a .env in the workspace is read);
GITHUB_ACTIONS=true (as in a workflow): warnings and failures also as workflow annotations.`;
    expect(helpTrailer(pipe, terminal)).toBe(expected);
    expect(helpTrailer(pipe)).toBe(expected);
  });

  it("is laid out to a terminal's width, each paragraph hanging under its label", () => {
    const tty = fakeStream(true, 80) as unknown as NodeJS.WriteStream;
    const laid = helpTrailer(tty, terminal);
    expectFits(laid, 80);
    expect(words(laid)).toEqual(words(helpTrailer(fakeStream(false) as unknown as NodeJS.WriteStream)));
    const lines = laid.split("\n");
    expect(lines[1]).toMatch(/^Exit codes: /);
    const env = lines.findIndex((l) => l.startsWith("Environment: "));
    expect(env).toBeGreaterThan(2);
    for (const l of lines.slice(2, env)) expect(l).toMatch(/^ {12}\S/);
    for (const l of lines.slice(env + 1)) expect(l).toMatch(/^ {13}\S/);
  });
});

describe("terminalSafe", () => {
  it("writes control and format characters as visible escapes, keeping line breaks, tabs and joiners", () => {
    expect(terminalSafe("id \u001b]0;pwned\u0007 \u202eevil\r \u009b2J\n\tok")).toBe(
      "id \\u001b]0;pwned\\u0007 \\u202eevil\\u000d \\u009b2J\n\tok",
    );
    expect(terminalSafe("\u{e0041}tag \u2066x\u2069 \ufeff")).toBe("\\u{e0041}tag \\u2066x\\u2069 \\ufeff");
    expect(terminalSafe("caf\u00e9 \u{1f469}\u200d\u{1f52c} \u0928\u094d\u200c")).toBe(
      "caf\u00e9 \u{1f469}\u200d\u{1f52c} \u0928\u094d\u200c",
    );
  });

  it("guards every write, to a pipe as to a terminal", () => {
    const written: string[] = [];
    terminalWriter({ isTTY: false, write: (t) => written.push(t) })("warning: \u001b[2J\u202e\n");
    expect(written).toEqual(["warning: \\u001b[2J\\u202e\n"]);
    expect(textFor({ isTTY: true, columns: 80 }, "x\u0007\n", {})).toBe("x\\u0007\n");
  });
});
