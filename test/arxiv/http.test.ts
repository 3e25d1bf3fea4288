import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import pkg from "../../package.json" with { type: "json" };
import { arxivUserAgent, HttpError, MAX_BODY_BYTES, PoliteClient } from "../../src/arxiv/http.js";
import { parseRetryAfter } from "../../src/io/retry.js";
import { type FakeClock, fakeClock } from "../helpers/fake-clock.js";
import { startServer, type TestServer } from "../helpers/server.js";

const UA = arxivUserAgent("digest-maintainer@example.org");
const RSS_BODY =
  '<?xml version="1.0"?><rss version="2.0"><channel><title>cs.LG updates on arXiv.org</title></channel></rss>';

let server: TestServer;
let clock: FakeClock;

beforeEach(async () => {
  server = await startServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/rss+xml" });
    res.end(RSS_BODY);
  });
  clock = fakeClock();
});

afterEach(async () => {
  await server.close();
});

function client(extra: Partial<ConstructorParameters<typeof PoliteClient>[0]> = {}): PoliteClient {
  return new PoliteClient({ userAgent: UA, clock, timeoutMs: 2000, ...extra });
}

async function captureError(promise: Promise<unknown>): Promise<HttpError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HttpError);
  return err as HttpError;
}

describe("arxivUserAgent", () => {
  it("names the tool, the package version and the contact", () => {
    expect(UA).toBe(`arxiv-digest/${pkg.version} (mailto:digest-maintainer@example.org)`);
    expect(arxivUserAgent("")).toBe(`arxiv-digest/${pkg.version}`);
  });

  it("keeps an untrusted contact from breaking the header", () => {
    expect(arxivUserAgent("Zoë (lab)\r\nX-Evil: 1")).toBe(`arxiv-digest/${pkg.version} (Zo labX-Evil: 1)`);
  });
});

describe("parseRetryAfter", () => {
  it("reads seconds and HTTP-dates, and ignores garbage", () => {
    const now = Date.parse("2026-02-05T10:00:00Z");
    expect(parseRetryAfter("12", now)).toBe(12_000);
    expect(parseRetryAfter("1.5", now)).toBe(1_500);
    expect(parseRetryAfter("Thu, 05 Feb 2026 10:01:30 GMT", now)).toBe(90_000);
    expect(parseRetryAfter("Thu, 05 Feb 2026 09:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
});

describe("PoliteClient", () => {
  it("sends the User-Agent and Accept headers and returns the body", async () => {
    const result = await client().get(`${server.url}/rss/cs.LG`);
    expect(result).toMatchObject({ status: 200, body: RSS_BODY, fromCache: false, url: `${server.url}/rss/cs.LG` });
    expect(result.fetchedAt).toBe("2026-02-05T10:00:00.000Z");
    expect(server.requests[0]?.headers["user-agent"]).toBe(UA);
    expect(server.requests[0]?.headers.accept).toContain("application/rss+xml");
  });

  it("waits out a 429 for the seconds Retry-After names, then succeeds", async () => {
    let calls = 0;
    server.setHandler((_req, res) => {
      calls++;
      if (calls === 1) {
        res.writeHead(429, { "retry-after": "30" });
        res.end("Rate exceeded.");
        return;
      }
      res.end(RSS_BODY);
    });
    const result = await client().get(`${server.url}/rss/cs.LG`);
    expect(result.body).toBe(RSS_BODY);
    expect(server.requests).toHaveLength(2);
    expect(clock.sleeps).toEqual([30_000]);
  });

  it("honours Retry-After given as an HTTP-date", async () => {
    let calls = 0;
    server.setHandler((_req, res) => {
      calls++;
      if (calls === 1) {
        res.writeHead(429, { "retry-after": new Date(clock.now() + 45_000).toUTCString() });
        res.end();
        return;
      }
      res.end(RSS_BODY);
    });
    await client().get(`${server.url}/rss/cs.LG`);
    expect(clock.sleeps).toEqual([45_000]);
  });

  it("retries 503 with exponential back-off", async () => {
    let calls = 0;
    server.setHandler((_req, res) => {
      calls++;
      res.writeHead(calls < 3 ? 503 : 200);
      res.end(calls < 3 ? "Service Unavailable" : RSS_BODY);
    });
    const result = await client().get(`${server.url}/api/query?id_list=2602.04119`);
    expect(result.body).toBe(RSS_BODY);
    expect(server.requests).toHaveLength(3);
    expect(clock.sleeps).toEqual([5_000, 10_000]);
  });

  it("gives up after the configured retries and says what failed", async () => {
    server.setHandler((_req, res) => {
      res.writeHead(500);
      res.end("<html><body><h1>Internal \u001b[31merror</h1></body></html>");
    });
    const err = await captureError(client({ retries: 2 }).get(`${server.url}/rss/cs.LG`));
    expect(server.requests).toHaveLength(3);
    expect(err).toMatchObject({ url: `${server.url}/rss/cs.LG`, status: 500, attempts: 3 });
    expect(err.message).toContain("after 3 attempts");
    expect(err.message).toContain("HTTP 500 (server said: Internal [31merror)");
    expect(err.message).toContain("run again later");
  });

  it("retries a request that hangs past the timeout", async () => {
    let calls = 0;
    server.setHandler((_req, res) => {
      calls++;
      if (calls === 1) return; // never answers
      res.end(RSS_BODY);
    });
    const result = await client({ timeoutMs: 300 }).get(`${server.url}/rss/cs.LG`);
    expect(result.body).toBe(RSS_BODY);
    expect(server.requests).toHaveLength(2);
    expect(clock.sleeps).toEqual([5_000]);
  });

  it("counts a body that stops arriving as a timeout, and retries it", async () => {
    let calls = 0;
    server.setHandler((_req, res) => {
      calls++;
      res.writeHead(200, { "content-type": "application/rss+xml" });
      if (calls === 1)
        res.write(RSS_BODY.slice(0, 20)); // then nothing
      else res.end(RSS_BODY);
    });
    const result = await client({ timeoutMs: 300 }).get(`${server.url}/rss/cs.LG`);
    expect(result.body).toBe(RSS_BODY);
    expect(server.requests).toHaveLength(2);
    server.setHandler((_req, res) => {
      res.writeHead(200);
      res.write("<rss>");
    });
    const err = await captureError(client({ timeoutMs: 200, retries: 0 }).get(`${server.url}/rss/cs.LG`));
    expect(err.message).toContain("no complete answer within 200 ms");
  });

  it("sends requests through Node's http module, not the global fetch, whose first use costs a start-up", async () => {
    vi.stubGlobal("fetch", () => {
      throw new Error("the global fetch was used");
    });
    try {
      expect((await client().get(`${server.url}/rss/cs.LG`)).body).toBe(RSS_BODY);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it("reads a gzip-compressed feed", async () => {
    server.setHandler((_req, res) => {
      res.writeHead(200, { "content-type": "application/rss+xml", "content-encoding": "gzip" });
      res.end(gzipSync(RSS_BODY));
    });
    expect((await client().get(`${server.url}/rss/cs.LG`)).body).toBe(RSS_BODY);
  });

  it("reports a timeout on every attempt as an HttpError without status", async () => {
    server.setHandler(() => undefined);
    const err = await captureError(client({ timeoutMs: 200, retries: 1 }).get(`${server.url}/rss/cs.LG`));
    expect(err.status).toBeNull();
    expect(err.attempts).toBe(2);
    expect(err.message).toContain("no complete answer within 200 ms");
  });

  it("retries connection errors", async () => {
    const closed = server.url;
    await server.close();
    const err = await captureError(client({ retries: 1 }).get(`${closed}/rss/cs.LG`));
    expect(err.status).toBeNull();
    expect(err.attempts).toBe(2);
    expect(err.message).toContain("connection error (ECONNREFUSED)");
    server = await startServer(() => undefined);
  });

  it.each([404, 400])("fails fast on HTTP %i with a single request", async (status) => {
    server.setHandler((_req, res) => {
      res.writeHead(status);
      res.end("Invalid category: cs.XYZ");
    });
    const err = await captureError(client().get(`${server.url}/rss/cs.XYZ`));
    expect(server.requests).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
    expect(err).toMatchObject({ status, attempts: 1 });
    expect(err.message).toContain(`${server.url}/rss/cs.XYZ`);
    expect(err.message).toContain("Invalid category: cs.XYZ");
    expect(err.message).toContain("not retried");
  });

  it("does not sit out a Retry-After longer than ten minutes", async () => {
    server.setHandler((_req, res) => {
      res.writeHead(429, { "retry-after": "3600" });
      res.end();
    });
    const err = await captureError(client().get(`${server.url}/rss/cs.LG`));
    expect(server.requests).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
    expect(err.message).toContain("wait 3600 s");
  });

  it("rejects a malformed or non-http URL before any request", async () => {
    const err = await captureError(client().get("rss.arxiv.org/rss/cs.LG"));
    expect(err.attempts).toBe(0);
    await captureError(client().get("file:///etc/passwd"));
    expect(err.message).toContain('"rss.arxiv.org/rss/cs.LG": it is not an http(s) URL');
  });

  describe("conditional GET", () => {
    let cacheDir: string;
    beforeEach(async () => {
      cacheDir = await mkdtemp(join(tmpdir(), "arxiv-http-"));
    });
    afterEach(async () => {
      await rm(cacheDir, { recursive: true, force: true });
    });

    it("sends the stored validators and returns the cached body on 304", async () => {
      const etag = '"feed-2026-02-05"';
      const lastModified = "Thu, 05 Feb 2026 05:00:11 GMT";
      server.setHandler((req, res) => {
        if (req.headers["if-none-match"] === etag) {
          res.writeHead(304, { etag });
          res.end();
          return;
        }
        res.writeHead(200, { etag, "last-modified": lastModified });
        res.end(RSS_BODY);
      });
      const url = `${server.url}/rss/cs.LG`;
      const first = await client({ cacheDir }).get(url, { conditional: true });
      expect(first).toMatchObject({ status: 200, fromCache: false, body: RSS_BODY });
      expect(server.requests[0]?.headers["if-none-match"]).toBeUndefined();

      // A fresh client (a later run) reads the validators from disk.
      const second = await client({ cacheDir }).get(url, { conditional: true });
      expect(second).toMatchObject({ status: 304, fromCache: true, body: RSS_BODY, url });
      expect(server.requests[1]?.headers["if-none-match"]).toBe(etag);
      expect(server.requests[1]?.headers["if-modified-since"]).toBe(lastModified);
    });

    it("records a cache that cannot be written and still returns the answer", async () => {
      server.setHandler((_req, res) => {
        res.writeHead(200, { etag: '"v1"' });
        res.end(RSS_BODY);
      });
      // A file where the cache directory should be: every write fails.
      const blocked = join(cacheDir, "not-a-dir");
      await writeFile(blocked, "");
      const c = client({ cacheDir: blocked });
      const result = await c.get(`${server.url}/rss/cs.LG`, { conditional: true });
      expect(result).toMatchObject({ status: 200, fromCache: false, body: RSS_BODY });
      expect(c.problems()).toHaveLength(1);
      expect(c.problems()[0]).toMatch(/Fetched .*rss\/cs\.LG but could not store it in the HTTP cache/);
    });

    it("sends no validators unless asked to", async () => {
      server.setHandler((_req, res) => {
        res.writeHead(200, { etag: '"v1"' });
        res.end(RSS_BODY);
      });
      const c = client({ cacheDir, minIntervalMs: 0 });
      await c.get(`${server.url}/rss/cs.LG`, { conditional: true });
      await c.get(`${server.url}/rss/cs.LG`);
      expect(server.requests[1]?.headers["if-none-match"]).toBeUndefined();
    });
  });

  it("keeps request starts at least 3 s apart across RSS and API URLs, one at a time", async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    server.setHandler(async (_req, res) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 20));
      inFlight--;
      res.end(RSS_BODY);
    });
    const starts: number[] = [];
    const c = client({
      fetchImpl: (input, init) => {
        starts.push(clock.now());
        return fetch(input, init);
      },
    });
    await Promise.all([
      c.get(`${server.url}/rss/cs.LG+cs.AI`),
      c.get(`${server.url}/api/query?search_query=cat:cs.LG`),
      c.get(`${server.url}/rss/cs.CL`),
    ]);
    expect(server.requests.map((r) => r.url)).toEqual([
      "/rss/cs.LG+cs.AI",
      "/api/query?search_query=cat:cs.LG",
      "/rss/cs.CL",
    ]);
    expect(maxInFlight).toBe(1);
    expect(starts).toHaveLength(3);
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(3000);
    expect(clock.sleeps).toEqual([3000, 3000]);
  });

  it("keeps later requests going after one fails", async () => {
    server.setHandler((req, res) => {
      res.writeHead(req.url.includes("missing") ? 404 : 200);
      res.end(RSS_BODY);
    });
    const c = client();
    const [bad, good] = await Promise.allSettled([c.get(`${server.url}/missing`), c.get(`${server.url}/rss/cs.LG`)]);
    expect(bad.status).toBe("rejected");
    expect(good).toMatchObject({ status: "fulfilled", value: { status: 200 } });
  });
});

describe("PoliteClient body decoding", () => {
  // A real author name (René Vidal) and a Latin-1-only title, as an ISO-8859-1 feed would carry them.
  const TEXT = "Zoë Müller and René Vidal: Straße, façade, naïve";
  const feed = (encoding: string) =>
    `<?xml version="1.0" encoding="${encoding}"?><rss version="2.0"><channel><title>${TEXT}</title></channel></rss>`;
  const serve = (bytes: Buffer, contentType = "application/rss+xml") =>
    server.setHandler((_req, res) => {
      res.writeHead(200, { "content-type": contentType });
      res.end(bytes);
    });

  it("decodes a feed declared ISO-8859-1 as Latin-1, not as broken UTF-8", async () => {
    serve(Buffer.from(feed("ISO-8859-1"), "latin1"));
    const { body } = await client().get(`${server.url}/rss/cs.LG`);
    expect(body).toContain(TEXT);
    expect(body).not.toContain("\uFFFD");
  });

  it("accepts UTF-16 with a byte-order mark, little- and big-endian", async () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(feed("UTF-16"), "utf16le")]);
    serve(le);
    expect((await client().get(`${server.url}/le`)).body).toBe(feed("UTF-16"));
    const be = Buffer.from(le.subarray(2)).swap16();
    serve(Buffer.concat([Buffer.from([0xfe, 0xff]), be]));
    expect((await client().get(`${server.url}/be`)).body).toBe(feed("UTF-16"));
  });

  it("drops a UTF-8 byte-order mark", async () => {
    serve(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(feed("UTF-8"), "utf8")]));
    expect((await client().get(`${server.url}/bom`)).body).toBe(feed("UTF-8"));
  });

  it("lets the Content-Type charset decide over the declaration (RFC 7303)", async () => {
    serve(Buffer.from(feed("UTF-8"), "latin1"), "text/xml; charset=ISO-8859-1");
    expect((await client().get(`${server.url}/x`)).body).toContain(TEXT);
  });

  it("names an encoding it cannot decode, without retrying", async () => {
    serve(Buffer.from(feed("x-klingon"), "utf8"));
    const err = await captureError(client().get(`${server.url}/k`));
    expect(err.message).toContain('declares the encoding "x-klingon"');
    expect(err.message).toContain(`${server.url}/k`);
    expect(server.requests).toHaveLength(1);
  });
});

describe("PoliteClient body size limit", () => {
  it("abandons a streamed body past maxBodyBytes with a clear error, without retrying", async () => {
    server.setHandler((_req, res) => {
      res.writeHead(200, { "content-type": "application/rss+xml" });
      // Chunked (no Content-Length), so the limit has to be enforced while reading.
      for (let i = 0; i < 10; i++) res.write("x".repeat(1000));
      res.end();
    });
    const err = await captureError(client({ maxBodyBytes: 4000 }).get(`${server.url}/huge`));
    expect(err.message).toContain(`GET ${server.url}/huge was abandoned: the response is larger than`);
    expect(err.message).toContain("more than 4000 bytes had arrived");
    expect(err.status).toBe(200);
    expect(server.requests).toHaveLength(1);
  });

  it("refuses a declared Content-Length past the limit before reading", async () => {
    server.setHandler((_req, res) => {
      res.writeHead(200, { "content-type": "application/rss+xml", "content-length": "5000" });
      res.end("y".repeat(5000));
    });
    const err = await captureError(client({ maxBodyBytes: 4000 }).get(`${server.url}/big`));
    expect(err.message).toContain("its Content-Length is 5000 bytes");
  });

  it("reads a body at the limit, and defaults the limit to 50 MB", async () => {
    server.setHandler((_req, res) => {
      res.end("z".repeat(4000));
    });
    expect((await client({ maxBodyBytes: 4000 }).get(`${server.url}/ok`)).body).toHaveLength(4000);
    expect(MAX_BODY_BYTES).toBe(50 * 1024 * 1024);
  });
});
