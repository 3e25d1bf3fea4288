import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  appendSignals,
  currentState,
  decidingSignals,
  type FeedbackSignal,
  liveState,
  makeSignal,
  parseSignals,
  readSignals,
} from "../../src/feedback/store.js";

const T = (minute: number) => `2026-02-05T10:${String(minute).padStart(2, "0")}:00.000Z`;
const sig = (id: string, signal: FeedbackSignal["signal"], minute: number, title?: string) =>
  makeSignal(id, signal, "cli", T(minute), title);

function tmpFile(): string {
  return join(mkdtempSync(join(tmpdir(), "ad-feedback-")), "feedback.jsonl");
}

describe("makeSignal", () => {
  it("stores any id form unversioned and names a bad id", () => {
    expect(makeSignal("arXiv:2401.00010v2", "like", "cli", T(0)).id).toBe("2401.00010");
    expect(makeSignal("https://arxiv.org/abs/hep-th/9901001v1", "save", "site", T(0)).id).toBe("hep-th/9901001");
    expect(() => makeSignal("2401.0001x", "like", "cli", T(0))).toThrow(/"2401\.0001x" is not an arXiv identifier/);
    expect(() => makeSignal("2401.00010", "like", "import:", T(0))).toThrow(/source/);
  });

  it("keeps the fields of a line it does not define, so an import loses nothing", () => {
    const line = JSON.stringify({ v: 1, id: "2401.00010", signal: "like", at: T(0), source: "cli", note: "mine" });
    const [read] = parseSignals(`${line}\n`).signals;
    expect(read).toMatchObject({ id: "2401.00010", note: "mine" });
    expect(JSON.parse(JSON.stringify(read))).toEqual(JSON.parse(line));
  });

  it("keeps a title as one printable line: no terminal escapes or line breaks, from a call or a file", () => {
    const hostile = "\u001b]0;pwned\u0007\u001b[31mRED\r\nFake line\u009b";
    expect(makeSignal("2401.00010", "like", "cli", T(0), hostile).title).toBe("]0;pwned [31mRED Fake line");
    const line = JSON.stringify({ v: 1, id: "2401.00010", signal: "like", at: T(0), source: "cli", title: hostile });
    const [read] = parseSignals(`${line}\n`).signals;
    expect(read?.title).toBe("]0;pwned [31mRED Fake line");
    // A title of nothing but control characters is no title: the line is reported, not kept with it.
    const empty = JSON.stringify({
      v: 1,
      id: "2401.00010",
      signal: "like",
      at: T(0),
      source: "cli",
      title: "\u001b\u0007",
    });
    expect(parseSignals(`${empty}\n`).problems).toHaveLength(1);
  });
});

describe("currentState", () => {
  it("lets the latest signal win, keeps save apart and resets on clear", () => {
    const state = currentState([
      sig("2401.00010", "like", 1, "Sparse routing"),
      sig("2401.00010", "save", 2),
      sig("2401.00010", "dislike", 3),
      sig("2401.00020", "save", 1),
      sig("2401.00020", "like", 2),
      sig("2401.00020", "clear", 3),
    ]);
    expect(state.get("2401.00010")).toEqual({
      liked: false,
      disliked: true,
      saved: true,
      at: T(3),
      title: "Sparse routing",
    });
    expect(state.get("2401.00020")).toMatchObject({ liked: false, disliked: false, saved: false, at: T(3) });
  });

  it("leaves a cleared paper out of the live state every command lists and fetches", () => {
    const signals = [sig("2401.00010", "dislike", 1), sig("2401.00020", "like", 2), sig("2401.00020", "clear", 3)];
    expect(currentState(signals).has("2401.00020")).toBe(true);
    expect([...liveState(signals).keys()]).toEqual(["2401.00010"]);
  });

  it("orders by time, not by line, so a merged file gives the same answer either way", () => {
    const a = [sig("2401.00010", "like", 5)];
    const b = [sig("2401.00010", "dislike", 2)];
    expect(currentState([...a, ...b]).get("2401.00010")?.liked).toBe(true);
    expect(currentState([...b, ...a]).get("2401.00010")?.liked).toBe(true);
  });

  it("breaks ties at one instant by kind, not by line: clear first, then save, like, dislike", () => {
    for (const lines of [
      [sig("2401.00010", "like", 1), sig("2401.00010", "dislike", 1)],
      [sig("2401.00010", "dislike", 1), sig("2401.00010", "like", 1)],
    ])
      expect(currentState(lines).get("2401.00010")).toMatchObject({ liked: false, disliked: true });
    // A clear said with a like at the same time makes room for it (an old export, a site click).
    for (const lines of [
      [sig("2401.00010", "clear", 1), sig("2401.00010", "like", 1), sig("2401.00010", "save", 1)],
      [sig("2401.00010", "save", 1), sig("2401.00010", "like", 1), sig("2401.00010", "clear", 1)],
    ])
      expect(currentState(lines).get("2401.00010")).toMatchObject({ liked: true, saved: true });
  });

  it("ignores duplicates", () => {
    const once = currentState([sig("2401.00010", "save", 1)]);
    const thrice = currentState([
      sig("2401.00010", "save", 1),
      sig("2401.00010", "save", 1),
      sig("2401.00010", "save", 1),
    ]);
    expect(thrice).toEqual(once);
  });

  it("compares times across offsets as instants", () => {
    const early = makeSignal("2401.00010", "like", "cli", "2026-02-05T12:00:00+02:00"); // 10:00Z
    const late = makeSignal("2401.00010", "dislike", "cli", "2026-02-05T10:30:00Z");
    expect(currentState([late, early]).get("2401.00010")?.disliked).toBe(true);
    // Past the millisecond, too: this like comes 50 µs after the dislike.
    const like = makeSignal("2401.00010", "like", "cli", "2026-02-05T10:00:00.0002Z");
    const dislike = makeSignal("2401.00010", "dislike", "cli", "2026-02-05T10:00:00.00015+00:00");
    expect(currentState([like, dislike]).get("2401.00010")?.liked).toBe(true);
  });

  it("exports the lines that decide the state, as written, and merges them like the whole history", () => {
    const history = [
      sig("2401.00010", "dislike", 1, "Sparse routing"),
      sig("2401.00010", "like", 2),
      makeSignal("2401.00010", "save", "site", T(3)),
      sig("2401.00020", "like", 1),
      sig("2401.00020", "clear", 4),
    ];
    const exported = decidingSignals(history);
    expect(exported).toEqual([history[0], history[1], history[2], history[4]]);
    expect(exported.map((s) => `${s.signal} ${s.id} ${s.source}`)).toEqual([
      "dislike 2401.00010 cli", // kept for its title only; the like after it decides the vote
      "like 2401.00010 cli",
      "save 2401.00010 site",
      "clear 2401.00020 cli",
    ]);
    expect([...currentState(exported)]).toEqual([...currentState(history)]);
    const other = [sig("2401.00020", "like", 3), sig("2401.00010", "clear", 1)];
    expect(currentState([...other, ...exported])).toEqual(currentState([...other, ...history]));
    expect(currentState([...other, ...exported]).get("2401.00020")).toMatchObject({ liked: false });
  });
});

describe("appendSignals / readSignals", () => {
  it("appends whole lines and reads them back", async () => {
    const file = tmpFile();
    expect(await readSignals(file)).toEqual({ signals: [], titled: [], problems: [] });
    await appendSignals(file, [sig("2401.00010", "like", 1), sig("2401.00020", "save", 2)]);
    await appendSignals(file, [sig("2401.00010", "clear", 3)]);
    const text = readFileSync(file, "utf8");
    expect(text.split("\n")).toHaveLength(4);
    expect(text.endsWith("\n")).toBe(true);
    const { signals, problems } = await readSignals(file);
    expect(problems).toEqual([]);
    expect(signals.map((s) => `${s.signal} ${s.id}`)).toEqual([
      "like 2401.00010",
      "save 2401.00020",
      "clear 2401.00010",
    ]);
  });

  it("reports bad lines by number, skips them and keeps the rest", async () => {
    const file = tmpFile();
    const good = JSON.stringify(sig("2401.00010", "like", 1));
    writeFileSync(
      file,
      [
        good,
        "{not json",
        JSON.stringify({ ...sig("2401.00020", "like", 1), id: "2401.00020v3" }),
        JSON.stringify({ ...sig("2401.00030", "like", 1), signal: "love" }),
        "",
        JSON.stringify({ ...sig("2401.00040", "like", 1), v: 3 }),
        JSON.stringify({ ...sig("2401.00050", "like", 1), at: "yesterday" }),
        JSON.stringify(sig("2401.00060", "save", 2)),
      ].join("\n"),
    );
    const { signals, problems } = await readSignals(file);
    expect(signals.map((s) => s.id)).toEqual(["2401.00010", "2401.00060"]);
    expect(problems.map((p) => p.line)).toEqual([2, 3, 4, 6, 7]);
    expect(problems[0]!.message).toMatch(/not JSON/);
    expect(problems[1]!.message).toMatch(/^id: expected an unversioned arXiv id/);
    expect(problems[2]!.message).toMatch(/^signal:/);
    expect(problems[3]!.message).toMatch(/newer arxiv-digest/);
    expect(problems[4]!.message).toMatch(/^at:/);
  });

  it("does not glue a new line onto a last line that lost its newline", async () => {
    const file = tmpFile();
    writeFileSync(file, JSON.stringify(sig("2401.00010", "like", 1)));
    await appendSignals(file, [sig("2401.00020", "like", 2)]);
    const { signals, problems } = await readSignals(file);
    expect(problems).toEqual([]);
    expect(signals).toHaveLength(2);
  });

  it("writes nothing when one signal of the batch is invalid", async () => {
    const file = tmpFile();
    const bad = { ...sig("2401.00010", "like", 1), id: "nonsense" };
    await expect(appendSignals(file, [sig("2401.00020", "like", 1), bad])).rejects.toThrow(/Signal 2 of the batch/);
    expect((await readSignals(file)).signals).toEqual([]);
  });

  it("keeps every line when many writers append at once", async () => {
    const file = tmpFile();
    const batches = Array.from({ length: 40 }, (_, i) =>
      Array.from({ length: 5 }, (_, j) => sig(`2401.${String(10000 + i * 5 + j)}`, "save", j)),
    );
    await Promise.all(batches.map((b) => appendSignals(file, b)));
    const { signals, problems } = await readSignals(file);
    expect(problems).toEqual([]);
    expect(new Set(signals.map((s) => s.id)).size).toBe(200);
  });

  it("parses a union-merged file the same as either side", () => {
    const base = [sig("2401.00010", "like", 1)];
    const ours = [...base, sig("2401.00010", "save", 3)];
    const theirs = [...base, sig("2401.00010", "dislike", 2)];
    const merged = [...base, ours[1]!, theirs[1]!].map((s) => JSON.stringify(s)).join("\n");
    const { signals } = parseSignals(merged);
    expect(currentState(signals).get("2401.00010")).toMatchObject({ liked: false, disliked: true, saved: true });
  });
});
