/**
 * Screenshots of the built site for a human to look at: day, month, year, search, saved and feeds pages
 * at desktop (1366×900) and phone (390×844) sizes, light and dark, plus the day page in "titles
 * only" density and as printed, a card just marked (with what the click did), and the opened card
 * with the most formulas (math is MathML, drawn by the browser with a system math font). The site
 * is built from the reference fixtures (test/site/reference-site.ts) and served locally; Chromium
 * comes from the system (test/site/chromium.ts).
 *
 * Run: npx tsx scripts/screenshots.ts [out-dir]   (default: screenshots/, which git ignores)
 */
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { countMath, parseTex } from "../src/format/tex.js";
import { buildSite } from "../src/site/build.js";
import { serveSite } from "../src/site/serve.js";
import { dayPath } from "../src/site/urls.js";
import { launchChromium } from "../test/site/chromium.js";
import { memorySource } from "../test/site/memory-source.js";
import { BIG_DAY, referenceSite } from "../test/site/reference-site.js";

const outDir = resolve(process.argv[2] ?? "screenshots");
const BASE = "/papers/";
const SIZES = {
  desktop: { width: 1366, height: 900 },
  phone: { width: 390, height: 844 },
} as const;
const PAGES: Record<string, string> = {
  day: dayPath(BIG_DAY),
  month: `${BIG_DAY.slice(0, 7).replace("-", "/")}/`,
  year: `${BIG_DAY.slice(0, 4)}/`,
  archive: "archive/",
  search: "search/?q=diffusion",
  "search-id": "search/?q=2511.18936",
  saved: "saved/",
  feeds: "feeds/",
};

/** The selected paper with the most formulas in its title and abstract, and its day. */
function mostMath() {
  const count = (text: string) => countMath(parseTex(text));
  const papers = referenceSite().flatMap((day) =>
    day.papers
      .filter((p) => p.outcome === "selected")
      .map((p) => ({ date: day.date, id: p.id, n: count(p.title + p.abstract) })),
  );
  return papers.reduce((best, p) => (p.n > best.n ? p : best));
}
const math = mostMath();

// The build keeps its state beside the site folder: both go in one temporary folder.
const siteDir = join(await mkdtemp(join(tmpdir(), "screenshots-site-")), "site");
await mkdir(outDir, { recursive: true });
await buildSite({
  source: memorySource(referenceSite()),
  outDir: siteDir,
  site: { title: "arXiv digest", baseUrl: "https://example.org/papers/", basePath: BASE, outDir: siteDir },
});
const served = await serveSite(siteDir, { port: 0, basePath: BASE });
const browser = await launchChromium();
const written: string[] = [];
try {
  for (const [sizeName, viewport] of Object.entries(SIZES)) {
    for (const scheme of ["light", "dark"] as const) {
      const context = await browser.newContext({ viewport, colorScheme: scheme });
      const page = await context.newPage();
      // Something on the Saved page: save three papers of the big day, like one, dislike one.
      await page.goto(new URL(PAGES.day!, served.url).href);
      const cards = page.locator(".papers .paper");
      for (const i of [0, 2, 5]) await cards.nth(i).getByRole("button", { name: "Save", exact: true }).click();
      await cards.nth(0).getByRole("button", { name: "Like", exact: true }).click();
      await cards.nth(1).getByRole("button", { name: "Dislike" }).click();
      // Marks are applied once the module behind them has loaded.
      await cards.nth(1).locator('[data-mark="down"][aria-pressed="true"]').waitFor();
      // The card just marked, with the line that says what the click did (it goes after a few seconds).
      await cards.nth(1).locator("[data-mark-status]:not(:empty)").waitFor();
      const marked = join(outDir, `day-marked-${sizeName}-${scheme}.png`);
      await cards.nth(1).screenshot({ path: marked });
      written.push(marked);
      for (const [name, path] of Object.entries(PAGES)) {
        await page.goto(new URL(path, served.url).href);
        if (name.startsWith("search")) await page.locator(".search-results li").first().waitFor();
        await page.waitForLoadState("networkidle");
        const file = join(outDir, `${name}-${sizeName}-${scheme}.png`);
        await page.screenshot({ path: file });
        written.push(file);
        if (name === "month" || name === "year") {
          const full = join(outDir, `${name}-${sizeName}-${scheme}-full.png`);
          await page.screenshot({ path: full, fullPage: true });
          written.push(full);
        }
      }
      // A link to a card opens it.
      await page.goto(new URL(`${dayPath(math.date)}#paper-${math.id}`, served.url).href);
      const formulas = join(outDir, `day-math-${sizeName}-${scheme}.png`);
      await page.locator(`[id="paper-${math.id}"].open`).screenshot({ path: formulas });
      written.push(formulas);
      await page.goto(new URL(PAGES.day!, served.url).href);
      await page.locator(".papers .paper").nth(1).getByRole("button", { name: "more" }).click();
      await page.locator(".papers .paper").nth(1).getByRole("button", { name: "Copy BibTeX" }).waitFor();
      const opened = join(outDir, `day-opened-${sizeName}-${scheme}.png`);
      await page.locator(".papers .paper").nth(1).scrollIntoViewIfNeeded();
      await page.screenshot({ path: opened });
      written.push(opened);
      await page.getByRole("button", { name: "Titles only" }).click();
      await page.waitForFunction(() => document.documentElement.dataset.density === "titles");
      const titles = join(outDir, `day-titles-${sizeName}-${scheme}.png`);
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: titles });
      written.push(titles);
      await page.getByRole("button", { name: "Titles only" }).click();
      await page.waitForFunction(() => document.documentElement.dataset.density === undefined);
      if (sizeName === "desktop" && scheme === "light") {
        await page.emulateMedia({ media: "print" });
        const printed = join(outDir, "day-print.png");
        await page.screenshot({ path: printed });
        written.push(printed);
      }
      await context.close();
    }
  }
} finally {
  await browser.close();
  await served.close();
  await rm(dirname(siteDir), { recursive: true, force: true });
}
console.log(`${written.length} screenshots in ${outDir}`);
