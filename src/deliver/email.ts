/**
 * Sending the digest email over SMTP with nodemailer: TLS mode, login, retries. Nodemailer is
 * loaded when an email is sent, not by every command that can deliver.
 */
import type SMTPTransport from "nodemailer/lib/smtp-transport/index.js";
import type { Config } from "../config/schema.js";
import type { DigestEmail } from "./email-content.js";
import { type RetryPolicy, withRetries } from "./retry.js";
import { explainSmtpError } from "./smtp-errors.js";

export type EmailConfig = NonNullable<Config["deliver"]["email"]>;

export interface SmtpSendOptions {
  /** Required when `cfg.user` is set. */
  password?: string;
  retry: RetryPolicy;
  /** Extra certificate authorities to trust (a private relay, or the tests' self-signed server). */
  ca?: string;
  /** How long to wait for the server's greeting; also how long a TLS-mode mistake takes to show. */
  greetingTimeoutMs?: number;
}

/**
 * The digest is sent by a program: RFC 3834's Auto-Submitted keeps vacation responders and other
 * automatic replies quiet, and Exchange, which reads its own header instead, is asked the same.
 * No List-Unsubscribe: a recipient leaves by being taken out of `deliver.email.to`, and a header
 * promising a one-click way out that does nothing would be worse than none.
 */
const AUTOMATED_HEADERS = {
  "Auto-Submitted": "auto-generated",
  "X-Auto-Response-Suppress": "OOF, AutoReply",
} as const;

export async function sendDigestEmail(email: DigestEmail, cfg: EmailConfig, opts: SmtpSendOptions): Promise<void> {
  const options = smtpTransportOptions(cfg, opts.password, opts);
  const { default: nodemailer } = await import("nodemailer");
  const transport = nodemailer.createTransport(options);
  try {
    await withRetries(async () => {
      try {
        await transport.sendMail({
          from: cfg.from,
          to: cfg.to,
          subject: email.subject,
          text: email.text,
          html: email.html,
          list: { id: { url: email.listId, comment: "arXiv digest" } },
          headers: AUTOMATED_HEADERS,
        });
      } catch (err) {
        throw explainSmtpError(err, { ...cfg, secure: options.secure === true });
      }
    }, opts.retry);
  } finally {
    transport.close();
  }
}

/** Nodemailer's SMTP options for a config (also used by `doctor` to test the connection). */
export function smtpTransportOptions(
  cfg: EmailConfig,
  password: string | undefined,
  extra: Pick<SmtpSendOptions, "ca" | "greetingTimeoutMs"> = {},
): SMTPTransport.Options {
  return {
    host: cfg.host,
    port: cfg.port,
    ...tlsOptions(cfg),
    auth: cfg.user === undefined ? undefined : { user: cfg.user, pass: password },
    tls: extra.ca === undefined ? undefined : { ca: extra.ca },
    connectionTimeout: 30_000,
    greetingTimeout: extra.greetingTimeoutMs ?? 30_000,
    socketTimeout: 60_000,
  };
}

/**
 * "auto" means implicit TLS on 465 and STARTTLS elsewhere; STARTTLS is then insisted on only
 * when a password would otherwise cross the network in clear text.
 */
function tlsOptions(cfg: EmailConfig): Pick<SMTPTransport.Options, "secure" | "requireTLS" | "ignoreTLS"> {
  switch (cfg.tls) {
    case "implicit":
      return { secure: true };
    case "starttls":
      return { secure: false, requireTLS: true };
    case "none":
      return { secure: false, ignoreTLS: true };
    case "auto":
      return cfg.port === 465 ? { secure: true } : { secure: false, requireTLS: cfg.user !== undefined };
  }
}

/** Addresses come from the config file: refuse anything that could inject a header. */
export function emailConfigProblem(cfg: EmailConfig): string | null {
  const fields: [string, string][] = [
    ["deliver.email.from", cfg.from],
    ...cfg.to.map((to, i): [string, string] => [`deliver.email.to[${i}]`, to]),
  ];
  for (const [key, value] of fields) {
    if (/[\r\n]/.test(value) || !/^[^@\s<>]+@[^@\s<>]+$|<[^@\s<>]+@[^@\s<>]+>$/.test(value.trim())) {
      return `${key} (${JSON.stringify(value)}) is not an email address; write it as name@example.org or "Name <name@example.org>".`;
    }
  }
  return null;
}
