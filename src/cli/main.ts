/**
 * The `arxiv-digest` command line. Each command lives in its own file and only parses arguments;
 * the work happens in src/pipeline and the modules below it.
 *
 * Start-up is kept to Commander and a few small modules: a command file registers its name,
 * description and options, and loads its implementation (the pipeline, the config schema, the
 * tokenizer, the LLM SDK, the mailer, the site builder) with `import()` inside its action. So
 * `--help`, `--version` and a typo answer at once, and `site` or `render` never load what only
 * `run` needs. test/cli/startup.test.ts holds this in place.
 */
import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { createRedactor, secretsInEnv } from "../io/redact.js";
import { callSelfFrom, shownSelfCommand } from "../io/self-command.js";
import type * as Terminal from "../io/terminal.js";
import { UserError } from "../model/errors.js";
import { registerBackfill } from "./backfill.js";
import { registerDeliver } from "./deliver.js";
import { registerDemo } from "./demo.js";
import { registerDoctor } from "./doctor.js";
import { registerEval } from "./eval.js";
import { EXIT } from "./exit.js";
import { registerFeedback } from "./feedback.js";
import { registerImport } from "./import.js";
import { registerInit } from "./init.js";
import { registerRender } from "./render.js";
import { registerRun } from "./run.js";
import { registerSite } from "./site.js";

/** package.json sits two folders up from both src/cli/main.ts and dist/cli/main.js. */
const version = (
  JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }
).version;

/**
 * The help's closing paragraphs, each as the lines a pipe or a file gets; on a terminal each
 * paragraph is laid out to its width instead (io/terminal.ts).
 */
const HELP_TRAILER = [
  [
    "Exit codes: 0 done (an honest empty day included), 1 incomplete (unscored papers, a failed source or delivery),",
    "2 bad usage, config or environment (a key missing or not as issued), 3 the feed has not been updated yet (stale).",
  ],
  [
    "Environment: ARXIV_RSS_URL, ARXIV_API_URL, ARXIV_CONTACT, OPENAI_BASE_URL, OPENAI_API_KEY, ARXIV_DIGEST_MODEL,",
    "ARXIV_DIGEST_SITE_URL (the site's address while site.baseUrl is the default), SEMANTIC_SCHOLAR_API_URL, S2_API_KEY,",
    "SLACK_WEBHOOK_URL, SLACK_BOT_TOKEN, SMTP_PASSWORD, GITHUB_TOKEN, GITHUB_API_URL (a .env in the workspace is read);",
    "GITHUB_ACTIONS=true (as in a workflow): warnings and failures also as workflow annotations.",
  ],
];

/** The help trailer for `stream`: laid out to a terminal's width, else as HELP_TRAILER's lines. */
export function helpTrailer(stream: NodeJS.WriteStream, terminal?: typeof Terminal): string {
  const columns = terminal?.terminalColumns(stream);
  if (terminal === undefined || columns === undefined) return `\n${HELP_TRAILER.map((p) => p.join("\n")).join("\n")}`;
  return `\n${HELP_TRAILER.map((p) => terminal.layoutText(p.join(" "), columns)).join("\n")}`;
}

/** The width Commander gives its help when left alone: the terminal's, else 80. */
function commanderWidth(stream: NodeJS.WriteStream): number {
  return (stream.isTTY ? stream.columns : undefined) ?? 80;
}

/**
 * The program. `terminal` is the text layout module, loaded by `main` only when stdout or stderr
 * is a terminal (start-up elsewhere stays on Commander alone): the help trailer and error messages
 * are then laid out to the terminal's width, and Commander's own help to the same width.
 */
export function buildProgram(exit: (code: number) => void, terminal?: typeof Terminal): Command {
  const program = new Command("arxiv-digest")
    .version(version)
    .description(
      "Your daily arXiv digest: the papers worth your time from each announcement, as a page, a site, Slack and email.",
    )
    .option("-w, --workspace <dir>", "the workspace folder (arxiv-digest.yaml, prompts/, authors.txt, archive/)", ".")
    .option("-q, --quiet", "only warnings and results")
    .option("--debug", "print stack traces of unexpected errors")
    // Before the commands are registered: each inherits it, so its usage errors throw (exit 2) too.
    .exitOverride()
    // Subcommand help lists --workspace and the other global options too.
    .configureHelp({ showGlobalOptions: true })
    .addHelpText("after", ({ error }) => helpTrailer(error ? process.stderr : process.stdout, terminal));
  if (terminal)
    program.configureOutput({
      // COLUMNS, when set on a terminal, for Commander's sections too; else Commander's own width.
      getOutHelpWidth: () => terminal.terminalColumns(process.stdout) ?? commanderWidth(process.stdout),
      getErrHelpWidth: () => terminal.terminalColumns(process.stderr) ?? commanderWidth(process.stderr),
      // A usage error echoes what was typed: on a terminal, its control characters are shown, not obeyed.
      outputError: (text, write) => write(terminal.terminalSafe(text)),
    });
  registerRun(program, exit);
  registerDemo(program, exit);
  registerSite(program, exit);
  registerRender(program);
  registerImport(program, exit);
  registerBackfill(program, exit);
  registerDeliver(program, exit);
  registerInit(program);
  registerDoctor(program, exit);
  registerEval(program, exit);
  registerFeedback(program, exit);
  hintAfterErrors(program);
  return program;
}

/**
 * A usage mistake (an unknown command or option, a missing argument) is answered with Commander's
 * error and one line naming the help to read, not the whole help, which would scroll the error
 * off a small terminal: "See `arxiv-digest run --help`." for each command, nested ones included,
 * the program called as from where it was started (`shownSelfCommand`: `npx arxiv-digest` in a clone).
 */
function hintAfterErrors(cmd: Command): void {
  const path: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) path.unshift(c.name());
  path.unshift(shownSelfCommand());
  cmd.showHelpAfterError(`See \`${path.join(" ")} --help\`.`);
  for (const sub of cmd.commands) hintAfterErrors(sub);
}

/** Errors a user can act on are printed as one message; anything else gets a hint to --debug. */
async function reportError(err: unknown, debug: boolean, terminal?: typeof Terminal): Promise<number> {
  if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : EXIT.usage;
  const known = err instanceof UserError;
  const redact = createRedactor(secretsInEnv(process.env));
  const message = err instanceof Error ? err.message : String(err);
  const text = `arxiv-digest: ${redact(message)}\n`;
  // The guard against control characters is in the layout module; loaded here, not for --help.
  const { terminalSafe, textFor } = terminal ?? (await import("../io/terminal.js"));
  process.stderr.write(textFor(process.stderr, text));
  // On GitHub Actions the run's summary says why the job failed (a refused key, a broken config).
  const { annotation, onGitHubActions } = await import("../io/actions.js");
  if (onGitHubActions(process.env)) process.stderr.write(`${terminalSafe(annotation("error", redact(message)))}\n`);
  if (debug && err instanceof Error && err.stack) process.stderr.write(terminalSafe(`${redact(err.stack)}\n`));
  else if (!known) process.stderr.write("(run again with --debug for details)\n");
  return known ? EXIT.usage : EXIT.incomplete;
}

export async function main(argv: string[]): Promise<number> {
  let code = 0;
  // Every command a message suggests is then written as the reader calls the program from here.
  callSelfFrom(process.cwd(), process.env);
  // Only a terminal needs the layout module (and its wrapping package): a pipe or CI never loads it.
  const terminal = process.stdout.isTTY || process.stderr.isTTY ? await import("../io/terminal.js") : undefined;
  await terminal?.loadTerminalLayout();
  const program = buildProgram((c) => {
    code = c;
  }, terminal);
  try {
    await program.parseAsync(argv);
    return code;
  } catch (err) {
    return await reportError(err, argv.includes("--debug"), terminal);
  }
}
