/**
 * The arXiv client's transport on Node's http module, against a real local server: what `fetch`
 * did for it (compressed bodies, redirects, the abort signal) it must still do.
 */
import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type HttpAnswer, httpGet } from "../../src/io/http-get.js";
import { startServer, type TestServer } from "../helpers/server.js";

const TEXT = "<rss>a feed, long enough to be worth compressing: ".repeat(50);

let server: TestServer;
beforeEach(async () => {
  server = await startServer((_req, res) => {
    res.end("ok");
  });
});
afterEach(async () => {
  await server.close();
});

async function text(answer: HttpAnswer): Promise<string> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of answer.body) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

describe("httpGet", () => {
  it("sends the headers given, asks for compression, and returns status, headers and body", async () => {
    server.setHandler((_req, res) => {
      res.writeHead(200, { "content-type": "application/rss+xml", etag: '"v1"' });
      res.end(TEXT);
    });
    const answer = await httpGet(`${server.url}/rss/cs.LG`, { headers: { "user-agent": "arxiv-digest/test" } });
    expect(answer.status).toBe(200);
    expect(answer.header("Content-Type")).toBe("application/rss+xml");
    expect(answer.header("etag")).toBe('"v1"');
    expect(answer.header("last-modified")).toBeNull();
    expect(await text(answer)).toBe(TEXT);
    expect(server.requests[0]?.headers["user-agent"]).toBe("arxiv-digest/test");
    expect(server.requests[0]?.headers["accept-encoding"]).toBe("gzip, deflate, br");
  });

  it.each([
    ["gzip", gzipSync],
    ["deflate", deflateSync],
    ["br", brotliCompressSync],
  ] as const)("decodes a %s body", async (encoding, compress) => {
    server.setHandler((_req, res) => {
      res.writeHead(200, { "content-encoding": encoding });
      res.end(compress(Buffer.from(TEXT)));
    });
    expect(await text(await httpGet(`${server.url}/x`, { headers: {} }))).toBe(TEXT);
  });

  it("follows redirects, relative ones included, to the final answer", async () => {
    server.setHandler((req, res) => {
      if (req.url === "/rss/cs.LG") res.writeHead(301, { location: `${server.url}/moved/cs.LG` });
      else if (req.url === "/moved/cs.LG") res.writeHead(302, { location: "/final" });
      else res.writeHead(200);
      res.end(req.url === "/final" ? TEXT : "");
    });
    const answer = await httpGet(`${server.url}/rss/cs.LG`, { headers: {} });
    expect(answer.status).toBe(200);
    expect(await text(answer)).toBe(TEXT);
    expect(server.requests.map((r) => r.url)).toEqual(["/rss/cs.LG", "/moved/cs.LG", "/final"]);
  });

  it("stops after 20 redirects, and refuses one to a URL that is not http(s)", async () => {
    server.setHandler((_req, res) => {
      res.writeHead(302, { location: "/again" });
      res.end();
    });
    await expect(httpGet(`${server.url}/loop`, { headers: {} })).rejects.toThrow("more than 20 redirects");
    expect(server.requests).toHaveLength(21);
    server.setHandler((_req, res) => {
      res.writeHead(302, { location: "file:///etc/passwd" });
      res.end();
    });
    await expect(httpGet(`${server.url}/x`, { headers: {} })).rejects.toThrow("not http(s)");
  });

  it("is stopped by the signal while the body is still arriving", async () => {
    server.setHandler((_req, res) => {
      res.writeHead(200);
      res.write("the first part, then nothing");
    });
    const answer = await httpGet(`${server.url}/slow`, { headers: {}, signal: AbortSignal.timeout(200) });
    await expect(text(answer)).rejects.toMatchObject({ name: "TimeoutError" });
  });

  it("rejects with Node's error code when nothing listens", async () => {
    const closed = server.url;
    await server.close();
    await expect(httpGet(`${closed}/x`, { headers: {} })).rejects.toMatchObject({ code: "ECONNREFUSED" });
    server = await startServer(() => undefined);
  });
});
