import type { LabelledDay } from "../src/eval/labelled-days.js";
import { MAX_NEGATIVES } from "../src/pipeline/history.js";
import { type HistoryExample, type HistoryText, SELECTED_WEIGHT, UNSELECTED_WEIGHT } from "../src/selection/history.js";

/**
 * The history examples of earlier labelled days as `readerHistory` (src/pipeline/history.ts)
 * reads an archive: newest day first, a paper once, a pick wins over a pass, the most recent
 * MAX_NEGATIVES passed-over papers.
 */
export function labelledHistoryExamples(earlier: readonly LabelledDay[]): HistoryExample[] {
  const texts = new Map<string, HistoryText>();
  const picked = new Set<string>();
  const passedOver: string[] = [];
  for (const past of [...earlier].reverse()) {
    for (const paper of past.papers) {
      if (!texts.has(paper.id)) texts.set(paper.id, { title: paper.title, abstract: paper.abstract });
      if (past.labels[paper.id]) picked.add(paper.id);
      else if (passedOver.length < MAX_NEGATIVES) passedOver.push(paper.id);
    }
  }
  const weights = new Map<string, number>();
  for (const id of passedOver) weights.set(id, UNSELECTED_WEIGHT);
  for (const id of picked) weights.set(id, SELECTED_WEIGHT);
  return [...weights].map(([id, weight]) => ({ ...texts.get(id)!, weight }));
}
