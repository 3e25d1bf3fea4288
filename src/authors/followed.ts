/**
 * The followed-authors file (`authors.txt`): one researcher per line, optionally pinned to a
 * Semantic Scholar author id so that the names they publish under can be looked up.
 */
import { UserError } from "../model/errors.js";
import { parsePersonName } from "./person-name.js";

/** A line of authors.txt that cannot be read; the message names the file and line. */
export class AuthorsFileError extends UserError {
  override name = "AuthorsFileError";
}

export interface FollowedAuthor {
  /** The name as written in authors.txt; reported as the paper's `authorMatch`. */
  name: string;
  /** Semantic Scholar author id (digits), when the line gave one. */
  s2Id?: string;
  /** Other spellings of the same person (from Semantic Scholar); matched like `name`. */
  aliases: string[];
}

const S2_ID = /^\d{1,12}$/;

/** One line of authors.txt as `RepeatedAuthor` names it. */
export interface ListedLine {
  /** The name as the line writes it. */
  name: string;
  /** The line's number (1-based). */
  line: number;
  /** The line's Semantic Scholar id, when it gives one. */
  s2Id?: string;
  /** The spelling abbreviates a given name (`K. He`): it also matches other people of that initial and surname. */
  abbreviated: boolean;
}

/**
 * A line of authors.txt naming a person another line already follows: the person is followed
 * once, as `kept` writes them, so `again` is the line to delete (deleting it changes nothing that
 * is followed).
 */
export interface RepeatedAuthor {
  /** The line followed: the fullest spelling; of equally full ones, the one with the id, else the earlier. */
  kept: ListedLine;
  /** The line that repeats it, the one to delete. */
  again: ListedLine;
  /** The Semantic Scholar id both lines give (their spellings may differ), when they do. */
  sharedId?: string;
}

/**
 * Parses authors.txt. Lines are `Name` or `Name | SemanticScholarId`; `#` starts a comment,
 * blank lines are skipped. A malformed line throws an error naming `source` and the line number.
 * A person listed twice is followed once (`readFollowedAuthors` says which lines repeat).
 */
export function parseFollowedAuthors(text: string, source: string): FollowedAuthor[] {
  return readFollowedAuthors(text, source).followed;
}

/**
 * The same person, as the matcher reads a name: accents, case, punctuation and hyphens folded,
 * "Last, First" turned around, initials kept as initials. Two lines with the same key and no two
 * different Semantic Scholar ids name one person.
 */
function personKey(name: string): string {
  return parsePersonName(name)
    .map((t) => `${t.text}${t.abbreviated ? "." : ""}`)
    .join(" ");
}

/** How fully a line spells its name: the letters of its written-out tokens (`Kaiming He` 9, `K. He` 2). */
function fullness(name: string): number {
  return parsePersonName(name)
    .filter((t) => !t.abbreviated)
    .reduce((sum, t) => sum + t.text.length, 0);
}

interface Listed {
  author: FollowedAuthor;
  line: number;
  key: string;
}

/** Lines naming one person: one id at most, every line sharing it or a name key with another. */
interface Person {
  lines: Listed[];
  s2Id?: string;
  keys: Set<string>;
}

/**
 * authors.txt read (see parseFollowedAuthors), with the lines that repeat a person already listed.
 * Two lines name one person when they give the same Semantic Scholar id, whatever the spelling
 * (`Kaiming He | 39353098`, `K. He | 39353098`), or the same name as the matcher reads it and no two
 * different ids. The person is followed once, by the fullest spelling (of equally full ones, the
 * line with the id, else the earliest), with the id any of the lines gives; the others are `repeated`.
 */
export function readFollowedAuthors(
  text: string,
  source: string,
): { followed: FollowedAuthor[]; repeated: RepeatedAuthor[] } {
  const people: Person[] = [];
  for (const { author, line } of parseLines(text, source)) {
    const listed: Listed = { author, line, key: personKey(author.name) };
    const id = author.s2Id;
    const linked = people.filter(
      (p) =>
        (id !== undefined && p.s2Id === id) ||
        (p.keys.has(listed.key) && (p.s2Id === undefined || id === undefined || p.s2Id === id)),
    );
    const [person, ...others] = linked;
    if (person === undefined) {
      people.push({ lines: [listed], s2Id: id, keys: new Set([listed.key]) });
      continue;
    }
    person.lines.push(listed);
    person.keys.add(listed.key);
    person.s2Id ??= id;
    // A line may join two people listed apart (`Kaiming He`, `K. He | 1`, then `Kaiming He | 1`).
    for (const other of others) {
      if (other.s2Id !== undefined && person.s2Id !== undefined && other.s2Id !== person.s2Id) continue;
      person.lines.push(...other.lines);
      for (const key of other.keys) person.keys.add(key);
      person.s2Id ??= other.s2Id;
      people.splice(people.indexOf(other), 1);
    }
  }
  const followed: FollowedAuthor[] = [];
  const repeated: RepeatedAuthor[] = [];
  for (const person of people) {
    const lines = person.lines.toSorted((a, b) => a.line - b.line);
    const kept = lines.reduce((best, l) => (outranks(l, best) ? l : best));
    followed.push({ name: kept.author.name, ...(person.s2Id ? { s2Id: person.s2Id } : {}), aliases: [] });
    for (const again of lines) {
      if (again === kept) continue;
      const shared = kept.author.s2Id !== undefined && kept.author.s2Id === again.author.s2Id;
      repeated.push({ kept: shown(kept), again: shown(again), ...(shared ? { sharedId: kept.author.s2Id } : {}) });
    }
  }
  return { followed, repeated: repeated.toSorted((a, b) => a.again.line - b.again.line) };
}

/** Whether `a` is the better line to keep than `b` (which comes before it): fuller, or as full and with the id. */
function outranks(a: Listed, b: Listed): boolean {
  const [fa, fb] = [fullness(a.author.name), fullness(b.author.name)];
  if (fa !== fb) return fa > fb;
  return a.author.s2Id !== undefined && b.author.s2Id === undefined;
}

function shown(l: Listed): ListedLine {
  return {
    name: l.author.name,
    line: l.line,
    ...(l.author.s2Id ? { s2Id: l.author.s2Id } : {}),
    abbreviated: parsePersonName(l.author.name).some((t) => t.abbreviated),
  };
}

function parseLines(text: string, source: string): { author: FollowedAuthor; line: number }[] {
  const followed: { author: FollowedAuthor; line: number }[] = [];
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
  lines.forEach((raw, index) => {
    const line = stripComment(raw).trim();
    if (line === "") return;
    const where = `${source}:${index + 1}`;
    const parts = line.split("|").map((part) => part.trim());
    if (parts.length > 2) {
      throw new AuthorsFileError(
        `${where}: expected "Name" or "Name | SemanticScholarId", found ${parts.length - 1} "|" in "${line}".`,
      );
    }
    const [name = "", id] = parts;
    if (!/\p{L}/u.test(name)) {
      throw new AuthorsFileError(
        `${where}: "${line}" has no author name before the "|"; write the name as it appears on arXiv.`,
      );
    }
    if (id === undefined) {
      followed.push({ author: { name, aliases: [] }, line: index + 1 });
      return;
    }
    if (!S2_ID.test(id)) {
      throw new AuthorsFileError(
        `${where}: "${id}" is not a Semantic Scholar author id; use the digits at the end of the author's ` +
          'page URL (https://www.semanticscholar.org/author/<name>/<id>) or drop the "| id" part.',
      );
    }
    followed.push({ author: { name, s2Id: id, aliases: [] }, line: index + 1 });
  });
  return followed;
}

/** A `#` starts a comment anywhere on the line (names never contain one). */
function stripComment(line: string): string {
  const hash = line.indexOf("#");
  return hash === -1 ? line : line.slice(0, hash);
}
