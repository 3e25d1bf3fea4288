/**
 * The archive on disk: `archive/YYYY/MM/YYYY-MM-DD.json`, one DayRecord per announcement day, the
 * source of truth every renderer reads. Writes are atomic (temp file, fsync, rename) so a run that
 * dies never leaves a half-written day; a lock file keeps two runs from interleaving.
 */
import { mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { readJsonFile, writeFileAtomic, writeJsonAtomic } from "../io/json-file.js";
import { type Redactor, redactDeep } from "../io/redact.js";
import { type DayRecord, DayRecordSchema } from "../model/day-record.js";
import { UserError } from "../model/errors.js";

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A day file that is missing, unreadable or invalid, or a lock held by another run. */
export class ArchiveError extends UserError {
  override name = "ArchiveError";
}

export function dayFilePath(archiveDir: string, date: string, ext = "json"): string {
  const m = DATE.exec(date);
  if (!m) throw new ArchiveError(`"${date}" is not a date; expected YYYY-MM-DD.`);
  return join(archiveDir, m[1]!, m[2]!, `${date}.${ext}`);
}

export class ArchiveStore {
  /**
   * `redact` runs over every string written (the record's reasons, notes and delivery errors, and
   * sibling pages), so no secret that reached a message can reach the archive or the site built from it.
   */
  constructor(
    readonly dir: string,
    private readonly redact: Redactor = (text) => text,
  ) {}

  path(date: string, ext = "json"): string {
    return dayFilePath(this.dir, date, ext);
  }

  async has(date: string): Promise<boolean> {
    return stat(this.path(date)).then(
      () => true,
      () => false,
    );
  }

  /** Reads and validates one day; the error names the file and the first invalid field. */
  async readDay(date: string): Promise<DayRecord> {
    const file = this.path(date);
    const read = await readJsonFile(DayRecordSchema, file);
    if (read.kind === "missing") throw new ArchiveError(`No digest for ${date} in the archive (${file}).`);
    if (read.kind === "unparsable") throw new ArchiveError(`${file} is not valid JSON: ${read.problem}`);
    if (read.kind === "invalid") throw new ArchiveError(`${file} is not a valid DayRecord: ${read.problem}`);
    return read.value;
  }

  /** Validates and writes a day atomically; also writes a sibling file (e.g. the Markdown page) when given. */
  async writeDay(day: DayRecord): Promise<string> {
    const valid = DayRecordSchema.parse(redactDeep(day, this.redact));
    const file = this.path(valid.date);
    await writeJsonAtomic(file, valid, 2);
    return file;
  }

  async writeSibling(date: string, ext: string, text: string): Promise<string> {
    const file = this.path(date, ext);
    await writeFileAtomic(file, this.redact(text));
    return file;
  }

  /** Every archived date, ascending. */
  async listDays(): Promise<string[]> {
    const out: string[] = [];
    const years = await readdir(this.dir).catch(() => [] as string[]);
    for (const y of years.filter((n) => /^\d{4}$/.test(n))) {
      const months = await readdir(join(this.dir, y)).catch(() => [] as string[]);
      for (const m of months.filter((n) => /^\d{2}$/.test(n))) {
        const files = await readdir(join(this.dir, y, m)).catch(() => [] as string[]);
        for (const f of files) {
          const d = /^(\d{4}-\d{2}-\d{2})\.json$/.exec(f);
          if (d && d[1]!.startsWith(`${y}-${m}-`)) out.push(d[1]!);
        }
      }
    }
    return out.sort();
  }

  /** The latest archived day strictly before `date`, if any. */
  async latestBefore(date: string): Promise<DayRecord | null> {
    const days = (await this.listDays()).filter((d) => d < date);
    const last = days.at(-1);
    return last ? this.readDay(last) : null;
  }
}

export interface WorkspaceLock {
  release(): Promise<void>;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Takes the workspace lock (`.arxiv-digest.lock`, created exclusively). A lock left by a process
 * that no longer exists is taken over; a live one is an error naming its holder.
 */
export async function lockWorkspace(workspaceDir: string, purpose: string): Promise<WorkspaceLock> {
  const file = join(workspaceDir, ".arxiv-digest.lock");
  await mkdir(workspaceDir, { recursive: true });
  const body = JSON.stringify({ pid: process.pid, purpose, since: new Date().toISOString() });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(file, body, { flag: "wx" });
      return { release: () => rm(file, { force: true }) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const holder = await readFile(file, "utf8")
        .then((t) => JSON.parse(t) as { pid?: number; purpose?: string; since?: string })
        .catch(() => ({}) as { pid?: number; purpose?: string; since?: string });
      if (typeof holder.pid === "number" && pidAlive(holder.pid)) {
        throw new ArchiveError(
          `Another arxiv-digest process (pid ${holder.pid}, ${holder.purpose ?? "unknown"}, since ${holder.since ?? "?"}) holds ${file}. Wait for it, or delete the file if that process is gone.`,
        );
      }
      await rm(file, { force: true });
    }
  }
  throw new ArchiveError(`Could not take the workspace lock ${file}.`);
}
