/**
 * What the month, year, index, feed and search outputs need to know about a day, kept in the
 * build manifest so an incremental build does not re-read every day of the archive.
 */
import { z } from "zod";
import { type DayRecord, selectedPapers } from "../model/day-record.js";

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
  /** The selected papers, in digest order. */
  papers: z.array(SummaryPaperSchema),
});
export type DaySummary = z.infer<typeof DaySummarySchema>;

export function summariseDay(day: DayRecord): DaySummary {
  return {
    date: day.date,
    kind: day.kind,
    statusCode: day.status.code,
    generatedAt: day.generatedAt,
    papers: selectedPapers(day).map((p) => ({
      id: p.id,
      title: p.title,
      authors: p.authors.map((a) => a.name),
      abstract: p.abstract,
      comment: p.comment,
      topic: p.topic,
      score: p.score,
      authorMatch: p.authorMatch,
    })),
  };
}

/** Papers per topic, most frequent first; papers without a topic count under "none". */
export function topicCounts(papers: readonly { topic: string | null }[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const p of papers) counts.set(p.topic ?? "none", (counts.get(p.topic ?? "none") ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}
