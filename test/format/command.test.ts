import { describe, expect, it } from "vitest";
import { commandLine } from "../../src/format/command.js";
import { failedDeliveriesSentence } from "../../src/pipeline/record.js";

describe("commandLine", () => {
  it("carries the workspace the user named, quoted for a shell where it must be", () => {
    expect(commandLine("run")).toBe("`arxiv-digest run`");
    expect(commandLine("backfill --from 2026-02-06 --to 2026-02-06", "~/papers")).toBe(
      "`arxiv-digest backfill --from 2026-02-06 --to 2026-02-06 --workspace ~/papers`",
    );
    expect(commandLine("run", "my papers")).toBe("`arxiv-digest run --workspace 'my papers'`");
    expect(commandLine("run", "it's")).toBe("`arxiv-digest run --workspace 'it'\\''s'`");
  });

  it("is what a run's summary suggests for its failed deliveries", () => {
    expect(failedDeliveriesSentence("2026-03-17", 1, "/srv/papers")).toBe(
      " 1 delivery failed; `arxiv-digest deliver 2026-03-17 --workspace /srv/papers` retries it.",
    );
  });
});
