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
 * URL (`my-site.github.io` has no scheme). The config schema and the site's URL helpers both say it
 * in these words, so every command stops on it before the site build would.
 */
export function siteBaseUrlProblem(text: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    return `${JSON.stringify(text)} is not an absolute URL; set it to the site's public address with its scheme, e.g. "https://you.github.io/papers/"`;
  }
  if (parsed.protocol === "https:" || parsed.protocol === "http:") return null;
  return `${JSON.stringify(text)} does not start with https:// or http://; set it to the site's public address with its scheme, e.g. "https://you.github.io/papers/"`;
}
