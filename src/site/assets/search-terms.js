// How text becomes search terms: the one home of it for the site build, which indexes papers
// (src/site/search-index.ts), and for the search page, which looks up what the reader typed and
// marks it in excerpts (search.js). Both must cut and fold words the same way.
//
// A word is a run of letters, digits and combining marks; a dot followed by a digit continues it,
// so "2602.04119" and "3.5" stay whole. A word is folded to lower case without accents
// (André → andre) and given a light English stem, so "networks", "learning" and "studies" find
// "network", "learn" and "study".

/** Per UTF-16 code unit: 0 not looked at yet, 1 part of a word, 2 not. Filled as text is seen. */
const WORD_CHAR = new Uint8Array(65536);
for (let c = 0; c < 128; c++) WORD_CHAR[c] = /[A-Za-z0-9]/.test(String.fromCharCode(c)) ? 1 : 2;
const LETTER_DIGIT_MARK = /[\p{L}\p{N}\p{M}]/u;

function isWordChar(code) {
  let kind = WORD_CHAR[code];
  if (kind === 0) {
    kind = LETTER_DIGIT_MARK.test(String.fromCharCode(code)) ? 1 : 2;
    WORD_CHAR[code] = kind;
  }
  return kind === 1;
}

const isDigit = (code) => code >= 48 && code <= 57;

/** Numbers wordSpans writes per word: start, end and two hashes. */
export const SPAN = 4;

/**
 * Writes the words of the text into `spans`, in order, SPAN numbers each: where the word starts
 * and ends (it is text.slice(start, end), not folded) and two 32-bit hashes of its characters,
 * which the site build uses to tell words apart without making a string of each. Returns how many
 * words there are; `spans` must hold SPAN × (text.length + 1) / 2 numbers, the most there can be.
 */
export function wordSpans(text, spans) {
  const length = text.length;
  let words = 0;
  let i = 0;
  while (i < length) {
    let code = text.charCodeAt(i);
    if (!isWordChar(code)) {
      i++;
      continue;
    }
    const start = i;
    let first = 0x811c9dc5;
    let second = 0x3c6ef372;
    for (;;) {
      first = Math.imul(first ^ code, 16777619);
      second = Math.imul(second ^ code, 0x5bd1e995) ^ (second >>> 15);
      if (++i === length) break;
      code = text.charCodeAt(i);
      if (isWordChar(code)) continue;
      // A dot followed by a digit continues the word ("3.5", "2602.04119").
      if (code !== 46 || i + 1 === length || !isDigit(text.charCodeAt(i + 1))) break;
    }
    const at = words++ * SPAN;
    spans[at] = start;
    spans[at + 1] = i;
    spans[at + 2] = first;
    spans[at + 3] = second;
  }
  return words;
}

/** Calls visit(start, end) for every word of the text, in order: the word is text.slice(start, end), not folded. */
export function forEachWord(text, visit) {
  const spans = new Int32Array(SPAN * ((text.length + 1) >> 1));
  const words = wordSpans(text, spans);
  for (let w = 0; w < words; w++) visit(spans[w * SPAN], spans[w * SPAN + 1]);
}

const ASCII = /^[\x00-\x7f]*$/;
const MARKS = /\p{M}/gu;

/** A word folded to its search term: lower case, no accents, stemmed. */
export function foldWord(word) {
  const plain = ASCII.test(word) ? word.toLowerCase() : word.normalize("NFKD").replace(MARKS, "").toLowerCase();
  return stem(plain);
}

/** The terms of a text, in order, repeats kept. */
export function searchTerms(text) {
  const out = [];
  forEachWord(text, (start, end) => out.push(foldWord(text.slice(start, end))));
  return out;
}

/** The term an arXiv id is indexed under: the id itself, lower case, without a version. */
export function idTerm(id) {
  return id.toLowerCase().replace(/v\d+$/, "");
}

const VOWEL = /[aeiouy]/;

/**
 * A light suffix stripper (plural, -ing, -ed, -ly, final e, doubled final consonant). Not a
 * linguist's stemmer: it only has to send the usual forms of a word to one term, the same way on
 * both sides. Short words and words with digits are left alone.
 */
function stem(word) {
  if (word.length <= 3 || /\d/.test(word)) return word;
  let w = word;
  if (w.endsWith("ies") && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith("sses")) w = w.slice(0, -2);
  else if (w.endsWith("s") && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  for (const suffix of ["ing", "ed", "ly"]) {
    if (w.endsWith(suffix) && w.length - suffix.length >= 3 && VOWEL.test(w.slice(0, -suffix.length))) {
      w = w.slice(0, -suffix.length);
      break;
    }
  }
  if (w.endsWith("e") && w.length > 3) w = w.slice(0, -1);
  if (w.length > 3 && w.at(-1) === w.at(-2) && !VOWEL.test(w.at(-1)) && w.at(-1) !== "s") w = w.slice(0, -1);
  return w;
}
