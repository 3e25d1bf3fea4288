/**
 * One paper, laid out to be scanned: title, authors, a line of scores and links, the model's
 * comment, then the abstract. When scripts run the stylesheet clamps the abstract to two lines and
 * keeps affiliations and citation buttons for the opened card ("more"); without scripts every card
 * is simply shown open.
 *
 * Scripts read only data-* attributes written here: filters (score, topic, author match), reader
 * marks and citations (id, date, raw title, authors, category, DOI). BibTeX and CSL-JSON are built
 * on click from those attributes (assets/cite.js), not stored per card.
 */
import type { PaperRecord } from "../../model/day-record.js";
import { arxivLinks } from "../arxiv-links.js";
import { formatScore } from "../format.js";
import { renderMathText } from "../math.js";
import { paperAnchor } from "../urls.js";

export interface PaperCardProps {
  paper: PaperRecord;
  /** Position in the digest; null for a near miss, which is not part of the ranking. */
  rank: number | null;
  date: string;
}

/** Separates author names in data-authors; arXiv author names never contain it. */
export const AUTHOR_SEPARATOR = "; ";

export function PaperCard({ paper, rank, date }: PaperCardProps) {
  const links = arxivLinks(paper.id);
  const anchor = paperAnchor(paper.id);
  const title = <span dangerouslySetInnerHTML={{ __html: renderMathText(paper.title) }} />;
  const listed = rank !== null;
  return (
    <article
      class={listed ? "paper" : "paper near-miss"}
      id={anchor}
      tabIndex={-1}
      aria-labelledby={`${anchor}-title`}
      data-paper={listed ? "" : undefined}
      data-near-miss={listed ? undefined : ""}
      data-id={paper.id}
      data-date={date}
      data-score={paper.score ?? ""}
      data-topic={paper.topic ?? ""}
      data-author-match={paper.authorMatch ? "yes" : "no"}
      data-title={paper.title}
      data-authors={paper.authors.map((a) => a.name).join(AUTHOR_SEPARATOR)}
      data-category={paper.categories[0] ?? ""}
      data-doi={paper.doi}
    >
      <h3 class="paper-title" id={`${anchor}-title`}>
        {listed && <span class="rank">{rank}.</span>} {links ? <a href={links.abs}>{title}</a> : title}
      </h3>
      <p class="authors">
        {paper.authors.map((a, i) => (
          <>
            {i > 0 && ", "}
            {/* Affiliations show on an opened card, and on hover through the name's title. */}
            {a.affiliations.length > 0 ? (
              <span title={a.affiliations.join("; ")}>
                {a.name}
                <span class="affiliation"> ({a.affiliations.join("; ")})</span>
              </span>
            ) : (
              a.name
            )}
          </>
        ))}
      </p>
      <div class="paper-meta">
        <Scores paper={paper} />
        {paper.categories[0] && <span class="category">{paper.categories[0]}</span>}
        {paper.topic && <span class="topic">{paper.topic}</span>}
        {paper.authorMatch && (
          <span class="badge author-match" title={paper.reason ?? undefined}>
            Followed author: {paper.authorMatch}
          </span>
        )}
        {!listed && <span class="outcome">{outcomeLabel(paper.outcome)}</span>}
        <span class="paper-links">
          <span class="arxiv-id">arXiv:{paper.id}</span>
          {links && (
            <>
              <a href={links.abs} title="Abstract page on arXiv">
                abs
              </a>
              <a href={links.pdf}>PDF</a>
              <a href={links.html}>HTML</a>
            </>
          )}
        </span>
        <span class="marks">
          <button type="button" data-mark="up" aria-pressed="false" aria-label="Like">
            👍
          </button>
          <button type="button" data-mark="down" aria-pressed="false" aria-label="Dislike">
            👎
          </button>
          <button type="button" data-mark="save" aria-pressed="false">
            Save
          </button>
          {/* Where the last click went: the workspace, a GitHub issue or this browser only. */}
          <span class="mark-status" role="status" data-mark-status />
        </span>
      </div>
      {paper.comment && <p class="comment">{paper.comment}</p>}
      {paper.outcome === "unscored" && paper.reason && <p class="comment">Not scored: {paper.reason}</p>}
      <div class="abstract-wrap">
        <div
          class="abstract"
          id={`${anchor}-abstract`}
          dangerouslySetInnerHTML={{ __html: renderMathText(paper.abstract) }}
        />
        {/* Without scripts the card is shown open and this control is not needed, so it starts hidden. */}
        <button type="button" class="more" data-more aria-expanded="false" aria-controls={`${anchor}-abstract`} hidden>
          more
        </button>
      </div>
      <p class="paper-actions">
        <button type="button" data-copy-link>
          Copy link
        </button>
        <button type="button" data-copy-bibtex>
          Copy BibTeX
        </button>
        <span class="copy-status" role="status" />
      </p>
    </article>
  );
}

function Scores({ paper }: { paper: PaperRecord }) {
  if (paper.score === null && paper.relevance === null && paper.novelty === null) return null;
  return (
    <span class="scores">
      <span class="badge score">Score {formatScore(paper.score)}</span>
      {(paper.relevance !== null || paper.novelty !== null) && (
        <span class="sub-scores">
          <abbr title="Relevance">R</abbr> {formatScore(paper.relevance)} · <abbr title="Novelty">N</abbr>{" "}
          {formatScore(paper.novelty)}
        </span>
      )}
    </span>
  );
}

function outcomeLabel(outcome: PaperRecord["outcome"]): string {
  switch (outcome) {
    case "rejected":
      return "below the cut";
    case "triaged-out":
      return "dropped at title triage";
    case "prefiltered-out":
      return "dropped by the prefilter";
    default:
      return outcome;
  }
}
