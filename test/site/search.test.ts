/**
 * The site's search without a browser: words become terms the same way on both sides
 * (assets/search-terms.js), bundles written by BundleIndex, and the page's engine
 * (assets/search-engine.js) reading them as the search page does.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MATH_SYMBOLS, SUBSCRIPTS, SUPERSCRIPTS } from "../../src/format/plain-math.js";
import { plainTex } from "../../src/format/tex.js";
import type { PaperRecord } from "../../src/model/day-record.js";
import { matcher, queryTerms, searchEngine } from "../../src/site/assets/search-engine.js";
import {
  foldWord,
  forEachWord,
  idTerm,
  readQuery,
  searchTerms,
  wordTerms,
} from "../../src/site/assets/search-terms.js";
import { BundleIndex, type SearchDoc, searchPapers } from "../../src/site/search-index.js";
import { makeDay, makePaper } from "../helpers/day-factory.js";

describe("search terms", () => {
  it("fold case, accents and the usual English endings, the same for text and query", () => {
    expect(foldWord("André")).toBe(foldWord("andre"));
    expect(foldWord("Networks")).toBe(foldWord("network"));
    expect(foldWord("learning")).toBe(foldWord("learned"));
    expect(foldWord("studies")).toBe(foldWord("study"));
    expect(searchTerms("LongCat-Flash-Omni, v2.0 (arXiv:2602.04119)")).toEqual([
      "longcat",
      "flash",
      "omni",
      "v2.0",
      "arxiv",
      "2602.04119",
    ]);
    expect(idTerm("2602.04119v3")).toBe("2602.04119");
    expect(queryTerms("https://arxiv.org/pdf/hep-th/9901001v3").id).toBe("hep-th/9901001");
    // Another site's address, or arXiv's listing pages, are words.
    expect(queryTerms("https://example.org/abs/2602.04119").id).toBeNull();
    expect(queryTerms("https://arxiv.org/list/cs.LG/new").id).toBeNull();
    expect(idTerm("hep-th/9901001")).toBe("hep-th/9901001");
  });
});

/** Every term the index holds for a text (search-index.ts): each word's wordTerms. */
function indexedTerms(text: string): Set<string> {
  const terms = new Set<string>();
  forEachWord(text, (start, end) => {
    for (const term of wordTerms(text.slice(start, end))) terms.add(term);
  });
  return terms;
}
const queried = (query: string) => queryTerms(query).terms.map((t) => t.term);

describe("math in search: the TeX, the typeset Unicode and a Greek letter's name fold alike", () => {
  it("folds scripts to their base characters and Greek letters to their names", () => {
    expect(foldWord("LoRA²")).toBe("lora2");
    expect(foldWord("LoRA^2")).toBe("lora2");
    expect(foldWord("τ")).toBe("tau");
    expect(foldWord("Δt")).toBe("deltat");
    expect(foldWord("θ̂ₙ")).toBe("thetan");
    expect(searchTerms("O(n²) and O(n^2)")).toEqual(["o", "n2", "and", "o", "n2"]);
    // A word with parts is indexed under each part too.
    expect(wordTerms("LoRA²")).toEqual(["lora2", "lora", "2"]);
    expect(wordTerms("Δt")).toEqual(["deltat", "delta", "t"]);
    expect(wordTerms("αβ")).toEqual(["alphabeta", "alpha", "beta"]);
    expect(wordTerms("x_i")).toEqual(["xi", "x", "i"]);
    expect(wordTerms("network")).toEqual(["network"]);
    // A ^ or _ joins only word characters.
    expect(searchTerms("a ^ b, c^(d), e_")).toEqual(["a", "b", "c", "d", "e"]);
  });

  it("reads TeX in a query the way plain math writes it", () => {
    expect(readQuery("LoRA$^2$")).toBe("LoRA^2");
    expect(readQuery("$\\tau$ steps")).toBe("tau steps");
    expect(readQuery("\\varepsilon-greedy")).toBe("epsilon-greedy");
    expect(readQuery("$\\mathbb{R}^{d}$")).toBe("R^d");
    expect(readQuery("x_{i,j} n^{-1}")).toBe("x_(i,j) n^(-1)");
    expect(readQuery("\\frac{1}{2}")).toBe("1/2");
    expect(readQuery("plain words")).toBe("plain words");
    for (const query of ["LoRA$^2$", "LoRA^2", "LoRA²", "lora2"]) expect(queried(query)).toEqual(["lora2"]);
    for (const query of ["\\tau", "$\\tau$", "tau", "τ", "Tau"]) expect(queried(query)).toEqual(["tau"]);
  });

  it("finds math typed as TeX, as Unicode or by name in the plain text the index holds", () => {
    const cases: [tex: string, queries: string[]][] = [
      ["our approach, LoRA$^2$, adapts", ["LoRA$^2$", "LoRA^2", "LoRA²", "lora2", "LoRA", "lora 2"]],
      ["for $\\tau$ steps", ["\\tau", "$\\tau$", "tau", "τ"]],
      ["for $τ$ steps", ["\\tau", "tau", "τ"]],
      ["costs $O(n^2)$", ["O(n^2)", "$O(n^2)$", "O(n²)", "n^2"]],
      ["costs $O(n^{2})$", ["O(n^2)", "O(n^{2})", "O(n²)"]],
      ["in $\\mathbb{R}^d$", ["$\\mathbb{R}^d$", "\\mathbb{R}^{d}", "R^d", "ℝᵈ", "rd"]],
      ["step $\\Delta t$", ["\\Delta t", "$\\Delta t$", "Δt", "delta t", "deltat"]],
      ["an $\\varepsilon$-greedy policy", ["\\varepsilon-greedy", "\\epsilon", "epsilon", "ε", "ϵ"]],
      ["estimate $\\hat{\\theta}_n$", ["\\hat{\\theta}_n", "\\theta_n", "θ_n", "θₙ", "theta"]],
      ["index $x_{i,j}$", ["x_{i,j}", "x_(i,j)"]],
      ["rate $n^{-1}$", ["n^{-1}", "n⁻¹"]],
      ["R^2 = 0.9 in plain text", ["R^2", "R$^2$", "R²"]],
      ["$\\alpha\\beta$-CROWN", ["\\alpha\\beta-CROWN", "αβ-CROWN", "alpha beta crown"]],
    ];
    for (const [tex, queries] of cases) {
      const indexed = indexedTerms(plainTex(tex));
      for (const query of queries) {
        const terms = queried(query);
        expect(terms.length, `${query} has terms`).toBeGreaterThan(0);
        expect(
          terms.filter((t) => !indexed.has(t)),
          `${query} in ${tex} (${[...indexed].join(" ")})`,
        ).toEqual([]);
      }
    }
  });

  it("folds a script typed with ^ or _ like the script character plain math writes for it", () => {
    for (const [table, mark] of [
      [SUPERSCRIPTS, "^"],
      [SUBSCRIPTS, "_"],
    ] as const) {
      for (const [base, script] of Object.entries(table)) {
        if (!/^[\p{L}\p{N}]$/u.test(base) || !/^[\p{L}\p{N}]$/u.test(script)) continue;
        expect(wordTerms(`x${script}`), `x${script}`).toEqual(wordTerms(`x${mark}${base}`));
      }
    }
  });

  it("folds every Greek letter plain math writes to the name a query types after its backslash", () => {
    let letters = 0;
    for (const [name, [char]] of Object.entries(MATH_SYMBOLS)) {
      if (!/^\p{Script=Greek}$/u.test(char)) continue;
      letters++;
      expect(queried(`\\${name}`), `\\${name}`).toEqual([foldWord(char)]);
      expect(queried(char)).toEqual([foldWord(char)]);
    }
    expect(letters).toBeGreaterThan(40);
  });

  it("marks a word in an excerpt when any of its terms is searched", () => {
    const marks = (query: string) => matcher(queryTerms(query).terms);
    expect(marks("LoRA^2")("LoRA²")).toBe(true);
    expect(marks("lora ")("LoRA²")).toBe(true);
    expect(marks("\\tau")("τ")).toBe(true);
    expect(marks("tau ")("Taura")).toBe(false);
  });
});

const rejected = (i: number, overrides: Partial<PaperRecord> = {}) =>
  makePaper({
    id: `2602.${String(10000 + i)}`,
    title: `Unremarkable study number ${i}`,
    authors: [{ name: `Author ${i}`, affiliations: [] }],
    abstract: `Nothing here mentions the magic word ${i}.`,
    outcome: "prefiltered-out",
    score: null,
    comment: null,
    topic: null,
    ...overrides,
  });

let root: string;
let engine: ReturnType<typeof searchEngine>;
const search = (query: string, shown = 30) => engine.search(query, shown);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "search-"));
  const january = makeDay({
    date: "2026-01-30",
    papers: [
      makePaper({ id: "2601.00001", title: "Retrieval for chemists", abstract: "About molecules.", comment: null }),
      // Many unlisted papers, so document numbers need more than one byte.
      ...Array.from({ length: 300 }, (_, i) => rejected(i)),
      // The day's near misses of the prefilter, ranked above the 300 above.
      ...[400, 401, 402].map((i) =>
        rejected(i, {
          abstract: "A near miss of the prefilter.",
          prefilter: { topics: 1, history: 0, percentile: 0.6 },
        }),
      ),
      rejected(300, { title: "Quantum Zebra Crossings", authors: [{ name: "Zoë Quist", affiliations: [] }] }),
      // Scanned, not picked, "diffusion" in their titles; a picked paper with it in its abstract only.
      rejected(301, { title: "Diffusion for everything" }),
      rejected(302, { title: "Diffusion Models, Diffusion Noise" }),
      makePaper({
        id: "2601.00002",
        title: "Generative priors for crystals",
        abstract: "A diffusion model proposes crystals, unlike 2602.10301.",
        comment: null,
        score: 9.9,
      }),
    ],
  });
  const february = makeDay({
    date: "2026-02-05",
    papers: [
      // "Synthesizable Molecular Generation…", its comment on a "routing scheme".
      makePaper(),
      makePaper({
        id: "2602.00002",
        title: "Routing experts",
        abstract: "Synthesizable experts, compared with 2602.04119 and $\\alpha$-priors.",
        comment: null,
        outcome: "selected",
        score: 12,
      }),
      makePaper({
        id: "2602.00003",
        title: "A near miss on synthesizable designs",
        abstract: "Close to the cut.",
        comment: null,
        outcome: "rejected",
        score: 9,
      }),
      rejected(1, { id: "2602.00004", abstract: "Synthesizable, in an abstract nobody indexes." }),
      // The prefilter's three best set-asides are near misses, listed with their abstracts; the
      // papers above are ranked below them, so they stay unlisted.
      ...[5, 6, 7].map((i) =>
        rejected(i, {
          abstract: "A near miss of the prefilter.",
          prefilter: { topics: 1, history: 0, percentile: 0.6 },
        }),
      ),
    ],
  });
  const march = makeDay({
    date: "2026-03-24",
    papers: [
      makePaper({
        id: "2603.21884",
        title: "Adaptive ranks for personalised image generation",
        abstract: "Our approach, LoRA$^2$, lets the ranks of each layer adapt.",
        comment: null,
      }),
      makePaper({
        id: "2603.20219",
        title: "Latent lookahead training",
        abstract: "The model looks ahead for $\\tau$ steps, at a cost of $O(n^2)$ in the length $n$.",
        comment: null,
      }),
      // An author whose name starts with "tau", listed: a prefix in the authors weighs more than a word of an abstract.
      makePaper({
        id: "2603.13249",
        title: "Steering at the source",
        authors: [{ name: "Kenjiro Taura", affiliations: [] }],
        abstract: "Style modulation in the residual stream.",
        comment: null,
      }),
      makePaper({
        id: "2603.30000",
        title: "Sorting embeddings",
        abstract: "Sorts $\\mathbb{R}^d$ embeddings in $O(n \\log n)$ time, every $\\Delta t$.",
        comment: null,
      }),
    ],
  });
  const bundles = [
    ["2026-03", [march]],
    ["2026-02", [february]],
    ["2026-01", [january]],
  ] as const;
  for (const [key, days] of bundles) {
    const index = new BundleIndex(join(root, key));
    for (const day of days) index.addDay(day.date, searchPapers(day));
    index.finish();
  }
  engine = searchEngine(
    bundles.map(([key]) => key),
    async (bundle, file) => JSON.parse(await readFile(join(root, bundle, file), "utf8")),
  );
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("the search engine over written bundles", () => {
  it("finds listed papers by a word of their abstract, title first, picked ones marked", async () => {
    const { total, docs } = await search("synthesizable");
    // The unlisted paper's abstract is not indexed.
    expect(docs.map((d) => d.i)).toEqual(["2602.04119", "2602.00003", "2602.00002"]);
    expect(total).toBe(3);
    const [first] = docs as [SearchDoc];
    expect(first).toMatchObject({ d: "2026-02-05", u: "2026/02/05/#paper-2602.04119", p: 1, s: 17 });
    expect(first.x).toContain("(≥ 95%)");
  });

  it("puts the paper with the very id first, before papers that mention it", async () => {
    for (const query of [
      "2602.04119",
      "arXiv:2602.04119v2",
      // An address copied from arXiv names the paper too: abstract, PDF or HTML page, any version.
      "https://arxiv.org/abs/2602.04119",
      " http://www.arxiv.org/pdf/2602.04119v2.pdf ",
      "arxiv.org/html/2602.04119v2/",
      "https://arxiv.org/abs/2602.04119?context=cs#abstract",
    ]) {
      const { docs } = await search(query);
      expect(docs[0]!.i).toBe("2602.04119");
      expect(docs.map((d) => d.i)).toContain("2602.00002");
    }
  });

  it("puts a picked paper holding a word in its abstract before unpicked ones holding it in their title", async () => {
    const { docs } = await search("diffusion");
    expect(docs.map((d) => d.i)).toEqual(["2601.00002", "2602.10302", "2602.10301"]);
    // An unpicked paper's id searched for still comes first, though a picked paper's abstract mentions it.
    expect((await search("2602.10301", 1)).docs.map((d) => d.i)).toEqual(["2602.10301"]);
  });

  it("finds unlisted papers by id, title and author (accents folded), across bundles, without an abstract", async () => {
    const byTitle = await search("quantum zebra");
    expect(byTitle.docs.map((d) => d.i)).toEqual(["2602.10300"]);
    expect(byTitle.docs[0]).toEqual({ i: "2602.10300", d: "2026-01-30", t: "Quantum Zebra Crossings", a: "Zoë Quist" });
    expect((await search("zoe quist")).docs.map((d) => d.i)).toEqual(["2602.10300"]);
    expect((await search("2602.10299")).docs.map((d) => d.t)).toEqual(["Unremarkable study number 299"]);
    expect((await search("magic")).total).toBe(0);
    // A near miss of the prefilter is listed: its abstract is found.
    expect((await search("prefilter")).total).toBe(6);
  });

  it("matches every word, and the last one as the start of a longer word", async () => {
    expect((await search("routing synthesiz")).docs.map((d) => d.i)).toEqual(["2602.00002", "2602.04119"]);
    expect((await search("routing synthesiz ")).total).toBe(0);
    expect((await search("unremarkable")).total).toBe(307);
    expect((await search("unremarkable", 5)).docs).toHaveLength(5);
    expect((await search("?!")).total).toBe(0);
  });

  it("finds math however it is typed: TeX, Unicode or a Greek letter's name", async () => {
    const ids = async (query: string) => (await search(query)).docs.map((d) => d.i);
    for (const query of ["LoRA$^2$", "LoRA^2", "LoRA²", "LoRA"]) expect(await ids(query)).toEqual(["2603.21884"]);
    for (const query of ["O(n^2)", "$O(n^2)$", "O(n²)"]) expect(await ids(query)).toEqual(["2603.20219"]);
    expect(await ids("O(n \\log n)")).toEqual(["2603.30000"]);
    for (const query of ["$\\mathbb{R}^d$", "R^d", "ℝᵈ", "\\Delta t", "delta t"]) {
      expect(await ids(query)).toEqual(["2603.30000"]);
    }
    // The paper with τ comes before the author Taura, whom "tau" only starts.
    for (const query of ["\\tau", "$\\tau$", "tau", "τ"]) {
      expect(await ids(query)).toEqual(["2603.20219", "2603.13249"]);
    }
    expect(await ids("tau ")).toEqual(["2603.20219"]);
    expect(await ids("Taura")).toEqual(["2603.13249"]);
  });

  it("writes documents as plain text, TeX turned into Unicode", async () => {
    const { docs } = await search("routing");
    expect(docs[0]!.x).toBe("Synthesizable experts, compared with 2602.04119 and α-priors.");
  });
});
