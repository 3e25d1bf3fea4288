import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadKnownPapers } from "../../src/feedback/known.js";
import { type MetadataFetcher, readPapersCache, resolvePapers } from "../../src/feedback/resolve.js";

const NOW = () => new Date("2026-02-05T10:00:00Z");

function recordingFetcher(known: string[]): MetadataFetcher & { calls: string[][] } {
  const calls: string[][] = [];
  const f = async (ids: string[]) => {
    calls.push(ids);
    return ids
      .filter((id) => known.includes(id))
      .map((id) => ({ id, title: `Paper ${id}`, authors: ["A. Author"], abstract: "…", categories: ["cs.LG"] }));
  };
  return Object.assign(f, { calls });
}

describe("resolvePapers", () => {
  it("fetches each unknown id once and keeps it in the cache file", async () => {
    const cachePath = join(mkdtempSync(join(tmpdir(), "ad-resolve-")), "feedback-papers.json");
    const fetcher = recordingFetcher(["2401.00010", "2401.00020"]);
    const first = await resolvePapers({
      ids: ["2401.00010", "2401.00020", "2401.00030", "2312.00001"],
      skip: new Set(["2312.00001"]),
      cachePath,
      fetcher,
      now: NOW,
    });
    expect(fetcher.calls).toEqual([["2401.00010", "2401.00020", "2401.00030"]]);
    expect(first.fetched).toEqual(["2401.00010", "2401.00020"]);
    expect(first.missing).toEqual(["2401.00030"]);
    expect(first.papers.get("2401.00010")).toMatchObject({
      title: "Paper 2401.00010",
      fetchedAt: "2026-02-05T10:00:00.000Z",
    });

    const second = await resolvePapers({
      ids: ["2401.00010", "2401.00020", "2401.00030"],
      cachePath,
      fetcher,
      now: NOW,
    });
    // Only the id arXiv did not know is asked again: it may simply not be indexed yet.
    expect(fetcher.calls[1]).toEqual(["2401.00030"]);
    expect(second.fetched).toEqual([]);
    expect(second.papers.size).toBe(2);
    expect(Object.keys(JSON.parse(readFileSync(cachePath, "utf8")).papers)).toEqual(["2401.00010", "2401.00020"]);
  });

  it("ignores papers the fetcher was not asked for and names a corrupt cache", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ad-resolve-"));
    const cachePath = join(dir, "feedback-papers.json");
    const fetcher: MetadataFetcher = async () => [
      { id: "2401.00099", title: "Stray", authors: [], abstract: "", categories: [] },
    ];
    const r = await resolvePapers({ ids: ["2401.00010"], cachePath, fetcher });
    expect(r.papers.size).toBe(0);
    expect(r.missing).toEqual(["2401.00010"]);
    writeFileSync(cachePath, '{"v":1,"papers":{"x":{"id":"x"}}}');
    await expect(readPapersCache(cachePath)).rejects.toThrow(
      /feedback-papers\.json is not a usable feedback papers cache \(papers\.x/,
    );
    await expect(resolvePapers({ ids: ["2401.0001"], cachePath: join(dir, "new.json"), fetcher })).rejects.toThrow(
      /"2401\.0001" is not an unversioned arXiv id/,
    );
  });
});

describe("loadKnownPapers", () => {
  it("merges archived days (latest title wins) with resolved papers", async () => {
    const days: Record<string, { id: string; title: string; doi?: string }[]> = {
      "2026-02-04": [{ id: "2401.00010", title: "Old title" }],
      "2026-02-05": [
        { id: "2401.00010", title: "New title", doi: "10.1/x" },
        { id: "2401.00020", title: "Other" },
      ],
    };
    const known = await loadKnownPapers(
      { listDays: async () => Object.keys(days), readDay: async (d) => ({ papers: days[d]! }) },
      [
        { id: "2401.00010", title: "Resolved", authors: [], abstract: "", categories: [], fetchedAt: "" },
        { id: "2401.00030", title: "Resolved only", authors: [], abstract: "", categories: [], fetchedAt: "" },
      ],
    );
    expect(known).toEqual([
      { id: "2401.00010", title: "New title", doi: "10.1/x" },
      { id: "2401.00020", title: "Other" },
      { id: "2401.00030", title: "Resolved only" },
    ]);
  });
});
