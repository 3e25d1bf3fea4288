/**
 * The real executable on a pseudo-terminal (util-linux `script`): what it prints is laid out to the
 * terminal's width, words whole; through a pipe the same output is the lines it always was.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, hasScript, isolatedEnv, runCli } from "../helpers/cli.js";

const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

/** Runs the executable on a terminal `columns` wide; its output (stdout and stderr as the terminal shows them) and exit code. */
function onTerminal(
  args: string[],
  columns: number,
  env: Record<string, string> = isolatedEnv(),
): Promise<{ code: number | null; output: string }> {
  const command = `stty cols ${columns} rows 50 && exec ${[process.execPath, BIN, ...args].map(quote).join(" ")}`;
  return new Promise((resolve, reject) => {
    const child = spawn("script", ["-qec", command, "/dev/null"], { env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => {
      output += d.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output: output.replaceAll("\r\n", "\n") }));
  });
}

const words = (text: string) => text.split(/\s+/).filter(Boolean);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "arxiv-digest-terminal-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!hasScript)("on a terminal", () => {
  it("the help, its trailer included, fits the terminal's width", async () => {
    const piped = await runCli(["--help"]);
    // 80 columns: narrower, Commander leaves its own descriptions unwrapped (too little room beside the options).
    const r = await onTerminal(["--help"], 80);
    expect(r.code).toBe(0);
    for (const line of r.output.split("\n")) expect(line.length, line).toBeLessThanOrEqual(80);
    // The same words as through a pipe, where the trailer keeps its own lines.
    expect(words(r.output)).toEqual(words(piped.stdout));
    expect(piped.stdout).toContain(
      "\nExit codes: 0 done (an honest empty day included), 1 incomplete (unscored papers, a failed source or delivery),\n2 bad usage",
    );
    const lines = r.output.split("\n");
    const env = lines.findIndex((l) => l.startsWith("Environment: "));
    expect(env).toBeGreaterThan(0);
    expect(lines[env + 1]).toMatch(/^ {13}[A-Z]/);
  });

  it("an error hangs under its prefix and keeps a path whole; COLUMNS sets the width", async () => {
    const missing = join(dir, "a-folder-with-a-rather-long-name", "and-no-workspace-in-it");
    const piped = await runCli(["-w", missing, "run"]);
    expect(piped.code).toBe(2);
    expect(piped.stderr.trimEnd().split("\n")).toHaveLength(1);

    const r = await onTerminal(["-w", missing, "run"], 100, isolatedEnv({ COLUMNS: "50" }));
    expect(r.code).toBe(2);
    const lines = r.output.trimEnd().split("\n");
    expect(lines.length).toBeGreaterThan(1);
    expect(lines[0]).toMatch(/^arxiv-digest: /);
    for (const line of lines.slice(1)) expect(line).toMatch(/^ {14}\S/);
    // Wider than the room: on a line of its own, whole (the terminal, not us, may fold it).
    expect(
      lines.some(
        (l) => l.trim() === missing || (/^[;:]/.test(l.trim().slice(missing.length)) && l.trim().startsWith(missing)),
      ),
    ).toBe(true);
    for (const line of lines) if (!line.includes(missing)) expect(line.length, line).toBeLessThanOrEqual(50);
    expect(words(r.output)).toEqual(words(piped.stderr));
  });

  it("a usage error echoes what was typed with its control characters shown, not obeyed", async () => {
    const r = await onTerminal(["run\u001b[2J\u0007"], 80);
    expect(r.code).toBe(2);
    expect(r.output).toContain("unknown command");
    expect(r.output).not.toMatch(/[\u0007\u001b]/);
    expect(r.output).toContain("\\u001b[2J");
  });
});
