/**
 * Builds the committed feed fixtures (test/fixtures/feeds) from the real arXiv metadata in
 * test/fixtures/reference. Deterministic: the same input gives byte-identical output, so a re-run
 * shows up in `git diff` only when this script changes. The demo snapshot (demo/data) is built
 * from real listing days by scripts/build-demo.ts instead.
 *
 *   npx tsx scripts/build-fixtures.ts
 *
 * Titles, authors, abstracts and ids are arXiv's. Categories, versions, announce types and
 * licences are not in the reference, so they are assigned from a seeded hash of the id.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseCreators } from "../src/arxiv/creators.js";
import type { AnnounceType } from "../src/model/candidate.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const REFERENCE = join(ROOT, "test/fixtures/reference");
const FEEDS = join(ROOT, "test/fixtures/feeds");

const HOME = ["cs.LG", "cs.AI", "cs.CL"] as const;
const COMBINED = HOME.join("+");
const ELSEWHERE = ["stat.ML", "cs.CV", "cs.IR", "math.OC", "eess.SP", "cs.RO", "cs.NE", "q-bio.QM"];
const LICENCES = [
  "http://creativecommons.org/licenses/by/4.0/",
  "http://arxiv.org/licenses/nonexclusive-distrib/1.0/",
  "http://creativecommons.org/licenses/by-nc-sa/4.0/",
];
const TYPE_ORDER: AnnounceType[] = ["new", "cross", "replace", "replace-cross"];

/** A paper as the fixtures publish it. `creators` is the dc:creator string, TeX as submitted. */
interface Paper {
  id: string;
  version: number;
  title: string;
  abstract: string;
  creators: string;
  /** Primary first. */
  categories: string[];
  licence: string;
  doi?: string;
  journalRef?: string;
  comment?: string;
  /** Export-API timestamps, when known; otherwise derived from the id (see apiTimes). */
  published?: string;
  updated?: string;
  /** Which reference file the paper came from (its output date). */
  referenceDate?: string;
}

interface ReferenceRecord {
  title: string;
  abstract: string;
  authors: string[];
}

// ---------------------------------------------------------------------------------------------
// Deterministic assignment

/** A number in [0, 1) fixed by the seed and the id. */
function unit(seed: string, id: string): number {
  return createHash("sha256").update(`${seed}:${id}`).digest().readUInt32BE(0) / 2 ** 32;
}

function pick<T>(items: readonly T[], seed: string, id: string): T {
  return items[Math.floor(unit(seed, id) * items.length)]!;
}

function byHash<T extends { id: string }>(items: T[], seed: string): T[] {
  return [...items].sort((a, b) => unit(seed, a.id) - unit(seed, b.id) || (a.id < b.id ? -1 : 1));
}

function assignCategories(id: string): string[] {
  const inside = unit("primary-inside", id) < 0.75;
  const primary = inside ? pick(["cs.LG", "cs.LG", "cs.AI", "cs.CL"], "primary", id) : pick(ELSEWHERE, "primary", id);
  const others = byHash(
    [...HOME, ...ELSEWHERE].filter((c) => c !== primary).map((c) => ({ id: c })),
    `secondary:${id}`,
  ).map((c) => c.id);
  const secondaries = others.slice(0, Math.floor(unit("secondary-count", id) * 3));
  // A paper whose primary lies elsewhere is in these feeds only as a cross-listing.
  if (!inside && !secondaries.some((c) => (HOME as readonly string[]).includes(c))) {
    secondaries.push(pick(HOME, "cross-into", id));
  }
  return [primary, ...secondaries];
}

function assignVersion(id: string): number {
  if (unit("replaced", id) >= 0.3) return 1;
  return unit("version", id) < 0.7 ? 2 : 3;
}

// ---------------------------------------------------------------------------------------------
// Reference papers

function loadReference(): Paper[] {
  const files = readdirSync(REFERENCE, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith("-output.json"))
    .sort();
  const papers = new Map<string, Paper>();
  for (const file of files) {
    const records = JSON.parse(readFileSync(join(REFERENCE, file), "utf8")) as Record<string, ReferenceRecord>;
    const referenceDate = /(\d{4}-\d{2}-\d{2})-output\.json$/.exec(file)![1]!;
    for (const [id, record] of Object.entries(records)) {
      if (papers.has(id)) continue;
      papers.set(id, {
        id,
        version: assignVersion(id),
        title: record.title,
        abstract: record.abstract,
        // The reference split dc:creator on every comma; joining restores the string arXiv sent.
        creators: record.authors.join(", "),
        categories: assignCategories(id),
        licence: pick(LICENCES, "licence", id),
        referenceDate,
      });
    }
  }
  return [...papers.values()];
}

/** Two real papers whose metadata carries what the reference lacks: old id, DOI, journal ref. */
const MALDACENA: Paper = {
  id: "hep-th/9711200",
  version: 3,
  title: "The Large N Limit of Superconformal Field Theories and Supergravity",
  abstract:
    // biome-ignore lint/suspicious/noTemplateCurlyInString: `${\cal N}` is TeX math, not a placeholder
    "We show that the large $N$ limit of certain conformal field theories in various dimensions include in their Hilbert space a sector describing supergravity on the product of Anti-deSitter spacetimes, spheres and other compact manifolds. This is shown by taking some branes in the full M/string theory and then taking a low energy limit where the field theory on the brane decouples from the bulk. We observe that, in this limit, we can still trust the near horizon geometry for large $N$. The enhanced supersymmetries of the near horizon geometry correspond to the extra supersymmetry generators present in the superconformal group (as opposed to just the super-Poincare group). The 't Hooft limit of 4-d ${\\cal N} =4$ super-Yang-Mills at the conformal point is shown to contain strings: they are IIB strings. We conjecture that compactifications of M/string theory on various Anti-deSitter spacetimes are dual to various conformal field theories. This leads to a new proposal for a definition of M-theory which could be extended to include five non-compact dimensions.",
  creators: "Juan M. Maldacena",
  categories: ["hep-th", "cs.LG"],
  licence: "http://arxiv.org/licenses/assumed-1991-2003/",
  doi: "10.1023/A:1026654312961",
  journalRef: "Adv.Theor.Math.Phys. 2 (1998) 231-252; Int.J.Theor.Phys. 38 (1999) 1113-1133",
  comment:
    "20 pages, harvmac, v2: section on AdS_2 corrected, references added, v3: More references and a sign in eqns 2.8 and 2.9 corrected",
  published: "1997-11-27T22:22:59Z",
  updated: "1998-01-22T18:41:42Z",
};

/** The example item of arXiv's RSS specification (docs/arxiv/rss_specifications.md). */
const MONTEIL_PEGON: Paper = {
  id: "2203.01250",
  version: 3,
  title: "Mass concentration in rescaled first order integral functionals",
  abstract:
    "We consider first order local minimization problems of the form $\\min \\int_{\\mathbb{R}^N}f(u,\\nabla u)$ under a mass constraint $\\int_{\\mathbb{R}^N}u=m$. We prove that the minimal energy function $H(m)$ is always concave, and that relevant rescalings of the energy, depending on a small parameter $\\varepsilon$, $\\Gamma$-converge towards the $H$-mass, defined for atomic measures $\\sum_i m_i\\delta_{x_i}$ as $\\sum_i H(m_i)$. We also consider Lagrangians depending on $\\varepsilon$, as well as space-inhomogeneous Lagrangians and $H$-masses. Our result holds under mild assumptions on $f$, and covers in particular $\\alpha$-masses in any dimension $N\\geq 2$ for exponents $\\alpha$ above a critical threshold, and all concave $H$-masses in dimension $N=1$. Our result yields in particular the concentration of Cahn-Hilliard fluids into droplets, and is related to the approximation of branched transport by elliptic energies.",
  creators: "Antonin Monteil, Paul Pegon",
  categories: ["math.AP", "math.OC", "cs.LG"],
  licence: "http://creativecommons.org/licenses/by/4.0/",
  doi: "10.5802/jep.257",
  journalRef: "Journal de l'\\'Ecole polytechnique - Math\\'ematiques, Tome 11 (2024), pp. 431-472",
};

/**
 * Papers the full-size day must contain, each for a case the parser has to get right. The
 * placement overrides make the tests' expectations obvious from this table.
 */
const FULL_DAY_CASES: Record<string, Partial<Paper>> = {
  // Id ending in 0 (a number parser makes it 2602.0487), TeX accents, listed in all three feeds.
  "2602.04870": { categories: ["cs.LG", "cs.AI", "cs.CL"], version: 1 },
  // Affiliations containing commas; a replacement cross-listed into cs.LG.
  "2511.06425": { categories: ["cs.CV", "cs.LG"], version: 2 },
  "2512.23981": { categories: ["cs.CL", "cs.AI"], version: 1 },
  "2511.09465": { categories: ["q-bio.QM", "cs.LG"], version: 1 },
  // TeX accents and `&` in a title.
  "2512.09786": { categories: ["cs.LG"], version: 2 },
  // Accents: \H{o}, {\l}.
  "2602.11956": { categories: ["cs.AI", "cs.LG"], version: 1 },
  "2511.01061": { categories: ["cs.CL"], version: 3 },
  // `<` in an abstract; "Abstract" inside an abstract.
  "2505.12579": { categories: ["cs.LG", "cs.CL"], version: 2 },
  "2511.09400": { categories: ["cs.LG"], version: 1 },
  // Its apostrophe is written as &#8217; (the only change made to reference text; see README).
  "2602.03896": { categories: ["stat.ML", "cs.LG"], version: 1 },
};
const CURLY_TITLE_ID = "2602.03896";

// ---------------------------------------------------------------------------------------------
// Announce types and counting

function announceTypeIn(paper: Paper, feedCategories: readonly string[]): AnnounceType | null {
  if (!paper.categories.some((c) => feedCategories.includes(c))) return null;
  const primaryHere = feedCategories.includes(paper.categories[0]!);
  if (paper.version === 1) return primaryHere ? "new" : "cross";
  return primaryHere ? "replace" : "replace-cross";
}

interface FeedEntry {
  paper: Paper;
  type: AnnounceType;
}

/** The entries a feed for these categories lists, in arXiv's order: by announce type, then id. */
function feedEntries(papers: Paper[], feedCategories: readonly string[]): FeedEntry[] {
  return papers
    .flatMap((paper) => {
      const type = announceTypeIn(paper, feedCategories);
      return type ? [{ paper, type }] : [];
    })
    .sort((a, b) => TYPE_ORDER.indexOf(a.type) - TYPE_ORDER.indexOf(b.type) || (a.paper.id < b.paper.id ? -1 : 1));
}

function countTypes(entries: FeedEntry[]): Record<AnnounceType, number> {
  const counts = { new: 0, cross: 0, replace: 0, "replace-cross": 0 };
  for (const e of entries) counts[e.type]++;
  return counts;
}

// ---------------------------------------------------------------------------------------------
// XML writers

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function escapeTitle(paper: Paper): string {
  const escaped = escapeXml(paper.title);
  return paper.id === CURLY_TITLE_ID ? escaped.replace("'", "&#8217;") : escaped;
}

interface Day {
  /** YYYY-MM-DD of the announcement (the channel pubDate). */
  date: string;
  /** Time of the feed build, HH:MM:SS UTC on `date` (or on `buildDate`). */
  buildTime: string;
  buildDate?: string;
}

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function rfc822(date: string, time: string, zone: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  const day = String(d.getUTCDate()).padStart(2, "0");
  return `${WEEKDAYS[d.getUTCDay()]}, ${day} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${time} ${zone}`;
}

/** US Eastern offset at local midnight of `date` (DST from the 2nd Sunday of March to the 1st of November). */
function easternOffset(date: string): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const nthSunday = (month: number, n: number) => {
    const first = new Date(Date.UTC(y, month - 1, 1)).getUTCDay();
    return 1 + ((7 - first) % 7) + 7 * (n - 1);
  };
  const key = m * 100 + d;
  const dst = key > 300 + nthSunday(3, 2) && key <= 1100 + nthSunday(11, 1);
  return dst ? "-0400" : "-0500";
}

function description(entry: FeedEntry): string {
  const { paper, type } = entry;
  return `arXiv:${paper.id}v${paper.version} Announce Type: ${type} \nAbstract: ${escapeXml(paper.abstract)}`;
}

/** The arXiv and Dublin Core elements that close an item (RSS) or entry (Atom) alike. */
function arxivElements(entry: FeedEntry, indent: string): string {
  const { paper } = entry;
  let out = `${indent}<arxiv:announce_type>${entry.type}</arxiv:announce_type>\n`;
  out += `${indent}<dc:rights>${paper.licence}</dc:rights>\n`;
  if (paper.doi) out += `${indent}<arxiv:DOI>${escapeXml(paper.doi)}</arxiv:DOI>\n`;
  if (paper.journalRef) {
    out += `${indent}<arxiv:journal_reference>${escapeXml(paper.journalRef)}</arxiv:journal_reference>\n`;
  }
  return `${out}${indent}<dc:creator>${escapeXml(paper.creators)}</dc:creator>\n`;
}

function rssFeed(categories: string, day: Day, entries: FeedEntry[]): string {
  const pubDate = rfc822(day.date, "00:00:00", easternOffset(day.date));
  const items = entries.map((entry) => {
    const { paper } = entry;
    return (
      "    <item>\n" +
      `      <title>${escapeTitle(paper)}</title>\n` +
      `      <link>https://arxiv.org/abs/${paper.id}</link>\n` +
      `      <description>${description(entry)}</description>\n` +
      `      <guid isPermaLink="false">oai:arXiv.org:${paper.id}v${paper.version}</guid>\n` +
      paper.categories.map((c) => `      <category>${c}</category>\n`).join("") +
      `      <pubDate>${pubDate}</pubDate>\n` +
      arxivElements(entry, "      ") +
      "    </item>\n"
    );
  });
  return (
    "<?xml version='1.0' encoding='UTF-8'?>\n" +
    '<rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" version="2.0">\n' +
    "  <channel>\n" +
    `    <title>${categories} updates on arXiv.org</title>\n` +
    `    <link>http://rss.arxiv.org/rss/${categories}</link>\n` +
    `    <description>${categories} updates on the arXiv.org e-print archive.</description>\n` +
    `    <atom:link href="https://rss.arxiv.org/atom/${categories}" rel="self" type="application/rss+xml"/>\n` +
    "    <docs>http://www.rssboard.org/rss-specification</docs>\n" +
    "    <language>en-us</language>\n" +
    `    <lastBuildDate>${rfc822(day.buildDate ?? day.date, day.buildTime, "+0000")}</lastBuildDate>\n` +
    "    <managingEditor>rss-help@arxiv.org</managingEditor>\n" +
    `    <pubDate>${pubDate}</pubDate>\n` +
    "    <skipDays>\n      <day>Saturday</day>\n      <day>Sunday</day>\n    </skipDays>\n" +
    items.join("") +
    "  </channel>\n</rss>\n"
  );
}

function atomFeed(categories: string, day: Day, entries: FeedEntry[]): string {
  const offset = easternOffset(day.date);
  const published = `${day.date}T00:00:00${offset.slice(0, 3)}:${offset.slice(3)}`;
  const updated = `${day.buildDate ?? day.date}T${day.buildTime}.512208+00:00`;
  const items = entries.map((entry) => {
    const { paper } = entry;
    return (
      "  <entry>\n" +
      `    <id>oai:arXiv.org:${paper.id}v${paper.version}</id>\n` +
      `    <title>${escapeTitle(paper)}</title>\n` +
      `    <updated>${updated}</updated>\n` +
      `    <link href="https://arxiv.org/abs/${paper.id}" rel="alternate" type="text/html"/>\n` +
      `    <summary>${description(entry)}</summary>\n` +
      paper.categories.map((c) => `    <category term="${c}"/>\n`).join("") +
      `    <published>${published}</published>\n` +
      arxivElements(entry, "    ") +
      "  </entry>\n"
    );
  });
  return (
    "<?xml version='1.0' encoding='UTF-8'?>\n" +
    '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/" xml:lang="en-us">\n' +
    `  <id>http://rss.arxiv.org/atom/${categories}</id>\n` +
    `  <title>${categories} updates on arXiv.org</title>\n` +
    `  <updated>${updated}</updated>\n` +
    `  <link href="http://rss.arxiv.org/atom/${categories}" rel="self" type="application/atom+xml"/>\n` +
    `  <subtitle>${categories} updates on the arXiv.org e-print archive.</subtitle>\n` +
    items.join("") +
    "</feed>\n"
  );
}

// ---------------------------------------------------------------------------------------------
// Export API answers (docs/arxiv/api-user-manual.md §3.3)

const API_NS =
  'xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom"';

/** Submission timestamps are not in the reference: first version in the id's month, later ones after. */
function apiTimes(paper: Paper): { published: string; updated: string } {
  if (paper.published && paper.updated) return { published: paper.published, updated: paper.updated };
  const yymm = /^(\d{2})(\d{2})\./.exec(paper.id);
  const [year, month] = [2000 + Number(yymm![1]), Number(yymm![2])];
  const day = 1 + Math.floor(unit("published-day", paper.id) * 27);
  const at = (d: number, hour: number) =>
    `${year}-${String(month).padStart(2, "0")}-${String(d).padStart(2, "0")}T${String(hour).padStart(2, "0")}:${String(Math.floor(unit("minute", paper.id) * 60)).padStart(2, "0")}:07Z`;
  const published = at(day, 9 + Math.floor(unit("hour", paper.id) * 9));
  return { published, updated: paper.version === 1 ? published : at(Math.min(28, day + paper.version), 17) };
}

/** The API lists authors one by one, affiliations as sub-elements, names in Unicode. */
function apiAuthors(creators: string): string {
  return parseCreators(creators)
    .map(
      (author) =>
        "    <author>\n" +
        `      <name>${escapeXml(author.name)}</name>\n` +
        author.affiliations.map((a) => `      <arxiv:affiliation>${escapeXml(a)}</arxiv:affiliation>\n`).join("") +
        "    </author>\n",
    )
    .join("");
}

/** The API wraps abstracts at about 80 columns with a two-space indent on the first line. */
function wrap(text: string): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && line.length + word.length + 1 > 78) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  lines.push(line);
  return `  ${lines.join("\n")}\n`;
}

function apiEntry(paper: Paper): string {
  const { published, updated } = apiTimes(paper);
  const versioned = `${paper.id}v${paper.version}`;
  return (
    "  <entry>\n" +
    `    <id>http://arxiv.org/abs/${versioned}</id>\n` +
    `    <updated>${updated}</updated>\n` +
    `    <published>${published}</published>\n` +
    `    <title>${escapeXml(paper.title)}</title>\n` +
    `    <summary>${escapeXml(wrap(paper.abstract))}</summary>\n` +
    apiAuthors(paper.creators) +
    (paper.doi ? `    <arxiv:doi>${escapeXml(paper.doi)}</arxiv:doi>\n` : "") +
    (paper.doi ? `    <link title="doi" href="http://dx.doi.org/${escapeXml(paper.doi)}" rel="related"/>\n` : "") +
    (paper.comment ? `    <arxiv:comment>${escapeXml(paper.comment)}</arxiv:comment>\n` : "") +
    (paper.journalRef ? `    <arxiv:journal_ref>${escapeXml(paper.journalRef)}</arxiv:journal_ref>\n` : "") +
    `    <link href="http://arxiv.org/abs/${versioned}" rel="alternate" type="text/html"/>\n` +
    `    <link title="pdf" href="http://arxiv.org/pdf/${versioned}" rel="related" type="application/pdf"/>\n` +
    `    <arxiv:primary_category term="${paper.categories[0]}" scheme="http://arxiv.org/schemas/atom"/>\n` +
    paper.categories.map((c) => `    <category term="${c}" scheme="http://arxiv.org/schemas/atom"/>\n`).join("") +
    "  </entry>\n"
  );
}

function apiPage(query: string, total: number, start: number, perPage: number, papers: Paper[]): string {
  const canonical = `search_query=${query}&id_list=&start=${start}&max_results=${perPage}`;
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<feed ${API_NS}>\n` +
    `  <link href="http://arxiv.org/api/query?${escapeXml(canonical)}" rel="self" type="application/atom+xml"/>\n` +
    `  <title type="html">ArXiv Query: ${escapeXml(canonical)}</title>\n` +
    `  <id>http://arxiv.org/api/${createHash("sha1").update(canonical).digest("base64url").slice(0, 27)}</id>\n` +
    "  <updated>2026-02-05T00:00:00-05:00</updated>\n" +
    `  <opensearch:totalResults>${total}</opensearch:totalResults>\n` +
    `  <opensearch:startIndex>${start}</opensearch:startIndex>\n` +
    `  <opensearch:itemsPerPage>${perPage}</opensearch:itemsPerPage>\n` +
    papers.map(apiEntry).join("") +
    "</feed>\n"
  );
}

/** The error answer shown in docs/arxiv/api-user-manual.md §3.4. */
const API_ERROR = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">
  <link xmlns="http://www.w3.org/2005/Atom" href="http://arxiv.org/api/query?search_query=&amp;id_list=1234.12345" rel="self" type="application/atom+xml"/>
  <title xmlns="http://www.w3.org/2005/Atom">ArXiv Query: search_query=&amp;id_list=1234.12345</title>
  <id xmlns="http://www.w3.org/2005/Atom">http://arxiv.org/api/kvuntZ8c9a4Eq5CF7KY03nMug+Q</id>
  <updated xmlns="http://www.w3.org/2005/Atom">2007-10-12T00:00:00-04:00</updated>
  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">1</opensearch:totalResults>
  <opensearch:startIndex xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">0</opensearch:startIndex>

  <opensearch:itemsPerPage xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">1</opensearch:itemsPerPage>
  <entry xmlns="http://www.w3.org/2005/Atom">
    <id xmlns="http://www.w3.org/2005/Atom">http://arxiv.org/api/errors#incorrect_id_format_for_1234.12345</id>
    <title xmlns="http://www.w3.org/2005/Atom">Error</title>
    <summary xmlns="http://www.w3.org/2005/Atom">incorrect id format for 1234.12345</summary>
    <updated xmlns="http://www.w3.org/2005/Atom">2007-10-12T00:00:00-04:00</updated>

    <link xmlns="http://www.w3.org/2005/Atom" href="http://arxiv.org/api/errors#incorrect_id_format_for_1234.12345" rel="alternate" type="text/html"/>
    <author xmlns="http://www.w3.org/2005/Atom">
      <name xmlns="http://www.w3.org/2005/Atom">arXiv api core</name>
    </author>
  </entry>
</feed>
`;

// ---------------------------------------------------------------------------------------------
// Output

const written: string[] = [];

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  written.push(`${relative(ROOT, path)} (${Buffer.byteLength(text)} bytes)`);
}

function positionAt(text: string, index: number): { line: number; column: number } {
  const before = text.slice(0, index);
  return { line: before.split("\n").length, column: index - before.lastIndexOf("\n") };
}

const FULL_DAY: Day = { date: "2026-02-05", buildTime: "05:00:14" };
const FULL_DAY_TARGET_ENTRIES = 430;

function buildFullDay(reference: Paper[]): Paper[] {
  const byId = new Map(reference.map((p) => [p.id, p]));
  const cases = Object.entries(FULL_DAY_CASES).map(([id, override]) => ({ ...byId.get(id)!, ...override }));
  const day = [...cases, MALDACENA, MONTEIL_PEGON];
  let entries = day.reduce((n, p) => n + HOME.filter((c) => announceTypeIn(p, [c])).length, 0);
  for (const paper of byHash(reference, "full-day")) {
    if (entries >= FULL_DAY_TARGET_ENTRIES) break;
    if (day.some((p) => p.id === paper.id)) continue;
    day.push(paper);
    entries += HOME.filter((c) => announceTypeIn(paper, [c])).length;
  }
  return day;
}

function main(): void {
  const reference = loadReference();
  rmSync(FEEDS, { recursive: true, force: true });

  const fullDay = buildFullDay(reference);
  const perCategory = HOME.map((category) => ({ category, entries: feedEntries(fullDay, [category]) }));
  for (const { category, entries } of perCategory) {
    write(join(FEEDS, `${FULL_DAY.date}/${category}.xml`), rssFeed(category, FULL_DAY, entries));
  }
  const combined = feedEntries(fullDay, HOME);
  write(join(FEEDS, `${FULL_DAY.date}/${COMBINED}.xml`), rssFeed(COMBINED, FULL_DAY, combined));
  write(join(FEEDS, `${FULL_DAY.date}/${COMBINED}.atom.xml`), atomFeed(COMBINED, FULL_DAY, combined));

  write(
    join(FEEDS, "weekend/cs.LG-2026-02-07.xml"),
    rssFeed("cs.LG", { date: "2026-02-07", buildTime: "05:00:09" }, []),
  );
  const stale = perCategory.find((f) => f.category === "cs.CL")!.entries;
  write(
    join(FEEDS, "stale/cs.CL-2026-02-06.xml"),
    rssFeed("cs.CL", { date: FULL_DAY.date, buildDate: "2026-02-06", buildTime: "04:31:07" }, stale),
  );
  const aiFeed = rssFeed("cs.AI", FULL_DAY, perCategory.find((f) => f.category === "cs.AI")!.entries);
  // Cut inside an item's description, as a dropped connection would.
  const cut = aiFeed.indexOf("Abstract: ", Math.floor(aiFeed.length * 0.55)) + 40;
  const truncated = aiFeed.slice(0, cut);
  write(join(FEEDS, "truncated/cs.AI-2026-02-05.xml"), truncated);

  const query = "cat:cs.LG AND submittedDate:[202602040000 TO 202602051400]";
  // The same papers, as the export API describes them on that day.
  const apiPapers = ["hep-th/9711200", "2602.04870", "2512.23981", "2511.09465", "2512.09786"].map(
    (id) => fullDay.find((p) => p.id === id)!,
  );
  write(join(FEEDS, "api/page-1.xml"), apiPage(query, apiPapers.length, 0, 3, apiPapers.slice(0, 3)));
  write(join(FEEDS, "api/page-2.xml"), apiPage(query, apiPapers.length, 3, 3, apiPapers.slice(3)));
  write(join(FEEDS, "api/error.xml"), API_ERROR);

  const end = positionAt(truncated, truncated.length);
  const counts = {
    feeds: perCategory.map(({ category, entries }) => ({ category, entries: entries.length, ...countTypes(entries) })),
    entries: perCategory.reduce((n, f) => n + f.entries.length, 0),
    unique: fullDay.length,
    combined: { entries: combined.length, ...countTypes(combined) },
    multiFeed: fullDay.filter((p) => HOME.filter((c) => p.categories.includes(c)).length >= 2).length,
    truncated: { bytes: Buffer.byteLength(truncated), ...end },
  };
  console.log(written.join("\n"));
  console.log(JSON.stringify(counts, null, 2));
}

main();
