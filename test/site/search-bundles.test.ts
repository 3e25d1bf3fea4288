/**
 * What a full build's two processes pass each other: day documents as rows, texts in hand-over
 * files, files either process can write; and the words the index is made of.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { forEachWord, SPAN, wordSpans } from "../../src/site/assets/search-terms.js";
import {
  HandOver,
  type IndexReply,
  indexingHandler,
  searchDocOf,
  searchDocPapers,
} from "../../src/site/search-bundles.js";
import { searchPapers } from "../../src/site/search-index.js";
import { makeDay, makePaper } from "../helpers/day-factory.js";

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "search-bundles-"));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("a day's search document", () => {
  it("gives back the papers it was made of, each id once", () => {
    const day = makeDay({
      papers: [
        makePaper(),
        makePaper({ id: "2602.00002", outcome: "rejected", score: 9, comment: "Close; ≥ 95% — 😀" }),
        makePaper({ id: "2602.00003", outcome: "prefiltered-out", score: null }),
        makePaper({ id: "2602.00003", outcome: "prefiltered-out", score: null }),
      ],
    });
    const papers = searchPapers(day);
    expect(searchDocPapers(searchDocOf(day).bytes)).toEqual(papers.slice(0, 3));
  });
});

describe("hand-over files", () => {
  it("carry bytes of any size from one process's side to the other's", () => {
    const dir = join(root, "handover");
    const from = HandOver.create(dir);
    const to = new HandOver(dir);
    const texts = ["", "plain", "Zoë · α ≤ β — 😀", "x".repeat(3 << 20), '["quotes\\" and \\n"]'];
    for (const text of texts) expect(to.take(from.put(Buffer.from(text))).toString()).toBe(text);
    to.close(false);
    from.close(true);
  });
});

describe("the indexing side", () => {
  it("writes the files it is given, making their folders, and says which it could not", async () => {
    const replies: IndexReply[] = [];
    const handle = indexingHandler((reply) => replies.push(reply));
    const page = join(root, "site", "2026", "02", "05", "index.html");
    handle({ kind: "write", path: page, bytes: Buffer.from("<p>Zoë</p>") });
    handle({ kind: "write", path: join(page, "under-a-file"), bytes: Buffer.from("no") });
    await expect.poll(() => replies.length).toBe(2);
    expect(await readFile(page, "utf8")).toBe("<p>Zoë</p>");
    expect(replies[0]).toEqual({ kind: "done" });
    expect(replies[1]).toMatchObject({ kind: "done", error: expect.stringContaining("index.html") });
  });
});

describe("words", () => {
  it("are found with their bounds and a hash of their characters, the same wherever they stand", () => {
    const text = "Flash-Omni, v2.0 (arXiv:2602.04119). flash";
    const spans = new Int32Array(SPAN * ((text.length + 1) >> 1));
    const words = wordSpans(text, spans);
    const found = Array.from({ length: words }, (_, w) => text.slice(spans[w * SPAN]!, spans[w * SPAN + 1]!));
    expect(found).toEqual(["Flash", "Omni", "v2.0", "arXiv", "2602.04119", "flash"]);
    const hash = (w: number) => [spans[w * SPAN + 2], spans[w * SPAN + 3]];
    const again = new Int32Array(SPAN * 4);
    wordSpans("x Flash", again);
    expect([again[SPAN + 2], again[SPAN + 3]]).toEqual(hash(0));
    expect(hash(0)).not.toEqual(hash(5));
    const visited: string[] = [];
    forEachWord(text, (start, end) => visited.push(text.slice(start, end)));
    expect(visited).toEqual(found);
  });
});
