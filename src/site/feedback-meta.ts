/**
 * The names the pages, `serve` and the site's feedback script (assets/feedback-sinks.js) agree on.
 * The script repeats them as literals (it is plain browser JavaScript); a test checks they match.
 */

/** Meta whose content `serve` fills with its per-run token; empty in the built files. */
export const SERVE_TOKEN_META = "arxiv-digest-serve";
/** Meta naming the `owner/repo` whose issues the buttons open (feedback.github), when configured. */
export const FEEDBACK_REPO_META = "arxiv-digest-feedback-repo";
/** The path under the site's basePath that `serve` takes feedback at. */
export const FEEDBACK_ENDPOINT = "_feedback";
/**
 * Id of the data block (`<script type="application/json">`, never run) in which `serve` gives a
 * page the workspace's feedback on the papers it lists; absent from the built files.
 */
export const SERVED_MARKS_ID = "arxiv-digest-marks";
/** The request header carrying the token. */
export const FEEDBACK_TOKEN_HEADER = "x-arxiv-digest-token";

/** The placeholder as the built page holds it, and the same meta with a token filled in. */
// (Preact writes an empty attribute bare: `content`.)
export const SERVE_TOKEN_PLACEHOLDER = /<meta name="arxiv-digest-serve" content(?:="")?\s*\/?>/;
export function serveTokenMeta(token: string): string {
  return `<meta name="${SERVE_TOKEN_META}" content="${token}">`;
}
