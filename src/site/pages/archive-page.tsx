/**
 * The archive index: every year, its months and each month's days, so a reader finds a day's digest
 * from here in one click; the feeds are announced in its head and listed on the Feeds page.
 *
 * A month's days are one wrapped list of short links ("Mon 3" and the papers picked), so ten years
 * (about 2,500 days) stay a light page: a day costs a few bytes once gzip has seen its neighbours.
 */

import { plural } from "../../format/text.js";
import { formatCount, monthName } from "../format.js";
import type { DayEntry } from "../manifest.js";
import { ARCHIVE_PATH, dayPath, FEEDS_PATH, monthPath, yearPath } from "../urls.js";
import { topicFeedLinks } from "./feeds-page.js";
import { Layout, type PageContext } from "./layout.js";
import { costText, type MonthEntry } from "./month-list.js";

export interface ArchivePageProps {
  ctx: PageContext;
  years: { year: string; months: MonthEntry[] }[];
  /** Every day of the archive, ascending (the manifest's light lines). */
  days: readonly Pick<DayEntry, "date" | "digest" | "papers" | "noAnnouncement" | "missed">[];
  /** The topic feeds the build writes (topics of the latest FEED_DAYS days), so every link resolves. */
  topicFeeds: readonly { topic: string; file: string }[];
}

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/** "2025-03-03" → "Mon 3". */
export function shortDay(date: string): string {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return `${WEEKDAYS[weekday]} ${Number(date.slice(8, 10))}`;
}

export function ArchivePage({ ctx, years, days, topicFeeds }: ArchivePageProps) {
  const total = years.reduce((n, y) => n + y.months.reduce((m, e) => m + e.days, 0), 0);
  const byMonth = new Map<string, ArchivePageProps["days"][number][]>();
  // A weekend's or a holiday's record is no announcement day: not listed (its page says what it is);
  // a day the run missed has no digest to list (its month's calendar says so).
  for (const day of days) {
    if (day.noAnnouncement || day.missed) continue;
    const month = day.date.slice(0, 7);
    const list = byMonth.get(month);
    if (list) list.push(day);
    else byMonth.set(month, [day]);
  }
  return (
    <Layout
      ctx={ctx}
      title={`Archive · ${ctx.siteTitle}`}
      description={`Every digest of the archive: ${plural(total, "announcement day")}, by year, month and day.`}
      canonical={ARCHIVE_PATH}
      pageStyles
      feeds={topicFeedLinks(ctx, topicFeeds)}
    >
      <h1>Archive</h1>
      {years.length === 0 ? (
        <p>The archive is empty.</p>
      ) : (
        <p class="meta">
          Every announcement day by month, newest month first: a day's weekday and date, then the papers picked.
        </p>
      )}
      {[...years].reverse().map(({ year, months }) => (
        <section key={year} class="archive-year" aria-labelledby={`year-${year}`}>
          <h2 id={`year-${year}`}>
            <a href={ctx.urls.href(yearPath(year))}>{year}</a>
          </h2>
          {[...months].reverse().map((entry) => (
            <section key={entry.month} aria-labelledby={`month-${entry.month}`}>
              <h3 id={`month-${entry.month}`}>
                <a href={ctx.urls.href(monthPath(entry.month))}>{monthName(entry.month)}</a>{" "}
                <span class="meta">
                  {plural(entry.days, "day")}, {formatCount(entry.papers)} picked, {costText(entry)}
                </span>
              </h3>
              <ol class="archive-days">
                {(byMonth.get(entry.month) ?? []).map((d) => (
                  <li key={d.date} class={d.digest ? undefined : "no-digest"}>
                    <a href={ctx.urls.href(dayPath(d.date))}>{shortDay(d.date)}</a> {d.papers}
                  </li>
                ))}
              </ol>
            </section>
          ))}
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
