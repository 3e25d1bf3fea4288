/**
 * A local stand-in for Slack's Web API, on the real HTTP server of server.ts: it keeps the messages
 * a bot posts per channel, answers `chat.postMessage`, `chat.update`, `conversations.history` and
 * `conversations.replies` (with `oldest`, `limit` and `include_all_metadata`, metadata kept as
 * posted; a page at most `pageSize` long, and `response_metadata.next_cursor` with `cursor` for the
 * next), `auth.test` (the token's scopes in the `x-oauth-scopes` header, as Slack sends them)
 * and `conversations.info` (with channels:read, groups:read for a private channel), and can lose an answer: accept a post, keep the message, then drop the connection
 * before answering, as a timeout or a reset after the request went out does. `down` drops every
 * request unread, as an outage does; `failReads` fails the next reads of the channel for a while.
 * Every message names its poster (`bot_id`, `user`) as Slack does: our bot is B0/U0 (as `auth.test`
 * says, and as a post's answer echoes in `message`); `forge` posts as another app.
 */
import type { ServerResponse } from "node:http";
import { type RecordedRequest, sendJson, startServer, type TestServer } from "./server.js";

export interface SlackApiMessage {
  ts: string;
  channel: string;
  thread_ts?: string;
  /** The poster: set by Slack, never by what a post sends. */
  bot_id?: string;
  user?: string;
  text?: string;
  blocks?: unknown[];
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
}

export interface SlackApiOptions {
  /** The channel's ID; a post may also name it `#<name>`. */
  channel?: { id: string; name: string };
  /**
   * Scopes the token has; without `channels:history` (`groups:history` for a private channel) the
   * read methods answer `missing_scope`, and `conversations.info` without `channels:read` (`groups:read`).
   */
  scopes?: string[];
  /** `auth.test` answers without the `x-oauth-scopes` header. */
  hideScopes?: boolean;
  /** The channel is private (a bot that is not in it cannot see it: `channel_not_found`). */
  private?: boolean;
  /** The bot is in the channel (true unless set). */
  member?: boolean;
  archived?: boolean;
  /** What every method answers for the token (`token_revoked`, say) instead of serving it. */
  tokenError?: string;
  /** The most messages a read answers with, whatever its `limit` (Slack caps some apps' at 15). */
  pageSize?: number;
  /** Reads answer with messages older than their `oldest` too (a server that ignores it). */
  ignoreOldest?: boolean;
  /** Slack's clock (ms), which gives each message its `ts`; tests pass their fake clock's. */
  now?: () => number;
}

export interface SlackApi {
  server: TestServer;
  url: string;
  /** Every message the channel holds, in posting order. */
  messages: SlackApiMessage[];
  /**
   * The next `n` posts that `when` picks are accepted and kept, and their answer is lost; `then`
   * runs after each (to take the API down, say).
   */
  dropAnswers(n: number, when?: (body: Record<string, unknown>) => boolean, then?: () => void): void;
  /** The next `n` posts are dropped before Slack reads them: not kept, no answer. */
  dropPosts(n: number): void;
  /**
   * The next `n` reads of the channel (`conversations.history`, `conversations.replies`) fail for a
   * while: "reset" drops the connection unanswered, "ratelimited" answers HTTP 429 with Retry-After.
   */
  failReads(n: number, how: "reset" | "ratelimited"): void;
  /** `n` top-level messages someone else posts to the channel (no metadata). */
  chatter(n: number): void;
  /** Another app (bot B9, user U9) posts a message with the metadata given, top-level or in a thread. */
  forge(metadata: NonNullable<SlackApiMessage["metadata"]>, threadTs?: string): SlackApiMessage;
  /**
   * The next `n` reads of the channel answer `ok` but without `messages` ("missing"), or give back
   * as next cursor the one they were asked with ("repeat-cursor", a first page repeating "0").
   */
  badReads(n: number, how: "missing" | "repeat-cursor"): void;
  /** While set, every request's connection is dropped before it is read: nothing is kept. */
  down: boolean;
  /** Requests to one Web API method. */
  calls(method: string): RecordedRequest[];
  close(): Promise<void>;
}

export async function startSlackApi(options: SlackApiOptions = {}): Promise<SlackApi> {
  const channel = options.channel ?? { id: "C0123", name: "papers" };
  const scopes = options.scopes ?? ["chat:write", "channels:history"];
  const isPrivate = options.private === true;
  const member = options.member !== false;
  const historyScope = isPrivate ? "groups:history" : "channels:history";
  const missingScope = (res: ServerResponse, needed: string): void =>
    sendJson(res, 200, { ok: false, error: "missing_scope", needed, provided: scopes.join(",") });
  const now = options.now ?? Date.now;
  const messages: SlackApiMessage[] = [];
  let drops = { left: 0, when: (_body: Record<string, unknown>) => true, after: () => {} };
  let unread = 0;
  let failingReads = { left: 0, how: "reset" as "reset" | "ratelimited" };
  let badReads = { left: 0, how: "missing" as "missing" | "repeat-cursor" };
  let seq = 0;

  const nextTs = (): string => {
    seq++;
    return `${Math.floor(now() / 1000)}.${String(seq).padStart(6, "0")}`;
  };
  const knows = (name: unknown): boolean => name === channel.id || name === `#${channel.name}`;
  const noAnswer = (res: ServerResponse): void => {
    res.socket?.destroy();
  };

  const server = await startServer((req, res) => {
    if (api.down) return noAnswer(res);
    const url = new URL(req.url, "http://slack.invalid");
    const method = url.pathname.replace(/^\//, "");
    if (req.headers.authorization !== "Bearer xoxb-test-token")
      return sendJson(res, 200, { ok: false, error: "invalid_auth" });
    if (options.tokenError !== undefined) return sendJson(res, 200, { ok: false, error: options.tokenError });
    if (method === "auth.test")
      return sendJson(
        res,
        200,
        { ok: true, team: "Lab", user: "digest-bot", team_id: "T0", user_id: "U0", bot_id: "B0" },
        options.hideScopes === true ? {} : { "x-oauth-scopes": scopes.join(",") },
      );
    if (method === "conversations.info") {
      const read = isPrivate ? "groups:read" : "channels:read";
      if (!scopes.includes(read)) return missingScope(res, read);
      const id = url.searchParams.get("channel");
      if (id !== channel.id || (isPrivate && !member))
        return sendJson(res, 200, { ok: false, error: "channel_not_found" });
      return sendJson(res, 200, {
        ok: true,
        channel: {
          id,
          name: channel.name,
          is_channel: !isPrivate,
          is_group: isPrivate,
          is_private: isPrivate,
          is_archived: options.archived === true,
          is_member: member,
        },
      });
    }
    if (method === "chat.postMessage") {
      if (unread > 0) {
        unread--;
        return noAnswer(res);
      }
      const body = JSON.parse(req.body) as Record<string, unknown>;
      if (!knows(body.channel) || (isPrivate && !member))
        return sendJson(res, 200, { ok: false, error: "channel_not_found" });
      // chat:write.public lets a bot post to a public channel it is not in (but not read it).
      if (!member && !scopes.includes("chat:write.public"))
        return sendJson(res, 200, { ok: false, error: "not_in_channel" });
      const message: SlackApiMessage = {
        ts: nextTs(),
        channel: channel.id,
        bot_id: "B0",
        user: "U0",
        ...(typeof body.thread_ts === "string" ? { thread_ts: body.thread_ts } : {}),
        ...(typeof body.text === "string" ? { text: body.text } : {}),
        ...(Array.isArray(body.blocks) ? { blocks: body.blocks } : {}),
        ...(body.metadata === undefined ? {} : { metadata: body.metadata as SlackApiMessage["metadata"] }),
      };
      messages.push(message);
      if (drops.left > 0 && drops.when(body)) {
        drops.left--;
        drops.after();
        return noAnswer(res);
      }
      return sendJson(res, 200, { ok: true, channel: channel.id, ts: message.ts, message });
    }
    if (method === "chat.update") return sendJson(res, 200, { ok: true, channel: channel.id, ts: "0" });
    if (method === "conversations.history" || method === "conversations.replies") {
      if (failingReads.left > 0) {
        failingReads.left--;
        if (failingReads.how === "reset") return noAnswer(res);
        return sendJson(res, 429, { ok: false, error: "ratelimited" }, { "retry-after": "3" });
      }
      if (!scopes.includes(historyScope)) return missingScope(res, historyScope);
      const q = url.searchParams;
      if (q.get("channel") !== channel.id || (isPrivate && !member))
        return sendJson(res, 200, { ok: false, error: "channel_not_found" });
      if (!member) return sendJson(res, 200, { ok: false, error: "not_in_channel" });
      const oldest = options.ignoreOldest === true ? 0 : Number(q.get("oldest") ?? "0");
      const limit = Math.min(Number(q.get("limit") ?? "100"), options.pageSize ?? Number.POSITIVE_INFINITY);
      // Our cursor: where the page starts among the messages picked.
      const start = Number(q.get("cursor") ?? "0");
      const withMetadata = q.get("include_all_metadata") === "true";
      const thread = q.get("ts");
      // history: the channel's top-level messages, newest first; replies: the thread, oldest first.
      const picked =
        method === "conversations.history"
          ? messages.filter((m) => m.thread_ts === undefined).reverse()
          : messages.filter((m) => m.ts === thread || m.thread_ts === thread);
      const since = picked.filter((m) => Number(m.ts) > oldest);
      const shown = since
        .slice(start, start + limit)
        .map(({ metadata, ...m }) => (withMetadata && metadata !== undefined ? { ...m, metadata } : m));
      const more = start + limit < since.length;
      if (badReads.left > 0) {
        badReads.left--;
        if (badReads.how === "missing") return sendJson(res, 200, { ok: true, has_more: false });
        return sendJson(res, 200, {
          ok: true,
          messages: shown,
          has_more: true,
          response_metadata: { next_cursor: String(start) },
        });
      }
      return sendJson(res, 200, {
        ok: true,
        messages: shown,
        has_more: more,
        response_metadata: { next_cursor: more ? String(start + limit) : "" },
      });
    }
    sendJson(res, 200, { ok: false, error: "unknown_method" });
  });

  const api: SlackApi = {
    server,
    url: server.url,
    messages,
    down: false,
    dropAnswers(n, when = () => true, then = () => {}) {
      drops = { left: n, when, after: then };
    },
    dropPosts(n) {
      unread = n;
    },
    failReads(n, how) {
      failingReads = { left: n, how };
    },
    forge(metadata, threadTs) {
      const message: SlackApiMessage = {
        ts: nextTs(),
        channel: channel.id,
        bot_id: "B9",
        user: "U9",
        ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
        text: "forged",
        metadata,
      };
      messages.push(message);
      return message;
    },
    badReads(n, how) {
      badReads = { left: n, how };
    },
    chatter(n) {
      for (let i = 0; i < n; i++) messages.push({ ts: nextTs(), channel: channel.id, text: `chatter ${i + 1}` });
    },
    calls: (method) => server.requests.filter((r) => new URL(r.url, "http://slack.invalid").pathname === `/${method}`),
    close: () => server.close(),
  };
  return api;
}
