// The reader's marks on papers (like, dislike, saved), kept in localStorage under one key so the
// Saved page can list them. Each entry carries the paper's citation data, because the Saved page
// has no card to read it from. Changes go to the feedback seam (feedback.js), which every page's
// script sets up on load; it is reached through its window name so that this module, loaded on a
// day page's first click (day.js), shares no code with the page's own script.

/** The localStorage key; app.js repeats it to tell whether there are marks to show. */
export const MARKS_KEY = "arxiv-digest:marks";

/**
 * The id of the data block in which `arxiv-digest serve` gives a page the workspace's marks on the
 * papers it lists (src/site/served-marks.ts); app.js repeats it too.
 */
export const SERVED_MARKS_ID = "arxiv-digest-marks";

function stored() {
  try {
    const parsed = JSON.parse(localStorage.getItem(MARKS_KEY) ?? "{}");
    return parsed && typeof parsed === "object" ? parsed : {};
  } catch {
    return {};
  }
}

/** Whether a mark's time is later than another's; a time missing or unreadable is earlier than any. */
function later(at, than) {
  const t = Date.parse(at);
  if (Number.isNaN(t)) return false;
  const other = Date.parse(than);
  return Number.isNaN(other) || t > other;
}

/**
 * Merges the workspace's marks a served page carries into this browser's, paper by paper: the
 * newer of the two stands. Each click here is stored with its time, and the workspace's mark
 * carries the time of the paper's latest signal, so a like given in this browser after the last
 * import (or a change of mind the workspace never heard of) stays, while a paper the workspace
 * changed or cleared later takes the workspace's state here too. A mark stored without a time (a
 * hand edit, another tool) counts as older than any served one; on equal times the workspace's
 * stands (a click that serve recorded comes back with the server's time, never earlier). A paper
 * keeps the citation data its card gave it (which has its day); otherwise it gets what serve sent.
 * Marks changed here later go to the workspace through the sinks, so this runs once per page.
 */
export function mergeServedMarks(doc) {
  let served;
  try {
    served = JSON.parse(doc.getElementById(SERVED_MARKS_ID)?.textContent ?? "null");
  } catch {
    return;
  }
  if (!served || typeof served !== "object") return;
  const marks = stored();
  for (const [id, mark] of Object.entries(served)) {
    if (!mark || typeof mark !== "object" || later(marks[id]?.at, mark.at)) continue;
    if (!mark.vote && !mark.saved) {
      delete marks[id];
      continue;
    }
    const own = marks[id]?.paper;
    const paper = own?.date ? own : { title: `arXiv:${id}`, authors: [], date: "", ...mark.paper, id };
    marks[id] = { vote: mark.vote ?? null, saved: mark.saved === true, at: mark.at, paper };
  }
  writeMarks(marks);
}

let merged = false;

/** @returns {Record<string, {vote: "up" | "down" | null, saved: boolean, at: string, paper: object}>} */
export function readMarks() {
  if (!merged) {
    merged = true;
    mergeServedMarks(document);
  }
  return stored();
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
