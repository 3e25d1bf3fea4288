/** Builds valid DayRecords and PaperRecords for tests; every field can be overridden. */
import {
  type DayRecord,
  DayRecordSchema,
  type PaperRecord,
  SCHEMA_VERSION,
  type SelectionSettings,
} from "../../src/model/day-record.js";

/** Selection settings of an LLM-judged day, every value off its default (weights, cut-offs, cap, triage model). */
export const JUDGED_SETTINGS: SelectionSettings = {
  weights: { relevance: 2, novelty: 0.5 },
  minRelevance: 6,
  minNovelty: 0,
  minScore: 12,
  maxPapers: 20,
  prefilter: { enabled: true, keepShare: 0.7, scoreShare: 0.27, floor: 1.9 },
  triage: { enabled: true, model: "gpt-5-nano" },
  model: "gpt-5-mini",
};

export function makePaper(overrides: Partial<PaperRecord> = {}): PaperRecord {
  return {
    id: "2602.04119",
    version: 1,
    title: "Synthesizable Molecular Generation via Soft-constrained GFlowNets with Rich Chemical Priors",
    authors: [
      { name: "Hyeonah Kim", affiliations: [] },
      { name: "Yoshua Bengio", affiliations: [] },
    ],
    abstract:
      "The application of generative models for experimental drug discovery campaigns is limited ($\\geq 95\\%$).",
    categories: ["cs.LG", "q-bio.BM"],
    announceType: "new",
    outcome: "selected",
    scoredBy: "llm",
    reason: null,
    authorMatch: null,
    relevance: 9,
    novelty: 8,
    comment: "Model architecture: a new routing scheme for experts.",
    topic: "architecture",
    score: 17,
    ...overrides,
  };
}

export function makeDay(overrides: Partial<DayRecord> = {}): DayRecord {
  const papers = overrides.papers ?? [makePaper()];
  const selected = papers.filter((p) => p.outcome === "selected").length;
  const day: DayRecord = {
    schema: SCHEMA_VERSION,
    date: "2026-02-05",
    kind: "daily",
    remedial: null,
    status: { code: "normal", message: "Announcement of 2026-02-05 read from the feed." },
    generatedAt: "2026-02-05T06:00:00.000Z",
    producer: "test",
    sources: [],
    counts: { entries: papers.length, unique: papers.length, scanned: papers.length, selected, unscored: 0 },
    usage: {
      stages: {},
      calls: [],
      total: {
        model: "gpt-5",
        calls: 1,
        promptTokens: 1000,
        cachedPromptTokens: 0,
        completionTokens: 200,
        cost: { prompt: 0.00125, completion: 0.002, total: 0.00325 },
      },
      costSource: "computed",
    },
    prompt: { system: "You read arXiv for a researcher.", user: "Score these papers.\n\n{papers}" },
    papers,
    deliveries: [],
    notes: [],
    ...overrides,
  };
  return DayRecordSchema.parse(day);
}
