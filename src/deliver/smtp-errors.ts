/**
 * Nodemailer's errors turned into sentences that say what to change, and sorted into
 * transient (worth a retry) and permanent. The classic mistakes (TLS mode against the wrong
 * port, the account password where an app password is needed, a certificate for another name
 * or one no trusted authority signed) get their own advice.
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
  /** Node's own code (ERR_TLS_CERT_ALTNAME_INVALID, DEPTH_ZERO_SELF_SIGNED_CERT) where Nodemailer set its own in `code`. */
  originalCode?: string;
  command?: string;
  responseCode?: number;
  response?: string;
  reason?: string;
  message: string;
}

/** Node's codes for a certificate that no authority it trusts vouches for (a self-signed or private-CA one). */
const UNTRUSTED_CERT = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_UNTRUSTED",
]);

/**
 * The server answered and refused the settings (the login, the TLS mode), or its certificate is for
 * another name or not trusted here: a mistake in the config, the password variable or the
 * environment's trusted certificates that no retry fixes, which `doctor` reports as the user's to fix (exit 2).
 */
export class SmtpSettingsError extends Error {
  override name = "SmtpSettingsError";
}

/** The error to throw for a failed send: TransientError when another try may succeed, SmtpSettingsError for the settings. */
export function explainSmtpError(err: unknown, at: SmtpAttempt): Error {
  const e: NodemailerError = err instanceof Error ? (err as NodemailerError) : { message: String(err) };
  const where = `${at.host}:${at.port}`;
  const text = `${e.reason ?? ""} ${e.message}`;
  const reply = (e.response ?? e.message).trim();

  if (/wrong version number|packet length too long|unknown protocol/i.test(text)) {
    return new SmtpSettingsError(
      `${where} answered in plain text, so it wants STARTTLS, not implicit TLS: port ${at.port} expects tls: starttls (implicit TLS is for port 465).`,
    );
  }
  if (e.code === "ETIMEDOUT" && /greeting/i.test(e.message) && !at.secure) {
    return new SmtpSettingsError(
      `${where} sent no SMTP greeting: port ${at.port} expects tls: implicit (servers on 465 start with TLS and wait for the client), or the host and port are wrong.`,
    );
  }
  // The server's reply asks for STARTTLS first (530/538 "Must issue a STARTTLS command first"):
  // the login or the message was sent in clear text, which it does not take.
  if (e.code !== "ETLS" && e.response !== undefined && /STARTTLS/i.test(e.response)) {
    return new SmtpSettingsError(
      `${where} requires STARTTLS before the login or the message (${reply}): set deliver.email.tls to starttls (or auto), so the connection is encrypted first.`,
    );
  }
  if (e.code === "EAUTH") {
    const user = at.user === undefined ? "deliver.email.user" : `deliver.email.user (${at.user})`;
    if (e.responseCode === 535 || e.responseCode === 534) {
      return new SmtpSettingsError(
        `${where} rejected the login (${reply}): check ${user} and the password in ${at.passwordEnv}, which for Gmail, Outlook, QQ Mail and 163/126 must be an app password or authorisation code (授权码) generated in the account's security settings, not the account password.`,
      );
    }
    return new SmtpSettingsError(
      `${where} refused the login (${reply}): check ${user} and the password in ${at.passwordEnv}.`,
    );
  }
  if (e.code === "ETLS" || /STARTTLS/i.test(e.message)) {
    return new SmtpSettingsError(
      `${where} does not offer STARTTLS (${e.message}): use tls: implicit if this is port 465, or tls: none only for a trusted local relay.`,
    );
  }
  // Nodemailer puts its own code (ESOCKET) on a TLS error and keeps Node's as originalCode.
  const tlsCode = e.originalCode ?? e.code ?? "";
  if (tlsCode === "ERR_TLS_CERT_ALTNAME_INVALID" || /does not match certificate's altnames/i.test(text)) {
    return new SmtpSettingsError(
      `the TLS certificate of ${where} is not issued for ${at.host} (${e.message}): set deliver.email.host to a name the certificate lists, usually the host name the mail provider gives rather than an IP address or an alias.`,
    );
  }
  if (UNTRUSTED_CERT.has(tlsCode) || /self.signed|unable to (?:verify|get)/i.test(text)) {
    return new SmtpSettingsError(
      `the TLS certificate of ${where} is not trusted (${e.message}): it is self-signed or signed by a private certificate authority; to trust it, set NODE_EXTRA_CA_CERTS to the path of that authority's certificate (a PEM file) in the environment arxiv-digest runs in.`,
    );
  }
  if (/certificate|CERT_/i.test(`${text} ${tlsCode}`)) {
    return new Error(`the TLS certificate of ${where} was not accepted (${e.message}).`);
  }
  if (e.code === "EDNS" || /ENOTFOUND|EAI_AGAIN/.test(e.message)) {
    return new Error(`the SMTP host "${at.host}" was not found (${e.message}): check deliver.email.host.`);
  }
  if (/ECONNREFUSED/.test(e.message)) {
    return new TransientError(`${where} refused the connection: check deliver.email.host and deliver.email.port.`);
  }
  if (e.responseCode !== undefined && e.responseCode >= 400 && e.responseCode < 500) {
    return new TransientError(`${where} deferred the message (${reply})`);
  }
  if (e.responseCode !== undefined && e.responseCode >= 500) {
    return new Error(`${where} refused the message (${reply}): check deliver.email.from and deliver.email.to.`);
  }
  if (e.code === "ETIMEDOUT" || e.code === "ECONNECTION" || e.code === "ESOCKET") {
    return new TransientError(`the connection to ${where} failed (${e.message.trim()})`);
  }
  return new Error(`sending through ${where} failed: ${e.message.trim()}`);
}
