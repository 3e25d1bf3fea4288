/**
 * The secrets the workflows hand to arxiv-digest: one home for which environment variables a
 * config reads its secrets from, so `init` writes them into the workflows' env blocks and `doctor`
 * tells when a workflow does not pass one (GitHub hands a step only the secrets its `env:` names).
 */
import type { Config } from "../config/schema.js";
import { createRedactor, type Redactor, secretsInEnv } from "../io/redact.js";
import { UserError } from "../model/errors.js";

/** Semantic Scholar's key: read from this variable (no config key names it) for authors followed by their Semantic Scholar id (`Name | id`). */
export const S2_KEY_ENV = "S2_API_KEY";

/** GitHub's token: read by `feedback sync` from this variable (no config key names it; a workflow has its own). */
export const GITHUB_TOKEN_ENV = "GITHUB_TOKEN";

/**
 * One secret a run may read: the variable, the config key that names it, whether this config uses
 * it, and whether it is sent in an HTTP header (a bearer token, a header's value) rather than as a
 * URL or an SMTP password.
 */
export interface SecretUse {
  name: string;
  from: string;
  used: boolean;
  header: boolean;
}

/**
 * The secrets of a config, in the order the workflows list them: the LLM key, Slack's webhook URL
 * and bot token, the SMTP password, Semantic Scholar's key, the webhooks' secret URLs and headers.
 * Also what every message is redacted of (pipeline/context.ts). A channel that is not configured keeps
 * its default name, so turning it on later needs a secret only. `s2Authors`: authors.txt follows
 * someone by a Semantic Scholar id (`Name | id`).
 */
export function secretsOf(config: Config, s2Authors = false): SecretUse[] {
  const { slack, email } = config.deliver;
  const uses: SecretUse[] = [
    { name: config.llm.apiKeyEnv, from: "llm.apiKeyEnv", used: config.llm.provider !== "offline", header: true },
    {
      name: slack?.webhookUrlEnv ?? "SLACK_WEBHOOK_URL",
      from: "deliver.slack.webhookUrlEnv",
      used: slack !== undefined,
      header: false,
    },
    {
      name: slack?.botTokenEnv ?? "SLACK_BOT_TOKEN",
      from: "deliver.slack.botTokenEnv",
      used: slack !== undefined,
      header: true,
    },
    {
      name: email?.passwordEnv ?? "SMTP_PASSWORD",
      from: "deliver.email.passwordEnv",
      used: email?.user !== undefined,
      header: false,
    },
    { name: S2_KEY_ENV, from: "authors.txt's Semantic Scholar ids", used: s2Authors, header: true },
    ...config.deliver.webhooks.flatMap((hook, i) => [
      ...(hook.urlEnv === undefined
        ? []
        : [{ name: hook.urlEnv, from: `deliver.webhooks.${i}.urlEnv`, used: true, header: false }]),
      ...Object.entries(hook.headersEnv).map(([header, name]) => ({
        name,
        from: `deliver.webhooks.${i}.headersEnv.${header}`,
        used: true,
        header: true,
      })),
    ]),
  ];
  const seen = new Set<string>();
  return uses.filter((u) => !seen.has(u.name) && seen.add(u.name));
}

/**
 * The secrets this config would send in an HTTP header, each checked where the workspace is loaded
 * (config/parse.ts `checkEnvSecrets`): the LLM key (unless the provider is offline), Slack's bot
 * token (when Slack is configured), the webhooks' secret headers, Semantic Scholar's key and
 * GitHub's token (whenever set: nothing else reads them).
 */
export function headerSecrets(config: Config): { name: string; from: string }[] {
  return [
    ...secretsOf(config, true).filter((s) => s.used && s.header),
    { name: GITHUB_TOKEN_ENV, from: "feedback sync" },
  ];
}

/**
 * The redaction step for a config and its environment: every variable the config reads a secret
 * from, whatever its name, and whatever else looks like one.
 */
export function configRedactor(config: Config, env: Readonly<Record<string, string | undefined>>): Redactor {
  return createRedactor(
    secretsInEnv(
      env,
      secretsOf(config).map((s) => s.name),
    ),
  );
}

/**
 * The `env:` lines of a workflow step that runs arxiv-digest: each secret under its own name, and
 * OPENAI_BASE_URL (a variable or a secret) after the LLM key. A name GitHub would not accept as a
 * secret's is the user's to change (exit 2).
 */
export function secretsEnvBlock(config: Config): string {
  const lines: string[] = [];
  for (const { name, from } of secretsOf(config)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || /^GITHUB_/i.test(name))
      throw new UserError(
        `${from} is "${name}", which cannot be a GitHub secret's name (letters, digits and underscores, not starting with a digit or GITHUB_); rename it in arxiv-digest.yaml.`,
      );
    lines.push(`${name}: \${{ secrets.${name} }}`);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a JS template.
    if (from === "llm.apiKeyEnv") lines.push("OPENAI_BASE_URL: ${{ vars.OPENAI_BASE_URL || secrets.OPENAI_BASE_URL }}");
  }
  return lines.join("\n");
}
