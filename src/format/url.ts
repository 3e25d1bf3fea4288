/**
 * The one test of a link or endpoint from elsewhere (config, environment, an author's `\href`, a
 * site address): an absolute http(s) URL, normalised (no spaces or quotes left), else null.
 */
export function httpUrl(text: string | undefined): string | null {
  if (text === undefined || !/^https?:\/\//i.test(text)) return null;
  try {
    const url = new URL(text);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}

/** `site.baseUrl` when the config sets none: the address `serve` would answer on its usual port. */
export const DEFAULT_SITE_BASE_URL = "http://localhost:8080/";

/**
 * Whether a site's address is still on the default's origin (set by no one, or only its path): the
 * site is then previewed, not published, and its own pages cannot know where it will live.
 */
export function isPreviewBaseUrl(baseUrl: string): boolean {
  return new URL(baseUrl).origin === new URL(DEFAULT_SITE_BASE_URL).origin;
}

/**
 * Why `site.baseUrl` cannot be the site's public address, or null: it must be an absolute http(s)
 * URL (`my-site.github.io` has no scheme), and the address alone: a user name or password, a query
 * or a fragment would be published in every page's og:url, the feeds, the sitemap and the links
 * sent to Slack and email. The config schema, the site's URL helpers and the check of
 * `ARXIV_DIGEST_SITE_URL` all say it in these words, so every command stops on it before the site
 * build would. The sentence names what is wrong and never repeats a user name or password: it shows
 * the address without them.
 */
export function siteBaseUrlProblem(text: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    return `${JSON.stringify(text)} is not an absolute URL; set it to the site's public address with its scheme, e.g. "https://you.github.io/papers/"`;
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:")
    return `${JSON.stringify(text)} does not start with https:// or http://; set it to the site's public address with its scheme, e.g. "https://you.github.io/papers/"`;
  // `new URL` drops a bare "?" or "#", which is still not part of the address alone.
  const credentials = parsed.username !== "" || parsed.password !== "";
  const query = parsed.search !== "" || text.includes("?");
  const fragment = parsed.hash !== "" || text.includes("#");
  if (!credentials && !query && !fragment) return null;
  const extras = [
    credentials ? "a user name or password" : null,
    query ? "a query (?…)" : null,
    fragment ? "a fragment (#…)" : null,
  ].filter((x) => x !== null);
  const bare = `${parsed.origin}${parsed.pathname}`;
  const shown = `${parsed.protocol}//${credentials ? "…@" : ""}${parsed.host}${parsed.pathname}${query ? "?…" : ""}${fragment ? "#…" : ""}`;
  return `${JSON.stringify(shown)} carries ${listed(extras)}, which every page, feed and link to the site would publish; set it to the address alone, "${bare}"`;
}

function listed(items: readonly string[]): string {
  return items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}
