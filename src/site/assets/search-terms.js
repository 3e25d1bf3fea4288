// How text becomes search terms: the one home of it for the site build, which indexes papers
// (src/site/search-index.ts), and for the search page, which looks up what the reader typed and
// marks it in excerpts (search.js). Both must cut and fold words the same way.
//
// A word is a run of letters, digits and combining marks; a dot followed by a digit continues it,
// so "2602.04119" and "3.5" stay whole, and so does a ^ or _ between two word characters, so a
// script typed as TeX ("R^2", "x_i") is one word like its typeset form ("R²", "xᵢ"). A word is
// folded to lower case without accents (André → andre), scripts to their base characters
// (LoRA² → lora2, R^2 → r2), Greek letters to their names (τ → tau, Δt → deltat), and given a light
// English stem, so "networks", "learning" and "studies" find "network", "learn" and "study".
//
// The text indexed is plain text with its math typeset as Unicode (format/plain-math.ts), and a
// query may be typed as TeX: readQuery turns `LoRA$^2$`, `\tau` and `\mathbb{R}^d` into the words
// that plain text has ("LoRA^2", "tau", "R^d"), so all spellings fold to one term. A word with a
// script, a Greek letter beside other letters or a ^ or _ is also indexed under its parts
// (wordTerms: "LoRA²" under lora2, lora and 2), so "LoRA" finds "LoRA²" and "delta t" finds "Δt".

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
/** ^ and _: a script typed as TeX, part of the word when a word character follows. */
const isScriptMark = (code) => code === 94 || code === 95;

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
      if (i + 1 === length) break;
      // A dot followed by a digit continues the word ("3.5", "2602.04119"), and so does a ^ or _
      // followed by a word character ("R^2", "x_i").
      const after = text.charCodeAt(i + 1);
      if (code === 46 ? !isDigit(after) : !isScriptMark(code) || !isWordChar(after)) break;
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
const SCRIPT_MARKS = /[\^_]/g;

/**
 * Greek letters (lower case, as NFKD leaves them) by the name TeX gives them. Also the Latin
 * letters NFKD makes of the superscript alpha and epsilon (ᵅ → ɑ, ᵋ → ɛ).
 */
const GREEK_NAMES = new Map(
  Object.entries({
    α: "alpha",
    β: "beta",
    γ: "gamma",
    δ: "delta",
    ε: "epsilon",
    ζ: "zeta",
    η: "eta",
    θ: "theta",
    ι: "iota",
    κ: "kappa",
    λ: "lambda",
    μ: "mu",
    ν: "nu",
    ξ: "xi",
    ο: "omicron",
    π: "pi",
    ρ: "rho",
    σ: "sigma",
    ς: "sigma",
    τ: "tau",
    υ: "upsilon",
    φ: "phi",
    χ: "chi",
    ψ: "psi",
    ω: "omega",
    ϝ: "digamma",
    ɑ: "alpha",
    ɛ: "epsilon",
  }),
);
const GREEK = /[α-ωϝɑɛ]/gu;

/**
 * Script characters plain math writes (format/plain-math.ts SUPERSCRIPTS and SUBSCRIPTS) that are
 * word characters: where a word's base ends and its script starts (LoRA² is lora and 2).
 */
const SCRIPT_CHARS = new Set(
  "⁰¹²³⁴⁵⁶⁷⁸⁹ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂᵅᵝᵞᵟᵋᶿᵠᵡ₀₁₂₃₄₅₆₇₈₉ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵪ",
);
const GREEK_LETTER = /[\p{Script=Greek}ɑɛ]/u;
const COMBINING = /\p{M}/u;

/** A word folded to its search term: lower case, no accents, scripts as their base characters, Greek letters by name, stemmed. */
export function foldWord(word) {
  let plain = ASCII.test(word) ? word.toLowerCase() : word.normalize("NFKD").replace(MARKS, "").toLowerCase();
  if (plain.includes("^") || plain.includes("_")) plain = plain.replace(SCRIPT_MARKS, "");
  if (!ASCII.test(plain)) plain = plain.replace(GREEK, (letter) => GREEK_NAMES.get(letter));
  return stem(plain);
}

/**
 * The terms a word is indexed under: its folded term (foldWord), then, for a word made of parts
 * (a script after its base, a Greek letter beside other characters, a ^ or _), each part's term:
 * "LoRA²" → lora2, lora, 2; "Δt" → deltat, delta, t; "gamma_eff" → gammaef, gamma, eff (stemmed).
 */
export function wordTerms(word) {
  const term = foldWord(word);
  const parts = wordParts(word);
  if (parts.length < 2) return [term];
  const terms = [term];
  for (const part of parts) {
    const folded = foldWord(part);
    if (folded !== "" && !terms.includes(folded)) terms.push(folded);
  }
  return terms;
}

/** A word cut where it changes between base and script characters, around each Greek letter, and at ^ and _. */
function wordParts(word) {
  if (ASCII.test(word) && !word.includes("^") && !word.includes("_")) return [word];
  const parts = [];
  let part = "";
  let kind = -1;
  for (const ch of word) {
    if (ch === "^" || ch === "_") {
      if (part !== "") parts.push(part);
      part = "";
      kind = -1;
      continue;
    }
    // A combining mark stays with the character before it; a Greek letter is a part of its own (αβ: alpha, beta).
    const mark = COMBINING.test(ch) && kind !== -1;
    const next = mark ? kind : SCRIPT_CHARS.has(ch) ? 1 : GREEK_LETTER.test(ch) ? 2 : 0;
    if ((next !== kind || (next === 2 && !mark)) && part !== "") {
      parts.push(part);
      part = "";
    }
    part += ch;
    kind = next;
  }
  if (part !== "") parts.push(part);
  return parts;
}

/** The terms of a text, in order, repeats kept: each word's folded term (foldWord). */
export function searchTerms(text) {
  const out = [];
  forEachWord(text, (start, end) => out.push(foldWord(text.slice(start, end))));
  return out;
}

/**
 * TeX commands a query may hold that only change the look of what follows (fonts, accents,
 * sizing, \text): left out, their argument kept.
 */
const LOOK_COMMANDS = new Set(
  (
    "mathbb mathbbm mathds mathfrak mathcal mathscr mathbf mathit mathsf mathtt mathrm mathnormal boldsymbol bm " +
    "operatorname text textrm textsf texttt textit textbf emph mbox hat widehat tilde widetilde bar overline " +
    "underline vec dot ddot check breve acute grave left right big Big bigg Bigg bigl bigr Bigl Bigr " +
    "displaystyle textstyle limits frac dfrac tfrac sqrt"
  ).split(" "),
);
const GREEK_COMMANDS = new Set(GREEK_NAMES.values());
const TEX_COMMAND = /\\([A-Za-z]+)/g;
const FRACTION = /\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}/g;
const BRACED_SCRIPT = /([\^_])\{([^{}]*)\}/g;
const WORDS_ONLY = /^[\p{L}\p{N}\p{M}]+$/u;

/**
 * A query as plain text: TeX typed in it read the way plain math writes it (format/plain-math.ts),
 * so that it folds to the terms the index holds. Dollar signs go; a Greek letter's command is its
 * name (`\tau`, `\varepsilon`: tau, epsilon); a font, accent or sizing command goes and its
 * argument stays (`\mathbb{R}`: R); a braced script is written as plain math writes it (`^{ij}`:
 * ^ij, `^{-1}`: ^(-1)); `\frac{a}{b}` is a/b; other braces go. Text without TeX comes back as it is.
 */
export function readQuery(query) {
  if (!/[\\$^_{}]/.test(query)) return query;
  return query
    .replaceAll("$", "")
    .replace(FRACTION, "$1/$2")
    .replace(TEX_COMMAND, (_whole, name) => {
      // \varepsilon, \Delta and KaTeX's \thetasym are letters too.
      const greek = name.toLowerCase().replace(/^var(?=[a-z]{2})|sym$/g, "");
      if (GREEK_COMMANDS.has(greek)) return greek;
      return LOOK_COMMANDS.has(name) ? "" : name;
    })
    .replace(BRACED_SCRIPT, (_whole, mark, inner) => {
      const content = inner.trim();
      return WORDS_ONLY.test(content) ? `${mark}${content}` : `${mark}(${content})`;
    })
    .replace(/[{}]/g, "");
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
