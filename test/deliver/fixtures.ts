/**
 * Test data for delivery: a day of 80 real papers (metadata and recorded scores from the
 * reference history) with hostile titles mixed in.
 */
import { readFileSync } from "node:fs";
import type { DayRecord, PaperRecord } from "../../src/model/day-record.js";
import { makeDay, makePaper } from "../helpers/day-factory.js";

const REFERENCE = new URL("../fixtures/reference/anchor-months-2025-11-to-2026-01/", import.meta.url);

interface ReferenceEntry {
  arxiv_id: string;
  title: string;
  authors: string[];
  abstract: string;
  COMMENT: string;
  RELEVANCE?: number;
  NOVELTY?: number;
  SCORE: number;
}

function referencePapers(file: string): PaperRecord[] {
  const entries = JSON.parse(readFileSync(new URL(file, REFERENCE), "utf8")) as Record<string, ReferenceEntry>;
  return Object.values(entries).map((e) =>
    makePaper({
      id: e.arxiv_id,
      title: e.title,
      authors: e.authors.map((name) => ({ name, affiliations: [] })),
      abstract: e.abstract,
      comment: e.COMMENT,
      relevance: e.RELEVANCE ?? null,
      novelty: e.NOVELTY ?? null,
      score: e.SCORE,
      topic: null,
      scoredBy: "import",
    }),
  );
}

const HOSTILE_TITLES = {
  script: "<script>alert('x')</script> Attention & Memory",
  channel: "<!channel> Urgent: scaling laws for <b>everyone</b>",
  long: `A ${"very ".repeat(400)}long title`,
} as const;

/** 80 selected papers; papers 1–3 carry hostile titles, paper 4 a followed author. */
export function eightyPaperDay(overrides: Partial<DayRecord> = {}): DayRecord {
  const papers = [...referencePapers("2025-11-04-output.json"), ...referencePapers("2025-11-05-output.json")].slice(
    0,
    80,
  );
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
