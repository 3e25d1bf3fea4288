/**
 * One announcement day, papers first: a one-line summary (date, picked of scanned, cost), the paper
 * cards (the script adds the filters and "titles only" above them), the near misses folded, and the
 * day's notes.
 *
 * A day's first load carries the papers it picked and little else; what is long and rarely read
 * lives on pages of its own beside the day's, linked from it:
 * - the near misses' cards (NearMissesPage): the folded section links the page, and the script
 *   fetches the cards into the section when a reader opens it;
 * - everything else the Markdown digest also carries (DayAboutPage): the token and cost table, the
 *   counts with their definitions and the selection prompt as sent, linked from the summary line.
 */
import { costTableNote, plural } from "../../format/text.js";
import {
  COUNT_LABELS,
  COUNT_LEGEND,
  type DayRecord,
  type PaperRecord,
  selectedPapers,
  type Usage,
} from "../../model/day-record.js";
import { readerNote } from "../../model/notes.js";
import { noAnnouncement, remedialNote } from "../../model/status.js";
import type { Neighbours } from "../archive-outline.js";
import { nearMisses } from "../day-summary.js";
import { formatCost, formatCount, plainTex, weekdayName } from "../format.js";
import { dayAboutPath, dayPath, monthPath, nearMissesPath } from "../urls.js";
import { Layout, type PageContext } from "./layout.js";
import { PaperCard } from "./paper-card.js";
import { PrevNextNav } from "./prev-next-nav.js";
import { SelectionCriteria, type SelectionFacts, selectionFacts } from "./selection-criteria.js";

export interface DayPageProps {
  ctx: PageContext;
  day: DayRecord;
  neighbours: Neighbours;
}

export function DayPage({ ctx, day, neighbours }: DayPageProps) {
  if (noAnnouncement(day.status.code) !== null)
    return <NoAnnouncementPage ctx={ctx} day={day} neighbours={neighbours} />;
  const papers = selectedPapers(day);
  const near = nearMisses(day);
  const { urls } = ctx;
  const path = dayPath(day.date);
  const top = papers.slice(0, 3).map((p) => plainTex(p.title));
  return (
    <Layout
      ctx={ctx}
      title={`${day.date} · ${ctx.siteTitle}`}
      description={
        `${plural(papers.length, "paper")} picked from the arXiv announcement of ${day.date}.` +
        (top.length > 0 ? ` ${top.join(" · ")}` : "")
      }
      canonical={path}
      article
    >
      <DayNav ctx={ctx} date={day.date} neighbours={neighbours} />
      {day.remedial && <p class="banner remedial">{remedialNote(day)}</p>}
      <h1 class="day-title">
        Papers announced on <time>{day.date}</time>
      </h1>
      <p class="day-summary">
        <strong>{formatCount(papers.length)}</strong> picked of{" "}
        {day.counts.scanned === null ? "an unrecorded number" : formatCount(day.counts.scanned)} scanned ·{" "}
        {dayCost(day)} · <a href={urls.href(dayAboutPath(day.date))}>{aboutName(day).toLowerCase()}</a>
      </p>
      {day.status.code !== "normal" && (
        <p class="banner status" data-status={day.status.code}>
          {day.status.message}
        </p>
      )}
      {/* The canonical day address, for "Copy link" (the root page shows the latest day too), and
          the day's date, for citations and marks. */}
      <div class="day" data-day-url={urls.absolute(path)} data-date={day.date}>
        {papers.length > 0 && (
          // The script puts the filters (score, topic, followed authors, "titles only") above the
          // cards: they only work with it.
          // The day's title is the page's one h1; each paper's title is an h2 below it.
          <section class="papers">
            {papers.map((p) => (
              <PaperCard key={p.id} paper={p} listed />
            ))}
          </section>
        )}
        {near.length > 0 && (
          <details class="near-misses">
            <summary>
              <h2>Near misses</h2> <span class="meta">the {nearMissesLine(near)}</span>
            </summary>
            {/* The script fetches the cards from the page this links and puts them in its place. */}
            <p class="near-misses-link">
              <a href={urls.href(nearMissesPath(day.date))}>Read the near misses of {day.date}</a>
            </p>
          </details>
        )}
      </div>
      {day.notes.length > 0 && (
        <section aria-labelledby="notes-heading">
          <h2 id="notes-heading">Notes</h2>
          <ul>
            {day.notes.map((n) => (
              <li key={n}>{readerNote(n)}</li>
            ))}
          </ul>
        </section>
      )}
      {/* The script repeats the days' navigation here, at the end of the papers. */}
    </Layout>
  );
}

/**
 * A weekend's or a holiday's page: no archive list links it and Previous/Next pass it by, but its
 * address (a bookmark, a date typed in) says what the day is and, in the calendar's words, when the
 * next announcement comes.
 */
function NoAnnouncementPage({ ctx, day, neighbours }: DayPageProps) {
  const what = noAnnouncement(day.status.code) === "holiday" ? "arXiv holiday" : "no arXiv announcement";
  const named = `${weekdayName(day.date)} ${day.date}`;
  return (
    <Layout
      ctx={ctx}
      title={`${named}: ${what} · ${ctx.siteTitle}`}
      description={day.status.message}
      canonical={dayPath(day.date)}
    >
      <DayNav ctx={ctx} date={day.date} neighbours={neighbours} />
      <h1 class="day-title">
        {weekdayName(day.date)} <time>{day.date}</time>: {what}
      </h1>
      <p class="day-summary" data-status={day.status.code}>
        {day.status.message}
      </p>
    </Layout>
  );
}

/** What the near misses are: the best-scored papers that missed the cut, and the best of those set aside before. */
function nearMissesLine(near: readonly PaperRecord[]): string {
  const scored = near.filter((p) => p.outcome === "rejected").length;
  const aside = near.length - scored;
  const before = `${plural(aside, "paper")} set aside before scoring that the free prefilter ranked highest`;
  if (aside === 0) return `${plural(scored, "best-scored paper")} that just missed the day’s cut`;
  if (scored === 0) return before;
  return `${plural(scored, "best-scored paper")} that just missed the day’s cut, and the ${before}`;
}

/** The near misses of a day as cards, on their own page; the day page fetches them when opened. */
export function NearMissesPage({ ctx, day }: { ctx: PageContext; day: DayRecord }) {
  const near = nearMisses(day);
  const { urls } = ctx;
  const path = dayPath(day.date);
  return (
    <Layout
      ctx={ctx}
      title={`Near misses of ${day.date} · ${ctx.siteTitle}`}
      description={`The ${nearMissesLine(near)}, of the arXiv announcement of ${day.date}.`}
      canonical={nearMissesPath(day.date)}
    >
      <h1 class="day-title">
        Near misses of <time>{day.date}</time>
      </h1>
      <p class="day-summary">
        The {nearMissesLine(near)}.{" "}
        <a href={urls.href(path)}>
          Back to the papers of <time>{day.date}</time>
        </a>
      </p>
      <div class="day" data-day-url={urls.absolute(path)} data-date={day.date}>
        <section aria-label="Near misses" class="near-misses-cards">
          {near.map((p) => (
            <PaperCard key={p.id} paper={p} listed={false} />
          ))}
        </section>
      </div>
    </Layout>
  );
}

/** The about page's name: it holds the prompt only when the day recorded one (offline days have none). */
const aboutName = (day: DayRecord) =>
  day.prompt ? "How these were picked, costs, counts and prompt" : "How these were picked, costs and counts";

/** What the Markdown digest carries besides the papers: tokens and cost, counts, the prompt. */
export function DayAboutPage({
  ctx,
  day,
  selection = selectionFacts(day),
}: {
  ctx: PageContext;
  day: DayRecord;
  /** Of the whole record, when `day` is the trimmed one a build renders. */
  selection?: SelectionFacts;
}) {
  const { urls } = ctx;
  return (
    <Layout
      ctx={ctx}
      title={`${aboutName(day)}: ${day.date} · ${ctx.siteTitle}`}
      description={`How the papers were picked, tokens, cost${day.prompt ? ", counts and the selection prompt" : " and counts"} of the arXiv digest of ${day.date}.`}
      canonical={dayAboutPath(day.date)}
      pageStyles
    >
      <h1 class="day-title">
        {aboutName(day)}: <time>{day.date}</time>
      </h1>
      <p class="day-summary">
        <a href={urls.href(dayPath(day.date))}>
          Back to the papers of <time>{day.date}</time>
        </a>
      </p>
      <SelectionCriteria day={day} facts={selection} />
      <UsageTable day={day} />
      <RunNotes day={day} />
      <Counts day={day} />
      {day.prompt && (
        <section aria-labelledby="prompt-heading" class="prompt">
          <h2 id="prompt-heading">Selection prompt</h2>
          <h3>System prompt</h3>
          <pre>{day.prompt.system}</pre>
          <h3>User prompt</h3>
          <pre>{day.prompt.user}</pre>
        </section>
      )}
    </Layout>
  );
}

function dayCost(day: DayRecord): string {
  if (day.usage.total.calls === 0 && day.usage.total.model === null && day.usage.costSource === "computed") {
    return "no LLM cost";
  }
  const cost = day.usage.total.cost;
  return cost ? `${formatCost(cost.total)} spent` : "cost unpriced";
}

interface DayNavProps {
  ctx: PageContext;
  date: string;
  neighbours: Neighbours;
}

function DayNav({ ctx, date, neighbours }: DayNavProps) {
  const { href } = ctx.urls;
  const month = date.slice(0, 7);
  const link = (d: string | null, word: string) => (d ? { href: href(dayPath(d)), text: `${word} day ${d}` } : null);
  return (
    <PrevNextNav
      label="Days"
      prev={link(neighbours.prev, "Previous")}
      up={{ href: href(monthPath(month)), text: `Month overview ${month}` }}
      next={link(neighbours.next, "Next")}
      noPrev="No earlier day"
      noNext="No later day"
    />
  );
}

function UsageTable({ day }: { day: DayRecord }) {
  if (day.usage.total.calls === 0 && day.usage.total.model === null && day.usage.costSource === "computed") {
    return <p class="usage-none">No LLM cost: no LLM was called for this day.</p>;
  }
  const rows: [string, Usage][] = [...Object.entries(day.usage.stages), ["Total", day.usage.total]];
  // What the figures stand for when a run reused answers (the response cache, earlier verdicts): the Markdown page's line.
  const note = costTableNote(day.usage);
  return (
    // Wide on a phone: the table scrolls inside its own region, the page does not.
    <section class="table-scroll" aria-label="Tokens and cost" tabindex={0}>
      <table class="usage">
        <caption>
          Tokens and cost
          {day.usage.costSource === "imported" && " (cost as recorded by the imported page)"}
        </caption>
        <thead>
          <tr>
            <th scope="col">Stage</th>
            <th scope="col">Model</th>
            <th scope="col">Calls</th>
            <th scope="col">Prompt tokens</th>
            <th scope="col">Cached prompt tokens</th>
            <th scope="col">Completion tokens</th>
            <th scope="col">Total tokens</th>
            <th scope="col">Cost</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([stage, u]) => (
            <tr key={stage}>
              <th scope="row">{stage}</th>
              <td>{u.model ?? "–"}</td>
              <td>{callsText(stage, u)}</td>
              <td>{formatCount(u.promptTokens)}</td>
              <td>{formatCount(u.cachedPromptTokens)}</td>
              <td>{formatCount(u.completionTokens)}</td>
              <td>{formatCount(u.promptTokens + u.completionTokens)}</td>
              <td>{formatCost(u.cost?.total ?? null)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {note && <p class="meta">{note}</p>}
    </section>
  );
}

/** What one reused verdict of a stage is, in the Calls column: a title's triage, a paper's score. */
const REUSED_UNIT: Record<string, string> = { triage: "title", scoring: "score", Total: "verdict" };

/**
 * A stage's calls, and beside them the verdicts it reused from earlier answers without a call
 * ("0 new · 118 titles reused"), which its tokens and cost include: a bare "0" would read as a stage
 * that did nothing.
 */
function callsText(stage: string, u: Usage): string {
  const reused = u.reused?.verdicts ?? 0;
  if (reused === 0) return formatCount(u.calls);
  return `${formatCount(u.calls)} new · ${formatCount(reused)} ${REUSED_UNIT[stage] ?? "verdict"}${reused === 1 ? "" : "s"} reused`;
}

/**
 * The operator's notes on the run that wrote the day (answers replayed from the cache, an unpriced
 * model, a feedback line skipped), under the costs: the day page and the digest leave them out.
 */
function RunNotes({ day }: { day: DayRecord }) {
  const notes = day.operatorNotes ?? [];
  if (notes.length === 0) return null;
  return (
    <section aria-labelledby="run-notes-heading">
      <h2 id="run-notes-heading">Notes on the run</h2>
      <ul>
        {notes.map((n) => (
          <li key={n}>{n}</li>
        ))}
      </ul>
    </section>
  );
}

function Counts({ day }: { day: DayRecord }) {
  const keys = (Object.keys(COUNT_LABELS) as (keyof typeof COUNT_LABELS)[]).filter(
    (k) => !(k === "unscored" && day.counts[k] === 0) && day.counts[k] !== undefined,
  );
  return (
    <section aria-labelledby="counts-heading">
      <h2 id="counts-heading">Counts</h2>
      <dl class="counts">
        {keys.map((k) => (
          <div key={k}>
            <dt>
              {COUNT_LABELS[k]}: <strong>{formatCount(day.counts[k] ?? null)}</strong>
            </dt>
            <dd>{COUNT_LEGEND[k]}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
