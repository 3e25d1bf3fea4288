/** One year at a glance: its totals and a row per month (days, papers, cost, leading topics). */

import { plural } from "../../format/text.js";
import type { Neighbours } from "../archive-outline.js";
import { formatCount } from "../format.js";
import { ARCHIVE_PATH, yearPath } from "../urls.js";
import { Layout, type PageContext } from "./layout.js";
import { costText, type MonthEntry, MonthList, sumMonths } from "./month-list.js";
import { PrevNextNav } from "./prev-next-nav.js";

export interface YearPageProps {
  ctx: PageContext;
  year: string;
  months: MonthEntry[];
  neighbours: Neighbours;
}

export function YearPage({ ctx, year, months, neighbours }: YearPageProps) {
  const { href } = ctx.urls;
  const total = sumMonths(months);
  const days = total.days;
  return (
    <Layout
      ctx={ctx}
      title={`${year} · ${ctx.siteTitle}`}
      description={`Digests of ${plural(days, "announcement day")} in ${year}, by month.`}
      canonical={yearPath(year)}
      pageStyles
    >
      <PrevNextNav
        label="Years"
        prev={
          neighbours.prev ? { href: href(yearPath(neighbours.prev)), text: `Previous year ${neighbours.prev}` } : null
        }
        up={{ href: href(ARCHIVE_PATH), text: "All years" }}
        next={neighbours.next ? { href: href(yearPath(neighbours.next)), text: `Next year ${neighbours.next}` } : null}
        noPrev="No earlier year"
        noNext="No later year"
      />
      <h1>{year}</h1>
      <p class="meta">
        {plural(total.papers, "paper")} picked over {plural(days, "announcement day")}, from{" "}
        {formatCount(total.scanned)} scanned · {costText(total)}
      </p>
      <MonthList ctx={ctx} months={months} caption={`Months of ${year}`} />
    </Layout>
  );
}
