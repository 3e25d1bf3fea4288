/**
 * arXiv identifiers (docs/arxiv/arxiv_identifier.md). Ids stay strings everywhere: `2401.00010` is not a
 * number, and the old scheme's slash (`hep-th/9901001`) must survive file names and URLs.
 */

export interface ParsedArxivId {
  /** Unversioned canonical id: `2401.00010`, `hep-th/9901001`, `math.GT/0309136`. */
  id: string;
  /** `v2` → 2; null when the text names no version. */
  version: number | null;
}

// Old scheme (9107–0703): archive, optional two-letter subject class, YYMMNNN.
const OLD_ID = /^([a-z]+(?:-[a-z]+)?(?:\.[A-Z]{2})?)\/(\d{2})(\d{2})(\d{3})$/;
// New scheme (0704–): YYMM.NNNN until 1412, YYMM.NNNNN from 1501.
const NEW_ID = /^(\d{2})(\d{2})\.(\d{4,5})$/;
const PREFIXES = [/^oai:arxiv\.org:/i, /^arxiv:/i, /^https?:\/\/(?:www\.|export\.)?arxiv\.org\/(?:abs|pdf)\//i];

function validMonth(mm: string): boolean {
  const month = Number(mm);
  return month >= 1 && month <= 12;
}

function isCanonical(id: string): boolean {
  const old = OLD_ID.exec(id);
  if (old) return validMonth(old[3]!);
  const nu = NEW_ID.exec(id);
  if (!nu || !validMonth(nu[2]!)) return false;
  const yymm = Number(`${nu[1]}${nu[2]}`);
  // Two-digit years 07–99 are 2007–2099; 00–06 would be 2100+, which is five-digit territory too.
  const fiveDigitEra = yymm >= 1501 || yymm < 704;
  return nu[3]!.length === (fiveDigitEra ? 5 : 4);
}

/**
 * Reads an arXiv id in any of the forms feeds, APIs and people use (`2401.00010v2`,
 * `arXiv:2401.00010`, `oai:arXiv.org:…`, abs/pdf URLs, old-scheme ids); null for anything else.
 */
export function parseArxivId(text: string): ParsedArxivId | null {
  let rest = text.trim();
  for (const prefix of PREFIXES) rest = rest.replace(prefix, "");
  rest = rest.replace(/\.pdf$/i, "");
  const match = /^(.+?)(?:v(\d+))?$/.exec(rest);
  if (!match) return null;
  const [, id, version] = match;
  if (!id || !isCanonical(id)) return null;
  if (version === undefined) return { id, version: null };
  const n = Number(version);
  return n >= 1 && Number.isSafeInteger(n) ? { id, version: n } : null;
}

/**
 * parseArxivId, with old-scheme ids reduced to one form per paper: `math.GT/0309136` →
 * `math/0309136`. An old number is unique within its archive and month, so the subject class is
 * redundant (arxiv_identifier.md) and arXiv resolves both forms to the same paper. Ids entering
 * from feeds and the API go through this, so one paper never counts as two. parseArxivId itself
 * keeps the form it was given, so a stored `math.GT/…` id still gets its links.
 */
export function canonicalArxivId(text: string): ParsedArxivId | null {
  const parsed = parseArxivId(text);
  if (parsed === null) return null;
  return { ...parsed, id: parsed.id.replace(/^([a-z]+(?:-[a-z]+)?)\.[A-Z]{2}\//, "$1/") };
}
