/**
 * `arxiv-digest feedback …`: record likes, dislikes and saves, list and export them, import a
 * reference library, pull the site's feedback issues from GitHub, and fetch metadata of papers
 * the archive does not have. The data layer is src/feedback; this file only parses arguments.
 */
import { basename, resolve } from "node:path";
import type { Command } from "commander";
import type { KnownPaper } from "../feedback/known.js";
import { SIGNAL_KINDS, type SignalKind } from "../feedback/signal-kinds.js";
import type { FeedbackSignal, LineProblem } from "../feedback/store.js";
import type { Workspace } from "../workspace/load.js";
import { choiceOption } from "./choices.js";
import type { GlobalOptions } from "./common.js";

/**
 * The modules the feedback commands run on, loaded by the command that runs (not by `--help` or
 * another command; see cli/main.ts).
 */
async function load() {
  const [
    config,
    github,
    known,
    resolvePapers,
    store,
    titled,
    context,
    common,
    paths,
    text,
    tex,
    command,
    secrets,
    calendar,
  ] = await Promise.all([
    import("../workspace/load.js"),
    import("../feedback/github.js"),
    import("../feedback/known.js"),
    import("../feedback/resolve.js"),
    import("../feedback/store.js"),
    import("../feedback/titled.js"),
    import("../pipeline/context.js"),
    import("./common.js"),
    import("../io/paths.js"),
    import("../format/text.js"),
    import("../format/tex.js"),
    import("../format/command.js"),
    import("../workspace/workflow-secrets.js"),
    import("../arxiv/calendar.js"),
  ]);
  return {
    ...config,
    ...github,
    ...known,
    ...resolvePapers,
    ...store,
    ...titled,
    ...context,
    ...common,
    ...paths,
    ...command,
    GITHUB_TOKEN_ENV: secrets.GITHUB_TOKEN_ENV,
    /**
     * The day a signal was given, as every other message dates a day: in US Eastern time (a time
     * the file holds that is no instant, as it is).
     */
    shownDay: (at: string) => {
      try {
        return calendar.easternDate(at);
      } catch {
        return at.slice(0, 10);
      }
    },
    plural: text.plural,
    /**
     * A paper's title as a terminal line: its TeX as plain text, then one printable line, cut to
     * `LISTED_TITLE_CHARS` (a library's entry may hold pages where its title should be).
     */
    terminalTitle: (title: string) => common.cutText(text.plainLine(tex.plainTex(title)), LISTED_TITLE_CHARS),
  };
}

/** How much of a title a listing line or a message shows. */
const LISTED_TITLE_CHARS = 160;

/** Up to five ids, and how many more. */
function someIds(ids: readonly string[]): string {
  return ids.length > 5 ? `${ids.slice(0, 5).join(", ")} and ${ids.length - 5} more` : ids.join(", ");
}

/**
 * What the reader is told when feedback names papers neither the archive nor the feedback papers
 * cache has: the history learns from a paper's title and abstract, so such a signal counts only
 * once `feedback resolve` has fetched them from arXiv (or, when it carries a title, by that title
 * alone until then: see `titledNotice`).
 */
function unresolvedNotice(ids: readonly string[], resolve: string): string | null {
  if (ids.length === 0) return null;
  if (ids.length === 1)
    return `${ids[0]} is not in your archive: run ${resolve} to fetch its title and abstract; until then it does not shape the digest.`;
  const shown = someIds(ids);
  return `${ids.length} papers are not in your archive (${shown}): run ${resolve} to fetch their titles and abstracts; until then they do not shape the digest.`;
}

/** Papers outside the archive whose signals carry a title: they teach by it until resolved. */
function titledNotice(ids: readonly string[], resolveCommand: string): string | null {
  if (ids.length === 0) return null;
  const resolve = `run ${resolveCommand} to fetch`;
  if (ids.length === 1)
    return `${ids[0]} is not in your archive and shapes the digest by its title only: ${resolve} it whole from arXiv.`;
  const shown = someIds(ids);
  return `${ids.length} papers are not in your archive (${shown}) and shape the digest by their titles only: ${resolve} them whole from arXiv.`;
}

/** The notices for `signals` naming papers outside the archive (`isKnown` false), titled or not. */
async function sayUnresolved(
  signals: readonly { id: string; title?: string | undefined }[],
  workspace?: string,
): Promise<void> {
  const { commandLine, writeErr } = await load();
  const resolve = commandLine("feedback resolve", workspace);
  const titled = new Set(signals.filter((s) => s.title).map((s) => s.id));
  const ids = [...new Set(signals.map((s) => s.id))];
  for (const notice of [
    unresolvedNotice(
      ids.filter((id) => !titled.has(id)),
      resolve,
    ),
    titledNotice([...titled], resolve),
  ]) {
    if (notice) writeErr(`note: ${notice}\n`);
  }
}

const IMPORT_FORMATS = ["bibtex", "ris", "csl-json", "jsonl"] as const;
type ImportFormat = (typeof IMPORT_FORMATS)[number];

const VERBS: Record<SignalKind, string> = {
  like: "more papers like this",
  dislike: "fewer papers like this",
  save: "keep for later reading",
  clear: "forget the feedback given",
};

async function workspaceOf(cmd: Command): Promise<{ ws: Workspace; quiet: boolean }> {
  const { openWorkspace } = await load();
  const g = cmd.optsWithGlobals<GlobalOptions>();
  return { ws: openWorkspace(g), quiet: Boolean(g.quiet) };
}

async function warnProblems(file: string, problems: LineProblem[]): Promise<void> {
  const { writeErr } = await load();
  for (const p of problems) writeErr(`warning: ${file}:${p.line}: skipped, ${p.message}\n`);
}

/** The feedback file, its lines (a damaged one warned about and skipped), and the papers known to match them. */
async function readFeedbackFile(ws: Workspace) {
  const { feedbackPath, readSignals } = await load();
  const file = feedbackPath(ws.dir);
  const read = await readSignals(file);
  await warnProblems(file, read.problems);
  return { file, read, known: await knownPapers(ws) };
}

/** The archive's papers and the resolved ones, for titles and library matching. */
async function knownPapers(ws: Workspace): Promise<KnownPaper[]> {
  const { loadKnownPapers, openStore, papersCachePath, readPapersCache } = await load();
  const cache = await readPapersCache(papersCachePath(ws.dir));
  return loadKnownPapers(openStore(ws), cache.values());
}

/** A `feedback export` file, by name or by a first line that is one of our signals. */
async function looksLikeFeedback(name: string, text: string): Promise<boolean> {
  const { parseSignals } = await load();
  if (/\.jsonl$/i.test(name)) return true;
  const first =
    text
      .replace(/^\uFEFF/, "")
      .trimStart()
      .split("\n", 1)[0] ?? "";
  const line = parseSignals(first);
  return line.signals.length + line.titled.length === 1;
}

function stateWords(p: { liked: boolean; disliked: boolean; saved: boolean }): string {
  const words = [p.liked ? "liked" : p.disliked ? "disliked" : "", p.saved ? "saved" : ""].filter(Boolean);
  return words.length ? words.join(", ") : "cleared";
}

export function registerFeedback(program: Command, exit: (code: number) => void): void {
  const feedback = program
    .command("feedback")
    .description("tell the digest what you liked, disliked and saved (feedback.jsonl in the workspace)");

  for (const signal of SIGNAL_KINDS) {
    feedback
      .command(signal)
      .description(`${signal} papers: ${VERBS[signal]}`)
      .argument("<ids...>", "arXiv ids, e.g. 2401.00010, arXiv:2401.00010v2 or an abs URL")
      .action(async (ids: string[], _o: unknown, cmd: Command) => {
        const {
          appendSignals,
          FeedbackError,
          feedbackPath,
          makeSignal,
          shownValue,
          terminalTitle,
          UsageError,
          writeOut,
        } = await load();
        const { ws, quiet } = await workspaceOf(cmd);
        const at = new Date();
        const titles = new Map((await knownPapers(ws)).map((k) => [k.id, k.title]));
        // Every id is checked before anything is written: a typo must not leave half a batch, and
        // the message names every bad id at once, not the first alone.
        const signals: FeedbackSignal[] = [];
        const bad: string[] = [];
        for (const text of ids) {
          try {
            const s = makeSignal(text, signal, "cli", at);
            const title = titles.get(s.id);
            signals.push(title ? makeSignal(s.id, signal, "cli", at, title) : s);
          } catch (err) {
            if (!(err instanceof FeedbackError)) throw err;
            bad.push(text);
          }
        }
        if (bad.length > 0) {
          const one = bad.length === 1;
          const named = bad.map((b) => shownValue(b));
          const list = one ? named[0] : `${named.slice(0, -1).join(", ")} and ${named.at(-1)}`;
          throw new UsageError(
            `${list} ${one ? "is not an arXiv identifier" : "are not arXiv identifiers"} (expected e.g. 2401.00010 or hep-th/9901001), so nothing was saved${ids.length > bad.length ? `, not even the valid ${ids.length - bad.length === 1 ? "one" : "ones"}` : ""}: correct ${one ? "it" : "them"} and run the command again.`,
          );
        }
        await appendSignals(feedbackPath(ws.dir), signals);
        if (!quiet)
          for (const s of signals) writeOut(`${s.signal} ${s.id}${s.title ? `  ${terminalTitle(s.title)}` : ""}\n`);
        // A paper from elsewhere is accepted, but it counts only once its abstract is known.
        if (signal !== "clear")
          await sayUnresolved(
            signals.filter((s) => !titles.has(s.id)),
            ws.named,
          );
      });
  }

  feedback
    .command("list")
    .description(
      "show each paper's current feedback, latest first; one known by title only shows as waiting:HANDLE (the handle `feedback waiting --forget` takes)",
    )
    .action(async (_o: unknown, cmd: Command) => {
      const {
        commandLine,
        identifySignals,
        liveState,
        plural,
        shownDay,
        terminalTitle,
        waitingEntries,
        waitingHandles,
        writeErr,
        writeOut,
      } = await load();
      const { ws } = await workspaceOf(cmd);
      const { read, known } = await readFeedbackFile(ws);
      const titles = new Map(known.map((k) => [k.id, k.title]));
      // A title-only line counts for the paper it names once that paper is known; until then it waits.
      const { signals, waiting } = identifySignals(read, known);
      const handles = waitingHandles(read.titled);
      // Cleared papers and forgotten entries are left out here as by every other command (`isLive`).
      const rows = [
        ...[...liveState(signals)].map(([id, p]) => ({
          id,
          p,
          title: p.title ?? titles.get(id) ?? "",
          held: false,
        })),
        ...waitingEntries(waiting).map((e) => ({
          id: `waiting:${handles.shown(e.key)}`,
          p: e.feedback,
          title: e.title,
          held: true,
        })),
      ].sort((a, b) => Date.parse(b.p.at) - Date.parse(a.p.at));
      if (rows.length === 0) writeOut(`No feedback yet. Try ${commandLine("feedback like 2401.00010", ws.named)}.\n`);
      for (const { id, p, title } of rows)
        writeOut(`${id.padEnd(16)} ${stateWords(p).padEnd(14)} ${shownDay(p.at)}  ${terminalTitle(title)}\n`);
      const held = rows.filter((r) => r.held).length;
      if (held > 0)
        writeErr(
          `note: ${plural(held, "paper")} ${held === 1 ? "is" : "are"} known by title only (shown as waiting:HANDLE): ${held === 1 ? "it counts" : "they count"} by that title, and for the paper by id once a paper of that title is archived; ${commandLine("feedback waiting --forget HANDLE", ws.named)} forgets one.\n`,
        );
    });

  feedback
    .command("waiting")
    .description(
      "list the library entries saved by title whose paper is not archived yet, each with a handle made from its title (whatever is archived meanwhile, its start names that entry); --forget drops the ones you name",
    )
    .option(
      "--forget <entries...>",
      // 4 is MIN_HANDLE_CHARS (feedback/titled.ts), not imported here so that --help loads Commander alone.
      "forget these waiting entries, each named by its handle (its first 4 characters or more) or by its title (nothing else changes)",
    )
    .action(async (o: { forget?: string[] }, cmd: Command) => {
      const {
        appendSignals,
        commandLine,
        findPaper,
        forgetLines,
        identifySignals,
        MIN_HANDLE_CHARS,
        nameWaitingEntry,
        plural,
        shownDay,
        shownValue,
        terminalTitle,
        titledIndex,
        UsageError,
        waitingEntries,
        waitingHandles,
        writeErr,
        writeOut,
      } = await load();
      const { ws } = await workspaceOf(cmd);
      const { file, read, known } = await readFeedbackFile(ws);
      // What still waits once the archive (and the resolved papers) had their say, as every reader sees it.
      const entries = waitingEntries(identifySignals(read, known).waiting);
      // Handles come from the titles alone, so the one a listing showed names the same entry later, or none.
      const handles = waitingHandles(read.titled);
      const listing = `${commandLine("feedback waiting", ws.named)} lists each entry with its handle`;
      if (o.forget === undefined) {
        if (entries.length === 0) {
          writeOut("No library entry is waiting for its paper.\n");
          return;
        }
        const shown = entries.map((e) => handles.shown(e.key));
        const width = Math.max(...shown.map((h) => h.length));
        for (const [i, e] of entries.entries())
          writeOut(
            `${shown[i]!.padEnd(width)}  ${stateWords(e.feedback).padEnd(14)} ${shownDay(e.since)}  ${terminalTitle(e.title)}\n`,
          );
        writeErr(
          `note: ${entries.length === 1 ? "this entry counts" : "these entries count"} by title until a paper of that title is archived; ${commandLine("feedback waiting --forget HANDLE", ws.named)} forgets one.\n`,
        );
        return;
      }
      // Every entry named is found before anything is written: a typo must not forget half of them.
      const chosen = new Map<string, (typeof entries)[number]>();
      for (const text of o.forget) {
        const named = nameWaitingEntry(text, entries, handles);
        if (named && "entry" in named) {
          chosen.set(named.entry.key, named.entry);
          continue;
        }
        const shown = shownValue(text.trim());
        if (named && "ambiguous" in named)
          throw new UsageError(
            `${shown} starts the handles of ${named.ambiguous.length} entries (${named.ambiguous.join(", ")}): give more of the one you mean.`,
          );
        if (named && "tooShort" in named)
          throw new UsageError(
            `${shown} is too short to name a waiting entry: give at least the first ${MIN_HANDLE_CHARS} characters of the handle ${commandLine("feedback waiting", ws.named)} shows beside it (entries have no numbers).`,
          );
        if (named && "gone" in named) {
          const index = titledIndex(read, known);
          const hit = named.lines
            .map((l) => findPaper(index, l.title, l.doi ?? null))
            .find((h): h is { id: string; via: "doi" | "title" } => h !== null && "id" in h);
          throw new UsageError(
            hit
              ? `The entry ${named.gone} waits no more: it names ${hit.id}, archived or resolved since; forget its feedback with ${commandLine(`feedback clear ${hit.id}`, ws.named)}.`
              : `The entry ${named.gone} waits no more: it was forgotten or cleared already, so there is nothing to forget.`,
          );
        }
        if (entries.length === 0)
          throw new UsageError(
            `${shown} names no waiting entry: no library entry is waiting for its paper, so there is nothing to forget.`,
          );
        const hit = findPaper(titledIndex(read, known), text, null);
        if (hit && "id" in hit)
          throw new UsageError(
            `${shown} is not waiting: it names ${hit.id}, archived or resolved; forget its feedback with ${commandLine(`feedback clear ${hit.id}`, ws.named)}.`,
          );
        throw new UsageError(`${shown} is neither the handle nor the title of a waiting entry: ${listing}.`);
      }
      const at = new Date();
      // The file is only ever added to: a title-only clear line forgets the entry, on every machine the file is merged to.
      await appendSignals(
        file,
        [...chosen.values()].flatMap((e) => forgetLines(e, "cli", at)),
      );
      for (const e of chosen.values())
        writeOut(
          `Forgot the waiting entry ${handles.shown(e.key)} "${terminalTitle(e.title)}" (${stateWords(e.feedback)} since ${shownDay(e.since)}).\n`,
        );
      const left = entries.length - chosen.size;
      writeOut(
        left === 0
          ? "No library entry is waiting for its paper now.\n"
          : `${plural(left, "entry", "entries")} still ${left === 1 ? "waits" : "wait"}: ${listing}.\n`,
      );
    });

  feedback
    .command("export")
    .description(
      "print the lines of feedback.jsonl that decide the current feedback, as written (JSONL for `feedback import` in another workspace)",
    )
    .action(async (_o: unknown, cmd: Command) => {
      const { decidingSignals, decidingTitleSignals, feedbackPath, inEffectOrder, readSignals } = await load();
      const { ws } = await workspaceOf(cmd);
      const file = feedbackPath(ws.dir);
      const { signals, titled, problems } = await readSignals(file);
      await warnProblems(file, problems);
      for (const s of inEffectOrder([...decidingSignals(signals), ...decidingTitleSignals(titled)]))
        process.stdout.write(`${JSON.stringify(s)}\n`);
    });

  feedback
    .command("import")
    .description(
      "save every paper of a Zotero, Mendeley or JabRef export (one not archived yet by its title, until it is), or add the lines of a `feedback export` file as they are",
    )
    .argument("<file>", "a .bib, .ris, CSL .json or feedback .jsonl file, at most 16 MB")
    .addOption(choiceOption("--format <format>", "the file's format (default: guessed from the file)", IMPORT_FORMATS))
    .action(async (fileArg: string, o: { format?: ImportFormat }, cmd: Command) => {
      const {
        appendSignals,
        feedbackPath,
        parseSignals,
        plural,
        readSignals,
        requireFile,
        signalKey,
        terminalTitle,
        UsageError,
        writeErr,
        writeOut,
      } = await load();
      const { ws } = await workspaceOf(cmd);
      const path = resolve(fileArg);
      requireFile(path, path, "give a .bib, .ris, CSL .json or feedback .jsonl file");
      const name = basename(path);
      // A file of many megabytes is refused (exit 2) before it is read, naming it and its size.
      const { LIBRARY_MAX_BYTES, readLibraryFile } = await import("../feedback/library-file.js");
      const text = await readLibraryFile(path, name, LIBRARY_MAX_BYTES, fileArg);
      const at = new Date();
      const format = o.format ?? ((await looksLikeFeedback(name, text)) ? "jsonl" : undefined);

      if (format === "jsonl") {
        // Our own lines: kept as they are (time, source, title), so an export and its import agree.
        // Lines the workspace has already are left out, so importing a file twice adds nothing.
        const { signals: byId, titled, problems } = parseSignals(text);
        const signals = [...byId, ...titled];
        await warnProblems(fileArg, problems);
        const file = feedbackPath(ws.dir);
        const held = await readSignals(file);
        const seen = new Set([...held.signals, ...held.titled].map(signalKey));
        const fresh = signals.filter((s) => {
          const key = signalKey(s);
          if (seen.has(key)) return false;
          seen.add(key);
          return true;
        });
        await appendSignals(file, fresh);
        const already = signals.length - fresh.length;
        writeOut(
          `Imported ${plural(fresh.length, "signal")} from ${name}${already ? ` (${plural(already, "line")} already recorded)` : ""}.\n`,
        );
        exit(problems.length ? 1 : 0);
        return;
      }

      const { forgottenWaiting, importLibrary, newLibrarySignals, LibraryFormatError } = await import(
        "../feedback/library.js"
      );
      let result: ReturnType<typeof importLibrary>;
      const known = await knownPapers(ws);
      try {
        // Every format error names the file itself.
        result = importLibrary(text, format ?? "auto", known, { fileName: name });
      } catch (err) {
        if (err instanceof LibraryFormatError) throw new UsageError(err.message);
        throw err;
      }
      // Papers saved already are not saved again, so importing the same library twice is quiet.
      const file = feedbackPath(ws.dir);
      const before = await readSignals(file);
      const fresh = newLibrarySignals(result, name, at, before, known);
      // Entries forgotten or cleared since an earlier import stay so, and are not said to wait.
      const forgotten = forgottenWaiting(result, before, known).length;
      await appendSignals(file, fresh);

      const routes = { "arxiv-id": 0, doi: 0, title: 0 };
      for (const m of result.matched) routes[m.via]++;
      const waiting = result.waiting.length - forgotten;
      writeOut(
        `Read ${plural(result.entries, "entry", "entries")} from ${name} (${result.format}): ${plural(result.matched.length, "paper")} matched ` +
          `(${routes["arxiv-id"]} by arXiv id, ${routes.doi} by DOI, ${routes.title} by title), ` +
          (waiting
            ? `${waiting} saved by title until ${waiting === 1 ? "its paper is" : "their papers are"} archived, `
            : "") +
          (forgotten ? `${forgotten} forgotten before and left so, ` : "") +
          `${fresh.length} newly saved, ${result.unmatched.length} not matched, ` +
          (result.unreadable.length ? `${result.unreadable.length} unreadable, ` : "") +
          `${result.duplicates.length} duplicated.\n`,
      );
      for (const d of result.duplicates) writeOut(`  duplicate ${d.id}: ${d.labels.join(", ")}\n`);
      const newTitles = new Set(fresh.flatMap((s) => (s.id === undefined && s.title ? [s.title] : [])));
      for (const w of result.waiting)
        if (newTitles.has(w.title))
          writeOut(
            `  saved by title: ${w.label} "${terminalTitle(w.title)}": no known paper has this title${w.doi ? " or DOI" : ""} yet; it counts by its title, and as the paper once one of that title is archived\n`,
          );
      for (const u of result.unmatched)
        writeOut(`  not matched: ${u.label}${u.title ? ` "${terminalTitle(u.title)}"` : ""}: ${u.reason}\n`);
      const knownIds = new Set(known.map((k) => k.id));
      await sayUnresolved(
        fresh.flatMap((s) => (s.id !== undefined && !knownIds.has(s.id) ? [{ id: s.id, title: s.title }] : [])),
        ws.named,
      );
      // An entry the file's format cannot read is named by the line to fix; the rest is imported, and
      // importing the mended file again adds only what was missing. Not all of the file: exit 1.
      for (const u of result.unreadable)
        writeErr(`warning: ${name}${u.line === null ? "" : `:${u.line}`}: ${u.label} skipped: ${u.reason}.\n`);
      exit(result.unreadable.length ? 1 : 0);
    });

  feedback
    .command("sync")
    .description("import feedback issues opened from the site on GitHub (feedback.github) and close them")
    .option(
      "--keep-open",
      "record the feedback but leave the issues open (a later sync closes them, recording nothing twice)",
    )
    .option("--if-configured", "do nothing (exit 0) when feedback.github is not set, as the daily workflow runs it")
    .action(async (o: { keepOpen?: boolean; ifConfigured?: boolean }, cmd: Command) => {
      const {
        appendSignals,
        feedbackPath,
        GITHUB_TOKEN_ENV,
        GitHubError,
        plural,
        readSignals,
        recordedIn,
        stderrLogger,
        syncFromGitHub,
        UsageError,
        writeErr,
        writeOut,
      } = await load();
      const { ws, quiet } = await workspaceOf(cmd);
      const repo = ws.config.feedback.github;
      if (!repo && o.ifConfigured) {
        writeOut("feedback.github is not set: no feedback issues to sync.\n");
        return;
      }
      if (!repo)
        throw new UsageError(
          `feedback.github is not set in ${ws.configPath}; set it to the owner/repo whose issues the site opens.`,
        );
      const token = ws.env[GITHUB_TOKEN_ENV]?.trim();
      if (!token)
        throw new UsageError(
          `${GITHUB_TOKEN_ENV} is not set; give it a token that can read and close issues of ${repo}.`,
        );
      // A placeholder left as the token is refused before GitHub is asked (exit 2), as every credential sent off.
      const { checkSentSecrets, gitHubCredential } = await import("../pipeline/sent-secrets.js");
      checkSentSecrets(ws, [gitHubCredential(ws, repo)]);
      const file = feedbackPath(ws.dir);
      const titles = new Map((await knownPapers(ws)).map((k) => [k.id, k.title]));
      // An issue recorded by an earlier sync (left open by --keep-open, or not closed) is not recorded again.
      const isRecorded = recordedIn((await readSignals(file)).signals);
      let result: Awaited<ReturnType<typeof syncFromGitHub>>;
      try {
        result = await syncFromGitHub({
          repo,
          token,
          // The archive's title, as `feedback like` records it; the issue's own Title line otherwise.
          titleOf: (id) => titles.get(id),
          isRecorded,
          ...(ws.env.GITHUB_API_URL ? { apiBase: ws.env.GITHUB_API_URL } : {}),
          persist: async (signals) => {
            await appendSignals(file, signals);
          },
          ...(o.keepOpen ? { keepOpen: true } : {}),
        });
      } catch (err) {
        if (err instanceof GitHubError) {
          writeErr(`arxiv-digest: ${err.message}\n`);
          exit(1);
          return;
        }
        throw err;
      }
      const log = stderrLogger(quiet);
      for (const i of result.ignored) log.warn(`issue #${i.number} left open: ${i.reason}`);
      for (const f of result.closeFailures) log.warn(`issue #${f.number} recorded but not closed: ${f.message}`);
      writeOut(
        `Synced ${plural(result.imported.length, "feedback issue")} from ${repo} (${result.alreadyRecorded.length > 0 ? `${result.alreadyRecorded.length} already recorded, ` : ""}${result.closed.length} closed, ${result.ignored.length} ignored).\n`,
      );
      await sayUnresolved(
        result.signals.filter((s) => s.signal !== "clear" && !titles.has(s.id)),
        ws.named,
      );
      exit(result.closeFailures.length ? 1 : 0);
    });

  feedback
    .command("resolve")
    .description(
      "fetch from arXiv the metadata of papers with feedback that the archive does not have, and record by id the papers saved by title that are now known",
    )
    .action(async (_o: unknown, cmd: Command) => {
      const {
        appendSignals,
        arxivMetadataFetcher,
        createArxivClient,
        feedbackPath,
        identifySignals,
        liveState,
        loadKnownPapers,
        openStore,
        papersCachePath,
        pipelineContext,
        plural,
        readPapersCache,
        readSignals,
        resolvePapers,
        signalKey,
        waitingEntries,
        writeOut,
      } = await load();
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const ctx = pipelineContext(g);
      const ws = ctx.workspace;
      const file = feedbackPath(ws.dir);
      const read = await readSignals(file);
      await warnProblems(file, read.problems);
      const inArchive = await loadKnownPapers(openStore(ws));
      const cachePath = papersCachePath(ws.dir);
      // Title-only lines that now name a known paper are recorded by its id, as they count already:
      // every reader of the file (the served pages, eval) then finds them under the id too.
      const { signals, waiting } = identifySignals(read, [
        ...inArchive,
        ...(await readPapersCache(cachePath)).values(),
      ]);
      const held = new Set(read.signals.map(signalKey));
      const named = signals.filter((s) => !held.has(signalKey(s)));
      await appendSignals(file, named);
      const archived = new Set(inArchive.map((k) => k.id));
      const result = await resolvePapers({
        // A paper cleared says nothing now (`isLive`), so nothing of it is fetched or reported.
        ids: liveState(signals).keys(),
        cachePath,
        fetcher: arxivMetadataFetcher(await createArxivClient(ctx), ws.config.arxiv.apiUrl),
        skip: archived,
      });
      const unknown = result.missing.length ? `: ${result.missing.join(", ")}` : "";
      writeOut(
        `Papers with feedback outside the archive: ${result.papers.size} known (${result.fetched.length} fetched now), ${result.missing.length} unknown to arXiv${unknown}.\n`,
      );
      if (read.titled.length > 0) {
        // The entries `feedback waiting` lists: a forgotten or cleared one waits no more.
        const left = waitingEntries(waiting).length;
        const still = left === 0 ? "no library entry" : plural(left, "library entry", "library entries");
        writeOut(
          `Feedback given by title: ${plural(named.length, "line")} now recorded by arXiv id, ${still} still waiting for ${left > 1 ? "their papers" : "its paper"} to be archived.\n`,
        );
      }
    });
}
