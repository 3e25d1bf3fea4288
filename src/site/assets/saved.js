// Saved page: lists the papers saved in this browser (marks.js) with their citations. Text is
// inserted as text; links are built from the stored site-relative path and the arXiv id.
import { bibtex, cslJson } from "./cite.js";
import { feedback } from "./feedback.js";
import { deliver } from "./feedback-sinks.js";
import { readMarks, setMark } from "./marks.js";

feedback.addSink(deliver);

const list = document.querySelector("[data-saved-list]");
const status = document.querySelector("[data-saved-status]");
const actions = document.querySelector("[data-saved-actions]");

/** A mark's time in milliseconds; one missing or unreadable is older than any. */
const savedAt = (mark) => {
  const t = Date.parse(mark.at ?? "");
  return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t;
};
const text = (value) => (typeof value === "string" ? value : "");

/**
 * Newest first: by the time of the save; papers saved at the same moment (an import, a page served
 * with the workspace's marks) by their day, newest first, then by id.
 */
function newestFirst(a, b) {
  const [ta, tb] = [savedAt(a), savedAt(b)];
  if (ta !== tb) return ta < tb ? 1 : -1;
  const byDay = text(b.paper.date).localeCompare(text(a.paper.date));
  return byDay || (a.paper.id < b.paper.id ? -1 : a.paper.id > b.paper.id ? 1 : 0);
}

function saved() {
  return Object.values(readMarks())
    .filter((m) => m.saved && m.paper?.id)
    .sort(newestFirst)
    .map((m) => m.paper);
}

function item(paper) {
  const li = document.createElement("li");
  li.className = "saved-item";
  const title = document.createElement("a");
  // A paper saved outside the site (CLI, library import) and not in the archive has no day page.
  title.href =
    typeof paper.path === "string" && paper.path.startsWith("/")
      ? paper.path
      : `https://arxiv.org/abs/${encodeURI(paper.id)}`;
  title.textContent = paper.title;
  const meta = document.createElement("p");
  meta.className = "meta";
  const authors = paper.authors ?? [];
  meta.textContent = [
    `arXiv:${paper.id}`,
    paper.date,
    `${authors.slice(0, 4).join(", ")}${authors.length > 4 ? " et al." : ""}`,
  ]
    .filter(Boolean)
    .join(" · ");
  const remove = document.createElement("button");
  remove.type = "button";
  remove.textContent = "Remove";
  remove.setAttribute("aria-label", `Remove ${paper.title}`);
  remove.addEventListener("click", () => {
    setMark(paper, { saved: false });
    render();
  });
  const details = document.createElement("details");
  const summary = document.createElement("summary");
  summary.textContent = "BibTeX";
  const pre = document.createElement("pre");
  pre.textContent = bibtex(paper);
  details.append(summary, pre);
  li.append(title, meta, remove, details);
  return li;
}

function render() {
  const papers = saved();
  list.replaceChildren(...papers.map(item));
  actions.hidden = papers.length === 0;
  status.textContent =
    papers.length === 0
      ? "Nothing saved yet: use a paper's Save button on any day page."
      : `${papers.length} saved paper${papers.length === 1 ? "" : "s"}, newest first.`;
}

function download(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

actions.addEventListener("click", async (event) => {
  const button = event.target instanceof Element ? event.target.closest("[data-export]") : null;
  if (!button) return;
  const papers = saved();
  const all = papers.map(bibtex).join("\n\n");
  if (button.dataset.export === "bibtex") download("saved-papers.bib", "application/x-bibtex", `${all}\n`);
  if (button.dataset.export === "csl") {
    download("saved-papers.json", "application/json", `${JSON.stringify(papers.map(cslJson), null, 2)}\n`);
  }
  if (button.dataset.export === "copy-bibtex") {
    const copied = actions.querySelector(".copy-status");
    try {
      await navigator.clipboard.writeText(all);
      copied.textContent = "BibTeX of every saved paper: copied.";
    } catch {
      copied.textContent = "Copying was refused by the browser; use Download BibTeX.";
    }
  }
});

render();
