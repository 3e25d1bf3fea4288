import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { backfillSuggestion, commandLine } from "../../src/format/command.js";
import { failedDeliveriesSentence } from "../../src/pipeline/record.js";

describe("commandLine", () => {
  it("carries the workspace the user named, quoted for a shell where it must be", () => {
    expect(commandLine("run")).toBe("`arxiv-digest run`");
    expect(commandLine("backfill --from 2026-02-06 --to 2026-02-06", "papers/2026")).toBe(
      "`arxiv-digest backfill --from 2026-02-06 --to 2026-02-06 --workspace papers/2026`",
    );
    expect(commandLine("run", "my papers")).toBe("`arxiv-digest run --workspace 'my papers'`");
    expect(commandLine("run", "it's")).toBe("`arxiv-digest run --workspace 'it'\\''s'`");
  });

  it("quotes a folder a shell would expand: a leading ~, or zsh's leading =", () => {
    expect(commandLine("run", "~/ws")).toBe("`arxiv-digest run --workspace '~/ws'`");
    expect(commandLine("run", "=ls")).toBe("`arxiv-digest run --workspace '=ls'`");
    expect(commandLine("run", "a~b=c")).toBe("`arxiv-digest run --workspace a~b=c`");
  });

  it("writes a folder holding control or format characters in $'…' with escapes, never the characters", () => {
    expect(commandLine("run", "a\nb")).toBe("`arxiv-digest run --workspace $'a\\nb'`");
    expect(commandLine("run", "\u202eevil")).toBe("`arxiv-digest run --workspace $'\\u202eevil'`");
    expect(commandLine("run", "x\x1b[2Jy")).toBe("`arxiv-digest run --workspace $'x\\e[2Jy'`");
    expect(commandLine("run", "it's\tme")).toBe("`arxiv-digest run --workspace $'it\\x27s\\tme'`");
    expect(commandLine("run", "back`tick")).toBe("`arxiv-digest run --workspace $'back\\x60tick'`");
    for (const name of ["a\nb", "\u202eevil", "x\x1b[2Jy", "\u2028", "\u{e0001}tag"])
      expect(commandLine("run", name)).not.toMatch(/[\p{Cc}\p{Cf}\p{Zl}]/u);
  });

  it("names the same folder once a shell reads it", () => {
    const names = [
      "papers",
      "my papers",
      "it's",
      "~/ws",
      "=ls",
      "$HOME",
      "a*b?[c]",
      "a\nb",
      "\u202eevil.txt",
      "x\x1b]0;title\x07y",
      "don't\tstop\\n",
      "back`tick $(x)",
      "dé\u200djà\u00a0vu",
      "\u{e0001}\u{1f600}",
      "0\x01\x7f9",
    ];
    for (const name of names) {
      const word = commandLine("run", name).match(/--workspace (.*)`$/s)![1]!;
      const read = execFileSync("bash", ["-c", `printf %s ${word}`], {
        encoding: "utf8",
        env: { PATH: process.env.PATH, LC_ALL: "C.UTF-8", HOME: "/nonexistent" },
      });
      expect(read, word).toBe(name);
    }
  });

  it("is what a run's summary suggests for its failed deliveries", () => {
    expect(failedDeliveriesSentence("2026-03-17", 1, "/srv/papers")).toBe(
      " 1 delivery failed; `arxiv-digest deliver 2026-03-17 --workspace /srv/papers` retries it.",
    );
  });

  it("names the workflows instead on GitHub Actions", () => {
    expect(failedDeliveriesSentence("2026-03-17", 2, "/srv/papers", true)).toBe(
      " 2 deliveries failed; the next scheduled run retries them by itself (or re-run this workflow).",
    );
    expect(backfillSuggestion("2026-03-16", "2026-03-17", "/srv/papers", true)).toBe(
      "the Backfill workflow (Actions → Backfill → Run workflow) with from 2026-03-16 and to 2026-03-17",
    );
    expect(backfillSuggestion("2026-03-16", "2026-03-17")).toBe(
      "`arxiv-digest backfill --from 2026-03-16 --to 2026-03-17`",
    );
  });
});
