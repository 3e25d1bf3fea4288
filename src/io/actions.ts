/**
 * The one home of GitHub Actions' workflow commands: whether the process runs in a workflow
 * (`GITHUB_ACTIONS=true`, read from the environment the caller hands in) and an annotation line
 * (`::warning title=arxiv-digest::…`, `::error …`) that the run's summary and the step's log show
 * as a warning or an error. The message given is already redacted: this only escapes it.
 */

/** The title every annotation of ours carries, so a run's summary says which tool spoke. */
export const ANNOTATION_TITLE = "arxiv-digest";

/** True when the environment is a GitHub Actions job's. */
export function onGitHubActions(env: Readonly<Record<string, string | undefined>>): boolean {
  return env.GITHUB_ACTIONS === "true";
}

/** A command's message as GitHub reads it back: `%`, CR and LF escaped, so one line stays one command. */
export function escapeCommandData(text: string): string {
  return text.replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
}

/** A command's property value (`title=…`): as a message, and `:` and `,`, which end it, escaped too. */
export function escapeCommandProperty(text: string): string {
  return escapeCommandData(text).replaceAll(":", "%3A").replaceAll(",", "%2C");
}

/** One annotation line, without its line break: `::warning title=arxiv-digest::MESSAGE`. */
export function annotation(kind: "warning" | "error", message: string, title = ANNOTATION_TITLE): string {
  return `::${kind} title=${escapeCommandProperty(title)}::${escapeCommandData(message)}`;
}
