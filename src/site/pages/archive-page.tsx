/** The archive index: every year and its months. */
import { plural } from "../format.js";
import { ARCHIVE_PATH, yearPath } from "../urls.js";
import { Layout, type PageContext } from "./layout.js";
import { type MonthEntry, MonthList } from "./month-list.js";

export interface ArchivePageProps {
  ctx: PageContext;
  years: { year: string; months: MonthEntry[] }[];
}

export function ArchivePage({ ctx, years }: ArchivePageProps) {
  const days = years.reduce((n, y) => n + y.months.reduce((m, e) => m + e.days, 0), 0);
  return (
    <Layout
      ctx={ctx}
      title={`Archive · ${ctx.siteTitle}`}
      description={`Every digest of the archive: ${plural(days, "announcement day")}, by year and month.`}
      canonical={ARCHIVE_PATH}
    >
      <h1>Archive</h1>
      {years.length === 0 && <p>The archive is empty.</p>}
      {[...years].reverse().map(({ year, months }) => (
        <section key={year} aria-labelledby={`year-${year}`}>
          <h2 id={`year-${year}`}>
            <a href={ctx.urls.href(yearPath(year))}>{year}</a>
          </h2>
          <MonthList ctx={ctx} months={months} />
        </section>
      ))}
    </Layout>
  );
}
