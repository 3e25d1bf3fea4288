import { describe, expect, it } from "vitest";
import { normalizeId, parseScoreReply, parseTriageReply } from "../../src/llm/parse.js";

const IDS = ["2602.04119", "2602.03906", "hep-th/9901001"];
const item = (id: string, relevance: unknown = 8, novelty: unknown = 6) => ({
  id,
  topic: "architecture",
  comment: `about ${id}`,
  relevance,
  novelty,
});
const all = IDS.map((id) => item(id));

const scoresOf = (text: string) => {
  const { items, problems } = parseScoreReply(text, IDS);
  return { ids: items.map((i) => i.id), items, problems };
};

describe("parseScoreReply", () => {
  it.each([
    ["an object holding an array", JSON.stringify({ papers: all })],
    ["a bare array", JSON.stringify(all)],
    ["one object per line", all.map((i) => JSON.stringify(i)).join("\n")],
    ["a fenced block", `\`\`\`json\n${JSON.stringify({ papers: all })}\n\`\`\``],
    ["pretty-printed objects", all.map((i) => JSON.stringify(i, null, 2)).join("\n\n")],
    ["prose around the JSON", `Sure! Here you go:\n${JSON.stringify(all)}\nHope this helps.`],
    ["objects keyed by id", JSON.stringify(Object.fromEntries(all.map(({ id, ...rest }) => [id, rest])))],
    ["a trailing comma", `{"papers": [${all.map((i) => JSON.stringify(i)).join(",")},]}`],
  ])("reads %s", (_, text) => {
    const { ids, items, problems } = scoresOf(text);
    expect(ids).toEqual(IDS);
    expect(items[0]).toEqual({
      id: "2602.04119",
      relevance: 8,
      novelty: 6,
      comment: "about 2602.04119",
      topic: "architecture",
    });
    expect(problems).toEqual([]);
  });

  it("reads field-name variants of the reference tool (ARXIVID, RELEVANCE, …)", () => {
    const text = JSON.stringify([
      { ARXIVID: "2602.04119", RELEVANCE: 9, NOVELTY: 7, COMMENT: "c", TOPIC: "efficiency" },
      { arxiv_id: "2602.03906", Relevance: 5, novelty_score: 4, reason: "r" },
    ]);
    const { items } = parseScoreReply(text, IDS);
    expect(items).toEqual([
      { id: "2602.04119", relevance: 9, novelty: 7, comment: "c", topic: "efficiency" },
      { id: "2602.03906", relevance: 5, novelty: 4, comment: "r", topic: null },
    ]);
  });

  it("reads scores written as text and clamps out-of-range ones, saying so", () => {
    const text = JSON.stringify([item(IDS[0]!, "8/10", "7"), item(IDS[1]!, "4 out of 5", 0), item(IDS[2]!, 14, 10)]);
    const { items, problems } = parseScoreReply(text, IDS);
    expect(items.map((i) => [i.relevance, i.novelty])).toEqual([
      [8, 7],
      [8, 1],
      [10, 10],
    ]);
    expect(problems).toEqual([
      "item for 2602.03906: novelty 0 is outside 1-10; clamped",
      "item for hep-th/9901001: relevance 14 is outside 1-10; clamped",
    ]);
  });

  it("maps versioned, prefixed and URL ids onto the ids asked about", () => {
    const text = JSON.stringify([
      item("2602.04119v3"),
      item("arXiv:2602.03906"),
      item("https://arxiv.org/abs/hep-th/9901001v1"),
    ]);
    expect(scoresOf(text).ids).toEqual(IDS);
    expect(normalizeId(" arXiv: 2401.00010v12 ")).toBe("2401.00010");
  });

  it("ignores unknown ids, and trusts neither of two different answers for one paper", () => {
    const text = JSON.stringify([item(IDS[0]!, 9), item("9999.99999"), item(IDS[0]!, 2), item(IDS[1]!, 5)]);
    const { items, problems, conflicts, firstOfConflicts } = parseScoreReply(text, IDS);
    expect(items.map((i) => i.id)).toEqual([IDS[1]]);
    expect(conflicts).toEqual([IDS[0]]);
    expect(firstOfConflicts.map((i) => i.relevance)).toEqual([9]);
    expect(problems).toEqual([
      "item for 9999.99999: not one of the papers asked about; ignored",
      "item for 2602.04119: answered twice with different verdicts",
    ]);
  });

  it("takes the same answer given twice as one", () => {
    const text = JSON.stringify([item(IDS[0]!, 9), item(IDS[0]!, 9)]);
    const { items, problems, conflicts } = parseScoreReply(text, IDS);
    expect(items.map((i) => i.relevance)).toEqual([9]);
    expect(conflicts).toEqual([]);
    expect(problems).toEqual([]);
  });

  it("keeps the good items when one item is bad", () => {
    const text = JSON.stringify([item(IDS[0]!), item(IDS[1]!, "high"), { topic: "x" }, item(IDS[2]!)]);
    const { ids, problems } = scoresOf(text);
    expect(ids).toEqual([IDS[0], IDS[2]]);
    expect(problems).toEqual([
      "item for 2602.03906: relevance is missing or not a number",
      "item 3: missing paper id; relevance is missing or not a number; novelty is missing or not a number",
    ]);
  });

  it("salvages the complete items of a truncated reply", () => {
    const full = JSON.stringify({ papers: all });
    const cut = full.slice(0, full.indexOf(IDS[2]!) + 3);
    expect(scoresOf(cut).ids).toEqual([IDS[0], IDS[1]]);
  });

  it("explains an empty reply and a reply without JSON", () => {
    expect(scoresOf("").problems).toEqual(["the reply was empty"]);
    expect(scoresOf("I cannot help with that request.").problems).toEqual([
      'the reply held no JSON (it began: "I cannot help with that request.")',
    ]);
    expect(scoresOf('{"papers": []}').problems).toEqual(["the reply's JSON listed no papers"]);
  });

  it("does not take braces inside strings for structure", () => {
    const text = JSON.stringify([{ ...item(IDS[0]!), comment: "uses {curly} and [square] brackets" }]);
    expect(scoresOf(text).items[0]!.comment).toBe("uses {curly} and [square] brackets");
  });
});

describe("parseTriageReply", () => {
  it("reads the two lists of line numbers, whatever the list names' spelling and wrapping", () => {
    const parsed = parseTriageReply(`Here you go:\n\`\`\`json\n{"onTopic": [2, "5"], "Maybe": [1]}\n\`\`\``, 6);
    expect(parsed).toEqual({ onTopic: new Set([2, 5]), maybe: new Set([1]), answered: true, problems: [] });
    // An empty answer is an answer: every title is outside.
    expect(parseTriageReply('{"on_topic": [], "maybe": []}', 3).answered).toBe(true);
  });

  it("ignores numbers outside the batch, reads a contradiction as maybe, and names what it ignored", () => {
    const parsed = parseTriageReply('{"on_topic": [1, 3, 9, "x"], "maybe": [3]}', 4);
    expect(parsed.onTopic).toEqual(new Set([1]));
    expect(parsed.maybe).toEqual(new Set([3]));
    expect(parsed.problems).toEqual([
      "on_topic named 9, not a line number from 1 to 4; ignored",
      'on_topic named "x", not a line number from 1 to 4; ignored',
    ]);
  });

  it("says when a reply holds neither list", () => {
    const parsed = parseTriageReply(JSON.stringify({ papers: [{ id: IDS[0], keep: true }] }), 3);
    expect(parsed.answered).toBe(false);
    expect(parsed.problems[0]).toMatch(/^the reply held no on_topic or maybe list \(it began: "\{"papers"/);
    expect(parseTriageReply("", 3)).toMatchObject({ answered: false, problems: ["the reply was empty"] });
  });
});
