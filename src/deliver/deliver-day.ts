/**
 * Delivering a day on every configured channel. A failure never throws: it becomes a "failed"
 * Delivery in the result, which the caller stores in the DayRecord so the next run (or
 * `deliver DATE`) retries just the targets that have not been sent. A target the day records as
 * sent is skipped unless `resend` is set, or the selection changed since (a re-run after a
 * partial day): then it gets the new digest marked as an update.
 */

import { type Clock, systemClock } from "../io/clock.js";
import type { DayRecord, Delivery } from "../model/day-record.js";
import { selectionHash } from "./digest.js";
import { type DeliverConfig, type DeliveryChannel, type Env, type PlannedDelivery, planDeliveries } from "./plan.js";

export interface DeliverContext {
  env: Env;
  /** Link to the day's page on the site. */
  siteUrl?: string;
  fetchImpl?: typeof fetch;
  clock?: Clock;
  /** Send to every configured target, also those the day records as sent. */
  resend?: boolean;
  /**
   * Only targets whose last attempt failed (the next run's retry of earlier days): a target that
   * never had the day, such as a channel added to the config since, is not sent old days.
   */
  failedOnly?: boolean;
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
  const selection = selectionHash(day);
  const deliveries: Delivery[] = [];
  const record = async (delivery: Delivery) => {
    deliveries.push(delivery);
    await ctx.onDelivered?.(delivery);
  };
  for (const plan of planDeliveries(cfg, ctx.env)) {
    const due = dueFor(day, plan, selection, ctx);
    if (due === null) continue;
    const base = { channel: plan.channel, target: plan.target, ...(due.update ? { update: true } : {}) };
    if ("problem" in plan) {
      await record({ ...base, outcome: "failed", at: isoAt(clock), attempts: 0, error: plan.problem });
      continue;
    }
    // One attempt, plus one for every retry of any of the requests this target needs.
    let attempts = 1;
    const retry = { ...RETRY, clock, onRetry: () => attempts++ };
    let receipt: Awaited<ReturnType<typeof plan.send>>;
    try {
      receipt = await plan.send(day, {
        siteUrl: ctx.siteUrl,
        fetchImpl: ctx.fetchImpl ?? fetch,
        retry,
        ...(due.update ? { update: due.threadTs === undefined ? {} : { threadTs: due.threadTs } } : {}),
      });
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      await record({ ...base, outcome: "failed", at: isoAt(clock), attempts, error });
      continue;
    }
    const ts = receipt?.ts;
    await record({ ...base, outcome: "sent", at: isoAt(clock), attempts, selection, ...(ts ? { ts } : {}) });
  }
  return deliveries;
}

/**
 * Whether a target is due, and how: the whole digest (never sent, or `resend`), an update (sent
 * before with another selection; a record from before selections were kept counts as the same),
 * or not at all (null).
 */
function dueFor(
  day: DayRecord,
  plan: PlannedDelivery,
  selection: string,
  ctx: Pick<DeliverContext, "resend" | "failedOnly">,
): { update: boolean; threadTs?: string } | null {
  if (ctx.resend === true) return { update: false };
  const history = day.deliveries.filter((d) => d.channel === plan.channel && d.target === plan.target);
  if (ctx.failedOnly === true && history.at(-1)?.outcome !== "failed") return null;
  const sent = history.filter((d) => d.outcome === "sent");
  const last = sent.at(-1);
  if (last === undefined) return { update: false };
  if (last.selection === undefined || last.selection === selection) return null;
  // Replies go to the thread of the latest digest posted in full (an update records that thread too).
  const threadTs = sent.findLast((d) => d.ts !== undefined)?.ts;
  return threadTs === undefined ? { update: true } : { update: true, threadTs };
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
