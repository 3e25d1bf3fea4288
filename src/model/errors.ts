/**
 * The root of every error a user can fix by changing what they typed or wrote (a flag, the
 * config, an archive file, authors.txt). The CLI prints its message as one sentence and exits 2;
 * anything else is unexpected and gets a hint to --debug.
 */
export class UserError extends Error {
  override name = "UserError";
}
