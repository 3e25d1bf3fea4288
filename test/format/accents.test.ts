import { describe, expect, it } from "vitest";
import { decodeAccents } from "../../src/format/accents.js";
import { decodeTex } from "../../src/format/math-spans.js";
import { parseTex, plainTex, typesetText } from "../../src/format/tex.js";
import { texMarkdown } from "../../src/format/tex-markdown.js";
import { renderMathText } from "../../src/site/math.js";

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

/** The accents an abstract types, with and without braces, and what every renderer shows for them. */
const ABSTRACT_ACCENTS: [string, string][] = [
  [String.raw`Schr\"odinger`, "Schrödinger"],
  [String.raw`Schr\"{o}dinger`, "Schrödinger"],
  [String.raw`Schr{\"o}dinger`, "Schrödinger"],
  [String.raw`M{\"u}ller`, "Müller"],
  [String.raw`M\"{u}ller`, "Müller"],
  [String.raw`na\"ive`, "naïve"],
  [String.raw`na\"{\i}ve`, "naïve"],
  [String.raw`\'etude`, "étude"],
  [String.raw`\'{e}tude`, "étude"],
  [String.raw`Erd\H{o}s`, "Erdős"],
  [String.raw`Erd\H os`, "Erdős"],
  [String.raw`\v{S}ar\v{s}`, "Šarš"],
  [String.raw`Fran\c{c}ais`, "Français"],
  [String.raw`Gau\ss`, "Gauß"],
  [String.raw`Gau{\ss}ian`, "Gaußian"],
  [String.raw`\o{}rsted`, "ørsted"],
  [String.raw`\O re`, "Øre"],
  [String.raw`\aa`, "å"],
  [String.raw`{\AA}ngstr\"om`, "Ångström"],
  [String.raw`{\l}\'od\'z`, "łódź"],
  [String.raw`\i`, "ı"],
  [String.raw`Mart\'{\i}n`, "Martín"],
  [String.raw`Mart\'\i n`, "Martín"],
];

describe("decodeAccents", () => {
  it.each(ABSTRACT_ACCENTS)("decodes %s", (tex, unicode) => {
    expect(decodeAccents(tex)).toBe(unicode);
  });

  it("keeps unknown macros, lone accents and TeX's line break as typed", () => {
    for (const text of [
      String.raw`\foo{x}`,
      String.raw`\foo x`,
      String.raw`\"{}`,
      String.raw`\'1`,
      String.raw`a\\'e`,
    ]) {
      expect(decodeAccents(text)).toBe(text);
    }
    expect(decodeAccents(String.raw`\foo{\"o}`)).toBe(String.raw`\foo{ö}`);
  });

  it("returns NFC", () => {
    const out = decodeAccents(`${String.raw`Schr\"odinger`} and Schro\u0308dinger`);
    expect(out).toBe("Schrödinger and Schrödinger");
    expect(out).toBe(out.normalize("NFC"));
  });

  it("decodes a long run of accents in linear time", () => {
    const text = String.raw`\"{o}\c c\'{\i}{\ss}\v s `.repeat(20_000);
    expect(decodeAccents(text)).toBe("öçíßš ".repeat(20_000));
  });
});

describe("the renderers decode accents outside math only", () => {
  it.each(ABSTRACT_ACCENTS)("%s on the site, in plain text and in Markdown", (tex, unicode) => {
    expect(typesetText(tex)).toBe(unicode);
    expect(renderMathText(tex)).toBe(unicode);
    expect(plainTex(tex)).toBe(unicode);
    expect(texMarkdown(tex)).toBe(unicode);
  });

  it("leaves accents inside math to the math", () => {
    const source = String.raw`Schr\"odinger's $\hat{x} + \'e$ and $$\"o$$`;
    expect(parseTex(source)).toEqual([
      { kind: "text", source: String.raw`Schr\"odinger's ` },
      { kind: "math", tex: String.raw`\hat{x} + \'e`, display: false },
      { kind: "text", source: " and " },
      { kind: "math", tex: String.raw`\"o`, display: true },
    ]);
    expect(texMarkdown(source)).toBe(String.raw`Schrödinger's $\hat{x} + \'e$ and $$\"o$$`);
    expect(decodeTex(source)).toBe(String.raw`Schrödinger's $\hat{x} + \'e$ and $$\"o$$`);
    const html = renderMathText(source);
    expect(html.startsWith("Schrödinger's <math")).toBe(true);
    expect(html).not.toContain("é");
  });

  it("decodes accents inside text markup and keeps what it does not know", () => {
    expect(renderMathText(String.raw`\textbf{Schr\"odinger} \emph{na\"ive}`)).toBe("<b>Schrödinger</b> <em>naïve</em>");
    expect(plainTex(String.raw`\textit{Erd\H{o}s}--R\'enyi graphs`)).toBe("Erdős–Rényi graphs");
    expect(texMarkdown(String.raw`\textbf{Erd\H{o}s}--R\'enyi`)).toBe("**Erdős**–Rényi");
    // An unknown macro stays as typed on the page and in Markdown (plain text has always dropped its name).
    expect(renderMathText(String.raw`\foo{x} and \"o`)).toBe(String.raw`\foo{x} and ö`);
    expect(texMarkdown(String.raw`\foo{x} and \"o`)).toBe(String.raw`\\foo\{x\} and ö`);
    expect(plainTex(String.raw`\foo{x} and \"o`)).toBe("x and ö");
  });

  it("still escapes what it decodes: no markup comes out of an accent", () => {
    expect(renderMathText(String.raw`\"{<b>} & \'e`)).toBe(String.raw`\"{&lt;b&gt;} &amp; é`);
    expect(texMarkdown(String.raw`\"{*} \'e`)).toBe(String.raw`\\"\{\*\} é`);
  });
});
