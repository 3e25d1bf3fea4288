// Loaded as a blocking script in <head> so a stored theme applies before the first paint (no flash).
// Without a stored choice the stylesheet follows prefers-color-scheme.
try {
  const stored = localStorage.getItem("theme");
  if (stored === "light" || stored === "dark") document.documentElement.dataset.theme = stored;
} catch {
  // Storage may be blocked; the system preference then applies.
}
