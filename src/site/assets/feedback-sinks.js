// Where a click on 👍 / 👎 / Save goes besides this browser, chosen once per page:
// - served by `arxiv-digest serve` (it filled in its token): POST to the workspace's feedback.jsonl;
// - built with feedback.github: open the prefilled GitHub issue that `feedback sync` imports;
// - otherwise the mark stays in this browser (marks.js), and the Saved page exports it.
// A short status under the buttons says for a few seconds what the click did and where it went
// ("Liked in this browser."). Names shared with the build live in src/site/feedback-meta.ts; a test
// checks they match. The page script that loads this module adds
// `deliver` to the feedback seam (feedback.js), so this module shares no code with the page's own
// and loads as one file on the first click.
import { issueUrl, signalsFor } from "./feedback-signals.js";

const TOKEN_META = "arxiv-digest-serve";
const REPO_META = "arxiv-digest-feedback-repo";
const ENDPOINT = "_feedback";
const TOKEN_HEADER = "x-arxiv-digest-token";

function meta(name) {
  return document.querySelector(`meta[name="${name}"]`)?.getAttribute("content")?.trim() ?? "";
}

/** What the click did, in the reader's words: "Liked", "Like removed", "Saved", "Removed from saved"… */
function done(mark) {
  const { vote, saved, previous } = mark;
  if (saved !== previous.saved) return saved ? "Saved" : "Removed from saved";
  if (vote) return vote === "up" ? "Liked" : "Disliked";
  return previous.vote === "up" ? "Like removed" : "Dislike removed";
}

/** Says on the card (or the Saved page) what the click did and where it went; a card's goes after a while. */
function show(mark, where) {
  const card = document.getElementById(`paper-${mark.id}`);
  const status = card?.querySelector("[data-mark-status]") ?? document.querySelector("[data-feedback-status]");
  if (!status) return;
  status.textContent = `${done(mark)}${where}`;
  clearTimeout(status.timer);
  if (card) status.timer = setTimeout(() => status.replaceChildren(), 4000);
}

async function toServe(token, mark, signals) {
  const base = document.documentElement.dataset.base ?? "/";
  let response;
  try {
    response = await fetch(`${base}${ENDPOINT}`, {
      method: "POST",
      headers: { "content-type": "application/json", [TOKEN_HEADER]: token },
      body: JSON.stringify({ id: mark.id, signal: signals, ...(mark.title ? { title: mark.title } : {}) }),
      credentials: "same-origin",
      cache: "no-store",
    });
  } catch {
    show(mark, ", in this browser only: the local server did not answer.");
    return;
  }
  show(
    mark,
    response.ok ? ": recorded in your workspace." : `, in this browser only: the server refused (${response.status}).`,
  );
}

function toGitHub(repo, mark, signals) {
  // An issue carries one signal; taking one mark off while another stays needs two.
  if (signals.length !== 1) {
    show(mark, ", in this browser only (an issue carries one change: clear the paper, then mark it again).");
    return;
  }
  window.open(issueUrl(repo, signals[0], { id: mark.id, title: mark.title }), "_blank", "noopener");
  show(mark, `: submit the GitHub issue just opened (${repo}) to record it.`);
}

/** The sink: sends one mark change where this page's feedback goes. */
export function deliver(mark) {
  const signals = signalsFor(mark);
  if (signals.length === 0) return;
  const token = meta(TOKEN_META);
  const repo = meta(REPO_META);
  if (token) return toServe(token, mark, signals);
  if (repo) return toGitHub(repo, mark, signals);
  show(mark, " in this browser.");
}
