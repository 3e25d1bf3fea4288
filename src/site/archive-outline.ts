/**
 * The shape of the archive as the site sees it: days in order, grouped into months and years,
 * and the neighbours of any key. Built in one pass over sorted dates (no per-day scans), so a full
 * build stays linear in the number of days.
 */
import { type DayRecord, selectedPapers } from "../archive/schema.js";

/** A selected paper as the overview pages show it (no abstract: these are kept for every day). */
export interface OverviewPaper {
  id: string;
  title: string;
  topic: string | null;
  score: number | null;
  authorMatch: string | null;
}

/** A day as the month page shows it. */
export interface OverviewDay {
  date: string;
  kind: "daily" | "remedial";
  /** The selected papers, in digest order. */
  papers: OverviewPaper[];
}

export function overviewDay(day: DayRecord): OverviewDay {
  return {
    date: day.date,
    kind: day.kind,
    papers: selectedPapers(day).map((p) => ({
      id: p.id,
      title: p.title,
      topic: p.topic,
      score: p.score,
      authorMatch: p.authorMatch,
    })),
  };
}
export interface Neighbours {
  prev: string | null;
  next: string | null;
}

export interface ArchiveOutline {
  /** All dates, ascending. */
  dates: string[];
  /** "YYYY-MM" → dates of that month, ascending. */
  months: Map<string, string[]>;
  /** "YYYY" → "YYYY-MM" months of that year, ascending. */
  years: Map<string, string[]>;
}

export function outlineArchive(dates: Iterable<string>): ArchiveOutline {
  const sorted = [...new Set(dates)].sort();
  const months = new Map<string, string[]>();
  const years = new Map<string, string[]>();
  for (const date of sorted) {
    const month = date.slice(0, 7);
    const days = months.get(month);
    if (days) days.push(date);
    else {
      months.set(month, [date]);
      const year = date.slice(0, 4);
      const yearMonths = years.get(year);
      if (yearMonths) yearMonths.push(month);
      else years.set(year, [month]);
    }
  }
  return {
    dates: sorted,
    months,
    years,
  };
}

/** The keys before and after `key` in an ascending list (binary search); `key` need not be in it. */
export function neighboursIn(sorted: readonly string[], key: string): Neighbours {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  const after = sorted[lo] === key ? lo + 1 : lo;
  return { prev: sorted[lo - 1] ?? null, next: sorted[after] ?? null };
}
