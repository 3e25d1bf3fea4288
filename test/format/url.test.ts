import { describe, expect, it } from "vitest";
import { siteBaseUrlProblem } from "../../src/format/url.js";

describe("siteBaseUrlProblem", () => {
  it("takes an http(s) address alone", () => {
    expect(siteBaseUrlProblem("https://you.github.io/papers/")).toBeNull();
    expect(siteBaseUrlProblem("http://localhost:8080/")).toBeNull();
  });

  it("refuses a user name or password, a query or a fragment, and never repeats them", () => {
    const problem = siteBaseUrlProblem("https://alice:pw@example.github.io/papers/?a=1#f");
    expect(problem).toBe(
      '"https://…@example.github.io/papers/?…#…" carries a user name or password, a query (?…) and a fragment (#…), which every page, feed and link to the site would publish; set it to the address alone, "https://example.github.io/papers/"',
    );
    expect(problem).not.toMatch(/alice|pw@|a=1/);
    expect(siteBaseUrlProblem("https://alice@example.org/")).toMatch(/carries a user name or password,/);
    expect(siteBaseUrlProblem("https://example.org/?token=x")).toMatch(
      /^"https:\/\/example\.org\/\?…" carries a query/,
    );
    expect(siteBaseUrlProblem("https://example.org/#top")).toMatch(/carries a fragment/);
    // A bare "?" or "#", which the URL parser drops, is not the address alone either.
    expect(siteBaseUrlProblem("https://example.org/?")).toMatch(/carries a query/);
    expect(siteBaseUrlProblem("https://example.org/#")).toMatch(/carries a fragment/);
  });
});
