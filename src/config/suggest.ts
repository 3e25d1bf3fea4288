/** "Did you mean …?": the closest known name to a mistyped one, by edit distance. */

/**
 * Edit distance: the fewest single-character insertions, deletions, substitutions and swaps of
 * two neighbours from a to b (Levenshtein with transpositions, "optimal string alignment").
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      row.push(d);
    }
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}

/**
 * The candidate nearest to `word` if it is within `maxDistance` edits (the first of equally near
 * ones), mapped through `show`; null when nothing is that close.
 */
export function closest<T = string>(
  word: string,
  candidates: readonly string[],
  maxDistance: number,
  show: (candidate: string) => T = (c) => c as T,
): T | null {
  let best: string | null = null;
  let bestDistance = maxDistance + 1;
  for (const candidate of candidates) {
    const d = editDistance(word, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best === null ? null : show(best);
}

/**
 * The choice a mistyped value most likely meant: the same word in another case, else the nearest
 * within a third of its length in edits (at least one); null when none is that near. The config's
 * keys of fixed values and the CLI's options of fixed values (cli/choices.ts) both ask it.
 */
export function nearestChoice(typed: string, choices: readonly string[]): string | null {
  const word = typed.trim().toLowerCase();
  if (word === "") return null;
  return (
    choices.find((c) => c.toLowerCase() === word) ?? closest(word, choices, Math.max(1, Math.floor(word.length / 3)))
  );
}

/**
 * Whether `text` names a GitHub repository as `feedback.github` takes it: owner/repo, the owner
 * letters, digits and dashes, the repository no `.git` at its end (that is the clone address's
 * suffix; GitHub gives no repository such a name).
 */
export function isGitHubRepo(text: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9._-]+$/.test(text) && !/\.git$/i.test(text);
}

/**
 * The owner/repo a value meant, when it was written as the repository's address rather than its
 * name: `https://github.com/me/repo` (with or without the scheme or `www.`, and whatever page of
 * the repository follows), `git@github.com:me/repo.git`, `ssh://git@github.com/me/repo`,
 * `git+https://…`, or `me/repo.git`; null when it names none. A user name or token in the address
 * is never part of what it returns.
 */
export function gitHubRepoIn(typed: string): string | null {
  const text = typed.trim();
  const address =
    /^(?:(?:git\+)?(?:https?|ssh|git):\/\/)?(?:[^@/\s]+@)?(?:www\.)?github\.com(?::|\/+)([^/\s?#:]+)\/([^/\s?#]+)/i.exec(
      text,
    );
  const [owner, repo, ...rest] = address ? [address[1]!, address[2]!] : text.split("/");
  if (owner === undefined || repo === undefined || rest.length > 0) return null;
  const name = `${owner}/${repo.replace(/\.git$/i, "")}`;
  return isGitHubRepo(name) ? name : null;
}

/**
 * What the config says of a `feedback.github` that is not owner/repo (`shown` is the value as
 * messages quote it): the owner/repo an address names, to write instead, else the form.
 */
export function gitHubRepoProblem(typed: string, shown: string): string {
  const repo = gitHubRepoIn(typed);
  // A password in the address (`me:secret@github.com/…`, without a scheme for the redactor to see)
  // is not repeated: the value is said to be what it is.
  if (repo !== null && /^(?:[a-z+]+:\/\/)?[^@/\s]*:[^@/\s]*@/i.test(typed.trim()))
    return `the value is the repository's address with a password in it (not repeated here); write its owner/repo instead: github: ${repo}`;
  if (repo === null) return `${shown} is not a GitHub repository; write it as owner/repo, e.g. github: me/my-papers`;
  return typed.trim().toLowerCase() === `${repo}.git`.toLowerCase()
    ? `${shown} ends in the clone address's .git, which is no part of the repository's name; write github: ${repo}`
    : `${shown} is the repository's address; write its owner/repo instead: github: ${repo}`;
}
