import { describe, expect, it } from "vitest";
import { dayPath, siteUrls } from "../../src/site/urls.js";

describe("siteUrls", () => {
  it("normalises basePath and prefixes links with it", () => {
    for (const basePath of ["papers", "/papers", "papers/", "/papers/"]) {
      const urls = siteUrls({ basePath, baseUrl: "https://you.github.io/papers" });
      expect(urls.href(dayPath("2026-02-05"))).toBe("/papers/2026/02/05/");
      expect(urls.absolute(dayPath("2026-02-05"))).toBe("https://you.github.io/papers/2026/02/05/");
    }
    expect(siteUrls({ basePath: "/", baseUrl: "http://localhost:8080/" }).href("")).toBe("/");
    expect(siteUrls({ basePath: "", baseUrl: "http://localhost:8080/" }).href("archive/")).toBe("/archive/");
  });

  it("rejects paths and URLs that could escape or inject", () => {
    expect(() => siteUrls({ basePath: "/../etc/", baseUrl: "https://a.org/" })).toThrow(/site\.basePath/);
    expect(() => siteUrls({ basePath: '/"><script>/', baseUrl: "https://a.org/" })).toThrow(/site\.basePath/);
    expect(() => siteUrls({ basePath: "/", baseUrl: "not a url" })).toThrow(
      /site\.baseUrl "not a url" is not an absolute URL/,
    );
    expect(() => siteUrls({ basePath: "/", baseUrl: "javascript:alert(1)" })).toThrow(/https:\/\//);
  });
});
