import { resolve } from "node:path";
import type { Command } from "commander";
import type { GlobalOptions } from "./common.js";
import { EXIT } from "./exit.js";

/** Fewer labels than this on a day make precision@k (k = the day's labels) say little: the report says so. */
const FEW_LABELS = 5;

export function registerEval(program: Command, exit: (code: number) => void): void {
  program
    .command("eval")
    .description(
      "replay selection over labelled days: share sent to the LLM, recall at each stage, precision@k, disliked papers still selected, tokens and cost per day, and what the evaluation itself spent",
    )
    .option(
      "--labels <dir>",
      "a folder of labelled days (default: the archive, labelled by your likes and saves, or by a day's own picks less those you disliked where you gave none, an imported day's by the imported tool's once `backfill --imported` has completed it; a disliked paper is never a label; the report names each day's source)",
    )
    .option("--last <n>", "only the last N days")
    .option(
      "--warm",
      "let each day learn from the days before it, as the daily run does (over the archive: the history and the taste shown to the model, from the earlier picks and the feedback given before the day; feedback given after a day, a library imported since included, never counts for it); each day's line says what it learnt from",
    )
    .option(
      "--max-usd <n>",
      "the most this evaluation may pay over all its days, in US dollars as a plain decimal (default 0.05; llm.budgetUsd caps each replayed day as it caps a run, never the total): before its first paid call eval counts the LLM requests the response cache cannot answer, says in one line about what they cost (each answer at its cap; retries are not foreseen), and exits 2 without sending any when that is more; while it replays, every attempt, retries included, is held against the limit at its worst case, so no more is billed; 0 pays nothing: only an evaluation the cache answers whole goes on; a model without a price at a local endpoint (localhost, 127.0.0.1) counts as free",
    )
    .option("--json", "print the report as JSON")
    .action(async (o: EvalCliOptions, cmd: Command) => {
      const { evaluate, LABEL_SOURCE_TEXT, learnedFromText, pct } = await import("../pipeline/eval.js");
      const { formatUsd, plural } = await import("../format/text.js");
      const { spendText } = await import("../pipeline/record.js");
      const { parseWholeNumber, pipelineContext, writeOut } = await import("./common.js");
      const g = cmd.optsWithGlobals<GlobalOptions>();
      // Labelled days bring their own papers; the archive's labels need the user's workspace.
      const ctx = pipelineContext({ ...g, quiet: g.quiet || o.json }, o.labels === undefined);
      const report = await evaluate(ctx, {
        ...(o.labels ? { labelsDir: resolve(o.labels) } : {}),
        ...(o.last ? { lastDays: parseWholeNumber(o.last, "--last", 1) } : {}),
        warm: o.warm === true,
        ...(await maxUsdOf(o)),
      });
      if (o.json) {
        process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      } else {
        const t = report.overall;
        const per = (n: number | null) => (n === null ? "–" : n.toFixed(1));
        // The stages by what ran: offline no model read a title or scored an abstract, the free
        // prefilter kept the papers and the offline scorer scored them.
        const llm = report.judge === "llm";
        const stage = llm
          ? { sent: "sent to the LLM", read: "read by the LLM", readShort: "read", scored: "abstract scored" }
          : { sent: "kept by the prefilter", read: "past the prefilter", readShort: "kept", scored: "scored offline" };
        // Precision@k with k = a day's labels: a day of a few likes puts k at 2 or 3, where the
        // followed authors' papers (ranked first) fill the top places, so it says little.
        const fewLabels = (n: number) => n < FEW_LABELS;
        const fewDays = report.days.filter((d) => fewLabels(d.labels)).length;
        const warm = !o.warm
          ? ", replayed without history (no earlier pick, no feedback), where the daily run learns from the days before; `--warm` replays as the run did"
          : o.labels
            ? ", each learning from the labels of the days before"
            : ", each as the daily run knew it that morning: earlier picks, and feedback given before the day";
        writeOut(
          `${plural(report.days.length, "day")}, judged by ${llm ? report.model : "the offline scorer"}${warm}.\n`,
        );
        // Each day with where its labels came from (a day labelled by the digest's own picks grades the
        // digest against itself), its recall at each stage named as in the pooled block below (titles
        // read by the LLM or kept by the prefilter, abstracts scored, the digest), and what a warm
        // replay learnt from. One line each, which a terminal wraps under the date.
        for (const d of report.days) {
          const disliked = d.dislikedSelected.total > 0 ? `, disliked papers selected ${pct(d.dislikedSelected)}` : "";
          const learnt =
            d.learnedFrom === null ? "" : `; learnt from ${learnedFromText(d.learnedFrom, o.labels !== undefined)}`;
          const few = fewLabels(d.labels) ? ` (k = ${d.labels}: too few to mean much)` : "";
          writeOut(
            `  ${d.date}  ${plural(d.labels, "label")} from ${LABEL_SOURCE_TEXT[d.labelSource]}${d.reconstructed ? " (listing reconstructed)" : ""}: recall ${stage.readShort} ${pct(d.recallPrefilter)} → scored ${pct(d.recallScored)} → digest ${pct(d.recallSelected)}, precision@k ${pct(d.precisionAtK)}${few}${disliked}${learnt}\n`,
          );
        }
        const row = (label: string, value: string) => writeOut(`  ${`${label}:`.padEnd(30)}${value}\n`);
        if (report.days.length > 1) writeOut(`All ${report.days.length} days pooled:\n`);
        row(stage.sent, pct(t.sent));
        row(`recall, ${stage.read}`, pct(t.recallPrefilter));
        row(`recall, ${stage.scored}`, pct(t.recallScored));
        row("recall of the digest", pct(t.recallSelected));
        row(
          "precision@k (k = labels)",
          `${pct(t.precisionAtK)}${fewDays * 2 > report.days.length ? `; k is under ${FEW_LABELS} on ${fewDays} of ${plural(report.days.length, "day")}, too few to mean much` : ""}`,
        );
        // Only the archive knows what the reader disliked; lower is better.
        if (o.labels === undefined) {
          row(
            "disliked papers selected",
            t.dislikedSelected.total > 0 ? pct(t.dislikedSelected) : "– (you disliked no paper of these days)",
          );
        }
        row("prompt tokens / scanned", per(t.promptTokensPerScanned));
        row("completion tokens / scanned", per(t.completionTokensPerScanned));
        row(
          "cost per day, paid in full",
          t.costPerDayUsd === null ? "– (offline or unpriced)" : formatUsd(t.costPerDayUsd),
        );
        // What each figure measures, once.
        writeOut("What they measure:\n");
        writeOut(
          llm
            ? "  sent to the LLM: the share of the scanned papers the free prefilter passed on to the LLM.\n"
            : "  kept by the prefilter: the share of the scanned papers the free prefilter kept for the offline scorer.\n",
        );
        writeOut(
          `  recall: the share of the labelled papers still in after each stage (${llm ? "read by the LLM, abstract scored: one stage unless the title triage is on" : "kept by the prefilter, scored offline"}, picked for the digest); a followed author's paper always is.\n`,
        );
        writeOut(
          "  precision@k: of each day's k best-ranked papers, with k that day's number of labels, the share that are labelled (followed authors rank first).\n",
        );
        if (o.labels === undefined)
          writeOut("  disliked papers selected: the share of the papers you disliked that the replay still picked.\n");
        writeOut("  tokens / scanned: tokens per paper scanned, every paper of the day counted.\n");
        const f = report.feedbackOnly;
        if (f) {
          writeOut(
            `Only the ${plural(report.labelSources.feedback, "day")} labelled by your likes and saves: recall ${stage.read} ${pct(f.recallPrefilter)}, ${stage.scored} ${pct(f.recallScored)}, of the digest ${pct(f.recallSelected)}; precision@k ${pct(f.precisionAtK)}\n`,
          );
        }
        // What this evaluation paid, as `run` says it: answers replayed from the response cache cost nothing again.
        writeOut(`This evaluation: ${spendText(report.spend)}.\n`);
        for (const n of report.notes) writeOut(`note: ${n}\n`);
      }
      exit(report.days.length === 0 ? EXIT.incomplete : EXIT.ok);
    });
}

interface EvalCliOptions {
  labels?: string;
  last?: string;
  warm?: boolean;
  maxUsd?: string;
  json?: boolean;
}

/** `--max-usd`: plain decimal US dollars, 0 or more (a leading `$` allowed); absent, the default limit. */
async function maxUsdOf(o: EvalCliOptions): Promise<{ maxUsd?: number }> {
  if (o.maxUsd === undefined) return {};
  const { UsageError } = await import("./common.js");
  const { shownValue } = await import("../format/shown.js");
  const { parseMaxUsd } = await import("../eval/spend-limit.js");
  const usd = parseMaxUsd(o.maxUsd);
  if (usd === null)
    throw new UsageError(
      `--max-usd expects an amount in US dollars written as a plain decimal, 0 or more (such as 0.25), got ${shownValue(o.maxUsd)}.`,
    );
  return { maxUsd: usd };
}
