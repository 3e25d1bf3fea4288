/**
 * Posting a digest to Slack: incoming-webhook mode (messages in sequence) or bot-token mode
 * (`chat.postMessage`: the summary, then the list in its thread). Errors name what to fix. A
 * digest that fails part-way throws `PartialPostError`, saying how many of its messages went
 * out, so the next delivery resumes after them instead of posting the summary again.
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

/**
 * A digest that failed after its first `posted` messages (of `of`) went out; in bot mode `ts` is
 * the thread they went to. The message says what was posted and what failed.
 */
export class PartialPostError extends Error {
  constructor(
    message: string,
    readonly posted: number,
    readonly of: number,
    readonly ts?: string,
  ) {
    super(message);
    this.name = "PartialPostError";
  }
}

/** Where a delivery resumes: after the first `posted` messages, in bot mode in the thread of `ts`. */
export interface SlackResume {
  posted: number;
  ts?: string;
}

/** The messages of a digest in posting order, each with what it is called in an error sentence. */
function digestMessages(digest: SlackDigest): { message: SlackMessage; name: string; papers: number }[] {
  const total = digest.list.reduce((sum, m) => sum + m.blocks.length, 0);
  let last = 0;
  return [
    { message: digest.summary, name: "the summary", papers: 0 },
    ...digest.list.map((message) => {
      // A list message holds one section per paper (slack-blocks.ts packMessages).
      const first = last + 1;
      last += message.blocks.length;
      return { message, name: `papers ${first}–${last} of ${total}`, papers: last };
    }),
  ];
}

/**
 * Posts `messages` from index `from` on with `post`, throwing a PartialPostError when one fails
 * after any message (this time or an earlier one) went out.
 */
async function postInOrder(
  messages: { message: SlackMessage; name: string; papers: number }[],
  from: number,
  post: (message: SlackMessage, index: number) => Promise<void>,
  ts?: () => string | undefined,
): Promise<void> {
  for (let i = from; i < messages.length; i++) {
    const current = messages[i];
    if (current === undefined) continue;
    try {
      await post(current.message, i);
    } catch (err) {
      if (i === 0) throw err;
      const reason = err instanceof Error ? err.message : String(err);
      throw new PartialPostError(
        `${postedSentence(messages, i)}, and the next delivery posts the rest; ${current.name} failed: ${reason}`,
        i,
        messages.length,
        ts?.(),
      );
    }
  }
}

/** "the summary and papers 1–32 of 40 were posted (2 of 3 messages)". */
function postedSentence(messages: { name: string; papers: number }[], posted: number): string {
  const papers = messages[posted - 1]?.papers ?? 0;
  const first = messages[0]?.name ?? "the first message";
  const total = messages.at(-1)?.papers ?? 0;
  const what = papers === 0 ? `${first} was posted` : `${first} and papers 1–${papers} of ${total} were posted`;
  return `${what} (${posted} of ${messages.length} messages)`;
}

export async function postSlackWebhook(
  webhookUrl: string,
  digest: SlackDigest,
  ctx: SlackPostContext,
  resume?: SlackResume,
): Promise<void> {
  await postInOrder(digestMessages(digest), resume?.posted ?? 0, (message) =>
    withRetries(async () => {
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
    }, ctx.retry),
  );
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
 * Posts the summary, then the list in its thread; returns the thread's `ts`. With `resume` (a
 * delivery that failed part-way) only the messages after the posted ones, into its thread.
 */
export async function postSlackBot(
  target: SlackBotTarget,
  digest: SlackDigest,
  ctx: SlackPostContext,
  resume?: SlackResume,
): Promise<string> {
  let ts = resume?.ts;
  await postInOrder(
    digestMessages(digest),
    ts === undefined ? 0 : (resume?.posted ?? 0),
    async (message, i) => {
      const answer = await postMessage(target, message, i === 0 ? undefined : ts, ctx);
      if (i === 0) ts = answer.ts;
    },
    () => ts,
  );
  if (ts === undefined) throw new Error("Slack answered without the summary's ts.");
  return ts;
}

/** A bot-mode update: one reply (also shown in the channel), the new list after it when given, then the parent edited. */
export interface SlackBotUpdate {
  /** The thread of the digest the target received. */
  threadTs: string;
  reply: SlackMessage;
  /** Thread messages after the reply; empty when the reply says all that changed. */
  list: SlackMessage[];
  /** The digest's new summary, put in place of the parent's (chat.update). */
  parent: SlackMessage;
}

/**
 * Posts an update into the thread of the digest, then edits the parent to show the new summary.
 * Returns a sentence when only the edit failed: the update itself is out, so the delivery stands.
 */
export async function postSlackBotUpdate(
  target: SlackBotTarget,
  update: SlackBotUpdate,
  ctx: SlackPostContext,
  resume?: SlackResume,
): Promise<string | undefined> {
  const messages = [
    { message: update.reply, name: "the update's reply", papers: 0 },
    ...digestMessages({ summary: update.reply, list: update.list }).slice(1),
  ];
  let channelId: string | undefined;
  await postInOrder(
    messages,
    resume?.posted ?? 0,
    async (message, i) => {
      const answer = await postMessage(target, message, update.threadTs, ctx, i === 0 ? { reply_broadcast: true } : {});
      channelId = answer.channel ?? channelId;
    },
    () => update.threadTs,
  );
  try {
    // chat.update wants the channel's ID, which the answers above carry (the config may name the channel).
    await callSlack(
      target,
      "chat.update",
      { channel: channelId ?? target.channel, ts: update.threadTs, ...update.parent },
      ctx,
    );
    return undefined;
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return `the update was posted, but the digest's first message still shows the old summary: ${reason}`;
  }
}

/** One `chat.postMessage`; returns the message's `ts` (the thread id for replies) and the channel's ID. */
async function postMessage(
  target: SlackBotTarget,
  message: SlackMessage,
  threadTs: string | undefined,
  ctx: SlackPostContext,
  extra: Record<string, unknown> = {},
): Promise<{ ts: string; channel?: string }> {
  const body = {
    channel: target.channel,
    ...message,
    ...NO_UNFURL,
    ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
    ...extra,
  };
  return callSlack(target, "chat.postMessage", body, ctx);
}

/** One Web API call that answers with a message `ts`, retried when Slack rate-limits us. */
async function callSlack(
  target: SlackBotTarget,
  method: "chat.postMessage" | "chat.update",
  body: Record<string, unknown>,
  ctx: SlackPostContext,
): Promise<{ ts: string; channel?: string }> {
  const url = `${target.apiUrl.replace(/\/+$/, "")}/${method}`;
  return withRetries(async () => {
    const answer = await postJson(url, body, {
      fetchImpl: ctx.fetchImpl,
      label: `Slack ${method}`,
      headers: { authorization: `Bearer ${target.token}` },
      nowMs: ctx.retry.clock.now(),
    });
    const reply = parseReply(answer.body);
    if (reply?.ok === true && typeof reply.ts === "string")
      return { ts: reply.ts, ...(typeof reply.channel === "string" ? { channel: reply.channel } : {}) };
    const error = reply?.error ?? `HTTP ${answer.status} ${snippet(answer.body)}`.trim();
    if (error === "ratelimited")
      throw new TransientError("Slack is rate-limiting us (ratelimited)", answer.retryAfterMs);
    throw new Error(botErrorSentence(error, target));
  }, ctx.retry);
}

function parseReply(body: string): { ok?: unknown; ts?: unknown; channel?: unknown; error?: string } | null {
  try {
    const value: unknown = JSON.parse(body);
    if (typeof value !== "object" || value === null) return null;
    const reply = value as { ok?: unknown; ts?: unknown; channel?: unknown; error?: unknown };
    return {
      ok: reply.ok,
      ts: reply.ts,
      channel: reply.channel,
      error: typeof reply.error === "string" ? reply.error : undefined,
    };
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
