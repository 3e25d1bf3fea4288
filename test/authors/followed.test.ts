import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseFollowedAuthors } from "../../src/authors/followed.js";

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

  it("accepts the shipped defaults/authors.txt", () => {
    const path = join(import.meta.dirname, "..", "..", "defaults", "authors.txt");
    const followed = parseFollowedAuthors(readFileSync(path, "utf8"), path);
    expect(followed.map((a) => a.name)).toContain("Yoshua Bengio");
    expect(followed.every((a) => a.s2Id === undefined)).toBe(true);
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
