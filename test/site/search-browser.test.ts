/**
 * The search page in real Chromium, on math typed the ways a reader types it: TeX (`LoRA$^2$`,
 * `\tau`, `O(n^2)`), the typeset Unicode (`LoRA²`, `τ`) or a Greek letter's name (`tau`), each
 * finding the paper whose abstract has it, the paper with τ before an author a prefix matches,
 * and the matched word marked in the excerpt.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSite } from "../../src/site/build.js";
import { type ServedSite, serveSite } from "../../src/site/serve.js";
import { makeDay, makePaper } from "../helpers/day-factory.js";
import { launchChromium } from "./chromium.js";
import { memorySource } from "./memory-source.js";

const BASE = "/papers/";
const LORA = "2603.21884";
const LOOKAHEAD = "2603.20219";
const TAURA = "2603.13249";

let outDir: string;
let served: ServedSite;
let browser: Browser;
/** The one search page every query is typed into. */
let page: Page | undefined;
const problems: string[] = [];

beforeAll(async () => {
  outDir = join(await mkdtemp(join(tmpdir(), "search-browser-")), "site");
  const day = makeDay({
    date: "2026-03-24",
    papers: [
      makePaper({
        id: LORA,
        title: "Not All Layers Are Created Equal: Adaptive LoRA Ranks",
        abstract: "Our approach, LoRA$^2$, achieves a competitive trade-off at a lower rank.",
        comment: null,
      }),
      makePaper({
        id: LOOKAHEAD,
        title: "Thinking into the Future: Latent Lookahead Training",
        abstract: "The model feeds its hidden states back for $τ$ steps, at a cost of $O(n^2)$ in the length.",
        comment: null,
      }),
      // Listed, and "tau" starts the author's name: a prefix in the authors outweighs a word of an abstract.
      makePaper({
        id: TAURA,
        title: "Steering at the Source",
        authors: [{ name: "Kenjiro Taura", affiliations: [] }],
        abstract: "Style modulation in the residual stream.",
        comment: null,
      }),
    ],
  });
  await buildSite({
    source: memorySource([day]),
    outDir,
    site: { title: "Test digest", baseUrl: "https://example.org/papers/", basePath: BASE, outDir },
  });
  served = await serveSite(outDir, { port: 0, basePath: BASE });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await page?.close();
  await browser?.close();
  await served?.close();
  if (outDir) await rm(dirname(outDir), { recursive: true, force: true });
});

/** The ids of the results the search page lists for a query (typed, then submitted), and the marked words. */
async function results(query: string): Promise<{ ids: string[]; marked: string[] }> {
  if (!page) {
    page = await browser.newPage();
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`console error: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    await page.goto(new URL("search/", served.url).href);
  }
  const input = page.getByLabel("Words from a title, author, abstract or comment");
  await input.fill(query);
  await input.press("Enter");
  // The status names the query once its results are drawn.
  await page
    .locator(".search-status")
    .filter({ hasText: `“${query}”` })
    .waitFor();
  const hrefs = await page
    .locator(".search-results li > a:first-child")
    .evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
  const marked = await page.locator(".search-results mark").allTextContents();
  return { ids: hrefs.map((href) => /#paper-(.+)$/.exec(href)?.[1] ?? href), marked };
}

describe("search in Chromium finds math however it is typed", () => {
  it("finds LoRA² typed as TeX, as Unicode and as its base", async () => {
    for (const query of ["LoRA$^2$", "LoRA^2", "LoRA²"]) {
      const { ids, marked } = await results(query);
      expect(ids, query).toEqual([LORA]);
      expect(marked, query).toEqual(["LoRA²"]);
    }
    expect((await results("LoRA")).ids).toContain(LORA);
  });

  it("finds τ by its TeX, its character and its name, before an author whose name only starts with tau", async () => {
    for (const query of ["\\tau", "$\\tau$", "tau", "τ"]) {
      const { ids, marked } = await results(query);
      expect(ids, query).toEqual([LOOKAHEAD, TAURA]);
      expect(marked, query).toContain("τ");
    }
  });

  it("finds O(n²) typed as O(n^2)", async () => {
    const { ids, marked } = await results("O(n^2)");
    expect(ids).toEqual([LOOKAHEAD]);
    expect(marked).toEqual(["O", "n²"]);
  });

  it("logged no console or page errors", () => {
    expect(problems).toEqual([]);
  });
});

describe("the search box and the keyboard", () => {
  async function fresh(path: string): Promise<Page> {
    const tab = await browser.newPage();
    tab.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    tab.on("console", (m) => {
      if (m.type() === "error") problems.push(`console error: ${m.text()}`);
    });
    await tab.goto(new URL(path, served.url).href);
    return tab;
  }
  const focusedId = (tab: Page) => tab.evaluate(() => document.activeElement?.id ?? null);

  it("opens with the focus in the box, so a keyboard user types at once; not over a query's results", async () => {
    const tab = await fresh("search/");
    await expect.poll(() => focusedId(tab)).toBe("search-input");
    await tab.keyboard.type("LoRA");
    await tab.locator(".search-status").filter({ hasText: "“LoRA”" }).waitFor();
    // Opened on a query (a shared link, the back button): the results are what the reader came for.
    const withQuery = await fresh("search/?q=LoRA");
    await withQuery.locator(".search-status").filter({ hasText: "“LoRA”" }).waitFor();
    expect(await focusedId(withQuery)).not.toBe("search-input");
    await tab.close();
    await withQuery.close();
  });

  it("goes to the search box on /, from a day page and on the search page, and lists / with the keys", async () => {
    const tab = await fresh("2026/03/24/");
    await tab.locator(".site-footer .keys-hint").waitFor();
    await tab.keyboard.press("?");
    const dialog = tab.getByRole("dialog", { name: "Keyboard shortcuts" });
    await dialog.waitFor();
    expect(await dialog.locator("dl").innerText()).toMatch(/\/\s+Search the archive \(opens the search page\)/);
    await tab.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    await tab.keyboard.press("/");
    await tab.waitForURL((url) => url.pathname === `${BASE}search/`);
    await expect.poll(() => focusedId(tab)).toBe("search-input");
    // On the search page, / typed in the box is text; from elsewhere on the page it comes back to the box.
    await tab.keyboard.type("a/b");
    expect(await tab.getByLabel("Words from a title, author, abstract or comment").inputValue()).toBe("a/b");
    await tab.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    expect(await focusedId(tab)).not.toBe("search-input");
    await tab.keyboard.press("/");
    await expect.poll(() => focusedId(tab)).toBe("search-input");
    // The whole query is selected, so typing replaces it.
    await tab.keyboard.type("tau");
    expect(await tab.getByLabel("Words from a title, author, abstract or comment").inputValue()).toBe("tau");
    await tab.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await tab.keyboard.press("?");
    await dialog.waitFor();
    expect(await dialog.locator("dt").allTextContents()).toEqual(["/", "?", "Esc"]);
    expect(await dialog.locator("dl").innerText()).toMatch(/\/\s+Go to the search box/);
    await tab.close();
    expect(problems).toEqual([]);
  });
});
