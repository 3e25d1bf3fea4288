/**
 * `render` through its pipeline function, with a fake clock: what it says of a day without a record
 * depends on the context's clock, never on the real date, and the command it suggests carries the
 * --workspace the user named.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it, onTestFinished } from "vitest";
import { ArchiveStore } from "../../src/archive/store.js";
import { renderDay } from "../../src/pipeline/render.js";
import { loadWorkspace } from "../../src/workspace/load.js";
import { makeDay, makePaper } from "../helpers/day-factory.js";
import { fakeClock } from "../helpers/fake-clock.js";
import { tempWorkspace } from "../helpers/workspace.js";

const CONFIG = readFileSync(new URL("../../defaults/arxiv-digest.yaml", import.meta.url), "utf8");

function context(now: string, named?: string) {
  const tmp = tempWorkspace(CONFIG);
  onTestFinished(tmp.cleanup);
  const workspace = loadWorkspace(tmp.dir, {});
  if (named !== undefined) workspace.named = named;
  return { workspace, clock: fakeClock(Date.parse(now)) };
}

describe("renderDay", () => {
  it("a day after today by the context's clock: when arXiv announces it, and the run that makes it", async () => {
    // 21:30 US Eastern on Tuesday 2026-11-24: arXiv has announced Wednesday's batch, `run` makes it from midnight.
    const ctx = context("2026-11-25T02:30:00Z", "../papers");
    await expect(renderDay(ctx, "2026-11-25", "md")).rejects.toThrow(
      "no digest for 2026-11-25 yet: arXiv announces it Tuesday 2026-11-24 at 20:00 ET, the evening before, and `arxiv-digest run --workspace ../papers` makes it from midnight US Eastern time (it is 2026-11-24 there now).",
    );
    // Half an hour later it is that day: the run makes today's.
    const later = { ...ctx, clock: fakeClock(Date.parse("2026-11-25T05:30:00Z")) };
    await expect(renderDay(later, "2026-11-25", "md")).rejects.toThrow(
      "`arxiv-digest run --workspace ../papers` makes today's.",
    );
  });

  it("an empty archive names the run, and an archived day renders as its page or its record", async () => {
    const ctx = context("2026-02-06T15:00:00Z");
    await expect(renderDay(ctx, "latest", "md")).rejects.toThrow(/has no day yet; run `arxiv-digest run` first\.$/);
    const day = makeDay();
    await new ArchiveStore(ctx.workspace.archiveDir).writeDay(day);
    expect(JSON.parse(await renderDay(ctx, "latest", "json"))).toEqual(day);
    expect(await renderDay(ctx, "2026-02-05", "md")).toContain("2026-02-05");
  });

  it("latest is the latest day with a digest: a day a run missed is passed by like a weekend, and yesterday is the feed day before it", async () => {
    const ctx = context("2026-11-24T15:00:00Z");
    const store = new ArchiveStore(ctx.workspace.archiveDir);
    const missed = (date: string, code: "stale" | "failed") =>
      makeDay({ date, papers: [], status: { code, message: `${code}.` } });
    // Thursday and Friday digests, Saturday's weekend record, Monday stale and Tuesday failed with no paper.
    for (const date of ["2026-11-19", "2026-11-20"]) await store.writeDay(makeDay({ date }));
    await store.writeDay(
      makeDay({ date: "2026-11-21", papers: [], status: { code: "no-announcement", message: "Weekend." } }),
    );
    await store.writeDay(missed("2026-11-23", "stale"));
    await store.writeDay(missed("2026-11-24", "failed"));
    expect(JSON.parse(await renderDay(ctx, "latest", "json")).date).toBe("2026-11-20");
    expect(JSON.parse(await renderDay(ctx, "yesterday", "json")).date).toBe("2026-11-19");
  });

  it("latest passes an imported day the imported tool never judged, with no paper picked, as the site does", async () => {
    const ctx = context("2026-11-24T15:00:00Z");
    const store = new ArchiveStore(ctx.workspace.archiveDir);
    const unjudged = (date: string, papers = [] as ReturnType<typeof makePaper>[]) =>
      makeDay({ date, papers, status: { code: "not-judged", message: "Scanned, never scored." } });
    await store.writeDay(unjudged("2026-11-18"));
    await expect(renderDay(ctx, "latest", "md")).rejects.toThrow(
      `the archive in ${ctx.workspace.archiveDir} has no digest yet, only weekends, holidays or imported days the imported tool never judged; \`arxiv-digest run\` makes the first on the next announcement day.`,
    );
    await store.writeDay(makeDay({ date: "2026-11-19" }));
    await store.writeDay(unjudged("2026-11-20"));
    expect(JSON.parse(await renderDay(ctx, "latest", "json")).date).toBe("2026-11-19");
    // Scanned papers none of which was picked are no digest either; one picked is.
    await store.writeDay(unjudged("2026-11-23", [makePaper({ outcome: "rejected" })]));
    expect(JSON.parse(await renderDay(ctx, "latest", "json")).date).toBe("2026-11-19");
    await store.writeDay(unjudged("2026-11-24", [makePaper()]));
    expect(JSON.parse(await renderDay(ctx, "latest", "json")).date).toBe("2026-11-24");
  });

  it("an archive with no digest says so in one sentence and names what makes one, on GitHub Actions the workflows", async () => {
    const ctx = context("2026-11-24T15:00:00Z", "../papers");
    const store = new ArchiveStore(ctx.workspace.archiveDir);
    await store.writeDay(
      makeDay({ date: "2026-11-21", papers: [], status: { code: "no-announcement", message: "Weekend." } }),
    );
    await expect(renderDay(ctx, "latest", "md")).rejects.toThrow(
      `the archive in ${ctx.workspace.archiveDir} has no digest yet, only weekends or holidays; \`arxiv-digest run --workspace ../papers\` makes the first on the next announcement day.`,
    );
    for (const date of ["2026-11-23", "2026-11-24"]) {
      await store.writeDay(makeDay({ date, papers: [], status: { code: "failed", message: "The feed failed." } }));
    }
    await expect(renderDay(ctx, "yesterday", "md")).rejects.toThrow(
      `the archive in ${ctx.workspace.archiveDir} has no digest yet: the runs of 2 announcement days (2026-11-23 to 2026-11-24) missed theirs (stale or failed, no paper kept); rebuild them with \`arxiv-digest backfill --from 2026-11-23 --to 2026-11-24 --workspace ../papers\`.`,
    );
    await expect(renderDay({ ...ctx, actions: true }, "latest", "md")).rejects.toThrow(
      "rebuild them with the Backfill workflow (Actions → Backfill → Run workflow) with from 2026-11-23 and to 2026-11-24.",
    );
  });

  it("a date without a record names the Backfill workflow on GitHub Actions", async () => {
    const ctx = { ...context("2026-11-24T15:00:00Z", "../papers"), actions: true };
    await expect(renderDay(ctx, "2026-11-20", "md")).rejects.toThrow(
      /\(.*2026-11-20\.json\): the Backfill workflow \(Actions → Backfill → Run workflow\) with from 2026-11-20 and to 2026-11-20 rebuilds it from the arXiv export API\.$/,
    );
  });
});
