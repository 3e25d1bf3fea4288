// Where a click on 👍 / 👎 / Save goes besides this browser, chosen once per page:
// - served by `arxiv-digest serve` (it filled in its token): POST to the workspace's feedback.jsonl;
// - built with feedback.github: open the prefilled GitHub issue that `feedback sync` imports;
// - otherwise the mark stays in this browser (marks.js), and the Saved page exports it.
// A short status next to the buttons says which happened. Names shared with the build live in
// src/site/feedback-meta.ts; a test checks they match. The page script that loads this module adds
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

function show(mark, text) {
  const card = document.getElementById(`paper-${mark.id}`);
  const status = card?.querySelector("[data-mark-status]") ?? document.querySelector("[data-feedback-status]");
  if (status) status.textContent = text;
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
    show(mark, "Kept in this browser: the local server did not answer.");
    return;
  }
  show(
    mark,
    response.ok ? "Saved to your workspace." : `Kept in this browser: the server refused (${response.status}).`,
  );
}

function toGitHub(repo, mark, signals) {
  // An issue carries one signal; taking one mark off while another stays needs two.
  if (signals.length !== 1) {
    show(mark, "Kept in this browser (an issue carries one change: clear the paper, then mark it again).");
    return;
  }
  window.open(issueUrl(repo, signals[0], { id: mark.id, title: mark.title }), "_blank", "noopener");
  show(mark, `Opened an issue on GitHub (${repo}); submit it to record this.`);
}

/** The sink: sends one mark change where this page's feedback goes. */
export function deliver(mark) {
  const signals = signalsFor(mark);
  if (signals.length === 0) return;
  const token = meta(TOKEN_META);
  const repo = meta(REPO_META);
  if (token) return toServe(token, mark, signals);
  if (repo) return toGitHub(repo, mark, signals);
  show(mark, "Kept in this browser.");
}
