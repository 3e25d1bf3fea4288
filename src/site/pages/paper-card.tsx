/**
 * One paper, laid out to be scanned: title, authors, a line of scores, the model's comment, then
 * the abstract. When scripts run the stylesheet clamps the abstract to two lines and keeps
 * affiliations and citation buttons for the opened card ("more"); without scripts every card is
 * simply shown open.
 *
 * The card carries each fact once, as the reader sees it. Scripts read it from the card's text
 * (score, topic, category, title, authors; the date from the day around the cards), its anchor (the
 * arXiv id) and data-* attributes only where the text does not say it plainly (the DOI, and the TeX
 * title of a title with math). The title links the abstract page, so a reader without scripts
 * reaches the paper (arXiv's abstract page links its PDF and HTML versions). What follows from the
 * id or only a script can run is added by the script (assets/app.js, day-actions.js): the arXiv id,
 * PDF and (new-scheme ids only, as arxiv-links.ts says) HTML links at the end of the score line,
 * the marks (👍 / 👎 / Save), "more", copy link and copy BibTeX (built on click, assets/cite.js),
 * and the card's focusability for j/k. Written in every card, the PDF and HTML links would cost a
 * typical day's first visit about 0.5 KB gzip (13 bytes a card), past the page's weight budget
 * (bench/site-build.ts). The rank is a CSS counter over the day's picks (site.css), so it costs no
 * bytes per card; near misses (class near-miss) have none.
 */
import type { ComponentChild } from "preact";
import type { PaperRecord } from "../../model/day-record.js";
import { arxivLinks } from "../arxiv-links.js";
import { formatScore } from "../format.js";
import { escapeText, renderMathText } from "../math.js";
import { paperAnchor } from "../urls.js";

export interface PaperCardProps {
  paper: PaperRecord;
  /** Whether the card is one of the day's picks (ranked) or a near miss (not part of the ranking). */
  listed: boolean;
}

export function PaperCard({ paper, listed }: PaperCardProps) {
  const abs = arxivLinks(paper.id)?.abs;
  // The title is shown inside a link, so a \href or \url in it is shown as text, not a link.
  const titleHtml = renderMathText(paper.title, { links: false });
  // The title as the card's text reads it, unless typeset math or a TeX escape changed it.
  const plainTitle = titleHtml === escapeText(paper.title);
  return (
    <article
      class={listed ? "paper" : "paper near-miss"}
      id={paperAnchor(paper.id)}
      data-title={plainTitle ? undefined : paper.title}
      data-doi={paper.doi ?? undefined}
    >
      <h2>
        {abs ? (
          <a href={abs} dangerouslySetInnerHTML={{ __html: titleHtml }} />
        ) : (
          <span dangerouslySetInnerHTML={{ __html: titleHtml }} />
        )}
      </h2>
      {/* The authors: the paragraph right after the title (no class needed). */}
      <p>
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
      <p class="paper-meta">{spaced(metaParts(paper, listed))}</p>
      {/* The model's comment is TeX like the abstract it comments on (accents, math, markup), but it
          speaks for the digest: a \href or \url in it is shown as text, never as a link. */}
      {paper.comment && (
        <p class="comment" dangerouslySetInnerHTML={{ __html: renderMathText(paper.comment, { links: false }) }} />
      )}
      {paper.outcome === "unscored" && paper.reason && <p class="comment">Not scored: {paper.reason}</p>}
      {/* A near miss says why it missed: a relevance that passes the cut-off means nothing without it. */}
      {!listed && paper.outcome !== "unscored" && paper.reason && (
        <p class="comment">Missed: {missReason(paper.reason)}</p>
      )}
      {/* The abstract is the paper's own words, quoted. */}
      <blockquote dangerouslySetInnerHTML={{ __html: renderMathText(paper.abstract) }} />
    </article>
  );
}

/** The score line's parts: score, sub-scores, category, topic, followed author, outcome. */
function metaParts(paper: PaperRecord, listed: boolean): ComponentChild[] {
  const parts: ComponentChild[] = [];
  if (paper.outcome === "prefiltered-out") {
    // Never judged: the relevance is the free topic score's, and there is no score to rank by.
    if (paper.relevance !== null) parts.push(`free topic relevance ${formatScore(paper.relevance)}`);
  } else if (paper.score !== null || paper.relevance !== null || paper.novelty !== null) {
    parts.push(<b class="score">Score {formatScore(paper.score)}</b>);
  }
  if (paper.outcome !== "prefiltered-out" && (paper.relevance !== null || paper.novelty !== null)) {
    parts.push(`relevance ${formatScore(paper.relevance)} · novelty ${formatScore(paper.novelty)}`);
  }
  if (paper.categories[0]) parts.push(<span class="category">{paper.categories[0]}</span>);
  if (paper.topic) parts.push(<span class="topic">{paper.topic}</span>);
  if (paper.authorMatch) {
    parts.push(
      <span class="badge author-match" title={paper.reason ?? undefined}>
        Followed author: {paper.authorMatch}
      </span>,
    );
  }
  // A near miss below the cut says nothing the section's heading does not; a paper dropped earlier does.
  const outcome = listed ? null : outcomeLabel(paper.outcome);
  if (outcome) parts.push(<span class="outcome">{outcome}</span>);
  return parts;
}

/** A recorded reason as a near miss's card says it: the prefilter's without the label the card already shows. */
const missReason = (reason: string) =>
  reason.replace(/^not sent to the LLM: rank (\d+ of \d+):/, "ranked $1 by the free prefilter,");

/** Parts with a space between each, so a line reads as words without its styles too. */
const spaced = (parts: ComponentChild[]) => parts.flatMap((part, i) => (i === 0 ? [part] : [" ", part]));

function outcomeLabel(outcome: PaperRecord["outcome"]): string | null {
  switch (outcome) {
    case "rejected":
      return null;
    case "triaged-out":
      return "set aside on its title";
    case "prefiltered-out":
      return "not sent to the LLM";
    default:
      return outcome;
  }
}
