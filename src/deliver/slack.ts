/**
 * Posting a digest to Slack: incoming-webhook mode (messages in sequence) or bot-token mode
 * (`chat.postMessage`: the summary, then the list in its thread). Errors name what to fix. A
 * digest that fails part-way throws `PartialPostError`, saying how many of its messages went
 * out, so the next delivery resumes after them instead of posting the summary again.
 *
 * Slack takes no idempotency key, so bot mode names each message it posts in its metadata (the
 * day, the delivery's id, the message's index); a message whose answer was lost (a timeout, a
 * dropped connection after the request went out) is looked for in the channel before it is posted
 * again, on the next attempt or the next delivery; only a message our own bot posted counts, as
 * another app in the channel could copy the metadata. Webhook mode cannot read the channel back, so
 * there a lost answer still means the retry posts the message again.
 */
import type { SlackBotTarget } from "../config/delivery-secrets.js";
import { AnswerTooLargeError, getJson, type HttpAnswer, postJson, snippet } from "./http-post.js";
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
    /** The message that failed got no answer, and may have gone out (bot mode). */
    readonly unanswered?: SlackUnanswered,
  ) {
    super(message);
    this.name = "PartialPostError";
  }
}

/** The metadata event type of every message bot mode posts (Slack wants lowercase, digits and `_`). */
export const SLACK_EVENT_TYPE = "arxiv_digest_message";

/** How far before an attempt's start a lookup reads: our clock and Slack's may disagree. */
const CLOCK_MARGIN_MS = 5 * 60_000;

/** Messages one page of a lookup asks for (Slack recommends at most 200; it may send fewer, and a cursor). */
const LOOKUP_LIMIT = 200;

/**
 * Pages one lookup reads at most: the channel's messages since the attempt began, newest first, or
 * the thread's since then. A channel busier than that is not read to the end (`findPosted`).
 */
const LOOKUP_PAGES = 5;

/** The delivery bot mode's messages belong to, named in their metadata so a retry can find them. */
export interface SlackBotDelivery {
  /** The day, YYYY-MM-DD. */
  day: string;
  /** The same for every retry of one delivery (deliver-day.ts `deliveryId`). */
  id: string;
  /** When this attempt began (ms): none of its messages is older. */
  startedMs: number;
  /** The message an earlier attempt at this delivery posted without an answer. */
  unanswered?: SlackUnanswered;
}

/** A message posted without an answer back: it may be in the channel. */
export interface SlackUnanswered {
  /** Its index in posting order; the first message (the summary, an update's reply) is 0. */
  part: number;
  /** When the attempt that posted it began (ms). */
  sinceMs: number;
  /** The channel's ID, when an answer gave it (Slack's read methods take no channel name). */
  channel?: string;
}

/** The first message of a delivery failed without an answer (later ones fail as PartialPostError). */
export class UnansweredPostError extends Error {
  constructor(
    message: string,
    readonly unanswered: SlackUnanswered,
  ) {
    super(message);
    this.name = "UnansweredPostError";
  }
}

/** The message a failed delivery may have posted without an answer, if any. */
export function unansweredOf(err: unknown): SlackUnanswered | undefined {
  return err instanceof PartialPostError || err instanceof UnansweredPostError ? err.unanswered : undefined;
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
        unansweredOf(err),
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

export type { SlackBotTarget };

/**
 * Posts the summary, then the list in its thread; returns the thread's `ts`, and a warning when a
 * message whose answer was lost could not be looked for before it was posted again. With `resume`
 * (a delivery that failed part-way) only the messages after the posted ones, into its thread.
 */
export async function postSlackBot(
  target: SlackBotTarget,
  digest: SlackDigest,
  ctx: SlackPostContext,
  delivery: SlackBotDelivery,
  resume?: SlackResume,
): Promise<{ ts: string; warning?: string }> {
  const poster = botPoster(target, ctx, delivery);
  let ts = resume?.ts;
  try {
    await postInOrder(
      digestMessages(digest),
      ts === undefined ? 0 : (resume?.posted ?? 0),
      async (message, i) => {
        const answer = await poster.post(message, i, i === 0 ? undefined : ts);
        if (i === 0) ts = answer.ts;
      },
      () => ts,
    );
  } catch (err) {
    throw withWarning(err, poster.warning());
  }
  if (ts === undefined) throw new Error("Slack answered without the summary's ts.");
  const warning = poster.warning();
  return { ts, ...(warning === undefined ? {} : { warning }) };
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
 * Returns a sentence when only the edit failed (the update itself is out, so the delivery stands),
 * or a message whose answer was lost could not be looked for before it was posted again.
 */
export async function postSlackBotUpdate(
  target: SlackBotTarget,
  update: SlackBotUpdate,
  ctx: SlackPostContext,
  delivery: SlackBotDelivery,
  resume?: SlackResume,
): Promise<string | undefined> {
  const messages = [
    { message: update.reply, name: "the update's reply", papers: 0 },
    ...digestMessages({ summary: update.reply, list: update.list }).slice(1),
  ];
  const poster = botPoster(target, ctx, delivery);
  try {
    await postInOrder(
      messages,
      resume?.posted ?? 0,
      async (message, i) => {
        await poster.post(message, i, update.threadTs, i === 0 ? { reply_broadcast: true } : {});
      },
      () => update.threadTs,
    );
  } catch (err) {
    throw withWarning(err, poster.warning());
  }
  const warnings = [poster.warning()];
  try {
    // chat.update wants the channel's ID, which the answers above carry (the config may name the channel).
    await callSlack(
      target,
      "chat.update",
      { channel: poster.channel() ?? target.channel, ts: update.threadTs, ...update.parent },
      ctx,
    );
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    warnings.unshift(`the update was posted, but the digest's first message still shows the old summary: ${reason}`);
  }
  const said = warnings.filter((w) => w !== undefined);
  return said.length === 0 ? undefined : said.join("; ");
}

/** What Slack answered a post with: the message's `ts` (the thread id for replies) and the channel's ID. */
interface Posted {
  ts: string;
  channel?: string;
  /** Who posted it, as Slack's answer names the message's poster (chat.postMessage). */
  by?: SlackBotIdentity;
}

/**
 * Bot mode's poster for one delivery. Every message carries metadata naming the delivery and its
 * index; before a message whose answer was lost (on an earlier try now, or on the earlier attempt
 * `delivery.unanswered` names) is posted again, it is looked for in the channel (its thread for a
 * reply) and taken as posted when found there from our bot (`bot_id`/`user` of an answer of this
 * delivery, else of `auth.test`, asked once and only when a lookup needs it). A lookup that fails
 * for a while (no answer, a rate limit, a page without its messages) is retried with the post
 * (`withRetries`), and when the tries run out (at once for a repeated cursor) the message is not
 * posted again: the delivery fails with it recorded as unanswered, for the next one to look for. Only a channel
 * the lookup cannot read whatever the wait (`ChannelUnreadableError`) lets the message be posted unchecked; it is
 * not tried again in the delivery, and `warning()` says once that the channel may show it twice.
 */
function botPoster(target: SlackBotTarget, ctx: SlackPostContext, delivery: SlackBotDelivery) {
  let channelId = delivery.unanswered?.channel;
  let refused: ChannelUnreadableError | undefined;
  /** Who our messages are from: learnt from an answer of this delivery, else asked once (`auth.test`). */
  let self: SlackBotIdentity | undefined;

  /** The message when the channel holds it, "absent" when it does not, "unknown" when it cannot be read. */
  async function find(
    part: number,
    threadTs: string | undefined,
    sinceMs: number,
  ): Promise<Posted | "absent" | "unknown"> {
    if (refused !== undefined) return "unknown";
    const channel = channelId ?? target.channel;
    try {
      self ??= await botIdentity(target, ctx);
      const ts = await findPosted(target, { channel, threadTs, sinceMs, delivery: delivery.id, part, self }, ctx);
      return ts === undefined ? "absent" : { ts, channel };
    } catch (err) {
      if (err instanceof ChannelUnreadableError) {
        refused = err;
        return "unknown";
      }
      // No answer or a rate limit, past the tries of findPosted's own loop: posting could repeat it.
      const reason = err instanceof Error ? err.message : String(err);
      throw new Error(
        `${reason}, so the message whose answer was lost was not posted again (it may be in the channel); the next delivery looks for it first`,
      );
    }
  }

  return {
    /** Posts message `part` (in the thread of `threadTs` when given), unless it is found already posted. */
    async post(
      message: SlackMessage,
      part: number,
      threadTs: string | undefined,
      extra: Record<string, unknown> = {},
    ): Promise<Posted> {
      const body = {
        channel: target.channel,
        ...message,
        ...NO_UNFURL,
        ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
        ...extra,
        metadata: { event_type: SLACK_EVENT_TYPE, event_payload: { day: delivery.day, delivery: delivery.id, part } },
      };
      // Set while the message may have gone out unseen: since when.
      let lostSince = delivery.unanswered?.part === part ? delivery.unanswered.sinceMs : undefined;
      try {
        const answer = await withRetries(async () => {
          if (lostSince !== undefined) {
            const found = await find(part, threadTs, lostSince);
            if (typeof found === "object") return found;
            // Not there: it never went out. When the channel cannot be read, it still may have.
            if (found === "absent") lostSince = undefined;
          }
          try {
            return await callSlackOnce(target, "chat.postMessage", body, ctx);
          } catch (err) {
            // The oldest copy it may have sets where a lookup starts.
            // An answer too large to read may still say the message went out.
            if ((err instanceof TransientError && err.unanswered) || err instanceof AnswerTooLargeError)
              lostSince = Math.min(lostSince ?? Infinity, delivery.startedMs);
            throw err;
          }
        }, ctx.retry);
        channelId = answer.channel ?? channelId;
        self ??= answer.by;
        return answer;
      } catch (err) {
        if (lostSince === undefined) throw err;
        const unanswered = { part, sinceMs: lostSince, ...(channelId === undefined ? {} : { channel: channelId }) };
        throw new UnansweredPostError(err instanceof Error ? err.message : String(err), unanswered);
      }
    },
    /** The channel's ID, once an answer gave it. */
    channel: () => channelId,
    /** Said once when a lookup was refused and a message whose answer was lost was posted again unchecked. */
    warning: () =>
      refused === undefined
        ? undefined
        : `a message whose answer from Slack was lost was sent again without looking for it in the channel first (${refused.message}), so the channel may show it twice; ${refused.remedy}`,
  };
}

/** `err` with `warning` added to its message, when there is one. */
function withWarning(err: unknown, warning: string | undefined): unknown {
  if (warning !== undefined && err instanceof Error) err.message = `${err.message}; ${warning}`;
  return err;
}

/** Who posts bot mode's messages, as Slack names the poster of a message: its bot and its bot user. */
export interface SlackBotIdentity {
  botId?: string;
  userId?: string;
}

/** The poster a message names (`bot_id`, `user`), or undefined when it names neither. */
function identityOf(message: unknown): SlackBotIdentity | undefined {
  const m = (typeof message === "object" && message !== null ? message : {}) as Record<string, unknown>;
  const botId = typeof m.bot_id === "string" && m.bot_id !== "" ? m.bot_id : undefined;
  const userId = typeof m.user === "string" && m.user !== "" ? m.user : undefined;
  if (botId === undefined && userId === undefined) return undefined;
  return { ...(botId === undefined ? {} : { botId }), ...(userId === undefined ? {} : { userId }) };
}

/** Whether `message` was posted by `self`: Slack sets `bot_id` and `user`, which no other app can forge. */
function postedBy(message: unknown, self: SlackBotIdentity): boolean {
  const by = identityOf(message);
  if (by === undefined) return false;
  return (
    (self.botId !== undefined && by.botId === self.botId) || (self.userId !== undefined && by.userId === self.userId)
  );
}

/**
 * Who the token posts as, from `auth.test` (`bot_id`, `user_id`), for a lookup to tell our messages
 * from another app's copies of their metadata. No answer or a rate limit is asked again after a
 * wait; a refusal, or an answer naming neither, is a `ChannelUnreadableError`.
 */
async function botIdentity(target: SlackBotTarget, ctx: SlackPostContext): Promise<SlackBotIdentity> {
  const reply = await withRetries(
    () =>
      readLookupPage(target, "auth.test", new URLSearchParams(), ctx, (error) =>
        unknownIdentity(`Slack auth.test answered ${error}`),
      ),
    ctx.retry,
  );
  const self = identityOf({ bot_id: reply.botId, user: reply.userId });
  if (self === undefined) throw unknownIdentity("Slack auth.test did not name the bot (no bot_id or user_id)");
  return self;
}

function unknownIdentity(what: string): ChannelUnreadableError {
  return new ChannelUnreadableError(
    `${what}, so the bot's own messages cannot be told from another app's`,
    "duplicates cannot be ruled out until Slack's auth.test names the bot",
  );
}

/**
 * The `ts` of the message of `delivery` numbered `part` posted by our bot (`self`) since `sinceMs`
 * (less the clock margin), read from the channel's newest messages (`conversations.history`) or,
 * for a reply, from the thread's (`conversations.replies`), metadata included, page after page (at
 * most `LOOKUP_PAGES`); undefined when it is not there. A message with our metadata from anyone
 * else, or older than the lookup reads, does not count. A page that gets no answer, is
 * rate-limited or comes without its messages is asked again after a wait (`withRetries`), and an
 * error when the tries run out, as is a cursor Slack gives twice; a page Slack refuses, or more
 * pages than that, is a `ChannelUnreadableError` saying why.
 */
async function findPosted(
  target: SlackBotTarget,
  q: {
    channel: string;
    threadTs: string | undefined;
    sinceMs: number;
    delivery: string;
    part: number;
    self: SlackBotIdentity;
  },
  ctx: SlackPostContext,
): Promise<string | undefined> {
  const method = q.threadTs === undefined ? "conversations.history" : "conversations.replies";
  const oldest = ((q.sinceMs - CLOCK_MARGIN_MS) / 1000).toFixed(6);
  const cursors = new Set<string>();
  let cursor: string | undefined;
  let read = 0;
  for (let page = 1; page <= LOOKUP_PAGES; page++) {
    const params = new URLSearchParams({
      channel: q.channel,
      ...(q.threadTs === undefined ? {} : { ts: q.threadTs }),
      oldest,
      limit: String(LOOKUP_LIMIT),
      include_all_metadata: "true",
      ...(cursor === undefined ? {} : { cursor }),
    });
    const reply = await withRetries(async () => {
      const answer = await readLookupPage(target, method, params, ctx, (error, needed) =>
        lookupRefusal(method, error, needed, q.channel),
      );
      // "ok" without the page: not an empty channel, so never taken for "not posted".
      if (!Array.isArray(answer.messages))
        throw new TransientError(`Slack ${method} answered ok without its messages`, answer.retryAfterMs);
      return answer;
    }, ctx.retry);
    const messages = reply.messages as unknown[];
    read += messages.length;
    const found = messages.find((m: unknown) => {
      const message = m as { ts?: unknown; metadata?: { event_type?: unknown; event_payload?: unknown } } | null;
      const metadata = message?.metadata;
      const payload = metadata?.event_payload as Record<string, unknown> | undefined;
      return (
        metadata?.event_type === SLACK_EVENT_TYPE &&
        payload?.delivery === q.delivery &&
        payload?.part === q.part &&
        typeof message?.ts === "string" &&
        Number(message.ts) >= Number(oldest) &&
        postedBy(message, q.self)
      );
    }) as { ts?: unknown } | undefined;
    if (typeof found?.ts === "string") return found.ts;
    cursor = reply.nextCursor;
    if (cursor === undefined) return undefined;
    if (cursors.has(cursor))
      throw new Error(
        `Slack ${method} gave the same page cursor twice after ${read} messages, so the channel could not be read to the end`,
      );
    cursors.add(cursor);
  }
  throw new ChannelUnreadableError(
    `Slack ${method} holds more than the ${read} messages since the delivery began that a lookup reads (${LOOKUP_PAGES} pages)`,
    "in a channel this busy, duplicates cannot be ruled out",
  );
}

/** Slack's answers that mean it could not serve the read just now: asked again after a wait. */
const SLACK_BUSY = new Set(["ratelimited", "fatal_error", "internal_error", "service_unavailable", "request_timeout"]);

/** One read of a lookup: the reply, a TransientError to ask again, or `refusal`'s ChannelUnreadableError. */
async function readLookupPage(
  target: SlackBotTarget,
  method: string,
  params: URLSearchParams,
  ctx: SlackPostContext,
  refusal: (error: string, needed: string | undefined) => ChannelUnreadableError,
): Promise<Reply & { retryAfterMs?: number }> {
  const query = params.size === 0 ? "" : `?${params}`;
  const answer = await getJson(`${apiBase(target)}/${method}${query}`, {
    fetchImpl: ctx.fetchImpl,
    label: `Slack ${method}`,
    headers: { authorization: `Bearer ${target.token}` },
    nowMs: ctx.retry.clock.now(),
  });
  const reply = parseReply(answer.body);
  if (reply?.ok === true)
    return { ...reply, ...(answer.retryAfterMs === undefined ? {} : { retryAfterMs: answer.retryAfterMs }) };
  const error = reply?.error ?? `HTTP ${answer.status} ${snippet(answer.body)}`.trim();
  // Slack's own busy answers, and a body that is not Slack's at all (a proxy's page, a cut answer):
  // asked again after a wait, never taken for a refusal that would let the message be posted unchecked.
  if (SLACK_BUSY.has(error) || reply === null) {
    throw new TransientError(`Slack ${method} answered ${error}`, answer.retryAfterMs);
  }
  throw refusal(error, reply?.needed);
}

/**
 * Why a lookup cannot read the channel, whatever the wait: Slack refused it (a scope, the channel)
 * or the channel is busier than a lookup reads; with what it takes to rule duplicates out.
 */
class ChannelUnreadableError extends Error {
  constructor(
    message: string,
    /** The clause saying what it takes for the next lost answer to be looked for. */
    readonly remedy: string,
  ) {
    super(message);
    this.name = "ChannelUnreadableError";
  }
}

/** A lookup Slack refused, in its own words: only `missing_scope` is about a scope. */
function lookupRefusal(
  method: string,
  error: string,
  needed: string | undefined,
  channel: string,
): ChannelUnreadableError {
  const what = `Slack ${method} answered ${error}`;
  switch (error) {
    case "missing_scope":
      return new ChannelUnreadableError(
        `${what}: the token lacks ${needed ?? "channels:history"}`,
        `duplicates cannot be ruled out until the bot may read the channel's history (${needed === undefined ? "the channels:history scope, groups:history for a private channel" : `the ${needed} scope`}: add it under "OAuth & Permissions" and reinstall the app)`,
      );
    case "channel_not_found":
      return isSlackChannelId(channel)
        ? new ChannelUnreadableError(
            what,
            "duplicates cannot be ruled out until the bot can see the channel (for a private channel, invite it: type /invite @<your app> in the channel)",
          )
        : new ChannelUnreadableError(
            `${what}: reading a channel takes its ID, so set deliver.slack.channel to it (C…) instead of "${channel}"`,
            "duplicates cannot be ruled out until deliver.slack.channel is the channel's ID",
          );
    case "not_in_channel":
      return new ChannelUnreadableError(
        `${what}: the bot posts to the channel without being a member of it, and only a member may read it`,
        "duplicates cannot be ruled out until the bot is a member: type /invite @<your app> in the channel",
      );
    default:
      return new ChannelUnreadableError(
        what,
        "duplicates cannot be ruled out until Slack lets the bot read the channel",
      );
  }
}

function apiBase(target: SlackBotTarget): string {
  return target.apiUrl.replace(/\/+$/, "");
}

/** One Web API call that answers with a message `ts`, retried when Slack rate-limits us. */
async function callSlack(
  target: SlackBotTarget,
  method: "chat.postMessage" | "chat.update",
  body: Record<string, unknown>,
  ctx: SlackPostContext,
): Promise<Posted> {
  return withRetries(() => callSlackOnce(target, method, body, ctx), ctx.retry);
}

/** One try of a Web API call that answers with a message `ts`; a rate limit is a TransientError. */
async function callSlackOnce(
  target: SlackBotTarget,
  method: "chat.postMessage" | "chat.update",
  body: Record<string, unknown>,
  ctx: SlackPostContext,
): Promise<Posted> {
  const answer = await postJson(`${apiBase(target)}/${method}`, body, {
    fetchImpl: ctx.fetchImpl,
    label: `Slack ${method}`,
    headers: { authorization: `Bearer ${target.token}` },
    nowMs: ctx.retry.clock.now(),
  });
  const reply = parseReply(answer.body);
  if (reply?.ok === true && typeof reply.ts === "string") {
    const by = identityOf(reply.message);
    return {
      ts: reply.ts,
      ...(typeof reply.channel === "string" ? { channel: reply.channel } : {}),
      ...(by === undefined ? {} : { by }),
    };
  }
  const error = reply?.error ?? `HTTP ${answer.status} ${snippet(answer.body)}`.trim();
  if (error === "ratelimited") throw new TransientError("Slack is rate-limiting us (ratelimited)", answer.retryAfterMs);
  throw new Error(botErrorSentence(error, target));
}

interface Reply {
  ok?: unknown;
  ts?: unknown;
  channel?: unknown;
  messages?: unknown;
  /** Where the next page starts (`response_metadata.next_cursor`), when there is one. */
  nextCursor?: string;
  error?: string;
  needed?: string;
  team?: unknown;
  user?: unknown;
  /** The message a post made, as Slack echoes it (its `bot_id` and `user` name the poster). */
  message?: unknown;
  /** `auth.test`'s bot and bot user. */
  botId?: unknown;
  userId?: unknown;
}

function parseReply(body: string): Reply | null {
  try {
    const value: unknown = JSON.parse(body);
    if (typeof value !== "object" || value === null) return null;
    const reply = value as Record<string, unknown>;
    return {
      ok: reply.ok,
      ts: reply.ts,
      channel: reply.channel,
      messages: reply.messages,
      ...nextCursorOf(reply.response_metadata),
      team: reply.team,
      user: reply.user,
      message: reply.message,
      botId: reply.bot_id,
      userId: reply.user_id,
      error: typeof reply.error === "string" ? reply.error : undefined,
      needed: typeof reply.needed === "string" ? reply.needed : undefined,
    };
  } catch {
    return null;
  }
}

/** Slack's `response_metadata.next_cursor`, when it names a next page (an empty one does not). */
function nextCursorOf(metadata: unknown): { nextCursor?: string } {
  const cursor = (metadata as { next_cursor?: unknown } | null | undefined)?.next_cursor;
  return typeof cursor === "string" && cursor !== "" ? { nextCursor: cursor } : {};
}

function botErrorSentence(error: string, target: SlackBotTarget): string {
  const what = `Slack refused the message (${error})`;
  switch (error) {
    case "invalid_auth":
    case "not_authed":
    case "token_revoked":
    case "token_expired":
    case "account_inactive":
      return `${what}: ${invalidTokenClause(target.tokenEnv)}`;
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

/** Slack's answers that refuse the token itself, whatever the method. */
const REFUSED_TOKEN = new Set(["invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive"]);

/** What to do about a token Slack refused; names the variable, never the value. */
function invalidTokenClause(tokenEnv: string): string {
  return `the token in ${tokenEnv} is not valid; copy the Bot User OAuth Token (xoxb-…) from your Slack app's "OAuth & Permissions" page into ${tokenEnv}.`;
}

/** A channel's ID as Slack gives it (C… public, G… an older private channel, D… a direct message), not its #name. */
export function isSlackChannelId(channel: string): boolean {
  return /^[CGD][A-Z0-9]+$/.test(channel);
}

/** Slack answered and refused the bot's settings (its token, the channel): the user's to fix, no retry helps. */
export class SlackSettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SlackSettingsError";
  }
}

/** A read-only Web API call's context: no retries (doctor asks once). */
export interface SlackReadContext {
  fetchImpl: typeof fetch;
  nowMs: number;
}

/** What `auth.test` says of the bot token. */
export interface SlackTokenInfo {
  /** The workspace and the bot user the token belongs to, when Slack names them. */
  team?: string;
  user?: string;
  /** The scopes Slack granted the token (its `x-oauth-scopes` header); null when the answer did not carry it. */
  scopes: string[] | null;
}

/**
 * Asks Slack who the token is (`auth.test`). A token Slack refuses is a SlackSettingsError naming
 * its variable; no answer, a rate limit or a 5xx is a TransientError; any other refusal an Error.
 */
export async function slackTokenInfo(target: SlackBotTarget, ctx: SlackReadContext): Promise<SlackTokenInfo> {
  const { answer, reply } = await readSlack(target, "auth.test", new URLSearchParams(), ctx);
  if (reply?.ok !== true) throw readRefusal("auth.test", answer, reply, target);
  const granted = answer.headers.get("x-oauth-scopes");
  return {
    ...(typeof reply.team === "string" ? { team: reply.team } : {}),
    ...(typeof reply.user === "string" ? { user: reply.user } : {}),
    scopes:
      granted === null
        ? null
        : granted
            .split(",")
            .map((s) => s.trim())
            .filter((s) => s !== ""),
  };
}

/** What Slack says of the configured channel, or the scopes it wanted before saying anything. */
export type SlackChannelInfo =
  | {
      id: string;
      name?: string;
      /**
       * The scope that lets the bot read the channel's messages back (channels:history,
       * groups:history for a private channel, im:history, mpim:history); undefined when not known.
       */
      historyScope?: string;
      isArchived: boolean;
      /** Whether the bot is in the channel (undefined when Slack does not say). */
      isMember?: boolean;
    }
  | { missingScope: string };

/**
 * Asks Slack about the channel the config names, by its ID (Slack takes no name):
 * `conversations.info`, or for a token without the read scope it wants (channels:read), one
 * message of `conversations.history`, which the history scope a delivery uses allows and which
 * Slack refuses in a channel the bot is not in. A channel the bot cannot see or is not in is a
 * SlackSettingsError saying what to do; a token with neither scope gives `missingScope`.
 */
export async function slackChannelInfo(target: SlackBotTarget, ctx: SlackReadContext): Promise<SlackChannelInfo> {
  const info = await readSlack(target, "conversations.info", new URLSearchParams({ channel: target.channel }), ctx);
  if (info.reply?.ok === true) return channelOf(info.reply.channel, target.channel);
  if (info.reply?.error !== "missing_scope") throw readRefusal("conversations.info", info.answer, info.reply, target);
  const infoScope = info.reply.needed ?? "channels:read";
  const params = new URLSearchParams({ channel: target.channel, limit: "1" });
  const history = await readSlack(target, "conversations.history", params, ctx);
  if (history.reply?.ok === true) return { id: target.channel, isArchived: false, isMember: true };
  if (history.reply?.error === "missing_scope")
    return { missingScope: `${infoScope} or ${history.reply.needed ?? "channels:history"}` };
  throw readRefusal("conversations.history", history.answer, history.reply, target);
}

/** A `conversations.info` channel object, read defensively. */
function channelOf(value: unknown, asked: string): SlackChannelInfo {
  const channel = (typeof value === "object" && value !== null ? value : {}) as Record<string, unknown>;
  const historyScope =
    channel.is_im === true
      ? "im:history"
      : channel.is_mpim === true
        ? "mpim:history"
        : channel.is_private === true
          ? "groups:history"
          : "channels:history";
  return {
    id: typeof channel.id === "string" ? channel.id : asked,
    ...(typeof channel.name === "string" ? { name: channel.name } : {}),
    historyScope,
    isArchived: channel.is_archived === true,
    ...(typeof channel.is_member === "boolean" ? { isMember: channel.is_member } : {}),
  };
}

/** One GET of a Web API method that reads, with the bot token, asked once. */
async function readSlack(
  target: SlackBotTarget,
  method: string,
  params: URLSearchParams,
  ctx: SlackReadContext,
): Promise<{ answer: HttpAnswer; reply: Reply | null }> {
  const query = params.size === 0 ? "" : `?${params}`;
  const answer = await getJson(`${apiBase(target)}/${method}${query}`, {
    fetchImpl: ctx.fetchImpl,
    label: `Slack ${method}`,
    headers: { authorization: `Bearer ${target.token}` },
    timeoutMs: 15_000,
    nowMs: ctx.nowMs,
  });
  return { answer, reply: parseReply(answer.body) };
}

/** Why a read was refused: the token or the channel (the user's to fix), a rate limit (try later), or Slack's word. */
function readRefusal(method: string, answer: HttpAnswer, reply: Reply | null, target: SlackBotTarget): Error {
  const error = reply?.error ?? `HTTP ${answer.status} ${snippet(answer.body)}`.trim();
  const what = `Slack ${method} answered ${error}`;
  if (REFUSED_TOKEN.has(error)) return new SlackSettingsError(`${what}: ${invalidTokenClause(target.tokenEnv)}`);
  if (error === "ratelimited")
    return new TransientError(`Slack is rate-limiting us (ratelimited)`, answer.retryAfterMs);
  if (error === "channel_not_found")
    return new SlackSettingsError(
      `${what}: the bot cannot see channel ${target.channel}. Check that deliver.slack.channel is the channel's ID (in the channel's details in Slack) and, for a private channel, invite the bot: type /invite @<your app> in the channel.`,
    );
  if (error === "not_in_channel")
    return new SlackSettingsError(
      `${what}: the bot is not a member of channel ${target.channel}; type /invite @<your app> in the channel.`,
    );
  return new Error(`${what}.`);
}
