/** The Feeds page: what a feed is for, every feed's absolute address, topic titles as text. */
import { h } from "preact";
import { describe, expect, it } from "vitest";
import { summariseDay } from "../../src/site/day-summary.js";
import { topicFeeds } from "../../src/site/feeds.js";
import { FeedsPage } from "../../src/site/pages/feeds-page.js";
import { renderDocument } from "../../src/site/render-document.js";
import { siteUrls } from "../../src/site/urls.js";
import { makeDay, makePaper } from "../helpers/day-factory.js";
import { referenceDays } from "../helpers/reference.js";

const urls = siteUrls({ basePath: "/papers/", baseUrl: "https://you.github.io/papers/" });
const ctx = { urls, siteTitle: "Digest" };
const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");
const HOSTILE_TOPIC = `<script>alert("t")</script> & 'agents'`;
const hostile = makeDay({
  date: "2026-03-17",
  papers: [
    makePaper({ id: "2603.00001", topic: HOSTILE_TOPIC }),
    makePaper({ id: "2603.00002", topic: HOSTILE_TOPIC }),
  ],
});
const days = [
  summariseDay(hostile),
  ...[...referenceDays()]
    .slice(-3)
    .reverse()
    .map(([date, papers]) => summariseDay(makeDay({ date, papers }))),
];
const perTopic = topicFeeds({ urls, siteTitle: ctx.siteTitle, days });
const papers = days.reduce((n, d) => n + d.papers.length, 0);
const html = renderDocument(h(FeedsPage, { ctx, papers, topicFeeds: perTopic }));
// Addresses may wrap after a "/" (<wbr>, which is not part of the text).
const main = html.slice(html.indexOf("<main"), html.indexOf("</main>")).replaceAll("<wbr/>", "");

describe("FeedsPage", () => {
  it("says what a feed is for and gives the all-papers feeds as absolute addresses, as text", () => {
    expect(text(main)).toContain("add one of the addresses below to a feed reader");
    expect(main).toContain("<code>https://you.github.io/papers/feed.xml</code>");
    expect(main).toContain("<code>https://you.github.io/papers/feed.json</code>");
    expect(text(main)).toContain(`${papers.toLocaleString("en-US")} papers from the latest 7 announcement days`);
    // The copy buttons are the script's (assets/feeds.js): none in the page, and no inline script or style.
    expect(html).toContain('<script type="module" src="/papers/assets/feeds.js"></script>');
    expect(main).not.toMatch(/<button|<script|<style|style=/);
    // No link opens a feed itself, which a browser shows as raw XML.
    expect(main).not.toMatch(/href="[^"]*\.(xml|json)"/);
  });

  it("lists every topic feed with its title, papers and absolute address", () => {
    expect(perTopic.length).toBeGreaterThan(3);
    const items = main.split('<li><span class="feed-name">').slice(3);
    expect(items).toHaveLength(perTopic.length);
    for (const feed of perTopic) {
      const count = days.flatMap((d) => d.papers).filter((p) => p.topic === feed.topic).length;
      expect(feed.papers, feed.topic).toBe(count);
      expect(main).toContain(`<code>https://you.github.io/papers/${feed.file}</code>`);
    }
    const many = perTopic.find((f) => f.topic === "model-architecture")!;
    expect(text(main)).toContain(`model-architecture · ${many.papers} papers https://`);
    expect(text(main)).toContain("the counts are those from the latest 7 announcement days");
  });

  it("shows a topic title as text, escaped in the page and in the head's feed links", () => {
    expect(html).not.toContain("<script>alert");
    expect(main).toContain(
      '<span class="feed-name">&lt;script>alert(&quot;t&quot;)&lt;/script> &amp; \'agents\'</span> <span class="meta">· 2 papers',
    );
    expect(html).toContain(
      '<link rel="alternate" type="application/atom+xml" title="Digest: &lt;script>alert(&quot;t&quot;)&lt;/script> &amp; \'agents\' (Atom)" href="/papers/feeds/script-alert-t-script-agents.xml"/>',
    );
    expect(main).toContain("data-feed-name=\"&lt;script>alert(&quot;t&quot;)&lt;/script> &amp; 'agents' feed\"");
  });

  it("says so when no topic had picks lately", () => {
    const empty = renderDocument(h(FeedsPage, { ctx, papers: 0, topicFeeds: [] })).replaceAll("<wbr/>", "");
    expect(text(empty)).toContain(
      "No topic has picked papers from the latest 7 announcement days, so there is no topic feed yet.",
    );
    expect(empty).toContain("<code>https://you.github.io/papers/feed.xml</code>");
  });

  it("says where the published addresses come from while site.baseUrl is still the default, and only then", () => {
    expect(main).not.toContain("data-preview-base");
    const local = { ...ctx, urls: siteUrls({ basePath: "/papers/", baseUrl: "http://localhost:8080/" }) };
    const preview = renderDocument(h(FeedsPage, { ctx: local, papers: 0, topicFeeds: [] }));
    expect(preview).toContain('data-preview-base="http://localhost:8080/"');
    expect(text(preview)).toContain(
      "The published addresses follow site.baseUrl in the config, which is still http://localhost:8080/: set it to the site’s public address before you publish.",
    );
  });
});
