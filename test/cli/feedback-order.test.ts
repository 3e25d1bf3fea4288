/**
 * A new reader's review through the real executable: an export whose lines were reversed (`tac`)
 * and imported must give the same feedback as the export in its own order, since
 * docs/config.md promises that line order in feedback.jsonl does not matter.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { runCli } from "../helpers/cli.js";

// Each run starts node and compiles the sources through tsx: seconds apiece on a busy machine.
vi.setConfig({ testTimeout: 180_000 });

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), "ad-feedback-order-"));
  writeFileSync(
    join(dir, "arxiv-digest.yaml"),
    "topics:\n  - id: moe\n    title: Mixture of experts\n    description: Routing in sparse models.\n",
  );
  return dir;
}

/** What `feedback export` printed before: per paper a `clear` and then its marks, all at one time. */
const OLD_EXPORT = (
  [
    ["2401.00010", ["like"], "2026-02-05T10:00:00.000Z"],
    ["2401.00020", ["like", "save"], "2026-02-05T10:01:00.000Z"],
    ["2401.00030", ["dislike"], "2026-02-05T10:02:00.000Z"],
    ["2401.00040", ["save"], "2026-02-05T10:02:00.000Z"],
    ["2401.00050", ["like"], "2026-02-06T09:00:00.000Z"],
  ] as const
).flatMap(([id, marks, at]) =>
  ["clear", ...marks].map((signal) => JSON.stringify({ v: 1, id, signal, at, source: "cli" })),
);

const run = async (args: string[]) => {
  const r = await runCli(args);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return r.stdout;
};

describe("feedback import of reversed lines", () => {
  it("gives the same feedback as the lines in their own order", async () => {
    const forward = workspace();
    const reversed = workspace();
    writeFileSync(join(forward, "export.jsonl"), `${OLD_EXPORT.join("\n")}\n`);
    writeFileSync(join(reversed, "export.jsonl"), `${[...OLD_EXPORT].reverse().join("\n")}\n`);
    expect(await run(["feedback", "import", join(reversed, "export.jsonl"), "--workspace", reversed])).toBe(
      "Imported 11 signals from export.jsonl.\n",
    );
    await run(["feedback", "import", join(forward, "export.jsonl"), "--workspace", forward]);

    const list = await run(["feedback", "list", "--workspace", reversed]);
    expect(list).not.toMatch(/No feedback yet/);
    expect(list.split("\n").map((l) => l.replace(/\s+\d{4}-\d{2}-\d{2}.*$/, "").replace(/\s+/g, " "))).toEqual([
      "2401.00050 liked",
      "2401.00030 disliked",
      "2401.00040 saved",
      "2401.00020 liked, saved",
      "2401.00010 liked",
      "",
    ]);
    expect(await run(["feedback", "list", "--workspace", forward])).toBe(list);

    // The export of either is the same lines, taken as they are from the file, and reversing it
    // again changes nothing.
    const exported = await run(["feedback", "export", "--workspace", reversed]);
    expect(await run(["feedback", "export", "--workspace", forward])).toBe(exported);
    const lines = exported.trim().split("\n");
    for (const line of lines) expect(OLD_EXPORT).toContain(line);
    const again = workspace();
    writeFileSync(join(again, "export.jsonl"), `${lines.reverse().join("\n")}\n`);
    await run(["feedback", "import", join(again, "export.jsonl"), "--workspace", again]);
    expect(await run(["feedback", "list", "--workspace", again])).toBe(list);
  });
});
