import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ConfigSchema, type Topic } from "../../src/config/schema.js";
import type { Candidate } from "../../src/model/candidate.js";
import { createLexicalScorer, createTopicSimilarityScorer } from "../../src/selection/lexical.js";
import { distinctCandidates, loadReferencePapers } from "../helpers/reference.js";

const topics = ConfigSchema.parse(
  parse(readFileSync(join(import.meta.dirname, "..", "..", "defaults", "arxiv-digest.yaml"), "utf8")),
).topics;
const reference = loadReferencePapers();
const pool = distinctCandidates(reference);

function paper(id: string): Candidate {
  const found = pool.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`reference paper ${id} missing from test/fixtures/reference`);
  return found;
}

/** arXiv:1505.04597 (cs.CV), a medical image segmentation paper: off-topic for every default topic. */
const unet: Candidate = {
  id: "1505.04597",
  version: 1,
  title: "U-Net: Convolutional Networks for Biomedical Image Segmentation",
  abstract:
    "There is large consent that successful training of deep networks requires many thousand annotated training " +
    "samples. In this paper, we present a network and training strategy that relies on the strong use of data " +
    "augmentation to use the available annotated samples more efficiently. The architecture consists of a " +
    "contracting path to capture context and a symmetric expanding path that enables precise localization. We show " +
    "that such a network can be trained end-to-end from very few images and outperforms the prior best method (a " +
    "sliding-window convolutional network) on the ISBI challenge for segmentation of neuronal structures in electron " +
    "microscopic stacks. Using the same network trained on transmitted light microscopy images (phase contrast and " +
    "DIC) we won the ISBI cell tracking challenge 2015 in these categories by a large margin. Moreover, the network " +
    "is fast. Segmentation of a 512x512 image takes less than a second on a recent GPU.",
  authors: [
    { name: "Olaf Ronneberger", affiliations: [] },
    { name: "Philipp Fischer", affiliations: [] },
    { name: "Thomas Brox", affiliations: [] },
  ],
  categories: ["cs.CV"],
  announceType: "new",
};

const score = createLexicalScorer(topics, [...pool, unet]);

describe("createLexicalScorer on real reference papers", () => {
  it("scores a mixture-of-experts paper high under architecture and names the terms", () => {
    const judgement = score(paper("2601.09043")); // Horseshoe Mixtures-of-Experts (HS-MoE)
    expect(judgement.topic).toBe("architecture");
    expect(judgement.relevance).toBeGreaterThanOrEqual(8);
    expect(judgement.matched).toEqual(expect.arrayContaining(["mixture of experts", "MoE", "gating"]));
    expect(judgement.comment).toMatch(/^Offline match \(Model architecture\): .*mixture of experts/);
  });

  it("scores a quantization paper under efficiency", () => {
    const judgement = score(paper("2601.19320")); // StableQAT: quantization-aware training at low bit-widths
    expect(judgement.topic).toBe("efficiency");
    expect(judgement.relevance).toBeGreaterThanOrEqual(6);
    expect(judgement.matched[0]).toBe("quantization");
  });

  it("keeps a medical image segmentation paper low", () => {
    const judgement = score(unet);
    expect(judgement.relevance).toBeLessThanOrEqual(3);
    expect(score(paper("2601.09043")).relevance - judgement.relevance).toBeGreaterThanOrEqual(5);
  });

  it("gives relevance 1 and no topic to a paper that names no topic term", () => {
    const judgement = score(paper("2512.13644")); // World Models Can Leverage Human Videos for Dexterous Manipulation
    expect(judgement).toEqual({
      relevance: 1,
      topic: null,
      loose: false,
      comment: "Offline match: no topic matches the title or abstract.",
      matched: [],
    });
  });

  it("ranks the reference LLM's selections above papers it only showed for their authors", () => {
    const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
    const selected = reference.filter((p) => p.relevance !== null).map((p) => score(p.candidate).relevance);
    const authorOnly = reference.filter((p) => p.relevance === null).map((p) => score(p.candidate).relevance);
    expect(mean(selected)).toBeGreaterThan(mean(authorOnly) + 1);
  });

  it("is deterministic: the same day scored twice, in any order, gives identical judgements", () => {
    const day = pool.slice(0, 200);
    const first = day.map(createLexicalScorer(topics, day));
    const reversedScorer = createLexicalScorer(topics, [...day].reverse());
    const second = [...day].reverse().map(reversedScorer).reverse();
    expect(second).toEqual(first);
  });
});

describe("term matching", () => {
  const topic: Topic = {
    id: "compression",
    title: "Compression",
    description: "Compressing neural networks.",
    include: ["low-rank", "mixture of experts", "KV cache"],
    exclude: [],
  };
  const candidate = (title: string, abstract: string): Candidate => ({ ...unet, title, abstract });
  const matchedIn = (text: string) => {
    const doc = candidate("A study", text);
    return createLexicalScorer([topic], [doc])(doc).matched;
  };

  it("matches phrases across case, hyphens, spaces, joined spellings and plurals", () => {
    expect(matchedIn("We use Low Rank adapters.")).toEqual(["low-rank"]);
    expect(matchedIn("A lowrank factorisation.")).toEqual(["low-rank"]);
    expect(matchedIn("Sparse Mixtures-of-Experts scale well.")).toEqual(["mixture of experts"]);
    expect(matchedIn("Compressing KV-caches of long prompts.")).toEqual(["KV cache"]);
    expect(matchedIn("A rank-one update at low cost.")).not.toContain("low-rank");
  });

  it("weighs a term in the title more than the same term in the abstract", () => {
    const inTitle = candidate("Low-rank adapters", "We study adapters for language models in detail.");
    const inAbstract = candidate("Adapters", "We study low-rank adapters for language models in detail.");
    const scorer = createLexicalScorer([topic], [inTitle, inAbstract]);
    expect(scorer(inTitle).relevance).toBeGreaterThan(scorer(inAbstract).relevance);
  });

  it("penalises exclude terms and names them in the comment", () => {
    const colonoscopy = paper("2511.18493"); // gated experts for colonoscopic lesion segmentation
    const withoutExclude = topics.map((t) => ({ ...t, exclude: [] }));
    const penalised = createLexicalScorer(topics, pool)(colonoscopy);
    const unpenalised = createLexicalScorer(withoutExclude, pool)(colonoscopy);
    expect(penalised.relevance).toBeLessThan(unpenalised.relevance);
    expect(penalised.comment).toMatch(/against: segmentation/);
    expect(unpenalised.comment).not.toMatch(/against/);
  });

  it("uses the day's corpus: a term every paper shares counts less than a rare one", () => {
    const target = candidate("Adapters", "We study low-rank adapters for language models in detail.");
    const common = Array.from({ length: 20 }, (_, i) => candidate(`Paper ${i}`, "A low-rank method for models."));
    const rare = Array.from({ length: 20 }, (_, i) => candidate(`Paper ${i}`, "A method for models."));
    const scoreAmong = (others: Candidate[]) => createLexicalScorer([topic], [target, ...others])(target).relevance;
    expect(scoreAmong(rare)).toBeGreaterThan(scoreAmong(common));
  });

  it("gives every paper of a 500-paper day an integer relevance in 1..10 and a known topic or null", () => {
    const day = pool.slice(0, 500);
    const judgements = day.map(createLexicalScorer(topics, day));
    expect(judgements).toHaveLength(500);
    for (const j of judgements) {
      expect(Number.isInteger(j.relevance)).toBe(true);
      expect(j.relevance).toBeGreaterThanOrEqual(1);
      expect(j.relevance).toBeLessThanOrEqual(10);
      expect(j.topic === null || topics.some((t) => t.id === j.topic)).toBe(true);
    }
  });
});

describe("createTopicSimilarityScorer", () => {
  const topic: Topic = {
    id: "compression",
    title: "Model compression",
    description: "Making neural networks smaller: pruning and quantization.",
    include: ["low-rank", "mixture of experts", "KV cache"],
    exclude: ["image compression"],
  };
  const candidate = (title: string, abstract: string): Candidate => ({ ...unet, title, abstract });
  const day = [
    candidate("Experts that route", "A mixture of sparse experts, with a router per layer."),
    candidate("Pruning networks", "We prune and quantize neural networks to make them smaller."),
    candidate("Image compression codecs", "A learned codec for image compression."),
    candidate("A protein folding study", "Protein structures predicted from sequences."),
  ];
  const similarity = createTopicSimilarityScorer([topic], day);

  it("credits the words of include phrases and of the description, not only whole phrases", () => {
    // "mixture … experts" without the exact phrase, and pruning/quantization named only in the description.
    expect(similarity(day[0]!)).toBeGreaterThan(0);
    expect(similarity(day[1]!)).toBeGreaterThan(0);
    expect(similarity(day[3]!)).toBe(0);
  });

  it("lowers papers like the exclude terms", () => {
    const noExclude = createTopicSimilarityScorer([{ ...topic, exclude: [] }], day);
    expect(similarity(day[2]!)).toBeLessThan(noExclude(day[2]!));
  });

  it("is finite and deterministic on a 400-paper day", () => {
    const sample = pool.slice(0, 400);
    const score = createTopicSimilarityScorer(topics, sample);
    const values = sample.map(score);
    expect(values.every(Number.isFinite)).toBe(true);
    expect(sample.map(score)).toEqual(values);
  });
});
