/** Served for any address the site does not have. */
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
    >
      <h1>Page not found</h1>
      <p>
        There is no page at this address. Read the <a href={ctx.urls.href("")}>latest digest</a>, or find any day in the{" "}
        <a href={ctx.urls.href(ARCHIVE_PATH)}>archive</a>.
      </p>
    </Layout>
  );
}
