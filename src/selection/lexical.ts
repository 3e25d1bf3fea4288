/**
 * The offline scorer: BM25 of a paper's title and abstract against each topic's include terms and
 * description, with document frequencies from the day's own papers. It needs no key and no
 * network, so it serves as the `offline` provider, the free prefilter before paid calls, and the
 * fallback once a budget is spent.
 */

import { foldAccents } from "../authors/person-name.js";
import type { Topic } from "../config/schema.js";
import type { Candidate } from "../model/candidate.js";

export interface LexicalJudgement {
  /** 1–10 on the LLM's scale (see RELEVANCE_BREAKPOINTS). */
  relevance: number;
  /** Id of the best-matching topic; null when no topic term occurs. */
  topic: string | null;
  /**
   * The best topic rests on one loose word alone (`looseMatch`): a weak score from a single-word
   * term, which the comment names as that word, not as the paper's topic (`topic` still says which
   * topic the word is of, for the selection and the record).
   */
  loose: boolean;
  comment: string;
  /**
   * The best topic's include terms found, as written in the config, strongest first; when none
   * occurs, the description words the paper shares with it.
   */
  matched: string[];
}

/** BM25 saturation and length normalisation (the usual defaults). */
const K1 = 1.2;
const B = 0.75;
/** A title occurrence counts like this many abstract occurrences: titles state what a paper is about. */
const TITLE_WEIGHT = 3;
/** Description words are weaker evidence than the include terms the reader picked. */
export const DESCRIPTION_WEIGHT = 0.3;
/** Each exclude term found costs about one include term found. */
const EXCLUDE_WEIGHT = 1;
/**
 * Include and exclude terms keep at least this share of their weight however common they are that
 * day: the reader chose them, and a day full of MoE papers does not make "mixture of experts"
 * off-topic. IDF moves their weight between this floor and 1.
 */
const INCLUDE_FLOOR = 0.6;
/**
 * Description words rarer than this (as a share of the rarest possible IDF) are ignored, which
 * drops "models", "learning" and other words most papers use.
 */
const DESCRIPTION_MIN_SPECIFICITY = 0.35;
/** Most comments name at most this many terms. */
const COMMENT_TERMS = 6;

/**
 * Score thresholds for relevance 2…10 (a score below the first gives 1). The score is in units of
 * "one distinctive include term, once, in an abstract of average length" (≈ 1.0); a title hit on
 * its own is ≈ 1.6. The breakpoints follow the LLM's scale, where 7 is the default selection
 * cut-off:
 * - 2–3 (≥ 0.25, ≥ 0.5): only description words in common: shared vocabulary, no topic term;
 * - 4–5 (≥ 0.8, ≥ 1.1): one include term, mentioned in passing;
 * - 6 (≥ 1.4): one include term in the title, or repeated in the abstract: on topic, but a single
 *   signal is too little to spend the reader's time on;
 * - 7 (≥ 1.9): two distinct include terms, or a title term the abstract takes up again; this is
 *   where the reference LLM's selections start to dominate (bench/lexical.ts: lowering it to 1.7
 *   selects 43% rather than 37% of them, but lets through more single-term papers);
 * - 8–10 (≥ 2.7, ≥ 3.7, ≥ 5): three or more distinct include terms with title hits, the profile of
 *   papers built around the topic (a MoE paper naming experts, routing and gating).
 */
const RELEVANCE_BREAKPOINTS = [0.25, 0.5, 0.8, 1.1, 1.4, 1.9, 2.7, 3.7, 5] as const;

/**
 * The relevance at which a single term is enough to name the paper's topic: 6, one include term in
 * the title or repeated in the abstract (RELEVANCE_BREAKPOINTS). Below it the score is weak, one
 * term in passing (4–5) or description words shared (2–3), and a single word met once may carry
 * another sense there ("sparse" in "sparse rewards" for a topic on sparse models), so such a match
 * is said as the word it is, not as the topic. A phrase, or two terms, is no loose match.
 */
const NAMED_TOPIC_RELEVANCE = 6;

/** Function words and research boilerplate that say nothing about a topic. */
export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    "a an and are as at be but by can do for from has have how in into is it its no not of on or our so such " +
    "that the their them these they this those to via was we what when where which while who why will with " +
    "without work works paper papers study studies method methods approach approaches new novel propose " +
    "proposed show shows result results use using used based also other more most than e g i e etc like " +
    "including include rather whether about any all each either one make making better good best alternative " +
    "explain understood possible want wanted routine existing standard known cheaper faster smaller"
  )
    .split(" ")
    .map(stem),
);

interface Term {
  /** Token sequences that count as an occurrence (`low-rank`: [low, rank] and [lowrank]). */
  variants: string[][];
}

interface WeightedTerm {
  term: Term;
  weight: number;
  /** How the term is named in comments. */
  label: string;
  /** Lowest specificity (IDF share) the term is credited with. */
  floor: number;
  /** Terms less specific than this count for nothing. */
  minSpecificity: number;
}

interface CompiledTopic {
  topic: Topic;
  include: WeightedTerm[];
  description: WeightedTerm[];
  exclude: WeightedTerm[];
}

interface Field {
  tokens: string[];
  positions: Map<string, number[]>;
}

interface Document {
  /** Occurrences of each term found (title occurrences counted TITLE_WEIGHT times). */
  tf: Map<Term, number>;
  /** Title length counted with TITLE_WEIGHT, as its occurrences are. */
  length: number;
}

/**
 * Prepares a scorer for one day. `corpus` supplies the document frequencies and average length;
 * the returned function is deterministic and also accepts papers outside the corpus.
 */
export function createLexicalScorer(topics: Topic[], corpus: Candidate[]): (c: Candidate) => LexicalJudgement {
  const best = createTopicMatcher(topics, corpus);
  return (candidate) => judgementOf(best(candidate));
}

/**
 * The raw score behind `createLexicalScorer`'s relevance: the best topic's BM25 total (0 when no
 * topic matches). Continuous, so a prefilter can rank a day by it where the 1–10 scale ties.
 */
export function createLexicalRawScorer(topics: Topic[], corpus: Candidate[]): (c: Candidate) => number {
  const best = createTopicMatcher(topics, corpus);
  return (candidate) => best(candidate)?.score ?? 0;
}

interface BestMatch {
  topic: CompiledTopic;
  score: number;
  found: Found[];
  against: Found[];
}

function createTopicMatcher(topics: Topic[], corpus: Candidate[]): (c: Candidate) => BestMatch | null {
  const registry = new Map<string, Term>();
  const compiled = topics.map((topic) => compileTopic(topic, registry));
  const terms = [...registry.values()];
  const documents = new WeakMap<Candidate, Document>();
  const documentOf = (candidate: Candidate): Document => {
    let doc = documents.get(candidate);
    if (!doc) {
      doc = analyse(candidate, terms);
      documents.set(candidate, doc);
    }
    return doc;
  };

  const corpusDocs = corpus.map(documentOf);
  const size = Math.max(corpusDocs.length, 1);
  const averageLength = corpusDocs.reduce((sum, doc) => sum + doc.length, 0) / size || 1;
  const documentFrequency = new Map<Term, number>();
  for (const doc of corpusDocs) {
    for (const term of doc.tf.keys()) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  }
  const idf = (df: number) => Math.log(1 + (size - df + 0.5) / (df + 0.5));
  const rarest = idf(1);

  /** The term's BM25 contribution, with IDF scaled to 0…1 so scores compare across days. */
  const contribution = (doc: Document, weighted: WeightedTerm): number => {
    const tf = doc.tf.get(weighted.term) ?? 0;
    if (tf === 0) return 0;
    const specificity = Math.min(1, Math.max(weighted.floor, idf(documentFrequency.get(weighted.term) ?? 0) / rarest));
    if (specificity < weighted.minSpecificity) return 0;
    const saturation = (tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * doc.length) / averageLength));
    return weighted.weight * specificity * saturation;
  };

  return (candidate) => {
    const doc = documentOf(candidate);
    let best: BestMatch | null = null;
    for (const topic of compiled) {
      const found = hits(doc, topic.include, contribution);
      const described = hits(doc, topic.description, contribution);
      const against = hits(doc, topic.exclude, contribution);
      const score = total(found) + total(described) - total(against);
      if (score > 0 && (!best || score > best.score)) {
        best = { topic, score, found: found.length > 0 ? found : described, against };
      }
    }
    return best;
  };
}

function judgementOf(best: BestMatch | null): LexicalJudgement {
  if (!best) {
    return {
      relevance: 1,
      topic: null,
      loose: false,
      comment: "Offline match: no topic matches the title or abstract.",
      matched: [],
    };
  }
  const relevance = 1 + RELEVANCE_BREAKPOINTS.filter((threshold) => best.score >= threshold).length;
  const named = best.found.slice(0, COMMENT_TERMS).map((hit) => hit.label);
  const penalty = best.against.length > 0 ? `; against: ${best.against.map((hit) => hit.label).join(", ")}` : "";
  const loose = looseMatch(relevance, best.found);
  return {
    relevance,
    topic: best.topic.topic.id,
    loose,
    comment: loose
      ? `Offline match: no clear topic; “${named[0]}” is the one word it shares with ${best.topic.topic.title}${penalty}`
      : `Offline match (${best.topic.topic.title}): ${named.join(", ")}${penalty}`,
    matched: best.found.map((hit) => hit.label),
  };
}

/** A weak score (below NAMED_TOPIC_RELEVANCE) resting on one single-word term. */
function looseMatch(relevance: number, found: readonly Found[]): boolean {
  return relevance < NAMED_TOPIC_RELEVANCE && found.length === 1 && tokenize(found[0]!.label).length === 1;
}

interface Found {
  label: string;
  value: number;
}

function hits(
  doc: Document,
  terms: WeightedTerm[],
  contribution: (doc: Document, weighted: WeightedTerm) => number,
): Found[] {
  return (
    terms
      .map((weighted) => ({ label: weighted.label, value: contribution(doc, weighted) }))
      .filter((hit) => hit.value > 0)
      // Code-unit order for ties, so the output does not depend on the machine's locale.
      .sort((a, b) => b.value - a.value || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0))
  );
}

function total(found: Found[]): number {
  return found.reduce((sum, hit) => sum + hit.value, 0);
}

/** Compiles a topic's terms, sharing one Term per distinct spelling across topics. */
function compileTopic(topic: Topic, registry: Map<string, Term>): CompiledTopic {
  const shared = (variants: string[][]): Term => {
    const key = variants.map((variant) => variant.join(" ")).join("|");
    let term = registry.get(key);
    if (!term) {
      term = { variants };
      registry.set(key, term);
    }
    return term;
  };
  const phrase = (weight: number) => (text: string) => ({
    term: shared(phraseVariants(text)),
    weight,
    floor: INCLUDE_FLOOR,
    minSpecificity: 0,
    label: text,
  });
  const include = unique(topic.include).map(phrase(1));
  const exclude = unique(topic.exclude).map(phrase(EXCLUDE_WEIGHT));
  const descriptionWords = new Map<string, string>();
  for (const word of foldAccents(topic.description).match(/[\p{L}\p{N}]+/gu) ?? []) {
    const stemmed = stem(word);
    if (stemmed.length > 2 && !STOPWORDS.has(stemmed) && !descriptionWords.has(stemmed)) {
      descriptionWords.set(stemmed, word);
    }
  }
  const description = [...descriptionWords].map(([stemmed, word]) => ({
    term: shared([[stemmed]]),
    weight: DESCRIPTION_WEIGHT,
    floor: 0,
    minSpecificity: DESCRIPTION_MIN_SPECIFICITY,
    label: word,
  }));
  return { topic, include, description, exclude };
}

function unique(terms: string[]): string[] {
  return [...new Set(terms.map((term) => term.trim()).filter((term) => /[\p{L}\p{N}]/u.test(term)))];
}

/** A phrase matches with hyphens or spaces between its words, or written as one word. */
function phraseVariants(text: string): string[][] {
  const words = tokenize(text);
  const joined = stem(foldAccents(text).replace(/[^\p{L}\p{N}]+/gu, ""));
  return words.length > 1 && joined !== "" ? [words, [joined]] : [words];
}

function analyse(candidate: Candidate, terms: Term[]): Document {
  const title = field(candidate.title);
  const abstract = field(candidate.abstract);
  const tf = new Map<Term, number>();
  for (const term of terms) {
    const count = TITLE_WEIGHT * countIn(title, term) + countIn(abstract, term);
    if (count > 0) tf.set(term, count);
  }
  return { tf, length: TITLE_WEIGHT * title.tokens.length + abstract.tokens.length };
}

function field(text: string): Field {
  const tokens = tokenize(text);
  const positions = new Map<string, number[]>();
  tokens.forEach((token, index) => {
    const list = positions.get(token);
    if (list) list.push(index);
    else positions.set(token, [index]);
  });
  return { tokens, positions };
}

function countIn(field: Field, term: Term): number {
  let count = 0;
  for (const variant of term.variants) {
    const starts = field.positions.get(variant[0]!);
    if (!starts) continue;
    if (variant.length === 1) {
      count += starts.length;
      continue;
    }
    for (const start of starts) {
      let offset = 1;
      while (offset < variant.length && field.tokens[start + offset] === variant[offset]) offset++;
      if (offset === variant.length) count++;
    }
  }
  return count;
}

/** Accent-folded, stemmed word tokens; exported so other free scorers read text the same way. */
export function tokenize(text: string): string[] {
  return (foldAccents(text).match(/[\p{L}\p{N}]+/gu) ?? []).map(stem);
}

/**
 * Light plural folding, applied alike to papers and terms: `experts` → `expert`, `strategies` →
 * `strategy`, `caches`/`cache` → `cach`. Short tokens (`moe`, `kv`, `gpu`) are left alone.
 */
export function stem(token: string): string {
  if (token.length <= 3) return token;
  let word = token;
  if (word.endsWith("ies") && word.length > 4) word = `${word.slice(0, -3)}y`;
  else if (word.endsWith("s") && !/(ss|us|is)$/.test(word)) word = word.slice(0, -1);
  if (word.endsWith("e") && word.length > 4) word = word.slice(0, -1);
  return word;
}

/** In the topic query, a word of the topic's title or description counts half an include word. */
const SIMILARITY_DESCRIPTION_WEIGHT = 0.5;
/** Similarity to a topic's exclude terms costs half as much as the same similarity to its query. */
const SIMILARITY_EXCLUDE_WEIGHT = 0.5;

/**
 * A second, broader topic score for ranking a day: TF-IDF cosine between the paper (title words
 * counted TITLE_WEIGHT times, abstract once) and each topic's words (include terms, and its title
 * and description at half weight), less half the cosine to its exclude terms, summed over topics.
 * IDF comes from the day's own papers.
 *
 * Where the BM25 score above needs a whole include phrase ("mixture of experts"), this one credits
 * the words separately and normalises by the paper's length, so a paper that talks around a topic
 * without naming its terms still rises. On the 30 labelled days (bench/selection.ts) ranking by it
 * keeps 84% of the reference picks in the top 40% of a day where the BM25 score keeps 76%. It only
 * ranks: the relevance scale, comments and the prefilter's floor stay with the BM25 score.
 */
export function createTopicSimilarityScorer(topics: Topic[], corpus: Candidate[]): (c: Candidate) => number {
  const documentFrequency = new Map<string, number>();
  for (const candidate of corpus) {
    for (const word of paperWords(candidate).keys())
      documentFrequency.set(word, (documentFrequency.get(word) ?? 0) + 1);
  }
  const size = corpus.length;
  const idf = (word: string) => Math.log((1 + size) / (1 + (documentFrequency.get(word) ?? 0))) + 1;
  const unitVector = (counts: Map<string, number>, sublinear: boolean): Map<string, number> => {
    const vector = new Map<string, number>();
    let norm = 0;
    for (const [word, count] of counts) {
      const value = (sublinear ? 1 + Math.log(count) : count) * idf(word);
      vector.set(word, value);
      norm += value * value;
    }
    norm = Math.sqrt(norm);
    if (norm > 0) for (const [word, value] of vector) vector.set(word, value / norm);
    return vector;
  };
  const queries = topics.map((topic) => {
    const query = new Map<string, number>();
    addWords(query, topic.include.join(" . "), 1);
    addWords(query, `${topic.title} . ${topic.description}`, SIMILARITY_DESCRIPTION_WEIGHT);
    const against = new Map<string, number>();
    for (const word of contentWords(topic.exclude.join(" . "))) against.set(word, 1);
    return { query: unitVector(query, false), against: unitVector(against, false) };
  });
  return (candidate) => {
    const paper = unitVector(paperWords(candidate), true);
    let score = 0;
    for (const { query, against } of queries) {
      score += dot(paper, query) - SIMILARITY_EXCLUDE_WEIGHT * dot(paper, against);
    }
    return score;
  };
}

function paperWords(candidate: Candidate): Map<string, number> {
  const counts = new Map<string, number>();
  addWords(counts, candidate.title, TITLE_WEIGHT);
  addWords(counts, candidate.abstract, 1);
  return counts;
}

function addWords(counts: Map<string, number>, text: string, weight: number): void {
  for (const word of contentWords(text)) counts.set(word, (counts.get(word) ?? 0) + weight);
}

/**
 * Stopwords, single letters and numbers carry no topic ("a", "we", "2"); two letters stay for
 * "kv" and "rl". Exported so the history model reads text the same way.
 */
export function contentWords(text: string): string[] {
  return tokenize(text).filter((token) => token.length > 1 && !STOPWORDS.has(token) && !/^\d+$/.test(token));
}

function dot(a: Map<string, number>, b: Map<string, number>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let sum = 0;
  for (const [key, value] of small) sum += value * (large.get(key) ?? 0);
  return sum;
}
