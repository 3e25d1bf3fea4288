/**
 * This checkout as a user would get it: its working tree (uncommitted edits included, ignored
 * files such as node_modules/ and dist/ left out) copied into a folder, committed, and cloned
 * bare, so a test can `npm pack` it or `npm install` it from a `git+file://` URL without touching
 * the checkout itself (whose dist/ other tests run meanwhile).
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdir, symlink } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const REPO = fileURLToPath(new URL("../../", import.meta.url));

export interface SourceSnapshot {
  /** The copied working tree, with node_modules/ linked to the checkout's (so `npm pack` can build). */
  tree: string;
  /** `git+file://…/repo.git#<commit>`: installs the snapshot as npm installs `github:owner/repo#ref`. */
  gitUrl: string;
  commit: string;
}

/** Git without the developer's or the system's configuration, with a fixed identity. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    env: {
      PATH: process.env.PATH ?? "",
      HOME: cwd,
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_AUTHOR_NAME: "Test",
      GIT_AUTHOR_EMAIL: "test@example.org",
      GIT_COMMITTER_NAME: "Test",
      GIT_COMMITTER_EMAIL: "test@example.org",
    },
  });
}

export async function snapshotSource(dir: string): Promise<SourceSnapshot> {
  const tree = join(dir, "arxiv-digest");
  const files = git(REPO, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    .split("\0")
    .filter((f) => f !== "" && existsSync(join(REPO, f)));
  for (const file of files) {
    await mkdir(dirname(join(tree, file)), { recursive: true });
    await cp(join(REPO, file), join(tree, file));
  }
  git(tree, "init", "--quiet", "--initial-branch=main");
  git(tree, "add", "--all");
  git(tree, "commit", "--quiet", "--no-verify", "-m", "snapshot");
  const commit = git(tree, "rev-parse", "HEAD").trim();
  const bare = join(dir, "arxiv-digest.git");
  git(dir, "clone", "--quiet", "--bare", tree, bare);
  await symlink(join(REPO, "node_modules"), join(tree, "node_modules"), "dir");
  return { tree, gitUrl: `git+${pathToFileURL(bare).href}#${commit}`, commit };
}

/**
 * Environment for npm in a test: the isolated basics plus what reaching the registry may need
 * (proxy, registry, cache, CA), and none of the npm_config_* an enclosing `npm test` exports.
 */
export function npmEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  const keep =
    /^(PATH|HOME|TMPDIR|LANG|https?_proxy|no_proxy|npm_config_(registry|cache|userconfig|cafile|strict_ssl))$/i;
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && keep.test(k)) env[k] = v;
  return { ...env, npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false", ...extra };
}
