/**
 * What the next run puts right after a killed one, decided from what the archive holds and never
 * from file times: a day whose record was written but not its Markdown page gets its page, and
 * nothing else does (a delivered day, a hand-edited page, a checkout's arbitrary times). A run
 * that refuses (exit 2) writes nothing, recovery included.
 */
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, onTestFinished } from "vitest";
import { ArchiveStore, PENDING_PAGES } from "../../src/archive/store.js";
import { SHIPPED_HOLIDAY_TABLE } from "../../src/arxiv/holidays.js";
import { renderDayMarkdown } from "../../src/markdown/day-page.js";
import type { DayRecord } from "../../src/model/day-record.js";
import { UserError } from "../../src/model/errors.js";
import type { Logger } from "../../src/pipeline/context.js";
import { saveDay } from "../../src/pipeline/record.js";
import { thenRecover } from "../../src/pipeline/recover.js";
import { PastDateError, runDay } from "../../src/pipeline/run.js";
import { loadWorkspace, type Workspace } from "../../src/workspace/load.js";
import { makeDay, makePaper } from "../helpers/day-factory.js";
import { fakeClock } from "../helpers/fake-clock.js";
import { startServer, type TestServer } from "../helpers/server.js";
import { tempWorkspace } from "../helpers/workspace.js";

/** A Saturday: the run records the weekend without fetching anything, then recovers. */
const SATURDAY = Date.parse("2026-02-07T15:00:00Z");
const past = new Date("2020-01-01T00:00:00Z");

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function workspace(rssUrl = "http://127.0.0.1:9/rss", categories = "[cs.LG, cs.AI, cs.CL]"): Workspace {
  const { dir, cleanup } = tempWorkspace(
    `arxiv:
  categories: ${categories}
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
`,
  );
  onTestFinished(cleanup);
  return loadWorkspace(dir, { ARXIV_RSS_URL: rssUrl });
}

function capturingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (m: string) => lines.push(m), warn: (m: string) => lines.push(`warning: ${m}`) };
}

/** The archive store of a process killed as it wrote the page: the record is on disk, the page is not. */
class KilledBeforePage extends ArchiveStore {
  override async writeSibling(): Promise<string> {
    throw new Error("killed");
  }
}

const pendingNotes = (store: ArchiveStore) =>
  existsSync(join(store.dir, PENDING_PAGES)) ? readdirSync(join(store.dir, PENDING_PAGES)) : [];

describe("recovery after a killed run", () => {
  it("renders the page of a day killed between its record and its page, and says so", async () => {
    const ws = workspace();
    const store = new ArchiveStore(ws.archiveDir);
    // An earlier run wrote the day whole; the run that rewrote it died before its page.
    await saveDay(
      store,
      makeDay({ date: "2026-02-04", papers: [makePaper({ title: "The older title" })] }),
      SHIPPED_HOLIDAY_TABLE,
    );
    const killed = new KilledBeforePage(ws.archiveDir);
    const newer = makeDay({ date: "2026-02-04", papers: [makePaper({ title: "The newer title" })] });
    await expect(saveDay(killed, newer, SHIPPED_HOLIDAY_TABLE)).rejects.toThrow("killed");
    // A first run of a day that died the same way: a record and no page at all.
    await expect(saveDay(killed, makeDay({ date: "2026-02-03" }), SHIPPED_HOLIDAY_TABLE)).rejects.toThrow("killed");
    expect(readFileSync(store.path("2026-02-04", "md"), "utf8")).toMatch(/The older title/);
    expect(existsSync(store.path("2026-02-03", "md"))).toBe(false);
    expect(pendingNotes(store)).toEqual(["2026-02-03", "2026-02-04"]);

    const log = capturingLogger();
    await runDay({ workspace: ws, clock: fakeClock(SATURDAY), log }, { deliver: false });
    expect(readFileSync(store.path("2026-02-04", "md"), "utf8")).toBe(
      renderDayMarkdown(await store.readDay("2026-02-04")),
    );
    expect(readFileSync(store.path("2026-02-04", "md"), "utf8")).toMatch(/The newer title/);
    expect(readFileSync(store.path("2026-02-03", "md"), "utf8")).toMatch(/# Daily arXiv digest: 2026-02-03/);
    expect(log.lines).toContain("Re-rendered the Markdown page of 2026-02-03, 2026-02-04.");
    expect(existsSync(join(store.dir, PENDING_PAGES))).toBe(false);

    // Put right once: the run after that has nothing to say.
    const next = capturingLogger();
    await runDay({ workspace: ws, clock: fakeClock(SATURDAY), log: next }, { deliver: false });
    expect(next.lines.join("\n")).not.toMatch(/Re-rendered/);
  });

  it("writes nothing and says nothing when the run died before its record or after its page", async () => {
    const ws = workspace();
    const store = new ArchiveStore(ws.archiveDir);
    await saveDay(store, makeDay({ date: "2026-02-04" }), SHIPPED_HOLIDAY_TABLE);
    await saveDay(store, makeDay({ date: "2026-02-05" }), SHIPPED_HOLIDAY_TABLE);
    // The notes a run leaves when it dies just after writing one (before the record), or just
    // before removing it (after the page): either way the page shows what the record holds.
    // A save that finished leaves no folder of notes behind.
    expect(existsSync(join(store.dir, PENDING_PAGES))).toBe(false);
    mkdirSync(join(store.dir, PENDING_PAGES));
    for (const date of ["2026-02-04", "2026-02-05", "2026-02-06"]) {
      writeFileSync(join(store.dir, PENDING_PAGES, date), "");
    }
    for (const date of ["2026-02-04", "2026-02-05"]) utimesSync(store.path(date, "md"), past, past);
    const log = capturingLogger();
    await runDay({ workspace: ws, clock: fakeClock(SATURDAY), log }, { deliver: false });
    expect(log.lines.join("\n")).not.toMatch(/Re-rendered/);
    for (const date of ["2026-02-04", "2026-02-05"]) {
      expect(statSync(store.path(date, "md")).mtimeMs).toBe(past.getTime());
    }
    // 2026-02-06 never got a record: there is no page to make.
    expect(existsSync(store.path("2026-02-06", "md"))).toBe(false);
    expect(pendingNotes(store)).toEqual([]);
  });

  it("warns about an entry that is no note, naming it, and settles the other notes", async () => {
    const ws = workspace();
    const store = new ArchiveStore(ws.archiveDir);
    await expect(
      saveDay(new KilledBeforePage(ws.archiveDir), makeDay({ date: "2026-02-05" }), SHIPPED_HOLIDAY_TABLE),
    ).rejects.toThrow("killed");
    // A folder named like a day, sorted before the real note, and a name that is no calendar day.
    const folder = join(store.dir, PENDING_PAGES, "2026-02-04");
    mkdirSync(folder);
    writeFileSync(join(store.dir, PENDING_PAGES, "9999-99-99"), "");
    const log = capturingLogger();
    await runDay({ workspace: ws, clock: fakeClock(SATURDAY), log }, { deliver: false });
    expect(log.lines).toContain("Re-rendered the Markdown page of 2026-02-05.");
    expect(readFileSync(store.path("2026-02-05", "md"), "utf8")).toMatch(/# Daily arXiv digest: 2026-02-05/);
    const warnings = log.lines.filter((l) => l.startsWith("warning: "));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      new RegExp(
        `^warning: Could not settle ${folder.replace(/[.\\]/g, "\\$&")} \\(.*\\); if it is not a note an interrupted run left, remove it\\.$`,
      ),
    );
    // Neither is removed: the folder is not a note, and a name that is no day is none of ours.
    expect(pendingNotes(store).sort()).toEqual(["2026-02-04", "9999-99-99"]);
    expect(existsSync(store.path("2026-02-04", "md"))).toBe(false);
  });

  it("refuses to save a day where something it did not write stands in place of its note, naming it, and loses nothing", async () => {
    const ws = workspace();
    const store = new ArchiveStore(ws.archiveDir);
    const notes = join(store.dir, PENDING_PAGES);
    // A folder planted under the day's name, holding the reader's own file.
    const planted = join(notes, "2026-02-07");
    mkdirSync(planted, { recursive: true });
    writeFileSync(join(planted, "mine.txt"), "keep me");
    const log = capturingLogger();
    const run = runDay({ workspace: ws, clock: fakeClock(SATURDAY), log }, { deliver: false });
    await expect(run).rejects.toBeInstanceOf(UserError);
    await expect(run).rejects.toThrow(
      `${planted} is a folder, where the archive writes a note while the page of 2026-02-07 is written; ` +
        `2026-02-07 was not saved: move it out of ${notes}, then run the command again.`,
    );
    expect(existsSync(store.path("2026-02-07"))).toBe(false);
    expect(existsSync(store.path("2026-02-07", "md"))).toBe(false);
    expect(readFileSync(join(planted, "mine.txt"), "utf8")).toBe("keep me");

    // A symbolic link there would have the note written through it, over the file it points to.
    rmSync(planted, { recursive: true });
    const elsewhere = join(ws.dir, "elsewhere.txt");
    writeFileSync(elsewhere, "mine");
    symlinkSync(elsewhere, planted);
    const day = makeDay({ date: "2026-02-07", papers: [] });
    await expect(saveDay(store, day, SHIPPED_HOLIDAY_TABLE)).rejects.toThrow(`${planted} is a symbolic link, `);
    expect(readFileSync(elsewhere, "utf8")).toBe("mine");
    expect(existsSync(store.path("2026-02-07"))).toBe(false);

    // The notes' folder itself a file.
    rmSync(notes, { recursive: true });
    writeFileSync(notes, "mine");
    await expect(saveDay(store, day, SHIPPED_HOLIDAY_TABLE)).rejects.toThrow(
      `${notes} is a file, where the archive keeps a folder of notes for pages being written; ` +
        `2026-02-07 was not saved: move it out of the archive folder, then run the command again.`,
    );
    expect(readFileSync(notes, "utf8")).toBe("mine");

    // Moved out of the way, the day saves as ever and leaves no note behind.
    rmSync(notes);
    await saveDay(store, day, SHIPPED_HOLIDAY_TABLE);
    expect(existsSync(store.path("2026-02-07", "md"))).toBe(true);
    expect(existsSync(notes)).toBe(false);
  });

  it("leaves a delivered day's page alone, whatever the file times say", async () => {
    const ws = workspace();
    const store = new ArchiveStore(ws.archiveDir);
    await saveDay(store, makeDay({ date: "2026-02-05" }), SHIPPED_HOLIDAY_TABLE);
    const page = readFileSync(store.path("2026-02-05", "md"), "utf8");
    // Delivery writes the record again, after its page, with the outcome of each channel.
    const record = await store.readDay("2026-02-05");
    const delivered: DayRecord = {
      ...record,
      deliveries: [
        {
          channel: "webhook",
          target: "http://127.0.0.1:9/hook",
          at: "2026-02-05T12:00:00.000Z",
          outcome: "sent",
          attempts: 1,
        },
      ],
    };
    await store.writeDay(delivered);
    // A checkout gives files any times: every page older than its record.
    await saveDay(store, makeDay({ date: "2026-02-04" }), SHIPPED_HOLIDAY_TABLE);
    for (const date of ["2026-02-04", "2026-02-05"]) utimesSync(store.path(date, "md"), past, past);
    // A page the reader edited stays as it is, older than its record or not.
    await saveDay(store, makeDay({ date: "2026-02-03" }), SHIPPED_HOLIDAY_TABLE);
    writeFileSync(store.path("2026-02-03", "md"), "# my notes\n");
    utimesSync(store.path("2026-02-03", "md"), past, past);

    const log = capturingLogger();
    await runDay({ workspace: ws, clock: fakeClock(SATURDAY), log }, { deliver: false });
    expect(log.lines.join("\n")).not.toMatch(/Re-rendered/);
    expect(readFileSync(store.path("2026-02-05", "md"), "utf8")).toBe(page);
    expect(readFileSync(store.path("2026-02-03", "md"), "utf8")).toBe("# my notes\n");
    for (const date of ["2026-02-03", "2026-02-04", "2026-02-05"]) {
      expect(statSync(store.path(date, "md")).mtimeMs).toBe(past.getTime());
    }
  });

  it("keeps the note of a damaged day for the run's own check, and puts the page right once it is repaired", async () => {
    const ws = workspace();
    const store = new ArchiveStore(ws.archiveDir);
    await expect(
      saveDay(new KilledBeforePage(ws.archiveDir), makeDay({ date: "2026-02-04" }), SHIPPED_HOLIDAY_TABLE),
    ).rejects.toThrow();
    const good = readFileSync(store.path("2026-02-04"), "utf8");
    writeFileSync(store.path("2026-02-04"), "{");
    await runDay({ workspace: ws, clock: fakeClock(SATURDAY), log: capturingLogger() }, { deliver: false });
    expect(existsSync(store.path("2026-02-04", "md"))).toBe(false);
    expect(pendingNotes(store)).toEqual(["2026-02-04"]);
    writeFileSync(store.path("2026-02-04"), good);
    const log = capturingLogger();
    await runDay({ workspace: ws, clock: fakeClock(SATURDAY), log }, { deliver: false });
    expect(log.lines).toContain("Re-rendered the Markdown page of 2026-02-04.");
    expect(pendingNotes(store)).toEqual([]);
  });

  it("a run that refuses a past --date writes nothing, not even what a killed run left to put right", async () => {
    const feed = readFileSync(new URL("../../demo/data/2026-03-18/cs.LG+cs.AI.xml", import.meta.url), "utf8");
    const server = await startServer((req, res) => {
      const found = req.url === "/rss/cs.LG+cs.AI";
      res.writeHead(found ? 200 : 404, { "content-type": "application/rss+xml" });
      res.end(found ? feed : "not here");
    });
    servers.push(server);
    const ws = workspace(`${server.url}/rss`, "[cs.LG, cs.AI]");
    const store = new ArchiveStore(ws.archiveDir);
    await expect(
      saveDay(new KilledBeforePage(ws.archiveDir), makeDay({ date: "2026-03-16" }), SHIPPED_HOLIDAY_TABLE),
    ).rejects.toThrow();
    const leftover = join(store.dir, "2026", "03", "2026-03-16.json.999999999.0a1b2c3d.tmp");
    writeFileSync(leftover, "{");
    utimesSync(leftover, past, past);
    const before = snapshot(store.dir);

    const log = capturingLogger();
    const run = runDay(
      { workspace: ws, clock: fakeClock(Date.parse("2026-03-19T11:30:00Z")), log },
      { date: "2026-03-17", deliver: false },
    );
    await expect(run).rejects.toBeInstanceOf(PastDateError);
    expect(snapshot(store.dir)).toEqual(before);
    expect(log.lines.join("\n")).not.toMatch(/Re-rendered|Removed/);
  });
});

describe("recovery after the command's own work", () => {
  it("runs when the work failed, but not when it was refused (a UserError writes nothing)", async () => {
    const ws = workspace();
    const store = new ArchiveStore(ws.archiveDir);
    const ctx = { workspace: ws, clock: fakeClock(SATURDAY), log: capturingLogger() };
    const killed = async () => {
      await expect(
        saveDay(new KilledBeforePage(ws.archiveDir), makeDay({ date: "2026-02-04" }), SHIPPED_HOLIDAY_TABLE),
      ).rejects.toThrow();
    };

    await killed();
    const refused = thenRecover(ctx, store, async () => {
      throw new UserError("--date 2026-02-04: refused");
    });
    await expect(refused).rejects.toBeInstanceOf(UserError);
    expect(pendingNotes(store)).toEqual(["2026-02-04"]);
    expect(ctx.log.lines).toEqual([]);

    // arXiv unreachable, the LLM's fatal answer: the command fails, and still puts the archive right.
    const failed = thenRecover(ctx, store, async () => {
      throw new Error("arXiv did not answer");
    });
    await expect(failed).rejects.toThrow("arXiv did not answer");
    expect(pendingNotes(store)).toEqual([]);
    expect(readFileSync(store.path("2026-02-04", "md"), "utf8")).toBe(
      renderDayMarkdown(await store.readDay("2026-02-04")),
    );
    expect(ctx.log.lines).toEqual(["Re-rendered the Markdown page of 2026-02-04."]);
  });
});

/** Every file under `dir` with its content and modification time. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir, { recursive: true, encoding: "utf8" })) {
    const path = join(dir, name);
    const s = statSync(path);
    if (s.isFile()) out[name] = `${s.mtimeMs} ${readFileSync(path, "utf8")}`;
  }
  return out;
}
