/**
 * `arxiv-digest doctor`: checks a workspace before the first real run and says what to fix:
 * config and prompts, followed authors, keys, that each endpoint answers, that the model is priced.
 * Each check is a small named function; `doctor` runs the offline ones, then the network ones.
 */
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import nodemailer from "nodemailer";
import { parse as parseYaml } from "yaml";
import { feedUrl } from "../arxiv/fetch-feeds.js";
import { parseFollowedAuthors } from "../authors/followed.js";
import { ConfigError } from "../config/parse.js";
import { smtpTransportOptions } from "../deliver/email.js";
import { planDeliveries } from "../deliver/plan.js";
import { systemClock } from "../io/clock.js";
import { priceFor } from "../llm/prices.js";
import { type JudgeMode, judgeMode } from "../selection/judge.js";
import { stateDirOf } from "../site/manifest.js";
import { DAILY_WORKFLOW } from "../workspace/init.js";
import { loadWorkspace, NotAWorkspaceError, type Workspace } from "../workspace/load.js";
import { createArxivClient, type PipelineContext, silentLogger, workspaceRedactor } from "./context.js";
import { apiKeyOf } from "./judge.js";

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

/** What every check looks at: the loaded workspace and how a run would judge papers. */
interface Subject {
  ws: Workspace;
  /** The LLM key the config names, trimmed; null when unset or blank. */
  key: string | null;
  mode: JudgeMode;
  fetchImpl?: typeof fetch;
}

/** A check that reads only the workspace; it may yield no check at all (nothing to say). */
type OfflineCheck = (s: Subject) => Check[];
/** A check that talks to an endpoint; null when it does not apply to this workspace. */
type NetworkCheck = (s: Subject) => Promise<Check> | null;

function check(level: CheckLevel, what: string, detail: string): Check {
  return { level, what, detail };
}

/**
 * Runs one endpoint check. A failure names the endpoint (`url`) unless the error already does, so
 * "fetch failed" never stands alone; the report is redacted afterwards, so a URL's credentials go.
 */
async function probe(what: string, url: string, run: () => Promise<string>, fix: string): Promise<Check> {
  try {
    return check("ok", what, await run());
  } catch (err) {
    const message = errorText(err);
    const named = message.includes(url) ? message : `could not reach ${url}: ${message}`;
    return check("fail", what, `${named} ${fix}`);
  }
}

/** An error's message with its network cause (`fetch failed` says nothing; ECONNREFUSED does). */
function errorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause as { code?: unknown; message?: unknown } | undefined;
  const detail = typeof cause?.code === "string" ? cause.code : typeof cause?.message === "string" ? cause.message : "";
  return detail && !err.message.includes(detail) ? `${err.message} (${detail})` : err.message;
}

const checkConfig: OfflineCheck = ({ ws }) => [
  check(
    "ok",
    "config",
    `${ws.configPath} is valid (${ws.config.arxiv.categories.join(", ")}; ${ws.config.topics.length} topics).`,
  ),
];

const checkPrompts: OfflineCheck = ({ ws }) =>
  Object.entries(ws.promptPaths).map(([name, path]) =>
    path.startsWith(ws.dir)
      ? check("ok", `prompt ${name}`, path)
      : check("warn", `prompt ${name}`, `using the bundled default (${path}); copy it to prompts/ to edit it.`),
  );

const checkAuthors: OfflineCheck = ({ ws }) => {
  try {
    const followed = parseFollowedAuthors(ws.authorsText, ws.authorsPath);
    return [check("ok", "authors", `${followed.length} followed authors in ${ws.authorsPath}.`)];
  } catch (err) {
    return [check("fail", "authors", (err as Error).message)];
  }
};

const checkContact: OfflineCheck = ({ ws }) =>
  ws.config.arxiv.contact
    ? []
    : [
        check(
          "warn",
          "arxiv.contact",
          "No contact is set; arXiv asks clients to name one in the User-Agent. Set arxiv.contact to your email.",
        ),
      ];

const checkLlmKey: OfflineCheck = ({ ws, mode }) => {
  const { apiKeyEnv, model } = ws.config.llm;
  switch (mode) {
    case "missing-key":
      return [
        check(
          "fail",
          "LLM key",
          `llm.provider is openai but ${apiKeyEnv} is not set. Put it in .env or the environment (a GitHub secret in Actions).`,
        ),
      ];
    case "offline":
      return [
        check(
          "warn",
          "LLM key",
          `${apiKeyEnv} is not set: papers will be scored by the offline lexical scorer. Set it to use ${model}.`,
        ),
      ];
    case "llm":
      return [check("ok", "LLM key", `${apiKeyEnv} is set.`)];
  }
};

const checkPrice: OfflineCheck = ({ ws, mode }) => {
  if (mode === "offline") return [];
  const { model, prices, budgetUsd } = ws.config.llm;
  const price = priceFor(model, prices);
  const budget = budgetUsd === undefined ? "" : " and llm.budgetUsd cannot limit its calls";
  return [
    price
      ? check(
          "ok",
          "price",
          `${model}: $${price.input}/M input, $${price.cachedInput}/M cached, $${price.output}/M output.`,
        )
      : check(
          "warn",
          "price",
          `${model} is not in the price table: costs will show as "unpriced"${budget}. Add it under llm.prices.`,
        ),
  ];
};

const checkDeliveries: OfflineCheck = ({ ws }) =>
  planDeliveries(ws.config.deliver, ws.env).map((plan) => {
    const what = `deliver ${plan.channel} (${plan.target})`;
    return "problem" in plan ? check("fail", what, plan.problem) : check("ok", what, "configured, secrets present.");
  });

/** Loopback and unspecified hosts: a link to them works on this machine only. */
function isLocalHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h.endsWith(".localhost") || /^127\./.test(h) || h === "::1" || h === "0.0.0.0";
}

/** Deliveries link to the day's page on the site: a localhost base URL makes every link dead. */
const checkSiteUrl: OfflineCheck = ({ ws }) => {
  const { baseUrl } = ws.config.site;
  if (planDeliveries(ws.config.deliver, ws.env).length === 0) return [];
  let local: boolean;
  try {
    local = isLocalHost(new URL(baseUrl).hostname);
  } catch {
    return [check("warn", "site.baseUrl", `${baseUrl} is not a URL; the links in deliveries will not work.`)];
  }
  return local
    ? [
        check(
          "warn",
          "site.baseUrl",
          `${baseUrl} is a local address, but a delivery channel is configured: the links in its messages would be dead for every reader. Set site.baseUrl to the site's public address (e.g. https://<user>.github.io/<repo>/).`,
        ),
      ]
    : [];
};

/**
 * The daily workflow of an older version may keep the built site between runs without its build
 * state: then every day's `site --changed` finds no state and quietly builds everything again.
 */
const checkWorkflow: OfflineCheck = ({ ws }) => {
  let workflow: unknown;
  try {
    workflow = parseYaml(readFileSync(join(ws.dir, DAILY_WORKFLOW), "utf8"));
  } catch {
    return [];
  }
  const { outDir } = ws.config.site;
  const state = basename(stateDirOf(outDir));
  const restored = restoredPaths(workflow);
  if (!restored.includes(outDir.replace(/\/$/, "")) || restored.includes(state)) return [];
  return [
    check(
      "warn",
      "daily workflow",
      `${DAILY_WORKFLOW} keeps the built site between runs but not its build state (${state}), so every day's publish builds the whole site again. \`arxiv-digest init --workflows\` writes this version's workflows; review them with git diff and commit.`,
    ),
  ];
};

/** The paths the `actions/cache/restore` steps of a workflow's jobs restore. */
function restoredPaths(workflow: unknown): string[] {
  const jobs = (workflow as { jobs?: Record<string, { steps?: unknown }> } | null)?.jobs ?? {};
  const paths: string[] = [];
  for (const job of Object.values(jobs)) {
    if (!Array.isArray(job?.steps)) continue;
    for (const step of job.steps as { uses?: unknown; with?: { path?: unknown } }[]) {
      if (typeof step?.uses !== "string" || !step.uses.startsWith("actions/cache/restore@")) continue;
      if (typeof step.with?.path !== "string") continue;
      paths.push(...step.with.path.split("\n").map((p) => p.trim().replace(/\/$/, "")));
    }
  }
  return paths.filter(Boolean);
}

const checkArxivFeed: NetworkCheck = ({ ws, fetchImpl }) => {
  const cfg = ws.config;
  const ctx: PipelineContext = {
    workspace: { ...ws, config: { ...cfg, arxiv: { ...cfg.arxiv, retries: 0 } } },
    clock: systemClock,
    log: silentLogger,
    ...(fetchImpl ? { fetchImpl } : {}),
  };
  const client = createArxivClient(ctx);
  const rss = feedUrl(cfg.arxiv, cfg.arxiv.categories);
  return probe(
    "arXiv feed",
    rss,
    async () => `${rss} answered (${(await client.get(rss)).body.length} bytes).`,
    "Check arxiv.rssUrl / ARXIV_RSS_URL and the network.",
  );
};

const checkLlmEndpoint: NetworkCheck = ({ ws, key, mode, fetchImpl }) => {
  if (mode === "offline") return null;
  const base = (ws.config.llm.baseUrl ?? "https://api.openai.com/v1").replace(/\/$/, "");
  return probe(
    "LLM endpoint",
    `${base}/models`,
    async () => {
      const res = await (fetchImpl ?? fetch)(`${base}/models`, {
        headers: { authorization: `Bearer ${key ?? ""}` },
        signal: AbortSignal.timeout(15_000),
      });
      if (res.status === 401 || res.status === 403) throw new Error(`${base} refused the key (HTTP ${res.status}).`);
      if (!res.ok) throw new Error(`${base}/models answered HTTP ${res.status}.`);
      return `${base} accepted the key.`;
    },
    "Check llm.baseUrl / OPENAI_BASE_URL and the key.",
  );
};

const checkSmtp: NetworkCheck = ({ ws }) => {
  const email = ws.config.deliver.email;
  if (!email) return null;
  return probe(
    "SMTP",
    `${email.host}:${email.port}`,
    async () => {
      const t = nodemailer.createTransport(smtpTransportOptions(email, ws.env[email.passwordEnv]));
      await t.verify();
      t.close();
      return `${email.host}:${email.port} accepted the connection${email.user ? " and the login" : ""}.`;
    },
    "Check deliver.email host, port and tls (465 = implicit TLS, 587 = starttls).",
  );
};

const offlineChecks: OfflineCheck[] = [
  checkConfig,
  checkPrompts,
  checkAuthors,
  checkContact,
  checkLlmKey,
  checkPrice,
  checkDeliveries,
  checkSiteUrl,
  checkWorkflow,
];
const networkChecks: NetworkCheck[] = [checkArxivFeed, checkLlmEndpoint, checkSmtp];

export async function doctor(opts: DoctorOptions): Promise<Check[]> {
  let ws: Workspace;
  try {
    ws = loadWorkspace(opts.workspaceDir, opts.env ?? process.env, { requireConfig: true });
  } catch (err) {
    // No workspace at all is a usage mistake (exit 2), not a check to report.
    if (err instanceof ConfigError && !(err instanceof NotAWorkspaceError))
      return [check("fail", "config", err.message)];
    throw err;
  }
  const key = apiKeyOf(ws.config.llm, ws.env);
  const subject: Subject = {
    ws,
    key,
    mode: judgeMode(ws.config.llm, key),
    ...(opts.fetchImpl ? { fetchImpl: opts.fetchImpl } : {}),
  };
  const checks = offlineChecks.flatMap((run) => run(subject));
  if (!opts.offline) {
    // One endpoint at a time, in order: the report reads top to bottom.
    for (const run of networkChecks) {
      const pending = run(subject);
      if (pending) checks.push(await pending);
    }
  }
  // The report is printed and often pasted into an issue: no secret or URL credential in it.
  const redact = workspaceRedactor(ws);
  return checks.map((c) => ({ ...c, detail: redact(c.detail) }));
}
