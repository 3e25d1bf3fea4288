/**
 * Labelled days: a full announcement day (every paper listed, not only the picked ones) with the
 * papers a reference reader picked. They are what selection economy is measured on: how much of a
 * day reaches the paid stage, and whether the picks are among it. The files are JSON written by
 * another tool, so they are validated here, at the boundary, and only typed values go further.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as z from "zod";
import { requireFolder } from "../io/paths.js";
import type { Candidate } from "../model/candidate.js";
import { calendarDay } from "../model/dates.js";
import { UserError } from "../model/errors.js";

export const LabelledPaperSchema = z.object({
  id: z.string().min(1),
  title: z.string(),
  authors: z.array(z.string()),
  /** Primary category first. */
  categories: z.array(z.string()),
  abstract: z.string(),
});
export type LabelledPaper = z.infer<typeof LabelledPaperSchema>;

/** A pick by the reference's LLM, on its 1–10 scales. */
export const ScoredLabelSchema = z.object({
  relevance: z.number().min(0).max(10),
  novelty: z.number().min(0).max(10),
});
/** A pick because a followed author wrote the paper; no score. */
export const AuthorLabelSchema = z.object({ authorMatch: z.literal(true) });
export const LabelSchema = z.union([ScoredLabelSchema, AuthorLabelSchema]);
export type Label = z.infer<typeof LabelSchema>;

export const LabelledDaySchema = z
  .object({
    date: z.string().refine((d) => calendarDay(d) !== null, "expected a calendar date, YYYY-MM-DD"),
    categories: z.array(z.string()),
    papers: z.array(LabelledPaperSchema),
    labels: z.record(z.string(), LabelSchema),
  })
  .superRefine((day, ctx) => {
    // A label for a paper that is not in the day could never be recalled and would silently
    // lower every recall figure, so it is an error in the data, not a miss.
    const ids = new Set(day.papers.map((paper) => paper.id));
    for (const id of Object.keys(day.labels)) {
      if (!ids.has(id))
        ctx.addIssue({ code: "custom", path: ["labels", id], message: `label for ${id}, not a paper of the day` });
    }
    if (ids.size !== day.papers.length)
      ctx.addIssue({ code: "custom", path: ["papers"], message: "duplicate paper ids" });
  });
export type LabelledDay = z.infer<typeof LabelledDaySchema>;

export function isAuthorLabel(label: Label): label is z.infer<typeof AuthorLabelSchema> {
  return "authorMatch" in label;
}

/** Parses one day; the error names the file and the failing path. */
export function parseLabelledDay(value: unknown, source: string): LabelledDay {
  const parsed = LabelledDaySchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LabelledDaysError(
      `${source}: ${issue ? `${issue.path.join(".") || "(root)"}: ${issue.message}` : "invalid labelled day"}`,
    );
  }
  return parsed.data;
}

/** A labelled-days folder or file that cannot be used as given. */
export class LabelledDaysError extends UserError {
  override name = "LabelledDaysError";
}

/** Every `*.json` in `dir`, in date order (history is built from the days before each one). */
export function loadLabelledDays(dir: string): LabelledDay[] {
  requireFolder(
    dir,
    `The labelled days folder ${dir}`,
    "give a folder of labelled days (*.json, as in bench/data/labelled-days)",
  );
  const names = readdirSync(dir).filter((name) => name.endsWith(".json"));
  if (names.length === 0) throw new LabelledDaysError(`${dir} holds no labelled day (*.json).`);
  const days = names.sort().map((name) => {
    const path = join(dir, name);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, "utf8"));
    } catch (err) {
      throw new LabelledDaysError(`${path} is not valid JSON: ${(err as Error).message}`);
    }
    return parseLabelledDay(json, path);
  });
  return days.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/**
 * A labelled paper as the pipeline's Candidate. The listing pages give neither version nor
 * announce type; "new" is the common case and nothing in scoring reads either.
 */
export function toCandidate(paper: LabelledPaper): Candidate {
  return {
    id: paper.id,
    version: null,
    title: paper.title,
    abstract: paper.abstract,
    authors: paper.authors.map((name) => ({ name, affiliations: [] })),
    categories: paper.categories,
    announceType: "new",
  };
}
