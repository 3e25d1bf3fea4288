/**
 * What the rendered pages say: the digest's parts on a day page, the calendar of a month page, the
 * days of the archive index.
 */
import { readFileSync } from "node:fs";
import { h } from "preact";
import { describe, expect, it } from "vitest";
import { DayRecordSchema } from "../../src/model/day-record.js";
import { offlineScoringNote, readerNote } from "../../src/model/notes.js";
import { monthEntry, overviewDay } from "../../src/site/archive-outline.js";
import { nearMisses, summariseDay } from "../../src/site/day-summary.js";
import { ArchivePage, shortDay } from "../../src/site/pages/archive-page.js";
import { DayAboutPage, DayPage, NearMissesPage } from "../../src/site/pages/day-page.js";
import { MonthList } from "../../src/site/pages/month-list.js";
import { MonthPage } from "../../src/site/pages/month-page.js";
import { PaperCard } from "../../src/site/pages/paper-card.js";
import { renderDocument } from "../../src/site/render-document.js";
import { siteUrls } from "../../src/site/urls.js";
import { JUDGED_SETTINGS, makeDay, makePaper } from "../helpers/day-factory.js";
import { referenceDays } from "../helpers/reference.js";

const ctx = { urls: siteUrls({ basePath: "/papers/", baseUrl: "https://you.github.io/papers/" }), siteTitle: "Digest" };
const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");

describe("DayPage", () => {
  const day = makeDay({
    date: "2026-03-13",
    kind: "remedial",
    remedial: { from: "2026-03-12", to: "2026-03-12", generatedOn: "2026-03-21" },
    status: { code: "stale", message: "The feed still showed the announcement of 2026-03-12." },
    counts: { entries: 705, unique: null, scanned: 391, selected: 2, unscored: 0 },
    usage: {
      calls: [],
      stages: {
        triage: {
          model: "gpt-5-mini",
          calls: 3,
          promptTokens: 9000,
          cachedPromptTokens: 4000,
          completionTokens: 700,
          cost: null,
        },
      },
      total: {
        model: "gpt-5",
        calls: 4,
        promptTokens: 153004,
        cachedPromptTokens: 4000,
        completionTokens: 5639,
        cost: { prompt: 0.38, completion: 0.08, total: 0.47 },
      },
      costSource: "imported",
    },
    papers: [
      makePaper(),
      makePaper({
        id: "2603.13419",
        title: "Statistical and structural identifiability in representation learning",
        authors: [{ name: "Walter Nelson", affiliations: ["ETH Zürich, Switzerland"] }],
        authorMatch: "Walter Nelson",
        topic: "representation",
        score: 15,
      }),
    ],
    prompt: { system: "Pick papers <for me>.", user: "Papers:\n{papers}" },
  });
  const html = renderDocument(h(DayPage, { ctx, day, neighbours: { prev: "2026-03-12", next: null } }));
  const words = text(html);
  // The cost table, the counts and the prompt are on a page of their own, linked from the day's.
  const aboutHtml = renderDocument(h(DayAboutPage, { ctx, day }));
  const about = text(aboutHtml);

  it("carries the remedial banner, status sentence, cost table with cached tokens and unpriced stages", () => {
    expect(words).toContain("Remedial digest: papers missed from 2026-03-12, generated on 2026-03-21.");
    expect(words).toContain("The feed still showed the announcement of 2026-03-12.");
    expect(html).toContain(
      '<a href="/papers/2026/03/13/about.html">how these were picked, costs, counts and prompt</a>',
    );
    expect(about).toContain("Cached prompt tokens");
    expect(about).toMatch(/triage gpt-5-mini 3 9,000 4,000 700 9,700 unpriced/);
    expect(about).toMatch(/Total gpt-5 4 153,004 4,000 5,639 158,643 \$0\.47/);
    expect(about).toContain("cost as recorded by the imported page");
    expect(aboutHtml).toContain('<a href="/papers/2026/03/13/">Back to the papers of <time>2026-03-13</time></a>');
    expect(aboutHtml).toContain("<title>How these were picked, costs, counts and prompt: 2026-03-13 · Digest</title>");
  });

  it("names the prompt on the link, heading and title of the day's costs only when the day has one", () => {
    const offline = makeDay({ date: "2026-03-13", papers: [makePaper()], prompt: null });
    const dayHtml = renderDocument(h(DayPage, { ctx, day: offline, neighbours: { prev: null, next: null } }));
    const aboutHtml = renderDocument(h(DayAboutPage, { ctx, day: offline }));
    expect(dayHtml).toContain('<a href="/papers/2026/03/13/about.html">how these were picked, costs and counts</a>');
    expect(aboutHtml).toContain("<title>How these were picked, costs and counts: 2026-03-13 · Digest</title>");
    expect(aboutHtml).toContain(
      '<h1 class="day-title">How these were picked, costs and counts: <time>2026-03-13</time></h1>',
    );
    expect(`${dayHtml}${aboutHtml}`).not.toMatch(/and prompt|selection prompt/i);
  });

  it("counts a stage's reused verdicts beside its calls, and says under the table what reused means", () => {
    const reused = makeDay({ date: "2026-03-13", papers: [makePaper()] });
    const stage = (model: string, calls: number, verdicts: number) => ({
      model,
      calls,
      promptTokens: 1000,
      cachedPromptTokens: 0,
      completionTokens: 100,
      cost: { prompt: 0.001, completion: 0.001, total: 0.002 },
      reused: { verdicts, estimated: 0, promptTokens: 900, cachedPromptTokens: 0, completionTokens: 90, cost: 0.0015 },
    });
    reused.usage.stages = { triage: stage("gpt-5-mini", 0, 118), scoring: stage("gpt-5", 1, 1) };
    reused.usage.total = { ...stage("gpt-5", 1, 119), promptTokens: 2000, completionTokens: 200 };
    reused.usage.calls = [
      {
        stage: "scoring",
        model: "gpt-5",
        promptTokens: 100,
        cachedPromptTokens: 0,
        completionTokens: 10,
        replayed: false,
      },
    ];
    const page = text(renderDocument(h(DayAboutPage, { ctx, day: reused })));
    expect(page).toMatch(/triage gpt-5-mini 0 new · 118 titles reused 1,000 0 100 1,100/);
    expect(page).toMatch(/scoring gpt-5 1 new · 1 score reused 1,000/);
    expect(page).toMatch(/Total gpt-5 1 new · 119 verdicts reused 2,000/);
    // The Markdown page's line, word for word.
    expect(page).toContain(
      "Total tokens Cost triage gpt-5-mini 0 new · 118 titles reused 1,000 0 100 1,100 $0.0020 scoring gpt-5 1 new · 1 score reused 1,000 0 100 1,100 $0.0020 Total gpt-5 1 new · 119 verdicts reused 2,000 0 200 2,200 $0.0020 The cost is what the day's answers cost when paid for, whichever run paid: 1 paper kept its score and 118 titles their triage verdicts from an earlier answer, at no charge in the latest run, which paid for 1 new call.",
    );
    // A day that reused nothing shows its calls as a number, with no line.
    const plainPage = text(renderDocument(h(DayAboutPage, { ctx, day: makeDay({ date: "2026-03-13" }) })));
    expect(plainPage).not.toMatch(/reused|The cost is what/);
  });

  it("shows the operator's notes on the run under the costs, never on the day page", () => {
    const cacheNote = "4 LLM answers came from the response cache (no charge in this run); new calls made: 0.";
    const rerun = makeDay({ date: "2026-03-13", papers: [makePaper()], operatorNotes: [cacheNote] });
    const dayHtml = renderDocument(h(DayPage, { ctx, day: rerun, neighbours: { prev: null, next: null } }));
    const aboutHtml = renderDocument(h(DayAboutPage, { ctx, day: rerun }));
    expect(dayHtml).not.toContain("response cache");
    expect(text(aboutHtml)).toContain(`Notes on the run ${cacheNote}`);
    expect(aboutHtml.indexOf("Notes on the run")).toBeGreaterThan(aboutHtml.indexOf("Tokens and cost"));
    expect(renderDocument(h(DayAboutPage, { ctx, day: { ...rerun, operatorNotes: [] } }))).not.toContain(
      "Notes on the run",
    );
  });

  it("words the offline scorer's note for a reader and keeps every other note as written", () => {
    const notes = [
      // As records written before the note had a home in the model hold it.
      'llm.provider is "offline": papers were scored by the offline lexical scorer (novelty is not judged offline).',
      offlineScoringNote("no-key", "OPENAI_API_KEY"),
      "feedback.jsonl line 3: not JSON; the line was skipped.",
    ];
    const page = text(
      renderDocument(
        h(DayPage, { ctx, day: makeDay({ date: "2026-03-13", notes }), neighbours: { prev: null, next: null } }),
      ),
    );
    expect(page.match(/Scored offline by the free ranking: no language model was used\./g)).toHaveLength(2);
    expect(page).toContain("feedback.jsonl line 3: not JSON; the line was skipped.");
    expect(page).not.toMatch(/llm\.provider|OPENAI_API_KEY/);
    expect(readerNote(offlineScoringNote("configured", "OPENAI_API_KEY"))).toBe(readerNote(notes[0]!));
  });

  it("says how an offline day's papers were picked, from what its record holds", () => {
    const offline = makeDay({
      date: "2026-03-17",
      prompt: null,
      sources: [
        {
          url: "https://rss.arxiv.org/rss/cs.LG+cs.AI",
          categories: ["cs.LG", "cs.AI"],
          kind: "rss",
          entries: 3,
          fetchedAt: null,
          outcome: "ok",
        },
      ],
      usage: { stages: {}, total: { ...day.usage.total, model: null, calls: 0 }, calls: [], costSource: "computed" },
      papers: [
        makePaper({ id: "2603.00001", authorMatch: "Yann LeCun", scoredBy: "author", score: 20, topic: null }),
        makePaper({
          id: "2603.00002",
          scoredBy: "lexical",
          relevance: 9,
          novelty: null,
          score: 9,
          topic: "efficiency",
        }),
        makePaper({
          id: "2603.00003",
          outcome: "rejected",
          scoredBy: "lexical",
          relevance: 6,
          novelty: null,
          score: 6,
          reason: "relevance 6 is below selection.minRelevance 7",
        }),
      ],
    });
    const page = text(renderDocument(h(DayAboutPage, { ctx, day: offline })));
    expect(page).toContain("How these papers were picked");
    expect(page).toContain("Followed arXiv categories: cs.LG, cs.AI.");
    expect(page).toContain("The offline scorer judged 2 papers");
    expect(page).toContain("Offline there is no novelty score: it shows as “–” and counts 0.");
    expect(page).toContain("A paper was picked when it had relevance at least 7.");
    expect(page).toContain(
      "1 paper by a followed author (Yann LeCun) was picked whatever the topics, without a judge, with score 20",
    );
    expect(page).toContain("Topics of the picked papers: efficiency (1).");
    expect(page).toContain("Picked papers: ");
    expect(page).toContain("No LLM cost: no LLM was called for this day.");
    expect(page).not.toMatch(/LLM \(|selection prompt/);
  });

  it("states the weights, cut-offs, cap, shares and models a day's record keeps", () => {
    const judged = makeDay({
      date: "2026-03-18",
      selectionSettings: JUDGED_SETTINGS,
      papers: [
        makePaper(),
        makePaper({
          id: "2603.00002",
          outcome: "triaged-out",
          reason: "the title triage judged it outside every topic",
          relevance: null,
          novelty: null,
          score: null,
        }),
        makePaper({ id: "2603.00003", outcome: "prefiltered-out", scoredBy: "lexical", reason: "not sent to the LLM" }),
      ],
    });
    const page = text(renderDocument(h(DayAboutPage, { ctx, day: judged })));
    expect(page).toContain("The score is 2 × relevance + 0.5 × novelty; picked papers come highest score first.");
    expect(page).toContain(
      "A paper was picked when it had relevance at least 6 and score at least 12 and was among the 20 best.",
    );
    // No paper carries a history score: the reader had none that day, so the page does not claim it.
    expect(page).toContain(
      "The free prefilter ranked the papers by the topics' words, and passed the top 70% on to the LLM, with any paper whose topic score reached 1.9; the other paper was not sent to any judge and keeps only its free topic score.",
    );
    // The triage read titles only: the papers it set aside are not counted as judged.
    expect(page).toContain(
      "The LLM (gpt-5-nano) read the titles of 2 papers and set 1 of them aside on their titles alone; at most 27% of the day had its abstract read, titles rated on topic first.",
    );
    expect(page).toContain(
      "The LLM (gpt-5-mini) scored the abstracts of 1 paper: a relevance to the topics and a novelty, each from 1 to 10",
    );
    // The prefilter's set-asides got free scores only: they are not said to be judged offline.
    expect(page).not.toContain("offline scorer");
    expect(page).not.toContain("from 0 to 10");
    expect(page).not.toContain("not recorded for this day");
  });

  it("explains each record by the rule it was picked with: the share sent, and the ration only where it applied", () => {
    const about = (settings: typeof JUDGED_SETTINGS) =>
      text(renderDocument(h(DayAboutPage, { ctx, day: makeDay({ date: "2026-03-18", selectionSettings: settings }) })));
    const noTriage = { ...JUDGED_SETTINGS, triage: { enabled: false } };
    // Today's records: without the triage there is no ration, and the record keeps none.
    const oneRound = about({ ...noTriage, prefilter: { enabled: true, keepShare: 0.7, floor: 1.9 } });
    expect(oneRound).toContain("passed the top 70% on to the LLM");
    expect(oneRound).toContain(
      "The title triage was off: the LLM read the opening of the abstract of every paper it was sent.",
    );
    expect(oneRound).toContain("Share of the day sent to the LLM selection.prefilter.keepShare 70%");
    expect(oneRound).not.toContain("selection.prefilter.scoreShare");
    // A record made before one-round scoring kept scoreShare with the triage off: its prefilter sent the smaller share.
    const older = about({ ...noTriage, prefilter: { enabled: true, keepShare: 0.7, scoreShare: 0.27, floor: 1.9 } });
    expect(older).toContain("passed the top 27% on to the LLM");
    expect(older).toContain("Share of the day whose abstracts are read selection.prefilter.scoreShare 27%");
    // With the triage on, the titles of the top keepShare were read, and the ration is said.
    const triaged = about(JUDGED_SETTINGS);
    expect(triaged).toContain("passed the top 70% on to the LLM");
    expect(triaged).toContain("selection.prefilter.scoreShare 27%");
  });

  it("says in one sentence what the day learnt from the reader, and what waits for the next run", () => {
    const learning = {
      days: 4,
      picks: 160,
      likedOrSaved: 8,
      disliked: 5,
      leftForNextRun: 0,
      cutoff: "2026-03-18T05:10:42.000Z",
    };
    const about = (l: typeof learning | undefined) =>
      text(
        renderDocument(
          h(DayAboutPage, {
            ctx,
            day: makeDay({
              date: "2026-03-18",
              selectionSettings: { ...JUDGED_SETTINGS, ...(l ? { learning: l } : {}) },
            }),
          }),
        ),
      );
    expect(about(learning)).toContain(
      "Learned from 4 earlier days: 160 picks, 8 papers you liked or saved, 5 you disliked.",
    );
    expect(about(learning)).not.toContain("next run");
    expect(about({ ...learning, leftForNextRun: 3 })).toContain(
      "Learned from 4 earlier days: 160 picks, 8 papers you liked or saved, 5 you disliked. 3 feedback signals given after 2026-03-18 05:10 UTC count from the next run.",
    );
    expect(about({ ...learning, days: 0, picks: 0, likedOrSaved: 0, disliked: 0 })).toContain(
      "There was nothing to learn from yet: no earlier pick and no paper you liked, saved or disliked.",
    );
    expect(about({ ...learning, likedOrSaved: 0, disliked: 0 })).toContain(
      "Learned from 4 earlier days: 160 picks; no paper liked, saved or disliked yet.",
    );
    // A record made before the summary was kept says nothing of it.
    expect(about(undefined)).not.toMatch(/Learned from|nothing to learn/);
  });

  it("says what an offline relevance is on a day ranked with the reader's history", () => {
    const offline = makeDay({
      date: "2026-03-18",
      papers: [
        makePaper({
          scoredBy: "lexical",
          novelty: null,
          score: 8.4,
          relevance: 8.4,
          prefilter: { topics: 2, history: 0.4, percentile: 0.8 },
        }),
      ],
    });
    const page = (day: typeof offline) => text(renderDocument(h(DayAboutPage, { ctx, day })));
    const ranked =
      "The offline scorer ranked 1 paper by the topics' words in their title and abstract and by the reader's history. A paper's relevance, from 1 to 10, says how high it ranked";
    const rule = "history alone never lifts a paper to the cut-off";
    // A day recorded with its settings followed the rule that history alone picks nothing.
    expect(page({ ...offline, selectionSettings: JUDGED_SETTINGS })).toContain(`${ranked}, but ${rule}.`);
    // An older record cannot say which rule held: the page does not claim it.
    expect(page(offline)).toContain(`${ranked}.`);
    expect(page(offline)).not.toContain(rule);
  });

  it("names the reader's history in the prefilter's ranking only on a day that had one", () => {
    const withHistory = makeDay({
      date: "2026-03-18",
      selectionSettings: JUDGED_SETTINGS,
      papers: [
        makePaper({ prefilter: { topics: 2, history: 0.3, percentile: 0.9 } }),
        makePaper({
          id: "2603.00003",
          outcome: "prefiltered-out",
          scoredBy: "lexical",
          reason: "not sent to the LLM",
          prefilter: { topics: 0.1, history: -0.2, percentile: 0.1 },
        }),
      ],
    });
    const page = text(renderDocument(h(DayAboutPage, { ctx, day: withHistory })));
    expect(page).toContain("The free prefilter ranked the papers by the topics' words and the reader's history,");
  });

  it("says what a record kept without settings could not tell, and still reads its cut-offs from the reasons", () => {
    const old = DayRecordSchema.parse(
      JSON.parse(readFileSync(new URL("../fixtures/archive/2026-02-05.json", import.meta.url), "utf8")),
    );
    const page = text(renderDocument(h(DayAboutPage, { ctx, day: old })));
    expect(page).toContain("the weights were not recorded for this day");
    expect(page).toContain("A paper was picked when it had relevance at least 7.");
    expect(page).toContain(
      "The free prefilter ranked the papers and did not send 1 paper to any judge: it keeps only its free topic score.",
    );
    // Nothing in the reasons names a cut-off: the page says so instead of guessing one.
    const bare = text(renderDocument(h(DayAboutPage, { ctx, day: { ...old, papers: old.papers.slice(0, 1) } })));
    expect(bare).toContain("The cut-offs were not recorded for this day.");
  });

  it("reads the cut-offs and the cap back from reasons in a reader's words too", () => {
    const rejected = (id: string, reason: string) =>
      makePaper({ id, outcome: "rejected", scoredBy: "lexical", novelty: null, reason });
    const day = makeDay({
      date: "2026-03-18",
      papers: [
        makePaper({ id: "2603.00001", scoredBy: "lexical", novelty: null }),
        rejected("2603.00002", "relevance 6.2, below the cut-off of 7"),
        rejected("2603.00003", "budget spent; scored offline; score 5, below the cut-off of 6"),
        rejected("2603.00004", "passed the cut-offs, but ranked below the 40 papers a day shows"),
      ],
    });
    const page = text(renderDocument(h(DayAboutPage, { ctx, day })));
    expect(page).toContain(
      "A paper was picked when it had relevance at least 7 and score at least 6 and was among the 40 best.",
    );
    // Without recorded settings there is no table of them.
    expect(page).not.toContain("Configuration key");
  });

  it("names each setting's configuration key once, in a table of the day's settings", () => {
    const day = makeDay({ date: "2026-03-18", selectionSettings: JUDGED_SETTINGS });
    const page = text(renderDocument(h(DayAboutPage, { ctx, day })));
    expect(page).toContain("The day's settings, as the run applied them, and their configuration keys");
    expect(page).toContain(`Relevance cut-off selection.minRelevance ${JUDGED_SETTINGS.minRelevance}`);
    expect(page).toContain(`Papers a day shows selection.maxPapers ${JUDGED_SETTINGS.maxPapers}`);
    expect(page).toContain("Title triage llm.triage.enabled");
  });

  it("explains every count and says when one was not recorded", () => {
    expect(about).toContain("Total arXiv papers: 705 entries fetched over all category feeds");
    expect(about).toContain("Distinct papers: not recorded distinct papers among those entries");
  });

  it("links days by text and shows each paper's parts", () => {
    expect(html).toContain('<a rel="prev" href="/papers/2026/03/12/">Previous day 2026-03-12</a>');
    expect(html).toContain('<a href="/papers/2026/03/">Month overview 2026-03</a>');
    expect(words).toContain("No later day");
    expect(html).toContain('id="paper-2603.13419"');
    // The arXiv page through the title; the script adds the id, PDF and HTML links.
    expect(html).toContain('<h2><a href="https://arxiv.org/abs/2603.13419">');
    expect(words).toContain("Walter Nelson (ETH Zürich, Switzerland)");
    expect(words).toContain("Followed author: Walter Nelson");
    expect(words).toContain("Score 15 relevance 9 · novelty 8 cs.LG representation");
    // Citations are built on click from what the card shows, not stored in the page per card:
    // no attribute repeats the title, authors or date a card already shows.
    expect(html).toContain('data-day-url="https://you.github.io/papers/2026/03/13/" data-date="2026-03-13"');
    expect(html).not.toMatch(/data-(authors|category|title)=/);
    expect(html).not.toContain("@misc{");
  });

  it("keeps the prompt, escaped, on the page of the day's costs and counts", () => {
    expect(aboutHtml).toMatch(/<h2 id="prompt-heading">Selection prompt<\/h2>/);
    expect(aboutHtml).toContain("Pick papers &lt;for me>.");
    expect(html).not.toContain("Pick papers");
  });

  it("has a title, description and canonical address", () => {
    expect(html).toContain("<title>2026-03-13 · Digest</title>");
    expect(html).toContain(
      '<meta name="description" content="2 papers picked from the arXiv announcement of 2026-03-13. Synthesizable',
    );
    expect(html).toContain('<link rel="canonical" href="https://you.github.io/papers/2026/03/13/"/>');
  });
});

describe("PaperCard", () => {
  const card = (paper: Parameters<typeof makePaper>[0]) =>
    renderDocument(h(PaperCard, { paper: makePaper(paper), listed: true }));

  it("repeats the title in an attribute only when math or a TeX escape changed what the card shows", () => {
    expect(card({ title: "Plain & simple <title>" })).not.toContain("data-title");
    expect(card({ title: "Top-$k$ attention" })).toContain('data-title="Top-$k$ attention"');
    expect(card({ title: "Gains of 20\\%" })).toContain('data-title="Gains of 20\\%"');
  });

  it("renders the model's comment as TeX like the abstract, its links as text", () => {
    const html = card({
      comment: String.raw`Solves Schr\"odinger's $\hat{H}$ with \textbf{no} <b>tags</b>; see \href{https://e.org}{here}.`,
    });
    const comment = /<p class="comment">(.*?)<\/p>/.exec(html)![1]!;
    expect(comment).toMatch(
      /^Solves Schrödinger's <math.*<\/math> with <b>no<\/b> &lt;b&gt;tags&lt;\/b&gt;; see here\.$/,
    );
  });

  it("links the abstract page through the title, so a reader without scripts reaches the paper", () => {
    const links = (html: string) => [...html.matchAll(/<a href="([^"]+)">([^<]*)</g)].map((m) => `${m[2]} ${m[1]}`);
    // The PDF and HTML links are the script's (assets/app.js): in every card they would cost the page's weight budget.
    expect(links(card({ id: "2603.13419", title: "Plain" }))).toEqual(["Plain https://arxiv.org/abs/2603.13419"]);
    expect(links(card({ id: "hep-th/9901001", title: "Old" }))).toEqual(["Old https://arxiv.org/abs/hep-th/9901001"]);
    // An id we cannot vouch for gets no link at all.
    expect(card({ id: "2603.13419v2" })).not.toContain("arxiv.org");
  });

  it("writes each name the script cannot split on commas as an element of its own", () => {
    const html = card({
      authors: [
        { name: "Smith, Jr.", affiliations: [] },
        { name: "Ann Lee", affiliations: [] },
        { name: "Bo Chen", affiliations: ["MIT"] },
      ],
    });
    expect(html).toContain(
      '</h2><p><span>Smith, Jr.</span>, Ann Lee, <span title="MIT">Bo Chen<span class="affiliation"> (MIT)</span></span></p>',
    );
  });
});

describe("a day's near misses", () => {
  const picked = makePaper({ id: "2603.00001", title: "Picked" });
  const left = [1, 2, 3].map((i) =>
    makePaper({ id: `2603.0001${i}`, title: `Left out ${i}`, outcome: "rejected", score: 10 - i }),
  );
  const day = makeDay({ date: "2026-03-13", papers: [picked, ...left] });
  const dayHtml = renderDocument(h(DayPage, { ctx, day, neighbours: { prev: null, next: null } }));
  const nearHtml = renderDocument(h(NearMissesPage, { ctx, day }));

  it("are folded on the day page as a link to their own page, which the script fetches", () => {
    expect(dayHtml).toContain('<details class="near-misses">');
    expect(dayHtml).toContain('<a href="/papers/2026/03/13/near-misses.html">Read the near misses of 2026-03-13</a>');
    expect(dayHtml).not.toContain("Left out");
    expect(text(dayHtml)).toContain("the 3 best-scored papers that just missed the day’s cut");
  });

  it("are cards on their own page, best first, under the day's date and address", () => {
    expect(nearHtml.match(/<article class="paper near-miss"/g)).toHaveLength(3);
    // The heading says they missed the cut; the cards do not repeat it.
    expect(text(nearHtml)).not.toContain("below the cut");
    expect(text(nearHtml)).toMatch(/Left out 1 .* Left out 2 .* Left out 3/);
    expect(nearHtml).not.toContain("Picked");
    expect(nearHtml).toContain('data-day-url="https://you.github.io/papers/2026/03/13/" data-date="2026-03-13"');
    expect(nearHtml).toContain('<a href="/papers/2026/03/13/">Back to the papers of <time>2026-03-13</time></a>');
  });

  it("say why each missed, and list the best of the papers set aside before scoring", () => {
    const capped = makePaper({
      id: "2603.00021",
      title: "Capped",
      outcome: "rejected",
      relevance: 7,
      novelty: 6,
      score: 13,
      reason: "passed the cut-offs, but ranked below the 40 papers a day shows",
    });
    const aside = (i: number, outcome: "triaged-out" | "prefiltered-out", percentile: number, reason: string) =>
      makePaper({
        id: `2603.0003${i}`,
        title: `Aside ${i}`,
        outcome,
        scoredBy: outcome === "triaged-out" ? "llm" : "lexical",
        relevance: outcome === "triaged-out" ? null : 3,
        novelty: null,
        score: null,
        comment: null,
        reason,
        prefilter: { topics: 0.5, history: 0, percentile },
      });
    const outside = "the title triage judged it outside every topic";
    const papers = [
      picked,
      capped,
      aside(1, "triaged-out", 0.9, outside),
      aside(2, "triaged-out", 0.5, "the title triage rated it maybe, but the abstracts read today were rationed to 5"),
      ...[0.8, 0.7, 0.6].map((p, i) => aside(3 + i, "triaged-out", p, outside)),
      ...[0.2, 0.29, 0.1, 0.25].map((p, i) =>
        aside(6 + i, "prefiltered-out", p, `not sent to the LLM: rank ${9 - i} of 10: below the day's top 70%`),
      ),
    ];
    const staged = makeDay({ date: "2026-03-13", papers });
    const titles = nearMisses(staged).map((p) => p.title);
    // Scored first; then the triage's (the rationed one first, then by free rank); then the prefilter's best.
    expect(titles).toEqual(["Capped", "Aside 2", "Aside 1", "Aside 3", "Aside 7", "Aside 9", "Aside 6"]);
    const page = text(renderDocument(h(NearMissesPage, { ctx, day: staged })));
    expect(page).toContain(
      "The 1 best-scored paper that just missed the day’s cut, and the 6 papers set aside before scoring that the free prefilter ranked highest.",
    );
    expect(page).toContain(
      "Score 13 relevance 7 · novelty 6 cs.LG architecture Model architecture: a new routing scheme for experts. Missed: passed the cut-offs, but ranked below the 40 papers a day shows",
    );
    expect(page).toContain("set aside on its title Missed: the title triage judged it outside every topic");
    // Never judged: the free topic relevance, no score, and the prefilter's rank.
    expect(page).toContain(
      "free topic relevance 3 cs.LG architecture not sent to the LLM Missed: ranked 8 of 10 by the free prefilter, below the day's top 70%",
    );
    expect(page).not.toContain("Score –");
  });
});

describe("MonthPage", () => {
  const days = [...referenceDays()]
    .filter(([date]) => date.startsWith("2025-12"))
    .map(([date, papers]) => summariseDay(makeDay({ date, papers })));
  const html = renderDocument(
    h(MonthPage, { ctx, month: "2025-12", days, neighbours: { prev: "2025-11", next: "2026-01" } }),
  );

  it("lays out the calendar from Monday, with each day's selected count linked", () => {
    const firstWeek = /<tbody><tr>(.*?)<\/tr>/.exec(html)![1]!;
    // 1 December 2025 is a Monday.
    const dec1 = days.find((d) => d.date === "2025-12-01")!;
    // Its bar: its papers in tenths of the month's busiest day, rounded up.
    const busiest = Math.max(...days.map((d) => d.papers.length));
    const tenths = Math.ceil((dec1.papers.length / busiest) * 10);
    expect(firstWeek).toMatch(new RegExp(`^<td class="has-digest b${tenths}"><span class="date-number">1</span>`));
    expect(html).toMatch(/<td class="has-digest b10">/);
    expect(html).toContain(
      `<a href="/papers/2025/12/01/" aria-label="2025-12-01: ${dec1.papers.length} papers">${dec1.papers.length}</a>`,
    );
    const calendarBody = /<table class="calendar">.*?<tbody>(.*?)<\/tbody>/.exec(html)![1]!;
    expect(calendarBody.match(/<tr>/g)).toHaveLength(5);
  });

  it("ranks the month's top papers and counts papers per topic", () => {
    const all = days.flatMap((d) => d.papers);
    // Author matches carry a marker score (20 in imported history), not a judgement: not ranked.
    const best = Math.max(...all.filter((p) => p.authorMatch === null).map((p) => p.score ?? 0));
    const top = /<ol class="top-papers">(.*?)<\/ol>/.exec(html)![1]!;
    expect(top.match(/<li>/g)).toHaveLength(10);
    expect(text(top)).toContain(`score ${best}`);
    const topics = /<div class="topic-list">([\s\S]*?)<\/div>/.exec(html)![1]!;
    const total = [...topics.matchAll(/<span class="topic-count">(\d+)<\/span>/g)].reduce(
      (n, m) => n + Number(m[1]),
      0,
    );
    expect(total).toBe(all.length);
    for (const d of days) expect(html).toContain(`<a href="/papers/${d.date.replaceAll("-", "/")}/">${d.date}</a>`);
  });
});

describe("MonthPage of offline days", () => {
  // Three announcement days with a weekend between the second and the third, no cost (offline),
  // and a followed author's paper that has no topic.
  const days = ["2026-03-17", "2026-03-18", "2026-03-23"].map((date, i) =>
    summariseDay(
      makeDay({
        date,
        usage: {
          ...makeDay().usage,
          total: { ...makeDay().usage.total, cost: { prompt: 0, completion: 0, total: 0 } },
        },
        papers: [
          makePaper({ id: `2603.1000${i}`, topic: "architecture", score: 9.91 }),
          makePaper({ id: `2603.2000${i}`, topic: i === 0 ? null : "efficiency", score: 8 }),
        ],
      }),
    ),
  );
  const html = renderDocument(h(MonthPage, { ctx, month: "2026-03", days, neighbours: { prev: null, next: null } }));

  it("draws no chart beside the calendar, whose days carry a bar against the busiest day", () => {
    expect(html).not.toContain("<svg");
    const cells = [...html.matchAll(/<td class="has-digest b(\d+)"><span class="date-number">(\d+)<\/span>/g)];
    expect(cells.map((m) => [Number(m[2]), Number(m[1])])).toEqual([
      [17, 10],
      [18, 10],
      [23, 10],
    ]);
  });

  it("lists papers without a topic under their own heading, not as a topic named “none”", () => {
    const topics = text(/<div class="topic-list">([\s\S]*?)<\/div>/.exec(html)![1]!);
    expect(topics).not.toMatch(/\bnone\b/);
    expect(topics).toMatch(/Without a topic 1 /);
  });

  it("names a topic by the config's title, and by the record's id when the config no longer has it", () => {
    const titled = { ...ctx, topicTitles: new Map([["architecture", "Model architecture"]]) };
    const page = renderDocument(
      h(MonthPage, { ctx: titled, month: "2026-03", days, neighbours: { prev: null, next: null } }),
    );
    const topics = text(/<div class="topic-list">([\s\S]*?)<\/div>/.exec(page)![1]!);
    expect(topics).toMatch(/Model architecture 3 /);
    expect(topics).toMatch(/ efficiency 2 /);
    expect(topics).not.toMatch(/(?<!Model) architecture 3 /);
    // Year and archive pages' month rows name the leading topics the same way.
    const rows = text(
      renderDocument(h(MonthList, { ctx: titled, months: [monthEntry("2026-03", days)], caption: "Months" })),
    );
    expect(rows).toContain("Model architecture (3), efficiency (2)");
  });

  it("says of every day how many papers it picked of how many it scanned", () => {
    const list = text(/<ul class="day-list">([\s\S]*?)<\/ul>/.exec(html)![1]!);
    expect(list).toContain("2026-03-17 : 2 papers picked of 2 scanned,");
    expect(text(html)).toContain("6 papers picked over 3 announcement days");
    expect(html).toContain("<caption>Picked papers per day, March 2026</caption>");
  });

  it("shows every score with one decimal at most", () => {
    const top = text(/<ol class="top-papers">(.*?)<\/ol>/.exec(html)![1]!);
    expect(top).toContain("score 9.9, 2026-03-17");
    expect(top).toContain("score 8, 2026-03-17");
    expect(top).not.toContain("9.91");
  });

  it("says that a followed author's paper is not among the top papers, and where it is", () => {
    const withFollowed = [
      summariseDay(
        makeDay({
          date: "2026-03-24",
          papers: [
            makePaper({ id: "2603.30001", topic: "architecture", score: 9 }),
            makePaper({ id: "2603.30002", topic: null, score: 20, authorMatch: "Ada Lovelace" }),
          ],
        }),
      ),
    ];
    const page = renderDocument(
      h(MonthPage, { ctx, month: "2026-03", days: withFollowed, neighbours: { prev: null, next: null } }),
    );
    expect(text(/<ol class="top-papers">(.*?)<\/ol>/.exec(page)![1]!)).not.toContain("score 20");
    expect(text(page)).toContain(
      "Not ranked here: 1 paper by followed authors, listed under “Papers per topic” below.",
    );
    expect(text(html)).not.toContain("Not ranked here");
  });
});

describe("ArchivePage", () => {
  const records = [
    makeDay({ date: "2026-02-27", papers: [makePaper({ id: "2602.10001" })] }),
    makeDay({ date: "2026-03-02", papers: [makePaper({ id: "2603.10001" }), makePaper({ id: "2603.10002" })] }),
    makeDay({ date: "2026-03-03", status: { code: "failed", message: "The feed could not be read." }, papers: [] }),
  ];
  const overviews = records.map(overviewDay);
  const months = ["2026-02", "2026-03"].map((m) =>
    monthEntry(
      m,
      overviews.filter((d) => d.date.startsWith(m)),
    ),
  );
  const days = overviews.map((d) => ({ date: d.date, digest: d.papers.length > 0, papers: d.papers.length }));
  const html = renderDocument(h(ArchivePage, { ctx, years: [{ year: "2026", months }], days, topicFeeds: [] }));

  it("names a day by its weekday and date", () => {
    expect(shortDay("2026-03-02")).toBe("Mon 2");
    expect(shortDay("2026-02-27")).toBe("Fri 27");
  });

  it("lists every day under its month, newest month first, linked with its papers picked", () => {
    const march = html.indexOf('id="month-2026-03"');
    const february = html.indexOf('id="month-2026-02"');
    expect(march).toBeGreaterThan(-1);
    expect(february).toBeGreaterThan(march);
    expect(html).toContain('<li><a href="/papers/2026/03/02/">Mon 2</a> 2</li>');
    expect(html).toContain('<li class="no-digest"><a href="/papers/2026/03/03/">Tue 3</a> 0</li>');
    expect(html).toContain('<li><a href="/papers/2026/02/27/">Fri 27</a> 1</li>');
    expect(text(html)).toContain("March 2026 2 days, 2 picked");
  });
});
