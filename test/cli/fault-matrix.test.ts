/**
 * The fault matrix: one announcement day through the real executable (`run`, then `site`) with
 * every fault at once, against local servers on 127.0.0.1.
 *
 * - The feed: 400 entries built from real reference papers, one of them malformed (an id that is
 *   not an arXiv identifier) and one carrying hostile TeX (`x^{` nested some 630 deep, within
 *   arXiv's 1,920-character cap).
 * - The LLM: the first call answers 401 with a body echoing the key (whole and masked), which
 *   stops that run with exit 2 before it archives or delivers anything; then 150 calls answer
 *   garbage, then every call is healthy.
 * - Delivery: two webhooks. The first run after the refused one posts to the first, and is SIGKILLed while the second
 *   hangs on its post.
 * - The site: a rebuild is SIGKILLed half-way; the published site must stay whole.
 *
 * After the killed run and a second, healthy one: the site builds, no output holds the secret,
 * every paper sent to the LLM is scored (garbage was never cached), 399 papers are kept with the
 * bad entry named, and each channel received the digest exactly once.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DayRecord, DayRecordSchema } from "../../src/model/day-record.js";
import { type FeedItem, rssFeed } from "../helpers/arxiv-xml.js";
import { type CliResult, isolatedEnv, runCli } from "../helpers/cli.js";
import { localServicesEnv } from "../helpers/feed-day.js";
import { hashVerdict, idsIn, maskKey, type OpenAiServer, startOpenAiServer } from "../helpers/openai-server.js";
import { distinctNewSchemePapers, type ReferencePaper } from "../helpers/reference.js";
import { startServer, type TestServer } from "../helpers/server.js";
import { type TempWorkspace, tempWorkspace } from "../helpers/workspace.js";

const DATE = "2026-02-05";
const ENTRIES = 400;
/** 1-based positions in the feed. */
const BAD_POSITION = 137;
const BAD_ID = "2602.123";
const GARBAGE_CALLS = 150;
const SECRET = "sk-test-SECRETVALUE-0123456789abcdef";
const MASKED = maskKey(SECRET);
/** Nested superscripts, never closed: 1 + 3 × 639 + 1 = 1,919 characters, within arXiv's 1,920. */
const HOSTILE_ABSTRACT = `$${"x^{".repeat(639)}$`;

let arxiv: TestServer;
let llm: OpenAiServer;
let hookA: TestServer;
let hookB: TestServer;
let workspace: TempWorkspace;
let ws: string;
let env: Record<string, string>;
let childPid = 0;
let killed = false;
/** Posts each receiver answered with 200: what the sender could count as delivered. */
const answered = { a: 0, b: 0 };
let hostileId = "";

function feedItems(): FeedItem[] {
  const papers = distinctNewSchemePapers();
  // The hostile abstract goes on a paper the prefilter sends and the model picks, so the site renders it.
  const hostile = papers.find((p) => /mixture[- ]of[- ]experts/i.test(p.title))!;
  hostileId = hostile.id;
  const rest = papers.filter((p) => p !== hostile).slice(0, ENTRIES - 2);
  const list: ReferencePaper[] = [{ ...hostile, abstract: HOSTILE_ABSTRACT }, ...rest];
  const bad = { ...rest[0]!, id: BAD_ID };
  list.splice(BAD_POSITION - 1, 0, bad);
  return list.map((paper) => ({ paper, categories: ["cs.LG"], announceType: "new" }));
}

function hook(answer: () => boolean, count: () => void) {
  return startServer((_req, res) => {
    if (!answer()) return; // hangs: the run is killed meanwhile
    res.writeHead(200, { "content-type": "text/plain" });
    res.end("ok");
    count();
  });
}

beforeAll(async () => {
  const items = feedItems();
  expect(items).toHaveLength(ENTRIES);
  expect(HOSTILE_ABSTRACT.length).toBeLessThanOrEqual(1920);
  const xml = rssFeed("cs.LG", "Thu, 05 Feb 2026 00:00:00 -0500", items);
  arxiv = await startServer((req, res) => {
    if (req.url.startsWith("/rss/")) {
      res.writeHead(200, { "content-type": "application/rss+xml" });
      res.end(xml);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  llm = await startOpenAiServer({
    mode: (n) => (n === 0 ? "unauthorized" : n <= GARBAGE_CALLS ? "garbage" : "correct"),
    judge: (id) => (id === hostileId ? { relevance: 10, novelty: 10, keep: true } : hashVerdict(id)),
  });
  hookA = await hook(
    () => true,
    () => answered.a++,
  );
  // The second channel hangs in the first run and the test kills the run from there: the kill
  // falls after the first channel's successful post and before the second's.
  hookB = await hook(
    () => {
      if (killed) return true;
      killed = true;
      process.kill(childPid, "SIGKILL");
      return false;
    },
    () => answered.b++,
  );
  workspace = tempWorkspace(
    `arxiv:
  categories: [cs.LG]
  minIntervalSeconds: 0
  contact: tests@example.org
llm:
  provider: openai
  model: gpt-5-mini
  concurrency: 1
  maxAttempts: 12
  # The faults here are the scoring calls'; a triage that meets them leaves its titles undecided
  # (test/selection/triage.test.ts), so it is off to keep every garbage answer on a scoring call.
  triage:
    enabled: false
topics:
  - id: architecture
    title: Model architecture
    description: Mixture-of-experts, transformers and conditional computation.
    include: [mixture of experts, transformer]
deliver:
  webhooks:
    - url: ${hookA.url}/a
    - url: ${hookB.url}/b
`,
  );
  ws = workspace.dir;
  env = isolatedEnv(localServicesEnv(arxiv, llm, SECRET));
}, 600_000);

afterAll(async () => {
  await Promise.all([arxiv, llm, hookA, hookB].map((s) => s?.close()));
  workspace?.cleanup();
});

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile());
}

function readRecord(): DayRecord {
  return DayRecordSchema.parse(JSON.parse(readFileSync(join(ws, "archive", "2026", "02", `${DATE}.json`), "utf8")));
}

describe("a day with every fault at once", () => {
  it("is published whole, once per channel, with the secret nowhere", async () => {
    const runArgs = ["run", "--date", DATE, "--workspace", ws];
    const outputs: CliResult[] = [];

    // Run 0: the key is refused on the first chat call: exit 2, nothing archived or delivered.
    const refused = await runCli(runArgs, { env });
    outputs.push(refused);
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toMatch(/refused the key in OPENAI_API_KEY \(llm\.apiKeyEnv\) with HTTP 401/);
    expect(llm.chats()).toHaveLength(1); // a refused key costs one request
    expect(existsSync(join(ws, "archive", "2026", "02", `${DATE}.json`))).toBe(false);
    expect(answered).toEqual({ a: 0, b: 0 });

    // Run 1: garbage answers, the day is recorded, the first webhook is posted, then the kill.
    const first = await runCli(runArgs, { env, onSpawn: (pid) => (childPid = pid) });
    outputs.push(first);
    expect(first.signal).toBe("SIGKILL");
    expect(killed).toBe(true);
    expect(answered).toEqual({ a: 1, b: 0 });
    const afterKill = readRecord();
    expect(afterKill.deliveries.map((d) => [d.target, d.outcome])).toEqual([[`${hookA.url}/a`, "sent"]]);

    // Run 2: garbage answers first, then healthy ones; the second webhook answers now.
    const second = await runCli(runArgs, { env });
    outputs.push(second);
    expect(second.signal).toBeNull();
    expect(second.code).toBe(0);

    const site = await runCli(["site", "--workspace", ws], { env });
    outputs.push(site);
    expect(site.code).toBe(0);
    const dayPage = join(ws, "site", "2026", "02", "05", "index.html");
    expect(existsSync(dayPage)).toBe(true);

    const record = readRecord();

    // 399 papers kept; the malformed entry named by position and id.
    expect(record.papers).toHaveLength(ENTRIES - 1);
    expect(new Set(record.papers.map((p) => p.id)).size).toBe(ENTRIES - 1);
    expect(record.papers.some((p) => p.id === BAD_ID)).toBe(false);
    const badNote = record.notes.find((n) => n.includes(`entry ${BAD_POSITION}`));
    expect(badNote).toBeDefined();
    expect(badNote).toContain(BAD_ID);

    // Every paper scored: nothing unscored, and the LLM really read the ones it was sent.
    expect(record.papers.filter((p) => p.outcome === "unscored")).toEqual([]);
    expect(record.counts.unscored).toBe(0);
    expect(record.status.code).toBe("normal");
    const sent = record.counts.sentToLlm ?? 0;
    expect(sent).toBeGreaterThan(0);
    expect(record.papers.filter((p) => p.scoredBy === "llm")).toHaveLength(sent);
    for (const p of record.papers.filter((p) => p.scoredBy === "llm")) {
      const verdict = p.id === hostileId ? { relevance: 10 } : hashVerdict(p.id);
      expect(p.relevance).toBe(verdict.relevance);
    }
    // All 150 garbage answers were spent in run 2, and none was cached: the cache holds exactly
    // the healthy answers, and each paper was answered healthily once.
    const chats = [...llm.chats()];
    expect(chats.length).toBeGreaterThan(GARBAGE_CALLS + 1);
    const healthy = chats.slice(GARBAGE_CALLS + 1);
    expect(filesUnder(join(ws, ".cache", "llm"))).toHaveLength(healthy.length);
    expect(healthy.flatMap(idsIn).sort()).toEqual(
      record.papers
        .filter((p) => p.scoredBy === "llm")
        .map((p) => p.id)
        .sort(),
    );

    // The hostile abstract is kept whole, picked, and rendered on the day page.
    const hostile = record.papers.find((p) => p.id === hostileId)!;
    expect(hostile.abstract).toBe(HOSTILE_ABSTRACT);
    expect(hostile.outcome).toBe("selected");
    expect(readFileSync(dayPage, "utf8")).toContain(hostileId);

    // No channel got the same digest twice, and none got the refused run's. The first got the
    // digest before the kill and is not posted it again (the second run keeps its selection); the
    // second channel, cut off by the kill, gets it once from the second run.
    expect(answered).toEqual({ a: 1, b: 1 });
    expect(hookA.requests).toHaveLength(1);
    expect(JSON.parse(hookA.requests[0]!.body).update).toBe(false);
    expect(hookB.requests).toHaveLength(2); // the one the kill cut off, and the one answered
    expect(JSON.parse(hookB.requests.at(-1)!.body).update).toBe(false);
    expect(record.deliveries.map((d) => [d.target, d.outcome, d.update ?? false])).toEqual([
      [`${hookA.url}/a`, "sent", false],
      [`${hookB.url}/b`, "sent", false],
    ]);
    expect(JSON.parse(hookB.requests.at(-1)!.body).papers.length).toBe(record.counts.selected);

    // Garbage was never cached, but every paper of the batches that got it was answered once asked
    // again, and that verdict is kept paper by paper: a third run sends nothing and changes no
    // verdict, and neither does a fourth. Neither posts anything.
    const paid = llm.chats().length;
    const third = await runCli(runArgs, { env });
    outputs.push(third);
    expect(third.code).toBe(0);
    expect(llm.chats()).toHaveLength(paid);
    expect(readRecord().papers).toEqual(record.papers);
    const afterThird = llm.chats().length;
    const fourth = await runCli(runArgs, { env });
    outputs.push(fourth);
    expect(fourth.code).toBe(0);
    expect(filesUnder(join(ws, ".cache", "llm"))).toHaveLength(afterThird - 1 - GARBAGE_CALLS);
    expect(llm.chats()).toHaveLength(afterThird);
    expect(readRecord().papers).toEqual(record.papers);
    expect([hookA.requests.length, hookB.requests.length]).toEqual([1, 2]);

    // A rebuild of the site killed half-way leaves the published site whole, and the next build
    // cleans up after it.
    const published = readFileSync(dayPage, "utf8");
    const staging = () => readdirSync(ws).filter((n) => n.startsWith(".site.building-"));
    let rebuildPid = 0;
    const rebuild = runCli(["site", "--workspace", ws], { env, onSpawn: (pid) => (rebuildPid = pid) });
    let done = false;
    void rebuild.then(() => (done = true));
    while (!done && staging().length === 0) await sleep(5);
    if (!done) process.kill(rebuildPid, "SIGKILL");
    const killedBuild = await rebuild;
    outputs.push(killedBuild);
    expect(killedBuild.signal).toBe("SIGKILL");
    expect(readFileSync(dayPage, "utf8")).toBe(published);
    expect(existsSync(join(ws, "site", ".site-manifest.json"))).toBe(true);
    const again = await runCli(["site", "--workspace", ws], { env });
    outputs.push(again);
    expect(again.code).toBe(0);
    expect(readFileSync(dayPage, "utf8")).toContain(hostileId);
    expect(staging()).toEqual([]);

    // The secret, whole or masked, is nowhere: the workspace (archive, site, cache), output, or what was posted.
    const leaks = (text: string) => [SECRET, MASKED, "SECRETVALUE"].filter((s) => text.includes(s));
    const files = filesUnder(ws);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect({ file, leaks: leaks(readFileSync(file, "latin1")) }).toEqual({ file, leaks: [] });
    for (const out of outputs) expect(leaks(out.stdout + out.stderr)).toEqual([]);
    for (const req of [...hookA.requests, ...hookB.requests]) expect(leaks(req.body)).toEqual([]);
    // The refusal was said, without the key, on the refused run's error line; no record keeps it.
    expect(refused.stderr).toMatch(/HTTP 401/);
    expect(JSON.stringify(afterKill)).not.toMatch(/HTTP 401/);
  }, 600_000);
});
