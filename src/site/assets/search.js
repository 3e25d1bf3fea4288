// Search page: drives the Pagefind JS API from our own labelled input.
// Result text is inserted as text; only Pagefind's <mark> highlights are kept.

const base = document.documentElement.dataset.base ?? "/";
const form = document.querySelector("[data-search]");
// One Pagefind bundle per year, newest first: the first is loaded, the others merged into it.
const years = (form.dataset.years ?? "").split(" ").filter(Boolean);
const input = form.querySelector("input[name=q]");
const status = document.querySelector("[data-search-status]");
const list = document.querySelector("[data-search-results]");
const MAX_DAYS = 20;

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

/** One list item per matching paper: Pagefind indexes a day per page and a paper per heading. */
function resultItems(day) {
  return day.sub_results
    .filter((paper) => paper.url.includes("#"))
    .map((paper) => {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = paper.url;
      link.textContent = paper.title;
      const meta = document.createElement("p");
      meta.className = "meta";
      meta.textContent = `Selected on ${day.meta.date ?? "an unknown day"}`;
      const excerpt = document.createElement("p");
      excerpt.append(highlighted(paper.excerpt ?? ""));
      item.append(link, meta, excerpt);
      return item;
    });
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
    const search = await engine.search(query);
    const days = await Promise.all(search.results.slice(0, MAX_DAYS).map((r) => r.data()));
    if (ticket !== latestQuery) return;
    const items = days.flatMap(resultItems);
    list.replaceChildren(...items);
    const more = search.results.length > MAX_DAYS ? ` Showing the best ${MAX_DAYS} days; add words to narrow it.` : "";
    status.textContent =
      items.length === 0
        ? `No paper matches “${query}”.`
        : `${items.length} paper${items.length === 1 ? "" : "s"} on ${days.length} day${days.length === 1 ? "" : "s"} match “${query}”.${more}`;
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
