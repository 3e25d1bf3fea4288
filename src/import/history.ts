/**
 * Imports the history a gpt_paper_assistant-family tool wrote into DayRecords:
 * - `YYYY-MM-DD-output.json` (under `out/json/YYYY-MM/` or flat): the day's digest papers, in page
 *   order (author matches first, then by score);
 * - `YYYY-MM-DD-daily-papers.json` (ChatGPT-ArXiv-Paper-Assistant): a bundle
 *   `{schema_version, meta: {date, usage}, topic_order, diagnostics, papers, topic_sections}`
 *   whose `papers` are the same digest papers with topic fields, and whose `meta.usage` holds the
 *   model, tokens, unrounded costs and the three counts;
 * - `YYYY-MM-DD-output.md` / `-latest.md` (beside the JSON or under `out/md/`): the rendered page,
 *   read for the remedial banner, the token and cost table, the counts and the selection prompt.
 * A bad file is reported with the reason and skipped; every other day is still imported.
 */
import type { Dirent } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { basename, join, relative } from "node:path";
import * as z from "zod";
import { holidayTable } from "../arxiv/holidays.js";
import { plural } from "../format/text.js";
import { requireFolder } from "../io/paths.js";
import {
  type DayRecord,
  DayRecordSchema,
  type Outcome,
  type PaperRecord,
  SCHEMA_VERSION,
  type Source,
  type StatusCode,
} from "../model/day-record.js";
import { reconcileBatches } from "./batches.js";
import { type PageFacts, type PageUsage, parseDigestPage } from "./page.js";
import { type ImportedPaper, importPaper, type Result } from "./paper.js";

export interface ImportReport {
  days: number;
  papers: number;
  /** Every file read, relative to the imported directory. */
  files: string[];
  /** What could not be mapped onto a DayRecord, naming the file and the field. */
  unmapped: string[];
  /** Files or days that could not be imported, with the reason and what to do. */
  errors: string[];
}

export interface ImportOptions {
  /** The clock used for `generatedAt` and source fetch times. */
  now?: () => Date;
  /** Feed dates without a batch, for telling a weekend label's feed day; the shipped table by default. */
  holidays?: Set<string>;
}

const DAY_FILE = /^(\d{4}-\d{2}-\d{2})-(output|latest|daily-papers)\.(json|md)$/;
/** Bundle fields derived from the papers (counts per topic, section lists): nothing to keep. */
const DERIVED_BUNDLE_FIELDS = ["schema_version", "topic_order", "diagnostics", "topic_sections"];

interface DayFiles {
  /** Digest JSON, best first: `-output.json`, then `-latest.json`. */
  digest: string[];
  bundle: string[];
  /** Pages, best first: `-output.md`, then `-latest.md`. */
  page: string[];
}

interface Context {
  root: string;
  nowIso: string;
  report: ImportReport;
}

async function walk(dir: string, found: string[]): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await walk(path, found);
    else if (entry.isFile() && DAY_FILE.test(entry.name)) found.push(path);
  }
}

function realDate(iso: string): boolean {
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso;
}

async function findDayFiles(root: string, ctx: Context): Promise<Map<string, DayFiles>> {
  const paths: string[] = [];
  await walk(root, paths);
  const rank = (p: string) => (/-(output)\.\w+$/.test(p) ? 0 : 1);
  paths.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const days = new Map<string, DayFiles>();
  for (const path of paths) {
    const [, date, suffix, ext] = DAY_FILE.exec(basename(path))!;
    if (!realDate(date!)) {
      ctx.report.errors.push(`${relative(root, path)}: ${date} is not a calendar date; rename the file or remove it`);
      continue;
    }
    const files = days.get(date!) ?? { digest: [], bundle: [], page: [] };
    days.set(date!, files);
    if (ext === "md") files.page.push(path);
    else if (suffix === "daily-papers") files.bundle.push(path);
    else files.digest.push(path);
  }
  return new Map([...days].sort(([a], [b]) => a.localeCompare(b)));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Report entries made while reading one kind of file, added to the report when the day is built. */
interface ReadLog {
  files: string[];
  errors: string[];
  unmapped: string[];
}

/** The file of one kind that was used for a day (if any), and what reading said about the others. */
interface Read<T> {
  used: { rel: string; value: T } | null;
  log: ReadLog;
}

type JsonObject = Record<string, unknown>;
type Bundle = JsonObject & { papers: JsonObject };

/** A day's files parsed, before anything is mapped onto a DayRecord. */
interface RawDay {
  date: string;
  files: DayFiles;
  digest: Read<JsonObject>;
  bundle: Read<Bundle>;
  /** Not read when the day has no usable JSON (there is nothing to import). */
  page: Read<PageFacts> | null;
}

/** The first readable file of a kind; the others are named in the log. */
async function readFirst<T>(paths: string[], root: string, read: (text: string, rel: string) => Result<T>) {
  const log: ReadLog = { files: [], errors: [], unmapped: [] };
  for (const [i, path] of paths.entries()) {
    const rel = relative(root, path);
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (err) {
      log.errors.push(`${rel}: cannot be read (${(err as Error).message}); check its permissions`);
      continue;
    }
    log.files.push(rel);
    const result = read(text, rel);
    if (!result.ok) {
      log.errors.push(result.problem);
      continue;
    }
    for (const other of paths.slice(i + 1)) {
      log.unmapped.push(`${relative(root, other)}: not read, ${rel} was used for the same day`);
    }
    return { used: { rel, value: result.value }, log };
  }
  return { used: null, log };
}

function addLog(ctx: Context, log: ReadLog): void {
  ctx.report.files.push(...log.files);
  ctx.report.errors.push(...log.errors);
  ctx.report.unmapped.push(...log.unmapped);
}

function parseJsonObject(text: string, rel: string): Result<JsonObject> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return {
      ok: false,
      problem: `${rel}: not valid JSON (${(err as Error).message}); fix or remove the file and import again`,
    };
  }
  return isRecord(value)
    ? { ok: true, value }
    : { ok: false, problem: `${rel}: expected a JSON object of papers keyed by arXiv id; skipped` };
}

function parseBundle(text: string, rel: string): Result<Bundle> {
  const parsed = parseJsonObject(text, rel);
  if (!parsed.ok) return parsed;
  const { papers } = parsed.value;
  return isRecord(papers)
    ? { ok: true, value: { ...parsed.value, papers } }
    : { ok: false, problem: `${rel}: has no "papers" object; skipped` };
}

/** Reading: a day's files → their parsed contents. The page is read only when there is JSON to go with it. */
async function readDay(date: string, files: DayFiles, root: string): Promise<RawDay> {
  const digest = await readFirst(files.digest, root, parseJsonObject);
  const bundle = await readFirst(files.bundle, root, parseBundle);
  const page =
    digest.used || bundle.used
      ? await readFirst(files.page, root, (text): Result<PageFacts> => ({ ok: true, value: parseDigestPage(text) }))
      : null;
  return { date, files, digest, bundle, page };
}

const BundleUsageSchema = z.object({
  model: z.string().nullish(),
  prompt_tokens: z.number().int().nonnegative(),
  completion_tokens: z.number().int().nonnegative(),
  prompt_cost: z.number().nonnegative().nullish(),
  completion_cost: z.number().nonnegative().nullish(),
  total_arxiv_papers: z.number().int().nonnegative().nullish(),
  total_scanned_papers: z.number().int().nonnegative().nullish(),
  total_relevant_papers: z.number().int().nonnegative().nullish(),
});

/** The bundle's `meta.usage` in the page's terms, for days whose page is missing or lacks the table. */
function bundleFacts(bundle: Record<string, unknown>, rel: string, ctx: Context): Pick<PageFacts, "usage" | "counts"> {
  const usage = isRecord(bundle.meta) ? bundle.meta.usage : undefined;
  const none = { usage: null, counts: { entries: null, scanned: null, selected: null } };
  if (usage === undefined || (isRecord(usage) && Object.keys(usage).length === 0)) return none;
  const parsed = BundleUsageSchema.safeParse(usage);
  if (!parsed.success) {
    ctx.report.unmapped.push(
      `${rel}: meta.usage not understood (${z.prettifyError(parsed.error).replace(/\n/g, " ")})`,
    );
    return none;
  }
  const u = parsed.data;
  const priced = u.prompt_cost != null && u.completion_cost != null;
  return {
    usage: {
      model: u.model ?? null,
      promptTokens: u.prompt_tokens,
      completionTokens: u.completion_tokens,
      cost: priced
        ? { prompt: u.prompt_cost!, completion: u.completion_cost!, total: u.prompt_cost! + u.completion_cost! }
        : null,
    },
    counts: {
      entries: u.total_arxiv_papers ?? null,
      scanned: u.total_scanned_papers ?? null,
      selected: u.total_relevant_papers ?? null,
    },
  };
}

/** Imports every entry of a papers object; entries that cannot be imported go to the report. */
function importPapers(entries: Record<string, unknown>, rel: string, outcome: Outcome, ctx: Context): ImportedPaper[] {
  const imported: ImportedPaper[] = [];
  const unmapped = new Map<string, number>();
  for (const [key, raw] of Object.entries(entries)) {
    const result = importPaper(key, raw, rel, outcome);
    if (!result.ok) {
      ctx.report.errors.push(result.problem);
      continue;
    }
    imported.push(result.value);
    for (const f of result.value.unmappedFields) unmapped.set(f, (unmapped.get(f) ?? 0) + 1);
  }
  for (const [field, n] of unmapped) {
    ctx.report.unmapped.push(`${rel}: field ${field} (${plural(n, "paper")}) kept in the day's notes`);
  }
  return imported;
}

/** Adds a bundle paper's topic to the digest paper with the same id, or returns it as a new one. */
function mergeBundlePaper(byId: Map<string, PaperRecord>, extra: PaperRecord): PaperRecord | null {
  const known = byId.get(extra.id);
  if (!known) return extra;
  if (known.topic === null) known.topic = extra.topic;
  return null;
}

function usageOf(usage: PageUsage | null): DayRecord["usage"] {
  return {
    stages: {},
    calls: [],
    total: {
      model: usage?.model ?? null,
      calls: 0,
      promptTokens: usage?.promptTokens ?? 0,
      cachedPromptTokens: 0,
      completionTokens: usage?.completionTokens ?? 0,
      cost: usage?.cost ?? null,
    },
    costSource: "imported",
  };
}

function source(rel: string, entries: number, ctx: Context): Source {
  return { url: rel, categories: [], kind: "import", entries, fetchedAt: ctx.nowIso, outcome: "ok" };
}

/** The papers of one day as they are gathered from its files, in page order, with the day's notes. */
class DayPapers {
  readonly papers: PaperRecord[] = [];
  readonly notes: string[] = [];
  readonly sources: Source[] = [];
  readonly byId = new Map<string, PaperRecord>();

  add(list: ImportedPaper[]): void {
    for (const { paper, notes } of list) {
      if (this.byId.has(paper.id)) {
        this.notes.push(`paper ${paper.id} is listed twice in one file; the first entry was kept`);
        continue;
      }
      this.byId.set(paper.id, paper);
      this.papers.push(paper);
      this.notes.push(...notes);
    }
  }
}

function addDigest(day: DayPapers, digest: { rel: string; value: JsonObject }, ctx: Context): void {
  const list = importPapers(digest.value, digest.rel, "selected", ctx);
  day.add(list);
  day.sources.push(source(digest.rel, list.length, ctx));
}

/** Adds the bundle's papers and returns its usage and counts. */
function addBundle(
  day: DayPapers,
  bundle: { rel: string; value: Bundle },
  hasDigest: boolean,
  ctx: Context,
): Pick<PageFacts, "usage" | "counts"> {
  const facts = bundleFacts(bundle.value, bundle.rel, ctx);
  // The bundle is the digest as the tool showed it: its `papers` are the relevant papers (its
  // meta.usage.total_relevant_papers counts them, its topic_sections list them for the page),
  // each with its scores and a topic. So a paper only the bundle lists was scored and picked
  // like the digest's own; it is imported as selected, after the digest file's papers. For a
  // paper the digest file already has, only the bundle's topic is taken.
  const list = importPapers(bundle.value.papers, bundle.rel, "selected", ctx);
  const extra = list.filter(({ paper }) => mergeBundlePaper(day.byId, paper) !== null);
  if (hasDigest && extra.length > 0) {
    const ids = extra.map(({ paper }) => paper.id);
    day.notes.push(
      `${plural(ids.length, "paper")} ${ids.length === 1 ? "is" : "are"} listed in ${bundle.rel} (the papers the tool picked, with their topics) but not in the day's digest file: ${ids.join(", ")}; imported as selected, after the digest file's papers.`,
    );
  }
  day.add(extra);
  day.sources.push(source(bundle.rel, list.length, ctx));
  const derived = DERIVED_BUNDLE_FIELDS.filter((f) => f in bundle.value);
  if (derived.length > 0) {
    ctx.report.unmapped.push(`${bundle.rel}: ${derived.join(", ")} not kept (derived from the papers)`);
  }
  return facts;
}

/** What the page and the JSON disagree on, or what the page lacked, as notes for the day. */
function pageNotes(
  date: string,
  page: { rel: string; value: PageFacts } | null,
  fromBundle: Pick<PageFacts, "usage" | "counts"> | null,
  selected: number,
): string[] {
  const notes: string[] = [];
  const facts = page?.value;
  if (facts?.titleDate && facts.titleDate !== date) {
    notes.push(`${page!.rel} is titled ${facts.titleDate}, its file name says ${date}`);
  }
  if (!facts?.usage && !fromBundle?.usage) {
    notes.push("No token or cost table was found for this day: usage is recorded as 0 tokens, unpriced.");
  }
  const pageSelected = facts?.counts.selected ?? fromBundle?.counts.selected ?? null;
  if (pageSelected !== null && pageSelected !== selected) {
    notes.push(`The page counted ${plural(pageSelected, "relevant paper")}; the JSON holds ${selected}.`);
  }
  if (facts?.prompt && !facts.prompt.headed) {
    notes.push("The page printed the prompt without System/User headings; all of it is kept as the user prompt.");
  }
  return notes;
}

/**
 * A day the reference scanned but never scored: papers counted, no token spent, nothing picked
 * (its LLM step did not run). Not a quiet normal day with nothing relevant: "not-judged".
 */
function importedStatus(
  counts: { entries: number | null; scanned: number | null; selected: number },
  usage: PageUsage | null,
  readFrom: string,
): { code: StatusCode; message: string } {
  const scanned = counts.scanned ?? counts.entries ?? 0;
  const spent = usage !== null && usage.promptTokens + usage.completionTokens > 0;
  if (counts.selected === 0 && scanned > 0 && usage !== null && !spent) {
    const what = `${counts.scanned !== null ? "scanned" : "listed"} ${plural(scanned, "paper")}`;
    return {
      code: "not-judged",
      message: `The tool that made this day ${what} but never scored ${scanned === 1 ? "it" : "them"}: it spent no tokens and picked nothing, so there is no digest. Imported from gpt_paper_assistant history (${readFrom}).`,
    };
  }
  return { code: "normal", message: `Imported from gpt_paper_assistant history (${readFrom}).` };
}

/**
 * Building: a day's parsed files → its DayRecord, or null (with the reason in the report). The
 * report gets each file's reading entries followed by what mapping it found, file by file.
 */
function buildDay(raw: RawDay, ctx: Context): DayRecord | null {
  const { date } = raw;
  const day = new DayPapers();
  addLog(ctx, raw.digest.log);
  const digest = raw.digest.used;
  if (digest) addDigest(day, digest, ctx);
  addLog(ctx, raw.bundle.log);
  const bundle = raw.bundle.used;
  const fromBundle = bundle ? addBundle(day, bundle, digest !== null, ctx) : null;

  if (!raw.page) {
    if (raw.files.digest.length + raw.files.bundle.length === 0) {
      ctx.report.errors.push(
        `${relative(ctx.root, raw.files.page[0]!)}: a page without its JSON is not imported (the papers' scores live in the JSON); put ${date}-output.json beside it`,
      );
    }
    return null;
  }
  addLog(ctx, raw.page.log);
  const page = raw.page.used;
  const facts = page?.value;
  for (const problem of facts?.problems ?? []) ctx.report.unmapped.push(`${page!.rel}: ${problem}`);
  const selected = day.papers.filter((p) => p.outcome === "selected").length;
  const notes = [...day.notes, ...pageNotes(date, page, fromBundle, selected)];

  const readFrom = [...day.sources.map((s) => s.url), ...(page ? [page.rel] : [])].join(", ");
  const counts = {
    entries: facts?.counts.entries ?? fromBundle?.counts.entries ?? null,
    unique: null,
    scanned: facts?.counts.scanned ?? fromBundle?.counts.scanned ?? null,
    selected,
    unscored: 0,
  };
  const usage = facts?.usage ?? fromBundle?.usage ?? null;
  const candidate = {
    schema: SCHEMA_VERSION,
    date,
    kind: facts?.remedial ? "remedial" : "daily",
    remedial: facts?.remedial ?? null,
    status: importedStatus(counts, usage, readFrom),
    generatedAt: ctx.nowIso,
    producer: "import",
    sources: day.sources,
    counts,
    countsSource: "reference",
    usage: usageOf(usage),
    prompt: facts?.prompt ? { system: facts.prompt.system, user: facts.prompt.user } : null,
    papers: day.papers,
    deliveries: [],
    notes,
  };
  const checked = DayRecordSchema.safeParse(candidate);
  if (!checked.success) {
    ctx.report.errors.push(
      `${date}: the imported day is not a valid DayRecord (${z.prettifyError(checked.error).replace(/\n/g, " ")}); check ${readFrom}`,
    );
    return null;
  }
  return checked.data;
}

export async function importHistory(
  dir: string,
  opts: ImportOptions = {},
): Promise<{ days: DayRecord[]; report: ImportReport }> {
  const report: ImportReport = { days: 0, papers: 0, files: [], unmapped: [], errors: [] };
  const ctx: Context = { root: dir, nowIso: (opts.now ?? (() => new Date()))().toISOString(), report };
  // The folder itself is the user's argument: a mistake there stops before anything is read.
  requireFolder(dir, `The history folder ${dir}`, "give the folder that holds out/json/ or the *-output.json files");
  const built: DayRecord[] = [];
  for (const [date, files] of await findDayFiles(dir, ctx)) {
    const day = buildDay(await readDay(date, files, ctx.root), ctx);
    if (day) built.push(day);
  }
  const days = reconcileBatches(built, opts.holidays ?? holidayTable([], []));
  if (days.length === 0 && report.errors.length === 0) {
    report.errors.push(`${dir}: no YYYY-MM-DD-output.json or -daily-papers.json files found; nothing imported`);
  }
  report.days = days.length;
  report.papers = days.reduce((n, d) => n + d.papers.length, 0);
  return { days, report };
}
