/** What every channel says about a day, phrased once: the papers shown, the counts, the status. */

import { createHash } from "node:crypto";
import { plainTex } from "../format/tex.js";
import { arxivAbsUrl, type TopicTitles, topicName } from "../format/text.js";
import { httpUrl } from "../format/url.js";
import { type DayRecord, isAuthorMatchComment, type PaperRecord, selectedPapers } from "../model/day-record.js";

/**
 * The site a day's messages belong to. `url` is its public address (`site.baseUrl`), which names
 * the email's List-Id on every day the site's digest sends, whether the day has a page or not;
 * `page` is the day's page there, which the messages link, or null when the site has no page for
 * the day (a missed day, `missedDay`: a failed run, or a stale feed sent after `--wait-fresh`, with
 * no paper), whose messages link none.
 */
export interface DaySite {
  url: string;
  page: string | null;
}

/** The day's page as a message links it (an http(s) URL), or null: no site given, or no page for the day. */
export function dayPageLink(site: DaySite | undefined): string | null {
  return site?.page == null ? null : httpUrl(site.page);
}

export interface DigestItem {
  /** Position in the digest, from 1. */
  n: number;
  paper: PaperRecord;
  /** The title as plain text (its TeX as Unicode: no channel typesets it). */
  title: string;
  /** The paper's arXiv abstract page. */
  url: string;
  /** The model's comment as plain text (TeX as for an abstract), or null when it has none. */
  comment: string | null;
  /** "★ Followed author: Yann LeCun" for a followed author's paper, else null. */
  followed: string | null;
  /**
   * The comment a message shows under the paper: the model's, but not the "Author match" a
   * followed author's paper carries in its place, which `followed` already says.
   */
  shownComment: string | null;
  /** The paper's score line (`scoreLine`), its topic by title; "" when it has none. */
  scores: string;
}

/** The day's picked papers as messages show them; `topics` names their topics by title. */
export function digestItems(day: DayRecord, topics?: TopicTitles): DigestItem[] {
  return selectedPapers(day).map((paper, i) => {
    const comment = plainComment(paper.comment);
    const followed = followedLine(paper.authorMatch);
    return {
      n: i + 1,
      paper,
      title: plainTex(paper.title),
      url: arxivAbsUrl(paper.id),
      comment,
      followed,
      shownComment: followed !== null && isAuthorMatchComment(comment) ? null : comment,
      scores: scoreLine(paper, topics),
    };
  });
}

/** The followed-author line: the author's name, or none where an imported day did not record it. */
function followedLine(authorMatch: string | null): string | null {
  if (authorMatch === null) return null;
  return isAuthorMatchComment(authorMatch) ? "★ Followed author" : `★ Followed author: ${authorMatch}`;
}

/** The model's comment as channels show it: plain text, TeX rendered as for an abstract; null when empty. */
function plainComment(comment: string | null): string | null {
  const text = comment === null ? "" : plainTex(comment);
  return text === "" ? null : text;
}

/**
 * The longest model comment a message shows, in characters: Slack and email cut a longer one (the
 * day's page on the site has it whole). A comment is meant to be a sentence or two; a long one is
 * usually a model that wrote out its reasoning.
 */
export const COMMENT_MAX_CHARS = 1500;

/**
 * What a digest sent again on request (`deliver --again`) says after the day in its heading and
 * subject, so a reader can tell it from a new day's; a first send never says it.
 */
export const SENT_AGAIN = "(sent again)";

/**
 * What a digest shows, as a short hash of the selected ids in order: recorded with each sent
 * delivery, so a re-run that changed the selection is delivered again as an update. A day whose
 * run failed (or gave up on a stale feed) differs from an honest empty one, so the re-run that
 * reads the announcement is an update even when nothing is selected.
 */
export function selectionHash(day: DayRecord): string {
  const ids = selectedPapers(day).map((p) => p.id);
  const failed = ids.length === 0 && (day.status.code === "failed" || day.status.code === "stale");
  return createHash("sha256")
    .update(failed ? "(no digest: the run failed)" : ids.join("\n"))
    .digest("hex")
    .slice(0, 16);
}

/**
 * "37 papers picked from 391 scanned of 705 listed." (picked, the word the site and README use). The listings (feed entries) are named only
 * where they differ from the papers scanned.
 */
export function countsSentence(day: DayRecord): string {
  const { selected, scanned, entries } = day.counts;
  const papers = `${selected} ${selected === 1 ? "paper" : "papers"} picked`;
  if (scanned === null) return `${papers}.`;
  return entries === null || entries === scanned
    ? `${papers} from ${scanned} scanned.`
    : `${papers} from ${scanned} scanned of ${entries} listed.`;
}

/**
 * "Relevance 9 · Novelty 8 · Score 17 · Model architecture": only the judgements the paper has, and
 * its topic by the config's title (its id when the config no longer has it).
 */
export function scoreLine(paper: PaperRecord, topics?: TopicTitles): string {
  const parts = [
    paper.relevance === null ? null : `Relevance ${paper.relevance}`,
    paper.novelty === null ? null : `Novelty ${paper.novelty}`,
    // A pure author match carries a marker score (20 in imported history), not a judgement.
    paper.score === null || (paper.relevance === null && paper.novelty === null) ? null : `Score ${paper.score}`,
    paper.topic === null || paper.topic === "" ? null : topicName(paper.topic, topics),
  ];
  return parts.filter((p): p is string => p !== null && p !== "").join(" · ");
}
