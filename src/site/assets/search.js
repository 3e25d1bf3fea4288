// Search page: drives the Pagefind JS API from our own labelled input. One Pagefind record per
// scanned paper (src/site/search-index.ts). Result text is inserted as text; only Pagefind's
// <mark> highlights are kept.

const base = document.documentElement.dataset.base ?? "/";
const form = document.querySelector("[data-search]");
// One Pagefind bundle per year, newest first: the first is loaded, the others merged into it.
const years = (form.dataset.years ?? "").split(" ").filter(Boolean);
const input = form.querySelector("input[name=q]");
const status = document.querySelector("[data-search-status]");
const list = document.querySelector("[data-search-results]");
/** Results whose data is loaded and re-ranked; Pagefind's order decides which these are. */
const CANDIDATES = 60;
const SHOWN = 30;
/** How much a picked paper's relevance is multiplied by, so picked papers lead among similar matches. */
const PICKED_BOOST = 1.5;
const ARXIV_ID = /^(?:arxiv:)?(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?\/\d{7})(?:v\d+)?$/i;

let pagefindLoading;
function pagefind() {
  pagefindLoading ??= (async () => {
    if (years.length === 0) throw new Error("the archive has no papers yet");
    const engine = await import(`${base}pagefind/${years[0]}/pagefind.js`);
    await engine.options({ baseUrl: base });
    for (const year of years.slice(1)) await engine.mergeIndex(`${base}pagefind/${year}/`, { baseUrl: base });
    return engine;
  })();
  return pagefindLoading;
}

function highlighted(excerpt) {
  const template = document.createElement("template");
  template.innerHTML = excerpt;
  const fragment = document.createDocumentFragment();
  for (const node of template.content.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      fragment.append(mark);
    } else {
      fragment.append(document.createTextNode(node.textContent ?? ""));
    }
  }
  return fragment;
}

function resultItem({ data }) {
  const meta = data.meta;
  const item = document.createElement("li");
  const link = document.createElement("a");
  // Papers the day page does not show link to arXiv; the rest to their card.
  link.href = meta.listed === "no" && meta.id ? `https://arxiv.org/abs/${meta.id}` : data.url;
  link.textContent = meta.title ?? data.url;
  const line = document.createElement("p");
  line.className = "meta";
  const parts = [
    meta.selected === "yes" ? "picked" : "scanned, not picked",
    `${meta.date ?? "unknown day"}`,
    meta.score ? `score ${meta.score}` : null,
    meta.id ? `arXiv:${meta.id}` : null,
    meta.authors || null,
  ].filter(Boolean);
  line.textContent = parts.join(" · ");
  if (meta.selected === "yes") item.classList.add("picked");
  const excerpt = document.createElement("p");
  excerpt.append(highlighted(data.excerpt ?? ""));
  item.append(link, line, excerpt);
  if (meta.listed === "no") {
    const day = document.createElement("a");
    day.href = data.url.split("#")[0];
    day.textContent = `Day of ${meta.date}`;
    const p = document.createElement("p");
    p.className = "meta";
    p.append(day);
    item.append(p);
  }
  return item;
}

/** Exact id first, then relevance with picked papers boosted. */
function rank(results, id) {
  const weight = (r) =>
    (id && r.data.meta.id === id ? 1e6 : 0) + r.score * (r.data.meta.selected === "yes" ? PICKED_BOOST : 1);
  return [...results].sort((a, b) => weight(b) - weight(a));
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
    const engine = await pagefind();
    const id = ARXIV_ID.exec(query.trim())?.[1] ?? null;
    // The index holds the bare id as a word; "arXiv:" and a version suffix are the reader's.
    const search = await engine.search(id ?? query);
    const loaded = await Promise.all(
      search.results.slice(0, CANDIDATES).map(async (r) => ({ score: r.score, data: await r.data() })),
    );
    if (ticket !== latestQuery) return;
    const ranked = rank(loaded, id).slice(0, SHOWN);
    list.replaceChildren(...ranked.map(resultItem));
    const total = search.results.length;
    const more = total > SHOWN ? ` Showing the best ${SHOWN}; add words to narrow it.` : "";
    status.textContent =
      total === 0 ? `No paper matches “${query}”.` : `${total} paper${total === 1 ? "" : "s"} match “${query}”.${more}`;
  } catch (error) {
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
