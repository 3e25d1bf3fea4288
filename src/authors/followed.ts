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

/** One line of authors.txt as the grouping reads it. */
export interface Listed {
  author: FollowedAuthor;
  line: number;
  /**
   * The person, as the matcher reads a name: accents, case, punctuation and hyphens folded, "Last,
   * First" turned around, initials kept as initials. Two lines with the same key and no two
   * different Semantic Scholar ids name one person.
   */
  key: string;
  /** How fully the line spells the name: the letters of its written-out tokens (`Kaiming He` 9, `K. He` 2). */
  fullness: number;
  /** The spelling abbreviates a given name. */
  abbreviated: boolean;
}

export function listed(author: FollowedAuthor, line: number): Listed {
  const tokens = parsePersonName(author.name);
  return {
    author,
    line,
    key: tokens.map((t) => `${t.text}${t.abbreviated ? "." : ""}`).join(" "),
    fullness: tokens.filter((t) => !t.abbreviated).reduce((sum, t) => sum + t.text.length, 0),
    abbreviated: tokens.some((t) => t.abbreviated),
  };
}

/**
 * Lines naming one person: one id at most, every line sharing it or a name key with another. A
 * node of a union-find forest indexed by the line that first listed it; a root stands for a person
 * and is always the earliest node of its tree, so the root's index orders people as authors.txt
 * first lists them.
 */
interface Person {
  /** The node this one was joined to; its own index while it is a root. */
  parent: number;
  lines: Listed[];
  keys: Set<string>;
  s2Id?: string;
}

/** The people a name key belongs to: how many, and a node of the earliest of them. */
interface KeyHolders {
  count: number;
  earliest: number;
}

/**
 * authors.txt read (see parseFollowedAuthors), with the lines that repeat a person already listed.
 * Two lines name one person when they give the same Semantic Scholar id, whatever the spelling
 * (`Kaiming He | 39353098`, `K. He | 39353098`), or the same name as the matcher reads it and no two
 * different ids. The person is followed once, by the fullest spelling (of equally full ones, the
 * line with the id, else the earliest), with the id any of the lines gives; the others are `repeated`.
 *
 * Linear in the lines (test/helpers/followed-reference.ts is the plain quadratic reading it
 * agrees with; bench/authors-parse.ts times both). Maps find a line's person by id and by name
 * key; it rests on one rule the reading keeps: a key held by a person without an id is held by no
 * other person (a line with that key joins them), so a key held by several people is held by
 * people with different ids, which never join. Hence a line without an id joins the earliest
 * person of its key, and a line with an id joins at most two people: the one of its id and the
 * one without an id of its key (`Kaiming He`, `K. He | 1`, then `Kaiming He | 1`).
 */
export function readFollowedAuthors(
  text: string,
  source: string,
): { followed: FollowedAuthor[]; repeated: RepeatedAuthor[] } {
  const people: Person[] = [];
  const byId = new Map<string, number>();
  const byKey = new Map<string, KeyHolders>();
  const root = (node: number): number => {
    let top = node;
    while (people[top]!.parent !== top) top = people[top]!.parent;
    for (let at = node; at !== top; ) {
      const next = people[at]!.parent;
      people[at]!.parent = top;
      at = next;
    }
    return top;
  };
  const addPerson = (line: Listed): number => {
    people.push({ parent: people.length, lines: [line], keys: new Set([line.key]), s2Id: line.author.s2Id });
    return people.length - 1;
  };
  /** Person `p` now holds `key` too (it did not). */
  const holdKey = (p: number, key: string): void => {
    people[p]!.keys.add(key);
    const holders = byKey.get(key);
    if (holders === undefined) byKey.set(key, { count: 1, earliest: p });
    else {
      holders.count += 1;
      if (root(holders.earliest) > p) holders.earliest = p;
    }
  };
  /** Joins person `b` (no id) to person `a` (with one); returns the joint person. */
  const join = (a: number, b: number): number => {
    const [top, under] = a < b ? [a, b] : [b, a];
    const [kept, joined] = [people[top]!, people[under]!];
    joined.parent = top;
    if (joined.lines.length > kept.lines.length) [kept.lines, joined.lines] = [joined.lines, kept.lines];
    kept.lines.push(...joined.lines);
    // b's keys were b's alone; a's may be shared with people listed between b and a, which the
    // joint person, now listed at b, comes before.
    const aKeys = people[a]!.keys;
    if (b < a) {
      for (const key of aKeys) {
        const holders = byKey.get(key)!;
        if (holders.count > 1 && root(holders.earliest) > top) holders.earliest = top;
      }
    }
    if (joined.keys.size > kept.keys.size) [kept.keys, joined.keys] = [joined.keys, kept.keys];
    for (const key of joined.keys) kept.keys.add(key);
    kept.s2Id = people[a]!.s2Id;
    joined.lines = [];
    joined.keys = new Set();
    return top;
  };

  for (const { author, line } of parseLines(text, source)) {
    const l = listed(author, line);
    const id = author.s2Id;
    const holders = byKey.get(l.key);
    if (id === undefined) {
      if (holders === undefined) byKey.set(l.key, { count: 1, earliest: addPerson(l) });
      else people[root(holders.earliest)]!.lines.push(l);
      continue;
    }
    const known = byId.get(id);
    const a = known === undefined ? undefined : root(known);
    const sole = holders?.count === 1 ? root(holders.earliest) : undefined;
    const b = sole !== undefined && people[sole]!.s2Id === undefined ? sole : undefined;
    if (a === undefined && b === undefined) {
      const p = addPerson(l);
      byId.set(id, p);
      if (holders === undefined) byKey.set(l.key, { count: 1, earliest: p });
      else holders.count += 1; // listed last: not the earliest
    } else if (b === undefined) {
      people[a!]!.lines.push(l);
      if (!people[a!]!.keys.has(l.key)) holdKey(a!, l.key);
    } else if (a === undefined) {
      people[b]!.lines.push(l);
      people[b]!.s2Id = id;
      byId.set(id, b);
    } else {
      const p = join(a, b);
      people[p]!.lines.push(l);
      byId.set(id, p);
    }
  }

  return settlePeople(people.filter((person, index) => person.parent === index));
}

/**
 * Who is followed, from the lines grouped by person (people in the order authors.txt first lists
 * them): each person once, by the line that spells the name most fully, and every other line of
 * theirs as a repeat for `doctor` to name.
 */
export function settlePeople(people: readonly { lines: readonly Listed[]; s2Id?: string }[]): {
  followed: FollowedAuthor[];
  repeated: RepeatedAuthor[];
} {
  const followed: FollowedAuthor[] = [];
  const repeated: RepeatedAuthor[] = [];
  for (const person of people) {
    const lines = person.lines.toSorted((x, y) => x.line - y.line);
    const kept = lines.reduce((best, l) => (outranks(l, best) ? l : best));
    followed.push({ name: kept.author.name, ...(person.s2Id ? { s2Id: person.s2Id } : {}), aliases: [] });
    for (const again of lines) {
      if (again === kept) continue;
      const shared = kept.author.s2Id !== undefined && kept.author.s2Id === again.author.s2Id;
      repeated.push({ kept: shown(kept), again: shown(again), ...(shared ? { sharedId: kept.author.s2Id } : {}) });
    }
  }
  return { followed, repeated: repeated.toSorted((x, y) => x.again.line - y.again.line) };
}

/** Whether `a` is the better line to keep than `b` (which comes before it): fuller, or as full and with the id. */
function outranks(a: Listed, b: Listed): boolean {
  if (a.fullness !== b.fullness) return a.fullness > b.fullness;
  return a.author.s2Id !== undefined && b.author.s2Id === undefined;
}

function shown(l: Listed): ListedLine {
  return {
    name: l.author.name,
    line: l.line,
    ...(l.author.s2Id ? { s2Id: l.author.s2Id } : {}),
    abbreviated: l.abbreviated,
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
