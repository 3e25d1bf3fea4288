/**
 * The built site in real Chromium, served by serveSite under a sub-path: navigation, search,
 * filters, keyboard, theme, hostile input, accessibility and links.
 */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { calendarVerdict } from "../../src/arxiv/calendar.js";
import { holidayTable } from "../../src/arxiv/holidays.js";
import { buildSite } from "../../src/site/build.js";
import { nearMisses } from "../../src/site/day-summary.js";
import { type ServedSite, serveSite } from "../../src/site/serve.js";
import { dayAboutPath, dayPath, nearMissesPath, paperAnchor } from "../../src/site/urls.js";
import { makeDay } from "../helpers/day-factory.js";
import { referenceDays } from "../helpers/reference.js";
import { launchChromium } from "./chromium.js";
import { hostileDay, PWNED } from "./hostile-day.js";
import { memorySource } from "./memory-source.js";
import { BIG_DAY, referenceSite } from "./reference-site.js";

const BASE = "/papers/";
const HOSTILE_DATE = "2026-03-16";
/** A weekend and the Tuesday Martin Luther King Jr. Day emptied, recorded as `run` records them. */
const NO_ANNOUNCEMENT = ["2026-01-17", "2026-01-18", "2026-01-20"];
/** Runs that missed their announcement, recorded as `run` records them: a stale feed, then one that could not be read. */
const MISSED = [
  { date: "2026-01-21", code: "stale", message: "The feed still serves an earlier announcement; run again later." },
  { date: "2026-01-22", code: "failed", message: "No feed could be read. Nothing was published; run again later." },
] as const;
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
  // The build keeps its state beside the site folder: both go in this test's own folder.
  outDir = join(await mkdtemp(join(tmpdir(), "site-browser-")), "site");
  const days = referenceSite();
  days.push(hostileDay(HOSTILE_DATE));
  for (const date of NO_ANNOUNCEMENT) {
    days.push(makeDay({ date, papers: [], status: calendarVerdict(date, holidayTable([], []))! }));
  }
  for (const { date, code, message } of MISSED) days.push(makeDay({ date, papers: [], status: { code, message } }));
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
  if (outDir) await rm(dirname(outDir), { recursive: true, force: true });
});

describe("site in Chromium", () => {
  it("walks day → previous → next → month → year and back", async () => {
    const page = await open("2026/02/13/");
    await page.getByRole("link", { name: "Previous day 2026-02-05" }).first().click();
    await page.waitForURL((url) => url.pathname === `${BASE}2026/02/05/`);
    await expect(page.locator("h1").textContent()).resolves.toContain("2026-02-05");
    await page
      .getByRole("link", { name: /^Next day 2026-02-13/ })
      .first()
      .click();
    await page.waitForURL((url) => url.pathname === `${BASE}2026/02/13/`);
    await page.getByRole("link", { name: "Month overview 2026-02" }).first().click();
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

  it("says at a weekend's or a holiday's address what it is, and shows it in the month's calendar unlinked", async () => {
    const saturday = await open("2026/01/17/");
    await expect(saturday.locator("h1").textContent()).resolves.toBe("Saturday 2026-01-17: no arXiv announcement");
    await expect(saturday.locator(".day-summary").textContent()).resolves.toContain(
      "the next announcement is Monday 2026-01-19's, made Sunday 2026-01-18 at 20:00 ET.",
    );
    // Not a stop of its own: its links lead to the announcement days around it.
    await saturday.getByRole("link", { name: "Next day 2026-01-19" }).first().click();
    await saturday.waitForURL((url) => url.pathname === `${BASE}2026/01/19/`);
    await expect(
      saturday
        .getByRole("link", { name: /^Next day/ })
        .first()
        .textContent(),
    ).resolves.toContain("2026-01-26");
    await saturday.close();

    const month = await open("2026/01/");
    const cell = (day: number) =>
      month.locator(".calendar td", { has: month.locator(`.date-number:text-is("${day}")`) });
    for (const day of [17, 18, 20]) await expect(cell(day).locator("a").count()).resolves.toBe(0);
    await expect(cell(19).locator("a").count()).resolves.toBe(1);
    await expect(month.locator(".day-list").textContent()).resolves.not.toMatch(/2026-01-(17|18|20)/);
    await month.close();
  });

  it("says at a weekend's address no run recorded that it is a weekend, and links its month's calendar", async () => {
    // Not `open`: the address is meant to answer 404.
    const page = await browser.newPage();
    const answer = await page.goto(new URL("2026/02/07/", served.url).href);
    expect(answer?.status()).toBe(404);
    await expect.poll(() => page.locator("h1").textContent()).toBe("Saturday 2026-02-07: no arXiv announcement");
    await expect(page.locator("main p").textContent()).resolves.toBe(
      "arXiv announces nothing on weekends, so no digest carries this date. The calendar of February 2026 shows the announcement days around it.",
    );
    await page.getByRole("link", { name: "calendar of February 2026" }).click();
    await page.waitForURL((url) => url.pathname === `${BASE}2026/02/`);
    // A weekday without a page: one of the reasons the calendar tells apart.
    await page.goto(new URL("2026/01/08/", served.url).href);
    await expect.poll(() => page.locator("h1").textContent()).toBe("Thursday 2026-01-08: no digest here");
    await expect(page.locator("main p").textContent()).resolves.toContain("The calendar of January 2026 says which.");
    // Any other address is simply not found.
    await page.goto(new URL("2026/02/31/", served.url).href);
    await expect(page.locator("h1").textContent()).resolves.toBe("Page not found");
    await page.close();
  });

  it("names every holiday in the month's calendar, record or not, and a missed announcement day as no digest", async () => {
    const month = await open("2026/01/");
    const cell = (day: number) =>
      month.locator(".calendar td", { has: month.locator(`.date-number:text-is("${day}")`) });
    // Friday 2 (the feed after New Year's Day) has no record; Tuesday 20 has the holiday's record.
    for (const [day, holiday] of [
      [2, "New Year's Day"],
      [20, "Martin Luther King Jr. Day"],
    ] as const) {
      const label = cell(day).locator(".day-label");
      // The eye reads the muted words: the day after the holiday (its announcement was the evening
      // before); the pointer gets the calendar's sentence, which `render` says too, and so does a screen reader.
      await expect(label.innerText()).resolves.toMatch(new RegExp(`^after ${holiday}\\b`));
      const date = `2026-01-${String(day).padStart(2, "0")}`;
      const name = `after ${holiday}. ${calendarVerdict(date, holidayTable([], []))!.message}`;
      expect(name).toContain("(a holiday); those submissions go out with the next announcement");
      await expect(label.getAttribute("title")).resolves.toBe(name);
      await expect(label.locator(".visually-hidden").boundingBox()).resolves.toMatchObject({ width: 1, height: 1 });
      await expect(month.getByRole("cell", { name: `${day} ${name}`, exact: true }).count()).resolves.toBe(1);
      await expect(cell(day).locator("a").count()).resolves.toBe(0);
      const [muted, body] = await Promise.all([
        label.evaluate((e) => getComputedStyle(e).color),
        month.locator("body").evaluate((e) => getComputedStyle(e).color),
      ]);
      expect(muted).not.toBe(body);
    }
    // Thursday 8 and Wednesday 21 to Friday 23: announcement days the archive holds no digest of
    // (21 and 22 have the records of runs that missed the announcement, named by their status; the others none at all).
    const noDigest = {
      8: "nothing archived for this announcement day",
      21: "recorded as stale: the feed still served an earlier announcement, and no paper was kept",
      22: "recorded as failed: the run could not read this announcement, and no paper was kept",
      23: "nothing archived for this announcement day",
    };
    for (const [day, reason] of Object.entries(noDigest)) {
      await expect(
        month.getByRole("cell", { name: `${day} no digest (${reason})`, exact: true }).count(),
      ).resolves.toBe(1);
      await expect(cell(Number(day)).locator("a").count()).resolves.toBe(0);
    }
    // A weekend without a record says nothing; neither does a day after the archive's last (below).
    await expect(cell(10).textContent()).resolves.toBe("10");
    await expect(month.locator(".no-digest, .no-announcement .day-label").count()).resolves.toBe(6);
    await month.close();
    const march = await open("2026/03/");
    await expect(
      march.locator(".calendar td", { has: march.locator('.date-number:text-is("31")') }).textContent(),
    ).resolves.toBe("31");
    await march.close();
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
    await expect(page.locator("#paper-2602\\.04119 h2").textContent()).resolves.toContain("Synthesizable");
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
    const visible = () => page.locator(".papers .paper:visible").count();
    // What each card shows (pages/paper-card.tsx): "Score 17", the topic chip.
    const scores = await page.locator(".papers .paper").evaluateAll((cards) =>
      cards.map((c) => ({
        score: Number(c.querySelector(".score")?.textContent?.replace(/^\D+/, "")),
        topic: c.querySelector(".topic")?.textContent,
      })),
    );
    expect(await visible()).toBe(scores.length);
    // The fields are made when "Filter" first opens them.
    await page.getByRole("button", { name: "Filter" }).click();
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
    const ids = await page.locator(".papers .paper").evaluateAll((cards) => cards.map((c) => c.id));
    // The first key loads what moves the focus; the moves then follow in order.
    await page.keyboard.press("j");
    await expect.poll(focused).toBe(ids[0]);
    await page.keyboard.press("j");
    await expect.poll(focused).toBe(ids[1]);
    await page.keyboard.press("j");
    await page.keyboard.press("k");
    await expect.poll(focused).toBe(ids[1]);
    await page.close();
  });

  it("lists the keys on ? in a dialog that Escape closes, focus going back; the footer names it", async () => {
    const page = await open("2026/02/05/");
    const focused = () => page.evaluate(() => document.activeElement?.id);
    const first = await page.locator(".papers .paper").first().getAttribute("id");
    const hint = page.locator(".site-footer").getByRole("button", { name: "? for keyboard shortcuts" });
    await hint.waitFor();
    await page.keyboard.press("j");
    await expect.poll(focused).toBe(first);
    const dialog = page.getByRole("dialog", { name: "Keyboard shortcuts" });
    await page.keyboard.press("?");
    await dialog.waitFor();
    expect(await dialog.locator("dl").innerText()).toMatch(/j\s+Next paper\s+k\s+Previous paper/);
    // Modal: focus is inside it, and j does not move the papers behind it.
    expect(await page.evaluate(() => document.activeElement?.closest("dialog") !== null)).toBe(true);
    await page.keyboard.press("j");
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    await expect.poll(focused).toBe(first);
    // The footer's hint opens it too, ? closes it, and focus goes back to the hint.
    await hint.click();
    await dialog.waitFor();
    await page.keyboard.press("?");
    await dialog.waitFor({ state: "hidden" });
    expect(await page.evaluate(() => document.activeElement?.className)).toBe("keys-hint");
    // A ? typed into a field is the reader's text, not a shortcut.
    await page.getByRole("button", { name: "Filter" }).click();
    await page.getByLabel("Minimum score").focus();
    await page.keyboard.press("?");
    await page.keyboard.press("j");
    expect(await dialog.isVisible()).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("min-score");
    await page.close();
  });

  it("opens, saves and likes the focused paper with o, s and l, and lists those keys", async () => {
    const page = await open("2026/02/05/");
    // arXiv is not reached: its page is answered here.
    await page
      .context()
      .route("https://arxiv.org/**", (route) => route.fulfill({ contentType: "text/html", body: "arXiv" }));
    const cards = page.locator(".papers .paper");
    const first = cards.first();
    const id = (await first.getAttribute("id"))!.slice("paper-".length);
    // Nothing focused: the keys do nothing.
    await page.keyboard.press("s");
    await page.keyboard.press("j");
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe(`paper-${id}`);
    const opened = page.context().waitForEvent("page");
    await page.keyboard.press("o");
    const tab = await opened;
    expect(tab.url()).toBe(`https://arxiv.org/abs/${id}`);
    await tab.close();
    const save = first.locator("[data-mark=save]");
    const like = first.locator("[data-mark=up]");
    await page.keyboard.press("s");
    await expect.poll(() => save.getAttribute("aria-pressed")).toBe("true");
    await page.keyboard.press("l");
    await expect.poll(() => like.getAttribute("aria-pressed")).toBe("true");
    await page.keyboard.press("l");
    await expect.poll(() => like.getAttribute("aria-pressed")).toBe("false");
    await page.keyboard.press("s");
    await expect.poll(() => save.getAttribute("aria-pressed")).toBe("false");
    // Only the first card was marked, and the focus stayed on it.
    expect(await cards.nth(1).locator("[aria-pressed=true]").count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(`paper-${id}`);
    await page.keyboard.press("?");
    const list = page.getByRole("dialog", { name: "Keyboard shortcuts" }).locator("dl");
    await list.waitFor();
    expect(await list.locator("dt").allTextContents()).toEqual(["j", "k", "o", "s", "l", "/", "?", "Esc"]);
    await page.close();
  });

  it("lists the keys on ? on every page, only those the page has, and closes the list on Escape", async () => {
    const page = await open("search/");
    for (const path of ["search/", "archive/", "2026/", "2026/02/", "saved/", "feeds/"]) {
      await page.goto(new URL(path, served.url).href);
      const hint = page.locator(".site-footer").getByRole("button", { name: "? for keyboard shortcuts" });
      await hint.waitFor();
      // The search page opens with the focus in its box, where ? is text: the keys are pressed outside it.
      if (path === "search/") {
        await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("search-input");
        await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      }
      await page.keyboard.press("?");
      const dialog = page.getByRole("dialog", { name: "Keyboard shortcuts" });
      await dialog.waitFor();
      expect(await dialog.locator("dt").allTextContents(), path).toEqual(["/", "?", "Esc"]);
      await page.keyboard.press("Escape");
      await dialog.waitFor({ state: "hidden" });
      // No paper keys here: the script leaves j, o, s and l to the browser (window hears them after it).
      await page.evaluate(() => {
        const w = window as unknown as { claimed: string[] };
        w.claimed = [];
        addEventListener("keydown", (e) => e.defaultPrevented && w.claimed.push(e.key));
      });
      for (const key of ["j", "k", "o", "s", "l"]) await page.keyboard.press(key);
      await page.keyboard.press("?");
      await dialog.waitFor();
      await page.keyboard.press("?");
      await dialog.waitFor({ state: "hidden" });
      expect(await page.evaluate(() => (window as unknown as { claimed: string[] }).claimed), path).toEqual(["?", "?"]);
    }
    // On the search page a ? typed into the field is text.
    await page.goto(new URL("search/", served.url).href);
    const field = page.getByLabel("Words from a title, author, abstract or comment");
    await field.fill("what?");
    expect(await page.getByRole("dialog").count()).toBe(0);
    await page.close();
  });

  it("passes axe with the keys' dialog open, light and dark", async () => {
    const page = await open("2026/02/05/", { bypassCSP: true });
    await page.locator(".keys-hint").click();
    await page.getByRole("dialog", { name: "Keyboard shortcuts" }).waitFor();
    await page.addScriptTag({ path: axePath });
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      const violations = await page.evaluate(async () => {
        const axe = (
          window as unknown as {
            axe: { run(context: string): Promise<{ violations: { id: string; impact: string }[] }> };
          }
        ).axe;
        const result = await axe.run("dialog");
        return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id);
      });
      expect(violations, scheme).toEqual([]);
    }
    await page.close();
  });

  it("copies a paper's BibTeX and link to the clipboard", async () => {
    const page = await open("2026/02/05/", { permissions: ["clipboard-read", "clipboard-write"] });
    const card = page.locator("#paper-2602\\.04119");
    // Citation buttons belong to an opened card.
    await card.getByRole("button", { name: "more" }).click();
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

  it("gives a touch screen's card buttons and links a target of at least 24 px, and no hint at keys", async () => {
    const page = await open("2026/02/05/", { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    expect(await page.evaluate(() => matchMedia("(pointer: coarse)").matches)).toBe(true);
    const card = page.locator(".papers .paper").first();
    const targets = card.locator(".marks button, .paper-links a:visible, .more").or(page.locator(".day-nav a"));
    await targets.first().waitFor();
    const sizes = await targets.evaluateAll((elements) =>
      elements.map((e) => {
        const r = e.getBoundingClientRect();
        return `${e.textContent} ${Math.round(r.width)}×${Math.round(r.height)}`;
      }),
    );
    expect(sizes.length).toBeGreaterThanOrEqual(7);
    for (const size of sizes) {
      const [width, height] = size.split(" ").at(-1)!.split("×").map(Number);
      expect(height, size).toBeGreaterThanOrEqual(24);
      expect(width, size).toBeGreaterThanOrEqual(24);
    }
    // "j and k" mean nothing without a keyboard, and the footer names no keys.
    expect(await page.locator(".keys-hint").count()).toBe(0);
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(page.locator("#filter-fields .meta").isVisible()).resolves.toBe(false);
    await page.close();
  });

  it("leads from the header to the Feeds page, whose copy buttons copy, and which fits a phone", async () => {
    const page = await open("2026/02/05/", {
      viewport: { width: 390, height: 844 },
      permissions: ["clipboard-read", "clipboard-write"],
    });
    await page.getByRole("navigation", { name: "Site" }).getByRole("link", { name: "Feeds" }).click();
    await page.waitForURL((url) => url.pathname === `${BASE}feeds/`);
    const atom = page.locator('[data-feed-name="Atom feed"]');
    await expect(atom.locator("code").textContent()).resolves.toBe("https://example.org/papers/feed.xml");
    // Every topic feed the build wrote is listed, each with its button.
    const topics = (await readdir(join(outDir, "feeds"))).filter((f) => f.endsWith(".xml"));
    expect(topics.length).toBeGreaterThan(3);
    await page.locator(".feed-url button").first().waitFor();
    expect(await page.locator(".feed-url button").count()).toBe(topics.length + 2);
    await atom.getByRole("button", { name: "Copy the address of the Atom feed" }).click();
    await atom.locator(".copy-status", { hasText: "Copied." }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe("https://example.org/papers/feed.xml");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.close();

    // Where the page may not write the clipboard (permissions granted: none), there is no button:
    // the address is there to select.
    const refused = await open("feeds/", { permissions: [] });
    await refused.waitForLoadState("networkidle");
    const state = await refused.evaluate(
      async () => (await navigator.permissions.query({ name: "clipboard-write" as PermissionName })).state,
    );
    expect(state).toBe("denied");
    expect(await refused.locator(".feed-url button").count()).toBe(0);
    await expect(refused.locator('[data-feed-name="JSON Feed"] code').textContent()).resolves.toBe(
      "https://example.org/papers/feed.json",
    );
    await refused.close();
  });

  it("gives a preview's own feed addresses while site.baseUrl is the default, and says where published ones come from", async () => {
    // A site built with the default baseUrl, served as `serve` would on a port of its own.
    const previewDir = join(dirname(outDir), "preview");
    await buildSite({
      source: memorySource(referenceSite().slice(-2)),
      outDir: previewDir,
      site: { title: "Preview", baseUrl: "http://localhost:8080/", basePath: BASE, outDir: previewDir },
    });
    const preview = await serveSite(previewDir, { port: 0, basePath: BASE });
    try {
      const page = await browser.newPage({ permissions: ["clipboard-read", "clipboard-write"] });
      await page.goto(new URL("feeds/", preview.url).href);
      const origin = new URL(preview.url).origin;
      const atom = page.locator('[data-feed-name="Atom feed"]');
      await atom.getByRole("button", { name: "Copy the address of the Atom feed" }).click();
      await atom.locator(".copy-status", { hasText: "Copied." }).waitFor();
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      expect(copied).toBe(`${origin}${BASE}feed.xml`);
      await expect(atom.locator("code").textContent()).resolves.toBe(copied);
      // Every address shown is one this server answers.
      for (const url of await page.locator(".feed-url code").allTextContents()) {
        expect(url.startsWith(`${origin}${BASE}`), url).toBe(true);
        expect((await fetch(url)).status, url).toBe(200);
      }
      await expect(page.locator("[data-preview-base]").textContent()).resolves.toMatch(
        new RegExp(
          `follow site\\.baseUrl in the config, which is still http://localhost:8080/: .* Shown here: the addresses of this preview, ${origin}\\.$`,
        ),
      );
      await page.close();
    } finally {
      await preview.close();
    }
    // A site with its own address shows it, and no note (the test above: https://example.org/papers/).
    const page = await open("feeds/");
    await expect(page.locator("[data-preview-base]").count()).resolves.toBe(0);
    await page.close();
  });

  it("shows no export buttons on the Saved page while nothing is saved", async () => {
    const page = await open("saved/");
    await expect.poll(() => page.locator("[data-saved-status]").textContent()).toMatch(/Nothing saved yet/);
    for (const name of ["Download BibTeX", "Download CSL-JSON", "Copy all BibTeX"]) {
      await expect(page.getByRole("button", { name }).isVisible()).resolves.toBe(false);
    }
    await page.close();
  });

  it("lists saved papers by the time of the save, those saved together by their day newest first, then id", async () => {
    const page = await open("saved/");
    const together = "2026-03-01T10:00:00.000Z";
    const mark = (id: string, date: string, at: string) => [
      id,
      { vote: null, saved: true, at, paper: { id, title: `Paper ${id}`, authors: [], date, path: "/" } },
    ];
    const marks = Object.fromEntries([
      mark("2601.00003", "2026-01-05", together),
      mark("2602.00002", "2026-02-05", together),
      mark("2601.00001", "2026-02-05", together),
      mark("2601.00009", "2026-01-02", "2026-03-02T08:00:00.000Z"),
      mark("2602.00004", "2026-02-13", "2026-02-20T08:00:00.000Z"),
    ]);
    await page.evaluate((m) => localStorage.setItem("arxiv-digest:marks", JSON.stringify(m)), marks);
    await page.reload();
    await expect
      .poll(() => page.locator(".saved-item > a").allTextContents())
      .toEqual(["2601.00009", "2601.00001", "2602.00002", "2601.00003", "2602.00004"].map((id) => `Paper ${id}`));
    await expect(page.locator("[data-saved-status]").textContent()).resolves.toBe("5 saved papers, newest first.");
    await page.close();
  });

  it("toggles the theme, keeps it across reloads and starts from the system preference", async () => {
    const page = await open("2026/02/05/");
    await page.emulateMedia({ colorScheme: "dark" });
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const dark = await background();
    // The toggle names the theme it switches to; its first click loads the switch.
    await page.getByRole("button", { name: "Light theme" }).click();
    await expect.poll(background).not.toBe(dark);
    const light = await background();
    expect(await page.evaluate(() => localStorage.getItem("theme"))).toBe("light");
    await page.reload();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe("light");
    expect(await background()).toBe(light);
    await expect(page.getByRole("button", { name: "Light theme" }).count()).resolves.toBe(0);
    await page.getByRole("button", { name: "Dark theme" }).click();
    await expect.poll(background).toBe(dark);
    await page.close();
  });

  it("shows the theme toggle only where a script can run it, from the first paint", async () => {
    const still = await browser.newPage({ javaScriptEnabled: false });
    await still.goto(new URL("2026/02/05/", served.url).href);
    expect(await still.locator(".theme-toggle").isVisible()).toBe(false);
    expect(await still.getByRole("button", { name: /theme/ }).count()).toBe(0);
    await still.close();
    // The head's theme-init.js shows it before the first paint, not app.js once loaded: with app.js
    // doing nothing it is there all the same, so nothing moves when the module arrives.
    const page = await browser.newPage();
    await page.route("**/assets/app.js", (route) => route.fulfill({ contentType: "text/javascript", body: "" }));
    await page.goto(new URL("2026/02/05/", served.url).href);
    expect(await page.locator(".keys-hint").count()).toBe(0);
    await expect(page.getByRole("button", { name: "Dark theme" }).isVisible()).resolves.toBe(true);
    await page.close();
  });

  it("runs nothing from hostile titles, abstracts, authors and comments and keeps cards boxed", async () => {
    const page = await open(dayPath(HOSTILE_DATE));
    await page.waitForLoadState("load");
    expect(await page.evaluate((flag) => (window as unknown as Record<string, unknown>)[flag], PWNED)).toBeUndefined();
    expect(await page.locator("body script, main img, main svg, main style, [onerror], [onload]").count()).toBe(0);
    expect(await page.locator('a[href^="javascript:"]').count()).toBe(0);
    // Links from TeX (\href, \url) go to http(s) URLs only, and give the page no opener.
    const texLinks = await page.locator('main a[rel~="nofollow"]').evaluateAll((as) => as.map((a) => a.outerHTML));
    expect(texLinks).toEqual([
      '<a href="https://e.org/%22%3E%3Csvg%20onload=alert(4)%3E" rel="nofollow noopener"><b>&lt;b onclick=alert(5)&gt;</b></a>',
    ]);
    const main = (await page.locator("main").boundingBox())!;
    const boxes = await page.locator(".papers .paper").evaluateAll((cards) =>
      cards.map((c) => {
        const r = c.getBoundingClientRect();
        return { x: r.x, width: r.width, height: r.height, parent: c.parentElement?.tagName };
      }),
    );
    expect(boxes).toHaveLength(12);
    for (const box of boxes) {
      expect(box.parent).toBe("SECTION");
      expect(box.height).toBeGreaterThan(50);
      expect(box.x).toBeGreaterThanOrEqual(main.x - 1);
      expect(box.x + box.width).toBeLessThanOrEqual(main.x + main.width + 1);
    }
    await expect(page.locator(".papers .paper").first().locator("h2").textContent()).resolves.toContain(
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
      for (const path of [
        dayPath(BIG_DAY),
        `${dayPath(BIG_DAY)}near-misses.html`,
        "2026/02/05/",
        "2026/01/17/",
        "2026/01/",
        "2026/02/",
        "2026/",
        "archive/",
        "search/?q=diffusion",
        "saved/",
        "feeds/",
        "",
      ]) {
        // axe is injected as an inline script, which our CSP rightly refuses.
        const page = await open(path, { bypassCSP: true });
        await page.emulateMedia({ colorScheme: scheme });
        if (path.includes("?q=")) await page.locator(".search-results li").first().waitFor();
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

/** Where each paper card of the page starts and ends, in page pixels. */
async function cardBoxes(page: Page) {
  return page.locator(".papers .paper").evaluateAll((cards) =>
    cards.map((c) => ({
      top: c.getBoundingClientRect().top + scrollY,
      bottom: c.getBoundingClientRect().bottom + scrollY,
    })),
  );
}

describe("a day a researcher reads every morning", () => {
  const screens = { desktop: { width: 1366, height: 900 }, phone: { width: 390, height: 844 } } as const;
  const bigDay = referenceSite().find((d) => d.date === BIG_DAY)!;
  const picked = bigDay.papers.filter((p) => p.outcome === "selected");
  const OLD_ID = "hep-th/9901001";

  it("is the real 43-paper day with papers the filter left out", () => {
    expect(picked).toHaveLength(43);
    expect(bigDay.papers.length).toBeGreaterThan(picked.length);
  });

  for (const [name, viewport] of Object.entries(screens)) {
    it(`starts the first paper within the first screen (${name} ${viewport.width}×${viewport.height})`, async () => {
      const page = await open(dayPath(BIG_DAY), { viewport });
      const boxes = await cardBoxes(page);
      expect(boxes).toHaveLength(43);
      const first = boxes[0]!;
      // Measured numbers for the report: offset of the first card and cards per screen.
      const heights = boxes.map((b) => b.bottom - b.top);
      const median = [...heights].sort((a, b) => a - b)[Math.floor(heights.length / 2)]!;
      console.log(
        `${name}: first card at ${Math.round(first.top)} px (${(first.top / viewport.height).toFixed(2)} screens), ` +
          `median card ${Math.round(median)} px, ${(viewport.height / median).toFixed(1)} cards per screen`,
      );
      expect(first.top + 60).toBeLessThan(viewport.height);
      if (name === "desktop") {
        // Scrolled to the first card, at least four whole cards fit on the screen.
        const fits = boxes.filter((b) => b.top >= first.top && b.bottom <= first.top + viewport.height).length;
        expect(fits).toBeGreaterThanOrEqual(4);
      }
      // Every card shows its arXiv id, on a phone too.
      await expect(page.locator(".papers .arxiv-id").first().isVisible()).resolves.toBe(true);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await page.close();
    });
  }

  for (const [name, viewport] of Object.entries(screens)) {
    it(`says what a mark's click did without covering the card's text or moving its buttons (${name})`, async () => {
      const page = await open(dayPath(BIG_DAY), { viewport });
      const card = page.locator(".papers .paper").nth(1);
      const status = card.getByRole("status");
      const like = card.getByRole("button", { name: "Like", exact: true });
      const comment = card.locator(".comment").first();
      await like.waitFor();
      // In view first, so the click scrolls nothing and boxes compare as they are.
      await card.scrollIntoViewIfNeeded();
      // Empty, the status takes no room: the comment sits where it would without it.
      const quiet = (await comment.boundingBox())!.y;
      expect((await status.boundingBox())?.height ?? 0).toBe(0);
      const without = await card.evaluate((c) => {
        const s = c.querySelector("[data-mark-status]")!;
        s.setAttribute("hidden", "");
        const y = c.querySelector(".comment")!.getBoundingClientRect().y;
        s.removeAttribute("hidden");
        return y;
      });
      expect(Math.abs(quiet - without)).toBeLessThan(0.5);
      const button = (await like.boundingBox())!;
      await like.click();
      await expect.poll(() => status.textContent()).toBe("Liked in this browser.");
      await expect(status.getAttribute("role")).resolves.toBe("status");
      const shown = (await status.boundingBox())!;
      expect(shown.height).toBeGreaterThan(0);
      expect((await like.boundingBox())!).toEqual(button);
      // Nothing of the card's text lies under the status: the comment, the abstract and the rest moved down.
      const overlaps = await card.evaluate((c, box) => {
        const hit: string[] = [];
        for (const e of c.querySelectorAll(
          "h2, h2 + p, .paper-meta > :not([data-mark-status]), .comment, blockquote, .more",
        )) {
          const r = e.getBoundingClientRect();
          const apart =
            r.right <= box.x || r.left >= box.x + box.width || r.bottom <= box.y || r.top >= box.y + box.height;
          if (!apart && r.width > 0 && r.height > 0) hit.push(e.tagName + (e.className ? `.${e.className}` : ""));
        }
        return hit;
      }, shown);
      expect(overlaps).toEqual([]);
      expect((await comment.boundingBox())!.y).toBeGreaterThanOrEqual(shown.y + shown.height);
      await page.close();
    });
  }

  it("puts the model's comment before the abstract, folds the abstract and opens it with “more”", async () => {
    const page = await open(dayPath(BIG_DAY));
    const card = page.locator(".papers .paper").first();
    const order = await card.evaluate((c) => {
      const comment = c.querySelector(".comment")!;
      const abstract = c.querySelector("blockquote")!;
      return comment.compareDocumentPosition(abstract) & Node.DOCUMENT_POSITION_FOLLOWING;
    });
    expect(order).toBeTruthy();
    // Folded, a card cuts neither the comment nor up to three lines of authors: only the abstract.
    const cut = await page.locator(".papers .paper").evaluateAll((cards) =>
      cards.map((c) => {
        const lines = (e: Element) =>
          e.getBoundingClientRect().height / Number.parseFloat(getComputedStyle(e).lineHeight);
        const authors = c.querySelector("h2 + p")!;
        const comment = c.querySelector(".comment")!;
        return {
          comment: comment.scrollHeight > comment.clientHeight + 1,
          authors: Math.round(lines(authors)),
          authorsCut: authors.scrollHeight > authors.clientHeight + 1,
        };
      }),
    );
    expect(cut.filter((c) => c.comment)).toEqual([]);
    for (const c of cut) if (c.authorsCut) expect(c.authors).toBe(3);
    expect(Math.max(...cut.map((c) => c.authors))).toBeLessThanOrEqual(3);
    const abstract = card.locator("blockquote");
    const folded = (await abstract.boundingBox())!.height;
    const more = card.getByRole("button", { name: "more" });
    await expect(more.getAttribute("aria-expanded")).resolves.toBe("false");
    await more.click();
    expect((await abstract.boundingBox())!.height).toBeGreaterThan(folded * 1.5);
    await expect(card.getByRole("button", { name: "less" }).getAttribute("aria-expanded")).resolves.toBe("true");
    await page.close();
  });

  it("typesets an abstract's \\textbf as bold text, not as its TeX source", async () => {
    const paper = picked.find((p) => /\\textbf\{[A-Za-z]{4,}\}/.test(p.abstract))!;
    const word = /\\textbf\{([A-Za-z]{4,})\}/.exec(paper.abstract)![1]!;
    const page = await open(dayPath(BIG_DAY));
    const abstract = page.locator(`[id="${paperAnchor(paper.id)}"] blockquote`);
    await expect(abstract.textContent()).resolves.not.toContain("\\textbf");
    const bold = abstract.locator("b", { hasText: word }).first();
    expect(await bold.evaluate((b) => Number(getComputedStyle(b).fontWeight))).toBeGreaterThanOrEqual(600);
    await page.close();
  });

  it("links an address written in an abstract, the sentence's full stop left out", async () => {
    const paper = picked.find((p) => /https:\/\/github\.com\/\S+\.$/.test(p.abstract));
    const day = paper ? BIG_DAY : "2025-05-19";
    const target =
      paper ??
      referenceSite()
        .find((d) => d.date === day)!
        .papers.find((p) => p.id === "2505.12079")!;
    const url = /https:\/\/github\.com\/\S+(?=\.$)/.exec(target.abstract)![0];
    const page = await open(dayPath(day));
    const link = page.locator(`[id="${paperAnchor(target.id)}"] blockquote a`);
    expect(await link.count()).toBe(1);
    await expect(link.getAttribute("href")).resolves.toBe(url);
    await expect(link.textContent()).resolves.toBe(url);
    await expect(link.getAttribute("rel")).resolves.toBe("nofollow noopener");
    await page.close();
  });

  it("shows every abstract in full without JavaScript", async () => {
    const page = await browser.newPage({ javaScriptEnabled: false });
    await page.goto(new URL(dayPath(BIG_DAY), served.url).href);
    const card = page.locator(".papers .paper").first();
    const style = await card.locator("blockquote").evaluate((a) => getComputedStyle(a).webkitLineClamp);
    expect(style).toBe("none");
    await expect(card.getByRole("button", { name: "more" }).count()).resolves.toBe(0);
    await page.close();
  });

  it("lets a reader without JavaScript open every paper's abstract page, and adds the id, PDF and HTML links with it", async () => {
    const page = await browser.newPage({ javaScriptEnabled: false });
    for (const [path, selector, papers] of [
      [dayPath(BIG_DAY), ".papers .paper", picked],
      [nearMissesPath(BIG_DAY), ".near-miss", nearMisses(bigDay)],
    ] as const) {
      await page.goto(new URL(path, served.url).href);
      const shown = await page.locator(selector).evaluateAll((cards) =>
        cards.map((card) => {
          const visible = (a: HTMLAnchorElement) => a.checkVisibility() && a.getBoundingClientRect().width > 0;
          const links = [...card.querySelectorAll("a")].filter(visible);
          return { id: card.id, links: links.map((a) => `${a.closest("h2") ? "title" : a.textContent} ${a.href}`) };
        }),
      );
      expect(shown.map((c) => c.id)).toEqual(papers.map((p) => paperAnchor(p.id)));
      for (const card of shown) {
        const id = card.id.slice("paper-".length);
        expect(card.links, path).toContain(`title https://arxiv.org/abs/${id}`);
      }
    }
    await page.close();
    // With scripts, every card of the day ends its score line with the id, the PDF and (a new-scheme
    // id: arXiv renders no other) the HTML version.
    // The first card's id turned into an old-scheme one on the way, which has no HTML version.
    const first = picked[0]!.id;
    const withScripts = await browser.newPage();
    const dayUrl = new URL(dayPath(BIG_DAY), served.url).href;
    await withScripts.route(dayUrl, async (route) => {
      const response = await route.fetch();
      await route.fulfill({
        response,
        body: (await response.text()).replaceAll(paperAnchor(first), paperAnchor(OLD_ID)).replaceAll(first, OLD_ID),
      });
    });
    await withScripts.goto(dayUrl);
    await withScripts.locator(".papers .paper .paper-links").first().waitFor();
    const added = await withScripts
      .locator(".papers .paper")
      .evaluateAll((cards) =>
        cards.map((card) =>
          [...card.querySelectorAll(".paper-links a")].map((a) => `${a.textContent} ${(a as HTMLAnchorElement).href}`),
        ),
      );
    const ids = [OLD_ID, ...picked.slice(1).map((p) => p.id)];
    expect(added).toHaveLength(ids.length);
    for (const [i, links] of added.entries()) {
      const id = ids[i]!;
      const html = id === OLD_ID ? [] : [`HTML https://arxiv.org/html/${id}`];
      expect(links).toEqual([`arXiv:${id} https://arxiv.org/abs/${id}`, `PDF https://arxiv.org/pdf/${id}`, ...html]);
    }
    await withScripts.close();
  });

  it("shows no control without JavaScript that only a script can run", async () => {
    const page = await browser.newPage({ javaScriptEnabled: false });
    const pages = [
      dayPath(BIG_DAY),
      nearMissesPath(BIG_DAY),
      dayAboutPath(BIG_DAY),
      "2025/11/",
      "2025/",
      "archive/",
      "search/",
      "search/?q=diffusion",
      "saved/",
      "feeds/",
    ];
    for (const path of pages) {
      await page.goto(new URL(path, served.url).href);
      const controls = await page
        .locator("button, input, select, textarea")
        .evaluateAll((all) => all.filter((c) => c.checkVisibility()).map((c) => c.outerHTML.slice(0, 80)));
      expect(controls, path).toEqual([]);
    }
    // The search page says why it has no search box, and where to look instead.
    await page.goto(new URL("search/", served.url).href);
    await expect(page.locator("main").textContent()).resolves.toContain(
      "Search runs in your browser and needs JavaScript.",
    );
    await page.getByRole("link", { name: "archive", exact: true }).click();
    await page.waitForURL((url) => url.pathname === `${BASE}archive/`);
    await page.close();
  });

  it("switches to titles only and remembers it", async () => {
    const page = await open(dayPath(BIG_DAY));
    const before = (await cardBoxes(page))[10]!.top;
    await page.getByRole("button", { name: "Titles only" }).click();
    await expect
      .poll(() => page.getByRole("button", { name: "Titles only" }).getAttribute("aria-pressed"))
      .toBe("true");
    const after = (await cardBoxes(page))[10]!.top;
    // Each card keeps a line of authors under its title: a little over half the height.
    expect(after).toBeLessThan(before * 0.6);
    // The title keeps one line of authors.
    const authors = page.locator(".papers .paper h2 + p").first();
    await expect(authors.isVisible()).resolves.toBe(true);
    const { height, line } = await authors.evaluate((a) => ({
      height: a.getBoundingClientRect().height,
      line: Number.parseFloat(getComputedStyle(a).lineHeight),
    }));
    expect(height).toBeLessThan(line * 1.5);
    // On paper too: the abstracts and comments stay out of a titles-only print; without it they print.
    await page.emulateMedia({ media: "print" });
    await expect(page.locator(".papers .paper blockquote").first().isVisible()).resolves.toBe(false);
    await page.emulateMedia({ media: "screen" });
    await page.reload();
    expect(await page.evaluate(() => document.documentElement.dataset.density)).toBe("titles");
    await expect(page.getByRole("button", { name: "Titles only" }).getAttribute("aria-pressed")).resolves.toBe("true");
    await page.getByRole("button", { name: "Titles only" }).click();
    await expect.poll(() => page.evaluate(() => localStorage.getItem("density"))).toBeNull();
    await page.emulateMedia({ media: "print" });
    await expect(page.locator(".papers .paper blockquote").first().isVisible()).resolves.toBe(true);
    await page.close();
  });

  it("folds the best-scored papers that just missed the cut, best first, fetched when opened", async () => {
    const page = await open(dayPath(BIG_DAY));
    const near = page.locator(".near-miss");
    // The day's first load carries only the picked papers.
    expect(await near.count()).toBe(0);
    await page.getByRole("heading", { name: "Near misses" }).click();
    await near.first().waitFor();
    const scores = await near.evaluateAll((cards) =>
      cards.map((c) => Number(c.querySelector(".score")?.textContent?.replace(/^\D+/, ""))),
    );
    expect(scores.length).toBe(10);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const best = Math.max(
      ...bigDay.papers.filter((p) => p.outcome === "rejected").map((p) => p.score ?? Number.NEGATIVE_INFINITY),
    );
    expect(scores[0]).toBe(best);
    // A fetched card works like any other: it opens, and it can be liked.
    const card = near.first();
    await card.getByRole("button", { name: "more" }).click();
    await expect(card.getByRole("button", { name: "less" }).getAttribute("aria-expanded")).resolves.toBe("true");
    await card.getByRole("button", { name: "Like", exact: true }).click();
    await expect
      .poll(() => card.getByRole("button", { name: "Like", exact: true }).getAttribute("aria-pressed"))
      .toBe("true");
    await card.getByRole("button", { name: "Like", exact: true }).click();
    await page.close();
  });

  it("opens a near miss a search result links to, and lists them without JavaScript on a page of their own", async () => {
    const left = bigDay.papers.filter((p) => p.outcome === "rejected").sort((a, b) => b.score! - a.score!)[2]!;
    const page = await open(`${dayPath(BIG_DAY)}#paper-${left.id}`);
    const card = page.locator(`[id="paper-${left.id}"]`);
    await card.waitFor();
    expect(await card.evaluate((c) => c.classList.contains("open"))).toBe(true);
    expect(await card.isVisible()).toBe(true);
    await page.close();
    const plain = await browser.newPage({ javaScriptEnabled: false });
    await plain.goto(new URL(dayPath(BIG_DAY), served.url).href);
    await plain.getByRole("heading", { name: "Near misses" }).click();
    await plain.getByRole("link", { name: `Read the near misses of ${BIG_DAY}` }).click();
    await plain.waitForURL((url) => url.pathname === `${BASE}${dayPath(BIG_DAY)}near-misses.html`);
    expect(await plain.locator(".near-miss").count()).toBe(10);
    await expect(plain.locator(`[id="paper-${left.id}"] h2`).textContent()).resolves.toContain(left.title.slice(0, 20));
    await plain.close();
  });

  it("keeps likes, dislikes and saves, hands them to the feedback hook and lists saved papers with citations", async () => {
    const page = await open(dayPath(BIG_DAY));
    await page.evaluate(() => {
      const w = window as unknown as {
        arxivDigestFeedback: { addSink(f: (m: unknown) => void): void };
        sent: unknown[];
      };
      w.sent = [];
      w.arxivDigestFeedback.addSink((m) => w.sent.push(m));
    });
    const first = page.locator(".papers .paper").nth(0);
    const second = page.locator(".papers .paper").nth(1);
    await first.getByRole("button", { name: "Like", exact: true }).click();
    await first.getByRole("button", { name: "Save", exact: true }).click();
    await second.getByRole("button", { name: "Dislike" }).click();
    // The first click loads the feedback sinks; the clicks are then applied in order.
    await expect
      .poll(() => first.getByRole("button", { name: "Like", exact: true }).getAttribute("aria-pressed"))
      .toBe("true");
    await expect.poll(() => second.getByRole("button", { name: "Dislike" }).getAttribute("aria-pressed")).toBe("true");
    const sent = await page.evaluate(
      () => (window as unknown as { sent: { id: string; vote: string | null; saved: boolean }[] }).sent,
    );
    expect(sent.map((m) => [m.id, m.vote, m.saved])).toEqual([
      [picked[0]!.id, "up", false],
      [picked[0]!.id, "up", true],
      [picked[1]!.id, "down", false],
    ]);
    await page.reload();
    await expect(first.getByRole("button", { name: "Saved", exact: true }).getAttribute("aria-pressed")).resolves.toBe(
      "true",
    );
    await expect(second.getByRole("button", { name: "Dislike" }).getAttribute("aria-pressed")).resolves.toBe("true");

    await page.goto(new URL("saved/", served.url).href);
    const items = page.locator(".saved-item");
    await items.first().waitFor();
    expect(await items.count()).toBe(1);
    await expect(items.first().locator("a").textContent()).resolves.toBe(picked[0]!.title);
    await expect(items.first().locator("pre").textContent()).resolves.toContain(`eprint = {${picked[0]!.id}}`);
    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: "Download CSL-JSON" }).click();
    const csl = JSON.parse(await readFile((await (await download).path())!, "utf8"));
    expect(csl[0]).toMatchObject({ id: `arXiv:${picked[0]!.id}`, type: "article", title: picked[0]!.title });
    await items
      .first()
      .getByRole("button", { name: /^Remove/ })
      .click();
    expect(await items.count()).toBe(0);
    await page.close();
  });

  it("finds a paper by its arXiv id first, with date, score and authors", async () => {
    const target = picked[7]!;
    const page = await open(`search/?q=${encodeURIComponent(`arXiv:${target.id}`)}`);
    const first = page.locator(".search-results li").first();
    await first.waitFor();
    expect(await first.locator("a").first().getAttribute("href")).toBe(`${BASE}${dayPath(BIG_DAY)}#paper-${target.id}`);
    const meta = (await first.locator(".meta").first().textContent())!;
    expect(meta).toContain(BIG_DAY);
    expect(meta).toContain(`score ${target.score}`);
    expect(meta).toContain(target.authors[0]!.name);
    await page.close();
  });

  it("finds a paper by its address on arXiv: abstract, PDF or HTML page", async () => {
    const target = picked[7]!;
    const page = await open("search/");
    const field = page.getByLabel("Words from a title, author, abstract or comment");
    for (const url of [
      `https://arxiv.org/abs/${target.id}`,
      `https://arxiv.org/pdf/${target.id}v1`,
      `https://arxiv.org/html/${target.id}v2`,
    ]) {
      await field.fill(url);
      await field.press("Enter");
      // The status names the query once its results are listed.
      await expect.poll(() => page.locator(".search-status").textContent()).toContain(`“${url}”.`);
      const first = page.locator(".search-results li a").first();
      expect(await first.getAttribute("href"), url).toBe(`${BASE}${dayPath(BIG_DAY)}#paper-${target.id}`);
    }
    await page.close();
  });

  it("ranks a title match above papers that only mention the word in their abstract", async () => {
    const all = referenceSite().flatMap((d) => d.papers.filter((p) => p.outcome === "selected"));
    const words = (text: string) => new Set(text.toLowerCase().match(/[a-z]{8,}/g) ?? []);
    // A word in exactly one title and in at least three other papers' abstracts only.
    const word = [...new Set(all.flatMap((p) => [...words(p.title)]))].find((w) => {
      // Pagefind stems words ("production" finds "product"): no other title may share the stem.
      const inTitle = all.filter((p) => p.title.toLowerCase().includes(w.slice(0, 6)));
      const inAbstractOnly = all.filter((p) => !p.title.toLowerCase().includes(w) && words(p.abstract).has(w));
      return new Set(inTitle.map((p) => p.id)).size === 1 && inAbstractOnly.length >= 3;
    })!;
    expect(word).toBeDefined();
    const page = await open(`search/?q=${word}`);
    const results = page.locator(".search-results li > a:first-child");
    await results.first().waitFor();
    expect(await results.count()).toBeGreaterThan(3);
    expect((await results.first().textContent())!.toLowerCase()).toContain(word);
    await page.close();
  });

  it("finds scanned papers the digest did not pick, marked as such, with TeX turned into text", async () => {
    const left = bigDay.papers.find((p) => p.outcome === "rejected")!;
    const page = await open(`search/?q=${left.id}`);
    const first = page.locator(".search-results li").first();
    await first.waitFor();
    await expect(first.locator(".meta").first().textContent()).resolves.toContain("scanned, not picked");
    // Records are indexed as plain text: a word next to some math shows no TeX in any snippet.
    const withTex = bigDay.papers.find((p) => /\s[A-Za-z]{5,} \$\\/.test(p.abstract))!;
    const word = /\s([A-Za-z]{5,}) \$\\/.exec(withTex.abstract)![1]!;
    const texPage = await open(`search/?q=${word}`);
    await texPage.locator(".search-results li").first().waitFor();
    const snippets = await texPage.locator(".search-results li").allTextContents();
    expect(snippets.join(" ")).not.toMatch(/\\[a-z]+|\$/);
    await texPage.close();
    await page.close();
  });
});

describe("site in Chromium, finally", () => {
  it("logged no console errors, page errors or dialogs in the reading tests", () => {
    expect(problems).toEqual([]);
  });
});
