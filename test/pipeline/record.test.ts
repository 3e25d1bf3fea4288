/** The run's one-line summary says what this run paid, not what the day cost when first paid for. */
import { describe, expect, it } from "vitest";
import type { CallUsage, DayRecord } from "../../src/model/day-record.js";
import {
  type AttemptJudge,
  isFinishedDigest,
  keptFinishedDay,
  papersWithoutLlm,
  resultOf,
  spendSentence,
  spendText,
  worseThanArchived,
} from "../../src/pipeline/record.js";
import { makeDay, makePaper } from "../helpers/day-factory.js";

const call = (replayed: boolean): CallUsage => ({
  stage: "scoring",
  model: "gpt-5-mini",
  promptTokens: 4_000,
  cachedPromptTokens: 0,
  completionTokens: 1_000,
  replayed,
});

function dayWith(calls: CallUsage[]): DayRecord {
  const day = makeDay();
  return { ...day, usage: { ...day.usage, calls, total: { ...day.usage.total, calls: calls.length } } };
}

describe("the spend in a run's summary", () => {
  it("a re-run served from the cache: 0 new calls, $0 spent, the answers reused", () => {
    const day = dayWith(Array.from({ length: 16 }, () => call(true)));
    expect(spendSentence(day.usage)).toBe("0 new calls, $0 spent (16 answers reused)");
    expect(resultOf(day, []).summary).toContain("(0 new calls, $0 spent (16 answers reused))");
  });

  it("verdicts kept from earlier answers join the answers reused, scores and triage verdicts alike", () => {
    const spend = { newCalls: 1, reusedAnswers: 16, spentUsd: 0, withoutUsage: 0 };
    expect(spendText({ ...spend, reusedScores: 40, reusedTitles: 120 })).toBe(
      "1 new call, $0 spent (16 answers, 40 papers' scores and 120 titles' triage verdicts reused)",
    );
    expect(spendText({ ...spend, reusedAnswers: 0, reusedScores: 1, reusedTitles: 1 })).toBe(
      "1 new call, $0 spent (1 paper's score and 1 title's triage verdict reused)",
    );
    expect(spendText({ ...spend, newCalls: 0, reusedAnswers: 0, reusedTitles: 3 })).toBe(
      "0 new calls, $0 spent (3 titles' triage verdicts reused)",
    );
  });

  it("a re-run that reused verdicts and made no call names them, and says it spent nothing", () => {
    const day = dayWith([]);
    const reused = (verdicts: number) => ({
      ...day.usage.total,
      calls: 0,
      reused: { verdicts, estimated: 0, promptTokens: 10, cachedPromptTokens: 0, completionTokens: 5, cost: 0.001 },
    });
    const usage = { ...day.usage, stages: { triage: reused(118), scoring: reused(40) } };
    expect(spendSentence(usage)).toBe(
      "0 new calls, $0 spent (40 papers' scores and 118 titles' triage verdicts reused)",
    );
    // An older record (no `reused`) and no call: nothing to say.
    expect(spendSentence(day.usage)).toBe("no LLM calls");
  });

  it("a first run: the calls paid and their cost", () => {
    expect(spendSentence(dayWith([call(false), call(false)]).usage)).toMatch(/^2 new calls, \$0\.\d{4} spent$/);
  });

  it("a run that retried a few: the new calls and cost, and the answers reused", () => {
    const usage = dayWith([call(true), call(true), call(false)]).usage;
    expect(spendSentence(usage)).toMatch(/^1 new call, \$0\.\d{4} spent \(2 answers reused\)$/);
    // A model the price table does not know: the cost is unpriced, not $0.
    const unknown = { ...usage, calls: usage.calls.map((c) => ({ ...c, model: "my-finetune-7b" })) };
    expect(spendSentence(unknown)).toBe("1 new call, unpriced (2 answers reused)");
    expect(spendSentence(unknown, { "my-finetune-7b": { input: 1, cachedInput: 0.1, output: 2 } })).toBe(
      "1 new call, $0.0060 spent (2 answers reused)",
    );
  });

  it("answers without token counts: the spend is a lower bound, and says how many", () => {
    const blind: CallUsage = { ...call(false), promptTokens: 0, completionTokens: 0, usageMissing: true };
    expect(spendSentence(dayWith([call(false), blind]).usage)).toMatch(
      /^2 new calls, at least \$0\.\d{4} spent \(1 answer without token counts\)$/,
    );
    expect(spendSentence(dayWith([blind]).usage)).toBe("1 new call, at least $0 spent (1 answer without token counts)");
  });

  it("no calls, and an imported day without per-call usage", () => {
    expect(spendSentence(dayWith([]).usage)).toBe("no LLM calls");
    // makeDay's usage: one call recorded as a total only, as imported days have it.
    expect(spendSentence(makeDay().usage)).toMatch(/^1 LLM call, \$0\.003\d$/);
  });
});

describe("a re-run that would make a finished day worse", () => {
  const finished = makeDay();
  const counts = finished.counts;

  it("tells a finished digest from one that is not", () => {
    expect(isFinishedDigest(finished)).toBe(true);
    expect(isFinishedDigest({ ...finished, counts: { ...counts, unscored: 1 } })).toBe(false);
    expect(isFinishedDigest({ ...finished, status: { code: "partial", message: "x" } })).toBe(false);
  });

  const llm = { kind: "llm" } as const;
  const kept = (attempt: DayRecord, judge: AttemptJudge = llm, budget?: number) => {
    const why = worseThanArchived(finished, attempt, judge, budget);
    expect(why).not.toBeNull();
    return keptFinishedDay(finished, why!);
  };

  it("keeps the archived day and says why in one sentence: unscored papers, or a feed that failed", () => {
    const unscored = kept({
      ...finished,
      status: { code: "partial", message: "3 of 9 scanned papers could not be scored; they are listed. Run again." },
      counts: { ...counts, scanned: 9, unscored: 3 },
    });
    expect(unscored).toMatchObject({ record: finished, outcome: "incomplete", files: [] });
    expect(unscored.summary).toBe(
      `2026-02-05: kept the complete digest already archived (${counts.selected} picked of ${counts.scanned} scanned) and wrote and delivered nothing, because this run did not finish the day (3 of 9 papers could not be scored); run again once that is fixed (answers already paid for are cached).`,
    );
    const feed = kept({
      ...finished,
      status: { code: "partial", message: "1 of 3 feeds failed (cs.AI); papers from them are missing." },
    });
    expect(feed.summary).toMatch(
      /because this run did not finish the day \(1 of 3 feeds failed \(cs\.AI\)\); run again/,
    );
  });

  // Four papers the LLM scored in the archived day; the attempt's budget let it score one.
  const ids = ["2602.00001", "2602.00002", "2602.00003", "2602.00004"];
  const byLlm = makeDay({ papers: ids.map((id) => makePaper({ id })) });
  const offline = (id: string) =>
    makePaper({ id, scoredBy: "lexical", novelty: null, reason: "LLM budget of $0.001 reached; scored offline" });
  const stopped = makeDay({ papers: [makePaper({ id: ids[0] }), ...ids.slice(1).map(offline)] });

  it("counts the papers the free scorer judged in the LLM's place, or left unscored, not the prefilter's", () => {
    expect(papersWithoutLlm(byLlm)).toBe(0);
    expect(papersWithoutLlm(stopped)).toBe(3);
    const settledByDesign = makeDay({
      papers: [
        makePaper({ id: ids[0], outcome: "prefiltered-out", scoredBy: "lexical" }),
        makePaper({ id: ids[1], outcome: "triaged-out" }),
        makePaper({ id: ids[2], scoredBy: "author" }),
        makePaper({ id: ids[3], outcome: "unscored", scoredBy: null }),
      ],
    });
    expect(papersWithoutLlm(settledByDesign)).toBe(1);
    // A title the triage could not screen (its call failed or the budget stopped it) kept its free rank.
    const unscreened = makeDay({
      papers: [makePaper({ id: ids[0], outcome: "triaged-out", scoredBy: "lexical" }), makePaper({ id: ids[1] })],
    });
    expect(papersWithoutLlm(unscreened)).toBe(1);
  });

  it("a budget that stopped the LLM, or a run without its key, is worse than a day the LLM judged", () => {
    expect(isFinishedDigest(stopped)).toBe(true);
    const budget = worseThanArchived(byLlm, stopped, llm, 0.001);
    expect(budget).toBe(
      "this run's budget (llm.budgetUsd, $0.001) stopped the LLM after 1 of 4 abstracts, so 3 papers were scored offline (the archived day has the LLM's judgement of all of them); raise llm.budgetUsd and run again",
    );
    const allOffline = makeDay({ papers: ids.map(offline) });
    expect(worseThanArchived(byLlm, allOffline, { kind: "offline", why: "no-key", keyEnv: "OPENAI_API_KEY" })).toBe(
      "this run had no API key (OPENAI_API_KEY is empty) and scored 4 papers offline (the archived day has the LLM's judgement of all of them); set OPENAI_API_KEY and run again, or set llm.provider to \"offline\" to replace the day with the offline scorer's picks",
    );
  });

  it("is not worse: the offline scorer the config asks for, as many LLM judgements or more, an unfinished archive", () => {
    const allOffline = makeDay({ papers: ids.map(offline) });
    expect(worseThanArchived(byLlm, allOffline, { kind: "offline", why: "configured", keyEnv: "OPENAI_API_KEY" })).toBe(
      null,
    );
    expect(worseThanArchived(byLlm, byLlm, llm)).toBe(null);
    expect(worseThanArchived(stopped, byLlm, llm)).toBe(null);
    expect(worseThanArchived(stopped, stopped, llm)).toBe(null);
    expect(worseThanArchived(allOffline, stopped, llm)).toBe(null);
    const partial = { ...byLlm, status: { code: "partial" as const, message: "x" } };
    expect(worseThanArchived(partial, allOffline, { kind: "offline", why: "no-key", keyEnv: "K" })).toBe(null);
  });
});
