import { describe, expect, it } from "vitest";
import { parseJson } from "../../src/io/json-file.js";

/** What JSON.parse makes of the bytes decoded as UTF-8: the value, or the error's message. */
function decoded(bytes: Buffer): unknown {
  try {
    return { value: JSON.parse(bytes.toString("utf8")) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

function parsed(bytes: Buffer): unknown {
  try {
    return { value: parseJson(bytes) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

describe("parseJson", () => {
  it("gives what JSON.parse gives of the decoded text, value or error", () => {
    const texts = [
      '{"title": "plain ASCII", "n": [1, 2.5, null, true]}',
      '{"name": "André Ñúñez", "math": "α ≤ β → ∞", "emoji": "😀 ok"}',
      '{"clé": "valeur", "nested": {"ключ": ["値", "\\u00e9 as an escape", "\\\\é after an escaped backslash"]}}',
      `{"long": "${"x".repeat(3000)}é${"y".repeat(1500)}ü", "edge": "${"z".repeat(1023)}ß"}`,
      // Not JSON, or not valid where the non-ASCII character stands: the usual error.
      '{"a": é}',
      '{"a": "\\é"}',
      "\ufeff{}",
      '{"a": "unterminated é',
    ];
    for (const text of texts) {
      const bytes = Buffer.from(text);
      expect(parsed(bytes), text).toEqual(decoded(bytes));
    }
    // Invalid UTF-8 reads as the replacement character, as when decoded.
    const invalid = Buffer.concat([Buffer.from('{"a": "x'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('y"}')]);
    expect(parsed(invalid)).toEqual(decoded(invalid));
  });
});
