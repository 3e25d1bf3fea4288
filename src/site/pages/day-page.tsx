/**
 * One announcement day, papers first: a one-line summary (date, picked of scanned, cost), a compact
 * toolbar (filters, density), the paper cards, the near misses folded, and only then everything
 * the Markdown digest also carries (cost table, counts with definitions, notes, prompt).
 *
 * The near misses' cards live on a page of their own (NearMissesPage): the folded section links it,
 * and the page's script fetches the cards into the section when a reader opens it, so a day's
 * first load carries only the papers it picked.
 */
import { plural } from "../../format/text.js";
import { COUNT_LABELS, COUNT_LEGEND, type DayRecord, selectedPapers, type Usage } from "../../model/day-record.js";
import { remedialNote } from "../../model/status.js";
import type { Neighbours } from "../archive-outline.js";
import { nearMisses } from "../day-summary.js";
import { formatCost, formatCount, plainTex } from "../format.js";
import { dayPath, monthPath, nearMissesPath } from "../urls.js";
import { Layout, type PageContext } from "./layout.js";
import { PaperCard } from "./paper-card.js";
import { PrevNextNav } from "./prev-next-nav.js";

export interface DayPageProps {
  ctx: PageContext;
  day: DayRecord;
  neighbours: Neighbours;
}

export function DayPage({ ctx, day, neighbours }: DayPageProps) {
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
        `${plural(papers.length, "paper")} selected from the arXiv announcement of ${day.date}.` +
        (top.length > 0 ? ` ${top.join(" · ")}` : "")
      }
      canonical={path}
      article
    >
      <DayNav ctx={ctx} date={day.date} neighbours={neighbours} label="Days" />
      {day.remedial && <p class="banner remedial">{remedialNote(day)}</p>}
      <h1 class="day-title">Papers announced on {day.date}</h1>
      <p class="day-summary">
        <strong>{formatCount(papers.length)}</strong> picked of{" "}
        {day.counts.scanned === null ? "an unrecorded number" : formatCount(day.counts.scanned)} scanned ·{" "}
        {dayCost(day)} · <a href="#about-day">costs, counts and prompt</a>
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
          <>
            <Toolbar
              topics={[...new Set(papers.flatMap((p) => (p.topic ? [p.topic] : [])))].sort()}
              total={papers.length}
            />
            <section aria-labelledby="papers-heading" class="papers">
              <h2 id="papers-heading" class="visually-hidden">
                Papers
              </h2>
              {papers.map((p, i) => (
                <PaperCard key={p.id} paper={p} rank={i + 1} />
              ))}
            </section>
          </>
        )}
        {near.length > 0 && (
          <details class="near-misses" data-near-misses={urls.href(nearMissesPath(day.date))}>
            <summary>
              <h2>Near misses</h2> <span class="meta">the {nearMissesLine(near.length)}</span>
            </summary>
            {/* Replaced by the cards themselves when the script fetches them. */}
            <p class="near-misses-link">
              <a href={urls.href(nearMissesPath(day.date))}>Read the near misses of {day.date}</a>
            </p>
          </details>
        )}
      </div>
      <section aria-labelledby="about-day" class="about-day">
        <h2 id="about-day">About this day</h2>
        <p class="hint">
          Press <kbd>j</kbd> and <kbd>k</kbd> to move between papers.
        </p>
        <UsageTable day={day} />
        <Counts day={day} />
        {day.notes.length > 0 && (
          <section aria-labelledby="notes-heading">
            <h3 id="notes-heading">Notes</h3>
            <ul>
              {day.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          </section>
        )}
        {day.prompt && (
          <details class="prompt">
            <summary>Selection prompt</summary>
            <h3>System prompt</h3>
            <pre>{day.prompt.system}</pre>
            <h3>User prompt</h3>
            <pre>{day.prompt.user}</pre>
          </details>
        )}
      </section>
      <DayNav ctx={ctx} date={day.date} neighbours={neighbours} label="Days, end of page" />
    </Layout>
  );
}

const nearMissesLine = (n: number) =>
  `${plural(n, "best-scored paper")} the filter left out, to check where the cut fell`;

/** The near misses of a day as cards, on their own page; the day page fetches them when opened. */
export function NearMissesPage({ ctx, day }: { ctx: PageContext; day: DayRecord }) {
  const near = nearMisses(day);
  const { urls } = ctx;
  const path = dayPath(day.date);
  return (
    <Layout
      ctx={ctx}
      title={`Near misses of ${day.date} · ${ctx.siteTitle}`}
      description={`The ${nearMissesLine(near.length)}, of the arXiv announcement of ${day.date}.`}
      canonical={nearMissesPath(day.date)}
    >
      <h1 class="day-title">Near misses of {day.date}</h1>
      <p class="day-summary">
        The {nearMissesLine(near.length)}. <a href={urls.href(path)}>Back to the papers of {day.date}</a>
      </p>
      <div class="day" data-day-url={urls.absolute(path)} data-date={day.date}>
        <section aria-label="Near misses" class="near-misses-cards">
          {near.map((p) => (
            <PaperCard key={p.id} paper={p} rank={null} />
          ))}
        </section>
      </div>
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
  label: string;
}

function DayNav({ ctx, date, neighbours, label }: DayNavProps) {
  const { href } = ctx.urls;
  const month = date.slice(0, 7);
  const link = (d: string | null, word: string) => (d ? { href: href(dayPath(d)), text: `${word} Day ${d}` } : null);
  return (
    <PrevNextNav
      label={label}
      prev={link(neighbours.prev, "Previous")}
      up={{ href: href(monthPath(month)), text: `Monthly Overview ${month}` }}
      next={link(neighbours.next, "Next")}
      noPrev="No earlier day"
      noNext="No later day"
    />
  );
}

function UsageTable({ day }: { day: DayRecord }) {
  if (day.usage.total.calls === 0 && day.usage.total.model === null && day.usage.costSource === "computed") {
    return <p class="usage-none">No LLM was called for this day: nothing was spent.</p>;
  }
  const rows: [string, Usage][] = [...Object.entries(day.usage.stages), ["Total", day.usage.total]];
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
              <td>{formatCount(u.calls)}</td>
              <td>{formatCount(u.promptTokens)}</td>
              <td>{formatCount(u.cachedPromptTokens)}</td>
              <td>{formatCount(u.completionTokens)}</td>
              <td>{formatCount(u.promptTokens + u.completionTokens)}</td>
              <td>{formatCost(u.cost?.total ?? null)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Counts({ day }: { day: DayRecord }) {
  const keys = (Object.keys(COUNT_LABELS) as (keyof typeof COUNT_LABELS)[]).filter(
    (k) => !(k === "unscored" && day.counts[k] === 0) && day.counts[k] !== undefined,
  );
  return (
    <section aria-labelledby="counts-heading">
      <h3 id="counts-heading">Counts</h3>
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

function Toolbar({ topics, total }: { topics: string[]; total: number }) {
  return (
    <form class="filters" data-filters aria-label="Filter papers">
      <label>
        Minimum score <input type="number" name="min-score" min="0" max="20" step="1" value="0" inputMode="numeric" />
      </label>
      <label>
        Topic{" "}
        <select name="topic">
          <option value="">All topics</option>
          {topics.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </label>
      <label>
        <input type="checkbox" name="author-match" /> Followed authors only
      </label>
      {/* Density is a reading preference, remembered in the browser; the script unhides it. */}
      <button type="button" class="density-toggle" data-density-toggle aria-pressed="false" hidden>
        Titles only
      </button>
      <output class="filter-count" aria-live="polite" data-total={total}>
        Showing {total} of {total} papers
      </output>
    </form>
  );
}
