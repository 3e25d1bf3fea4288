/**
 * The reader's saved papers. They live in the reader's browser (localStorage), so the page is an
 * empty frame that assets/saved.js fills (under `serve`, with the workspace's saves merged in:
 * served-marks.ts); without scripts it says so instead of showing nothing.
 */
import { Layout, type PageContext, SAVED_PATH } from "./layout.js";

export { SAVED_PATH };

export function SavedPage({ ctx }: { ctx: PageContext }) {
  return (
    <Layout
      ctx={ctx}
      title={`Saved papers · ${ctx.siteTitle}`}
      description="The papers you saved on this site, kept in your browser, with BibTeX and CSL-JSON export."
      canonical={SAVED_PATH}
      pageStyles
      script="assets/saved.js"
    >
      <h1>Saved papers</h1>
      <p class="meta">
        Kept in this browser: saving on another device or clearing site data starts a new list, except under{" "}
        <code>arxiv-digest serve</code>, which adds your workspace's saves.
      </p>
      <div class="saved-actions" data-saved-actions hidden>
        <button type="button" data-export="bibtex">
          Download BibTeX
        </button>
        <button type="button" data-export="csl">
          Download CSL-JSON
        </button>
        <button type="button" data-export="copy-bibtex">
          Copy all BibTeX
        </button>
        <span class="copy-status" role="status" />
      </div>
      <p class="saved-status" role="status" data-saved-status>
        <noscript>This list needs JavaScript: the saved papers are stored by your browser.</noscript>
      </p>
      <p class="feedback-status meta" role="status" data-feedback-status />
      <ol class="saved-list" data-saved-list />
    </Layout>
  );
}
