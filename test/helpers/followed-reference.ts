/**
 * The plain reading of "a person listed twice in authors.txt is followed once", kept as a reference
 * for src/authors/followed.ts: each line is compared with every person met so far, and a line that
 * links two people merges them in a list. Quadratic in the number of lines (this was the shipped
 * algorithm until 30,000 lines took seconds); the test of readFollowedAuthors checks the linear one
 * gives the same answer on random files, and bench/authors-parse.ts times both. Only the grouping
 * of lines into people is its own: which line a person is followed by, and which lines repeat them,
 * is `settlePeople`, the module's.
 *
 * Only well-formed files: `Name` or `Name | digits`, `#` comments, blank lines.
 */
import {
  type FollowedAuthor,
  type Listed,
  listed as listedLine,
  type RepeatedAuthor,
  settlePeople,
} from "../../src/authors/followed.js";

interface Person {
  lines: Listed[];
  s2Id?: string;
  keys: Set<string>;
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
    const listed = listedLine(author, line);
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
  return settlePeople(people);
}
