/**
 * Delivering a day on every configured channel. A failure never throws: it becomes a "failed"
 * Delivery in the result, which the caller stores in the DayRecord so the next run (or
 * `deliver DATE`) retries just the targets that have not been sent. Targets the day already
 * records as sent are skipped unless `resend` is set.
 */

import { type Clock, systemClock } from "../io/clock.js";
import type { DayRecord, Delivery } from "../model/day-record.js";
import { type DeliverConfig, type DeliveryChannel, type Env, planDeliveries } from "./plan.js";

export interface DeliverContext {
  env: Env;
  /** Link to the day's page on the site. */
  siteUrl?: string;
  fetchImpl?: typeof fetch;
  clock?: Clock;
  /** Send to every configured target, also those the day records as sent. */
  resend?: boolean;
  /**
   * Called with each outcome as soon as it is known, before the next channel is tried, so a
   * crash in a later channel cannot make an earlier one post twice.
   */
  onDelivered?: (delivery: Delivery) => Promise<void>;
}

/** Retry settings shared by all channels: Slack asks for waits of about a minute at most. */
const RETRY = { maxAttempts: 4, baseDelayMs: 2_000, maxWaitMs: 120_000 } as const;

export async function deliverDay(day: DayRecord, cfg: DeliverConfig, ctx: DeliverContext): Promise<Delivery[]> {
  const clock = ctx.clock ?? systemClock;
  const plans = planDeliveries(cfg, ctx.env).filter((plan) => ctx.resend === true || !wasSent(day, plan));
  const deliveries: Delivery[] = [];
  const record = async (delivery: Delivery) => {
    deliveries.push(delivery);
    await ctx.onDelivered?.(delivery);
  };
  for (const plan of plans) {
    const base = { channel: plan.channel, target: plan.target };
    if ("problem" in plan) {
      await record({ ...base, outcome: "failed", at: isoAt(clock), attempts: 0, error: plan.problem });
      continue;
    }
    // One attempt, plus one for every retry of any of the requests this target needs.
    let attempts = 1;
    const retry = { ...RETRY, clock, onRetry: () => attempts++ };
    try {
      await plan.send(day, { siteUrl: ctx.siteUrl, fetchImpl: ctx.fetchImpl ?? fetch, retry });
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      await record({ ...base, outcome: "failed", at: isoAt(clock), attempts, error });
      continue;
    }
    await record({ ...base, outcome: "sent", at: isoAt(clock), attempts });
  }
  return deliveries;
}

/** Configured channels with a target not yet sent: what the next run should retry. */
export function pendingDeliveries(day: DayRecord, cfg: DeliverConfig, env: Env): DeliveryChannel[] {
  const pending = planDeliveries(cfg, env)
    .filter((plan) => !wasSent(day, plan))
    .map((plan) => plan.channel);
  return [...new Set(pending)];
}

function wasSent(day: DayRecord, plan: { channel: DeliveryChannel; target: string }): boolean {
  return day.deliveries.some((d) => d.channel === plan.channel && d.target === plan.target && d.outcome === "sent");
}

function isoAt(clock: Clock): string {
  return new Date(clock.now()).toISOString();
}
