import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { FollowedAuthor } from "../../src/authors/followed.js";
import { createSemanticScholarClient, resolveFollowedAuthors } from "../../src/authors/semantic-scholar.js";
import { fakeClock } from "../helpers/fake-clock.js";
import { type RecordedRequest, sendJson, startServer, type TestServer } from "../helpers/server.js";

/** Answers the batch endpoint like Semantic Scholar: positional, null for unknown ids. */
const KNOWN: Record<string, { name: string; aliases: string[] | null }> = {
  "1751762": { name: "Yoshua Bengio", aliases: ["Y. Bengio", "Yoshua Bengio", "Y Bengio"] },
  "1688882": { name: "Yann LeCun", aliases: ["Y. LeCun", "Yann Le Cun"] },
  "2254256": { name: "Minsu Kim", aliases: null },
};

function answerBatch(req: RecordedRequest): unknown[] {
  const { ids } = JSON.parse(req.body) as { ids: string[] };
  return ids.map((id) => {
    if (KNOWN[id]) return { authorId: id, ...KNOWN[id] };
    // Ids from 900000 up stand for the many authors of the batching test.
    return id.startsWith("9") ? { authorId: id, name: `Author ${id}`, aliases: [] } : null;
  });
}

let server: TestServer;
let cacheDir: string;

beforeEach(async () => {
  server = await startServer((req, res) => sendJson(res, 200, answerBatch(req)));
  cacheDir = await mkdtemp(join(tmpdir(), "s2-test-"));
});

afterEach(async () => {
  await server.close();
  await rm(cacheDir, { recursive: true, force: true });
});

describe("createSemanticScholarClient", () => {
  it("POSTs the ids to the batch endpoint with the API key and returns names and aliases", async () => {
    const client = createSemanticScholarClient({ baseUrl: `${server.url}/`, apiKey: "secret", clock: fakeClock() });
    const found = await client.resolveAuthors(["1751762", "0000001", "2254256", "1751762"]);
    expect([...found]).toEqual([
      ["1751762", { name: "Yoshua Bengio", aliases: ["Y. Bengio", "Yoshua Bengio", "Y Bengio"] }],
      ["2254256", { name: "Minsu Kim", aliases: [] }],
    ]);
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request?.method).toBe("POST");
    expect(request?.url).toBe("/graph/v1/author/batch?fields=name,aliases");
    expect(request?.headers["x-api-key"]).toBe("secret");
    expect(JSON.parse(request?.body ?? "")).toEqual({ ids: ["1751762", "0000001", "2254256"] });
  });

  it("sends no x-api-key header without a key", async () => {
    const client = createSemanticScholarClient({ baseUrl: server.url, clock: fakeClock() });
    await client.resolveAuthors(["1751762"]);
    expect(server.requests[0]?.headers["x-api-key"]).toBeUndefined();
  });

  it("splits 2,500 ids into batches of at most 1,000, spaced by minIntervalMs", async () => {
    const clock = fakeClock();
    const client = createSemanticScholarClient({ baseUrl: server.url, clock, minIntervalMs: 1500 });
    const ids = Array.from({ length: 2500 }, (_, i) => String(900_000 + i));
    const found = await client.resolveAuthors(ids);
    expect(found.size).toBe(2500);
    expect(found.get("902499")?.name).toBe("Author 902499");
    const sizes = server.requests.map((r) => (JSON.parse(r.body) as { ids: string[] }).ids.length);
    expect(sizes).toEqual([1000, 1000, 500]);
    expect(clock.sleeps).toEqual([1500, 1500]);
  });

  it("caches answers on disk: a second client makes no request for known ids", async () => {
    const first = createSemanticScholarClient({ baseUrl: server.url, cacheDir, clock: fakeClock() });
    await first.resolveAuthors(["1751762", "1688882"]);
    expect(server.requests).toHaveLength(1);
    const cached = JSON.parse(await readFile(join(cacheDir, "s2", "authors.json"), "utf8"));
    expect(cached["1688882"]).toEqual({ name: "Yann LeCun", aliases: ["Y. LeCun", "Yann Le Cun"] });

    const second = createSemanticScholarClient({ baseUrl: server.url, cacheDir, clock: fakeClock() });
    const found = await second.resolveAuthors(["1688882", "1751762"]);
    expect(found.get("1688882")?.name).toBe("Yann LeCun");
    expect(server.requests).toHaveLength(1);

    await second.resolveAuthors(["1751762", "2254256"]);
    expect(server.requests).toHaveLength(2);
    expect(JSON.parse(server.requests[1]?.body ?? "")).toEqual({ ids: ["2254256"] });
  });

  it("refetches when the cache file is damaged", async () => {
    const file = join(cacheDir, "s2", "authors.json");
    await mkdir(join(cacheDir, "s2"), { recursive: true });
    await writeFile(file, "{ not json");
    const client = createSemanticScholarClient({ baseUrl: server.url, cacheDir, clock: fakeClock() });
    expect((await client.resolveAuthors(["1751762"])).get("1751762")?.name).toBe("Yoshua Bengio");
    expect(server.requests).toHaveLength(1);
    expect(JSON.parse(await readFile(file, "utf8"))).toHaveProperty("1751762");
  });

  it("records a cache file that cannot be written and still returns the answers", async () => {
    // A file where the s2 cache directory should be: the write fails.
    await writeFile(join(cacheDir, "s2"), "");
    const client = createSemanticScholarClient({ baseUrl: server.url, cacheDir, clock: fakeClock() });
    expect((await client.resolveAuthors(["1751762"])).get("1751762")?.name).toBe("Yoshua Bengio");
    expect(client.problems()).toHaveLength(1);
    expect(client.problems()[0]).toMatch(/could not save Semantic Scholar answers to .*authors\.json/);
    const followed: FollowedAuthor[] = [{ name: "Yoshua Bengio", aliases: [], s2Id: "1751762" }];
    const result = await resolveFollowedAuthors(followed, client);
    expect(result.problems.some((p) => p.includes("could not save Semantic Scholar answers"))).toBe(true);
  });

  it("waits as long as Retry-After says after a 429, then retries", async () => {
    let calls = 0;
    server.setHandler((req, res) => {
      calls++;
      if (calls === 1) sendJson(res, 429, { message: "Too Many Requests" }, { "retry-after": "7" });
      else sendJson(res, 200, answerBatch(req));
    });
    const clock = fakeClock();
    const client = createSemanticScholarClient({ baseUrl: server.url, clock });
    const found = await client.resolveAuthors(["1751762"]);
    expect(found.get("1751762")?.name).toBe("Yoshua Bengio");
    expect(server.requests).toHaveLength(2);
    expect(clock.sleeps).toEqual([7000]);
  });

  it("backs off exponentially on 5xx without Retry-After and gives up with a clear error", async () => {
    server.setHandler((_req, res) => sendJson(res, 503, { message: "unavailable" }));
    const clock = fakeClock();
    const client = createSemanticScholarClient({ baseUrl: server.url, clock, maxAttempts: 3 });
    await expect(client.resolveAuthors(["1751762"])).rejects.toThrow(
      /Semantic Scholar answered HTTP 503 to http:\/\/127\.0\.0\.1:\d+\/graph\/v1\/author\/batch\?fields=name,aliases \(attempt 3\): \{"message":"unavailable"\}/,
    );
    expect(server.requests).toHaveLength(3);
    expect(clock.sleeps).toEqual([2000, 4000]);
  });

  it("does not retry a 403 and says to check the key", async () => {
    server.setHandler((_req, res) => sendJson(res, 403, { message: "Forbidden" }));
    const client = createSemanticScholarClient({ baseUrl: server.url, apiKey: "wrong", clock: fakeClock() });
    await expect(client.resolveAuthors(["1751762"])).rejects.toThrow(/HTTP 403.*Check the Semantic Scholar API key/);
    expect(server.requests).toHaveLength(1);
  });

  it("rejects an answer that is not the expected JSON, naming the URL", async () => {
    server.setHandler((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html>maintenance</html>");
    });
    const client = createSemanticScholarClient({ baseUrl: server.url, clock: fakeClock() });
    await expect(client.resolveAuthors(["1751762"])).rejects.toThrow(
      /something other than JSON from http:\/\/127\.0\.0\.1:\d+\/graph\/v1\/author\/batch.*<html>maintenance/,
    );
    server.setHandler((_req, res) => sendJson(res, 200, { data: [] }));
    await expect(client.resolveAuthors(["1751762"])).rejects.toThrow(/unexpected shape/);
  });
});

describe("resolveFollowedAuthors", () => {
  const followed: FollowedAuthor[] = [
    { name: "Yoshua Bengio", s2Id: "1751762", aliases: [] },
    { name: "Sungjin Ahn", aliases: [] },
    { name: "Nobody Known", s2Id: "0000001", aliases: [] },
  ];

  it("merges names and aliases and reports unknown ids as problems", async () => {
    const client = createSemanticScholarClient({ baseUrl: server.url, clock: fakeClock() });
    const result = await resolveFollowedAuthors(followed, client);
    expect(result.followed).toEqual([
      { name: "Yoshua Bengio", s2Id: "1751762", aliases: ["Y. Bengio", "Y Bengio"] },
      { name: "Sungjin Ahn", aliases: [] },
      { name: "Nobody Known", s2Id: "0000001", aliases: [] },
    ]);
    expect(result.problems).toEqual([
      expect.stringMatching(/no author with id 0000001 \(given for "Nobody Known" in authors\.txt\)/),
    ]);
    expect(JSON.parse(server.requests[0]?.body ?? "")).toEqual({ ids: ["1751762", "0000001"] });
  });

  it("makes no request when no followed author has an id", async () => {
    const client = createSemanticScholarClient({ baseUrl: server.url, clock: fakeClock() });
    const result = await resolveFollowedAuthors([{ name: "Sungjin Ahn", aliases: [] }], client);
    expect(result).toEqual({ followed: [{ name: "Sungjin Ahn", aliases: [] }], problems: [] });
    expect(server.requests).toHaveLength(0);
  });

  it("keeps the names as written when Semantic Scholar cannot be reached", async () => {
    server.setHandler((_req, res) => sendJson(res, 500, { message: "boom" }));
    const client = createSemanticScholarClient({ baseUrl: server.url, clock: fakeClock(), maxAttempts: 2 });
    const result = await resolveFollowedAuthors(followed, client);
    expect(result.followed).toBe(followed);
    expect(result.problems).toEqual([expect.stringMatching(/HTTP 500 .*matched by the names in authors\.txt only/)]);
  });
});
