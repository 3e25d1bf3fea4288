/**
 * A free model of what this reader has wanted before, fitted from the archive: papers they liked
 * or saved (strong positives), papers the digest selected for them (weak positives), papers they
 * disliked (negatives) and, weakest, papers that were shown to the judge and not selected. It
 * complements the topic scorer: topics say what the reader asked for in words they chose; history
 * catches the vocabulary of papers they actually took, which a topic list never fully names.
 *
 * Method: TF-IDF vectors of title and abstract (the lexical scorer's tokenizer, stemming and
 * stopwords, plus adjacent-word pairs, so "mixture expert" is one feature) and an L2-regularised
 * logistic regression, positives against negatives, each side weighted to half the total so 300
 * picks count as much as 5,000 non-picks. On the 30 labelled days (bench/selection.ts) this kept
 * 88% of the picks in the top 40% of a day where a mean-of-nearest-positives similarity kept 84%:
 * the negatives teach it which common words (agents, benchmarks, medical) mark papers not taken.
 *
 * Within each side, what the reader said (likes and saves; dislikes) is a group of its own beside
 * what the digest inferred (picks; papers passed over), each normalised within its group, and the
 * reader's group holds `explicitShare(n)` of its side whatever the size of the other: a handful of
 * likes beside 1,400 imported picks would otherwise be 1% of the positive side and change nothing.
 *
 * Pure and deterministic: no I/O, no randomness; plain full-batch gradient descent with a fixed
 * number of steps, so the same examples always give the same model.
 */
import { contentWords } from "./lexical.js";

export interface HistoryText {
  title: string;
  abstract: string;
}

export interface HistoryExample extends HistoryText {
  /**
   * > 0 for papers the reader wanted (1 liked/saved, 0.5 a past selection), < 0 for the rest; a
   * weight within the example's group (see `explicit`).
   */
  weight: number;
  /**
   * The reader said so (a like, a save, a dislike): the example is in its side's explicit group,
   * which keeps `explicitShare` of the side however many picks or passed-over papers there are.
   */
  explicit?: boolean;
}

export interface HistoryModel {
  /** A log-odds-like score, higher = more like past picks; 0 for an empty model. */
  score(paper: HistoryText): number;
  /** Examples with a non-zero weight the model was fitted on (0 = empty model). */
  readonly size: number;
  /**
   * The title of the paper the reader liked or saved (an explicit positive) that `paper` most
   * resembles (cosine of their TF-IDF vectors), or null when there is none or it shares no term:
   * what an offline comment names when history carried a pick. One pass over the likes and saves.
   */
  nearestLiked?(paper: HistoryText): string | null;
}

export interface HistoryOptions {
  /**
   * Extra unlabelled papers (e.g. the archive's past full days) for document frequencies, and as
   * the negative side (at UNSELECTED_WEIGHT) when the examples hold only positives. Without them
   * IDF comes from the examples alone, where the reader's own topic words are the most common.
   */
  background?: readonly HistoryText[];
}

/** Strong positive: the reader said so (liked, saved). */
export const LIKED_WEIGHT = 1;
/** Weak positive: the digest picked it and the reader did not object. */
export const SELECTED_WEIGHT = 0.5;
/**
 * A pick on a day imported from another tool: that tool's taste, not the reader's nor ours, so it
 * counts half an own pick among the picks.
 */
export const IMPORTED_WEIGHT = 0.25;
/** A dislike pulls as hard as a like pushes. */
export const DISLIKED_WEIGHT = -1;
/**
 * Past papers that were not selected (rejected, triaged or prefiltered out): weak evidence, since
 * "not picked" is not "not wanted", but plentiful, and the only negatives most readers give.
 */
export const UNSELECTED_WEIGHT = -0.1;

/** The most of a side the reader's own signals hold, however many they are. */
export const EXPLICIT_SHARE_MAX = 0.75;
/** Explicit signals at which the group holds half of EXPLICIT_SHARE_MAX. */
export const EXPLICIT_SHARE_HALF = 4;

/**
 * The share of one side (positives or negatives) held by the reader's `count` explicit signals,
 * when the side also holds inferred examples: it grows with the count, half of the side from 8
 * signals (4 → 0.38, 9 → 0.52, 20 → 0.63), never above EXPLICIT_SHARE_MAX, so a single like
 * does not outweigh a year of picks, and picks keep a quarter of the side. Independent of how
 * many inferred examples there are: 9 likes hold the same share beside 100 picks as beside 1,400.
 */
export function explicitShare(count: number): number {
  return count <= 0 ? 0 : (EXPLICIT_SHARE_MAX * count) / (count + EXPLICIT_SHARE_HALF);
}

/** A title word says more about the paper than an abstract word, as in the lexical scorer. */
const TITLE_WEIGHT = 3;
/**
 * Gradient descent settings, tuned on the bench: unit-length inputs and half-weight classes keep
 * gradients small, so a large step converges in 100 rounds; the L2 term keeps a word seen in one
 * pick from deciding alone.
 */
const STEPS = 100;
const STEP_SIZE = 20;
const L2 = 1e-3;

type Vector = Map<string, number>;

const EMPTY_MODEL: HistoryModel = { score: () => 0, size: 0 };

export function fitHistoryModel(examples: readonly HistoryExample[], options: HistoryOptions = {}): HistoryModel {
  let used = examples.filter((example) => Number.isFinite(example.weight) && example.weight !== 0);
  if (!used.some((example) => example.weight > 0)) return EMPTY_MODEL;
  const background = options.background ?? [];
  if (!used.some((example) => example.weight < 0)) {
    used = [...used, ...background.map((paper) => ({ ...paper, weight: UNSELECTED_WEIGHT }))];
  }
  if (!used.some((example) => example.weight < 0)) return EMPTY_MODEL;

  const exampleCounts = used.map(termCounts);
  const documentFrequency = new Map<string, number>();
  const corpus = [...exampleCounts, ...background.map(termCounts)];
  for (const counts of corpus) {
    for (const term of counts.keys()) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  }
  const size = corpus.length;
  // Smoothed IDF; a term unseen in the corpus gets the rarest value, but it has no weight in the
  // model anyway, so it only lowers the paper's other features through the norm (as it should:
  // more unfamiliar content means less resemblance).
  const idf = (term: string) => Math.log((1 + size) / (1 + (documentFrequency.get(term) ?? 0))) + 1;
  const vectorOf = (counts: Map<string, number>): Vector => {
    const vector: Vector = new Map();
    let norm = 0;
    for (const [term, count] of counts) {
      const value = (1 + Math.log(count)) * idf(term);
      vector.set(term, value);
      norm += value * value;
    }
    norm = Math.sqrt(norm);
    if (norm > 0) for (const [term, value] of vector) vector.set(term, value / norm);
    return vector;
  };

  // Features as dense indices and typed arrays: the fit touches every example STEPS times.
  const index = new Map<string, number>();
  const rows = exampleCounts.map((counts) => {
    const vector = vectorOf(counts);
    const ids = new Int32Array(vector.size);
    const values = new Float64Array(vector.size);
    let position = 0;
    for (const [term, value] of vector) {
      let id = index.get(term);
      if (id === undefined) {
        id = index.size;
        index.set(term, id);
      }
      ids[position] = id;
      values[position++] = value;
    }
    return { ids, values };
  });
  const targets = used.map((example) => (example.weight > 0 ? 1 : 0));
  const sampleWeights = sideWeights(used);

  const weights = new Float64Array(index.size);
  let bias = 0;
  for (let step = 0; step < STEPS; step++) {
    const gradient = new Float64Array(index.size);
    let biasGradient = 0;
    rows.forEach((row, r) => {
      let z = bias;
      for (let q = 0; q < row.ids.length; q++) z += weights[row.ids[q]!]! * row.values[q]!;
      const error = (1 / (1 + Math.exp(-z)) - targets[r]!) * sampleWeights[r]!;
      biasGradient += error;
      for (let q = 0; q < row.ids.length; q++) gradient[row.ids[q]!]! += error * row.values[q]!;
    });
    for (let f = 0; f < weights.length; f++) weights[f]! -= STEP_SIZE * (gradient[f]! + L2 * weights[f]!);
    bias -= STEP_SIZE * biasGradient;
  }

  // The likes and saves as unit vectors with their titles, for `nearestLiked`.
  const liked = used.flatMap((example, i) =>
    example.explicit === true && example.weight > 0
      ? [{ title: example.title, vector: vectorOf(exampleCounts[i]!) }]
      : [],
  );
  return {
    size: used.length,
    nearestLiked(paper) {
      if (liked.length === 0) return null;
      const vector = vectorOf(termCounts(paper));
      let best: { title: string; similarity: number } | null = null;
      for (const example of liked) {
        let similarity = 0;
        // Iterate over the shorter vector; both are unit length, so the dot product is the cosine.
        const [small, large] = vector.size <= example.vector.size ? [vector, example.vector] : [example.vector, vector];
        for (const [term, value] of small) similarity += value * (large.get(term) ?? 0);
        if (similarity > 0 && (best === null || similarity > best.similarity))
          best = { title: example.title, similarity };
      }
      return best?.title ?? null;
    },
    score(paper) {
      // The bias is left out: it is the same for every paper and only ranks matter downstream.
      let z = 0;
      for (const [term, value] of vectorOf(termCounts(paper))) {
        const id = index.get(term);
        if (id !== undefined) z += weights[id]! * value;
      }
      return z;
    },
  };
}

/**
 * Each example's share of the fit: half the total to each side; within a side, the explicit group
 * `explicitShare` of it (all of it when the side has nothing inferred), the inferred group the
 * rest, and within a group each example in proportion to its weight.
 */
function sideWeights(used: readonly HistoryExample[]): number[] {
  const group = (e: HistoryExample) => `${e.weight > 0 ? "+" : "-"}${e.explicit ? "explicit" : "inferred"}`;
  const mass = new Map<string, number>();
  const count = new Map<string, number>();
  for (const e of used) {
    mass.set(group(e), (mass.get(group(e)) ?? 0) + Math.abs(e.weight));
    count.set(group(e), (count.get(group(e)) ?? 0) + 1);
  }
  const shareOf = (side: "+" | "-", explicit: boolean) => {
    const said = count.get(`${side}explicit`) ?? 0;
    const inferred = count.get(`${side}inferred`) ?? 0;
    const share = inferred === 0 ? 1 : said === 0 ? 0 : explicitShare(said);
    return explicit ? share : 1 - share;
  };
  return used.map((e) => {
    const side = e.weight > 0 ? "+" : "-";
    return (shareOf(side, e.explicit === true) * Math.abs(e.weight)) / mass.get(group(e))! / 2;
  });
}

/** Stemmed content words and adjacent pairs of them; title terms count TITLE_WEIGHT times. */
export function termCounts(paper: HistoryText): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (text: string, weight: number) => {
    const words = contentWords(text);
    words.forEach((word, index) => {
      counts.set(word, (counts.get(word) ?? 0) + weight);
      const next = words[index + 1];
      if (next !== undefined) counts.set(`${word} ${next}`, (counts.get(`${word} ${next}`) ?? 0) + weight);
    });
  };
  add(paper.title, TITLE_WEIGHT);
  add(paper.abstract, 1);
  return counts;
}
