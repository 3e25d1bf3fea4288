// The reader's marks on papers (like, dislike, saved), kept in localStorage under one key so the
// Saved page can list them. Each entry carries the paper's citation data, because the Saved page
// has no card to read it from. Changes go to the feedback seam (feedback.js), which every page's
// script sets up on load; it is reached through its window name so that this module, loaded on a
// day page's first click (day.js), shares no code with the page's own script.

/** The localStorage key; app.js repeats it to tell whether there are marks to show. */
export const MARKS_KEY = "arxiv-digest:marks";

/** @returns {Record<string, {vote: "up" | "down" | null, saved: boolean, at: string, paper: object}>} */
export function readMarks() {
  try {
    const parsed = JSON.parse(localStorage.getItem(MARKS_KEY) ?? "{}");
    return parsed && typeof parsed === "object" ? parsed : {};
  } catch {
    return {};
  }
}

function writeMarks(marks) {
  try {
    localStorage.setItem(MARKS_KEY, JSON.stringify(marks));
    return true;
  } catch {
    return false;
  }
}

/**
 * Changes one paper's marks (`change` holds vote and/or saved) and tells the feedback sinks.
 * An entry with no vote and not saved is removed. Returns false when storage refused.
 */
export function setMark(paper, change) {
  const marks = readMarks();
  const previous = marks[paper.id] ?? { vote: null, saved: false };
  const next = { vote: previous.vote, saved: previous.saved, ...change, at: new Date().toISOString(), paper };
  if (next.vote === null && !next.saved) delete marks[paper.id];
  else marks[paper.id] = next;
  const stored = writeMarks(marks);
  window.arxivDigestFeedback.notify({
    id: paper.id,
    date: paper.date,
    title: paper.title,
    vote: next.vote,
    saved: next.saved,
    previous: { vote: previous.vote, saved: previous.saved },
    at: next.at,
  });
  return stored;
}
