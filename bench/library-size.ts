/**
 * What reading a large, well-formed BibTeX library costs `feedback import`: the parser reading the
 * whole file, as every file was read before (`bibtexWhole`), beside the file cut into its entries
 * and each parsed alone (`bibtexByEntry`, what the import does now), in the same run, on synthetic
 * Zotero-like libraries of about 1, 5 and 10 MB (articles, preprints and proceedings; arXiv ids in
 * eprint, url and doi fields; accents, braces and math in titles and names; an abstract each). Each
 * reading runs in a child process of its own, once, so its time and its peak memory (the child's
 * largest resident set) are its own: the processor time it took (user and system; on a shared
 * machine the wall time, in parentheses, also counts the waits for a core), and both must give the
 * same entries (the bench says if not).
 * With `--broken N`, every Nth entry leaves a brace open in its title (the import names it and
 * reads the rest), the shape in which reading the whole file is quadratic.
 * Run: npx tsx bench/library-size.ts [--broken N] [MB…]   (default: 1 5 10, none broken)
 */
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";
import { bibtexByEntry, bibtexEntriesOf, bibtexWhole, type LibraryEntry } from "../src/feedback/library.js";

const TITLES = [
  String.raw`{Schr\"odinger} Bridges for $\mathcal{O}(n^2)$-Free Diffusion Sampling`,
  "Sparse {Mixture-of-Experts} Routing Without Auxiliary Losses",
  "Graph Retrieval for Long-Context {Question} {Answering}",
  String.raw`On the {G\"odel} Incompleteness of {Transformer} Reasoning`,
  String.raw`Na{\"\i}ve {Bayes} Revisited: Calibration at Scale`,
  String.raw`Learning $\epsilon$-Optimal Policies with {\'E}tale Covers`,
];
const NAMES = [
  String.raw`M{\"u}ller, Hans`,
  String.raw`Garc{\'\i}a, Ana`,
  String.raw`{\O}stergaard, Lars`,
  "Smith, John",
  String.raw`Nguy{\~\^e}n, Van`,
  "van der Berg, Pieter",
];
const SENTENCE = "We study how models trained on large corpora generalise to unseen tasks and measure it. ";

function entry(i: number, broken: number): string {
  if (broken > 0 && i % broken === broken - 1)
    return `@article{broken${i},\n\ttitle = {Unclosed {brace in entry ${i},\n\tyear = {2024}\n}\n\n`;
  const id = `${2300 + (i % 24)}.${String(10000 + i).slice(-5)}`;
  const title = `${TITLES[i % TITLES.length]} ({Part} ${i})`;
  const authors = [0, 1, 2].map((k) => NAMES[(i + k) % NAMES.length]).join(" and ");
  const abstract = SENTENCE.repeat(4 + (i % 5));
  switch (i % 3) {
    case 0:
      return `@misc{paper${i},\n\ttitle = {${title}},\n\tauthor = {${authors}},\n\tyear = {2024},\n\teprint = {${id}},\n\tarchivePrefix = {arXiv},\n\tprimaryClass = {cs.LG},\n\turl = {http://arxiv.org/abs/${id}},\n\tabstract = {${abstract}},\n\tkeywords = {Computer Science - Machine Learning},\n}\n\n`;
    case 1:
      return `@article{paper${i},\n\ttitle = {${title}},\n\tauthor = {${authors}},\n\tjournal = {arXiv preprint},\n\tyear = {2023},\n\tdoi = {10.48550/arXiv.${id}},\n\tnote = {arXiv:${id} [cs.CL]},\n\tabstract = {${abstract}},\n}\n\n`;
    default:
      return `@inproceedings{paper${i},\n\ttitle = "${title}",\n\tbooktitle = {Proceedings of the {ACM} Web Conference},\n\tauthor = {${authors}},\n\tpages = {1--12},\n\tyear = {2024},\n\tdoi = {10.1145/3589334.${3640000 + i}},\n\turl = {https://arxiv.org/pdf/${id}v2},\n\tabstract = {${abstract}},\n}\n\n`;
  }
}

/** A library of about `mb` megabytes, every `broken`th entry (if any) left open. */
function library(mb: number, broken: number): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < mb * 1e6; i++) {
    const e = entry(i, broken);
    parts.push(e);
    size += e.length;
  }
  return parts.join("");
}

type Reading = "whole" | "by entry";
interface Measured {
  ms: number;
  cpuMs: number;
  peakMb: number;
  entries: LibraryEntry[];
}

if (process.argv[2] === "--child") {
  const mb = Number(process.argv[3]);
  const how = process.argv[4] as Reading;
  const text = library(mb, Number(process.argv[5]));
  const t = performance.now();
  const cpu = process.cpuUsage();
  const entries = bibtexEntriesOf(
    text,
    how === "whole" ? bibtexWhole(text) : (bibtexByEntry(text) ?? bibtexWhole(text)),
  );
  const ms = performance.now() - t;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  const peakMb = process.resourceUsage().maxRSS / 1024;
  process.send!({ ms, cpuMs, peakMb, entries } satisfies Measured, () => process.exit(0));
} else {
  const args = process.argv.slice(2);
  const flag = args.indexOf("--broken");
  const broken = flag >= 0 ? Number(args.splice(flag, 2)[1]) : 0;
  const sizes = args.length > 0 ? args.map(Number) : [1, 5, 10];
  const self = fileURLToPath(import.meta.url);
  const measure = (mb: number, how: Reading) =>
    new Promise<Measured>((resolve, reject) => {
      const child = fork(self, ["--child", String(mb), how, String(broken)]);
      child.once("message", (m) => resolve(m as Measured));
      child.once("error", reject);
      child.once("exit", (code) => code !== 0 && reject(new Error(`the ${how} reading exited ${code}`)));
    });
  const col = (s: string, w = 12) => s.padStart(w);
  const secs = (m: Measured) => col(`${(m.cpuMs / 1000).toFixed(1)} s (${(m.ms / 1000).toFixed(1)})`, 16);
  if (broken > 0) console.log(`every ${broken}th entry leaves a brace open`);
  console.log(
    `${col("MB", 6)}${col("entries", 9)}${col("whole", 16)}${col("peak", 8)}${col("by entry", 16)}${col("peak", 8)}  same`,
  );
  for (const mb of sizes) {
    const text = library(mb, broken);
    const whole = await measure(mb, "whole");
    const byEntry = await measure(mb, "by entry");
    const same = isDeepStrictEqual(whole.entries, byEntry.entries) ? "yes" : "NO";
    console.log(
      `${col((text.length / 1e6).toFixed(1), 6)}${col(String(whole.entries.length), 9)}${secs(whole)}${col(`${whole.peakMb.toFixed(0)} MB`, 8)}${secs(byEntry)}${col(`${byEntry.peakMb.toFixed(0)} MB`, 8)}  ${same}`,
    );
  }
}
