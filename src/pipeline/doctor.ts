/**
 * `arxiv-digest doctor`: checks a workspace before the first real run and says what to fix:
 * config and prompts, followed authors, keys, that each endpoint answers, that the model is priced.
 */
import nodemailer from "nodemailer";
import { feedUrl } from "../arxiv/fetch-feeds.js";
import { parseFollowedAuthors } from "../authors/followed.js";
import { ConfigError, loadWorkspace, type Workspace } from "../config/load.js";
import { smtpTransportOptions } from "../deliver/email.js";
import { planDeliveries } from "../deliver/plan.js";
import { systemClock } from "../io/clock.js";
import { priceFor } from "../llm/prices.js";
import { createArxivClient, type PipelineContext, silentLogger } from "./context.js";

export type CheckLevel = "ok" | "warn" | "fail";
export interface Check {
  level: CheckLevel;
  what: string;
  detail: string;
}

export interface DoctorOptions {
  workspaceDir: string;
  env?: Record<string, string | undefined>;
  /** Skip the checks that need the network. */
  offline?: boolean;
  fetchImpl?: typeof fetch;
}

function check(level: CheckLevel, what: string, detail: string): Check {
  return { level, what, detail };
}

async function probe(what: string, run: () => Promise<string>, fix: string): Promise<Check> {
  try {
    return check("ok", what, await run());
  } catch (err) {
    return check("fail", what, `${(err as Error).message} ${fix}`);
  }
}

export async function doctor(opts: DoctorOptions): Promise<Check[]> {
  let ws: Workspace;
  try {
    ws = loadWorkspace(opts.workspaceDir, opts.env ?? process.env);
  } catch (err) {
    if (err instanceof ConfigError) return [check("fail", "config", err.message)];
    throw err;
  }
  const checks: Check[] = [];
  const cfg = ws.config;
  checks.push(
    check(
      "ok",
      "config",
      `${ws.configPath} is valid (${cfg.arxiv.categories.join(", ")}; ${cfg.topics.length} topics).`,
    ),
  );
  for (const [name, path] of Object.entries(ws.promptPaths)) {
    const own = path.startsWith(ws.dir);
    checks.push(
      check(
        own ? "ok" : "warn",
        `prompt ${name}`,
        own ? path : `using the bundled default (${path}); copy it to prompts/ to edit it.`,
      ),
    );
  }
  try {
    const followed = parseFollowedAuthors(ws.authorsText, ws.authorsPath);
    checks.push(check("ok", "authors", `${followed.length} followed authors in ${ws.authorsPath}.`));
  } catch (err) {
    checks.push(check("fail", "authors", (err as Error).message));
  }
  if (!cfg.arxiv.contact) {
    checks.push(
      check(
        "warn",
        "arxiv.contact",
        "No contact is set; arXiv asks clients to name one in the User-Agent. Set arxiv.contact to your email.",
      ),
    );
  }

  const key = ws.env[cfg.llm.apiKeyEnv]?.trim();
  const offline = cfg.llm.provider === "offline" || (cfg.llm.provider === "auto" && !key);
  if (cfg.llm.provider === "openai" && !key) {
    checks.push(
      check(
        "fail",
        "LLM key",
        `llm.provider is openai but ${cfg.llm.apiKeyEnv} is not set. Put it in .env or the environment (a GitHub secret in Actions).`,
      ),
    );
  } else if (offline) {
    checks.push(
      check(
        "warn",
        "LLM key",
        `${cfg.llm.apiKeyEnv} is not set: papers will be scored by the offline lexical scorer. Set it to use ${cfg.llm.model}.`,
      ),
    );
  } else {
    checks.push(check("ok", "LLM key", `${cfg.llm.apiKeyEnv} is set.`));
  }
  if (!offline) {
    const price = priceFor(cfg.llm.model, cfg.llm.prices);
    checks.push(
      price
        ? check(
            "ok",
            "price",
            `${cfg.llm.model}: $${price.input}/M input, $${price.cachedInput}/M cached, $${price.output}/M output.`,
          )
        : check(
            "warn",
            "price",
            `${cfg.llm.model} is not in the price table: costs will show as "unpriced". Add it under llm.prices.`,
          ),
    );
  }

  const d = cfg.deliver;
  for (const plan of planDeliveries(d, ws.env)) {
    const what = `deliver ${plan.channel} (${plan.target})`;
    checks.push(
      "problem" in plan ? check("fail", what, plan.problem) : check("ok", what, "configured, secrets present."),
    );
  }

  if (opts.offline) return checks;
  const ctx: PipelineContext = {
    workspace: { ...ws, config: { ...cfg, arxiv: { ...cfg.arxiv, retries: 0 } } },
    clock: systemClock,
    log: silentLogger,
    ...(opts.fetchImpl ? { fetchImpl: opts.fetchImpl } : {}),
  };
  const client = createArxivClient(ctx);
  const rss = feedUrl(cfg.arxiv, cfg.arxiv.categories);
  checks.push(
    await probe(
      "arXiv feed",
      async () => `${rss} answered (${(await client.get(rss)).body.length} bytes).`,
      "Check arxiv.rssUrl / ARXIV_RSS_URL and the network.",
    ),
  );
  if (!offline) {
    const base = (cfg.llm.baseUrl ?? "https://api.openai.com/v1").replace(/\/$/, "");
    checks.push(
      await probe(
        "LLM endpoint",
        async () => {
          const res = await (opts.fetchImpl ?? fetch)(`${base}/models`, {
            headers: { authorization: `Bearer ${key}` },
            signal: AbortSignal.timeout(15_000),
          });
          if (res.status === 401 || res.status === 403)
            throw new Error(`${base} refused the key (HTTP ${res.status}).`);
          if (!res.ok) throw new Error(`${base}/models answered HTTP ${res.status}.`);
          return `${base} accepted the key.`;
        },
        "Check llm.baseUrl / OPENAI_BASE_URL and the key.",
      ),
    );
  }
  if (d.email) {
    const email = d.email;
    checks.push(
      await probe(
        "SMTP",
        async () => {
          const t = nodemailer.createTransport(smtpTransportOptions(email, ws.env[email.passwordEnv]));
          await t.verify();
          t.close();
          return `${email.host}:${email.port} accepted the connection${email.user ? " and the login" : ""}.`;
        },
        "Check deliver.email host, port and tls (465 = implicit TLS, 587 = starttls).",
      ),
    );
  }
  return checks;
}
