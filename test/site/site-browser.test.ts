/**
 * The built site in real Chromium, served by serveSite under a sub-path: navigation, search,
 * filters, keyboard, theme, hostile input, accessibility and links.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSite } from "../../src/site/build.js";
import { type ServedSite, serveSite } from "../../src/site/serve.js";
import { dayPath } from "../../src/site/urls.js";
import { makeDay } from "../helpers/day-factory.js";
import { referenceDays } from "../helpers/reference.js";
import { launchChromium } from "./chromium.js";
import { hostileDay, PWNED } from "./hostile-day.js";
import { memorySource } from "./memory-source.js";

const BASE = "/papers/";
const HOSTILE_DATE = "2026-03-16";
const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

let outDir: string;
let served: ServedSite;
let browser: Browser;
const problems: string[] = [];
const reference = referenceDays();

async function open(path: string, options: Parameters<Browser["newPage"]>[0] = {}): Promise<Page> {
  const page = await browser.newPage(options);
  page.on("response", (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()} for ${r.url()} on ${path}`);
  });
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console error on ${path}: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error on ${path}: ${e.message}`));
  page.on("dialog", (d) => {
    problems.push(`dialog on ${path}: ${d.message()}`);
    void d.dismiss();
  });
  await page.goto(new URL(path, served.url).href);
  return page;
}

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), "site-browser-"));
  const days = [...reference].map(([date, papers]) => makeDay({ date, papers }));
  days.push(hostileDay(HOSTILE_DATE));
  await buildSite({
    source: memorySource(days),
    outDir,
    site: { title: "Test digest", baseUrl: "https://example.org/papers/", basePath: BASE, outDir },
  });
  served = await serveSite(outDir, { port: 0, basePath: BASE });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await served?.close();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

describe("site in Chromium", () => {
  it("walks day → previous → next → month → year and back", async () => {
    const page = await open("2026/02/13/");
    await page.getByRole("link", { name: "Previous Day 2026-02-05" }).first().click();
    await page.waitForURL((url) => url.pathname === `${BASE}2026/02/05/`);
    await expect(page.locator("h1").textContent()).resolves.toContain("2026-02-05");
    await page
      .getByRole("link", { name: /^Next Day 2026-02-13/ })
      .first()
      .click();
    await page.waitForURL((url) => url.pathname === `${BASE}2026/02/13/`);
    await page.getByRole("link", { name: "Monthly Overview 2026-02" }).first().click();
    await page.waitForURL((url) => url.pathname === `${BASE}2026/02/`);
    await expect(page.locator("h1").textContent()).resolves.toBe("February 2026");
    await page.getByRole("link", { name: "Year 2026" }).click();
    await page.waitForURL((url) => url.pathname === `${BASE}2026/`);
    await page.goBack();
    expect(new URL(page.url()).pathname).toBe(`${BASE}2026/02/`);
    await page.goBack();
    expect(new URL(page.url()).pathname).toBe(`${BASE}2026/02/13/`);
    await page.close();
  });

  it("shows the latest day at the root, with a canonical link to its day page", async () => {
    const page = await open("");
    await expect(page.locator("h1").textContent()).resolves.toContain(HOSTILE_DATE);
    await expect(page.locator('link[rel="canonical"]').getAttribute("href")).resolves.toBe(
      "https://example.org/papers/2026/03/16/",
    );
    await page.close();
  });

  it("finds a paper by a word of its abstract and links to its card", async () => {
    const page = await open("search/");
    await page.getByLabel("Words from a title, author, abstract or comment").fill("synthesizability");
    const first = page.locator(".search-results li a").first();
    await first.waitFor();
    await expect(page.locator(".search-results").textContent()).resolves.toContain(
      "Synthesizable Molecular Generation via Soft-constrained GFlowNets",
    );
    const link = page.locator(".search-results a", { hasText: "Synthesizable Molecular Generation" }).first();
    await link.click();
    await page.waitForURL(/#paper-2602\.04119$/);
    expect(new URL(page.url()).pathname).toBe(`${BASE}2026/02/05/`);
    await expect(page.locator("#paper-2602\\.04119 h3").textContent()).resolves.toContain("Synthesizable");
    await page.close();
  });

  it("searches the bundles of every year (2025 merged into 2026)", async () => {
    const page = await open("search/?q=LongCat-Flash-Omni");
    const link = page.locator(".search-results a", { hasText: "LongCat-Flash-Omni Technical Report" }).first();
    await link.waitFor();
    // The reference tool selected this paper on more than one November day.
    expect(await link.getAttribute("href")).toMatch(/^\/papers\/2025\/11\/\d\d\/#paper-2511\.00279$/);
    await expect(page.locator(".search-status").textContent()).resolves.toMatch(/match “LongCat-Flash-Omni”/);
    await page.close();
  });

  it("filters papers by minimum score, topic and followed author", async () => {
    const page = await open("2026/02/05/");
    const visible = () => page.locator("[data-paper]:visible").count();
    const scores = await page.locator("[data-paper]").evaluateAll((cards) =>
      cards.map((c) => ({
        score: Number((c as HTMLElement).dataset.score),
        topic: (c as HTMLElement).dataset.topic,
      })),
    );
    expect(await visible()).toBe(scores.length);
    await page.getByLabel("Minimum score").fill("18");
    expect(await visible()).toBe(scores.filter((s) => s.score >= 18).length);
    expect(await visible()).toBeLessThan(scores.length);
    await page.getByLabel("Minimum score").fill("0");
    const topic = scores.find((s) => s.topic)!.topic!;
    await page.getByLabel("Topic").selectOption(topic);
    expect(await visible()).toBe(scores.filter((s) => s.topic === topic).length);
    await page.getByLabel("Topic").selectOption("");
    await page.getByLabel("Followed authors only").check();
    expect(await visible()).toBe(1);
    await expect(page.locator(".filter-count").textContent()).resolves.toBe(`Showing 1 of ${scores.length} papers`);
    await page.close();
  });

  it("moves between papers with j and k", async () => {
    const page = await open("2026/02/05/");
    const focused = () => page.evaluate(() => document.activeElement?.id);
    const ids = await page.locator("[data-paper]").evaluateAll((cards) => cards.map((c) => c.id));
    await page.keyboard.press("j");
    expect(await focused()).toBe(ids[0]);
    await page.keyboard.press("j");
    expect(await focused()).toBe(ids[1]);
    await page.keyboard.press("j");
    await page.keyboard.press("k");
    expect(await focused()).toBe(ids[1]);
    await page.close();
  });

  it("copies a paper's BibTeX and link to the clipboard", async () => {
    const page = await open("2026/02/05/", { permissions: ["clipboard-read", "clipboard-write"] });
    const card = page.locator("#paper-2602\\.04119");
    await card.getByRole("button", { name: "Copy BibTeX" }).click();
    // The status is written once the clipboard promise settles.
    await card.locator(".copy-status", { hasText: "Copy BibTeX: copied." }).waitFor();
    const bibtex = await page.evaluate(() => navigator.clipboard.readText());
    expect(bibtex).toMatch(/^@misc\{kim2026synthesizable,\n {2}title = \{Synthesizable Molecular Generation/);
    expect(bibtex).toContain("eprint = {2602.04119}");
    await card.getByRole("button", { name: "Copy link" }).click();
    await card.locator(".copy-status", { hasText: "Copy link: copied." }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
      "https://example.org/papers/2026/02/05/#paper-2602.04119",
    );
    await page.close();
  });

  it("fits a phone screen without sideways scrolling", async () => {
    const page = await open("2026/02/05/", { viewport: { width: 360, height: 740 } });
    for (const path of ["2026/02/05/", "2026/02/", dayPath(HOSTILE_DATE)]) {
      await page.goto(new URL(path, served.url).href);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, path).toBeLessThanOrEqual(0);
    }
    await page.close();
  });

  it("toggles the theme, keeps it across reloads and starts from the system preference", async () => {
    const page = await open("2026/02/05/");
    await page.emulateMedia({ colorScheme: "dark" });
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const dark = await background();
    await page.getByRole("button", { name: "Dark theme" }).click();
    const light = await background();
    expect(light).not.toBe(dark);
    expect(await page.evaluate(() => localStorage.getItem("theme"))).toBe("light");
    await page.reload();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe("light");
    expect(await background()).toBe(light);
    await page.getByRole("button", { name: "Dark theme" }).click();
    expect(await background()).toBe(dark);
    await page.close();
  });

  it("runs nothing from hostile titles, abstracts, authors and comments and keeps cards boxed", async () => {
    const page = await open(dayPath(HOSTILE_DATE));
    await page.waitForLoadState("load");
    expect(await page.evaluate((flag) => (window as unknown as Record<string, unknown>)[flag], PWNED)).toBeUndefined();
    expect(await page.locator("body script, main img, main svg, main style, [onerror], [onload]").count()).toBe(0);
    expect(await page.locator('a[href^="javascript:"]').count()).toBe(0);
    const main = (await page.locator("main").boundingBox())!;
    const boxes = await page.locator("[data-paper]").evaluateAll((cards) =>
      cards.map((c) => {
        const r = c.getBoundingClientRect();
        return { x: r.x, width: r.width, height: r.height, parent: c.parentElement?.tagName };
      }),
    );
    expect(boxes).toHaveLength(11);
    for (const box of boxes) {
      expect(box.parent).toBe("SECTION");
      expect(box.height).toBeGreaterThan(50);
      expect(box.x).toBeGreaterThanOrEqual(main.x - 1);
      expect(box.x + box.width).toBeLessThanOrEqual(main.x + main.width + 1);
    }
    await expect(page.locator("[data-paper]").first().locator("h3").textContent()).resolves.toContain(
      `<script>window.${PWNED}=1</script>`,
    );
    const search = await open("search/?q=Mallory");
    await search.locator(".search-results li").first().waitFor();
    expect(await search.locator(".search-results img, .search-results script, [onerror]").count()).toBe(0);
    expect(
      await search.evaluate((flag) => (window as unknown as Record<string, unknown>)[flag], PWNED),
    ).toBeUndefined();
    await search.close();
    await page.close();
  });

  for (const scheme of ["light", "dark"] as const) {
    it(`has no serious or critical axe violations (${scheme})`, async () => {
      for (const path of ["2026/02/05/", "2026/02/", "2026/", "archive/", "search/", ""]) {
        // axe is injected as an inline script, which our CSP rightly refuses.
        const page = await open(path, { bypassCSP: true });
        await page.emulateMedia({ colorScheme: scheme });
        await page.addScriptTag({ path: axePath });
        const violations = await page.evaluate(async () => {
          const axe = (
            window as unknown as {
              axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> };
            }
          ).axe;
          const result = await axe.run();
          return result.violations
            .filter((v) => v.impact === "serious" || v.impact === "critical")
            .map(
              (v) =>
                `${v.id}: ${v.nodes
                  .slice(0, 3)
                  .map((n) => n.target.join(" "))
                  .join(", ")}`,
            );
        });
        expect(violations, `${path} in ${scheme}`).toEqual([]);
        await page.close();
      }
      // axe over six large pages takes 10-20 s on a busy two-core machine.
    }, 120_000);
  }

  it("resolves every internal link and asset under the base path", async () => {
    const seen = new Map<string, number>();
    const queue = [served.url];
    const origin = new URL(served.url).origin;
    while (queue.length > 0) {
      const url = queue.pop()!;
      if (seen.has(url)) continue;
      const res = await fetch(url);
      seen.set(url, res.status);
      if (!(res.headers.get("content-type") ?? "").startsWith("text/html")) continue;
      const html = await res.text();
      for (const [, ref] of html.matchAll(/(?:href|src)="([^"]+)"/g)) {
        const target = new URL(ref!.replaceAll("&amp;", "&"), url);
        if (target.origin !== origin) continue;
        expect(target.pathname.startsWith(BASE), `${ref} on ${url}`).toBe(true);
        target.hash = "";
        queue.push(target.href);
      }
    }
    const broken = [...seen].filter(([, status]) => status !== 200);
    expect(broken).toEqual([]);
    expect(seen.size).toBeGreaterThan(reference.size + 10);
    expect((await fetch(new URL("/2026/02/05/", served.url))).status).toBe(404);
  });

  it("logged no console errors, page errors or dialogs", () => {
    expect(problems).toEqual([]);
  });
});
