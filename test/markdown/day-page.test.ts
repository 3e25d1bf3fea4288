import MarkdownIt from "markdown-it";
import { describe, expect, it } from "vitest";
import { calendarVerdict } from "../../src/arxiv/calendar.js";
import { holidayTable } from "../../src/arxiv/holidays.js";
import { renderDayMarkdown } from "../../src/markdown/day-page.js";
import { JUDGED_SETTINGS, makeDay, makePaper } from "../helpers/day-factory.js";

// The most permissive renderer: raw HTML passes through, so anything we failed to escape shows.
const md = new MarkdownIt({ html: true });

const HOSTILE_TITLE = '<script>alert("t")</script> **Big** [win](javascript:alert(1)) | # x';
const HOSTILE_COMMENT = '<img src=x onerror="alert(1)"> ![p](https://evil.example/p.png) </div>';

describe("renderDayMarkdown", () => {
  it("escapes markup and HTML from feeds and LLMs, and keeps TeX math readable", () => {
    const day = makeDay({
      papers: [
        makePaper({
          title: HOSTILE_TITLE,
          comment: HOSTILE_COMMENT,
          abstract: "Molecules ($\\geq 95\\%$).\n\n## Not a heading\n<iframe src=https://evil.example></iframe>",
          authors: [{ name: "A *Star* <b>Author</b>", affiliations: ["Lab | Table, [Link](https://evil.example)"] }],
          topic: "<u>topic</u>",
        }),
      ],
      prompt: { system: "<script>x</script>", user: "Use ``` fences\n```\nand {papers}" },
    });
    const page = renderDayMarkdown(day);
    const html = md.render(page);
    expect(html).not.toMatch(/<(script|img|iframe|b|u|div)\b/i);
    expect(html).not.toMatch(/href="(?!https:\/\/arxiv\.org\/|#user-content-)/);
    expect(html).not.toMatch(/<h2>Not a heading/);
    expect(page).toContain("Molecules ($\\geq 95\\%$).");
    expect(html.match(/<a id="[^"]+"><\/a>/g)).toHaveLength(1);
    // The prompt is shown exactly, in a fence longer than the backtick runs inside it.
    expect(page).toContain("````text\nUse ``` fences\n```\nand {papers}\n````");
    expect(html).toContain("&lt;script&gt;x&lt;/script&gt;");
  });

  it("writes a title's and abstract's TeX text markup as Markdown and keeps their math", () => {
    const day = makeDay({
      papers: [
        makePaper({
          title: "$D^3$-RSMDE: 40$\\times$ Faster \\textbf{Sampling} at \\url{https://e.org/t}",
          abstract:
            "We propose \\textbf{CAP-TTA}, a \\emph{test-time} method (2015--2024); code at " +
            "\\href{https://github.com/a/b}{\\texttt{github.com/a/b}}, not \\href{javascript:alert(1)}{here}.",
        }),
      ],
    });
    const page = renderDayMarkdown(day);
    expect(page).toContain("[$D^3$-RSMDE: 40$\\times$ Faster **Sampling** at https://e.org/t](https://arxiv.org/abs/");
    expect(page).toContain(
      "**Abstract:** We propose **CAP-TTA**, a *test-time* method (2015–2024); code at " +
        "[`github.com/a/b`](https://github.com/a/b), not here.",
    );
    const html = md.render(page);
    expect(html).toContain('<a href="https://github.com/a/b"><code>github.com/a/b</code></a>');
    expect(html).toContain("<strong>CAP-TTA</strong>, a <em>test-time</em>");
    expect(html).not.toContain("javascript:");
  });

  it("writes the model's comment as it writes an abstract, its links as text", () => {
    const day = makeDay({
      papers: [
        makePaper({
          comment: String.raw`Schr\"odinger's $\hat{H}$, \emph{na\"ive} *stars*; see \href{https://e.org}{here}.`,
        }),
      ],
    });
    expect(renderDayMarkdown(day)).toContain(
      String.raw`**Comment:** Schrödinger's $\hat{H}$, *naïve* \*stars\*; see here.`,
    );
  });

  it("never lets a `!` in a title, abstract or math span turn one of our links into an image", () => {
    const hostile = [
      "$![$",
      "Wow $x![$ y",
      "$$![a$$",
      "Factorial $n!$",
      "$![x$![]",
      "$[a]$ and $!$[b]",
      "Bang!",
      "!$[x$",
    ];
    for (const text of hostile) {
      const day = makeDay({
        papers: [
          makePaper({ title: text, abstract: text, comment: text }),
          makePaper({ id: "2602.00001", outcome: "unscored", title: text, reason: text }),
        ],
        notes: [text],
      });
      const html = md.render(renderDayMarkdown(day));
      expect(html, text).not.toMatch(/<img\b/i);
      expect(html, text).not.toMatch(/href="(?!https:\/\/arxiv\.org\/|#user-content-)/);
    }
    // Math without image syntax is still left for math-aware viewers.
    expect(renderDayMarkdown(makeDay({ papers: [makePaper({ title: "Factorial $n!$" })] }))).toContain("$n!$");
  });

  it("puts the parts in the reference pages' order", () => {
    const page = renderDayMarkdown(
      makeDay({
        kind: "remedial",
        remedial: { from: "2026-02-02", to: "2026-02-04", generatedOn: "2026-02-06" },
        papers: [makePaper(), makePaper({ id: "2602.00002", outcome: "unscored", reason: "model output unreadable" })],
      }),
    );
    const parts = [
      "# Daily arXiv digest: 2026-02-05",
      "> This is a remedial run for missed papers from 02/02/2026 to 02/04/2026.",
      "> Results generated on 02/06/2026.",
      "| Model: gpt-5 |",
      "- **Total arXiv papers:** 2",
      "## Contents",
      "## 1. [Synthesizable",
      "**ArXiv ID:** 2602.04119",
      "**Authors:** Hyeonah Kim, Yoshua Bengio",
      "**Abstract:** ",
      "**Comment:** Model architecture",
      "**Relevance:** 9 · **Novelty:** 8",
      "**Topic:** architecture",
      "## Papers that could not be scored",
      "## Paper selection prompt",
      "### System prompt",
      "### User prompt",
    ];
    let at = 0;
    for (const part of parts) {
      const found = page.indexOf(part, at);
      expect(found, `"${part}" after position ${at}`).toBeGreaterThanOrEqual(at);
      at = found + part.length;
    }
  });

  it("says after the counts what the day learnt from the reader, on records that keep it", () => {
    const learning = {
      days: 4,
      picks: 160,
      likedOrSaved: 8,
      disliked: 5,
      leftForNextRun: 2,
      cutoff: "2026-02-05T05:10:00.000Z",
    };
    const page = renderDayMarkdown(makeDay({ selectionSettings: { ...JUDGED_SETTINGS, learning } }));
    const sentence =
      "Learned from 4 earlier days: 160 picks, 8 papers you liked or saved, 5 you disliked. 2 feedback signals given after 2026-02-05 05:10 UTC count from the next run.";
    expect(page).toContain(`- **Picked papers:** 1 (papers shown in this digest)\n\n${sentence}\n\n## Contents`);
    expect(renderDayMarkdown(makeDay({ selectionSettings: JUDGED_SETTINGS }))).not.toContain("Learned from");
  });

  it("shows tokens with cached prompt tokens, and 'unpriced' when the model has no price", () => {
    const day = makeDay();
    day.usage.total = {
      model: "local-llama",
      calls: 3,
      promptTokens: 1200,
      cachedPromptTokens: 800,
      completionTokens: 300,
      cost: null,
    };
    const page = renderDayMarkdown(day);
    expect(page).toContain("| Model: local-llama | Prompt | of which cached | Completion | Total |");
    expect(page).toContain("| **Tokens** | 1200 | 800 | 300 | 1500 |");
    expect(page).toContain("| **Cost** | unpriced | – | unpriced | unpriced |");
    const html = md.render(page);
    expect(html).toContain('<td style="text-align:right">unpriced</td>');
  });

  it("prints small computed costs without rounding them to zero", () => {
    expect(renderDayMarkdown(makeDay())).toContain("| **Cost** | $0.0013 | – | $0.0020 | $0.0032 |");
  });

  it("keeps the operator's notes out and says under the cost table what the latest run reused", () => {
    const call = {
      stage: "scoring",
      model: "gpt-5-mini",
      promptTokens: 10,
      cachedPromptTokens: 0,
      completionTokens: 5,
    };
    const day = makeDay({
      notes: ["Scored offline."],
      operatorNotes: ["4 LLM answers came from the response cache (no charge in this run); new calls made: 0."],
    });
    day.usage.calls = [0, 1, 2, 3].map(() => ({ ...call, replayed: true }));
    const page = renderDayMarkdown(day);
    expect(page).not.toContain("response cache (no charge");
    expect(page).toMatch(/^> \*\*Note:\*\* Scored offline\.$/m);
    expect(page).toContain(
      "| **Cost** | $0.0013 | – | $0.0020 | $0.0032 |\n\n_The cost is what the day's 4 LLM answers cost when first paid for; the latest run reused all 4 from the response cache at no charge._",
    );
    day.usage.calls = [
      { ...call, replayed: true },
      { ...call, replayed: false },
      { ...call, replayed: false },
    ];
    expect(renderDayMarkdown(day)).toContain(
      "_The cost is what the day's 3 LLM answers cost; the latest run reused 1 of them from the response cache at no charge and paid for 2._",
    );
    day.usage.calls = [{ ...call, replayed: false }];
    expect(renderDayMarkdown(day)).not.toContain("The cost is what");
    // Verdicts taken from earlier answers title by title and paper by paper are said too.
    const reused = (verdicts: number, estimated: number) => ({
      ...day.usage.total,
      reused: { verdicts, estimated, promptTokens: 10, cachedPromptTokens: 0, completionTokens: 5, cost: 0.0001 },
    });
    day.usage.stages = { triage: reused(118, 2), scoring: reused(40, 0) };
    expect(renderDayMarkdown(day)).toContain(
      "_The cost is what the day's answers cost when paid for, whichever run paid: 40 papers kept their scores and 118 titles their triage verdicts from an earlier answer, at no charge in the latest run, which paid for 1 new call. 2 reused verdicts are counted at an estimate from the prompt's size._",
    );
    // Counts in the thousands are written as every other count is.
    day.usage.stages = { triage: reused(12_000, 1_500), scoring: reused(4_000, 0) };
    expect(renderDayMarkdown(day)).toContain(
      "4,000 papers kept their scores and 12,000 titles their triage verdicts from an earlier answer, at no charge in the latest run, which paid for 1 new call. 1,500 reused verdicts are counted",
    );
    day.usage.calls = [{ ...call, replayed: true }];
    day.usage.stages = { triage: reused(118, 0) };
    expect(renderDayMarkdown(day)).toContain(
      "_The cost is what the day's answers cost when paid for, whichever run paid: 118 titles kept their triage verdicts from an earlier answer and 1 LLM answer came from the response cache, at no charge in the latest run._",
    );
  });

  it("omits counts that are not known and explains those it shows", () => {
    const day = makeDay();
    day.counts = { entries: null, unique: 480, scanned: null, selected: 1, unscored: 0 };
    const page = renderDayMarkdown(day);
    expect(page).not.toContain("Total arXiv papers");
    expect(page).not.toContain("Total scanned papers");
    expect(page).not.toContain("Unscored papers");
    expect(page).toContain("- **Distinct papers:** 480 (distinct papers among those entries)");
    expect(page).toContain("- **Picked papers:** 1 (papers shown in this digest)");
  });

  it("lists unscored papers with their reasons, outside the digest", () => {
    const day = makeDay({
      papers: [
        makePaper(),
        makePaper({ id: "2602.00002", title: "Lost *paper*", outcome: "unscored", reason: "LLM timed out 3 times" }),
        makePaper({ id: "2602.00003", outcome: "rejected", title: "Rejected one" }),
      ],
    });
    day.counts.unscored = 1;
    const page = renderDayMarkdown(day);
    expect(page).toContain("- **Unscored papers:** 1 (");
    expect(page).toContain(
      "- [Lost \\*paper\\*](https://arxiv.org/abs/2602.00002) (2602.00002): LLM timed out 3 times",
    );
    expect(page).not.toContain("Rejected one");
    expect(page.match(/^## \d+\. /gm)).toHaveLength(1);
  });

  it("says why a day has no digest", () => {
    const page = renderDayMarkdown(
      makeDay({
        papers: [],
        status: { code: "stale", message: "The feed has not been updated for 2026-02-06 yet." },
        prompt: null,
      }),
    );
    expect(page).toContain("> **Stale feed:** The feed has not been updated for 2026-02-06 yet.");
    expect(page).toContain("No papers were picked for this day.");
    expect(page).not.toContain("## Contents");
    expect(page).not.toContain("Paper selection prompt");
  });

  it("says a weekend or a holiday is one, and when the next announcement comes, and nothing else", () => {
    const holidays = holidayTable([], []);
    for (const date of ["2026-11-28", "2026-11-27"]) {
      const status = calendarVerdict(date, holidays)!;
      const page = renderDayMarkdown(makeDay({ date, papers: [], status, prompt: null }));
      expect(page).toBe(
        `# Daily arXiv digest: ${date}\n\n> **${date === "2026-11-28" ? "Weekend" : "arXiv holiday"}:** ${status.message}\n`,
      );
    }
    expect(
      renderDayMarkdown(
        makeDay({ date: "2026-11-28", papers: [], status: calendarVerdict("2026-11-28", holidays)!, prompt: null }),
      ),
    ).toContain(
      "No arXiv announcement is dated Saturday 2026-11-28: arXiv announces nothing on weekends; the next announcement is Monday 2026-11-30's, made Sunday 2026-11-29 at 20:00 ET.",
    );
  });

  it("says a weekend or a holiday in the calendar's current words, whatever wording its record keeps", () => {
    // A record written before the sentence named the next announcement.
    const old =
      "No arXiv announcement: arXiv announces on Sunday to Thursday evenings, so weekend dates carry no batch.";
    const saturday = makeDay({
      date: "2026-11-28",
      papers: [],
      status: { code: "no-announcement", message: old },
      prompt: null,
    });
    const page = renderDayMarkdown(saturday, holidayTable([], []));
    expect(page).not.toContain("weekend dates carry no batch");
    expect(page).toContain(
      "> **Weekend:** No arXiv announcement is dated Saturday 2026-11-28: arXiv announces nothing on weekends; the next announcement is Monday 2026-11-30's, made Sunday 2026-11-29 at 20:00 ET.",
    );
    // The next announcement follows the table it is given: with Monday a holiday, it is Tuesday's.
    expect(renderDayMarkdown(saturday, holidayTable(["2026-11-30"], []))).toContain(
      "the next announcement is Tuesday 2026-12-01's, made Monday 2026-11-30 at 20:00 ET.",
    );
    // The record itself is not touched.
    expect(saturday.status.message).toBe(old);
    // A holiday the table no longer lists keeps its record's sentence; any other status its own.
    const friday = makeDay({
      date: "2026-11-27",
      papers: [],
      status: { code: "holiday", message: "Thanksgiving: no batch." },
      prompt: null,
    });
    expect(renderDayMarkdown(friday, holidayTable([], ["2026-11-27"]))).toContain(
      "> **arXiv holiday:** Thanksgiving: no batch.",
    );
    expect(renderDayMarkdown(friday, holidayTable([], []))).toContain(
      "> **arXiv holiday:** No arXiv announcement is dated Friday 2026-11-27: arXiv holds no announcement on Thursday 2026-11-26 at 20:00 ET (a holiday)",
    );
  });

  it("shows author matches without scores, naming the followed author", () => {
    const page = renderDayMarkdown(
      makeDay({
        papers: [
          makePaper({
            scoredBy: "author",
            authorMatch: "Yoshua Bengio",
            comment: null,
            relevance: null,
            novelty: null,
            topic: null,
          }),
        ],
      }),
    );
    expect(page).toContain("**Comment:** Author match\n\n**Followed author:** Yoshua Bengio");
    expect(page).not.toContain("**Relevance:**");
  });

  it("marks offline scores and links old-scheme ids, but gives a malformed id no link", () => {
    const page = renderDayMarkdown(
      makeDay({
        papers: [
          makePaper({ id: "hep-th/9901001", scoredBy: "lexical" }),
          makePaper({ id: "evil](javascript:alert(1))", title: "Odd id" }),
        ],
      }),
    );
    expect(page).toContain("## 1. [Synthesizable");
    expect(page).toContain('(https://arxiv.org/abs/hep-th/9901001) <a id="paper-hep-th-9901001"></a>');
    // arXiv renders HTML for new-scheme papers only: an old-scheme id gets its PDF link, no HTML one.
    expect(page).toContain("**ArXiv ID:** hep-th/9901001 · [PDF](https://arxiv.org/pdf/hep-th/9901001)\n");
    expect(page).not.toContain("arxiv.org/html/hep-th");
    expect(page).toContain("**Relevance:** 9 · **Novelty:** 8 (offline lexical scorer)");
    expect(page).toContain('## 2. Odd id <a id="paper-evil-javascript-alert-1-"></a>');
    expect(md.render(page)).not.toContain('href="javascript:');
  });
});
