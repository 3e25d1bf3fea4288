// Behaviour shared by every page: theme toggle, paper filters, j/k navigation, copy buttons.
// Page data comes only from data-* attributes written at build time.

const root = document.documentElement;
const darkQuery = matchMedia("(prefers-color-scheme: dark)");

function effectiveTheme() {
  return root.dataset.theme ?? (darkQuery.matches ? "dark" : "light");
}

function setUpThemeToggle() {
  const button = document.querySelector("[data-theme-toggle]");
  if (!button) return;
  const show = () => button.setAttribute("aria-pressed", String(effectiveTheme() === "dark"));
  show();
  darkQuery.addEventListener("change", show);
  button.addEventListener("click", () => {
    const next = effectiveTheme() === "dark" ? "light" : "dark";
    root.dataset.theme = next;
    try {
      localStorage.setItem("theme", next);
    } catch {
      // Not persisted when storage is blocked; the choice still holds for this page.
    }
    show();
  });
}

function papers() {
  return [...document.querySelectorAll("[data-paper]")];
}

function setUpFilters() {
  const form = document.querySelector("[data-filters]");
  if (!form) return;
  const count = form.querySelector(".filter-count");
  const contents = new Map(
    [...document.querySelectorAll(".contents a")].map((a) => [a.hash.slice(1), a.closest("li")]),
  );
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
      const entry = contents.get(card.id);
      if (entry) entry.hidden = !visible;
      if (visible) shown++;
    }
    count.textContent = `Showing ${shown} of ${count.dataset.total} papers`;
  };
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", (event) => event.preventDefault());
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

function setUpCopyButtons() {
  document.addEventListener("click", async (event) => {
    const button = event.target instanceof Element ? event.target.closest("[data-copy]") : null;
    if (!button) return;
    const status = button.parentElement?.querySelector(".copy-status");
    try {
      await navigator.clipboard.writeText(button.dataset.copy);
      if (status) status.textContent = `${button.textContent.trim()}: copied.`;
    } catch {
      if (status) status.textContent = "Copying was refused by the browser; select the text by hand.";
    }
  });
}

setUpThemeToggle();
setUpFilters();
setUpKeyboard();
setUpCopyButtons();
