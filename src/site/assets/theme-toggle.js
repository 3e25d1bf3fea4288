// The theme toggle's switch, loaded by app.js on the first click. The button's label (which theme
// it switches to) is chosen by the stylesheet from data-theme; theme-init.js applies the stored
// choice before the first paint of every page.
export function toggleTheme() {
  const root = document.documentElement;
  const dark = root.dataset.theme ? root.dataset.theme === "dark" : matchMedia("(prefers-color-scheme: dark)").matches;
  root.dataset.theme = dark ? "light" : "dark";
  try {
    localStorage.setItem("theme", root.dataset.theme);
  } catch {
    // Not kept when storage is blocked; the choice still holds for this page.
  }
}
