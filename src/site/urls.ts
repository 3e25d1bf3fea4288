/**
 * Where every page of the site lives. Pages are addressed by a path relative to the site root
 * ("2026/02/05/"); `href` prefixes the configured basePath for links inside the site and
 * `absolute` resolves against baseUrl for feeds, the sitemap and canonical links.
 */

import type { Config } from "../config/schema.js";
import { siteBaseUrlProblem } from "../format/url.js";
import { UserError } from "../model/errors.js";

export class SiteConfigError extends UserError {
  override name = "SiteConfigError";
}

export interface SiteUrls {
  /** Normalised basePath, always starting and ending with "/". */
  basePath: string;
  /** Normalised baseUrl, always ending with "/". */
  baseUrl: string;
  href(relPath: string): string;
  absolute(relPath: string): string;
}

const SAFE_PATH = /^[A-Za-z0-9._~\-/]*$/;

export function siteUrls(site: Pick<Config["site"], "basePath" | "baseUrl">): SiteUrls {
  const trimmed = site.basePath.trim();
  if (!SAFE_PATH.test(trimmed) || trimmed.split("/").some((s) => s === "..")) {
    throw new SiteConfigError(
      `site.basePath ${JSON.stringify(site.basePath)} is not a plain URL path; use letters, digits, "-", "_", "." and "/" only, e.g. "/papers/".`,
    );
  }
  const basePath = `/${trimmed.split("/").filter(Boolean).join("/")}/`.replace(/^\/\/$/, "/");
  const problem = siteBaseUrlProblem(site.baseUrl);
  if (problem !== null) throw new SiteConfigError(`site.baseUrl ${problem}.`);
  const parsed = new URL(site.baseUrl);
  const baseUrl = parsed.href.endsWith("/") ? parsed.href : `${parsed.href}/`;
  return {
    basePath,
    baseUrl,
    href: (relPath) => basePath + relPath,
    absolute: (relPath) => new URL(relPath, baseUrl).href,
  };
}

/** "2026-02-05" → "2026/02/05/" */
export function dayPath(date: string): string {
  return `${date.replaceAll("-", "/")}/`;
}

/**
 * "2026-02-05" → "2026/02/05/near-misses.html": the cards of the day's near misses. The pages
 * beside a day's are files in its folder, not folders of their own: a full build makes a folder
 * less per page, and making a folder costs more than writing a file.
 */
export function nearMissesPath(date: string): string {
  return `${dayPath(date)}near-misses.html`;
}

/** "2026-02-05" → "2026/02/05/about.html": the day's token and cost table, counts and prompt. */
export function dayAboutPath(date: string): string {
  return `${dayPath(date)}about.html`;
}

/** "2026-02" → "2026/02/" */
export function monthPath(month: string): string {
  return `${month.replace("-", "/")}/`;
}

export function yearPath(year: string): string {
  return `${year}/`;
}

export const ARCHIVE_PATH = "archive/";
export const SEARCH_PATH = "search/";
/**
 * The Feeds page, which says what the feeds are for and lists them; its folder also holds the
 * topic feeds (feeds.ts), so the page is the folder's index.html beside them.
 */
export const FEEDS_PATH = "feeds/";

/** The output file of a page path: "2026/02/05/" → "2026/02/05/index.html"; a file's path is its own. */
export function pageFile(relPath: string): string {
  return relPath === "" || relPath.endsWith("/") ? `${relPath}index.html` : relPath;
}

/** An HTML id for a paper card, stable across builds; old-style ids contain "/". */
export function paperAnchor(id: string): string {
  return `paper-${id.replace(/[^A-Za-z0-9.-]/g, "-")}`;
}
