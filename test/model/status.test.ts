/** What a day's status means for the reader: which records leave an announcement day without a digest. */
import { describe, expect, it } from "vitest";
import { STATUS_CODES } from "../../src/model/day-record.js";
import { dayHasDigest, hasDigest, missedDay, missedDigest, noAnnouncement } from "../../src/model/status.js";
import { makeDay, makePaper } from "../helpers/day-factory.js";

const none: unknown[] = [];
const some: unknown[] = [{}];

describe("missedDigest", () => {
  it("is a stale or failed run that recorded no paper, and nothing else", () => {
    const missed = STATUS_CODES.filter((statusCode) => missedDigest({ statusCode, papers: none }));
    expect(missed.sort()).toEqual(["failed", "stale"]);
    // A run that kept papers made a digest of them, whatever went wrong after.
    for (const statusCode of STATUS_CODES) expect(missedDigest({ statusCode, papers: some })).toBe(false);
  });

  it("is a day without a digest, on an announcement day", () => {
    for (const statusCode of ["stale", "failed"]) {
      expect(hasDigest({ statusCode, papers: none })).toBe(false);
      expect(noAnnouncement(statusCode)).toBeNull();
    }
    // Days without a digest that are not missed runs: arXiv announced nothing, or the import never judged it.
    for (const statusCode of ["no-announcement", "holiday", "not-judged"]) {
      expect(hasDigest({ statusCode, papers: none })).toBe(false);
      expect(missedDigest({ statusCode, papers: none })).toBe(false);
    }
    expect(missedDigest({ statusCode: "partial", papers: some })).toBe(false);
    expect(hasDigest({ statusCode: "partial", papers: some })).toBe(true);
  });

  it("asks hasDigest of a day's record by its picked papers, as the site does (dayHasDigest)", () => {
    for (const code of STATUS_CODES) {
      const status = { code, message: "" };
      const digest = hasDigest({ statusCode: code, papers: none });
      expect(dayHasDigest(makeDay({ status, papers: [] }))).toBe(digest);
      // Papers scanned but none picked count as none; one picked is a digest whatever the status.
      expect(dayHasDigest(makeDay({ status, papers: [makePaper({ outcome: "rejected" })] }))).toBe(digest);
      expect(dayHasDigest(makeDay({ status, papers: [makePaper()] }))).toBe(true);
    }
  });

  it("asks the same of a day's record (missedDay)", () => {
    for (const code of STATUS_CODES) {
      const status = { code, message: "" };
      expect(missedDay(makeDay({ status, papers: [] }))).toBe(missedDigest({ statusCode: code, papers: none }));
      expect(missedDay(makeDay({ status, papers: [makePaper()] }))).toBe(false);
    }
  });
});
