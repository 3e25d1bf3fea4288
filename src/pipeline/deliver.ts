/**
 * Delivery as the pipeline runs it: send a day to the channels that have not received it (and
 * an update to those that received another selection of it), writing the record after each
 * channel so a crash never re-posts one that succeeded, and retry the failures of the last few
 * days on the next run.
 */

import { ArchiveError, type ArchiveStore } from "../archive/store.js";
import { CONFIG_DOCS } from "../config/parse.js";
import type { Config } from "../config/schema.js";
import { commandLine } from "../format/command.js";
import { plural, topicTitles } from "../format/text.js";
import type { DayRecord, Delivery } from "../model/day-record.js";
import { missedDay } from "../model/status.js";
import { dayPath } from "../site/urls.js";
import type { PipelineContext } from "./context.js";
import { checkSentSecrets, deliveryCredentials } from "./sent-secrets.js";

export interface DeliverOptions {
  /** Send to every configured channel, also those the record shows as sent. */
  resend?: boolean;
  /** Only channels whose last attempt at this day failed (never one that did not have it). */
  failedOnly?: boolean;
}

/** Sends the day where it is due; returns the record with every new outcome appended (and written). */
export async function deliverPending(
  ctx: PipelineContext,
  store: ArchiveStore,
  record: DayRecord,
  opts: DeliverOptions = {},
): Promise<DayRecord> {
  const cfg = ctx.workspace.config;
  // A credential left as a placeholder is refused before any channel is asked (exit 2).
  checkSentSecrets(ctx.workspace, deliveryCredentials(ctx.workspace));
  let current = record;
  // The channels' code is loaded when a day is sent, not by every run that might send one.
  const { deliverDay } = await import("../deliver/index.js");
  // A day the run missed (failed or stale, no paper) has no page on the site: its messages link
  // none, but still belong to the site (the email's List-Id names it on every day).
  const site = { url: cfg.site.baseUrl, page: missedDay(record) ? null : dayUrl(cfg.site.baseUrl, record.date) };
  await deliverDay(record, cfg.deliver, {
    env: ctx.workspace.env,
    site,
    topics: topicTitles(cfg.topics),
    clock: ctx.clock,
    resend: opts.resend === true,
    failedOnly: opts.failedOnly === true,
    fetchImpl: ctx.fetchImpl,
    onDelivered: async (d) => {
      current = { ...current, deliveries: [...current.deliveries, d] };
      await store.writeDay(current);
      const what = `${d.update === true ? "the update of " : ""}${record.date}`;
      if (d.outcome === "sent") ctx.log.info(`Delivered ${what} by ${d.channel} to ${d.target}.`);
      if (d.outcome === "sent" && d.error !== undefined) ctx.log.warn(`${what} by ${d.channel}: ${d.error}`);
      else if (d.outcome === "failed")
        ctx.log.warn(`Delivery of ${what} by ${d.channel} to ${d.target} failed: ${d.error ?? "unknown error"}`);
    },
  });
  return current;
}

/**
 * The next run retries deliveries that failed on the previous few days: only those. A channel
 * added to the config since never had those days, and is not sent them (`deliver DATE` does that).
 */
export async function retryEarlierDeliveries(ctx: PipelineContext, store: ArchiveStore, date: string): Promise<void> {
  const days = (await store.listDays()).filter((d) => d < date).slice(-5);
  for (const d of days) {
    // A failed delivery is recorded as `"outcome": "failed"`: a day whose file lacks the string
    // "failed" has none, and is not read in full (every run looks here, most days have none).
    if (!(await store.fileMentions(d, '"failed"'))) continue;
    const rec = await store.readDay(d).catch((err: unknown) => {
      // A damaged earlier day must not undo today's run; the run's own check names it too.
      if (!(err instanceof ArchiveError)) throw err;
      ctx.log.warn(`Skipped a damaged archive file: ${err.message}`);
      return null;
    });
    if (rec?.deliveries.some((x) => x.outcome === "failed"))
      await deliverPending(ctx, store, rec, { failedOnly: true });
  }
}

/** The public URL of a day's page on the site. */
export function dayUrl(baseUrl: string, date: string): string {
  return new URL(dayPath(date), baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`).toString();
}

/**
 * What `deliver DATE` did, in one line: how many targets were sent to, which of them with a warning
 * (Slack could not rule out a duplicate, say) and which failed (the log has each one's reason), or
 * why nothing was sent: no channel at all, or each already has the day.
 */
export function deliverySummary(
  date: string,
  fresh: readonly Delivery[],
  deliver: Config["deliver"],
  workspace?: string,
): string {
  if (fresh.length > 0) {
    const failed = fresh.filter((d) => d.outcome === "failed");
    const name = (d: Delivery) => `${d.channel} (${d.target})`;
    const warned = fresh.filter((d) => d.outcome === "sent" && d.error !== undefined);
    return `${date}: sent to ${fresh.length - failed.length} of ${plural(fresh.length, "target")}${warned.length === 0 ? "" : `; with a warning: ${warned.map(name).join(", ")}`}${failed.length === 0 ? "" : `; failed: ${failed.map(name).join(", ")}`}.`;
  }
  const channels = [
    ...(deliver.slack === undefined ? [] : ["slack"]),
    ...(deliver.email === undefined ? [] : ["email"]),
    ...(deliver.webhooks.length === 0 ? [] : [plural(deliver.webhooks.length, "webhook")]),
  ];
  return channels.length === 0
    ? `Nothing to deliver for ${date}: no channel is configured (deliver.slack, deliver.email or deliver.webhooks in arxiv-digest.yaml; see ${CONFIG_DOCS}).`
    : `Nothing to deliver for ${date}: every configured channel (${channels.join(", ")}) already has it as it is; ${commandLine(`deliver ${date} --again`, workspace)} sends it again.`;
}
