/**
 * The note a day's record carries when the offline scorer picked its papers, in one place: the
 * operator's wording (logged by the run, kept in the record and the Markdown digest, naming the
 * setting or the missing key behind it) and the reader's, which the site shows in its place.
 */

/** What every offline-scoring note ends with, current and older records alike: how the site knows one. */
const OFFLINE_MARK = "(novelty is not judged offline).";

/** The run's note when the offline scorer judged the papers: asked for by the config, or for want of a key. */
export function offlineScoringNote(why: "configured" | "no-key", keyEnv: string): string {
  return why === "configured"
    ? `llm.provider is "offline": papers were scored by the offline lexical scorer ${OFFLINE_MARK}`
    : `No API key was configured (environment variable ${keyEnv} is empty), so the offline lexical scorer picked the papers ${OFFLINE_MARK} Set ${keyEnv} to have the LLM read the abstracts.`;
}

/** A day's note as the site's reader sees it: the offline-scoring note without its settings. */
export function readerNote(note: string): string {
  return note.includes(OFFLINE_MARK) ? "Scored offline by the free ranking: no language model was used." : note;
}

/**
 * The note of a day whose listing was rebuilt from the export API (pipeline/listing.ts), by
 * `backfill` or `backfill --imported`: the reconstruction is approximate, and the reader is told how.
 */
export function reconstructedListingNote(slackHours: number): string {
  return `This day's listing was reconstructed from the arXiv export API by submission date, not read from the announcement itself, so it is approximate: a paper held in moderation longer than the ${slackHours} h slack can be missing, and one announced on a neighbouring day the archive lacks can appear here too.`;
}
