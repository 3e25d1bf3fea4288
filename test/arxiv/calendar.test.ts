import { readdir, readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import {
  announcementInfo,
  type ClassifyInput,
  calendarVerdict,
  classifyFeed,
  classifyFeeds,
  clockDisagreement,
  feedDaysBetween,
  feedPastDate,
  liveFeedDay,
  nextFeedDay,
  parseFeedDate,
  parseRangeDate,
  parseRunDate,
  previousFeedDay,
} from "../../src/arxiv/calendar.js";
import {
  ARXIV_HOLIDAYS,
  feedDateAfter,
  holidayTable,
  holidayTableWarning,
  SHIPPED_HOLIDAYS,
  SHIPPED_HOLIDAYS_RANGE,
} from "../../src/arxiv/holidays.js";
import type { FeedChannel } from "../../src/model/candidate.js";
import { ANCHOR_MONTHS_DIR, referenceDayFiles } from "../helpers/reference.js";

const shipped = holidayTable([], []);

describe("holidayTable", () => {
  it("ships arXiv's 2026 holidays as the feed dates that stay empty", () => {
    // arXiv lists Thursday 2026-11-26 (Thanksgiving): no announcement that evening, so the
    // Friday feed is the empty one.
    expect(shipped.has("2026-11-27")).toBe(true);
    expect(shipped.has("2026-11-26")).toBe(false);
    expect(shipped.has("2026-01-20")).toBe(true);
    for (const d of SHIPPED_HOLIDAYS) expect(new Date(`${d}T12:00:00Z`).getUTCDay()).not.toBe(6);
  });

  it("ships exactly arXiv's published 2025 and 2026 lists, each moved to the feed it empties", async () => {
    const read = (year: number) =>
      readFile(new URL(`../fixtures/arxiv-docs/availability-${year}.md`, import.meta.url), "utf8");
    const months = ["January", "February", "March", "April", "May", "June", "July", "August", "September"];
    const listed2025 = [...(await read(2025)).matchAll(/^- [A-Z][a-z]{2} (\d{1,2}) ([A-Z][a-z]+)\s*$/gm)].map(
      ([, day, month]) => {
        const m = [...months, "October", "November", "December"].indexOf(month!) + 1;
        return `2025-${String(m).padStart(2, "0")}-${day!.padStart(2, "0")}`;
      },
    );
    const listed2026 = [...(await read(2026)).matchAll(/^- [A-Z][a-z]+day (2026-\d{2}-\d{2})\s*$/gm)].map((m) => m[1]!);
    expect(listed2025).toHaveLength(6);
    expect(listed2026).toHaveLength(9);
    const published = new Set([...listed2025, ...listed2026].map(feedDateAfter));
    expect(SHIPPED_HOLIDAYS.filter((d) => d < "2027-01-02").sort()).toEqual([...published].sort());
  });

  it("projects 2027 from the US holidays arXiv observed in 2025 and 2026, on their observed weekdays", () => {
    const projected = ARXIV_HOLIDAYS.filter((h) => h.projected);
    expect(projected.map((h) => h.date)).toEqual([
      "2027-01-18", // Martin Luther King Jr. Day
      "2027-06-18", // Juneteenth falls on a Saturday: observed Friday
      "2027-07-05", // Independence Day falls on a Sunday: observed Monday
      "2027-09-06", // Labor Day
      "2027-11-25", // Thanksgiving
      "2027-12-24", // Christmas falls on a Saturday: observed Friday
      "2027-12-31", // New Year's Day 2028 falls on a Saturday: observed Friday
    ]);
    expect(ARXIV_HOLIDAYS.filter((h) => h.date < "2027-01-01").every((h) => !h.projected)).toBe(true);
    // A Friday holiday empties Monday's feed, as 2026-06-19 emptied 2026-06-22.
    expect(shipped.has("2027-06-21")).toBe(true);
    expect(shipped.has("2027-12-27")).toBe(true);
    expect(shipped.has("2027-07-06")).toBe(true);
  });

  it("maps a Friday (or Sunday) holiday to the Monday feed, other days to the next day's feed", () => {
    expect(feedDateAfter("2026-12-25")).toBe("2026-12-28");
    expect(feedDateAfter("2025-07-06")).toBe("2025-07-07");
    expect(feedDateAfter("2026-11-26")).toBe("2026-11-27");
    expect(feedDateAfter("2026-12-29")).toBe("2026-12-30");
  });

  it("agrees with the reference history of December 2025: a digest every weekday", async () => {
    const files = await readdir(new URL("../fixtures/reference/anchor-months-2025-11-to-2026-01/", import.meta.url));
    const published = files
      .map((f) => f.slice(0, 10))
      .filter((d) => d >= "2025-12-01" && d <= "2025-12-31")
      .sort();
    expect(feedDaysBetween("2025-12-01", "2025-12-31", shipped)).toEqual(published);
  });

  it("adds and removes dates from the config", () => {
    const table = holidayTable(["2025-11-28"], ["2026-11-27"]);
    expect(table.has("2025-11-28")).toBe(true);
    expect(table.has("2026-11-27")).toBe(false);
    expect(table.has("2026-01-20")).toBe(true);
  });

  it("names the config key of a date that does not exist", () => {
    expect(() => holidayTable(["2026-02-30"], [])).toThrow('arxiv.holidays lists "2026-02-30"');
    expect(() => holidayTable([], ["2026-13-01"])).toThrow('arxiv.notHolidays lists "2026-13-01"');
  });
});

describe("announcementInfo", () => {
  it("labels a Friday digest with Thursday evening's batch (reference day 2026-02-13)", () => {
    expect(announcementInfo("2026-02-13", shipped)).toEqual({
      date: "2026-02-13",
      expected: true,
      reason: null,
      announcedAt: "2026-02-13T01:00:00Z",
      window: { from: "2026-02-11T19:00:00Z", to: "2026-02-12T19:00:00Z" },
    });
  });

  it("gives Monday the Thursday→Friday window and Tuesday the weekend window", () => {
    expect(announcementInfo("2026-02-16", shipped).window).toEqual({
      from: "2026-02-12T19:00:00Z",
      to: "2026-02-13T19:00:00Z",
    });
    expect(announcementInfo("2026-02-17", shipped).window).toEqual({
      from: "2026-02-13T19:00:00Z",
      to: "2026-02-16T19:00:00Z",
    });
  });

  it("follows the switch to daylight time on 2026-03-08", () => {
    // Sunday 20:00 EDT is 00:00Z; the Thursday and Friday cutoffs were still in EST.
    expect(announcementInfo("2026-03-09", shipped)).toMatchObject({
      announcedAt: "2026-03-09T00:00:00Z",
      window: { from: "2026-03-05T19:00:00Z", to: "2026-03-06T19:00:00Z" },
    });
    // Tuesday's window opens Friday 14:00 EST and closes Monday 14:00 EDT.
    expect(announcementInfo("2026-03-10", shipped)).toMatchObject({
      announcedAt: "2026-03-10T00:00:00Z",
      window: { from: "2026-03-06T19:00:00Z", to: "2026-03-09T18:00:00Z" },
    });
  });

  it("follows the switch back to standard time on 2026-11-01", () => {
    expect(announcementInfo("2026-11-02", shipped)).toMatchObject({
      announcedAt: "2026-11-02T01:00:00Z",
      window: { from: "2026-10-29T18:00:00Z", to: "2026-10-30T18:00:00Z" },
    });
    expect(announcementInfo("2026-11-03", shipped)).toMatchObject({
      announcedAt: "2026-11-03T01:00:00Z",
      window: { from: "2026-10-30T18:00:00Z", to: "2026-11-02T19:00:00Z" },
    });
  });

  it("expects nothing on weekends", () => {
    for (const date of ["2026-02-14", "2026-02-15"]) {
      expect(announcementInfo(date, shipped)).toMatchObject({ expected: false, reason: "weekend", window: null });
    }
  });

  it("merges a holiday's submissions into the next batch (Thanksgiving 2026)", () => {
    expect(announcementInfo("2026-11-27", shipped)).toMatchObject({ expected: false, reason: "holiday", window: null });
    // Monday's batch starts where Thursday's (the last one announced) stopped: Wednesday 14:00.
    expect(announcementInfo("2026-11-30", shipped).window).toEqual({
      from: "2026-11-25T19:00:00Z",
      to: "2026-11-27T19:00:00Z",
    });
    // Without the holiday, Monday would only cover Thursday → Friday.
    expect(announcementInfo("2026-11-30", new Set()).window?.from).toBe("2026-11-26T19:00:00Z");
  });

  it("after a Friday holiday: no Monday batch, Tuesday carries both windows (2025-07-04)", () => {
    expect(announcementInfo("2025-07-07", shipped)).toMatchObject({ expected: false, reason: "holiday", window: null });
    // Tuesday's batch starts at the cutoff of the last batch announced: Thursday 2025-07-03 14:00 EDT.
    expect(announcementInfo("2025-07-08", shipped).window).toEqual({
      from: "2025-07-03T18:00:00Z",
      to: "2025-07-07T18:00:00Z",
    });
    for (const monday of ["2026-06-22", "2026-07-06"]) {
      expect(announcementInfo(monday, shipped)).toMatchObject({ expected: false, reason: "holiday" });
    }
  });

  it("Christmas 2026 (Friday): 2026-12-28 has no batch, 2026-12-29's window opens Thursday 2026-12-24", () => {
    expect(announcementInfo("2026-12-28", shipped)).toMatchObject({ expected: false, reason: "holiday", window: null });
    expect(announcementInfo("2026-12-29", shipped)).toMatchObject({
      expected: true,
      window: { from: "2026-12-24T19:00:00Z", to: "2026-12-28T19:00:00Z" },
    });
    // Tuesday 2026-12-29 and Thursday 2026-12-31 are arXiv holidays as well.
    expect(feedDaysBetween("2026-12-24", "2027-01-01", shipped)).toEqual([
      "2026-12-24",
      "2026-12-25",
      "2026-12-29",
      "2026-12-31",
    ]);
    const verdict = classifyFeed({
      date: "2026-12-28",
      channel: {
        format: "rss",
        title: "cs.LG updates on arXiv.org",
        pubDate: "2026-12-25T00:00:00-05:00",
        announceDate: "2026-12-25",
        lastBuildDate: "2026-12-25T05:00:11+00:00",
      },
      ids: ["2612.20001"],
      lastArchived: { date: "2026-12-25", ids: ["2612.20001"] },
      holidays: shipped,
    });
    expect(verdict.code).toBe("holiday");
    expect(verdict.message).toContain("2026-12-29");
  });

  it("windows tile 2025 and 2026 with no gap or overlap, across DST and holidays", () => {
    const days = feedDaysBetween(SHIPPED_HOLIDAYS_RANGE.from, SHIPPED_HOLIDAYS_RANGE.to, shipped);
    for (let i = 1; i < days.length; i++) {
      const prev = announcementInfo(days[i - 1]!, shipped).window!;
      const cur = announcementInfo(days[i]!, shipped).window!;
      expect(cur.from, days[i]).toBe(prev.to);
      expect(Date.parse(cur.to)).toBeGreaterThan(Date.parse(cur.from));
    }
  });

  it("names a date that is not a calendar date", () => {
    expect(() => announcementInfo("2026-02-30", shipped)).toThrow('"2026-02-30" is not a calendar date');
    expect(() => announcementInfo("13/02/2026", shipped)).toThrow('"13/02/2026" is not a calendar date');
  });
});

describe("calendarVerdict", () => {
  it("says a weekend is one and names the next announcement, after the weekend or a holiday", () => {
    expect(calendarVerdict("2026-11-28", shipped)).toEqual({
      code: "no-announcement",
      date: "2026-11-28",
      message:
        "No arXiv announcement is dated Saturday 2026-11-28: arXiv announces nothing on weekends; the next announcement is Monday 2026-11-30's, made Sunday 2026-11-29 at 20:00 ET.",
    });
    // Juneteenth 2026 is a Friday: no Sunday announcement either, so the weekend's next is Tuesday's.
    expect(calendarVerdict("2026-06-20", shipped)?.message).toContain(
      "the next announcement is Tuesday 2026-06-23's, made Monday 2026-06-22 at 20:00 ET.",
    );
  });

  it("says a holiday is one, when arXiv skips it and which announcement carries its submissions", () => {
    expect(calendarVerdict("2026-11-27", shipped)).toEqual({
      code: "holiday",
      date: "2026-11-27",
      message:
        "No arXiv announcement is dated Friday 2026-11-27: arXiv holds no announcement on Thursday 2026-11-26 at 20:00 ET (a holiday); those submissions go out with the next announcement, Monday 2026-11-30's, made Sunday 2026-11-29 at 20:00 ET.",
    });
    expect(calendarVerdict("2026-11-25", shipped)).toBeNull();
  });
});

describe("holidayTableWarning", () => {
  it("covers the feeds of arXiv's lists and the projected 2027: 2025-01-02 to 2028-01-03", () => {
    expect(SHIPPED_HOLIDAYS_RANGE).toEqual({ from: "2025-01-02", to: "2028-01-03" });
    expect(holidayTableWarning("2025-01-02")).toBeNull();
    expect(holidayTableWarning("2027-01-01")).toBeNull();
    expect(holidayTableWarning("2025-01-02", "2027-01-01")).toBeNull();
    expect(holidayTableWarning("2027-06-22")).toBeNull();
  });

  it("says when a day's missing batch rests on a projected holiday", () => {
    expect(holidayTableWarning("2027-06-21")).toBe(
      "No batch is expected on 2027-06-21 (after Juneteenth observed on 2027-06-18): arXiv has not published its 2027 holidays yet, so this follows the US holidays it observed in 2025 and 2026. If arXiv announces on such a day after all, list it under arxiv.notHolidays.",
    );
    expect(holidayTableWarning("2027-07-01", "2027-07-31")).toContain(
      "2027-07-06 (after Independence Day observed on 2027-07-05)",
    );
  });

  it("warns, naming the date, just past either edge", () => {
    const after = holidayTableWarning("2028-01-04");
    expect(after).toContain("2028-01-04 lies outside the arXiv holiday table");
    expect(after).toContain("feed dates 2025-01-02 to 2028-01-03");
    expect(after).toContain("arxiv.holidays");
    expect(holidayTableWarning("2025-01-01")).toContain("2025-01-01 lies outside");
    expect(holidayTableWarning("2024-12-01", "2028-02-01")).toContain("2024-12-01 and 2028-02-01 lie outside");
    expect(holidayTableWarning("2027-12-01", "2028-01-05")).toContain("2028-01-05 lies outside");
  });

  it("names a date that does not exist", () => {
    expect(() => holidayTableWarning("2027-02-30")).toThrow('"2027-02-30"');
  });
});

describe("parseFeedDate", () => {
  it("accepts a real date up to today", () => {
    expect(parseFeedDate("2026-02-13", "2026-02-20")).toBe("2026-02-13");
    expect(parseFeedDate(" 2026-02-20 ", "2026-02-20")).toBe("2026-02-20");
  });

  it.each(["2026-02-30", "2025-02-29", "2026-13-01", "13/02/2026", "2026-2-3", ""])("refuses %j, naming it", (text) => {
    expect(() => parseFeedDate(text, "2026-02-20")).toThrow(`"${text.trim()}" is not a calendar date`);
  });

  it("says the date meant when only leading zeros are missing", () => {
    expect(() => parseFeedDate("2026-11-7", "2026-11-28", "--date")).toThrow(
      '--date "2026-11-7" is not a calendar date; write it as YYYY-MM-DD: did you mean 2026-11-07?',
    );
    expect(() => parseFeedDate("2026-2-30", "2026-11-28")).toThrow(/write it as YYYY-MM-DD\.$/);
  });

  it("does not suggest a padded date that is in the future, and says why it would be refused", () => {
    // The padded date is after today: no "did you mean", but that it is in the future, in the same sentence.
    const future = () => parseFeedDate("2026-12-7", "2026-11-28", "--date");
    expect(future).toThrow(
      '--date "2026-12-7" is not a calendar date written YYYY-MM-DD, and 2026-12-07, the date it looks like, is in the future (today is 2026-11-28, US Eastern time);',
    );
    expect(future).not.toThrow(/did you mean/);
    // A month's days are offered only up to today.
    expect(() => parseFeedDate("2026-11-31", "2026-11-28")).toThrow(
      "November 2026 has 30 days, so give a day from 2026-11-01 to 2026-11-28 (today).",
    );
    expect(() => parseFeedDate("2026-12-32", "2026-11-28")).toThrow(
      "December 2026 has 31 days, all of them after today (2026-11-28).",
    );
    expect(() => parseFeedDate("2026-10-32", "2026-11-28")).toThrow(
      "October 2026 has 31 days, so give a day from 2026-10-01 to 2026-10-31.",
    );
  });

  it("refuses a future date, naming it and today", () => {
    expect(() => parseFeedDate("2026-02-21", "2026-02-20")).toThrow(
      'Date "2026-02-21" is in the future (today is 2026-02-20',
    );
  });

  it("takes no date words: today and yesterday are run's", () => {
    expect(() => parseFeedDate("today", "2026-11-28", "--from")).toThrow('--from "today" is not a calendar date');
    expect(() => parseFeedDate("yesterday", "2026-11-28", "--from")).toThrow(
      '--from "yesterday" is not a calendar date',
    );
  });
});

describe("parseRangeDate (backfill --from/--to)", () => {
  it("takes today as today's date in US Eastern time, and a date as parseFeedDate does", () => {
    expect(parseRangeDate("today", "2026-11-24", shipped, "--from")).toBe("2026-11-24");
    expect(parseRangeDate(" TODAY ", "2026-11-28", shipped, "--to")).toBe("2026-11-28");
    expect(parseRangeDate("2026-11-23", "2026-11-28", shipped, "--from")).toBe("2026-11-23");
    expect(() => parseRangeDate("2026-11-7", "2026-11-28", shipped, "--from")).toThrow(
      '--from "2026-11-7" is not a calendar date; write it as YYYY-MM-DD: did you mean 2026-11-07?',
    );
    expect(() => parseRangeDate("tomorrow", "2026-11-28", shipped, "--to")).toThrow(
      '--to "tomorrow" is not a calendar date',
    );
  });

  it("takes yesterday as the announcement before today, what run --date yesterday says the word means", () => {
    // Tuesday: Monday's, the one run tells to backfill.
    expect(parseRangeDate("yesterday", "2026-11-24", shipped, "--from")).toBe("2026-11-23");
    // Monday after Thanksgiving: Thursday's, as there was no Friday batch.
    expect(parseRangeDate("Yesterday", "2026-11-30", shipped, "--from")).toBe("2026-11-26");
    // Saturday after Thanksgiving and the Friday holiday itself: Thursday's, the one the feed still serves.
    expect(parseRangeDate("yesterday", "2026-11-28", shipped, "--to")).toBe("2026-11-26");
    expect(parseRangeDate("yesterday", "2026-11-27", shipped, "--to")).toBe("2026-11-26");
    // By the workspace's table: a holiday it adds on Monday 2026-11-23 is passed by.
    expect(parseRangeDate("yesterday", "2026-11-24", holidayTable(["2026-11-23"], []), "--from")).toBe("2026-11-20");
  });
});

describe("parseRunDate", () => {
  it("takes today as no date at all, exactly the run without --date (the clock checked, the day its own)", () => {
    expect(parseRunDate("today", "2026-11-28", shipped)).toBeUndefined();
    expect(parseRunDate(" Today ", "2026-11-24", shipped)).toBeUndefined();
    expect(parseRunDate("2026-11-24", "2026-11-28", shipped)).toBe("2026-11-24");
    expect(() => parseRunDate("2026-11-29", "2026-11-28", shipped)).toThrow('--date "2026-11-29" is in the future');
  });

  it("refuses yesterday on an announcement day: a run without --date makes today's, and the one before is backfilled", () => {
    // Tuesday 2026-11-24: the feed serves today's batch; Monday's has left it.
    expect(() => parseRunDate(" Yesterday ", "2026-11-24", shipped)).toThrow(
      '--date "Yesterday" is not a day run makes: it makes the announcement the feed serves, today\'s 2026-11-24, when --date is left out (or give a date as YYYY-MM-DD); rebuild the announcement before it, 2026-11-23, with `arxiv-digest backfill --from 2026-11-23 --to 2026-11-23`.',
    );
    // Monday after Thanksgiving: the one before is Thursday's (no Friday batch).
    expect(() => parseRunDate("yesterday", "2026-11-30", shipped, { workspace: "my papers" })).toThrow(
      "rebuild the announcement before it, 2026-11-26, with `arxiv-digest backfill --from 2026-11-26 --to 2026-11-26 --workspace 'my papers'`.",
    );
    expect(() => parseRunDate("yesterday", "2026-11-24", shipped, { actions: true })).toThrow(
      "2026-11-23, with the Backfill workflow (Actions → Backfill → Run workflow) with from 2026-11-23 and to 2026-11-23.",
    );
  });

  it("refuses yesterday on a weekend or a holiday naming the run of the announcement the feed still serves, never the one before it", () => {
    // Saturday after Thanksgiving: a plain run records the weekend; the feed still serves Thursday's batch.
    const saturday = () => parseRunDate("yesterday", "2026-11-28", shipped);
    expect(saturday).toThrow(
      '--date "yesterday" is not a day run makes: today, Saturday 2026-11-28, is a weekend day, which a run without --date records and makes nothing of, and the feed still serves the last announcement, Thursday 2026-11-26\'s, which `arxiv-digest run --date 2026-11-26` makes.',
    );
    // The Friday after Thanksgiving is a holiday by the feed's dates: the same advice.
    const friday = () => parseRunDate("yesterday", "2026-11-27", shipped, { workspace: "my papers" });
    expect(friday).toThrow(
      "today, Friday 2026-11-27, is a holiday, which a run without --date records and makes nothing of, and the feed still serves the last announcement, Thursday 2026-11-26's, which `arxiv-digest run --date 2026-11-26 --workspace 'my papers'` makes.",
    );
    for (const refused of [saturday, friday]) {
      expect(refused).not.toThrow("2026-11-25");
      expect(refused).not.toThrow("leave --date out");
      expect(refused).not.toThrow("backfill");
    }
    expect(() => parseRunDate("yesterday", "2026-11-28", shipped, { actions: true })).toThrow(
      "which the Daily digest workflow (Actions → Daily digest → Run workflow) with date 2026-11-26 makes.",
    );
    // What it names is a date run takes on that day.
    expect(parseRunDate("2026-11-26", "2026-11-28", shipped)).toBe("2026-11-26");
  });
});

describe("the feed a date is past", () => {
  it("is the latest announcement on or before the clock's day, kept through weekends and holidays", () => {
    expect(liveFeedDay("2026-11-24", shipped)).toBe("2026-11-24");
    expect(liveFeedDay("2026-11-28", shipped)).toBe("2026-11-26");
    expect(liveFeedDay("2026-11-30", shipped)).toBe("2026-11-30");
  });

  it("puts a date before that feed in the past for good, and not the day it should serve", () => {
    expect(feedPastDate("2026-11-18", "2026-11-28", shipped)).toBe("2026-11-26");
    expect(feedPastDate("2026-11-25", "2026-11-28", shipped)).toBe("2026-11-26");
    expect(feedPastDate("2026-11-26", "2026-11-28", shipped)).toBeNull();
    expect(feedPastDate("2026-11-24", "2026-11-24", shipped)).toBeNull();
    expect(feedPastDate("2026-11-23", "2026-11-24", shipped)).toBe("2026-11-24");
  });
});

describe("feed day stepping", () => {
  it("skips weekends and holidays", () => {
    expect(previousFeedDay("2026-02-16", shipped)).toBe("2026-02-13");
    expect(previousFeedDay("2026-01-21", shipped)).toBe("2026-01-19");
    expect(nextFeedDay("2026-11-26", shipped)).toBe("2026-11-30");
    expect(nextFeedDay("2026-02-13", shipped)).toBe("2026-02-16");
  });

  it("lists the days the reference tool published in November 2025", async () => {
    // Thanksgiving 2025 (Thursday 2025-11-27) left the feed of Friday 2025-11-28 empty.
    const holidays = holidayTable(["2025-11-28"], []);
    const published = referenceDayFiles([ANCHOR_MONTHS_DIR])
      .map((f) => f.date)
      .filter((d) => d >= "2025-11-01" && d <= "2025-11-30")
      .sort();
    expect(published).toHaveLength(19);
    expect(feedDaysBetween("2025-11-01", "2025-11-30", holidays)).toEqual(published);
  });

  it("refuses a backwards range", () => {
    expect(() => feedDaysBetween("2026-02-13", "2026-02-01", shipped)).toThrow("runs backwards");
  });
});

describe("classifyFeed", () => {
  const channel = (announceDate: string | null): FeedChannel => ({
    format: "rss",
    title: "cs.LG updates on arXiv.org",
    pubDate: announceDate ? `${announceDate}T00:00:00-05:00` : null,
    announceDate,
    lastBuildDate: announceDate ? `${announceDate}T05:00:11+00:00` : null,
  });
  const thursday = ["2602.04119", "2602.04130", "2602.04200", "2602.04388"];
  const friday = ["2602.12001", "2602.12345", "2602.12800"];
  const input = (over: Partial<ClassifyInput>): ClassifyInput => ({
    date: "2026-02-13",
    channel: channel("2026-02-13"),
    ids: friday,
    lastArchived: { date: "2026-02-12", ids: thursday },
    holidays: shipped,
    ...over,
  });

  it("normal: the feed carries the requested day's batch", () => {
    const verdict = classifyFeed(input({}));
    expect(verdict).toMatchObject({ code: "normal", date: "2026-02-13" });
    expect(verdict.message).toContain("Friday 2026-02-13");
    expect(verdict.message).toContain("announced Thursday 2026-02-12 at 20:00 ET");
    expect(verdict.message).toContain("3 feed entries");
  });

  it("normal: the date comes from the feed when none is requested", () => {
    expect(classifyFeed(input({ date: null }))).toMatchObject({ code: "normal", date: "2026-02-13" });
  });

  it("no-announcement on a weekend date", () => {
    const verdict = classifyFeed(input({ date: "2026-02-14", channel: channel("2026-02-14"), ids: [] }));
    expect(verdict.code).toBe("no-announcement");
    expect(verdict.message).toContain("Saturday 2026-02-14");
  });

  it("holiday when the table lists the day and the feed has nothing new", () => {
    const verdict = classifyFeed(
      input({ date: "2026-11-27", channel: channel("2026-11-26"), ids: thursday, lastArchived: null }),
    );
    expect(verdict.code).toBe("holiday");
    expect(verdict.message).toContain("Thursday 2026-11-26 at 20:00 ET");
    expect(verdict.message).toContain("2026-11-30");
  });

  it("normal, with a hint, when a listed holiday has a batch after all", () => {
    const verdict = classifyFeed(input({ date: "2026-11-27", channel: channel("2026-11-27"), lastArchived: null }));
    expect(verdict.code).toBe("normal");
    expect(verdict.message).toContain("arxiv.notHolidays");
  });

  it("stale when the feed's pubDate is behind the requested day", () => {
    const verdict = classifyFeed(input({ channel: channel("2026-02-12"), ids: thursday }));
    expect(verdict.code).toBe("stale");
    expect(verdict.message).toContain(
      "still carries the announcement of Thursday 2026-02-12, which is already archived",
    );
  });

  it("stale, and not called archived, when the day the feed carries is recorded without a digest", () => {
    const missed = { date: "2026-02-12", ids: [], missed: true };
    const verdict = classifyFeed(input({ channel: channel("2026-02-12"), ids: thursday, lastArchived: missed }));
    expect(verdict.code).toBe("stale");
    expect(verdict.message).not.toContain("already archived");
    expect(verdict.message).toContain(
      "still carries the announcement of Thursday 2026-02-12, which is recorded without a digest (its run missed it; `arxiv-digest backfill --from 2026-02-12 --to 2026-02-12` rebuilds it).",
    );
    const named = classifyFeed(
      input({ channel: channel("2026-02-12"), ids: thursday, lastArchived: missed, workspace: "my papers" }),
    );
    expect(named.message).toContain(
      "`arxiv-digest backfill --from 2026-02-12 --to 2026-02-12 --workspace 'my papers'`",
    );
  });

  it("stale when the feed repeats the archived papers under a fresh pubDate", () => {
    // Scanned ids are a filtered subset of the entries; the feed holds them plus replacements.
    const verdict = classifyFeed(input({ ids: [...thursday, "2511.00001", "2509.01234"] }));
    expect(verdict.code).toBe("stale");
  });

  it("stale when no date is requested and the feed's day is already archived", () => {
    const verdict = classifyFeed(input({ date: null, channel: channel("2026-02-12"), ids: friday }));
    expect(verdict).toMatchObject({ code: "stale", date: "2026-02-12" });
  });

  it("not stale when a new day shares only a replaced paper with the archive", () => {
    expect(classifyFeed(input({ ids: [...friday, thursday[0]!] })).code).toBe("normal");
  });

  it("empty when an expected day has no entries", () => {
    const verdict = classifyFeed(input({ ids: [] }));
    expect(verdict.code).toBe("empty");
    expect(verdict.message).toContain("arxiv.holidays");
  });

  it("failed when the feed has moved past the requested day", () => {
    const verdict = classifyFeed(input({ date: "2026-02-11", lastArchived: null }));
    expect(verdict.code).toBe("failed");
    expect(verdict.message).toContain("backfilled");
  });

  it("asks for a date when neither the caller nor the feed gives one", () => {
    expect(() => classifyFeed(input({ date: null, channel: channel(null) }))).toThrow("carries no pubDate");
  });
});

describe("classifyFeeds (one feed per category)", () => {
  const channel = (announceDate: string): FeedChannel => ({
    format: "rss",
    title: "updates on arXiv.org",
    pubDate: `${announceDate}T00:00:00-05:00`,
    announceDate,
    lastBuildDate: `${announceDate}T05:00:11+00:00`,
  });
  const thursday = ["2602.04119", "2602.04130", "2602.04200", "2602.04388"];
  const base = { date: "2026-02-13", lastArchived: { date: "2026-02-12", ids: thursday }, holidays: shipped };

  it("leaves out a feed that still carries yesterday, and judges the day on the others", () => {
    const result = classifyFeeds({
      ...base,
      feeds: [
        { label: "cs.LG feed", channel: channel("2026-02-13"), ids: ["2602.12001", "2602.12345"] },
        { label: "cs.AI feed", channel: channel("2026-02-12"), ids: thursday.slice(0, 2) },
      ],
    });
    expect(result.leftOut).toEqual([1]);
    expect(result.feeds.map((v) => v.code)).toEqual(["normal", "stale"]);
    expect(result.verdict.code).toBe("normal");
    expect(result.verdict.message).toContain("2 feed entries");
    expect(result.verdict.message).toContain("Left out 1 of 2 feeds");
    expect(result.verdict.message).toContain("cs.AI feed (The feed has not been updated for 2026-02-13 yet");
  });

  it("checks every feed, not only the first", () => {
    const result = classifyFeeds({
      ...base,
      feeds: [
        { label: "cs.LG feed", channel: channel("2026-02-12"), ids: thursday },
        { label: "cs.AI feed", channel: channel("2026-02-13"), ids: ["2602.12800"] },
      ],
    });
    expect(result.leftOut).toEqual([0]);
    expect(result.verdict).toMatchObject({ code: "normal", date: "2026-02-13" });
  });

  it("is stale when every feed is", () => {
    const result = classifyFeeds({
      ...base,
      feeds: [
        { label: "cs.LG feed", channel: channel("2026-02-12"), ids: thursday },
        { label: "cs.AI feed", channel: channel("2026-02-12"), ids: thursday },
      ],
    });
    expect(result.leftOut).toEqual([0, 1]);
    expect(result.verdict.code).toBe("stale");
  });

  it("without a requested date, produces the newest feed date and leaves out the older feed", () => {
    const result = classifyFeeds({
      ...base,
      date: null,
      feeds: [
        { label: "cs.LG feed", channel: channel("2026-02-12"), ids: thursday },
        { label: "cs.AI feed", channel: channel("2026-02-13"), ids: ["2602.12800"] },
      ],
    });
    expect(result.verdict).toMatchObject({ code: "normal", date: "2026-02-13" });
    expect(result.leftOut).toEqual([0]);
  });

  it("keeps a quiet category whose fresh feed is empty", () => {
    const result = classifyFeeds({
      ...base,
      feeds: [
        { label: "cs.LG feed", channel: channel("2026-02-13"), ids: ["2602.12001"] },
        { label: "q-bio.NC feed", channel: channel("2026-02-13"), ids: [] },
      ],
    });
    expect(result.leftOut).toEqual([]);
    expect(result.verdict.code).toBe("normal");
  });
});

describe("clockDisagreement", () => {
  const thursday = {
    label: "cs.LG feed",
    pubDate: "2026-02-05T00:00:00-05:00",
    lastBuildDate: "2026-02-05T05:00:11+00:00",
  };
  const at = (iso: string) => Date.parse(iso);
  const none = new Set<string>();

  it("accepts a clock on the feed's day, and one a feed day or two ahead (a feed not flipped yet, a missed batch)", () => {
    expect(clockDisagreement(at("2026-02-05T11:30:00Z"), [thursday], none)).toBeNull();
    expect(clockDisagreement(at("2026-02-06T11:30:00Z"), [thursday], none)).toBeNull();
    // Monday with Thursday's feed: Friday and Monday missed, four calendar days but two announcement days.
    expect(clockDisagreement(at("2026-02-09T11:30:00Z"), [thursday], none)).toBeNull();
    // Read in the first minute of the feed's day, or with the clock a few minutes slow on it.
    expect(clockDisagreement(at("2026-02-05T05:00:12Z"), [thursday], none)).toBeNull();
    expect(clockDisagreement(at("2026-02-05T05:00:00Z"), [thursday], none)).toBeNull();
  });

  it("names both dates, in one sentence, when the clock is more than two announcement days ahead", () => {
    const ahead = clockDisagreement(at("2026-02-10T11:30:00Z"), [thursday], none);
    expect(ahead).toBe(
      "The machine's clock reads 2026-02-10 06:30 US Eastern time, but the cs.LG feed is dated 2026-02-05T05:00:11+00:00, 5 days earlier, more than a feed lags, so the day to produce cannot be told: fix the machine's clock, or pass --date 2026-02-05 to produce the announcement the feed serves; nothing was written.",
    );
    expect(clockDisagreement(at("2027-02-05T11:30:00Z"), [thursday], none)).toMatch(/365 days earlier/);
  });

  it("stops a clock whose today is before the feed's date, by a day or by more, whatever the server says", () => {
    // The feed of Thursday read on Wednesday morning by the clock: a feed cannot be from the future.
    expect(clockDisagreement(at("2026-02-04T11:30:00Z"), [{ ...thursday, announceDate: "2026-02-05" }], none)).toBe(
      "The machine's clock reads 2026-02-04 06:30 US Eastern time, but the cs.LG feed is already dated 2026-02-05, and a feed cannot be dated after the moment it is read, so the clock is behind: set the machine's clock right and run again (--date cannot name a day after the clock's 2026-02-04); nothing was written.",
    );
    // A minute before the feed flipped by the clock, and a server Date that agrees with the clock.
    const served = { ...thursday, serverDate: "2026-02-05T04:00:00.000Z" };
    expect(clockDisagreement(at("2026-02-05T04:59:00Z"), [served], none)).toMatch(
      /^The machine's clock reads 2026-02-04 23:59 US Eastern time, but the cs\.LG feed is already dated 2026-02-05 \(arXiv's server answered at 2026-02-05T04:00:00\.000Z\), .*the clock is behind/,
    );
    expect(clockDisagreement(at("2026-02-02T11:30:00Z"), [thursday], none)).toMatch(/the clock is behind/);
    // Only the stale feed's build instant is after the clock's today: still behind.
    const stale = {
      label: "cs.CL feed",
      pubDate: "2026-02-05T00:00:00-05:00",
      lastBuildDate: "2026-02-06T05:00:11+00:00",
    };
    expect(clockDisagreement(at("2026-02-05T20:00:00Z"), [stale], none)).toMatch(
      /cs\.CL feed is already dated 2026-02-06, .*the clock is behind/,
    );
  });

  it("counts holidays of the table as days without a batch", () => {
    const holidays = new Set(["2026-02-06", "2026-02-09"]);
    expect(clockDisagreement(at("2026-02-10T11:30:00Z"), [thursday], holidays)).toBeNull();
  });

  it("trusts a clock the server's Date header agrees with, and reads the header alone when the feed has no dates", () => {
    const withServer = { ...thursday, serverDate: "2026-02-12T12:00:00.000Z" };
    expect(clockDisagreement(at("2026-02-12T11:30:00Z"), [withServer], none)).toBeNull();
    const undated = { label: "cs.LG feed", pubDate: null, lastBuildDate: null, serverDate: "2026-02-05T12:00:00.000Z" };
    expect(clockDisagreement(at("2026-02-05T11:30:00Z"), [undated], none)).toBeNull();
    expect(clockDisagreement(at("2027-02-05T11:30:00Z"), [undated], none)).toMatch(
      /arXiv's server answered at 2026-02-05/,
    );
    expect(clockDisagreement(at("2027-02-05T11:30:00Z"), [{ ...undated, serverDate: null }], none)).toBeNull();
  });
});
