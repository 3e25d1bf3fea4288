/** The progress bar on a terminal: within 80 columns, with an ETA, and log lines never drawn over it. */
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { formatEta, progressLine, progressReporter } from "../../src/cli/common.js";
import type { ProgressEvent } from "../../src/pipeline/run.js";

/** A fake terminal 80 columns wide that records every write, with the logger writing to it too. */
function fakeTerminal(columns = 80) {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  Object.assign(stream, { isTTY: true, columns });
  const log = {
    info: (m: string) => chunks.push(`LOG ${m}\n`),
    warn: (m: string) => chunks.push(`WARN ${m}\n`),
  };
  return { stream, chunks, log };
}

const event = (scored: number, total = 247): ProgressEvent => ({
  scored,
  total,
  calls: scored * 3,
  reused: 0,
  promptTokens: 123_456 * scored,
  completionTokens: 9_876 * scored,
  costUsd: 12.3456,
});

/** What a terminal shows: a move to column 1 is a carriage return, other escapes dropped; split at both. */
function visibleLines(output: string): string[] {
  return output
    .replace(/\x1b\[\d*G/g, "\r")
    .replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b[78]/g, "")
    .split(/[\r\n]/);
}

describe("the progress line", () => {
  it("fits in 80 columns with large counts and shows an ETA", () => {
    const line = progressLine({ value: 12_345, total: 12_345, calls: 99_999, cost: "$1234.5678", etaSeconds: 7_200 });
    expect(line.length).toBeLessThan(80);
    const mid = progressLine({ value: 120, total: 247, calls: 31, cost: "$0.0123", etaSeconds: 65 });
    expect(mid).toMatch(/^judging [█░]{20} 120\/247 \| 31 calls \| \$0\.0123 \| ETA 1m05s$/);
    expect(progressLine({ value: 1, total: 2, calls: 1, cost: "$0", etaSeconds: 5 }, 40).length).toBeLessThan(40);
    // A re-run served from the cache counts as its summary does: no new call, the answers reused, $0.
    expect(progressLine({ value: 247, total: 247, calls: 0, reused: 5, cost: "$0", etaSeconds: 0 })).toContain(
      "| 0 new calls, 5 reused | $0 |",
    );
  });

  it("formats the ETA briefly, and says -- while it is unknown", () => {
    expect([formatEta(5), formatEta(65), formatEta(3_700), formatEta(Number.NaN), formatEta(Infinity)]).toEqual([
      "5s",
      "1m05s",
      "1h01m",
      "--",
      "--",
    ]);
  });
});

describe("progressReporter on a terminal", () => {
  it("draws within 80 columns and prints the delivery lines after the bar has stopped", async () => {
    const t = fakeTerminal();
    const progress = await progressReporter(t.log, t.stream);
    for (const n of [0, 50, 120, 200, 247]) progress.onProgress(event(n));
    // What the run logs after scoring (its deliveries) comes below the finished bar.
    progress.log.info("Delivered 2026-02-05 by slack to C0123.");
    progress.stop();
    const output = t.chunks.join("");
    for (const line of visibleLines(output)) expect(line.length, line).toBeLessThanOrEqual(80);
    const at = t.chunks.findIndex((c) => c.startsWith("LOG Delivered"));
    expect(at).toBeGreaterThan(0);
    expect(t.chunks.slice(0, at).join("")).toMatch(/\n[^\r]*$/);
    expect(t.chunks.slice(at + 1).join("")).not.toContain("judging");
    expect(output).toContain("247/247");
    expect(output).toContain("ETA");
  });

  it("stops the bar for a warning mid-way and starts a new one on the next progress", async () => {
    const t = fakeTerminal();
    const progress = await progressReporter(t.log, t.stream);
    progress.onProgress(event(10));
    progress.log.warn("the model answered slowly");
    progress.onProgress(event(20));
    progress.stop();
    const at = t.chunks.findIndex((c) => c.startsWith("WARN"));
    expect(t.chunks.slice(0, at).join("")).toMatch(/\n[^\r]*$/);
    expect(t.chunks.slice(at + 1).join("")).toContain("20/247");
  });
});

describe("progressReporter off a terminal", () => {
  it("logs the papers judged by any stage, not as abstracts scored", async () => {
    const lines: string[] = [];
    const stream = { isTTY: false } as NodeJS.WriteStream;
    const progress = await progressReporter({ info: (m) => lines.push(m), warn: (m) => lines.push(m) }, stream);
    for (const n of [0, 30, 247]) progress.onProgress(event(n));
    expect(lines[0]).toMatch(/^judged 0\/247 papers, 0 calls/);
    expect(lines.at(-1)).toMatch(/^judged 247\/247 papers, 741 calls/);
    expect(lines.join("\n")).not.toMatch(/scored/);
  });
});
