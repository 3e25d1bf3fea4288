/** The archive index: every year and its months; the feeds are announced in its head and listed on the Feeds page. */

import { plural } from "../../format/text.js";
import { ARCHIVE_PATH, FEEDS_PATH, yearPath } from "../urls.js";
import { topicFeedLinks } from "./feeds-page.js";
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
  return (
    <Layout
      ctx={ctx}
      title={`Archive · ${ctx.siteTitle}`}
      description={`Every digest of the archive: ${plural(days, "announcement day")}, by year and month.`}
      canonical={ARCHIVE_PATH}
      pageStyles
      feeds={topicFeedLinks(ctx, topicFeeds)}
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
          To follow new digests in a feed reader, every picked paper or one topic at a time, take an address from the{" "}
          <a href={ctx.urls.href(FEEDS_PATH)}>Feeds page</a>.
        </p>
      </section>
    </Layout>
  );
}
