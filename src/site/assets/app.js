// Behaviour shared by every page: theme toggle, paper filters, density, opening cards, j/k
// navigation, copy buttons and reader marks. Page data comes only from data-* attributes written
// at build time.
import { bibtex, paperFromCard } from "./cite.js";
import "./feedback-sinks.js";
import { readMarks, setMark } from "./marks.js";

const root = document.documentElement;
const darkQuery = matchMedia("(prefers-color-scheme: dark)");

function remember(key, value) {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // Not persisted when storage is blocked; the choice still holds for this page.
  }
}

function effectiveTheme() {
  return root.dataset.theme ?? (darkQuery.matches ? "dark" : "light");
}

// The button's label (which theme it switches to) is chosen by the stylesheet from data-theme.
function setUpThemeToggle() {
  const button = document.querySelector("[data-theme-toggle]");
  if (!button) return;
  button.addEventListener("click", () => {
    const next = effectiveTheme() === "dark" ? "light" : "dark";
    root.dataset.theme = next;
    remember("theme", next);
  });
}

function papers() {
  return [...document.querySelectorAll("[data-paper]")];
}

function setUpFilters() {
  const form = document.querySelector("[data-filters]");
  if (!form) return;
  const count = form.querySelector(".filter-count");
  const apply = () => {
    const minScore = Number(form.elements["min-score"].value) || 0;
    const topic = form.elements.topic.value;
    const authorsOnly = form.elements["author-match"].checked;
    let shown = 0;
    for (const card of papers()) {
      const score = card.dataset.score === "" ? Number.NEGATIVE_INFINITY : Number(card.dataset.score);
      const visible =
        (minScore <= 0 || score >= minScore) &&
        (topic === "" || card.dataset.topic === topic) &&
        (!authorsOnly || card.dataset.authorMatch === "yes");
      card.hidden = !visible;
      if (visible) shown++;
    }
    count.textContent = `Showing ${shown} of ${count.dataset.total} papers`;
  };
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", (event) => event.preventDefault());
}

// "Titles only" is a reading preference: theme-init.js applies the stored one before paint.
function setUpDensity() {
  const button = document.querySelector("[data-density-toggle]");
  if (!button) return;
  const show = () => button.setAttribute("aria-pressed", String(root.dataset.density === "titles"));
  button.hidden = false;
  show();
  button.addEventListener("click", () => {
    if (root.dataset.density === "titles") delete root.dataset.density;
    else root.dataset.density = "titles";
    remember("density", root.dataset.density ?? null);
    show();
  });
}

function setOpen(card, open) {
  card.classList.toggle("open", open);
  const more = card.querySelector("[data-more]");
  if (more) {
    more.setAttribute("aria-expanded", String(open));
    more.textContent = open ? "less" : "more";
  }
}

// Cards start folded (abstract clamped) only because this script can open them.
function setUpCards() {
  for (const more of document.querySelectorAll("[data-more]")) more.hidden = false;
  document.addEventListener("click", (event) => {
    const more = event.target instanceof Element ? event.target.closest("[data-more]") : null;
    if (!more) return;
    const card = more.closest(".paper");
    setOpen(card, !card.classList.contains("open"));
  });
  // A link to a card (search result, feed) opens it.
  const target = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
  if (target?.classList.contains("paper")) {
    const folded = target.closest("details");
    if (folded) folded.open = true;
    setOpen(target, true);
  }
}

function setUpKeyboard() {
  document.addEventListener("keydown", (event) => {
    if (event.key !== "j" && event.key !== "k") return;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target instanceof HTMLElement && target.closest("input, textarea, select, [contenteditable]")) return;
    const visible = papers().filter((card) => !card.hidden);
    if (visible.length === 0) return;
    const current = visible.findIndex((card) => card.contains(document.activeElement));
    const step = event.key === "j" ? 1 : -1;
    const index = current === -1 ? 0 : Math.min(visible.length - 1, Math.max(0, current + step));
    visible[index].focus();
    event.preventDefault();
  });
}

async function copy(button, text) {
  const status = button.parentElement?.querySelector(".copy-status");
  try {
    await navigator.clipboard.writeText(text);
    if (status) status.textContent = `${button.textContent.trim()}: copied.`;
  } catch {
    if (status) status.textContent = "Copying was refused by the browser; select the text by hand.";
  }
}

function setUpCopyButtons() {
  document.addEventListener("click", (event) => {
    const button =
      event.target instanceof Element ? event.target.closest("[data-copy-link], [data-copy-bibtex]") : null;
    const card = button?.closest(".paper");
    if (!card) return;
    if (button.matches("[data-copy-bibtex]")) {
      void copy(button, bibtex(paperFromCard(card)));
    } else {
      const day = card.closest("[data-day-url]")?.dataset.dayUrl ?? location.href.split("#")[0];
      void copy(button, `${day}#${card.id}`);
    }
  });
}

function showMarks(card, mark) {
  const state = { up: mark?.vote === "up", down: mark?.vote === "down", save: mark?.saved === true };
  for (const button of card.querySelectorAll("[data-mark]")) {
    button.setAttribute("aria-pressed", String(state[button.dataset.mark]));
    if (button.dataset.mark === "save") button.textContent = state.save ? "Saved" : "Save";
  }
  card.dataset.vote = mark?.vote ?? "";
}

function setUpMarks() {
  const cards = [...document.querySelectorAll(".paper[data-id]")];
  if (cards.length === 0) return;
  const marks = readMarks();
  for (const card of cards) showMarks(card, marks[card.dataset.id]);
  document.addEventListener("click", (event) => {
    const button = event.target instanceof Element ? event.target.closest("[data-mark]") : null;
    const card = button?.closest(".paper[data-id]");
    if (!card) return;
    const current = readMarks()[card.dataset.id];
    const kind = button.dataset.mark;
    const change =
      kind === "save" ? { saved: current?.saved !== true } : { vote: current?.vote === kind ? null : kind };
    const paper = paperFromCard(card);
    // The Saved page links back through the day's own address, not the root that shows it too.
    paper.path = `${root.dataset.base ?? "/"}${paper.date.replaceAll("-", "/")}/#${card.id}`;
    setMark(paper, change);
    showMarks(card, readMarks()[card.dataset.id]);
  });
}

setUpThemeToggle();
setUpFilters();
setUpDensity();
setUpCards();
setUpKeyboard();
setUpCopyButtons();
setUpMarks();
