/**
 * The Feeds page, where the header's "Feeds" link leads: what a feed is for here, the addresses of
 * the all-papers feeds (Atom, JSON Feed) and of every topic feed, each as plain text a reader can
 * select and, where the browser lets a page write the clipboard, with a copy button that
 * assets/feeds.js adds. No link opens a feed itself: a browser shows it as raw XML.
 *
 * A site whose site.baseUrl is still on the default's origin (http://localhost:8080) is a preview:
 * the page says where the published addresses come from, and feeds.js shows the addresses of the
 * server the page came from (`serve` on any port), which answer, instead of the built ones.
 */
import { plural } from "../../format/text.js";
import { isPreviewBaseUrl } from "../../format/url.js";
import { FEED_DAYS } from "../feeds.js";
import { FEEDS_PATH } from "../urls.js";
import { Layout, type PageContext } from "./layout.js";

export interface FeedsPageProps {
  ctx: PageContext;
  /** Papers the all-papers feeds carry (the picks of the latest FEED_DAYS days). */
  papers: number;
  /** The topic feeds the build writes, with the papers each carries, so every address resolves. */
  topicFeeds: readonly { topic: string; file: string; papers: number }[];
}

/** The topic feeds as the head announces them to browsers and readers (Layout's `feeds`). */
export function topicFeedLinks(ctx: PageContext, topicFeeds: readonly { topic: string; file: string }[]) {
  return topicFeeds.map((f) => ({ path: f.file, title: `${ctx.siteTitle}: ${f.topic} (Atom)` }));
}

/**
 * A feed's absolute address as selectable text; `name` labels its copy button. On a narrow screen
 * a long address wraps after a "/" (`<wbr>`, which adds nothing to the copied text).
 */
function FeedUrl({ url, name }: { url: string; name: string }) {
  const parts = url.split(/(?<=\/)(?=[^/])/);
  return (
    <div class="feed-url" data-feed-name={name}>
      <code>
        {parts.map((part, i) => (
          <>
            {i > 0 && <wbr />}
            {part}
          </>
        ))}
      </code>
    </div>
  );
}

export function FeedsPage({ ctx, papers, topicFeeds }: FeedsPageProps) {
  const { urls } = ctx;
  const recent = `from the latest ${plural(FEED_DAYS, "announcement day")}`;
  return (
    <Layout
      ctx={ctx}
      title={`Feeds · ${ctx.siteTitle}`}
      description="Follow the new digests in a feed reader: every picked paper, or one topic at a time."
      canonical={FEEDS_PATH}
      pageStyles
      script="assets/feeds.js"
      feeds={topicFeedLinks(ctx, topicFeeds)}
    >
      <h1>Feeds</h1>
      <p>
        A feed lets you follow this digest without coming back to check it: add one of the addresses below to a feed
        reader (an app, or the feed feature of your browser or mail program) and each day’s picked papers show up there
        as soon as the digest is published.
      </p>
      <p class="meta">Copy an address and paste it where your reader asks for a new feed or subscription.</p>
      {isPreviewBaseUrl(urls.baseUrl) && (
        <p class="meta" data-preview-base={urls.baseUrl}>
          The published addresses follow <code>site.baseUrl</code> in the config, which is still {urls.baseUrl}: set it
          to the site’s public address before you publish.
        </p>
      )}

      <section aria-labelledby="feeds-all">
        <h2 id="feeds-all">Every picked paper</h2>
        <p class="meta">
          {plural(papers, "paper")} {recent}. Most readers take Atom; use JSON Feed if yours asks for it.
        </p>
        <ul class="feed-list">
          <li>
            <span class="feed-name">Atom</span>
            <FeedUrl url={urls.absolute("feed.xml")} name="Atom feed" />
          </li>
          <li>
            <span class="feed-name">JSON Feed</span>
            <FeedUrl url={urls.absolute("feed.json")} name="JSON Feed" />
          </li>
        </ul>
      </section>

      <section aria-labelledby="feeds-topics">
        <h2 id="feeds-topics">One topic at a time</h2>
        {topicFeeds.length === 0 ? (
          <p>No topic has picked papers {recent}, so there is no topic feed yet.</p>
        ) : (
          <>
            <p class="meta">
              Each carries only its topic’s papers (Atom); the counts are those {recent}. A topic without picks in that
              time has no feed until it has some again.
            </p>
            <ul class="feed-list">
              {topicFeeds.map((f) => (
                <li key={f.file}>
                  <span class="feed-name">{f.topic}</span> <span class="meta">· {plural(f.papers, "paper")}</span>
                  <FeedUrl url={urls.absolute(f.file)} name={`${f.topic} feed`} />
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
    </Layout>
  );
}
