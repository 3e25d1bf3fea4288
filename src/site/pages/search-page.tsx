/**
 * The search page: a labelled input; assets/search.js looks the words up in the site's search
 * bundles. Without scripts nothing could, so the form is hidden (pages.css) and the page says so,
 * pointing to the archive, whose month pages list every picked paper by topic.
 */
import { ARCHIVE_PATH, SEARCH_PATH } from "../urls.js";
import { Layout, type PageContext } from "./layout.js";

export interface SearchPageProps {
  ctx: PageContext;
  /** The folders of the search bundles, newest first (search-bundles.ts). */
  bundles: string[];
}

export function SearchPage({ ctx, bundles }: SearchPageProps) {
  return (
    <Layout
      ctx={ctx}
      title={`Search · ${ctx.siteTitle}`}
      description="Search every scanned paper of the archive by arXiv id, title, author, abstract or comment."
      canonical={SEARCH_PATH}
      pageStyles
      script="assets/search.js"
    >
      <h1>Search the archive</h1>
      <search>
        <form class="search-form" action={ctx.urls.href(SEARCH_PATH)} data-search data-bundles={bundles.join(" ")}>
          <label for="search-input">Words from a title, author, abstract or comment, or an arXiv id</label>
          <input id="search-input" type="search" name="q" autoComplete="off" />
          <button type="submit">Search</button>
        </form>
      </search>
      <noscript>
        <p>
          Search runs in your browser and needs JavaScript. Without it, the{" "}
          <a href={ctx.urls.href(ARCHIVE_PATH)}>archive</a> lists every day, and each month’s page its papers by topic.
        </p>
      </noscript>
      <p class="meta">
        Every paper the digest scanned is searchable by its id, title and authors, and the ones a day page shows by
        their abstract too. Papers marked “picked” come before others that match about as well, and the papers a day
        page shows before the rest.
      </p>
      <p class="search-status" role="status" aria-live="polite" data-search-status />
      <ol class="search-results" data-search-results />
    </Layout>
  );
}
