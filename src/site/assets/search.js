// Search page: looks what the reader typed up in the site's search bundles (the format is
// src/site/search-index.ts) and lists the best papers. Every scanned paper is a document. Result
// text is inserted as text; matched words are marked with <mark> elements made here.

import { foldWord, forEachWord, idTerm, searchTerms } from "./search-terms.js";

const base = document.documentElement.dataset.base ?? "/";
const form = document.querySelector("[data-search]");
// One folder per bundle, newest first: a year, or a month of the latest year.
const bundles = (form.dataset.bundles ?? "").split(" ").filter(Boolean);
const input = form.querySelector("input[name=q]");
const status = document.querySelector("[data-search-status]");
const list = document.querySelector("[data-search-results]");
const SHOWN = 30;
/** How much a picked paper's relevance is multiplied by, so picked papers lead among similar matches. */
const PICKED_BOOST = 1.5;
/** A longer word only starting with the last word typed counts this much of an exact match. */
const PREFIX_SHARE = 0.6;
/** The last word matches longer words only from this length, and through at most this many term files. */
const PREFIX_MIN = 3;
const PREFIX_FILES = 4;
/** Words an excerpt shows around the first match. */
const EXCERPT_WORDS = 30;
const ARXIV_ID = /^(?:arxiv:)?(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?\/\d{7})(?:v\d+)?$/i;

const files = new Map();
/** A file of the search data, fetched once. */
function load(bundle, file) {
  const url = `${base}search-data/${bundle}/${file}`;
  let loading = files.get(url);
  if (!loading) {
    loading = fetch(url).then((response) => {
      if (!response.ok) throw new Error(`${url} answered ${response.status}`);
      return response.json();
    });
    loading.catch(() => files.delete(url));
    files.set(url, loading);
  }
  return loading;
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
 * The documents of one bundle holding every term, with their scores: per term, its weight in the
 * document times how rare it is in the bundle. Keys are "l<n>" (listed) and "u<n>" (unlisted).
 */
async function searchBundle(bundle, terms) {
  const index = await load(bundle, "index.json");
  const total = index.listed + index.unlisted;
  let matches = null;
  for (const { term, prefix } of terms) {
    const scores = new Map();
    for (const [share, encoded] of await postingsOf(bundle, index, term, prefix)) {
      decodePostings(encoded).forEach((pairs, side) => {
        for (let i = 0; i < pairs.length; i += 2) {
          const key = `${side === 0 ? "l" : "u"}${pairs[i]}`;
          const weight = (pairs[i + 1] >> 1) * share;
          const known = scores.get(key);
          if (!known || known.weight < weight) scores.set(key, { weight, picked: (pairs[i + 1] & 1) === 1 });
        }
      });
    }
    const rarity = Math.log(1 + total / Math.max(1, scores.size));
    const next = new Map();
    for (const [key, { weight, picked }] of scores) {
      if (matches && !matches.has(key)) continue;
      next.set(key, { score: (matches?.get(key).score ?? 0) + weight * rarity, picked });
    }
    matches = next;
    if (matches.size === 0) break;
  }
  return [...(matches ?? [])].map(([key, { score, picked }]) => ({ bundle, key, score, picked }));
}

/** A document as the result shows it (search-index.ts SearchDoc). */
async function documentOf({ bundle, key }) {
  const index = await load(bundle, "index.json");
  const number = Number(key.slice(1));
  const size = key[0] === "l" ? index.listedChunk : index.unlistedChunk;
  const docs = await load(bundle, `${key[0]}${Math.floor(number / size)}.json`);
  return docs[number % size];
}

/** Whether a word of the text is one of the terms searched. */
function matcher(terms) {
  return (word) => {
    const term = foldWord(word);
    return terms.some((t) => term === t.term || (t.prefix && term.startsWith(t.term)));
  };
}

/** The text around its first matched word, matched words in <mark>, as DOM nodes. */
function excerpt(text, matches) {
  const words = [];
  forEachWord(text, (start, end) => words.push([start, end]));
  const first = Math.max(
    0,
    words.findIndex(([start, end]) => matches(text.slice(start, end))),
  );
  const from = Math.max(0, first - 6);
  const to = Math.min(words.length, from + EXCERPT_WORDS);
  const fragment = document.createDocumentFragment();
  if (words.length === 0) return fragment;
  let at = words[from][0];
  if (from > 0) fragment.append("… ");
  for (let i = from; i < to; i++) {
    const [start, end] = words[i];
    const word = text.slice(start, end);
    if (!matches(word)) continue;
    fragment.append(text.slice(at, start));
    const mark = document.createElement("mark");
    mark.textContent = word;
    fragment.append(mark);
    at = end;
  }
  fragment.append(text.slice(at, to < words.length ? words[to - 1][1] : text.length));
  if (to < words.length) fragment.append(" …");
  return fragment;
}

function resultItem(doc, matches) {
  const item = document.createElement("li");
  const link = document.createElement("a");
  // Papers the day page does not show link to arXiv; the rest to their card.
  link.href = doc.u ? `${base}${doc.u}` : `https://arxiv.org/abs/${doc.i}`;
  link.textContent = doc.t;
  const line = document.createElement("p");
  line.className = "meta";
  line.textContent = [
    doc.p ? "picked" : "scanned, not picked",
    doc.d,
    doc.s !== undefined ? `score ${doc.s}` : null,
    `arXiv:${doc.i}`,
    doc.a || null,
  ]
    .filter(Boolean)
    .join(" · ");
  if (doc.p) item.classList.add("picked");
  item.append(link, line);
  if (doc.x) {
    const text = document.createElement("p");
    text.append(excerpt(doc.x, matches));
    item.append(text);
  }
  if (!doc.u) {
    const day = document.createElement("a");
    day.href = `${base}${doc.d.replaceAll("-", "/")}/`;
    day.textContent = `Day of ${doc.d}`;
    const p = document.createElement("p");
    p.className = "meta";
    p.append(day);
    item.append(p);
  }
  return item;
}

/** The terms of a query: an arXiv id alone, or its words with the last one also as a prefix. */
function queryTerms(query) {
  const id = ARXIV_ID.exec(query.trim())?.[1];
  if (id) return { id, terms: [{ term: idTerm(id), prefix: false }] };
  const words = [...new Set(searchTerms(query))];
  const typing = !/\s$/.test(query);
  return {
    id: null,
    terms: words.map((term, i) => ({ term, prefix: typing && i === words.length - 1 && term.length >= PREFIX_MIN })),
  };
}

let latestQuery = 0;
async function run(query) {
  const ticket = ++latestQuery;
  const url = new URL(location.href);
  url.searchParams.set("q", query);
  history.replaceState(null, "", url);
  const { id, terms } = queryTerms(query);
  if (terms.length === 0) {
    list.replaceChildren();
    status.textContent = "";
    return;
  }
  status.textContent = "Searching…";
  try {
    if (bundles.length === 0) throw new Error("the archive has no papers yet");
    const found = (await Promise.all(bundles.map((b) => searchBundle(b, terms)))).flat();
    const weight = (r) => r.score * (r.picked ? PICKED_BOOST : 1);
    found.sort((a, b) => weight(b) - weight(a));
    const docs = await Promise.all(found.slice(0, SHOWN).map(documentOf));
    if (ticket !== latestQuery) return;
    // The paper with the very id searched for comes first.
    const ranked = id
      ? [...docs.filter((d) => idTerm(d.i) === idTerm(id)), ...docs.filter((d) => idTerm(d.i) !== idTerm(id))]
      : docs;
    const matches = matcher(terms);
    list.replaceChildren(...ranked.map((doc) => resultItem(doc, matches)));
    const total = found.length;
    const more = total > SHOWN ? ` Showing the best ${SHOWN}; add words to narrow it.` : "";
    status.textContent =
      total === 0 ? `No paper matches “${query}”.` : `${total} paper${total === 1 ? "" : "s"} match “${query}”.${more}`;
  } catch (error) {
    if (ticket !== latestQuery) return;
    status.textContent = `Search is unavailable: ${error instanceof Error ? error.message : String(error)}`;
  }
}

let timer;
input.addEventListener("input", () => {
  clearTimeout(timer);
  timer = setTimeout(() => run(input.value), 200);
});
form.addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(timer);
  run(input.value);
});

const initial = new URL(location.href).searchParams.get("q");
if (initial) {
  input.value = initial;
  run(initial);
}
