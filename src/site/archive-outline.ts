/**
 * The shape of the archive as the site sees it: days in order, grouped into months and years,
 * and the neighbours of any key. Built in one pass over sorted dates (no per-day scans), so a full
 * build stays linear in the number of days.
 */
import { type DayRecord, selectedPapers } from "../model/day-record.js";
import { type NoAnnouncement, noAnnouncement } from "../model/status.js";
import { costOf, topicCounts } from "./day-summary.js";

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
  /** Distinct papers scanned (null when the record did not say). */
  scanned: number | null;
  /** What the day cost in USD; null when some model had no known price. */
  cost: number | null;
  /** The selected papers, in digest order. */
  papers: OverviewPaper[];
  /** Set when arXiv announced nothing for the day (model/status.ts): not an announcement day. */
  noAnnouncement?: NoAnnouncement;
}

/** The announcement days among `days`: a weekend's or a holiday's record is not one. */
export function announcementDays<T extends { noAnnouncement?: NoAnnouncement }>(days: readonly T[]): T[] {
  return days.filter((d) => d.noAnnouncement === undefined);
}

export function overviewDay(day: DayRecord): OverviewDay {
  const none = noAnnouncement(day.status.code);
  // In the order the build's state schema reads a line back (site/manifest.ts), so a line carried
  // over from an earlier build is written byte for byte as a full build writes it.
  return {
    date: day.date,
    kind: day.kind,
    scanned: day.counts.scanned,
    cost: day.usage.total.cost?.total ?? null,
    papers: selectedPapers(day).map((p) => ({
      id: p.id,
      title: p.title,
      topic: p.topic,
      score: p.score,
      authorMatch: p.authorMatch,
    })),
    ...(none === null ? {} : { noAnnouncement: none }),
  };
}

/** Leading topics a month keeps for the year and archive pages. */
export const TOP_TOPICS = 3;

/**
 * A month as the year and archive pages list it: totals and leading topics only, so those pages
 * (and the manifest that keeps one per month) need no day in memory.
 */
export interface MonthEntry {
  month: string;
  /** Announcement days of the month in the archive (a weekend's or a holiday's record is not one). */
  days: number;
  /** Papers selected over those days. */
  papers: number;
  /** Papers scanned over those days (days that did not say count as none). */
  scanned: number;
  /** Cost of the priced days in USD, and how many days had no price. */
  cost: number;
  unpriced: number;
  /** The most frequent topics of its selected papers, most frequent first. */
  topics: [string, number][];
}

export function monthEntry(month: string, all: readonly OverviewDay[]): MonthEntry {
  const days = announcementDays(all);
  const papers = days.flatMap((d) => d.papers);
  const { usd, unpriced } = costOf(days);
  return {
    month,
    days: days.length,
    papers: papers.length,
    scanned: days.reduce((n, d) => n + (d.scanned ?? 0), 0),
    cost: usd,
    unpriced,
    topics: topicCounts(papers).slice(0, TOP_TOPICS),
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

/** The archive's first and last day: the span in which a month calendar tells a missed run (month-page.tsx). */
export interface ArchiveSpan {
  first: string;
  last: string;
}

/** The span of ascending dates; null when there are none. */
export function archiveSpan(sorted: readonly string[]): ArchiveSpan | null {
  return sorted.length === 0 ? null : { first: sorted[0]!, last: sorted.at(-1)! };
}

/**
 * The part of a span that falls in a month ("YYYY-MM"), as text to compare ("" when none): a month
 * page shows the span only through it, so the pages to rewrite when the span moves are the months
 * whose part differs.
 */
export function spanInMonth(span: ArchiveSpan | null, month: string): string {
  const from = `${month}-01`;
  const to = `${month}-31`;
  if (span === null || span.last < from || span.first > to) return "";
  return `${span.first > from ? span.first : from}/${span.last < to ? span.last : to}`;
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
