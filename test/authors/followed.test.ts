import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseFollowedAuthors, readFollowedAuthors } from "../../src/authors/followed.js";
import { referenceFollowedAuthors } from "../helpers/followed-reference.js";

describe("parseFollowedAuthors", () => {
  it("reads names, optional Semantic Scholar ids, comments and blank lines", () => {
    const text = [
      "# people I follow",
      "",
      "Yoshua Bengio | 1751762",
      "  Yann LeCun   # trailing comment",
      "Ana María Tárano|12345",
      "\t",
    ].join("\r\n");
    expect(parseFollowedAuthors(text, "authors.txt")).toEqual([
      { name: "Yoshua Bengio", s2Id: "1751762", aliases: [] },
      { name: "Yann LeCun", aliases: [] },
      { name: "Ana María Tárano", s2Id: "12345", aliases: [] },
    ]);
  });

  it("the shipped defaults/authors.txt, which init writes, follows nobody: its names are commented examples", () => {
    const path = join(import.meta.dirname, "..", "..", "defaults", "authors.txt");
    const text = readFileSync(path, "utf8");
    expect(parseFollowedAuthors(text, path)).toEqual([]);
    expect(text).toContain("\n# Yoshua Bengio\n");
    // Uncommented, each example is a valid line.
    const examples = text.replace(/^# (?=[A-Z][a-z]+ [A-Z])/gm, "");
    expect(parseFollowedAuthors(examples, path).map((a) => a.name)).toEqual([
      "Yoshua Bengio",
      "Yann LeCun",
      "Kaiming He",
      "Randall Balestriero",
      "Ravid Shwartz-Ziv",
    ]);
  });

  it("follows a person listed twice once, and names both lines", () => {
    const text = [
      "Yann LeCun",
      "Yoshua Bengio",
      "LeCun, Yann",
      "yann lecun | 1688882",
      "Y. Bengio",
      "Kaiming He | 39353098",
      "Kaiming He | 12345",
    ].join("\n");
    const { followed, repeated } = readFollowedAuthors(text, "authors.txt");
    expect(followed).toEqual([
      // The line with the id is the one kept.
      { name: "yann lecun", s2Id: "1688882", aliases: [] },
      { name: "Yoshua Bengio", aliases: [] },
      // An initial may stand for another given name: not the same line written twice.
      { name: "Y. Bengio", aliases: [] },
      { name: "Kaiming He", s2Id: "39353098", aliases: [] },
      // Two different ids are two people of one name.
      { name: "Kaiming He", s2Id: "12345", aliases: [] },
    ]);
    const line = (name: string, n: number, s2Id?: string) => ({
      name,
      line: n,
      ...(s2Id ? { s2Id } : {}),
      abbreviated: false,
    });
    expect(repeated).toEqual([
      { kept: line("yann lecun", 4, "1688882"), again: line("Yann LeCun", 1) },
      { kept: line("yann lecun", 4, "1688882"), again: line("LeCun, Yann", 3) },
    ]);
    expect(parseFollowedAuthors(text, "authors.txt")).toEqual(followed);
  });

  it("follows one Semantic Scholar id once whatever the spelling, keeping the fullest", () => {
    const { followed, repeated } = readFollowedAuthors("Kaiming He | 39353098\nK. He | 39353098\n", "authors.txt");
    expect(followed).toEqual([{ name: "Kaiming He", s2Id: "39353098", aliases: [] }]);
    expect(repeated).toEqual([
      {
        kept: { name: "Kaiming He", line: 1, s2Id: "39353098", abbreviated: false },
        again: { name: "K. He", line: 2, s2Id: "39353098", abbreviated: true },
        sharedId: "39353098",
      },
    ]);
    // The abbreviated spelling first: the full one is still the one followed, and the first line the one to delete.
    const reversed = readFollowedAuthors("K. He | 39353098\nHe Kaiming | 39353098\nKaiming He | 39353098\n", "a");
    expect(reversed.followed).toEqual([{ name: "He Kaiming", s2Id: "39353098", aliases: [] }]);
    expect(reversed.repeated.map((r) => [r.again.line, r.kept.line])).toEqual([
      [1, 2],
      [3, 2],
    ]);
    // A line without the id joins the person by its name; a line giving the id links the two.
    const linked = readFollowedAuthors("Kaiming He\nK. He | 39353098\nKaiming He | 39353098\n", "a");
    expect(linked.followed).toEqual([{ name: "Kaiming He", s2Id: "39353098", aliases: [] }]);
    expect(linked.repeated.map((r) => [r.again.line, r.kept.line])).toEqual([
      [1, 3],
      [2, 3],
    ]);
  });

  it("reads 30,000 lines, each person's three lines 10,000 lines apart, one person each", () => {
    // Bijective base 26 from 26 on: "Aa", "Ab", …: 10,000 distinct given names of two letters or more.
    const word = (n: number): string => {
      let text = "";
      for (let k = n + 1; k > 0; k = Math.floor((k - 1) / 26)) text = String.fromCharCode(97 + ((k - 1) % 26)) + text;
      return text[0]!.toUpperCase() + text.slice(1);
    };
    const people = Array.from({ length: 10_000 }, (_, i) => {
      const [given, surname] = [word(i + 26), `${word(i)}son`];
      return { name: `${given} ${surname}`, initial: `${given[0]}. ${surname}`, id: `${i + 1}` };
    });
    const lines = [
      // The name alone, then the initial with the id, then the name with the id, which joins the first two.
      ...people.map((p) => p.name),
      ...people.map((p) => `${p.initial} | ${p.id}`),
      ...people.map((p) => `${p.name} | ${p.id}`),
    ];
    expect(lines).toHaveLength(30_000);
    const { followed, repeated } = readFollowedAuthors(lines.join("\n"), "authors.txt");
    expect(followed).toEqual(people.map((p) => ({ name: p.name, s2Id: p.id, aliases: [] })));
    const kept = people.map((p, i) => ({ name: p.name, line: 20_001 + i, s2Id: p.id, abbreviated: false }));
    expect(repeated).toEqual([
      ...people.map((p, i) => ({ kept: kept[i], again: { name: p.name, line: i + 1, abbreviated: false } })),
      ...people.map((p, i) => ({
        kept: kept[i],
        again: { name: p.initial, line: 10_001 + i, s2Id: p.id, abbreviated: true },
        sharedId: p.id,
      })),
    ]);
  });

  it("agrees with the plain reading of every line against every person on random files", () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return Math.floor((seed / 2 ** 31) * n);
    };
    // Few names and ids, so lines share keys, ids and both, and link people listed apart.
    const names = ["Kaiming He", "K. He", "He, Kaiming", "kaiming he", "Karl He", "Karl Ho", "K. Ho", "Ho, Karl"];
    for (let file = 0; file < 500; file += 1) {
      const ids = 1 + random(8);
      const text = Array.from({ length: 1 + random(40) }, () => {
        const name = names[random(names.length)]!;
        return random(2) === 0 ? name : `${name} | ${1 + random(ids)}`;
      }).join("\n");
      expect(readFollowedAuthors(text, "authors.txt"), text).toEqual(referenceFollowedAuthors(text));
    }
  });

  it.each([
    ["Yoshua Bengio | Bengio-1751762", /authors\.txt:2: "Bengio-1751762" is not a Semantic Scholar author id/],
    ["Yoshua Bengio | 1 | 2", /authors\.txt:2: expected "Name" or "Name \| SemanticScholarId", found 2 "\|"/],
    ["| 1751762", /authors\.txt:2: "\| 1751762" has no author name/],
    ["Yoshua Bengio |", /authors\.txt:2: "" is not a Semantic Scholar author id/],
  ])("rejects %j naming the file and line", (line, message) => {
    expect(() => parseFollowedAuthors(`# header\n${line}\n`, "authors.txt")).toThrow(message);
  });
});
