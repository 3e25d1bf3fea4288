// Every page's script, kept to what a page needs before the reader acts: the feedback seam, and on
// a day page the controls only a script can run, which it therefore adds itself rather than the
// page carrying them in every card (pages/paper-card.tsx, whose title links the abstract page
// without it): per card the arXiv id, PDF and HTML links, the marks (👍 / 👎 / Save) and "more", and
// above the cards "Filter" and "Titles only".
// "more" acts at once; what the rarer controls do is loaded on the first use of one: the theme
// toggle's switch (theme-toggle.js), the list of keys (shortcuts.js), and the filters, "titles
// only", j/k, the marks, the citation buttons, the near misses and a linked card (day-actions.js,
// loaded at once when the page has stored marks to show or a card to open).
import "./feedback.js";

const root = document.documentElement;
let loading;
/** The rarer controls' behaviour, loaded once, on first use. */
const actions = () => {
  loading ??= import("./day-actions.js");
  return loading;
};

/** Elements made from markup written here, never from page text. */
function fragment(html) {
  const template = document.createElement("template");
  template.innerHTML = html;
  return template.content;
}

// (A button outside a form submits nothing: these need no type.)
const MARKS = fragment(
  "<span class=marks><button data-mark=up aria-pressed=false aria-label=Like>👍</button>" +
    "<button data-mark=down aria-pressed=false aria-label=Dislike>👎</button>" +
    "<button data-mark=save aria-pressed=false>Save</button></span>" +
    // Where the last click went (the workspace, a GitHub issue or this browser only): a line of
    // the row's own below the buttons, so it covers nothing (site.css).
    "<span role=status data-mark-status></span>",
);
// The arXiv id (linking the abstract page), the PDF and the HTML version.
const LINKS = fragment("<span class=paper-links><a class=arxiv-id></a><a>PDF</a><a>HTML</a></span>").firstChild;
// "more" sits on the folded abstract's last line.
const MORE = fragment("<button class=more aria-expanded=false>more</button>").firstChild;

/** What a card gets from the script; cards fetched later (near misses) get it from day-actions.js. */
function enhanceCard(card) {
  // Focus for j/k.
  card.tabIndex = -1;
  const meta = card.querySelector(".paper-meta");
  // The title links the paper's arXiv page when its id is one (pages/paper-card.tsx); arXiv has an
  // HTML version of new-scheme ids only (2301.01234, not hep-th/9901001: arxivHtmlUrl, format/text.ts).
  const abs = card.querySelector("h2 a")?.href;
  if (abs) {
    const id = abs.slice(abs.indexOf("/abs/") + 5);
    const links = LINKS.cloneNode(true);
    links.firstChild.textContent = `arXiv:${id}`;
    ["abs", "pdf", "html"].forEach((kind, i) => {
      links.children[i].href = abs.replace("/abs/", `/${kind}/`);
    });
    if (id.includes("/")) links.lastChild.remove();
    meta.append(links);
  }
  meta.append(MARKS.cloneNode(true));
  const abstract = card.querySelector("blockquote");
  abstract.id ||= `${card.id}-abstract`;
  const more = MORE.cloneNode(true);
  more.setAttribute("aria-controls", abstract.id);
  abstract.after(more);
}

/** Opens or folds a card; an opened card also shows its citation buttons (day-actions.js). */
function setOpen(card, open) {
  card.classList.toggle("open", open);
  const more = card.querySelector(".more");
  more.setAttribute("aria-expanded", String(open));
  more.textContent = open ? "less" : "more";
  if (open) void actions().then((m) => m.addCitationButtons(card));
}

const section = document.querySelector(".papers");

for (const card of document.querySelectorAll(".paper")) enhanceCard(card);

if (section) {
  // Only the script can run these, so the page does not carry them; the filters' fields are made
  // by day-actions.js when first opened.
  const toolbar = fragment(
    // Not a form: Enter in a field has nothing to submit.
    '<div class="filters"><button class="filter-toggle" aria-expanded="false">Filter</button>' +
      // "Titles only" is a reading preference: theme-init.js applies the stored one before paint.
      `<button class="density-toggle" aria-pressed="${root.dataset.density === "titles"}">Titles only</button></div>`,
  );
  section.before(toolbar);
  // The days' navigation again at the end of the page (day-page.tsx).
  const nav = document.querySelector(".day-nav").cloneNode(true);
  nav.setAttribute("aria-label", "Days, end of page");
  document.querySelector("main").append(nav);
}

document.addEventListener("click", (event) => {
  const button = event.target.closest?.("button");
  if (!button) return;
  if (button.matches(".theme-toggle")) void import("./theme-toggle.js").then((m) => m.toggleTheme());
  if (button.matches(".keys-hint")) void shortcuts();
  const card = button.closest(".paper");
  if (button.matches(".more")) setOpen(card, !card.classList.contains("open"));
  else if (card || button.closest(".filters")) void actions().then((m) => m.click(button, card));
});

// ? lists the keys on every page (shortcuts.js; Esc closes the list), and / puts the reader in the
// search box (shortcuts.js's searchBox, loaded on first use). On a day page j and k move
// between the papers (day-actions.js's move), and o, s and l open the focused paper on arXiv, save
// it or like it (its own link and buttons, as a click would). This only claims them, and not while
// the reader types or has the list open.
const shortcuts = () => import("./shortcuts.js").then((m) => m.toggleShortcuts());
const MARK_KEYS = { s: "save", l: "up" };
document.addEventListener("keydown", (event) => {
  const { key, target } = event;
  if (!/^[jkosl?/]$/.test(key) || event.ctrlKey || event.metaKey || event.altKey) return;
  if (target.closest?.("input, textarea, select, [contenteditable]")) return;
  if (key === "?") void shortcuts();
  else if (target.closest?.("dialog[open]")) return;
  else if (key === "/") void import("./shortcuts.js").then((m) => m.searchBox());
  else if (!section) return;
  else if (key === "j" || key === "k") void actions().then((m) => m.move(key === "j" ? 1 : -1));
  else {
    const card = target.closest?.(".paper");
    const control = key === "o" ? card?.querySelector("h2 a") : card?.querySelector(`[data-mark=${MARK_KEYS[key]}]`);
    if (!control) return;
    if (key === "o") window.open(control.href, "_blank", "noopener");
    else control.click();
  }
  event.preventDefault();
});
// Where a keyboard is likely (not a touch screen), the footer names the list of keys.
if (!matchMedia("(pointer: coarse)").matches) {
  document
    .querySelector(".site-footer")
    .prepend(fragment("<p><button class=keys-hint><kbd>?</kbd> for keyboard shortcuts</button></p>"));
}

const near = document.querySelector(".near-misses");
near?.addEventListener("toggle", () => {
  if (near.open) void actions().then((m) => m.loadNearMisses(near, enhanceCard));
});

// A link to a card (search result, feed) opens it; a reader with marks sees them on the cards, as
// do the workspace's marks that `serve` put in the page. The key and the id are marks.js's
// MARKS_KEY and SERVED_MARKS_ID (a test checks they agree): reading them here spares a first
// visit, which has no marks, the module that shows them.
if (location.hash.startsWith("#paper-")) void actions().then((m) => m.openLinkedCard(enhanceCard, setOpen));
try {
  if (document.getElementById("arxiv-digest-marks") || localStorage.getItem("arxiv-digest:marks"))
    void actions().then((m) => m.showStoredMarks());
} catch {
  // Storage blocked: no marks to show.
}
