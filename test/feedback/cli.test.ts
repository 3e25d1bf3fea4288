/** `arxiv-digest feedback …` through the real executable, against temporary workspaces. */
import { appendFileSync, existsSync, mkdtempSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { ArchiveStore } from "../../src/archive/store.js";
import { apiPage } from "../helpers/arxiv-xml.js";
import { isolatedEnv, runCli, SELF } from "../helpers/cli.js";
import { makeDay, makePaper } from "../helpers/day-factory.js";
import { startServer } from "../helpers/server.js";
import { type FakeGitHub, startFakeGitHub } from "./fake-github.js";

// Each run starts node and compiles the sources through tsx: seconds apiece on a busy machine.
vi.setConfig({ testTimeout: 180_000 });

const library = (name: string) => new URL(`../fixtures/library/${name}`, import.meta.url).pathname;
const TOKEN = "ghp_clitoken0987654321";

const CONFIG = (extra = "") => `topics:
  - id: moe
    title: Mixture of experts
    description: Routing and load balancing in sparse models.
${extra}`;

function workspace(config = CONFIG()): string {
  const dir = mkdtempSync(join(tmpdir(), "ad-feedback-cli-"));
  writeFileSync(join(dir, "arxiv-digest.yaml"), config);
  return dir;
}

function lines(ws: string): Record<string, unknown>[] {
  return readFileSync(join(ws, "feedback.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

let archived: string;
beforeAll(async () => {
  archived = workspace();
  await new ArchiveStore(join(archived, "archive")).writeDay(
    makeDay({
      papers: [
        makePaper({
          id: "2312.01234",
          title: "Graph Retrieval for Long-Context Question Answering",
          doi: "10.1145/3589334.3645001",
        }),
        makePaper({
          id: "2402.05555",
          title: String.raw`Schr\"odinger Bridges for $\mathcal{O}(n^2)$-Free Diffusion Sampling`,
        }),
      ],
    }),
  );
});

describe("feedback like/dislike/save/clear and list", () => {
  it("records signals with titles from the archive and lists the current state", async () => {
    const ws = archived;
    const liked = await runCli(["feedback", "like", "arXiv:2312.01234v2", "2401.00010", "--workspace", ws]);
    // A paper from elsewhere is kept, and the reader is told what it takes to count.
    expect(liked.stderr).toBe(
      `note: 2401.00010 is not in your archive: run \`${SELF} feedback resolve --workspace ${ws}\` to fetch its title and abstract; until then it does not shape the digest.\n`,
    );
    expect(liked.code).toBe(0);
    expect(liked.stdout).toBe(
      "like 2312.01234  Graph Retrieval for Long-Context Question Answering\nlike 2401.00010\n",
    );
    expect((await runCli(["feedback", "save", "2401.00010", "--workspace", ws])).code).toBe(0);
    expect((await runCli(["feedback", "dislike", "2401.00010", "--workspace", ws])).code).toBe(0);
    const cleared = await runCli(["feedback", "clear", "2312.01234", "--workspace", ws]);
    expect(cleared.code).toBe(0);
    expect(cleared.stderr).toBe("");
    const written = lines(ws);
    expect(written.map((l) => `${l.signal} ${l.id} ${l.source}`)).toEqual([
      "like 2312.01234 cli",
      "like 2401.00010 cli",
      "save 2401.00010 cli",
      "dislike 2401.00010 cli",
      "clear 2312.01234 cli",
    ]);
    const list = await runCli(["feedback", "list", "--workspace", ws]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^2401\.00010\s+disliked, saved\s+\d{4}-\d{2}-\d{2}\s*$/m);
    expect(list.stdout).not.toContain("2312.01234");
  });

  it("prints a title's TeX as plain text on the terminal and keeps it as typed in the file", async () => {
    const ws = workspace();
    await new ArchiveStore(join(ws, "archive")).writeDay(
      makeDay({
        papers: [
          makePaper({
            id: "2402.05555",
            title: String.raw`Schr\"odinger Bridges for $\mathcal{O}(n^2)$-Free Sampling`,
          }),
        ],
      }),
    );
    const r = await runCli(["feedback", "save", "2402.05555", "--workspace", ws]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("save 2402.05555  Schrödinger Bridges for O(n²)-Free Sampling\n");
    expect(lines(ws)[0]!.title).toBe(String.raw`Schr\"odinger Bridges for $\mathcal{O}(n^2)$-Free Sampling`);
    const list = await runCli(["feedback", "list", "--workspace", ws]);
    expect(list.stdout).toMatch(/^2402\.05555\s+saved\s+\S+\s+Schrödinger Bridges for O\(n²\)-Free Sampling$/m);
  });

  it("refuses a bad id with exit 2, naming it, and writes nothing", async () => {
    const ws = workspace();
    const r = await runCli(["feedback", "like", "2401.00010", "2401.1", "--workspace", ws]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/"2401\.1" is not an arXiv identifier/);
    expect(r.stderr).not.toMatch(/--debug/);
    expect((await runCli(["feedback", "list", "--workspace", ws])).stdout).toMatch(/No feedback yet/);
  });

  it("names every bad id of a batch, says nothing was saved, and writes nothing", async () => {
    const ws = workspace();
    const r = await runCli(["feedback", "save", "2511.99999", "2511.0001", "ab", "--workspace", ws]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'arxiv-digest: "2511.0001" and "ab" are not arXiv identifiers (expected e.g. 2401.00010 or hep-th/9901001), so nothing was saved, not even the valid one: correct them and run the command again.\n',
    );
    expect(r.stdout).toBe("");
    expect(existsSync(join(ws, "feedback.jsonl"))).toBe(false);
  });

  it("dates each paper's feedback by the day in US Eastern time, as every other message does", async () => {
    const ws = workspace();
    // 02:30 UTC on November 29 is still November 28 in New York; the waiting entry likewise.
    writeFileSync(
      join(ws, "feedback.jsonl"),
      `${JSON.stringify({ v: 1, id: "2511.00010", signal: "like", at: "2026-11-29T02:30:00.000Z", source: "cli" })}\n${JSON.stringify({ v: 2, signal: "save", at: "2026-11-29T03:00:00.000Z", source: "import:zotero.bib", title: "Routing tokens to experts at scale" })}\n`,
    );
    const list = await runCli(["feedback", "list", "--workspace", ws]);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/^2511\.00010\s+liked\s+2026-11-28 {2}$/m);
    expect(list.stdout).toMatch(/^waiting:\S+\s+saved\s+2026-11-28 {2}Routing tokens to experts at scale$/m);
    expect(list.stdout).not.toContain("2026-11-29");
    const waiting = await runCli(["feedback", "waiting", "--workspace", ws]);
    expect(waiting.stdout).toMatch(/saved\s+2026-11-28 {2}Routing tokens to experts at scale$/m);
    expect(waiting.stdout).not.toContain("2026-11-29");
  });

  it("warns about bad lines by number and still lists the good ones", async () => {
    const ws = workspace();
    await runCli(["feedback", "save", "2401.00010", "--workspace", ws]);
    appendFileSync(join(ws, "feedback.jsonl"), '{"v":1,"id":"oops"}\n');
    const r = await runCli(["feedback", "list", "--workspace", ws]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: .*feedback\.jsonl:2: skipped, id:/);
    expect(r.stdout).toMatch(/^2401\.00010\s+saved/m);
  });
});

describe("feedback import and export", () => {
  it("saves a Zotero library's papers, then stays quiet on the second import", async () => {
    const ws = workspace();
    await new ArchiveStore(join(ws, "archive")).writeDay(
      makeDay({
        papers: [
          makePaper({ id: "2312.01234", title: "Graph Retrieval", doi: "10.1145/3589334.3645001" }),
          makePaper({
            id: "2402.05555",
            title: String.raw`Schr\"odinger Bridges for $\mathcal{O}(n^2)$-Free Diffusion Sampling`,
          }),
        ],
      }),
    );
    const r = await runCli(["feedback", "import", library("zotero.bib"), "--workspace", ws]);
    expect(r.stderr).toMatch(
      // A library gives each paper its title: they teach by it until resolved.
      new RegExp(
        String.raw`^note: 5 papers are not in your archive \(2401\.00010, [^)]*\) and shape the digest by their titles only: run \`${SELF} feedback resolve --workspace [^\`]+\` to fetch them whole from arXiv\.\n$`,
      ),
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "Read 9 entries from zotero.bib (bibtex): 7 papers matched (5 by arXiv id, 1 by DOI, 1 by title), 1 saved by title until its paper is archived, 8 newly saved, 0 not matched, 1 duplicated.",
    );
    expect(r.stdout).toContain("duplicate 2401.00010: @misc{lin_sparse_2024}, @article{lin_sparse_2024-1}");
    expect(r.stdout).toMatch(
      /saved by title: @book\{goodfellow_deep_2016\} "Deep Learning": no known paper has this title yet/,
    );
    expect(lines(ws).every((l) => l.signal === "save" && l.source === "import:zotero.bib")).toBe(true);
    const again = await runCli(["feedback", "import", library("zotero.bib"), "--format", "bibtex", "--workspace", ws]);
    expect(again.stdout).toContain("0 newly saved");
    expect(again.stderr).toBe("");
    expect(lines(ws)).toHaveLength(8);
  });

  it("prints a library's labels and titles with their control and bidi characters as visible escapes", async () => {
    const ws = workspace();
    // ESC ] 0 ; … BEL sets the window title, ESC [ … recolours or clears, U+202E reverses the text shown.
    const items = [
      { id: "\u001b]0;pwned\u0007\u202eevil", type: "article", title: "Sparse \u202eRouting\u001b[2J" },
      { id: "x\u001b[31m", type: "article", URL: "https://example.org/" },
    ];
    writeFileSync(join(ws, "lib.json"), JSON.stringify(items));
    writeFileSync(join(ws, "lib.bib"), "@misc{key\u001b]0;pwned\u0007\u202e, title={Another title}}\n");
    const csl = await runCli(["feedback", "import", join(ws, "lib.json"), "--workspace", ws]);
    expect(csl.code, csl.stderr).toBe(0);
    expect(csl.stdout).toContain(
      'saved by title: CSL item 1 (id \\u001b]0;pwned\\u0007\\u202eevil) "Sparse Routing [2J"',
    );
    expect(csl.stdout).toContain("not matched: CSL item 2 (id x\\u001b[31m)");
    const bib = await runCli(["feedback", "import", join(ws, "lib.bib"), "--workspace", ws]);
    // A key the parser cannot read: the entry is named on stderr with the line to fix.
    expect(bib.code).toBe(1);
    expect(bib.stderr).toContain("warning: lib.bib:1: @misc{key\\u001b]0;pwned\\u0007\\u202e} skipped: ");
    for (const text of [csl.stdout, csl.stderr, bib.stdout, bib.stderr])
      expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
  });

  it("names a missing file, an unknown --format and an unrecognisable file with exit 2", async () => {
    const ws = workspace();
    const missing = await runCli(["feedback", "import", join(ws, "nope.bib"), "--workspace", ws]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.bib does not exist/);
    const format = await runCli([
      "feedback",
      "import",
      library("zotero.bib"),
      "--format",
      "endnote",
      "--workspace",
      ws,
    ]);
    expect(format.code).toBe(2);
    expect(format.stderr).toBe(
      `error: option '--format <format>' argument 'endnote' is invalid. Allowed choices are bibtex, ris, csl-json, jsonl.\nSee \`${SELF} feedback import --help\`.\n`,
    );
    // A typo is answered with the choice it most likely meant, by the rule the config's keys use.
    const typo = await runCli(["feedback", "import", library("zotero.bib"), "--format", "bibtx", "--workspace", ws]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(
      /^error: option '--format <format>' argument 'bibtx' is invalid\. Did you mean bibtex\? /,
    );
    writeFileSync(join(ws, "notes.txt"), "just some notes\n");
    const unknown = await runCli(["feedback", "import", join(ws, "notes.txt"), "--workspace", ws]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/cannot tell the format of notes\.txt/);
  });

  it("names the file and line of a brace left open, counts the entry apart, imports the rest and exits 1", async () => {
    const ws = workspace();
    const broken = [
      ...["lin_a", "lin_b", "lin_c"].flatMap((key) => [
        `@misc{${key},`,
        "\ttitle = {Sparse Routing},",
        "\teprint = {2401.00010},",
        "\tarchivePrefix = {arXiv},",
        "}",
      ]),
      "",
      "",
      "",
      "@misc{future1,",
      "\ttitle = {Unclosed {brace title,",
      "\tyear = {2026},",
      "}",
      "",
      "@misc{after_2024,",
      "\ttitle = {Token Merging},",
      "\teprint = {2403.07777},",
      "\tarchivePrefix = {arXiv},",
      "}",
      "",
    ].join("\n");
    expect(broken.split("\n")[19]).toBe("\ttitle = {Unclosed {brace title,");
    writeFileSync(join(ws, "broken.bib"), broken);
    const r = await runCli(["feedback", "import", join(ws, "broken.bib"), "--workspace", ws]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^Read 5 entries from broken\.bib \(bibtex\): 2 papers matched .*, 0 not matched, 1 unreadable, 1 duplicated\.\n/,
    );
    expect(r.stderr).toContain(
      'warning: broken.bib:20: @misc{future1} skipped: the brace opened at "{Unclosed {brace title," is never closed; close it and import again.\n',
    );
    // Nothing lost: the other entries are saved, and the mended file adds only the entry it lacked.
    expect(lines(ws).map((l) => l.id)).toEqual(["2401.00010", "2403.07777"]);
    writeFileSync(join(ws, "broken.bib"), broken.replace("{Unclosed {brace title,", "{Unclosed {brace} title},"));
    const again = await runCli(["feedback", "import", join(ws, "broken.bib"), "--workspace", ws]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("1 newly saved, 0 not matched, 1 duplicated.");
    expect(lines(ws)).toHaveLength(3);
  });

  it("names a device or a pipe as typed when it holds more than the import reads (exit 2)", async () => {
    const ws = workspace();
    const r = await runCli(["feedback", "import", "/dev/zero", "--format", "bibtex", "--workspace", ws]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^arxiv-digest: \/dev\/zero holds more than the 16 MB feedback import reads \(it was still growing, or is a pipe or a device\);/,
    );
  });

  it("refuses a library larger than it reads before reading it, naming the file and its size (exit 2)", async () => {
    const ws = workspace();
    // A sparse file: 40 MB long, nothing written.
    writeFileSync(join(ws, "huge.bib"), "");
    truncateSync(join(ws, "huge.bib"), 40_000_000);
    const r = await runCli(["feedback", "import", join(ws, "huge.bib"), "--workspace", ws]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "arxiv-digest: huge.bib is 40 MB, more than the 16 MB feedback import reads; export your library in parts (a collection or a year at a time) and import each.\n",
    );
    expect(existsSync(join(ws, "feedback.jsonl"))).toBe(false);
  });

  it("refuses a file that holds no entry of the format read, naming the file, the format and the one it looks like", async () => {
    const ws = workspace();
    const ris = "TY  - JOUR\nTI  - Mechanistic Origin of Moral Indifference in Language Models\nER  - \n";
    writeFileSync(join(ws, "lib.bib"), ris);
    const risInBib = await runCli(["feedback", "import", join(ws, "lib.bib"), "--workspace", ws]);
    expect(risInBib.code).toBe(2);
    expect(risInBib.stderr).toBe(
      "arxiv-digest: no BibTeX entry found in lib.bib; it looks like RIS: add --format ris.\n",
    );
    expect(risInBib.stdout).toBe("");

    const bibAsRis = await runCli(["feedback", "import", library("zotero.bib"), "--format", "ris", "--workspace", ws]);
    expect(bibAsRis.code).toBe(2);
    expect(bibAsRis.stderr).toBe(
      "arxiv-digest: no RIS record found in zotero.bib; it looks like BibTeX: add --format bibtex.\n",
    );

    writeFileSync(join(ws, "empty.bib"), "");
    const empty = await runCli(["feedback", "import", join(ws, "empty.bib"), "--workspace", ws]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/^arxiv-digest: no BibTeX entry found in empty\.bib \(the file is empty\); /);

    writeFileSync(join(ws, "lib.json"), "@misc{a, title={Sparse Routing}}\n");
    const bibInJson = await runCli(["feedback", "import", join(ws, "lib.json"), "--workspace", ws]);
    expect(bibInJson.code).toBe(2);
    expect(bibInJson.stderr).toBe(
      "arxiv-digest: no CSL-JSON item found in lib.json; it looks like BibTeX: add --format bibtex.\n",
    );
    // Nothing was written by any of them.
    expect(() => readFileSync(join(ws, "feedback.jsonl"))).toThrow(/ENOENT/);

    // Entries that match no paper are no mistake: read, reported, exit 0.
    writeFileSync(join(ws, "books.bib"), "@book{goodfellow, title={Deep Learning}}\n");
    const books = await runCli(["feedback", "import", join(ws, "books.bib"), "--workspace", ws]);
    expect(books.code).toBe(0);
    expect(books.stdout).toContain("Read 1 entry from books.bib (bibtex): 0 papers matched");
  });

  it("reads one entry and one match in the singular", async () => {
    const ws = workspace();
    writeFileSync(
      join(ws, "one.bib"),
      "@misc{lin, title={Sparse Routing}, eprint={2401.00010}, archivePrefix={arXiv}}\n",
    );
    const r = await runCli(["feedback", "import", join(ws, "one.bib"), "--workspace", ws]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "Read 1 entry from one.bib (bibtex): 1 paper matched (1 by arXiv id, 0 by DOI, 0 by title), 1 newly saved,",
    );
  });

  it("exports the lines that decide the feedback as written, which another workspace imports to the same state", async () => {
    const a = workspace();
    // A click under `serve`, written with source "site" and a title, before the CLI's signals.
    const click = {
      v: 1,
      id: "2401.00030",
      signal: "like",
      at: "2025-01-02T03:04:05.678+01:00",
      source: "site",
      title: "Sparse routing",
    };
    writeFileSync(join(a, "feedback.jsonl"), `${JSON.stringify(click)}\n`);
    await runCli(["feedback", "like", "2401.00010", "--workspace", a]);
    await runCli(["feedback", "save", "2401.00010", "2401.00020", "--workspace", a]);
    await runCli(["feedback", "clear", "2401.00020", "--workspace", a]);
    const exported = await runCli(["feedback", "export", "--workspace", a]);
    expect(exported.code).toBe(0);
    const out = exported.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(out.map((l) => `${l.signal} ${l.id} ${l.source}`)).toEqual([
      "like 2401.00030 site",
      "like 2401.00010 cli",
      "save 2401.00010 cli",
      "clear 2401.00020 cli",
    ]);
    // Every exported line is a line of the file, every field as written.
    const written = lines(a);
    expect(out).toEqual([written[0], written[1], written[2], written[4]]);

    const b = workspace();
    await runCli(["feedback", "like", "2401.00020", "--workspace", b]);
    // The export's clear of 2401.00020 is older than b's like of it, so b keeps its newer opinion.
    writeFileSync(join(b, "state-export.txt"), exported.stdout);
    const imported = await runCli(["feedback", "import", join(b, "state-export.txt"), "--workspace", b]);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toBe("Imported 4 signals from state-export.txt.\n");
    expect(lines(b).slice(1)).toEqual(out);
    const list = (await runCli(["feedback", "list", "--workspace", b])).stdout;
    expect(list).toMatch(/^2401\.00010\s+liked, saved/m);
    expect(list).toMatch(/^2401\.00020\s+liked/m);
    // Given at 03:04 on January 2 at +01:00: 21:04 on January 1 in US Eastern time, the day shown.
    expect(list).toMatch(/^2401\.00030\s+liked\s+2025-01-01\s+Sparse routing$/m);

    // Into an empty workspace the round trip is exact: the same list and the same export.
    const c = workspace();
    writeFileSync(join(c, "export.jsonl"), exported.stdout);
    await runCli(["feedback", "import", join(c, "export.jsonl"), "--workspace", c]);
    const listOf = async (ws: string) => (await runCli(["feedback", "list", "--workspace", ws])).stdout;
    expect(await listOf(c)).toBe(await listOf(a));
    expect((await runCli(["feedback", "export", "--workspace", c])).stdout).toBe(exported.stdout);
    // A second import adds nothing.
    const again = await runCli(["feedback", "import", join(c, "export.jsonl"), "--workspace", c]);
    expect(again.stdout).toBe("Imported 0 signals from export.jsonl (4 lines already recorded).\n");
    expect(lines(c)).toEqual(out);
  });
});

describe("feedback sync", () => {
  let fake: FakeGitHub | null = null;
  afterEach(async () => {
    await fake?.server.close();
    fake = null;
  });

  const issues = [
    { number: 1, title: "feedback: like 2401.00010", author_association: "OWNER", created_at: "2026-02-05T08:00:00Z" },
    { number: 2, title: "feedback: like 2401.00099", author_association: "NONE", created_at: "2026-02-05T08:01:00Z" },
    { number: 3, title: "feedback: save 2401.00020", author_association: "MEMBER", created_at: "2026-02-05T08:02:00Z" },
  ];

  it("imports the trusted issues into feedback.jsonl and closes them", async () => {
    fake = await startFakeGitHub({ repo: "reader/papers", token: TOKEN, issues });
    const ws = workspace(CONFIG("feedback:\n  github: reader/papers\n"));
    const r = await runCli(["feedback", "sync", "--workspace", ws], {
      env: isolatedEnv({ GITHUB_TOKEN: TOKEN, GITHUB_API_URL: fake.url }),
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("Synced 2 feedback issues from reader/papers (2 closed, 1 ignored).\n");
    expect(r.stderr).toMatch(/issue #2 left open: opened by someone \(NONE\)/);
    expect(r.stderr).toMatch(
      new RegExp(
        String.raw`^note: 2 papers are not in your archive \(2401\.00010, 2401\.00020\): run \`${SELF} feedback resolve --workspace [^\`]+\` to fetch their titles and abstracts; until then they do not shape the digest\.$`,
        "m",
      ),
    );
    expect(lines(ws).map((l) => `${l.signal} ${l.id} ${l.source} ${l.at}`)).toEqual([
      "like 2401.00010 github 2026-02-05T08:00:00.000Z",
      "save 2401.00020 github 2026-02-05T08:02:00.000Z",
    ]);
    expect(fake.closed).toEqual([1, 3]);
  });

  it("records the archive's title for a paper the archive has", async () => {
    fake = await startFakeGitHub({
      repo: "reader/papers",
      token: TOKEN,
      issues: [
        {
          number: 7,
          title: "feedback: like 2402.05555",
          author_association: "OWNER",
          created_at: "2026-02-05T08:00:00Z",
        },
      ],
    });
    const ws = workspace(CONFIG("feedback:\n  github: reader/papers\n"));
    await new ArchiveStore(join(ws, "archive")).writeDay(
      makeDay({ papers: [makePaper({ id: "2402.05555", title: "Surg$\\Sigma$:\n  a  Dataset" })] }),
    );
    const r = await runCli(["feedback", "sync", "--workspace", ws], {
      env: isolatedEnv({ GITHUB_TOKEN: TOKEN, GITHUB_API_URL: fake.url }),
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(lines(ws).map((l) => `${l.signal} ${l.id} ${l.title}`)).toEqual([
      "like 2402.05555 Surg$\\Sigma$: a Dataset",
    ]);
  });

  it("with --keep-open records one issue, says so in the singular and closes nothing", async () => {
    fake = await startFakeGitHub({ repo: "reader/papers", token: TOKEN, issues: issues.slice(0, 1) });
    const ws = workspace(CONFIG("feedback:\n  github: reader/papers\n"));
    const r = await runCli(["feedback", "sync", "--keep-open", "--workspace", ws], {
      env: isolatedEnv({ GITHUB_TOKEN: TOKEN, GITHUB_API_URL: fake.url }),
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("Synced 1 feedback issue from reader/papers (0 closed, 0 ignored).\n");
    expect(lines(ws).map((l) => `${l.signal} ${l.id}`)).toEqual(["like 2401.00010"]);
    expect(fake.closed).toEqual([]);
    expect(fake.open.size).toBe(1);
  });

  it("records an issue once: a sync after --keep-open only closes it", async () => {
    fake = await startFakeGitHub({ repo: "reader/papers", token: TOKEN, issues: issues.slice(0, 1) });
    const ws = workspace(CONFIG("feedback:\n  github: reader/papers\n"));
    const env = isolatedEnv({ GITHUB_TOKEN: TOKEN, GITHUB_API_URL: fake.url });
    await runCli(["feedback", "sync", "--keep-open", "--workspace", ws], { env });
    const again = await runCli(["feedback", "sync", "--workspace", ws], { env });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe(
      "Synced 1 feedback issue from reader/papers (1 already recorded, 1 closed, 0 ignored).\n",
    );
    expect(lines(ws).map((l) => `${l.signal} ${l.id} ${l.issue}`)).toEqual(["like 2401.00010 reader/papers#1"]);
    expect(fake.closed).toEqual([1]);
  });

  it("exits 1 on a rejected token without printing it, and 2 without a token or repo", async () => {
    fake = await startFakeGitHub({ repo: "reader/papers", token: "other", issues });
    const ws = workspace(CONFIG("feedback:\n  github: reader/papers\n"));
    const bad = await runCli(["feedback", "sync", "--workspace", ws], {
      env: isolatedEnv({ GITHUB_TOKEN: TOKEN, GITHUB_API_URL: fake.url }),
    });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/answered 401 Unauthorized: Bad credentials/);
    expect(bad.stderr + bad.stdout).not.toContain(TOKEN);

    const noToken = await runCli(["feedback", "sync", "--workspace", ws], {
      env: isolatedEnv({ GITHUB_API_URL: fake.url }),
    });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toMatch(/GITHUB_TOKEN is not set/);

    const noRepo = await runCli(["feedback", "sync", "--workspace", workspace(CONFIG())], {
      env: isolatedEnv({ GITHUB_TOKEN: TOKEN, GITHUB_API_URL: fake.url }),
    });
    expect(noRepo.code).toBe(2);
    expect(noRepo.stderr).toMatch(/feedback\.github is not set/);
    expect(fake.server.requests).toHaveLength(1);
  });

  it("rejects a malformed feedback.github in the config, naming the key", async () => {
    const ws = workspace(CONFIG("feedback:\n  github: https://github.com/reader/papers\n"));
    const r = await runCli(["feedback", "list", "--workspace", ws]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /feedback\.github \(line \d+\): "https:\/\/github\.com\/reader\/papers" is the repository's address; write its owner\/repo instead: github: reader\/papers/,
    );
  });
});

describe("feedback resolve", () => {
  it("fetches papers outside the archive from the arXiv API once and caches them", async () => {
    const server = await startServer((req, res) => {
      const ids = (new URL(req.url, "http://x").searchParams.get("id_list") ?? "").split(",");
      const entries = ids
        .filter((id) => id === "2401.00010")
        .map((id) => ({
          paper: { id, title: "Sparse Routing", abstract: "We route.", authors: ["Wei Lin"] },
          categories: ["cs.LG"],
          published: "2024-01-02T00:00:00Z",
        }));
      res.writeHead(200, { "content-type": "application/atom+xml" });
      res.end(apiPage(entries, entries.length, 0));
    });
    try {
      const ws = workspace(CONFIG("arxiv:\n  minIntervalSeconds: 0\n"));
      await new ArchiveStore(join(ws, "archive")).writeDay(makeDay({ papers: [makePaper({ id: "2312.01234" })] }));
      const at = "2026-02-05T08:00:00Z";
      writeFileSync(
        join(ws, "feedback.jsonl"),
        ["2312.01234", "2401.00010", "2401.00030"]
          .map((id) => JSON.stringify({ v: 1, id, signal: "like", at, source: "cli" }))
          .join("\n"),
      );
      const env = isolatedEnv({ ARXIV_API_URL: `${server.url}/api/query` });
      const first = await runCli(["feedback", "resolve", "--workspace", ws], { env });
      expect(first.stderr).toBe("");
      expect(first.stdout).toBe(
        "Papers with feedback outside the archive: 1 known (1 fetched now), 1 unknown to arXiv: 2401.00030.\n",
      );
      expect(server.requests.map((r) => new URL(r.url, "http://x").searchParams.get("id_list"))).toEqual([
        "2401.00010,2401.00030",
      ]);
      const cache = JSON.parse(readFileSync(join(ws, "feedback-papers.json"), "utf8"));
      expect(cache.papers["2401.00010"]).toMatchObject({ title: "Sparse Routing", authors: ["Wei Lin"] });
      const second = await runCli(["feedback", "resolve", "--workspace", ws], { env });
      expect(second.stdout).toContain("1 known (0 fetched now)");
      expect(server.requests.map((r) => new URL(r.url, "http://x").searchParams.get("id_list"))).toEqual([
        "2401.00010,2401.00030",
        "2401.00030",
      ]);
    } finally {
      await server.close();
    }
  });
});

describe("feedback resolve agrees with feedback waiting and clear", () => {
  it("leaves out a forgotten waiting entry and a cleared paper: nothing waits, nothing is fetched", async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/atom+xml" });
      res.end(apiPage([], 0, 0));
    });
    try {
      const ws = workspace(CONFIG("arxiv:\n  minIntervalSeconds: 0\n"));
      const env = isolatedEnv({ ARXIV_API_URL: `${server.url}/api/query` });
      const cli = (...args: string[]) => runCli([...args, "--workspace", ws], { env });
      writeFileSync(
        join(ws, "lib.bib"),
        "@misc{future,\n  title = {Cross-Lingual Retrieval with Sparse Mixtures},\n}\n",
      );
      expect((await cli("feedback", "import", join(ws, "lib.bib"))).code).toBe(0);
      const handle = /^([0-9a-f]{7,}) /m.exec((await cli("feedback", "waiting")).stdout)?.[1];
      expect(handle).toBeDefined();
      expect((await cli("feedback", "waiting", "--forget", handle!.slice(0, 4))).code).toBe(0);
      expect((await cli("feedback", "like", "2604.00001")).code).toBe(0);
      expect((await cli("feedback", "clear", "2604.00001")).code).toBe(0);

      const waiting = await cli("feedback", "waiting");
      expect(waiting.stdout).toBe("No library entry is waiting for its paper.\n");
      expect((await cli("feedback", "list")).stdout).toMatch(/^No feedback yet\./);
      const resolved = await cli("feedback", "resolve");
      expect(resolved.code, resolved.stderr).toBe(0);
      expect(resolved.stdout).toBe(
        "Papers with feedback outside the archive: 0 known (0 fetched now), 0 unknown to arXiv.\n" +
          "Feedback given by title: 0 lines now recorded by arXiv id, no library entry still waiting for its paper to be archived.\n",
      );
      // A cleared paper is nobody's business at arXiv.
      expect(server.requests).toHaveLength(0);
    } finally {
      await server.close();
    }
  });
});

describe("library entries kept by title until their paper is announced", () => {
  it("teaches by the title at once, counts the paper by id once archived, and a re-import adds nothing", async () => {
    const feed = readFileSync(new URL("../../demo/data/2026-03-18/cs.LG+cs.AI.xml", import.meta.url), "utf8");
    const arxiv = await startServer((req, res) => {
      if (req.url !== "/rss/cs.LG+cs.AI") {
        res.writeHead(404);
        res.end();
        return;
      }
      res.writeHead(200, { "content-type": "application/rss+xml" });
      res.end(feed);
    });
    try {
      const ws = workspace(
        `arxiv:\n  categories: [cs.LG, cs.AI]\n  minIntervalSeconds: 0\n  retries: 0\nllm:\n  provider: offline\n${CONFIG()}`,
      );
      const store = new ArchiveStore(join(ws, "archive"));
      await store.writeDay(
        makeDay({
          date: "2026-03-17",
          papers: [
            makePaper({
              id: "2603.00001",
              title: "Sparse mixture of experts routing",
              topic: "moe",
              outcome: "selected",
            }),
          ],
        }),
      );
      // A preprint the reader saved before it was announced (their manager's casing, braces and a
      // trailing period; the feed of 2026-03-18 carries it), and one still unannounced.
      writeFileSync(
        join(ws, "lib.bib"),
        `@article{nextmem,\n  title = {{NextMem}: towards latent factual memory for {LLM}-based agents.},\n  journal = {Preprint},\n}\n` +
          `@inproceedings{future,\n  title = {Cross-Lingual Retrieval with Sparse Mixtures},\n}\n`,
      );
      const imported = await runCli(["feedback", "import", join(ws, "lib.bib"), "--workspace", ws]);
      expect(imported.code).toBe(0);
      expect(imported.stdout).toContain(
        "Read 2 entries from lib.bib (bibtex): 0 papers matched (0 by arXiv id, 0 by DOI, 0 by title), 2 saved by title until their papers are archived, 2 newly saved, 0 not matched, 0 duplicated.",
      );
      expect(imported.stdout).toContain('  saved by title: @article{nextmem} "NextMem: towards latent factual memory');
      expect(lines(ws).map((l) => [l.v, l.id, l.signal, l.title])).toEqual([
        [2, undefined, "save", "NextMem: towards latent factual memory for LLM-based agents."],
        [2, undefined, "save", "Cross-Lingual Retrieval with Sparse Mixtures"],
      ]);
      const waiting = await runCli(["feedback", "list", "--workspace", ws]);
      expect(waiting.stdout.split("\n").filter((l) => /^waiting:[0-9a-f]{7,} /.test(l))).toHaveLength(2);
      expect(waiting.stderr).toMatch(/^note: 2 papers are known by title only \(shown as waiting:HANDLE\)/);

      // As if imported the evening before the day that announces it (the run learns from what was given before it).
      writeFileSync(
        join(ws, "feedback.jsonl"),
        readFileSync(join(ws, "feedback.jsonl"), "utf8").replace(/"at":"[^"]+"/g, '"at":"2026-03-17T22:00:00.000Z"'),
      );
      // The day that announces it: both entries teach by their titles already.
      const { runDay } = await import("../../src/pipeline/run.js");
      const { loadWorkspace } = await import("../../src/workspace/load.js");
      const { silentLogger } = await import("../../src/pipeline/context.js");
      const { fakeClock } = await import("../helpers/fake-clock.js");
      const { learningSentence } = await import("../../src/format/text.js");
      const { record } = await runDay(
        {
          workspace: loadWorkspace(ws, { ARXIV_RSS_URL: `${arxiv.url}/rss` }),
          clock: fakeClock(Date.parse("2026-03-18T11:30:00Z")),
          log: silentLogger,
        },
        { deliver: false },
      );
      expect(record.selectionSettings?.learning).toMatchObject({ days: 1, picks: 1, likedOrSaved: 2 });
      const nextMem = record.papers.find((p) => p.title.startsWith("NextMem"));
      expect(nextMem).toBeDefined();

      // Archived now: the paper counts as saved by its id, the other entry still waits.
      const listed = await runCli(["feedback", "list", "--workspace", ws]);
      const rows = listed.stdout.trim().split("\n");
      expect(rows).toHaveLength(2);
      expect(rows.find((r) => r.startsWith(nextMem!.id))).toMatch(/ saved +2026-\d\d-\d\d {2}NextMem: /);
      expect(rows.find((r) => /^waiting:[0-9a-f]{7,} /.test(r))).toContain(
        "Cross-Lingual Retrieval with Sparse Mixtures",
      );
      expect(listed.stderr).toMatch(/^note: 1 paper is known by title only/);

      // The next day learns from it by id (its abstract from the archive), counted once.
      const { readerHistory, learningSummary } = await import("../../src/pipeline/history.js");
      const history = await readerHistory(loadWorkspace(ws, {}), store, "2026-03-19", Date.now());
      const learning = learningSummary(history);
      expect(learning).toMatchObject({ days: 2, likedOrSaved: 2 });
      expect(learningSentence(learning)).toContain("2 papers you liked or saved");

      // Importing the same library again writes nothing: the paper is saved, the other title is held.
      const before = readFileSync(join(ws, "feedback.jsonl"), "utf8");
      const again = await runCli(["feedback", "import", join(ws, "lib.bib"), "--workspace", ws]);
      expect(again.stdout).toContain("1 paper matched (0 by arXiv id, 0 by DOI, 1 by title), 1 saved by title");
      expect(again.stdout).toContain("0 newly saved");
      expect(readFileSync(join(ws, "feedback.jsonl"), "utf8")).toBe(before);

      // `feedback resolve` records the match by id, once, for every reader of the file (the served pages).
      const resolved = await runCli(["feedback", "resolve", "--workspace", ws]);
      expect(resolved.stdout).toContain(
        "Feedback given by title: 1 line now recorded by arXiv id, 1 library entry still waiting for its paper to be archived.",
      );
      expect(lines(ws).at(-1)).toMatchObject({ v: 1, id: nextMem!.id, signal: "save", source: "import:lib.bib" });
      await runCli(["feedback", "resolve", "--workspace", ws]);
      expect(lines(ws)).toHaveLength(3);

      // Exported and imported elsewhere (the waiting line first, so the file is told by its content).
      const exported = (await runCli(["feedback", "export", "--workspace", ws])).stdout.trim().split("\n");
      expect(exported.map((l) => JSON.parse(l).id ?? null)).toEqual([null, null, nextMem!.id]);
      const other = workspace();
      writeFileSync(join(other, "mine.txt"), `${exported.slice(1).join("\n")}\n`);
      const into = await runCli(["feedback", "import", join(other, "mine.txt"), "--workspace", other]);
      expect(into.stdout).toBe("Imported 2 signals from mine.txt.\n");
    } finally {
      await arxiv.close();
    }
  });
});
