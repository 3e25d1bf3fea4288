import { describe, expect, it } from "vitest";
import { ARXIV_CATEGORIES, ARXIV_TAXONOMY, isArxivCategory, suggestCategory } from "../../src/config/categories.js";
import { closest, editDistance } from "../../src/config/suggest.js";

describe("arXiv's category list", () => {
  it("holds the taxonomy's 155 categories and the archive names", () => {
    const categories = ARXIV_CATEGORIES.filter((c) => c.includes(".") || ARXIV_TAXONOMY[c]!.length === 0);
    expect(categories).toHaveLength(155);
    for (const c of ["cs.LG", "cs.AI", "cs.CL", "stat.ML", "hep-th", "quant-ph", "cond-mat.str-el", "physics.optics"])
      expect(isArxivCategory(c), c).toBe(true);
    for (const archive of ["cs", "math", "physics", "astro-ph"]) expect(isArxivCategory(archive), archive).toBe(true);
    expect(new Set(ARXIV_CATEGORIES).size).toBe(ARXIV_CATEGORIES.length);
  });

  it("is case-sensitive, as arXiv is, and suggests the right case", () => {
    expect(isArxivCategory("cs.lg")).toBe(false);
    expect(suggestCategory("cs.lg")).toBe("cs.LG");
    expect(suggestCategory("CS.LG")).toBe("cs.LG");
    expect(suggestCategory("Quant-Ph")).toBe("quant-ph");
  });

  it("suggests the nearest category for a typo, and nothing for a name far from all", () => {
    expect(suggestCategory("hep-thh")).toBe("hep-th");
    expect(suggestCategory("cond-mat.stat-mec")).toBe("cond-mat.stat-mech");
    expect(suggestCategory("quant_ph")).toBe("quant-ph");
    expect(suggestCategory("biology")).toBeNull();
  });

  it("suggests a subject class under the archive that has it before a same-archive look-alike", () => {
    expect(suggestCategory("cs.ML")).toBe("stat.ML");
    expect(suggestCategory("cs.ml")).toBe("stat.ML");
    expect(suggestCategory("math.LG")).toBe("cs.LG");
    expect(suggestCategory("cs.OC")).toBe("math.OC");
    expect(suggestCategory("cs.SP")).toBe("eess.SP or math.SP");
    // A class four archives have says too little: the nearest name stands.
    expect(suggestCategory("cs.GN")).toBe("cs.GL");
  });
});

describe("edit distance", () => {
  it("counts insertions, deletions, substitutions and swapped neighbours as one edit each", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("modle", "model")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("same", "same")).toBe(0);
  });

  it("picks the closest candidate within the limit", () => {
    expect(closest("titel", ["title", "outDir", "basePath"], 2)).toBe("title");
    expect(closest("zzzz", ["title", "outDir"], 1)).toBeNull();
  });
});
