import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fetchByIds, queryArxivApi, submissionQuery } from "../../src/arxiv/api.js";
import { ArxivApiError } from "../../src/arxiv/api-feed.js";
import { fetchAnnouncement } from "../../src/arxiv/fetch-feeds.js";
import { arxivUserAgent, PoliteClient } from "../../src/arxiv/http.js";
import { ArxivConfigSchema } from "../../src/config/schema.js";
import { type ApiEntry, apiPage, rssFeed } from "../helpers/arxiv-xml.js";
import { type FakeClock, fakeClock } from "../helpers/fake-clock.js";
import { loadReferencePapers } from "../helpers/reference.js";
import { startServer, type TestServer } from "../helpers/server.js";

// Real papers announced on 2026-02-13; submission times inside its window (Wed 14:00 → Thu 14:00 ET).
const ENTRIES: ApiEntry[] = loadReferencePapers("2026-02-13")
  .slice(0, 5)
  .map((paper, i) => ({
    paper,
    categories: i % 2 ? ["cs.AI", "cs.LG"] : ["cs.LG"],
    published: `2026-02-12T0${i}:15:00Z`,
  }));
const WINDOW = { from: "2026-02-11T19:00:00Z", to: "2026-02-12T19:00:00Z" };

let server: TestServer;
let clock: FakeClock;

function query(url: string): URLSearchParams {
  return new URL(url, "http://x").searchParams;
}

/** Serves ENTRIES like the API: `start`/`max_results` slice the result set. */
function serveEntries(entries: ApiEntry[]) {
  server.setHandler((req, res) => {
    const q = query(req.url);
    const start = Number(q.get("start"));
    const max = Number(q.get("max_results"));
    res.writeHead(200, { "content-type": "application/atom+xml" });
    res.end(apiPage(entries.slice(start, start + max), entries.length, start));
  });
}

beforeEach(async () => {
  server = await startServer(() => undefined);
  clock = fakeClock();
});

afterEach(async () => {
  await server.close();
});

function client(): PoliteClient {
  return new PoliteClient({ userAgent: arxivUserAgent(""), clock, retries: 0, timeoutMs: 2000 });
}

describe("submissionQuery", () => {
  it("writes the categories and the GMT window the way the manual does", () => {
    expect(submissionQuery(["cs.LG", "cs.AI"], WINDOW.from, WINDOW.to)).toBe(
      "(cat:cs.LG OR cat:cs.AI) AND submittedDate:[202602111900 TO 202602121900]",
    );
    // Offsets are converted to GMT; a single category needs no parentheses.
    expect(submissionQuery(["hep-th"], "2026-03-09T14:00:00-04:00", "2026-03-10T14:00:00.000-04:00")).toBe(
      "cat:hep-th AND submittedDate:[202603091800 TO 202603101800]",
    );
  });

  it("refuses bad input with a sentence naming it", () => {
    expect(() => submissionQuery([], WINDOW.from, WINDOW.to)).toThrow("names no category");
    expect(() => submissionQuery(["cs.LG OR all:x"], WINDOW.from, WINDOW.to)).toThrow('"cs.LG OR all:x" is not');
    expect(() => submissionQuery(["cs.LG"], "2026-02-11", WINDOW.to)).toThrow(
      'start "2026-02-11" is not an ISO instant',
    );
    expect(() => submissionQuery(["cs.LG"], WINDOW.to, WINDOW.from)).toThrow("runs backwards");
  });
});

describe("queryArxivApi", () => {
  it("pages through the result with start and sends the documented query string", async () => {
    serveEntries(ENTRIES);
    const answer = await queryArxivApi(client(), {
      apiUrl: `${server.url}/api/query`,
      categories: ["cs.LG", "cs.AI"],
      ...WINDOW,
      pageSize: 3,
    });
    expect(server.requests.map((r) => r.url)).toEqual([
      "/api/query?search_query=(cat:cs.LG+OR+cat:cs.AI)+AND+submittedDate:[202602111900+TO+202602121900]&start=0&max_results=3&sortBy=submittedDate&sortOrder=ascending",
      "/api/query?search_query=(cat:cs.LG+OR+cat:cs.AI)+AND+submittedDate:[202602111900+TO+202602121900]&start=3&max_results=3&sortBy=submittedDate&sortOrder=ascending",
    ]);
    // What a standard form decoder (the API's) reads back.
    expect(query(server.requests[0]!.url).get("search_query")).toBe(
      "(cat:cs.LG OR cat:cs.AI) AND submittedDate:[202602111900 TO 202602121900]",
    );
    expect(answer.pages).toBe(2);
    expect(answer.totalResults).toBe(5);
    expect(answer.url).toBe(`${server.url}${server.requests[0]!.url}`);
    expect(answer.entries.map((e) => e.id)).toEqual(ENTRIES.map((e) => e.paper.id));
    expect(answer.entries[1]).toMatchObject({ categories: ["cs.AI", "cs.LG"], published: "2026-02-12T01:15:00Z" });
    // The two pages went out 3 s apart.
    expect(clock.sleeps).toEqual([3000]);
  });

  it("keeps a paper once when the result shifts between pages", async () => {
    server.setHandler((req, res) => {
      const start = Number(query(req.url).get("start"));
      // The second page repeats the last paper of the first, as when a paper arrives mid-paging.
      const slice = start === 0 ? ENTRIES.slice(0, 3) : ENTRIES.slice(2, 5);
      res.end(apiPage(slice, 6, start));
    });
    const answer = await queryArxivApi(client(), {
      apiUrl: `${server.url}/api/query`,
      categories: ["cs.LG"],
      ...WINDOW,
      pageSize: 3,
    });
    expect(server.requests).toHaveLength(2);
    expect(answer.entries.map((e) => e.id)).toEqual(ENTRIES.map((e) => e.paper.id));
  });

  it("stops at maxResults and reports the full total", async () => {
    serveEntries(ENTRIES);
    const answer = await queryArxivApi(client(), {
      apiUrl: `${server.url}/api/query`,
      categories: ["cs.LG"],
      ...WINDOW,
      pageSize: 3,
      maxResults: 4,
    });
    expect(server.requests.map((r) => query(r.url).get("max_results"))).toEqual(["3", "1"]);
    expect(answer.entries).toHaveLength(4);
    expect(answer.totalResults).toBe(5);
  });

  it("asks again when a page comes back empty mid-result", async () => {
    let calls = 0;
    server.setHandler((req, res) => {
      calls++;
      const start = Number(query(req.url).get("start"));
      res.end(apiPage(calls === 2 ? [] : ENTRIES.slice(start, start + 3), ENTRIES.length, start));
    });
    const answer = await queryArxivApi(client(), {
      apiUrl: `${server.url}/api/query`,
      categories: ["cs.LG"],
      ...WINDOW,
      pageSize: 3,
    });
    expect(server.requests.map((r) => query(r.url).get("start"))).toEqual(["0", "3", "3"]);
    expect(answer.entries).toHaveLength(5);
  });

  it("gives up on a result that keeps coming back empty", async () => {
    server.setHandler((req, res) => {
      res.end(apiPage([], 40, Number(query(req.url).get("start"))));
    });
    await expect(
      queryArxivApi(client(), { apiUrl: `${server.url}/api/query`, categories: ["cs.LG"], ...WINDOW }),
    ).rejects.toThrow("reported 40 results but returned none from position 0");
    expect(server.requests).toHaveLength(3);
  });

  it("returns nothing for an empty window with one request", async () => {
    serveEntries([]);
    const answer = await queryArxivApi(client(), {
      apiUrl: `${server.url}/api/query`,
      categories: ["cs.LG"],
      ...WINDOW,
    });
    expect(answer).toMatchObject({ entries: [], totalResults: 0, pages: 1 });
    expect(query(server.requests[0]!.url).get("max_results")).toBe("2000");
  });

  it("refuses page sizes and totals beyond arXiv's limits before any request", async () => {
    const base = { apiUrl: `${server.url}/api/query`, categories: ["cs.LG"], ...WINDOW };
    await expect(queryArxivApi(client(), { ...base, pageSize: 2001 })).rejects.toThrow("pageSize is 2001");
    await expect(queryArxivApi(client(), { ...base, maxResults: 30_001 })).rejects.toThrow("maxResults is 30001");
    await expect(queryArxivApi(client(), { ...base, apiUrl: "export.arxiv.org/api/query" })).rejects.toThrow(
      'arxiv.apiUrl "export.arxiv.org/api/query" is not a URL',
    );
    expect(server.requests).toHaveLength(0);
  });

  it("passes on the API's own error message", async () => {
    server.setHandler((_req, res) => {
      res.end(`<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">
  <title>ArXiv Query</title>
  <opensearch:totalResults>1</opensearch:totalResults>
  <opensearch:startIndex>0</opensearch:startIndex>
  <opensearch:itemsPerPage>1</opensearch:itemsPerPage>
  <entry>
    <id>http://arxiv.org/api/errors#max_results_must_be_an_integer</id>
    <title>Error</title>
    <summary>max_results must be an integer</summary>
    <updated>2026-02-05T00:00:00-05:00</updated>
  </entry>
</feed>`);
    });
    const err = await queryArxivApi(client(), {
      apiUrl: `${server.url}/api/query`,
      categories: ["cs.LG"],
      ...WINDOW,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArxivApiError);
    expect((err as Error).message).toContain("max_results must be an integer");
  });
});

describe("one client for feeds and API", () => {
  it("spaces feed and API requests 3 s apart, as arXiv counts them together", async () => {
    const feed = rssFeed("cs.LG", "Fri, 13 Feb 2026 00:00:00 -0500", [
      { paper: ENTRIES[0]!.paper, categories: ["cs.LG"], announceType: "new" },
    ]);
    server.setHandler((req, res) => {
      if (req.url.startsWith("/rss/")) {
        res.end(feed);
        return;
      }
      const start = Number(query(req.url).get("start"));
      res.end(apiPage(ENTRIES.slice(start, start + 2), ENTRIES.length, start));
    });
    const starts: number[] = [];
    const shared = new PoliteClient({
      userAgent: arxivUserAgent(""),
      clock,
      fetchImpl: (input, init) => {
        starts.push(clock.now());
        return fetch(input, init);
      },
    });
    const cfg = ArxivConfigSchema.parse({
      categories: ["cs.LG", "cs.AI"],
      combinedFeed: false,
      rssUrl: `${server.url}/rss`,
    });
    await Promise.all([
      fetchAnnouncement(shared, cfg),
      queryArxivApi(shared, { apiUrl: `${server.url}/api/query`, categories: ["cs.LG"], ...WINDOW, pageSize: 2 }),
    ]);
    // Two feeds and three API pages, interleaved in call order, never closer than 3 s.
    expect(server.requests).toHaveLength(5);
    expect(server.requests.map((r) => r.url.split("?")[0])).toEqual([
      "/rss/cs.LG",
      "/api/query",
      "/rss/cs.AI",
      "/api/query",
      "/api/query",
    ]);
    expect(starts.slice(1).map((t, i) => t - starts[i]!)).toEqual([3000, 3000, 3000, 3000]);
  });
});

describe("fetchByIds", () => {
  // 151 distinct real papers (some days share a few), enough for two batches.
  const papers = [
    ...new Map(
      ["2025-05-19", "2026-02-05", "2026-02-13"].flatMap((day) => loadReferencePapers(day)).map((p) => [p.id, p]),
    ).values(),
  ];

  function serveIds() {
    server.setHandler((req, res) => {
      const ids = (query(req.url).get("id_list") ?? "").split(",");
      // The API answers in its own order and leaves out ids it does not know.
      const known = papers.filter((p) => ids.some((id) => id.replace(/v\d+$/, "") === p.id)).reverse();
      res.end(
        apiPage(
          known.map((paper) => ({ paper, categories: ["cs.LG"], published: "2026-02-04T10:00:00Z" })),
          known.length,
          0,
        ),
      );
    });
  }

  it("looks ids up in batches of 100 and returns them in the order asked", async () => {
    serveIds();
    const wanted = [...papers.map((p) => p.id), "2602.99999"];
    const found = await fetchByIds(client(), `${server.url}/api/query`, [...wanted].reverse());
    const batches = server.requests.map((r) => query(r.url));
    expect(wanted).toHaveLength(152);
    expect(batches.map((q) => q.get("id_list")?.split(",").length)).toEqual([100, 52]);
    expect(batches.map((q) => q.get("max_results"))).toEqual(
      batches.map((q) => q.get("id_list")?.split(",").length.toString()),
    );
    expect(found.map((c) => c.id)).toEqual(papers.map((p) => p.id).reverse());
  });

  it("keeps versions and old-scheme ids readable in the URL, each id once", async () => {
    serveIds();
    await fetchByIds(client(), `${server.url}/api/query`, ["arXiv:2602.04119v2", "hep-th/9901001", "2602.04119v2"]);
    expect(server.requests.map((r) => r.url)).toEqual(["/api/query?id_list=2602.04119v2,hep-th/9901001&max_results=2"]);
  });

  it("refuses a malformed id before any request", async () => {
    await expect(fetchByIds(client(), `${server.url}/api/query`, ["2602.04119", "1234.1234"])).rejects.toThrow(
      '"1234.1234" is not an arXiv identifier',
    );
    expect(server.requests).toHaveLength(0);
  });
});
