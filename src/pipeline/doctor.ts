/**
 * `arxiv-digest doctor`: checks a workspace before the first real run and says what to fix:
 * config and prompts, followed authors, keys, that each endpoint answers, that the model is priced.
 * Each check is a small named function; `doctor` runs the offline ones, then the network ones.
 */

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import nodemailer from "nodemailer";
import { parse as parseYaml } from "yaml";
import { feedUrl } from "../arxiv/fetch-feeds.js";
import { parseFollowedAuthors, type RepeatedAuthor, readFollowedAuthors } from "../authors/followed.js";
import { ConfigError, EnvError, SITE_URL_ENV } from "../config/parse.js";
import { smtpTransportOptions } from "../deliver/email.js";
import { planDeliveries, slackBotTarget } from "../deliver/plan.js";
import { TransientError } from "../deliver/retry.js";
import {
  isSlackChannelId,
  type SlackBotTarget,
  type SlackChannelInfo,
  SlackSettingsError,
  type SlackTokenInfo,
  slackChannelInfo,
  slackTokenInfo,
} from "../deliver/slack.js";
import { explainSmtpError, SmtpSettingsError } from "../deliver/smtp-errors.js";
import { GitHubError, gitHubIdentity, gitHubTokenProblem } from "../feedback/github.js";
import { commandLine } from "../format/command.js";
import { plural } from "../format/text.js";
import { DEFAULT_SITE_BASE_URL } from "../format/url.js";
import { AnswerTooLargeError } from "../io/capped-body.js";
import { systemClock } from "../io/clock.js";
import { createRedactor, secretsInEnv } from "../io/redact.js";
import { type ModelList, readModelList } from "../llm/models.js";
import { priceFor } from "../llm/prices.js";
import { DESCRIPTION_WEIGHT } from "../selection/lexical.js";
import { demoFolderSentence } from "../workspace/demo-marker.js";
import { workflowSitePaths } from "../workspace/init.js";
import { DAILY_WORKFLOW, INSTALLING_WORKFLOWS, specLines, specProblem } from "../workspace/install-source.js";
import { loadWorkspace, NotAWorkspaceError, type Workspace } from "../workspace/load.js";
import { GITHUB_TOKEN_ENV, secretsOf } from "../workspace/workflow-secrets.js";
import { createArxivClient, type PipelineContext, silentLogger, workspaceRedactor } from "./context.js";
import {
  apiKeyOf,
  type JudgeMode,
  judgeMode,
  keyLookAlike,
  llmEndpointBase,
  lookAlikeKeys,
  lookAlikeProblem,
  MissingKeyError,
  placeholderKeyProblem,
  unlistedModels,
} from "./llm-key.js";
import { deliveryCredentials, gitHubCredential, placeholderProblem, s2Credential } from "./sent-secrets.js";

export type CheckLevel = "ok" | "warn" | "fail";
export interface Check {
  level: CheckLevel;
  what: string;
  detail: string;
  /**
   * A failed check of the workspace's own settings (the config, .env and the environment, the
   * keys, authors.txt, the delivery settings, the workflows' install line): a mistake the user
   * fixes, as the config and environment mistakes every other command stops on with exit 2, so
   * doctor exits 2 for it too. Set by `doctor` on every failed offline check, and on an SMTP server
   * that answered and refused the settings (the login, the TLS mode), and on a model the LLM
   * endpoint's authoritative list lacks (as `run` stops on it); any other failed endpoint check
   * (arXiv, the LLM endpoint, an SMTP server not reached) has it unset: exit 1.
   */
  usage?: true;
}

export interface DoctorOptions {
  workspaceDir: string;
  env?: Record<string, string | undefined>;
  /** Skip the checks that need the network. */
  offline?: boolean;
  fetchImpl?: typeof fetch;
  /** The folder as the command line named it, for the commands the checks suggest (`Workspace.named`). */
  named?: string;
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
/** A check that talks to an endpoint (one or more results); null when it does not apply to this workspace. */
type NetworkCheck = (s: Subject) => Promise<Check | Check[]> | null;

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

/**
 * A topic without include terms still works, but weakly, which nothing else would tell the reader:
 * the offline scorer's BM25 (also the prefilter's topic score) then has only the topic's
 * distinctive description words, each at DESCRIPTION_WEIGHT of an include term (selection/lexical.ts).
 */
const checkTopicTerms: OfflineCheck = ({ ws }) =>
  ws.config.topics
    .filter((t) => !t.include.some((term) => /[\p{L}\p{N}]/u.test(term)))
    .map((t) =>
      check(
        "warn",
        `topic ${t.id}`,
        `topic "${t.id}" has no include terms, so the offline scorer and the prefilter's topic score match only the distinctive words of its description, each at ${DESCRIPTION_WEIGHT} of an include term (an offline day seldom rates its papers up to the cut-off), and the prefilter's topic similarity has only its title and description; list under include the phrases a paper on it would use.`,
      ),
    );

const checkPrompts: OfflineCheck = ({ ws }) =>
  Object.entries(ws.promptPaths).map(([name, path]) =>
    path.startsWith(ws.dir)
      ? check("ok", `prompt ${name}`, path)
      : check("warn", `prompt ${name}`, `using the bundled default (${path}); copy it to prompts/ to edit it.`),
  );

const checkAuthors: OfflineCheck = ({ ws }) => {
  try {
    if (!existsSync(ws.authorsPath))
      return [
        check(
          "ok",
          "authors",
          `no ${ws.authorsPath}: no followed authors (one name per line there puts their papers first).`,
        ),
      ];
    const { followed, repeated } = readFollowedAuthors(ws.authorsText, ws.authorsPath);
    // A person listed twice is followed once, as one line writes them; the other is the user's to delete.
    // The first few such lines are worded one by one, the rest (a file pasted in twice) in one warning.
    const worded = repeated.length > REPEATS_WORDED + 1 ? repeated.slice(0, REPEATS_WORDED) : repeated;
    const repeats = worded.map((r) => check("warn", "authors", repeatedAuthorSentence(ws.authorsPath, r)));
    if (worded.length < repeated.length) {
      const more = repeated.slice(worded.length).map((r) => r.again.line);
      repeats.push(check("warn", "authors", moreRepeatedLinesSentence(ws.authorsPath, more)));
    }
    return [check("ok", "authors", `${plural(followed.length, "followed author")} in ${ws.authorsPath}.`), ...repeats];
  } catch (err) {
    return [check("fail", "authors", (err as Error).message)];
  }
};

/** How many lines repeating a person `doctor` words one by one; the rest are named in one warning. */
export const REPEATS_WORDED = 5;

/**
 * The lines of authors.txt that repeat a person, past those worded one by one: how many, and which
 * (`lines 7–10000`), to delete.
 */
export function moreRepeatedLinesSentence(path: string, lines: readonly number[]): string {
  return `${path}: … and ${plural(lines.length, "more line")} repeat a person already listed (${lineRanges(lines)}); delete them: each person stays followed, once.`;
}

/**
 * Line numbers (ascending) as runs: `lines 7–9, 12 and 15–40`; of more than 7 runs, the first 6
 * and the last (`lines 2, 4, 6, 8, 10, 12, …, 20000`): the count beside it says how many there are.
 */
function lineRanges(lines: readonly number[]): string {
  const runs: [number, number][] = [];
  for (const line of lines) {
    const last = runs.at(-1);
    if (last !== undefined && line === last[1] + 1) last[1] = line;
    else runs.push([line, line]);
  }
  const text = runs.map(([from, to]) => (from === to ? `${from}` : `${from}–${to}`));
  const named =
    text.length === 1
      ? text[0]
      : text.length <= 7
        ? `${text.slice(0, -1).join(", ")} and ${text.at(-1)}`
        : `${text.slice(0, 6).join(", ")}, …, ${text.at(-1)}`;
  return `${lines.length === 1 ? "line" : "lines"} ${named}`;
}

/**
 * Two lines of authors.txt naming one person: both lines, the one followed and the one to delete
 * (the one without the Semantic Scholar id, else the shorter spelling, else the later), and what an
 * abbreviated given name does to matching.
 */
export function repeatedAuthorSentence(path: string, r: RepeatedAuthor): string {
  const { kept, again } = r;
  const why =
    kept.s2Id !== undefined && again.s2Id === undefined
      ? "the one without the Semantic Scholar id"
      : again.line > kept.line
        ? "the later one"
        : "the shorter spelling";
  const same = r.sharedId === undefined ? "" : ` (both give Semantic Scholar id ${r.sharedId})`;
  const widens = kept.abbreviated
    ? ` "${kept.name}" abbreviates a given name, so it also matches other authors of that initial and surname; write the name out in full on line ${kept.line}.`
    : again.abbreviated
      ? ` "${again.name}" abbreviates a given name: as a line of its own it would also match other authors of that initial and surname.`
      : "";
  return `${path}: line ${again.line} ("${again.name}") names the person of line ${kept.line} ("${kept.name}")${same}; they are followed once, as line ${kept.line} writes them, so delete line ${again.line} (${why}).${widens}`;
}

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
      return [check("fail", "LLM key", new MissingKeyError(apiKeyEnv, keyLookAlike(ws)).message)];
    case "offline": {
      // A key set under another name: scoring offline would be the mistake, not the choice.
      // Failed on one in the workspace's .env, this tool's own secrets; a shell's variable may be another tool's.
      const lookAlike = lookAlikeProblem(ws);
      if (lookAlike !== null) {
        return [check(lookAlikeKeys(ws).some((k) => k.inDotenv) ? "fail" : "warn", "LLM key", lookAlike)];
      }
      // The offline scorer chosen in the config needs no key: nothing to warn about.
      if (ws.config.llm.provider === "offline") {
        return [check("ok", "LLM key", "none needed: llm.provider is offline, so the free lexical scorer judges.")];
      }
      return [
        check(
          "warn",
          "LLM key",
          `${apiKeyEnv} is not set: papers will be scored by the offline lexical scorer. Set it to use ${model}.`,
        ),
      ];
    }
    case "llm": {
      // As `run` refuses it: a placeholder sent to an endpoint off this machine.
      const placeholder = placeholderKeyProblem(ws);
      if (placeholder !== null) return [check("fail", "LLM key", placeholder)];
      return [check("ok", "LLM key", `${apiKeyEnv} is set.`)];
    }
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

const checkDeliveries: OfflineCheck = ({ ws }) => {
  const credentials = deliveryCredentials(ws);
  return planDeliveries(ws.config.deliver, ws.env).map((plan) => {
    const what = `deliver ${plan.channel} (${plan.target})`;
    if ("problem" in plan) return check("fail", what, plan.problem);
    // As `run` and `deliver` refuse it: a credential of this delivery left as a placeholder.
    const placeholder = credentials
      .filter((c) => c.channel === plan.channel && c.target === plan.target)
      .map((c) => placeholderProblem(ws, c))
      .find((p) => p !== null);
    if (placeholder !== undefined) return check("fail", what, placeholder);
    return plan.warning === undefined
      ? check("ok", what, "configured, secrets present.")
      : check("warn", what, plan.warning);
  });
};

/** Semantic Scholar's key, when authors.txt follows someone by id and the key is set: a placeholder fails, as `run` refuses it. */
const checkS2Key: OfflineCheck = ({ ws }) => {
  if (!followsByS2Id(ws)) return [];
  const placeholder = placeholderProblem(ws, s2Credential(ws));
  return placeholder === null ? [] : [check("fail", "Semantic Scholar key", placeholder)];
};

/** Loopback and unspecified hosts: a link to them works on this machine only. */
function isLocalHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h.endsWith(".localhost") || /^127\./.test(h) || h === "::1" || h === "0.0.0.0";
}

/** Deliveries link to the day's page on the site: a localhost base URL makes every link dead. */
const checkSiteUrl: OfflineCheck = ({ ws }) => {
  const { baseUrl } = ws.config.site;
  if (planDeliveries(ws.config.deliver, ws.env).length === 0) return [];
  // The config schema has checked it is an absolute http(s) URL.
  return isLocalHost(new URL(baseUrl).hostname)
    ? [
        check(
          "warn",
          "site.baseUrl",
          `${baseUrl} is a local address, but a delivery channel is configured: the links in its messages would be dead for every reader. Set site.baseUrl to the site's public address (e.g. https://<user>.github.io/<repo>/); the workflows \`init\` writes give their runs GitHub Pages' address in ${SITE_URL_ENV} while site.baseUrl is left at its default, so this is about runs elsewhere.`,
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
  const { dir, state } = workflowSitePaths(ws.config.site.outDir);
  const rewrite = `${commandLine("init --workflows", ws.named)} writes this version's workflows for this config; review them with git diff and commit.`;
  const uploaded = stepPaths(workflow, "actions/upload-pages-artifact@");
  if (uploaded.length > 0 && !uploaded.includes(dir))
    return [
      check(
        "warn",
        "daily workflow",
        `${DAILY_WORKFLOW} publishes ${uploaded.join(", ")}, but site.outDir builds the site into ${dir}, so Pages would get no site. ${rewrite}`,
      ),
    ];
  const restored = stepPaths(workflow, "actions/cache/restore@");
  if (!restored.includes(dir) || restored.includes(state)) return [];
  return [
    check(
      "warn",
      "daily workflow",
      `${DAILY_WORKFLOW} keeps the built site between runs but not its build state (${state}), so every day's publish builds the whole site again. ${rewrite}`,
    ),
  ];
};

/** The text of each workflow that installs arxiv-digest (daily, backfill) the workspace has. */
function installingWorkflows(ws: Workspace): { file: string; text: string }[] {
  return INSTALLING_WORKFLOWS.flatMap((file) => {
    try {
      return [{ file, text: readFileSync(join(ws.dir, file), "utf8") }];
    } catch {
      return [];
    }
  });
}

/** A Git install step whose spec cannot install (the placeholder owner, a local folder) fails the first run there. */
const checkInstallSpec: OfflineCheck = ({ ws }) =>
  installingWorkflows(ws).flatMap(({ file, text }) =>
    specLines(text).flatMap(({ line, spec }) => {
      const problem = specProblem(spec);
      return problem === null
        ? []
        : [
            check(
              "fail",
              "workflow install",
              `${file} line ${line}: spec="${spec}" ${problem}. Put the repository to install from there (github:<user>/<repo>#<commit or tag>).`,
            ),
          ];
    }),
  );

/**
 * GitHub hands a step only the secrets its `env:` names: a secret the config reads under another
 * name (llm.apiKeyEnv: DEEPSEEK_API_KEY, say) is missing on Actions, and the run quietly goes
 * without it (the offline scorer, no delivery).
 */
const checkWorkflowSecrets: OfflineCheck = ({ ws }) => {
  const workflows = installingWorkflows(ws);
  if (workflows.length === 0) return [];
  const needed = secretsOf(ws.config, followsByS2Id(ws)).filter((s) => s.used);
  return workflows.flatMap(({ file, text }) => {
    const passed = runStepEnv(text);
    if (passed === null) return [];
    return needed
      .filter((s) => !passed.has(s.name))
      .map((s) =>
        check(
          "warn",
          "workflow secrets",
          `${file} does not pass ${s.name} (${s.from}) to the step that runs arxiv-digest, so on GitHub Actions the run goes without it. Run ${commandLine("init --workflows", ws.named)} to write the secrets the config names, and add ${s.name} as a repository secret.`,
        ),
      );
  });
};

function followsByS2Id(ws: Workspace): boolean {
  try {
    return parseFollowedAuthors(ws.authorsText, ws.authorsPath).some((f) => f.s2Id !== undefined);
  } catch {
    return false;
  }
}

/** The `env:` names of a workflow's steps that run `arxiv-digest run` or `backfill`; null when it has none or does not parse. */
function runStepEnv(text: string): Set<string> | null {
  let workflow: unknown;
  try {
    workflow = parseYaml(text);
  } catch {
    return null;
  }
  const jobs = (workflow as { jobs?: Record<string, { steps?: unknown }> } | null)?.jobs ?? {};
  let found = false;
  const names = new Set<string>();
  for (const job of Object.values(jobs)) {
    if (!Array.isArray(job?.steps)) continue;
    for (const step of job.steps as { run?: unknown; env?: unknown }[]) {
      if (typeof step?.run !== "string" || !/\barxiv-digest (?:run|backfill)\b/.test(step.run)) continue;
      found = true;
      if (step.env && typeof step.env === "object") for (const name of Object.keys(step.env)) names.add(name);
    }
  }
  return found ? names : null;
}

/**
 * A workflow written before the workflows passed GitHub Pages' address publishes a site whose
 * canonical links, feeds and sitemap name localhost while site.baseUrl is left at its default.
 */
const checkWorkflowSiteUrl: OfflineCheck = ({ ws }) => {
  if (ws.config.site.baseUrl !== DEFAULT_SITE_BASE_URL) return [];
  const stale = installingWorkflows(ws)
    .filter(({ text }) => runStepEnv(text)?.has(SITE_URL_ENV) === false)
    .map(({ file }) => file);
  if (stale.length === 0) return [];
  return [
    check(
      "warn",
      "workflow site address",
      `${stale.join(" and ")} ${stale.length === 1 ? "does" : "do"} not pass GitHub Pages' address (${SITE_URL_ENV}), and site.baseUrl is left at ${DEFAULT_SITE_BASE_URL}: the published site's canonical links, feeds and sitemap, and the links in its messages, name that local address. Run ${commandLine("init --workflows", ws.named)} to write this version's workflows (review them with git diff and commit), or set site.baseUrl to the site's public address.`,
    ),
  ];
};

/** The paths the steps of a workflow's jobs that use `action` (cache restore, Pages upload) name. */
function stepPaths(workflow: unknown, action: string): string[] {
  const jobs = (workflow as { jobs?: Record<string, { steps?: unknown }> } | null)?.jobs ?? {};
  const paths: string[] = [];
  for (const job of Object.values(jobs)) {
    if (!Array.isArray(job?.steps)) continue;
    for (const step of job.steps as { uses?: unknown; with?: { path?: unknown } }[]) {
      if (typeof step?.uses !== "string" || !step.uses.startsWith(action)) continue;
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
  const rss = feedUrl(cfg.arxiv, cfg.arxiv.categories);
  return probe(
    "arXiv feed",
    rss,
    async () => `${rss} answered (${(await (await createArxivClient(ctx)).get(rss)).body.length} bytes).`,
    "Check arxiv.rssUrl / ARXIV_RSS_URL and the network.",
  );
};

// A placeholder key is never sent: the offline check of the key names it.
const checkLlmEndpoint: NetworkCheck = (s) =>
  s.mode === "offline" || placeholderKeyProblem(s.ws) !== null ? null : llmEndpoint(s);

/**
 * `GET /models` with the key: whether the endpoint answers, whether it takes the key (a refusal
 * names the variable the key came from), and whether it lists the configured model.
 */
async function llmEndpoint({ ws, key, fetchImpl }: Subject): Promise<Check[]> {
  const { apiKeyEnv } = ws.config.llm;
  const base = llmEndpointBase(ws.config.llm);
  const url = `${base}/models`;
  let res: Response;
  try {
    res = await (fetchImpl ?? fetch)(url, {
      headers: { authorization: `Bearer ${key ?? ""}` },
      signal: AbortSignal.timeout(15_000),
    });
  } catch (err) {
    const fix = "Check llm.baseUrl / OPENAI_BASE_URL and the network.";
    return [check("fail", "LLM endpoint", `could not reach ${url}: ${errorText(err)} ${fix}`)];
  }
  if (res.status === 401 || res.status === 403) {
    return [
      check(
        "fail",
        "LLM endpoint",
        `${base} refused the key in ${apiKeyEnv} (HTTP ${res.status}). Put a valid key for this endpoint in ${apiKeyEnv} (.env or the environment), or point llm.baseUrl / OPENAI_BASE_URL at the endpoint the key belongs to.`,
      ),
    ];
  }
  if (!res.ok) {
    return [check("fail", "LLM endpoint", `${url} answered HTTP ${res.status}. Check llm.baseUrl / OPENAI_BASE_URL.`)];
  }
  const accepted = check("ok", "LLM endpoint", `${base} accepted the key in ${apiKeyEnv}.`);
  let list: ModelList | null;
  try {
    list = await readModelList(res, url);
  } catch (err) {
    if (!(err instanceof AnswerTooLargeError)) throw err;
    return [
      accepted,
      check("warn", "LLM model", `${err.message}, so whether it lists ${ws.config.llm.model} is not checked.`),
    ];
  }
  // llm.model, and llm.triage.model when the triage has its own: each named by its key.
  // Where `run` stops on one, a settings mistake (exit 2) as there; elsewhere `run` warns and goes on.
  const models = unlistedModels(ws, list).map((unlisted) =>
    unlisted.stops
      ? { ...check("fail", "LLM model", unlisted.sentence), usage: true as const }
      : check("warn", "LLM model", unlisted.sentence),
  );
  return [accepted, ...models];
}

const checkSmtp: NetworkCheck = ({ ws }) => {
  const email = ws.config.deliver.email;
  // A placeholder password is never sent: the offline check of the delivery names it.
  const sent = deliveryCredentials(ws).filter((c) => c.channel === "email");
  if (sent.some((c) => placeholderProblem(ws, c) !== null)) return null;
  return email ? smtpLogin(email, ws.env[email.passwordEnv]) : null;
};

/**
 * Connects and logs in as a delivery would, each failure said as smtp-errors.ts (the one home of
 * SMTP error meanings) says it. A server that answered and refused the settings (the login, the
 * TLS mode) is the user's to fix, as any other setting (exit 2); an unreachable one is not (exit 1).
 */
async function smtpLogin(
  email: NonNullable<Workspace["config"]["deliver"]["email"]>,
  password?: string,
): Promise<Check> {
  const options = smtpTransportOptions(email, password);
  const where = `${email.host}:${email.port}`;
  const t = nodemailer.createTransport(options);
  try {
    await t.verify();
    return check("ok", "SMTP", `${where} accepted the connection${email.user ? " and the login" : ""}.`);
  } catch (err) {
    const explained = explainSmtpError(err, { ...email, secure: options.secure === true });
    if (explained instanceof SmtpSettingsError) return { ...check("fail", "SMTP", explained.message), usage: true };
    const said = explained.message.replace(/\.?$/, ".");
    // Most meanings name the setting to check; the rest (a timeout, a dropped connection) get the usual three.
    const fix = said.includes("deliver.email")
      ? ""
      : " Check deliver.email host, port and tls (465 = implicit TLS, 587 = starttls) and the network.";
    return check("fail", "SMTP", `${said}${fix}`);
  } finally {
    t.close();
  }
}

const checkSlackBot: NetworkCheck = ({ ws, fetchImpl }) => {
  const slack = ws.config.deliver.slack;
  const target = slack === undefined ? null : slackBotTarget(slack, ws.env);
  // A placeholder is never sent: the offline check of the delivery names it.
  const sent = deliveryCredentials(ws).filter((c) => c.channel === "slack");
  if (sent.some((c) => placeholderProblem(ws, c) !== null)) return null;
  return target === null ? null : slackBot(target, fetchImpl ?? fetch);
};

/** The scope that lets the bot post. */
const POST_SCOPE = "chat:write";

/**
 * Slack bot mode, asked as a delivery would be: whether Slack takes the token (`auth.test`),
 * whether it carries the scopes a delivery needs (from the answer's `x-oauth-scopes` header), and
 * whether the bot can post to the channel (`conversations.info`, for a channel given by its ID).
 * A refusal of the settings (the token, a scope, the channel) is the user's to fix (exit 2); a
 * Slack that did not answer is an endpoint failure (exit 1).
 */
async function slackBot(target: SlackBotTarget, fetchImpl: typeof fetch): Promise<Check[]> {
  const ctx = { fetchImpl, nowMs: systemClock.now() };
  const unreachable = (what: string, err: unknown): Check => {
    if (err instanceof SlackSettingsError) return { ...check("fail", what, err.message), usage: true };
    const where = `deliver.slack.apiUrl (${target.apiUrl})`;
    const fix = err instanceof TransientError ? `Check ${where} and the network.` : `Check ${where}.`;
    return check("fail", what, `${errorText(err).replace(/\.?$/, ".")} ${fix}`);
  };
  let token: SlackTokenInfo;
  try {
    token = await slackTokenInfo(target, ctx);
  } catch (err) {
    return [unreachable("Slack token", err)];
  }
  const who = [token.user && `bot ${token.user}`, token.team && `workspace ${token.team}`].filter(Boolean).join(", ");
  const checks = [
    check("ok", "Slack token", `Slack accepted the token in ${target.tokenEnv}${who ? ` (${who})` : ""}.`),
  ];

  let channel: SlackChannelInfo | null = null;
  let channelCheck: Check;
  if (!isSlackChannelId(target.channel)) {
    channelCheck = check(
      "warn",
      "Slack channel",
      `not checked: deliver.slack.channel is "${target.channel}", a name, and Slack looks a channel up by its ID only. Posting by name works, but a summary whose answer from Slack was lost cannot be looked for before it is posted again; set deliver.slack.channel to the channel's ID (C…, in the channel's details in Slack).`,
    );
  } else {
    try {
      channel = await slackChannelInfo(target, ctx);
      channelCheck = slackChannelCheck(target, channel, token.scopes);
    } catch (err) {
      channelCheck = unreachable("Slack channel", err);
    }
  }
  const history = channel !== null && "id" in channel ? (channel.historyScope ?? null) : null;
  return [...checks, slackScopesCheck(target, token.scopes, history), channelCheck];
}

/**
 * The token's scopes: no chat:write fails (nothing can be posted); no scope to read the channel's
 * history is a warning, since only a lost answer needs it. `history` is the scope the channel
 * wants when known (groups:history for a private one), else either history scope will do.
 */
function slackScopesCheck(target: SlackBotTarget, scopes: string[] | null, history: string | null): Check {
  const add = `add it under "OAuth & Permissions" → Bot Token Scopes in your Slack app's settings and reinstall the app to the workspace (should Slack then show a new Bot User OAuth Token, put it in ${target.tokenEnv})`;
  if (scopes === null)
    return check(
      "warn",
      "Slack scopes",
      `Slack did not say which scopes the token in ${target.tokenEnv} has (no x-oauth-scopes header), so they were not checked; the bot needs ${POST_SCOPE}, and channels:history (groups:history for a private channel) to rule out duplicate posts.`,
    );
  if (!scopes.includes(POST_SCOPE))
    return {
      ...check(
        "fail",
        "Slack scopes",
        `the token in ${target.tokenEnv} lacks the ${POST_SCOPE} scope, so the bot cannot post (it has ${scopes.join(", ") || "none"}); ${add}.`,
      ),
      usage: true,
    };
  const wanted = history === null ? ["channels:history", "groups:history"] : [history];
  const read = wanted.find((s) => scopes.includes(s));
  if (read === undefined) {
    const scope = history ?? "channels:history (groups:history for a private channel)";
    return check(
      "warn",
      "Slack scopes",
      `the token in ${target.tokenEnv} has ${POST_SCOPE} but not ${scope}: when Slack's answer to a post is lost (a timeout, a dropped connection), the bot cannot look for the message in the channel, so the retry may post it a second time. To rule that out, ${add.replace(/^add it/, `add ${scope}`)}.`,
    );
  }
  return check("ok", "Slack scopes", `the token has ${POST_SCOPE} and ${read}.`);
}

/** What `conversations.info` said of the channel, as a check. */
function slackChannelCheck(target: SlackBotTarget, channel: SlackChannelInfo, scopes: string[] | null): Check {
  if ("missingScope" in channel)
    return check(
      "warn",
      "Slack channel",
      `not checked: Slack says whether the bot can post to ${target.channel} only to a token with ${channel.missingScope}, and the token in ${target.tokenEnv} has neither; the first delivery will tell.`,
    );
  const name = channel.name === undefined ? channel.id : `#${channel.name} (${channel.id})`;
  if (channel.isArchived)
    return {
      ...check(
        "fail",
        "Slack channel",
        `${name} is archived, so nothing can be posted there; unarchive it or set deliver.slack.channel to another channel's ID.`,
      ),
      usage: true,
    };
  if (channel.isMember === false) {
    const invite = `type /invite @<your app> in ${name}`;
    return scopes?.includes("chat:write.public") === true
      ? check(
          "warn",
          "Slack channel",
          `the bot is not a member of ${name}: it may post there (chat:write.public), but it cannot read the channel back to look for a message whose answer was lost; ${invite}.`,
        )
      : {
          ...check(
            "fail",
            "Slack channel",
            `the bot is not a member of ${name}, so Slack refuses its posts; ${invite}.`,
          ),
          usage: true,
        };
  }
  return check("ok", "Slack channel", `the bot can post to ${name}.`);
}

/**
 * The demo's folder, which `run` and `backfill` refuse: a warning (the demo itself invites
 * `doctor` there) saying how to make it one's own (workspace/demo-marker.ts).
 */
const checkDemoFolder: OfflineCheck = ({ ws }) => {
  const sentence = demoFolderSentence(ws, "`run` and `backfill` fetch nothing into it");
  return sentence === null ? [] : [check("warn", "demo folder", sentence)];
};

/** The token `feedback sync` reads, when feedback.github is set: trimmed, or null when unset or blank. */
function gitHubToken(ws: Workspace): string | null {
  return ws.config.feedback.github ? ws.env[GITHUB_TOKEN_ENV]?.trim() || null : null;
}

/**
 * With feedback.github set, `feedback sync` needs GitHub's token: present, and shaped as GitHub
 * issues them. Missing is a warning, not a failure: the daily workflow passes its own token, and
 * only a sync from this machine needs one here.
 */
const checkGitHubToken: OfflineCheck = ({ ws }) => {
  const repo = ws.config.feedback.github;
  if (!repo) return [];
  const token = gitHubToken(ws);
  const what = "GitHub token";
  if (token === null)
    return [
      check(
        "warn",
        what,
        `${GITHUB_TOKEN_ENV} is not set, so ${commandLine("feedback sync", ws.named)} cannot read the site's feedback issues of ${repo} (feedback.github) from here; the daily workflow passes its own token. To sync from this machine, put a token that can read and close issues of ${repo} in ${GITHUB_TOKEN_ENV} (.env or the environment).`,
      ),
    ];
  // As `feedback sync` refuses it: a placeholder, named as one rather than by its shape.
  const placeholder = placeholderProblem(ws, gitHubCredential(ws, repo));
  if (placeholder !== null) return [check("fail", what, placeholder)];
  const problem = gitHubTokenProblem(token);
  return [
    problem === null
      ? check("ok", what, `${GITHUB_TOKEN_ENV} is set (feedback sync of ${repo}).`)
      : check(
          "fail",
          what,
          `${GITHUB_TOKEN_ENV} ${problem}; set it to a token that can read and close issues of ${repo} (feedback.github), exactly as GitHub issued it.`,
        ),
  ];
};

const offlineChecks: OfflineCheck[] = [
  checkDemoFolder,
  checkConfig,
  checkTopicTerms,
  checkPrompts,
  checkAuthors,
  checkContact,
  checkLlmKey,
  checkPrice,
  checkDeliveries,
  checkS2Key,
  checkGitHubToken,
  checkSiteUrl,
  checkWorkflow,
  checkInstallSpec,
  checkWorkflowSecrets,
  checkWorkflowSiteUrl,
];
/** The token, asked of GitHub when it looks like one: who it is, and whether it sees the repository. */
const checkGitHub: NetworkCheck = ({ ws, fetchImpl }) => {
  const repo = ws.config.feedback.github;
  const token = gitHubToken(ws);
  if (!repo || token === null || gitHubTokenProblem(token) !== null) return null;
  if (placeholderProblem(ws, gitHubCredential(ws, repo)) !== null) return null;
  return gitHubAccount(repo, token, ws, fetchImpl);
};

/**
 * GitHub's answer for the token, read only (`gitHubIdentity`): a refused token or a repository it
 * cannot see is the user's to fix (exit 2), a GitHub not reached an endpoint failure (exit 1), a
 * token that may not close issues a warning (the sync records them and leaves them open).
 */
async function gitHubAccount(repo: string, token: string, ws: Workspace, fetchImpl?: typeof fetch): Promise<Check> {
  const what = "GitHub token";
  const apiBase = ws.env.GITHUB_API_URL?.trim() || undefined;
  try {
    const { login, canClose } = await gitHubIdentity({ repo, token, apiBase, fetchImpl });
    const who = login === null ? "" : ` (${login})`;
    if (canClose === false)
      return check(
        "warn",
        what,
        `the token in ${GITHUB_TOKEN_ENV}${who} can read ${repo} but not close its issues, so ${commandLine("feedback sync", ws.named)} records the feedback and leaves the issues open; give it Issues: read and write (a fine-grained token) or the repo scope.`,
      );
    return check("ok", what, `GitHub accepted the token in ${GITHUB_TOKEN_ENV}${who}, which can read ${repo}.`);
  } catch (err) {
    if (!(err instanceof GitHubError) || err.status === null || err.status >= 500 || err.status === 429) {
      const where = apiBase ? `GITHUB_API_URL (${apiBase})` : "the network";
      return check("fail", what, `${errorText(err).replace(/\.?$/, ".")} Check ${where}.`);
    }
    const fix =
      err.status === 401
        ? `GitHub refused the token in ${GITHUB_TOKEN_ENV} (HTTP 401): it is expired, revoked or mistyped; put a valid token in ${GITHUB_TOKEN_ENV}.`
        : `the token in ${GITHUB_TOKEN_ENV} cannot see ${repo} (HTTP ${err.status}): check feedback.github, and give the token access to that repository's issues.`;
    return { ...check("fail", what, fix), usage: true };
  }
}

const networkChecks: NetworkCheck[] = [checkArxivFeed, checkLlmEndpoint, checkSmtp, checkSlackBot, checkGitHub];

export async function doctor(opts: DoctorOptions): Promise<Check[]> {
  let ws: Workspace;
  const envWarnings: Check[] = [];
  const env = opts.env ?? process.env;
  try {
    ws = loadWorkspace(opts.workspaceDir, env, {
      requireConfig: true,
      warn: (message) => envWarnings.push(check("warn", ".env", message)),
    });
  } catch (err) {
    // No workspace at all is a usage mistake (exit 2), not a check to report.
    if (err instanceof ConfigError && !(err instanceof NotAWorkspaceError)) {
      const what = err instanceof EnvError ? "environment" : "config";
      // No workspace loaded, so no workspace redactor: the environment's secrets and every credential shape.
      const redact = createRedactor(secretsInEnv(env));
      const failed: Check = { ...check("fail", what, err.message), usage: true };
      return [...envWarnings, failed].map((c) => ({ ...c, detail: redact(c.detail) }));
    }
    throw err;
  }
  if (opts.named !== undefined) ws.named = opts.named;
  const key = apiKeyOf(ws.config.llm, ws.env);
  const subject: Subject = {
    ws,
    key,
    mode: judgeMode(ws.config.llm, key),
    ...(opts.fetchImpl ? { fetchImpl: opts.fetchImpl } : {}),
  };
  // What the offline checks find is the workspace's own setting: a failure there is the user's to fix (exit 2).
  const settings = offlineChecks.flatMap((run) => run(subject));
  const checks = [...envWarnings, ...settings.map((c) => (c.level === "fail" ? { ...c, usage: true as const } : c))];
  if (!opts.offline) {
    // One endpoint at a time, in order: the report reads top to bottom.
    for (const run of networkChecks) {
      const pending = run(subject);
      if (pending) checks.push(...[await pending].flat());
    }
  }
  // The report is printed and often pasted into an issue: no secret or URL credential in it.
  const redact = workspaceRedactor(ws);
  return checks.map((c) => ({ ...c, detail: redact(c.detail) }));
}
