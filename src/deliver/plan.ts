/**
 * Which deliveries a config asks for, each with the name it is recorded under and either a way
 * to send it or the sentence saying why it cannot be sent (a missing secret, a bad setting).
 * One function, so `deliverDay` and `pendingDeliveries` always agree on the targets.
 */

import { secret, slackBotTarget, webhookTarget } from "../config/delivery-secrets.js";
import type { Config } from "../config/schema.js";
import type { TopicTitles } from "../format/text.js";
import { httpUrl } from "../format/url.js";
import { type DayRecord, type Delivery, selectedPapers } from "../model/day-record.js";
import type { DaySite } from "./digest.js";
import { emailConfigProblem, sendDigestEmail } from "./email.js";
import { composeDigestEmail } from "./email-content.js";
import type { RetryPolicy } from "./retry.js";
import { postSlackBot, postSlackBotUpdate, postSlackWebhook, type SlackResume, type SlackUnanswered } from "./slack.js";
import { slackDigest } from "./slack-blocks.js";
import { slackUpdateReply } from "./slack-update.js";

export { slackBotTarget } from "../config/delivery-secrets.js";

import { postWebhook, webhookPayload } from "./webhook.js";

export type DeliveryChannel = Delivery["channel"];
export type DeliverConfig = Config["deliver"];
export type Env = Record<string, string | undefined>;

export interface SendContext {
  /** The site the day belongs to (the email's List-Id), and its page there when it has one (the link). */
  site?: DaySite;
  fetchImpl: typeof fetch;
  retry: RetryPolicy;
  /**
   * The target already has this day, and the selection has changed since: send it as an update
   * (Slack bot mode replies in the thread of `threadTs` when known, saying what changed since the
   * list of `papers`; the rest send a new message marked as an update).
   */
  update?: { threadTs?: string; papers?: readonly string[] };
  /** An earlier attempt at this same delivery posted its first messages (Slack): post the rest. */
  resume?: SlackResume;
  /** The target had this day already and `--again` sends it again: the heading and subject say so. */
  again?: boolean;
  /** The same for every retry of one delivery: the webhook's idempotency key, Slack bot mode's message metadata. */
  deliveryId: string;
  /** Slack bot mode: the message the previous attempt at this delivery posted without an answer. */
  unanswered?: SlackUnanswered /** The config's topic titles (`topics[].title`), by which messages name a paper's topic. */;
  topics?: TopicTitles;
}

/**
 * What a send reports back for the record: Slack bot mode, the thread of the digest and the ids
 * it lists; `warning`, a step after the delivery that failed without undoing it.
 */
export interface SendReceipt {
  ts?: string;
  papers?: string[];
  warning?: string;
}

export type PlannedDelivery = { channel: DeliveryChannel; target: string } & (
  | { problem: string }
  | {
      send: (day: DayRecord, ctx: SendContext) => Promise<SendReceipt | undefined>;
      /** A setting that is ignored and should be fixed, though the delivery can go out: said with its outcome. */
      warning?: string;
    }
);

export function planDeliveries(cfg: DeliverConfig, env: Env): PlannedDelivery[] {
  const plans: PlannedDelivery[] = [];
  if (cfg.slack !== undefined) plans.push(planSlack(cfg.slack, env));
  if (cfg.email !== undefined) plans.push(planEmail(cfg.email, env));
  for (const hook of cfg.webhooks) plans.push(planWebhook(hook, env));
  return plans;
}

/** The URL and headers from the config or, for the secret ones, from the environment. */
function planWebhook(hook: DeliverConfig["webhooks"][number], env: Env): PlannedDelivery {
  const target = webhookTarget(hook);
  const url = hook.urlEnv === undefined ? hook.url : secret(env, hook.urlEnv);
  if (url === undefined)
    return { channel: "webhook", target, problem: `${hook.urlEnv} is not set; put the webhook's URL in it.` };
  if (httpUrl(url) === null)
    return {
      channel: "webhook",
      target,
      problem: `${hook.urlEnv} is not an http(s) URL; put the webhook's URL in it.`,
    };
  const headers = { ...hook.headers };
  for (const [header, name] of Object.entries(hook.headersEnv)) {
    const value = secret(env, name);
    if (value === undefined)
      return {
        channel: "webhook",
        target,
        problem: `${name} is not set; put the value of the ${header} header in it.`,
      };
    headers[header] = value;
  }
  return {
    channel: "webhook",
    target,
    send: async (day, ctx) => {
      const flags = { update: ctx.update !== undefined, again: ctx.again === true };
      await postWebhook({ url, headers, target }, webhookPayload(day, ctx.site, flags), ctx);
      return undefined;
    },
  };
}

/**
 * Bot mode when a token and a channel are set, else webhook mode, else a failure naming both
 * variables. A URL in the token's variable (an incoming webhook's, pasted in the wrong place) fails
 * bot mode, which Slack would only refuse; without a channel, where webhook mode is meant, it is
 * ignored with a warning when the webhook's variable is set.
 */
function planSlack(cfg: NonNullable<DeliverConfig["slack"]>, env: Env): PlannedDelivery {
  const token = secret(env, cfg.botTokenEnv);
  const webhookUrl = secret(env, cfg.webhookUrlEnv);
  const urlInToken = token !== undefined && /^https?:\/\//i.test(token);
  if (urlInToken && (cfg.channel !== undefined || webhookUrl === undefined)) {
    return {
      channel: "slack",
      target: cfg.channel ?? "bot mode",
      problem: `${cfg.botTokenEnv} (deliver.slack.botTokenEnv) holds a URL, not a bot token (xoxb-…); an incoming webhook's URL goes in ${cfg.webhookUrlEnv} (deliver.slack.webhookUrlEnv), so move it there and leave ${cfg.botTokenEnv} unset.`,
    };
  }
  const bot = slackBotTarget(cfg, env);
  if (bot !== null) {
    return {
      channel: "slack",
      target: bot.channel,
      send: async (day, ctx) => {
        const digest = slackDigest(day, {
          top: cfg.top,
          site: ctx.site,
          ...(ctx.topics === undefined ? {} : { topics: ctx.topics }),
          threaded: true,
          update: ctx.update !== undefined,
          again: ctx.again === true,
        });
        const papers = selectedPapers(day).map((p) => p.id);
        // What the messages' metadata names, so a retry can find one whose answer was lost.
        const delivery = {
          day: day.date,
          id: ctx.deliveryId,
          startedMs: ctx.retry.clock.now(),
          ...(ctx.unanswered === undefined ? {} : { unanswered: ctx.unanswered }),
        };
        const threadTs = ctx.update?.threadTs;
        if (threadTs === undefined) return { ...(await postSlackBot(bot, digest, ctx, delivery, ctx.resume)), papers };
        // An update: one reply saying what changed, the new list only when the reply cannot stand in for it.
        const { reply, needsList } = slackUpdateReply(day, ctx.update?.papers, ctx.site, ctx.topics);
        const update = { threadTs, reply, list: needsList ? digest.list : [], parent: digest.summary };
        const warning = await postSlackBotUpdate(bot, update, ctx, delivery, ctx.resume);
        return { ts: threadTs, papers, ...(warning === undefined ? {} : { warning }) };
      },
    };
  }
  if (webhookUrl !== undefined) {
    if (httpUrl(webhookUrl) === null) {
      return {
        channel: "slack",
        target: "incoming webhook",
        problem: `${cfg.webhookUrlEnv} is not an http(s) URL; set it to the incoming-webhook URL Slack shows (https://hooks.slack.com/services/…).`,
      };
    }
    return {
      channel: "slack",
      target: "incoming webhook",
      ...(urlInToken
        ? {
            warning: `${cfg.botTokenEnv} (deliver.slack.botTokenEnv) holds a URL, not a bot token (xoxb-…), and is ignored: the digest goes to the incoming webhook in ${cfg.webhookUrlEnv}; leave ${cfg.botTokenEnv} unset.`,
          }
        : {}),
      send: async (day, ctx) => {
        const digest = slackDigest(day, {
          top: cfg.top,
          site: ctx.site,
          ...(ctx.topics === undefined ? {} : { topics: ctx.topics }),
          threaded: false,
          update: ctx.update !== undefined,
          again: ctx.again === true,
        });
        await postSlackWebhook(webhookUrl, digest, ctx, ctx.resume);
        return undefined;
      },
    };
  }
  const problem =
    token !== undefined
      ? `deliver.slack.channel is not set: bot mode (${cfg.botTokenEnv}) needs the channel to post to.`
      : `neither ${cfg.webhookUrlEnv} (incoming webhook) nor ${cfg.botTokenEnv} (bot token, with deliver.slack.channel) is set; set one of them in the environment or the repository secrets.`;
  // Recorded and shown as the target: which mode was meant, as no channel or webhook names one.
  return { channel: "slack", target: cfg.channel ?? (token !== undefined ? "bot mode" : "not set up"), problem };
}

function planEmail(cfg: NonNullable<DeliverConfig["email"]>, env: Env): PlannedDelivery {
  const target = cfg.to.join(", ");
  const bad = emailConfigProblem(cfg);
  if (bad !== null) return { channel: "email", target, problem: bad };
  const password = secret(env, cfg.passwordEnv);
  if (cfg.user !== undefined && password === undefined) {
    return {
      channel: "email",
      target,
      problem: `${cfg.passwordEnv} is not set; put the SMTP password for ${cfg.user} in it.`,
    };
  }
  return {
    channel: "email",
    target,
    send: async (day, ctx) => {
      const email = composeDigestEmail(day, {
        top: cfg.top,
        site: ctx.site,
        ...(ctx.topics === undefined ? {} : { topics: ctx.topics }),
        update: ctx.update !== undefined,
        again: ctx.again === true,
      });
      await sendDigestEmail(email, cfg, { password, retry: ctx.retry });
      return undefined;
    },
  };
}
