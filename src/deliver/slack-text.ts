/**
 * Slack mrkdwn from untrusted text. Slack gives `&`, `<` and `>` control meaning (`<!channel>`,
 * `<url|text>`), so every feed or LLM string is escaped, and cut to a limit without splitting an
 * escape sequence or a surrogate pair.
 *
 * Slack has no escape for its formatting marks (`*bold*`, `_italic_`, `~strike~`, `` `code` ``), so
 * a title such as "Q*-Learning with *bold* claims" would lose its stars and turn bold. Each mark is
 * replaced by a look-alike character Slack does not read as markup (MARK_LOOKALIKES). A zero-width
 * space beside the mark does not do it: Slack treats one as a word boundary, which is what lets a
 * mark open or close (the trick formatting libraries use to force emphasis), and a date token's
 * fallback text (`<!date^0^{_}|*>`) cannot sit inside a link's text, where every title is.
 */

/**
 * Slack's formatting marks and the characters shown in their place: ∗ (U+2217 asterisk operator),
 * ˍ (U+02CD modifier letter low macron), ∼ (U+223C tilde operator), ˋ (U+02CB modifier letter grave
 * accent); each reads as the mark it replaces.
 */
export const MARK_LOOKALIKES: Readonly<Record<string, string>> = { "*": "∗", _: "ˍ", "~": "∼", "`": "ˋ" };

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", ...MARK_LOOKALIKES };

const SPECIAL = /[&<>*_~`]/g;

/** `text` as mrkdwn that shows it as written: control characters escaped, formatting marks neutralised. */
export function escapeSlack(text: string): string {
  return text.replace(SPECIAL, (c) => ESCAPES[c] ?? c);
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
