import { describe, expect, it } from "vitest";
import { bibtexEntry } from "../../src/site/bibtex.js";
import { makePaper } from "../helpers/day-factory.js";

describe("bibtexEntry", () => {
  it("writes a citation of the real paper", () => {
    const entry = bibtexEntry(makePaper(), "2026-02-05");
    expect(entry).toBe(`@misc{kim2026synthesizable,
  title = {Synthesizable Molecular Generation via Soft-constrained GFlowNets with Rich Chemical Priors},
  author = {Hyeonah Kim and Yoshua Bengio},
  year = {2026},
  eprint = {2602.04119},
  archivePrefix = {arXiv},
  primaryClass = {cs.LG},
  url = {https://arxiv.org/abs/2602.04119},
}`);
  });

  it("keeps braces balanced whatever the title holds", () => {
    const entry = bibtexEntry(makePaper({ title: "Closing } early {and {never closing" }), "2026-02-05");
    const title = entry.split("\n")[1]!;
    expect(title).toBe("  title = {Closing  early {and {never closing}}},");
    expect([...entry].filter((c) => c === "{").length).toBe([...entry].filter((c) => c === "}").length);
  });
});
