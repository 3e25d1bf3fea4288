// The list of keyboard shortcuts, a modal dialog opened by "?" or the footer's hint (app.js). It is
// made, and its stylesheet fetched, on first use, so a day page's first visit carries neither.
// Escape or "Close" closes it, and focus goes back to where it was.

/** Every key a page answers to; app.js claims them. */
const KEYS = [
  ["j", "Next paper"],
  ["k", "Previous paper"],
  ["?", "Show or hide this list"],
  ["Esc", "Close this list"],
];

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
  for (const [key, what] of KEYS) {
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
