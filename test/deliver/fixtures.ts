/**
 * Test data for delivery: a day of 80 real papers (metadata and recorded scores from the
 * reference history) with hostile titles mixed in.
 */
import type { Config } from "../../src/config/schema.js";
import type { DayRecord, PaperRecord } from "../../src/model/day-record.js";
import { makeDay } from "../helpers/day-factory.js";
import { referenceRecords } from "../helpers/reference.js";

/** A day's papers with their recorded scores and comments, no topic and no author match. */
function scoredPapers(date: string): PaperRecord[] {
  return referenceRecords(date).map((p) => ({ ...p, topic: null, authorMatch: null }));
}

const HOSTILE_TITLES = {
  script: "<script>alert('x')</script> Attention & Memory",
  channel: "<!channel> Urgent: scaling laws for <b>everyone</b>",
  long: `A ${"very ".repeat(400)}long title`,
} as const;

/** 80 selected papers; papers 1–3 carry hostile titles, paper 4 a followed author. */
export function eightyPaperDay(overrides: Partial<DayRecord> = {}): DayRecord {
  const papers = [...scoredPapers("2025-11-04"), ...scoredPapers("2025-11-05")].slice(0, 80);
  papers[0] = { ...papers[0]!, title: HOSTILE_TITLES.script, comment: "Beats <baseline> & co. <@U123>" };
  papers[1] = { ...papers[1]!, title: HOSTILE_TITLES.channel };
  papers[2] = {
    ...papers[2]!,
    title: HOSTILE_TITLES.long,
    authors: Array.from({ length: 300 }, (_, i) => ({ name: `Author Number${i}`, affiliations: [] })),
  };
  papers[3] = { ...papers[3]!, authorMatch: "Yoshua Bengio", comment: "Author match" };
  return makeDay({
    date: "2025-11-05",
    status: { code: "normal", message: "Announcement of 2025-11-05 read from the feed." },
    papers,
    counts: { entries: 705, unique: 650, scanned: 391, selected: 80, unscored: 0 },
    ...overrides,
  });
}

/** Slack alone, in webhook mode (or bot mode with `channel`), against a local API at `apiUrl`. */
export function slackConfig(apiUrl: string, channel?: string): Config["deliver"] {
  return {
    slack: { webhookUrlEnv: "SLACK_WEBHOOK_URL", botTokenEnv: "SLACK_BOT_TOKEN", channel, apiUrl, top: 10 },
    webhooks: [],
  };
}
