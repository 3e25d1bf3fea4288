/**
 * The archive's data model: one DayRecord per announcement day, holding every scanned paper.
 * This is a contract (docs/architecture.md): version it, document it (docs/schema.md and the generated
 * docs/day-record.schema.json), and never break old records silently.
 */
import * as z from "zod";
import { ANNOUNCE_TYPES, type Candidate } from "./candidate.js";

export const SCHEMA_VERSION = 1;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected a date as YYYY-MM-DD");
const count = z.number().int().nonnegative();

export const AuthorSchema = z.object({
  name: z.string().min(1),
  affiliations: z.array(z.string()).default([]),
});

/**
 * What happened to a scanned paper.
 * - selected: shown in the digest.
 * - rejected: scored, below the cut-offs.
 * - triaged-out: its title went to the LLM's triage, and it was set aside as outside every topic
 *   or did not fit the day's ration of abstracts (`reason` says which; never an author match).
 *   `scoredBy` is "llm" when the triage judged the title, "lexical" when the triage could not
 *   screen it (a failed call, a spent budget) and it kept its free rank.
 * - prefiltered-out: dropped by the free lexical prefilter before any paid call.
 * - unscored: every attempt to score it failed; `reason` says why. The run exits non-zero.
 */
export const OUTCOMES = ["selected", "rejected", "triaged-out", "prefiltered-out", "unscored"] as const;
export const OutcomeSchema = z.enum(OUTCOMES);
export type Outcome = z.infer<typeof OutcomeSchema>;

/** Who produced the scores: the LLM, the offline lexical scorer, an author match, or an imported history. */
export const SCORERS = ["llm", "lexical", "author", "import"] as const;
export const ScorerSchema = z.enum(SCORERS);

const PaperFields = z.object({
  id: z.string().min(1),
  version: z.number().int().positive().nullable(),
  title: z.string(),
  authors: z.array(AuthorSchema),
  abstract: z.string(),
  categories: z.array(z.string()),
  /** Null for papers imported from tools that did not record it. */
  announceType: z.enum(ANNOUNCE_TYPES).nullable(),
  doi: z.string().optional(),
  journalRef: z.string().optional(),
  outcome: OutcomeSchema,
  scoredBy: ScorerSchema.nullable(),
  /** A sentence explaining the outcome (why unscored, why triaged out, budget fallback …). */
  reason: z.string().nullable(),
  /** The followed author that matched, as written in authors.txt ("Author match" on an imported day, which names none). */
  authorMatch: z.string().nullable(),
  relevance: z.number().min(0).max(10).nullable(),
  novelty: z.number().min(0).max(10).nullable(),
  comment: z.string().nullable(),
  topic: z.string().nullable(),
  /** Ranking score (weights from config); for author matches the reference's 20. */
  score: z.number().nullable(),
  /**
   * The free prefilter's view of the paper, when it ran: the topic score, the similarity to the
   * reader's history, and the paper's percentile in the day (1 = best). Kept for every paper, so
   * the filter can be audited and a dropped paper's near miss shown.
   */
  prefilter: z
    .object({ topics: z.number(), history: z.number(), percentile: z.number().min(0).max(1) })
    .nullable()
    .optional(),
});
/**
 * Records and papers keep fields this version does not know (a user's own annotations, a newer
 * writer's additions): a rewrite preserves them instead of silently dropping them. The types name
 * the known fields only; unknown ones ride along on the objects read.
 */
export const PaperRecordSchema = PaperFields.loose();
export type PaperRecord = z.infer<typeof PaperFields>;

/** A candidate as a paper record before any judgement: its metadata, every score still empty. */
export function paperRecordOf(c: Candidate): Omit<PaperRecord, "outcome" | "scoredBy" | "reason"> {
  return {
    id: c.id,
    version: c.version,
    title: c.title,
    authors: c.authors,
    abstract: c.abstract,
    categories: c.categories,
    announceType: c.announceType,
    doi: c.doi,
    journalRef: c.journalRef,
    authorMatch: null,
    relevance: null,
    novelty: null,
    comment: null,
    topic: null,
    score: null,
  };
}

export const STATUS_CODES = [
  "normal",
  "no-announcement",
  "holiday",
  "stale",
  "empty",
  "filtered-out",
  "partial",
  "failed",
  "not-judged",
] as const;
export const StatusCodeSchema = z.enum(STATUS_CODES);
export type StatusCode = z.infer<typeof StatusCodeSchema>;

export const SourceSchema = z.object({
  url: z.string(),
  /** Categories this source covers (`cs.LG+cs.AI` → both). */
  categories: z.array(z.string()),
  kind: z.enum(["rss", "atom", "api", "import", "demo"]),
  entries: count,
  fetchedAt: z.string().nullable(),
  outcome: z.enum(["ok", "not-modified", "failed"]),
  error: z.string().optional(),
  pubDate: z.string().nullable().optional(),
  lastBuildDate: z.string().nullable().optional(),
});
export type Source = z.infer<typeof SourceSchema>;

/**
 * Counts, each defined once (see COUNT_LEGEND). Null means the source of the record did not
 * say (e.g. an imported day whose page omitted it).
 */
export const CountsSchema = z.object({
  entries: count.nullable(),
  unique: count.nullable(),
  scanned: count.nullable(),
  selected: count,
  unscored: count,
  /** Absent on records made before the free prefilter existed, and on imported days. */
  sentToLlm: count.nullable().optional(),
  /** Absent on records made before the title triage's ration existed, and on imported days. */
  abstractsScored: count.nullable().optional(),
});
export type Counts = z.infer<typeof CountsSchema>;

/**
 * How the digest names each count (the reference pages' wording where they have one), on every
 * surface; the papers shown are "picked", as the site says of them everywhere.
 */
export const COUNT_LABELS = {
  entries: "Total arXiv papers",
  unique: "Distinct papers",
  scanned: "Total scanned papers",
  selected: "Picked papers",
  unscored: "Unscored papers",
  sentToLlm: "Sent to the LLM",
  abstractsScored: "Abstracts scored",
} as const;

export const COUNT_LEGEND = {
  entries: "entries fetched over all category feeds, cross-listings counted once per feed",
  unique: "distinct papers among those entries",
  scanned: "distinct papers left after the announce-type and primary-category filters",
  selected: "papers shown in this digest",
  unscored: "scanned papers that could not be scored (see each paper's reason)",
  sentToLlm:
    "scanned papers the free prefilter passed on to the LLM: their titles to its triage, or their abstracts when the triage is off (followed authors' papers need no judge)",
  abstractsScored:
    "papers whose abstract the LLM scored (its opening): every paper sent, or with the title triage its best titles, up to the day's ration",
} as const;

/**
 * The same counts as an imported reference page defined them (gpt_paper_assistant's
 * `render_daily_md`): not our legend, so a record with `countsSource: "reference"` is labelled
 * with these. `selected` is ours either way: the papers imported as shown.
 */
export const REFERENCE_COUNT_LEGEND = {
  entries: "the reference tool's count: entries over all its category feeds, cross-listings once per feed",
  unique: COUNT_LEGEND.unique,
  scanned:
    "the reference tool's count: papers it kept per category feed, added up, so a paper kept in two feeds counts twice",
  selected: COUNT_LEGEND.selected,
  unscored: COUNT_LEGEND.unscored,
  sentToLlm: COUNT_LEGEND.sentToLlm,
  abstractsScored: COUNT_LEGEND.abstractsScored,
} as const;

/** The legend that defines a day's counts: ours, or the reference tool's for imported days. */
export function countLegend(day: { countsSource?: "ours" | "reference" | undefined }) {
  return day.countsSource === "reference" ? REFERENCE_COUNT_LEGEND : COUNT_LEGEND;
}

/**
 * USD, bounded: no day's answers cost a million dollars, and a record past it (a damaged or
 * hostile file: 1e308 would make a month's total Infinity, which no page can print) is refused as
 * damaged, like any record the schema does not take.
 */
export const MAX_USD = 1_000_000;
const money = z.number().nonnegative().max(MAX_USD);

/** The most verdicts one stage of one day can reuse: far more papers than arXiv announces in a day. */
export const MAX_REUSED_VERDICTS = 1_000_000;
const verdictCount = count.max(MAX_REUSED_VERDICTS);

/**
 * The part of a stage's (or the day's) usage that came from verdicts an earlier run's answers gave,
 * taken from the per-paper store without a call (llm/answers.ts): per-title triage verdicts, per-paper
 * scores. They count at what they took when paid (their stored share of the answer's tokens), or at
 * an estimate from the size of the prompt that would send them again (`estimated` of them).
 */
export const ReusedVerdictsSchema = z
  .object({
    /** Verdicts taken from the store, not sent again. */
    verdicts: verdictCount,
    /** Of them, those priced at the estimate (no usable stored share). */
    estimated: verdictCount,
    promptTokens: count,
    cachedPromptTokens: count,
    completionTokens: count,
    /** USD they took when paid; null when the model has no known price. */
    cost: money.nullable(),
  })
  .refine((r) => r.estimated <= r.verdicts, {
    message: "estimated counts some of the reused verdicts, so it cannot exceed verdicts",
    path: ["estimated"],
  });
export type ReusedVerdicts = z.infer<typeof ReusedVerdictsSchema>;

/**
 * Token usage and cost of one stage (triage, scoring) or of the whole day: what the day's answers
 * cost, whether paid in the run that wrote the record, replayed from the response cache or reused
 * verdict by verdict (`reused`).
 */
export const UsageSchema = z.object({
  model: z.string().nullable(),
  /** LLM calls the run made: paid, or replayed from the response cache. */
  calls: count,
  promptTokens: count,
  cachedPromptTokens: count,
  completionTokens: count,
  /** USD; null when the model has no known price ("unpriced"), never a fake 0. */
  cost: z
    .object({
      prompt: money,
      completion: money,
      total: money,
    })
    .nullable(),
  /**
   * The verdicts reused from earlier answers, included in the figures above; absent when none was
   * (and on records written before they were counted, whose figures leave them out).
   */
  reused: ReusedVerdictsSchema.optional(),
});
export type Usage = z.infer<typeof UsageSchema>;

/** One LLM call of the day: its stage, tokens, and whether it was paid now or replayed from the cache. */
export const CallUsageSchema = z.object({
  stage: z.string(),
  model: z.string(),
  promptTokens: count,
  cachedPromptTokens: count,
  completionTokens: count,
  replayed: z.boolean(),
  /** The endpoint answered without token counts: this call's tokens (0 here) and cost are unknown. */
  usageMissing: z.literal(true).optional(),
});
export type CallUsage = z.infer<typeof CallUsageSchema>;

export const DeliverySchema = z.object({
  channel: z.enum(["slack", "email", "webhook"]),
  target: z.string(),
  outcome: z.enum(["sent", "failed"]),
  at: z.string(),
  attempts: count,
  error: z.string().optional(),
  /**
   * What was sent: a hash of the selected papers' ids in digest order (set on "sent", and on a
   * "failed" attempt: what it tried to send, all or, for a Slack digest with `posted`, part of), so
   * a re-run that changes the selection is told apart from one that does not.
   */
  selection: z.string().optional(),
  /**
   * A failed attempt: the id of the delivery it belonged to (a generic webhook's `Idempotency-Key`,
   * Slack bot mode's metadata), which a retry of the same selection carries on under.
   */
  delivery: z.string().optional(),
  /** Slack bot mode: the `ts` of the digest's first message, the thread later updates reply in. */
  ts: z.string().optional(),
  /** This delivery was an update of a digest the target had already received. */
  update: z.boolean().optional(),
  /**
   * A Slack delivery that failed part-way: how many of its messages went out (always the first
   * ones, summary first) of how many; a retry of the same selection posts the rest (bot mode: into
   * the thread of `ts`).
   */
  posted: z.object({ messages: count, of: count }).optional(),
  /**
   * A failed Slack bot-mode delivery whose last message got no answer (a timeout, a dropped
   * connection), so it may be in the channel: its index in posting order (`part`, the first message
   * 0), when the attempt that posted it began (`since`), the delivery it belongs to (`delivery`, the
   * id its metadata carries) and the channel's ID when an answer gave it. The retry of that same
   * delivery looks for it in the channel before posting it again.
   */
  unanswered: z
    .object({ part: count, since: z.string(), delivery: z.string(), channel: z.string().optional() })
    .optional(),
  /** Slack bot mode: the ids of the papers the digest listed, in order, so an update can say what changed. */
  papers: z.array(z.string()).optional(),
});
export type Delivery = z.infer<typeof DeliverySchema>;

const share = z.number().gt(0).max(1);

/**
 * What a day's selection learnt from the reader's history: the earlier archived days read, the
 * picks among them, the papers liked or saved and those disliked (feedback.jsonl, as it stood at
 * `cutoff`), and the signals given at or after `cutoff`, which only a later run learns from.
 */
export const LearningSchema = z.object({
  days: count,
  picks: count,
  likedOrSaved: count,
  disliked: count,
  leftForNextRun: count,
  /** ISO instant: feedback given before it was learnt from (the run's start). */
  cutoff: z.string(),
  /** Earlier picks left out because their topic is no longer in the configuration. */
  retiredTopicPicks: count.optional(),
  /** Of `picks`, those made on days imported from another tool (present when there are any). */
  importedPicks: count.optional(),
  /**
   * Papers liked, saved or disliked before the cutoff that were not learnt from: unknown to the
   * archive and feedback-papers.json, with no title of their own. `waitingForDay` counts those whose
   * id is of the day's month or later (likely announced after it: they count once their day is
   * archived); `unresolved` names the others, which only `feedback resolve` can make known.
   */
  waitingForDay: count.optional(),
  unresolved: z.array(z.string()).optional(),
});
export type Learning = z.infer<typeof LearningSchema>;

/**
 * The selection settings a scored day was judged with, copied from the configuration as the run
 * applied it (values only, never a secret or a URL), so the day can be explained after the
 * configuration changes. `prefilter.enabled` and `triage.enabled` say whether that stage was in
 * force: never on a day the offline scorer judged. `triage.model` is set only when the triage used
 * another model than the scoring; `model` is the scoring model, null when the offline scorer judged.
 * Absent on records made before it existed, on imported days and on days without papers.
 */
export const SelectionSettingsSchema = z.object({
  weights: z.object({ relevance: z.number(), novelty: z.number() }),
  minRelevance: z.number().min(0).max(10),
  minNovelty: z.number().min(0).max(10),
  minScore: z.number(),
  /** 0 means no cap. */
  maxPapers: count,
  prefilter: z.object({
    enabled: z.boolean(),
    keepShare: share,
    /**
     * The ration of abstracts after the title triage: kept only when the triage was on. Records made
     * before one-round scoring kept it always; with the triage off their prefilter sent
     * min(keepShare, scoreShare).
     */
    scoreShare: share.optional(),
    floor: z.number().min(0),
    /** How far history leads the free ranking (absent on records made before it was kept). */
    historyWeight: z.number().min(0).max(1).optional(),
    /** Earlier archived days the history learns from (absent on records made before it was kept). */
    historyDays: count.optional(),
  }),
  /** `selection.prefilterMinRelevance`: the offline-relevance floor (0 = off; absent on older records). */
  prefilterMinRelevance: z.number().min(0).max(10).optional(),
  triage: z.object({
    enabled: z.boolean(),
    model: z.string().min(1).optional(),
  }),
  model: z.string().min(1).nullable(),
  /** What the day learnt from the reader's history (absent on older records and on eval's replays). */
  learning: LearningSchema.optional(),
});
export type SelectionSettings = z.infer<typeof SelectionSettingsSchema>;

const DayFields = z.object({
  schema: z.literal(SCHEMA_VERSION),
  /** The announcement date: the feed's channel pubDate date. */
  date: isoDate,
  kind: z.enum(["daily", "remedial"]),
  /** For remedial (backfilled) days: the missed window and when it was generated. */
  remedial: z
    .object({
      from: isoDate,
      to: isoDate,
      generatedOn: isoDate,
    })
    .nullable(),
  status: z.object({
    code: StatusCodeSchema,
    message: z.string(),
  }),
  generatedAt: z.string(),
  /** Which program wrote it: `arxiv-digest run`, `import`, `backfill`, `demo`. */
  producer: z.string(),
  sources: z.array(SourceSchema),
  counts: CountsSchema,
  /**
   * Whose definitions `counts` follow: absent or "ours" for COUNT_LEGEND, "reference" for an
   * imported day whose entries and scanned counts are the reference tool's (REFERENCE_COUNT_LEGEND).
   */
  countsSource: z.enum(["ours", "reference"]).optional(),
  /**
   * The feed day whose batch this record holds, when that is not `date`: an imported day the
   * reference filed under a weekend label while the feed still carried the previous feed day's batch.
   */
  batchOf: isoDate.optional(),
  /** Other days holding the same arXiv batch (the reference archived one batch under two labels). */
  sameBatchAs: z.array(isoDate).optional(),
  usage: z.object({
    stages: z.record(z.string(), UsageSchema),
    total: UsageSchema,
    /**
     * Every call of the run that wrote the record, in the order they completed, each `replayed` or
     * paid in that run: what that run spent, apart from what the day's answers cost (`stages`,
     * `total`); empty for offline and imported days.
     */
    calls: z.array(CallUsageSchema).default([]),
    /** "computed" from token counts and the price table, or "imported" as a page recorded it. */
    costSource: z.enum(["computed", "imported"]),
  }),
  /** The selection prompt as sent, papers replaced by a placeholder; null when none was used. */
  prompt: z
    .object({
      system: z.string(),
      user: z.string(),
    })
    .nullable(),
  /** The selection settings the day was judged with (see SelectionSettingsSchema); absent before they were kept. */
  selectionSettings: SelectionSettingsSchema.optional().describe(
    "The selection settings the day was judged with, values only: weights, cut-offs, cap, the prefilter's shares, history weight and days, the offline-relevance floor, whether the prefilter and the title triage ran, the triage's model when it differs, the scoring model (null offline) and what the day learnt from the reader's history (learning). Absent on older and imported records.",
  ),
  /** Every scanned paper, ranked: selected first in digest order, then the rest. */
  papers: z.array(PaperFields),
  deliveries: z.array(DeliverySchema).default([]),
  /** What the reader should know about the day's picks (the offline scorer, a budget, skipped feed entries, unmapped import fields). */
  notes: z.array(z.string()).default([]),
  /**
   * What only the operator needs about the run (answers replayed from the response cache, an
   * unpriced model, a Semantic Scholar outage, a damaged feedback line): shown under the costs on
   * the site's about page, never at the top of the digest. Absent on older records.
   */
  operatorNotes: z.array(z.string()).optional(),
});
/** A day as read and written: unknown fields of the record and of each paper are kept (see above). */
export const DayRecordSchema = DayFields.extend({ papers: z.array(PaperRecordSchema) }).loose();
export type DayRecord = z.infer<typeof DayFields>;

/** The papers a digest shows, in order. */
export function selectedPapers(day: DayRecord): PaperRecord[] {
  return day.papers.filter((p) => p.outcome === "selected");
}

export function emptyUsage(model: string | null = null): Usage {
  return {
    model,
    calls: 0,
    promptTokens: 0,
    cachedPromptTokens: 0,
    completionTokens: 0,
    cost: { prompt: 0, completion: 0, total: 0 },
  };
}

function extraFields(value: object, known: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([k]) => !Object.hasOwn(known, k)));
}

/**
 * `next` with the fields this version does not define carried over from `previous` (the same
 * day as archived): the record's own, and each paper's by id. A re-run rebuilds a day from the
 * feed; what a user added by hand survives it.
 */
export function carryUnknownFields(previous: DayRecord, next: DayRecord): DayRecord {
  const papers = new Map(previous.papers.map((p) => [p.id, extraFields(p, PaperFields.shape)]));
  return {
    ...extraFields(previous, DayFields.shape),
    ...next,
    papers: next.papers.map((p) => ({ ...papers.get(p.id), ...p })),
  };
}

/**
 * The comment a followed author's paper carries in place of the model's ("Author match", as
 * gpt_paper_assistant wrote it too), and the `authorMatch` of an imported day's such paper, whose
 * record names no author.
 */
export const AUTHOR_MATCH_COMMENT = "Author match";

/** Whether a comment is only the stand-in for a followed author's paper, which says no more than its badge. */
export function isAuthorMatchComment(comment: string | null): boolean {
  return comment !== null && comment.trim().toLowerCase() === AUTHOR_MATCH_COMMENT.toLowerCase();
}
