/**
 * arXiv's announcement calendar in US Eastern time (docs/arxiv/availability.md), keyed by FEED date: the
 * feed's pubDate, which is the day after the 20:00 ET announcement because the feed flips at
 * midnight Eastern. Feed dates run Monday to Friday:
 *
 *   feed date   announced      submissions
 *   Monday      Sunday 20:00   Thursday 14:00 → Friday 14:00
 *   Tuesday     Monday 20:00   Friday 14:00   → Monday 14:00
 *   Wednesday   Tuesday 20:00  Monday 14:00   → Tuesday 14:00
 *   Thursday    Wed 20:00      Tuesday 14:00  → Wednesday 14:00
 *   Friday      Thu 20:00      Wednesday 14:00 → Thursday 14:00
 *
 * A holiday (holidays.ts, also feed dates) removes a batch; its submissions go out with the next
 * batch, so a window always starts at the cutoff of the previous batch that actually happened.
 */
import { Temporal } from "temporal-polyfill";
import { backfillSuggestion, commandLine, dailyRunSuggestion } from "../format/command.js";
import { shownValue } from "../format/shown.js";
import type { Clock } from "../io/clock.js";
import type { FeedChannel } from "../model/candidate.js";
import { calendarDateFix, calendarDay, meantDate } from "../model/dates.js";
import type { StatusCode } from "../model/day-record.js";
import { UserError } from "../model/errors.js";

/** arXiv's time zone: the schedule, the feed's flip at midnight and submission windows are all US Eastern. */
export const ARXIV_ZONE = "America/New_York";
const CUTOFF = Temporal.PlainTime.from("14:00");
const ANNOUNCEMENT = Temporal.PlainTime.from("20:00");
const WEEKDAYS = ["", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] as const;
/** No run of holidays and weekends is this long; a longer search means a broken holiday table. */
const MAX_GAP_DAYS = 31;
/** Roughly ten years; guards against a mistyped year turning a range into a long loop. */
const MAX_RANGE_DAYS = 3700;
/** Share of the last archived day's papers that, seen again, marks a feed as not yet flipped. */
const STALE_OVERLAP = 0.9;

export interface AnnouncementInfo {
  /** The feed date asked about. */
  date: string;
  /** Whether a batch is expected in the feed of this date. */
  expected: boolean;
  reason: "weekend" | "holiday" | null;
  /** 20:00 ET on the evening before `date`, as an ISO instant: when its batch is (or would be) announced. */
  announcedAt: string;
  /** Submission window of the batch (ISO instants, `from` inclusive, `to` exclusive); null when no batch. */
  window: { from: string; to: string } | null;
}

export interface FeedVerdict {
  code: StatusCode;
  /** The date the digest is labelled with. */
  date: string;
  message: string;
  /** The feed date the feed carries instead of `date`: a later one (`failed`) or an earlier one (`stale`). */
  servedDate?: string;
}

export interface ClassifyInput {
  /** The date being produced; null means "whatever the feed carries". */
  date: string | null;
  channel: FeedChannel;
  /** Unversioned ids of every entry read from the feed(s). */
  ids: string[];
  /**
   * The most recent archived day before `date`, with the ids of its papers; `missed` when its
   * record is one of a run that missed it (`missedDay`: stale or failed, no paper), a day without a digest.
   */
  lastArchived: { date: string; ids: string[]; missed?: boolean } | null;
  holidays: Set<string>;
  /** The workspace folder the user named, carried into a command line a message suggests (`commandLine`). */
  workspace?: string;
}

/** A date the user gave that is not a real calendar date, or one arXiv cannot have announced yet. */
export class DateError extends UserError {
  override name = "DateError";
}

function parseDate(date: string, what: string, today?: string): Temporal.PlainDate {
  const day = calendarDay(date);
  if (day === null) {
    const fix = calendarDateFix(date, today) ?? "write it as YYYY-MM-DD";
    throw new DateError(`${what} ${shownValue(date)} is not a calendar date; ${fix}${fix.endsWith("?") ? "" : "."}`);
  }
  return day;
}

/** A real calendar date as YYYY-MM-DD (2026-02-30 is refused); `what` names the input in the error. */
export function parseCalendarDate(text: string, what = "Date"): string {
  return parseDate(text.trim(), what).toString();
}

/** Why a date after `today` cannot be produced yet, to follow "is in the future ". */
function notAnnouncedYet(today: string): string {
  return `(today is ${today}, US Eastern time); arXiv announces a day at 20:00 ET the evening before, and this tool makes it from midnight US Eastern time.`;
}

/**
 * The one validator for a date the user asks for (`--date`, a backfill range): a real calendar
 * date written YYYY-MM-DD, not after `today` (the current date in US Eastern time, YYYY-MM-DD),
 * because a feed date only exists once arXiv has announced it. Throws an error naming the input,
 * which suggests no date that would be refused as in the future (`2026-12-7` after 2026-12-06 is
 * told that 2026-12-07 is in the future, not asked whether it meant it).
 */
export function parseFeedDate(text: string, today: string, what = "Date"): string {
  const now = parseDate(today, "Today's date").toString();
  const typed = text.trim();
  const meant = calendarDay(typed) === null ? meantDate(typed) : null;
  if (meant !== null && meant > now) {
    throw new DateError(
      `${what} ${shownValue(typed)} is not a calendar date written YYYY-MM-DD, and ${meant}, the date it looks like, is in the future ${notAnnouncedYet(now)}`,
    );
  }
  const date = parseDate(typed, what, now).toString();
  if (date > now) throw new DateError(`${what} ${shownValue(typed)} is in the future ${notAnnouncedYet(now)}`);
  return date;
}

/**
 * `run --date`: `today` (any case) is no date at all (undefined), exactly the run without `--date`,
 * so the clock is checked against the feeds and the day is labelled as the run's own; any other
 * text is a date by `parseFeedDate`. `yesterday` is refused (a run makes a day only while the feed
 * carries it; `render yesterday` reads the archive, and keeps the word), saying what to run instead
 * by the clock's day (`yesterdayAdvice`).
 */
export function parseRunDate(
  text: string,
  today: string,
  holidays: ReadonlySet<string>,
  opts: { what?: string; workspace?: string | undefined; actions?: boolean } = {},
): string | undefined {
  const what = opts.what ?? "--date";
  const word = dateWord(text);
  if (word === "today") return undefined;
  if (word === "yesterday") {
    const advice = yesterdayAdvice(parseDate(today, "Today's date").toString(), holidays, what, opts);
    throw new DateError(`${what} ${shownValue(text.trim())} is not a day run makes: ${advice}.`);
  }
  return parseFeedDate(text, today, what);
}

/** The words a date the user asks for may be instead of YYYY-MM-DD, by US Eastern time (any case, spaces around). */
export function dateWord(text: string): "today" | "yesterday" | null {
  const word = text.trim().toLowerCase();
  return word === "today" || word === "yesterday" ? word : null;
}

/**
 * A day of a `backfill` range (`--from`, `--to`), taking the words `run --date` and `render` take:
 * `today` is `today` (US Eastern), `yesterday` the announcement before it by arXiv's calendar and
 * `holidays` (`previousFeedDay`: on an announcement day the one before, which `run --date
 * yesterday` is told to rebuild; on a weekend or a holiday the last one, which it says the word
 * means there); any other text a date by `parseFeedDate`.
 */
export function parseRangeDate(text: string, today: string, holidays: ReadonlySet<string>, what = "Date"): string {
  const word = dateWord(text);
  const now = parseDate(today, "Today's date").toString();
  if (word === "today") return now;
  if (word === "yesterday") return previousFeedDay(now, holidays);
  return parseFeedDate(text, now, what);
}

/**
 * What `run --date yesterday` is told to do instead on `today`. On an announcement day the feed
 * serves today's batch, which a run without `--date` makes, and the announcement before it has
 * left the feed (`backfill`). On a weekend or a holiday a run without `--date` records that day
 * and makes nothing, while the feed still serves the last announcement (`liveFeedDay`): that is
 * the one "yesterday" means, and `run --date` makes it while the feed carries it; the one before
 * it is two announcements back and is not offered as "the one before".
 */
function yesterdayAdvice(
  today: string,
  holidays: ReadonlySet<string>,
  what: string,
  opts: { workspace?: string | undefined; actions?: boolean },
): string {
  const none = noAnnouncementOn(today, holidays);
  if (none === null) {
    const before = yesterdaysFeedDay(today, holidays);
    return `it makes the announcement the feed serves, today's ${today}, when ${what} is left out (or give a date as YYYY-MM-DD); rebuild the announcement before it, ${before}, with ${backfillSuggestion(before, before, opts.workspace, opts.actions)}`;
  }
  const live = liveFeedDay(today, holidays);
  const day = describe(parseDate(today, "Today's date"));
  const why = none === "weekend" ? "a weekend day" : "a holiday";
  return `today, ${day}, is ${why}, which a run without ${what} records and makes nothing of, and the feed still serves the last announcement, ${describe(parseDate(live, "Date"))}'s, which ${dailyRunSuggestion(opts.workspace, opts.actions, live)} makes`;
}

function isWeekend(d: Temporal.PlainDate): boolean {
  return d.dayOfWeek >= 6;
}

function isFeedDay(d: Temporal.PlainDate, holidays: ReadonlySet<string>): boolean {
  return noAnnouncementOn(d.toString(), holidays) === null;
}

/**
 * Why a feed date (YYYY-MM-DD) carries no announcement by the calendar alone: a weekend, a date
 * of the holiday table, or null when a batch is expected. The one rule every caller asks (the
 * schedule here, the site's calendars); plain arithmetic, cheap enough for every cell of a month.
 */
export function noAnnouncementOn(date: string, holidays: ReadonlySet<string>): "weekend" | "holiday" | null {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  if (weekday === 0 || weekday === 6) return "weekend";
  return holidays.has(date) ? "holiday" : null;
}

function atEastern(d: Temporal.PlainDate, time: Temporal.PlainTime): Temporal.ZonedDateTime {
  return d.toZonedDateTime({ timeZone: ARXIV_ZONE, plainTime: time });
}

/** Submission deadline closing the batch of feed date `d`: the last weekday before its announcement, 14:00 ET. */
function cutoffOf(d: Temporal.PlainDate): Temporal.ZonedDateTime {
  return atEastern(d.subtract({ days: d.dayOfWeek === 1 ? 3 : 1 }), CUTOFF);
}

function announcementOf(d: Temporal.PlainDate): Temporal.ZonedDateTime {
  return atEastern(d.subtract({ days: 1 }), ANNOUNCEMENT);
}

function stepToFeedDay(d: Temporal.PlainDate, step: 1 | -1, holidays: ReadonlySet<string>): Temporal.PlainDate {
  let day = d;
  for (let i = 0; i < MAX_GAP_DAYS; i++) {
    day = day.add({ days: step });
    if (isFeedDay(day, holidays)) return day;
  }
  throw new Error(
    `No arXiv announcement within ${MAX_GAP_DAYS} days ${step > 0 ? "after" : "before"} ${d}: the holiday table (arxiv.holidays) blocks too many dates.`,
  );
}

function describe(d: Temporal.PlainDate): string {
  return `${WEEKDAYS[d.dayOfWeek]} ${d}`;
}

/** An instant as a reader is told it: "Tuesday 2026-11-24 at 20:00 ET". */
function describeInstant(z: Temporal.ZonedDateTime): string {
  return `${describe(z.toPlainDate())} at ${z.toPlainTime().toString({ smallestUnit: "minute" })} ET`;
}

/** When the batch of feed date `date` is (or would be) announced, as a reader is told it: "Tuesday 2026-11-24 at 20:00 ET". */
export function announcementTime(date: string): string {
  return describeInstant(announcementOf(parseDate(date, "Date")));
}

/** The latest feed date with a batch strictly before `date`. */
export function previousFeedDay(date: string, holidays: ReadonlySet<string>): string {
  return stepToFeedDay(parseDate(date, "Date"), -1, holidays).toString();
}

/** The earliest feed date with a batch strictly after `date`. */
export function nextFeedDay(date: string, holidays: Set<string>): string {
  return stepToFeedDay(parseDate(date, "Date"), 1, holidays).toString();
}

/**
 * The feed date arXiv's RSS feed should serve on `today` (US Eastern, YYYY-MM-DD) by the calendar:
 * the latest date with a batch on or before it, since the feed flips to a day's batch at midnight
 * Eastern and keeps it through a weekend or a holiday.
 */
export function liveFeedDay(today: string, holidays: ReadonlySet<string>): string {
  const d = parseDate(today, "Today's date");
  return (isFeedDay(d, holidays) ? d : stepToFeedDay(d, -1, holidays)).toString();
}

/** The announcement before the one the feed should serve on `today` (`liveFeedDay`): what `run --date yesterday` is told to backfill. */
export function yesterdaysFeedDay(today: string, holidays: ReadonlySet<string>): string {
  return stepToFeedDay(parseDate(liveFeedDay(today, holidays), "Date"), -1, holidays).toString();
}

/**
 * Whether the RSS feed is past `date` for good on `today`: by the calendar it should already serve
 * a later announcement (`liveFeedDay`), and a feed only ever serves its latest one, so a batch for
 * `date` will never be served again (the export API has it: `backfill`). Returns that later feed
 * date, or null when `date` is the one the feed should serve (a feed behind it is then merely not
 * updated yet) or later. A feed that still carries `date` serves it all the same: ask this only of
 * a feed that does not.
 */
export function feedPastDate(date: string, today: string, holidays: ReadonlySet<string>): string | null {
  const live = liveFeedDay(today, holidays);
  return parseDate(date, "Date").toString() < live ? live : null;
}

/** Feed dates with a batch from `from` to `to`, both inclusive, in order. */
export function feedDaysBetween(from: string, to: string, holidays: Set<string>): string[] {
  const start = parseDate(from, "Start date");
  const end = parseDate(to, "End date");
  if (Temporal.PlainDate.compare(start, end) > 0) {
    throw new Error(`The range ${from} → ${to} runs backwards; give the earlier date first.`);
  }
  if (start.until(end).days > MAX_RANGE_DAYS) {
    throw new Error(`The range ${from} → ${to} spans more than ${MAX_RANGE_DAYS} days; check the years.`);
  }
  const days: string[] = [];
  for (let d = start; Temporal.PlainDate.compare(d, end) <= 0; d = d.add({ days: 1 })) {
    if (isFeedDay(d, holidays)) days.push(d.toString());
  }
  return days;
}

export function announcementInfo(date: string, holidays: Set<string>): AnnouncementInfo {
  const d = parseDate(date, "Date");
  const announcedAt = announcementOf(d).toInstant().toString();
  const reason = isWeekend(d) ? "weekend" : holidays.has(d.toString()) ? "holiday" : null;
  if (reason) return { date: d.toString(), expected: false, reason, announcedAt, window: null };
  const previous = stepToFeedDay(d, -1, holidays);
  return {
    date: d.toString(),
    expected: true,
    reason: null,
    announcedAt,
    window: { from: cutoffOf(previous).toInstant().toString(), to: cutoffOf(d).toInstant().toString() },
  };
}

/**
 * The next announcement after a feed date without one, as a reader is told it: "Monday
 * 2026-11-30's, made Sunday 2026-11-29 at 20:00 ET".
 */
function nextAnnouncement(d: Temporal.PlainDate, holidays: ReadonlySet<string>): string {
  const next = stepToFeedDay(d, 1, holidays);
  return `${describe(next)}'s, made ${describeInstant(announcementOf(next))}`;
}

/**
 * Why arXiv announced nothing dated `date`, as a clause naming the next announcement ("arXiv
 * announces nothing on weekends; the next announcement is Monday 2026-11-30's, made Sunday
 * 2026-11-29 at 20:00 ET"), with the day as a reader is told it ("Saturday 2026-11-28"); null for
 * a date that carries a batch. The one home of the words `calendarVerdict`'s messages and the
 * sentence for a date without a record (pipeline/missing.ts) share.
 */
export function noAnnouncementReason(
  date: string,
  holidays: ReadonlySet<string>,
): { code: "no-announcement" | "holiday"; day: string; reason: string } | null {
  const d = parseDate(date, "Date");
  if (isWeekend(d)) {
    return {
      code: "no-announcement",
      day: describe(d),
      reason: `arXiv announces nothing on weekends; the next announcement is ${nextAnnouncement(d, holidays)}`,
    };
  }
  if (holidays.has(d.toString())) {
    return {
      code: "holiday",
      day: describe(d),
      reason: `arXiv holds no announcement on ${describeInstant(announcementOf(d))} (a holiday); those submissions go out with the next announcement, ${nextAnnouncement(d, holidays)}`,
    };
  }
  return null;
}

/**
 * What the calendar alone says of a feed date: a weekend carries no batch (`no-announcement`), nor
 * does a date of the holiday table (`holiday`; a feed may still prove the table wrong, see
 * classifyFeed); null when a batch is expected. The one home of these two messages, which name
 * the next announcement the reader can expect.
 */
export function calendarVerdict(date: string, holidays: ReadonlySet<string>): FeedVerdict | null {
  const none = noAnnouncementReason(date, holidays);
  if (none === null) return null;
  return {
    code: none.code,
    date: parseDate(date, "Date").toString(),
    message: `No arXiv announcement is dated ${none.day}: ${none.reason}.`,
  };
}

/**
 * The sentence a reader is shown for a day's status: for a weekend's or a holiday's record, the
 * calendar's own as it reads now (naming the next announcement by the current holiday table), so a
 * record written with an earlier wording reads like a new one; the record's message for any other
 * day, and where the calendar no longer gives the record's verdict (a date since taken off the
 * holiday table). Derived when a page is rendered: the archived record keeps what it was written with.
 */
export function shownStatusMessage(
  day: { date: string; status: { code: string; message: string } },
  holidays: ReadonlySet<string>,
): string {
  const { code, message } = day.status;
  if (code !== "no-announcement" && code !== "holiday") return message;
  const verdict = calendarVerdict(day.date, holidays);
  return verdict?.code === code ? verdict.message : message;
}

/** Most of the last archived day's papers are back: the feed still serves that batch. */
function repeatsArchivedBatch(ids: string[], archivedIds: string[]): boolean {
  if (archivedIds.length === 0) return false;
  const current = new Set(ids);
  const seen = archivedIds.filter((id) => current.has(id)).length;
  return seen / archivedIds.length >= STALE_OVERLAP;
}

/**
 * What a fetched feed means for the date being produced: normal, no announcement (weekend),
 * holiday, stale (not flipped yet), empty, or failed (the feed has already moved past the date).
 * `lastArchived` holds the archived day's scanned ids, a filtered subset of its entries, so
 * "same ids" is judged by overlap rather than equality.
 */
export function classifyFeed(input: ClassifyInput): FeedVerdict {
  const { channel, ids, lastArchived, holidays } = input;
  const requested = input.date ?? channel.announceDate;
  if (requested === null) {
    throw new Error(
      "The feed carries no pubDate, so the date of its announcement is unknown; pass the date to produce (YYYY-MM-DD).",
    );
  }
  const d = parseDate(requested, "Date");
  const date = d.toString();
  const feedDate = channel.announceDate === null ? null : parseDate(channel.announceDate, "Feed pubDate date");
  const announced = describeInstant(announcementOf(d));
  const noBatch = calendarVerdict(date, holidays);

  if (noBatch?.code === "no-announcement") return noBatch;
  if (feedDate && Temporal.PlainDate.compare(feedDate, d) > 0) {
    return {
      code: "failed",
      date,
      message: `The feed already carries the announcement of ${describe(feedDate)}, later than ${date}; a feed only serves its latest batch, so ${date} has to be backfilled from the export API.`,
      servedDate: feedDate.toString(),
    };
  }
  const fresh = ids.length > 0 && (feedDate === null || feedDate.equals(d));
  if (noBatch && !fresh) return noBatch;
  const behind = feedDate !== null && Temporal.PlainDate.compare(feedDate, d) < 0;
  const notAfterArchive = feedDate !== null && lastArchived !== null && feedDate.toString() <= lastArchived.date;
  if (behind || notAfterArchive || (lastArchived !== null && repeatsArchivedBatch(ids, lastArchived.ids))) {
    const shown = feedDate ? `the announcement of ${describe(feedDate)}` : "the papers of the last archived day";
    const last = lastArchived && feedDate?.toString() === lastArchived.date ? lastArchived : null;
    // A day recorded without a digest (the run that day missed it) is not archived in any useful sense.
    const archived =
      last === null
        ? ""
        : last.missed === true
          ? `, which is recorded without a digest (its run missed it; ${commandLine(`backfill --from ${last.date} --to ${last.date}`, input.workspace)} rebuilds it)`
          : ", which is already archived";
    return {
      code: "stale",
      date,
      message: `The feed has not been updated for ${date} yet: it still carries ${shown}${archived}. arXiv's feeds switch at midnight US Eastern; run again later.`,
      ...(feedDate === null ? {} : { servedDate: feedDate.toString() }),
    };
  }
  if (ids.length === 0) {
    return {
      code: "empty",
      date,
      message: `The feed for ${describe(d)} has no entries, although arXiv should have announced a batch on ${announced}. arXiv may have skipped this day (if it is a holiday, add ${date} under arxiv.holidays) or the feed is broken: check https://status.arxiv.org.`,
    };
  }
  const holidayNote = holidays.has(date)
    ? ` The holiday table lists ${date}, but the feed has a batch for it: remove it with arxiv.notHolidays.`
    : "";
  return {
    code: "normal",
    date,
    message: `Announcement of ${describe(d)} (announced ${announced}): ${ids.length} feed entries read.${holidayNote}`,
  };
}

/** Today's calendar date in arXiv's time zone (the feed flips at midnight Eastern). */
export function todayInEastern(clock: Pick<Clock, "now">): string {
  return Temporal.Instant.fromEpochMilliseconds(clock.now()).toZonedDateTimeISO(ARXIV_ZONE).toPlainDate().toString();
}

/** The Eastern calendar date of an instant (an ISO timestamp). */
export function easternDate(instant: string): string {
  return Temporal.Instant.from(instant).toZonedDateTimeISO(ARXIV_ZONE).toPlainDate().toString();
}

/** The instant (epoch ms) a date begins in US Eastern time: when the daily run may start making that day. */
export function easternDayStart(date: string): number {
  return Temporal.PlainDate.from(date).toZonedDateTime({ timeZone: ARXIV_ZONE }).epochMilliseconds;
}

/** One fetched feed, as classifyFeeds sees it. */
export interface SourceFeed {
  /** Names the feed in messages, e.g. `cs.AI feed`. */
  label: string;
  channel: FeedChannel;
  /** Unversioned ids of its entries. */
  ids: string[];
}

export interface ClassifyFeedsInput extends Omit<ClassifyInput, "channel" | "ids"> {
  feeds: SourceFeed[];
}

export interface FeedsVerdict {
  /** The verdict for the day, judged on the feeds that carry it. */
  verdict: FeedVerdict;
  /** One verdict per feed, in input order. */
  feeds: FeedVerdict[];
  /** Indexes of the feeds whose papers must be left out: stale, or already past the date. */
  leftOut: number[];
}

/**
 * classifyFeed for several feeds (one per category): each feed flips at midnight on its own, so
 * each is judged by its own pubDate and ids. A feed that still carries an older batch (or has
 * moved past the date) is left out, so yesterday's papers never enter today's digest under
 * today's date; the day itself is judged on the remaining feeds. When no feed carries the date,
 * the first feed's verdict is the day's (stale → the caller may wait and fetch again).
 * With no date requested, the newest feed date among the feeds is the one produced.
 */
export function classifyFeeds(input: ClassifyFeedsInput): FeedsVerdict {
  const { feeds, ...rest } = input;
  if (feeds.length === 0) throw new Error("classifyFeeds needs at least one parsed feed.");
  const dates = feeds.map((f) => f.channel.announceDate).filter((d): d is string => d !== null);
  const date = input.date ?? (dates.length > 0 ? dates.sort().at(-1)! : null);
  const perFeed = feeds.map((f) => classifyFeed({ ...rest, date, channel: f.channel, ids: f.ids }));
  const leftOut = perFeed.flatMap((v, i) => (v.code === "stale" || v.code === "failed" ? [i] : []));
  const kept = feeds.filter((_, i) => !leftOut.includes(i));
  if (kept.length === 0) return { verdict: perFeed[0]!, feeds: perFeed, leftOut };
  const verdict = classifyFeed({ ...rest, date, channel: kept[0]!.channel, ids: kept.flatMap((f) => f.ids) });
  if (leftOut.length > 0 && verdict.code === "normal") {
    const named = leftOut.map((i) => `${feeds[i]!.label} (${perFeed[i]!.message})`).join("; ");
    verdict.message += ` Left out ${leftOut.length} of ${feeds.length} feeds, whose papers are not those of ${verdict.date}: ${named}`;
  }
  return { verdict, feeds: perFeed, leftOut };
}

/** What a fetched feed says of the time: its own dates, and the server's clock when it sent one. */
export interface ClockEvidence {
  /** Names the feed in the message, e.g. `cs.LG feed`. */
  label: string;
  /** ISO instants as the feed wrote them (channel pubDate, lastBuildDate); null when absent. */
  pubDate: string | null;
  lastBuildDate: string | null;
  /** The date of the announcement the feed serves, as the feed verdict reads it (`FeedChannel.announceDate`). */
  announceDate?: string | null;
  /** The HTTP `Date` header as an ISO instant; null or absent when unknown. */
  serverDate?: string | null;
}

const HOUR_MS = 3_600_000;
/** A feed may lag a day or two (not flipped yet, a missed batch); more announcement days than this is the clock. */
const CLOCK_AHEAD_FEED_DAYS = 2;
/** The server's `Date` header this close to the clock clears a clock ahead of the feed: the feed is behind. */
const SERVER_AGREES_MS = 24 * HOUR_MS;

/**
 * Whether the machine's clock disagrees with what arXiv's feeds say of the date. Behind: a feed is
 * dated after the clock's today in US Eastern time (its announcement, or either of its instants),
 * and a feed cannot be dated after the moment it is read, whatever the server's `Date` says. Ahead:
 * the clock is more than two announcement days after the feed's newest date (a feed that lags that
 * far is far rarer than a clock set wrong), unless the server's `Date` is within a day of the
 * clock: then the feed is merely behind, which the feed verdict (stale) says. Returns the one
 * sentence to stop with (naming the clock's date and the feed's, and what to do), or null when the
 * clock is plausible.
 */
export function clockDisagreement(now: number, feeds: readonly ClockEvidence[], holidays: Set<string>): string | null {
  const servers = feeds.flatMap((f) => (f.serverDate ? [f.serverDate] : []));
  const reads = clockReads(now);
  const server = servers[0] ? ` (arXiv's server answered at ${servers[0]})` : "";
  const today = todayInEastern({ now: () => now });
  const advice = (behind: boolean, feedDate: string | null) =>
    behind
      ? clockBehindAdvice(today)
      : `so the day to produce cannot be told: fix the machine's clock, or pass --date ${feedDate ?? "YYYY-MM-DD"} to produce ${feedDate ? "the announcement the feed serves" : "the announcement of that day"}; nothing was written.`;
  const future = feeds
    .flatMap((f) =>
      [f.announceDate ?? null, ...[f.pubDate, f.lastBuildDate].map((d) => (d === null ? null : easternDate(d)))]
        .filter((d): d is string => d !== null && d > today)
        .map((date) => ({ label: f.label, date })),
    )
    .sort((a, b) => (a.date < b.date ? 1 : -1))[0];
  if (future !== undefined) {
    return `${reads}, but the ${future.label} is already dated ${future.date}${server}, and a feed cannot be dated after the moment it is read, ${advice(true, null)}`;
  }
  if (servers.some((d) => Math.abs(Date.parse(d) - now) <= SERVER_AGREES_MS)) return null;
  const dated = feeds.flatMap((f) =>
    [f.pubDate, f.lastBuildDate].flatMap((d) =>
      d === null ? [] : [{ label: f.label, text: d, ms: Date.parse(d), served: f.announceDate ?? null }],
    ),
  );
  const newest = dated.filter((d) => !Number.isNaN(d.ms)).sort((a, b) => b.ms - a.ms)[0];
  if (newest === undefined) {
    const far = servers.find((d) => Math.abs(Date.parse(d) - now) > 2 * SERVER_AGREES_MS);
    return far ? `${reads}, but arXiv's server answered at ${far}, ${advice(Date.parse(far) > now, null)}` : null;
  }
  const feedDay = Temporal.PlainDate.from(easternDate(newest.text));
  const gap = feedDay.until(Temporal.PlainDate.from(today)).days;
  const ahead =
    gap > CLOCK_AHEAD_FEED_DAYS &&
    (gap > MAX_GAP_DAYS ||
      feedDaysBetween(feedDay.add({ days: 1 }).toString(), today, holidays).length > CLOCK_AHEAD_FEED_DAYS);
  if (!ahead) return null;
  return `${reads}, but the ${newest.label} is dated ${newest.text}${server}, ${gap} days earlier, more than a feed lags, ${advice(false, newest.served ?? feedDay.toString())}`;
}

/**
 * The clock check of a run that fetches nothing (a weekend by the clock): the only evidence at hand
 * is the archive, and `latestArchived`, the latest day it holds as read from arXiv, dated after the
 * clock's today says the clock is behind. A clock ahead, or behind by less than the archive's
 * lead, cannot be told without asking arXiv. Returns the sentence to stop with, or null.
 */
export function archiveClockDisagreement(now: number, latestArchived: string | null): string | null {
  const today = todayInEastern({ now: () => now });
  if (latestArchived === null || latestArchived <= today) return null;
  return `${clockReads(now)}, but the archive already holds the announcement of ${latestArchived}, and no day is archived before arXiv announces it, ${clockBehindAdvice(today)}`;
}

/** The opening of every clock sentence: what the machine's clock reads, in arXiv's time zone. */
function clockReads(now: number): string {
  const at = Temporal.Instant.fromEpochMilliseconds(now).toZonedDateTimeISO(ARXIV_ZONE).toPlainDateTime();
  return `The machine's clock reads ${at.toString({ smallestUnit: "minute" }).replace("T", " ")} US Eastern time`;
}

/** What to do about a clock behind arXiv: `--date` cannot help, as it may not name a day after the clock's today. */
function clockBehindAdvice(today: string): string {
  return `so the clock is behind: set the machine's clock right and run again (--date cannot name a day after the clock's ${today}); nothing was written.`;
}
