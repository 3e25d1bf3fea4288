import type { Command } from "commander";
import type { GlobalOptions } from "./common.js";
import { EXIT } from "./exit.js";

const MARK = { ok: "ok  ", warn: "warn", fail: "FAIL" } as const;

export function registerDoctor(program: Command, exit: (code: number) => void): void {
  program
    .command("doctor")
    .description(
      "check the config, prompts, keys, endpoints, the model and prices, the Slack bot's scopes and channel, GitHub's token for feedback.github, and say what to fix (exit 2: config or environment, 1: another problem)",
    )
    .option("--offline", "skip the checks that need the network")
    .action(async (o: { offline?: boolean }, cmd: Command) => {
      const { doctor } = await import("../pipeline/doctor.js");
      const { plural } = await import("../format/text.js");
      const { namedWorkspace, writeOut } = await import("./common.js");
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const named = namedWorkspace(global);
      const checks = await doctor({
        workspaceDir: global.workspace,
        offline: o.offline === true,
        ...(named === undefined ? {} : { named }),
      });
      for (const c of checks) writeOut(`${MARK[c.level]}  ${c.what}: ${c.detail}\n`);
      const failed = checks.filter((c) => c.level === "fail").length;
      writeOut(failed ? `\n${plural(failed, "problem")} to fix.\n` : "\nReady.\n");
      // A failed check of the workspace's own settings (the config, .env and the environment, the
      // keys, authors.txt, deliveries, the install line) is the user's mistake, as every other
      // command's exit 2 is; only an endpoint that failed (arXiv, the LLM, SMTP) is exit 1.
      exit(checks.some((c) => c.usage) ? EXIT.usage : failed ? EXIT.incomplete : EXIT.ok);
    });
}
