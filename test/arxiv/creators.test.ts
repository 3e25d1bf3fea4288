import { describe, expect, it } from "vitest";
import { parseCreators } from "../../src/arxiv/creators.js";

const none = (name: string) => ({ name, affiliations: [] });

describe("parseCreators", () => {
  it("splits the comma-separated dc:creator", () => {
    expect(parseCreators("Antonin Monteil, Paul Pegon")).toEqual([none("Antonin Monteil"), none("Paul Pegon")]);
  });

  it("drops a name that is only punctuation (a stray ':' in a real listing)", () => {
    expect(parseCreators("Aleph Alpha, :, Adnen Abdessaied")).toEqual([none("Aleph Alpha"), none("Adnen Abdessaied")]);
  });

  it("keeps a parenthesised affiliation whole, commas and all", () => {
    expect(parseCreators("Adam E. Essex (Loughborough University, England), Paul Pegon")).toEqual([
      { name: "Adam E. Essex", affiliations: ["Loughborough University, England"] },
      none("Paul Pegon"),
    ]);
  });

  it("rebuilds the reference's cut-apart affiliations (real dc:creator of 2512.23981)", () => {
    const creators = String.raw`Sebasti\'an Guti\'errez-Bernal (Tecnol\'ogico de Monterrey, Monterrey, N.L., Mexico), Hector Medel Cobaxin (Tecnol\'ogico de Monterrey, Monterrey, N.L., Mexico)`;
    expect(parseCreators(creators)).toEqual([
      { name: "Sebastián Gutiérrez-Bernal", affiliations: ["Tecnológico de Monterrey, Monterrey, N.L., Mexico"] },
      { name: "Hector Medel Cobaxin", affiliations: ["Tecnológico de Monterrey, Monterrey, N.L., Mexico"] },
    ]);
  });

  it("keeps nested parentheses inside one affiliation and reads several groups", () => {
    expect(parseCreators("A. B. (Dept. of X (Y), Z) (Second Lab), C. D.")).toEqual([
      { name: "A. B.", affiliations: ["Dept. of X (Y), Z", "Second Lab"] },
      none("C. D."),
    ]);
  });

  it("does not cut at ' and ' inside an affiliation", () => {
    expect(
      parseCreators("Ben Murrell (Department of Microbiology, Tumor and Cell Biology, Karolinska Institutet)"),
    ).toEqual([
      {
        name: "Ben Murrell",
        affiliations: ["Department of Microbiology, Tumor and Cell Biology, Karolinska Institutet"],
      },
    ]);
  });

  it.each([
    ["Alice Smith and Bob Lee", ["Alice Smith", "Bob Lee"]],
    ["A. One, B. Two and C. Three", ["A. One", "B. Two", "C. Three"]],
    ["A. One, B. Two, and C. Three", ["A. One", "B. Two", "C. Three"]],
    ["Sandra Anderson, Randall Andrews", ["Sandra Anderson", "Randall Andrews"]],
  ])("handles a final ' and ': %s", (text, names) => {
    expect(parseCreators(text).map((a) => a.name)).toEqual(names);
  });

  it("tolerates stray whitespace, line breaks and empty pieces", () => {
    expect(parseCreators("  Jacob   Trauger ,\n  Ambuj Tewari ,  ")).toEqual([
      none("Jacob Trauger"),
      none("Ambuj Tewari"),
    ]);
    expect(parseCreators("   ")).toEqual([]);
  });

  it("decodes TeX accents in names and affiliations", () => {
    expect(parseCreators(String.raw`Aron St{\aa}lmarck (Karolinska Institutet), Theodor Mosetti Bj\"ork`)).toEqual([
      { name: "Aron Stålmarck", affiliations: ["Karolinska Institutet"] },
      none("Theodor Mosetti Björk"),
    ]);
  });

  it("never drops an unclosed affiliation", () => {
    expect(parseCreators("A. B. (Univ, City")).toEqual([{ name: "A. B.", affiliations: ["Univ, City"] }]);
  });
});
