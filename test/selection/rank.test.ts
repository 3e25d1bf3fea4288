import { describe, expect, it } from "vitest";
import { compareForDigest, missedCutoff, rankingScore, rankPapers } from "../../src/selection/rank.js";
import { testConfig } from "../helpers/config.js";
import { makePaper } from "../helpers/day-factory.js";

describe("ranking", () => {
  it("computes the weighted score, counting unjudged novelty as 0", () => {
    expect(rankingScore(8, 6, { relevance: 1, novelty: 1 })).toBe(14);
    expect(rankingScore(8, 6, { relevance: 2, novelty: 0.5 })).toBe(19);
    expect(rankingScore(8, null, { relevance: 1, novelty: 1 })).toBe(8);
  });

  it("names the cut-off a paper missed", () => {
    const selection = testConfig({ selection: { minRelevance: 7, minNovelty: 5, minScore: 13 } }).selection;
    expect(missedCutoff({ relevance: 6, novelty: 9, score: 15 }, selection)).toBe(
      "relevance 6, below the cut-off of 7",
    );
    expect(missedCutoff({ relevance: 8, novelty: 4, score: 12 }, selection)).toBe("novelty 4, below the cut-off of 5");
    expect(missedCutoff({ relevance: 7, novelty: 5, score: 12 }, selection)).toBe("score 12, below the cut-off of 13");
    expect(missedCutoff({ relevance: 8, novelty: null, score: 13 }, selection)).toBeNull();
  });

  it("orders author matches first, then score, relevance, novelty and id", () => {
    const papers = [
      makePaper({ id: "2602.00005", score: 16, relevance: 8, novelty: 8 }),
      makePaper({ id: "2602.00004", score: 16, relevance: 9, novelty: 7 }),
      makePaper({ id: "2602.00003", score: 16, relevance: 9, novelty: 7 }),
      makePaper({ id: "2602.00002", score: 20, authorMatch: "Ada Lovelace", relevance: null, novelty: null }),
      makePaper({ id: "2602.00001", score: 17, relevance: 9, novelty: 8 }),
      makePaper({ id: "2602.00006", score: null, relevance: null, novelty: null, outcome: "unscored" }),
    ];
    expect([...papers].sort(compareForDigest).map((p) => p.id)).toEqual([
      "2602.00002",
      "2602.00001",
      "2602.00003",
      "2602.00004",
      "2602.00005",
      "2602.00006",
    ]);
  });

  it("breaks ties on the shown scores by the free ranking's unrounded place, then its topic score, then id", () => {
    const free = (percentile: number, topics = 1) => ({ topics, history: 0, percentile });
    const papers = [
      makePaper({ id: "2602.00001", score: 7.9, relevance: 7.9, novelty: null, prefilter: free(0.7601) }),
      makePaper({ id: "2602.00002", score: 7.9, relevance: 7.9, novelty: null, prefilter: free(0.7644) }),
      makePaper({ id: "2602.00003", score: 7.9, relevance: 7.9, novelty: null, prefilter: free(0.7601, 3) }),
      makePaper({ id: "2602.00004", score: 7.9, relevance: 7.9, novelty: null }),
      makePaper({ id: "2602.00005", score: 8, relevance: 8, novelty: null, prefilter: free(0.7) }),
    ];
    expect([...papers].sort(compareForDigest).map((p) => p.id)).toEqual([
      "2602.00005",
      "2602.00002",
      "2602.00003",
      "2602.00001",
      "2602.00004",
    ]);
  });

  it("puts selected papers first and caps non-author selections at maxPapers", () => {
    const papers = [
      makePaper({ id: "a", score: 10, outcome: "rejected" }),
      makePaper({ id: "b", score: 15 }),
      makePaper({ id: "c", score: 17 }),
      makePaper({ id: "d", score: 20, authorMatch: "Ada Lovelace" }),
      makePaper({ id: "e", score: 16 }),
    ];
    const ranked = rankPapers(papers, 2);
    expect(ranked.map((p) => [p.id, p.outcome])).toEqual([
      ["d", "selected"],
      ["c", "selected"],
      ["e", "selected"],
      ["b", "rejected"],
      ["a", "rejected"],
    ]);
    expect(ranked[3]!.reason).toBe("passed the cut-offs, but ranked below the 2 papers a day shows");
    expect(rankPapers(papers, 0).filter((p) => p.outcome === "selected")).toHaveLength(4);
  });
});
