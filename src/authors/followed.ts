/**
 * The followed-authors file (`authors.txt`): one researcher per line, optionally pinned to a
 * Semantic Scholar author id so that the names they publish under can be looked up.
 */
import { UserError } from "../model/errors.js";

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

/**
 * Parses authors.txt. Lines are `Name` or `Name | SemanticScholarId`; `#` starts a comment,
 * blank lines are skipped. A malformed line throws an error naming `source` and the line number.
 */
export function parseFollowedAuthors(text: string, source: string): FollowedAuthor[] {
  const followed: FollowedAuthor[] = [];
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
      followed.push({ name, aliases: [] });
      return;
    }
    if (!S2_ID.test(id)) {
      throw new AuthorsFileError(
        `${where}: "${id}" is not a Semantic Scholar author id; use the digits at the end of the author's ` +
          'page URL (https://www.semanticscholar.org/author/<name>/<id>) or drop the "| id" part.',
      );
    }
    followed.push({ name, s2Id: id, aliases: [] });
  });
  return followed;
}

/** A `#` starts a comment anywhere on the line (names never contain one). */
function stripComment(line: string): string {
  const hash = line.indexOf("#");
  return hash === -1 ? line : line.slice(0, hash);
}
