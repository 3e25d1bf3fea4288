import { describe, expect, it } from "vitest";
import { askedIds, normalizeId, parseScoreReply, parseTriageReply, withoutThinking } from "../../src/llm/parse.js";

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

  it("reads scores written as text, on its own scale too", () => {
    const text = JSON.stringify([
      item(IDS[0]!, "8/10", "7"),
      item(IDS[1]!, "4 out of 5", " 9 "),
      item(IDS[2]!, "1e1", 3),
    ]);
    const { items, problems } = parseScoreReply(text, IDS);
    expect(items.map((i) => [i.relevance, i.novelty])).toEqual([
      [8, 7],
      [8, 9],
      [10, 3],
    ]);
    expect(problems).toEqual([]);
  });

  it.each(["7-8", "7–8", "7 - 8"])("reads the range %j as its first number, 7", (range) => {
    const { items, problems } = parseScoreReply(JSON.stringify([item(IDS[0]!, range, range)]), IDS);
    expect(items.map((i) => [i.relevance, i.novelty])).toEqual([[7, 7]]);
    expect(problems).toEqual([]);
  });

  it("never clamps a score outside 1-10: the item is unusable, so the paper is asked again", () => {
    const text = JSON.stringify([item(IDS[0]!, -1, -1), item(IDS[1]!, 8, 0), item(IDS[2]!, 11, 5)]);
    const { items, problems } = parseScoreReply(text, IDS);
    expect(items).toEqual([]);
    expect(problems).toEqual([
      "item for 2602.04119: relevance -1 is outside 1-10; novelty -1 is outside 1-10",
      "item for 2602.03906: novelty 0 is outside 1-10",
      "item for hep-th/9901001: relevance 11 is outside 1-10",
    ]);
    // The problem names the paper as it was asked about, however the answer wrote its id.
    expect(parseScoreReply(JSON.stringify([item("arXiv:2602.04119v2", 12)]), IDS).problems).toEqual([
      "item for 2602.04119: relevance 12 is outside 1-10",
    ]);
  });

  it("uses no item of an answer written on a 0-1 scale, even its 1s", () => {
    const text = JSON.stringify([item(IDS[0]!, 0.9, 0.8), item(IDS[1]!, 1, 1), item(IDS[2]!, 0.1, null)]);
    const { items, problems } = parseScoreReply(text, IDS);
    expect(items).toEqual([]);
    expect(problems).toEqual([
      "item for 2602.04119: relevance 0.9 and novelty 0.8 are on a 0-1 scale, as is the whole answer, not 1-10",
      "item for 2602.03906: relevance 1 and novelty 1 are on a 0-1 scale, as is the whole answer, not 1-10",
      "item for hep-th/9901001: relevance 0.1 and novelty missing are on a 0-1 scale, as is the whole answer, not 1-10",
    ]);
    // Ones and tens on the asked scale are no 0-1 scale; a lone 0.5 among them is out of range.
    const mixed = parseScoreReply(JSON.stringify([item(IDS[0]!, 1, 1), item(IDS[1]!, 10, 0.5)]), IDS);
    expect(mixed.items.map((i) => i.id)).toEqual([IDS[0]]);
    expect(mixed.problems).toEqual(["item for 2602.03906: novelty 0.5 is outside 1-10"]);
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

  it.each([
    ["https://arxiv.org/pdf/2602.00001v2.pdf", "2602.00001"],
    ["https://arxiv.org/pdf/2602.00001.pdf", "2602.00001"],
    ["2602.00001v1.pdf", "2602.00001"],
    ["arxiv.org/abs/2602.00001v1", "2602.00001"],
    ["[2602.00001]", "2602.00001"],
    ["2602.00001V2", "2602.00001"],
    ["ARXIV: 2602.00001", "2602.00001"],
    ["oai:arXiv.org:2602.00001v3", "2602.00001"],
    ["arXiv:math.GT/0309136v2", "math/0309136"],
    ["not an id", "not an id"],
  ])("reads the id %j as %j, as the feeds do", (raw, id) => {
    expect(normalizeId(raw)).toBe(id);
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

describe("ids the answer wrote as JSON numbers", () => {
  /** An item whose id is written as given, bare: a number when `id` is digits. */
  const bare = (id: string, relevance = 8) =>
    `{"id": ${id}, "relevance": ${relevance}, "novelty": 6, "comment": "c", "topic": "architecture"}`;
  const read = (text: string, ids: readonly string[]) => {
    const { items, problems } = parseScoreReply(text, ids);
    return { ids: items.map((i) => i.id), problems };
  };

  it("keeps the trailing zeros of 5-digit ids", () => {
    const ids = ["2601.01230", "2601.10000", "2601.00001"];
    const text = `{"papers": [${ids.map((id) => bare(id)).join(", ")}]}`;
    expect(read(text, ids)).toEqual({ ids, problems: [] });
    // Any id key the parser reads, in any spelling, pretty-printed or one object per line.
    const variants = `{"arxiv_id":2601.01230,"relevance":8,"novelty":6}\n{"paperId" :\n 2601.10000 , "relevance": 5, "novelty": 6}`;
    expect(read(variants, ids)).toMatchObject({ ids: ids.slice(0, 2) });
  });

  it("keeps the zeros of 4-digit ids, a leading zero JSON forbids too", () => {
    const ids = ["0704.0010", "1412.1000"];
    expect(read(`[${bare("0704.0010")}, ${bare("1412.1000")}]`, ids)).toEqual({ ids, problems: [] });
  });

  it("maps a number that lost its zeros onto the one paper equal to it as a number", () => {
    const ids = ["0704.0010", "2601.01230", "2601.12300"];
    const text = `[${bare("704.001")}, ${bare("2601.0123")}, ${bare("2.6011230e3")}]`;
    expect(read(text, ids)).toEqual({ ids, problems: [] });
    expect(askedIds("704.001", new Set(ids))).toEqual(["0704.0010"]);
    // A number naming no paper is named as written.
    expect(read(`[${bare("2601.0124")}]`, ids).problems).toEqual([
      "item for 2601.0124: not one of the papers asked about; ignored",
    ]);
  });

  it("reads an id written as a number inside a fenced reply", () => {
    const text = `Here are the scores.\n\`\`\`json\n{"papers": [${bare("2601.01230")}]}\n\`\`\`\nDone.`;
    expect(read(text, ["2601.01230"])).toEqual({ ids: ["2601.01230"], problems: [] });
  });

  it("guesses none of two papers a number matches, and names both", () => {
    // Ids from the feeds never collide so; ids asked about that are not canonical can.
    const ids = ["2601.01230", "2601.0123", "2601.00002"];
    const { items, problems } = parseScoreReply(`[${bare("2601.012300")}, ${bare("2601.00002")}]`, ids);
    expect(items.map((i) => i.id)).toEqual(["2601.00002"]);
    expect(problems).toEqual([
      "item for 2601.01230: its id 2601.012300 matches 2601.01230 and 2601.0123 as a number; ignored",
      "item for 2601.0123: its id 2601.012300 matches 2601.01230 and 2601.0123 as a number; ignored",
    ]);
  });

  it("leaves string ids, and numbers inside strings, as they are", () => {
    const comment = 'quotes \\"id\\": 2601.01230 and {\\"paper\\": 1.50}';
    const text = `[{"id": "2601.01230", "relevance": 8, "novelty": 6, "comment": "${comment}"}, {"id": "2601.10000", "relevance": 7.50, "novelty": 6}]`;
    const { items, problems } = parseScoreReply(text, ["2601.01230", "2601.10000"]);
    expect(items.map((i) => [i.id, i.relevance, i.comment])).toEqual([
      ["2601.01230", 8, 'quotes "id": 2601.01230 and {"paper": 1.50}'],
      ["2601.10000", 7.5, ""],
    ]);
    expect(problems).toEqual([]);
    expect(normalizeId("2601.01230")).toBe("2601.01230");
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

describe("a reasoning model's thinking in the reply", () => {
  const answer = JSON.stringify({ papers: all });
  const draft = JSON.stringify({ papers: [item(IDS[0]!, 3, 3)] });

  it.each([
    ["<think>", "</think>"],
    ["<thinking>", "</thinking>"],
    ["<reasoning>", "</reasoning>"],
    ["<THINK>", "</THINK>"],
  ])("is set aside before the answer is read (%s)", (open, close) => {
    const text = `${open}\nA first draft: ${draft}. Paper 1 deserves more.\n${close}\n\n${answer}`;
    expect(scoresOf(text)).toMatchObject({ ids: IDS, problems: [] });
    expect(scoresOf(text).items[0]!.relevance).toBe(8);
  });

  it("is set aside when the chat template opened the tag and the reply only closes it", () => {
    expect(withoutThinking(`Let me see: ${draft}\n</think>\n${answer}`)).toEqual({
      text: `\n${answer}`,
      problem: null,
    });
    expect(scoresOf(`Let me see: ${draft}\n</think>\n${answer}`).items[0]!.relevance).toBe(8);
  });

  it("hides a fenced example of the format no more", () => {
    const text = `<think>The format is\n\`\`\`json\n{"papers": [{"id": "...", "relevance": 1}]}\n\`\`\`\n</think>\n${answer}`;
    expect(scoresOf(text)).toMatchObject({ ids: IDS, problems: [] });
  });

  it("leaves no answer when it is all the reply holds", () => {
    expect(scoresOf(`<think>Paper 1: ${draft}… and paper 2`).problems).toEqual([
      "the reply was only the model's thinking, never closed, with no answer after it",
    ]);
    expect(scoresOf(`<think>${draft}</think>\n`).problems).toEqual([
      "the reply held only the model's thinking, with no answer after it",
    ]);
    expect(parseTriageReply('<think>{"on_topic": [1]}', 3)).toMatchObject({
      answered: false,
      problems: ["the reply was only the model's thinking, never closed, with no answer after it"],
    });
  });

  it("is no tag when quoted inside the answer's JSON", () => {
    const quoted = [{ ...item(IDS[0]!), comment: "trains <think> and </think> tokens" }, item(IDS[1]!)];
    const text = JSON.stringify({ papers: quoted });
    expect(withoutThinking(text)).toEqual({ text, problem: null });
    expect(scoresOf(text).items[0]!.comment).toBe("trains <think> and </think> tokens");
    expect(scoresOf(JSON.stringify({ papers: quoted }, null, 2)).ids).toEqual([IDS[0], IDS[1]]);
  });

  it("triage: reads the answer after the thinking, not the draft inside it", () => {
    const text =
      '<think>The user wants JSON like {"on_topic": [5], "maybe": []}. Let me go through each title.</think>\n{"on_topic": [1, 2, 3, 4, 5], "maybe": []}';
    expect(parseTriageReply(text, 5)).toEqual({
      onTopic: new Set([1, 2, 3, 4, 5]),
      maybe: new Set(),
      answered: true,
      problems: [],
    });
  });
});

describe("several answers in one reply", () => {
  it("scoring: reads the last list of papers, the final answer, and ignores earlier drafts", () => {
    const first = JSON.stringify({ papers: all.map((i) => ({ ...i, relevance: 2 })) });
    const text = `Draft:\n${first}\nOn reflection, paper 1 fits better:\n${JSON.stringify({ papers: all })}`;
    const { items, conflicts, problems } = parseScoreReply(text, IDS);
    expect(items.map((i) => i.relevance)).toEqual([8, 8, 8]);
    expect({ conflicts, problems }).toEqual({ conflicts: [], problems: [] });
    // A loose example item before the list is no answer either.
    const example = `For example {"id": "2602.04119", "relevance": 1, "novelty": 1}. Answer: ${JSON.stringify(all)}`;
    expect(parseScoreReply(example, IDS).items.map((i) => i.relevance)).toEqual([8, 8, 8]);
  });

  it("scoring: reads the whole reply when its fences hold only an example", () => {
    const text = `The format:\n\`\`\`json\n{"papers": [{"id": "ID", "relevance": 0}]}\n\`\`\`\nMy answer:\n${JSON.stringify({ papers: all })}`;
    expect(scoresOf(text)).toMatchObject({ ids: IDS, problems: [] });
    // With fences that hold the answer, the prose's JSON outside them is not read.
    const fenced = `Not {"id": "9999.99999", "relevance": 5, "novelty": 5}\n\`\`\`json\n${JSON.stringify(all)}\n\`\`\``;
    expect(scoresOf(fenced)).toMatchObject({ ids: IDS, problems: [] });
    // When no reading answers, the problems are those of the fenced text.
    expect(scoresOf('```json\n{"papers": []}\n```').problems).toEqual(["the reply's JSON listed no papers"]);
  });

  it("triage: reads the last answer, a nested one too, and falls back from a fenced example", () => {
    expect(
      parseTriageReply('{"on_topic": [3], "maybe": []} no wait: {"on_topic": [1], "maybe": [2]}', 3),
    ).toMatchObject({
      onTopic: new Set([1]),
      maybe: new Set([2]),
    });
    expect(parseTriageReply('{"result": {"on_topic": [2], "maybe": []}}', 3).onTopic).toEqual(new Set([2]));
    const text = 'Format:\n```\n{"example": true}\n```\n{"on_topic": [3], "maybe": [1]}';
    expect(parseTriageReply(text, 3)).toMatchObject({ onTopic: new Set([3]), maybe: new Set([1]), answered: true });
  });
});
