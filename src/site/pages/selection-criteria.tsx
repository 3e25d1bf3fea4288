/**
 * "How these papers were picked", on a day's about page: the scope and the scoring as the day's
 * record holds them (the configuration may have changed since, so it is not read). The record keeps
 * the feeds' categories, who judged each paper, its topic, the followed author it matched, why each
 * paper left out missed, and, on days judged since it was kept, the selection settings in force
 * (weights, cut-offs, cap, the prefilter's shares, the models). An older record lacks those: its
 * cut-offs are read back from the reasons of the papers that missed them, and what cannot be read
 * back is said to be not recorded rather than guessed.
 */
import { learningSentence, plural } from "../../format/text.js";
import { type DayRecord, type PaperRecord, type SelectionSettings, selectedPapers } from "../../model/day-record.js";
import { formatCount } from "../format.js";

/**
 * The cut-offs papers of the day were rejected by, read from their reasons (src/selection/rank.ts):
 * a record's reasons name the configuration key ("relevance 6 is below selection.minRelevance 7"),
 * or, since reasons are written for readers, only the number ("relevance 6, below the cut-off of 7").
 */
const CUTOFF = /below selection\.(minRelevance|minNovelty|minScore) (\d+(?:\.\d+)?)/;
const READER_CUTOFF = /^(relevance|novelty|score) -?\d+(?:\.\d+)?, below the cut-off of (-?\d+(?:\.\d+)?)/;
const CAP = /below the top (\d+) \(selection\.maxPapers\)|below the (\d+|one) papers? a day shows/;
/** The score a followed author's paper gets (src/selection/select.ts), as the reference digest gives it. */
const AUTHOR_SCORE = 20;
const CUTOFF_NAMES = { minRelevance: "relevance", minNovelty: "novelty", minScore: "score" } as const;

/** An older record's cut-offs, as far as the reasons of the papers that missed them tell. */
function cutoffsFromReasons(papers: readonly PaperRecord[]): { limits: string[]; cap: number | null } {
  const found = new Map<string, string>();
  let cap: string | null = null;
  for (const p of papers) {
    const m = p.reason ? CUTOFF.exec(p.reason) : null;
    if (m) found.set(CUTOFF_NAMES[m[1] as keyof typeof CUTOFF_NAMES], m[2]!);
    // A reason may follow another (a budget fallback's): the cut-off's is the last part.
    const r = p.reason ? READER_CUTOFF.exec(p.reason.split("; ").at(-1)!) : null;
    if (r) found.set(r[1]!, r[2]!);
    const c = p.reason ? CAP.exec(p.reason) : null;
    cap ??= c ? (c[1] ?? (c[2] === "one" ? "1" : c[2]!)) : null;
  }
  const limits = (["relevance", "novelty", "score"] as const).flatMap((k) =>
    found.has(k) ? [`${k} at least ${found.get(k)}`] : [],
  );
  return { limits, cap: cap === null ? null : Number(cap) };
}

/** The cut-offs a day's recorded settings set: only those that can leave a paper out. */
function cutoffsFromSettings(s: SelectionSettings): { limits: string[]; cap: number | null } {
  const limits = [
    ...(s.minRelevance > 0 ? [`relevance at least ${s.minRelevance}`] : []),
    ...(s.minNovelty > 0 ? [`novelty at least ${s.minNovelty}`] : []),
    ...(s.minScore !== 0 ? [`score at least ${s.minScore}`] : []),
  ];
  return { limits, cap: s.maxPapers > 0 ? s.maxPapers : null };
}

const list = (items: readonly string[]) =>
  items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
const percent = (share: number) => `${Math.round(share * 100)}%`;

/**
 * What the section says of the whole record, not only of the papers a page keeps (build.ts drops
 * most rejected papers before rendering): who judged how many, the prefilter and triage's set-asides,
 * whether the reader's history ranked the day, the cut-offs (from the recorded settings, or read
 * back from the reasons of an older record).
 */
export interface SelectionFacts {
  /**
   * Papers each judge scored: `llm` counts abstracts the LLM scored (not the titles its triage set
   * aside), `lexical` papers the offline scorer judged (not those the prefilter only ranked).
   */
  judged: { llm: number; lexical: number; import: number };
  /** Papers whose titles the LLM's triage read: the triage's set-asides and what it passed on. */
  titlesRead: number;
  prefiltered: number;
  triaged: number;
  /** Whether the reader's history took part in the free ranking (a paper's prefilter.history is 0 without it). */
  history: boolean;
  limits: string[];
  cap: number | null;
}

export function selectionFacts(day: Pick<DayRecord, "papers" | "selectionSettings">): SelectionFacts {
  const count = (keep: (p: PaperRecord) => boolean) => day.papers.filter(keep).length;
  const triaged = count((p) => p.outcome === "triaged-out");
  const scored = (by: PaperRecord["scoredBy"]) => (p: PaperRecord) =>
    p.scoredBy === by && p.outcome !== "triaged-out" && p.outcome !== "prefiltered-out";
  const llm = count(scored("llm"));
  return {
    judged: { llm, lexical: count(scored("lexical")), import: count(scored("import")) },
    // Every paper the prefilter passed on (followed authors' need no judge), scored or not.
    titlesRead: count((p) => p.outcome !== "prefiltered-out" && p.authorMatch === null && p.scoredBy !== "author"),
    prefiltered: count((p) => p.outcome === "prefiltered-out"),
    triaged,
    history: day.papers.some((p) => (p.prefilter?.history ?? 0) !== 0),
    ...(day.selectionSettings ? cutoffsFromSettings(day.selectionSettings) : cutoffsFromReasons(day.papers)),
  };
}

/** The free prefilter's line: its shares when the record keeps them, else only what it set aside. */
function prefilterLine(settings: SelectionSettings | undefined, facts: SelectionFacts): string | null {
  const { prefiltered, history } = facts;
  const kept = prefiltered === 1 ? "keeps only its free topic score" : "keep only their free topic scores";
  const aside =
    prefiltered === 0
      ? "no paper was left out"
      : prefiltered === 1
        ? `the other paper was not sent to any judge and ${kept}`
        : `the other ${formatCount(prefiltered)} papers were not sent to any judge and ${kept}`;
  if (settings?.prefilter.enabled) {
    const { keepShare, scoreShare, floor } = settings.prefilter;
    // Records made before one-round scoring kept scoreShare with the triage off too: their prefilter
    // then applied the ration of abstracts itself (docs/schema.md).
    const sent = settings.triage.enabled || scoreShare === undefined ? keepShare : Math.min(keepShare, scoreShare);
    const by = history ? "the topics' words and the reader's history" : "the topics' words";
    return `The free prefilter ranked the papers by ${by}, and passed the top ${percent(sent)} on to the LLM, with any paper whose topic score reached ${floor}; ${aside}.`;
  }
  if (prefiltered > 0) {
    return `The free prefilter ranked the papers and did not send ${plural(prefiltered, "paper")} to any judge: ${prefiltered === 1 ? "it" : "they"} ${kept}.`;
  }
  if (settings && facts.judged.llm + facts.triaged > 0)
    return "The free prefilter was off: no paper was set aside before the LLM.";
  return null;
}

/** The title triage's line: its model and the ration of abstracts when the record keeps them. */
function triageLine(settings: SelectionSettings | undefined, facts: SelectionFacts): string | null {
  const { triaged, titlesRead } = facts;
  const read = `read the titles of ${plural(titlesRead, "paper")} and set ${formatCount(triaged)} of them aside on their titles alone`;
  if (settings?.triage.enabled) {
    const model = settings.triage.model ? ` (${settings.triage.model})` : "";
    const ration = settings.prefilter.scoreShare;
    const rationed =
      ration === undefined
        ? ""
        : `; at most ${percent(ration)} of the day had its abstract read, titles rated on topic first`;
    return `The LLM${model} ${read}${rationed}.`;
  }
  if (triaged > 0) return `The LLM ${read}.`;
  if (settings && facts.judged.llm + facts.triaged > 0)
    return "The title triage was off: the LLM read the opening of the abstract of every paper it was sent.";
  return null;
}

/** How many were picked: the recorded cut-offs and cap, or what the reasons tell of an older day's. */
function cutoffLine(facts: SelectionFacts, recorded: boolean, judged: number): string | null {
  const { limits, cap } = facts;
  const best = cap === null ? null : cap === 1 ? "the best" : `among the ${formatCount(cap)} best`;
  if (limits.length > 0 && best) return `A paper was picked when it had ${list(limits)} and was ${best}.`;
  if (limits.length > 0)
    return `A paper was picked when it had ${list(limits)}${recorded ? "; there was no cap on how many" : ""}.`;
  if (best) return `A paper was picked when it was ${best}.`;
  if (recorded) return "There was no cut-off and no cap: every paper judged was picked.";
  return judged > 0 ? "The cut-offs were not recorded for this day." : null;
}

export function SelectionCriteria({ day, facts }: { day: DayRecord; facts: SelectionFacts }) {
  const picked = selectedPapers(day);
  const categories = [...new Set(day.sources.flatMap((s) => s.categories))];
  const { llm, lexical, import: imported } = facts.judged;
  const settings = day.selectionSettings;
  const model = settings ? settings.model : day.usage.total.model;
  const prefilter = prefilterLine(settings, facts);
  const triage = triageLine(settings, facts);
  // Offline, the scorer ranked the day with the reader's history when there was one (select.ts).
  const offlineHistory = facts.history && llm === 0 && facts.triaged === 0;
  const weightsText = settings
    ? `The score is ${settings.weights.relevance} × relevance + ${settings.weights.novelty} × novelty`
    : "The score adds relevance and novelty, each times a weight set in the configuration (the weights were not recorded for this day)";
  const cutoffs = cutoffLine(facts, settings !== undefined, llm + lexical + imported);
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
        {prefilter && <li>{prefilter}</li>}
        {triage && <li>{triage}</li>}
        {llm > 0 && (
          <li>
            {`The LLM${model ? ` (${model})` : ""} scored the abstracts of ${plural(llm, "paper")}: `}a relevance to the
            topics and a novelty, each from 1 to 10
            {day.prompt ? "; the selection prompt below says what it was told." : "."}
          </li>
        )}
        {lexical > 0 && (
          <li>
            {offlineHistory
              ? `The offline scorer ranked ${plural(lexical, "paper")} by the topics' words in their title and abstract and by the reader's history. ${
                  // The rule after the comma came with the recorded settings: an older day's record cannot say it held.
                  settings
                    ? "A paper's relevance, from 1 to 10, says how high it ranked, but history alone never lifts a paper to the cut-off. "
                    : "A paper's relevance, from 1 to 10, says how high it ranked. "
                }`
              : `The offline scorer judged ${plural(lexical, "paper")} by the topics' words in their title and abstract. `}
            Offline there is no novelty score: it shows as “–” and counts 0.
          </li>
        )}
        {imported > 0 && <li>{`${plural(imported, "paper")} kept the scores of the imported page.`}</li>}
        <li>{`${weightsText}; picked papers come highest score first.`}</li>
        {cutoffs && <li>{cutoffs}</li>}
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
        {settings?.learning && <li>{learningSentence(settings.learning)}</li>}
      </ul>
      {settings && <SettingsTable settings={settings} />}
    </section>
  );
}

const onOff = (on: boolean) => (on ? "on" : "off");

/**
 * The day's recorded settings with the configuration key of each: the one place the keys are named,
 * for whoever runs the digest (the reasons on the cards say the numbers in a reader's words).
 */
function SettingsTable({ settings: s }: { settings: SelectionSettings }) {
  const p = s.prefilter;
  const rows: (readonly [string, string, string])[] = [
    ["Relevance cut-off", "selection.minRelevance", String(s.minRelevance)],
    ["Novelty cut-off", "selection.minNovelty", String(s.minNovelty)],
    ["Score cut-off", "selection.minScore", String(s.minScore)],
    ["Papers a day shows", "selection.maxPapers", s.maxPapers > 0 ? formatCount(s.maxPapers) : "0 (no cap)"],
    ["Weight of relevance", "selection.weights.relevance", String(s.weights.relevance)],
    ["Weight of novelty", "selection.weights.novelty", String(s.weights.novelty)],
    ["Free prefilter", "selection.prefilter.enabled", onOff(p.enabled)],
    ["Share of the day sent to the LLM", "selection.prefilter.keepShare", percent(p.keepShare)],
    ...(p.scoreShare === undefined
      ? []
      : [
          [
            "Share of the day whose abstracts are read",
            "selection.prefilter.scoreShare",
            percent(p.scoreShare),
          ] as const,
        ]),
    ["Topic score that always goes on", "selection.prefilter.floor", String(p.floor)],
    ...(p.historyWeight === undefined
      ? []
      : [["Weight of the reader's history", "selection.prefilter.historyWeight", String(p.historyWeight)] as const]),
    ...(p.historyDays === undefined
      ? []
      : [["Days of history learnt from", "selection.prefilter.historyDays", formatCount(p.historyDays)] as const]),
    ...(s.prefilterMinRelevance === undefined
      ? []
      : [
          [
            "Offline relevance a paper needs to be sent to the LLM",
            "selection.prefilterMinRelevance",
            s.prefilterMinRelevance > 0 ? String(s.prefilterMinRelevance) : "0 (off)",
          ] as const,
        ]),
    ["Title triage", "llm.triage.enabled", onOff(s.triage.enabled)],
    ...(s.triage.model ? [["Title triage model", "llm.triage.model", s.triage.model] as const] : []),
    ["Scoring model", "llm.model", s.model ?? "none (the offline scorer judged)"],
  ];
  return (
    // Wide on a phone: the table scrolls inside its own region, the page does not.
    <section class="table-scroll" aria-label="The day's settings" tabindex={0}>
      <table class="settings">
        <caption>The day's settings, as the run applied them, and their configuration keys</caption>
        <thead>
          <tr>
            <th scope="col">Setting</th>
            <th scope="col">Configuration key</th>
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([name, key, value]) => (
            <tr key={key}>
              <th scope="row">{name}</th>
              <td>
                <code>{key}</code>
              </td>
              <td>{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
