/** serve's feedback endpoint over raw HTTP: what it accepts, what it refuses, and that refusals write nothing. */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendSignals, feedbackPath, makeSignal } from "../../src/feedback/store.js";
import { DayRecordSchema, type PaperRecord } from "../../src/model/day-record.js";
import { type ServedSite, serveSite } from "../../src/site/serve.js";
import { archiveLookup } from "../../src/site/served-marks.js";
import { makeDay, makePaper } from "../helpers/day-factory.js";

const PAGE = '<!doctype html><html><head><meta name="arxiv-digest-serve" content/></head><body>day</body></html>';
const NOW = new Date("2026-02-05T10:00:00.000Z");
let root: string;
let file: string;
let site: ServedSite;
let token: string;
let origin: string;

function send(
  method: string,
  path: string,
  headers: Record<string, string | number> = {},
  body?: string,
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  const { hostname, port } = new URL(site.url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method, headers }, (res) => {
      let text = "";
      res.on("data", (c) => {
        text += c;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

function post(body: string, headers: Record<string, string | number> = {}) {
  return send(
    "POST",
    "/papers/_feedback",
    { origin, "content-type": "application/json", "x-arxiv-digest-token": token, ...headers },
    body,
  );
}

const written = async () => (existsSync(file) ? (await readFile(file, "utf8")).split("\n").filter(Boolean) : []);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "serve-feedback-"));
  await mkdir(join(root, "site/2026/02/05"), { recursive: true });
  await writeFile(join(root, "site/2026/02/05/index.html"), PAGE);
  file = feedbackPath(root);
  site = await serveSite(join(root, "site"), { port: 0, basePath: "/papers/", feedbackFile: file, now: () => NOW });
  origin = new URL(site.url).origin;
  const page = await send("GET", "/papers/2026/02/05/", { host: new URL(site.url).host });
  token = /<meta name="arxiv-digest-serve" content="([^"]+)">/.exec(page.body)?.[1] ?? "";
  expect(page.headers["cache-control"]).toBe("no-store");
  expect(page.headers["content-length"]).toBe(String(Buffer.byteLength(page.body)));
});

afterAll(async () => {
  await site.close();
  await rm(root, { recursive: true, force: true });
});

describe("serve's feedback endpoint", () => {
  it("writes its per-run token into served pages, for a loopback Host only", async () => {
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const other = await serveSite(join(root, "site"), { port: 0, basePath: "/papers/", feedbackFile: file });
    try {
      const res = await fetch(new URL("2026/02/05/", other.url));
      expect(await res.text()).not.toContain(token);
    } finally {
      await other.close();
    }
    const rebound = await send("GET", "/papers/2026/02/05/", { host: "evil.example:80" });
    expect(rebound.body).toBe(PAGE);
  });

  it("appends a valid signal with source site and answers 204", async () => {
    const res = await post(JSON.stringify({ id: "arXiv:2602.04119v2", signal: "like", title: " A  title " }));
    expect(res.status).toBe(204);
    expect((await written()).map((l) => JSON.parse(l))).toEqual([
      { v: 1, id: "2602.04119", signal: "like", at: NOW.toISOString(), source: "site", title: "A title" },
    ]);
    expect((await post(JSON.stringify({ id: "hep-th/9901001", signal: ["clear", "save"] }))).status).toBe(204);
    expect((await written()).slice(1).map((l) => JSON.parse(l).signal)).toEqual(["clear", "save"]);
  });

  it("refuses what is not the served page's own request, and writes nothing", async () => {
    const before = await written();
    const good = JSON.stringify({ id: "2602.04119", signal: "dislike" });
    const cases: [string, Promise<{ status: number }>, number][] = [
      ["no origin", post(good, { origin: "" }), 403],
      ["other origin", post(good, { origin: "http://127.0.0.1:1" }), 403],
      ["null origin", post(good, { origin: "null" }), 403],
      ["rebound host", post(good, { host: "evil.example", origin: "http://evil.example" }), 403],
      ["cross-site fetch", post(good, { "sec-fetch-site": "same-site" }), 403],
      ["no token", post(good, { "x-arxiv-digest-token": "" }), 403],
      [
        "wrong token",
        post(good, { "x-arxiv-digest-token": `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}` }),
        403,
      ],
      ["text/plain", post(good, { "content-type": "text/plain" }), 400],
      ["not JSON", post("{"), 400],
      ["bad id", post(JSON.stringify({ id: "2602.4119", signal: "like" })), 400],
      ["bad signal", post(JSON.stringify({ id: "2602.04119", signal: "love" })), 400],
      ["too many signals", post(JSON.stringify({ id: "2602.04119", signal: Array(5).fill("save") })), 400],
      ["too big", post(JSON.stringify({ id: "2602.04119", signal: "like", title: "x".repeat(5000) })), 413],
    ];
    for (const [what, res, status] of cases) expect([what, (await res).status]).toEqual([what, status]);
    expect(await send("GET", "/papers/_feedback")).toMatchObject({ status: 404 });
    expect(await written()).toEqual(before);
  });

  it("has no endpoint and no token without a feedback file, or when not on loopback", async () => {
    const plain = await serveSite(join(root, "site"), { port: 0, basePath: "/papers/" });
    const open = await serveSite(join(root, "site"), { port: 0, host: "0.0.0.0", feedbackFile: file });
    try {
      expect([plain.feedback, open.feedback]).toEqual([false, false]);
      expect(await (await fetch(new URL("2026/02/05/", plain.url))).text()).toBe(PAGE);
      const res = await fetch(new URL("_feedback", plain.url), {
        method: "POST",
        headers: { origin: new URL(plain.url).origin, "content-type": "application/json" },
        body: JSON.stringify({ id: "2602.04119", signal: "like" }),
      });
      expect(res.status).toBe(403);
    } finally {
      await plain.close();
      await open.close();
    }
  });
});

describe("the workspace's feedback in served pages", () => {
  const DAY =
    '<!doctype html><html><head><meta name="arxiv-digest-serve" content/></head><body>' +
    '<article id="paper-2602.04119"></article><article id="paper-hep-th-9901001"></article>' +
    '<article id="paper-2602.00001"></article></body></html>';
  // A month page lists papers as links to their cards, a paper in two lists twice.
  const MONTH =
    '<!doctype html><html><head><meta name="arxiv-digest-serve" content/></head><body>' +
    '<ol class="top-papers"><li><a href="/papers/2026/02/04/#paper-2602.04119">A</a></li></ol>' +
    '<ol><li><a href="/papers/2026/02/04/#paper-2602.04119">A</a></li>' +
    '<li><a href="/papers/2026/02/04/#paper-2602.00001">B</a></li></ol>' +
    '<a href="/papers/2026/02/04/">2026-02-04</a></body></html>';
  const SAVED =
    '<!doctype html><html><head><meta name="arxiv-digest-serve" content/></head><body><ol data-saved-list></ol></body></html>';
  const day = (date: string, paper: Partial<PaperRecord>) =>
    JSON.stringify(makeDay({ date, papers: [makePaper({ id: "2602.04119", ...paper })] }), null, 2);
  const texts: Record<string, string> = {
    "2026-02-03": day("2026-02-03", { title: "Older listing", authors: [], categories: ["cs.AI"] }),
    "2026-02-04": day("2026-02-04", {
      title: "Rings of $\\alpha$",
      authors: [{ name: "Ada Byron", affiliations: [] }],
      categories: ["cs.LG"],
    }),
  };
  const reads: string[] = [];
  const lookup = archiveLookup({
    listDays: async () => Object.keys(texts).sort(),
    dayText: async (date) => {
      reads.push(date);
      return texts[date] ?? null;
    },
    readDay: async (date) => DayRecordSchema.parse(JSON.parse(texts[date]!)),
  });
  let dir: string;
  let feedback: string;
  let served: ServedSite;
  const marksOf = async (path: string, host?: string) => {
    const res = await send2(served, path, host);
    const block = /<script type="application\/json" id="arxiv-digest-marks">(.*?)<\/script>/.exec(res);
    return { page: res, marks: block ? JSON.parse(block[1]!) : null };
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "serve-marks-"));
    await mkdir(join(dir, "site/2026/02/04"), { recursive: true });
    await mkdir(join(dir, "site/saved"), { recursive: true });
    await writeFile(join(dir, "site/2026/02/04/index.html"), DAY);
    await writeFile(join(dir, "site/saved/index.html"), SAVED);
    await writeFile(join(dir, "site/2026/02/index.html"), MONTH);
    await writeFile(join(dir, "site/index.html"), PAGE);
    feedback = feedbackPath(dir);
    await appendSignals(feedback, [
      makeSignal("2602.04119", "like", "cli", "2026-02-04T09:00:00Z", "A </script> title"),
      makeSignal("2602.04119", "save", "cli", "2026-02-04T09:01:00Z"),
      makeSignal("hep-th/9901001", "dislike", "import:lib.bib", "2026-02-04T09:02:00Z"),
      makeSignal("hep-th/9901001", "clear", "cli", "2026-02-04T09:03:00Z"),
      makeSignal("2501.00002", "save", "github", "2026-02-04T09:04:00Z", "Not in the archive"),
    ]);
    served = await serveSite(join(dir, "site"), {
      port: 0,
      basePath: "/papers/",
      feedbackFile: feedback,
      papers: lookup,
    });
  });
  afterAll(async () => {
    await served.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** The workspace's state of the paper it liked and saved, as the served block gives it. */
  const LIKED_AND_SAVED = {
    vote: "up",
    saved: true,
    at: "2026-02-04T09:01:00.000Z",
    paper: { id: "2602.04119", title: "A </script> title" },
  };

  it("gives a day page the state of the papers it lists that the workspace knows, cleared ones too", async () => {
    const { page, marks } = await marksOf("/papers/2026/02/04/");
    expect(marks).toEqual({
      "2602.04119": LIKED_AND_SAVED,
      "hep-th/9901001": { vote: null, saved: false, at: "2026-02-04T09:03:00.000Z", paper: { id: "hep-th/9901001" } },
    });
    // The title cannot close the block early.
    expect(page).not.toContain("A </script>");
    expect((await marksOf("/papers/")).marks).toBeNull();
  });

  it("gives a month page the state of the papers its lists link", async () => {
    const { marks } = await marksOf("/papers/2026/02/");
    expect(marks).toEqual({
      "2602.04119": LIKED_AND_SAVED,
    });
  });

  it("gives the Saved page every known paper, a saved one with its archive day and link", async () => {
    const { marks } = await marksOf("/papers/saved/");
    expect(marks["2602.04119"].paper).toEqual({
      id: "2602.04119",
      title: "Rings of α",
      authors: ["Ada Byron"],
      date: "2026-02-04",
      path: "/papers/2026/02/04/#paper-2602.04119",
      category: "cs.LG",
    });
    expect(marks["2501.00002"]).toMatchObject({
      saved: true,
      paper: { id: "2501.00002", title: "Not in the archive", authors: [], date: "" },
    });
    expect(marks["hep-th/9901001"]).toMatchObject({ vote: null, saved: false });
    // Found papers are kept; one not in the archive is not sought again while the archive is unchanged.
    reads.length = 0;
    await marksOf("/papers/saved/");
    expect(reads).toEqual([]);
  });

  it("follows the feedback file as it grows", async () => {
    await appendSignals(feedback, [makeSignal("2602.00001", "dislike", "cli", "2026-02-04T10:00:00Z")]);
    expect((await marksOf("/papers/2026/02/04/")).marks["2602.00001"]).toMatchObject({ vote: "down", saved: false });
  });

  it("is never given to another Host, or by a server without the workspace", async () => {
    expect((await marksOf("/papers/2026/02/04/", "evil.example:80")).page).toBe(DAY);
    const plain = await serveSite(join(dir, "site"), { port: 0, basePath: "/papers/" });
    try {
      expect(await send2(plain, "/papers/saved/")).toBe(SAVED);
    } finally {
      await plain.close();
    }
  });
});

async function send2(server: ServedSite, path: string, host?: string): Promise<string> {
  const { hostname, port, host: own } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, headers: { host: host ?? own } }, (res) => {
      let text = "";
      res.on("data", (c) => {
        text += c;
      });
      res.on("end", () => resolve(text));
    });
    req.on("error", reject);
    req.end();
  });
}
