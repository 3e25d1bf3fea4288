/**
 * The workspace's feedback as `serve` hands it to the pages it serves, so a like given on the CLI,
 * imported from a library or synced from GitHub shows pressed in any browser, and the Saved page
 * lists the workspace's saves. Each page gets, in a data block the browser never runs
 * (SERVED_MARKS_ID), the state of the papers it lists in the shape of the browser's own marks
 * (assets/marks.js), which merges it into localStorage: for each paper the newer mark stands, the
 * browser's click or the workspace's latest signal (whose time `at` carries). The Saved page gets
 * every paper the workspace knows, with what it needs to list a saved one (title, authors, day and
 * link) when the archive has the paper. A static build carries none of it: the published site
 * never shows the reader's likes.
 */
import type { PaperFeedback } from "../feedback/store.js";
import { plainTex } from "../format/tex.js";
import type { DayRecord, PaperRecord } from "../model/day-record.js";
import { SERVED_MARKS_ID } from "./feedback-meta.js";
import { dayPath, paperAnchor } from "./urls.js";

/** What the Saved page shows of a paper the archive holds. */
export interface ArchivedPaper {
  title: string;
  authors: string[];
  /** The day that listed it (YYYY-MM-DD). */
  date: string;
  category?: string;
  doi?: string;
}

/** Finds papers in the archive by id; the ids it does not find are left out of the answer. */
export type PaperLookup = (ids: readonly string[]) => Promise<Map<string, ArchivedPaper>>;

/** One paper's marks as the browser keeps them (assets/marks.js), `paper` holding what is known. */
export interface ServedMark {
  vote: "up" | "down" | null;
  saved: boolean;
  at: string;
  paper: {
    id: string;
    title?: string;
    authors?: string[];
    date?: string;
    path?: string;
    category?: string;
    doi?: string;
  };
}

function served(id: string, f: PaperFeedback): ServedMark {
  return {
    vote: f.liked ? "up" : f.disliked ? "down" : null,
    saved: f.saved,
    // As the browser writes its own (the Saved page sorts by it), whatever offset the file used.
    at: new Date(f.at).toISOString(),
    paper: { id, ...(f.title ? { title: f.title } : {}) },
  };
}

/** A card's anchor (a day page's cards), or a link to one (a month page's lists of papers). */
const ANCHOR_ATTR = /\b(?:id="|href="[^"#]*#)(paper-[^"]+)"/g;

/**
 * The state of the papers a page lists (its cards' anchors, or its links to cards), for the ones
 * the workspace knows.
 */
export function pageMarks(html: string, state: ReadonlyMap<string, PaperFeedback>): Record<string, ServedMark> {
  const anchors = new Set<string>();
  for (const m of html.matchAll(ANCHOR_ATTR)) anchors.add(m[1]!);
  const out: Record<string, ServedMark> = {};
  if (anchors.size === 0) return out;
  for (const [id, f] of state) if (anchors.has(paperAnchor(id))) out[id] = served(id, f);
  return out;
}

/**
 * Every paper the workspace knows, for the Saved page: a saved one with what the archive says of
 * it (linked to its day's card), else with the title its signals carried.
 */
export async function savedPageMarks(
  state: ReadonlyMap<string, PaperFeedback>,
  basePath: string,
  lookup?: PaperLookup,
): Promise<Record<string, ServedMark>> {
  const saved = [...state].filter(([, f]) => f.saved).map(([id]) => id);
  const known = lookup && saved.length > 0 ? await lookup(saved) : new Map<string, ArchivedPaper>();
  const out: Record<string, ServedMark> = {};
  for (const [id, f] of state) {
    const mark = served(id, f);
    const p = known.get(id);
    if (f.saved) {
      mark.paper = {
        id,
        title: p?.title ?? f.title ?? `arXiv:${id}`,
        authors: p?.authors ?? [],
        date: p?.date ?? "",
        ...(p ? { path: `${basePath}${dayPath(p.date)}#${paperAnchor(id)}` } : {}),
        ...(p?.category ? { category: p.category } : {}),
        ...(p?.doi ? { doi: p.doi } : {}),
      };
    }
    out[id] = mark;
  }
  return out;
}

/** The data block for a page; `<` is escaped so no text in it can close the element. */
export function marksBlock(marks: Record<string, ServedMark>): string {
  const json = JSON.stringify(marks).replace(/</g, "\\u003c");
  return `<script type="application/json" id="${SERVED_MARKS_ID}">${json}</script>`;
}

/** What lookups need of the archive (archive/store.ts): its days, a day's raw text, a validated day. */
export interface DaySource {
  listDays(): Promise<string[]>;
  dayText(date: string): Promise<string | null>;
  readDay(date: string): Promise<DayRecord>;
}

function archivedPaper(p: PaperRecord, date: string): ArchivedPaper {
  return {
    title: plainTex(p.title),
    authors: p.authors.map((a) => a.name),
    date,
    ...(p.categories[0] ? { category: p.categories[0] } : {}),
    ...(p.doi ? { doi: p.doi } : {}),
  };
}

/**
 * A lookup over the archive: the latest day whose record holds each paper. A day's file is parsed
 * only when its text names a paper sought; what was found is kept for the server's life, and a
 * paper not found is sought again only once the archive has other days.
 */
export function archiveLookup(days: DaySource): PaperLookup {
  const found = new Map<string, ArchivedPaper>();
  const missing = new Map<string, string>();
  return async (ids) => {
    const list = await days.listDays();
    const stamp = `${list.length}:${list.at(-1) ?? ""}`;
    const sought = new Set(ids.filter((id) => !found.has(id) && missing.get(id) !== stamp));
    for (const date of [...list].reverse()) {
      if (sought.size === 0) break;
      // The raw text rules a day out cheaply; a day that names a paper sought is read and validated.
      const text = await days.dayText(date);
      if (!text || ![...sought].some((id) => text.includes(JSON.stringify(id)))) continue;
      const record = await days.readDay(date).catch(() => null);
      for (const p of record?.papers ?? []) {
        if (!sought.has(p.id)) continue;
        found.set(p.id, archivedPaper(p, date));
        sought.delete(p.id);
      }
    }
    for (const id of sought) missing.set(id, stamp);
    return new Map(ids.flatMap((id) => (found.has(id) ? [[id, found.get(id)!] as const] : [])));
  };
}
