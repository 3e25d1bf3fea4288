import { describe, expect, it } from "vitest";
import { TransientError, withRetries } from "../../src/deliver/retry.js";
import { escapeSlack, fitSlack, slackLink } from "../../src/deliver/slack-text.js";
import { fakeClock } from "../helpers/fake-clock.js";

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

describe("retries", () => {
  it("fails at once when the server asks for a longer wait than allowed", async () => {
    const clock = fakeClock();
    const attempt = () => Promise.reject(new TransientError("Slack is rate-limiting us", 3_600_000));
    await expect(
      withRetries(attempt, { clock, maxAttempts: 5, baseDelayMs: 1000, maxWaitMs: 120_000 }),
    ).rejects.toThrow("Slack is rate-limiting us; the server asked to wait 3600 s, longer than we wait");
    expect(clock.sleeps).toEqual([]);
  });

  it("rethrows a permanent error without retrying", async () => {
    const clock = fakeClock();
    let calls = 0;
    const attempt = async () => {
      calls++;
      throw new Error("bad request");
    };
    await expect(withRetries(attempt, { clock, maxAttempts: 5, baseDelayMs: 1000, maxWaitMs: 1000 })).rejects.toThrow(
      "bad request",
    );
    expect(calls).toBe(1);
  });
});
