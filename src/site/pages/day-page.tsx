/**
 * One announcement day: everything the Markdown digest shows (remedial banner, status, cost,
 * counts, contents, papers, prompt) plus day navigation and the client-side filters.
 */

import { formatUsd } from "../../format/text.js";
import { COUNT_LABELS, COUNT_LEGEND, type DayRecord, selectedPapers, type Usage } from "../../model/day-record.js";
import type { Neighbours } from "../archive-outline.js";
import { formatCount, plural } from "../format.js";
import { renderMathText } from "../math.js";
import { dayPath, monthPath, paperAnchor } from "../urls.js";
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
  const { urls } = ctx;
  const path = dayPath(day.date);
  return (
    <Layout
      ctx={ctx}
      title={`${day.date} · ${ctx.siteTitle}`}
      description={`${plural(papers.length, "paper")} selected from the arXiv announcement of ${day.date}.`}
      canonical={path}
    >
      <DayNav ctx={ctx} date={day.date} neighbours={neighbours} label="Days" />
      {day.remedial && (
        <p class="banner remedial">
          Remedial digest: papers missed from {day.remedial.from} to {day.remedial.to}, generated on{" "}
          {day.remedial.generatedOn}.
        </p>
      )}
      <h1>Papers announced on {day.date}</h1>
      {day.status.code !== "normal" && (
        <p class="banner status" data-status={day.status.code}>
          {day.status.message}
        </p>
      )}
      <UsageTable day={day} />
      <Counts day={day} />
      {papers.length > 0 && (
        <>
          <Filters
            topics={[...new Set(papers.flatMap((p) => (p.topic ? [p.topic] : [])))].sort()}
            total={papers.length}
          />
          <section aria-labelledby="contents-heading">
            <h2 id="contents-heading">Contents</h2>
            <ol class="contents">
              {papers.map((p) => (
                <li key={p.id}>
                  <a href={`#${paperAnchor(p.id)}`} dangerouslySetInnerHTML={{ __html: renderMathText(p.title) }} />
                </li>
              ))}
            </ol>
          </section>
          <section aria-labelledby="papers-heading">
            <h2 id="papers-heading">Papers</h2>
            <p class="hint">
              Press <kbd>j</kbd> and <kbd>k</kbd> to move between papers.
            </p>
            {papers.map((p, i) => (
              <PaperCard
                key={p.id}
                paper={p}
                rank={i + 1}
                date={day.date}
                permalink={`${urls.absolute(path)}#${paperAnchor(p.id)}`}
              />
            ))}
          </section>
        </>
      )}
      {day.notes.length > 0 && (
        <section aria-labelledby="notes-heading">
          <h2 id="notes-heading">Notes</h2>
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
          <h2>System prompt</h2>
          <pre>{day.prompt.system}</pre>
          <h2>User prompt</h2>
          <pre>{day.prompt.user}</pre>
        </details>
      )}
      <DayNav ctx={ctx} date={day.date} neighbours={neighbours} label="Days, end of page" />
    </Layout>
  );
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
              <td>{u.cost ? formatUsd(u.cost.total) : "unpriced"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Counts({ day }: { day: DayRecord }) {
  const keys = (Object.keys(COUNT_LABELS) as (keyof typeof COUNT_LABELS)[]).filter(
    (k) => !(k === "unscored" && day.counts[k] === 0),
  );
  return (
    <section aria-labelledby="counts-heading">
      <h2 id="counts-heading">Counts</h2>
      <dl class="counts">
        {keys.map((k) => (
          <div key={k}>
            <dt>
              {COUNT_LABELS[k]}: <strong>{formatCount(day.counts[k])}</strong>
            </dt>
            <dd>{COUNT_LEGEND[k]}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function Filters({ topics, total }: { topics: string[]; total: number }) {
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
      <output class="filter-count" aria-live="polite" data-total={total}>
        Showing {total} of {total} papers
      </output>
    </form>
  );
}
