import { readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import { describe, expect, it } from "vitest";
import { splitBibtex } from "../../src/feedback/bibtex-split.js";
import {
  BIBTEX_READ,
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

/**
 * The entries as the parser reading the whole file gives them (the way every file was read
 * before), and entry by entry; `whole` is the whole file read with the fields the import does not
 * read blanked in place, so the two compare on what the import reads, `asBefore` the file as it is.
 */
function both(text: string): { whole: LibraryEntry[]; byEntry: LibraryEntry[]; asBefore: LibraryEntry[] } {
  return {
    whole: wholeOnRead(text),
    byEntry: bibtexEntriesOf(text, bibtexByEntry(text)),
    asBefore: bibtexEntriesOf(text, bibtexWhole(text)),
  };
}

/**
 * The entries the parser gives reading the whole file with the fields the import does not read
 * blanked (`unreadBlanked`), each entry it names in an error given back its text in the file (of
 * the same length, at the same place), where the import looks for the line to fix.
 */
function wholeOnRead(text: string): LibraryEntry[] {
  const blanked = unreadBlanked(text);
  const lib = bibtexWhole(blanked);
  let from = 0;
  const errors = lib.errors.map((err) => {
    const input = err.input ?? "";
    const at = input ? blanked.indexOf(input, from) : -1;
    if (at < 0) return err;
    from = at + input.length;
    const asWritten = text.slice(at, at + input.length);
    const error = err.error.endsWith(input)
      ? err.error.slice(0, err.error.length - input.length) + asWritten
      : err.error;
    return { error, input: asWritten };
  });
  return bibtexEntriesOf(text, { ...lib, errors });
}

/**
 * The text with every field of an entry the import does not read blanked in place: each becomes
 * `u={…}` of the same length holding only the field's line breaks and `@` signs, so every line
 * and column stays, and a failed entry's recovery stops at the same `@`. In an entry none of
 * whose fields is read the first holds a `-`, as the entry handed to the parser holds a stand-in,
 * so that it is still counted.
 */
function unreadBlanked(text: string): string {
  const out: string[] = [];
  let at = 0;
  for (const piece of splitBibtex(text, (f) => BIBTEX_READ.has(f))) {
    if (piece.kind !== "entry" && piece.kind !== "partial") continue;
    const unread = piece.fields.filter((f) => !BIBTEX_READ.has(f.name.toLowerCase()));
    unread.forEach((f, i) => {
      out.push(text.slice(at, f.start));
      const field = text.slice(f.start, f.end);
      let inner = field.slice(3, -1).replace(/[^\r\n@]/g, " ");
      if (i === 0 && unread.length === piece.fields.length) inner = inner.replace(" ", "-");
      // A field of three or four characters (`k=1`, `k={}`) holds no `@`.
      out.push(field.length >= 5 ? `u={${inner}}` : `u=1${" ".repeat(field.length - 3)}`);
      at = f.end;
    });
  }
  out.push(text.slice(at));
  return out.join("");
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
      const { whole, byEntry, asBefore } = both(text);
      expect(byEntry).toEqual(whole);
      // Read as before, the file gives one thing more: an error in the authors, a field the
      // import never reads (their entry is imported all the same).
      expect(asBefore.filter((e) => !byEntry.some((b) => isDeepStrictEqual(b, e)))).toEqual([
        expect.objectContaining({ error: expect.stringMatching(/^@names: unexpected 4-part name/) }),
      ]);
      expect(asBefore.filter((e) => !e.error)).toEqual(byEntry.filter((e) => !e.error));
      // The fixture holds what it says it holds.
      expect(whole.filter((e) => !e.error).length).toBeGreaterThanOrEqual(12);
      expect(whole.filter((e) => e.error).length).toBeGreaterThanOrEqual(5);
      // importLibrary is a function of these entries alone: its outcome is the same too.
      expect(importLibrary(text, "bibtex", []).entries).toBe(whole.length);
    });
  }

  it("the real exports in the fixtures", () => {
    for (const text of [zotero, jabref, mendeley]) {
      const { whole, byEntry, asBefore } = both(text);
      expect(byEntry).toEqual(whole);
      expect(byEntry).toEqual(asBefore);
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
      checked++;
      expect(bibtexEntriesOf(text, bibtexByEntry(text)), text).toEqual(wholeOnRead(text));
    }
    expect(checked).toBe(120);
  });

  it("a JabRef groups comment the parser's JabRef reader fails on no longer fails the import (read whole, it threw)", () => {
    const text =
      "@Comment{jabref-meta: grouping:\n1 StaticGroup:Reading;\n}\n@misc{a, title = {A Title Long Enough}, eprint = {2401.00010}}\n";
    expect(() => bibtexWhole(text)).toThrow(TypeError);
    expect(importLibrary(text, "bibtex", []).matched.map((m) => m.id)).toEqual(["2401.00010"]);
  });

  it("a macro a preamble defines reaches every entry; one an entry defines reaches the entries after it, still read entry by entry", () => {
    const preamble = String.raw`@article{a, title = {Scaling \model{} to Many Papers}}
@preamble{"\newcommand{\model}{GPT}"}`;
    expect(both(preamble).byEntry.map((e) => e.title)).toEqual(["Scaling GPT to Many Papers"]);
    const inEntry = String.raw`@article{z, title = {Before \model{} Is Defined}}
@article{a, title = {\newcommand{\model}{GPT}Defined here}}
@article{b, title = {Scaling \model{} to Many Papers}}
@article{c, title = {Nested \both}, note = {\newcommand{\both}{\model-\model}}}
@article{d, title = {Again \both{} and \model}}`;
    const { whole, byEntry } = both(inEntry);
    expect(byEntry).toEqual(whole);
    expect(byEntry.map((e) => e.title)).toEqual([
      "Before  Is Defined",
      "Defined here",
      "Scaling GPT to Many Papers",
      "Nested",
      "Again GPT-GPT and GPT",
    ]);
  });

  it("a macro a @string or a preamble naming one defines reaches every entry; one in a @comment defines nothing, as read whole", () => {
    const texts = [
      String.raw`@string{s = "\newcommand{\zz}{ZZ}"}
@article{a, title = {\zz{} Before}}
@preamble{ s }
@article{b, title = {\zz{} After}}`,
      String.raw`@string{n = "\newcommand{\q}{Q}"}
@preamble{ n # "\newcommand{\r}{R}" }
@article{a, title = {\q{} and \r}}`,
      String.raw`@comment{\newcommand{\x}{y}}
@article{a, title = {\x{} z}}`,
      String.raw`@preamble{"\newcommand{\m}{One}"}
@article{a, title = {\m}}
@article{b, title = {\newcommand{\m}{Two}\m}}
@article{c, title = {\m}}`,
    ];
    for (const text of texts) expect(both(text).byEntry, text).toEqual(both(text).whole);
    expect(both(texts[0]!).byEntry.map((e) => e.title)).toEqual(["ZZ Before", "ZZ After"]);
    expect(both(texts[3]!).byEntry.map((e) => e.title)).toEqual(["One", "Two", "Two"]);
  });
});

describe("macro definitions handed along", () => {
  it("a long preamble's definitions reach the entries, each handed only those it uses", () => {
    const filler = Array.from(
      { length: 400 },
      (_, i) => String.raw`\newcommand{\unused${"x".repeat(i % 20)}}{${"filler ".repeat(8)}}`,
    ).join("");
    const text = String.raw`@preamble{"${filler}\newcommand{\model}{GPT}"}
@article{a, title = {Scaling \model{} to Many Papers}}
@article{b, title = {No Macro Here}}`;
    expect(text.length).toBeGreaterThan(20_000);
    const { whole, byEntry } = both(text);
    expect(byEntry).toEqual(whole);
    expect(byEntry.map((e) => e.title)).toEqual(["Scaling GPT to Many Papers", "No Macro Here"]);
  });

  it("count towards what a file may hand the parser", () => {
    const body = "word ".repeat(1_800);
    const entries = Array.from({ length: 1_000 }, (_, i) => `@misc{e${i}, title = {Entry \\long{} ${i}}}\n`).join("");
    const text = `@preamble{"\\newcommand{\\long}{${body}}"}\n${entries}`;
    expect(() => importLibrary(text, "bibtex", [], { fileName: "lib.bib" })).toThrow(
      /^the titles, identifiers, links and notes of lib\.bib come to 9\.\d MB \(the 9\.\d MB of macro definitions handed with the entries that use them counted\), more than the 8\.0 MB/,
    );
  });
});

describe("@strings", () => {
  it("each entry is handed only the @strings its read fields name, as last defined before it", () => {
    const text = `@string{j = "One"}\n@string{k = "Kay"}\n@article{a, journal = j, title = {A}, abstract = k}\n@string{j = ""}\n@article{b, journal = j # k, title = {B}}\n@string{jan = "X"}\n@article{c, month = jan, title = {C}, note = jan # " " # k}\n`;
    const strings = splitBibtex(text, (f) => BIBTEX_READ.has(f)).flatMap((p) =>
      p.kind === "entry" ? [p.strings] : [],
    );
    expect(strings).toEqual([{ J: "One" }, { K: "Kay" }, { JAN: "X", K: "Kay" }]);
    const { whole, byEntry } = both(text);
    expect(byEntry).toEqual(whole);
  });

  it("a field whose value passes the entry's bound once its @strings are put in is named with its line, the rest imported", () => {
    const big = "lorem ipsum ".repeat(1_000);
    const text = `@misc{first, title = {A First Entry Title}, eprint = {2401.00010}}\n@string{big = {${big}}}\n@article{long,\n  title = big # big,\n  eprint = {2401.00012}\n}\n@misc{last, title = {The Last Entry Title}, abstract = big # big # big, eprint = {2401.00011}}\n`;
    const r = importLibrary(text, "bibtex", []);
    expect(r.matched.map((m) => m.id)).toEqual(["2401.00010", "2401.00011"]);
    expect(r.unreadable).toEqual([
      {
        label: "@article{long}",
        line: 3,
        reason:
          "its title field comes to 24 KB with the @strings it names put in, and the fields feedback import reads (title, identifiers, links and notes) may hold 16 KB in one entry; shorten those @strings, or write the field out; fix it and import again",
      },
    ]);
  });

  it("@strings doubling one another (a file of 1 KB that would come to gigabytes) are put together no further than the bound", () => {
    let text = `@string{a0 = "xxxxxxxxxxxxxxxx"}\n`;
    for (let i = 1; i <= 27; i++) text += `@string{a${i} = a${i - 1} # a${i - 1}}\n`;
    text += `@misc{ok, title = {A Fine Entry Title}, eprint = {2401.00010}, abstract = a27}\n@misc{bomb, title = a27}\n@misc{small, title = a5 # { Title}, eprint = {2401.00011}}\n`;
    const r = importLibrary(text, "bibtex", []);
    expect(r.matched.map((m) => m.id)).toEqual(["2401.00010", "2401.00011"]);
    expect(r.matched[1]!.title).toBe(`${"x".repeat(16 * 32)} Title`);
    expect(r.unreadable).toEqual([
      expect.objectContaining({
        label: "@misc{bomb}",
        line: 30,
        reason: expect.stringMatching(/^its title field comes to more than 16 KB with the @strings it names put in/),
      }),
    ]);
  });
});

describe("the fields the import never reads", () => {
  it("are not handed to the parser: their TeX cannot make an entry unreadable, nor an unknown @string in them be an error", () => {
    const text = String.raw`@misc{defines, title = {An Abstract Quoting TeX}, abstract = {We write \newcommand without braces.}, eprint = {2401.00011}}
@misc{strings, title = {An Unknown String}, abstract = nowhere, eprint = {2401.00012}}
`;
    // Read whole, as before: the macro in the abstract made its entry unreadable, the unknown string an error.
    expect(bibtexWhole(text).errors.map((e) => e.error.split("\n")[0])).toEqual([
      'Unresolved @string reference "nowhere"',
      expect.stringMatching(/^Malformed name for \\newcommand/),
    ]);
    const r = importLibrary(text, "bibtex", []);
    expect(r.matched.map((m) => m.id)).toEqual(["2401.00011", "2401.00012"]);
    expect(r.unreadable).toEqual([]);
  });

  it("are not handed to the parser: an abstract of any length is no reason to refuse an entry", () => {
    const text = `@misc{long, title = {A Long Abstract Here}, abstract = {${"word ".repeat(200_000)}}, eprint = {2401.00010}}\n`;
    const r = importLibrary(text, "bibtex", []);
    expect(r.matched.map((m) => m.id)).toEqual(["2401.00010"]);
    expect(r.unreadable).toEqual([]);
  });

  it("an entry whose read fields are too long is named with its line and not read, the rest imported", () => {
    const text = `@misc{first, title = {A First Entry Title}, eprint = {2401.00010}}\n@article{huge,\n  title = {Huge},\n  annote = {${"word ".repeat(4_000)}}\n}\n@misc{last, title = {The Last Entry Title}, eprint = {2401.00011}}\n`;
    const r = importLibrary(text, "bibtex", []);
    expect(r.matched.map((m) => m.id)).toEqual(["2401.00010", "2401.00011"]);
    expect(r.unreadable).toEqual([
      {
        label: "@article{huge}",
        line: 2,
        reason:
          "its annote field is 20 KB long, and the fields feedback import reads (title, identifiers, links and notes) may hold 16 KB in one entry; shorten it (a whole text pasted into a note?); fix it and import again",
      },
    ]);
  });

  it("a file whose read fields come to more than the import reads is refused before any is converted", () => {
    const note = "word ".repeat(3_000);
    const text = Array.from({ length: 600 }, (_, i) => `@misc{e${i}, title = {Entry ${i}}, note = {${note}}}\n`).join(
      "",
    );
    expect(() => importLibrary(text, "bibtex", [], { fileName: "lib.bib" })).toThrow(
      /^the titles, identifiers, links and notes of lib\.bib come to 9\.0 MB, more than the 8\.0 MB feedback import reads of one file; export your library in parts/,
    );
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
