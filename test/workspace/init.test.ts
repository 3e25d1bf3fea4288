// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are GitHub Actions expressions and shell, not JS templates.
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse, parseDocument } from "yaml";
import { parseFollowedAuthors } from "../../src/authors/followed.js";
import { parseConfig } from "../../src/config/parse.js";
import { UserError } from "../../src/model/errors.js";
import {
  currentInstall,
  fillInstall,
  gitSpec,
  initWorkspace,
  installCommand,
  installOrigin,
  nextSteps,
  readPackageInfo,
} from "../../src/workspace/init.js";
import { secretsOf } from "../../src/workspace/workflow-secrets.js";
import { git } from "../helpers/source-snapshot.js";
import { type TempWorkspace, tempWorkspace } from "../helpers/workspace.js";

const REPO = new URL("../../", import.meta.url).pathname;
let workspace: TempWorkspace;
let dir: string;
beforeEach(() => {
  workspace = tempWorkspace(null);
  dir = workspace.dir;
});
afterEach(() => workspace.cleanup());

async function filesUnder(root: string, at = root): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(at, { withFileTypes: true })) {
    const path = join(at, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(root, path)));
    else out.push(relative(root, path));
  }
  return out.sort();
}

const WORKFLOWS = [".github/workflows/backfill.yml", ".github/workflows/daily.yml", ".github/workflows/keepalive.yml"];

describe("initWorkspace", () => {
  it("copies every file under defaults/ and writes .gitignore, .env.example and the workflows", async () => {
    const defaults = await filesUnder(join(REPO, "defaults"));
    expect(defaults).toContain("arxiv-digest.yaml");
    const { written, skipped } = await initWorkspace(dir);
    expect(skipped).toEqual([]);
    expect([...written].sort()).toEqual([...defaults, ".env.example", ".gitignore", ...WORKFLOWS].sort());
    for (const file of defaults) {
      expect(await readFile(join(dir, file))).toEqual(await readFile(join(REPO, "defaults", file)));
    }
    const gitignore = (await readFile(join(dir, ".gitignore"), "utf8")).split("\n");
    expect(gitignore).toEqual(expect.arrayContaining([".env", ".cache/", "node_modules/", "site/"]));
    const envExample = await readFile(join(dir, ".env.example"), "utf8");
    // Every secret the workflows pass for the default config, and the endpoint override.
    const config = parseConfig(await readFile(join(REPO, "defaults", "arxiv-digest.yaml"), "utf8"), "defaults");
    for (const name of [...secretsOf(config).map((s) => s.name), "OPENAI_BASE_URL"]) {
      expect(envExample).toMatch(new RegExp(`^${name}=$`, "m"));
    }
    // A new workspace follows nobody until the user adds a name: the examples are comments.
    expect(parseFollowedAuthors(await readFile(join(dir, "authors.txt"), "utf8"), "authors.txt")).toEqual([]);
  });

  it("refuses to overwrite existing files unless forced", async () => {
    await writeFile(join(dir, "arxiv-digest.yaml"), "# mine\n");
    await writeFile(join(dir, ".gitignore"), "mine/\n");
    const first = await initWorkspace(dir);
    expect(first.skipped.sort()).toEqual([".gitignore", "arxiv-digest.yaml"]);
    expect(await readFile(join(dir, "arxiv-digest.yaml"), "utf8")).toBe("# mine\n");

    const second = await initWorkspace(dir);
    expect(second.written).toEqual([]);
    expect(second.skipped).toHaveLength(first.written.length + first.skipped.length);

    const forced = await initWorkspace(dir, { force: true });
    expect(forced.skipped).toEqual([]);
    expect(await readFile(join(dir, "arxiv-digest.yaml"), "utf8")).toBe(
      await readFile(join(REPO, "defaults/arxiv-digest.yaml"), "utf8"),
    );
  });

  it("with workflowsOnly, writes the workflows again and nothing else", async () => {
    await initWorkspace(dir);
    const mine = `# mine\n${await readFile(join(dir, "arxiv-digest.yaml"), "utf8")}`;
    await writeFile(join(dir, "arxiv-digest.yaml"), mine);
    await writeFile(join(dir, WORKFLOWS[1]!), "# an older version's\n");
    const { written, skipped } = await initWorkspace(dir, { workflowsOnly: true });
    expect([...written].sort()).toEqual(WORKFLOWS);
    expect(skipped).toEqual([]);
    expect(await readFile(join(dir, "arxiv-digest.yaml"), "utf8")).toBe(mine);
    expect(await readFile(join(dir, WORKFLOWS[1]!), "utf8")).toContain("name: Daily digest");
  });

  it("tells where the workspace's workflows install from, so writing them again keeps it", async () => {
    expect(await currentInstall(dir)).toBeNull();
    await initWorkspace(dir, { route: "registry" });
    expect(await currentInstall(dir)).toEqual({ route: "registry", source: null });
    await initWorkspace(dir, { workflowsOnly: true, source: "github:reader/arxiv-digest-fork" });
    expect(await currentInstall(dir)).toEqual({ route: "git", source: "github:reader/arxiv-digest-fork" });
    const version = readPackageInfo(REPO).version;
    expect(await readFile(join(dir, WORKFLOWS[1]!), "utf8")).toContain(
      `spec="github:reader/arxiv-digest-fork#v${version}"`,
    );
  });

  it("says so when the target is a file, and when the package lacks defaults/", async () => {
    const file = join(dir, "file");
    await writeFile(file, "x");
    await expect(initWorkspace(file)).rejects.toThrow(
      `${file} is a file, not a folder; choose another place for the workspace.`,
    );
    await expect(initWorkspace(join(dir, "ws"), { packageRoot: join(dir, "nowhere") })).rejects.toThrow(
      /has no .*defaults folder; reinstall/,
    );
  });

  it("puts the install command into the workflows, indented as a block", async () => {
    expect(fillInstall("    run: |\n      {{install}}\n", "git clone x y\nnpm ci --prefix y")).toBe(
      "    run: |\n      git clone x y\n      npm ci --prefix y\n",
    );
    await initWorkspace(dir, { install: "npm ci\nnpm install -g ." });
    const daily = parse(await readFile(join(dir, ".github/workflows/daily.yml"), "utf8")) as Workflow;
    expect(stepNamed(daily, "digest", "Install arxiv-digest").run).toBe("npm ci\nnpm install -g .\n");
  });

  it("installs from the package's Git repository at its version tag by default, on one line to edit", async () => {
    const pkg = readPackageInfo();
    await initWorkspace(dir);
    for (const [file, job] of [
      ["daily.yml", "digest"],
      ["backfill.yml", "backfill"],
    ] as const) {
      const wf = parse(await readFile(join(dir, ".github/workflows", file), "utf8")) as Workflow;
      const run = stepNamed(wf, job, "Install arxiv-digest").run ?? "";
      const specLines = run.split("\n").filter((line) => line.includes(`#v${pkg.version}`));
      expect(specLines, file).toEqual([`spec="${gitSpec(pkg)}#v${pkg.version}"`]);
      expect(run).toContain('npm install --prefix "$RUNNER_TEMP/arxiv-digest" --omit=dev --no-audit --no-fund "$spec"');
      expect(run).toContain('>> "$GITHUB_PATH"');
    }
  });

  it("installs from the registry with route 'registry', pinned to the package's version", async () => {
    await initWorkspace(dir, { route: "registry" });
    const daily = parse(await readFile(join(dir, ".github/workflows/daily.yml"), "utf8")) as Workflow;
    const { name, version } = readPackageInfo();
    expect(stepNamed(daily, "digest", "Install arxiv-digest").run).toBe(`npm install -g ${name}@${version}\n`);
  });

  it("names the repository as npm's github: shorthand when it is on GitHub", () => {
    const pkg = { name: "arxiv-digest", version: "1.2.3" };
    expect(gitSpec({ ...pkg, repository: { url: "git+https://github.com/ada/arxiv-digest.git" } })).toBe(
      "github:ada/arxiv-digest",
    );
    expect(gitSpec({ ...pkg, repository: "github:ada/digest" })).toBe("github:ada/digest");
    expect(gitSpec({ ...pkg, repository: "ada/digest" })).toBe("github:ada/digest");
    expect(gitSpec({ ...pkg, repository: { url: "git+ssh://git@github.com/ada/digest.git" } })).toBe(
      "github:ada/digest",
    );
    expect(gitSpec({ ...pkg, repository: "https://gitlab.com/ada/digest.git" })).toBe(
      "git+https://gitlab.com/ada/digest.git",
    );
    expect(gitSpec(pkg)).toBe("github:OWNER/arxiv-digest");
    expect(installCommand("git", { ...pkg, repository: "ada/digest" })).toContain('spec="github:ada/digest#v1.2.3"');
  });
});

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  if?: string;
  "continue-on-error"?: boolean;
}
interface Job {
  "runs-on": string;
  needs?: string;
  if?: string;
  outputs?: Record<string, string>;
  permissions?: Record<string, string>;
  environment?: { name: string; url: string };
  steps: Step[];
}
interface Workflow {
  name: string;
  on: {
    schedule?: { cron: string }[];
    workflow_dispatch?: null | { inputs?: Record<string, { description: string }> };
  };
  concurrency?: { group: string };
  jobs: Record<string, Job>;
}

/**
 * Pages is read before the day is produced, never at the cost of it (a failure there fails the
 * site build, saying why); the site is uploaded only when this run built it, and the deploy job
 * runs only when it was uploaded, after a failed day too.
 */
function expectPagesGated(wf: Workflow, job: string) {
  const steps = wf.jobs[job]!.steps;
  const at = (pred: (s: Step) => boolean) => steps.findIndex(pred);
  const pages = steps[at((s) => s.uses?.startsWith("actions/configure-pages@") === true)]!;
  expect(pages).toMatchObject({ id: "pages", "continue-on-error": true });
  expect(pages.if).toBeUndefined();
  expect(at((s) => s.id === "pages")).toBeLessThan(at((s) => /arxiv-digest (run|backfill)\b/.test(s.run ?? "")));
  expect(steps[at((s) => s.name === "Install arxiv-digest")]!.id).toBe("install");
  const site = stepNamed(wf, job, "Build the site");
  expect(site.id).toBe("site");
  expect(site.env?.PAGES).toBe("${{ steps.pages.outcome }}");
  expect(site.run).toMatch(/^if \[ "\$PAGES" != "success" \]; then\n\s+echo "::error title=GitHub Pages not set up::/);
  const upload = steps[at((s) => s.uses?.startsWith("actions/upload-pages-artifact@") === true)]!;
  expect(upload).toMatchObject({ id: "upload", if: "${{ !cancelled() && steps.site.outcome == 'success' }}" });
  expect(upload.with).toEqual({ path: "site" });
  expect(wf.jobs[job]!.outputs).toEqual({ site: "${{ steps.upload.outcome }}" });
  expect(wf.jobs.deploy!.if).toBe(`\${{ !cancelled() && needs.${job}.outputs.site == 'success' }}`);
}

/**
 * A commit step pushes on top of what was pushed meanwhile (a few tries), keeps both sides' lines
 * of feedback.jsonl, and otherwise pushes to a branch of its own and fails; never a plain push.
 * test/workspace/workflow-steps.test.ts runs it.
 */
function expectPushOnTop(script: string) {
  expect(script).toContain('echo "feedback.jsonl merge=union" >>');
  expect(script).toContain("for attempt in 1 2 3; do");
  expect(script).toContain("git rebase --quiet --autostash FETCH_HEAD");
  expect(script).toContain('git push --quiet origin "HEAD:$branch"');
  expect(script).toContain('git push --quiet origin "HEAD:refs/heads/$rescue"');
  expect(script).toMatch(/::error title=Archive not pushed/);
  expect(script).toMatch(/\n\s*exit 1\n?$/);
  expect(script).not.toMatch(/^\s*git push\s*$/m);
  expect(script).not.toContain("{{");
  expect(script).not.toMatch(/^\s*#/m);
}

function stepNamed(wf: Workflow, job: string, name: string): Step {
  const step = wf.jobs[job]?.steps.find((s) => s.name === name);
  if (step === undefined) throw new Error(`no step "${name}" in job ${job}`);
  return step;
}

/** A five-field POSIX cron as GitHub Actions accepts it (numbers, ranges, lists, steps, `*`). */
function cronFieldsValid(cron: string): boolean {
  const ranges: [number, number][] = [
    [0, 59],
    [0, 23],
    [1, 31],
    [1, 12],
    [0, 6],
  ];
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) return false;
  return fields.every((field, i) =>
    field.split(",").every((part) => {
      const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
      if (m === null) return false;
      const [lo, hi] = ranges[i]!;
      return (
        [m[2], m[3]].every((n) => n === undefined || (Number(n) >= lo && Number(n) <= hi)) &&
        (m[4] === undefined || Number(m[4]) > 0)
      );
    }),
  );
}

describe("the GitHub Actions workflows", () => {
  async function workflows(): Promise<Record<string, Workflow>> {
    await initWorkspace(dir);
    const out: Record<string, Workflow> = {};
    for (const f of WORKFLOWS) out[f] = parse(await readFile(join(dir, f), "utf8")) as Workflow;
    return out;
  }

  it("are valid workflow YAML: triggers, jobs on a runner, every step a run or a uses", async () => {
    for (const [file, wf] of Object.entries(await workflows())) {
      expect(wf.name, file).toBeTruthy();
      expect(Object.keys(wf.on).length, file).toBeGreaterThan(0);
      expect("workflow_dispatch" in wf.on, file).toBe(true);
      for (const { cron } of wf.on.schedule ?? []) expect(cronFieldsValid(cron), `${file}: ${cron}`).toBe(true);
      for (const [id, job] of Object.entries(wf.jobs)) {
        expect(id).toMatch(/^[A-Za-z_][A-Za-z0-9_-]*$/);
        expect(job["runs-on"]).toBe("ubuntu-latest");
        if (job.needs !== undefined) expect(Object.keys(wf.jobs)).toContain(job.needs);
        expect(job.steps.length).toBeGreaterThan(0);
        for (const step of job.steps) {
          expect(
            Number(step.run !== undefined) + Number(step.uses !== undefined),
            `${file} ${id} ${JSON.stringify(step)}`,
          ).toBe(1);
          if (step.uses !== undefined) expect(step.uses).toMatch(/^[\w-]+\/[\w-]+(\/[\w-]+)?@v\d+$/);
        }
      }
      expect(await readFile(join(dir, file), "utf8")).not.toContain("{{install}}");
    }
  });

  it("run the digest after the feed switches on weekdays, then commit, build and deploy to Pages", async () => {
    const daily = (await workflows())[".github/workflows/daily.yml"]!;
    expect(daily.on.schedule).toEqual([{ cron: "10 5 * * 1-5" }]);
    const digest = daily.jobs.digest!;
    // The least that works: configure-pages reads the Pages settings (a private repository's
    // need pages: read); deploying is the deploy job's.
    expect(digest.permissions).toEqual({ contents: "write", issues: "write", pages: "read" });
    // GitHub failing to answer costs the day's feedback, never the day's digest: a warning, and on.
    const feedback = stepNamed(daily, "digest", "Import feedback from the site");
    expect(feedback["continue-on-error"]).toBe(true);
    expect(feedback.run).toMatch(/^if ! arxiv-digest feedback sync --if-configured; then\n\s+echo "::warning /);
    expect(stepNamed(daily, "digest", "Install arxiv-digest").run).toBe(
      `${installCommand("git", readPackageInfo())}\n`,
    );
    const run = stepNamed(daily, "digest", "Read the announcement and deliver the digest");
    expect(run.run).toMatch(/^arxiv-digest run --wait-fresh 120\b/);
    expect(Object.keys(run.env ?? {}).sort()).toEqual([
      "ARXIV_DIGEST_SITE_URL",
      "DATE",
      "OPENAI_API_KEY",
      "OPENAI_BASE_URL",
      "S2_API_KEY",
      "SLACK_BOT_TOKEN",
      "SLACK_WEBHOOK_URL",
      "SMTP_PASSWORD",
    ]);
    expect(run.env?.OPENAI_API_KEY).toBe("${{ secrets.OPENAI_API_KEY }}");
    // The messages link to the Pages address while the config leaves site.baseUrl at its default.
    expect(run.env?.ARXIV_DIGEST_SITE_URL).toBe("${{ steps.pages.outputs.base_url }}");
    const commit = stepNamed(daily, "digest", "Commit the archive").run ?? "";
    expect(commit).toContain("git add --all -- archive");
    expect(commit).toContain("if git diff --cached --quiet; then");
    expectPushOnTop(commit);
    const kept = stepNamed(daily, "digest", "Keep the archive this run could not push");
    expect(kept.if).toBe("${{ !cancelled() && steps.commit.outcome == 'failure' }}");
    expect(kept.with?.path).toBe("archive\nfeedback.jsonl\n");
    const siteStep = stepNamed(daily, "digest", "Build the site");
    const site = siteStep.run ?? "";
    expect(site).toContain('arxiv-digest site "${args[@]}" --changed "${days[@]}"');
    expect(site).toContain('arxiv-digest site "${args[@]}"\n');
    expect(siteStep.env).toMatchObject({
      BASE_PATH: "${{ steps.pages.outputs.base_path }}",
      ARXIV_DIGEST_SITE_URL: "${{ steps.pages.outputs.base_url }}",
    });
    expect(siteStep.if).toBe("${{ !cancelled() && steps.install.outcome == 'success' }}");
    const uses = digest.steps.flatMap((s) => (s.uses === undefined ? [] : [s.uses.split("@")[0]]));
    expect(uses).toEqual([
      "actions/checkout",
      "actions/setup-node",
      "actions/cache/restore",
      "actions/configure-pages",
      "actions/upload-artifact",
      "actions/cache/save",
      "actions/cache/restore",
      "actions/cache/save",
      "actions/upload-pages-artifact",
    ]);
    expectPagesGated(daily, "digest");

    const deploy = daily.jobs.deploy!;
    expect(deploy.needs).toBe("digest");
    expect(deploy.permissions).toEqual({ pages: "write", "id-token": "write" });
    expect(deploy.environment).toEqual({ name: "github-pages", url: "${{ steps.deployment.outputs.page_url }}" });
    expect(deploy.steps).toEqual([{ id: "deployment", uses: "actions/deploy-pages@v4" }]);
    expect(daily.concurrency?.group).toBe("arxiv-digest");
  });

  it("name the day a dispatch's date input produced as the run reads it: empty or today is the clock's day", async () => {
    const daily = (await workflows())[".github/workflows/daily.yml"]!;
    // The lines of a step that turn $DATE into $day, run by bash with `date` standing in for the clock.
    const dayOf = (step: string, input: string) => {
      const script = stepNamed(daily, "digest", step).run ?? "";
      const lines = script.split("\n").filter((l) => /^\s*(day=|case "\$\{day,,\}")/.test(l));
      expect(lines, step).toHaveLength(2);
      const run = `date() { echo 2026-02-10; }\n${lines.join("\n")}\nprintf '%s' "$day"`;
      return execFileSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", run], {
        env: { PATH: process.env.PATH ?? "", DATE: input },
        encoding: "utf8",
      });
    };
    for (const step of ["Commit the archive", "Build the site"]) {
      for (const input of ["", "today", " Today ", "TODAY"])
        expect(dayOf(step, input), `${step}: ${input}`).toBe("2026-02-10");
      expect(dayOf(step, "2026-02-05")).toBe("2026-02-05");
      expect(dayOf(step, " 2026-02-05\n")).toBe("2026-02-05");
    }
    expect(stepNamed(daily, "digest", "Commit the archive").run).toContain('git commit --quiet -m "Digest of $day"');
    expect(stepNamed(daily, "digest", "Build the site").run).toContain('echo "/$day.json"');
  });

  it("backfill takes from/to inputs through the environment and shares the daily concurrency group", async () => {
    const backfill = (await workflows())[".github/workflows/backfill.yml"]!;
    expect(backfill.on.schedule).toBeUndefined();
    expect(Object.keys(backfill.on.workflow_dispatch?.inputs ?? {})).toEqual(["from", "to", "deliver"]);
    const step = stepNamed(backfill, "backfill", "Rebuild the missed days");
    expect(step.env).toMatchObject({ FROM: "${{ inputs.from }}", TO: "${{ inputs.to }}" });
    expect(step.run).toContain('arxiv-digest backfill "${args[@]}"');
    expect(step.run).not.toContain("${{");
    expect(backfill.jobs.backfill?.permissions).toEqual({ contents: "write", pages: "read" });
    expect(backfill.jobs.deploy?.permissions).toEqual({ pages: "write", "id-token": "write" });
    expectPushOnTop(stepNamed(backfill, "backfill", "Commit the archive").run ?? "");
    expect(stepNamed(backfill, "backfill", "Keep the archive this run could not push").if).toContain(
      "steps.commit.outcome == 'failure'",
    );
    expect(backfill.concurrency?.group).toBe("arxiv-digest");
    expect(step.env?.ARXIV_DIGEST_SITE_URL).toBe("${{ steps.pages.outputs.base_url }}");
    expect(stepNamed(backfill, "backfill", "Build the site").env).toMatchObject({
      ARXIV_DIGEST_SITE_URL: "${{ steps.pages.outputs.base_url }}",
    });
    expectPagesGated(backfill, "backfill");
  });

  it("keepalive re-enables the scheduled workflows monthly with only actions: write", async () => {
    const keepalive = (await workflows())[".github/workflows/keepalive.yml"]!;
    const [schedule] = keepalive.on.schedule ?? [];
    expect(schedule?.cron.split(" ").slice(2)).toEqual(["1", "*", "*"]);
    expect(keepalive.jobs.keepalive?.permissions).toEqual({ actions: "write" });
    const run = keepalive.jobs.keepalive?.steps[0]?.run ?? "";
    expect(run).toContain('gh api --method PUT "repos/$REPO/actions/workflows/$workflow/enable"');
    expect(run).toContain("for workflow in daily.yml keepalive.yml");
  });
});

/** A repository with one commit (and a remote, when given); returns its HEAD. */
async function repoAt(path: string, remote?: string): Promise<string> {
  await mkdir(path, { recursive: true });
  git(path, "init", "--quiet", "--initial-branch=main");
  await writeFile(join(path, "package.json"), '{"name":"arxiv-digest","version":"0.1.0"}\n');
  git(path, "add", "--all");
  git(path, "commit", "--quiet", "-m", "one");
  if (remote) git(path, "remote", "add", "origin", remote);
  return git(path, "rev-parse", "HEAD").trim();
}

/** `<prefix>/node_modules/arxiv-digest` with the lock file npm writes for a Git install resolved to `resolved`. */
async function installedAt(prefix: string, resolved: string, lock = ".package-lock.json"): Promise<string> {
  const root = join(prefix, "node_modules", "arxiv-digest");
  await mkdir(root, { recursive: true });
  const packages = { "node_modules/arxiv-digest": { version: "0.1.0", resolved } };
  const at = lock === ".package-lock.json" ? join(prefix, "node_modules", lock) : join(prefix, lock);
  await writeFile(at, JSON.stringify({ name: "x", lockfileVersion: 3, packages }));
  return root;
}

describe("where the running copy came from", () => {
  const sha = "0123456789abcdef0123456789abcdef01234567";

  it("reads a Git install's repository and commit from npm's lock file", async () => {
    const root = await installedAt(join(dir, "p1"), `git+ssh://git@github.com/ada/arxiv-digest.git#${sha}`);
    expect(installOrigin(root)).toEqual({ repo: "github:ada/arxiv-digest", commit: sha });
    const other = await installedAt(
      join(dir, "p2"),
      `git+https://gitlab.com/ada/digest.git#${sha}`,
      "package-lock.json",
    );
    expect(installOrigin(other)).toEqual({ repo: "git+https://gitlab.com/ada/digest.git", commit: sha });
    // Installed from the registry: nothing to pin from.
    const registry = await installedAt(
      join(dir, "p3"),
      "https://registry.npmjs.org/arxiv-digest/-/arxiv-digest-0.1.0.tgz",
    );
    expect(installOrigin(registry)).toBeNull();
  });

  it("follows a git+file install to that repository's remote, and names none when it has none", async () => {
    const fork = join(dir, "fork");
    const head = await repoAt(fork, "https://github.com/ada/fork.git");
    const root = await installedAt(join(dir, "p1"), `git+file://${fork}#${head}`);
    expect(installOrigin(root)).toEqual({ repo: "github:ada/fork", commit: head });
    const local = join(dir, "local");
    const localHead = await repoAt(local);
    const root2 = await installedAt(join(dir, "p2"), `git+file://${local}#${localHead}`);
    expect(installOrigin(root2)).toEqual({ repo: null, commit: localHead });
  });

  it("takes a clone's remote and HEAD, but not a repository the package merely sits in", async () => {
    const clone = join(dir, "clone");
    const head = await repoAt(clone, "git@github.com:ada/digest.git");
    expect(installOrigin(clone)).toEqual({ repo: "github:ada/digest", commit: head });
    await mkdir(join(clone, "vendor", "arxiv-digest"), { recursive: true });
    expect(installOrigin(join(clone, "vendor", "arxiv-digest"))).toBeNull();
    expect(installOrigin(join(dir, "nowhere"))).toBeNull();
  });

  it("pins the workflows to that repository and commit; without one, says which line to edit", async () => {
    await initWorkspace(dir, { origin: { repo: "github:ada/arxiv-digest", commit: sha } });
    const daily = await readFile(join(dir, WORKFLOWS[1]!), "utf8");
    expect(daily).toContain(`spec="github:ada/arxiv-digest#${sha}"`);
    expect(await readFile(join(dir, WORKFLOWS[0]!), "utf8")).toContain(`spec="github:ada/arxiv-digest#${sha}"`);

    // A local repository without a remote: the commit is known, the repository is not.
    const unknown = await initWorkspace(dir, { workflowsOnly: true, origin: { repo: null, commit: sha } });
    const lines = (await readFile(join(dir, WORKFLOWS[1]!), "utf8")).split("\n");
    const at = lines.findIndex((l) => /^\s*spec="/.test(l)) + 1;
    expect(lines[at - 1]?.trim()).toBe(`spec="github:OWNER/arxiv-digest#${sha}"`);
    expect(unknown.placeholders).toContainEqual({
      file: WORKFLOWS[1],
      line: at,
      spec: `github:OWNER/arxiv-digest#${sha}`,
    });
    const text = nextSteps("/home/me/papers", "/home/me/papers", unknown.placeholders);
    expect(text.replace(/\s+/g, " ")).toContain(
      `in place of OWNER/arxiv-digest on the spec= line of .github/workflows/daily.yml (line ${at})`,
    );
    for (const line of text.split("\n")) expect(line.length).toBeLessThanOrEqual(100);
    expect(nextSteps(dir, dir, [])).not.toContain("Install line");
  });

  it("keeps a fork the workflow names when written again, at the running commit; a placeholder gives way", async () => {
    await initWorkspace(dir, { source: "github:reader/fork" });
    await initWorkspace(dir, {
      workflowsOnly: true,
      source: "github:reader/fork",
      origin: { repo: "github:ada/x", commit: sha },
    });
    expect(await readFile(join(dir, WORKFLOWS[1]!), "utf8")).toContain(`spec="github:reader/fork#${sha}"`);
    const done = await initWorkspace(dir, {
      workflowsOnly: true,
      source: "github:OWNER/arxiv-digest",
      origin: { repo: "github:ada/x", commit: sha },
    });
    expect(done.placeholders).toEqual([]);
    expect(await readFile(join(dir, WORKFLOWS[1]!), "utf8")).toContain(`spec="github:ada/x#${sha}"`);
  });
});

describe("the secrets the workflows pass", () => {
  it("are the ones the config names, the defaults where it names none", async () => {
    await initWorkspace(dir);
    const config = parseDocument(await readFile(join(dir, "arxiv-digest.yaml"), "utf8"));
    config.setIn(["llm", "apiKeyEnv"], "DEEPSEEK_API_KEY");
    config.setIn(["deliver", "slack"], { webhookUrlEnv: "TEAM_HOOK" });
    const email = { host: "smtp.example.org", user: "a", from: "a@example.org", to: ["b@example.org"] };
    config.setIn(["deliver", "email"], { ...email, passwordEnv: "MAIL_PASS" });
    await writeFile(join(dir, "arxiv-digest.yaml"), config.toString());
    await initWorkspace(dir, { workflowsOnly: true });
    for (const [file, job, step] of [
      [WORKFLOWS[1]!, "digest", "Read the announcement and deliver the digest"],
      [WORKFLOWS[0]!, "backfill", "Rebuild the missed days"],
    ] as const) {
      const env = stepNamed(parse(await readFile(join(dir, file), "utf8")) as Workflow, job, step).env ?? {};
      expect(env.DEEPSEEK_API_KEY, file).toBe("${{ secrets.DEEPSEEK_API_KEY }}");
      expect(env.TEAM_HOOK, file).toBe("${{ secrets.TEAM_HOOK }}");
      expect(env.MAIL_PASS, file).toBe("${{ secrets.MAIL_PASS }}");
      expect(env.SLACK_BOT_TOKEN, file).toBe("${{ secrets.SLACK_BOT_TOKEN }}");
      expect(env.S2_API_KEY, file).toBe("${{ secrets.S2_API_KEY }}");
      expect(Object.keys(env), file).not.toContain("OPENAI_API_KEY");
      expect(Object.keys(env), file).not.toContain("SMTP_PASSWORD");
    }
  });

  it("refuse a variable name GitHub would not take as a secret's", async () => {
    await initWorkspace(dir);
    const config = parseDocument(await readFile(join(dir, "arxiv-digest.yaml"), "utf8"));
    config.setIn(["llm", "apiKeyEnv"], "GITHUB_KEY");
    await writeFile(join(dir, "arxiv-digest.yaml"), config.toString());
    const err = await initWorkspace(dir, { workflowsOnly: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(/llm\.apiKeyEnv is "GITHUB_KEY".*rename it in arxiv-digest\.yaml/);
    // A name no shell takes is refused by the config itself, as by every other command.
    config.setIn(["llm", "apiKeyEnv"], "my-key");
    await writeFile(join(dir, "arxiv-digest.yaml"), config.toString());
    const invalid = await initWorkspace(dir, { workflowsOnly: true }).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(UserError);
    expect((invalid as Error).message).toMatch(/llm\.apiKeyEnv \(line \d+\): an environment variable's name/);
  });
});

describe("init's closing text", () => {
  it("points to the next steps: the config, the secrets, Pages and the first run", () => {
    const text = nextSteps("/home/me/papers", "/home/me");
    // As README has it: cd into the workspace, then the plain commands.
    expect(text).toContain("  1. Go into the workspace: `cd papers` (the commands below run there).\n");
    expect(text).toContain("Edit arxiv-digest.yaml (categories, topics) and authors.txt beside it.");
    expect(text).toMatch(/\.env\.example to \.env[\s\S]*OPENAI_API_KEY[\s\S]*repository secrets/);
    expect(text).toMatch(/Pages → Source to "GitHub\s+Actions"/);
    // The workflows pass the Pages address (ARXIV_DIGEST_SITE_URL) while site.baseUrl is the default.
    expect(text).toMatch(/leave site\.baseUrl and site\.basePath at their defaults/);
    expect(text).not.toMatch(/set site\.baseUrl and site\.basePath to/);
    expect(text).toContain("`arxiv-digest doctor` says what is missing,");
    expect(text).toContain("then `arxiv-digest run` makes the first digest.");
    expect(text).not.toContain("--workspace");
    // Made outside the current folder: the cd names it whole, quoted for a shell.
    expect(nextSteps("/srv/my papers", "/home/me")).toContain("`cd '/srv/my papers'`");
    // Started in the workspace itself: nothing to cd into.
    const here = nextSteps("/home/me/papers", "/home/me/papers");
    expect(here).not.toContain("cd ");
    expect(here).toContain("  1. Edit arxiv-digest.yaml");
    expect(here).toContain("`arxiv-digest doctor` says what is missing,");
    for (const line of text.split("\n")) expect(line.length).toBeLessThanOrEqual(100);
  });

  describe("made outside the current folder, each command as the reader can type it there", () => {
    let root: string;
    let clone: string;
    let outside: string;
    beforeEach(async () => {
      // The temporary folder is in no npm project, so npx finds nothing there.
      root = await mkdtemp(join(tmpdir(), "ad-next-"));
      clone = join(root, "clone");
      outside = join(root, "papers");
      await mkdir(clone);
      await mkdir(outside);
      const pkg = { name: "arxiv-digest", bin: { "arxiv-digest": "bin/arxiv-digest.js" } };
      await writeFile(join(clone, "package.json"), `${JSON.stringify(pkg)}\n`);
      // Its bin is this program's, symlinks followed: npx there runs the program under test.
      await symlink(join(REPO, "bin"), join(clone, "bin"));
    });
    afterEach(() => rm(root, { recursive: true, force: true }));

    it("outside the clone it was run from: no cd, the commands name the workspace from here", () => {
      const text = nextSteps(outside, clone, [], { here: "npx arxiv-digest" });
      // A `cd` there and a bare `npx arxiv-digest` would ask the npm registry for the name.
      expect(text).not.toContain("cd ");
      expect(text).toContain(`  1. The workspace is \`${outside}\`.\n     Edit arxiv-digest.yaml`);
      expect(text).toContain(`\`npx arxiv-digest doctor --workspace ${outside}\` says what is missing,`);
      expect(text).toContain(`then \`npx arxiv-digest run --workspace ${outside}\` makes the first digest.`);
    });

    it("inside the clone, or with the installed command: cd, then the plain commands", () => {
      const inside = nextSteps(join(clone, "my-digest"), clone, [], { here: "npx arxiv-digest" });
      expect(inside).toContain("  1. Go into the workspace: `cd my-digest` (the commands below run there).");
      expect(inside).toContain("`npx arxiv-digest doctor` says what is missing,");
      expect(inside).not.toContain("--workspace");
      // Installed (on the PATH): the same name works in the workspace.
      const installed = nextSteps(outside, clone, [], { here: "arxiv-digest" });
      expect(installed).toContain(`\`cd ${outside}\``);
      expect(installed).toContain("`arxiv-digest doctor` says what is missing,");
      expect(installed).not.toContain("npx");
    });

    it("in a project that depends on the package: cd, then npx as it finds the project's bin", async () => {
      await mkdir(join(outside, "node_modules", ".bin"), { recursive: true });
      await symlink(join(REPO, "bin", "arxiv-digest.js"), join(outside, "node_modules", ".bin", "arxiv-digest"));
      const text = nextSteps(join(outside, "digest"), clone, [], { here: "npx arxiv-digest" });
      expect(text).toContain(`\`cd ${join(outside, "digest")}\``);
      expect(text).toContain("`npx arxiv-digest doctor` says what is missing,");
      expect(text).not.toContain("--workspace");
    });
  });
});
