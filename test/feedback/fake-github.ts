/**
 * A fake of the few GitHub REST endpoints `feedback sync` and `doctor` use, on a real 127.0.0.1
 * server: listing open issues by label in pages of `perPage` with a Link header, commenting,
 * closing; who the token is (`/user`) and the repository with the token's permissions.
 * Every request is recorded; a wrong token gets GitHub's 401 answer.
 */
import { type RecordedRequest, sendJson, startServer, type TestServer } from "../helpers/server.js";

export interface FakeIssue {
  number: number;
  title: string;
  body?: string;
  author_association: string;
  created_at: string;
  user?: { login: string };
  labels?: string[];
  pull_request?: object;
}

export interface FakeGitHub {
  server: TestServer;
  url: string;
  /** Issues still open (closing removes them). */
  open: Map<number, FakeIssue>;
  comments: { number: number; body: string }[];
  closed: number[];
  lists: RecordedRequest[];
}

export async function startFakeGitHub(opts: {
  repo: string;
  token: string;
  issues: FakeIssue[];
  perPage?: number;
  /** Answer this status to PATCH (closing) these issue numbers. */
  failClose?: number[];
  /** Who `GET /user` says the token is; null answers 403, as GitHub does for a workflow's token. */
  login?: string | null;
  /** The token's permissions `GET /repos/{repo}` reports (default: the owner's). */
  permissions?: Record<string, boolean>;
}): Promise<FakeGitHub> {
  const perPage = opts.perPage ?? 2;
  const open = new Map(opts.issues.map((i) => [i.number, i]));
  const fake = { open, comments: [], closed: [], lists: [] } as unknown as FakeGitHub;
  const prefix = `/repos/${opts.repo}/issues`;
  fake.server = await startServer((req, res) => {
    if (req.headers.authorization !== `Bearer ${opts.token}`) {
      sendJson(res, 401, { message: "Bad credentials", documentation_url: "https://docs.github.com/rest" });
      return;
    }
    const url = new URL(req.url, fake.server.url);
    if (req.method === "GET" && url.pathname === "/user") {
      const login = opts.login === undefined ? "reader" : opts.login;
      if (login === null) sendJson(res, 403, { message: "Resource not accessible by integration" });
      else sendJson(res, 200, { login, type: "User" });
      return;
    }
    if (req.method === "GET" && url.pathname === `/repos/${opts.repo}`) {
      const permissions = opts.permissions ?? { admin: true, maintain: true, push: true, triage: true, pull: true };
      sendJson(res, 200, { full_name: opts.repo, private: true, permissions });
      return;
    }
    if (req.method === "GET" && url.pathname === prefix) {
      fake.lists.push(req);
      const label = url.searchParams.get("labels");
      const all = [...open.values()]
        .filter((i) => (i.labels ?? ["arxiv-digest-feedback"]).includes(label ?? ""))
        .sort((a, b) => b.number - a.number); // GitHub's default: newest first
      const page = Number(url.searchParams.get("page") ?? "1");
      const slice = all.slice((page - 1) * perPage, page * perPage).map(({ labels, ...i }) => ({
        ...i,
        labels: (labels ?? ["arxiv-digest-feedback"]).map((name) => ({ name })),
        state: "open",
      }));
      const last = Math.max(1, Math.ceil(all.length / perPage));
      const link = (p: number) => {
        const u = new URL(url);
        u.searchParams.set("page", String(p));
        return u.toString();
      };
      const links = page < last ? [`<${link(page + 1)}>; rel="next"`, `<${link(last)}>; rel="last"`] : [];
      sendJson(res, 200, slice, links.length ? { link: links.join(", ") } : {});
      return;
    }
    const comment = new RegExp(`^${prefix}/(\\d+)/comments$`).exec(url.pathname);
    if (req.method === "POST" && comment) {
      fake.comments.push({ number: Number(comment[1]), body: (JSON.parse(req.body) as { body: string }).body });
      sendJson(res, 201, { id: fake.comments.length });
      return;
    }
    const issue = new RegExp(`^${prefix}/(\\d+)$`).exec(url.pathname);
    if (req.method === "PATCH" && issue) {
      const n = Number(issue[1]);
      if (opts.failClose?.includes(n)) {
        sendJson(res, 500, { message: "Server Error" });
        return;
      }
      const patch = JSON.parse(req.body) as { state?: string };
      if (patch.state === "closed") {
        open.delete(n);
        fake.closed.push(n);
      }
      sendJson(res, 200, { number: n, state: patch.state });
      return;
    }
    sendJson(res, 404, { message: "Not Found" });
  });
  fake.url = fake.server.url;
  return fake;
}
