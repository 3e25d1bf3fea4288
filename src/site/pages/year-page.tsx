/** One year: its months, with links to the neighbouring years. */
import type { Neighbours } from "../archive-outline.js";
import { plural } from "../format.js";
import { ARCHIVE_PATH, yearPath } from "../urls.js";
import { Layout, type PageContext } from "./layout.js";
import { type MonthEntry, MonthList } from "./month-list.js";
import { PrevNextNav } from "./prev-next-nav.js";

export interface YearPageProps {
  ctx: PageContext;
  year: string;
  months: MonthEntry[];
  neighbours: Neighbours;
}

export function YearPage({ ctx, year, months, neighbours }: YearPageProps) {
  const { href } = ctx.urls;
  const days = months.reduce((n, m) => n + m.days, 0);
  return (
    <Layout
      ctx={ctx}
      title={`${year} · ${ctx.siteTitle}`}
      description={`Digests of ${plural(days, "announcement day")} in ${year}, by month.`}
      canonical={yearPath(year)}
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
      <MonthList ctx={ctx} months={months} />
    </Layout>
  );
}
