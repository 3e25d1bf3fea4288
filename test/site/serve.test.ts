import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ServedSite, serveSite } from "../../src/site/serve.js";

let root: string;
let site: ServedSite;

/** A raw request, so "../" reaches the server exactly as written (fetch would normalise it). */
function raw(
  path: string,
  method = "GET",
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const { hostname, port } = new URL(site.url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method }, (res) => {
      let body = "";
      res.on("data", (c) => {
        body += c;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "serve-"));
  const dir = join(root, "site");
  await mkdir(join(dir, "2026/02/05"), { recursive: true });
  await mkdir(join(dir, "pagefind"), { recursive: true });
  await writeFile(join(root, "secret.txt"), "TOP SECRET");
  await writeFile(join(dir, "index.html"), "<p>root</p>");
  await writeFile(join(dir, "404.html"), "<p>our 404 page</p>");
  await writeFile(join(dir, "2026/02/05/index.html"), "<p>day</p>");
  await writeFile(join(dir, "pagefind/wasm.en.wasm"), Buffer.from([0, 97, 115, 109]));
  await writeFile(join(dir, "site.css"), "body{}");
  await writeFile(join(dir, "app.js"), "export {}");
  await mkdir(join(root, "outside"), { recursive: true });
  await writeFile(join(root, "outside/index.html"), "TOP SECRET dir");
  await symlink(join(root, "secret.txt"), join(dir, "leak.txt"));
  await symlink(join(root, "outside"), join(dir, "leakdir"));
  await symlink(join(dir, "2026"), join(dir, "alias"));
  site = await serveSite(dir, { port: 0, basePath: "/papers/" });
});

afterAll(async () => {
  await site.close();
  await rm(root, { recursive: true, force: true });
});

describe("serveSite", () => {
  it("answers under the base path with index pages and content types", async () => {
    expect(site.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/papers\/$/);
    const day = await raw("/papers/2026/02/05/");
    expect(day).toMatchObject({ status: 200, body: "<p>day</p>" });
    expect(day.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect((await raw("/papers/pagefind/wasm.en.wasm")).headers["content-type"]).toBe("application/wasm");
    expect((await raw("/papers/site.css")).headers["content-type"]).toBe("text/css; charset=utf-8");
    expect((await raw("/papers/app.js")).headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(await raw("/papers")).toMatchObject({ status: 301, headers: { location: "/papers/" } });
  });

  it("sends the server's root on to the base path", async () => {
    expect(await raw("/")).toMatchObject({ status: 302, headers: { location: "/papers/" } });
    expect(await raw("/?q=x")).toMatchObject({ status: 302, headers: { location: "/papers/" } });
  });

  it("redirects a directory without its trailing slash", async () => {
    const res = await raw("/papers/2026/02/05");
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe("/papers/2026/02/05/");
  });

  it("serves the 404 page for missing files and for paths outside the base path", async () => {
    for (const path of ["/papers/nope/", "/2026/02/05/", "/papersx/index.html"]) {
      const res = await raw(path);
      expect(res.status, path).toBe(404);
      expect(res.body).toBe("<p>our 404 page</p>");
    }
  });

  it("never serves a file outside the site directory", async () => {
    for (const path of [
      "/papers/../secret.txt",
      "/papers/%2e%2e/secret.txt",
      "/papers/..%2fsecret.txt",
      "/papers/%2e%2e%2f%2e%2e%2fsecret.txt",
      "/papers/..%5csecret.txt",
      "/papers/%00index.html",
      "/papers/%E0%A4%A",
    ]) {
      const res = await raw(path);
      expect(res.status, path).toBe(404);
      expect(res.body).not.toContain("TOP SECRET");
    }
  });

  it("does not follow symlinks out of the site folder, but does inside it", async () => {
    for (const path of ["/papers/leak.txt", "/papers/leakdir/", "/papers/leakdir/index.html", "/papers/leakdir"]) {
      const res = await raw(path);
      expect(res.status, path).toBe(404);
      expect(res.body).not.toContain("TOP SECRET");
    }
    expect(await raw("/papers/alias/02/05/")).toMatchObject({ status: 200, body: "<p>day</p>" });
  });

  it("never redirects to another host, whatever slashes the path starts with", async () => {
    for (const path of [
      "//evil.example/papers/2026",
      "/papers//evil.example/..//2026",
      "/..//papers/2026/02/05",
      "///papers/2026/02",
    ]) {
      const res = await raw(path);
      const location = String(res.headers.location ?? "");
      expect(location, path).not.toMatch(/^\/\/|^[a-z]+:|\\/i);
      if (res.status === 301) expect(location, path).toMatch(/^\/papers\/[^/]/);
    }
    const bare = await serveSite(join(root, "site"), { port: 0 });
    try {
      const { port } = new URL(bare.url);
      const res = await new Promise<{ status: number; location: string }>((resolve, reject) => {
        const req = request({ hostname: "127.0.0.1", port, path: "/..//2026/02/05" }, (r) => {
          r.resume();
          resolve({ status: r.statusCode ?? 0, location: String(r.headers.location ?? "") });
        });
        req.on("error", reject);
        req.end();
      });
      expect(res.status).toBe(301);
      expect(res.location).toBe("/2026/02/05/");
    } finally {
      await bare.close();
    }
  });

  it("answers HEAD without a body and refuses other methods", async () => {
    const head = await raw("/papers/", "HEAD");
    expect(head.status).toBe(200);
    expect(head.body).toBe("");
    expect((await raw("/papers/", "POST")).status).toBe(405);
  });
});
