/**
 * Delivering a day on every configured channel. A failure never throws: it becomes a "failed"
 * Delivery in the result, which the caller stores in the DayRecord so the next run (or
 * `deliver DATE`) retries just the targets that have not been sent. Targets the day already
 * records as sent are skipped; to send again, pass the day without those records.
 */
import type { DayRecord, Delivery } from "../archive/schema.js";
import { type Clock, systemClock } from "../arxiv/http.js";
import { type DeliverConfig, type DeliveryChannel, type Env, planDeliveries } from "./plan.js";

export interface DeliverContext {
  env: Env;
  /** Link to the day's page on the site. */
  siteUrl?: string;
  fetchImpl?: typeof fetch;
  clock?: Clock;
  /** Only these channels. */
  channels?: DeliveryChannel[];
}

/** Retry settings shared by all channels: Slack asks for waits of about a minute at most. */
const RETRY = { maxAttempts: 4, baseDelayMs: 2_000, maxWaitMs: 120_000 } as const;

export async function deliverDay(day: DayRecord, cfg: DeliverConfig, ctx: DeliverContext): Promise<Delivery[]> {
  const clock = ctx.clock ?? systemClock;
  const plans = planDeliveries(cfg, ctx.env).filter(
    (plan) => (ctx.channels === undefined || ctx.channels.includes(plan.channel)) && !wasSent(day, plan),
  );
  const deliveries: Delivery[] = [];
  for (const plan of plans) {
    const base = { channel: plan.channel, target: plan.target };
    if ("problem" in plan) {
      deliveries.push({ ...base, outcome: "failed", at: isoAt(clock), attempts: 0, error: plan.problem });
      continue;
    }
    // One attempt, plus one for every retry of any of the requests this target needs.
    let attempts = 1;
    const retry = { ...RETRY, clock, onRetry: () => attempts++ };
    try {
      await plan.send(day, { siteUrl: ctx.siteUrl, fetchImpl: ctx.fetchImpl ?? fetch, retry });
      deliveries.push({ ...base, outcome: "sent", at: isoAt(clock), attempts });
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      deliveries.push({ ...base, outcome: "failed", at: isoAt(clock), attempts, error });
    }
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
