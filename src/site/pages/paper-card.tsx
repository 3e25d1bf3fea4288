/**
 * One paper, laid out to be scanned: title, authors, a line of scores and links, the model's
 * comment, then the abstract. When scripts run the stylesheet clamps the abstract to two lines and
 * keeps affiliations and citation buttons for the opened card ("more"); without scripts every card
 * is simply shown open.
 *
 * Scripts read the card as it is shown: data-* attributes only where the text does not say it
 * plainly (id, score, topic, author match, DOI, and the TeX title of a title with math), the rest
 * (title, authors, category; the date from the day around the cards) from the card's own text.
 * BibTeX and CSL-JSON are built on click from that (assets/cite.js), not stored per card. Controls
 * that only a script can run (more/less, copy link, copy BibTeX) are added by the script.
 */
import type { PaperRecord } from "../../model/day-record.js";
import { arxivLinks } from "../arxiv-links.js";
import { formatScore } from "../format.js";
import { escapeHtml, renderMathText } from "../math.js";
import { paperAnchor } from "../urls.js";

export interface PaperCardProps {
  paper: PaperRecord;
  /** Position in the digest; null for a near miss, which is not part of the ranking. */
  rank: number | null;
}

export function PaperCard({ paper, rank }: PaperCardProps) {
  const links = arxivLinks(paper.id);
  const anchor = paperAnchor(paper.id);
  const titleHtml = renderMathText(paper.title);
  // The title as the card's text reads it, unless typeset math or a TeX escape changed it.
  const plainTitle = titleHtml === escapeHtml(paper.title);
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
      data-score={paper.score ?? ""}
      data-topic={paper.topic ?? undefined}
      data-author-match={paper.authorMatch ? "" : undefined}
      data-title={plainTitle ? undefined : paper.title}
      data-doi={paper.doi ?? undefined}
    >
      <h3 class="paper-title" id={`${anchor}-title`}>
        {listed && <span class="rank">{rank}.</span>}{" "}
        {links ? (
          <a href={links.abs} dangerouslySetInnerHTML={{ __html: titleHtml }} />
        ) : (
          <span dangerouslySetInnerHTML={{ __html: titleHtml }} />
        )}
      </h3>
      <p class="authors">
        {paper.authors.map((a, i) => (
          <>
            {i > 0 && ", "}
            {/* Affiliations show on an opened card, and on hover through the name's title. A name
                of its own element is read whole by the script; plain names are split on commas. */}
            {a.affiliations.length > 0 ? (
              <span title={a.affiliations.join("; ")}>
                {a.name}
                <span class="affiliation"> ({a.affiliations.join("; ")})</span>
              </span>
            ) : a.name.includes(",") ? (
              <span>{a.name}</span>
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
          {links ? (
            <>
              <a class="arxiv-id" href={links.abs}>
                arXiv:{paper.id}
              </a>
              <a href={links.pdf}>PDF</a>
              <a href={links.html}>HTML</a>
            </>
          ) : (
            <span class="arxiv-id">arXiv:{paper.id}</span>
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
      {/* The script adds the "more" button here; without scripts the card is shown open. */}
      <div class="abstract-wrap">
        <div class="abstract" dangerouslySetInnerHTML={{ __html: renderMathText(paper.abstract) }} />
      </div>
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
