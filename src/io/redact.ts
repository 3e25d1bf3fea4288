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
  // Google API keys (Gemini) and Groq keys.
  /\bAIza[A-Za-z0-9_-]{30,}/g,
  /\bgsk_[A-Za-z0-9]{20,}/g,
  // Bearer credentials in echoed headers.
  /(\bBearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi,
  // key=… / api_key: … / token=… in query strings and messages.
  /(\b(?:api[_-]?key|access[_-]?token|token|password|secret)\s*[=:]\s*)[^\s&,;'"]{6,}/gi,
];

/** `scheme://user:password@host` keeps the host and drops the credentials. */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@:]+(?::[^\s/@]*)?@/gi;

export type Redactor = (text: string) => string;

/**
 * The text with every credential shape masked that needs no configured secret to be known: a
 * URL's user name and password, and strings shaped like keys or tokens. Run on a whole value
 * before any cut: a value cut short of its `@` or of a key's length no longer matches.
 */
export function redactShapes(text: string): string {
  let out = text.replace(URL_USERINFO, `$1${MASK}@`);
  for (const pattern of KEY_LIKE) {
    out = out.replace(pattern, (_match, lead?: unknown) => (typeof lead === "string" ? `${lead}${MASK}` : MASK));
  }
  return out;
}

/**
 * Whether a value a user wrote may be a credential, so a message names where it is rather than
 * quoting it: it holds a shape `redactShapes` masks, or it is one long run of letters, digits and
 * `_`/`-` mixing letters and digits (a key of a provider whose shape we do not know). A variable's
 * name (`OPENAI_API_KEY`) has no digits run through it and is not one.
 */
export function looksSecret(text: string): boolean {
  if (redactShapes(text) !== text) return true;
  const token = text.trim();
  return /^[A-Za-z0-9_-]{20,}$/.test(token) && /\d.*[A-Za-z].*\d|[A-Za-z].*\d.*[A-Za-z]/.test(token);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The parts of a secret URL a server may echo without the rest (a webhook's token is its path:
 * "POST /services/T0/B0/XXXX" in an error page): its path, its query, and each path segment or
 * query value shaped like a token (long, or with digits in it: not "services" or "webhooks",
 * which would hide ordinary words). Not an http(s) URL: nothing.
 */
function urlParts(secret: string): string[] {
  let url: URL;
  try {
    url = new URL(secret);
  } catch {
    return [];
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return [];
  const tokenLike = (p: string) => p.length >= 20 || (p.length >= 8 && /\d/.test(p) && /[A-Za-z]/.test(p));
  const pieces = [...url.pathname.split("/"), ...url.searchParams.values()].filter(tokenLike);
  const parts = [`${url.pathname}${url.search}`, url.pathname === "/" ? "" : url.pathname, url.search, ...pieces];
  // Each in the form it was given and as a server may print it, decoded.
  return parts.flatMap((p) => {
    try {
      return [p, decodeURIComponent(p)];
    } catch {
      return [p];
    }
  });
}

/**
 * A short secret of letters only (`secret`, `letmein`) may be a word of our own prose; a longer
 * one (12 letters or more) is a random string, never prose, and is masked anywhere.
 */
const WORDLIKE = /^\p{L}{1,11}$/u;

/**
 * What may stand before a word-like secret in text that escapes characters: a backslash escape
 * (`\n`, `\t`, `\u00e9` in JSON or a log line) or a percent escape (`%2F`, `%20` in a URL). Its
 * last character is a letter or a hex digit, yet it ends a word, not the secret's neighbour.
 */
const ESCAPE_BEFORE = String.raw`\\[bfnrt]|\\u[0-9a-f]{4}|%[0-9a-f]{2}`;

/**
 * A secret as a pattern: anywhere in the text, or, a short secret of letters only, where no letter
 * touches it (an escape before it does not count as one), so a password that is a common word is
 * not masked inside longer words of our own prose ("secrets present" with SMTP_PASSWORD=secret),
 * where the mask would show it. Such a secret is still masked next to digits, `_` and signs: as a
 * value, in a URL, a header, a query or an identifier (`:secret@`, `/secret/`, `=secret&`,
 * `pw_secret`, `%2Fsecret`, `"\nsecret"`); any other secret is masked wherever it appears.
 */
const secretPattern = (secret: string) =>
  WORDLIKE.test(secret)
    ? `(?:(?<!\\p{L})|(?<=${ESCAPE_BEFORE}))${escapeRegExp(secret)}(?!\\p{L})`
    : escapeRegExp(secret);

/**
 * A redactor for `secrets` (values from the environment: keys, tokens, passwords, webhook
 * URLs). Values shorter than 6 characters are ignored: masking them would hide ordinary words.
 */
export function createRedactor(secrets: Iterable<string | null | undefined>): Redactor {
  const given = [...secrets].map((s) => s?.trim() ?? "");
  const values = [...new Set([...given, ...given.flatMap(urlParts)].filter((s) => s.length >= 6))].sort(
    (a, b) => b.length - a.length,
  );
  // Case-insensitive: a resolver or a server may echo a secret lower-cased (a host name in ENOTFOUND).
  const exact = values.length > 0 ? new RegExp(values.map(secretPattern).join("|"), "giu") : null;
  return (text) => {
    return redactShapes(exact ? text.replace(exact, MASK) : text);
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
