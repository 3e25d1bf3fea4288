import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseArxivFeed } from "../../src/arxiv/feed.js";
import {
  collectCandidates,
  FEED_ITEM_LIMIT,
  feedUrl,
  fetchAnnouncement,
  leaveOutStaleFeeds,
} from "../../src/arxiv/fetch-feeds.js";
import { holidayTable } from "../../src/arxiv/holidays.js";
import { arxivUserAgent, PoliteClient } from "../../src/arxiv/http.js";
import { ArxivConfigSchema, type Config } from "../../src/config/schema.js";
import type { ParsedFeed } from "../../src/model/candidate.js";
import { apiPage, type FeedItem, rssFeed } from "../helpers/arxiv-xml.js";
import { fakeClock } from "../helpers/fake-clock.js";
import { loadReferencePapers, type ReferencePaper } from "../helpers/reference.js";
import { startServer, type TestServer } from "../helpers/server.js";

const PUB = "Thu, 05 Feb 2026 00:00:00 -0500";
// Six real papers announced on 2026-02-05, with categories chosen for the scenario.
const papers = loadReferencePapers("2026-02-05");
const [A, B, C, D, E, F] = [0, 1, 2, 3, 4, 5].map((i) => papers[i]!) as [
  ReferencePaper,
  ReferencePaper,
  ReferencePaper,
  ReferencePaper,
  ReferencePaper,
  ReferencePaper,
];
const LG_ITEMS: FeedItem[] = [
  { paper: A, categories: ["cs.LG", "cs.AI"], announceType: "new" },
  { paper: B, categories: ["cs.LG"], announceType: "new" },
  { paper: C, categories: ["stat.ML", "cs.LG"], announceType: "cross" },
  { paper: D, categories: ["cs.LG"], announceType: "replace", version: 3 },
  { paper: E, categories: ["cs.AI", "cs.LG"], announceType: "cross" },
];
const AI_ITEMS: FeedItem[] = [
  { paper: A, categories: ["cs.LG", "cs.AI"], announceType: "cross" },
  { paper: E, categories: ["cs.AI", "cs.LG"], announceType: "new" },
  { paper: F, categories: ["cs.AI"], announceType: "new" },
];
const COMBINED_ITEMS: FeedItem[] = [
  { paper: A, categories: ["cs.LG", "cs.AI"], announceType: "new" },
  { paper: B, categories: ["cs.LG"], announceType: "new" },
  { paper: C, categories: ["stat.ML", "cs.LG"], announceType: "cross" },
  { paper: D, categories: ["cs.LG"], announceType: "replace", version: 3 },
  { paper: E, categories: ["cs.AI", "cs.LG"], announceType: "new" },
  { paper: F, categories: ["cs.AI"], announceType: "new" },
];

const FEEDS: Record<string, string> = {
  "/rss/cs.LG": rssFeed("cs.LG", PUB, LG_ITEMS),
  "/rss/cs.AI": rssFeed("cs.AI", PUB, AI_ITEMS),
  "/rss/cs.LG+cs.AI": rssFeed("cs.LG+cs.AI", PUB, COMBINED_ITEMS),
};

let server: TestServer;

beforeEach(async () => {
  server = await startServer((req, res) => {
    const body = FEEDS[req.url];
    res.writeHead(body ? 200 : 404, { "content-type": "application/rss+xml" });
    res.end(body ?? "Not Found");
  });
});

afterEach(async () => {
  await server.close();
});

function config(over: Partial<Config["arxiv"]> = {}): Config["arxiv"] {
  return ArxivConfigSchema.parse({ categories: ["cs.LG", "cs.AI"], rssUrl: `${server.url}/rss`, ...over });
}

function client(cacheDir: string | null = null): PoliteClient {
  return new PoliteClient({ userAgent: arxivUserAgent(""), clock: fakeClock(), retries: 0, timeoutMs: 2000, cacheDir });
}

const feedsOf = (fetched: { feed: ParsedFeed | null }[]) => fetched.map((f) => f.feed).filter((f) => f !== null);
const NEW_AND_CROSS = { announceTypes: ["new", "cross"], primaryOnly: false, categories: ["cs.LG", "cs.AI"] } as const;

describe("feedUrl", () => {
  it("joins categories with + under the RSS or Atom root", () => {
    const cfg = { rssUrl: "https://rss.arxiv.org/rss", format: "rss" } as const;
    expect(feedUrl(cfg, ["cs.LG", "cs.AI"])).toBe("https://rss.arxiv.org/rss/cs.LG+cs.AI");
    expect(feedUrl({ ...cfg, rssUrl: "https://rss.arxiv.org/rss/" }, ["hep-th"])).toBe(
      "https://rss.arxiv.org/rss/hep-th",
    );
    expect(feedUrl({ ...cfg, format: "atom" }, ["math.QA"])).toBe("https://rss.arxiv.org/atom/math.QA");
  });

  it("explains why an Atom URL cannot be derived", () => {
    expect(() => feedUrl({ rssUrl: "https://mirror.example.org/feeds", format: "atom" }, ["cs.LG"])).toThrow(
      "arxiv.rssUrl (https://mirror.example.org/feeds) does not end in /rss",
    );
  });
});

describe("fetchAnnouncement", () => {
  it("fetches one combined feed", async () => {
    const fetched = await fetchAnnouncement(client(), config());
    expect(server.requests.map((r) => r.url)).toEqual(["/rss/cs.LG+cs.AI"]);
    expect(fetched).toHaveLength(1);
    expect(fetched[0]!.source).toEqual({
      url: `${server.url}/rss/cs.LG+cs.AI`,
      categories: ["cs.LG", "cs.AI"],
      kind: "rss",
      entries: 6,
      fetchedAt: "2026-02-05T10:00:00.000Z",
      outcome: "ok",
      pubDate: "2026-02-05T00:00:00-05:00",
      lastBuildDate: "2026-02-05T05:00:11+00:00",
    });
    const { counts } = collectCandidates(feedsOf(fetched), NEW_AND_CROSS);
    expect(counts).toEqual({ entries: 6, unique: 6, scanned: 5 });
  });

  it("fetches one feed per category and counts cross-listings once", async () => {
    const fetched = await fetchAnnouncement(client(), config({ combinedFeed: false }));
    expect(server.requests.map((r) => r.url)).toEqual(["/rss/cs.LG", "/rss/cs.AI"]);
    expect(fetched.map((f) => [f.source.categories, f.source.entries, f.source.outcome])).toEqual([
      [["cs.LG"], 5, "ok"],
      [["cs.AI"], 3, "ok"],
    ]);
    const { candidates, counts } = collectCandidates(feedsOf(fetched), NEW_AND_CROSS);
    // 8 entries; A and E appear in both feeds; D is a replacement.
    expect(counts).toEqual({ entries: 8, unique: 6, scanned: 5 });
    expect(candidates.map((c) => c.id)).toEqual([A.id, B.id, C.id, E.id, F.id]);
    // E is kept from the feed where it is primary (cs.AI, "new"), as the combined feed would
    // list it, not from its first entry (a cross-listing in cs.LG).
    expect(candidates[3]).toMatchObject({ announceType: "new", categories: ["cs.AI", "cs.LG"] });
  });

  it("records a failed category (a feed the server lacks) instead of throwing", async () => {
    const fetched = await fetchAnnouncement(client(), config({ combinedFeed: false, categories: ["cs.LG", "cs.RO"] }));
    expect(fetched[0]!.source.outcome).toBe("ok");
    expect(fetched[1]!.feed).toBeNull();
    expect(fetched[1]!.source).toMatchObject({ categories: ["cs.RO"], entries: 0, fetchedAt: null, outcome: "failed" });
    expect(fetched[1]!.source.error).toContain(`${server.url}/rss/cs.RO`);
    expect(fetched[1]!.source.error).toContain("HTTP 404");
  });

  it("records a feed that does not parse, naming the feed", async () => {
    server.setHandler((_req, res) => {
      res.end(FEEDS["/rss/cs.LG"]!.slice(0, 900));
    });
    const [only] = await fetchAnnouncement(client(), config({ categories: ["cs.LG"] }));
    expect(only!.source).toMatchObject({ outcome: "failed", fetchedAt: "2026-02-05T10:00:00.000Z" });
    expect(only!.source.error).toContain(`cs.LG feed (${server.url}/rss/cs.LG)`);
  });

  it("marks a feed answered with 304 as not modified and still reads it", async () => {
    server.setHandler((req, res) => {
      if (req.headers["if-none-match"] === '"lg-0205"') {
        res.writeHead(304);
        res.end();
        return;
      }
      res.writeHead(200, { etag: '"lg-0205"' });
      res.end(FEEDS["/rss/cs.LG"]);
    });
    const cacheDir = await mkdtemp(join(tmpdir(), "arxiv-feeds-"));
    try {
      const cfg = config({ categories: ["cs.LG"] });
      await fetchAnnouncement(client(cacheDir), cfg);
      const [again] = await fetchAnnouncement(client(cacheDir), cfg);
      expect(again!.source).toMatchObject({ outcome: "not-modified", entries: 5 });
      expect(again!.feed?.entries).toHaveLength(5);
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
    }
  });

  it("switches to per-category feeds when the combined feed hits arXiv's item limit", async () => {
    const many: FeedItem[] = Array.from({ length: FEED_ITEM_LIMIT }, (_, i) => ({
      ...COMBINED_ITEMS[i % COMBINED_ITEMS.length]!,
      paper: { ...COMBINED_ITEMS[i % COMBINED_ITEMS.length]!.paper, id: `2602.${String(10000 + i)}` },
    }));
    const big = rssFeed("cs.LG+cs.AI", PUB, many);
    server.setHandler((req, res) => {
      res.end(req.url === "/rss/cs.LG+cs.AI" ? big : FEEDS[req.url]);
    });
    const fetched = await fetchAnnouncement(client(), config());
    expect(server.requests.map((r) => r.url)).toEqual(["/rss/cs.LG+cs.AI", "/rss/cs.LG", "/rss/cs.AI"]);
    expect(fetched.map((f) => f.source.url)).toEqual([`${server.url}/rss/cs.LG`, `${server.url}/rss/cs.AI`]);
  });
});

describe("a single-category feed at arXiv's item limit", () => {
  // 2,000 entries, all replacements and cross-listings: arXiv dropped the `new` ones first.
  const full: FeedItem[] = Array.from({ length: FEED_ITEM_LIMIT }, (_, i) => ({
    paper: { ...A, id: `2602.${String(20000 + i)}` },
    categories: ["stat.ML", "cs.LG"],
    announceType: "cross",
  }));
  full[0] = { paper: B, categories: ["cs.LG"], announceType: "replace", version: 2 };
  const fullFeed = rssFeed("cs.LG", PUB, full);
  const api = apiPage(
    [
      { paper: B, categories: ["cs.LG"], published: "2026-02-03T20:00:00Z" },
      { paper: C, categories: ["cs.LG", "cs.AI"], published: "2026-02-04T10:00:00Z" },
      { paper: F, categories: ["math.OC", "cs.LG"], published: "2026-02-04T11:00:00Z" },
    ],
    3,
    0,
  );

  it("is detected and completed from the export API with the window of its batch", async () => {
    server.setHandler((req, res) => {
      res.end(req.url.startsWith("/api/query") ? api : fullFeed);
    });
    const fetched = await fetchAnnouncement(
      client(),
      config({ categories: ["cs.LG"], apiUrl: `${server.url}/api/query` }),
    );
    expect(server.requests.map((r) => r.url.split("?")[0])).toEqual(["/rss/cs.LG", "/api/query"]);
    // Thursday 2026-02-05's batch: Tuesday 14:00 to Wednesday 14:00 EST.
    expect(decodeURIComponent(server.requests[1]!.url)).toContain("submittedDate:[202602031900+TO+202602041900]");
    expect(fetched.map((f) => [f.source.kind, f.source.outcome, f.source.entries])).toEqual([
      ["rss", "ok", FEED_ITEM_LIMIT],
      ["api", "ok", 2],
    ]);
    // B is in the feed already; C is new to cs.LG, F only cross-listed there.
    expect(fetched[1]!.feed!.entries.map((e) => [e.id, e.announceType])).toEqual([
      [C.id, "new"],
      [F.id, "cross"],
    ]);
    const { counts } = collectCandidates(feedsOf(fetched), NEW_AND_CROSS);
    expect(counts.unique).toBe(FEED_ITEM_LIMIT + 2);
  });

  it("records the API completion as failed when the API cannot answer, keeping the feed", async () => {
    server.setHandler((req, res) => {
      if (req.url.startsWith("/api/query")) res.writeHead(400);
      res.end(req.url.startsWith("/api/query") ? "bad query" : fullFeed);
    });
    const fetched = await fetchAnnouncement(
      client(),
      config({ categories: ["cs.LG"], apiUrl: `${server.url}/api/query` }),
    );
    expect(fetched[0]!.source.outcome).toBe("ok");
    expect(fetched[1]!.source).toMatchObject({ kind: "api", outcome: "failed", entries: 0 });
    expect(fetched[1]!.source.error).toContain("The cs.LG feed reached arXiv's 2000-item limit");
  });

  it("is not completed below the limit", async () => {
    const fetched = await fetchAnnouncement(
      client(),
      config({ categories: ["cs.LG"], apiUrl: `${server.url}/api/query` }),
    );
    expect(fetched).toHaveLength(1);
    expect(server.requests).toHaveLength(1);
  });
});

describe("leaveOutStaleFeeds", () => {
  const WEDNESDAY = "Wed, 04 Feb 2026 00:00:00 -0500";
  const archived = { date: "2026-02-04", ids: ["2602.03001", "2602.03002"] };

  it("leaves out the papers of a per-category feed that has not flipped yet, naming it", async () => {
    server.setHandler((req, res) => {
      res.end(req.url === "/rss/cs.AI" ? rssFeed("cs.AI", WEDNESDAY, AI_ITEMS) : FEEDS[req.url]);
    });
    const fetched = await fetchAnnouncement(client(), config({ combinedFeed: false }));
    const { fetched: kept, verdict } = leaveOutStaleFeeds(fetched, {
      date: "2026-02-05",
      lastArchived: archived,
      holidays: holidayTable([], []),
    });
    expect(verdict).toMatchObject({ code: "normal", date: "2026-02-05" });
    expect(verdict!.message).toContain("Left out 1 of 2 feeds");
    expect(kept[0]).toBe(fetched[0]);
    expect(kept[1]!.feed).toBeNull();
    expect(kept[1]!.source).toMatchObject({ categories: ["cs.AI"], outcome: "failed" });
    expect(kept[1]!.source.error).toContain("Left out: The feed has not been updated for 2026-02-05 yet");
    const { counts } = collectCandidates(feedsOf(kept), NEW_AND_CROSS);
    expect(counts.entries).toBe(LG_ITEMS.length);
  });

  it("is stale when every feed is, and null when none was read", async () => {
    server.setHandler((req, res) => {
      res.end(rssFeed(req.url.slice(5), WEDNESDAY, LG_ITEMS));
    });
    const fetched = await fetchAnnouncement(client(), config({ combinedFeed: false }));
    const input = { date: "2026-02-05", lastArchived: archived, holidays: holidayTable([], []) };
    expect(leaveOutStaleFeeds(fetched, input).verdict?.code).toBe("stale");
    expect(leaveOutStaleFeeds([], input).verdict).toBeNull();
  });
});

describe("collectCandidates", () => {
  const lg = parseArxivFeed(FEEDS["/rss/cs.LG"]!, "cs.LG");
  const ai = parseArxivFeed(FEEDS["/rss/cs.AI"]!, "cs.AI");

  it("applies the announce-type filter before deduplicating", () => {
    const { candidates, counts } = collectCandidates([lg, ai], { ...NEW_AND_CROSS, announceTypes: ["new"] });
    expect(counts).toEqual({ entries: 8, unique: 6, scanned: 4 });
    // E is only "new" in the cs.AI feed, so that entry is the one kept.
    expect(candidates.map((c) => [c.id, c.announceType])).toEqual([
      [A.id, "new"],
      [B.id, "new"],
      [E.id, "new"],
      [F.id, "new"],
    ]);
  });

  it("keeps only followed primary categories when asked", () => {
    const { candidates, counts } = collectCandidates([lg, ai], { ...NEW_AND_CROSS, primaryOnly: true });
    expect(counts.scanned).toBe(4);
    expect(candidates.map((c) => c.id)).not.toContain(C.id);
  });

  it("treats a whole-archive category as covering its subject classes", () => {
    const { counts } = collectCandidates([lg], {
      announceTypes: ["new", "cross"],
      primaryOnly: true,
      categories: ["cs"],
    });
    expect(counts).toEqual({ entries: 5, unique: 5, scanned: 3 });
  });

  it("counts replacements as entries but not as scanned papers", () => {
    const { counts } = collectCandidates([lg], NEW_AND_CROSS);
    expect(counts).toEqual({ entries: 5, unique: 5, scanned: 4 });
  });

  it("gives zeros for no feeds", () => {
    expect(collectCandidates([], NEW_AND_CROSS)).toEqual({
      candidates: [],
      counts: { entries: 0, unique: 0, scanned: 0 },
    });
  });
});

describe("collectCandidates and unknown announce types", () => {
  it("settles an unknown type by the primary category, as the API backfill does", () => {
    const xml = rssFeed("cs.LG", PUB, [
      { paper: A, categories: ["cs.LG"], announceType: "new" },
      { paper: C, categories: ["stat.ML", "cs.LG"], announceType: "new" },
    ]).replace(/(<arxiv:announce_type>)new(<\/arxiv:announce_type>)/g, "$1brand-new$2");
    const feed = parseArxivFeed(xml, "cs.LG");
    expect(feed.problems).toHaveLength(2);
    const { candidates } = collectCandidates([feed], NEW_AND_CROSS);
    expect(candidates.map((c) => [c.id, c.announceType, c.announceTypeRaw])).toEqual([
      [A.id, "new", "brand-new"],
      [C.id, "cross", "brand-new"],
    ]);
  });
});
