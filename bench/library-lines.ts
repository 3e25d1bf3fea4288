/**
 * What naming the lines of a BibTeX library's broken entries costs (`feedback import`), beside the
 * way it was done before (the text up to each entry cut out and split at its line breaks: quadratic
 * in the file for thousands of broken entries), in the same run: a synthetic library of N entries
 * whose title leaves a brace open, each followed by a good entry with an abstract of 40 short lines.
 * Both line finders are timed over the offsets of the entries the parser reports (best of 3; the
 * baseline once past 500 entries: it takes seconds), and must give the same lines (the bench says
 * if not); `parseLibrary` whole, the parser included, is timed once beside them.
 * Run: npx tsx bench/library-lines.ts [entries…]   (default: 500 2000)
 */
import { isDeepStrictEqual } from "node:util";
import { lineFinder, parseLibrary } from "../src/feedback/library.js";
import { bestOf } from "./best-of.js";

const SIZES = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [500, 2_000];

const broken = (i: number) => `@article{bad${i},\n  title = {Unclosed {brace ${i},\n  year = {2024}\n}\n`;
const good = (i: number) =>
  `@article{good${i},\n  title = {A fine title number ${i}},\n  year = {2024},\n  abstract = {${"lorem ipsum\n".repeat(40)}}\n}\n`;

/** The line finder as it was: the text before the offset cut out and split, for every offset. */
const baselineLineAt = (text: string) => (offset: number) => text.slice(0, offset).split("\n").length;

const ms = (value: number) => `${value.toFixed(1)} ms`.padStart(13);
console.log(
  `${"entries".padStart(8)}${"MB".padStart(7)}${"baseline".padStart(13)}${"line finder".padStart(13)}${"parseLibrary".padStart(13)}  same`,
);
for (const n of SIZES) {
  const text = Array.from({ length: n }, (_, i) => broken(i) + good(i)).join("");
  const offsets: number[] = [];
  for (let at = text.indexOf("@article{bad"); at >= 0; at = text.indexOf("@article{bad", at + 1)) offsets.push(at);
  let before: number[] = [];
  let after: number[] = [];
  const baselineMs = await bestOf(
    async () => {
      const lineAt = baselineLineAt(text);
      before = offsets.map(lineAt);
    },
    n > 500 ? 1 : 3,
  );
  const finderMs = await bestOf(async () => {
    const lineAt = lineFinder(text);
    after = offsets.map(lineAt);
  }, 3);
  let errors = 0;
  const wholeMs = await bestOf(async () => {
    errors = parseLibrary(text, "bibtex").filter((e) => e.error).length;
  }, 1);
  const same = isDeepStrictEqual(before, after) && errors === n ? "yes" : "NO";
  console.log(
    `${String(n).padStart(8)}${(text.length / 1e6).toFixed(1).padStart(7)}${ms(baselineMs)}${ms(finderMs)}${ms(wholeMs)}  ${same}`,
  );
}
