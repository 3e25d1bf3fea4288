/**
 * Posting a digest to Slack: incoming-webhook mode (messages in sequence) or bot-token mode
 * (`chat.postMessage`: the summary, then the list in its thread). Errors name what to fix.
 */
import { postJson, snippet } from "./http-post.js";
import { type RetryPolicy, TransientError, withRetries } from "./retry.js";
import type { SlackDigest, SlackMessage } from "./slack-blocks.js";

export interface SlackPostContext {
  fetchImpl: typeof fetch;
  retry: RetryPolicy;
}

/** Links to 80 arXiv pages would otherwise unfurl into 80 previews. */
const NO_UNFURL = { unfurl_links: false, unfurl_media: false };

export async function postSlackWebhook(webhookUrl: string, digest: SlackDigest, ctx: SlackPostContext): Promise<void> {
  for (const message of [digest.summary, ...digest.list]) {
    await withRetries(async () => {
      const answer = await postJson(
        webhookUrl,
        { ...message, ...NO_UNFURL },
        {
          fetchImpl: ctx.fetchImpl,
          label: "the Slack webhook",
          nowMs: ctx.retry.clock.now(),
        },
      );
      if (answer.status !== 200) throw new Error(webhookErrorSentence(answer.status, answer.body.trim()));
    }, ctx.retry);
  }
}

function webhookErrorSentence(status: number, error: string): string {
  const what = `the Slack webhook answered HTTP ${status} ${snippet(error)}`.trim();
  if (
    ["no_service", "no_team", "invalid_token", "action_prohibited", "team_disabled"].includes(error) ||
    status === 404
  ) {
    return `${what}: the webhook URL was revoked or mistyped; create a new incoming webhook in your Slack app and update the secret.`;
  }
  if (error === "channel_not_found" || error === "channel_is_archived") {
    return `${what}: the webhook's channel is gone or archived; create a new incoming webhook for a live channel.`;
  }
  return `${what}.`;
}

export interface SlackBotTarget {
  apiUrl: string;
  token: string;
  channel: string;
  /** The env var the token came from, to name in errors. */
  tokenEnv: string;
}

/**
 * Posts the summary, then the list in its thread; returns the thread's `ts`. With `threadTs` (an
 * update of a digest already posted) the summary too is a reply in that thread.
 */
export async function postSlackBot(
  target: SlackBotTarget,
  digest: SlackDigest,
  ctx: SlackPostContext,
  threadTs?: string,
): Promise<string> {
  const first = await postMessage(target, digest.summary, threadTs, ctx);
  const ts = threadTs ?? first;
  for (const [i, message] of digest.list.entries()) {
    try {
      await postMessage(target, message, ts, ctx);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new Error(`the summary was posted but thread message ${i + 1} of ${digest.list.length} failed: ${reason}`);
    }
  }
  return ts;
}

/** One `chat.postMessage`; returns the message's `ts` (the thread id for replies). */
async function postMessage(
  target: SlackBotTarget,
  message: SlackMessage,
  threadTs: string | undefined,
  ctx: SlackPostContext,
): Promise<string> {
  const url = `${target.apiUrl.replace(/\/+$/, "")}/chat.postMessage`;
  const body = {
    channel: target.channel,
    ...message,
    ...NO_UNFURL,
    ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
  };
  return withRetries(async () => {
    const answer = await postJson(url, body, {
      fetchImpl: ctx.fetchImpl,
      label: "Slack chat.postMessage",
      headers: { authorization: `Bearer ${target.token}` },
      nowMs: ctx.retry.clock.now(),
    });
    const reply = parseReply(answer.body);
    if (reply?.ok === true && typeof reply.ts === "string") return reply.ts;
    const error = reply?.error ?? `HTTP ${answer.status} ${snippet(answer.body)}`.trim();
    if (error === "ratelimited")
      throw new TransientError("Slack is rate-limiting us (ratelimited)", answer.retryAfterMs);
    throw new Error(botErrorSentence(error, target));
  }, ctx.retry);
}

function parseReply(body: string): { ok?: unknown; ts?: unknown; error?: string } | null {
  try {
    const value: unknown = JSON.parse(body);
    if (typeof value !== "object" || value === null) return null;
    const reply = value as { ok?: unknown; ts?: unknown; error?: unknown };
    return { ok: reply.ok, ts: reply.ts, error: typeof reply.error === "string" ? reply.error : undefined };
  } catch {
    return null;
  }
}

function botErrorSentence(error: string, target: SlackBotTarget): string {
  const what = `Slack refused the message (${error})`;
  switch (error) {
    case "invalid_auth":
    case "not_authed":
    case "token_revoked":
    case "token_expired":
    case "account_inactive":
      return `${what}: the token in ${target.tokenEnv} is not valid; copy the Bot User OAuth Token (xoxb-…) from your Slack app's "OAuth & Permissions" page into ${target.tokenEnv}.`;
    case "channel_not_found":
      return `${what}: the bot cannot see channel "${target.channel}"; set deliver.slack.channel to the channel ID (C…, shown in the channel's details) and, for a private channel, invite the bot first.`;
    case "not_in_channel":
      return `${what}: the bot is not a member of "${target.channel}"; type /invite @<your bot> in that channel, or add the chat:write.public scope to the app.`;
    case "missing_scope":
      return `${what}: the token lacks the chat:write scope; add it under "OAuth & Permissions" and reinstall the app.`;
    case "is_archived":
      return `${what}: channel "${target.channel}" is archived; unarchive it or set deliver.slack.channel to another channel.`;
    default:
      return `${what}.`;
  }
}
