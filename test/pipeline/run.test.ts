/**
 * runDay against a local arXiv feed server (real fetch code, fixture feeds in arXiv's format) with
 * the offline scorer, one test per case a digest must state honestly: normal, stale (waited for,
 * then given up), weekend, holiday, empty, failed feed, partial, everything filtered out; plus
 * idempotent re-runs and delivery failures retried by the next run.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it, onTestFinished } from "vitest";
import { ArchiveStore } from "../../src/archive/store.js";
import { feedDaysBetween } from "../../src/arxiv/calendar.js";
import { UserError } from "../../src/model/errors.js";
import { silentLogger, workspaceHolidays } from "../../src/pipeline/context.js";
import { ClockError, PastDateError, runDay } from "../../src/pipeline/run.js";
import { loadWorkspace, type Workspace } from "../../src/workspace/load.js";
import { mimeHeader, mimeParts, startSmtpReceiver } from "../deliver/smtp-receiver.js";
import { rssFeed } from "../helpers/arxiv-xml.js";
import { makeDay, makePaper } from "../helpers/day-factory.js";
import { fakeClock } from "../helpers/fake-clock.js";
import { startServer, type TestServer } from "../helpers/server.js";
import { tempWorkspace } from "../helpers/workspace.js";

const fixture = (path: string) => readFileSync(new URL(`../fixtures/feeds/${path}`, import.meta.url), "utf8");
const DAY = fixture("2026-02-05/cs.LG+cs.AI+cs.CL.xml");
const STALE_CL = fixture("stale/cs.CL-2026-02-06.xml");
const WEEKEND = fixture("weekend/cs.LG-2026-02-07.xml");
const CL = fixture("2026-02-05/cs.CL.xml");
/** Two consecutive real announcement days of the demo snapshot (combined cs.LG+cs.AI feeds). */
const demoDay = (date: string) =>
  readFileSync(new URL(`../../demo/data/${date}/cs.LG+cs.AI.xml`, import.meta.url), "utf8");
const MAR17 = demoDay("2026-03-17");
const MAR18 = demoDay("2026-03-18");
const DEMO_FEED = "/rss/cs.LG+cs.AI";
/** 06:30 US Eastern (07:30 in summer time) on a date: after the feed flipped. */
const morning = (date: string) => Date.parse(`${date}T11:30:00Z`);

const servers: TestServer[] = [];
const withArxiv = (ws: Workspace, arxiv: Partial<Workspace["config"]["arxiv"]>): Workspace => ({
  ...ws,
  config: { ...ws.config, arxiv: { ...ws.config.arxiv, ...arxiv } },
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A webhook receiver keeping the JSON body of every post, in order (it answers 200). */
async function jsonReceiver<T>(): Promise<{ hook: TestServer; bodies: T[] }> {
  const bodies: T[] = [];
  const hook = await startServer((req, res) => {
    bodies.push(JSON.parse(req.body) as T);
    res.writeHead(200);
    res.end("ok");
  });
  servers.push(hook);
  return { hook, bodies };
}

/** A feed server answering each path with the body the test gives (a function may change over time). */
async function feedServer(routes: Record<string, string | number | (() => string | number)>): Promise<TestServer> {
  const s = await startServer((req, res) => {
    const route = routes[req.url];
    const body = typeof route === "function" ? route() : route;
    if (body === undefined || typeof body === "number") {
      res.writeHead(typeof body === "number" ? body : 404);
      res.end("not here");
      return;
    }
    res.writeHead(200, { "content-type": "application/rss+xml" });
    res.end(body);
  });
  servers.push(s);
  return s;
}

function workspace(server: TestServer, extraYaml = ""): Workspace {
  const { dir, cleanup } = tempWorkspace(
    `arxiv:
  categories: [cs.LG, cs.AI, cs.CL]
  minIntervalSeconds: 0
  retries: 0
  timeoutSeconds: 5
llm:
  provider: offline
topics:
  - id: architecture
    title: Model architecture
    description: Mixture-of-experts, transformers and attention.
    include: [mixture of experts, transformer, attention]
${extraYaml}`,
  );
  onTestFinished(cleanup);
  return loadWorkspace(dir, { ARXIV_RSS_URL: `${server.url}/rss` });
}

/** A workspace reading the demo days' combined cs.LG+cs.AI feed. */
function demoWorkspace(server: TestServer, extraYaml = ""): Workspace {
  return withArxiv(workspace(server, extraYaml), { categories: ["cs.LG", "cs.AI"] });
}

describe("runDay", () => {
  it("archives a normal day with every scanned paper, and a re-run gives the same record", async () => {
    const server = await feedServer({ "/rss/cs.LG+cs.AI+cs.CL": DAY });
    const ws = workspace(server);
    const ctx = { workspace: ws, clock: fakeClock(morning("2026-02-05")), log: silentLogger };
    const first = await runDay(ctx, { deliver: false });
    expect(first.outcome).toBe("complete");
    const r = first.record;
    expect(r.date).toBe("2026-02-05");
    expect(r.status.code).toBe("normal");
    expect(r.counts).toMatchObject({ entries: 365, unique: 365, scanned: 247, unscored: 0 });
    expect(r.papers).toHaveLength(247);
    expect(r.sources[0]).toMatchObject({ url: `${server.url}/rss/cs.LG+cs.AI+cs.CL`, entries: 365, outcome: "ok" });
    expect(first.files.map((f) => f.slice(-8))).toEqual(["-05.json", "02-05.md"]);

    const again = await runDay(ctx, { deliver: false });
    expect({ ...again.record, generatedAt: "" }).toEqual({ ...r, generatedAt: "" });
    // One request per run: the combined feed for all three categories.
    expect(server.requests).toHaveLength(2);
  });

  it("keeps the selection settings the day was judged with in its record, values only", async () => {
    const server = await feedServer({ "/rss/cs.LG+cs.AI+cs.CL": DAY });
    const ws = workspace(
      server,
      `selection:
  weights: { relevance: 2, novelty: 0.5 }
  minRelevance: 3
  minNovelty: 1
  minScore: 4
  maxPapers: 5
  prefilter: { keepShare: 0.5, scoreShare: 0.2, floor: 2.5 }
`,
    );
    const { record } = await runDay(
      { workspace: ws, clock: fakeClock(morning("2026-02-05")), log: silentLogger },
      { deliver: false },
    );
    const settings = {
      weights: { relevance: 2, novelty: 0.5 },
      minRelevance: 3,
      minNovelty: 1,
      minScore: 4,
      maxPapers: 5,
      // The offline scorer judged the day: neither the prefilter nor the title triage ran, no model scored;
      // the ration of abstracts (scoreShare) applies only after the triage, so the record does not keep it.
      prefilter: { enabled: false, keepShare: 0.5, floor: 2.5, historyWeight: 0.7, historyDays: 90 },
      prefilterMinRelevance: 0,
      triage: { enabled: false },
      model: null,
      // A fresh workspace: nothing to learn from yet; feedback given before the run started counts.
      learning: {
        days: 0,
        picks: 0,
        likedOrSaved: 0,
        disliked: 0,
        leftForNextRun: 0,
        cutoff: new Date(morning("2026-02-05")).toISOString(),
      },
    };
    expect(record.selectionSettings).toEqual(settings);
    const stored = await new ArchiveStore(ws.archiveDir).readDay("2026-02-05");
    expect(stored.selectionSettings).toEqual(settings);
    expect(JSON.stringify(stored.selectionSettings)).not.toMatch(/https?:|OPENAI_API_KEY/);
  });

  it("learns from feedback given before the run started, and says what waits for the next run", async () => {
    const server = await feedServer({ [DEMO_FEED]: () => MAR18 });
    const ws = demoWorkspace(server);
    const store = new ArchiveStore(ws.archiveDir);
    // The day before, as an earlier run left it: its papers are what the reader gives feedback on.
    await store.writeDay(
      makeDay({
        date: "2026-03-17",
        papers: [
          makePaper({ id: "2603.00001", title: "Sparse mixture of experts routing", outcome: "selected" }),
          makePaper({ id: "2603.00002", title: "Protein folding with diffusion", outcome: "rejected" }),
          makePaper({ id: "2603.00003", title: "Attention sinks in long context", outcome: "rejected" }),
        ],
      }),
    );
    const start = morning("2026-03-18");
    const at = (ms: number) => new Date(ms).toISOString();
    writeFileSync(
      join(ws.dir, "feedback.jsonl"),
      [
        // The US evening before: before the day began, counted as ever.
        { v: 1, id: "2603.00003", signal: "like", at: "2026-03-17T23:00:00-04:00", source: "cli" },
        // After midnight UTC of the run's date but before the run: counted now.
        { v: 1, id: "2603.00002", signal: "dislike", at: at(start - 3_600_000), source: "cli" },
        // Given while the run was under way: the next run's.
        { v: 1, id: "2603.00001", signal: "save", at: at(start + 60_000), source: "site" },
      ]
        .map((l) => JSON.stringify(l))
        .join("\n")
        .concat("\n"),
    );
    const said: string[] = [];
    const log = { info: (m: string) => said.push(m), warn: (m: string) => said.push(m) };
    const { record } = await runDay({ workspace: ws, clock: fakeClock(start), log }, { deliver: false });
    expect(record.date).toBe("2026-03-18");
    expect(record.selectionSettings?.learning).toEqual({
      days: 1,
      picks: 1,
      likedOrSaved: 1,
      disliked: 1,
      leftForNextRun: 1,
      cutoff: "2026-03-18T11:30:00.000Z",
    });
    expect(said).toContain("Learning from 1 earlier day: 1 picked, 1 liked or saved, 1 disliked.");
    expect(said).toContain("1 feedback signal given after 2026-03-18 11:30 UTC counts from the next run.");
    // Kept in the archive as written.
    expect((await store.readDay("2026-03-18")).selectionSettings?.learning).toEqual(record.selectionSettings?.learning);
  });

  it("waits for a stale feed while allowed, then publishes the fresh batch", async () => {
    const answers = [MAR17, MAR17, MAR17, MAR18];
    const server = await feedServer({ [DEMO_FEED]: () => answers.shift() ?? 404 });
    const ws = demoWorkspace(server);
    await runDay({ workspace: ws, clock: fakeClock(morning("2026-03-17")), log: silentLogger }, { deliver: false });
    const clock = fakeClock(morning("2026-03-18"));
    const result = await runDay(
      { workspace: ws, clock, log: silentLogger },
      { deliver: false, waitFreshMinutes: 30, pollMinutes: 10 },
    );
    expect(clock.sleeps).toEqual([600_000, 600_000]);
    expect(result.record.date).toBe("2026-03-18");
    expect(result.record.status.code).toBe("normal");
    expect(await new ArchiveStore(ws.archiveDir).listDays()).toEqual(["2026-03-17", "2026-03-18"]);
  });

  it("while waiting, says the feed is stale in full once, then one short line per poll; a day recorded without a digest is not called archived", async () => {
    const server = await feedServer({ "/rss/cs.LG+cs.AI+cs.CL": DAY });
    const ws = workspace(server);
    // The 5th's own run found the feed stale and kept no paper; the feed now serves the 5th's batch.
    await new ArchiveStore(ws.archiveDir).writeDay(
      makeDay({ date: "2026-02-05", papers: [], status: { code: "stale", message: "The feed was not updated." } }),
    );
    const said: string[] = [];
    const log = { info: (m: string) => said.push(m), warn: (m: string) => said.push(m) };
    const clock = fakeClock(morning("2026-02-06"));
    const result = await runDay(
      { workspace: ws, clock, log },
      { deliver: false, waitFreshMinutes: 30, pollMinutes: 10 },
    );
    expect(result.outcome).toBe("stale");
    expect(clock.sleeps).toEqual([600_000, 600_000, 600_000]);
    const waits = said.filter((m) => /next look|Checking again/.test(m));
    expect(waits).toEqual([
      "The feed has not been updated for 2026-02-06 yet: it still carries the announcement of Thursday 2026-02-05, which is recorded without a digest (its run missed it; `arxiv-digest backfill --from 2026-02-05 --to 2026-02-05` rebuilds it). arXiv's feeds switch at midnight US Eastern; run again later. Checking again in 10 min.",
      "Still the same after 10 min of waiting; next look in 10 min.",
      "Still the same after 20 min of waiting; next look in 10 min.",
    ]);
    expect(said.join("\n")).not.toContain("already archived");
  });

  it("says the feed is stale, exits 3, and never publishes yesterday's papers as today's", async () => {
    const server = await feedServer({ "/rss/cs.LG+cs.AI+cs.CL": DAY });
    const ws = workspace(server);
    await runDay({ workspace: ws, clock: fakeClock(morning("2026-02-05")), log: silentLogger }, { deliver: false });
    const result = await runDay(
      { workspace: ws, clock: fakeClock(morning("2026-02-06")), log: silentLogger },
      { deliver: false },
    );
    expect(result.outcome).toBe("stale");
    expect(result.record).toMatchObject({ date: "2026-02-06", papers: [], status: { code: "stale" } });
    expect(result.record.status.message).toMatch(/has not been updated/);
    const store = new ArchiveStore(ws.archiveDir);
    expect((await store.readDay("2026-02-05")).papers.length).toBe(247);
    expect(readFileSync(store.path("2026-02-06", "md"), "utf8")).toMatch(/Stale feed/);
  });

  it("writes an honest record for a weekend and for a holiday", async () => {
    const server = await feedServer({ "/rss/cs.LG+cs.AI+cs.CL": WEEKEND });
    const weekend = await runDay(
      { workspace: workspace(server), clock: fakeClock(morning("2026-02-07")), log: silentLogger },
      { deliver: false },
    );
    expect(weekend.outcome).toBe("complete");
    expect(weekend.record.status.code).toBe("no-announcement");
    expect(weekend.record.papers).toEqual([]);

    const holidayServer = await feedServer({ "/rss/cs.LG+cs.AI+cs.CL": STALE_CL });
    const ws = workspace(holidayServer);
    const h = await runDay(
      {
        workspace: withArxiv(ws, { holidays: ["2026-02-06"] }),
        clock: fakeClock(morning("2026-02-06")),
        log: silentLogger,
      },
      { deliver: false },
    );
    expect(h.outcome).toBe("complete");
    expect(h.record.status.code).toBe("holiday");
  });

  it("says a weekend once, naming the next announcement, and the backfill when a day was missed", async () => {
    const server = await feedServer({ "/rss/cs.LG+cs.AI+cs.CL": DAY });
    const said: string[] = [];
    const log = { info: (m: string) => said.push(m), warn: (m: string) => said.push(m) };
    const sentence =
      "No arXiv announcement is dated Saturday 2026-02-07: arXiv announces nothing on weekends; the next announcement is Monday 2026-02-09's, made Sunday 2026-02-08 at 20:00 ET";
    // A fresh workspace has missed nothing: the sentence alone, said once (the summary), not as a notice too.
    const fresh = await runDay(
      { workspace: workspace(server), clock: fakeClock(morning("2026-02-07")), log },
      {
        deliver: false,
      },
    );
    expect(said).toEqual([]);
    expect(fresh.summary).toBe(`${sentence}.`);

    // Thursday archived, Friday not: the weekend says which backfill rebuilds it.
    const ws = workspace(server);
    await runDay({ workspace: ws, clock: fakeClock(morning("2026-02-05")), log: silentLogger }, { deliver: false });
    const saturday = await runDay({ workspace: ws, clock: fakeClock(morning("2026-02-07")), log }, { deliver: false });
    expect(said).toEqual([]);
    expect(saturday.outcome).toBe("complete");
    expect(saturday.summary).toBe(
      `${sentence}; 2026-02-06 has no digest: rebuild it with \`arxiv-digest backfill --from 2026-02-06 --to 2026-02-06\`.`,
    );
  });

  it("names on a weekend an announcement day with no record at all, older than the newest archived day", async () => {
    const server = await feedServer({ "/rss/cs.LG+cs.AI+cs.CL": DAY });
    const ws = workspace(server);
    // The runner was down on Wednesday 2026-02-04: nothing recorded; the days around it archived.
    const store = new ArchiveStore(ws.archiveDir);
    for (const date of ["2026-02-03", "2026-02-05", "2026-02-06"]) await store.writeDay(makeDay({ date }));
    const saturday = await runDay(
      { workspace: ws, clock: fakeClock(morning("2026-02-07")), log: silentLogger, actions: true },
      { deliver: false },
    );
    expect(saturday.summary).toMatch(
      /; 2026-02-04 has no digest: rebuild it with the Backfill workflow \(Actions → Backfill → Run workflow\) with from 2026-02-04 and to 2026-02-04\.$/,
    );
  });

  /**
   * Saturday 2026-03-07's run over an archive of every announcement day from `from` to 2026-03-06 but
   * `missing` (the runner was down), with the records of `damaged` not valid JSON; the warnings it gave.
   */
  async function saturdayOverDamagedArchive(from: string, missing: string, damaged: readonly string[]) {
    const server = await feedServer({ "/rss/cs.LG+cs.AI+cs.CL": DAY });
    const ws = workspace(server);
    const store = new ArchiveStore(ws.archiveDir);
    for (const date of feedDaysBetween(from, "2026-03-06", workspaceHolidays(ws))) {
      if (date !== missing) await store.writeDay(makeDay({ date }));
    }
    for (const date of damaged) writeFileSync(store.path(date), "{ not json");
    const warned: string[] = [];
    const log = { info: () => {}, warn: (m: string) => warned.push(m) };
    const saturday = await runDay({ workspace: ws, clock: fakeClock(morning("2026-03-07")), log }, { deliver: false });
    return { store, warned, saturday };
  }

  it("names on a weekend the days without a digest past a record that cannot be read, and that file in one warning", async () => {
    // Every announcement day from 2026-01-02 to 2026-03-06 archived but Wednesday 2026-03-04 (the runner
    // was down); Monday 2026-02-16's file damaged.
    const { store, warned, saturday } = await saturdayOverDamagedArchive("2026-01-02", "2026-03-04", ["2026-02-16"]);
    expect(saturday.outcome).toBe("complete");
    expect(saturday.summary).toMatch(
      /; 2026-03-04 has no digest: rebuild it with `arxiv-digest backfill --from 2026-03-04 --to 2026-03-04`\.$/,
    );
    expect(warned).toHaveLength(1);
    const [warning] = warned;
    expect(
      warning!.startsWith(
        `Skipped a damaged archive file, leaving its day as it is: ${store.path("2026-02-16")} is not valid JSON: `,
      ),
    ).toBe(true);
    expect(warning).toMatch(
      /\. Repair the file, or delete it and rebuild 2026-02-16 with `arxiv-digest backfill --from 2026-02-16 --to 2026-02-16`; or check only the days after it with `arxiv-digest backfill --from 2026-02-17 --to 2026-03-06`\.$/,
    );
    expect(readFileSync(store.path("2026-02-16"), "utf8")).toBe("{ not json");
  });

  it("does not offer on a weekend to check only the days after damaged records when a missing day lies before them", async () => {
    // The week of 2026-03-02: Monday's and Thursday's files damaged, Tuesday not recorded (the runner was down).
    const { warned, saturday } = await saturdayOverDamagedArchive("2026-02-02", "2026-03-03", [
      "2026-03-02",
      "2026-03-05",
    ]);
    expect(saturday.summary).toMatch(
      /; 2026-03-03 has no digest: rebuild it with `arxiv-digest backfill --from 2026-03-03 --to 2026-03-03`\.$/,
    );
    expect(warned).toHaveLength(1);
    // A backfill from Friday would never rebuild Tuesday: not offered. The one offered spans Tuesday.
    expect(warned[0]).not.toContain("days after");
    expect(warned[0]).toMatch(
      /Repair the files, or delete them and rebuild those days with `arxiv-digest backfill --from 2026-03-02 --to 2026-03-05`\.$/,
    );
  });

  it("names a damaged record once on a holiday, whose fetch and whose count of missed days both meet it", async () => {
    // Thursday 2026-02-05's file damaged; Friday 2026-02-06 a holiday by the workspace's table. The
    // holiday's one fetch reads the days before it for the feed's check, and its sentence counts the
    // days without a digest: both skip that file, and it is named once, with how to repair it.
    const server = await feedServer({ "/rss/cs.LG+cs.AI+cs.CL": DAY });
    const ws = withArxiv(workspace(server), { holidays: ["2026-02-06"] });
    const store = new ArchiveStore(ws.archiveDir);
    for (const date of feedDaysBetween("2026-01-02", "2026-02-05", workspaceHolidays(ws))) {
      if (date !== "2026-02-03") await store.writeDay(makeDay({ date }));
    }
    writeFileSync(store.path("2026-02-05"), "{ not json");
    const warned: string[] = [];
    const log = { info: () => {}, warn: (m: string) => warned.push(m) };
    const holiday = await runDay({ workspace: ws, clock: fakeClock(morning("2026-02-06")), log }, { deliver: false });
    expect(holiday.record.status.code).toBe("holiday");
    expect(warned, warned.join("\n")).toHaveLength(1);
    expect(warned[0]).toMatch(
      /^Skipped a damaged archive file, leaving its day as it is: .*2026-02-05\.json is not valid JSON: .*\. Repair the file, or delete it and rebuild 2026-02-05 with `arxiv-digest backfill --from 2026-02-05 --to 2026-02-05`\.$/,
    );
    const file = store.path("2026-02-05");
    const named = [...warned, holiday.summary].join("\n").split(file).length - 1;
    expect(named, `${warned.join("\n")}\n${holiday.summary}`).toBe(1);
    // The sentence still names the day without a digest; the holiday ends as a weekend over the same archive does.
    expect(holiday.summary).toMatch(
      /; 2026-02-03 has no digest: rebuild it with `arxiv-digest backfill --from 2026-02-03 --to 2026-02-03`\.$/,
    );
    expect(holiday.outcome).toBe("complete");
    expect(readFileSync(file, "utf8")).toBe("{ not json");
  });

  it("names no missed day on a first weekend: a workspace that began on Friday never had the days before", async () => {
    const friday = DAY.replaceAll("Thu, 05 Feb 2026", "Fri, 06 Feb 2026");
    const server = await feedServer({ "/rss/cs.LG+cs.AI+cs.CL": friday });
    const ws = workspace(server);
    const first = await runDay(
      { workspace: ws, clock: fakeClock(morning("2026-02-06")), log: silentLogger },
      { deliver: false },
    );
    expect(first.record).toMatchObject({ date: "2026-02-06", status: { code: "normal" } });
    const saturday = await runDay(
      { workspace: ws, clock: fakeClock(morning("2026-02-07")), log: silentLogger },
      { deliver: false },
    );
    expect(saturday.summary).toBe(
      "No arXiv announcement is dated Saturday 2026-02-07: arXiv announces nothing on weekends; the next announcement is Monday 2026-02-09's, made Sunday 2026-02-08 at 20:00 ET.",
    );
  });

  it("reports an empty announcement, a failed feed and a partial day", async () => {
    const empty = rssFeed("cs.LG+cs.AI+cs.CL", "Thu, 05 Feb 2026 00:00:00 -0500", []);
    const e = await runDay(
      {
        workspace: workspace(await feedServer({ "/rss/cs.LG+cs.AI+cs.CL": empty })),
        clock: fakeClock(morning("2026-02-05")),
        log: silentLogger,
      },
      { deliver: false },
    );
    expect(e.record.status.code).toBe("empty");

    const down = await feedServer({ "/rss/cs.LG+cs.AI+cs.CL": 503 });
    const f = await runDay(
      { workspace: workspace(down), clock: fakeClock(morning("2026-02-05")), log: silentLogger },
      { deliver: false },
    );
    expect(f.outcome).toBe("incomplete");
    expect(f.record.status.code).toBe("failed");
    expect(f.record.status.message).toContain("503");

    const split = await feedServer({ "/rss/cs.LG": 500, "/rss/cs.AI": 500, "/rss/cs.CL": CL });
    const wsSplit = workspace(split);
    const partial = await runDay(
      {
        workspace: withArxiv(wsSplit, { combinedFeed: false }),
        clock: fakeClock(morning("2026-02-05")),
        log: silentLogger,
      },
      { deliver: false },
    );
    expect(partial.outcome).toBe("incomplete");
    expect(partial.record.status.code).toBe("partial");
    expect(partial.record.status.message).toMatch(/2 of 3 feeds failed \(cs\.LG, cs\.AI\)/);
    expect(partial.record.papers.length).toBeGreaterThan(0);
  });

  it("says when the filters left nothing to scan", async () => {
    const server = await feedServer({ "/rss/cs.LG+cs.AI+cs.CL": DAY });
    const ws = workspace(server);
    const only = withArxiv(ws, { announceTypes: ["new"], primaryOnly: true });
    const onlyNewFromElsewhere = DAY.replace(
      /<arxiv:announce_type>new<\/arxiv:announce_type>/g,
      "<arxiv:announce_type>replace</arxiv:announce_type>",
    ).replace(/Announce Type: new /g, "Announce Type: replace ");
    server.setHandler((_req, res) => {
      res.writeHead(200, { "content-type": "application/rss+xml" });
      res.end(onlyNewFromElsewhere);
    });
    const r = await runDay(
      { workspace: only, clock: fakeClock(morning("2026-02-05")), log: silentLogger },
      { deliver: false },
    );
    expect(r.outcome).toBe("complete");
    expect(r.record.status.code).toBe("filtered-out");
    expect(r.record.counts.entries).toBe(365);
  });

  it("sends a failed day and an honest empty day to the channels, never a weekend or a holiday", async () => {
    const { hook, bodies } = await jsonReceiver<{
      date: string;
      update: boolean;
      status: { code: string };
      papers: unknown[];
      url: string | null;
    }>();
    let feedBody: string | number = 500;
    const feed = await feedServer({ [DEMO_FEED]: () => feedBody });
    const ws = demoWorkspace(feed, `deliver:\n  webhooks:\n    - url: ${hook.url}/hook\n`);
    const run = (date: string) =>
      runDay({ workspace: ws, clock: fakeClock(morning(date)), log: silentLogger }, { deliver: true, date });
    const seen = () => bodies.map((b) => `${b.date} ${b.status.code}${b.update ? " update" : ""} ${b.papers.length}`);

    // The feed cannot be read: the channels hear that the run failed, once.
    const failed = await run("2026-03-17");
    expect(failed.record.status.code).toBe("failed");
    expect(failed.record.deliveries).toMatchObject([{ channel: "webhook", outcome: "sent" }]);
    expect(seen()).toEqual(["2026-03-17 failed 0"]);
    // The site shows a missed day as one with no record: there is no page to link.
    expect(bodies[0]!.url).toBeNull();
    await run("2026-03-17");
    expect(seen()).toEqual(["2026-03-17 failed 0"]);
    // Re-run once the feed is back: the digest replaces the failure, as an update.
    feedBody = MAR17;
    const fixed = await run("2026-03-17");
    expect(fixed.record.deliveries.map((d) => `${d.outcome}${d.update ? " update" : ""}`)).toEqual([
      "sent",
      "sent update",
    ]);
    expect(seen()[1]).toMatch(/^2026-03-17 normal update [1-9]\d*$/);
    expect(bodies[1]!.url).toMatch(/\/2026\/03\/17\/$/);

    // An announcement with nothing in it is said, too.
    feedBody = rssFeed("cs.LG+cs.AI", "Wed, 18 Mar 2026 00:00:00 -0400", []);
    const empty = await run("2026-03-18");
    expect(empty.record.status.code).toBe("empty");
    expect(seen()[2]).toBe("2026-03-18 empty 0");
    expect(bodies[2]!.url).toMatch(/\/2026\/03\/18\/$/);

    // A weekend and a holiday announce nothing: nothing is sent.
    feedBody = WEEKEND;
    expect((await run("2026-03-21")).record.status.code).toBe("no-announcement");
    feedBody = MAR18;
    const holiday = await runDay(
      {
        workspace: withArxiv(ws, { holidays: ["2026-03-19"] }),
        clock: fakeClock(morning("2026-03-19")),
        log: silentLogger,
      },
      { deliver: true, date: "2026-03-19" },
    );
    expect(holiday.record.status.code).toBe("holiday");
    expect(holiday.record.deliveries).toEqual([]);
    expect(bodies).toHaveLength(3);
  });

  it("a failed day's messages link no page, and its email names the site's list as the digest's does", async () => {
    const posts: { path: string; body: string }[] = [];
    const hook = await startServer((req, res) => {
      posts.push({ path: req.url, body: req.body });
      res.writeHead(200);
      res.end("ok");
    });
    servers.push(hook);
    const smtp = await startSmtpReceiver();
    onTestFinished(() => smtp.close());
    let feedBody: string | number = 500;
    const feed = await feedServer({ [DEMO_FEED]: () => feedBody });
    const site = "https://me.github.io/papers/";
    const base = demoWorkspace(
      feed,
      `site:
  baseUrl: ${site}
deliver:
  slack: {}
  email: { host: 127.0.0.1, port: ${smtp.port}, tls: none, from: digest@example.org, to: [ada@example.org] }
  webhooks:
    - url: ${hook.url}/hook
`,
    );
    const ws = { ...base, env: { ...base.env, SLACK_WEBHOOK_URL: `${hook.url}/slack` } };
    const run = () =>
      runDay({ workspace: ws, clock: fakeClock(morning("2026-03-17")), log: silentLogger }, { deliver: true });
    /** What each channel sent for the day: the Slack and webhook bodies, the email's two parts. */
    const sent = () => ({
      posts: posts.splice(0).map((p) => p.body),
      mails: smtp.mails.splice(0).map((m) => ({
        listId: mimeHeader(m.raw, "list-id"),
        parts: mimeParts(m.raw).map((part) => part.body),
      })),
    });

    const failed = await run();
    expect(failed.record.status.code).toBe("failed");
    expect(failed.record.deliveries.map((d) => `${d.channel} ${d.outcome}`)).toEqual([
      "slack sent",
      "email sent",
      "webhook sent",
    ]);
    const notice = sent();
    // The site has no page for the day: no message links one (nor the site at all).
    expect(notice.posts).toHaveLength(2);
    expect(notice.mails).toHaveLength(1);
    for (const body of [...notice.posts, ...notice.mails[0]!.parts]) expect(body).not.toContain("me.github.io");
    expect(JSON.parse(notice.posts[1]!).url).toBeNull();
    // But the notice is still the site's list's: a reader's filter catches it with the digests.
    expect(notice.mails[0]!.listId).toBe('"arXiv digest" <arxiv-digest.me.github.io>');

    feedBody = MAR17;
    const fixed = await run();
    expect(fixed.record.status.code).toBe("normal");
    const digest = sent();
    const page = `${site}2026/03/17/`;
    expect(digest.mails).toHaveLength(1);
    expect(digest.mails[0]!.listId).toBe(notice.mails[0]!.listId);
    expect(digest.mails[0]!.parts[0]).toContain(page);
    expect(digest.posts.some((body) => body.includes(page))).toBe(true);
    expect(JSON.parse(digest.posts.at(-1)!).url).toBe(page);
  });

  it("sends a stale day only after waiting for it (--wait-fresh): a run that did not wait sends nothing", async () => {
    const { hook, bodies } = await jsonReceiver<{
      date: string;
      update: boolean;
      status: { code: string };
      papers: unknown[];
      url: string | null;
    }>();
    let feedBody = MAR17;
    const feed = await feedServer({ [DEMO_FEED]: () => feedBody });
    const seen = () => bodies.map((b) => `${b.date} ${b.status.code}${b.update ? " update" : ""} ${b.papers.length}`);
    const yaml = `deliver:\n  webhooks:\n    - url: ${hook.url}/hook\n`;
    const run = (ws: Workspace, date: string, waitFreshMinutes?: number) =>
      runDay(
        { workspace: ws, clock: fakeClock(morning(date)), log: silentLogger },
        { deliver: true, ...(waitFreshMinutes === undefined ? {} : { waitFreshMinutes, pollMinutes: 5 }) },
      );

    const ws = demoWorkspace(feed, yaml);
    await run(ws, "2026-03-17");
    expect(seen()).toEqual([expect.stringMatching(/^2026-03-17 normal [1-9]\d*$/)]);
    // The feed still serves the 17th on the 18th: "run again later" (exit 3), recorded as it is, sent nowhere.
    const stale = await run(ws, "2026-03-18");
    expect(stale.outcome).toBe("stale");
    expect(stale.summary).toMatch(
      /^2026-03-18: The feed has not been updated for 2026-03-18 yet: .*run again later\.$/,
    );
    expect(stale.record).toMatchObject({ date: "2026-03-18", status: { code: "stale" }, deliveries: [] });
    expect((await new ArchiveStore(ws.archiveDir).readDay("2026-03-18")).deliveries).toEqual([]);
    expect(bodies).toHaveLength(1);
    // The run that reads the day sends it once, as the day's first message, not as an update.
    feedBody = MAR18;
    await run(ws, "2026-03-18");
    expect(seen().slice(1)).toEqual([expect.stringMatching(/^2026-03-18 normal [1-9]\d*$/)]);

    // A run that waited for the feed (--wait-fresh) and gave up tells the channels.
    feedBody = MAR17;
    const waiting = demoWorkspace(feed, yaml);
    await run(waiting, "2026-03-17");
    const gaveUp = await run(waiting, "2026-03-18", 10);
    expect(gaveUp.outcome).toBe("stale");
    expect(gaveUp.record.deliveries).toMatchObject([{ channel: "webhook", outcome: "sent" }]);
    expect(seen().slice(2)).toEqual([expect.stringMatching(/^2026-03-17 normal/), "2026-03-18 stale 0"]);
  });

  it("records a failed delivery and retries it on the next run", async () => {
    let hookUp = false;
    const received: string[] = [];
    const hook = await startServer((req, res) => {
      if (!hookUp) {
        res.writeHead(400);
        res.end("bad request");
        return;
      }
      received.push(JSON.parse(req.body).date);
      res.writeHead(200);
      res.end("ok");
    });
    servers.push(hook);
    const feed = await feedServer({ [DEMO_FEED]: MAR17 });
    const ws = demoWorkspace(feed, `deliver:\n  webhooks:\n    - url: ${hook.url}/hook\n`);
    const first = await runDay(
      { workspace: ws, clock: fakeClock(morning("2026-03-17")), log: silentLogger },
      { deliver: true },
    );
    expect(first.record.deliveries).toHaveLength(1);
    // The digest is archived, but the run reports the failed delivery.
    expect(first.outcome).toBe("incomplete");
    expect(first.summary).toMatch(/1 delivery failed; `arxiv-digest deliver 2026-03-17` retries it/);
    expect(first.record.deliveries[0]).toMatchObject({ channel: "webhook", outcome: "failed" });

    hookUp = true;
    feed.setHandler((_req, res) => {
      res.writeHead(200, { "content-type": "application/rss+xml" });
      res.end(MAR18);
    });
    const second = await runDay(
      { workspace: ws, clock: fakeClock(morning("2026-03-18")), log: silentLogger },
      { deliver: true },
    );
    expect(second.record.deliveries).toMatchObject([{ channel: "webhook", outcome: "sent" }]);
    expect(second.outcome).toBe("complete");
    expect(received.sort()).toEqual(["2026-03-17", "2026-03-18"]);
    const store = new ArchiveStore(ws.archiveDir);
    const retried = await store.readDay("2026-03-17");
    expect(retried.deliveries.map((d) => d.outcome)).toEqual(["failed", "sent"]);
  });

  it("retries an earlier day's failed delivery on a run that finds no announcement", async () => {
    let hookUp = false;
    const received: string[] = [];
    const hook = await startServer((req, res) => {
      if (hookUp) received.push(JSON.parse(req.body).date);
      res.writeHead(hookUp ? 200 : 400);
      res.end(hookUp ? "ok" : "bad request");
    });
    servers.push(hook);
    const feed = await feedServer({ [DEMO_FEED]: MAR17 });
    const ws = demoWorkspace(feed, `deliver:\n  webhooks:\n    - url: ${hook.url}/hook\n`);
    await runDay({ workspace: ws, clock: fakeClock(morning("2026-03-17")), log: silentLogger }, { deliver: true });

    hookUp = true;
    feed.setHandler((_req, res) => {
      res.writeHead(200, { "content-type": "application/rss+xml" });
      res.end(WEEKEND);
    });
    // Saturday: no batch, so nothing of its own to send; Tuesday's failure goes out now.
    const saturday = await runDay(
      { workspace: ws, clock: fakeClock(morning("2026-03-21")), log: silentLogger },
      { deliver: false },
    );
    expect(saturday.record.status.code).toBe("no-announcement");
    expect(received).toEqual([]); // --no-deliver sends nothing, earlier days included
    const sunday = await runDay(
      { workspace: ws, clock: fakeClock(morning("2026-03-22")), log: silentLogger },
      { deliver: true },
    );
    expect(sunday.record.status.code).toBe("no-announcement");
    expect(sunday.outcome).toBe("complete");
    expect(received).toEqual(["2026-03-17"]);
    const mar17 = await new ArchiveStore(ws.archiveDir).readDay("2026-03-17");
    expect(mar17.deliveries.map((d) => d.outcome)).toEqual(["failed", "sent"]);
  });

  it("never sends earlier days to a channel added to the config since, while retrying their failures", async () => {
    const received: string[] = [];
    let oldUp = false;
    const hook = await startServer((req, res) => {
      const ok = req.url === "/new" || oldUp;
      if (ok) received.push(`${req.url} ${JSON.parse(req.body).date}`);
      res.writeHead(ok ? 200 : 400);
      res.end(ok ? "ok" : "bad request");
    });
    servers.push(hook);
    const feed = await feedServer({ [DEMO_FEED]: MAR17 });
    const ws = demoWorkspace(feed, `deliver:\n  webhooks:\n    - url: ${hook.url}/old\n`);
    await runDay({ workspace: ws, clock: fakeClock(morning("2026-03-17")), log: silentLogger }, { deliver: true });

    // The reader adds a channel; the old one is back up.
    oldUp = true;
    const added: Workspace = {
      ...ws,
      config: {
        ...ws.config,
        deliver: {
          ...ws.config.deliver,
          webhooks: [...ws.config.deliver.webhooks, { url: `${hook.url}/new`, headers: {}, headersEnv: {} }],
        },
      },
    };
    feed.setHandler((_req, res) => {
      res.writeHead(200, { "content-type": "application/rss+xml" });
      res.end(MAR18);
    });
    await runDay({ workspace: added, clock: fakeClock(morning("2026-03-18")), log: silentLogger }, { deliver: true });
    expect(received.sort()).toEqual(["/new 2026-03-18", "/old 2026-03-17", "/old 2026-03-18"]);
    const mar17 = await new ArchiveStore(ws.archiveDir).readDay("2026-03-17");
    expect(mar17.deliveries.map((d) => `${d.target.replace(hook.url, "")} ${d.outcome}`)).toEqual([
      "/old failed",
      "/old sent",
    ]);
  });

  it("delivers a re-run that changed the selection as an update, and a re-run that did not, not at all", async () => {
    const { hook, bodies } = await jsonReceiver<{ update: boolean; papers: unknown[] }>();
    const feed = await feedServer({ "/rss/cs.LG+cs.AI+cs.CL": DAY });
    const ws = workspace(feed, `deliver:\n  webhooks:\n    - url: ${hook.url}/hook\n`);
    const ctx = { workspace: ws, clock: fakeClock(morning("2026-02-05")), log: silentLogger };
    const first = await runDay(ctx, { deliver: true });
    expect(bodies).toHaveLength(1);
    expect(bodies[0]?.update).toBe(false);

    // Same feed, same scorer: the same selection, nothing is sent again.
    await runDay(ctx, { deliver: true });
    expect(bodies).toHaveLength(1);

    // A stricter cut-off selects fewer papers: the day goes out again, marked as an update.
    const stricter: Workspace = {
      ...ws,
      config: { ...ws.config, selection: { ...ws.config.selection, maxPapers: 1 } },
    };
    const changed = await runDay({ ...ctx, workspace: stricter }, { deliver: true });
    expect(first.record.counts.selected).toBeGreaterThan(1);
    expect(changed.record.counts.selected).toBe(1);
    expect(bodies).toHaveLength(2);
    expect(bodies[1]).toMatchObject({ update: true });
    expect(bodies[1]?.papers).toHaveLength(1);
    expect(changed.record.deliveries.map((d) => [d.outcome, d.update === true])).toEqual([
      ["sent", false],
      ["sent", true],
    ]);
  });
});

describe("runDay with abstracts in CDATA", () => {
  /** Every item's description rewritten with CDATA: in turn the whole of it, only the abstract, the abstract split in two. */
  function withCdata(feed: string): string {
    const asText = (text: string) => text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
    let n = 0;
    return feed.replace(
      /<description>(arXiv:\S+ Announce Type: \S+ \nAbstract: )([\s\S]*?)<\/description>/g,
      (_all, prefix: string, abstract: string) => {
        const text = asText(abstract);
        const half = Math.floor(text.length / 2);
        const body = [
          `<![CDATA[${prefix}${text}]]>`,
          `${prefix}<![CDATA[${text}]]>`,
          `${prefix}<![CDATA[${text.slice(0, half)}]]><![CDATA[${text.slice(half)}]]>`,
        ][n++ % 3];
        return `<description>${body}</description>`;
      },
    );
  }

  it("archives every paper of a feed whose abstracts are in CDATA, each with its abstract", async () => {
    const cdata = withCdata(DAY);
    expect(cdata.match(/<!\[CDATA\[/g)?.length).toBeGreaterThan(365);
    const plain = await feedServer({ "/rss/cs.LG+cs.AI+cs.CL": DAY });
    const wrapped = await feedServer({ "/rss/cs.LG+cs.AI+cs.CL": cdata });
    const run = async (server: TestServer) =>
      (
        await runDay(
          { workspace: workspace(server), clock: fakeClock(morning("2026-02-05")), log: silentLogger },
          { deliver: false },
        )
      ).record;
    const [expected, record] = [await run(plain), await run(wrapped)];
    expect(record.status.code).toBe("normal");
    // No entry was left out or noted: the notes are those of the same feed without CDATA.
    expect(record.notes).toEqual(expected.notes);
    expect(record.counts).toMatchObject({ entries: 365, unique: 365, scanned: 247 });
    expect(record.papers.map((p) => [p.id, p.abstract])).toEqual(expected.papers.map((p) => [p.id, p.abstract]));
    expect(record.papers.every((p) => p.abstract.length > 100 && !p.abstract.includes("CDATA"))).toBe(true);
  });
});

describe("runDay waiting with --wait-fresh", () => {
  const EMPTY = rssFeed("cs.LG+cs.AI+cs.CL", "Thu, 05 Feb 2026 00:00:00 -0500", []);
  /** The 2026-02-05 cs.AI feed as it read the day before: its own batch, dated Wednesday. */
  const AI_DAY_BEFORE = fixture("2026-02-05/cs.AI.xml").replace(/Thu, 05 Feb 2026/g, "Wed, 04 Feb 2026");
  const perCategory = (server: TestServer) => withArxiv(workspace(server), { combinedFeed: false });

  it("polls a feed that is empty while arXiv fills it, then publishes the batch", async () => {
    const answers = [EMPTY, EMPTY, DAY];
    const server = await feedServer({ "/rss/cs.LG+cs.AI+cs.CL": () => answers.shift() ?? 404 });
    const clock = fakeClock(morning("2026-02-05"));
    const result = await runDay(
      { workspace: workspace(server), clock, log: silentLogger },
      { deliver: false, waitFreshMinutes: 30, pollMinutes: 10 },
    );
    expect(clock.sleeps).toEqual([600_000, 600_000]);
    expect(result.record.status.code).toBe("normal");
    expect(result.record.papers).toHaveLength(247);
  });

  it("records a feed that stayed empty until the deadline as empty, saying for how long", async () => {
    const server = await feedServer({ "/rss/cs.LG+cs.AI+cs.CL": EMPTY });
    const clock = fakeClock(morning("2026-02-05"));
    const result = await runDay(
      { workspace: workspace(server), clock, log: silentLogger },
      { deliver: false, waitFreshMinutes: 25, pollMinutes: 10 },
    );
    expect(clock.sleeps).toEqual([600_000, 600_000, 300_000]);
    expect(result.record.status.code).toBe("empty");
    expect(result.record.status.message).toMatch(/It stayed empty for 25 minutes of polling \(--wait-fresh\)\.$/);
  });

  it("without --wait-fresh, records an empty feed at once, as before", async () => {
    const server = await feedServer({ "/rss/cs.LG+cs.AI+cs.CL": EMPTY });
    const clock = fakeClock(morning("2026-02-05"));
    const result = await runDay({ workspace: workspace(server), clock, log: silentLogger }, { deliver: false });
    expect(clock.sleeps).toEqual([]);
    expect(result.record.status.code).toBe("empty");
    expect(result.record.status.message).not.toMatch(/polling/);
  });

  it("polls a category feed still serving yesterday while the others serve today, then publishes the whole day", async () => {
    let aiAnswers = 0;
    const server = await feedServer({
      "/rss/cs.LG": fixture("2026-02-05/cs.LG.xml"),
      "/rss/cs.AI": () => (aiAnswers++ < 2 ? AI_DAY_BEFORE : fixture("2026-02-05/cs.AI.xml")),
      "/rss/cs.CL": CL,
    });
    const clock = fakeClock(morning("2026-02-05"));
    const result = await runDay(
      { workspace: perCategory(server), clock, log: silentLogger },
      { deliver: false, waitFreshMinutes: 30, pollMinutes: 10 },
    );
    expect(clock.sleeps).toEqual([600_000, 600_000]);
    expect(result.outcome).toBe("complete");
    expect(result.record.status.code).toBe("normal");
    expect(result.record.sources.map((s) => [s.categories[0], s.outcome])).toEqual([
      ["cs.LG", "ok"],
      ["cs.AI", "ok"],
      ["cs.CL", "ok"],
    ]);
  });

  it("publishes the day as partial once the deadline passes with a category still behind", async () => {
    const server = await feedServer({
      "/rss/cs.LG": fixture("2026-02-05/cs.LG.xml"),
      "/rss/cs.AI": AI_DAY_BEFORE,
      "/rss/cs.CL": CL,
    });
    const clock = fakeClock(morning("2026-02-05"));
    const result = await runDay(
      { workspace: perCategory(server), clock, log: silentLogger },
      { deliver: false, waitFreshMinutes: 20, pollMinutes: 10 },
    );
    expect(clock.sleeps).toEqual([600_000, 600_000]);
    expect(result.outcome).toBe("incomplete");
    expect(result.record.status.code).toBe("partial");
    expect(result.record.status.message).toMatch(
      /1 of 3 feeds failed \(cs\.AI\); papers from them are missing\. They stayed so for 20 minutes of polling/,
    );
    expect(result.record.sources[1]?.error).toMatch(/^Left out: .*Wednesday 2026-02-04/);
  });
});

describe("runDay with the machine's clock far off", () => {
  /** Serves the 2026-02-05 feed; `serverDate` is the HTTP Date header it sends (an HTTP date). */
  async function dayServer(serverDate: string): Promise<TestServer> {
    const s = await startServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/rss+xml", date: serverDate });
      res.end(DAY);
    });
    servers.push(s);
    return s;
  }
  const SERVER_ON_FEB_5 = "Thu, 05 Feb 2026 12:00:00 GMT";

  it("stops with a ClockError naming both dates when the clock is a year ahead, without waiting or writing", async () => {
    const ws = workspace(await dayServer(SERVER_ON_FEB_5));
    const clock = fakeClock(morning("2027-02-05"));
    const run = runDay({ workspace: ws, clock, log: silentLogger }, { deliver: false, waitFreshMinutes: 120 });
    await expect(run).rejects.toBeInstanceOf(ClockError);
    await expect(run).rejects.toThrow(
      /^The machine's clock reads 2027-02-05 06:30 US Eastern time, but the cs\.LG\+cs\.AI\+cs\.CL feed is dated 2026-02-05T.* \(arXiv's server answered at 2026-02-05T12:00:00\.000Z\), 365 days earlier, .*: fix the machine's clock, or pass --date 2026-02-05 to produce the announcement the feed serves; nothing was written\.$/,
    );
    expect(clock.sleeps).toEqual([]);
    expect(await new ArchiveStore(ws.archiveDir).listDays()).toEqual([]);
  });

  it("stops when the clock is days behind the feed", async () => {
    const ws = workspace(await dayServer(SERVER_ON_FEB_5));
    const run = runDay(
      { workspace: ws, clock: fakeClock(morning("2026-02-02")), log: silentLogger },
      { deliver: false },
    );
    await expect(run).rejects.toThrow(/feed is already dated 2026-02-05 .*so the clock is behind/);
    expect(await new ArchiveStore(ws.archiveDir).listDays()).toEqual([]);
  });

  it("trusts a clock the server's Date agrees with: a feed days behind is stale, not a clock error", async () => {
    const ws = workspace(await dayServer("Tue, 10 Feb 2026 12:00:00 GMT"));
    const result = await runDay(
      { workspace: ws, clock: fakeClock(morning("2026-02-10")), log: silentLogger },
      { deliver: false },
    );
    expect(result.record).toMatchObject({ date: "2026-02-10", status: { code: "stale" } });
  });

  it("leaves a run with --date to the date it names", async () => {
    const ws = workspace(await dayServer(SERVER_ON_FEB_5));
    const result = await runDay(
      { workspace: ws, clock: fakeClock(morning("2027-02-05")), log: silentLogger },
      { date: "2026-02-05", deliver: false },
    );
    expect(result.record).toMatchObject({ date: "2026-02-05", status: { code: "normal" } });
  });
});

describe("runDay on a date the feed cannot serve", () => {
  it("stops a past --date the feed has moved past as a user mistake, writes nothing, and names the backfill", async () => {
    const server = await feedServer({ [DEMO_FEED]: MAR18 });
    const ws = demoWorkspace(server);
    const run = runDay(
      { workspace: ws, clock: fakeClock(morning("2026-03-19")), log: silentLogger },
      { date: "2026-03-17", deliver: false },
    );
    await expect(run).rejects.toBeInstanceOf(PastDateError);
    await expect(run).rejects.toThrow(
      /^--date 2026-03-17: the feed already serves the announcement of 2026-03-18 .*`arxiv-digest backfill --from 2026-03-17 --to 2026-03-17`\.$/,
    );
    expect(await new ArchiveStore(ws.archiveDir).listDays()).toEqual([]);
  });

  it("stops a past --date the feed is behind as a user mistake, without waiting, writing or delivering: the calendar says the feed moved past it", async () => {
    const { hook, bodies } = await jsonReceiver<{ date: string }>();
    // The feed still carries Tuesday the 17th's batch; the clock reads Saturday the 28th.
    const server = await feedServer({ [DEMO_FEED]: MAR17 });
    const ws = demoWorkspace(server, `deliver:\n  webhooks:\n    - url: ${hook.url}/hook\n`);
    const said: string[] = [];
    const log = { info: (m: string) => said.push(m), warn: (m: string) => said.push(m) };
    const clock = fakeClock(morning("2026-03-28"));
    const run = runDay(
      { workspace: ws, clock, log },
      { date: "2026-03-18", deliver: true, waitFreshMinutes: 30, pollMinutes: 5 },
    );
    await expect(run).rejects.toBeInstanceOf(PastDateError);
    await expect(run).rejects.toThrow(
      "--date 2026-03-18: arXiv's feed has moved past that day (by arXiv's calendar it serves the announcement of 2026-03-27 now, though the feed read still carries the announcement of 2026-03-17) and only ever its latest one, so nothing was written; rebuild 2026-03-18 from the export API with `arxiv-digest backfill --from 2026-03-18 --to 2026-03-18`.",
    );
    expect(clock.sleeps).toEqual([]);
    expect(said.join("\n")).not.toMatch(/has not been updated|run again later/);
    expect(await new ArchiveStore(ws.archiveDir).listDays()).toEqual([]);
    expect(bodies).toEqual([]);
  });

  it("makes a past --date the feed still carries as any day: only a feed without it is refused", async () => {
    // The feed still carries Tuesday the 17th's batch, long past by the clock (Saturday the 28th).
    const server = await feedServer({ [DEMO_FEED]: MAR17 });
    const ws = demoWorkspace(server);
    const result = await runDay(
      { workspace: ws, clock: fakeClock(morning("2026-03-28")), log: silentLogger },
      { date: "2026-03-17", deliver: false },
    );
    expect(result.record).toMatchObject({ date: "2026-03-17", status: { code: "normal" } });
    expect(await new ArchiveStore(ws.archiveDir).listDays()).toEqual(["2026-03-17"]);
  });

  it("names the Backfill workflow for a past --date on GitHub Actions, and refuses it when the feed cannot be read too", async () => {
    const server = await feedServer({ [DEMO_FEED]: MAR17 });
    const ws = demoWorkspace(server);
    const ctx = { workspace: ws, clock: fakeClock(morning("2026-03-28")), log: silentLogger, actions: true };
    await expect(runDay(ctx, { date: "2026-03-19", deliver: false })).rejects.toThrow(
      /rebuild 2026-03-19 from the export API with the Backfill workflow \(Actions → Backfill → Run workflow\) with from 2026-03-19 and to 2026-03-19\.$/,
    );
    const down = await feedServer({ [DEMO_FEED]: 503 });
    const unreachable = runDay(
      { workspace: demoWorkspace(down), clock: fakeClock(morning("2026-03-28")), log: silentLogger },
      { date: "2026-03-19", deliver: false },
    );
    await expect(unreachable).rejects.toBeInstanceOf(PastDateError);
    await expect(unreachable).rejects.toThrow(/serves the announcement of 2026-03-27 now\) and only ever/);
  });

  it("keeps the day the feed should serve a stale day, said once: today's, and Friday's on the weekend", async () => {
    const server = await feedServer({ [DEMO_FEED]: MAR17 });
    for (const [date, today] of [
      ["2026-03-18", "2026-03-18"],
      ["2026-03-20", "2026-03-21"],
    ] as const) {
      const ws = demoWorkspace(server);
      const said: string[] = [];
      const log = { info: (m: string) => said.push(m), warn: (m: string) => said.push(m) };
      const result = await runDay({ workspace: ws, clock: fakeClock(morning(today)), log }, { date, deliver: false });
      expect(result.outcome).toBe("stale");
      expect(result.record).toMatchObject({ date, papers: [], status: { code: "stale" } });
      expect(result.summary).toMatch(
        new RegExp(`^${date}: The feed has not been updated for ${date} yet: .*run again later\\.$`),
      );
      // The summary says it; no progress line before it says it again.
      expect(said.filter((m) => m.includes("has not been updated"))).toEqual([]);
    }
  });

  it("stops the scheduled run (no --date) on a feed dated after the clock's today: nothing recorded, nothing delivered", async () => {
    const hook = await startServer((_req, res) => {
      res.writeHead(200);
      res.end("ok");
    });
    servers.push(hook);
    const server = await feedServer({ [DEMO_FEED]: MAR18 });
    const ws = demoWorkspace(server, `deliver:\n  webhooks:\n    - url: ${hook.url}/hook\n`);
    const clock = fakeClock(morning("2026-03-17"));
    const run = runDay({ workspace: ws, clock, log: silentLogger }, { deliver: true, waitFreshMinutes: 60 });
    await expect(run).rejects.toBeInstanceOf(ClockError);
    await expect(run).rejects.toBeInstanceOf(UserError);
    const message = await run.then(
      () => "",
      (error: Error) => error.message,
    );
    // One sentence, naming the clock's date and the feed's, and what to do.
    expect(message).toMatch(
      /^The machine's clock reads 2026-03-17 07:30 US Eastern time, but the cs\.LG\+cs\.AI feed is already dated 2026-03-18(?: \(arXiv's server answered at [^)]*\))?, and a feed cannot be dated after the moment it is read, so the clock is behind: set the machine's clock right and run again \(--date cannot name a day after the clock's 2026-03-17\); nothing was written\.$/,
    );
    expect(message.match(/\. /g)).toBeNull();
    expect(clock.sleeps).toEqual([]);
    expect(await new ArchiveStore(ws.archiveDir).listDays()).toEqual([]);
    expect(hook.requests).toEqual([]);
  });

  it("says a run that waited past midnight found the feed moved on, not that the clock is wrong", async () => {
    // Late on the 17th the feed of the 17th is still empty; at midnight it flips to the batch of the 18th.
    let served = MAR17.replace(/<item>[\s\S]*<\/item>/, "");
    const server = await feedServer({ [DEMO_FEED]: () => served });
    const ws = demoWorkspace(server);
    const clock = fakeClock(Date.parse("2026-03-18T03:50:00Z"));
    const wait = clock.sleep;
    clock.sleep = async (ms) => {
      await wait(ms);
      served = MAR18;
    };
    const result = await runDay(
      { workspace: ws, clock, log: silentLogger },
      { deliver: false, waitFreshMinutes: 30, pollMinutes: 15 },
    );
    expect(clock.sleeps).toEqual([15 * 60_000]);
    expect(result.outcome).toBe("incomplete");
    expect(result.record).toMatchObject({ date: "2026-03-17", status: { code: "failed" } });
    expect(result.summary).toMatch(
      /The run began on 2026-03-17 and waited \(--wait-fresh\) past midnight US Eastern time, when the feed moved on\.$/,
    );
    expect(result.summary).not.toMatch(/clock/);
  });

  it("records a past holiday asked for with --date as a holiday, not as a mistake", async () => {
    const server = await feedServer({ [DEMO_FEED]: MAR18 });
    const ws = withArxiv(demoWorkspace(server), { holidays: ["2026-03-17"] });
    const result = await runDay(
      { workspace: ws, clock: fakeClock(morning("2026-03-18")), log: silentLogger },
      { date: "2026-03-17", deliver: false },
    );
    expect(result.outcome).toBe("complete");
    expect(result.record.status.code).toBe("holiday");
  });
});

describe("runDay on a day without an announcement", () => {
  /** A workspace whose feed URL answers nothing: port 9 on loopback refuses every connection. */
  const offline = (server: TestServer) =>
    withArxiv(workspace(server), { rssUrl: "http://127.0.0.1:9/rss", retries: 2, timeoutSeconds: 1 });

  it("records a weekend from the calendar alone, without a request", async () => {
    const server = await feedServer({ "/rss/cs.LG+cs.AI+cs.CL": WEEKEND });
    const ws = offline(server);
    const clock = fakeClock(morning("2026-11-28"));
    const result = await runDay({ workspace: ws, clock, log: silentLogger }, { deliver: false });
    expect(result.outcome).toBe("complete");
    expect(result.record).toMatchObject({ date: "2026-11-28", status: { code: "no-announcement" }, sources: [] });
    expect(clock.sleeps).toEqual([]);
    expect(server.requests).toHaveLength(0);
  });

  it("stops a weekend by a clock behind a day already archived, without a request", async () => {
    const server = await feedServer({ "/rss/cs.LG+cs.AI+cs.CL": WEEKEND });
    const ws = offline(server);
    const store = new ArchiveStore(ws.archiveDir);
    const fetched = {
      url: "https://rss.arxiv.org/rss/cs.LG+cs.AI+cs.CL",
      categories: ["cs.LG", "cs.AI", "cs.CL"],
      kind: "rss" as const,
      entries: 1,
      fetchedAt: "2026-11-30T11:30:00.000Z",
      outcome: "ok" as const,
    };
    await store.writeDay(makeDay({ date: "2026-11-30", sources: [fetched] }));
    // Monday 30 November is archived, read from arXiv; the clock reads Sunday 29 November.
    const clock = fakeClock(morning("2026-11-29"));
    const run = runDay({ workspace: ws, clock, log: silentLogger }, { deliver: false });
    await expect(run).rejects.toBeInstanceOf(ClockError);
    await expect(run).rejects.toThrow(
      /^The machine's clock reads 2026-11-29 06:30 US Eastern time, but the archive already holds the announcement of 2026-11-30, .*so the clock is behind: set the machine's clock right and run again/,
    );
    expect(await store.listDays()).toEqual(["2026-11-30"]);
    expect(server.requests).toHaveLength(0);
  });

  it("records a weekend by a clock ahead, which only the feed could tell, and is not stopped later by that record", async () => {
    const server = await feedServer({ "/rss/cs.LG+cs.AI+cs.CL": WEEKEND });
    const ws = offline(server);
    const store = new ArchiveStore(ws.archiveDir);
    await store.writeDay(makeDay({ date: "2026-02-05" }));
    // Sunday 29 November 2026 by a clock months ahead: no request, so nothing tells it apart.
    const ahead = await runDay(
      { workspace: ws, clock: fakeClock(morning("2026-11-29")), log: silentLogger },
      { deliver: false },
    );
    expect(ahead.record).toMatchObject({ date: "2026-11-29", status: { code: "no-announcement" }, sources: [] });
    // Once the clock is right, that record (read from no feed) proves nothing: Saturday 7 February is a weekend.
    const right = await runDay(
      { workspace: ws, clock: fakeClock(morning("2026-02-07")), log: silentLogger },
      { deliver: false },
    );
    expect(right.record).toMatchObject({ date: "2026-02-07", status: { code: "no-announcement" } });
    expect(server.requests).toHaveLength(0);
  });

  it("ends a holiday whose feed cannot be reached as no announcement expected, not as a failed day", async () => {
    const server = await feedServer({});
    const ws = withArxiv(offline(server), { holidays: ["2026-02-06"] });
    const clock = fakeClock(morning("2026-02-06"));
    const result = await runDay({ workspace: ws, clock, log: silentLogger }, { deliver: false });
    expect(result.outcome).toBe("complete");
    expect(result.record.status.code).toBe("holiday");
    expect(result.record.status.message).toMatch(/could not be read to confirm it/);
    // One try: arxiv.retries (2 here) is for days with a batch to miss, not for confirming a holiday.
    expect(clock.sleeps).toEqual([]);
  });
});

describe("runDay's warnings", () => {
  it("says on the terminal, once, that Semantic Scholar could not be reached, not only in the record", async () => {
    const server = await feedServer({ [DEMO_FEED]: MAR17 });
    const base = demoWorkspace(server);
    const ws: Workspace = {
      ...base,
      authorsText: "Yoshua Bengio | 1751762\n",
      env: { ...base.env, SEMANTIC_SCHOLAR_API_URL: "http://127.0.0.1:9" },
    };
    const warnings: string[] = [];
    const log = { info() {}, warn: (m: string) => warnings.push(m) };
    const result = await runDay({ workspace: ws, clock: fakeClock(morning("2026-03-17")), log }, { deliver: false });
    const s2 = warnings.filter((w) => /Semantic Scholar/.test(w));
    expect(s2).toHaveLength(1);
    // The operator's to know: kept in the record apart from the notes the digest opens with.
    expect(result.record.operatorNotes).toContain(s2[0]);
    expect(result.record.notes).not.toContain(s2[0]);
  });
});

describe("runDay with a damaged archive", () => {
  it("skips a damaged earlier day, names it, and goes on with the latest readable one", async () => {
    const server = await feedServer({ "/rss/cs.LG+cs.AI+cs.CL": DAY });
    const ws = workspace(server);
    await runDay({ workspace: ws, clock: fakeClock(morning("2026-02-05")), log: silentLogger }, { deliver: false });
    const store = new ArchiveStore(ws.archiveDir);
    writeFileSync(store.path("2026-02-06"), '{"schema":1,"date":');
    const warnings: string[] = [];
    const log = { info() {}, warn: (m: string) => warnings.push(m) };
    // The feed still serves 2026-02-05's batch on the 9th: judged against the 5th, it is stale.
    const result = await runDay({ workspace: ws, clock: fakeClock(morning("2026-02-09")), log }, { deliver: false });
    expect(result.record.status.code).toBe("stale");
    expect(result.outcome).toBe("stale");
    expect(warnings.join("\n")).toMatch(/2026-02-06\.json is not valid JSON/);
    expect(result.summary).toMatch(/Skipped 1 damaged archive file.*2026-02-06\.json/);
  });

  it("publishes the day and exits non-zero when a damaged earlier day was skipped", async () => {
    const server = await feedServer({ [DEMO_FEED]: MAR18 });
    const ws = demoWorkspace(server);
    const store = new ArchiveStore(ws.archiveDir);
    mkdirSync(dirname(store.path("2026-03-17")), { recursive: true });
    writeFileSync(store.path("2026-03-17"), JSON.stringify({ schema: 1, date: "2026-03-17", kind: "weekly" }));
    const result = await runDay(
      { workspace: ws, clock: fakeClock(morning("2026-03-18")), log: silentLogger },
      { deliver: false },
    );
    expect(result.record).toMatchObject({ date: "2026-03-18", status: { code: "normal" } });
    expect(result.outcome).toBe("incomplete");
    expect(result.summary).toMatch(/2026-03-17\.json is not a valid DayRecord: kind/);
    expect(await store.has("2026-03-18")).toBe(true);
  });

  it("keeps hand-added fields of a day and its papers when the day is run again", async () => {
    const server = await feedServer({ "/rss/cs.LG+cs.AI+cs.CL": DAY });
    const ws = workspace(server);
    const ctx = { workspace: ws, clock: fakeClock(morning("2026-02-05")), log: silentLogger };
    const first = await runDay(ctx, { deliver: false });
    const file = first.files[0]!;
    const raw = JSON.parse(readFileSync(file, "utf8"));
    raw.reviewedBy = "me";
    raw.papers[3].starred = true;
    const starredId = raw.papers[3].id;
    writeFileSync(file, JSON.stringify(raw));
    await runDay(ctx, { deliver: false });
    const again = JSON.parse(readFileSync(file, "utf8"));
    expect(again.reviewedBy).toBe("me");
    expect(again.papers.find((p: { id: string }) => p.id === starredId).starred).toBe(true);
  });
});

describe("runDay after a killed run", () => {
  const past = new Date("2020-01-01T00:00:00Z");
  const deadPid = () =>
    Number(spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]).stdout.toString());

  it("sweeps temp files a killed run left in the archive and the cache, and only those", async () => {
    const server = await feedServer({ "/rss/cs.LG+cs.AI+cs.CL": DAY });
    const ws = workspace(server);
    const dead = deadPid();
    const leftovers = [
      join(ws.archiveDir, "2026", "02", `2026-02-04.json.${dead}.0a1b2c3d.tmp`),
      join(ws.cacheDir, "llm", `ab12.json.${dead}.0a1b2c3d.tmp`),
      join(ws.cacheDir, "http", "old.tmp"),
      join(ws.dir, `.arxiv-digest.lock.${dead}.0a1b2c3d.tmp`),
    ];
    const recent = join(ws.cacheDir, "http", `fresh.json.${dead}.0a1b2c3d.tmp`);
    for (const f of [...leftovers, recent]) {
      mkdirSync(dirname(f), { recursive: true });
      writeFileSync(f, "{");
    }
    for (const f of leftovers) utimesSync(f, past, past);
    // Written after this process began: maybe another process's write in flight, left alone.
    const future = new Date(Date.now() + 60_000);
    utimesSync(recent, future, future);
    await runDay({ workspace: ws, clock: fakeClock(morning("2026-02-05")), log: silentLogger }, { deliver: false });
    for (const f of leftovers) expect(existsSync(f), f).toBe(false);
    expect(existsSync(recent)).toBe(true);
  });
  // A page killed before it was written is put right by the next run: test/pipeline/recover.test.ts.
});
