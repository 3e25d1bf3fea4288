/**
 * Where the generated workflows install arxiv-digest from: the one home of the `spec=` line of
 * their "Install arxiv-digest" step. `init` writes it (pinned to where the running copy came from,
 * when that can be told), `init --workflows` keeps its repository, `doctor` reads it back.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { InstallRoute } from "./install-routes.js";

/** What the install commands need from the package's package.json. */
export interface PackageInfo {
  name: string;
  version: string;
  repository?: string | { url?: string };
}

/** Where the running copy came from: its repository (as npm names it) and commit, each when known. */
export interface InstallOrigin {
  repo: string | null;
  commit: string | null;
}

/** The owner npm's package.json carries until the repository is named: a spec with it installs nothing. */
export const PLACEHOLDER_OWNER = "OWNER";

/** Where the generated workflows live in a workspace, and the two that install arxiv-digest. */
export const WORKFLOWS_DIR = ".github/workflows/";
export const DAILY_WORKFLOW = `${WORKFLOWS_DIR}daily.yml`;
export const BACKFILL_WORKFLOW = `${WORKFLOWS_DIR}backfill.yml`;
export const INSTALLING_WORKFLOWS = [DAILY_WORKFLOW, BACKFILL_WORKFLOW] as const;

/** The spec line of a Git install step: `spec="<repository>#<ref>"`. */
const SPEC_LINE = /^\s*spec="([^"]*)"\s*$/;

/**
 * The install step of the generated workflows. The Git route (the default, and the one that works
 * before the package is on the registry) pins a repository at a commit or tag, on one line to edit.
 * It installs into a folder of its own rather than with `-g`: for a global install from Git, npm
 * runs the package's build without its devDependencies and fails (npm/cli#8440).
 */
export function installCommand(route: InstallRoute, pkg: PackageInfo, spec: string = gitInstallSpec(pkg)): string {
  if (route === "registry") return `npm install -g ${pkg.name}@${pkg.version}`;
  return [
    "# arxiv-digest from Git at a tag, branch or commit: change this line to update it.",
    `spec="${spec}"`,
    'npm install --prefix "$RUNNER_TEMP/arxiv-digest" --omit=dev --no-audit --no-fund "$spec"',
    'echo "$RUNNER_TEMP/arxiv-digest/node_modules/.bin" >> "$GITHUB_PATH"',
  ].join("\n");
}

/**
 * The Git spec the workflows install from. The repository: the one the workflow already names
 * (`kept`, a fork say) unless that is the placeholder, else the one the running copy was installed
 * or cloned from, else package.json's. The ref: the commit the running copy was built from when
 * known (no tag needs to exist), else the version's tag.
 */
export function gitInstallSpec(
  pkg: PackageInfo,
  origin: InstallOrigin | null = null,
  kept: string | null = null,
): string {
  const repo = (kept !== null && !isPlaceholder(kept) ? kept : null) ?? origin?.repo ?? gitSpec(pkg);
  return `${repo}#${origin?.commit ?? `v${pkg.version}`}`;
}

/** `github:owner/repo` for a GitHub repository, else the repository's git URL (npm's spelling). */
export function gitSpec(pkg: PackageInfo): string {
  const raw = (typeof pkg.repository === "string" ? pkg.repository : pkg.repository?.url) ?? "";
  return (raw && npmGitUrl(raw)) || `github:${PLACEHOLDER_OWNER}/${pkg.name}`;
}

/**
 * A repository URL as an npm spec that a runner can install from: GitHub as `github:owner/repo`,
 * other hosts as `git+https://…` or `git+ssh://…`; null for a local path or `file:` URL (the
 * runner has no such folder) and for anything that is not a repository address.
 */
export function npmGitUrl(url: string): string | null {
  const raw = url.trim().replace(/#.*$/, "");
  const github =
    /^(?:github:)?(\w[\w.-]*\/[\w.-]+?)(?:\.git)?$/.exec(raw) ??
    /^(?:git\+)?(?:https?|ssh|git):\/\/(?:[^@/]+@)?github\.com[/:]([\w.-]+\/[\w.-]+?)(?:\.git)?\/?$/.exec(raw) ??
    /^git@github\.com:([\w.-]+\/[\w.-]+?)(?:\.git)?\/?$/.exec(raw);
  if (github) return `github:${github[1]}`;
  const scp = /^([\w.-]+@[\w.-]+):(?!\/\/)(.+)$/.exec(raw);
  if (scp) return `git+ssh://${scp[1]}/${scp[2]}`;
  if (/^(?:git\+)?(?:https?|ssh|git):\/\//.test(raw)) return raw.startsWith("git+") ? raw : `git+${raw}`;
  return null;
}

/** The spec names the placeholder owner, so the install step cannot succeed as written. */
export function isPlaceholder(spec: string): boolean {
  return new RegExp(`(?:^|[:/])${PLACEHOLDER_OWNER}/`).test(spec);
}

/**
 * Where the copy of arxiv-digest in `root` came from, as far as the machine records it: npm's
 * lock entry of a Git install (`resolved`: the repository URL and the commit), or, for a clone, its
 * remote and HEAD. A `git+file://` install is followed to that repository's own remote. Null when
 * nothing tells (installed from the registry or a tarball, or a folder that is no clone).
 */
export function installOrigin(root: string): InstallOrigin | null {
  const resolved = lockResolved(root);
  if (resolved !== null) {
    // npm records a Git install as `git+<protocol>://…#<commit>`; anything else is a tarball.
    if (!/^git\+/.test(resolved)) return null;
    const [url, ref] = resolved.split("#") as [string, string | undefined];
    const commit = ref && /^[0-9a-f]{40}$/.test(ref) ? ref : null;
    if (/^(?:git\+)?file:/.test(url)) {
      const path = fileURLToPath(url.replace(/^git\+/, ""));
      return { repo: cloneOrigin(path)?.repo ?? null, commit };
    }
    const repo = npmGitUrl(url);
    return repo !== null ? { repo, commit } : null;
  }
  return cloneOrigin(root, true);
}

/** `resolved` of the package's entry in the lock file npm wrote when it installed it, if any. */
function lockResolved(root: string): string | null {
  const modules = dirname(root);
  if (basename(modules) !== "node_modules") return null;
  const prefix = dirname(modules);
  const key = relative(prefix, root).split(sep).join("/");
  for (const lock of [join(modules, ".package-lock.json"), join(prefix, "package-lock.json")]) {
    try {
      const { packages } = JSON.parse(readFileSync(lock, "utf8")) as {
        packages?: Record<string, { resolved?: unknown }>;
      };
      const resolved = packages?.[key]?.resolved;
      if (typeof resolved === "string" && resolved !== "") return resolved;
    } catch {
      // no such lock file, or not one npm wrote: try the next
    }
  }
  return null;
}

/**
 * A Git repository's remote (the current branch's, else `origin`, else the only one) and HEAD.
 * With `ownRoot`, only when `dir` is the top of the repository (arxiv-digest's own clone, not a
 * folder inside someone's workspace repository).
 */
function cloneOrigin(dir: string, ownRoot = false): InstallOrigin | null {
  const git = (...args: string[]): string | null => {
    try {
      return execFileSync("git", ["-C", dir, ...args], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      }).trim();
    } catch {
      return null;
    }
  };
  const top = git("rev-parse", "--show-toplevel");
  if (top === null || (ownRoot && relative(top, dir) !== "")) return null;
  const commit = git("rev-parse", "--verify", "HEAD");
  const remotes = (git("remote") ?? "").split("\n").filter(Boolean);
  const branchRemote = git("config", `branch.${git("symbolic-ref", "--short", "-q", "HEAD") ?? ""}.remote`);
  const remote =
    [branchRemote, "origin"].find((r) => r !== null && remotes.includes(r)) ??
    (remotes.length === 1 ? remotes[0] : null);
  const url = remote ? git("remote", "get-url", remote) : null;
  return { repo: url ? npmGitUrl(url) : null, commit: commit && /^[0-9a-f]{40}$/.test(commit) ? commit : null };
}

/**
 * How the workspace's daily workflow installs arxiv-digest now (null when it has none or it is
 * not ours to tell): the route, and for Git the repository its spec line names (a fork, say). So
 * writing the workflows again keeps both.
 */
export async function currentInstall(dir: string): Promise<{ route: InstallRoute; source: string | null } | null> {
  let text: string;
  try {
    text = await readFile(join(dir, DAILY_WORKFLOW), "utf8");
  } catch {
    return null;
  }
  if (/^\s*npm install -g /m.test(text)) return { route: "registry", source: null };
  const spec = specLines(text)[0];
  return spec ? { route: "git", source: spec.spec.replace(/#.*$/, "") } : null;
}

/** The `spec=` lines of a workflow's text, with their 1-based line numbers. */
export function specLines(text: string): { line: number; spec: string }[] {
  return text.split(/\r?\n/).flatMap((l, i) => {
    const m = SPEC_LINE.exec(l);
    return m ? [{ line: i + 1, spec: m[1]! }] : [];
  });
}

/** Why a spec cannot install on a runner (null when nothing offline tells it cannot). */
export function specProblem(spec: string): string | null {
  if (isPlaceholder(spec))
    return `still names the placeholder owner ${PLACEHOLDER_OWNER}, so its "Install arxiv-digest" step fails`;
  if (spec.trim() === "" || spec.startsWith("#"))
    return `names no repository, so its "Install arxiv-digest" step fails`;
  const repo = spec.replace(/#.*$/, "");
  if (npmGitUrl(repo) === null)
    return `names ${repo}, which is no repository address a GitHub runner can reach (a local folder?), so its "Install arxiv-digest" step fails`;
  return null;
}
