import { describe, expect, it } from "vitest";
import { cutText, SHOWN_VALUE_CHARS, shownValue } from "../../src/format/shown.js";

describe("shownValue", () => {
  it("shows a string as JSON, a number or a yes/no as written", () => {
    expect(shownValue("openia")).toBe('"openia"');
    expect(shownValue('say "hi"\nthere')).toBe('"say \\"hi\\"\\nthere"');
    expect(shownValue(7)).toBe("7");
    expect(shownValue(false)).toBe("false");
    expect(shownValue(["a", 1])).toBe('["a",1]');
    expect(shownValue(null)).toBe("null");
  });

  it("writes invisible and reordering characters as escapes, keeping joiners", () => {
    expect(shownValue("a\u202eb\u2028c\x1bd\u007f")).toBe('"a\\u202eb\\u2028c\\u001bd\\u007f"');
    expect(shownValue("👨\u200d👩")).toBe('"👨\u200d👩"');
  });

  it("cuts a long value to about 60 characters with … inside the quotes, never inside an escape", () => {
    const shown = shownValue("y".repeat(5000));
    expect(shown).toBe(`"${"y".repeat(SHOWN_VALUE_CHARS - 1)}…"`);
    const lines = shownValue("\n".repeat(100));
    expect(lines).toMatch(/^"(\\n)+…"$/);
    expect(lines.length).toBeLessThanOrEqual(SHOWN_VALUE_CHARS + 2);
    expect(shownValue("😀".repeat(100), 10)).toBe(`"${"😀".repeat(9)}…"`);
    expect(shownValue({ list: "z".repeat(500) }).length).toBeLessThanOrEqual(SHOWN_VALUE_CHARS + 2);
    expect(shownValue("x".repeat(SHOWN_VALUE_CHARS))).toBe(`"${"x".repeat(SHOWN_VALUE_CHARS)}"`);
  });

  it("masks a URL's credentials and a key's shape in the whole value before cutting it", () => {
    const password = "Zq8vN3pLw0rT6yHs2KcX9mB4fJ7dGa1eQ5wE8rT2y";
    // Cut at 60 characters, the value would stop before its "@", where the credentials are no longer told apart.
    const url = shownValue(`https://team-proxy-user:${password}@llm.example.com/v1`);
    expect(url).toBe('"https://[redacted]@llm.example.com/v1"');
    const inMap = shownValue({ model: "m", baseUrl: `https://proxyuser:${password}@llm.example.com/v1` });
    expect(inMap).not.toContain("Zq8v");
    expect(inMap).not.toContain("proxyuser");
    for (const key of [
      "AIzaSyD4xk2-Q7mPqL9vT3wZr8nB1cF6hJ0sUeY",
      "gsk_Q7mPqL9vT3wZr8nB1cF6hJ0sUeY4xk2Q7mPqL9vT3wZr8n",
    ]) {
      expect(shownValue(`apiKeyEnv: ${key}`)).toBe('"apiKeyEnv: [redacted]"');
    }
  });
});

describe("cutText", () => {
  it("cuts at a word near the end, and never splits a surrogate pair", () => {
    expect(cutText("short", 10)).toBe("short");
    expect(cutText("one two three four five six", 20)).toBe("one two three four…");
    expect(Array.from(cutText("😀".repeat(20), 10))).toHaveLength(10);
  });
});
