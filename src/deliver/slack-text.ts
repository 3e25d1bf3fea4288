/**
 * Slack mrkdwn from untrusted text. Slack gives `&`, `<` and `>` control meaning (`<!channel>`,
 * `<url|text>`), so every feed or LLM string is escaped, and cut to a limit without splitting an
 * escape sequence or a surrogate pair.
 */

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };

export function escapeSlack(text: string): string {
  return text.replace(/[&<>]/g, (c) => ESCAPES[c] ?? c);
}

/** Escapes `text` and cuts it (with "…") so the escaped result has at most `max` characters. */
export function fitSlack(text: string, max: number): string {
  const escaped = escapeSlack(text);
  if (escaped.length <= max) return escaped;
  let out = "";
  for (const ch of text) {
    const piece = ESCAPES[ch] ?? ch;
    if (out.length + piece.length > max - 1) break;
    out += piece;
  }
  return `${out}…`;
}

/**
 * `<url|text>` on one line, the text escaped and at most `maxText` long; `|`, `>` and spaces are
 * percent-encoded so they cannot end the URL early.
 */
export function slackLink(url: string, text: string, maxText = 300): string {
  const safeUrl = url
    .replace(/[|<> ]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/&/g, "&amp;");
  return `<${safeUrl}|${fitSlack(text.replace(/\s+/g, " ").trim(), maxText)}>`;
}
