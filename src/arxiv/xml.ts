/**
 * XML reading shared by the feed parser (RSS, Atom) and the export-API parser: a safe
 * fast-xml-parser setup that keeps every value a string, positions for error messages, and the
 * small schema helpers both parsers put on top of the parsed tree.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import * as z from "zod";

/** A feed that cannot be read: names the source and, for XML errors, the line and column. */
export class FeedParseError extends Error {
  override readonly name = "FeedParseError";
  constructor(
    readonly source: string,
    readonly detail: string,
    readonly line: number | null = null,
    readonly column: number | null = null,
  ) {
    super(`${source}: ${detail}`);
  }
}

/** Elements that repeat; without this a single child collapses into an object. */
const REPEATED = new Set([
  "rss.channel.item",
  "rss.channel.item.category",
  "feed.entry",
  "feed.entry.category",
  "feed.entry.link",
  "feed.entry.author",
  "feed.entry.author.arxiv:affiliation",
  "feed.link",
]);

const parser = new XMLParser({
  // Keeps `2401.00010` a string instead of the number 2401.0001.
  parseTagValue: false,
  ignoreAttributes: false,
  htmlEntities: true,
  isArray: (_name, jpath) => REPEATED.has(String(jpath)),
});

export function positionOf(xml: string, index: number): { line: number; column: number } {
  const before = xml.slice(0, index);
  const line = before.split("\n").length;
  return { line, column: index - before.lastIndexOf("\n") };
}

/**
 * Where `xml` declares a DTD (`<!DOCTYPE`, `<!ENTITY`) in its markup, or -1. Text inside CDATA
 * sections and comments is skipped over in the same scan, without a blanked copy of the document.
 */
function dtdIndex(xml: string): number {
  for (const m of xml.matchAll(/<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->|<!(?:DOCTYPE|ENTITY)/gi)) {
    if (!m[0].startsWith("<![") && !m[0].startsWith("<!--")) return m.index;
  }
  return -1;
}

/**
 * Validates and parses an XML document, returning the object tree. Shared by the RSS/Atom and
 * export-API parsers.
 */
export function readXmlDocument(xml: string, source: string): Record<string, unknown> {
  // Feeds never declare a DTD; refusing one keeps entity-expansion tricks out. Only real markup
  // counts: an abstract may quote `<!DOCTYPE html>` inside CDATA (or a comment), which is text.
  const doctype = dtdIndex(xml);
  if (doctype >= 0) {
    const { line, column } = positionOf(xml, doctype);
    throw new FeedParseError(
      source,
      `declares a DTD at line ${line}, column ${column}; arXiv feeds never do, so this is not one`,
      line,
      column,
    );
  }
  if (xml.trim() === "") throw new FeedParseError(source, "the response body is empty; fetch the feed again", 1, 1);
  const verdict = XMLValidator.validate(xml);
  if (verdict !== true) {
    const { msg, line, col } = verdict.err;
    // The validator reports elements still open at the end of input at 1:1; the end is where it broke.
    const unclosed = /^Invalid '\[(.*)\]' found\.$/s.exec(msg);
    if (unclosed) {
      const open = unclosed[1]!.replace(/["\s]/g, "").split(",").join(" > ");
      const end = positionOf(xml, xml.length);
      throw new FeedParseError(
        source,
        `XML is malformed at line ${end.line}, column ${end.column}: the document ends inside <${open}> (truncated download?); fetch the feed again`,
        end.line,
        end.column,
      );
    }
    throw new FeedParseError(
      source,
      `XML is malformed at line ${line}, column ${col}: ${msg} Fetch the feed again; if it persists, the server is sending something other than an arXiv feed`,
      line,
      col,
    );
  }
  return parser.parse(cdataAsText(xml)) as Record<string, unknown>;
}

/**
 * `xml` with every CDATA section written as the escaped text it stands for. A CDATA section is
 * plain text to XML, but the parser trims the text on each side of one on its own, so
 * `Abstract: <![CDATA[We…]]>` read as `Abstract:We…` and `a &amp; <![CDATA[b]]>` as `a &b`. Written
 * out, the element's text is one run again and is trimmed only at its ends, as any other. Sections
 * inside comments stay as they are; a section split in two to hold `]]>` joins up as written.
 */
function cdataAsText(xml: string): string {
  if (!xml.includes("<![CDATA[")) return xml;
  return xml.replace(/<!--[\s\S]*?-->|<!\[CDATA\[([\s\S]*?)\]\]>/g, (section, text: string | undefined) =>
    text === undefined ? section : text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;"),
  );
}

/** Text content of an element, with or without attributes; empty elements read as "". */
export const xmlText = z.union([
  z.string(),
  z.object({ "#text": z.string().optional() }).transform((node) => node["#text"] ?? ""),
]);

/** Collapses runs of whitespace (feeds wrap titles over lines). */
export function normalizeSpace(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** Names the first zod issue: where in the feed, and what was wrong. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0]!;
  const where = issue.path.length > 0 ? `<${issue.path.join(">")}>` : "the element";
  return `${where}: ${issue.message}`;
}

/** A real instant written as ISO 8601 with a date that exists (no 31 February). */
export function isIsoTimestamp(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/.exec(text);
  if (!m || Number.isNaN(Date.parse(text))) return false;
  const [, y, mo, d] = m.map(Number) as [number, number, number, number];
  const probe = new Date(Date.UTC(y, mo - 1, d));
  return probe.getUTCMonth() === mo - 1 && probe.getUTCDate() === d;
}

/** The document's root element name, ignoring the XML declaration and comments. */
export function rootElement(doc: Record<string, unknown>): string | undefined {
  return Object.keys(doc).find((key) => !key.startsWith("?") && !key.startsWith("#"));
}

/**
 * The namespaces whose elements the parsers read, by URI, each with the prefix the schemas name
 * them by. A feed may bind another prefix to the same URI (`xmlns:dcterms="http://purl.org/dc/
 * elements/1.1/"` with `<dcterms:creator>`): the element is the same, so it is read the same.
 */
const KNOWN_NAMESPACES: Readonly<Record<string, string>> = {
  "http://purl.org/dc/elements/1.1/": "dc",
  "http://arxiv.org/schemas/atom": "arxiv",
};

/** The prefixes `node` declares (`xmlns:p="uri"` attributes), added to those of its ancestors. */
export function declaredPrefixes(node: unknown, outer: ReadonlyMap<string, string> = new Map()): Map<string, string> {
  const scope = new Map(outer);
  if (typeof node !== "object" || node === null) return scope;
  for (const [key, value] of Object.entries(node)) {
    const m = /^@_xmlns:(.+)$/.exec(key);
    if (m && typeof value === "string") scope.set(m[1]!, value.trim());
  }
  return scope;
}

/**
 * `node`'s child elements renamed by namespace URI rather than by the prefix written: an element
 * of a known namespace is named with that namespace's usual prefix (`dcterms:creator` bound to
 * Dublin Core reads as `dc:creator`). A usual prefix bound to some other namespace is renamed out
 * of the way, so it is not mistaken for ours. Prefixes the document never declares stay as written.
 * Where two names end up the same, the first with text wins.
 */
export function byNamespace(node: unknown, outer: ReadonlyMap<string, string>): unknown {
  if (typeof node !== "object" || node === null || Array.isArray(node)) return node;
  const scope = declaredPrefixes(node, outer);
  if (scope.size === 0) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    const m = /^([^@#:][^:]*):(.+)$/.exec(key);
    const uri = m ? scope.get(m[1]!) : undefined;
    let name = key;
    if (m && uri !== undefined) {
      const usual = KNOWN_NAMESPACES[uri];
      if (usual !== undefined) name = `${usual}:${m[2]}`;
      else if (Object.values(KNOWN_NAMESPACES).includes(m[1]!)) name = `${m[1]}{${uri}}:${m[2]}`;
    }
    if (name in out && hasText(out[name])) continue;
    out[name] = value;
  }
  return out;
}

function hasText(value: unknown): boolean {
  if (typeof value === "string") return value.trim() !== "";
  if (Array.isArray(value)) return value.some(hasText);
  if (typeof value === "object" && value !== null) return hasText((value as Record<string, unknown>)["#text"] ?? "");
  return false;
}
