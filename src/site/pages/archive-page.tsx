/** The archive index: every year and its months, with the feeds (all papers and per topic). */

import { plural } from "../../format/text.js";
import { FEED_DAYS } from "../feeds.js";
import { ARCHIVE_PATH, yearPath } from "../urls.js";
import { Layout, type PageContext } from "./layout.js";
import { type MonthEntry, MonthList } from "./month-list.js";

export interface ArchivePageProps {
  ctx: PageContext;
  years: { year: string; months: MonthEntry[] }[];
  /** The topic feeds the build writes (topics of the latest FEED_DAYS days), so every link resolves. */
  topicFeeds: readonly { topic: string; file: string }[];
}

export function ArchivePage({ ctx, years, topicFeeds }: ArchivePageProps) {
  const days = years.reduce((n, y) => n + y.months.reduce((m, e) => m + e.days, 0), 0);
  const feeds = topicFeeds.map((f) => [f.file, f.topic] as const);
  return (
    <Layout
      ctx={ctx}
      title={`Archive · ${ctx.siteTitle}`}
      description={`Every digest of the archive: ${plural(days, "announcement day")}, by year and month.`}
      canonical={ARCHIVE_PATH}
      pageStyles
      feeds={feeds.map(([path, topic]) => ({ path, title: `${ctx.siteTitle}: ${topic} (Atom)` }))}
    >
      <h1>Archive</h1>
      {years.length === 0 && <p>The archive is empty.</p>}
      {[...years].reverse().map(({ year, months }) => (
        <section key={year} aria-labelledby={`year-${year}`}>
          <h2 id={`year-${year}`}>
            <a href={ctx.urls.href(yearPath(year))}>{year}</a>
          </h2>
          <MonthList ctx={ctx} months={[...months].reverse()} caption={`Months of ${year}, newest first`} />
        </section>
      ))}
      <section aria-labelledby="feeds-heading">
        <h2 id="feeds-heading">Feeds</h2>
        <p>
          <a href={ctx.urls.href("feed.xml")}>All papers (Atom)</a> ·{" "}
          <a href={ctx.urls.href("feed.json")}>All papers (JSON Feed)</a>
        </p>
        {feeds.length > 0 && (
          <p>
            Per topic, from the latest {plural(FEED_DAYS, "day")}:{" "}
            {feeds.map(([path, topic], i) => (
              <>
                {i > 0 && " · "}
                <a href={ctx.urls.href(path)}>{topic}</a>
              </>
            ))}
          </p>
        )}
      </section>
    </Layout>
  );
}
