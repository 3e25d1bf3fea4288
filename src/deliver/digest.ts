/** What every channel says about a day, phrased once: the papers shown, the counts, the status. */

import { createHash } from "node:crypto";
import { plainTex } from "../format/tex.js";
import { arxivAbsUrl } from "../format/text.js";
import { type DayRecord, type PaperRecord, selectedPapers } from "../model/day-record.js";

export interface DigestItem {
  /** Position in the digest, from 1. */
  n: number;
  paper: PaperRecord;
  /** The title as plain text (its TeX as Unicode: no channel typesets it). */
  title: string;
  /** The paper's arXiv abstract page. */
  url: string;
  /** The model's comment as plain text (TeX as for an abstract), or null when it has none. */
  comment: string | null;
}

export function digestItems(day: DayRecord): DigestItem[] {
  return selectedPapers(day).map((paper, i) => ({
    n: i + 1,
    paper,
    title: plainTex(paper.title),
    url: arxivAbsUrl(paper.id),
    comment: plainComment(paper.comment),
  }));
}

/** The model's comment as channels show it: plain text, TeX rendered as for an abstract; null when empty. */
function plainComment(comment: string | null): string | null {
  const text = comment === null ? "" : plainTex(comment);
  return text === "" ? null : text;
}

/**
 * What a digest shows, as a short hash of the selected ids in order: recorded with each sent
 * delivery, so a re-run that changed the selection is delivered again as an update. A day whose
 * run failed (or gave up on a stale feed) differs from an honest empty one, so the re-run that
 * reads the announcement is an update even when nothing is selected.
 */
export function selectionHash(day: DayRecord): string {
  const ids = selectedPapers(day).map((p) => p.id);
  const failed = ids.length === 0 && (day.status.code === "failed" || day.status.code === "stale");
  return createHash("sha256")
    .update(failed ? "(no digest: the run failed)" : ids.join("\n"))
    .digest("hex")
    .slice(0, 16);
}

/**
 * "37 papers selected from 391 scanned of 705 listed." The listings (feed entries) are named only
 * where they differ from the papers scanned.
 */
export function countsSentence(day: DayRecord): string {
  const { selected, scanned, entries } = day.counts;
  const papers = `${selected} ${selected === 1 ? "paper" : "papers"} selected`;
  if (scanned === null) return `${papers}.`;
  return entries === null || entries === scanned
    ? `${papers} from ${scanned} scanned.`
    : `${papers} from ${scanned} scanned of ${entries} listed.`;
}

/** "Relevance 9 · Novelty 8 · Score 17 · architecture": only the judgements the paper has. */
export function scoreLine(paper: PaperRecord): string {
  const parts = [
    paper.relevance === null ? null : `Relevance ${paper.relevance}`,
    paper.novelty === null ? null : `Novelty ${paper.novelty}`,
    // A pure author match carries a marker score (20 in imported history), not a judgement.
    paper.score === null || (paper.relevance === null && paper.novelty === null) ? null : `Score ${paper.score}`,
    paper.topic,
  ];
  return parts.filter((p): p is string => p !== null && p !== "").join(" · ");
}
