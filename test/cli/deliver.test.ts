/** `arxiv-digest deliver DATE` through the real executable: failures recorded, then re-sent. */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it, onTestFinished } from "vitest";
import { ArchiveStore } from "../../src/archive/store.js";
import { isolatedEnv, runCli, SELF } from "../helpers/cli.js";
import { makeDay } from "../helpers/day-factory.js";
import { startServer } from "../helpers/server.js";
import { tempWorkspace } from "../helpers/workspace.js";

let up = false;
const hook = await startServer((_req, res) => {
  res.writeHead(up ? 200 : 400);
  res.end(up ? "ok" : "nope");
});
afterAll(() => hook.close());

describe("arxiv-digest deliver", () => {
  it("records a failure, re-sends on the next call, then has nothing left to send", async () => {
    const { dir: ws, cleanup } = tempWorkspace(
      `topics:\n  - id: a\n    title: A\n    description: anything\ndeliver:\n  webhooks:\n    - url: ${hook.url}/hook\n`,
    );
    onTestFinished(cleanup);
    const store = new ArchiveStore(join(ws, "archive"));
    await store.writeDay(makeDay({ date: "2026-02-05" }));

    const failed = await runCli(["deliver", "2026-02-05", "--workspace", ws]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/^2026-02-05: sent to 0 of 1 target; failed: webhook \(.*\)\.$/m);
    expect(failed.stderr).toMatch(/Delivery of 2026-02-05 by webhook to .* failed/);
    expect((await store.readDay("2026-02-05")).deliveries.map((d) => d.outcome)).toEqual(["failed"]);

    up = true;
    const sent = await runCli(["deliver", "2026-02-05", "--workspace", ws]);
    expect(sent.code).toBe(0);
    expect(sent.stdout).toBe("2026-02-05: sent to 1 of 1 target.\n");
    expect(sent.stderr).toMatch(/Delivered 2026-02-05 by webhook to /);
    expect(sent.stderr).not.toContain("failed");
    expect((await store.readDay("2026-02-05")).deliveries.map((d) => d.outcome)).toEqual(["failed", "sent"]);
    expect(JSON.parse(hook.requests.at(-1)!.body).date).toBe("2026-02-05");

    // The date as checked, not as typed, names the day and the command to copy.
    const again = await runCli(["deliver", " 2026-02-05", "--workspace", ws]);
    expect(again.stdout).toContain(
      `Nothing to deliver for 2026-02-05: every configured channel (1 webhook) already has it as it is; \`${SELF} deliver 2026-02-05 --again --workspace ${ws}\` sends it again.`,
    );
    const forced = await runCli(["deliver", "2026-02-05", "--again", "--workspace", ws]);
    expect(forced.code).toBe(0);
    expect((await store.readDay("2026-02-05")).deliveries.map((d) => d.outcome)).toEqual(["failed", "sent", "sent"]);
  }, 60_000);

  it("says why a day has no record and what makes it, and exits 2", async () => {
    const { dir: ws, cleanup } = tempWorkspace("topics:\n  - id: a\n    title: A\n    description: anything\n");
    onTestFinished(cleanup);
    const missed = await runCli(["deliver", "2026-02-06", "--workspace", ws]);
    expect(missed.code).toBe(2);
    expect(missed.stderr).toContain("no digest for 2026-02-06 in the archive (");
    // The command to copy names the workspace as the user did, so it runs on the same one.
    expect(missed.stderr).toContain(
      `\`${SELF} backfill --from 2026-02-06 --to 2026-02-06 --workspace ${ws}\` rebuilds it`,
    );
    // Run from the workspace itself, the command needs no --workspace.
    const here = await runCli(["deliver", "2026-02-06"], { cwd: ws });
    expect(here.stderr).toContain("`arxiv-digest backfill --from 2026-02-06 --to 2026-02-06` rebuilds it");
    const sunday = await runCli(["deliver", "2026-02-08", "--workspace", ws]);
    expect(sunday.code).toBe(2);
    expect(sunday.stderr).toContain("no digest for Sunday 2026-02-08: arXiv announces nothing on weekends;");
    // In a GitHub Actions job the rebuild is the Backfill workflow with that date, as run's hints say.
    const job = await runCli(["deliver", "2026-02-06", "--workspace", ws], {
      env: isolatedEnv({ GITHUB_ACTIONS: "true" }),
    });
    expect(job.code).toBe(2);
    expect(job.stderr).toContain(
      "the Backfill workflow (Actions → Backfill → Run workflow) with from 2026-02-06 and to 2026-02-06 rebuilds it",
    );
    expect(job.stderr).not.toContain("arxiv-digest backfill");
  }, 60_000);

  it("says when no channel is configured, and exits 0", async () => {
    const { dir: ws, cleanup } = tempWorkspace("topics:\n  - id: a\n    title: A\n    description: anything\n");
    onTestFinished(cleanup);
    await new ArchiveStore(join(ws, "archive")).writeDay(makeDay({ date: "2026-02-05" }));
    const r = await runCli(["deliver", "2026-02-05", "--workspace", ws]);
    expect(r.code).toBe(0);
    // The docs named by the path the installed package has them at: a workspace has no docs/.
    const docs = fileURLToPath(new URL("../../docs/config.md", import.meta.url));
    expect(existsSync(docs)).toBe(true);
    expect(r.stdout).toBe(
      `Nothing to deliver for 2026-02-05: no channel is configured (deliver.slack, deliver.email or deliver.webhooks in arxiv-digest.yaml; see ${docs}).\n`,
    );
  }, 60_000);
});
