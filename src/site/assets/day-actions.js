// What the rarer controls of a day page do; app.js adds the controls and loads this module on the
// first use of one: the filters, the marks, copying a card's link or BibTeX, the near misses
// fetched when their section is opened, and a linked card opened. A card is read as it is shown
// (pages/paper-card.tsx): its anchor holds the arXiv id, its text the rest.
import { mergeServedMarks, readMarks, setMark } from "./marks.js";

// The styles of what this module makes (day-actions.css): fetched with it, and awaited, so that
// nothing it adds is ever shown unstyled; a first visit that uses none of it fetches neither.
await new Promise((resolve) => {
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = new URL("day-actions.css", import.meta.url).href;
  link.onload = link.onerror = resolve;
  document.head.append(link);
});

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
const sinks = later(() =>
  import("./feedback-sinks.js").then(
    ({ deliver }) => window.arxivDigestFeedback.addSink(deliver),
    () => {},
  ),
);

const ANCHOR = "paper-";
const idOf = (card) => card.id.slice(ANCHOR.length);
const text = (card, selector) => card.querySelector(selector)?.textContent;

/**
 * Makes the filters' fields beside "Filter" (app.js) when first opened, then shows and hides them;
 * hiding them shows every paper again.
 */
function toggleFilters(button) {
  const open = button.getAttribute("aria-expanded") !== "true";
  button.setAttribute("aria-expanded", String(open));
  let fields = document.getElementById("filter-fields");
  if (!fields) {
    fields = document.createElement("span");
    fields.id = "filter-fields";
    fields.innerHTML =
      '<label>Minimum score <input type="number" name="min-score" min="0" max="20" value="0" inputmode="numeric"></label>' +
      '<label>Topic <select name="topic"><option value="">All topics</option></select></label>' +
      '<label><input type="checkbox" name="author-match"> Followed authors only</label>' +
      '<output class="filter-count" aria-live="polite"></output>' +
      // The keys are hinted at only where a keyboard is likely: not on a touch screen.
      (matchMedia("(pointer: coarse)").matches
        ? ""
        : '<span class="meta">Keys <kbd>j</kbd> and <kbd>k</kbd> move between the papers shown.</span>');
    const cards = [...document.querySelectorAll(".papers .paper")];
    const select = fields.querySelector("select");
    for (const topic of [...new Set(cards.map((card) => text(card, ".topic")).filter(Boolean))].sort()) {
      select.append(new Option(topic, topic));
    }
    button.setAttribute("aria-controls", fields.id);
    button.parentElement.append(fields);
    fields.addEventListener("input", () => filter(fields, cards));
    filter(fields, cards);
  }
  fields.hidden = !open;
  if (open) fields.querySelector("input").focus();
  else {
    for (const field of fields.querySelectorAll("input, select")) {
      field.value = field.defaultValue ?? "";
      field.checked = false;
    }
    fields.dispatchEvent(new Event("input"));
  }
}

/** Shows the papers the filters let through; a shown card keeps its rank in the day. */
function filter(fields, cards) {
  const [min, topic, authorsOnly] = fields.querySelectorAll("input, select");
  const minScore = Number(min.value) || 0;
  let shown = 0;
  cards.forEach((card, i) => {
    const score = Number(text(card, ".score")?.replace(/^\D+/, "")) || -1;
    card.hidden = !(
      (minScore <= 0 || score >= minScore) &&
      (topic.value === "" || text(card, ".topic") === topic.value) &&
      (!authorsOnly.checked || card.querySelector(".author-match"))
    );
    if (!card.hidden) shown++;
    // The rank is a CSS counter, which hidden cards do not count: set where one was skipped.
    card.style.counterSet = card.hidden || shown === i + 1 ? "" : `rank ${i}`;
  });
  fields.querySelector("output").value = `Showing ${shown} of ${cards.length} paper${cards.length === 1 ? "" : "s"}`;
}

/** Moves the focus to the next (step 1) or previous (-1) paper the filters show. */
export function move(step) {
  const cards = [...document.querySelectorAll(".papers .paper:not([hidden])")];
  const current = cards.findIndex((card) => card.contains(document.activeElement));
  cards[current === -1 ? 0 : Math.min(cards.length - 1, Math.max(0, current + step))]?.focus();
}

// A link to a card (search result, feed) opens it; a near miss's card is fetched first.
export async function openLinkedCard(enhanceCard, setOpen) {
  const id = decodeURIComponent(location.hash.slice(1));
  let target = document.getElementById(id);
  const near = document.querySelector(".near-misses");
  if (!target && near) {
    near.open = true;
    await loadNearMisses(near, enhanceCard);
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
export function loadNearMisses(details, enhanceCard) {
  if (!nearLoads.has(details)) nearLoads.set(details, fetchNearMisses(details, enhanceCard));
  return nearLoads.get(details);
}

async function fetchNearMisses(details, enhanceCard) {
  try {
    const link = details.querySelector(".near-misses-link");
    const response = await fetch(link.firstChild.href);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const found = [...page.querySelectorAll(".paper")].map((card) => document.adoptNode(card));
    if (found.length === 0) throw new Error("no cards");
    // Under serve, that page carries the workspace's marks on its papers.
    readMarks();
    mergeServedMarks(page);
    const marks = readMarks();
    for (const card of found) {
      enhanceCard(card);
      showMarks(card, marks[idOf(card)]);
    }
    link.replaceWith(...found);
  } catch {
    // The link stays: it opens the same cards as a page.
    nearLoads.delete(details);
  }
}

/** The citation buttons of an opened card, made when it is first opened. */
export function addCitationButtons(card) {
  if (card.querySelector(".paper-actions")) return;
  const actions = document.createElement("p");
  actions.className = "paper-actions";
  actions.innerHTML =
    '<button data-copy="link">Copy link</button><button data-copy="bibtex">Copy BibTeX</button>' +
    '<span class="copy-status" role="status"></span>';
  card.append(actions);
}

async function copy(button, value) {
  const status = button.parentElement.querySelector(".copy-status");
  try {
    await navigator.clipboard.writeText(value);
    status.textContent = `${button.textContent}: copied.`;
  } catch {
    status.textContent = "Copying was refused by the browser; select the text by hand.";
  }
}

function showMarks(card, mark) {
  const state = { up: mark?.vote === "up", down: mark?.vote === "down", save: mark?.saved === true };
  for (const button of card.querySelectorAll("[data-mark]")) {
    button.setAttribute("aria-pressed", String(state[button.dataset.mark]));
    if (button.dataset.mark === "save") button.textContent = state.save ? "Saved" : "Save";
  }
  card.dataset.vote = mark?.vote ?? "";
}

export function showStoredMarks() {
  const marks = readMarks();
  for (const card of document.querySelectorAll(".paper")) showMarks(card, marks[idOf(card)]);
  showLineMarks(marks);
}

/**
 * A month page's lists of papers (pages/month-page.tsx), whose lines link the cards: each line of a
 * paper the reader marked says so in words after its score ("👎 disliked · saved"), as the card's
 * pressed buttons do. The list is the archive's, so a disliked paper keeps its place.
 */
function showLineMarks(marks) {
  const lines = document.querySelectorAll(".top-papers li, .topic-list li");
  if (lines.length === 0) return;
  // A card's anchor as pages/urls.ts's paperAnchor writes it.
  const byAnchor = new Map(
    Object.entries(marks).map(([id, mark]) => [`${ANCHOR}${id.replace(/[^A-Za-z0-9.-]/g, "-")}`, mark]),
  );
  for (const line of lines) {
    const mark = byAnchor.get(line.querySelector("a")?.hash.slice(1));
    const words = [
      mark?.vote === "up" ? "👍 liked" : mark?.vote === "down" ? "👎 disliked" : "",
      mark?.saved ? "saved" : "",
    ].filter(Boolean);
    line.querySelector(".line-mark")?.remove();
    line.dataset.vote = mark?.vote ?? "";
    if (words.length === 0) continue;
    const label = document.createElement("span");
    label.className = "line-mark";
    label.textContent = ` ${words.join(" · ")}`;
    line.append(label);
  }
}

/** A card's citation data, read from what the card shows (pages/paper-card.tsx). */
function paperFromCard(card) {
  const authors = [];
  // Plain names are text separated by commas; a name with affiliations (or a comma) is an element.
  for (const node of card.querySelector("h2 + p")?.childNodes ?? []) {
    if (node.nodeType === Node.TEXT_NODE) authors.push(...node.textContent.split(","));
    else authors.push(node.firstChild?.textContent ?? "");
  }
  const date = card.closest("[data-date]")?.dataset.date ?? "";
  return {
    id: idOf(card),
    title: card.dataset.title ?? text(card, "h2") ?? "",
    authors: authors.map((name) => name.trim()).filter(Boolean),
    date,
    category: text(card, ".category") || undefined,
    doi: card.dataset.doi || undefined,
    // The Saved page links back through the day's own address, not the root that shows it too.
    path: `${document.documentElement.dataset.base ?? "/"}${date.replaceAll("-", "/")}/#${card.id}`,
  };
}

function mark(button, card) {
  const kind = button.dataset.mark;
  const paper = paperFromCard(card);
  // Clicks made while the sinks load are applied in order once they are there.
  void sinks().then(() => {
    const current = readMarks()[paper.id];
    setMark(
      paper,
      kind === "save" ? { saved: current?.saved !== true } : { vote: current?.vote === kind ? null : kind },
    );
    showMarks(card, readMarks()[paper.id]);
  });
}

function remember(key, value) {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // Not persisted when storage is blocked; the choice still holds for this page.
  }
}

/** "Titles only" is a reading preference: theme-init.js applies the stored one before paint. */
function toggleDensity(button) {
  const root = document.documentElement;
  if (root.dataset.density === "titles") delete root.dataset.density;
  else root.dataset.density = "titles";
  remember("density", root.dataset.density ?? null);
  button.setAttribute("aria-pressed", String(root.dataset.density === "titles"));
}

/** A click on a button of the toolbar or a card that app.js does not handle itself. */
export function click(button, card) {
  if (button.matches(".filter-toggle")) toggleFilters(button);
  else if (button.matches(".density-toggle")) toggleDensity(button);
  else if (button.matches("[data-mark]")) mark(button, card);
  else if (button.dataset.copy === "bibtex") {
    void citations().then(({ bibtex }) => copy(button, bibtex(paperFromCard(card))));
  } else if (button.dataset.copy === "link") {
    const day = card.closest("[data-day-url]")?.dataset.dayUrl ?? location.href.split("#")[0];
    void copy(button, `${day}#${card.id}`);
  }
}
