/**
 * The real executable killed between a day's record and its Markdown page (SIGKILL, from a
 * preloaded hook, at the moment the page would be renamed into place): the next run renders that
 * page and says so, once. A day delivered after its page was written, pages older than their
 * records (a checkout's times), and a command refused with exit 2 re-render nothing, and the
 * refused command writes nothing at all.
 */
import { readdirSync, readFileSync, statSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isolatedEnv, runCli } from "../helpers/cli.js";
import { startFeedDayServer } from "../helpers/feed-day.js";
import { startServer, type TestServer } from "../helpers/server.js";
import { type TempWorkspace, tempWorkspace } from "../helpers/workspace.js";

/** Preloaded into the child: kills the process when a write is about to rename a file ending in KILL_ON_RENAME_TO into place. */
const KILL_HOOK = `const fsp = require("node:fs/promises");
const { syncBuiltinESMExports } = require("node:module");
const rename = fsp.rename;
fsp.rename = async (from, to) => {
  if (String(to).endsWith(process.env.KILL_ON_RENAME_TO)) process.kill(process.pid, "SIGKILL");
  return rename(from, to);
};
syncBuiltinESMExports();
`;

let arxiv: TestServer;
let hook: TestServer;
let workspace: TempWorkspace;
let ws: string;
let env: Record<string, string>;

beforeAll(async () => {
  arxiv = await startFeedDayServer();
  hook = await startServer((_req, res) => {
    res.writeHead(200);
    res.end("ok");
  });
  workspace = tempWorkspace(
    `arxiv:
  categories: [cs.LG, cs.AI, cs.CL]
  minIntervalSeconds: 0
  contact: tests@example.org
llm:
  provider: offline
topics:
  - id: architecture
    title: Model architecture
    description: Mixture-of-experts, transformers and conditional computation.
    include: [mixture of experts, transformer]
deliver:
  webhooks:
    - url: ${hook.url}/hook
`,
    { "kill-hook.cjs": KILL_HOOK },
  );
  ws = workspace.dir;
  env = isolatedEnv({ ARXIV_RSS_URL: `${arxiv.url}/rss` });
});
afterAll(async () => {
  await arxiv.close();
  await hook.close();
  workspace.cleanup();
});

const archive = () => join(ws, "archive");
const page = (date: string) => join(archive(), date.slice(0, 4), date.slice(5, 7), `${date}.md`);

/** Every file of the archive with its modification time and content. */
function snapshot(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(archive(), { recursive: true, encoding: "utf8" })) {
    const s = statSync(join(archive(), name));
    if (s.isFile()) out[name] = `${s.mtimeMs} ${readFileSync(join(archive(), name), "utf8")}`;
  }
  return out;
}

describe("a run killed between a day's record and its page", () => {
  it("gets its page from the next run, and nothing else is ever re-rendered", async () => {
    const killed = await runCli(["run", "--date", "2026-02-05", "--no-deliver", "--workspace", ws], {
      env: { ...env, NODE_OPTIONS: `--require ${join(ws, "kill-hook.cjs")}`, KILL_ON_RENAME_TO: "2026-02-05.md" },
    });
    expect(killed.signal).toBe("SIGKILL");
    // The record, and the page's temp file that was never renamed: no page.
    expect(readdirSync(join(archive(), "2026", "02"))).toEqual([
      "2026-02-05.json",
      expect.stringMatching(/^2026-02-05\.md\.\d+\.[0-9a-f]+\.tmp$/),
    ]);

    // The next command (a weekend: nothing fetched) puts the page right, and says so.
    const weekend = await runCli(["run", "--date", "2026-02-07", "--no-deliver", "--workspace", ws], { env });
    expect(weekend.code).toBe(0);
    expect(weekend.stderr).toContain("Re-rendered the Markdown page of 2026-02-05.");
    expect(weekend.stderr).toContain("Removed 1 temp file(s) left by an interrupted run.");
    expect(readdirSync(join(archive(), "2026", "02")).sort()).toEqual([
      "2026-02-05.json",
      "2026-02-05.md",
      "2026-02-07.json",
      "2026-02-07.md",
    ]);
    const rendered = await runCli(["render", "2026-02-05", "--workspace", ws], { env });
    expect(readFileSync(page("2026-02-05"), "utf8")).toBe(rendered.stdout);

    // Delivered: the record is written again, after its page.
    const delivered = await runCli(["deliver", "2026-02-05", "--workspace", ws], { env });
    expect(delivered.code).toBe(0);
    expect(hook.requests).toHaveLength(1);
    // A checkout gives files any times: every page older than its record.
    const past = new Date("2020-01-01T00:00:00Z");
    for (const date of ["2026-02-05", "2026-02-07"]) utimesSync(page(date), past, past);
    const before = snapshot();

    // A past date the feed has moved on from: refused, and nothing written before the refusal.
    const refused = await runCli(["run", "--date", "2026-02-04", "--workspace", ws], { env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--date 2026-02-04: the feed already serves the announcement of 2026-02-05/);
    expect(refused.stderr).not.toMatch(/Re-rendered/);
    expect(snapshot()).toEqual(before);

    const sunday = await runCli(["run", "--date", "2026-02-08", "--no-deliver", "--workspace", ws], { env });
    expect(sunday.code).toBe(0);
    expect(sunday.stderr).not.toMatch(/Re-rendered/);
    for (const date of ["2026-02-05", "2026-02-07"]) expect(statSync(page(date)).mtimeMs).toBe(past.getTime());
  }, 120_000);
});
