import type { DayRecord } from "../src/model/day-record.js";
import { makeDay, makePaper } from "../test/helpers/day-factory.js";

/**
 * A maker of synthetic archived days for the benches that time the archive itself: each call
 * gives the next day `papers` papers with ids unique across calls, the first 40 selected.
 */
export function syntheticDays(papers: number): (date: string) => DayRecord {
  let n = 0;
  return (date) =>
    makeDay({
      date,
      papers: Array.from({ length: papers }, (_, i) => {
        n += 1;
        return makePaper({
          id: `25${String(1 + (n % 12)).padStart(2, "0")}.${String(n).padStart(5, "0")}`,
          title: `Synthetic paper ${n} on sparse routing`,
          abstract: "We study sparse routing in mixtures of experts. ".repeat(20),
          outcome: i < 40 ? "selected" : "rejected",
        });
      }),
    });
}
