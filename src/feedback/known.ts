/**
 * The papers a library import and the title-only lines of feedback.jsonl can be matched against
 * offline: everything the archive has seen, plus papers already resolved for feedback. Only id,
 * title and DOI matter for matching.
 */
import { stat } from "node:fs/promises";
import { type ResolvedPaper, readPapersCache } from "./resolve.js";

export interface KnownPaper {
  id: string;
  title: string;
  doi?: string;
}

/** The slice of ArchiveStore this needs, so tests can pass a stub and the store can move freely. */
export interface DaySource {
  listDays(): Promise<string[]>;
  readDay(date: string): Promise<{ papers: readonly { id: string; title: string; doi?: string | undefined }[] }>;
}

type DayPapers = readonly { id: string; title: string; doi?: string | undefined }[];

/** Each paper once, the latest day's title winning, then the resolved papers the archive lacks. */
function mergeKnown(days: Iterable<DayPapers>, resolved: Iterable<ResolvedPaper>): KnownPaper[] {
  const byId = new Map<string, KnownPaper>();
  for (const papers of days) {
    for (const p of papers) byId.set(p.id, { id: p.id, title: p.title, ...(p.doi ? { doi: p.doi } : {}) });
  }
  for (const p of resolved) {
    if (!byId.has(p.id)) byId.set(p.id, { id: p.id, title: p.title, ...(p.doi ? { doi: p.doi } : {}) });
  }
  return [...byId.values()];
}

/** Every paper of every archived day once (the latest day's title wins), then the resolved ones. */
export async function loadKnownPapers(
  source: DaySource,
  resolved: Iterable<ResolvedPaper> = [],
): Promise<KnownPaper[]> {
  const days: DayPapers[] = [];
  for (const date of await source.listDays()) days.push((await source.readDay(date)).papers);
  return mergeKnown(days, resolved);
}

/** The known papers now, and a stamp that changes whenever they may have. */
export interface KnownPapers {
  stamp: string;
  papers: readonly KnownPaper[];
}

/** Asked each time the known papers are needed; cheap when nothing changed since the last call. */
export type KnownPapersSource = () => Promise<KnownPapers>;

/** A file's size and modification time, or "none" when it is missing. */
async function fileStamp(path: string): Promise<string> {
  const info = await stat(path).catch(() => null);
  return info ? `${info.size}:${info.mtimeMs}` : "none";
}

/**
 * The known papers for a long-lived reader (`serve`): the archive and the resolved papers as
 * `loadKnownPapers` gives them, but each day file read again only when its size or time changed
 * (the first call reads them all), and the cache file likewise; calls made while one runs share
 * its answer. A day that cannot be read adds no paper rather than failing the reader.
 */
export function knownPapersSource(
  source: DaySource & { path(date: string): string },
  cachePath: string,
): KnownPapersSource {
  const days = new Map<string, { stamp: string; papers: DayPapers }>();
  let cache: { stamp: string; papers: ResolvedPaper[] } | null = null;
  let generation = 0;
  let merged: KnownPapers | null = null;
  const refresh = async (): Promise<KnownPapers> => {
    let changed = false;
    const list = await source.listDays();
    const listed = new Set(list);
    for (const date of [...days.keys()]) {
      if (listed.has(date)) continue;
      days.delete(date);
      changed = true;
    }
    for (const date of list) {
      const stamp = await fileStamp(source.path(date));
      if (days.get(date)?.stamp === stamp) continue;
      const record = await source.readDay(date).catch(() => null);
      days.set(date, { stamp, papers: record?.papers ?? [] });
      changed = true;
    }
    const cacheStamp = await fileStamp(cachePath);
    if (cache?.stamp !== cacheStamp) {
      const read = await readPapersCache(cachePath).catch(() => new Map<string, ResolvedPaper>());
      cache = { stamp: cacheStamp, papers: [...read.values()] };
      changed = true;
    }
    if (changed || merged === null) {
      generation += 1;
      // Days in date order, as listDays gives them, so the latest day's title wins.
      const ordered = list.map((date) => days.get(date)!.papers);
      merged = { stamp: String(generation), papers: mergeKnown(ordered, cache.papers) };
    }
    return merged;
  };
  // Requests served at once share one refresh rather than reading the same days side by side.
  let running: Promise<KnownPapers> | null = null;
  return () => {
    running ??= refresh().finally(() => {
      running = null;
    });
    return running;
  };
}
