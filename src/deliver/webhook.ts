/** The generic webhook: the day's digest as JSON, for whatever the user wires up behind it. */

import type { Config } from "../config/schema.js";
import type { Counts, DayRecord, StatusCode } from "../model/day-record.js";
import { readerNote } from "../model/notes.js";
import { type DaySite, dayPageLink, digestItems } from "./digest.js";
import { postJson, snippet } from "./http-post.js";
import { type RetryPolicy, withRetries } from "./retry.js";

export type WebhookConfig = Config["deliver"]["webhooks"][number];

/** What a webhook body is, for a receiver that takes more than one kind of message. */
export const WEBHOOK_KIND = "arxiv-digest.day";
/**
 * The body's format number: raised only when a field changes meaning or goes away, never for a
 * field added (a receiver ignores fields it does not know).
 */
export const WEBHOOK_VERSION = 1;

/** The JSON body every webhook receives (documented in docs/config.md; keep it stable). */
export interface WebhookPayload {
  kind: typeof WEBHOOK_KIND;
  version: typeof WEBHOOK_VERSION;
  date: string;
  status: { code: StatusCode; message: string };
  counts: Counts;
  papers: {
    id: string;
    /** As arXiv gives it: TeX source, math and all. */
    title: string;
    /** The title as plain Unicode text, for receivers that show text as it is. */
    plainTitle: string;
    authors: string[];
    url: string;
    relevance: number | null;
    novelty: number | null;
    score: number | null;
    /** The model's comment as it wrote it (TeX, like the title). */
    comment: string | null;
    /** The comment as plain Unicode text, as Slack and email show it. */
    plainComment: string | null;
    topic: string | null;
    authorMatch: string | null;
  }[];
  /** The day's page on the site, when known. */
  url: string | null;
  /** True when this day was posted before with another selection and this message replaces it. */
  update: boolean;
  /**
   * True when `deliver --again` sends the day to a receiver that had it already (the Slack
   * heading's and the email subject's "(sent again)"); a repeat of content, not a new selection.
   */
  again: boolean;
  /** For a backfilled day, the missed announcement window it covers and when it was made; else null. */
  remedial: { from: string; to: string; generatedOn: string } | null;
  /**
   * What the reader should know about the day's picks (the offline scorer, a budget that stopped
   * calls, skipped feed entries), worded as the site shows them; the operator's notes stay out.
   */
  notes: string[];
  /**
   * The same on every retry of one delivery (and in the `Idempotency-Key` header): a receiver that
   * gets it twice, after a timeout, already has this message.
   */
  deliveryId: string;
}

/** What marks a delivery that is not the day's first send: an update (a new selection) or a resend (`--again`). */
export interface WebhookFlags {
  update?: boolean;
  again?: boolean;
}

export function webhookPayload(
  day: DayRecord,
  site?: DaySite,
  flags: WebhookFlags = {},
): Omit<WebhookPayload, "deliveryId"> {
  return {
    kind: WEBHOOK_KIND,
    version: WEBHOOK_VERSION,
    date: day.date,
    update: flags.update === true,
    again: flags.again === true,
    status: day.status,
    counts: day.counts,
    papers: digestItems(day).map(({ paper, title, url, comment }) => ({
      id: paper.id,
      title: paper.title,
      plainTitle: title,
      authors: paper.authors.map((a) => a.name),
      url,
      relevance: paper.relevance,
      novelty: paper.novelty,
      score: paper.score,
      comment: paper.comment,
      plainComment: comment,
      topic: paper.topic,
      authorMatch: paper.authorMatch,
    })),
    url: dayPageLink(site),
    remedial:
      day.remedial === null
        ? null
        : { from: day.remedial.from, to: day.remedial.to, generatedOn: day.remedial.generatedOn },
    notes: day.notes.map(readerNote),
  };
}

export interface WebhookPostContext {
  fetchImpl: typeof fetch;
  retry: RetryPolicy;
  /** The delivery's idempotency key: the same for every retry of it. */
  deliveryId: string;
}

/** Where a webhook posts: its URL and headers as resolved (secrets included), and the name it is recorded under. */
export interface WebhookTarget {
  url: string;
  headers: Record<string, string>;
  target: string;
}

export async function postWebhook(
  hook: WebhookTarget,
  payload: Omit<WebhookPayload, "deliveryId">,
  ctx: WebhookPostContext,
): Promise<void> {
  const label = `the webhook ${hook.target}`;
  const body: WebhookPayload = { ...payload, deliveryId: ctx.deliveryId };
  await withRetries(async () => {
    const answer = await postJson(hook.url, body, {
      fetchImpl: ctx.fetchImpl,
      label,
      headers: { ...hook.headers, "idempotency-key": ctx.deliveryId },
      nowMs: ctx.retry.clock.now(),
    });
    if (answer.status < 200 || answer.status >= 300) {
      throw new Error(`${label} answered HTTP ${answer.status} ${snippet(answer.body)}`.trim());
    }
  }, ctx.retry);
}

export { webhookTarget } from "../config/delivery-secrets.js";
