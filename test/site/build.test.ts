/** Incremental builds: which pages are rewritten, which days are read, when a full build happens. */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { calendarVerdict } from "../../src/arxiv/calendar.js";
import { holidayTable } from "../../src/arxiv/holidays.js";
import type { PaperRecord } from "../../src/model/day-record.js";
import { buildSite } from "../../src/site/build.js";
import { MANIFEST_FILE, stateDirOf } from "../../src/site/manifest.js";
import { makeDay, makePaper } from "../helpers/day-factory.js";
import { referenceDays } from "../helpers/reference.js";
import { memorySource } from "./memory-source.js";

const SITE = { title: "Digest", baseUrl: "https://example.org/", basePath: "/", outDir: "site" };
const STALE = "<!-- from the previous build -->";
const papers = [...referenceDays().values()];
const dayOf = (date: string, i: number) => makeDay({ date, papers: papers[i % papers.length] as PaperRecord[] });
const START = ["2025-12-31", "2026-01-29", "2026-01-30", "2026-02-02", "2026-02-03", "2026-02-05"];

let root: string;
let outDir: string;
beforeEach(async () => {
  // The build keeps its state beside the site folder: both live in this test's own folder.
  root = await mkdtemp(join(tmpdir(), "site-incremental-"));
  outDir = join(root, "site");
  await mkdir(outDir);
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function htmlFiles(dir = outDir, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    // The build's manifest is not a page.
    if (entry.name.startsWith(".")) continue;
    const rel = prefix + entry.name;
    if (entry.isDirectory()) out.push(...(await htmlFiles(join(dir, entry.name), `${rel}/`)));
    else if (rel.endsWith(".html")) out.push(rel);
  }
  return out.sort();
}

/** Marks every page, so after the next build the unmarked ones are the rewritten ones. */
async function markPages(): Promise<void> {
  for (const file of await htmlFiles()) await writeFile(join(outDir, file), STALE);
}

async function rewrittenPages(): Promise<string[]> {
  const out: string[] = [];
  for (const file of await htmlFiles()) if ((await readFile(join(outDir, file), "utf8")) !== STALE) out.push(file);
  return out;
}

async function startSite() {
  const source = memorySource(START.map(dayOf));
  const full = await buildSite({ source, outDir, site: SITE });
  expect(full.daysRendered).toBe(START.length);
  expect(source.reads).toEqual(START);
  source.reads.length = 0;
  await markPages();
  return source;
}

const ALWAYS = ["404.html", "archive/index.html", "feeds/index.html", "saved/index.html", "search/index.html"];

describe("incremental site build", () => {
  it("adds a new latest day: that day, its previous day, month, year, root and indexes", async () => {
    const source = await startSite();
    source.days.set("2026-02-06", dayOf("2026-02-06", 7));
    // Past years have one bundle each, the latest year one per month; a folder is named by its content.
    const before = await readdir(join(outDir, "search-data"));
    expect(before.map((f) => f.replace(/-[0-9a-f]{12}$/, "")).sort()).toEqual(["2025", "2026-01", "2026-02"]);
    for (const folder of before) await writeFile(join(outDir, "search-data", folder, "marker"), "");
    const result = await buildSite({ source, outDir, site: SITE, changedDates: ["2026-02-06"] });
    // The two days rendered, then the month's other days, read again for its search bundle.
    expect(source.reads).toEqual(["2026-02-05", "2026-02-06", "2026-02-02", "2026-02-03"]);
    expect(result.daysRendered).toBe(2);
    expect(await rewrittenPages()).toEqual(
      [
        ...ALWAYS,
        // A rendered day's page comes with its page of costs, counts and prompt.
        "2026/02/05/index.html",
        "2026/02/05/about.html",
        "2026/02/06/index.html",
        "2026/02/06/about.html",
        "2026/02/index.html",
        "2026/index.html",
        "index.html",
      ].sort(),
    );
    expect(result.pagesWritten).toBe(12);
    const after = await readdir(join(outDir, "search-data"));
    const kept = before.filter((f) => !f.startsWith("2026-02"));
    expect(
      after.filter((f) => !f.startsWith("2026-02")),
      "the untouched year's and month's bundles are kept",
    ).toEqual(kept);
    for (const folder of kept) expect(await readdir(join(outDir, "search-data", folder))).toContain("marker");
    const month = after.filter((f) => f.startsWith("2026-02"));
    expect(month, "the touched month's bundle is a new folder").toHaveLength(1);
    expect(before).not.toContain(month[0]);
    expect(await readdir(join(outDir, "search-data", month[0]!))).toContain("index.json");
    expect(result.searchBundles.indexed).toEqual(["2026-02"]);
    // The build state, which is not published, keeps no copy of the days' search documents.
    expect((await readdir(stateDirOf(outDir))).sort()).toEqual(["feed.json", "years"]);
    expect(await readdir(outDir)).not.toContain(".site-state");
    expect(after.some((f) => f.startsWith("."))).toBe(false);
    const previousDay = await readFile(join(outDir, "2026/02/05/index.html"), "utf8");
    expect(previousDay).toContain('href="/2026/02/06/"');
    const feed = await readFile(join(outDir, "feed.xml"), "utf8");
    expect(feed).toContain("https://example.org/2026/02/06/#paper-");
    const manifest = JSON.parse(await readFile(join(outDir, MANIFEST_FILE), "utf8"));
    expect(manifest.days.map((d: { date: string }) => d.date)).toEqual([...START, "2026-02-06"]);
  });

  it("rebuilds a changed day in the middle with its neighbours and its month only", async () => {
    const source = await startSite();
    source.days.set("2026-01-30", dayOf("2026-01-30", 11));
    await buildSite({ source, outDir, site: SITE, changedDates: ["2026-01-30"] });
    expect(source.reads).toEqual(["2026-01-29", "2026-01-30", "2026-02-02"]);
    expect(await rewrittenPages()).toEqual(
      [
        ...ALWAYS,
        "2026/01/29/index.html",
        "2026/01/29/about.html",
        "2026/01/30/index.html",
        "2026/01/30/about.html",
        "2026/02/02/index.html",
        "2026/02/02/about.html",
        "2026/01/index.html",
        "2026/index.html",
      ].sort(),
    );
  });

  it("links the previous month to a month that just appeared", async () => {
    const source = await startSite();
    source.days.set("2026-03-02", dayOf("2026-03-02", 3));
    await buildSite({ source, outDir, site: SITE, changedDates: ["2026-03-02"] });
    const rewritten = await rewrittenPages();
    expect(rewritten).toContain("2026/03/index.html");
    expect(rewritten).toContain("2026/02/index.html");
    expect(rewritten).not.toContain("2026/01/index.html");
    expect(await readFile(join(outDir, "2026/02/index.html"), "utf8")).toContain('href="/2026/03/"');
  });

  it("picks up days the manifest does not know even when changedDates omits them", async () => {
    const source = await startSite();
    source.days.set("2026-02-04", dayOf("2026-02-04", 5));
    await buildSite({ source, outDir, site: SITE, changedDates: [] });
    expect(source.reads).toEqual(["2026-02-03", "2026-02-04", "2026-02-05", "2026-02-02"]);
  });

  it("removes a day that left the archive and relinks its neighbours", async () => {
    const source = await startSite();
    source.days.delete("2026-02-03");
    await buildSite({ source, outDir, site: SITE, changedDates: [] });
    expect(source.reads).toEqual(["2026-02-02", "2026-02-05"]);
    const pages = await htmlFiles();
    expect(pages).not.toContain("2026/02/03/index.html");
    const before = await readFile(join(outDir, "2026/02/02/index.html"), "utf8");
    expect(before).not.toContain("/2026/02/03/");
    expect(before).toContain('href="/2026/02/05/"');
    expect(await readFile(join(outDir, "sitemap.xml"), "utf8")).not.toContain("2026/02/03/");
  });

  it("keeps the Feeds page beside the topic feeds, dropping only a feed whose topic left the window", async () => {
    const topicDay = (date: string, topic: string) =>
      makeDay({
        date,
        papers: [makePaper({ id: `${date.slice(2, 4)}${date.slice(5, 7)}.0${date.slice(8)}01`, topic })],
      });
    const dates = ["2026-02-02", "2026-02-03", "2026-02-04", "2026-02-05", "2026-02-06", "2026-02-09", "2026-02-10"];
    const source = memorySource(dates.map((d, i) => topicDay(d, i === 0 ? "Old topic" : "Kept topic")));
    await buildSite({ source, outDir, site: SITE });
    const feeds = async () => (await readdir(join(outDir, "feeds"))).sort();
    expect(await feeds()).toEqual(["index.html", "kept-topic.xml", "old-topic.xml"]);
    // Nothing changed: nothing is written, and the page stays.
    const same = await buildSite({ source, outDir, site: SITE, changedDates: [] });
    expect(same.pagesWritten).toBe(0);
    expect(await feeds()).toEqual(["index.html", "kept-topic.xml", "old-topic.xml"]);
    // An eighth day pushes the old topic's only day out of the feeds' window.
    source.days.set("2026-02-11", topicDay("2026-02-11", "Kept topic"));
    await buildSite({ source, outDir, site: SITE, changedDates: ["2026-02-11"] });
    expect(await feeds()).toEqual(["index.html", "kept-topic.xml"]);
    const page = (await readFile(join(outDir, "feeds/index.html"), "utf8")).replaceAll("<wbr/>", "");
    expect(page).toContain("<code>https://example.org/feeds/kept-topic.xml</code>");
    expect(page).toContain('<span class="meta">· 7 papers</span>');
    expect(page).not.toContain("Old topic");
  });

  it("builds everything again when the settings changed or the manifest is unreadable", async () => {
    const source = await startSite();
    const moved = await buildSite({ source, outDir, site: { ...SITE, basePath: "/papers/" }, changedDates: [] });
    expect(moved.daysRendered).toBe(START.length);
    expect(await readFile(join(outDir, "2026/02/05/index.html"), "utf8")).toContain('href="/papers/2026/02/03/"');
    await writeFile(join(outDir, MANIFEST_FILE), "{ not json");
    source.reads.length = 0;
    const again = await buildSite({ source, outDir, site: { ...SITE, basePath: "/papers/" }, changedDates: [] });
    expect(again.daysRendered).toBe(START.length);
    expect(source.reads).toEqual(START);
  });
});

describe("topic titles", () => {
  it("name the month's topics, and a changed title rebuilds the site as a full build", async () => {
    const source = memorySource([makeDay({ date: "2026-02-05", papers: [makePaper({ topic: "architecture" })] })]);
    const titled = (title: string) => new Map([["architecture", title]]);
    await buildSite({ source, outDir, site: SITE, topicTitles: titled("Model architecture") });
    const month = () => readFile(join(outDir, "2026/02/index.html"), "utf8");
    expect(await month()).toMatch(/<summary>Model architecture <span class="topic-count">1<\/span>/);
    const again = await buildSite({
      source,
      outDir,
      site: SITE,
      changedDates: [],
      topicTitles: titled("Architectures"),
    });
    expect(again.full).toBe(true);
    expect(await month()).toMatch(/<summary>Architectures <span class="topic-count">1<\/span>/);
    // A topic the config no longer has is named by the record's id.
    await buildSite({ source, outDir, site: SITE, changedDates: [] });
    expect(await month()).toMatch(/<summary>architecture <span class="topic-count">1<\/span>/);
  });
});

describe("a built day's about page", () => {
  it("states the weights and cut-offs its record keeps, the cap read from the whole record", async () => {
    const picked = makePaper({ id: "2602.00001" });
    const capped = Array.from({ length: 30 }, (_, i) =>
      makePaper({
        id: `2602.001${String(i).padStart(2, "0")}`,
        outcome: "rejected",
        reason: "passed the cut-offs, but ranked below the one paper a day shows",
      }),
    );
    const day = makeDay({
      date: "2026-02-05",
      papers: [picked, ...capped],
      selectionSettings: {
        weights: { relevance: 1.5, novelty: 0.25 },
        minRelevance: 8,
        minNovelty: 0,
        minScore: 0,
        maxPapers: 1,
        prefilter: { enabled: false, keepShare: 0.7, scoreShare: 0.27, floor: 1.9 },
        triage: { enabled: false },
        model: "gpt-5-mini",
      },
    });
    await buildSite({ source: memorySource([day]), outDir, site: SITE });
    const about = (await readFile(join(outDir, "2026/02/05/about.html"), "utf8")).replace(/<[^>]+>/g, " ");
    expect(about).toContain("The score is 1.5 × relevance + 0.25 × novelty");
    expect(about).toContain("A paper was picked when it had relevance at least 8 and was the best.");
    expect(about).toContain("The free prefilter was off: no paper was set aside before the LLM.");
    expect(about).toContain(
      "The title triage was off: the LLM read the opening of the abstract of every paper it was sent.",
    );
  });
});

describe("site build input errors", () => {
  it("names a day listed under a name that is not a date", async () => {
    const source = memorySource([dayOf("2026-02-05", 0)]);
    source.listDays = async () => ["2026-02-05", "notes"];
    await expect(buildSite({ source, outDir, site: SITE })).rejects.toThrow(/"notes", which is not a YYYY-MM-DD date/);
  });

  it("names a record whose date disagrees with its place in the archive", async () => {
    const source = memorySource([dayOf("2026-02-05", 0)]);
    source.readDay = async () => dayOf("2026-02-06", 0);
    await expect(buildSite({ source, outDir, site: SITE })).rejects.toThrow(
      /listed as 2026-02-05 says it is for 2026-02-06/,
    );
  });

  it("refuses to clear an output directory it did not build", async () => {
    await writeFile(join(outDir, "thesis.tex"), "precious");
    const source = memorySource([dayOf("2026-02-05", 0)]);
    await expect(buildSite({ source, outDir, site: SITE })).rejects.toThrow(/site\.outDir .* already holds files/);
    expect(await readFile(join(outDir, "thesis.tex"), "utf8")).toBe("precious");
  });

  it("names a bad basePath or baseUrl and what to write instead", async () => {
    const source = memorySource([dayOf("2026-02-05", 0)]);
    await expect(buildSite({ source, outDir, site: { ...SITE, basePath: "/a b/" } })).rejects.toThrow(
      /site\.basePath "\/a b\/"/,
    );
    await expect(buildSite({ source, outDir, site: { ...SITE, baseUrl: "javascript:alert(1)" } })).rejects.toThrow(
      /site\.baseUrl .* does not start with https:\/\//,
    );
  });
});

describe("days without a digest", () => {
  const noAnnouncement = (date: string) =>
    makeDay({ date, papers: [], status: { code: "no-announcement", message: "No arXiv announcement on a weekend." } });
  const nav = async (path: string) => {
    const html = await readFile(join(outDir, path), "utf8");
    const link = (label: string) =>
      new RegExp(`href="/(\\d{4}/\\d{2}/\\d{2})/"[^>]*>[^<]*${label}`).exec(html)?.[1] ?? null;
    return { prev: link("Previous"), next: link("Next"), html };
  };

  it("get a page but are skipped by Previous/Next and the root, also when a build adds them", async () => {
    const source = memorySource([dayOf("2026-02-06", 0), noAnnouncement("2026-02-07")]);
    await buildSite({ source, outDir, site: SITE });
    expect((await nav("2026/02/06/index.html")).next).toBeNull();
    expect((await nav("2026/02/07/index.html")).prev).toBe("2026/02/06");
    expect((await readFile(join(outDir, "index.html"), "utf8")).includes("2026-02-06")).toBe(true);

    // Sunday's record and Monday's digest arrive together: Friday's Next must now reach Monday.
    source.days.set("2026-02-08", noAnnouncement("2026-02-08"));
    source.days.set("2026-02-09", dayOf("2026-02-09", 1));
    source.reads.length = 0;
    await buildSite({ source, outDir, site: SITE, changedDates: ["2026-02-08", "2026-02-09"] });
    expect(source.reads).toContain("2026-02-06");
    expect((await nav("2026/02/06/index.html")).next).toBe("2026/02/09");
    expect((await nav("2026/02/09/index.html")).prev).toBe("2026/02/06");
    expect((await nav("2026/02/08/index.html")).next).toBe("2026/02/09");
  });
});

describe("weekends and holidays", () => {
  // Thanksgiving week 2026: four announcement days, the holiday's empty Friday feed, a weekend, Monday.
  const holidays = holidayTable([], []);
  const week = ["2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27", "2026-11-28", "2026-11-29"];
  const recordOf = (date: string, i: number) => {
    const none = calendarVerdict(date, holidays);
    return none ? makeDay({ date, papers: [], status: none }) : dayOf(date, i);
  };
  const page = (path: string) => readFile(join(outDir, path), "utf8");
  const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");
  /** Every file of the site and of its state, by path. */
  async function everything(dir: string): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const base of [dir, join(dir, "..", ".site-state")]) {
      for (const f of await readdir(base, { recursive: true, withFileTypes: true })) {
        if (f.isFile())
          out.set(join(f.parentPath, f.name).slice(base.length), await readFile(join(f.parentPath, f.name), "utf8"));
      }
    }
    return out;
  }

  /** Every file of a full build of `source` from nothing, in place of what outDir held. */
  async function fullBuildOf(source: ReturnType<typeof memorySource>): Promise<Map<string, string>> {
    await rm(outDir, { recursive: true });
    await rm(stateDirOf(outDir), { recursive: true });
    await mkdir(outDir);
    await buildSite({ source, outDir, site: SITE });
    return everything(outDir);
  }

  const THANKSGIVING =
    "after Thanksgiving. No arXiv announcement is dated Friday 2026-11-27: arXiv holds no announcement on Thursday 2026-11-26 at 20:00 ET (a holiday); those submissions go out with the next announcement, Monday 2026-11-30's, made Sunday 2026-11-29 at 20:00 ET.";

  it("are not counted, listed, linked or indexed, and their pages say what they are", async () => {
    const source = memorySource(week.map(recordOf));
    await buildSite({ source, outDir, site: SITE });
    // Monday arrives after the weekend, as the daily build sees it.
    source.days.set("2026-11-30", recordOf("2026-11-30", 5));
    await buildSite({ source, outDir, site: SITE, changedDates: ["2026-11-30"] });
    const incremental = await everything(outDir);

    const month = await page("2026/11/index.html");
    const picked = [...source.days.values()].reduce(
      (n, d) => n + d.papers.filter((p) => p.outcome === "selected").length,
      0,
    );
    expect(text(month)).toContain(`${picked} papers picked over 5 announcement days`);
    const calendar = /<table class="calendar">.*?<\/table>/s.exec(month)![0];
    expect(calendar).toContain(
      // Friday's batch would have come from Thursday evening's announcement, Thanksgiving's: the
      // cell says so, and the pointer and a screen reader get the sentence `render 2026-11-27` says.
      `<td class="no-announcement"><span class="date-number">27</span><span class="day-label" title="${THANKSGIVING}"><span aria-hidden="true">after Thanksgiving</span><span class="visually-hidden">${THANKSGIVING}</span></span></td>`,
    );
    expect(calendar).toContain('<td class="no-announcement"><span class="date-number">28</span></td>');
    for (const date of ["2026/11/27", "2026/11/28", "2026/11/29"]) {
      expect(calendar).not.toContain(`href="/${date}/"`);
      expect(month).not.toContain(`href="/${date}/"`);
    }
    expect(calendar).not.toMatch(/>0<\/a>/);
    expect(text(await page("2026/index.html"))).toContain("over 5 announcement days");
    const archive = await page("archive/index.html");
    expect(text(archive)).toContain("5 days,");
    expect(archive).not.toContain('href="/2026/11/28/"');
    const sitemap = await page("sitemap.xml");
    expect(sitemap).toContain("2026/11/30/");
    for (const date of ["2026/11/27", "2026/11/28", "2026/11/29"]) expect(sitemap).not.toContain(date);
    // The feeds carry the latest announcement days, not the weekend in their place.
    expect(JSON.parse(await page("feed.json")).items).toHaveLength(picked);

    // Thursday's Next is Monday; the weekend's page, at its address, says what it is and what comes next.
    expect(await page("2026/11/26/index.html")).toMatch(/href="\/2026\/11\/30\/"[^>]*>[^<]*Next/);
    const saturday = await page("2026/11/28/index.html");
    expect(text(saturday)).toContain(
      "Saturday 2026-11-28 : no arXiv announcement No arXiv announcement is dated Saturday 2026-11-28: arXiv announces nothing on weekends; the next announcement is Monday 2026-11-30's",
    );
    expect(saturday).not.toContain("picked of");
    expect(text(await page("2026/11/27/index.html"))).toContain("Friday 2026-11-27 : arXiv holiday");
    await expect(page("2026/11/28/about.html")).rejects.toThrow();

    // The daily build's site is the one a full build makes.
    expect(await fullBuildOf(source)).toEqual(incremental);
  });

  it("keep their state lines as a full build writes them when a later build carries them over unread", async () => {
    const source = memorySource(week.map(recordOf));
    await buildSite({ source, outDir, site: SITE });
    // A week of announcement days later, the weekend is no neighbour of the day the daily build adds.
    const later = ["2026-11-30", "2026-12-01", "2026-12-02", "2026-12-03"];
    for (const [i, date] of later.entries()) source.days.set(date, recordOf(date, i));
    await buildSite({ source, outDir, site: SITE, changedDates: later.slice(0, 3) });
    await buildSite({ source, outDir, site: SITE, changedDates: later.slice(3) });
    const incremental = await everything(outDir);

    expect(await fullBuildOf(source)).toEqual(incremental);
  });

  it("mark holidays and missed runs in the month's calendar, and the daily build marks them as a full build does", async () => {
    const calendarOf = async (month: string, dir = outDir) =>
      /<table class="calendar">.*?<\/table>/s.exec(await readFile(join(dir, month, "index.html"), "utf8"))![0];
    const cell = (calendar: string, n: number) =>
      new RegExp(`<td[^>]*><span class="date-number">${n}</span>.*?</td>`).exec(calendar)![0];
    /** A holiday's label: the words "after …" and the calendar's sentence by the table the build was given. */
    const holiday = (date: string, after: string, table = holidayTable([], [])) => {
      const name = `${after}. ${calendarVerdict(date, table)!.message}`;
      return `<span class="day-label" title="${name}"><span aria-hidden="true">${after}</span><span class="visually-hidden">${name}</span></span>`;
    };
    const HOLIDAY_2 = holiday("2026-01-02", "after New Year's Day");
    const HOLIDAY_20 = holiday("2026-01-20", "after Martin Luther King Jr. Day");
    const NO_DIGEST =
      '<span class="day-label" title="no digest (nothing archived for this announcement day)"><span aria-hidden="true">no digest</span><span class="visually-hidden">no digest (nothing archived for this announcement day)</span></span>';
    /** The site a full build makes of the same archive, in a folder of its own. */
    const fullSite = async (holidays?: ReadonlySet<string>) => {
      const dir = join(await mkdtemp(join(root, "full-")), "site");
      const result = await buildSite({ source, outDir: dir, site: SITE, ...(holidays ? { holidays } : {}) });
      expect(result.full).toBe(true);
      return { files: await everything(dir), dir };
    };
    const daily = async (changedDates: string[], holidays?: ReadonlySet<string>) => {
      const result = await buildSite({ source, outDir, site: SITE, changedDates, ...(holidays ? { holidays } : {}) });
      const full = await fullSite(holidays);
      expect(await everything(outDir)).toEqual(full.files);
      return result;
    };

    // New Year 2026: no record for Thursday 1 (a missed run) nor for Friday 2, the holiday's feed,
    // nor for Wednesday 7; the weekend between is a weekend; after the 9th the archive ends.
    const source = memorySource(
      ["2025-12-30", "2025-12-31", "2026-01-05", "2026-01-06", "2026-01-08", "2026-01-09"].map(dayOf),
    );
    await buildSite({ source, outDir, site: SITE });
    let january = await calendarOf("2026/01");
    expect(cell(january, 2)).toBe(`<td class="no-announcement"><span class="date-number">2</span>${HOLIDAY_2}</td>`);
    for (const n of [1, 7]) {
      expect(cell(january, n)).toBe(`<td class="no-digest"><span class="date-number">${n}</span>${NO_DIGEST}</td>`);
    }
    // A weekend, and days after the archive's last: nothing to say; a holiday is one wherever it falls.
    expect(cell(january, 20)).toBe(`<td class="no-announcement"><span class="date-number">20</span>${HOLIDAY_20}</td>`);
    for (const n of [3, 4, 12, 19, 30]) expect(cell(january, n)).toBe(`<td><span class="date-number">${n}</span></td>`);
    expect(january).not.toContain('href="/2026/01/02/"');

    // Wednesday is archived late: a day like any other.
    source.days.set("2026-01-07", dayOf("2026-01-07", 3));
    expect((await daily(["2026-01-07"])).full).toBe(false);
    expect(cell(await calendarOf("2026/01"), 7)).toMatch(
      /^<td class="has-digest[^"]*"><span class="date-number">7<\/span><a href="\/2026\/01\/07\/"/,
    );

    // A day of February moves the archive's last day: January's remaining announcement days are
    // missed runs now, though January itself did not change.
    source.days.set("2026-02-02", dayOf("2026-02-02", 4));
    await daily(["2026-02-02"]);
    january = await calendarOf("2026/01");
    expect(cell(january, 20)).toContain(HOLIDAY_20);
    for (const n of [12, 19, 30]) expect(cell(january, n)).toContain(NO_DIGEST);
    expect(cell(january, 31)).toBe('<td><span class="date-number">31</span></td>');

    // And it leaves again.
    source.days.delete("2026-02-02");
    await daily([]);
    expect(cell(await calendarOf("2026/01"), 12)).toBe('<td><span class="date-number">12</span></td>');

    // The workspace's own table reaches the calendar, and a changed table rebuilds everything.
    const table = holidayTable(["2026-01-08"], []);
    expect((await daily([], table)).full).toBe(true);
    expect(cell(await calendarOf("2026/01"), 8)).toContain("has-digest");
    source.days.delete("2026-01-08");
    await daily([], table);
    expect(cell(await calendarOf("2026/01"), 8)).toBe(
      `<td class="no-announcement"><span class="date-number">8</span>${holiday("2026-01-08", "after a holiday", table)}</td>`,
    );
  });

  it("show a weekend's or a holiday's sentence in the calendar's current words, whatever the record keeps", async () => {
    const old =
      "No arXiv announcement: arXiv announces on Sunday to Thursday evenings, so weekend dates carry no batch.";
    const saturday = makeDay({ date: "2026-11-28", papers: [], status: { code: "no-announcement", message: old } });
    const source = memorySource([...week.slice(0, 5).map(recordOf), saturday]);
    await buildSite({ source, outDir, site: SITE });
    const html = await page("2026/11/28/index.html");
    expect(html).not.toContain("weekend dates carry no batch");
    expect(text(html)).toContain("the next announcement is Monday 2026-11-30's, made Sunday 2026-11-29 at 20:00 ET.");
    // By the workspace's table: with Monday 30 a holiday, Tuesday's.
    await buildSite({ source, outDir, site: SITE, holidays: holidayTable(["2026-11-30"], []) });
    expect(text(await page("2026/11/28/index.html"))).toContain("the next announcement is Tuesday 2026-12-01's");
    expect(saturday.status.message).toBe(old);
  });

  describe("a day the run missed (stale or failed, no paper)", () => {
    const missed = (date: string, code: "stale" | "failed") =>
      makeDay({
        date,
        papers: [],
        status: {
          code,
          message:
            code === "stale"
              ? "The feed still serves the announcement of 2026-11-23; run again later."
              : "No feed could be read. Nothing was published; run again later.",
        },
      });
    /** A "no digest" cell, named by what the archive holds of the day: no record, or a missed run's record. */
    const noDigestCell = (n: number, reason: string) => {
      const name = `no digest (${reason})`;
      return `<td class="no-digest"><span class="date-number">${n}</span><span class="day-label" title="${name}"><span aria-hidden="true">no digest</span><span class="visually-hidden">${name}</span></span></td>`;
    };
    const NOTHING = "nothing archived for this announcement day";
    const FAILED = "recorded as failed: the run could not read this announcement, and no paper was kept";
    const STALE = "recorded as stale: the feed still served an earlier announcement, and no paper was kept";
    const calendar = async () => /<table class="calendar">.*?<\/table>/s.exec(await page("2026/11/index.html"))![0];
    /** The site a full build makes of the source, in a folder of its own. */
    const fullSite = async (source: ReturnType<typeof memorySource>) => {
      const dir = join(await mkdtemp(join(root, "full-")), "site");
      expect((await buildSite({ source, outDir: dir, site: SITE })).full).toBe(true);
      return everything(dir);
    };
    /** Paths and contents of the site that name a day's address. */
    const naming = (files: Map<string, string>, path: string) =>
      [...files].filter(([file, content]) => file.includes(path) || content.includes(path)).map(([file]) => file);

    it("is built exactly as an announcement day with no record, but for the manifest's line and the calendar's words", async () => {
      const days = ["2026-11-19", "2026-11-20", "2026-11-23", "2026-11-25"].map(dayOf);
      const source = memorySource([...days, missed("2026-11-24", "failed")]);
      const site = await fullSite(source);
      const without = await fullSite(memorySource(days));
      const manifest = (files: Map<string, string>) => JSON.parse(files.get(`/${MANIFEST_FILE}`)!);
      const { days: lines, ...rest } = manifest(site);
      expect(lines.filter((d: { missed?: string }) => d.missed)).toEqual([
        { date: "2026-11-24", kind: "daily", digest: false, papers: 0, missed: "failed" },
      ]);
      expect({ ...rest, days: lines.filter((d: { missed?: string }) => !d.missed) }).toEqual(manifest(without));
      // The record was archived: its cell says so, with its status, where a day with no record says nothing was.
      const month = "/2026/11/index.html";
      expect(site.get(month)).toContain(noDigestCell(24, FAILED));
      expect(site.get(month)).not.toContain(NOTHING);
      expect(without.get(month)).toContain(noDigestCell(24, NOTHING));
      expect(site.get(month)!.replace(noDigestCell(24, FAILED), noDigestCell(24, NOTHING))).toBe(without.get(month));
      for (const files of [site, without]) {
        files.delete(`/${MANIFEST_FILE}`);
        files.delete(month);
      }
      expect(site).toEqual(without);
      expect(naming(site, "2026/11/24")).toEqual([]);
    });

    it("is a calendar's missed run even as the archive's last day, and a backfill makes it a day like any other", async () => {
      const source = memorySource(["2026-11-23", "2026-11-24"].map(dayOf));
      await buildSite({ source, outDir, site: SITE });
      // The daily build after a run that found the feed not updated yet.
      source.days.set("2026-11-25", missed("2026-11-25", "stale"));
      expect((await buildSite({ source, outDir, site: SITE, changedDates: ["2026-11-25"] })).full).toBe(false);
      const daily = await everything(outDir);
      expect(daily).toEqual(await fullSite(source));
      expect(await calendar()).toContain(noDigestCell(25, STALE));
      // Run again and failed: the daily build rewrites the month's words for it, as a full build says them.
      source.days.set("2026-11-25", missed("2026-11-25", "failed"));
      expect((await buildSite({ source, outDir, site: SITE, changedDates: ["2026-11-25"] })).full).toBe(false);
      expect(await everything(outDir)).toEqual(await fullSite(source));
      expect(await calendar()).toContain(noDigestCell(25, FAILED));
      expect(text(await page("2026/11/index.html"))).toContain("over 2 announcement days");
      expect(text(await page("2026/index.html"))).toContain("over 2 announcement days");
      expect(text(await page("archive/index.html"))).toContain("2 days,");
      expect(naming(daily, "2026/11/25")).toEqual([]);
      expect(text(await page("2026/11/24/index.html"))).toContain("No later day");
      expect(await page("index.html")).toBe(await page("2026/11/24/index.html"));

      // Backfill rebuilds it: an announcement day with its page, its links and its counts.
      source.days.set("2026-11-25", dayOf("2026-11-25", 2));
      expect((await buildSite({ source, outDir, site: SITE, changedDates: ["2026-11-25"] })).full).toBe(false);
      const backfilled = await everything(outDir);
      expect(backfilled).toEqual(await fullSite(source));
      expect(await calendar()).toMatch(
        /<td class="has-digest[^"]*"><span class="date-number">25<\/span><a href="\/2026\/11\/25\/"/,
      );
      expect(text(await page("2026/11/index.html"))).toContain("over 3 announcement days");
      expect(await page("2026/11/24/index.html")).toMatch(/href="\/2026\/11\/25\/"[^>]*>[^<]*Next/);
      expect(naming(backfilled, "2026/11/25").length).toBeGreaterThan(0);
    });

    it("loses the pages an earlier build made of it, in a daily build and after a version change", async () => {
      const source = memorySource(["2026-11-23", "2026-11-24", "2026-11-25"].map(dayOf));
      await buildSite({ source, outDir, site: SITE });
      expect(await page("2026/11/25/about.html")).toContain("2026-11-25");
      // Run again, the day failed without a paper: the daily build takes its pages out.
      source.days.set("2026-11-25", missed("2026-11-25", "failed"));
      await buildSite({ source, outDir, site: SITE, changedDates: ["2026-11-25"] });
      const daily = await everything(outDir);
      expect(naming(daily, "2026/11/25")).toEqual([]);
      expect(daily).toEqual(await fullSite(source));

      // A site kept from a version that gave such a day a page: its pages do not outlive the rebuild.
      source.days.set("2026-11-25", dayOf("2026-11-25", 2));
      await buildSite({ source, outDir, site: SITE, changedDates: ["2026-11-25"] });
      const manifest = JSON.parse(await page(MANIFEST_FILE));
      await writeFile(join(outDir, MANIFEST_FILE), JSON.stringify({ ...manifest, format: manifest.format - 1 }));
      source.days.set("2026-11-25", missed("2026-11-25", "failed"));
      expect((await buildSite({ source, outDir, site: SITE, changedDates: ["2026-11-25"] })).full).toBe(true);
      const rebuilt = await everything(outDir);
      expect(naming(rebuilt, "2026/11/25")).toEqual([]);
      expect(rebuilt).toEqual(daily);
    });
  });
});
