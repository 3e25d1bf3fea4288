/**
 * An abstract and a model comment that type their accents in TeX (`Schr\"odinger`), through the real
 * executable: the site's day page, its feed and search index, the Markdown page, the Slack messages
 * and both parts of the email show the letters, and the archive keeps the text as it was typed.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ArchiveStore } from "../../src/archive/store.js";
import { mimeParts, type SmtpReceiver, startSmtpReceiver } from "../deliver/smtp-receiver.js";
import { isolatedEnv, runCli } from "../helpers/cli.js";
import { makeDay, makePaper } from "../helpers/day-factory.js";
import { startServer, type TestServer } from "../helpers/server.js";
import { type TempWorkspace, tempWorkspace } from "../helpers/workspace.js";

const DATE = "2026-02-05";
const ABSTRACT = String.raw`We solve the Schr\"odinger equation for na\"ive Erd\H{o}s--R\'enyi graphs, keeping $\hat{x} = \'e$ as math.`;
const COMMENT = String.raw`Schr\"odinger bridges, as in Fran\c{c}ois's work.`;

let slack: TestServer;
let smtp: SmtpReceiver;
let workspace: TempWorkspace;
let ws: string;
let store: ArchiveStore;
let env: Record<string, string>;

beforeAll(async () => {
  slack = await startServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/plain" });
    res.end("ok");
  });
  smtp = await startSmtpReceiver();
  workspace = tempWorkspace(
    [
      "topics:\n  - id: a\n    title: A\n    description: anything",
      "deliver:",
      "  slack: {}",
      `  email:\n    host: 127.0.0.1\n    port: ${smtp.port}\n    tls: none\n    from: digest@example.org\n    to: [reader@example.org]`,
      "",
    ].join("\n"),
  );
  ws = workspace.dir;
  env = isolatedEnv({ SLACK_WEBHOOK_URL: `${slack.url}/services/T0/B0/x` });
  store = new ArchiveStore(join(ws, "archive"));
  await store.writeDay(makeDay({ date: DATE, papers: [makePaper({ abstract: ABSTRACT, comment: COMMENT })] }));
}, 60_000);

afterAll(async () => {
  await slack.close();
  await smtp.close();
  workspace.cleanup();
});

describe("TeX accents in an abstract and a comment", () => {
  it("show as letters on the site: the day page, the feeds and the search index", async () => {
    const r = await runCli(["site", "--workspace", ws], { env });
    expect(r.code, r.stderr).toBe(0);
    const page = readFileSync(join(ws, "site", "2026", "02", "05", "index.html"), "utf8");
    expect(page).toContain("We solve the Schrödinger equation for naïve Erdős–Rényi graphs, keeping <math");
    expect(page).toContain("Schrödinger bridges, as in François's work.");
    expect(page).not.toMatch(/\\"o|\\H\{|\\c\{/);

    const feed = readFileSync(join(ws, "site", "feed.xml"), "utf8");
    expect(feed).toContain("Schrödinger bridges, as in François&apos;s work.");
    expect(feed).toContain("We solve the Schrödinger equation for naïve Erdős–Rényi graphs");

    const searchFiles = readdirSync(join(ws, "site"), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith(".json") && e.parentPath.includes("search"))
      .map((e) => readFileSync(join(e.parentPath, e.name), "utf8"))
      .join("\n");
    expect(searchFiles).toContain("Schrödinger bridges");
    expect(searchFiles).not.toContain(String.raw`Schr\\\"odinger`);
  }, 120_000);

  it("show as letters in the Markdown page", async () => {
    const r = await runCli(["render", DATE, "--workspace", ws], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      String.raw`**Abstract:** We solve the Schrödinger equation for naïve Erdős–Rényi graphs, keeping $\hat{x} = \'e$ as math.`,
    );
    expect(r.stdout).toContain("**Comment:** Schrödinger bridges, as in François's work.");
  }, 60_000);

  it("show as letters in the Slack messages and the email, text and HTML", async () => {
    const r = await runCli(["deliver", DATE, "--workspace", ws], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${DATE}: sent to 2 of 2 targets.\n`);

    const slackText = slack.requests.map((q) => q.body).join("\n");
    expect(slackText).toContain("> Schrödinger bridges, as in François's work.");
    expect(slackText).not.toContain(String.raw`Schr\\\"odinger`);

    expect(smtp.mails).toHaveLength(1);
    const parts = mimeParts(smtp.mails[0]!.raw);
    const text = parts.find((p) => p.contentType === "text/plain")!.body;
    const html = parts.find((p) => p.contentType === "text/html")!.body;
    expect(text).toContain("Schrödinger bridges, as in François's work.");
    expect(html).toContain("Schrödinger bridges, as in François&#39;s work.");
    expect(`${text}${html}`).not.toContain(String.raw`\"o`);
  }, 60_000);

  it("are kept as typed in the archive", async () => {
    const day = await store.readDay(DATE);
    expect(day.papers[0]!.abstract).toBe(ABSTRACT);
    expect(day.papers[0]!.comment).toBe(COMMENT);
  });
});
