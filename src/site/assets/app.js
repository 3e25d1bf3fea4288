// Behaviour shared by every page: theme toggle, paper filters, density, opening cards, j/k
// navigation, copy buttons, reader marks and the near misses fetched when opened. Page data comes
// from data-* attributes and the cards' text as written at build time (pages/paper-card.tsx).
// What only a click needs (citations, the feedback sinks) is loaded on the first such click.
import { readMarks, setMark } from "./marks.js";

/** A module loaded once, on first use. */
function later(load) {
  let loading;
  return () => {
    loading ??= load();
    return loading;
  };
}
const citations = later(() => import("./cite.js"));
// Every mark change goes through the sinks, so they are loaded before the first one is made.
const sinks = later(() => import("./feedback-sinks.js").catch(() => {}));

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
        (!authorsOnly || card.hasAttribute("data-author-match"));
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

function button(text, attribute, attributes = {}) {
  const element = document.createElement("button");
  element.type = "button";
  element.textContent = text;
  element.setAttribute(attribute, "");
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  return element;
}

// The controls only this script runs: "more" (cards start folded only because it can open them)
// and the citation buttons an opened card shows.
function enhanceCard(card) {
  const abstract = card.querySelector(".abstract");
  if (abstract) {
    abstract.id ||= `${card.id}-abstract`;
    const more = button("more", "data-more", { class: "more", "aria-expanded": "false", "aria-controls": abstract.id });
    abstract.after(more);
  }
  const actions = document.createElement("p");
  actions.className = "paper-actions";
  const status = document.createElement("span");
  status.className = "copy-status";
  status.setAttribute("role", "status");
  actions.append(button("Copy link", "data-copy-link"), button("Copy BibTeX", "data-copy-bibtex"), status);
  card.append(actions);
}

function cards(scope = document) {
  return [...scope.querySelectorAll(".paper[data-id]")];
}

function setUpCards() {
  for (const card of cards()) enhanceCard(card);
  document.addEventListener("click", (event) => {
    const more = event.target instanceof Element ? event.target.closest("[data-more]") : null;
    if (!more) return;
    const card = more.closest(".paper");
    setOpen(card, !card.classList.contains("open"));
  });
}

// A link to a card (search result, feed) opens it; a near miss's card is fetched first.
async function openLinkedCard() {
  const id = location.hash ? decodeURIComponent(location.hash.slice(1)) : "";
  if (!id.startsWith("paper-")) return;
  let target = document.getElementById(id);
  const near = document.querySelector("details[data-near-misses]");
  if (!target && near) {
    near.open = true;
    await loadNearMisses(near);
    target = document.getElementById(id);
    target?.scrollIntoView();
  }
  if (!target?.classList.contains("paper")) return;
  const folded = target.closest("details");
  if (folded) folded.open = true;
  setOpen(target, true);
}

// The near misses' cards live on a page of their own, fetched when the section is first opened.
const nearLoads = new WeakMap();
function loadNearMisses(details) {
  if (!nearLoads.has(details)) nearLoads.set(details, fetchNearMisses(details));
  return nearLoads.get(details);
}

async function fetchNearMisses(details) {
  const link = details.querySelector(".near-misses-link");
  try {
    const response = await fetch(details.dataset.nearMisses);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const found = cards(page).map((card) => document.adoptNode(card));
    if (found.length === 0) throw new Error("no cards");
    const marks = readMarks();
    for (const card of found) {
      enhanceCard(card);
      showMarks(card, marks[card.dataset.id]);
    }
    link?.replaceWith(...found);
  } catch {
    // The link stays: it opens the same cards as a page.
    nearLoads.delete(details);
  }
}

function setUpNearMisses() {
  const details = document.querySelector("details[data-near-misses]");
  details?.addEventListener("toggle", () => {
    if (details.open) void loadNearMisses(details);
  });
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
      void citations().then(({ bibtex }) => copy(button, bibtex(paperFromCard(card))));
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

/** A card's citation data, read from what the card shows (pages/paper-card.tsx). */
function paperFromCard(card) {
  const d = card.dataset;
  const authors = [];
  // Plain names are text separated by commas; a name with affiliations (or a comma) is an element.
  for (const node of card.querySelector(".authors")?.childNodes ?? []) {
    if (node.nodeType === Node.TEXT_NODE) authors.push(...node.textContent.split(","));
    else authors.push(node.firstChild?.textContent ?? "");
  }
  return {
    id: d.id,
    title: d.title ?? card.querySelector(".paper-title")?.lastElementChild?.textContent ?? "",
    authors: authors.map((name) => name.trim()).filter(Boolean),
    date: card.closest("[data-date]")?.dataset.date ?? "",
    category: card.querySelector(".category")?.textContent || undefined,
    doi: d.doi || undefined,
  };
}

function setUpMarks() {
  const marks = readMarks();
  for (const card of cards()) showMarks(card, marks[card.dataset.id]);
  document.addEventListener("click", (event) => {
    const button = event.target instanceof Element ? event.target.closest("[data-mark]") : null;
    const card = button?.closest(".paper[data-id]");
    if (!card) return;
    const kind = button.dataset.mark;
    const paper = paperFromCard(card);
    // The Saved page links back through the day's own address, not the root that shows it too.
    paper.path = `${root.dataset.base ?? "/"}${paper.date.replaceAll("-", "/")}/#${card.id}`;
    // Clicks made while the sinks load are applied in order once they are there.
    void sinks().then(() => {
      const current = readMarks()[card.dataset.id];
      const change =
        kind === "save" ? { saved: current?.saved !== true } : { vote: current?.vote === kind ? null : kind };
      setMark(paper, change);
      showMarks(card, readMarks()[card.dataset.id]);
    });
  });
}

setUpThemeToggle();
setUpFilters();
setUpDensity();
setUpCards();
setUpKeyboard();
setUpCopyButtons();
setUpMarks();
setUpNearMisses();
void openLinkedCard();
