import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { KnownPaper } from "../../src/feedback/known.js";
import {
  detectFormat,
  type ImportResult,
  importLibrary,
  librarySignals,
  lineFinder,
  newLibrarySignals,
  normalizeDoi,
  normalizeTitle,
  parseRis,
} from "../../src/feedback/library.js";
import { currentState, makeTitleSignal, parseSignals, type TitleSignal } from "../../src/feedback/store.js";
import { decidingTitleSignals, identifySignals, waitingState } from "../../src/feedback/titled.js";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/library/${name}`, import.meta.url), "utf8");

/** Papers the archive "has": one journal version known by DOI, one known by its arXiv title with TeX. */
const KNOWN: KnownPaper[] = [
  { id: "2312.01234", title: "Graph Retrieval for Long-Context Question Answering", doi: "10.1145/3589334.3645001" },
  { id: "2402.05555", title: String.raw`Schr\"odinger Bridges for $\mathcal{O}(n^2)$-Free Diffusion Sampling` },
  { id: "2401.00010", title: "Sparse Mixture-of-Experts Routing Without Auxiliary Losses" },
];

function routes(r: ImportResult): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of r.matched) out[m.via] = (out[m.via] ?? 0) + 1;
  return out;
}

function load(name: string): ImportResult {
  return importLibrary(fixture(name), "auto", KNOWN, { fileName: name });
}

describe("library import on real export shapes", () => {
  it("Zotero BibTeX: eprint, URL, note and arXiv DOI routes, journal DOI, TeX title", () => {
    const r = load("zotero.bib");
    expect(r.format).toBe("bibtex");
    expect(r.entries).toBe(9);
    expect(routes(r)).toEqual({ "arxiv-id": 5, doi: 1, title: 1 });
    expect(r.matched.map((m) => [m.id, m.field])).toEqual([
      ["2401.00010", "eprint"],
      ["2403.07777", "url"],
      ["2312.01234", "doi"],
      ["2402.05555", "title"],
      ["hep-th/9711200", "eprint"],
      ["2405.12345", "note"],
      ["2406.00001", "doi"],
    ]);
    expect(r.matched.find((m) => m.id === "2402.05555")?.title).toBe(
      "Schrödinger Bridges for O(n²)-Free Diffusion Sampling",
    );
    // No known paper has its title: kept by the title until one is archived, not lost.
    expect(r.unmatched).toEqual([]);
    expect(r.waiting).toEqual([{ title: "Deep Learning", label: "@book{goodfellow_deep_2016}", doi: null }]);
    expect(r.duplicates).toEqual([
      { id: "2401.00010", labels: ["@misc{lin_sparse_2024}", "@article{lin_sparse_2024-1}"] },
    ]);
  });

  it("Zotero RIS: UR, N1, DO and TI", () => {
    const r = load("zotero.ris");
    expect(r.format).toBe("ris");
    expect(r.entries).toBe(6);
    expect(routes(r)).toEqual({ "arxiv-id": 2, doi: 1, title: 1 });
    expect(r.matched.map((m) => [m.id, m.field])).toEqual([
      ["2401.00010", "UR"],
      ["2312.01234", "doi"],
      ["2402.05555", "title"],
      ["2405.12345", "N1"],
    ]);
    expect(r.waiting.map((u) => u.label)).toEqual(["RIS record 4 (line 51)"]);
    expect(r.duplicates).toEqual([{ id: "2401.00010", labels: ["RIS record 1 (line 1)", "RIS record 6 (line 75)"] }]);
  });

  it("Zotero CSL-JSON: URL, number, DOI and title", () => {
    const r = load("zotero.json");
    expect(r.format).toBe("csl-json");
    expect(r.entries).toBe(6);
    expect(routes(r)).toEqual({ "arxiv-id": 2, doi: 1, title: 1 });
    expect(r.matched.map((m) => [m.id, m.field])).toEqual([
      ["2401.00010", "URL"],
      ["2312.01234", "doi"],
      ["2402.05555", "title"],
      ["2406.00001", "number"],
    ]);
    expect(r.waiting).toHaveLength(1);
    expect(r.waiting[0]!.title).toBe("Deep Learning");
    expect(r.duplicates.map((d) => d.id)).toEqual(["2401.00010"]);
  });

  it("Mendeley BibTeX: arxivId/eprint, DOI, Google Scholar's 'arXiv preprint' journal", () => {
    const r = load("mendeley.bib");
    expect(r.entries).toBe(4);
    expect(routes(r)).toEqual({ "arxiv-id": 2, doi: 1 });
    expect(r.matched.map((m) => [m.id, m.field])).toEqual([
      ["2401.00010", "eprint"],
      ["2312.01234", "doi"],
      ["2405.12345", "journal"],
    ]);
    expect(r.waiting).toEqual([
      {
        title: "Hebbian Plasticity in Recurrent Networks with Delays",
        label: "@article{Hartmann2019}",
        doi: "10.1016/j.neunet.2019.04.017",
      },
    ]);
  });

  it("Mendeley RIS: UR and a sentence-case title", () => {
    const r = load("mendeley.ris");
    expect(routes(r)).toEqual({ "arxiv-id": 1, title: 1 });
    expect(r.matched.map((m) => m.id)).toEqual(["2401.00010", "2312.01234"]);
  });

  it("JabRef biblatex: eprinttype arXiv counts, eprinttype pubmed does not, PDF link in file", () => {
    const r = load("jabref.bib");
    expect(r.entries).toBe(3);
    expect(r.matched.map((m) => [m.id, m.field])).toEqual([
      ["2401.00010", "eprint"],
      ["2403.07777", "file"],
    ]);
    expect(r.waiting.map((u) => u.label)).toEqual(["@article{Hartmann2019}"]);
  });

  it("turns matches into save signals from import:<file>", () => {
    const signals = librarySignals(load("zotero.ris"), "my library.ris", "2026-02-05T10:00:00Z");
    expect(signals).toHaveLength(5);
    expect(signals[0]).toEqual({
      v: 1,
      id: "2401.00010",
      signal: "save",
      at: "2026-02-05T10:00:00Z",
      source: "import:my_library.ris",
      title: "Sparse Mixture-of-Experts Routing Without Auxiliary Losses",
    });
    // The entry no known paper matches is kept by its title, as a line of version 2 without an id.
    expect(signals[4]).toEqual({
      v: 2,
      signal: "save",
      at: "2026-02-05T10:00:00Z",
      source: "import:my_library.ris",
      title: "Deep Learning",
    });
  });
});

describe("entries kept by title until their paper is known", () => {
  const AT = "2026-02-05T10:00:00Z";
  const bib = `@inproceedings{soon,
  title = {Routing {Tokens} by Optimal Transport: {A} Study.},
  doi = {10.5555/soon.2026},
}
@misc{again, title = {Routing tokens by optimal transport - a study}}
@book{short, title = {Notes}}
`;

  it("keeps a long enough title that matches nothing as waiting, once, and a short one as not matched", () => {
    const r = importLibrary(bib, "bibtex", KNOWN);
    expect(r.matched).toEqual([]);
    expect(r.waiting).toEqual([
      {
        title: "Routing Tokens by Optimal Transport: A Study.",
        label: "@inproceedings{soon}",
        doi: "10.5555/soon.2026",
      },
    ]);
    expect(r.duplicates).toEqual([
      { id: '"Routing Tokens by Optimal Transport: A Study."', labels: ["@inproceedings{soon}", "@misc{again}"] },
    ]);
    expect(r.unmatched.map((u) => u.reason)).toEqual([
      "no arXiv id; it has no DOI and its title is too short to match on",
    ]);
  });

  it("counts a waiting line for the paper once one of that title (or DOI) is known, by the same rules", () => {
    const lines = librarySignals(importLibrary(bib, "bibtex", KNOWN), "lib.bib", AT);
    const read = { signals: [], titled: lines.filter((l) => l.id === undefined) as TitleSignal[] };
    expect(identifySignals(read, KNOWN)).toEqual({ signals: [], waiting: read.titled });
    expect([...waitingState(read.titled).values()]).toEqual([
      { liked: false, disliked: false, saved: true, at: AT, title: "Routing Tokens by Optimal Transport: A Study." },
    ]);
    // Announced later under arXiv's title case, without the trailing period and with a dash.
    const archived = [...KNOWN, { id: "2603.01234", title: "Routing Tokens by Optimal Transport -- A Study" }];
    const { signals, waiting } = identifySignals(read, archived);
    expect(waiting).toEqual([]);
    expect(signals).toEqual([
      { v: 1, id: "2603.01234", signal: "save", at: AT, source: "import:lib.bib", title: read.titled[0]!.title },
    ]);
    expect(currentState(signals).get("2603.01234")?.saved).toBe(true);
    // By DOI, whatever the arXiv title.
    expect(
      identifySignals(read, [{ id: "2603.09999", title: "Another name", doi: "10.5555/SOON.2026" }]).signals[0]?.id,
    ).toBe("2603.09999");
    // Two known papers of that title: it keeps waiting rather than guess.
    const twice = [...archived, { id: "2603.05678", title: "Routing tokens by optimal transport: a study" }];
    expect(identifySignals(read, twice).waiting).toHaveLength(1);
  });

  it("adds nothing when the same library is imported again, before or after the paper is archived", () => {
    const first = newLibrarySignals(
      importLibrary(bib, "bibtex", KNOWN),
      "lib.bib",
      AT,
      { signals: [], titled: [] },
      KNOWN,
    );
    expect(first.map((l) => l.id ?? l.title)).toEqual(["Routing Tokens by Optimal Transport: A Study."]);
    const read = { signals: [], titled: first as TitleSignal[] };
    expect(newLibrarySignals(importLibrary(bib, "bibtex", KNOWN), "lib.bib", AT, read, KNOWN)).toEqual([]);
    const archived = [...KNOWN, { id: "2603.01234", title: "Routing Tokens by Optimal Transport: A Study" }];
    const later = importLibrary(bib, "bibtex", archived);
    expect(later.matched.map((m) => m.id)).toEqual(["2603.01234"]);
    expect(newLibrarySignals(later, "lib.bib", AT, read, archived)).toEqual([]);
  });

  it("exports the lines that decide a waiting paper, and a line without an id or title is refused", () => {
    const save = makeTitleSignal("Routing Tokens by Optimal Transport", "save", "cli", "2026-02-05T10:00:00Z");
    const like = makeTitleSignal("routing tokens by optimal transport", "like", "cli", "2026-02-05T11:00:00Z");
    const older = makeTitleSignal("Routing Tokens by Optimal Transport", "save", "cli", "2026-02-05T09:00:00Z");
    expect(decidingTitleSignals([older, save, like])).toEqual([save, like]);
    const text = [save, { v: 2, signal: "save", at: AT, source: "cli" }, { ...save, v: 1 }].map((l) =>
      JSON.stringify(l),
    );
    const parsed = parseSignals(text.join("\n"));
    expect(parsed.titled).toEqual([save]);
    expect(parsed.problems.map((p) => p.message)).toEqual([
      "title: a line without an id names its paper by title",
      "id: expected an arXiv id (a line without one is v 2)",
    ]);
  });
});

describe("library import edge cases", () => {
  it("reports an entry the BibTeX parser cannot read apart from the unmatched, and keeps the others", () => {
    const text = `@misc{good, eprint = {2401.00010}, archivePrefix = {arXiv}}\n@misc{broken,\n  title = {Unclosed\n`;
    const r = importLibrary(text, "bibtex", []);
    expect(r.matched.map((m) => m.id)).toEqual(["2401.00010"]);
    expect(r.unmatched).toEqual([]);
    expect(r.unreadable).toEqual([
      {
        label: "@misc{broken}",
        line: 3,
        reason: 'the brace opened at "{Unclosed" is never closed; close it and import again',
      },
    ]);
  });

  it("finds the line of any offset as counting the line breaks before it does", () => {
    const text = `\n\nab\ncd\r\n\n${"x\n".repeat(50)}end`;
    const lineAt = lineFinder(text);
    for (let offset = 0; offset <= text.length; offset++)
      expect(lineAt(offset)).toBe(text.slice(0, offset).split("\n").length);
    expect(lineFinder("")(0)).toBe(1);
  });

  it("names the line of each of many broken entries, in order", () => {
    const broken = (i: number) => `@misc{bad${i},\n  title = {Unclosed {brace ${i},\n  year = {2024}\n}\n`;
    const good = (i: number) => `@misc{good${i}, title = {Fine ${i}}}\n`;
    const text = Array.from({ length: 40 }, (_, i) => broken(i) + good(i)).join("");
    const r = importLibrary(text, "bibtex", []);
    // Each pair takes 5 lines; the unclosed brace is on the broken entry's second line.
    expect(r.unreadable.map((u) => u.line)).toEqual(Array.from({ length: 40 }, (_, i) => 5 * i + 2));
  });

  it("names the line where the value left open starts, not where the parser gave up", () => {
    const entry = (key: string, body: string) => `@misc{${key},\n${body}}\n\n`;
    const text =
      entry("first", "  eprint = {2401.00010},\n  archivePrefix = {arXiv},\n") +
      // line 7: both braces open here; the second closes on the entry's last line, the first never.
      entry("future1", "  title = {Unclosed {brace title,\n  year = {2026},\n") +
      // line 12: a value whose brace the entry's own closing brace takes.
      entry("swallowed", "  title = {Closed by the entry,\n  year = {2026},\n") +
      // line 17: a quote never closed.
      entry("quoted", '  title = "Quoted without end,\n  year = {2026},\n') +
      // line 21: the entry's own brace, after a last field that closes.
      "@misc{open,\n  title = {Fine title of an open entry},\n\n" +
      entry("last", "  eprint = {2402.01111},\n  archivePrefix = {arXiv},\n");
    const r = importLibrary(text, "bibtex", []);
    expect(r.matched.map((m) => m.id)).toEqual(["2401.00010", "2402.01111"]);
    expect(r.unreadable.map((u) => [u.label, u.line, u.reason])).toEqual([
      ["@misc{future1}", 7, 'the brace opened at "{Unclosed {brace title," is never closed; close it and import again'],
      [
        "@misc{swallowed}",
        12,
        'the brace opened at "{Closed by the entry," is never closed; close it and import again',
      ],
      ["@misc{quoted}", 17, 'the quote opened at "\\"Quoted without end," is never closed; close it and import again'],
      ["@misc{open}", 21, "the entry's own brace is never closed; close it after its last field and import again"],
    ]);
    // The reader sees each once, counted apart from the entries that matched nothing.
    expect(r.entries).toBe(6);
  });

  it("refuses a title shared by two known papers and one too short to mean anything", () => {
    const known = [
      { id: "2401.00001", title: "A Survey of Large Language Models" },
      { id: "2402.00002", title: "A survey of large language models" },
      { id: "2403.00003", title: "Notes" },
    ];
    const ris = "TY  - JOUR\nTI  - A Survey of Large Language Models\nER  - \nTY  - JOUR\nTI  - Notes\nER  - \n";
    const r = importLibrary(ris, "ris", known);
    expect(r.matched).toEqual([]);
    expect(r.unmatched.map((u) => u.reason)).toEqual([
      "its title matches 2 known papers (2401.00001, 2402.00002)",
      "no arXiv id; it has no DOI and its title is too short to match on",
    ]);
  });

  it("rejects CSL-JSON that is not JSON, naming the problem", () => {
    expect(() => importLibrary("[{", "csl-json", [])).toThrow(/not valid JSON/);
    const r = importLibrary('[{"title": 5}, {"title": "Scaling", "number": "arXiv:2406.00001"}]', "csl-json", []);
    expect(r.unreadable).toEqual([
      { label: "CSL item 1", line: null, reason: expect.stringMatching(/^title: .*; fix the item and import again$/) },
    ]);
    expect(r.matched.map((m) => m.id)).toEqual(["2406.00001"]);
  });

  it("detects the format from the name, then the content, and names a file it cannot place", () => {
    expect(detectFormat("", "x.BIB")).toBe("bibtex");
    expect(detectFormat("TY  - JOUR\nER  - ", "export.txt")).toBe("ris");
    expect(detectFormat("\uFEFF[ ]")).toBe("csl-json");
    expect(detectFormat("% comment\n@article{a,\n}")).toBe("bibtex");
    expect(() => detectFormat("hello", "notes.txt")).toThrow(/^cannot tell the format of notes\.txt/);
  });

  it("reads RIS with CRLF, wrapped lines and a missing ER", () => {
    const records = parseRis("TY  - JOUR\r\nAB  - first part\r\n  second part\r\nER  -\r\nTY  - GEN\r\nTI  - Last\r\n");
    expect(records).toHaveLength(2);
    expect(records[0]!.fields.get("AB")).toEqual(["first part second part"]);
    expect(records[1]!.fields.get("TI")).toEqual(["Last"]);
  });

  it("normalises DOIs and titles", () => {
    expect(normalizeDoi("https://doi.org/10.48550/ARXIV.2401.00010")).toBe("10.48550/arxiv.2401.00010");
    expect(normalizeDoi(String.raw`10.1000/a\_b`)).toBe("10.1000/a_b");
    expect(normalizeDoi("not a doi")).toBeNull();
    expect(normalizeTitle(String.raw`Schr\"odinger on $\mathcal{O}(n^2)$`)).toBe(
      normalizeTitle("Schrödinger on O(n²)"),
    );
  });
});
