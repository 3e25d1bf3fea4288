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
 *
 * Slack also turns `:word:` into an emoji (a title's "Q:A:B" or ":tada:"), and has no escape for
 * that either: the colon that would open an emoji code is replaced by a look-alike too
 * (COLON_LOOKALIKE), and every other colon ("Attention: a survey") is left as written.
 */

/**
 * Slack's formatting marks and the characters shown in their place: ∗ (U+2217 asterisk operator),
 * ˍ (U+02CD modifier letter low macron), ∼ (U+223C tilde operator), ˋ (U+02CB modifier letter grave
 * accent); each reads as the mark it replaces.
 */
export const MARK_LOOKALIKES: Readonly<Record<string, string>> = { "*": "∗", _: "ˍ", "~": "∼", "`": "ˋ" };

/** ∶ (U+2236 ratio), shown for a colon that would open an emoji code (`:tada:`). */
export const COLON_LOOKALIKE = "∶";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", ...MARK_LOOKALIKES };

/**
 * What an emoji code's name may hold (Slack's `:+1:`, `:man-surfing:`, `:100:`, `:don't:`); a colon
 * followed by such a name and another colon opens one.
 */
const EMOJI_OPENING = /:(?=[\p{L}\p{N}_'+-]+:)/gu;

const SPECIAL = new RegExp(`[&<>*_~\`]|${EMOJI_OPENING.source}`, "gu");

/**
 * `text` as mrkdwn that shows it as written: control characters escaped, formatting marks and
 * emoji codes neutralised.
 */
export function escapeSlack(text: string): string {
  return text.replace(SPECIAL, (c) => (c === ":" ? COLON_LOOKALIKE : (ESCAPES[c] ?? c)));
}

/** Escapes `text` and cuts it (with "…") so the escaped result has at most `max` characters. */
export function fitSlack(text: string, max: number): string {
  const escaped = escapeSlack(text);
  if (escaped.length <= max) return escaped;
  // Which colons open an emoji code depends on what follows them, so they are found on the whole text.
  const openings = new Set([...text.matchAll(EMOJI_OPENING)].map((m) => m.index));
  let out = "";
  let at = 0;
  for (const ch of text) {
    const piece = openings.has(at) ? COLON_LOOKALIKE : (ESCAPES[ch] ?? ch);
    at += ch.length;
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
