/**
 * The frame of every page: head (CSP, title, description, canonical, share cards, feeds, styles,
 * the static theme script), a header with navigation and the theme toggle, and the footer.
 */
import type { ComponentChildren } from "preact";
import type { TopicTitles } from "../../format/text.js";
import { FEEDBACK_REPO_META, SERVE_TOKEN_META } from "../feedback-meta.js";
import { ARCHIVE_PATH, FEEDS_PATH, SEARCH_PATH, type SiteUrls } from "../urls.js";

/** The reader's saved papers (kept in their browser); lives here so the header can link it. */
export const SAVED_PATH = "saved/";

export interface PageContext {
  urls: SiteUrls;
  siteTitle: string;
  /** `owner/repo` whose issues the feedback buttons open (feedback.github); null when not configured. */
  feedbackRepo?: string | null;
  /** The config's topic titles by id: what the overview pages name a topic by (`topicName`). */
  topicTitles?: TopicTitles;
}

/**
 * Scripts, styles, fonts and fetches only from our own files (math is MathML, with no inline style;
 * search is plain JavaScript, with no WebAssembly to compile). Those kinds fall back to default-src,
 * so it names them all: a directive of their own saying 'self' again would cost every page bytes.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join("; ");

export interface LayoutProps {
  ctx: PageContext;
  title: string;
  description: string;
  /** Site-relative path of the page's canonical address. */
  canonical: string;
  children: ComponentChildren;
  /** Extra static script of this page (site-relative path). */
  script?: string;
  /** The styles of the pages besides the day's (assets/pages.css), which a day page does without. */
  pageStyles?: boolean;
  /** Extra Atom feeds to announce in the head, e.g. the day's topics. */
  feeds?: { title: string; path: string }[];
  /** Marks the page as a share target: OpenGraph "article" instead of "website". */
  article?: boolean;
}

export function Layout({
  ctx,
  title,
  description,
  canonical,
  children,
  script,
  pageStyles,
  feeds = [],
  article,
}: LayoutProps) {
  const { urls } = ctx;
  return (
    <html lang="en" data-base={urls.basePath}>
      <head>
        <meta charSet="utf-8" />
        <meta http-equiv="Content-Security-Policy" content={CONTENT_SECURITY_POLICY} />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
        <meta name="description" content={description} />
        {/* No favicon of our own; this keeps browsers from requesting /favicon.ico outside basePath. */}
        <link rel="icon" href="data:," />
        <link rel="canonical" href={urls.absolute(canonical)} />
        {/* Link previews in chat and social apps read these (X reads the og: title and description
            too); there is no image, so the small card. */}
        <meta property="og:type" content={article ? "article" : "website"} />
        <meta property="og:site_name" content={ctx.siteTitle} />
        <meta property="og:title" content={title} />
        <meta property="og:description" content={description} />
        <meta property="og:url" content={urls.absolute(canonical)} />
        <meta name="twitter:card" content="summary" />
        <link
          rel="alternate"
          type="application/atom+xml"
          title={`${ctx.siteTitle} (Atom)`}
          href={urls.href("feed.xml")}
        />
        <link
          rel="alternate"
          type="application/feed+json"
          title={`${ctx.siteTitle} (JSON Feed)`}
          href={urls.href("feed.json")}
        />
        {feeds.map((f) => (
          <link key={f.path} rel="alternate" type="application/atom+xml" title={f.title} href={urls.href(f.path)} />
        ))}
        {/* Where the feedback buttons send clicks (assets/feedback-sinks.js): `serve` fills in its
            token, a configured feedback.github names the repository for prefilled issues. */}
        <meta name={SERVE_TOKEN_META} content="" />
        {ctx.feedbackRepo && <meta name={FEEDBACK_REPO_META} content={ctx.feedbackRepo} />}
        <script src={urls.href("assets/theme-init.js")} />
        <link rel="stylesheet" href={urls.href("assets/site.css")} />
        {pageStyles && <link rel="stylesheet" href={urls.href("assets/pages.css")} />}
        <script type="module" src={urls.href("assets/app.js")} />
        {script && <script type="module" src={urls.href(script)} />}
      </head>
      <body>
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        <header class="site-header">
          <a class="site-title" href={urls.href("")}>
            {ctx.siteTitle}
          </a>
          {/* "Feeds" leads to a page that says what a feed is for: a feed itself opens as raw XML. */}
          <nav aria-label="Site">
            <a href={urls.href(ARCHIVE_PATH)}>Archive</a> <a href={urls.href(SEARCH_PATH)}>Search</a>{" "}
            <a href={urls.href(SAVED_PATH)}>Saved</a> <a href={urls.href(FEEDS_PATH)}>Feeds</a>
          </nav>
          {/* Names the theme it switches to. Both labels are in the page and the stylesheet shows the
              right one from data-theme or the system preference, so the label is right before any
              script runs. Without scripts the button could do nothing: the stylesheet hides it
              unless theme-init.js has marked the page "js" (before the first paint, so no shift). */}
          <button type="button" class="theme-toggle">
            <span class="to-dark">Dark theme</span>
            <span class="to-light">Light theme</span>
          </button>
        </header>
        <main id="main">{children}</main>
        <footer class="site-footer">
          <p>
            Thank you to <a href="https://arxiv.org/">arXiv</a> for use of its open access interoperability.
          </p>
        </footer>
      </body>
    </html>
  );
}
