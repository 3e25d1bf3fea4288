/**
 * What reading a long authors.txt costs (`readFollowedAuthors`, on every `run` and in `doctor`),
 * beside the plain reading it replaced (test/helpers/followed-reference.ts: each line against every
 * person met so far, quadratic), in the same run, on two synthetic files of 1,000, 10,000 and
 * 30,000 lines: every line a different person (a third with a Semantic Scholar id), and every
 * person listed three times 1/3 of the file apart (the name, the initial with the id, the name with
 * the id: the last line joins the first two). Wall time, best of 3 (the baseline at 30,000 lines:
 * one run, it takes seconds). Both readings must give the same answer; the bench says if not.
 * Run: npx tsx bench/authors-parse.ts [lines…]   (default: 1000 10000 30000)
 */
import { isDeepStrictEqual } from "node:util";
import { readFollowedAuthors } from "../src/authors/followed.js";
import { referenceFollowedAuthors } from "../test/helpers/followed-reference.js";
import { bestOf } from "./best-of.js";

const SIZES = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [1_000, 10_000, 30_000];

/** Bijective base 26, capitalised: 0 → "A", 26 → "Aa": distinct words for distinct numbers. */
function word(n: number): string {
  let text = "";
  for (let k = n + 1; k > 0; k = Math.floor((k - 1) / 26)) text = String.fromCharCode(97 + ((k - 1) % 26)) + text;
  return text[0]!.toUpperCase() + text.slice(1);
}

const person = (i: number) => ({ given: word(i + 26), surname: `${word(i)}son`, id: `${i + 1}` });

const shapes: Record<string, (lines: number) => string> = {
  distinct: (lines) =>
    Array.from({ length: lines }, (_, i) => {
      const p = person(i);
      return i % 3 === 0 ? `${p.given} ${p.surname} | ${p.id}` : `${p.given} ${p.surname}`;
    }).join("\n"),
  "listed 3 times": (lines) => {
    const people = Array.from({ length: Math.ceil(lines / 3) }, (_, i) => person(i));
    return [
      ...people.map((p) => `${p.given} ${p.surname}`),
      ...people.map((p) => `${p.given[0]}. ${p.surname} | ${p.id}`),
      ...people.map((p) => `${p.given} ${p.surname} | ${p.id}`),
    ]
      .slice(0, lines)
      .join("\n");
  },
};

const ms = (value: number) => `${value.toFixed(1)} ms`.padStart(11);
console.log(`${"file".padEnd(16)}${"lines".padStart(7)}${"baseline".padStart(11)}${"linear".padStart(11)}  same`);
for (const [shape, make] of Object.entries(shapes)) {
  for (const lines of SIZES) {
    const text = make(lines);
    let linear: ReturnType<typeof readFollowedAuthors> | undefined;
    let plain: ReturnType<typeof referenceFollowedAuthors> | undefined;
    const baselineMs = await bestOf(
      async () => {
        plain = referenceFollowedAuthors(text);
      },
      lines > 10_000 ? 1 : 3,
    );
    const linearMs = await bestOf(async () => {
      linear = readFollowedAuthors(text, "authors.txt");
    }, 3);
    const same = isDeepStrictEqual(linear, plain) ? "yes" : "NO";
    console.log(`${shape.padEnd(16)}${String(lines).padStart(7)}${ms(baselineMs)}${ms(linearMs)}  ${same}`);
  }
}
