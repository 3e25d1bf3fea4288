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
