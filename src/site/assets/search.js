// Search page: hands what the reader typed to the engine (search-engine.js) and lists the best
// papers. Every scanned paper is a document. Result text is inserted as text; matched words are
// marked with <mark> elements made here.

import { matcher, searchEngine } from "./search-engine.js";
import { forEachWord } from "./search-terms.js";

const base = document.documentElement.dataset.base ?? "/";
const form = document.querySelector("[data-search]");
// One folder per bundle, newest first: a year, or a month of the latest year.
const bundles = (form.dataset.bundles ?? "").split(" ").filter(Boolean);
const input = form.querySelector("input[name=q]");
const status = document.querySelector("[data-search-status]");
const list = document.querySelector("[data-search-results]");
const SHOWN = 30;
/** Words an excerpt shows around the first match. */
const EXCERPT_WORDS = 30;

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
const engine = searchEngine(bundles, load);

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
  // A paper the day page does not show: its date links that day, since its title links arXiv.
  const date = doc.u ? doc.d : document.createElement("a");
  if (!doc.u) {
    date.href = `${base}${doc.d.replaceAll("-", "/")}/`;
    date.textContent = doc.d;
  }
  const parts = [
    doc.p ? "picked" : "scanned, not picked",
    date,
    doc.s !== undefined ? `score ${doc.s}` : null,
    `arXiv:${doc.i}`,
    doc.a || null,
  ].filter(Boolean);
  line.append(...parts.flatMap((part, i) => (i > 0 ? [" · ", part] : [part])));
  if (doc.p) item.classList.add("picked");
  item.append(link, line);
  if (doc.x) {
    const text = document.createElement("p");
    text.append(excerpt(doc.x, matches));
    item.append(text);
  }
  return item;
}

let latestQuery = 0;
async function run(query) {
  const ticket = ++latestQuery;
  const url = new URL(location.href);
  url.searchParams.set("q", query);
  history.replaceState(null, "", url);
  if (query.trim() === "") {
    list.replaceChildren();
    status.textContent = "";
    return;
  }
  status.textContent = "Searching…";
  try {
    const { terms, total, docs } = await engine.search(query, SHOWN);
    if (ticket !== latestQuery) return;
    const matches = matcher(terms);
    list.replaceChildren(...docs.map((doc) => resultItem(doc, matches)));
    const more = total > SHOWN ? ` Showing the best ${SHOWN}; add words to narrow it.` : "";
    status.textContent =
      total === 0
        ? `No paper matches “${query}”.`
        : `${total} ${total === 1 ? "paper matches" : "papers match"} “${query}”.${more}`;
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
} else if (document.activeElement === null || document.activeElement === document.body) {
  // Opened to search (the header's link, or / from another page): the reader types at once. Not
  // when the reader already moved the focus, nor over a query whose results they came to read.
  input.focus();
}
