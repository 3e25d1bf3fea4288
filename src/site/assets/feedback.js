// The reader-feedback seam. Marks (like, dislike, save) are kept in this browser by marks.js;
// everything that should also leave the browser goes through here, so sending them to
// `arxiv-digest serve` (POST) or filing a GitHub issue is one sink (feedback-sinks.js) added to
// this seam, not a change to the pages. window.arxivDigestFeedback exposes the same object to
// other scripts, and is that object: each page script is bundled on its own (site-assets.ts), so a
// page whose two scripts both carry this module still has one seam. Every page's script sets it
// up on load (app.js), so another script can add a sink before the first mark.

/**
 * A mark change: the paper's marks after it and, in `previous`, before it.
 * @typedef {{id: string, date: string, title: string, vote: "up" | "down" | null, saved: boolean,
 *   previous: {vote: "up" | "down" | null, saved: boolean}, at: string}} Mark
 */

/** @type {((mark: Mark) => void | Promise<void>)[]} */
const sinks = [];

window.arxivDigestFeedback ??= {
  /** Registers a function called with every mark change (after it is stored locally). */
  addSink(sink) {
    sinks.push(sink);
  },
  /** Hands a mark change to every sink; a failing sink is reported and never blocks the others. */
  notify(mark) {
    for (const sink of sinks) Promise.resolve(mark).then(sink).catch(console.warn);
  },
};

export const feedback = window.arxivDigestFeedback;
