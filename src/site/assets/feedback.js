// The reader-feedback seam. Marks (like, dislike, save) are kept in this browser by marks.js;
// everything that should also leave the browser goes through here, so sending them to
// `arxiv-digest serve` (POST) or filing a GitHub issue is one sink added in this file, not a
// change to the pages. window.arxivDigestFeedback exposes the same object to other scripts.

/**
 * A mark change: the paper's marks after it and, in `previous`, before it.
 * @typedef {{id: string, date: string, title: string, vote: "up" | "down" | null, saved: boolean,
 *   previous: {vote: "up" | "down" | null, saved: boolean}, at: string}} Mark
 */

/** @type {((mark: Mark) => void | Promise<void>)[]} */
const sinks = [];

export const feedback = {
  /** Registers a function called with every mark change (after it is stored locally). */
  addSink(sink) {
    sinks.push(sink);
  },
  /** Hands a mark change to every sink; a failing sink is reported and never blocks the others. */
  notify(mark) {
    for (const sink of sinks) {
      Promise.resolve()
        .then(() => sink(mark))
        .catch((error) => console.warn("arxivDigestFeedback: a sink failed", error));
    }
  },
};

window.arxivDigestFeedback = feedback;
