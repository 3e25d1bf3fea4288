/**
 * The plain reading of "a person listed twice in authors.txt is followed once", kept as a reference
 * for src/authors/followed.ts: each line is compared with every person met so far, and a line that
 * links two people merges them in a list. Quadratic in the number of lines (this was the shipped
 * algorithm until 30,000 lines took seconds); the test of readFollowedAuthors checks the linear one
 * gives the same answer on random files, and bench/authors-parse.ts times both.
 *
 * Only well-formed files: `Name` or `Name | digits`, `#` comments, blank lines.
 */
import type { FollowedAuthor, ListedLine, RepeatedAuthor } from "../../src/authors/followed.js";
import { parsePersonName } from "../../src/authors/person-name.js";

interface Listed {
  author: FollowedAuthor;
  line: number;
  key: string;
}

interface Person {
  lines: Listed[];
  s2Id?: string;
  keys: Set<string>;
}

function personKey(name: string): string {
  return parsePersonName(name)
    .map((t) => `${t.text}${t.abbreviated ? "." : ""}`)
    .join(" ");
}

function fullness(name: string): number {
  return parsePersonName(name)
    .filter((t) => !t.abbreviated)
    .reduce((sum, t) => sum + t.text.length, 0);
}

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

function listedLines(text: string): { author: FollowedAuthor; line: number }[] {
  return text.split(/\r\n|\r|\n/).flatMap((raw, index) => {
    const line = raw.replace(/#.*/, "").trim();
    if (line === "") return [];
    const [name = "", id] = line.split("|").map((part) => part.trim());
    return [{ author: { name, ...(id === undefined ? {} : { s2Id: id }), aliases: [] }, line: index + 1 }];
  });
}

export function referenceFollowedAuthors(text: string): { followed: FollowedAuthor[]; repeated: RepeatedAuthor[] } {
  const people: Person[] = [];
  for (const { author, line } of listedLines(text)) {
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
