import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { splitBibtex } from "../../src/feedback/bibtex-split.js";
import {
  bibtexByEntry,
  bibtexEntriesOf,
  bibtexWhole,
  importLibrary,
  type LibraryEntry,
} from "../../src/feedback/library.js";

const varied = readFileSync(new URL("../fixtures/library/varied.bib", import.meta.url), "utf8");
const zotero = readFileSync(new URL("../fixtures/library/zotero.bib", import.meta.url), "utf8");
const jabref = readFileSync(new URL("../fixtures/library/jabref.bib", import.meta.url), "utf8");
const mendeley = readFileSync(new URL("../fixtures/library/mendeley.bib", import.meta.url), "utf8");

/** The entries as the parser reading the whole file gives them (the way every file was read before), and entry by entry. */
function both(text: string): { whole: LibraryEntry[]; byEntry: LibraryEntry[] } {
  const read = bibtexByEntry(text);
  expect(read, "the file is read entry by entry").not.toBeNull();
  return { whole: bibtexEntriesOf(text, bibtexWhole(text)), byEntry: bibtexEntriesOf(text, read!) };
}

const variants: Record<string, (t: string) => string> = {
  LF: (t) => t,
  CRLF: (t) => t.replace(/\n/g, "\r\n"),
  "BOM and CRLF": (t) => `\uFEFF${t.replace(/\n/g, "\r\n")}`,
};

describe("a BibTeX library read entry by entry gives what the parser gives reading it whole", () => {
  for (const [name, change] of Object.entries(variants)) {
    it(`the varied fixture, ${name}: good, broken, strings, comments, preamble, nested braces, quotes`, () => {
      const text = change(varied);
      const { whole, byEntry } = both(text);
      expect(byEntry).toEqual(whole);
      // The fixture holds what it says it holds.
      expect(whole.filter((e) => !e.error).length).toBeGreaterThanOrEqual(12);
      expect(whole.filter((e) => e.error).length).toBeGreaterThanOrEqual(5);
      // importLibrary is a function of these entries alone: its outcome is the same too.
      expect(importLibrary(text, "bibtex", []).entries).toBe(whole.length);
    });
  }

  it("the real exports in the fixtures", () => {
    for (const text of [zotero, jabref, mendeley]) {
      const { whole, byEntry } = both(text);
      expect(byEntry).toEqual(whole);
    }
  });

  it("hundreds of files made by breaking the fixtures at random places", () => {
    const random = seeded(20260317);
    const noise = ["{", "}", '"', "@", "%", "$", "\\", "=", ",", "#", "(", ")", "\n", "@string{x = {y}}", "@comment"];
    let checked = 0;
    for (let round = 0; round < 120; round++) {
      let text = round % 2 ? varied : zotero;
      const edits = 1 + Math.floor(random() * 4);
      for (let k = 0; k < edits; k++) {
        const at = Math.floor(random() * text.length);
        const r = random();
        if (r < 0.4) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 3));
        else text = text.slice(0, at) + noise[Math.floor(random() * noise.length)] + text.slice(at);
      }
      const read = bibtexByEntry(text);
      if (!read) continue;
      checked++;
      const whole = bibtexWhole(text);
      expect(bibtexEntriesOf(text, read), text).toEqual(bibtexEntriesOf(text, whole));
    }
    expect(checked).toBeGreaterThan(105);
  });

  it("a JabRef groups comment the parser's JabRef reader fails on no longer fails the import (read whole, it threw)", () => {
    const text =
      "@Comment{jabref-meta: grouping:\n1 StaticGroup:Reading;\n}\n@misc{a, title = {A Title Long Enough}, eprint = {2401.00010}}\n";
    expect(() => bibtexWhole(text)).toThrow(TypeError);
    expect(importLibrary(text, "bibtex", []).matched.map((m) => m.id)).toEqual(["2401.00010"]);
  });

  it("a macro a preamble defines reaches every entry; one an entry defines sends the file to be read whole", () => {
    const preamble = String.raw`@article{a, title = {Scaling \model{} to Many Papers}}
@preamble{"\newcommand{\model}{GPT}"}`;
    expect(both(preamble).byEntry.map((e) => e.title)).toEqual(["Scaling GPT to Many Papers"]);
    const inEntry = String.raw`@article{a, title = {\newcommand{\model}{GPT}Defined here}}
@article{b, title = {Scaling \model{} to Many Papers}}`;
    expect(bibtexByEntry(inEntry)).toBeNull();
    expect(importLibrary(inEntry, "bibtex", []).waiting.map((w) => w.title)).toContain("Scaling GPT to Many Papers");
  });
});

describe("an entry too long to read", () => {
  it("is named with its line and not read (the parser's conversion grows with the square of a value), the rest imported", () => {
    const text = `@misc{first, title = {A First Entry Title}, eprint = {2401.00010}}\n@article{huge,\n  title = {Huge},\n  annote = {${"word ".repeat(60_000)}}\n}\n@misc{last, title = {The Last Entry Title}, eprint = {2401.00011}}\n`;
    const r = importLibrary(text, "bibtex", []);
    expect(r.matched.map((m) => m.id)).toEqual(["2401.00010", "2401.00011"]);
    expect(r.unreadable).toEqual([
      {
        label: "@article{huge}",
        line: 2,
        reason:
          "the entry is 300 KB long, more than the 256 KB one entry may be; shorten its longest field (a whole text pasted into a note?); fix it and import again",
      },
    ]);
  });
});

describe("cutting a BibTeX file into the parser's directives", () => {
  it("names each broken entry once, worded as the parser words it, its place counted in the whole file", () => {
    const pieces = splitBibtex(varied);
    const errors = pieces.flatMap((p) => (p.kind === "error" ? [p.error] : []));
    expect(errors).toContain('Unresolved @string reference "nowhere"');
    expect(errors.filter((e) => e.includes('"nowhere"'))).toHaveLength(1);
    expect(errors.some((e) => e.startsWith("Unclosed math section at line"))).toBe(true);
    expect(pieces.filter((p) => p.kind === "entry").length).toBeGreaterThan(10);
  });

  it("names every one of thousands of entries that leave a brace open", () => {
    const broken = (i: number) => `@article{bad${i},\n  title = {Unclosed {brace ${i},\n  year = {2024}\n}\n`;
    const text = Array.from({ length: 3000 }, (_, i) => broken(i)).join("");
    const pieces = splitBibtex(text);
    expect(pieces.filter((p) => p.kind === "error")).toHaveLength(3000);
  });
});

/** A small deterministic generator (mulberry32), so a failing file can be made again. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
