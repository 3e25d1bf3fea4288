/**
 * One selected paper. Filter and keyboard scripts read the data-* attributes; the copy buttons
 * carry their text (link, BibTeX) in attributes built here, so no script is generated from data.
 */
import type { PaperRecord } from "../../model/day-record.js";
import { arxivLinks } from "../arxiv-links.js";
import { bibtexEntry } from "../bibtex.js";
import { formatScore } from "../format.js";
import { renderMathText } from "../math.js";
import { paperAnchor } from "../urls.js";

export interface PaperCardProps {
  paper: PaperRecord;
  rank: number;
  date: string;
  /** Absolute URL of this card on its day page. */
  permalink: string;
}

export function PaperCard({ paper, rank, date, permalink }: PaperCardProps) {
  const links = arxivLinks(paper.id);
  const title = <span dangerouslySetInnerHTML={{ __html: renderMathText(paper.title) }} />;
  return (
    <article
      class="paper"
      id={paperAnchor(paper.id)}
      tabIndex={-1}
      data-paper
      data-score={paper.score ?? ""}
      data-topic={paper.topic ?? ""}
      data-author-match={paper.authorMatch ? "yes" : "no"}
    >
      <h3 class="paper-title">
        <span class="rank">{rank}.</span> {links ? <a href={links.abs}>{title}</a> : title}
      </h3>
      <p class="paper-links">
        <span class="arxiv-id">arXiv:{paper.id}</span>
        {links && (
          <>
            {" · "}
            <a href={links.pdf}>PDF</a>
            {" · "}
            <a href={links.html}>HTML</a>
          </>
        )}
      </p>
      {paper.authorMatch && <p class="badge">Followed author: {paper.authorMatch}</p>}
      <p class="authors">
        <span class="label">Authors:</span>{" "}
        {paper.authors.map((a, i) => (
          <>
            {i > 0 && ", "}
            {a.name}
            {a.affiliations.length > 0 && <span class="affiliation"> ({a.affiliations.join("; ")})</span>}
          </>
        ))}
      </p>
      {paper.relevance !== null || paper.novelty !== null ? (
        <p class="scores">
          Relevance {formatScore(paper.relevance)} · Novelty {formatScore(paper.novelty)} · Score{" "}
          {formatScore(paper.score)}
          {paper.topic && <> · Topic: {paper.topic}</>}
        </p>
      ) : (
        paper.topic && <p class="scores">Topic: {paper.topic}</p>
      )}
      <div class="abstract" dangerouslySetInnerHTML={{ __html: renderMathText(paper.abstract) }} />
      {paper.comment && (
        <p class="comment">
          <span class="label">Comment:</span> {paper.comment}
        </p>
      )}
      <p class="paper-actions">
        <button type="button" data-copy={permalink}>
          Copy link
        </button>
        <button type="button" data-copy={bibtexEntry(paper, date)}>
          Copy BibTeX
        </button>
        <span class="copy-status" role="status" />
      </p>
    </article>
  );
}
