import { describe, expect, it } from "vitest";
import { createRedactor, redactDeep, secretsInEnv } from "../../src/io/redact.js";
import { nextRetry, parseRetryAfter } from "../../src/io/retry.js";

describe("createRedactor", () => {
  const redact = createRedactor(["sk-test-0123456789abcdef", "hunter2-smtp", "short"]);

  it("masks configured secrets wherever they appear", () => {
    expect(redact("Incorrect API key provided: sk-test-0123456789abcdef.")).toBe(
      "Incorrect API key provided: [redacted].",
    );
    expect(redact("login failed for hunter2-smtp")).toBe("login failed for [redacted]");
    // Values under six characters would hide ordinary words.
    expect(redact("a short note")).toBe("a short note");
  });

  it("masks keys as providers echo them, URL credentials and token shapes nobody configured", () => {
    expect(redact("Incorrect API key provided: sk-proj-abcd************************wxyz")).toBe(
      "Incorrect API key provided: [redacted]",
    );
    expect(redact("could not reach https://user:p4ss@llm.example.org/v1")).toBe(
      "could not reach https://[redacted]@llm.example.org/v1",
    );
    expect(redact("posting to https://hooks.slack.com/services/T000/B000/XXXXXXXX failed")).toBe(
      "posting to https://hooks.slack.com/services/[redacted] failed",
    );
    expect(redact("xoxb-1234567890-abcdefghij invalid")).toBe("[redacted] invalid");
    expect(redact("Authorization: Bearer abcdefghijklmnop")).toBe("Authorization: Bearer [redacted]");
    expect(redact("GET /q?api_key=abcdef123456&x=1")).toBe("GET /q?api_key=[redacted]&x=1");
    expect(redact("key AIzaSyD4xk2-Q7mPqL9vT3wZr8nB1cF6hJ0sUeY refused")).toBe("key [redacted] refused");
    expect(redact("key gsk_Q7mPqL9vT3wZr8nB1cF6hJ0sUeY4xk2Q refused")).toBe("key [redacted] refused");
  });

  it("masks a secret that is a common word only as a whole word, a real-looking one anywhere", () => {
    const word = createRedactor(["secret", "password"]);
    // doctor's own sentence: "[redacted]s present" would tell the reader the password.
    expect(word("deliver email: configured, secrets present.")).toBe("deliver email: configured, secrets present.");
    expect(word("the SMTP password is a password")).toBe("the SMTP [redacted] is a [redacted]");
    // `_` and digits are not letters: an identifier made of it is masked (the name gives it away too).
    expect(word("SMTP_PASSWORD is unset")).toBe("SMTP_[redacted] is unset");
    // As a value it is still masked: in a URL's credentials, path or query, and in a header.
    expect(word("could not reach smtp://me:secret@mail.example.org")).toBe(
      "could not reach smtp://[redacted]@mail.example.org",
    );
    expect(word("GET https://hooks.example.org/secret/x?k=Secret&y=1")).toBe(
      "GET https://hooks.example.org/[redacted]/x?k=[redacted]&y=1",
    );
    expect(word("X-Auth: secret")).toBe("X-Auth: [redacted]");
    expect(word("535 auth failed for 'secret'")).toBe("535 auth failed for '[redacted]'");
    // A real-looking secret is masked wherever it is, whatever touches it.
    const real = createRedactor(["Tr0ub4dor3x", "hookAbc123def"]);
    expect(real("POST https://example.org/hooks/xhookAbc123defy?v=1 failed")).toBe(
      "POST https://example.org/hooks/x[redacted]y?v=1 failed",
    );
    expect(real("X-Signature: abcTr0ub4dor3xdef")).toBe("X-Signature: abc[redacted]def");
    expect(real("user=me&pass=Tr0ub4dor3x")).toBe("user=me&pass=[redacted]");
  });

  it("masks a long letters-only secret anywhere, as escaped text and identifiers carry it", () => {
    const long = createRedactor(["letmeinplease"]);
    for (const text of [
      '{"error":"bad login\\nletmeinplease"}',
      '{"note":"caf\\u00e9letmeinplease"}',
      "GET /login?next=%2Fletmeinplease%20x",
      "GET /login?q=a%20letmeinplease",
      "user _letmeinplease_ refused",
      "smtp_password_letmeinplease",
      "pw1letmeinplease",
    ]) {
      expect(long(text)).toContain("[redacted]");
      expect(long(text)).not.toMatch(/letmeinplease/i);
    }
  });

  it("masks a short letters-only secret touched by digits, _, or an escape, not inside a word", () => {
    const short = createRedactor(["letmein", "secret"]);
    for (const text of [
      '{"error":"bad login\\nletmein"}',
      '{"error":"x\\tletmein\\r"}',
      '{"note":"caf\\u00e9letmein"}',
      "GET /login?next=%2Fletmein",
      "GET /login?q=a%20letmein",
      "user _letmein_ refused",
      "smtp_password_letmein",
      "pw1letmein",
    ]) {
      expect(short(text)).toContain("[redacted]");
      expect(short(text)).not.toMatch(/letmein/i);
    }
    expect(short("deliver email: configured, secrets present.")).toBe("deliver email: configured, secrets present.");
    expect(short("a secretary letmeinx")).toBe("a secretary letmeinx");
  });

  it("masks the parts of a secret URL a server echoes without the rest, in any case", () => {
    const secretUrl = createRedactor([
      "https://chat.example.org/hooks/HOOKSECRET333x?t=QUERY444value",
      "https://discord.com/api/webhooks/1234567890/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789",
    ]);
    expect(secretUrl("HTTP 500: POST /hooks/HOOKSECRET333x?t=QUERY444value")).toBe("HTTP 500: POST [redacted]");
    expect(secretUrl("unknown path hookssecret333X")).toBe("unknown path hookssecret333X");
    expect(secretUrl("no route for hooksecret333x")).toBe("no route for [redacted]");
    expect(secretUrl("token QUERY444value refused")).toBe("token [redacted] refused");
    expect(secretUrl("Unknown Webhook: /api/webhooks/1234567890/abcdefghijklmnopqrstuvwxyz0123456789")).toBe(
      "Unknown Webhook: [redacted]",
    );
    // The ordinary words of a path stay: only token-shaped parts are secrets on their own.
    expect(secretUrl("the webhooks of the api")).toBe("the webhooks of the api");
  });

  it("leaves paper text alone", () => {
    const text =
      "We propose sparse mixture-of-experts routing; tokens: 12 per expert. See https://arxiv.org/abs/2401.00010.";
    expect(redact(text)).toBe(text);
  });

  it("redacts every string of a record and copies instead of changing it", () => {
    const record = { papers: [{ reason: "HTTP 401: sk-test-0123456789abcdef" }], n: 3, ok: true, none: null };
    const clean = redactDeep(record, redact);
    expect(clean).toEqual({ papers: [{ reason: "HTTP 401: [redacted]" }], n: 3, ok: true, none: null });
    expect(record.papers[0]!.reason).toContain("sk-test");
  });

  it("finds secret-looking variables of an environment, and the ones named", () => {
    const env = { OPENAI_API_KEY: "sk-1", SLACK_WEBHOOK_URL: "https://hooks", HOME: "/root", MY_VAR: "x" };
    expect(secretsInEnv(env, ["MY_VAR"]).sort()).toEqual(["https://hooks", "sk-1", "x"].sort());
  });
});

describe("the retry policy", () => {
  const policy = { retries: 3, baseDelayMs: 1000, maxDelayMs: 5000, maxWaitMs: 60_000 };

  it("doubles the back-off up to its cap, then gives up after the retries", () => {
    expect([1, 2, 3, 4].map((n) => nextRetry(policy, n, null))).toEqual([
      { kind: "wait", ms: 1000 },
      { kind: "wait", ms: 2000 },
      { kind: "wait", ms: 4000 },
      { kind: "give-up", reason: "attempts", ms: 0 },
    ]);
    expect(nextRetry({ ...policy, retries: 9 }, 5, null)).toEqual({ kind: "wait", ms: 5000 });
  });

  it("honours Retry-After, refuses one longer than it waits, or shortens it when told to", () => {
    expect(nextRetry(policy, 1, 30_000)).toEqual({ kind: "wait", ms: 30_000 });
    expect(nextRetry(policy, 1, 120_000)).toEqual({ kind: "give-up", reason: "too-long", ms: 120_000 });
    expect(nextRetry({ ...policy, capRetryAfter: true }, 1, 120_000)).toEqual({ kind: "wait", ms: 60_000 });
    expect(nextRetry({ ...policy, backoffIsFloor: true }, 3, 10)).toEqual({ kind: "wait", ms: 4000 });
  });

  it("reads Retry-After as seconds or an HTTP date", () => {
    const now = Date.parse("2026-02-05T12:00:00Z");
    expect(parseRetryAfter("2", now)).toBe(2000);
    expect(parseRetryAfter("Thu, 05 Feb 2026 12:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("soon", now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
});
