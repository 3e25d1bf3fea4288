/**
 * A month at a glance: totals, a calendar with the number of picked papers per day (each with a
 * bar as long as its share of the month's busiest day, so the month's shape shows where its days
 * are linked), the month's highest-scoring papers, papers per topic with each topic's papers, and
 * every day with its scanned papers and cost.
 *
 * The calendar is the one chart: a separate bar chart of papers per day repeated its numbers, and
 * its cost line repeated the costs the day list gives. It also says what a day without a digest is,
 * so a reader never wonders whether a run failed: a holiday of the workspace's table is named
 * "holiday" whether or not a record exists, and an announcement day inside the archive's span
 * that has no record at all (a missed run) "no digest"; neither is linked. A record of a run that
 * missed its announcement (`missedDigest`: stale or failed, no paper) is not among the month's days
 * (the build leaves it out) but is in the span, so its day is "no digest" too, even as the last one,
 * its tooltip saying that it was recorded and with which status rather than that nothing was.
 */

import { calendarVerdict, noAnnouncementOn } from "../../arxiv/calendar.js";
import { ARXIV_HOLIDAYS, feedDateAfter } from "../../arxiv/holidays.js";
import { plural, topicName } from "../../format/text.js";
import { type MissedStatus, noDigestReason } from "../../model/status.js";
import {
  type ArchiveSpan,
  announcementDays,
  monthEntry,
  type Neighbours,
  type OverviewDay,
} from "../archive-outline.js";
import { topicCounts } from "../day-summary.js";
import { formatCost, formatCount, formatScore, monthName } from "../format.js";
import { renderMathText } from "../math.js";
import { dayPath, monthPath, paperAnchor, yearPath } from "../urls.js";
import { Layout, type PageContext } from "./layout.js";
import { costText } from "./month-list.js";
import { PrevNextNav } from "./prev-next-nav.js";

const TOP_PAPERS = 10;
const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/** What the calendar knows beyond the month's records. */
export interface MonthCalendar {
  /** The workspace's holiday table (feed dates). */
  holidays: ReadonlySet<string>;
  /**
   * The archive's first and last day (`archiveSpan`, a missed day's record included): an
   * announcement day from one to the other with no record among the month's days is one without a
   * digest; null for an empty archive.
   */
  span: ArchiveSpan | null;
  /**
   * The records of runs that missed their announcement (`missedStatus`), by date: not among the
   * month's days, so the calendar says of such a day what its record says (`noDigestReason`).
   */
  missed?: ReadonlyMap<string, MissedStatus>;
}

/** Without one, the calendar marks only what the month's records say. */
const NO_CALENDAR: MonthCalendar = { holidays: new Set(), span: null };

export interface MonthPageProps {
  ctx: PageContext;
  month: string;
  days: OverviewDay[];
  neighbours: Neighbours;
  calendar?: MonthCalendar;
}

export function MonthPage({ ctx, month, days, neighbours, calendar = NO_CALENDAR }: MonthPageProps) {
  const { href } = ctx.urls;
  const name = monthName(month);
  const papers = days.flatMap((d) => d.papers.map((p) => ({ ...p, date: d.date })));
  // A paper picked on several days of the month is one of its top papers once.
  const seen = new Set<string>();
  const top = papers
    .filter((p) => p.score !== null && p.authorMatch === null)
    .sort((a, b) => (b.score ?? 0) - (a.score ?? 0) || a.date.localeCompare(b.date))
    .filter((p) => !seen.has(p.id) && seen.add(p.id) !== undefined)
    .slice(0, TOP_PAPERS);
  // A followed author's paper is picked whatever it scores (20), so it is not ranked among the top.
  const followed = new Set(papers.filter((p) => p.authorMatch !== null).map((p) => p.id)).size;
  const year = month.slice(0, 4);
  const totals = monthEntry(month, days);
  // A weekend's or a holiday's record is no announcement day: the calendar names it, nothing counts or lists it.
  const announced = announcementDays(days);
  const untopiced = papers.filter((p) => p.topic === null);
  return (
    <Layout
      ctx={ctx}
      title={`${name} · ${ctx.siteTitle}`}
      description={`${plural(papers.length, "paper")} picked over ${plural(totals.days, "announcement day")} in ${name}.`}
      canonical={monthPath(month)}
      pageStyles
    >
      <PrevNextNav
        label="Months"
        prev={
          neighbours.prev
            ? { href: href(monthPath(neighbours.prev)), text: `Previous month ${monthName(neighbours.prev)}` }
            : null
        }
        up={{ href: href(yearPath(year)), text: `Year ${year}` }}
        next={
          neighbours.next
            ? { href: href(monthPath(neighbours.next)), text: `Next month ${monthName(neighbours.next)}` }
            : null
        }
        noPrev="No earlier month"
        noNext="No later month"
      />
      <h1>{name}</h1>
      <p>
        {plural(papers.length, "paper")} picked over {plural(totals.days, "announcement day")}, from{" "}
        {formatCount(totals.scanned)} scanned · {costText(totals)}.
      </p>
      <Calendar ctx={ctx} month={month} days={days} calendar={calendar} />
      {top.length > 0 && (
        <section aria-labelledby="top-heading">
          <h2 id="top-heading">Top papers of the month</h2>
          {followed > 0 && (
            <p class="meta">
              Not ranked here: {plural(followed, "paper")} by followed authors, listed under “Papers per topic” below.
            </p>
          )}
          <ol class="top-papers">
            {top.map((p) => (
              <PaperLine key={`${p.date}-${p.id}`} paper={p} href={href} />
            ))}
          </ol>
        </section>
      )}
      {papers.length > 0 && (
        <section aria-labelledby="topics-heading">
          <h2 id="topics-heading">Papers per topic</h2>
          <div class="topic-list">
            {[
              // A topic by its title in the config, by the record's id when the config no longer has it.
              ...topicCounts(papers).map(([topic, n]) => [topic, n, topicName(topic, ctx.topicTitles)] as const),
              // Papers the selection gave no topic (a followed author's, say) come last, named as such.
              ...(untopiced.length > 0 ? [[null, untopiced.length, "Without a topic"] as const] : []),
            ].map(([topic, n, heading]) => (
              <details key={heading}>
                <summary>
                  {heading} <span class="topic-count">{n}</span>
                </summary>
                <ol>
                  {papers
                    .filter((p) => p.topic === topic)
                    .map((p) => (
                      <PaperLine key={`${p.date}-${p.id}`} paper={p} href={href} />
                    ))}
                </ol>
              </details>
            ))}
          </div>
        </section>
      )}
      <section aria-labelledby="days-heading">
        <h2 id="days-heading">Every day</h2>
        <ul class="day-list">
          {announced.map((d) => (
            <li key={d.date}>
              <a href={href(dayPath(d.date))}>{d.date}</a>: {plural(d.papers.length, "paper")} picked
              {d.scanned !== null && ` of ${formatCount(d.scanned)} scanned`}, {formatCost(d.cost)}
              {d.kind === "remedial" && " (remedial)"}
            </li>
          ))}
        </ul>
      </section>
    </Layout>
  );
}

/**
 * The holiday behind each feed date arXiv's lists name one for (holidays.ts), by the feed date
 * whose batch it removes: "Thanksgiving" for Friday 2026-11-27, whose batch Thursday evening's
 * announcement would have made. A date of the lists with no name (an ad-hoc day) has none here.
 */
const HOLIDAY_NAMES: ReadonlyMap<string, string> = new Map(
  ARXIV_HOLIDAYS.flatMap(({ date, note }) => {
    const name = note
      .slice(note.indexOf(",") + 1)
      .replace(/\s*\(.*\)$/, "")
      .replace(/^\s*after\s+/, "")
      .trim();
    return note.includes(",") && name ? [[feedDateAfter(date), name] as const] : [];
  }),
);

/**
 * A holiday's cell: the feed date carries no batch because the announcement of the evening before
 * (the Sunday before a Monday) was not held, so the eye reads "after Thanksgiving" ("after a
 * holiday" when the table names none), and the pointer and a screen reader the calendar's own
 * sentence, which names that announcement and the next one (`calendarVerdict`, as `render` says it).
 */
function holidayLabel(date: string, holidays: ReadonlySet<string>) {
  const name = HOLIDAY_NAMES.get(date);
  const text = name ? `after ${name}` : "after a holiday";
  const verdict = calendarVerdict(date, holidays);
  // A record of a holiday the table has since dropped: the calendar no longer says why.
  const sentence = verdict?.code === "holiday" ? verdict.message : "No arXiv announcement (a holiday).";
  return { text, name: `${text}. ${sentence}` };
}

/**
 * What a cell without a count says: muted, unlinked, its whole meaning as its name and tooltip, by
 * what the archive holds of the day (no record, or a run's record without a digest and its status).
 */
function noDigestLabel(missed: MissedStatus | null) {
  return { text: "no digest", name: `no digest (${noDigestReason(missed)})` };
}

function DayLabel({ label }: { label: { text: string; name: string } }) {
  return (
    <span class="day-label" title={label.name}>
      <span aria-hidden="true">{label.text}</span>
      <span class="visually-hidden">{label.name}</span>
    </span>
  );
}

function Calendar({
  ctx,
  month,
  days,
  calendar,
}: {
  ctx: PageContext;
  month: string;
  days: OverviewDay[];
  calendar: MonthCalendar;
}) {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  const byDay = new Map(days.map((d) => [Number(d.date.slice(8, 10)), d]));
  const busiest = Math.max(1, ...days.map((d) => d.papers.length));
  /** The bar under a day's count, in tenths of the busiest day's (pages.css .b1 … .b10). */
  const bar = (n: number) => (n === 0 ? "" : ` b${Math.ceil((n / busiest) * 10)}`);
  const leading = (new Date(Date.UTC(y, m - 1, 1)).getUTCDay() + 6) % 7;
  const length = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const cells: (number | null)[] = [
    ...Array.from({ length: leading }, () => null),
    ...Array.from({ length }, (_, i) => i + 1),
  ];
  while (cells.length % 7 !== 0) cells.push(null);
  const weeks = Array.from({ length: cells.length / 7 }, (_, w) => cells.slice(w * 7, w * 7 + 7));
  return (
    <table class="calendar">
      <caption>Picked papers per day, {monthName(month)}</caption>
      <thead>
        <tr>
          {WEEKDAYS.map((d) => (
            <th key={d} scope="col">
              {d}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {weeks.map((week) => (
          <tr key={week.join()}>
            {week.map((n, i) => {
              const day = n === null ? undefined : byDay.get(n);
              const date = n === null ? "" : `${month}-${String(n).padStart(2, "0")}`;
              // A record says what the day was; without one, the calendar does (a weekend stays a plain cell).
              const byCalendar = n === null ? null : noAnnouncementOn(date, calendar.holidays);
              const none = day ? day.noAnnouncement : byCalendar === "holiday" ? "holiday" : undefined;
              // arXiv announced nothing: no count, no link; a holiday is named, a weekend is one like any other.
              if (n !== null && none) {
                return (
                  <td key={i} class="no-announcement">
                    <span class="date-number">{n}</span>
                    {none === "holiday" && <DayLabel label={holidayLabel(date, calendar.holidays)} />}
                  </td>
                );
              }
              // An announcement day between the archive's first and last day with no record, or a missed run's record.
              if (n !== null && !day && byCalendar === null && inSpan(date, calendar.span)) {
                return (
                  <td key={i} class="no-digest">
                    <span class="date-number">{n}</span>
                    <DayLabel label={noDigestLabel(calendar.missed?.get(date) ?? null)} />
                  </td>
                );
              }
              return (
                <td key={i} class={day ? `has-digest${bar(day.papers.length)}` : undefined}>
                  {n !== null && <span class="date-number">{n}</span>}
                  {day && (
                    <a
                      href={ctx.urls.href(dayPath(day.date))}
                      aria-label={`${day.date}: ${plural(day.papers.length, "paper")}`}
                    >
                      {day.papers.length}
                    </a>
                  )}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

// The first and last day are records: of a day with a digest, or of a missed one, which is "no digest".
const inSpan = (date: string, span: ArchiveSpan | null) => span !== null && date >= span.first && date <= span.last;

/** One paper of the month: its title linked to its card on its day, with score and date. */
function PaperLine({
  paper,
  href,
}: {
  paper: { id: string; title: string; score: number | null; date: string };
  href: (path: string) => string;
}) {
  return (
    <li>
      <a
        href={`${href(dayPath(paper.date))}#${paperAnchor(paper.id)}`}
        dangerouslySetInnerHTML={{ __html: renderMathText(paper.title, { links: false }) }}
      />{" "}
      <span class="meta">
        score {formatScore(paper.score)}, <time>{paper.date}</time>
      </span>
    </li>
  );
}
