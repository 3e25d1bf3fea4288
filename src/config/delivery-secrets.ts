/**
 * The secrets a delivery reads from the environment, read the one way `planDeliveries` and the
 * commands' checks before any request share: an unset or blank variable is "not set", bot mode is
 * a token that is not a URL with a channel, and which credential each channel sends where (the
 * Slack bot token to Slack's API, the SMTP password to the mail server, a webhook's secret headers
 * to its URL). Light on purpose (types
 * only), and kept out of deliver/: a run checks these before it fetches anything, without loading
 * the channels' code (a weekend's run loads none of it).
 */
import type { Config } from "./schema.js";

type DeliverConfig = Config["deliver"];
type Env = Readonly<Record<string, string | undefined>>;

/** An unset variable and an empty one (what GitHub Actions passes for a missing secret) both mean "not set". */
export function secret(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === "" ? undefined : value;
}

/** Where and how Slack's bot mode posts. */
export interface SlackBotTarget {
  apiUrl: string;
  token: string;
  channel: string;
  /** The env var the token came from, to name in errors. */
  tokenEnv: string;
}

/**
 * Where bot mode posts, when the config and the environment set it up (a token that is not a URL,
 * and a channel); null otherwise. `planSlack` sends with it and `doctor` asks Slack about it.
 */
export function slackBotTarget(cfg: NonNullable<DeliverConfig["slack"]>, env: Env): SlackBotTarget | null {
  const token = secret(env, cfg.botTokenEnv);
  if (token === undefined || /^https?:\/\//i.test(token) || cfg.channel === undefined) return null;
  return { apiUrl: cfg.apiUrl, token, channel: cfg.channel, tokenEnv: cfg.botTokenEnv };
}

/**
 * How a webhook is named in Delivery records (which the site shows): a `url` by its origin and path,
 * never a query that may hold a key; a secret URL by the variable that holds it, never by its text.
 */
export function webhookTarget(hook: DeliverConfig["webhooks"][number]): string {
  if (hook.url === undefined) return `the URL in ${hook.urlEnv}`;
  const url = new URL(hook.url);
  return `${url.origin}${url.pathname}`;
}

/**
 * A credential a delivery would send off this machine (in a header, or in the SMTP login), with
 * what the checks need to judge and name it.
 */
export interface DeliverySecret {
  /** The variable that holds it. */
  name: string;
  /** The config key that names the variable. */
  from: string;
  /** What belongs in the variable, as a sentence's object ("the Slack app's bot token (xoxb-…)"). */
  want: string;
  /** The address it is sent to (a local one may take any dummy): a URL, or `smtp://host:port`. */
  to: string | undefined;
  /** Sent in the SMTP login, which carries any text, rather than in a header. */
  login?: boolean;
  /** The delivery it belongs to, as `doctor` and the records name it: its channel and target. */
  channel: "slack" | "webhook" | "email";
  target: string;
}

/** The SMTP server as an address the local-endpoint rule reads (`smtp://host:port`, an IPv6 host in brackets). */
export function smtpAddress(host: string, port: number): string {
  const h = host.trim();
  return `smtp://${h.includes(":") && !h.startsWith("[") ? `[${h}]` : h}:${port}`;
}

/**
 * The credentials the configured deliveries would send off this machine, each set: Slack's bot
 * token when bot mode is what a delivery would use, the SMTP password when the email logs in
 * (`deliver.email.user`), and every webhook's secret header values (`headersEnv`).
 */
export function deliverySecrets(cfg: DeliverConfig, env: Env): DeliverySecret[] {
  const found: DeliverySecret[] = [];
  const bot = cfg.slack === undefined ? null : slackBotTarget(cfg.slack, env);
  if (bot !== null)
    found.push({
      name: bot.tokenEnv,
      from: "deliver.slack.botTokenEnv",
      want: "the Slack app's bot token (xoxb-…, from its OAuth & Permissions page)",
      to: bot.apiUrl,
      channel: "slack",
      target: bot.channel,
    });
  const email = cfg.email;
  if (email?.user !== undefined && secret(env, email.passwordEnv) !== undefined)
    found.push({
      name: email.passwordEnv,
      from: "deliver.email.passwordEnv",
      want: `the SMTP password for ${email.user} (for Gmail, Outlook and the like, an app password)`,
      to: smtpAddress(email.host, email.port),
      login: true,
      channel: "email",
      target: email.to.join(", "),
    });
  for (const [i, hook] of cfg.webhooks.entries()) {
    const url = hook.urlEnv === undefined ? hook.url : secret(env, hook.urlEnv);
    for (const [header, name] of Object.entries(hook.headersEnv)) {
      if (secret(env, name) === undefined) continue;
      found.push({
        name,
        from: `deliver.webhooks.${i}.headersEnv.${header}`,
        want: `the value the webhook expects in its ${header} header`,
        to: url,
        channel: "webhook",
        target: webhookTarget(hook),
      });
    }
  }
  return found;
}
