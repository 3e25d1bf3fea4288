/**
 * A table of months (days, papers, cost, leading topics), used by the year pages and the archive
 * index, so the archive reads as an overview rather than a list of links.
 */
import { costOf, type DaySummary, topicCounts } from "../day-summary.js";
import { formatCost, formatCount, monthName } from "../format.js";
import { monthPath } from "../urls.js";
import type { PageContext } from "./layout.js";

export interface MonthEntry {
  month: string;
  days: DaySummary[];
}

const TOP_TOPICS = 3;

/** "$1.23", or "$1.23 + 2 unpriced days" when some days had no price. */
export function costText(days: readonly DaySummary[]): string {
  const { usd, unpriced } = costOf(days);
  if (unpriced === days.length && days.length > 0) return "unpriced";
  return unpriced > 0 ? `${formatCost(usd)} + ${unpriced} unpriced` : formatCost(usd);
}

export function MonthList({ ctx, months, caption }: { ctx: PageContext; months: MonthEntry[]; caption: string }) {
  return (
    // Wide on a phone: the table scrolls inside its own focusable region, the page does not.
    <section class="table-scroll" aria-label={caption} tabindex={0}>
      <table class="overview month-list">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Month</th>
            <th scope="col">Days</th>
            <th scope="col">Papers</th>
            <th scope="col">Cost</th>
            <th scope="col">Top topics</th>
          </tr>
        </thead>
        <tbody>
          {months.map(({ month, days }) => {
            const papers = days.flatMap((d) => d.papers);
            return (
              <tr key={month}>
                <th scope="row">
                  <a href={ctx.urls.href(monthPath(month))}>{monthName(month)}</a>
                </th>
                <td>{formatCount(days.length)}</td>
                <td>{formatCount(papers.length)}</td>
                <td>{costText(days)}</td>
                <td>
                  {topicCounts(papers)
                    .filter(([t]) => t !== "none")
                    .slice(0, TOP_TOPICS)
                    .map(([t, n]) => `${t} (${n})`)
                    .join(", ") || "–"}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
