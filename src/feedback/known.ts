/**
 * The papers a library import can match by DOI or title: everything the archive has seen, plus
 * papers already resolved for feedback. Only id, title and DOI matter for matching.
 */
import type { ResolvedPaper } from "./resolve.js";

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

/** Every paper of every archived day once (the latest day's title wins), then the resolved ones. */
export async function loadKnownPapers(
  source: DaySource,
  resolved: Iterable<ResolvedPaper> = [],
): Promise<KnownPaper[]> {
  const byId = new Map<string, KnownPaper>();
  for (const date of await source.listDays()) {
    for (const p of (await source.readDay(date)).papers) {
      byId.set(p.id, { id: p.id, title: p.title, ...(p.doi ? { doi: p.doi } : {}) });
    }
  }
  for (const p of resolved) {
    if (!byId.has(p.id)) byId.set(p.id, { id: p.id, title: p.title, ...(p.doi ? { doi: p.doi } : {}) });
  }
  return [...byId.values()];
}
