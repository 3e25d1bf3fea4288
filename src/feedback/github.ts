/**
 * Feedback from the static site through GitHub issues. A static page cannot write anywhere, so
 * its buttons open a prefilled "new issue" form on the reader's repository; submitting it is the
 * click. `feedback sync` later reads the labelled open issues, keeps those written by people with
 * a role on the repository (anyone can open an issue on a public repository, and a stranger must
 * not steer the reader's digest), records them as signals and closes them with a comment.
 */
import { parseArxivId } from "../arxiv/ids.js";
import { type FeedbackSignal, makeSignal, type SignalKind } from "./store.js";

export const FEEDBACK_LABEL = "arxiv-digest-feedback";
export const DEFAULT_GITHUB_API = "https://api.github.com";
/** Roles GitHub reports for people the repository owner trusts; everyone else is ignored. */
export const TRUSTED_ASSOCIATIONS = ["OWNER", "MEMBER", "COLLABORATOR"] as const;
/** 100 issues a page; the cap stops a misbehaving server from paging forever. */
const MAX_PAGES = 50;

const REPO = /^([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/([A-Za-z0-9._-]{1,100})$/;
const TITLE = /^feedback:\s*(like|dislike|save|clear)\s+(\S+)\s*$/i;

export class GitHubError extends Error {
  override name = "GitHubError";
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
  }
}

/** Checks an `owner/repo` name; throws naming the bad value. */
export function parseRepo(repo: string): { owner: string; name: string } {
  const m = REPO.exec(repo.trim());
  if (!m || m[2] === "." || m[2] === "..")
    throw new GitHubError(`"${repo}" is not a GitHub repository name; write it as owner/repo.`, null);
  return { owner: m[1]!, name: m[2]! };
}

/**
 * The link behind a feedback button: GitHub's new-issue form with a title the sync can parse
 * (`feedback: like 2401.00010`), a body saying what submitting does, and the label. GitHub drops
 * the label for people without triage rights; the sync then filters on the role anyway.
 */
export function issueUrl(repo: string, signal: SignalKind, paper: { id: string; title?: string | null }): string {
  const { owner, name } = parseRepo(repo);
  const parsed = parseArxivId(paper.id);
  if (!parsed) throw new GitHubError(`"${paper.id}" is not an arXiv identifier.`, null);
  const id = parsed.id;
  const lines = [
    `Signal: ${signal}`,
    `Paper: ${id}`,
    ...(paper.title ? [`Title: ${paper.title.replace(/\s+/g, " ").trim()}`] : []),
    `https://arxiv.org/abs/${id}`,
    "",
    "Submit this issue to record the feedback. `arxiv-digest feedback sync` imports it into feedback.jsonl and closes the issue; keep the title as it is.",
  ];
  const params = new URLSearchParams({
    title: `feedback: ${signal} ${id}`,
    body: lines.join("\n"),
    labels: FEEDBACK_LABEL,
  });
  return `https://github.com/${encodeURIComponent(owner)}/${encodeURIComponent(name)}/issues/new?${params.toString()}`;
}

/** The signal an issue title carries, or null when the title is not one of ours. */
export function parseIssueTitle(title: string): { signal: SignalKind; id: string } | null {
  const m = TITLE.exec(title.trim());
  if (!m) return null;
  const parsed = parseArxivId(m[2]!);
  return parsed ? { signal: m[1]!.toLowerCase() as SignalKind, id: parsed.id } : null;
}

interface Issue {
  number: number;
  title: string;
  body: string | null;
  author_association: string;
  created_at: string;
  html_url?: string;
  user?: { login?: string } | null;
  pull_request?: unknown;
}

function isIssue(v: unknown): v is Issue {
  const o = v as Partial<Issue> | null;
  return (
    typeof o === "object" &&
    o !== null &&
    typeof o.number === "number" &&
    typeof o.title === "string" &&
    typeof o.author_association === "string" &&
    typeof o.created_at === "string"
  );
}

/** `<url>; rel="next", <url>; rel="last"` → the next URL. */
export function nextLink(header: string | null): string | null {
  if (!header) return null;
  for (const part of header.split(",")) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (m) return m[1]!;
  }
  return null;
}

export interface SyncOptions {
  repo: string;
  token: string;
  apiBase?: string;
  fetchImpl?: typeof fetch;
  /**
   * Called with the signals before any issue is closed. If it throws, nothing is closed, so an
   * issue is never lost between GitHub and the feedback file; at worst it is imported twice,
   * which the store treats as harmless.
   */
  persist?: (signals: FeedbackSignal[]) => Promise<void>;
  /** Do not comment on or close anything (a dry run). */
  keepOpen?: boolean;
  /** A paper's title where the workspace knows it (the archive); the issue's `Title:` line is used otherwise. */
  titleOf?: (id: string) => string | undefined;
  /**
   * Whether an issue's signal is recorded already (`recordedIn` the feedback file): such an issue is
   * not recorded again, only closed.
   */
  isRecorded?: (signal: FeedbackSignal) => boolean;
}

/**
 * Whether a signal read from an issue is among `existing` already: one from the same issue, or,
 * for lines written before signals named their issue, one from GitHub for the same paper, signal
 * and time (the issue's creation). The title is not compared: the archive may have learnt it since.
 */
export function recordedIn(existing: readonly FeedbackSignal[]): (signal: FeedbackSignal) => boolean {
  const issues = new Set<string>();
  const legacy = new Set<string>();
  const legacyKey = (s: FeedbackSignal) => JSON.stringify([s.id, s.signal, Date.parse(s.at)]);
  for (const s of existing) {
    if (s.source !== "github") continue;
    if (s.issue) issues.add(s.issue);
    else legacy.add(legacyKey(s));
  }
  return (s) => (s.issue !== undefined && issues.has(s.issue)) || legacy.has(legacyKey(s));
}

export interface SyncResult {
  /** The signals of the issues read, those recorded already left out. */
  signals: FeedbackSignal[];
  /** Every feedback issue read from a trusted author, recorded already or not: each is closed. */
  imported: { number: number; signal: SignalKind; id: string }[];
  /** Issues whose signal the feedback file holds already (an earlier sync with --keep-open, say). */
  alreadyRecorded: number[];
  /** Issues left open, with why: an untrusted author, or a title that is not a feedback signal. */
  ignored: { number: number; reason: string }[];
  closed: number[];
  /** Imported issues that could not be closed; their signals are recorded all the same. */
  closeFailures: { number: number; message: string }[];
}

/** One authorised call to GitHub's API: the answer when it is a success, else a GitHubError saying what to check. */
type GitHubCall = (method: string, url: string, body?: unknown) => Promise<Response>;

/**
 * The API's base URL as text and a caller that sends the token to that host only (a pagination
 * link elsewhere is refused), every failure a GitHubError with the token redacted and a hint
 * naming what to check for `repo`.
 */
function gitHubCaller(opts: {
  token: string;
  apiBase?: string | undefined;
  fetchImpl?: typeof fetch | undefined;
  repo: { owner: string; name: string };
}): { baseText: string; call: GitHubCall } {
  const { owner, name } = opts.repo;
  if (!opts.token.trim())
    throw new GitHubError(`No GitHub token; set GITHUB_TOKEN to a token that can write issues.`, null);
  const fetchImpl = opts.fetchImpl ?? fetch;
  let base: URL;
  try {
    base = new URL((opts.apiBase ?? DEFAULT_GITHUB_API).replace(/\/+$/, ""));
  } catch {
    throw new GitHubError(`The GitHub API base "${opts.apiBase}" is not a URL.`, null);
  }
  const baseText = base.toString().replace(/\/+$/, "");
  const redact = (text: string) => (opts.token ? text.split(opts.token).join("[redacted]") : text);

  async function call(method: string, url: string, body?: unknown): Promise<Response> {
    // Pagination links come from the server; the token goes to the configured API host only.
    if (new URL(url).origin !== base.origin)
      throw new GitHubError(
        `GitHub answered with a link to ${new URL(url).origin}, not ${base.origin}; refusing to send the token there.`,
        null,
      );
    const what = `${method} ${new URL(url).pathname}`;
    let res: Response;
    try {
      res = await fetchImpl(url, {
        method,
        headers: {
          accept: "application/vnd.github+json",
          authorization: `Bearer ${opts.token}`,
          "x-github-api-version": "2022-11-28",
          "user-agent": "arxiv-digest",
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (err) {
      throw new GitHubError(redact(`GitHub ${what} failed: ${(err as Error).message}`), null);
    }
    if (!res.ok) {
      const detail = await res.text().catch(() => "");
      let message = detail.slice(0, 300);
      try {
        message = (JSON.parse(detail) as { message?: string }).message ?? message;
      } catch {}
      const hint =
        res.status === 401
          ? ` Check GITHUB_TOKEN: it is missing, expired or revoked.`
          : res.status === 403 || res.status === 404
            ? ` Check that the token can read and write issues of ${owner}/${name}.`
            : "";
      throw new GitHubError(
        redact(`GitHub ${what} answered ${res.status} ${res.statusText}${message ? `: ${message}` : ""}.${hint}`),
        res.status,
      );
    }
    return res;
  }
  return { baseText, call };
}

export async function syncFromGitHub(opts: SyncOptions): Promise<SyncResult> {
  const { owner, name } = parseRepo(opts.repo);
  const { baseText, call } = gitHubCaller({ ...opts, repo: { owner, name } });
  const repoPath = `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`;

  const issues: Issue[] = [];
  let url: string | null =
    `${baseText}${repoPath}/issues?state=open&labels=${encodeURIComponent(FEEDBACK_LABEL)}&per_page=100`;
  for (let page = 0; url; page++) {
    if (page >= MAX_PAGES)
      throw new GitHubError(`GitHub kept paging past ${MAX_PAGES} pages of issues; stopping.`, null);
    const res = await call("GET", url);
    const json: unknown = await res.json().catch(() => null);
    if (!Array.isArray(json))
      throw new GitHubError(`GitHub GET ${new URL(url).pathname} did not answer a list of issues.`, res.status);
    for (const item of json) if (isIssue(item) && item.pull_request === undefined) issues.push(item);
    url = nextLink(res.headers.get("link"));
  }

  const result: SyncResult = {
    signals: [],
    imported: [],
    alreadyRecorded: [],
    ignored: [],
    closed: [],
    closeFailures: [],
  };
  for (const issue of issues.sort((a, b) => a.number - b.number)) {
    if (!(TRUSTED_ASSOCIATIONS as readonly string[]).includes(issue.author_association)) {
      result.ignored.push({
        number: issue.number,
        reason: `opened by ${issue.user?.login ?? "someone"} (${issue.author_association}), who has no role on the repository`,
      });
      continue;
    }
    const parsed = parseIssueTitle(issue.title);
    if (!parsed) {
      result.ignored.push({
        number: issue.number,
        reason: `title "${issue.title}" is not "feedback: <signal> <arXiv id>"`,
      });
      continue;
    }
    const title =
      opts.titleOf?.(parsed.id) ??
      /^Title: (.+)$/m
        .exec(issue.body ?? "")?.[1]
        ?.trim()
        .slice(0, 500);
    // The issue's creation time is when the reader pressed the button; the sync may run days later.
    const at = Number.isNaN(Date.parse(issue.created_at)) ? new Date() : new Date(issue.created_at);
    const signal = {
      ...makeSignal(parsed.id, parsed.signal, "github", at, title),
      issue: `${owner}/${name}#${issue.number}`,
    };
    if (opts.isRecorded?.(signal)) result.alreadyRecorded.push(issue.number);
    else result.signals.push(signal);
    result.imported.push({ number: issue.number, ...parsed });
  }

  if (opts.persist && result.signals.length) await opts.persist(result.signals);
  if (opts.keepOpen) return result;
  for (const { number, signal, id } of result.imported) {
    const issueUrlPath = `${baseText}${repoPath}/issues/${number}`;
    try {
      await call("POST", `${issueUrlPath}/comments`, {
        body: `Recorded \`${signal} ${id}\` in feedback.jsonl by \`arxiv-digest feedback sync\`. Closing.`,
      });
      await call("PATCH", issueUrlPath, { state: "closed", state_reason: "completed" });
      result.closed.push(number);
    } catch (err) {
      result.closeFailures.push({ number, message: (err as Error).message });
    }
  }
  return result;
}

/**
 * What is wrong with a value given as GitHub's token, or null when it has the shape GitHub issues
 * tokens in: a prefix naming its kind (`ghp_` a classic personal token, `github_pat_` a
 * fine-grained one, `gho_`, `ghu_`, `ghs_` an app's or a workflow's) or the 40 hex digits of older
 * tokens. Only the shape: whether GitHub takes it, `gitHubIdentity` asks.
 */
export function gitHubTokenProblem(token: string): string | null {
  const t = token.trim();
  if (/^(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}|[0-9a-f]{40})$/.test(t)) return null;
  if (/^[a-z]+:\/\//i.test(t)) return "holds a URL, not a token";
  return "does not look like a GitHub token (ghp_…, github_pat_…, gho_/ghu_/ghs_…, or 40 hex digits of an older one)";
}

/** Who GitHub says a token belongs to, and what it may do on the feedback repository. */
export interface GitHubIdentity {
  /** The account's login; null for a token that names no user (an app's or a workflow's). */
  login: string | null;
  /** Whether the token may close the repository's issues (triage or write); null when GitHub does not say. */
  canClose: boolean | null;
}

/**
 * Asks GitHub, read only, who the token is (`GET /user`) and whether it sees the repository
 * (`GET /repos/{owner}/{repo}`, whose `permissions` say whether it can close issues), as `doctor`
 * does before a sync. Throws GitHubError: `status` 401 for a refused token, 403 or 404 for a
 * repository it cannot see, null for a GitHub not reached.
 */
export async function gitHubIdentity(opts: {
  repo: string;
  token: string;
  apiBase?: string | undefined;
  fetchImpl?: typeof fetch | undefined;
}): Promise<GitHubIdentity> {
  const { owner, name } = parseRepo(opts.repo);
  const { baseText, call } = gitHubCaller({ ...opts, repo: { owner, name } });
  let login: string | null = null;
  try {
    const user = (await (await call("GET", `${baseText}/user`)).json().catch(() => null)) as { login?: unknown } | null;
    login = typeof user?.login === "string" ? user.login : null;
  } catch (err) {
    // A workflow's or an app's token names no user (403); it may still read the repository.
    if (!(err instanceof GitHubError && err.status === 403)) throw err;
  }
  const repoUrl = `${baseText}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`;
  const repo = (await (await call("GET", repoUrl)).json().catch(() => null)) as {
    permissions?: Record<string, unknown>;
  } | null;
  const p = repo?.permissions;
  const canClose = p ? ["admin", "maintain", "push", "triage"].some((k) => p[k] === true) : null;
  return { login, canClose };
}
