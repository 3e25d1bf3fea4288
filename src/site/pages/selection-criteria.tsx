/**
 * "How these papers were picked", on a day's about page: the scope and the scoring as the day's
 * record holds them (the configuration may have changed since, so it is not read). The record keeps
 * the feeds' categories, who judged each paper, its topic, the followed author it matched, and why
 * each paper left out missed (which names the cut-off it missed); it does not keep the score's
 * weights, so the section says so instead of guessing them.
 */
import { plural } from "../../format/text.js";
import { type DayRecord, type PaperRecord, selectedPapers } from "../../model/day-record.js";
import { formatCount } from "../format.js";

/** The cut-offs papers of the day were rejected by, read from their reasons (src/selection/rank.ts). */
const CUTOFF = /below selection\.(minRelevance|minNovelty|minScore) (\d+(?:\.\d+)?)/;
const CAP = /below the top (\d+) \(selection\.maxPapers\)/;
/** The score a followed author's paper gets (src/selection/select.ts), as the reference digest gives it. */
const AUTHOR_SCORE = 20;
const CUTOFF_NAMES = { minRelevance: "relevance", minNovelty: "novelty", minScore: "score" } as const;

function cutoffs(papers: readonly PaperRecord[]): { limits: string[]; cap: string | null } {
  const found = new Map<string, string>();
  let cap: string | null = null;
  for (const p of papers) {
    const m = p.reason ? CUTOFF.exec(p.reason) : null;
    if (m) found.set(CUTOFF_NAMES[m[1] as keyof typeof CUTOFF_NAMES], m[2]!);
    cap ??= (p.reason ? CAP.exec(p.reason)?.[1] : undefined) ?? null;
  }
  const limits = (["relevance", "novelty", "score"] as const).flatMap((k) =>
    found.has(k) ? [`${k} at least ${found.get(k)}`] : [],
  );
  return { limits, cap };
}

const list = (items: readonly string[]) =>
  items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;

/**
 * What the section says of the whole record, not only of the papers a page keeps (build.ts drops
 * most rejected papers before rendering): who judged how many, the prefilter and triage's set-asides,
 * the cut-offs.
 */
export interface SelectionFacts {
  judged: { llm: number; lexical: number; import: number };
  prefiltered: number;
  triaged: number;
  limits: string[];
  cap: string | null;
}

export function selectionFacts(day: Pick<DayRecord, "papers">): SelectionFacts {
  const count = (keep: (p: PaperRecord) => boolean) => day.papers.filter(keep).length;
  return {
    judged: {
      llm: count((p) => p.scoredBy === "llm"),
      lexical: count((p) => p.scoredBy === "lexical"),
      import: count((p) => p.scoredBy === "import"),
    },
    prefiltered: count((p) => p.outcome === "prefiltered-out"),
    triaged: count((p) => p.outcome === "triaged-out"),
    ...cutoffs(day.papers),
  };
}

export function SelectionCriteria({ day, facts }: { day: DayRecord; facts: SelectionFacts }) {
  const picked = selectedPapers(day);
  const categories = [...new Set(day.sources.flatMap((s) => s.categories))];
  const { llm, lexical, import: imported } = facts.judged;
  const { limits, cap } = facts;
  const authors = picked.filter((p) => p.authorMatch !== null);
  const authorNames = [...new Set(authors.map((p) => p.authorMatch!))];
  const topics = new Map<string, number>();
  for (const p of picked) if (p.topic) topics.set(p.topic, (topics.get(p.topic) ?? 0) + 1);
  return (
    <section aria-labelledby="criteria-heading" class="criteria">
      <h2 id="criteria-heading">How these papers were picked</h2>
      <ul>
        <li>
          {categories.length > 0
            ? `Followed arXiv categories: ${categories.join(", ")}.`
            : "This day's record names no arXiv category."}
        </li>
        {facts.prefiltered > 0 && (
          <li>{`The free prefilter set ${plural(facts.prefiltered, "paper")} aside before any judge read them.`}</li>
        )}
        {facts.triaged > 0 && (
          <li>{`The LLM read the titles first and set ${plural(facts.triaged, "paper")} aside.`}</li>
        )}
        {llm > 0 && (
          <li>
            {`The LLM${day.usage.total.model ? ` (${day.usage.total.model})` : ""} judged ${plural(llm, "paper")}: `}a
            relevance to the topics and a novelty, each from 0 to 10
            {day.prompt ? "; the selection prompt below says what it was told." : "."}
          </li>
        )}
        {lexical > 0 && (
          <li>
            {`The offline scorer judged ${plural(lexical, "paper")} by the topics' words in their title and abstract. `}
            It gives a relevance only: their novelty shows as “–” and counts 0.
          </li>
        )}
        {imported > 0 && <li>{`${plural(imported, "paper")} kept the scores of the imported page.`}</li>}
        <li>
          Score adds relevance and novelty, each times a weight set in the configuration (this record does not keep the
          weights); picked papers come highest score first.
        </li>
        {(limits.length > 0 || cap) && (
          <li>
            {limits.length > 0 && `A paper was picked with ${list(limits)}`}
            {cap &&
              `${limits.length > 0 ? ", and" : "A paper was picked when"} among the ${formatCount(Number(cap))} best`}
            .
          </li>
        )}
        {authors.length > 0 && (
          <li>
            {`${plural(authors.length, "paper")} by a followed author (${list(authorNames)}) `}
            {authors.length === 1 ? "was" : "were"} picked whatever the topics
            {authors.every((p) => p.scoredBy === "author") && ", without a judge"}
            {authors.every((p) => p.score === AUTHOR_SCORE) ? `, with score ${AUTHOR_SCORE}` : ""}, and{" "}
            {authors.length === 1 ? "comes" : "come"} first.
          </li>
        )}
        {topics.size > 0 && (
          <li>
            Topics of the picked papers:{" "}
            {[...topics]
              .sort((x, y) => y[1] - x[1])
              .map(([topic, n]) => `${topic} (${formatCount(n)})`)
              .join(", ")}
            {day.prompt ? "; the selection prompt below describes each." : "."}
          </li>
        )}
      </ul>
    </section>
  );
}
