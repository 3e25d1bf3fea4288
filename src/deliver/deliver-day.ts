/**
 * Delivering a day on every configured channel. A failure never throws: it becomes a "failed"
 * Delivery in the result, which the caller stores in the DayRecord so the next run (or
 * `deliver DATE`) retries just the targets that have not been sent. A Slack digest that failed
 * part-way records how many of its messages went out, and the retry posts only the rest (bot
 * mode: into the same thread); in bot mode one whose last message got no answer records it
 * (`unanswered`), and the retry of that same delivery looks for it in the channel first. A target
 * the day records as sent is skipped unless `resend` is set (then a target that had the day is
 * told it is sent again), or the selection changed since (a re-run after a partial day): then it
 * gets the new digest marked as an update.
 */

import { createHash } from "node:crypto";
import type { TopicTitles } from "../format/text.js";
import { type Clock, systemClock } from "../io/clock.js";
import type { DayRecord, Delivery } from "../model/day-record.js";
import { type DaySite, selectionHash } from "./digest.js";
import { type DeliverConfig, type DeliveryChannel, type Env, planDeliveries } from "./plan.js";
import { PartialPostError, unansweredOf } from "./slack.js";

export interface DeliverContext {
  env: Env;
  /** The site the day belongs to, and its page there when the day has one (`DaySite`). */
  site?: DaySite;
  /** The config's topic titles (`topics[].title`), by which messages name a paper's topic. */
  topics?: TopicTitles;
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
    const history = day.deliveries.filter((d) => d.channel === plan.channel && d.target === plan.target);
    const due = dueFor(history, selection, ctx);
    if (due === null) continue;
    const base = { channel: plan.channel, target: plan.target, ...(due.update === undefined ? {} : { update: true }) };
    if ("problem" in plan) {
      await record({ ...base, outcome: "failed", at: isoAt(clock), attempts: 0, error: plan.problem });
      continue;
    }
    // One attempt, plus one for every retry of any of the requests this target needs.
    let attempts = 1;
    const retry = { ...RETRY, clock, onRetry: () => attempts++ };
    const id = deliveryId(day.date, plan, selection, history, due, ctx.resend === true);
    // The previous attempt at this same delivery posted a message whose answer was lost.
    const lastTry = history.at(-1);
    const lost = lastTry?.outcome === "failed" && lastTry.unanswered?.delivery === id ? lastTry.unanswered : undefined;
    let receipt: Awaited<ReturnType<typeof plan.send>>;
    try {
      receipt = await plan.send(day, {
        ...(ctx.site === undefined ? {} : { site: ctx.site }),
        ...(ctx.topics === undefined ? {} : { topics: ctx.topics }),
        fetchImpl: ctx.fetchImpl ?? fetch,
        retry,
        deliveryId: id,
        ...(lost === undefined
          ? {}
          : {
              unanswered: {
                part: lost.part,
                sinceMs: Date.parse(lost.since),
                ...(lost.channel === undefined ? {} : { channel: lost.channel }),
              },
            }),
        ...(due.update === undefined ? {} : { update: due.update }),
        ...(due.again === true ? { again: true } : {}),
        ...(due.resume === undefined ? {} : { resume: due.resume }),
      });
    } catch (err) {
      const error = sentences(err instanceof Error ? err.message : String(err), plan.warning) ?? "";
      // Part of the messages went out: the record says which, so the next attempt posts only the rest.
      const posted =
        err instanceof PartialPostError
          ? { selection, posted: { messages: err.posted, of: err.of }, ...(err.ts === undefined ? {} : { ts: err.ts }) }
          : {};
      // A message that got no answer may be in the channel: the retry looks for it before posting it again.
      const unanswered = unansweredOf(err);
      const maybe =
        unanswered === undefined
          ? {}
          : {
              unanswered: {
                part: unanswered.part,
                since: new Date(unanswered.sinceMs).toISOString(),
                delivery: id,
                ...(unanswered.channel === undefined ? {} : { channel: unanswered.channel }),
              },
            };
      // What was tried and under which id, so a retry of this same delivery carries on under it.
      const tried = { selection, delivery: id };
      await record({ ...base, outcome: "failed", at: isoAt(clock), attempts, error, ...tried, ...posted, ...maybe });
      continue;
    }
    await record({
      ...base,
      outcome: "sent",
      at: isoAt(clock),
      attempts,
      selection,
      ...(receipt?.ts === undefined ? {} : { ts: receipt.ts }),
      ...(receipt?.papers === undefined ? {} : { papers: receipt.papers }),
      ...warnedOf(sentences(receipt?.warning, plan.warning)),
    });
  }
  return deliveries;
}

interface Due {
  /** Set when the target has another selection of the day: send an update (into this thread). */
  update?: { threadTs?: string; papers?: readonly string[] };
  /** An earlier attempt of this same delivery posted its first messages: post the rest. */
  resume?: { posted: number; ts?: string };
  /** `resend` to a target that has had the day (all or part of it): the digest says it is sent again. */
  again?: true;
  /**
   * `resend` after an attempt whose answer was lost (its message may be in the channel): the send
   * carries on under that attempt's id, so the message is looked for before it is posted again.
   */
  continues?: true;
}

/**
 * Whether a target is due, and how: the whole digest (never sent, or `resend`), the rest of a
 * digest that failed part-way, an update (sent before with another selection; a record from
 * before selections were kept counts as the same), or not at all (null).
 */
function dueFor(
  history: readonly Delivery[],
  selection: string,
  ctx: Pick<DeliverContext, "resend" | "failedOnly">,
): Due | null {
  if (ctx.resend === true) {
    if (history.some((d) => d.outcome === "sent" || d.posted !== undefined)) return { again: true };
    // The last attempt's message may have arrived though its answer was lost: look for it under
    // that attempt's id, and say the digest is sent again, since it may be.
    const last = history.at(-1);
    return last?.outcome === "failed" && last.unanswered !== undefined ? { again: true, continues: true } : {};
  }
  if (ctx.failedOnly === true && history.at(-1)?.outcome !== "failed") return null;
  // What the target has seen: digests sent, and those that failed after posting part of their messages.
  const seen = history.filter((d) => d.outcome === "sent" || d.posted !== undefined);
  const last = seen.at(-1);
  if (last === undefined) return {};
  if (last.outcome === "failed" && last.selection === selection) {
    // Resume: as the failed attempt was (an update, into the same thread), after its posted messages.
    const resume = { posted: last.posted?.messages ?? 0, ...(last.ts === undefined ? {} : { ts: last.ts }) };
    return last.update === true ? { update: updateFrom(seen.slice(0, -1), last.ts), resume } : { resume };
  }
  if (last.selection === undefined || last.selection === selection) return null;
  return { update: updateFrom(seen, undefined) };
}

/**
 * What an update builds on: the thread of the latest digest the target has (an update records that
 * thread too), and the papers it listed when it was posted in full (else unknown, and the update
 * lists the whole selection again).
 */
function updateFrom(seen: readonly Delivery[], threadTs: string | undefined): NonNullable<Due["update"]> {
  const ts = threadTs ?? seen.findLast((d) => d.ts !== undefined)?.ts;
  const last = seen.at(-1);
  const papers = last?.outcome === "sent" ? last.papers : undefined;
  return { ...(ts === undefined ? {} : { threadTs: ts }), ...(papers === undefined ? {} : { papers }) };
}

/**
 * The idempotency key of one delivery: the day, the target, what is sent, and how many times the
 * target has received the day before. A retry (of the same selection, after a failed attempt)
 * carries on under the id that attempt recorded; an update is a new delivery with a new key, and
 * so is every `--again` (`resend`), even of a day whose attempts all failed: a receiver that
 * dropped a copy by its key takes the one asked for again. The one exception: a `--again` after an
 * attempt whose answer was lost (`Due.continues`) carries on under that attempt's id, so the lost
 * message is looked for rather than posted twice.
 */
function deliveryId(
  date: string,
  plan: { channel: string; target: string },
  selection: string,
  history: readonly Delivery[],
  due: Due,
  resend: boolean,
): string {
  const lastTry = history.at(-1);
  if (
    (!resend || due.continues === true) &&
    lastTry?.outcome === "failed" &&
    lastTry.delivery !== undefined &&
    lastTry.selection === selection &&
    (lastTry.update === true) === (due.update !== undefined)
  )
    return lastTry.delivery;
  const received = history.filter((d) => d.outcome === "sent").length;
  // Each `--again` adds an outcome to the history, so no two of them share the count.
  const count = resend ? `again after ${history.length}` : received;
  const parts = [plan.channel, plan.target, selection, due.update === undefined ? "digest" : "update", count];
  return `${date}-${createHash("sha256").update(parts.join("\n")).digest("hex").slice(0, 16)}`;
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

/** What a delivery says, then the plan's warning (a setting ignored): once per delivery. */
function sentences(...said: (string | undefined)[]): string | undefined {
  const given = said.filter((s) => s !== undefined);
  return given.length === 0 ? undefined : given.join("; ");
}

/** A sent delivery's warnings, recorded as its `error`. */
function warnedOf(warning: string | undefined): { error?: string } {
  return warning === undefined ? {} : { error: warning };
}

function isoAt(clock: Clock): string {
  return new Date(clock.now()).toISOString();
}
