/** What a server answers reaches the reader as text: `doctor` prints a planted Slack name without its control characters. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { isolatedEnv, runCli } from "../helpers/cli.js";
import { type SlackApi, startSlackApi } from "../helpers/slack-api.js";

vi.setConfig({ testTimeout: 120_000 });

let api: SlackApi | undefined;
afterAll(async () => {
  await api?.close();
});

describe("doctor's Slack findings on the terminal", () => {
  it("prints a channel name with an escape sequence and a bidi override as visible escapes", async () => {
    // ESC ] 0 ; … BEL sets the window title; U+202E reverses what follows.
    api = await startSlackApi({
      channel: { id: "C0123", name: "pa\u001b]0;pwned\u0007\u202epers" },
      scopes: ["chat:write", "channels:history", "channels:read"],
    });
    const dir = mkdtempSync(join(tmpdir(), "ad-terminal-safe-"));
    writeFileSync(
      join(dir, "arxiv-digest.yaml"),
      `topics:\n  - id: moe\n    title: Mixture of experts\n    description: Routing.\ndeliver:\n  slack:\n    channel: C0123\n    apiUrl: ${api.url}\n`,
    );
    const r = await runCli(["doctor", "--workspace", dir], {
      env: isolatedEnv({ SLACK_BOT_TOKEN: "xoxb-test-token", ARXIV_RSS_URL: `${api.url}/rss` }),
    });
    expect(r.stdout).toContain("#pa\\u001b]0;pwned\\u0007\\u202epers (C0123)");
    expect(r.stdout + r.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
  });
});
