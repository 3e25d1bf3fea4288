/**
 * Parses the feeds rss.arxiv.org serves (docs/arxiv/rss_specifications.md and the Atom specification):
 * RSS 2.0 under `<rss>`, Atom under `<feed>`. Everything is untrusted: the XML is validated first
 * (errors carry line and column), then the parsed shape is checked with zod, and every entry
 * error names the entry.
 */
import * as z from "zod";
import { decodeTex } from "../format/math-spans.js";
import {
  ANNOUNCE_TYPES,
  type AnnounceType,
  type Candidate,
  type FeedChannel,
  type ParsedFeed,
} from "../model/candidate.js";
import { parseCreators } from "./creators.js";
import { canonicalArxivId } from "./ids.js";
import {
  byNamespace,
  declaredPrefixes,
  describeIssue,
  FeedParseError,
  isIsoTimestamp,
  normalizeSpace,
  positionOf,
  readXmlDocument,
  rootElement,
  xmlText,
} from "./xml.js";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
/** Zone names RFC 822 allows (and UTC, which servers write too), as offsets. */
const NAMED_ZONES: Record<string, string> = {
  GMT: "+00:00",
  UT: "+00:00",
  UTC: "+00:00",
  Z: "+00:00",
  EST: "-05:00",
  EDT: "-04:00",
  CST: "-06:00",
  CDT: "-05:00",
  MST: "-07:00",
  MDT: "-06:00",
  PST: "-08:00",
  PDT: "-07:00",
};

/**
 * An RFC 822 date (`Fri, 23 Feb 2024 00:00:00 -0500`) as ISO 8601 in the same zone
 * (`2024-02-23T00:00:00-05:00`), so the calendar date stays the one written; null if unreadable.
 * A zone may be a name (`GMT`, `EST`) and may be followed by a comment (`+0000 (UTC)`), as RFC 822
 * allows; the weekday, which says nothing the date does not, may be left out or spelled in full.
 */
function rfc822ToIso(text: string): string | null {
  const m =
    /^(?:[A-Za-z]{3,9},?\s*)?(\d{1,2})\s+([A-Za-z]{3})[A-Za-z]*\s+(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([+-]\d{4}|[A-Za-z]{1,3})?(?:\s*\([^()]*\))?$/.exec(
      text.trim(),
    );
  if (!m) return null;
  const [, day, mon, year, hh, mm, ss = "00", zone] = m;
  const month = MONTHS.findIndex((name) => name.toLowerCase() === mon!.toLowerCase()) + 1;
  // No zone at all is read as UTC, as RFC 5322 reads "-0000": the time is known, its zone is not.
  const offset =
    zone === undefined
      ? "+00:00"
      : /^[+-]\d{4}$/.test(zone)
        ? `${zone.slice(0, 3)}:${zone.slice(3)}`
        : NAMED_ZONES[zone.toUpperCase()];
  if (month === 0 || offset === undefined) return null;
  const iso = `${year}-${String(month).padStart(2, "0")}-${day!.padStart(2, "0")}T${hh!.padStart(2, "0")}:${mm}:${ss}${offset}`;
  return isIsoTimestamp(iso) ? iso : null;
}

/** `<dc:creator>` holds the whole author list; a feed that writes one element per author is read as their list. */
const creatorText = z.union([
  xmlText,
  z.array(xmlText).transform((names) => names.filter((n) => n.trim() !== "").join(", ")),
]);

const RssItemSchema = z.object({
  title: xmlText.optional(),
  link: xmlText.optional(),
  description: xmlText.optional(),
  guid: xmlText.optional(),
  category: z.array(xmlText).optional(),
  "arxiv:announce_type": xmlText.optional(),
  "dc:creator": creatorText.optional(),
  "arxiv:DOI": xmlText.optional(),
  "arxiv:journal_reference": xmlText.optional(),
});

const RssSchema = z.object({
  channel: z.object({
    title: xmlText.optional(),
    pubDate: xmlText.optional(),
    lastBuildDate: xmlText.optional(),
    item: z.array(z.unknown()).optional(),
  }),
});

const AtomEntrySchema = z.object({
  id: xmlText.optional(),
  title: xmlText.optional(),
  summary: xmlText.optional(),
  published: xmlText.optional(),
  category: z.array(z.object({ "@_term": z.string() })).optional(),
  "arxiv:announce_type": xmlText.optional(),
  "dc:creator": creatorText.optional(),
  author: z.array(z.object({ name: xmlText })).optional(),
  "arxiv:DOI": xmlText.optional(),
  "arxiv:journal_reference": xmlText.optional(),
});

const AtomSchema = z.object({
  title: xmlText.optional(),
  updated: xmlText.optional(),
  entry: z.array(z.unknown()).optional(),
});

/** The fields both feed formats carry, before they become a Candidate. */
interface RawEntry {
  id?: string;
  title?: string;
  text?: string;
  categories: string[];
  announceType?: string;
  creators?: string;
  doi?: string;
  journalRef?: string;
}

// `arXiv:{id}v{N} Announce Type: {type} \nAbstract: ` opens every description; it is removed as
// a whole, never by splitting at the first "Abstract: " (an abstract may contain that word). The
// line break may have collapsed into spaces (a feed re-wrapped on its way), so any white space
// separates the two halves, and the abstract starts after all the white space that follows them
// (a feed that puts the abstract in a CDATA section may put that on a line of its own).
const PREFIX = /^arXiv:(\S+)\s+Announce Type:\s*([A-Za-z-]+)\s+Abstract:\s+/;

function isAnnounceType(value: string): value is AnnounceType {
  return (ANNOUNCE_TYPES as readonly string[]).includes(value);
}

/** arXiv caps abstracts at 1,920 characters; anything far beyond is not an abstract we can show. */
export const MAX_ABSTRACT_CHARS = 5000;

/** `text` cut to MAX_ABSTRACT_CHARS, with the original length when it was cut. */
export function capAbstract(text: string): { abstract: string; truncatedFrom?: number } {
  if (text.length <= MAX_ABSTRACT_CHARS) return { abstract: text };
  return { abstract: `${text.slice(0, MAX_ABSTRACT_CHARS)}…`, truncatedFrom: text.length };
}

export type FeedProblem = NonNullable<ParsedFeed["problems"]>[number];

/** One entry that cannot be read; the feed skips it and goes on. */
class EntryError extends Error {}

interface EntryContext {
  label: string;
  fail: (detail: string) => never;
  /** Records a caveat about an entry that is kept. */
  note: (detail: string) => void;
}

function toCandidate(raw: RawEntry, ctx: EntryContext): Candidate {
  const { label, note } = ctx;
  // Called through ctx: TypeScript narrows after a never-returning call only on a declared name.
  const fail: (detail: string) => never = ctx.fail;
  if (raw.id === undefined || raw.id.trim() === "")
    fail(`${label} has no arXiv id (<guid> / <id>); skip or fix the feed`);
  const parsedId = canonicalArxivId(raw.id);
  if (!parsedId) fail(`${label} has an id that is not an arXiv identifier: "${raw.id}"`);
  const named = `${label} (${raw.id.trim()})`;
  const description = (raw.text ?? "").trim();
  const prefix = PREFIX.exec(description);
  if (prefix) {
    const stated = canonicalArxivId(prefix[1]!);
    if (stated?.id !== parsedId.id || (stated.version ?? parsedId.version) !== parsedId.version) {
      fail(`${named}: its abstract is labelled arXiv:${prefix[1]}, which is a different paper or version`);
    }
  } else if (description.startsWith("arXiv:")) {
    fail(`${named}: the abstract does not open with "arXiv:{id}v{N} Announce Type: {type}" and "Abstract: "`);
  }
  const title = decodeTex(normalizeSpace(raw.title ?? ""));
  if (title === "") fail(`${named} has an empty title`);
  const written = (raw.announceType ?? prefix?.[2] ?? "").trim();
  // An announce type arXiv adds later must not cost the paper: it is kept under the type its
  // version implies (a first version is new to arXiv), with the feed's word alongside.
  const known = isAnnounceType(written);
  const announceType: AnnounceType = known ? written : (parsedId.version ?? 1) > 1 ? "replace" : "new";
  if (!known) {
    note(
      `${named}: announce type "${written}" is not one of ${ANNOUNCE_TYPES.join(", ")}; kept as "${announceType}" (announceTypeRaw "${written}"). The feed format may have changed`,
    );
  }
  const { abstract, truncatedFrom } = capAbstract(prefix ? description.slice(prefix[0].length) : description);
  if (truncatedFrom !== undefined) {
    note(
      `${named}: the abstract has ${truncatedFrom} characters (arXiv allows 1,920); kept its first ${MAX_ABSTRACT_CHARS}`,
    );
  }
  const authors = parseCreators(raw.creators ?? "");
  if (authors.length === 0) {
    note(`${named} names no authors (its <dc:creator> is missing or empty); kept without them`);
  }
  const candidate: Candidate = {
    id: parsedId.id,
    version: parsedId.version,
    title,
    abstract,
    authors,
    categories: [...new Set(raw.categories.map(normalizeSpace).filter((c) => c !== ""))],
    announceType,
  };
  if (!known) candidate.announceTypeRaw = written;
  if (truncatedFrom !== undefined) candidate.abstractTruncatedFrom = truncatedFrom;
  const doi = normalizeSpace(raw.doi ?? "");
  if (doi !== "") candidate.doi = doi;
  const journalRef = decodeTex(normalizeSpace(raw.journalRef ?? ""));
  if (journalRef !== "") candidate.journalRef = journalRef;
  return candidate;
}

/** The id an entry gives, as written, for naming it in a problem (it may not parse). */
function writtenId(item: unknown): string | null {
  if (typeof item !== "object" || item === null) return null;
  const record = item as Record<string, unknown>;
  for (const key of ["guid", "id", "link"]) {
    const value = xmlText.safeParse(record[key]);
    if (value.success && value.data.trim() !== "") return value.data.trim();
  }
  return null;
}

/**
 * Reads every entry on its own: one malformed entry is skipped and reported, never the whole
 * feed, because the other few hundred papers of the day are fine. Only when no entry at all can
 * be read does the feed fail: that means the format changed, not one bad entry.
 */
function readEntries<S extends z.ZodType>(
  items: unknown[],
  schema: S,
  toRaw: (item: z.output<S>, fail: (detail: string) => never) => RawEntry,
  kind: string,
  xml: string,
  source: string,
  namespaces: ReadonlyMap<string, string>,
): { entries: Candidate[]; problems: FeedProblem[] } {
  const starts = [...xml.matchAll(new RegExp(`<${kind}[\\s>/]`, "g"))].map((m) => m.index);
  const entries: Candidate[] = [];
  const problems: FeedProblem[] = [];
  items.forEach((item, index) => {
    const label = `${kind} ${index + 1}`;
    // Lines are counted only for an entry with a problem: counting them for every entry of a
    // 2,000-item feed would rescan the document 2,000 times.
    const lineOf = () => (starts[index] === undefined ? null : positionOf(xml, starts[index]).line);
    const where = (detail: string, line: number | null) => (line === null ? detail : `${detail} (line ${line})`);
    const fail: (detail: string) => never = (detail) => {
      throw new EntryError(where(detail, lineOf()));
    };
    const note = (detail: string) => {
      const line = lineOf();
      problems.push({ position: index + 1, line, id: writtenId(item), kept: true, message: where(detail, line) });
    };
    try {
      const parsed = schema.safeParse(byNamespace(item, namespaces));
      if (!parsed.success) fail(`${label} is malformed at ${describeIssue(parsed.error)}`);
      entries.push(toCandidate(toRaw(parsed.data, fail), { label, fail, note }));
    } catch (error) {
      if (!(error instanceof EntryError)) throw error;
      problems.push({
        position: index + 1,
        line: lineOf(),
        id: writtenId(item),
        kept: false,
        message: `${error.message}; skipped`,
      });
    }
  });
  if (items.length > 0 && entries.length === 0) {
    const first = problems[0]!;
    throw new FeedParseError(
      source,
      `${items.length === 1 ? "its only entry" : `none of its ${items.length} entries`} could ${items.length === 1 ? "not " : ""}be read (the first: ${first.message}); the feed format may have changed`,
      first.line,
    );
  }
  return { entries, problems };
}

function readRss(rss: unknown, xml: string, source: string): ParsedFeed {
  const parsed = RssSchema.safeParse(rss);
  if (!parsed.success)
    throw new FeedParseError(source, `the RSS document is malformed at ${describeIssue(parsed.error)}`);
  const { channel } = parsed.data;
  const pubDate = readDate(channel.pubDate, "channel <pubDate>", documentFailure(source));
  const channelInfo: FeedChannel = {
    format: "rss",
    title: normalizeSpace(channel.title ?? ""),
    pubDate,
    announceDate: pubDate?.slice(0, 10) ?? null,
    lastBuildDate: readDate(channel.lastBuildDate, "channel <lastBuildDate>", documentFailure(source)),
  };
  const { entries, problems } = readEntries(
    channel.item ?? [],
    RssItemSchema,
    (item) => ({
      id: item.guid ?? item.link,
      title: item.title,
      text: item.description,
      categories: item.category ?? [],
      announceType: item["arxiv:announce_type"],
      creators: item["dc:creator"],
      doi: item["arxiv:DOI"],
      journalRef: item["arxiv:journal_reference"],
    }),
    "item",
    xml,
    source,
    declaredPrefixes((rss as { channel?: unknown }).channel, declaredPrefixes(rss)),
  );
  return { channel: channelInfo, entries, ...(problems.length > 0 ? { problems } : {}) };
}

function readDate(text: string | undefined, what: string, fail: (detail: string) => never): string | null {
  if (text === undefined || text.trim() === "") return null;
  const iso = rfc822ToIso(text) ?? (isIsoTimestamp(text.trim()) ? text.trim() : null);
  if (iso === null) fail(`${what} "${text}" is not a date (expected RFC 822 or ISO 8601)`);
  return iso;
}

/** A failure of the whole document, for the channel-level fields. */
function documentFailure(source: string): (detail: string) => never {
  return (detail) => {
    throw new FeedParseError(source, detail);
  };
}

function readAtom(feed: unknown, xml: string, source: string): ParsedFeed {
  const parsed = AtomSchema.safeParse(feed);
  if (!parsed.success)
    throw new FeedParseError(source, `the Atom document is malformed at ${describeIssue(parsed.error)}`);
  const published: string[] = [];
  const { entries, problems } = readEntries(
    parsed.data.entry ?? [],
    AtomEntrySchema,
    (entry, fail) => {
      const date = readDate(entry.published, "entry <published>", fail);
      if (date !== null) published.push(date);
      return {
        id: entry.id,
        title: entry.title,
        text: entry.summary,
        categories: (entry.category ?? []).map((c) => c["@_term"]),
        announceType: entry["arxiv:announce_type"],
        creators: entry["dc:creator"] ?? entry.author?.map((a) => a.name).join(", "),
        doi: entry["arxiv:DOI"],
        journalRef: entry["arxiv:journal_reference"],
      };
    },
    "entry",
    xml,
    source,
    declaredPrefixes(feed),
  );
  // Atom has no channel pubDate; each entry's <published> is the announcement date instead.
  const pubDate = published.sort().at(-1) ?? null;
  return {
    channel: {
      format: "atom",
      title: normalizeSpace(parsed.data.title ?? ""),
      pubDate,
      announceDate: pubDate?.slice(0, 10) ?? null,
      lastBuildDate: readDate(parsed.data.updated, "feed <updated>", documentFailure(source)),
    },
    entries,
    ...(problems.length > 0 ? { problems } : {}),
  };
}

/**
 * Parses one rss.arxiv.org feed (RSS 2.0 or Atom, told apart by the root element). `source`
 * names it in every error, e.g. `cs.LG feed (https://rss.arxiv.org/rss/cs.LG)`.
 */
export function parseArxivFeed(xml: string, source: string): ParsedFeed {
  const doc = readXmlDocument(xml, source);
  const root = rootElement(doc);
  if (root === "rss") return readRss(doc.rss, xml, source);
  if (root === "feed") return readAtom(doc.feed, xml, source);
  throw new FeedParseError(
    source,
    root === undefined
      ? "the document has no root element; expected an RSS <rss> or Atom <feed>"
      : `the root element is <${root}>, not an RSS <rss> or Atom <feed>; is the URL an arXiv feed?`,
  );
}
