/**
 * The workspace lock under attack: real child processes racing for it (exactly one wins, with or
 * without a stale lock to take over), locks left by a dead pid, by a live pid on another host, by
 * an earlier process that had our own pid, and a run stopped by SIGTERM or SIGINT.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { lockWorkspace } from "../../src/archive/store.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const STORE = new URL("../../src/archive/store.ts", import.meta.url).href;
const tmp = () => mkdtempSync(join(tmpdir(), "ad-lock-"));
const lockFile = (dir: string) => join(dir, ".arxiv-digest.lock");

/**
 * A child that loads the store, prints "ready", waits for a line on stdin, tries the lock and
 * prints "won" (then holds it until stdin closes) or "lost: <message>".
 */
const RACER = `
import { register } from "tsx/esm/api";
register();
const { lockWorkspace } = await import(${JSON.stringify(STORE)});
const dir = process.argv.at(-1);
process.stdout.write("ready\\n");
await new Promise((r) => process.stdin.once("data", r));
try {
  const lock = await lockWorkspace(dir, "race");
  process.stdout.write("won\\n");
  if (process.env.HOLD === "signal") await new Promise(() => {});
  await new Promise((r) => process.stdin.on("end", r));
  await lock.release();
} catch (err) {
  process.stdout.write("lost: " + err.message + "\\n");
}
`;

interface Racer {
  child: ChildProcess;
  lines: string[];
  waitFor(pred: (line: string) => boolean): Promise<string>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function racer(dir: string, env: Record<string, string> = {}): Racer {
  const child = spawn(process.execPath, ["--input-type=module", "-e", RACER, dir], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines: string[] = [];
  const waiters: Array<() => void> = [];
  let buf = "";
  child.stdout!.on("data", (d: Buffer) => {
    buf += d.toString();
    const parts = buf.split("\n");
    buf = parts.pop()!;
    lines.push(...parts);
    for (const w of waiters.splice(0)) w();
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  const waitFor = (pred: (line: string) => boolean) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const hit = lines.find(pred);
        if (hit !== undefined) return resolve(hit);
        waiters.push(check);
      };
      exit.then(() => {
        const hit = lines.find(pred);
        if (hit === undefined) reject(new Error(`child exited; said ${JSON.stringify(lines)}`));
      });
      check();
    });
  return { child, lines, waitFor, exit };
}

/** Starts `n` racers, lets them go at once, and returns who won and who lost. */
async function race(dir: string, n: number): Promise<{ won: Racer[]; lost: Racer[] }> {
  const racers = Array.from({ length: n }, () => racer(dir));
  await Promise.all(racers.map((r) => r.waitFor((l) => l === "ready")));
  for (const r of racers) r.child.stdin!.write("go\n");
  await Promise.all(racers.map((r) => r.waitFor((l) => l === "won" || l.startsWith("lost"))));
  const won = racers.filter((r) => r.lines.includes("won"));
  const lost = racers.filter((r) => !r.lines.includes("won"));
  for (const r of racers) r.child.stdin!.end();
  await Promise.all(racers.map((r) => r.exit));
  return { won, lost };
}

function deadPid(): number {
  return Number(spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]).stdout.toString());
}

describe("lockWorkspace between processes", () => {
  it("lets exactly one of many racing processes take a free lock", { timeout: 240_000 }, async () => {
    const dir = tmp();
    const { won, lost } = await race(dir, 6);
    expect(won).toHaveLength(1);
    for (const l of lost) expect(l.lines.join("\n")).toMatch(/holds .*\.arxiv-digest\.lock/);
    expect(existsSync(lockFile(dir))).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("lets exactly one of many racing processes take over a stale lock", { timeout: 240_000 }, async () => {
    const dir = tmp();
    for (let round = 0; round < 2; round++) {
      writeFileSync(lockFile(dir), JSON.stringify({ pid: deadPid(), purpose: "run", since: "2026-01-01T00:00:00Z" }));
      const { won, lost } = await race(dir, 6);
      expect(won).toHaveLength(1);
      for (const l of lost) expect(l.lines.join("\n")).toMatch(/holds .*\.arxiv-digest\.lock/);
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it("releases the lock when stopped by SIGTERM or SIGINT, exiting 128 + the signal number", {
    timeout: 60_000,
  }, async () => {
    for (const [signal, code] of [
      ["SIGTERM", 143],
      ["SIGINT", 130],
    ] as const) {
      const dir = tmp();
      const r = racer(dir, { HOLD: "signal" });
      await r.waitFor((l) => l === "ready");
      r.child.stdin!.write("go\n");
      await r.waitFor((l) => l === "won");
      expect(JSON.parse(readFileSync(lockFile(dir), "utf8")).pid).toBe(r.child.pid);
      r.child.kill(signal);
      expect(await r.exit).toEqual({ code, signal: null });
      expect(existsSync(lockFile(dir))).toBe(false);
    }
  });
});

describe("lockWorkspace: who holds a lock", () => {
  it("takes over a lock left by a dead pid", async () => {
    const dir = tmp();
    writeFileSync(lockFile(dir), JSON.stringify({ pid: deadPid(), host: hostname(), purpose: "run" }));
    const lock = await lockWorkspace(dir, "run");
    const body = JSON.parse(readFileSync(lockFile(dir), "utf8"));
    expect(body).toMatchObject({ pid: process.pid, host: hostname(), purpose: "run" });
    await lock.release();
    expect(existsSync(lockFile(dir))).toBe(false);
  });

  it("takes over a lock from another host even when that pid is alive here", async () => {
    const dir = tmp();
    // process.ppid is alive on this host; the lock says it belongs to a process elsewhere.
    writeFileSync(lockFile(dir), JSON.stringify({ pid: process.ppid, host: "some-other-host", purpose: "run" }));
    const lock = await lockWorkspace(dir, "run");
    expect(JSON.parse(readFileSync(lockFile(dir), "utf8")).pid).toBe(process.pid);
    await lock.release();
  });

  it("takes over a lock with our own pid written by an earlier process (a container's pid 1)", async () => {
    const dir = tmp();
    writeFileSync(
      lockFile(dir),
      JSON.stringify({ pid: process.pid, host: hostname(), start: "1", since: "2020-01-01T00:00:00.000Z" }),
    );
    const lock = await lockWorkspace(dir, "run");
    await lock.release();
    // Without a start time, the lock's age tells: it was written before this process began.
    writeFileSync(lockFile(dir), JSON.stringify({ pid: process.pid, since: "2020-01-01T00:00:00.000Z" }));
    const again = await lockWorkspace(dir, "run");
    await again.release();
  });

  it("refuses a lock held by a live process on this host, and our own live lock", async () => {
    const dir = tmp();
    const lock = await lockWorkspace(dir, "run");
    await expect(lockWorkspace(dir, "backfill")).rejects.toThrow(/pid \d+, run, .*holds .*\.arxiv-digest\.lock/);
    await lock.release();
    const holder = racer(dir);
    await holder.waitFor((l) => l === "ready");
    holder.child.stdin!.write("go\n");
    await holder.waitFor((l) => l === "won");
    await expect(lockWorkspace(dir, "run")).rejects.toThrow(new RegExp(`pid ${holder.child.pid}\\b`));
    holder.child.stdin!.end();
    await holder.exit;
    await (await lockWorkspace(dir, "run")).release();
  });
});
