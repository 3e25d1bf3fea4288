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

/** A line of authors.txt naming a person an earlier line already follows: counted once. */
export interface RepeatedAuthor {
  /** The name as the earlier line writes it, and that line's number (1-based). */
  first: { name: string; line: number };
  /** The name as the repeating line writes it, and its number. */
  again: { name: string; line: number };
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

/** authors.txt read (see parseFollowedAuthors), with the lines that repeat a person already listed. */
export function readFollowedAuthors(
  text: string,
  source: string,
): { followed: FollowedAuthor[]; repeated: RepeatedAuthor[] } {
  const listed = parseLines(text, source);
  const followed: FollowedAuthor[] = [];
  const repeated: RepeatedAuthor[] = [];
  const firsts: { key: string; author: FollowedAuthor; line: number }[] = [];
  for (const { author, line } of listed) {
    const key = personKey(author.name);
    const earlier = firsts.find(
      (f) =>
        f.key === key && (f.author.s2Id === undefined || author.s2Id === undefined || f.author.s2Id === author.s2Id),
    );
    if (earlier === undefined) {
      const own = { ...author };
      firsts.push({ key, author: own, line });
      followed.push(own);
      continue;
    }
    // The repeat's Semantic Scholar id still counts when the first line gave none.
    if (earlier.author.s2Id === undefined && author.s2Id !== undefined) earlier.author.s2Id = author.s2Id;
    repeated.push({ first: { name: earlier.author.name, line: earlier.line }, again: { name: author.name, line } });
  }
  return { followed, repeated };
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
