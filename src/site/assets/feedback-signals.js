// What a click on a feedback button sends: the signals of a mark change, and the prefilled GitHub
// "new issue" link. issueUrl repeats src/feedback/github.ts issueUrl (which `feedback sync` parses
// back) for the browser; a test checks that both agree. No DOM here, so Node can import it.

export const FEEDBACK_LABEL = "arxiv-digest-feedback";

/**
 * @param {string} repo `owner/repo`
 * @param {"like" | "dislike" | "save" | "clear"} signal
 * @param {{id: string, title?: string | null}} paper an unversioned arXiv id
 */
export function issueUrl(repo, signal, paper) {
  const [owner, name] = repo.trim().split("/");
  const id = paper.id.trim().replace(/v\d+$/, "");
  const lines = [
    `Signal: ${signal}`,
    `Paper: ${id}`,
    ...(paper.title ? [`Title: ${paper.title.replace(/\s+/g, " ").trim()}`] : []),
    `https://arxiv.org/abs/${id}`,
    "",
    "Submit this issue to record the feedback. `arxiv-digest feedback sync` imports it into feedback.jsonl and closes the issue; keep the title as it is.",
  ];
  const params = new URLSearchParams({
    title: `feedback: ${signal} ${id}`,
    body: lines.join("\n"),
    labels: FEEDBACK_LABEL,
  });
  return `https://github.com/${encodeURIComponent(owner)}/${encodeURIComponent(name)}/issues/new?${params.toString()}`;
}

/**
 * The signals that make the workspace agree with a mark change. Adding a vote or a save is one
 * signal; taking one away is `clear` (which forgets all three) and then what remains.
 */
export function signalsFor(mark) {
  const { previous } = mark;
  if (mark.vote && mark.vote !== previous.vote) return [mark.vote === "up" ? "like" : "dislike"];
  if (mark.saved && !previous.saved) return ["save"];
  if (mark.vote === previous.vote && mark.saved === previous.saved) return [];
  const vote = mark.vote === "up" ? ["like"] : mark.vote === "down" ? ["dislike"] : [];
  return ["clear", ...vote, ...(mark.saved ? ["save"] : [])];
}
