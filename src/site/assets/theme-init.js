// Loaded as a blocking script in <head> so stored reading preferences apply before the first paint
// (no flash): the theme (without a stored choice the stylesheet follows prefers-color-scheme) and
// the "titles only" density. The "js" class lets the stylesheet fold abstracts only when the
// script that unfolds them will run.
const root = document.documentElement;
root.classList.add("js");
try {
  const { theme, density } = localStorage;
  if (theme === "light" || theme === "dark") root.dataset.theme = theme;
  if (density === "titles") root.dataset.density = density;
} catch {
  // Storage may be blocked; the defaults then apply.
}
