/**
 * Person names reduced to comparable tokens: accents, case, punctuation and hyphens folded away,
 * "Last, First" turned around, and abbreviated given names ("Y.", "Th.") marked as such so that
 * they can match the full name they stand for.
 */
import { decodeTex } from "../format/math-spans.js";

export interface NameToken {
  /** Folded letters and digits: lowercase, no accents, no punctuation. */
  text: string;
  /** An initial or an abbreviation ("Y", "Y.", "Chr."): matches any name starting with `text`. */
  abbreviated: boolean;
  /** Joined to the next token by a hyphen ("Hernandez-Garcia"): the two are never split apart. */
  hyphenated: boolean;
}

/** Tokens in "given … surname" order; empty when the text holds no letters. */
export type PersonName = NameToken[];

const SUFFIXES = new Set(["jr", "sr", "ii", "iii", "iv"]);

/** Letters that Unicode decomposition does not reduce to a base letter. */
const SPECIAL_LETTERS: Record<string, string> = {
  ø: "o",
  æ: "ae",
  œ: "oe",
  ß: "ss",
  ł: "l",
  đ: "d",
  ð: "d",
  þ: "th",
  ı: "i",
  ȷ: "j",
};

/**
 * Lowercase, accent-free form of a name, for comparisons only. TeX accents are decoded first: the
 * feed parser has done so already, but names also arrive from authors.txt and imported history.
 */
export function foldName(text: string): string {
  return foldAccents(decodeTex(text));
}

/** Lowercase, accent-free form of Unicode text (`Tárano` → `tarano`, `Gjølbye` → `gjolbye`). */
export function foldAccents(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[øæœßłđðþıȷ]/g, (letter) => SPECIAL_LETTERS[letter] ?? letter);
}

export function parsePersonName(text: string): PersonName {
  const ordered = textInNaturalOrder(foldName(text).replace(/['’`]/g, ""));
  const tokens = [...ordered.matchAll(/([\p{L}\p{N}]+)(\.?)(\s*[-‐‑]\s*(?=[\p{L}\p{N}]))?/gu)].map(
    ([, letters = "", dot, hyphen]): NameToken => ({
      text: letters,
      abbreviated: dot === "." || letters.length === 1,
      hyphenated: hyphen !== undefined,
    }),
  );
  while (tokens.length > 1 && SUFFIXES.has(tokens[tokens.length - 1]!.text)) tokens.pop();
  return tokens;
}

/** "Bengio, Yoshua" → "Yoshua Bengio"; a trailing ", Jr." is not a given name. */
function textInNaturalOrder(folded: string): string {
  const parts = folded
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "" && !SUFFIXES.has(part.replace(/\.$/, "")));
  return parts.length === 2 ? `${parts[1]} ${parts[0]}` : parts.join(" ");
}

/** Two given-name tokens can denote the same name: equal, or one abbreviates the other. */
function compatibleTokens(a: NameToken, b: NameToken): boolean {
  if (!a.abbreviated && !b.abbreviated) return a.text === b.text;
  const [short, long] = a.text.length <= b.text.length ? [a, b] : [b, a];
  return short.abbreviated && long.text.startsWith(short.text);
}

/**
 * Given names agree when the first ones are compatible and the shorter list of middle names is an
 * in-order sub-list of the longer one: a missing middle name is fine ("John X. Morris" ~ "John
 * Morris"), a different one is not ("John X. Morris" ≁ "John Y. Morris").
 */
export function compatibleGivenNames(a: NameToken[], b: NameToken[]): boolean {
  if (a.length === 0 || b.length === 0) return a.length === b.length;
  if (!compatibleTokens(a[0]!, b[0]!)) return false;
  const [shorter, longer] = a.length <= b.length ? [a.slice(1), b.slice(1)] : [b.slice(1), a.slice(1)];
  let next = 0;
  for (const token of shorter) {
    while (next < longer.length && !compatibleTokens(token, longer[next]!)) next++;
    if (next === longer.length) return false;
    next++;
  }
  return true;
}

/**
 * The ways a name can be split into given names and surname: the last one, two or three tokens
 * joined, so that "Hernandez-Garcia" and "Hernandez Garcia" compare equal. A split never falls
 * inside a hyphenated name ("Alex Hernandez-Garcia" is not an "Alex Garcia"), and abbreviated
 * tokens never form a surname.
 */
export function surnameSplits(name: PersonName): { surname: string; given: NameToken[] }[] {
  if (name.length === 1) return name[0]!.abbreviated ? [] : [{ surname: name[0]!.text, given: [] }];
  const splits: { surname: string; given: NameToken[] }[] = [];
  for (let k = 1; k <= Math.min(3, name.length - 1); k++) {
    const tail = name.slice(name.length - k);
    if (tail.some((token) => token.abbreviated)) break;
    if (name[name.length - k - 1]!.hyphenated) continue;
    splits.push({ surname: tail.map((token) => token.text).join(""), given: name.slice(0, name.length - k) });
  }
  return splits;
}
