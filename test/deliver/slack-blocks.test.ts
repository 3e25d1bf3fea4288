import { describe, expect, it } from "vitest";
import { type SlackMessage, slackDigest } from "../../src/deliver/slack-blocks.js";
import { slackUpdateReply } from "../../src/deliver/slack-update.js";
import { offlineScoringNote } from "../../src/model/notes.js";
import { makeDay, makePaper } from "../helpers/day-factory.js";

/** The reviewer's titles: every Slack formatting mark, markup inside our `*…*` wrapper included. */
const MARKED_TITLE =
  "Q*-Learning with *bold* claims, _under_scores_, ~tilde~ and `code` <script>alert(1)</script> & A>B";
const MARKED_COMMENT = "Compares *stars* and _underscores_; `inline code`; 5 > 3 & 2 < 4. <!channel>";

function texts(message: SlackMessage): string[] {
  return message.blocks.flatMap((b) => (b.type === "context" ? b.elements.map((e) => e.text) : [b.text.text]));
}

/**
 * What Slack shows of paper text we wrote: the look-alikes read back as the marks they stand for
 * and the three entities decoded. Our own markup (the `*` around a paper's heading, the link) is
 * taken off first.
 */
function shown(mrkdwn: string): string {
  return mrkdwn
    .replace(/^\*(.*)\*$/, "$1")
    .replace(/<https?:\/\/[^|>]+\|([^>]*)>/g, "$1")
    .replace(/[∗ˍ∼ˋ]/g, (c) => ({ "∗": "*", ˍ: "_", "∼": "~", ˋ: "`" })[c]!)
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

describe("Slack blocks", () => {
  const day = makeDay({
    papers: [
      makePaper({
        title: MARKED_TITLE,
        comment: MARKED_COMMENT,
        authors: [
          { name: "J_Doe_", affiliations: [] },
          { name: "*Star* Author", affiliations: [] },
        ],
      }),
    ],
  });
  const { summary, list } = slackDigest(day, { top: 10, threaded: true });
  const lines = texts(list[0]!)[0]!.split("\n");
  const [heading, authors] = lines;
  const comment = lines.find((l) => l.startsWith("> "));

  it("leaves no formatting mark of a title, comment or author name for Slack to read", () => {
    for (const line of [heading!, authors!, comment!]) {
      // Our own wrapper and quote aside, no `*`, `_`, `~` or backtick reaches Slack.
      expect(line.replace(/^\*|\*$/g, "").replace(/^> /, "")).not.toMatch(/[*_~`]/);
    }
    expect(heading).toMatch(/^\*1\. <https:\/\/arxiv\.org\/abs\/2602\.04119\|/);
    expect(texts(summary).join("\n")).not.toMatch(/Q\*|_under|~tilde|`code/);
  });

  it("shows each title, comment and name exactly as written", () => {
    expect(shown(heading!)).toBe(`1. ${MARKED_TITLE}`);
    expect(shown(comment!)).toBe(`> ${MARKED_COMMENT}`);
    expect(shown(authors!)).toBe("J_Doe_, *Star* Author");
    const summaryLine = texts(summary).find((t) => t.startsWith("1. "))!;
    expect(shown(summaryLine)).toContain(`1. ${MARKED_TITLE} — `);
  });

  it("keeps a title's ~ as written while a TeX tie reads as a space", () => {
    const tilde = makeDay({ papers: [makePaper({ title: "~tilde~ and ~10x gains, Fig.~3" })] });
    const line = texts(slackDigest(tilde, { top: 10, threaded: false }).list[0]!)[0]!.split("\n")[0]!;
    expect(shown(line)).toBe("1. ~tilde~ and ~10x gains, Fig. 3");
  });

  it("says a followed author once: a line naming them, not the paper's stand-in comment too", () => {
    const followed = makeDay({
      papers: [
        makePaper({ id: "2602.00001", authorMatch: "Yann LeCun", comment: "Author match" }),
        // An imported day records that a followed author matched, not which one.
        makePaper({ id: "2602.00002", authorMatch: "Author match", comment: "Author match" }),
        makePaper({ id: "2602.00003", authorMatch: "Yann LeCun", comment: "A world model that plans." }),
      ],
    });
    const sections = texts(slackDigest(followed, { top: 10, threaded: false }).list[0]!);
    expect(sections[0]).toContain("\n★ Followed author: Yann LeCun");
    expect(sections[0]).not.toContain("Author match");
    expect(sections[1]).toMatch(/\n★ Followed author$/m);
    expect(sections[1]).not.toContain("Author match");
    expect(sections[2]).toContain("★ Followed author: Yann LeCun");
    expect(sections[2]).toContain("> A world model that plans.");
  });
});

describe("Slack summary of a day that is not a normal one", () => {
  it("shows the reader's notes in a context block and keeps the operator's out", () => {
    const day = makeDay({
      papers: [makePaper({ scoredBy: "lexical", novelty: null })],
      notes: [
        offlineScoringNote("no-key", "OPENAI_API_KEY"),
        "The LLM budget of $0.05 (llm.budgetUsd) stopped 12 calls (12 scoring): 140 papers scored offline instead.",
      ],
      operatorNotes: ["3 LLM answers came from the response cache (no charge in this run); new calls made: 0."],
    });
    const { summary } = slackDigest(day, { top: 10, threaded: false });
    const context = summary.blocks.filter((b) => b.type === "context");
    expect(context.at(-1)).toEqual({
      type: "context",
      elements: [{ type: "mrkdwn", text: "The paper in the next message." }],
    });
    expect(context.slice(0, -1)).toEqual([
      {
        type: "context",
        elements: [
          {
            type: "mrkdwn",
            text:
              "Note: Scored offline by the free ranking: no language model was used.\n" +
              "Note: The LLM budget of $0.05 (llm.budgetUsd) stopped 12 calls (12 scoring): 140 papers scored offline instead.",
          },
        ],
      },
    ]);
    // Before the titles whose scores the notes explain.
    const at = (pred: (t: string) => boolean) =>
      summary.blocks.findIndex((b) => texts({ ...summary, blocks: [b] }).some(pred));
    expect(at((t) => t.startsWith("Note: "))).toBeLessThan(at((t) => t.startsWith("1. ")));
    expect(JSON.stringify(summary)).not.toContain("response cache");
    expect(summary.text).toBe("arXiv digest · 2026-02-05: 1 paper picked from 1 scanned.");
  });

  it("names a failed day's status as the Markdown does, in the section and the notification", () => {
    const day = makeDay({
      date: "2026-03-27",
      papers: [],
      status: { code: "failed", message: "The arXiv feed could not be read: HTTP 503 after 5 attempts." },
      counts: { entries: null, unique: null, scanned: null, selected: 0, unscored: 0 },
    });
    const { summary, list } = slackDigest(day, { top: 10, threaded: true });
    expect(list).toEqual([]);
    expect(texts(summary)).toContain("*Run failed:* The arXiv feed could not be read: HTTP 503 after 5 attempts.");
    expect(summary.text).toBe("arXiv digest · 2026-03-27 · Run failed: 0 papers picked.");
    expect(JSON.stringify(summary)).not.toMatch(/\*failed\*|All 0 papers/);
  });

  it("says a partial day and a remedial day in the notification too", () => {
    const partial = makeDay({
      date: "2026-03-30",
      status: { code: "partial", message: "The key was refused after 3 calls: 300 papers left unscored." },
    });
    expect(slackDigest(partial, { top: 10, threaded: true }).summary.text).toBe(
      "arXiv digest · 2026-03-30 · Partial digest: 1 paper picked from 1 scanned.",
    );
    const remedial = makeDay({
      date: "2026-02-12",
      kind: "remedial",
      remedial: { from: "2026-02-10", to: "2026-02-12", generatedOn: "2026-02-20" },
    });
    const { summary } = slackDigest(remedial, { top: 10, threaded: true });
    expect(summary.text).toBe("arXiv digest · 2026-02-12 · Remedial digest: 1 paper picked from 1 scanned.");
    expect(texts(summary)).toContain(
      "Remedial digest: papers missed from 2026-02-10 to 2026-02-12, generated on 2026-02-20.",
    );
  });
});

describe("a paper's topic in Slack", () => {
  const topics = new Map([["architecture", "Model architecture"]]);
  const day = makeDay({
    papers: [makePaper({ id: "2601.00001" }), makePaper({ id: "2601.00002", topic: "retired-topic" })],
  });

  it("is the config's title, and the record's id for a topic the config no longer has", () => {
    const { summary, list } = slackDigest(day, { top: 10, threaded: true, topics });
    const top = texts(summary).join("\n");
    expect(top).toContain("Score 17 · Model architecture");
    expect(top).toContain("Score 17 · retired-topic");
    const listed = list.flatMap(texts).join("\n");
    expect(listed).toContain("Relevance 9 · Novelty 8 · Score 17 · Model architecture");
    expect(listed).not.toMatch(/· architecture\b/);
    expect(listed).toContain("Score 17 · retired-topic");
  });

  it("is the title in an update's reply too", () => {
    const { reply } = slackUpdateReply(day, ["2601.00002"], undefined, topics);
    expect(JSON.stringify(reply)).toContain("Score 17 · Model architecture");
  });
});
