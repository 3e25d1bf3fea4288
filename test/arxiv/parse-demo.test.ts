/** The demo snapshot in demo/data (real listing days, scripts/build-demo.ts): its manifest matches the feeds, and every day parses. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseArxivFeed } from "../../src/arxiv/feed.js";

const DEMO = new URL("../../demo/data/", import.meta.url);

interface Manifest {
  categories: string[];
  days: { date: string; file: string; entries: number }[];
}

const manifest = JSON.parse(readFileSync(new URL("manifest.json", DEMO), "utf8")) as Manifest;
const days = manifest.days.map((day) => ({
  day,
  feed: parseArxivFeed(readFileSync(new URL(day.file, DEMO), "utf8"), `demo ${day.file}`),
}));

describe("demo snapshot", () => {
  it("lists three real announcement days of cs.LG and cs.AI", () => {
    expect(manifest.categories).toEqual(["cs.LG", "cs.AI"]);
    expect(manifest.days.map((d) => [d.date, d.entries])).toEqual([
      ["2026-03-17", 277],
      ["2026-03-18", 163],
      ["2026-03-24", 216],
    ]);
  });

  it.each(days.map(({ day, feed }) => [day.date, day, feed] as const))(
    "%s parses to its manifest count, new before cross, every paper v1",
    (date, day, feed) => {
      expect(feed.entries).toHaveLength(day.entries);
      expect(feed.channel.announceDate).toBe(date);
      expect(new Set(feed.entries.map((e) => e.id)).size).toBe(day.entries);
      const types = feed.entries.map((e) => e.announceType);
      expect(new Set(types)).toEqual(new Set(["new", "cross"]));
      expect(types.lastIndexOf("new")).toBeLessThan(types.indexOf("cross"));
      for (const e of feed.entries) {
        expect(e.version).toBe(1);
        // `new` exactly when the primary category (listed first) is one of the feed's.
        expect(e.announceType === "new").toBe(manifest.categories.includes(e.categories[0]!));
        expect(e.categories.some((c) => manifest.categories.includes(c))).toBe(true);
        expect(e.authors.length).toBeGreaterThan(0);
      }
    },
  );

  it("has the real split of new submissions and cross-lists", () => {
    const split = days.map(({ feed }) => feed.entries.filter((e) => e.announceType === "new").length);
    expect(split).toEqual([113, 81, 91]);
  });

  it("uses each paper on one day only", () => {
    const ids = days.flatMap(({ feed }) => feed.entries.map((e) => e.id));
    expect(new Set(ids).size).toBe(ids.length);
  });
});
