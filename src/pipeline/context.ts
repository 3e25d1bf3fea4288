/**
 * What a pipeline step needs from the outside world, gathered once: the workspace, the clock,
 * the network (fetch), a logger. Tests and the demo replace any of them.
 */
import { ArchiveStore } from "../archive/store.js";
import { holidayTable } from "../arxiv/holidays.js";
import type { PoliteClient } from "../arxiv/http.js";
import { type FollowedAuthor, parseFollowedAuthors } from "../authors/followed.js";
import { createAuthorMatcher } from "../authors/match.js";
import type { Clock } from "../io/clock.js";
import type { Redactor } from "../io/redact.js";
import type { Candidate } from "../model/candidate.js";
import type { Workspace } from "../workspace/load.js";
import { configRedactor } from "../workspace/workflow-secrets.js";

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
}

export const silentLogger: Logger = { info() {}, warn() {} };

export interface PipelineContext {
  workspace: Workspace;
  clock: Clock;
  fetchImpl?: typeof fetch;
  log: Logger;
  /**
   * The command runs in a GitHub Actions job (`GITHUB_ACTIONS=true`, read by the CLI): the
   * suggestions a summary makes name the workflows rather than local commands (format/command.ts).
   */
  actions?: boolean;
}

/**
 * The arXiv client of the workspace's settings; `retries` overrides arxiv.retries (0: one try).
 * Its code (arxiv/http.ts and Node's HTTP modules) is loaded here, when a command is about to ask
 * arXiv: a weekend's run never is.
 */
export async function createArxivClient(ctx: PipelineContext, retries?: number): Promise<PoliteClient> {
  const { arxivUserAgent, PoliteClient } = await import("../arxiv/http.js");
  const a = ctx.workspace.config.arxiv;
  return new PoliteClient({
    userAgent: arxivUserAgent(a.contact),
    minIntervalMs: a.minIntervalSeconds * 1000,
    timeoutMs: a.timeoutSeconds * 1000,
    retries: retries ?? a.retries,
    cacheDir: ctx.workspace.cacheDir,
    clock: ctx.clock,
    fetchImpl: ctx.fetchImpl,
  });
}

export function workspaceHolidays(ws: Workspace): Set<string> {
  return holidayTable(ws.config.arxiv.holidays, ws.config.arxiv.notHolidays);
}

const redactors = new WeakMap<Workspace, Redactor>();

/**
 * The workspace's redaction step: every secret its config names (the LLM key, delivery
 * secrets, Semantic Scholar and GitHub tokens) and every secret-looking variable of its
 * environment, plus credentials in URLs and key-shaped strings.
 */
export function workspaceRedactor(ws: Workspace): Redactor {
  let redact = redactors.get(ws);
  if (!redact) {
    redact = configRedactor(ws.config, ws.env);
    redactors.set(ws, redact);
  }
  return redact;
}

export function openStore(ws: Workspace): ArchiveStore {
  return new ArchiveStore(ws.archiveDir, workspaceRedactor(ws));
}

/** Reads authors.txt now, so a malformed line stops a run before any request (AuthorsFileError, exit 2). */
export function checkFollowedAuthors(ws: Workspace): void {
  parseFollowedAuthors(ws.authorsText, ws.authorsPath);
}

/**
 * Followed authors from authors.txt; Semantic Scholar ids are resolved to names and aliases when
 * present. A Semantic Scholar failure is a note, not a failed run: the written names still match.
 */
export async function loadAuthorMatcher(
  ctx: PipelineContext,
): Promise<{ match: (c: Candidate) => string | null; notes: string[] }> {
  const ws = ctx.workspace;
  let followed: FollowedAuthor[] = parseFollowedAuthors(ws.authorsText, ws.authorsPath);
  const notes: string[] = [];
  if (followed.some((f) => f.s2Id)) {
    const { createSemanticScholarClient, resolveFollowedAuthors } = await import("../authors/semantic-scholar.js");
    const client = createSemanticScholarClient({
      baseUrl: ws.env.SEMANTIC_SCHOLAR_API_URL || undefined,
      apiKey: ws.env.S2_API_KEY || null,
      cacheDir: ws.cacheDir,
      clock: ctx.clock,
      fetchImpl: ctx.fetchImpl,
    });
    try {
      const resolved = await resolveFollowedAuthors(followed, client);
      followed = resolved.followed;
      notes.push(...resolved.problems);
    } catch (err) {
      notes.push(`Semantic Scholar ids were not resolved (${(err as Error).message}); matching by written names only.`);
    }
  }
  return { match: createAuthorMatcher(followed), notes };
}
