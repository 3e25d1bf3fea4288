/**
 * arXiv's subject categories, from its public category taxonomy (https://arxiv.org/category_taxonomy),
 * as data: a config naming a category that is not here is rejected with the closest real one.
 * Archives without subject classes (hep-th, quant-ph, …) are categories themselves. The archive
 * names of the others (cs, math, physics, …) are accepted too: their feeds carry the whole archive.
 */
import { closest } from "./suggest.js";

/** Archive → its subject classes, space-separated (empty: the archive is itself a category). */
const TAXONOMY: Record<string, string> = {
  // Computer Science
  cs: "AI AR CC CE CG CL CR CV CY DB DC DL DM DS ET FL GL GR GT HC IR IT LG LO MA MM MS NA NE NI OH OS PF PL RO SC SD SE SI SY",
  // Economics
  econ: "EM GN TH",
  // Electrical Engineering and Systems Science
  eess: "AS IV SP SY",
  // Mathematics
  math: "AC AG AP AT CA CO CT CV DG DS FA GM GN GR GT HO IT KT LO MG MP NA NT OA OC PR QA RA RT SG SP ST",
  // Physics
  "astro-ph": "CO EP GA HE IM SR",
  "cond-mat": "dis-nn mes-hall mtrl-sci other quant-gas soft stat-mech str-el supr-con",
  "gr-qc": "",
  "hep-ex": "",
  "hep-lat": "",
  "hep-ph": "",
  "hep-th": "",
  "math-ph": "",
  nlin: "AO CD CG PS SI",
  "nucl-ex": "",
  "nucl-th": "",
  physics:
    "acc-ph ao-ph app-ph atm-clus atom-ph bio-ph chem-ph class-ph comp-ph data-an ed-ph flu-dyn gen-ph geo-ph hist-ph " +
    "ins-det med-ph optics plasm-ph pop-ph soc-ph space-ph",
  "quant-ph": "",
  // Quantitative Biology
  "q-bio": "BM CB GN MN NC OT PE QM SC TO",
  // Quantitative Finance
  "q-fin": "CP EC GN MF PM PR RM ST TR",
  // Statistics
  stat: "AP CO ME ML OT TH",
};

export const ARXIV_TAXONOMY: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  Object.entries(TAXONOMY).map(([archive, classes]) => [archive, classes.split(" ").filter(Boolean)]),
);

/** Every name a config may list: each category, and each archive. */
export const ARXIV_CATEGORIES: readonly string[] = Object.entries(ARXIV_TAXONOMY).flatMap(([archive, classes]) => [
  archive,
  ...classes.map((c) => `${archive}.${c}`),
]);

const known = new Set(ARXIV_CATEGORIES);
const byLowerCase = new Map(ARXIV_CATEGORIES.map((c) => [c.toLowerCase(), c]));

export function isArxivCategory(name: string): boolean {
  return known.has(name);
}

/**
 * The real category closest to `name` (`cs.lg` → `cs.LG`, `hep-thh` → `hep-th`), or null when none
 * is close. A subject class written under another archive comes first (`cs.ML` → `stat.ML`,
 * `stat.LG` → `cs.LG`, `cs.SP` → "eess.SP or math.SP"): the reader knows the class and misplaced
 * it, so a same-archive name an edit away (`cs.CL`) would mislead.
 */
export function suggestCategory(name: string): string | null {
  const lower = name.trim().toLowerCase();
  const elsewhere = otherArchives(lower);
  if (elsewhere.length > 0) return elsewhere.join(" or ");
  // Short names are all near each other (any cs.?? is two edits from cs.LG): allow one edit there.
  const maxEdits = lower.length <= 6 ? 1 : 2;
  return byLowerCase.get(lower) ?? closest(lower, [...byLowerCase.keys()], maxEdits, (c) => byLowerCase.get(c)!);
}

/**
 * The real categories with the subject class of `archive.class` under other archives, when there
 * are one to three (a class in more, GN say, tells too little to choose); none for a real category.
 */
function otherArchives(lower: string): string[] {
  if (byLowerCase.has(lower)) return [];
  const dot = lower.indexOf(".");
  if (dot < 1) return [];
  const cls = lower.slice(dot + 1);
  const found = ARXIV_CATEGORIES.filter((c) => {
    const i = c.indexOf(".");
    return i > 0 && c.slice(i + 1).toLowerCase() === cls && c.slice(0, i) !== lower.slice(0, dot);
  });
  return found.length <= 3 ? found : [];
}
