/** The demo snapshot in demo/data: its manifest matches the feeds, and every day parses. */
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
  it("lists three consecutive announcement days of cs.LG, cs.AI, cs.CL", () => {
    expect(manifest.categories).toEqual(["cs.LG", "cs.AI", "cs.CL"]);
    expect(manifest.days.map((d) => [d.date, d.entries])).toEqual([
      ["2026-01-27", 431],
      ["2026-01-28", 458],
      ["2026-01-29", 447],
    ]);
  });

  it.each(days.map(({ day, feed }) => [day.date, day, feed] as const))(
    "%s parses to its manifest count",
    (date, day, feed) => {
      expect(feed.entries.length).toBeGreaterThanOrEqual(400);
      expect(feed.entries).toHaveLength(day.entries);
      expect(feed.channel.announceDate).toBe(date);
      expect(new Set(feed.entries.map((e) => e.id)).size).toBe(day.entries);
      expect(new Set(feed.entries.map((e) => e.announceType))).toEqual(
        new Set(["new", "cross", "replace", "replace-cross"]),
      );
      for (const e of feed.entries) {
        expect(e.categories.some((c) => manifest.categories.includes(c))).toBe(true);
        expect(e.authors.length).toBeGreaterThan(0);
      }
    },
  );

  it("uses each paper on one day only", () => {
    const ids = days.flatMap(({ feed }) => feed.entries.map((e) => e.id));
    expect(new Set(ids).size).toBe(ids.length);
  });
});
