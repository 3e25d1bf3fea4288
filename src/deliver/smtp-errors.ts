/**
 * Nodemailer's errors turned into sentences that say what to change, and sorted into
 * transient (worth a retry) and permanent. The classic mistakes (TLS mode against the wrong
 * port, the account password where an app password is needed) get their own advice.
 */
import { TransientError } from "./retry.js";

export interface SmtpAttempt {
  host: string;
  port: number;
  /** Whether TLS started at connect time (implicit TLS). */
  secure: boolean;
  user?: string;
  passwordEnv: string;
}

interface NodemailerError {
  code?: string;
  command?: string;
  responseCode?: number;
  response?: string;
  reason?: string;
  message: string;
}

/** The error to throw for a failed send: TransientError when another try may succeed. */
export function explainSmtpError(err: unknown, at: SmtpAttempt): Error {
  const e: NodemailerError = err instanceof Error ? (err as NodemailerError) : { message: String(err) };
  const where = `${at.host}:${at.port}`;
  const text = `${e.reason ?? ""} ${e.message}`;

  if (/wrong version number|packet length too long|unknown protocol/i.test(text)) {
    return new Error(
      `${where} answered in plain text, so it wants STARTTLS, not implicit TLS: port ${at.port} expects tls: starttls (implicit TLS is for port 465).`,
    );
  }
  if (e.code === "ETIMEDOUT" && /greeting/i.test(e.message) && !at.secure) {
    return new Error(
      `${where} sent no SMTP greeting: port ${at.port} expects tls: implicit (servers on 465 start with TLS and wait for the client), or the host and port are wrong.`,
    );
  }
  if (e.code === "EAUTH") {
    const reply = e.response ?? e.message;
    if (e.responseCode === 535 || e.responseCode === 534) {
      return new Error(
        `${where} rejected the login for ${at.user ?? "the configured user"} (${reply.trim()}): providers such as Gmail, Outlook, QQ Mail and 163/126 need an app password or authorisation code (授权码) generated in the account's security settings, not the account password; put it in ${at.passwordEnv}.`,
      );
    }
    return new Error(
      `${where} refused authentication (${reply.trim()}): check deliver.email.user and ${at.passwordEnv}.`,
    );
  }
  if (e.code === "ETLS" || /STARTTLS/i.test(e.message)) {
    return new Error(
      `${where} does not offer STARTTLS (${e.message}): use tls: implicit if this is port 465, or tls: none only for a trusted local relay.`,
    );
  }
  if (/certificate|CERT_|self.signed/i.test(text)) {
    return new Error(
      `the TLS certificate of ${where} was not accepted (${e.message}): check that deliver.email.host is the name the certificate was issued for.`,
    );
  }
  if (e.code === "EDNS" || /ENOTFOUND|EAI_AGAIN/.test(e.message)) {
    return new Error(`the SMTP host "${at.host}" was not found (${e.message}): check deliver.email.host.`);
  }
  if (/ECONNREFUSED/.test(e.message)) {
    return new TransientError(`${where} refused the connection: check deliver.email.host and deliver.email.port.`);
  }
  if (e.responseCode !== undefined && e.responseCode >= 400 && e.responseCode < 500) {
    return new TransientError(`${where} deferred the message (${(e.response ?? e.message).trim()})`);
  }
  if (e.responseCode !== undefined && e.responseCode >= 500) {
    return new Error(
      `${where} refused the message (${(e.response ?? e.message).trim()}): check deliver.email.from and deliver.email.to.`,
    );
  }
  if (e.code === "ETIMEDOUT" || e.code === "ECONNECTION" || e.code === "ESOCKET") {
    return new TransientError(`the connection to ${where} failed (${e.message.trim()})`);
  }
  return new Error(`sending through ${where} failed: ${e.message.trim()}`);
}
