/**
 * What reading a large BibTeX library costs `feedback import`: each entry handed to the parser
 * with every field (`bibtexByEntry(text, { allFields: true })`, how the import read before, the
 * baseline) beside each handed over with only the fields the import reads (`bibtexByEntry`, what
 * it does now), in the same run, on synthetic Zotero-like libraries of about 1, 5 and 10 MB
 * (articles, preprints and proceedings; arXiv ids in eprint, url, doi and note fields; accents,
 * braces and math in titles and names; an abstract each). Each reading runs in a child process of
 * its own, once, so its time and its peak memory (the child's largest resident set) are its own:
 * the processor time it took (user and system; on a shared machine the wall time, in parentheses,
 * also counts the waits for a core), and both must give the same entries (the bench says if not).
 * With `--broken N`, every Nth entry leaves a brace open in its title (the import names it and
 * reads the rest).
 * The last row is the worst shape the bounds allow: a file of `LIBRARY_MAX_BYTES` made of entries
 * whose read fields are just under `MAX_ENTRY_CHARS` (one note, text with TeX in it), as many as
 * `MAX_READ_CHARS` allows, each padded with an abstract, read now;
 * beside it the worst shape of the bounds before (entries just under 256 KB, every field read),
 * of which a few entries are read and the time scaled to the file's size.
 * Then the hostile shapes (`SHAPES`), each read by `importLibrary` (and the device by
 * `readLibraryFile`) as this tree has it beside the code of a baseline commit (`--baseline REF`,
 * default main; its two files copied under tmp/), in a child each, stopped after `--limit` seconds
 * (default 60): a plain 5 MB library, as a check that nothing else slowed down, many @strings
 * before many entries, a @string put in four times past an entry's
 * bound, @strings doubling one another 27 times (a 1 KB file), a macro defined in a note before
 * 20,000 entries left open, and /dev/zero given as the library.
 * Run: npx tsx bench/library-size.ts [--broken N] [--no-worst] [--only-shapes] [--baseline REF] [--limit S] [MB…]
 *      (default: 1 5 10, none broken)
 */
import { execFileSync, fork } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { isDeepStrictEqual } from "node:util";
import {
  bibtexByEntry,
  bibtexEntriesOf,
  type LibraryEntry,
  MAX_ENTRY_CHARS,
  MAX_READ_CHARS,
} from "../src/feedback/library.js";
import { LIBRARY_MAX_BYTES } from "../src/feedback/library-file.js";

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

/** The bounds before: an entry of up to 256 KB, every field handed to the parser. */
const OLD_MAX_ENTRY = 256_000;
const TEX_SENTENCE = String.raw`We study how {M\"uller}'s models trained on $x^2$ corpora generalise to \emph{unseen} tasks. `;

/**
 * An entry whose fields, as handed to the parser, come to just under `chars`: a title and one long
 * note; with `pad`, an abstract of that many characters too, which the parser is not handed.
 */
function worstEntry(i: number, chars: number, pad = 0): string {
  const head = `@misc{worst${i},\n\ttitle = {${TITLES[i % TITLES.length]}},\n\tnote = {`;
  const room = chars - head.length - 8;
  const text = TEX_SENTENCE.repeat(Math.floor(room / TEX_SENTENCE.length)) + "x".repeat(room % TEX_SENTENCE.length);
  const abstract =
    pad > 0 ? `\tabstract = {${SENTENCE.repeat(Math.ceil(pad / SENTENCE.length)).slice(0, pad)}},\n` : "";
  return `${head}${text}},\n${abstract}}\n\n`;
}

/**
 * The worst file the bounds allow at `chars` of read fields an entry: as many such entries as
 * `MAX_READ_CHARS` lets be read (or `count`), each padded with an abstract so that the file is
 * `LIBRARY_MAX_BYTES`.
 */
function worstLibrary(chars: number, count?: number): string {
  const n = count ?? Math.floor(Math.min(LIBRARY_MAX_BYTES, MAX_READ_CHARS) / chars);
  const pad = count ? 0 : Math.max(0, Math.floor(LIBRARY_MAX_BYTES / n) - worstEntry(0, chars).length - 200);
  return Array.from({ length: n }, (_, i) => worstEntry(i, chars, pad)).join("");
}

type Reading = "all fields" | "read fields";
interface Measured {
  ms: number;
  cpuMs: number;
  peakMb: number;
  entries: LibraryEntry[];
}

/** What a child reads: a library of `mb` MB, or the worst shape at `chars` a entry (`count` of them, or a full file). */
type Shape = { mb: number; broken: number } | { worst: number; count?: number };

/** The hostile shapes: each a file's text (the device row reads /dev/zero instead). */
const SHAPES: Record<string, () => string> = {
  "a 5 MB library, no hostile shape": () => library(5, 0),
  "2,000 @strings, 3,000 entries": () => manyStrings(2_000, 3_000),
  "5,000 @strings, 5,000 entries": () => manyStrings(5_000, 5_000),
  "a 240 KB @string put in 4 times": () =>
    `@string{big = {${"lorem ipsum ".repeat(20_000)}}}\n@article{k, title = big # big # big # big}\n@misc{ok, title = {A Fine Entry Title}, eprint = {2401.00010}}\n`,
  "@strings doubled 27 times (1 KB)": () => {
    let text = `@string{a0 = "xxxxxxxxxxxxxxxx"}\n`;
    for (let i = 1; i <= 27; i++) text += `@string{a${i} = a${i - 1} # a${i - 1}}\n`;
    return `${text}@misc{bomb, title = a27}\n@misc{ok, title = {A Fine Entry Title}, eprint = {2401.00010}}\n`;
  },
  "\\newcommand in a note, 20,000 left open": () =>
    `@misc{z, title = {Defining}, note = {see \\newcommand{\\x}{y} in LaTeX}}\n${Array.from({ length: 20_000 }, (_, i) => `@article{k${i}, title = {open\n`).join("")}`,
  "/dev/zero as the library": () => "",
};

function manyStrings(strings: number, entries: number): string {
  const defs = Array.from({ length: strings }, (_, i) => `@string{J${i} = "Journal ${i}"}\n`).join("");
  const refs = Array.from(
    { length: entries },
    (_, i) => `@article{k${i}, title = {A title number ${i} about things}, journal = J${i % 50}, year = 2020}\n`,
  ).join("");
  return defs + refs;
}

interface ShapeMeasured {
  cpuMs: number;
  peakMb: number;
  outcome: string;
}

if (process.argv[2] === "--shape-child") {
  const [name, dir] = [process.argv[3]!, process.argv[4]!];
  const library = (await import(
    pathToFileURL(join(dir, "library.ts")).href
  )) as typeof import("../src/feedback/library.js");
  const file = (await import(
    pathToFileURL(join(dir, "library-file.ts")).href
  )) as typeof import("../src/feedback/library-file.js");
  const text = SHAPES[name]!();
  const cpu = process.cpuUsage();
  let outcome: string;
  try {
    if (name.startsWith("/dev/zero"))
      outcome = `read ${(await file.readLibraryFile("/dev/zero", "zero")).length} chars`;
    else {
      const r = library.importLibrary(text, "bibtex", []);
      outcome = `${r.entries} entries, ${r.unreadable.length} unreadable`;
    }
  } catch (err) {
    outcome = `${(err as Error).name}: ${(err as Error).message.slice(0, 40)}`;
  }
  const used = process.cpuUsage(cpu);
  const peakMb = process.resourceUsage().maxRSS / 1024;
  process.send!({ cpuMs: (used.user + used.system) / 1000, peakMb, outcome } satisfies ShapeMeasured, () =>
    process.exit(0),
  );
} else if (process.argv[2] === "--child") {
  const how = process.argv[3] as Reading;
  const shape = JSON.parse(process.argv[4]!) as Shape;
  const text = "worst" in shape ? worstLibrary(shape.worst, shape.count) : library(shape.mb, shape.broken);
  const t = performance.now();
  const cpu = process.cpuUsage();
  const read = bibtexByEntry(text, { allFields: how === "all fields" });
  const entries = bibtexEntriesOf(text, read);
  const ms = performance.now() - t;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  const peakMb = process.resourceUsage().maxRSS / 1024;
  process.send!({ ms, cpuMs, peakMb, entries } satisfies Measured, () => process.exit(0));
} else {
  const args = process.argv.slice(2);
  const flag = args.indexOf("--broken");
  const broken = flag >= 0 ? Number(args.splice(flag, 2)[1]) : 0;
  const noWorst = args.indexOf("--no-worst");
  if (noWorst >= 0) args.splice(noWorst, 1);
  const onlyShapes = args.indexOf("--only-shapes");
  if (onlyShapes >= 0) args.splice(onlyShapes, 1);
  const refFlag = args.indexOf("--baseline");
  const baseline = refFlag >= 0 ? args.splice(refFlag, 2)[1]! : "main";
  const limitFlag = args.indexOf("--limit");
  const limit = limitFlag >= 0 ? Number(args.splice(limitFlag, 2)[1]) : 60;
  const sizes = args.length > 0 ? args.map(Number) : [1, 5, 10];
  const self = fileURLToPath(import.meta.url);
  const measure = (how: Reading, shape: Shape) =>
    new Promise<Measured>((resolve, reject) => {
      const child = fork(self, ["--child", how, JSON.stringify(shape)]);
      child.once("message", (m) => resolve(m as Measured));
      child.once("error", reject);
      child.once("exit", (code) => code !== 0 && reject(new Error(`the ${how} reading exited ${code}`)));
    });
  const col = (s: string, w = 12) => s.padStart(w);
  const secs = (m: Measured) => col(`${(m.cpuMs / 1000).toFixed(1)} s (${(m.ms / 1000).toFixed(1)})`, 16);
  if (broken > 0) console.log(`every ${broken}th entry leaves a brace open`);
  if (onlyShapes < 0)
    console.log(
      `${col("MB", 6)}${col("entries", 9)}${col("all fields", 16)}${col("peak", 8)}${col("read fields", 16)}${col("peak", 8)}  same`,
    );
  for (const mb of onlyShapes >= 0 ? [] : sizes) {
    const text = library(mb, broken);
    const before = await measure("all fields", { mb, broken });
    const now = await measure("read fields", { mb, broken });
    const same = isDeepStrictEqual(before.entries, now.entries) ? "yes" : "NO";
    console.log(
      `${col((text.length / 1e6).toFixed(1), 6)}${col(String(before.entries.length), 9)}${secs(before)}${col(`${before.peakMb.toFixed(0)} MB`, 8)}${secs(now)}${col(`${now.peakMb.toFixed(0)} MB`, 8)}  ${same}`,
    );
  }
  if (noWorst < 0 && onlyShapes < 0) {
    // The bounds before: a few entries just under 256 KB, the time scaled to a full file of them.
    const sample = 2;
    const oldEntry = worstEntry(0, OLD_MAX_ENTRY - 1000).length;
    const oldCount = Math.floor(LIBRARY_MAX_BYTES / oldEntry);
    const old = await measure("all fields", { worst: OLD_MAX_ENTRY - 1000, count: sample });
    const scaled = (old.cpuMs * oldCount) / sample;
    const worst = worstLibrary(MAX_ENTRY_CHARS - 100);
    const now = await measure("read fields", { worst: MAX_ENTRY_CHARS - 100 });
    console.log(
      `worst shape: before, ${oldCount} entries of ${Math.round(oldEntry / 1000)} KB: ${(scaled / 1000).toFixed(0)} s (${sample} read: ${(old.cpuMs / 1000).toFixed(1)} s, scaled); now, ${(worst.length / 1e6).toFixed(1)} MB of ${now.entries.length} entries, ${Math.round((MAX_ENTRY_CHARS - 100) / 1000)} KB read of each: ${(now.cpuMs / 1000).toFixed(1)} s (${(now.ms / 1000).toFixed(1)}), peak ${now.peakMb.toFixed(0)} MB`,
    );
  }
  await hostileShapes(self, baseline, limit);
}

/**
 * Each hostile shape read by this tree's code and by the baseline's (library.ts, bibtex-split.ts
 * and library-file.ts of `ref`, their other imports pointed at this tree), a child each.
 */
async function hostileShapes(self: string, ref: string, limit: number): Promise<void> {
  const root = join(dirname(self), "..");
  const here = join(root, "src", "feedback");
  const copy = join(root, "tmp", `bench-baseline-${process.pid}`);
  mkdirSync(copy, { recursive: true });
  for (const name of ["library.ts", "bibtex-split.ts", "library-file.ts"]) {
    const source = execFileSync("git", ["show", `${ref}:src/feedback/${name}`], { cwd: root, encoding: "utf8" });
    // Its own two files side by side; every other import is this tree's.
    const pointed = source.replace(/from "(\.\.?\/[^"]+)"/g, (whole, spec: string) =>
      spec === "./bibtex-split.js" ? whole : `from ${JSON.stringify(join(here, spec).replace(/\.js$/, ".ts"))}`,
    );
    writeFileSync(join(copy, name), pointed);
  }
  const measure = (name: string, dir: string) =>
    new Promise<ShapeMeasured | null>((resolve, reject) => {
      const child = fork(self, ["--shape-child", name, dir]);
      const timer = setTimeout(() => child.kill("SIGKILL"), limit * 1000);
      child.once("message", (m) => resolve(m as ShapeMeasured));
      child.once("error", reject);
      child.once("exit", (code) => {
        clearTimeout(timer);
        resolve(null);
        if (code !== 0 && code !== null) reject(new Error(`the ${name} reading exited ${code}`));
      });
    });
  const cell = (m: ShapeMeasured | null) =>
    m ? `${(m.cpuMs / 1000).toFixed(2)} s, ${m.peakMb.toFixed(0)} MB: ${m.outcome}` : `stopped after ${limit} s`;
  console.log(`\nhostile shapes (processor time, peak memory: outcome), ${ref} beside this tree`);
  try {
    for (const name of Object.keys(SHAPES)) {
      const before = await measure(name, copy).catch((err: Error) => ({
        cpuMs: NaN,
        peakMb: NaN,
        outcome: err.message,
      }));
      const now = await measure(name, here);
      console.log(`  ${name}\n    ${ref}: ${cell(before)}\n    now:  ${cell(now)}`);
    }
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}
