import { describe, expect, it } from "vitest";
import { escapeSlack, fitSlack, slackLink } from "../../src/deliver/slack-text.js";

describe("Slack text", () => {
  it("escapes the three control characters and nothing else", () => {
    expect(escapeSlack("<!here> a & b > c *bold* _it_")).toBe("&lt;!here&gt; a &amp; b &gt; c *bold* _it_");
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
