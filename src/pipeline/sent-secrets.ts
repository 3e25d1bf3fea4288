/**
 * The one home of "is a credential this command would send off this machine left as a
 * placeholder": every credential that leaves (the LLM key, Slack's bot token, the SMTP password, a
 * webhook's secret headers, Semantic Scholar's key, GitHub's token) is judged by the one rule
 * (config/parse.ts `placeholderKind`) and named by the one sentence (`placeholderSentence`: the
 * variable, where it was set, what belongs there; never the value). A command asks before its
 * first request or connection (`checkSentSecrets`, exit 2), `doctor` fails on the same sentence.
 * An address on this machine (a local server, a local SMTP host, a test receiver) may take any
 * dummy that fits in a header (in the SMTP login, any dummy at all). Light:
 * every run loads it, an empty day included.
 */
import { join } from "node:path";
import { parseFollowedAuthors } from "../authors/followed.js";
import { type DeliverySecret, deliverySecrets } from "../config/delivery-secrets.js";
import { EnvError, placeholderSentence } from "../config/parse.js";
import { WORKSPACE_ENTRIES } from "../io/paths.js";
import { isLocalEndpoint } from "../llm/models.js";
import type { Workspace } from "../workspace/load.js";
import { GITHUB_TOKEN_ENV, S2_KEY_ENV } from "../workspace/workflow-secrets.js";

type SecretWorkspace = Pick<Workspace, "config" | "env" | "dir" | "dotenvNames" | "dotenvLine">;

/** A credential a command sends off: the variable, the config key naming it, what belongs there, where it goes. */
export interface SentSecret {
  name: string;
  /** The config key (or the use) that names the variable; omitted for the LLM key, whose sentence is README's. */
  from?: string;
  /** What belongs in the variable, as a sentence's object; omitted: "the real key" (token, secret). */
  want?: string;
  /** The address it is sent to (`smtp://host:port` for the mail server); undefined: the service's own host. */
  to: string | undefined;
  /** Sent in the SMTP login, which carries any text, rather than in a header. */
  login?: boolean;
}

/**
 * The sentence for `secret` left as a placeholder while it would go off this machine, or null
 * (unset, real-looking, or going to a local address in a form a header carries).
 */
export function placeholderProblem(ws: SecretWorkspace, secret: SentSecret): string | null {
  const value = ws.env[secret.name]?.trim();
  // A local server ignores the credential; but a placeholder with an ellipsis cannot go into a header at all.
  if (!value || (isLocalEndpoint(secret.to) && (secret.login === true || /^[\x20-\x7e]*$/.test(value)))) return null;
  const inDotenv = ws.dotenvNames?.has(secret.name) === true;
  return placeholderSentence(secret.name, value, {
    source: inDotenv ? `set in ${join(ws.dir, WORKSPACE_ENTRIES.env)}` : "set in the environment",
    line: inDotenv ? (ws.dotenvLine?.(secret.name) ?? null) : null,
    ...(secret.from === undefined ? {} : { from: secret.from }),
    ...(secret.want === undefined ? {} : { want: secret.want }),
  });
}

/** Stops a command before its first request when one of `secrets` is a placeholder (EnvError, exit 2). */
export function checkSentSecrets(ws: SecretWorkspace, secrets: readonly SentSecret[]): void {
  for (const secret of secrets) {
    const problem = placeholderProblem(ws, secret);
    if (problem !== null) throw new EnvError(problem);
  }
}

/**
 * What the configured deliveries send off this machine (Slack's bot token in bot mode, the SMTP
 * password of an email that logs in, webhooks' secret headers).
 */
export function deliveryCredentials(ws: Pick<Workspace, "config" | "env">): DeliverySecret[] {
  return deliverySecrets(ws.config.deliver, ws.env);
}

/**
 * Semantic Scholar's key, sent when authors.txt follows someone by a Semantic Scholar id
 * (`followsByS2Id`, which the caller knows from authors.txt).
 */
export function s2Credential(ws: Pick<Workspace, "env">): SentSecret {
  return {
    name: S2_KEY_ENV,
    from: "authors.txt's Semantic Scholar ids",
    want: "the API key Semantic Scholar issued you (or unset it for the public rate limit)",
    to: ws.env.SEMANTIC_SCHOLAR_API_URL?.trim() || undefined,
  };
}

/** GitHub's token, as `feedback sync` sends it (to GITHUB_API_URL, else GitHub's API). */
export function gitHubCredential(ws: Pick<Workspace, "env">, repo: string): SentSecret {
  return {
    name: GITHUB_TOKEN_ENV,
    from: "feedback.github",
    want: `a GitHub token that can read and close issues of ${repo}`,
    to: ws.env.GITHUB_API_URL?.trim() || undefined,
  };
}

/** Whether authors.txt follows someone by a Semantic Scholar id; a malformed file is another check's to name. */
function followsByS2Id(ws: Pick<Workspace, "authorsText" | "authorsPath">): boolean {
  try {
    return parseFollowedAuthors(ws.authorsText, ws.authorsPath).some((f) => f.s2Id !== undefined);
  } catch {
    return false;
  }
}

/**
 * `run` and `backfill`, before they fetch anything: the credentials the command would send besides
 * the LLM key (pipeline/llm-key.ts `checkLlmKey`), each a placeholder stops (exit 2): the deliveries'
 * when it delivers, Semantic Scholar's when authors.txt follows someone by id.
 */
export function checkRunSecrets(ws: Workspace, opts: { deliver: boolean }): void {
  checkSentSecrets(ws, [
    ...(opts.deliver ? deliveryCredentials(ws) : []),
    ...(followsByS2Id(ws) ? [s2Credential(ws)] : []),
  ]);
}
