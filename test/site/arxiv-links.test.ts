import { describe, expect, it } from "vitest";
import { arxivLinks } from "../../src/site/arxiv-links.js";
import { paperAnchor } from "../../src/site/urls.js";

describe("arxivLinks", () => {
  it("links new- and old-scheme identifiers", () => {
    expect(arxivLinks("2602.04119")?.abs).toBe("https://arxiv.org/abs/2602.04119");
    expect(arxivLinks("hep-th/9901001")?.pdf).toBe("https://arxiv.org/pdf/hep-th/9901001");
    expect(arxivLinks("math.GT/0309136")?.abs).toBe("https://arxiv.org/abs/math.GT/0309136");
    expect(arxivLinks("2602.04119")?.html).toBe("https://arxiv.org/html/2602.04119");
  });

  it("gives an old-scheme id no HTML link: arXiv renders HTML for new-scheme papers only", () => {
    expect(arxivLinks("hep-th/9901001")?.html).toBeNull();
    expect(arxivLinks("math.GT/0309136")?.html).toBeNull();
  });

  it("gives no link for anything else", () => {
    for (const id of ["javascript:alert(1)", "2602.04119?x=1", "../2602.04119", "2602.041", "https://evil.example/"]) {
      expect(arxivLinks(id), id).toBeNull();
    }
  });

  it("makes anchors that stay valid for old-scheme ids", () => {
    expect(paperAnchor("hep-th/9901001")).toBe("paper-hep-th-9901001");
  });
});
