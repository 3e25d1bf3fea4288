/**
 * The invariant of the rank a reader is shown ("Ranked N of M today", written into offline
 * comments by selection/select.ts): a day's picks, in card order, say 1..n, and a paper the cap
 * (selection.maxPapers) left out ranks after every pick.
 */
import { expect } from "vitest";
import type { PaperRecord } from "../../src/model/day-record.js";

/** The rank a text shows, or null when it shows none. */
export function shownRank(text: string | null): number | null {
  const m = text === null ? null : /Ranked (\d+) of \d+ today/.exec(text);
  return m ? Number(m[1]) : null;
}

/** A reason that says the cap left the paper out, in the old wording or the reader's. */
export const isCapped = (p: Pick<PaperRecord, "outcome" | "reason">) =>
  p.outcome === "rejected" && p.reason !== null && /selection\.maxPapers|papers? a day shows$/.test(p.reason);

/**
 * Checks a day's papers in record order (the picks' order is the day page's card order) and
 * returns how many ranks it checked, so a caller can tell the check from a vacuous one.
 */
export function expectShownRanksAgree(papers: readonly PaperRecord[], label = ""): number {
  let checked = 0;
  const picks = papers.filter((p) => p.outcome === "selected");
  picks.forEach((p, i) => {
    const rank = shownRank(p.comment);
    if (rank === null) return;
    expect(rank, `${label} pick ${p.id}, card ${i + 1}`).toBe(i + 1);
    checked++;
  });
  const lastPick = papers.findLastIndex((p) => p.outcome === "selected");
  for (const [index, p] of papers.entries()) {
    if (!isCapped(p)) continue;
    expect(index, `${label} capped ${p.id} comes after the last pick`).toBeGreaterThan(lastPick);
    const rank = shownRank(p.comment);
    if (rank === null) continue;
    expect(rank, `${label} capped ${p.id}`).toBeGreaterThan(picks.length);
    checked++;
  }
  return checked;
}
