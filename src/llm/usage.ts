/**
 * Adds up tokens and dollars per stage (triage, scoring) and for the whole day. Replayed
 * (cached) answers and verdicts reused from earlier answers (the per-paper store, llm/answers.ts)
 * count towards the day's usage, because they are what the day's digest cost, but not towards the
 * money spent by this run, which is what the budget limits and what the per-call list (`calls`)
 * says.
 */

import type { Price } from "../config/schema.js";
import type { CallUsage, Usage } from "../model/day-record.js";
import type { ReusedUsage } from "./answers.js";
import { type Cost, costOf, priceFor, type TokenCounts } from "./prices.js";

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

  /**
   * `reused`: what the verdicts the day took from the per-paper store took when paid, priced as
   * `PaperAnswers.countReused` counted them (their shares, or the estimate); read at each summary.
   */
  constructor(
    private readonly priceOverrides: Readonly<Record<string, Price>> = {},
    private readonly reused: () => readonly ReusedUsage[] = () => [],
  ) {}

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

  /**
   * This run's own calls so far (the paid ones: a replayed answer or a reused verdict cost this run
   * nothing): their tokens, and what they cost, null when one of them was to a model without a price.
   */
  get paidSoFar(): { promptTokens: number; completionTokens: number; costUsd: number | null } {
    const paid = this.calls.filter((c) => !c.replayed);
    const priced = paid.every((c) => priceFor(c.model, this.priceOverrides) !== null);
    return {
      promptTokens: paid.reduce((acc, c) => acc + c.promptTokens, 0),
      completionTokens: paid.reduce((acc, c) => acc + c.completionTokens, 0),
      costUsd: priced ? this.spent : null,
    };
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

  /**
   * A stage's usage: its calls (paid or replayed) and the verdicts it reused, each part priced at
   * its own model; null when the stage neither called nor reused anything.
   */
  stageUsage(stage: string, reused: readonly ReusedUsage[] = this.reusedBy(stage)): Usage | null {
    const tally = this.stages.get(stage);
    if (!tally && reused.length === 0) return null;
    const parts: { tokens: TokenCounts; cost: Cost | null }[] = [];
    if (tally) parts.push({ tokens: tally, cost: tally.price ? costOf(tally, tally.price) : null });
    const reusedParts = reused.map((r) => {
      const price = priceFor(r.model, this.priceOverrides);
      return { tokens: r, cost: price ? costOf(r, price) : null };
    });
    parts.push(...reusedParts);
    // Shares are fractions of an answer's tokens: added up exactly, rounded once.
    const sum = (of: readonly { tokens: TokenCounts }[], pick: (t: TokenCounts) => number) =>
      Math.round(of.reduce((acc, p) => acc + pick(p.tokens), 0));
    const priced = (of: readonly { cost: Cost | null }[]) => of.every((p) => p.cost !== null);
    const usage: Usage = {
      model: tally?.model ?? reused[0]!.model,
      calls: tally?.calls ?? 0,
      promptTokens: sum(parts, (t) => t.promptTokens),
      cachedPromptTokens: sum(parts, (t) => t.cachedPromptTokens),
      completionTokens: sum(parts, (t) => t.completionTokens),
      cost: priced(parts) ? addCosts(parts.map((p) => p.cost!)) : null,
    };
    if (reused.length > 0) {
      usage.reused = {
        verdicts: reused.reduce((acc, r) => acc + r.verdicts, 0),
        estimated: reused.reduce((acc, r) => acc + r.estimated, 0),
        promptTokens: sum(reusedParts, (t) => t.promptTokens),
        cachedPromptTokens: sum(reusedParts, (t) => t.cachedPromptTokens),
        completionTokens: sum(reusedParts, (t) => t.completionTokens),
        cost: priced(reusedParts) ? addCosts(reusedParts.map((p) => p.cost!)).total : null,
      };
    }
    return usage;
  }

  private reusedBy(stage: string): ReusedUsage[] {
    return this.reused().filter((r) => r.stage === stage);
  }

  /**
   * Per-stage usage plus the total: what the day's answers cost, paid, replayed or reused verdict by
   * verdict; the total is unpriced when any stage is. `calls`: this run's calls alone.
   */
  summary(fallbackModel: string | null): { stages: Record<string, Usage>; total: Usage; calls: CallUsage[] } {
    const reused = this.reused();
    const names = [...new Set([...this.stages.keys(), ...reused.map((r) => r.stage)])];
    const stages: Record<string, Usage> = {};
    for (const name of names) {
      stages[name] = this.stageUsage(
        name,
        reused.filter((r) => r.stage === name),
      )!;
    }
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
    const verdicts = all.flatMap((u) => (u.reused ? [u.reused] : []));
    if (verdicts.length > 0) {
      total.reused = {
        verdicts: verdicts.reduce((acc, r) => acc + r.verdicts, 0),
        estimated: verdicts.reduce((acc, r) => acc + r.estimated, 0),
        promptTokens: verdicts.reduce((acc, r) => acc + r.promptTokens, 0),
        cachedPromptTokens: verdicts.reduce((acc, r) => acc + r.cachedPromptTokens, 0),
        completionTokens: verdicts.reduce((acc, r) => acc + r.completionTokens, 0),
        cost: verdicts.every((r) => r.cost !== null) ? verdicts.reduce((acc, r) => acc + r.cost!, 0) : null,
      };
    }
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

function addCosts(costs: readonly Cost[]): Cost {
  return {
    prompt: costs.reduce((acc, c) => acc + c.prompt, 0),
    completion: costs.reduce((acc, c) => acc + c.completion, 0),
    total: costs.reduce((acc, c) => acc + c.total, 0),
  };
}
