/**
 * Adds up tokens and dollars per stage (triage, scoring) and for the whole run. Replayed
 * (cached) answers count towards the day's usage, because they are what the day's digest cost,
 * but not towards the money spent by this run, which is what the budget limits.
 */

import type { Price } from "../config/schema.js";
import type { CallUsage, Usage } from "../model/day-record.js";
import { costOf, priceFor, type TokenCounts } from "./prices.js";

export interface CallRecord extends TokenCounts {
  stage: string;
  model: string;
  /** True when the answer came from the response cache: nothing was paid for it in this run. */
  replayed: boolean;
  /** True when the endpoint answered without token counts (no `usage`): its tokens and cost are unknown. */
  usageMissing?: boolean;
  /** With `usageMissing`: what the request takes by the prompt-size estimate (`ChatRequest.usualTokens`). */
  estimate?: TokenCounts;
}

/** A call answered without token counts, at its request's estimate. */
export interface EstimatedCall extends TokenCounts {
  stage: string;
  model: string;
}

interface StageTally extends TokenCounts {
  model: string;
  calls: number;
  price: Price | null;
}

export class UsageMeter {
  private readonly stages = new Map<string, StageTally>();
  private readonly calls: CallRecord[] = [];
  private spent = 0;
  private paidCalls = 0;
  private replayedCalls = 0;
  private readonly stops = new Map<string, number>();
  private unconfirmed = 0;

  constructor(private readonly priceOverrides: Readonly<Record<string, Price>> = {}) {}

  record(call: CallRecord): void {
    this.calls.push(call);
    const tally = this.stages.get(call.stage) ?? {
      model: call.model,
      calls: 0,
      promptTokens: 0,
      cachedPromptTokens: 0,
      completionTokens: 0,
      price: priceFor(call.model, this.priceOverrides),
    };
    tally.calls += 1;
    tally.promptTokens += call.promptTokens;
    tally.cachedPromptTokens += call.cachedPromptTokens;
    tally.completionTokens += call.completionTokens;
    this.stages.set(call.stage, tally);
    if (call.replayed) {
      this.replayedCalls += 1;
    } else {
      this.paidCalls += 1;
      if (tally.price) this.spent += costOf(call, tally.price).total;
    }
  }

  /** A call `llm.budgetUsd` did not let out: its worst case no longer fitted in what was left. */
  recordBudgetStop(stage: string): void {
    this.stops.set(stage, (this.stops.get(stage) ?? 0) + 1);
  }

  /**
   * A paid attempt whose cost is not known (no answer came, or one without usage): the budget
   * counts its worst case, `usd`, as spent.
   */
  recordUnconfirmed(usd: number): void {
    this.unconfirmed += usd;
  }

  /** Calls the budget stopped, per stage, in the order the stages first had one stopped. */
  get budgetStops(): ReadonlyMap<string, number> {
    return this.stops;
  }

  /** USD the budget counted for attempts of unknown cost, on top of `spentUsd`. */
  get unconfirmedUsd(): number {
    return this.unconfirmed;
  }

  /** USD paid by this run so far (unpriced models add nothing: the budget cannot see them). */
  get spentUsd(): number {
    return this.spent;
  }

  get counts(): { paid: number; replayed: number } {
    return { paid: this.paidCalls, replayed: this.replayedCalls };
  }

  /** Paid calls answered without token counts: their tokens and cost are missing from every figure. */
  get callsWithoutUsage(): number {
    return this.calls.filter((c) => c.usageMissing && !c.replayed).length;
  }

  /**
   * Calls answered without token counts, paid in this run or replayed from the response cache,
   * each at its request's estimate: left out of every tally above (their counts are zeros), they
   * are what `eval` adds to a day paid in full.
   */
  estimatedCalls(): EstimatedCall[] {
    return this.calls.flatMap((c) =>
      c.usageMissing && c.estimate ? [{ stage: c.stage, model: c.model, ...c.estimate }] : [],
    );
  }

  stageUsage(stage: string): Usage | null {
    const tally = this.stages.get(stage);
    if (!tally) return null;
    return {
      model: tally.model,
      calls: tally.calls,
      promptTokens: tally.promptTokens,
      cachedPromptTokens: tally.cachedPromptTokens,
      completionTokens: tally.completionTokens,
      cost: tally.price ? costOf(tally, tally.price) : null,
    };
  }

  /** Per-stage usage plus the total; the total is unpriced when any stage is. */
  summary(fallbackModel: string | null): { stages: Record<string, Usage>; total: Usage; calls: CallUsage[] } {
    const stages: Record<string, Usage> = {};
    for (const name of this.stages.keys()) stages[name] = this.stageUsage(name)!;
    const all = Object.values(stages);
    const models = [...new Set(all.map((u) => u.model).filter((m): m is string => m !== null))];
    const sum = (pick: (u: Usage) => number) => all.reduce((acc, u) => acc + pick(u), 0);
    const priced = all.every((u) => u.cost !== null);
    const total: Usage = {
      model: models.length > 0 ? models.join(" + ") : fallbackModel,
      calls: sum((u) => u.calls),
      promptTokens: sum((u) => u.promptTokens),
      cachedPromptTokens: sum((u) => u.cachedPromptTokens),
      completionTokens: sum((u) => u.completionTokens),
      cost: priced
        ? {
            prompt: sum((u) => u.cost?.prompt ?? 0),
            completion: sum((u) => u.cost?.completion ?? 0),
            total: sum((u) => u.cost?.total ?? 0),
          }
        : null,
    };
    const calls = this.calls.map((c) => ({
      stage: c.stage,
      model: c.model,
      promptTokens: c.promptTokens,
      cachedPromptTokens: c.cachedPromptTokens,
      completionTokens: c.completionTokens,
      replayed: c.replayed,
      ...(c.usageMissing ? { usageMissing: true as const } : {}),
    }));
    return { stages, total, calls };
  }
}
