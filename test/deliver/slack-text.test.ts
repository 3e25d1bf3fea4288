import { describe, expect, it } from "vitest";
import { escapeSlack, fitSlack, slackLink } from "../../src/deliver/slack-text.js";

describe("Slack text", () => {
  it("escapes the three control characters and nothing else of them", () => {
    expect(escapeSlack("<!here> a & b > c (x|y) #1 @me: 12:30")).toBe(
      "&lt;!here&gt; a &amp; b &gt; c (x|y) #1 @me: 12:30",
    );
  });

  it("shows an emoji code as typed: its opening colon becomes a look-alike, other colons stay", () => {
    expect(escapeSlack("Party :tada: time: a survey")).toBe("Party ∶tada: time: a survey");
    expect(escapeSlack(":+1: and :man-surfing: and :100:")).toBe("∶+1: and ∶man-surfing: and ∶100:");
    // Every colon that could open a code: "a:b:c:" holds ":b:" and ":c:" whichever Slack reads first.
    expect(escapeSlack("a:b:c:")).toBe("a∶b∶c:");
    // The name's underscore is neutralised as any other, and no code is left to read.
    expect(escapeSlack(":thumbs_up:")).toBe("∶thumbsˍup:");
    expect(escapeSlack("Ratio 1: 2 and :no code here")).toBe("Ratio 1: 2 and :no code here");
    // The colon is found on the whole text, so a cut keeps the look-alike.
    expect(fitSlack("x :rocket: launch", 6)).toBe("x ∶ro…");
    expect(slackLink("https://x.org/a:b:", ":fire: Title")).toBe("<https://x.org/a:b:|∶fire: Title>");
  });

  it("puts a look-alike in place of every formatting mark, Slack having no escape for them", () => {
    expect(escapeSlack("Q*-Learning with *bold* claims, _under_scores_, ~tilde~ and `code`")).toBe(
      "Q∗-Learning with ∗bold∗ claims, ˍunderˍscoresˍ, ∼tilde∼ and ˋcodeˋ",
    );
    // One character each, so a cut counts them as the text's own.
    expect(fitSlack("a*b_c~d`e", 9)).toBe("a∗bˍc∼dˋe");
    expect(fitSlack("a*b_c~d`ef", 9)).toBe("a∗bˍc∼dˋ…");
    expect(slackLink("https://x.org/a_b*c", "*x*")).toBe("<https://x.org/a_b*c|∗x∗>");
  });

  it("cuts without splitting an escape or a surrogate pair", () => {
    expect(fitSlack("ab&cd", 5)).toBe("ab…");
    expect(fitSlack("ab&cd", 7)).toBe("ab…");
    expect(fitSlack("ab&cd", 8)).toBe("ab&amp;…");
    expect(fitSlack("𝔸𝔹ℂ", 4)).toBe("𝔸…");
    expect(fitSlack("short", 5)).toBe("short");
  });

  it("keeps a link's URL intact and its text on one line", () => {
    expect(slackLink("https://x.org/a?b=1&c=2|>", "Title\n  with <tag>")).toBe(
      "<https://x.org/a?b=1&amp;c=2%7C%3E|Title with &lt;tag&gt;>",
    );
  });
});
