/**
 * One redaction step for every message that leaves the process (archive, Markdown, site,
 * deliveries, logs, doctor): the secrets the workspace configured, credentials in URLs, and
 * strings shaped like API keys or tokens, whatever echoed them (a provider's 401 text, a
 * failing webhook's URL, an exception).
 */

const MASK = "[redacted]";

/** Shapes of credentials worth hiding even when nobody configured them here. */
const KEY_LIKE: readonly RegExp[] = [
  // OpenAI-style keys, also as providers echo them masked ("sk-proj-abc1****wxyz").
  /\bsk-[A-Za-z0-9_*.-]{8,}/g,
  // Slack tokens and incoming-webhook paths.
  /\bxox[abposr]-[A-Za-z0-9-]{8,}/g,
  /(hooks\.slack\.com\/services\/)[A-Za-z0-9/_-]+/g,
  // GitHub tokens.
  /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/g,
  // Bearer credentials in echoed headers.
  /(\bBearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi,
  // key=… / api_key: … / token=… in query strings and messages.
  /(\b(?:api[_-]?key|access[_-]?token|token|password|secret)\s*[=:]\s*)[^\s&,;'"]{6,}/gi,
];

/** `scheme://user:password@host` keeps the host and drops the credentials. */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@:]+(?::[^\s/@]*)?@/gi;

export type Redactor = (text: string) => string;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * A redactor for `secrets` (values from the environment: keys, tokens, passwords, webhook
 * URLs). Values shorter than 6 characters are ignored: masking them would hide ordinary words.
 */
export function createRedactor(secrets: Iterable<string | null | undefined>): Redactor {
  const values = [...new Set([...secrets].map((s) => s?.trim() ?? "").filter((s) => s.length >= 6))].sort(
    (a, b) => b.length - a.length,
  );
  const exact = values.length > 0 ? new RegExp(values.map(escapeRegExp).join("|"), "g") : null;
  return (text) => {
    let out = exact ? text.replace(exact, MASK) : text;
    out = out.replace(URL_USERINFO, `$1${MASK}@`);
    for (const pattern of KEY_LIKE) {
      out = out.replace(pattern, (_match, lead?: unknown) => (typeof lead === "string" ? `${lead}${MASK}` : MASK));
    }
    return out;
  };
}

/** The same value with every string inside it redacted (objects and arrays are copied, not changed). */
export function redactDeep<T>(value: T, redact: Redactor): T {
  if (typeof value === "string") return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redact)) as T;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, redact)])) as T;
  }
  return value;
}

/** Environment variables that hold secrets, by name: anything named like a key, token, password or webhook. */
export function secretsInEnv(
  env: Readonly<Record<string, string | undefined>>,
  names: Iterable<string> = [],
): string[] {
  const wanted = new Set(names);
  return Object.entries(env)
    .filter(([name]) => wanted.has(name) || /(KEY|TOKEN|SECRET|PASSWORD|WEBHOOK)/i.test(name))
    .map(([, v]) => v ?? "")
    .filter((v) => v !== "");
}
