/**
 * The archive on disk: `archive/YYYY/MM/YYYY-MM-DD.json`, one DayRecord per announcement day, the
 * source of truth every renderer reads. Writes are atomic (temp file, fsync, rename) so a run that
 * dies never leaves a half-written day; a lock file keeps two runs from interleaving.
 */

import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { link, lstat, mkdir, readdir, readFile, rename, rm, rmdir, stat, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { readJsonFile, writeFileAtomic, writeJsonAtomic } from "../io/json-file.js";
import { pidAlive } from "../io/process.js";
import { type Redactor, redactDeep } from "../io/redact.js";
import { calendarDay } from "../model/dates.js";
import { type DayRecord, DayRecordSchema } from "../model/day-record.js";
import { UserError } from "../model/errors.js";

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The archive's folder of notes for pages that may lag their record (`ArchiveStore.writeDayAndPage`). */
export const PENDING_PAGES = ".pages-pending";

/** A day file that is missing, unreadable or invalid, or a lock held by another run. */
export class ArchiveError extends UserError {
  override name = "ArchiveError";
}

export function dayFilePath(archiveDir: string, date: string, ext = "json"): string {
  const m = DATE.exec(date);
  if (!m) throw new ArchiveError(`"${date}" is not a date; expected YYYY-MM-DD.`);
  return join(archiveDir, m[1]!, m[2]!, `${date}.${ext}`);
}

/** What stands at a path, the path itself (a symbolic link is not followed). */
type EntryKind = "missing" | "file" | "folder" | "link" | "other";
const entryWords: Record<Exclude<EntryKind, "missing">, string> = {
  file: "a file",
  folder: "a folder",
  link: "a symbolic link",
  other: "neither a file nor a folder",
};

async function entryKind(path: string): Promise<EntryKind> {
  try {
    const entry = await lstat(path);
    if (entry.isSymbolicLink()) return "link";
    return entry.isFile() ? "file" : entry.isDirectory() ? "folder" : "other";
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return "missing";
    throw err;
  }
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
    if (read.kind === "missing") throw new ArchiveError(`no digest for ${date} in the archive (${file}).`);
    if (read.kind === "unparsable") throw new ArchiveError(`${file} is not valid JSON: ${read.problem}`);
    if (read.kind === "invalid") throw new ArchiveError(`${file} is not a valid DayRecord: ${read.problem}`);
    return read.value;
  }

  /**
   * Whether the day's file holds `text` anywhere (false when there is no file). A look at the raw
   * text, far cheaper than a validated read of hundreds of papers, for callers that can rule a day
   * out by it.
   */
  async fileMentions(date: string, text: string): Promise<boolean> {
    return (await this.dayText(date))?.includes(text) === true;
  }

  /** The day's file as it is written, unread as JSON; null when there is no file. */
  async dayText(date: string): Promise<string | null> {
    return readFile(this.path(date), "utf8").catch((err: NodeJS.ErrnoException) => {
      if (err.code === "ENOENT") return null;
      throw err;
    });
  }

  /**
   * Validates and writes a day's record atomically, alone: for a change its Markdown page does not
   * show (a delivery outcome). A record whose page must follow goes through `writeDayAndPage`.
   */
  async writeDay(day: DayRecord): Promise<string> {
    return this.writeValid(DayRecordSchema.parse(redactDeep(day, this.redact)));
  }

  private async writeValid(valid: DayRecord): Promise<string> {
    const file = this.path(valid.date);
    await writeJsonAtomic(file, valid, 2);
    return file;
  }

  async writeSibling(date: string, ext: string, text: string): Promise<string> {
    const file = this.path(date, ext);
    await writeFileAtomic(file, this.redact(text));
    return file;
  }

  /**
   * Writes a day's record, then its Markdown page rendered from the record as written. A note in
   * `.pages-pending/` is written first and removed once the page is in place: a process killed
   * between the two writes leaves it behind, and `pagesPending`/`settlePage` put the page right on
   * the next run. A record written alone (a delivery outcome) changes nothing the page shows.
   */
  async writeDayAndPage(day: DayRecord, render: (day: DayRecord) => string): Promise<[string, string]> {
    const valid = DayRecordSchema.parse(redactDeep(day, this.redact));
    const note = await this.notePlace(valid.date);
    // Its name is the note: no content to protect, so no temp file and no sync (a kill mid-write leaves it too).
    await writeFile(
      note,
      `${valid.date}.json was being written with its page ${valid.date}.md; a run that sees this note renders the page again from the record.\n`,
    );
    const json = await this.writeValid(valid);
    const md = await this.writeSibling(valid.date, "md", render(valid));
    await this.dropNote(valid.date);
    return [json, md];
  }

  /**
   * Where a day's note goes, checked before anything of the day is written: the notes' folder must
   * be a folder (made if missing) and the note a file of ours or nothing. Anything else there (a
   * folder named like the day, a symbolic link, which writing the note would follow) was not put
   * there by this tool: it is left as it is and the save refused, naming it, so nothing is lost.
   */
  private async notePlace(date: string): Promise<string> {
    const folder = join(this.dir, PENDING_PAGES);
    const note = this.pendingNote(date);
    const refused = (path: string, what: string, where: string) =>
      new ArchiveError(
        `${path} is ${what}, where the archive ${where}; ${date} was not saved: move it out of ` +
          `${path === note ? folder : "the archive folder"}, then run the command again.`,
      );
    const folderKind = await entryKind(folder);
    if (folderKind !== "missing" && folderKind !== "folder") {
      throw refused(folder, entryWords[folderKind], "keeps a folder of notes for pages being written");
    }
    await mkdir(folder, { recursive: true });
    const noteKind = await entryKind(note);
    if (noteKind !== "missing" && noteKind !== "file") {
      throw refused(note, entryWords[noteKind], `writes a note while the page of ${date} is written`);
    }
    return note;
  }

  /**
   * The days whose page a killed run may have left behind their record (see `writeDayAndPage`),
   * ascending. Only a name that is a real calendar day is a note: anything else in the folder
   * (`9999-99-99`) is none of ours and is left alone.
   */
  async pagesPending(): Promise<string[]> {
    const names = await readdir(join(this.dir, PENDING_PAGES)).catch(() => [] as string[]);
    return names.filter((n) => calendarDay(n) !== null).sort();
  }

  /** Where a day's note lies in `.pages-pending/`, for a message that names it. */
  pendingNote(date: string): string {
    if (calendarDay(date) === null) throw new ArchiveError(`"${date}" is not a date; expected YYYY-MM-DD.`);
    return join(this.dir, PENDING_PAGES, date);
  }

  /**
   * Puts right the page of a day `pagesPending` names: renders it from the record and writes it
   * when it differs from the page on disk, then drops the note. Returns whether the page was
   * written; a missing record (killed before it was first written) has no page to render. A
   * damaged record is an ArchiveError and keeps its note; a note that cannot be removed (a folder
   * of that name) throws the file system's error.
   */
  async settlePage(date: string, render: (day: DayRecord) => string): Promise<boolean> {
    let written = false;
    if (await this.has(date)) {
      const page = this.redact(render(await this.readDay(date)));
      const file = this.path(date, "md");
      const onDisk = await readFile(file, "utf8").catch(() => null);
      if (onDisk !== page) {
        await writeFileAtomic(file, page);
        written = true;
      }
    }
    await this.dropNote(date);
    return written;
  }

  /** Removes a day's note, and the notes' folder once it is empty, so an archive shows it only after a kill. */
  private async dropNote(date: string): Promise<void> {
    await rm(this.pendingNote(date), { force: true });
    await rmdir(join(this.dir, PENDING_PAGES)).catch(() => {});
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

  /**
   * The latest archived day strictly before `date`, if any. A damaged day (not JSON, or not a
   * DayRecord) is an error, unless `onDamaged` is given: then it is reported there (the error
   * names the file) and skipped for the latest readable earlier day.
   */
  async latestBefore(date: string, onDamaged?: (err: ArchiveError) => void): Promise<DayRecord | null> {
    const days = (await this.listDays()).filter((d) => d < date);
    for (const day of days.reverse()) {
      try {
        return await this.readDay(day);
      } catch (err) {
        if (!onDamaged || !(err instanceof ArchiveError)) throw err;
        onDamaged(err);
      }
    }
    return null;
  }
}

/**
 * The days whose record was written at or after `sinceMs` (the file's modification time),
 * ascending. Synchronous, for a signal handler saying what an interrupted command kept.
 */
export function daysWrittenSince(archiveDir: string, sinceMs: number): string[] {
  const list = (dir: string) => {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  };
  const out: string[] = [];
  for (const y of list(archiveDir).filter((n) => /^\d{4}$/.test(n))) {
    for (const m of list(join(archiveDir, y)).filter((n) => /^\d{2}$/.test(n))) {
      for (const f of list(join(archiveDir, y, m))) {
        const d = /^(\d{4}-\d{2}-\d{2})\.json$/.exec(f);
        if (!d || !d[1]!.startsWith(`${y}-${m}-`)) continue;
        const written = statSync(join(archiveDir, y, m, f), { throwIfNoEntry: false })?.mtimeMs ?? 0;
        if (written >= sinceMs) out.push(d[1]!);
      }
    }
  }
  return out.sort();
}

export interface WorkspaceLock {
  release(): Promise<void>;
}

/** Who wrote a lock: enough to tell a live holder from a dead one or a reused pid. */
interface LockHolder {
  pid?: number;
  /** `os.hostname()` of the writer. */
  host?: string;
  /** The writer's start time in clock ticks since boot (/proc/<pid>/stat, field 22); null where unknown. */
  start?: string | null;
  /** /proc/sys/kernel/random/boot_id of the writer's machine; start times are per boot. */
  boot?: string | null;
  purpose?: string;
  since?: string;
  /** Unique per lock taken, so two locks with the same holder still differ. */
  token?: string;
}

/** A process's start time on Linux, or null (no /proc, or no such process). */
function procStart(pid: number | "self"): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Field 2 (comm) may contain spaces and parentheses; the fields after its last ")" start at 3.
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
  } catch {
    return null;
  }
}

function bootId(): string | null {
  try {
    return readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim() || null;
  } catch {
    return null;
  }
}

const SELF_START_MS = Date.now() - process.uptime() * 1000;

/**
 * Whether the process that wrote a lock still runs. A lock from another host is not ours to
 * judge by pid and counts as stale (a container's hostname changes with every container); on this
 * host the pid must be alive and, where start times are known (Linux), have the start time the
 * lock records, so a reused pid (a container's pid 1, or our own) is not taken for the holder.
 */
export function holderAlive(h: LockHolder, self = selfIdentity()): boolean {
  if (typeof h.pid !== "number" || !Number.isInteger(h.pid) || h.pid <= 0) return false;
  if (h.host !== undefined && h.host !== self.host) return false;
  if (h.boot && self.boot && h.boot !== self.boot) return false;
  if (h.pid === self.pid) {
    if (h.start != null && self.start != null) return h.start === self.start;
    // No start times: a lock written before this process began was written by another process.
    const since = h.since ? Date.parse(h.since) : Number.NaN;
    return !(since < SELF_START_MS - 1000);
  }
  if (!pidAlive(h.pid)) return false;
  if (h.start != null) {
    const now = procStart(h.pid);
    if (now !== null && now !== h.start) return false;
  }
  return true;
}

function selfIdentity(): Required<Pick<LockHolder, "pid" | "host" | "start" | "boot">> {
  return { pid: process.pid, host: hostname(), start: procStart("self"), boot: bootId() };
}

function parseHolder(text: string): LockHolder {
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === "object" ? (v as LockHolder) : {};
  } catch {
    return {};
  }
}

const readOrNull = (file: string) => readFile(file, "utf8").catch(() => null);

async function linkExclusive(from: string, to: string): Promise<boolean> {
  try {
    await link(from, to);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  }
}

const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;

/**
 * Takes the workspace lock (`.arxiv-digest.lock`). The lock appears whole or not at all: its
 * content is written to a unique temp file first and hard-linked into place, which fails when a
 * lock exists. A lock whose holder is gone (see `holderAlive`) is taken over under a second,
 * short-lived lock (`.arxiv-digest.lock.break`, made the same way): only its holder may replace
 * the stale lock, and only while the lock's content is still the stale content it judged, so of
 * any number of racers exactly one takes it. A live holder is an error naming it. SIGINT and
 * SIGTERM release the lock and exit with 128 + the signal number; any other exit of the process
 * while the lock is held (a command's own interrupt handler calling `process.exit`) releases it too.
 */
export async function lockWorkspace(workspaceDir: string, purpose: string): Promise<WorkspaceLock> {
  const file = join(workspaceDir, ".arxiv-digest.lock");
  const breakFile = `${file}.break`;
  await mkdir(workspaceDir, { recursive: true });
  const self = selfIdentity();
  const token = randomBytes(8).toString("hex");
  const body = `${JSON.stringify({ ...self, purpose, since: new Date().toISOString(), token })}\n`;
  const fresh = `${file}.${process.pid}.${token}.tmp`;
  await writeFile(fresh, body, { flag: "wx" });
  try {
    for (let attempt = 0; attempt < 200; attempt++) {
      if (await linkExclusive(fresh, file)) return holdLock(file, body);
      const stale = await readOrNull(file);
      if (stale === null) continue; // released meanwhile: try again
      const holder = parseHolder(stale);
      if (holderAlive(holder, self)) {
        throw new ArchiveError(
          `Another arxiv-digest process (pid ${holder.pid}, ${holder.purpose ?? "unknown"}, since ${holder.since ?? "?"}${holder.host ? ` on ${holder.host}` : ""}) holds ${file}. Wait for it, or delete the file if that process is gone.`,
        );
      }
      if (await linkExclusive(fresh, breakFile)) {
        try {
          // Nobody else replaces the lock while we hold the break lock, and a dead holder does
          // not release it: if the content is still what we judged stale, replacing it is safe.
          if ((await readOrNull(file)) === stale) {
            await rename(fresh, file);
            return holdLock(file, body);
          }
        } finally {
          await unlinkIfMine(breakFile, body);
        }
        continue;
      }
      // Someone is taking over right now (milliseconds), or died doing so.
      const breaker = await readOrNull(breakFile);
      if (breaker !== null && !holderAlive(parseHolder(breaker), self)) await unlinkIfMine(breakFile, breaker);
      await sleep(5 + Math.random() * 20);
    }
    throw new ArchiveError(`Could not take the workspace lock ${file}; try again.`);
  } finally {
    await rm(fresh, { force: true });
  }
}

/** Removes `file` if it still holds `body` (a lock or break lock we own, or a dead breaker's). */
async function unlinkIfMine(file: string, body: string): Promise<void> {
  if ((await readOrNull(file)) === body) await rm(file, { force: true });
}

function holdLock(file: string, body: string): WorkspaceLock {
  const releaseSync = () => {
    try {
      if (readFileSync(file, "utf8") === body) rmSync(file, { force: true });
    } catch {
      // already gone
    }
  };
  const handlers = Object.entries(SIGNAL_EXIT).map(([signal, code]) => {
    const handler = () => {
      releaseSync();
      process.exit(code);
    };
    process.once(signal as NodeJS.Signals, handler);
    return [signal as NodeJS.Signals, handler] as const;
  });
  process.once("exit", releaseSync);
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      for (const [signal, handler] of handlers) process.removeListener(signal, handler);
      process.removeListener("exit", releaseSync);
      await unlinkIfMine(file, body);
    },
  };
}
