// The list of keyboard shortcuts, a modal dialog opened by "?" or the footer's hint (app.js). It is
// made, and its stylesheet fetched, on first use, so a day page's first visit carries neither.
// Escape or "Close" closes it, and focus goes back to where it was. It lists the keys of the page
// it is on: every page has /, ? and Esc, a day page also the keys of its papers (the focused one).

/** The keys app.js claims on a page with the day's papers; every page answers to ? and Esc. */
const PAPER_KEYS = [
  ["j", "Next paper"],
  ["k", "Previous paper"],
  ["o", "Open the focused paper on arXiv, in a new tab"],
  ["s", "Save the focused paper, or unsave it"],
  ["l", "Like the focused paper, or undo the like"],
];
const PAGE_KEYS = [
  ["?", "Show or hide this list"],
  ["Esc", "Close this list"],
];

/**
 * The keys this page answers to: the papers' only where there are papers, "o" only for one with an
 * arXiv page; / everywhere, said as what it does here (app.js).
 */
function keys() {
  const search = document.getElementById("search-input")
    ? ["/", "Go to the search box"]
    : ["/", "Search the archive (opens the search page)"];
  const page = [search, ...PAGE_KEYS];
  const cards = document.querySelectorAll(".papers .paper");
  if (cards.length === 0) return page;
  const arxiv = [...cards].some((card) => card.querySelector("h2 a"));
  return [...PAPER_KEYS.filter(([key]) => key !== "o" || arxiv), ...page];
}

/**
 * The / key (app.js): the search page's box, focused with its query selected so typing replaces it,
 * or from any other page the search page, which opens with its box focused (search.js).
 */
export function searchBox() {
  const box = document.getElementById("search-input");
  if (!box) return location.assign(`${document.documentElement.dataset.base ?? "/"}search/`);
  box.focus();
  box.select();
}

/** The dialog, once made (a promise, so two quick presses make one). */
let made;

async function make() {
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = new URL("shortcuts.css", import.meta.url).href;
  // Shown styled: opened once the stylesheet has arrived (or failed to).
  await new Promise((resolve) => {
    link.onload = link.onerror = resolve;
    document.head.append(link);
  });
  const dialog = document.createElement("dialog");
  dialog.className = "shortcuts";
  dialog.setAttribute("aria-labelledby", "shortcuts-title");
  dialog.innerHTML =
    '<h2 id="shortcuts-title">Keyboard shortcuts</h2><dl></dl><button class="shortcuts-close">Close</button>';
  const list = dialog.querySelector("dl");
  for (const [key, what] of keys()) {
    const row = document.createElement("div");
    row.append(document.createElement("dt"), document.createElement("dd"));
    row.firstChild.append(document.createElement("kbd"));
    row.firstChild.firstChild.textContent = key;
    row.lastChild.textContent = what;
    list.append(row);
  }
  dialog.querySelector(".shortcuts-close").addEventListener("click", () => dialog.close());
  document.body.append(dialog);
  return dialog;
}

/** Opens the list, or closes it when it is open. */
export async function toggleShortcuts() {
  const back = document.activeElement;
  made ??= make();
  const dialog = await made;
  if (dialog.open) {
    dialog.close();
    return;
  }
  dialog.addEventListener("close", () => back?.focus?.(), { once: true });
  dialog.showModal();
}
