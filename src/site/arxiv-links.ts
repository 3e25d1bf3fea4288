/**
 * Links to a paper on arxiv.org. The id comes from a feed or an imported file, so it is checked
 * against arXiv's two identifier schemes before it becomes part of a URL; anything else gets no
 * link at all rather than a link we cannot vouch for.
 */

const NEW_SCHEME = /^\d{4}\.\d{4,5}$/;
const OLD_SCHEME = /^[a-z]+(-[a-z]+)*(\.[A-Z]{2})?\/\d{7}$/;

export interface ArxivLinks {
  abs: string;
  pdf: string;
  html: string;
}

export function arxivLinks(id: string): ArxivLinks | null {
  if (!NEW_SCHEME.test(id) && !OLD_SCHEME.test(id)) return null;
  return {
    abs: `https://arxiv.org/abs/${id}`,
    pdf: `https://arxiv.org/pdf/${id}`,
    html: `https://arxiv.org/html/${id}`,
  };
}
