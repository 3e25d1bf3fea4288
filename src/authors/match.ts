/** Finds papers written by a followed author. */
import type { Candidate } from "../model/candidate.js";
import type { FollowedAuthor } from "./followed.js";
import { compatibleGivenNames, type NameToken, parsePersonName, surnameSplits } from "./person-name.js";

interface IndexedName {
  /** The followed author's name as written in authors.txt. */
  followed: string;
  given: NameToken[];
}

/**
 * Builds a matcher that returns the first followed author (as written in authors.txt) among a
 * paper's authors, or null. Names are indexed by surname so a day of papers costs one map lookup
 * per author.
 */
export function createAuthorMatcher(followed: FollowedAuthor[]): (c: Candidate) => string | null {
  const bySurname = new Map<string, IndexedName[]>();
  for (const author of followed) {
    for (const spelling of spellingsOf(author)) {
      for (const { surname, given } of surnameSplits(spelling)) {
        const entries = bySurname.get(surname) ?? [];
        entries.push({ followed: author.name, given });
        bySurname.set(surname, entries);
      }
    }
  }
  return (candidate) => {
    for (const { name } of candidate.authors) {
      for (const { surname, given } of surnameSplits(parsePersonName(name))) {
        const hit = bySurname.get(surname)?.find((entry) => compatibleGivenNames(entry.given, given));
        if (hit) return hit.followed;
      }
    }
    return null;
  };
}

/**
 * The written name plus the aliases that carry a full first name. An alias such as "M. Kim" adds
 * nothing the written name does not already match, and would let "Minseo Kim" through for a
 * followed "Minsu Kim".
 */
function spellingsOf(author: FollowedAuthor): NameToken[][] {
  const aliases = author.aliases.map(parsePersonName).filter((alias) => alias.length > 1 && !alias[0]!.abbreviated);
  return [parsePersonName(author.name), ...aliases];
}
