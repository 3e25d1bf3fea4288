// The search page's engine, without the page: what the reader typed becomes terms, the terms are
// looked up in the site's search bundles (the format is src/site/search-index.ts), and the
// matching papers come back best first. search.js draws them; the tests drive this module alone.

import { idTerm, readQuery, searchTerms, wordTerms } from "./search-terms.js";

/** How much a picked paper's relevance is multiplied by, so picked papers lead among similar matches. */
const PICKED_BOOST = 1.5;
/**
 * How much a paper the site does not list (scanned, not picked, no near miss) counts of its match to
 * words. Only its id, title and authors are indexed, and the digest judged it off-topic: a word in its
 * title, even twice, counts no more than the same word once in a listed paper's abstract (search-index.ts
 * FIELD_WEIGHT: title 10, abstract 1), so a picked paper that holds the words comes first. An id
 * searched for counts in full.
 */
const UNLISTED_SHARE = 0.05;
/**
 * A longer word only starting with the last word typed counts this much of an exact match; and a
 * paper holding every word exactly comes before one that needs a prefix ("tau" finds τ before an
 * author Taura).
 */
const PREFIX_SHARE = 0.6;
/** The last word matches longer words only from this length, and through at most this many term files. */
const PREFIX_MIN = 3;
const PREFIX_FILES = 4;
export const ARXIV_ID = /^(?:arxiv:)?(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?\/\d{7})(?:v\d+)?$/i;
/**
 * A paper's address on arXiv, as a reader copies it from the address bar: its abstract, PDF or HTML
 * page (`https://arxiv.org/abs/2603.21884`, `/pdf/2603.21884v2`, `/pdf/….pdf`, `/html/…v2/`), with
 * or without the scheme or "www.", and whatever query or fragment follows. What it names is then
 * read by ARXIV_ID.
 */
const ARXIV_URL = /^(?:https?:\/\/)?(?:www\.|export\.)?arxiv\.org\/(?:abs|pdf|html)\/(.+?)(?:\.pdf)?\/?(?:[?#].*)?$/i;

/** The arXiv id a query is, alone or as an address on arXiv; undefined when it is not one. */
function queryId(query) {
  const text = query.trim();
  return ARXIV_ID.exec(ARXIV_URL.exec(text)?.[1] ?? text)?.[1];
}

/**
 * The terms of a query: an arXiv id alone (or an arXiv address), or its words with the last one
 * also as a prefix. TeX in the query is read as plain math writes it (readQuery), so `LoRA$^2$`,
 * `LoRA^2` and `LoRA²` are one term, and `\tau`, `tau` and `τ` another.
 */
export function queryTerms(query) {
  const id = queryId(query);
  if (id) return { id, terms: [{ term: idTerm(id), prefix: false }] };
  const words = [...new Set(searchTerms(readQuery(query)))];
  const typing = !/\s$/.test(query);
  return {
    id: null,
    terms: words.map((term, i) => ({ term, prefix: typing && i === words.length - 1 && term.length >= PREFIX_MIN })),
  };
}

/** Whether a word of the text is indexed under one of the terms searched (search-terms.js wordTerms). */
export function matcher(terms) {
  return (word) =>
    wordTerms(word).some((term) => terms.some((t) => term === t.term || (t.prefix && term.startsWith(t.term))));
}

/** Index of the last chunk whose first term is ≤ term (0 when none is). */
function chunkOf(firsts, term) {
  let low = 0;
  let high = firsts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (firsts[mid] <= term) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** Postings as encoded by search-index.ts (encodePostings): [listed, unlisted], each flat (document number, weight × 2 + picked) pairs. */
function decodePostings(text) {
  const bytes = atob(text);
  let at = 0;
  const varint = () => {
    let value = 0;
    let scale = 1;
    for (;;) {
      const byte = bytes.charCodeAt(at++);
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 0x80;
    }
  };
  const listed = varint();
  const lists = [[], []];
  for (let side = 0; side < 2; side++) {
    let number = 0;
    for (let i = 0; side === 0 ? i < listed : at < bytes.length; i++) {
      number += varint();
      lists[side].push(number, bytes.charCodeAt(at++));
    }
  }
  return lists;
}

/**
 * A search over the bundles (folder names, newest first); `load(bundle, file)` fetches a file of a
 * bundle as JSON. `search(query, shown)` answers how many papers match and the best `shown` of
 * them (search-index.ts SearchDoc), the paper with the very id searched for first.
 */
export function searchEngine(bundles, load) {
  /** The postings of a term in a bundle as [share, postings] pairs: the term itself, and with `prefix` the longer terms it starts. */
  async function postingsOf(bundle, index, term, prefix) {
    const found = [];
    let k = chunkOf(index.chunks, term);
    for (let read = 0; k < index.chunks.length && read < (prefix ? PREFIX_FILES : 1); k++, read++) {
      if (read > 0 && !index.chunks[k].startsWith(term)) break;
      const chunk = await load(bundle, `t${k}.json`);
      if (!prefix) {
        if (Object.hasOwn(chunk, term)) found.push([1, chunk[term]]);
        break;
      }
      for (const [other, postings] of Object.entries(chunk)) {
        if (other === term) found.push([1, postings]);
        else if (other.startsWith(term)) found.push([PREFIX_SHARE, postings]);
      }
    }
    return found;
  }

  /**
   * The documents of a bundle holding a term: key ("l<n>" listed, "u<n>" unlisted) → weight, whether
   * picked and whether the term itself is in it (not only a longer word it starts).
   */
  async function matchesOf(bundle, index, { term, prefix }) {
    const matches = new Map();
    for (const [share, encoded] of await postingsOf(bundle, index, term, prefix)) {
      const exact = share === 1;
      decodePostings(encoded).forEach((pairs, side) => {
        for (let i = 0; i < pairs.length; i += 2) {
          const key = `${side === 0 ? "l" : "u"}${pairs[i]}`;
          const weight = (pairs[i + 1] >> 1) * share;
          const known = matches.get(key);
          if (!known) matches.set(key, { weight, picked: (pairs[i + 1] & 1) === 1, exact });
          else {
            known.weight = Math.max(known.weight, weight);
            known.exact ||= exact;
          }
        }
      });
    }
    return matches;
  }

  /** A document as the result shows it (search-index.ts SearchDoc). */
  async function documentOf({ bundle, key }) {
    const index = await load(bundle, "index.json");
    const number = Number(key.slice(1));
    const size = key[0] === "l" ? index.listedChunk : index.unlistedChunk;
    const docs = await load(bundle, `${key[0]}${Math.floor(number / size)}.json`);
    return docs[number % size];
  }

  return {
    async search(query, shown) {
      const { id, terms } = queryTerms(query);
      if (terms.length === 0) return { terms, total: 0, docs: [] };
      if (bundles.length === 0) throw new Error("the archive has no papers yet");
      const perBundle = await Promise.all(
        bundles.map(async (bundle) => {
          const index = await load(bundle, "index.json");
          const matches = await Promise.all(terms.map((term) => matchesOf(bundle, index, term)));
          return { bundle, size: index.listed + index.unlisted, matches };
        }),
      );
      // How rare each term is over the whole archive, so bundles of any size rank alike.
      const papers = perBundle.reduce((n, b) => n + b.size, 0);
      const rarity = terms.map((_, t) => {
        const holding = perBundle.reduce((n, b) => n + b.matches[t].size, 0);
        return Math.log(1 + papers / Math.max(1, holding));
      });
      // A paper matches when it holds every term; its score adds each term's weight in it times its rarity.
      const found = [];
      for (const { bundle, matches } of perBundle) {
        for (const [key, { picked }] of matches[0]) {
          let score = 0;
          let exact = true;
          for (let t = 0; t < terms.length && score >= 0; t++) {
            const match = matches[t].get(key);
            score = match ? score + match.weight * rarity[t] : -1;
            exact &&= match?.exact === true;
          }
          if (score >= 0) found.push({ bundle, key, score, picked, exact, listed: key[0] === "l" });
        }
      }
      const share = (r) => (r.picked ? PICKED_BOOST : r.listed || id !== null ? 1 : UNLISTED_SHARE);
      const weight = (r) => r.score * share(r);
      // Papers holding every word as typed first; ties go to the listed paper.
      found.sort(
        (a, b) => Number(b.exact) - Number(a.exact) || weight(b) - weight(a) || Number(b.listed) - Number(a.listed),
      );
      const docs = await Promise.all(found.slice(0, shown).map(documentOf));
      const exact = (d) => id !== null && idTerm(d.i) === idTerm(id);
      return { terms, total: found.length, docs: [...docs.filter(exact), ...docs.filter((d) => !exact(d))] };
    },
  };
}
