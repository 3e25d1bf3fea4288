/**
 * A real SMTP server on 127.0.0.1 (the `smtp-server` package) that records what it receives,
 * and a small MIME reader for the two parts of the digest email.
 */
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { SMTPServer, type SMTPServerOptions } from "smtp-server";

const TLS_DIR = new URL("../fixtures/tls/", import.meta.url);
export const TEST_CERT = readFileSync(new URL("cert.pem", TLS_DIR), "utf8");
const TEST_KEY = readFileSync(new URL("key.pem", TLS_DIR), "utf8");

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  /** Whether the session ran over TLS (implicit or after STARTTLS). */
  secure: boolean;
  user: string | undefined;
}

export interface SmtpReceiver {
  port: number;
  mails: ReceivedMail[];
  close(): Promise<void>;
}

export async function startSmtpReceiver(options: SMTPServerOptions = {}): Promise<SmtpReceiver> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    key: TEST_KEY,
    cert: TEST_CERT,
    authOptional: true,
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        mails.push({
          from: session.envelope.mailFrom === false ? "" : session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString("utf8"),
          secure: session.secure,
          user: typeof session.user === "string" ? session.user : undefined,
        });
        callback();
      });
    },
    ...options,
  });
  // Clients that hang up mid-handshake (the wrong-TLS-mode tests) are expected here.
  server.on("error", () => {});
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    mails,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface MimePart {
  contentType: string;
  body: string;
}

/** The leaf parts of a multipart message, transfer encoding undone. */
export function mimeParts(raw: string): MimePart[] {
  const [head = "", ...rest] = raw.split(/\r?\n\r?\n/);
  const body = rest.join("\r\n\r\n");
  const headers = unfold(head);
  const contentType = /^content-type:\s*([^;\r\n]+)/im.exec(headers)?.[1]?.trim().toLowerCase() ?? "text/plain";
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(headers)?.[1];
  if (contentType.startsWith("multipart/") && boundary !== undefined) {
    return body
      .split(`--${boundary}`)
      .slice(1, -1)
      .flatMap((part) => mimeParts(part.replace(/^\r?\n/, "")));
  }
  const encoding = /^content-transfer-encoding:\s*(\S+)/im.exec(headers)?.[1]?.toLowerCase();
  return [{ contentType, body: decode(body, encoding) }];
}

/** One header's decoded value (RFC 2047 encoded-words included). */
export function mimeHeader(raw: string, name: string): string | undefined {
  const head = unfold(raw.split(/\r?\n\r?\n/)[0] ?? "");
  const value = new RegExp(`^${name}:\\s*(.*)$`, "im").exec(head)?.[1];
  return value?.replace(/=\?utf-8\?([bq])\?([^?]*)\?=\s*/gi, (_m, kind: string, text: string) =>
    kind.toLowerCase() === "b"
      ? Buffer.from(text, "base64").toString("utf8")
      : decode(text.replace(/_/g, " "), "quoted-printable"),
  );
}

function unfold(headers: string): string {
  return headers.replace(/\r?\n[ \t]+/g, " ");
}

function decode(body: string, encoding: string | undefined): string {
  if (encoding === "base64") return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  if (encoding === "quoted-printable") {
    const escaped = body
      .replace(/=\r?\n/g, "")
      .replace(/%/g, "%25")
      .replace(/=([0-9A-F]{2})/gi, "%$1");
    // Percent-decoding handles multi-byte UTF-8 sequences split over several =XX escapes.
    return decodeURIComponent(escaped);
  }
  return body;
}
