/**
 * What the month, year, index, feed and search outputs need to know about a day, kept in the
 * build manifest so an incremental build does not re-read every day of the archive.
 */
import * as z from "zod";
import { type DayRecord, type PaperRecord, selectedPapers } from "../model/day-record.js";

export const SummaryPaperSchema = z.object({
  id: z.string(),
  title: z.string(),
  authors: z.array(z.string()),
  abstract: z.string(),
  comment: z.string().nullable(),
  topic: z.string().nullable(),
  score: z.number().nullable(),
  authorMatch: z.string().nullable(),
});
export type SummaryPaper = z.infer<typeof SummaryPaperSchema>;

export const DaySummarySchema = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  kind: z.enum(["daily", "remedial"]),
  statusCode: z.string(),
  generatedAt: z.string(),
  /** Distinct papers scanned (null when the record did not say), for "N picked of M". */
  scanned: z.number().nullable().default(null),
  /** What the day cost in USD; null when some model had no known price. */
  cost: z.number().nullable().default(null),
  /** The selected papers, in digest order. */
  papers: z.array(SummaryPaperSchema),
});
export type DaySummary = z.infer<typeof DaySummarySchema>;

/** What the site shows of any paper, in summaries and in search: no affiliations, names only. */
export function paperBasics(p: PaperRecord) {
  return {
    id: p.id,
    title: p.title,
    authors: p.authors.map((a) => a.name),
    abstract: p.abstract,
    comment: p.comment,
    topic: p.topic,
    score: p.score,
  };
}

export function summariseDay(day: DayRecord): DaySummary {
  return {
    date: day.date,
    kind: day.kind,
    statusCode: day.status.code,
    generatedAt: day.generatedAt,
    scanned: day.counts.scanned,
    cost: day.usage.total.cost?.total ?? null,
    papers: selectedPapers(day).map((p) => ({ ...paperBasics(p), authorMatch: p.authorMatch })),
  };
}

/** Papers per topic, most frequent first; papers without a topic (a followed author's, say) are not counted. */
export function topicCounts(papers: readonly { topic: string | null }[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const p of papers) if (p.topic !== null) counts.set(p.topic, (counts.get(p.topic) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** Papers shown below the list as "near misses": the best-scored papers the cut-offs or the cap left out. */
export const NEAR_MISSES = 10;
/**
 * Besides them, the few papers each earlier stage set aside that ranked best by the free prefilter:
 * what a reader needs to audit the filter (a good paper never sent, or dropped on its title), at
 * the cost of a few cards on the near misses' own page.
 */
export const SET_ASIDE_MISSES = 3;

const freeRank = (p: PaperRecord) => p.prefilter?.percentile ?? Number.NEGATIVE_INFINITY;
/** A triaged-out paper the ration left out was rated on topic or maybe: closer than one judged outside. */
const rationed = (p: PaperRecord) => (p.reason?.includes("rationed") ? 1 : 0);

/**
 * The papers that came closest to being picked, so a reader can audit where the cut fell: the best
 * scored that missed the cut-offs or the cap (best score first), then the titles the LLM's triage
 * set aside (those only the ration of abstracts left out first) and the papers the free prefilter
 * did not send, each the best of its stage by the free rank. Every one keeps the reason it missed.
 */
export function nearMisses(day: Pick<DayRecord, "papers">): PaperRecord[] {
  const judged = day.papers
    .filter((p) => p.outcome === "rejected" && p.score !== null)
    .sort((a, b) => b.score! - a.score!)
    .slice(0, NEAR_MISSES);
  const best = (outcome: PaperRecord["outcome"], first: (p: PaperRecord) => number = () => 0) =>
    day.papers
      .filter((p) => p.outcome === outcome)
      .sort((a, b) => first(b) - first(a) || freeRank(b) - freeRank(a) || (b.relevance ?? 0) - (a.relevance ?? 0))
      .slice(0, SET_ASIDE_MISSES);
  return [...judged, ...best("triaged-out", rationed), ...best("prefiltered-out")];
}

/** What some days cost: the sum of the priced days and how many days had no price. */
export function costOf(days: readonly Pick<DaySummary, "cost">[]): { usd: number; unpriced: number } {
  let usd = 0;
  let unpriced = 0;
  for (const d of days) {
    if (d.cost === null) unpriced++;
    else usd += d.cost;
  }
  return { usd, unpriced };
}
