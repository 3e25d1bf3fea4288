import { afterEach, describe, expect, it } from "vitest";
import {
  GitHubError,
  issueUrl,
  nextLink,
  parseIssueTitle,
  parseRepo,
  recordedIn,
  syncFromGitHub,
} from "../../src/feedback/github.js";
import type { FeedbackSignal } from "../../src/feedback/store.js";
import { type FakeGitHub, type FakeIssue, startFakeGitHub } from "./fake-github.js";

const REPO = "reader/papers";
const TOKEN = "ghp_testtoken1234567890abcdef";

const ISSUES: FakeIssue[] = [
  {
    number: 1,
    title: "feedback: like 2401.00010",
    body: "Signal: like\nPaper: 2401.00010\nTitle: Sparse Mixture-of-Experts Routing\nhttps://arxiv.org/abs/2401.00010",
    author_association: "OWNER",
    created_at: "2026-02-05T08:00:00Z",
    user: { login: "reader" },
  },
  {
    number: 2,
    title: "feedback: dislike 2401.00020",
    author_association: "NONE",
    created_at: "2026-02-05T08:05:00Z",
    user: { login: "stranger" },
  },
  {
    number: 3,
    title: "feedback: save arXiv:2401.00030v2",
    author_association: "COLLABORATOR",
    created_at: "2026-02-05T08:10:00Z",
    user: { login: "friend" },
  },
  {
    number: 4,
    title: "Site looks broken on mobile",
    author_association: "MEMBER",
    created_at: "2026-02-05T08:20:00Z",
  },
  {
    number: 5,
    title: "feedback: dislike hep-th/9901001",
    author_association: "MEMBER",
    created_at: "2026-02-05T08:30:00Z",
  },
  {
    number: 6,
    title: "feedback: like 2401.00040",
    author_association: "CONTRIBUTOR",
    created_at: "2026-02-05T08:40:00Z",
  },
  {
    number: 7,
    title: "feedback: like 2401.00050",
    author_association: "OWNER",
    created_at: "2026-02-05T08:50:00Z",
    pull_request: {},
  },
];

let fake: FakeGitHub | null = null;
afterEach(async () => {
  await fake?.server.close();
  fake = null;
});

describe("issueUrl", () => {
  it("opens a prefilled, labelled issue whose title the sync parses back", () => {
    const url = new URL(issueUrl(REPO, "like", { id: "2401.00010v2", title: "Sparse  Routing & more" }));
    expect(url.origin + url.pathname).toBe("https://github.com/reader/papers/issues/new");
    expect(url.searchParams.get("title")).toBe("feedback: like 2401.00010");
    expect(url.searchParams.get("labels")).toBe("arxiv-digest-feedback");
    expect(url.searchParams.get("body")).toContain("Title: Sparse Routing & more\nhttps://arxiv.org/abs/2401.00010");
    expect(parseIssueTitle(url.searchParams.get("title")!)).toEqual({ signal: "like", id: "2401.00010" });
    expect(issueUrl(REPO, "dislike", { id: "hep-th/9901001" })).toContain("title=feedback%3A+dislike+hep-th%2F9901001");
  });

  it("names a bad repository or id", () => {
    expect(() => issueUrl("reader", "like", { id: "2401.00010" })).toThrow(/"reader" is not a GitHub repository/);
    expect(() => parseRepo("a/b/c")).toThrow(GitHubError);
    expect(() => issueUrl(REPO, "like", { id: "12" })).toThrow(/"12" is not an arXiv identifier/);
  });

  it("parses titles strictly", () => {
    expect(parseIssueTitle("Feedback:  SAVE  2401.00010 ")).toEqual({ signal: "save", id: "2401.00010" });
    expect(parseIssueTitle("feedback: love 2401.00010")).toBeNull();
    expect(parseIssueTitle("feedback: like 2401.0001")).toBeNull();
    expect(parseIssueTitle("feedback: like 2401.00010 please")).toBeNull();
  });

  it("reads the next page from a Link header", () => {
    expect(nextLink('<https://x/a?page=2>; rel="next", <https://x/a?page=5>; rel="last"')).toBe("https://x/a?page=2");
    expect(nextLink('<https://x/a?page=1>; rel="prev"')).toBeNull();
    expect(nextLink(null)).toBeNull();
  });
});

describe("syncFromGitHub against a local fake", () => {
  it("pages through the label, keeps trusted authors, persists, then comments and closes", async () => {
    fake = await startFakeGitHub({ repo: REPO, token: TOKEN, issues: ISSUES, perPage: 2 });
    const persisted: FeedbackSignal[][] = [];
    const r = await syncFromGitHub({
      repo: REPO,
      token: TOKEN,
      apiBase: fake.url,
      persist: async (s) => {
        // Persisting happens before any issue is touched.
        expect(fake!.closed).toEqual([]);
        persisted.push(s);
      },
    });
    expect(fake.lists).toHaveLength(4);
    expect(fake.lists[0]!.url).toBe("/repos/reader/papers/issues?state=open&labels=arxiv-digest-feedback&per_page=100");
    expect(fake.lists[0]!.headers.accept).toBe("application/vnd.github+json");
    expect(r.imported).toEqual([
      { number: 1, signal: "like", id: "2401.00010" },
      { number: 3, signal: "save", id: "2401.00030" },
      { number: 5, signal: "dislike", id: "hep-th/9901001" },
    ]);
    expect(r.signals[0]).toEqual({
      v: 1,
      id: "2401.00010",
      signal: "like",
      at: "2026-02-05T08:00:00.000Z",
      source: "github",
      title: "Sparse Mixture-of-Experts Routing",
      issue: "reader/papers#1",
    });
    expect(persisted).toEqual([r.signals]);
    expect(r.ignored.map((i) => i.number)).toEqual([2, 4, 6]);
    expect(r.ignored[0]!.reason).toMatch(/stranger \(NONE\)/);
    expect(r.ignored[1]!.reason).toMatch(/is not "feedback: <signal> <arXiv id>"/);
    expect(r.closed).toEqual([1, 3, 5]);
    expect(fake.comments.map((c) => c.number)).toEqual([1, 3, 5]);
    expect(fake.comments[0]!.body).toMatch(/Recorded `like 2401\.00010`/);
    // The stranger's, the bug report, the contributor's issue and the pull request stay open.
    expect([...fake.open.keys()].sort()).toEqual([2, 4, 6, 7]);
    const patches = fake.server.requests.filter((q) => q.method === "PATCH");
    expect(JSON.parse(patches[0]!.body)).toEqual({ state: "closed", state_reason: "completed" });
  });

  it("closes nothing when persisting fails", async () => {
    fake = await startFakeGitHub({ repo: REPO, token: TOKEN, issues: ISSUES });
    await expect(
      syncFromGitHub({
        repo: REPO,
        token: TOKEN,
        apiBase: fake.url,
        persist: async () => {
          throw new Error("disk full");
        },
      }),
    ).rejects.toThrow("disk full");
    expect(fake.server.requests.filter((q) => q.method !== "GET")).toEqual([]);
  });

  it("records issues that could not be closed and carries on", async () => {
    fake = await startFakeGitHub({ repo: REPO, token: TOKEN, issues: ISSUES, failClose: [3] });
    const r = await syncFromGitHub({ repo: REPO, token: TOKEN, apiBase: fake.url });
    expect(r.closed).toEqual([1, 5]);
    expect(r.closeFailures).toHaveLength(1);
    expect(r.closeFailures[0]!.message).toMatch(/PATCH \/repos\/reader\/papers\/issues\/3 answered 500/);
  });

  it("names the status of a 401 and never shows the token", async () => {
    fake = await startFakeGitHub({ repo: REPO, token: "the-right-one", issues: ISSUES });
    const err = await syncFromGitHub({ repo: REPO, token: TOKEN, apiBase: fake.url }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitHubError);
    expect((err as GitHubError).status).toBe(401);
    expect((err as Error).message).toMatch(
      /GET \/repos\/reader\/papers\/issues answered 401 Unauthorized: Bad credentials/,
    );
    expect((err as Error).message).toMatch(/GITHUB_TOKEN/);
    expect((err as Error).message).not.toContain(TOKEN);
  });

  it("redacts the token from a network error and refuses links to another host", async () => {
    const leaky: typeof fetch = async () => {
      throw new Error(`connect ECONNREFUSED while sending Bearer ${TOKEN}`);
    };
    const err = await syncFromGitHub({
      repo: REPO,
      token: TOKEN,
      apiBase: "http://127.0.0.1:9",
      fetchImpl: leaky,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitHubError);
    expect((err as Error).message).toContain("[redacted]");
    expect((err as Error).message).not.toContain(TOKEN);

    const sent: string[] = [];
    const redirecting: typeof fetch = async (input) => {
      sent.push(String(input));
      return new Response("[]", { status: 200, headers: { link: '<http://evil.example/steal?page=2>; rel="next"' } });
    };
    await expect(
      syncFromGitHub({ repo: REPO, token: TOKEN, apiBase: "http://127.0.0.1:9", fetchImpl: redirecting }),
    ).rejects.toThrow(/refusing to send the token there/);
    expect(sent).toHaveLength(1);
  });
});

describe("recordedIn", () => {
  const from = (extra: Partial<FeedbackSignal>): FeedbackSignal => ({
    v: 1,
    id: "2401.00010",
    signal: "like",
    at: "2026-02-05T08:00:00.000Z",
    source: "github",
    ...extra,
  });

  it("knows an issue by its reference, and a line written before references by paper, signal and time", () => {
    const isRecorded = recordedIn([
      from({ issue: "reader/papers#1", title: "Old title" }),
      from({ id: "2401.00020", at: "2026-02-05T09:00:00+00:00" }),
      from({ id: "2401.00030", source: "cli" }),
    ]);
    expect(isRecorded(from({ issue: "reader/papers#1", title: "New title" }))).toBe(true);
    expect(isRecorded(from({ issue: "reader/papers#9", at: "2026-02-06T08:00:00.000Z" }))).toBe(false);
    // A legacy line: the same instant, whatever its offset, the title not compared.
    expect(isRecorded(from({ id: "2401.00020", at: "2026-02-05T09:00:00.000Z", issue: "reader/papers#2" }))).toBe(true);
    expect(isRecorded(from({ id: "2401.00020", signal: "save", at: "2026-02-05T09:00:00.000Z" }))).toBe(false);
    // A like given on the command line is not an issue recorded.
    expect(isRecorded(from({ id: "2401.00030", issue: "reader/papers#3" }))).toBe(false);
  });
});
