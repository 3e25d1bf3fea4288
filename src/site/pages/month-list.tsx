/**
 * A table of months (days, papers, cost, leading topics), used by the year pages and the archive
 * index, so the archive reads as an overview rather than a list of links. Months come as totals
 * (MonthEntry), so these pages need no day kept in memory.
 */
import { topicName } from "../../format/text.js";
import type { MonthEntry } from "../archive-outline.js";
import { formatCost, formatCount, monthName } from "../format.js";
import { monthPath } from "../urls.js";
import type { PageContext } from "./layout.js";

export type { MonthEntry } from "../archive-outline.js";

/** How every page says that nothing was spent on the LLM. */
export const NO_COST = "no LLM cost";

/**
 * "$1.23", or "$1.23 + 2 unpriced" when some days had no price; "unpriced" when none had one; "no LLM
 * cost" when nothing was spent (offline days), as a day's page says it.
 */
export function costText({ cost, unpriced, days }: { cost: number; unpriced: number; days: number }): string {
  if (unpriced === days && days > 0) return "unpriced";
  if (unpriced === 0 && cost === 0) return NO_COST;
  return unpriced > 0 ? `${formatCost(cost)} + ${unpriced} unpriced` : formatCost(cost);
}

/** The totals of several months, for a year's summary line. */
export function sumMonths(months: readonly MonthEntry[]) {
  const total = { days: 0, papers: 0, scanned: 0, cost: 0, unpriced: 0 };
  for (const m of months) {
    total.days += m.days;
    total.papers += m.papers;
    total.scanned += m.scanned;
    total.cost += m.cost;
    total.unpriced += m.unpriced;
  }
  return total;
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
            <th scope="col">Picked</th>
            <th scope="col">Cost</th>
            <th scope="col">Top topics</th>
          </tr>
        </thead>
        <tbody>
          {months.map((entry) => (
            <tr key={entry.month}>
              <th scope="row">
                <a href={ctx.urls.href(monthPath(entry.month))}>{monthName(entry.month)}</a>
              </th>
              <td>{formatCount(entry.days)}</td>
              <td>{formatCount(entry.papers)}</td>
              <td>{costText(entry)}</td>
              <td>{entry.topics.map(([t, n]) => `${topicName(t, ctx.topicTitles)} (${n})`).join(", ") || "–"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
