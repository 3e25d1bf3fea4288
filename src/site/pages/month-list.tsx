/** A list of months with their day and paper counts, used by the year pages and the archive index. */
import type { DaySummary } from "../day-summary.js";
import { monthName, plural } from "../format.js";
import { monthPath } from "../urls.js";
import type { PageContext } from "./layout.js";

export interface MonthEntry {
  month: string;
  days: DaySummary[];
}

export function MonthList({ ctx, months }: { ctx: PageContext; months: MonthEntry[] }) {
  return (
    <ul class="month-list">
      {months.map(({ month, days }) => (
        <li key={month}>
          <a href={ctx.urls.href(monthPath(month))}>{monthName(month)}</a>:{" "}
          {plural(
            days.reduce((n, d) => n + d.papers.length, 0),
            "paper",
          )}{" "}
          over {plural(days.length, "day")}
        </li>
      ))}
    </ul>
  );
}
