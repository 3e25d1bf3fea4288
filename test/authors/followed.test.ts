import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseFollowedAuthors, readFollowedAuthors } from "../../src/authors/followed.js";

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

  it.each([
    ["Yoshua Bengio | Bengio-1751762", /authors\.txt:2: "Bengio-1751762" is not a Semantic Scholar author id/],
    ["Yoshua Bengio | 1 | 2", /authors\.txt:2: expected "Name" or "Name \| SemanticScholarId", found 2 "\|"/],
    ["| 1751762", /authors\.txt:2: "\| 1751762" has no author name/],
    ["Yoshua Bengio |", /authors\.txt:2: "" is not a Semantic Scholar author id/],
  ])("rejects %j naming the file and line", (line, message) => {
    expect(() => parseFollowedAuthors(`# header\n${line}\n`, "authors.txt")).toThrow(message);
  });
});
