/** The browser's feedback format (assets/feedback-signals.js) against its one home in src/. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FEEDBACK_LABEL, issueUrl } from "../../src/feedback/github.js";
// @ts-expect-error: a browser module in plain JavaScript, without type declarations.
import * as browserFormat from "../../src/site/assets/feedback-signals.js";
import {
  FEEDBACK_ENDPOINT,
  FEEDBACK_REPO_META,
  FEEDBACK_TOKEN_HEADER,
  SERVE_TOKEN_META,
  SERVED_MARKS_ID as SERVED_MARKS_ID_TS,
} from "../../src/site/feedback-meta.js";

const { FEEDBACK_LABEL: JS_LABEL, issueUrl: jsIssueUrl, signalsFor } = browserFormat;

describe("the site's GitHub issue link", () => {
  it("is the one feedback sync parses (github.ts issueUrl)", () => {
    expect(JS_LABEL).toBe(FEEDBACK_LABEL);
    const papers = [
      { id: "2602.04119", title: "Synthesizable   Molecular\nGeneration & $\\alpha$-priors: 100% #1?" },
      { id: "2602.04119v3", title: "Versioned" },
      { id: "hep-th/9901001", title: "Old scheme" },
      { id: "math.GT/0309136", title: "" },
      { id: "2401.00010", title: null },
      { id: "2401.00010", title: "Ünïcödé — “quotes” + plus" },
    ];
    for (const repo of ["me/papers", "Some-Org/my.papers_2"]) {
      for (const signal of ["like", "dislike", "save", "clear"] as const) {
        for (const paper of papers) expect(jsIssueUrl(repo, signal, paper)).toBe(issueUrl(repo, signal, paper));
      }
    }
  });
});

describe("signals of a mark change", () => {
  const change = (previous: object, next: object) =>
    signalsFor({ vote: null, saved: false, ...next, previous: { vote: null, saved: false, ...previous } });
  it("adds one signal for a new vote or save, and clears then restates for a removal", () => {
    expect(change({}, { vote: "up" })).toEqual(["like"]);
    expect(change({ vote: "up" }, { vote: "down" })).toEqual(["dislike"]);
    expect(change({ vote: "down", saved: true }, { vote: "down", saved: true })).toEqual([]);
    expect(change({ vote: "up" }, { vote: "up", saved: true })).toEqual(["save"]);
    expect(change({ vote: "up" }, {})).toEqual(["clear"]);
    expect(change({ vote: "up", saved: true }, { saved: true })).toEqual(["clear", "save"]);
    expect(change({ vote: "down", saved: true }, { vote: "down" })).toEqual(["clear", "dislike"]);
  });
});

describe("names shared by the pages, serve and the browser script", () => {
  it("are the same literals in assets/feedback-sinks.js", () => {
    const script = readFileSync(new URL("../../src/site/assets/feedback-sinks.js", import.meta.url), "utf8");
    expect(script).toContain(`const TOKEN_META = "${SERVE_TOKEN_META}";`);
    expect(script).toContain(`const REPO_META = "${FEEDBACK_REPO_META}";`);
    expect(script).toContain(`const ENDPOINT = "${FEEDBACK_ENDPOINT}";`);
    expect(script).toContain(`const TOKEN_HEADER = "${FEEDBACK_TOKEN_HEADER}";`);
  });

  it("include the marks' storage key, which app.js reads to tell whether there are marks to show", async () => {
    // @ts-expect-error: a browser module in plain JavaScript, without type declarations.
    const { MARKS_KEY } = await import("../../src/site/assets/marks.js");
    const script = readFileSync(new URL("../../src/site/assets/app.js", import.meta.url), "utf8");
    expect(script).toContain(`localStorage.getItem("${MARKS_KEY}")`);
  });

  it("include the id of serve's marks block, which app.js reads too", async () => {
    // @ts-expect-error: a browser module in plain JavaScript, without type declarations.
    const { SERVED_MARKS_ID } = await import("../../src/site/assets/marks.js");
    expect(SERVED_MARKS_ID).toBe(SERVED_MARKS_ID_TS);
    const script = readFileSync(new URL("../../src/site/assets/app.js", import.meta.url), "utf8");
    expect(script).toContain(`document.getElementById("${SERVED_MARKS_ID}")`);
  });
});
