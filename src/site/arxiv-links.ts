/**
 * Links to a paper on arxiv.org. The id comes from a feed or an imported file, so it must parse
 * as an unversioned arXiv identifier (either scheme) before it becomes part of a URL; anything
 * else gets no link at all rather than a link we cannot vouch for.
 */
import { parseArxivId } from "../arxiv/ids.js";
import { arxivAbsUrl, arxivHtmlUrl, arxivPdfUrl } from "../format/text.js";

export interface ArxivLinks {
  abs: string;
  pdf: string;
  /** Null for an old-scheme id: arXiv has no HTML rendering of those papers. */
  html: string | null;
}

export function arxivLinks(id: string): ArxivLinks | null {
  const parsed = parseArxivId(id);
  if (parsed === null || parsed.id !== id || parsed.version !== null) return null;
  return { abs: arxivAbsUrl(id), pdf: arxivPdfUrl(id), html: arxivHtmlUrl(id) };
}
