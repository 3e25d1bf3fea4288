/**
 * The promise docs/config.md makes about feedback.jsonl: line order does not matter and a
 * duplicated line changes nothing. Checked as a property: for several sets of lines, every
 * permutation (small sets) or many seeded shuffles (larger ones), with and without repeated
 * lines, resolves to the same state, and the export is the same lines.
 */
import { describe, expect, it } from "vitest";
import {
  currentState,
  decidingSignals,
  type FeedbackSignal,
  type FeedbackSource,
  makeSignal,
  parseSignals,
  SIGNAL_KINDS,
} from "../../src/feedback/store.js";

/** mulberry32: a small seeded generator, so a failure names a seed that reproduces it. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function* permutations<T>(items: readonly T[]): Generator<T[]> {
  if (items.length <= 1) {
    yield [...items];
    return;
  }
  for (let i = 0; i < items.length; i++) {
    const rest = [...items.slice(0, i), ...items.slice(i + 1)];
    for (const p of permutations(rest)) yield [items[i]!, ...p];
  }
}

/** The state as a comparable value: every paper with every field, in the map's order. */
const resolved = (lines: readonly string[]) => [...currentState(parseSignals(lines.join("\n")).signals)];
const exported = (lines: readonly string[]) => decidingSignals(parseSignals(lines.join("\n")).signals).map(toLine);
const toLine = (s: FeedbackSignal) => JSON.stringify(s);

const AT = "2026-02-05T10:00:00.000Z";

/**
 * What `feedback export` printed before this version, as the reviewer imported it: each paper a
 * `clear` and then its marks, all at the paper's time, 11 lines for five papers.
 */
const OLD_EXPORT = [
  ["2401.00010", ["like"], "2026-02-05T10:00:00.000Z"],
  ["2401.00020", ["like", "save"], "2026-02-05T10:01:00.000Z"],
  ["2401.00030", ["dislike"], "2026-02-05T10:02:00.000Z"],
  ["2401.00040", ["save"], "2026-02-05T10:02:00.000Z"],
  ["2401.00050", ["like"], "2026-02-06T09:00:00.000Z"],
] as const;
const oldExport = OLD_EXPORT.flatMap(([id, marks, at]) =>
  (["clear", ...marks] as const).map((kind) => toLine(makeSignal(id, kind, "cli", at, `Paper ${id}`))),
);

/** Many lines at few instants, so most pairs tie on time; one instant written with two offsets. */
function randomHistory(random: () => number, size: number): string[] {
  const ids = ["2401.00010", "2401.00020", "hep-th/9901001"];
  const times = [AT, "2026-02-05T12:00:00+02:00", "2026-02-05T10:00:00.0004Z", "2026-02-05T10:05:00.000Z"];
  const sources: FeedbackSource[] = ["cli", "site", "github", "import:zotero.bib"];
  const titles = [undefined, "Sparse routing", "Sparse routing, revised"];
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  return Array.from({ length: size }, () =>
    toLine(makeSignal(pick(ids), pick(SIGNAL_KINDS), pick(sources), pick(times), pick(titles))),
  );
}

describe("feedback.jsonl line order", () => {
  it("resolves the reviewer's export the same in any order, reversed included", () => {
    const forward = resolved(oldExport);
    expect(oldExport).toHaveLength(11);
    expect(
      forward.map(([id, p]) => `${id} ${p.liked ? "L" : ""}${p.disliked ? "D" : ""}${p.saved ? "S" : ""}`),
    ).toEqual(["2401.00010 L", "2401.00020 LS", "2401.00030 D", "2401.00040 S", "2401.00050 L"]);
    expect(resolved([...oldExport].reverse())).toEqual(forward);
    const random = rng(11);
    for (let i = 0; i < 500; i++) expect(resolved(shuffle(oldExport, random))).toEqual(forward);
  });

  it("gives one state for every permutation of small sets, site clicks and ties of every kind", () => {
    const paper = "2401.00010";
    const sets: string[][] = [
      // A site click taking the save off a liked paper: clear, then what remains, at one time.
      [
        toLine(makeSignal(paper, "save", "site", "2026-02-05T09:00:00.000Z")),
        toLine(makeSignal(paper, "like", "site", "2026-02-05T09:00:00.000Z")),
        toLine(makeSignal(paper, "clear", "site", AT)),
        toLine(makeSignal(paper, "like", "site", AT, "Sparse routing")),
      ],
      // Every kind at one instant, written with two offsets, plus a later save.
      [
        ...SIGNAL_KINDS.map((k) => toLine(makeSignal(paper, k, "cli", AT))),
        toLine(makeSignal(paper, "like", "github", "2026-02-05T12:00:00+02:00", "Title from an issue")),
        toLine(makeSignal(paper, "save", "import:lib.bib", "2026-02-05T10:00:01Z")),
      ],
      // Same kind and instant, different source and title: the fields that remain decide.
      [
        toLine(makeSignal(paper, "like", "cli", AT, "First title")),
        toLine(makeSignal(paper, "like", "site", AT, "Second title")),
        toLine(makeSignal(paper, "like", "github", AT)),
        toLine(makeSignal("2401.00020", "dislike", "cli", AT)),
        toLine(makeSignal("2401.00020", "clear", "cli", AT)),
      ],
    ];
    for (const set of sets) {
      const expected = resolved(set);
      const expectedExport = exported(set);
      for (const order of permutations(set)) {
        expect(resolved(order)).toEqual(expected);
        expect(exported(order)).toEqual(expectedExport);
      }
    }
    // Ties resolved as a reader would mean them: the clear makes room, the dislike of a tie stands.
    expect(Object.fromEntries(resolved(sets[0]!))[paper]).toMatchObject({ liked: true, saved: false });
    expect(Object.fromEntries(resolved(sets[1]!))[paper]).toMatchObject({ disliked: true, saved: true });
  });

  it("gives one state and one export for seeded shuffles of random histories, duplicates added", () => {
    for (let seed = 1; seed <= 40; seed++) {
      const random = rng(seed);
      const history = randomHistory(random, 4 + Math.floor(random() * 20));
      const expected = resolved(history);
      const expectedExport = exported(history);
      for (let i = 0; i < 25; i++) {
        const repeated = history.filter(() => random() < 0.3);
        const order = shuffle([...history, ...repeated], random);
        expect(resolved(order), `seed ${seed}, shuffle ${i}`).toEqual(expected);
        expect(exported(order), `seed ${seed}, shuffle ${i}`).toEqual(expectedExport);
      }
    }
  });

  it("exports lines of the history only, which rebuild its state and merge like it", () => {
    for (let seed = 100; seed < 140; seed++) {
      const random = rng(seed);
      const history = randomHistory(random, 3 + Math.floor(random() * 15));
      const lines = exported(history);
      for (const line of lines) expect(history).toContain(line);
      expect(resolved(lines)).toEqual(resolved(history));
      // Added to another workspace's file, the export counts as the whole history would.
      const other = randomHistory(random, Math.floor(random() * 8));
      expect(resolved([...other, ...lines])).toEqual(resolved([...other, ...history]));
      // And it is its own export: nothing left to drop.
      expect(exported(lines)).toEqual(lines);
    }
  });
});
