/** Number and date wording shared by the pages and feeds. */
import { formatUsd } from "../format/text.js";

export function formatCount(n: number | null): string {
  return n === null ? "not recorded" : n.toLocaleString("en-US");
}

/**
 * A score as every page and search result shows it: one decimal at most, a trailing zero dropped
 * ("8", "8.5", 9.91 → "9.9", 7.96 → "8"), so an LLM's whole numbers and the offline ranking's
 * fractions read alike. The order of the papers still follows the unrounded score.
 */
export function formatScore(n: number | null): string {
  return n === null ? "–" : String(roundScore(n));
}

/** A score rounded as formatScore shows it, for the search index (whose results print it as is). */
export function roundScore(n: number): number {
  return Math.round(n * 10) / 10;
}

const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** "2026-02" → "February 2026" */
export function monthName(month: string): string {
  return `${MONTH_NAMES[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;
}

/** A cost in USD for the pages; null means some model had no known price. */
export function formatCost(usd: number | null): string {
  return usd === null ? "unpriced" : formatUsd(usd);
}

/**
 * TeX source (titles, abstracts) as plain readable text for places that cannot typeset it: search
 * snippets, feed titles, page descriptions. Common symbols become Unicode, other commands and
 * math delimiters are dropped, so "$\geq 95\%$" reads "≥ 95%".
 */
export function plainTex(source: string): string {
  // Most titles hold no TeX at all: only the spacing to tidy, and most need none (the search index
  // runs this on every paper).
  if (!TEX_CHARS.test(source)) return UNTIDY.test(source) ? source.replace(/\s+/g, " ").trim() : source;
  // Escaped characters are parked in the private-use area so the steps below cannot eat them.
  return source
    .replace(/\\([%&#_$])/g, (_, c: string) => String.fromCharCode(0xe000 + c.charCodeAt(0)))
    .replace(/\\([,;:! ]|\\)/g, " ")
    .replace(/\\([A-Za-z]+)/g, (_, name: string) => TEX_SYMBOLS[name] ?? "")
    .replace(/[${}]/g, "")
    .replace(/[\^_](?=\w)/g, "")
    .replace(/(?<!\/)~/g, " ")
    .replace(/[\ue000-\ue07f]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xe000))
    .replace(/\s+/g, " ")
    .trim();
}

/** The characters any step of plainTex acts on, besides spacing. */
const TEX_CHARS = /[\\${}^_~\ue000-\ue07f]/;
/** Spacing plainTex changes: a run of spaces, any other space character, or space at either end. */
const UNTIDY = /\s\s|[^\S ]|^\s|\s$/;

const TEX_SYMBOLS: Record<string, string> = {
  alpha: "α",
  beta: "β",
  gamma: "γ",
  delta: "δ",
  epsilon: "ε",
  varepsilon: "ε",
  theta: "θ",
  lambda: "λ",
  mu: "μ",
  pi: "π",
  rho: "ρ",
  sigma: "σ",
  tau: "τ",
  phi: "φ",
  chi: "χ",
  psi: "ψ",
  omega: "ω",
  Gamma: "Γ",
  Delta: "Δ",
  Theta: "Θ",
  Lambda: "Λ",
  Sigma: "Σ",
  Phi: "Φ",
  Omega: "Ω",
  leq: "≤ ",
  le: "≤ ",
  geq: "≥ ",
  ge: "≥ ",
  neq: "≠ ",
  approx: "≈ ",
  sim: "~",
  times: "× ",
  cdot: "·",
  pm: "±",
  infty: "∞",
  to: "→ ",
  rightarrow: "→ ",
  leftarrow: "← ",
  in: "∈ ",
  sqrt: "√",
  sum: "Σ",
  log: "log ",
  ell: "ℓ",
  partial: "∂",
  nabla: "∇",
  mathcal: "",
  mathbb: "",
  mathbf: "",
  mathrm: "",
  text: "",
  textbf: "",
  textit: "",
  emph: "",
};
