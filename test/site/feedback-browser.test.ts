/**
 * The site's feedback buttons in real Chromium: under `serve` a click is written to the
 * workspace's feedback.jsonl; a page on another localhost port cannot write there; a static build
 * with feedback.github opens the prefilled issue (intercepted, never sent to GitHub); with neither
 * the mark stays in the browser.
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ArchiveStore } from "../../src/archive/store.js";
import { issueUrl } from "../../src/feedback/github.js";
import { appendSignals, feedbackPath, makeSignal, parseSignals } from "../../src/feedback/store.js";
import { buildSite } from "../../src/site/build.js";
import { type ServedSite, serveSite } from "../../src/site/serve.js";
import { archiveLookup } from "../../src/site/served-marks.js";
import { dayPath } from "../../src/site/urls.js";
import { makeDay, makePaper } from "../helpers/day-factory.js";
import { launchChromium } from "./chromium.js";
import { memorySource } from "./memory-source.js";

const DATE = "2026-02-05";
const PAPERS = [
  makePaper({ id: "2602.04119", title: "Synthesizable   Molecular Generation & $\\alpha$-priors" }),
  makePaper({ id: "2602.01234", title: "A second paper" }),
];

let root: string;
let workspace: string;
let served: ServedSite;
let plain: ServedSite;
let staticSite: ServedSite;
let evil: Server;
let evilUrl: string;
let browser: Browser;
const outside: string[] = [];
const problems: string[] = [];

async function build(outDir: string, feedbackRepo: string | null) {
  await buildSite({
    source: memorySource([makeDay({ date: DATE, papers: PAPERS })]),
    outDir,
    site: { title: "Test digest", baseUrl: "https://example.org/papers/", basePath: "/papers/", outDir },
    feedbackRepo,
  });
}

/** A browser context that never reaches beyond localhost: anything else is recorded and aborted. */
async function context(): Promise<BrowserContext> {
  const ctx = await browser.newContext();
  await ctx.route(
    (url) => url.hostname !== "127.0.0.1" && url.hostname !== "localhost",
    (route) => {
      outside.push(route.request().url());
      return route.fulfill({ status: 200, contentType: "text/html", body: "<p>intercepted</p>" });
    },
  );
  ctx.on("page", (page) => {
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  });
  return ctx;
}

async function dayPage(ctx: BrowserContext, site: ServedSite): Promise<Page> {
  const page = await ctx.newPage();
  await page.goto(new URL(dayPath(DATE), site.url).href);
  return page;
}

async function lines(): Promise<ReturnType<typeof parseSignals>["signals"]> {
  const file = feedbackPath(workspace);
  if (!existsSync(file)) return [];
  const parsed = parseSignals(await readFile(file, "utf8"));
  expect(parsed.problems).toEqual([]);
  return parsed.signals;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "feedback-browser-"));
  workspace = join(root, "ws");
  await mkdir(workspace);
  await build(join(workspace, "site"), null);
  await build(join(root, "static", "site"), "me/papers");
  served = await serveSite(join(workspace, "site"), {
    port: 0,
    basePath: "/papers/",
    feedbackFile: feedbackPath(workspace),
  });
  plain = await serveSite(join(workspace, "site"), { port: 0, basePath: "/papers/" });
  staticSite = await serveSite(join(root, "static", "site"), { port: 0, basePath: "/papers/" });
  // Another site on localhost, on another port: a different origin.
  evil = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html" });
    res.end("<!doctype html><title>elsewhere</title><p>another site</p>");
  });
  await new Promise<void>((ok) => evil.listen(0, "127.0.0.1", ok));
  evilUrl = `http://127.0.0.1:${(evil.address() as AddressInfo).port}/`;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await served?.close();
  await plain?.close();
  await staticSite?.close();
  await new Promise((ok) => (evil ? evil.close(ok) : ok(undefined)));
  if (root) await rm(root, { recursive: true, force: true });
  expect(problems).toEqual([]);
  expect(outside).toEqual(outside.filter((u) => u.startsWith("https://github.com/me/papers/issues/new?")));
});

describe("feedback buttons in Chromium", () => {
  it("under serve, writes a click to the workspace's feedback.jsonl and says so", async () => {
    expect(served.feedback).toBe(true);
    const ctx = await context();
    const page = await dayPage(ctx, served);
    const card = page.locator("[id='paper-2602.04119']");
    const before = Date.now();
    await card.getByRole("button", { name: "Like", exact: true }).click();
    await expect
      .poll(() => card.locator("[data-mark-status]").textContent())
      .toBe("Liked: recorded in your workspace.");
    const written = await lines();
    expect(written).toHaveLength(1);
    expect(written[0]).toMatchObject({
      v: 1,
      id: "2602.04119",
      signal: "like",
      source: "site",
      title: "Synthesizable Molecular Generation & $\\alpha$-priors",
    });
    expect(Date.parse(written[0]!.at)).toBeGreaterThanOrEqual(before - 1000);

    // Saving adds a save; taking the like away while saved is clear, then save again.
    await card.getByRole("button", { name: "Save", exact: true }).click();
    await expect.poll(async () => (await lines()).length).toBe(2);
    await card.getByRole("button", { name: "Like", exact: true }).click();
    await expect.poll(async () => (await lines()).length).toBe(4);
    expect((await lines()).map((s) => s.signal)).toEqual(["like", "save", "clear", "save"]);
    await ctx.close();
  });

  it("refuses a POST from a page on another localhost port, and writes nothing", async () => {
    const ctx = await context();
    const page = await ctx.newPage();
    const before = (await lines()).length;
    // The token as the served page holds it: even knowing it does not help another origin.
    const served0 = await dayPage(ctx, served);
    const token = await served0.locator('meta[name="arxiv-digest-serve"]').getAttribute("content");
    expect(token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    await page.goto(evilUrl);
    const endpoint = new URL("_feedback", served.url).href;
    const outcome = await page.evaluate(
      async ({ endpoint, token, pageUrl }) => {
        const body = JSON.stringify({ id: "2602.01234", signal: "dislike" });
        const results: string[] = [];
        // A simple request goes out without a preflight: the server must refuse it itself.
        await fetch(endpoint, { method: "POST", mode: "no-cors", headers: { "content-type": "text/plain" }, body })
          .then((r) => results.push(`no-cors:${r.type}`))
          .catch((e) => results.push(`no-cors failed: ${e}`));
        // With the JSON type and the token header the browser asks first, and gets no CORS answer.
        await fetch(endpoint, {
          method: "POST",
          headers: { "content-type": "application/json", "x-arxiv-digest-token": token ?? "" },
          body,
        })
          .then((r) => results.push(`cors:${r.status}`))
          .catch(() => results.push("cors blocked"));
        // Nor can it read the token out of a served page.
        await fetch(pageUrl)
          .then((r) => r.text())
          .then(() => results.push("page read"))
          .catch(() => results.push("page blocked"));
        return results;
      },
      { endpoint, token, pageUrl: new URL(dayPath(DATE), served.url).href },
    );
    expect(outcome).toEqual(["no-cors:opaque", "cors blocked", "page blocked"]);
    // A form posted across origins is refused too.
    await page.evaluate((endpoint) => {
      const form = document.createElement("form");
      form.method = "POST";
      form.action = endpoint;
      form.enctype = "text/plain";
      const input = document.createElement("input");
      input.name = '{"id":"2602.01234","signal":"dislike","x":"';
      input.value = '"}';
      form.append(input);
      document.body.append(form);
      form.submit();
    }, endpoint);
    await page.waitForURL(endpoint);
    await expect(page.locator("body").textContent()).resolves.toMatch(/Cross-origin|token|Expected/);
    expect((await lines()).length).toBe(before);
    await ctx.close();
  });

  it("on a static build with feedback.github, opens the prefilled issue for the click", async () => {
    expect(staticSite.feedback).toBe(false);
    const ctx = await context();
    const page = await dayPage(ctx, staticSite);
    const card = page.locator("[id='paper-2602.04119']");
    const popup = ctx.waitForEvent("page");
    const before = (await lines()).length;
    await card.getByRole("button", { name: "Dislike", exact: true }).click();
    const opened = await popup;
    await opened.waitForLoadState();
    const expected = issueUrl("me/papers", "dislike", { id: "2602.04119", title: PAPERS[0]!.title });
    expect(opened.url()).toBe(expected);
    expect(outside).toContain(expected);
    await expect(card.locator("[data-mark-status]").textContent()).resolves.toBe(
      "Disliked: submit the GitHub issue just opened (me/papers) to record it.",
    );
    expect((await lines()).length).toBe(before);
    await ctx.close();
  });

  it("without serve's token or a repository, keeps the mark in the browser and says so", async () => {
    expect(plain.feedback).toBe(false);
    const ctx = await context();
    const page = await dayPage(ctx, plain);
    await expect(page.locator('meta[name="arxiv-digest-serve"]').getAttribute("content")).resolves.toBe("");
    const card = page.locator("[id='paper-2602.01234']");
    const before = (await lines()).length;
    await card.getByRole("button", { name: "Save", exact: true }).click();
    await expect.poll(() => card.locator("[data-mark-status]").textContent()).toBe("Saved in this browser.");
    expect((await lines()).length).toBe(before);
    await ctx.close();
  });
});

describe("the workspace's marks in Chromium", () => {
  let ws: string;
  let marked: ServedSite;

  beforeAll(async () => {
    // A workspace whose feedback came from the CLI, a library import and a synced issue, never a browser.
    ws = join(root, "ws-marks");
    const store = new ArchiveStore(join(ws, "archive"));
    await store.writeDay(makeDay({ date: DATE, papers: PAPERS }));
    await buildSite({
      source: store,
      outDir: join(ws, "site"),
      site: { title: "Test digest", baseUrl: "https://example.org/papers/", basePath: "/papers/", outDir: "site" },
      feedbackRepo: null,
    });
    await appendSignals(feedbackPath(ws), [
      makeSignal("2602.04119", "like", "cli", "2026-02-05T09:00:00Z"),
      makeSignal("2602.01234", "save", "import:library.bib", "2026-02-05T09:01:00Z"),
      makeSignal("2501.00002", "save", "github", "2026-02-05T09:02:00Z", "A paper from elsewhere"),
    ]);
    marked = await serveSite(join(ws, "site"), {
      port: 0,
      basePath: "/papers/",
      feedbackFile: feedbackPath(ws),
      papers: archiveLookup(store),
    });
  });
  afterAll(async () => {
    await marked?.close();
  });

  const pressed = (page: Page, id: string, name: string) =>
    page.locator(`[id='paper-${id}']`).getByRole("button", { name, exact: true }).getAttribute("aria-pressed");

  it("shows a like recorded on the CLI pressed, in a browser that never clicked", async () => {
    const ctx = await context();
    const page = await dayPage(ctx, marked);
    await expect.poll(() => pressed(page, "2602.04119", "Like")).toBe("true");
    await expect.poll(() => pressed(page, "2602.01234", "Saved")).toBe("true");
    expect(await pressed(page, "2602.01234", "Like")).toBe("false");
    await ctx.close();
  });

  it("lists the workspace's saved papers on the Saved page, with their day when the archive has it", async () => {
    const ctx = await context();
    const page = await ctx.newPage();
    await page.goto(new URL("saved/", marked.url).href);
    const items = page.locator(".saved-item");
    await expect.poll(() => items.count()).toBe(2);
    const archived = items.filter({ hasText: "A second paper" });
    await expect(archived.locator("a").first().getAttribute("href")).resolves.toBe(
      `/papers/${dayPath(DATE)}#paper-2602.01234`,
    );
    await expect(archived.locator(".meta").textContent()).resolves.toContain(`arXiv:2602.01234 · ${DATE}`);
    const elsewhere = items.filter({ hasText: "A paper from elsewhere" });
    await expect(elsewhere.locator("a").first().getAttribute("href")).resolves.toBe("https://arxiv.org/abs/2501.00002");
    await ctx.close();
  });

  /** Puts marks in this browser's storage as the site keeps them (assets/marks.js), `at` left out when null. */
  const store = (page: Page, marks: Record<string, { vote: string | null; saved: boolean; at: string | null }>) =>
    page.evaluate((marks) => {
      const paper = (id: string) => ({ id, title: id, authors: [], date: "2026-02-05", path: "/" });
      const entries = Object.entries(marks).map(([id, { at, ...m }]) => [
        id,
        { ...m, ...(at === null ? {} : { at }), paper: paper(id) },
      ]);
      localStorage.setItem("arxiv-digest:marks", JSON.stringify(Object.fromEntries(entries)));
    }, marks);
  const stored = (page: Page) =>
    page.evaluate(
      () =>
        JSON.parse(localStorage.getItem("arxiv-digest:marks") ?? "{}") as Record<
          string,
          { vote: string | null; at?: string }
        >,
    );

  it("shows the reader's marks on the month's lists of papers, a disliked one kept in its place", async () => {
    const ctx = await context();
    const page = await ctx.newPage();
    const month = new URL(`${DATE.slice(0, 4)}/${DATE.slice(5, 7)}/`, marked.url).href;
    await page.goto(month);
    const top = page.locator(".top-papers li");
    const line = (id: string) => top.filter({ has: page.locator(`a[href$='#paper-${id}']`) });
    // The workspace's like (the CLI) and save (a library import), in a browser that never clicked.
    await expect.poll(() => line("2602.04119").locator(".line-mark").textContent()).toBe(" 👍 liked");
    await expect(line("2602.01234").locator(".line-mark").textContent()).resolves.toBe(" saved");
    const order = await top.locator("a").allTextContents();
    // This browser's dislike, newer than the workspace's save: labelled, and the list keeps its order.
    await store(page, { "2602.01234": { vote: "down", saved: false, at: "2026-02-05T10:00:00.000Z" } });
    await page.reload();
    await expect.poll(() => line("2602.01234").locator(".line-mark").textContent()).toBe(" 👎 disliked");
    await expect(top.locator("a").allTextContents()).resolves.toEqual(order);
    await expect(line("2602.01234").getAttribute("data-vote")).resolves.toBe("down");
    // The topic lists say it too.
    await expect(
      page
        .locator(".topic-list li", { has: page.locator("a[href$='#paper-2602.01234']") })
        .locator(".line-mark")
        .textContent(),
    ).resolves.toBe(" 👎 disliked");
    await ctx.close();
  });

  it("loads no marks module on a month page's first visit, which has no marks", async () => {
    const ctx = await context();
    const page = await ctx.newPage();
    const scripts: string[] = [];
    page.on("request", (r) => {
      if (r.resourceType() === "script") scripts.push(new URL(r.url()).pathname.split("/").pop()!);
    });
    await page.goto(new URL(`${DATE.slice(0, 4)}/${DATE.slice(5, 7)}/`, plain.url).href, { waitUntil: "networkidle" });
    expect(scripts.sort()).toEqual(["app.js", "theme-init.js"]);
    await expect(page.locator(".line-mark").count()).resolves.toBe(0);
    await ctx.close();
  });

  it("keeps this browser's mark when it is newer than the workspace's, and keeps marks on papers it does not know", async () => {
    const ctx = await context();
    const page = await dayPage(ctx, marked);
    // This browser disliked, after the workspace's like (09:00), a paper the workspace has liked.
    await store(page, {
      "2602.04119": { vote: "down", saved: false, at: "2026-02-05T10:00:00.000Z" },
      "2501.09999": { vote: null, saved: true, at: "2026-02-05T10:00:00.000Z" },
    });
    await page.reload();
    await expect.poll(() => pressed(page, "2602.04119", "Dislike")).toBe("true");
    expect(await pressed(page, "2602.04119", "Like")).toBe("false");
    const kept = await stored(page);
    expect(Object.keys(kept).sort()).toEqual(["2501.09999", "2602.01234", "2602.04119"]);
    expect(kept["2602.04119"]).toMatchObject({ vote: "down", at: "2026-02-05T10:00:00.000Z" });
    await ctx.close();
  });

  it("shows the workspace's mark when it is newer than this browser's, a clear included", async () => {
    const ctx = await context();
    const page = await dayPage(ctx, marked);
    // This browser liked a paper at 10:00 that the workspace clears at 11:00, and disliked at 08:00
    // a paper the workspace liked at 09:00.
    await store(page, {
      "2602.01234": { vote: "up", saved: false, at: "2026-02-05T10:00:00.000Z" },
      "2602.04119": { vote: "down", saved: false, at: "2026-02-05T08:00:00.000Z" },
    });
    await appendSignals(feedbackPath(ws), [makeSignal("2602.01234", "clear", "cli", "2026-02-05T11:00:00Z")]);
    await page.reload();
    await expect.poll(() => pressed(page, "2602.04119", "Like")).toBe("true");
    expect(await pressed(page, "2602.04119", "Dislike")).toBe("false");
    expect(await pressed(page, "2602.01234", "Like")).toBe("false");
    expect(await pressed(page, "2602.01234", "Save")).toBe("false");
    const now = await stored(page);
    expect(Object.keys(now)).toEqual(["2602.04119"]);
    expect(now["2602.04119"]).toMatchObject({ vote: "up", at: "2026-02-05T09:00:00.000Z" });
    await ctx.close();
  });

  it("takes the workspace's mark over one this browser stored without a time", async () => {
    const ctx = await context();
    const page = await dayPage(ctx, marked);
    await store(page, { "2602.04119": { vote: "down", saved: false, at: null } });
    await page.reload();
    await expect.poll(() => pressed(page, "2602.04119", "Like")).toBe("true");
    expect(await pressed(page, "2602.04119", "Dislike")).toBe("false");
    expect((await stored(page))["2602.04119"]).toMatchObject({ vote: "up", at: "2026-02-05T09:00:00.000Z" });
    await ctx.close();
  });

  it("keeps a click made in this browser after the workspace's mark when the page is served again", async () => {
    const ctx = await context();
    const page = await dayPage(ctx, marked);
    await expect.poll(() => pressed(page, "2602.04119", "Like")).toBe("true");
    // The click is the reader's latest word; the workspace records it (with serve's time) and both agree.
    await page.locator("[id='paper-2602.04119']").getByRole("button", { name: "Dislike", exact: true }).click();
    await expect.poll(() => pressed(page, "2602.04119", "Dislike")).toBe("true");
    const clicked = (await stored(page))["2602.04119"]!.at!;
    expect(Date.parse(clicked)).toBeGreaterThan(Date.parse("2026-02-05T09:00:00Z"));
    await page.reload();
    await expect.poll(() => pressed(page, "2602.04119", "Dislike")).toBe("true");
    expect(await pressed(page, "2602.04119", "Like")).toBe("false");
    await ctx.close();
  });

  it("is not in a static build, nor served without the workspace", async () => {
    const ctx = await context();
    for (const site of [plain, staticSite]) {
      const page = await dayPage(ctx, site);
      await expect(page.locator("#arxiv-digest-marks").count()).resolves.toBe(0);
    }
    const files = (await readdir(join(ws, "site"), { recursive: true })).filter((f) => f.endsWith(".html"));
    expect(files.length).toBeGreaterThan(3);
    for (const f of files) expect(await readFile(join(ws, "site", f), "utf8")).not.toContain("arxiv-digest-marks");
    await ctx.close();
  });
});
