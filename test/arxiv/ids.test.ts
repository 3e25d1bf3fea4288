import { describe, expect, it } from "vitest";
import { canonicalArxivId, parseArxivId } from "../../src/arxiv/ids.js";

describe("parseArxivId", () => {
  it.each([
    ["2401.00010v2", "2401.00010", 2],
    ["2401.00010", "2401.00010", null],
    ["arXiv:2401.00010", "2401.00010", null],
    ["arxiv:2401.00010v12", "2401.00010", 12],
    ["oai:arXiv.org:2401.00010v2", "2401.00010", 2],
    ["oai:arXiv.org:hep-th/9711200v3", "hep-th/9711200", 3],
    ["https://arxiv.org/abs/hep-th/9901001v1", "hep-th/9901001", 1],
    ["http://arxiv.org/abs/2602.04870v1", "2602.04870", 1],
    ["http://export.arxiv.org/abs/0710.5765v1", "0710.5765", 1],
    ["https://arxiv.org/pdf/2602.04870v2.pdf", "2602.04870", 2],
    ["math.GT/0309136", "math.GT/0309136", null],
    ["cond-mat/0702661v2", "cond-mat/0702661", 2],
    ["0706.0001v2", "0706.0001", 2],
    ["1412.9999", "1412.9999", null],
    ["1501.00001", "1501.00001", null],
    ["  2602.04119v1\n", "2602.04119", 1],
  ])("reads %j", (text, id, version) => {
    expect(parseArxivId(text)).toEqual({ id, version });
  });

  it.each([
    "",
    "garbage",
    "1234.12345", // month 34: the API's own example of a malformed id
    "2401.0001", // four digits after 1501
    "0706.00001", // five digits before 1501
    "2401.00010v0",
    "2401.00010v",
    "2401.00010v2v3",
    "hep-th/99010",
    "hep-th/9913001", // month 13
    "HEP-TH/9901001",
    "math.gt/0309136",
    "2401.00010 extra",
    "https://example.org/abs/2401.00010",
  ])("rejects %j", (text) => {
    expect(parseArxivId(text)).toBeNull();
  });

  it("keeps a trailing zero: ids are strings, never numbers", () => {
    expect(parseArxivId("2602.04870")?.id).toBe("2602.04870");
  });
});

describe("canonicalArxivId", () => {
  it.each([
    ["math.GT/0309136", "math/0309136", null],
    ["math/0309136", "math/0309136", null],
    ["arXiv:math.GT/0309136v2", "math/0309136", 2],
    ["oai:arXiv.org:cs.SE/0101001v1", "cs/0101001", 1],
    ["hep-th/9711200v3", "hep-th/9711200", 3],
    ["2602.04119v1", "2602.04119", 1],
  ])("reads %j as %s: the subject class of an old id is redundant", (text, id, version) => {
    expect(canonicalArxivId(text)).toEqual({ id, version });
  });

  it.each(["math.gt/0309136", "math.GT/0313136", "garbage"])("rejects %j like parseArxivId", (text) => {
    expect(canonicalArxivId(text)).toBeNull();
  });
});
