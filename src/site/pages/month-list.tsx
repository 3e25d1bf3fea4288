/** A list of months with their day and paper counts, used by the year pages and the archive index. */
import { monthName, plural } from "../format.js";
import { monthPath } from "../urls.js";
import type { PageContext } from "./layout.js";

/** A month in a list: counts only, so the year and archive pages need no day kept in memory. */
export interface MonthEntry {
  month: string;
  /** Days of the month in the archive. */
  days: number;
  /** Papers selected over those days. */
  papers: number;
}

export function MonthList({ ctx, months }: { ctx: PageContext; months: MonthEntry[] }) {
  return (
    <ul class="month-list">
      {months.map(({ month, days, papers }) => (
        <li key={month}>
          <a href={ctx.urls.href(monthPath(month))}>{monthName(month)}</a>: {plural(papers, "paper")} over{" "}
          {plural(days, "day")}
        </li>
      ))}
    </ul>
  );
}
