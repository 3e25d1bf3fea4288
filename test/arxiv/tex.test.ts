import { describe, expect, it } from "vitest";
import { decodeTex } from "../../src/arxiv/tex.js";

describe("decodeTex", () => {
  it.each([
    [String.raw`Andr\'e`, "André"],
    [String.raw`\'{e}`, "é"],
    [String.raw`{\'e}`, "é"],
    [String.raw`{\' e}`, "é"],
    [String.raw`\"o`, "ö"],
    [String.raw`\"{O}`, "Ö"],
    [String.raw`\c{c}`, "ç"],
    [String.raw`\c c`, "ç"],
    [String.raw`{\ss}`, "ß"],
    [String.raw`Stra\ss e`, "Straße"],
    [String.raw`\v{s}`, "š"],
    [String.raw`\v s`, "š"],
    [String.raw`\~n`, "ñ"],
    [String.raw`\^o`, "ô"],
    [String.raw`\`a`, "à"],
    [String.raw`\=a`, "ā"],
    [String.raw`\.z`, "ż"],
    [String.raw`\u{g}`, "ğ"],
    [String.raw`\H{o}`, "ő"],
    [String.raw`\k{a}`, "ą"],
    [String.raw`\r{u}`, "ů"],
    [String.raw`\o`, "ø"],
    [String.raw`\O`, "Ø"],
    [String.raw`\l`, "ł"],
    [String.raw`\L`, "Ł"],
    [String.raw`\aa`, "å"],
    [String.raw`\AA`, "Å"],
    [String.raw`\ae`, "æ"],
    [String.raw`\i`, "ı"],
    [String.raw`\'\i`, "í"],
    [String.raw`\'{\i}`, "í"],
    [String.raw`\"{\i}`, "ï"],
    [String.raw`B\o rn`, "Børn"],
    [String.raw`Bj\o{}rn`, "Bjørn"],
    // Icelandic, Old English, Croatian and Sami letters.
    [String.raw`Gu{\dh}mundur`, "Guðmundur"],
    [String.raw`\DH`, "Ð"],
    [String.raw`{\th}`, "þ"],
    [String.raw`\TH orsteinn`, "Þorsteinn"],
    [String.raw`\dj`, "đ"],
    [String.raw`\DJ okovi\'c`, "Đoković"],
    [String.raw`\ng`, "ŋ"],
    [String.raw`\NG{}`, "Ŋ"],
    // Dot below, alone and under other accents (Vietnamese).
    [String.raw`\d{a}`, "ạ"],
    [String.raw`\d o`, "ọ"],
    [String.raw`Nguy\~{\^e}n`, "Nguyễn"],
    [String.raw`Tr\`{\^a}n`, "Trần"],
    [String.raw`\'{\^a}`, "ấ"],
    [String.raw`\^{\d{o}}`, "ộ"],
    [String.raw`{\~{\^e}}`, "ễ"],
    [String.raw`\~{ê}`, "ễ"],
    // Real names from the reference metadata.
    [String.raw`Ana Mar\'ia T\'arano`, "Ana María Tárano"],
    [String.raw`Aron St{\aa}lmarck`, "Aron Stålmarck"],
    [String.raw`Gerg\H{o} Orb\'an`, "Gergő Orbán"],
    [String.raw`Przemys{\l}aw Spyra`, "Przemysław Spyra"],
    [String.raw`Deniz G\"und\"uz`, "Deniz Gündüz"],
    [String.raw`Jo\~ao Vitor`, "João Vitor"],
    [String.raw`TinyD\'ej\`aVu`, "TinyDéjàVu"],
    [
      String.raw`Journal de l'\'Ecole polytechnique - Math\'ematiques`,
      "Journal de l'École polytechnique - Mathématiques",
    ],
  ])("decodes %s", (tex, unicode) => {
    expect(decodeTex(tex)).toBe(unicode);
  });

  it("returns NFC: one code point per accented letter", () => {
    const out = decodeTex(String.raw`Andr\'e`);
    expect(out).toBe(out.normalize("NFC"));
    expect([...out]).toHaveLength(5);
    expect(decodeTex("Andre\u0301")).toBe("André");
  });

  it("leaves math untouched", () => {
    const text = String.raw`bound $\'e + \"o$ and $$\^x$$ for Andr\'e`;
    expect(decodeTex(text)).toBe(String.raw`bound $\'e + \"o$ and $$\^x$$ for André`);
  });

  it("leaves unknown macros and look-alike control words alone", () => {
    const text = String.raw`\alpha \omega \lambda \item \oint \textbf{x} \cal \v1 \'1 \delta \theta \dd \d1 \nge`;
    expect(decodeTex(text)).toBe(text);
  });

  it("keeps unrelated braces and plain text", () => {
    expect(decodeTex("{GPT}-style {models}")).toBe("{GPT}-style {models}");
    expect(decodeTex("plain")).toBe("plain");
  });
});
