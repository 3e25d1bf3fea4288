/**
 * Served for any address the site does not have. A date's address without a page (a weekend or a
 * holiday no run recorded, an announcement day a run missed, a date outside the archive) is one a
 * reader reaches by typing or following a date: `assets/not-found.js` says there what the date is
 * and links its month, whose calendar names each day; without scripts the page says where to look.
 */
import { ARCHIVE_PATH } from "../urls.js";
import { Layout, type PageContext } from "./layout.js";

export function NotFoundPage({ ctx }: { ctx: PageContext }) {
  return (
    <Layout
      ctx={ctx}
      title={`Not found · ${ctx.siteTitle}`}
      description="This page does not exist."
      canonical="404.html"
      pageStyles
      script="assets/not-found.js"
    >
      <h1 data-not-found>Page not found</h1>
      <p data-not-found-text>
        There is no page at this address. Read the <a href={ctx.urls.href("")}>latest digest</a>, or find any day in the{" "}
        <a href={ctx.urls.href(ARCHIVE_PATH)}>archive</a>. A weekend's or a holiday's date has a page only when a run
        recorded it; a month's calendar says what each of its days was.
      </p>
    </Layout>
  );
}
