/**
 * A run's mistakes about dates and models, on the real executable against a local arXiv feed (the
 * 2026-02-05 announcement, so every later announcement day is one the feed is behind) and a local
 * OpenAI-compatible server:
 *
 * - a past `--date` the feed does not carry exits 2, writes and delivers nothing, and names the
 *   one-day `backfill` (the Backfill workflow on GitHub Actions), once; `yesterday` is refused before
 *   anything is fetched, naming what to run instead, and `today` is the run without `--date`;
 * - a `llm.model` OpenAI's own list lacks stops the run (exit 2) before any chat call, the archived
 *   day left as it was, with doctor's sentence (api.openai.com is the local server here, through a
 *   preloaded module); any other endpoint's list earns a warning and the run goes on; without a
 *   list the run goes on; a re-run the cache answers asks for no list;
 * - `llm.provider: offline` is said as information, not as a warning, and not at all with `-q`.
 *
 * The clock is the machine's: only dates well before it are asked for, and none is asserted from it.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isolatedEnv, runCli, SELF } from "../helpers/cli.js";
import { FEED_DAY_XML, feedDayConfig, localServicesEnv, startFeedDayServer } from "../helpers/feed-day.js";
import { type OpenAiServer, startOpenAiServer } from "../helpers/openai-server.js";
import { startServer, type TestServer } from "../helpers/server.js";
import { type TempWorkspace, tempWorkspace } from "../helpers/workspace.js";

const FEED_DAY = "2026-02-05";
/** An announcement day after the feed's, long past by the machine's clock. */
const PAST = "2026-02-10";

let arxiv: TestServer;
let receiver: TestServer;
const workspaces: TempWorkspace[] = [];
const servers: OpenAiServer[] = [];

beforeAll(async () => {
  arxiv = await startFeedDayServer();
  receiver = await startServer((_req, res) => {
    res.writeHead(200);
    res.end("ok");
  });
}, 60_000);

afterAll(async () => {
  await arxiv.close();
  await receiver.close();
  await Promise.all(servers.map((s) => s.close()));
  for (const w of workspaces) w.cleanup();
});

function workspace(llm: string, deliver = "  slack: {}\n"): string {
  const w = tempWorkspace(feedDayConfig(llm, deliver));
  workspaces.push(w);
  return w.dir;
}

async function llmServer(models?: readonly string[] | "missing"): Promise<OpenAiServer> {
  const s = await startOpenAiServer(models === undefined ? {} : { models });
  servers.push(s);
  return s;
}

const archived = (ws: string, date: string) => join(ws, "archive", date.slice(0, 4), date.slice(5, 7), `${date}.json`);

describe("run --date on a day the feed will not serve again", () => {
  it("exits 2 with one sentence naming the backfill, writing and delivering nothing", async () => {
    const llm = await llmServer();
    const ws = workspace("", `  webhooks:\n    - url: ${receiver.url}/hook\n`);
    const env = isolatedEnv(localServicesEnv(arxiv, llm));
    const res = await runCli(["run", "--date", PAST, "--workspace", ws], { env });
    expect(res.code, res.stderr).toBe(2);
    // The fetch's progress line, then the one sentence.
    const lines = res.stderr.trim().split("\n");
    expect(lines, res.stderr).toHaveLength(2);
    expect(lines[0]).toMatch(/^Fetching the arXiv announcement /);
    expect(lines[1]).toMatch(
      new RegExp(
        `^arxiv-digest: --date ${PAST}: arXiv's feed has moved past that day \\(by arXiv's calendar it serves the announcement of \\d{4}-\\d{2}-\\d{2} now, though the feed read still carries the announcement of ${FEED_DAY}\\) and only ever its latest one, so nothing was written; rebuild ${PAST} from the export API with \`${SELF} backfill --from ${PAST} --to ${PAST} --workspace `,
      ),
    );
    expect(res.stdout + res.stderr).not.toMatch(/has not been updated|run again later/);
    expect(existsSync(join(ws, "archive"))).toBe(false);
    expect(receiver.requests).toHaveLength(0);
    expect(llm.chats()).toHaveLength(0);

    // On GitHub Actions the rebuild is the Backfill workflow.
    const onActions = await runCli(["run", "--date", PAST, "--no-deliver", "--workspace", ws], {
      env: { ...env, GITHUB_ACTIONS: "true" },
    });
    expect(onActions.code, onActions.stderr).toBe(2);
    expect(onActions.stderr).toContain(
      `with the Backfill workflow (Actions → Backfill → Run workflow) with from ${PAST} and to ${PAST}.`,
    );
    expect(existsSync(join(ws, "archive"))).toBe(false);
  }, 60_000);

  it("refuses yesterday before anything is fetched, naming what to run instead", async () => {
    const ws = workspace("");
    const llm = await llmServer();
    const fetched = arxiv.requests.length;
    const res = await runCli(["run", "--date", "yesterday", "--no-deliver", "--workspace", ws], {
      env: isolatedEnv(localServicesEnv(arxiv, llm)),
    });
    expect(res.code, res.stderr).toBe(2);
    expect(res.stderr).toMatch(
      // The advice follows the machine's day: an announcement day's or a weekend's (or a holiday's).
      new RegExp(
        String.raw`^arxiv-digest: --date "yesterday" is not a day run makes: (it makes the announcement the feed serves, today's \d{4}-\d{2}-\d{2}, when --date is left out \(or give a date as YYYY-MM-DD\); rebuild the announcement before it, (\d{4}-\d{2}-\d{2}), with \`${SELF} backfill --from \2 --to \2 --workspace .*\`|today, \w+ \d{4}-\d{2}-\d{2}, is a (weekend day|holiday), which a run without --date records and makes nothing of, and the feed still serves the last announcement, \w+ (\d{4}-\d{2}-\d{2})'s, which \`${SELF} run --date \4 --workspace .*\` makes)\.\n$`,
      ),
    );
    expect(arxiv.requests).toHaveLength(fetched);
    expect(existsSync(join(ws, "archive"))).toBe(false);
  }, 60_000);
});

describe("run --help", () => {
  it("says a past --date is refused unless the feed still carries it, and offers today but not yesterday", async () => {
    const res = await runCli(["run", "--help"], { env: isolatedEnv() });
    expect(res.code, res.stderr).toBe(0);
    const help = res.stdout.replace(/\s+/g, " ");
    expect(help).toContain("is refused (exit 2) unless the feed still carries it: rebuild it with `backfill`");
    expect(help).toContain(
      "(default, or today: today in US Eastern time, the machine's clock checked against the feed)",
    );
    expect(help).not.toContain("yesterday");
  });
});

describe("run --date today", () => {
  it("is the run without --date: the clock is checked against the feed, and the outcome is the same", async () => {
    // The run's clock set to Tuesday 2026-02-10 (a preload moves Date.now), and a feed whose server
    // says it is the fixture's day: the clock is then days ahead of the feed, which stops a run that
    // checks it (exit 2); one that took `today` as a date would call the feed stale instead (exit 3).
    const dir = await mkdtemp(join(tmpdir(), "arxiv-digest-clock-"));
    const preload = join(dir, "clock.mjs");
    writeFileSync(
      preload,
      'const shift = Date.parse("2026-02-10T15:00:00Z") - Date.now();\nconst real = Date.now;\nDate.now = () => real() + shift;\n',
    );
    const stuck = await startServer((req, res) => {
      const found = req.url === "/rss/cs.LG+cs.AI+cs.CL";
      res.writeHead(found ? 200 : 404, {
        "content-type": "application/rss+xml",
        date: "Thu, 05 Feb 2026 06:00:00 GMT",
      });
      res.end(found ? readFileSync(FEED_DAY_XML) : "not found");
    });
    try {
      const llm = await llmServer();
      const env = {
        ...isolatedEnv(localServicesEnv(stuck, llm)),
        NODE_OPTIONS: `--import=${pathToFileURL(preload).href}`,
      };
      const outcome = async (date: string[]) => {
        const ws = workspace("");
        const res = await runCli(["run", ...date, "--no-deliver", "--workspace", ws], { env });
        return {
          code: res.code,
          stdout: res.stdout,
          last: res.stderr.trim().split("\n").at(-1)?.replaceAll(ws, "<ws>"),
        };
      };
      const without = await outcome([]);
      expect(without.code, without.last).toBe(2);
      expect(without.last).toMatch(/pass --date 2026-02-05 to produce the announcement the feed serves/);
      expect(await outcome(["--date", "today"])).toEqual(without);
      expect(await outcome(["--date", " TODAY "])).toEqual(without);
    } finally {
      await stuck.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe("a llm.model the endpoint does not list", () => {
  /** The executable with every request to api.openai.com sent to `llm` instead (test/helpers/openai-host.mjs). */
  const onOpenAiHost = (llm: OpenAiServer) => {
    const { OPENAI_BASE_URL: _, ...env } = localServicesEnv(arxiv, llm);
    const preload = fileURLToPath(new URL("../helpers/openai-host.mjs", import.meta.url));
    return isolatedEnv({ ...env, TEST_OPENAI_HOST: llm.url, NODE_OPTIONS: `--import ${preload}` });
  };

  it("stops the run on OpenAI's own list before any chat call, keeping the archived day; doctor fails the same", async () => {
    const llm = await llmServer();
    const ws = workspace("", `  webhooks:\n    - url: ${receiver.url}/hook\n`);
    const env = onOpenAiHost(llm);
    const good = await runCli(["run", "--date", FEED_DAY, "--no-deliver", "--workspace", ws], { env });
    expect(good.code, good.stderr).toBe(0);
    expect(llm.modelListings()).toBe(1);
    const chats = llm.chats().length;
    // A re-run the response cache answers whole sends no paid call, so it asks for no list either.
    const again = await runCli(["run", "--date", FEED_DAY, "--no-deliver", "--workspace", ws], { env });
    expect(again.code, again.stderr).toBe(0);
    expect(llm.modelListings()).toBe(1);
    expect(llm.chats()).toHaveLength(chats);
    const before = readFileSync(archived(ws, FEED_DAY), "utf8");

    const config = join(ws, "arxiv-digest.yaml");
    writeFileSync(config, readFileSync(config, "utf8").replace("model: gpt-5-mini", "model: gpt5-mini"));
    const typo = await runCli(["run", "--date", FEED_DAY, "--no-deliver", "--workspace", ws], { env });
    expect(typo.code, typo.stderr).toBe(2);
    const lines = typo.stderr.trim().split("\n");
    expect(lines.at(-1)).toBe(
      `arxiv-digest: https://api.openai.com/v1 does not list gpt5-mini (llm.model); set llm.model to one it lists (did you mean gpt-5-mini?); ${FEED_DAY} was neither archived nor delivered.`,
    );
    expect(llm.chats()).toHaveLength(chats);
    expect(readFileSync(archived(ws, FEED_DAY), "utf8")).toBe(before);

    // doctor says the same of it, as a settings mistake (exit 2).
    const doctor = await runCli(["doctor", "--workspace", ws], { env });
    expect(doctor.code, doctor.stdout).toBe(2);
    expect(doctor.stdout).toContain(
      "FAIL  LLM model: https://api.openai.com/v1 does not list gpt5-mini (llm.model); set llm.model to one it lists (did you mean gpt-5-mini?).",
    );
  }, 180_000);

  it("only warns, once, on any other endpoint's list, and the run goes on; doctor warns the same", async () => {
    const llm = await llmServer();
    const ws = workspace("", `  webhooks:\n    - url: ${receiver.url}/hook\n`);
    const env = isolatedEnv(localServicesEnv(arxiv, llm));
    const config = join(ws, "arxiv-digest.yaml");
    writeFileSync(config, readFileSync(config, "utf8").replace("model: gpt-5-mini", "model: gpt5-mini"));
    const res = await runCli(["run", "--date", FEED_DAY, "--no-deliver", "--workspace", ws], { env });
    expect(res.code, res.stderr).toBe(0);
    const said = res.stderr.split("\n").filter((l) => l.includes("does not list"));
    expect(said).toEqual([
      `warning: ${llm.url}/v1 does not list gpt5-mini (llm.model); set llm.model to one it lists (did you mean gpt-5-mini?), unless this endpoint takes names its list leaves out (its list is not the set of names its chat accepts, so the command goes on).`,
    ]);
    expect(llm.chats().length).toBeGreaterThan(0);
    expect(existsSync(archived(ws, FEED_DAY))).toBe(true);

    const doctor = await runCli(["doctor", "--workspace", ws], { env });
    expect(doctor.code, doctor.stdout).toBe(0);
    expect(doctor.stdout).toContain(`warn  LLM model: ${llm.url}/v1 does not list gpt5-mini (llm.model);`);
  }, 120_000);

  it("goes on when the endpoint lists no models", async () => {
    const llm = await llmServer("missing");
    const ws = workspace("  concurrency: 4\n");
    const config = join(ws, "arxiv-digest.yaml");
    writeFileSync(config, readFileSync(config, "utf8").replace("model: gpt-5-mini", "model: my-local-model"));
    const res = await runCli(["run", "--date", FEED_DAY, "--no-deliver", "--workspace", ws], {
      env: isolatedEnv(localServicesEnv(arxiv, llm)),
    });
    expect(res.code, res.stderr).not.toBe(2);
    expect(llm.chats().length).toBeGreaterThan(0);
    expect(existsSync(archived(ws, FEED_DAY))).toBe(true);
  }, 120_000);
});

describe("llm.provider: offline", () => {
  it("is said once as information, and not at all with -q", async () => {
    const ws = workspace("");
    const config = join(ws, "arxiv-digest.yaml");
    writeFileSync(config, readFileSync(config, "utf8").replace("provider: openai", "provider: offline"));
    const env = isolatedEnv({ ARXIV_RSS_URL: `${arxiv.url}/rss` });
    const loud = await runCli(["run", "--date", FEED_DAY, "--no-deliver", "--workspace", ws], { env });
    expect(loud.code, loud.stderr).toBe(0);
    const said = loud.stderr.split("\n").filter((l) => l.includes('llm.provider is "offline"'));
    expect(said).toHaveLength(1);
    expect(said[0]).not.toMatch(/^warning:/);
    const quiet = await runCli(["run", "--date", FEED_DAY, "--no-deliver", "-q", "--workspace", ws], { env });
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stderr).not.toContain("offline");
    expect(quiet.stderr).not.toMatch(/^warning:/m);
  }, 60_000);
});

describe("a date written without its leading zeros", () => {
  it("is refused with the date it most likely means", async () => {
    const ws = workspace("");
    const res = await runCli(["render", "2026-2-5", "--workspace", ws], { env: isolatedEnv() });
    expect(res.code, res.stderr).toBe(2);
    expect(res.stderr.trim()).toBe(
      'arxiv-digest: date "2026-2-5" is not a calendar date; write it as YYYY-MM-DD: did you mean 2026-02-05?',
    );
  });
});
