/**
 * The one home of a command line a message suggests (`arxiv-digest backfill --from … --to …`): with
 * the workspace folder the user named, so that the line, copied and run where they ran theirs,
 * works on the same workspace and not on the folder it happens to be run in.
 */

/** A folder as a shell reads one word: as typed when it needs no quoting, else in single quotes. */
function shellWord(text: string): string {
  return /^[\w./~:@%+=,-]+$/u.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

/**
 * `arxiv-digest ARGS`, in backticks, ending with `--workspace DIR` when `workspace` is given (the
 * folder as the user named it, when not the current one: `Workspace.named`).
 */
export function commandLine(args: string, workspace?: string): string {
  return `\`arxiv-digest ${args}${workspace === undefined ? "" : ` --workspace ${shellWord(workspace)}`}\``;
}
